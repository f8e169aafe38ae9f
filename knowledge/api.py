"""The module's public functions: validate a raw JSON object and assess it, never raising.

The CLI, the Rasa actions and the tests all go through here.
"""

from __future__ import annotations

import functools
from typing import Any, Dict, List, Tuple, Union

from pydantic import ValidationError

from .models import Assessment, PatientCase
from .rules import assess
from .vocab import ASSESSMENTS

Errors = List[Dict[str, str]]


def _errors(exc: ValidationError) -> Errors:
    out = []
    for e in exc.errors():
        loc = e.get("loc") or ("__root__",)
        field = str(loc[0])
        msg = e.get("msg", "invalid value")
        if e.get("type") == "value_error.extra":
            msg = f"unknown field {field!r}: not part of PatientCase"
        out.append({"field": field, "message": msg})
    return out


def validate_case(data: Any) -> Tuple[Union[PatientCase, None], Errors]:
    if not isinstance(data, dict):
        return None, [{"field": "__root__", "message": "expected a JSON object with PatientCase fields"}]
    try:
        return PatientCase(**{str(k): v for k, v in data.items()}), []
    except ValidationError as exc:
        return None, _errors(exc)
    except (TypeError, ValueError) as exc:  # defensive: pydantic wraps these, but never crash
        return None, [{"field": "__root__", "message": str(exc)}]


def assess_request(data: Any) -> Tuple[Union[Assessment, None], Errors]:
    """``data`` is a PatientCase object plus ``"assessment"``: the CLI's and the actions' input."""
    if not isinstance(data, dict):
        return None, [
            {"field": "__root__", "message": 'expected a JSON object with PatientCase fields and "assessment"'}
        ]
    fields = dict(data)
    name = fields.pop("assessment", None)
    errors: Errors = []
    if name not in ASSESSMENTS:
        errors.append({"field": "assessment", "message": f"expected one of {', '.join(ASSESSMENTS)}, got {name!r}"})
    case, case_errors = validate_case(fields)
    errors += case_errors
    if errors:
        return None, errors
    return assess(case, name), []


@functools.lru_cache(maxsize=4096)
def response_status(months: float, pct: float) -> Union[str, None]:
    """The response status of one BCR-ABL1 result at ``months`` on imatinib, decided by the response rules
    themselves (pure, so cached: each result of a series is classified once, in chat and CDS alike)."""
    try:
        case = PatientCase(months_on_tki=months, bcr_abl1_is=pct)
    except ValueError:
        return None
    return assess(case, "response").response_status

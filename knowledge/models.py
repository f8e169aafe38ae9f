"""Pydantic (v1) models of the decision spec: ``PatientCase`` in, ``Assessment`` out.

Input validation is strict: numbers must be numbers (``true`` is not 1, ``"400"`` is not 400;
text goes through :mod:`knowledge.normalize` first), ranges are checked, unknown fields are
rejected, and every error names its field.
"""

from __future__ import annotations

import math
from typing import Any, Dict, List, Optional

from pydantic import BaseModel, Extra, Field, root_validator, validator

from . import mutations as mut
from .sources import SOURCES
from .vocab import ASSESSMENTS, CODES, DOSE_CODES, DOSINGS, GOALS, INDICATORS, PHASES, RESPONSE_STATUSES

# (minimum, maximum) of every numeric field, inclusive. Spec ranges where the spec gives
# one; the others are plausibility limits (documented in knowledge/ASSUMPTIONS.md).
RANGES: Dict[str, tuple] = {
    "dose_mg": (100, 800),
    "standard_dose_mg": (100, 800),
    "months_on_tki": (0, 600),
    "bcr_abl1_is": (0, 1000),
    "mmr_months": (0, 600),
    "dmr_months": (0, 600),
    "trough_ng_ml": (0, 20000),
    "hours_since_dose": (0, 240),
    "days_at_current_dose": (0, 20000),
    "adherence_pct": (0, 100),
    "ae_grade": (0, 4),
}
INT_FIELDS = ("dose_mg", "standard_dose_mg", "ae_grade")
BOOL_FIELDS = ("ddpcr_mr45", "on_reduced_dose", "prior_tki_failure", "drug_interaction_concern", "response_confirmed")
CHOICES: Dict[str, tuple] = {
    "phase": PHASES,
    "dosing": DOSINGS,
    "goal": GOALS,
    "response_status": ("optimal", "warning", "failure"),
}
UNITS = {
    "dose_mg": "mg/day",
    "standard_dose_mg": "mg/day",
    "months_on_tki": "months",
    "bcr_abl1_is": "% IS",
    "mmr_months": "months",
    "dmr_months": "months",
    "trough_ng_ml": "ng/mL",
    "hours_since_dose": "hours",
    "days_at_current_dose": "days",
    "adherence_pct": "%",
    "ae_grade": "CTCAE grade",
}


def out_of_range(field: str, value: float) -> Optional[str]:
    """The message for a value outside its field's range (the forms' normaliser says the same), else None."""
    lo, hi = RANGES[field]
    if lo <= value <= hi:
        return None
    return f"{value:g} {UNITS[field]} is out of range: expected {lo}–{hi} {UNITS[field]}"


def _number(field: str, v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ValueError(
            f"expected a number in {UNITS[field]}, got {type(v).__name__} "
            f"(give text such as units to the normaliser first)"
        )
    if isinstance(v, float) and not math.isfinite(v):
        raise ValueError(f"expected a finite number in {UNITS[field]}")
    if field in INT_FIELDS:
        if isinstance(v, float):
            if not v.is_integer():
                raise ValueError(f"expected a whole number in {UNITS[field]}, got {v}")
            v = int(v)
    else:
        v = float(v)
    problem = out_of_range(field, v)
    if problem:
        raise ValueError(problem)
    return v


class PatientCase(BaseModel):
    phase: Optional[str] = None
    dose_mg: Optional[int] = None
    months_on_tki: Optional[float] = None
    bcr_abl1_is: Optional[float] = None
    mmr_months: Optional[float] = None
    dmr_months: Optional[float] = None
    ddpcr_mr45: Optional[bool] = None
    trough_ng_ml: Optional[float] = None
    hours_since_dose: Optional[float] = None
    dosing: Optional[str] = None
    days_at_current_dose: Optional[float] = None
    adherence_pct: Optional[float] = None
    mutations: Optional[List[str]] = None
    ae_grade: Optional[int] = None
    goal: Optional[str] = None
    on_reduced_dose: Optional[bool] = None
    standard_dose_mg: Optional[int] = None  # v1.2: no default; a missing standard dose is named, never 400
    prior_tki_failure: Optional[bool] = None
    drug_interaction_concern: Optional[bool] = None
    response_confirmed: Optional[bool] = None
    response_status: Optional[str] = None

    class Config:
        extra = Extra.forbid
        allow_mutation = False

    @validator(*RANGES, pre=True)
    def _numbers(cls, v, field):  # noqa: N805 - pydantic signature
        return _number(field.name, v)

    @validator(*BOOL_FIELDS, pre=True)
    def _bools(cls, v):  # noqa: N805
        if v is None or isinstance(v, bool):
            return v
        raise ValueError("expected true, false or null")

    @validator(*CHOICES, pre=True)
    def _choices(cls, v, field):  # noqa: N805
        if v is None:
            return None
        allowed = CHOICES[field.name]
        if isinstance(v, str):
            key = v.strip().lower()
            if field.name == "response_status" and key == "suboptimal":
                return "warning"
            if key in allowed:
                return key
        extra = ' ("suboptimal" = warning)' if field.name == "response_status" else ""
        raise ValueError(f"expected one of {', '.join(allowed)}{extra} or null, got {v!r}")

    @validator("mutations", pre=True)
    def _mutations(cls, v):  # noqa: N805
        if v is None:
            return None
        if not isinstance(v, list):
            raise ValueError(
                'expected a list of mutation names such as ["T315I"], '
                "[] for tested with none found, or null for not tested"
            )
        out: List[str] = []
        for item in v:
            if not isinstance(item, str):
                raise ValueError(f"expected mutation names as text, got {item!r}")
            name = mut.normalize_mutation(item)  # raises ValueError with the expected form
            if name not in out:
                out.append(name)
        return out


class Recommendation(BaseModel):
    code: str
    summary: str
    indicator: str
    detail: str
    target_dose_mg: Optional[int] = None
    options: List[str] = []
    avoid: List[str] = []
    citations: List[str]

    class Config:
        extra = Extra.forbid

    @validator("code")
    def _code(cls, v):  # noqa: N805
        if v not in CODES:
            raise ValueError(f"unknown recommendation code {v!r}")
        return v

    @validator("summary")
    def _summary(cls, v):  # noqa: N805
        if not v or len(v) >= 140:
            raise ValueError("summary must be one line under 140 characters")
        return v

    @validator("indicator")
    def _indicator(cls, v):  # noqa: N805
        if v not in INDICATORS:
            raise ValueError(f"indicator must be one of {INDICATORS}")
        return v

    @validator("citations")
    def _citations(cls, v):  # noqa: N805
        if not v:
            raise ValueError("every recommendation needs at least one citation")
        unknown = [k for k in v if k not in SOURCES]
        if unknown:
            raise ValueError(f"citations not in the sources registry: {unknown}")
        return v

    @root_validator(skip_on_failure=True)
    def _dose(cls, values):  # noqa: N805
        # spec v1.2: a dose code carries a target only when the dose it starts from was given
        if values["code"] not in DOSE_CODES and values.get("target_dose_mg") is not None:
            raise ValueError(f"{values['code']} carries no target_dose_mg")
        return values


class Conflict(BaseModel):
    """Two or more values that cannot all be true; the codes resting on them are held back (spec v1.2)."""

    fields: List[str]
    message: str

    class Config:
        extra = Extra.forbid


class AssumedInput(BaseModel):
    """An input the rules took without being told: which (a field of the input contract), the value taken
    (as a card shows it) and the assumption that says so (one of ``Assessment.assumptions``)."""

    field: str
    value: str
    why: str


class Assessment(BaseModel):
    rule_set_version: str
    assessment: str
    response_status: Optional[str] = None
    recommendations: List[Recommendation]
    missing_inputs: List[str]
    conflicts: List[Conflict] = []
    assumptions: List[str]
    rules_fired: List[str]
    # the assumptions that fill an input, as data for the card's "Based on" (not in the output contract)
    assumed_inputs: List[AssumedInput] = Field(default_factory=list, exclude=True)

    class Config:
        extra = Extra.forbid

    @validator("assessment")
    def _assessment(cls, v):  # noqa: N805
        if v not in ASSESSMENTS:
            raise ValueError(f"expected one of {', '.join(ASSESSMENTS)}")
        return v

    @validator("response_status")
    def _status(cls, v):  # noqa: N805
        if v is not None and v not in RESPONSE_STATUSES:
            raise ValueError(f"expected one of {', '.join(RESPONSE_STATUSES)} or null")
        return v

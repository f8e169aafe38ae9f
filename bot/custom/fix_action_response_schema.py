"""Fix: the action server's response schema is re-checked on every call (Rasa 3.6.21, performance).

Defect: ``RemoteAction._validate_action_result`` checks every action-server response with
``jsonschema.validate``, which first re-validates the schema itself and then tries each event against
all 23 alternatives of the ``oneOf`` in Rasa's event schema: about 19 ms a call on this machine. No
RasaHQ/rasa issue was found for it.
Fix: the same schema, compiled once; an event is checked against the one alternative its ``event``
name selects (each alternative fixes ``event`` to a different constant, so at most one can match).
Same accepted and refused responses, same ``ValidationError`` with Rasa's message.
Tested: tests/unit/bot/test_rasa_fixes.py compares it with Rasa's check on valid and broken responses.
Remove when: Rasa caches its validator (or the pin moves to a release that does); the test then shows
no difference in behaviour and bench/bench_rest.py none in speed.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Text, Tuple

import jsonschema
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

_RASA_HINT = (
    ". Failed to validate Action server response from API, make sure your response from the "
    f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
)


@lru_cache(maxsize=1)
def validators() -> Tuple[Any, Any, Dict[Any, Any]]:
    """The compiled checks (built once: at the server's warm-up, ``fix_warm_start``)."""
    schema = RemoteAction.action_response_format_spec()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)  # once, instead of on every call
    events = schema["properties"]["events"]
    event_schema = events["items"]
    top = cls({**schema, "properties": {**schema["properties"], "events": {"type": "array"}}})
    base = cls({k: v for k, v in event_schema.items() if k != "oneOf"})
    by_name = {alt["properties"]["event"]["const"]: cls(alt) for alt in event_schema["oneOf"]}
    return top, base, by_name


def validate_action_result(result: Any) -> None:
    """Raise ``jsonschema.ValidationError`` exactly when Rasa's response schema refuses ``result``."""
    top, base, by_name = validators()
    top.validate(result)
    if not isinstance(result, dict) or "events" not in result:
        return
    for event in result["events"]:
        base.validate(event)
        alternative = by_name.get(event["event"])
        if alternative is None:
            raise jsonschema.ValidationError(f"{event!r} is not valid under any of the given schemas")
        alternative.validate(event)


def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    try:
        validate_action_result(result)
        return True
    except jsonschema.ValidationError as e:
        e.message += _RASA_HINT
        raise e


def apply() -> None:
    RemoteAction._validate_action_result = _validate_action_result

"""From slots to a decision-module request, and back to clean slots."""
from typing import Any, Dict, List

from rasa_sdk.events import SlotSet

from actions.form_spec import CLINICAL_SLOTS, FORMS, UNKNOWN


def slot_value(value: Any) -> Any:
    """A slot's value as the decision module wants it (``unknown`` → None)."""
    return None if value == UNKNOWN else value


def case_request(form: str, slots: Dict[str, Any]) -> Dict[str, Any]:
    """The ``assess`` input of ``form`` from the tracker's slots (only this form's values)."""
    assessment, needed, optional = FORMS[form]
    data: Dict[str, Any] = {"assessment": assessment}
    for name in needed + optional:
        value = slot_value(slots.get(name))
        if value is not None:
            data[name] = value
    if assessment == "post_reduction":
        data["on_reduced_dose"] = True
    return data


def reset_events() -> List[Dict[str, Any]]:
    """Clear every patient value (never carry one patient's values into the next assessment)."""
    events = [SlotSet(s, None) for s in CLINICAL_SLOTS]
    events += [SlotSet("failed_attempts", 0), SlotSet("value_notes", None), SlotSet("requested_slot", None)]
    return events

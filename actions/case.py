"""Clean slots after an assessment: never carry one patient's values into the next."""

from typing import Any, Dict, List

from rasa_sdk.events import SlotSet

from dialogue.forms import CLINICAL_SLOTS


def reset_events() -> List[Dict[str, Any]]:
    """Clear every patient value (never carry one patient's values into the next assessment)."""
    events = [SlotSet(s, None) for s in CLINICAL_SLOTS]
    events += [SlotSet("failed_attempts", 0), SlotSet("value_notes", None), SlotSet("requested_slot", None)]
    events += [SlotSet("value_sources", None), SlotSet("series", None), SlotSet("pending_values", None)]
    return events

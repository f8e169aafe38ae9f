"""Form validation: values are read by the decision module's normaliser, never re-implemented here.

One validator per form of ``actions/forms.py`` (made from it below; the forms differ only in their
description there). Each turn:
1. extraction: specific entities were mapped by the domain (mapping conditions); here generic
   ``percent``/``duration`` entities and a bare answer are given to the slot being asked for;
2. validation: each new value goes through ``knowledge.normalize``; a bad value gets a message
   naming the expected form, the slot is re-asked, and after 3 failed answers the user is offered
   to skip the value or stop; a bad correction keeps the earlier good value;
3. the next missing value is asked with a question that names its unit.
"""

import logging
import re
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.forms import FORMS, SKIP_HINT, UNKNOWN, VALUES
from knowledge.normalize import UNKNOWN_WORDS, NormalizationError, normalize

logger = logging.getLogger(__name__)

PERCENT_SLOTS = ("bcr_abl1_is", "adherence_pct")
DURATION_SLOTS = ("months_on_tki", "mmr_months", "dmr_months", "days_at_current_dose", "hours_since_dose")
# intents whose text is never taken as a value unless it reads as one (FAQ, stop, why… go to their rules)
VALUE_INTENTS = {"inform", "affirm", "deny", "skip", "nlu_fallback"}
MAX_FAILURES = 3
CORRECTION = re.compile(r"\b(actually|correction|sorry|i meant|mistake|typo|should have been|it was)\b", re.I)


def _latest_entities(tracker: Tracker) -> List[Dict[str, Any]]:
    return list((tracker.latest_message or {}).get("entities") or [])


def _latest_intent(tracker: Tracker) -> Optional[str]:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def _previous_value(tracker: Tracker, slot: str) -> Any:
    """The value ``slot`` had before the latest user message (for corrections)."""
    before_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            before_user = True
            continue
        if before_user and event.get("event") == "slot" and event.get("name") == slot:
            return event.get("value")
    return None


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return ", ".join(value) if value else "none found"
    if value is None or value == UNKNOWN:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).replace("_", " ")


def _label(slot: str) -> str:
    return VALUES[slot].label if slot in VALUES else slot


class CaseFormValidator(FormValidationAction, ABC):
    """Shared behaviour of the assessment forms."""

    @property
    @abstractmethod
    def form(self) -> str:
        """The form this validator serves."""

    def name(self) -> Text:
        return f"validate_{self.form}"

    # --- which values are needed ---------------------------------------------------------------

    def domain_slots(self, domain: DomainDict) -> List[Text]:
        """The form's slots, from actions/forms.py (the server does not send the domain)."""
        return FORMS[self.form].slots

    def needed(self, tracker: Tracker) -> List[str]:
        return FORMS[self.form].needed(tracker.slots)

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        needed = self.needed(tracker)
        given = [s for s in domain_slots if s not in needed and tracker.slots.get(s) is not None]
        return needed + given

    # --- extraction of values that no specific entity carried -----------------------------------

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        requested = tracker.get_slot("requested_slot")
        already = set(tracker.slots_to_validate())
        entities = _latest_entities(tracker)
        form_slots = FORMS[self.form].slots
        found: Dict[str, Any] = {}
        generic = [e for e in entities if e.get("entity") in ("percent", "duration")]
        text = ((tracker.latest_message or {}).get("text") or "").strip()
        correcting = CORRECTION.search(text) is not None
        for e in generic:
            kind, value = e["entity"], e.get("value")
            if (
                requested
                and requested not in already
                and requested not in found
                and not correcting
                and (
                    (kind == "percent" and requested in PERCENT_SLOTS)
                    or (kind == "duration" and requested in DURATION_SLOTS)
                )
            ):
                found[requested] = value
            elif (
                kind == "percent"
                and "bcr_abl1_is" in form_slots
                and "bcr_abl1_is" not in already
                and "bcr_abl1_is" not in found
                and (requested != "adherence_pct" or correcting)
            ):
                found["bcr_abl1_is"] = value  # "actually it was 0.05 %": a bare % corrects the level
        doses = [e for e in entities if e.get("entity") in ("dose_mg", "standard_dose_mg")]
        if (
            requested == "standard_dose_mg"
            and requested not in already
            and not correcting
            and len(doses) == 1
            and doses[0]["entity"] == "dose_mg"
        ):
            # asked for the dose before the reduction, a bare "400 mg" answers that question
            found["standard_dose_mg"] = doses[0].get("value")
            found["dose_mg"] = _previous_value(tracker, "dose_mg")
        if requested and requested not in already and requested not in found and not correcting:
            specific = [e for e in entities if e.get("entity") not in ("percent", "duration")]
            if text and not specific and not text.startswith("/"):
                if (
                    text.lower().rstrip(".!") in UNKNOWN_WORDS
                    or _reads_as(requested, text)
                    or _latest_intent(tracker) in VALUE_INTENTS
                ):
                    found[requested] = text
        return [SlotSet(k, v) for k, v in found.items()]

    # --- validation -------------------------------------------------------------------------------

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        candidates = {
            k: v for k, v in tracker.slots_to_validate().items() if k in FORMS[self.form].slots or k in required
        }
        requested = tracker.get_slot("requested_slot")
        out: Dict[str, Any] = {}
        notes: List[str] = list(tracker.get_slot("value_notes") or [])
        failures = float(tracker.get_slot("failed_attempts") or 0)
        for slot, raw in candidates.items():
            result = self._validate(slot, raw, tracker, dispatcher, notes)
            out.update(result)
            if slot == requested:
                failures = 0 if result.get(slot) is not None else failures + 1
        if not candidates:  # nothing new this turn: return no slot, so the form can be rejected
            return []
        if requested in candidates and out.get(requested) is None and failures >= MAX_FAILURES:
            dispatcher.utter_message(text=SKIP_HINT)
        out["failed_attempts"] = failures
        out["value_notes"] = notes or None
        tracker.slots.update(out)
        return [SlotSet(k, v) for k, v in out.items()]

    def _validate(
        self, slot: str, raw: Any, tracker: Tracker, dispatcher: CollectingDispatcher, notes: List[str]
    ) -> Dict[str, Any]:
        previous = _previous_value(tracker, slot)
        if raw is None or raw == UNKNOWN:
            return {slot: raw}
        if not isinstance(raw, str):  # already canonical (set by an earlier validation)
            return {slot: raw}
        try:
            n = normalize(slot, raw)
        except NormalizationError as e:
            if raw.strip().lower().rstrip(".!") in UNKNOWN_WORDS:  # "skip", "don't know", …
                dispatcher.utter_message(text=f"Noted: {_label(slot)} unknown.")
                return {slot: UNKNOWN}
            logger.debug("value for %s rejected", slot)
            label = _label(slot)
            if previous is not None:
                dispatcher.utter_message(
                    text=f"I could not use that as {label} ({e.message}). I kept the earlier value, {_fmt(previous)}."
                )
                return {slot: previous}
            dispatcher.utter_message(text=f"I could not read that as {label}: {e.message}.")
            return {slot: None}
        value = UNKNOWN if n.value is None else n.value
        result: Dict[str, Any] = {slot: value}
        for other, other_value in n.related.items():  # "400 mg bid" also fixes the schedule
            if other in FORMS[self.form].slots:
                result[other] = other_value
        notes.extend(a for a in n.assumptions if a not in notes)
        if previous is not None and previous != value:
            dispatcher.utter_message(text=f"Updated {_label(slot)}: {_fmt(previous)} → {_fmt(value)}.")
        return result

    # --- asking ------------------------------------------------------------------------------------

    async def next_requested_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Optional[EventType]:
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        missing = next((s for s in required if tracker.slots.get(s) is None), None)
        if missing:
            dispatcher.utter_message(text=VALUES[missing].question)
        return SlotSet("requested_slot", missing)


def _reads_as(slot: str, text: str) -> bool:
    try:
        normalize(slot, text)
        return True
    except NormalizationError:
        return False


# one validator class per form (rasa-sdk registers every subclass of Action by its name())
for _form in FORMS.values():
    _cls = type(
        "Validate" + _form.name.title().replace("_", ""),
        (CaseFormValidator,),
        {"form": _form.name, "__module__": __name__},
    )
    globals()[_cls.__name__] = _cls

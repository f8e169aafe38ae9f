"""Values given outside an assessment: applied to the last recommendation, or kept for the next assessment.

- A correction just after a recommendation ("sorry, it was 0.05 not 0.5") or a value the last assessment
  named as missing ("ok, the PCR was 0.45 %") updates that assessment and gives the new recommendation.
- Otherwise the values are shown back ("Read: …"), kept in ``pending_values`` (the next form takes them
  at its start, ``actions/validation.py``) and the clinician is asked which assessment to run.
"""

import re
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.assessment import recommend
from actions.case import reset_events
from audit import WRITER as AUDIT
from dialogue.forms import CLINICAL_SLOTS, FORMS, show
from knowledge.normalize import NormalizationError, normalize
from reading.reader import READ_AS

EXTRACTOR = "ClinicalEntityExtractor"
GENERIC = ("percent", "duration")
_CORRECTION = re.compile(
    r"(?P<new>[-+]?\d+(?:[.,]\d+)?\s*(?:%|[a-zµ/]+)?)\s*,?\s+(?:not|instead of|rather than)\s+"
    r"(?P<old>[-+]?\d+(?:[.,]\d+)?)",
    re.I,
)
BUTTONS = [{"title": f.label, "payload": f"/{f.intent}"} for f in FORMS.values()]


def message_values(tracker: Tracker) -> List[Tuple[str, str]]:
    """The (label, text) pairs the extractor found in the latest message; a generic span ("12 months" said alone)
    under the field the message's one reading gave it ("IM 400, 12 months, PCR 0.4 %": the time on imatinib)."""
    return [
        (_field_of(e), str(e.get("value")))
        for e in (tracker.latest_message or {}).get("entities") or []
        if e.get("extractor") == EXTRACTOR and (e.get("entity") in CLINICAL_SLOTS or e.get("entity") in GENERIC)
    ]


def _field_of(entity: Dict[str, Any]) -> str:
    read_as = entity.get(READ_AS)
    return read_as if entity.get("entity") in GENERIC and read_as in CLINICAL_SLOTS else entity["entity"]


def _read(values: List[Tuple[str, str]]) -> List[Tuple[str, Any]]:
    out = []
    for label, text in values:
        if label in GENERIC:
            continue
        try:
            out.append((label, normalize(label, text).value))
        except NormalizationError:
            continue
    return out


def _corrected(text: str, case: Dict[str, Any]) -> List[Tuple[str, Any]]:
    """ "0.05 not 0.5": the value of the last case that was 0.5 becomes 0.05 (read for that field)."""
    out = []
    for m in _CORRECTION.finditer(text or ""):
        try:
            old = float(m.group("old").replace(",", "."))
        except ValueError:
            continue
        for slot, value in case.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(float(value) - old) < 1e-9:
                try:
                    out.append((slot, normalize(slot, m.group("new")).value))
                except NormalizationError:
                    pass
    return out


def _assessment_form(assessment: str) -> Optional[str]:
    return next((name for name, f in FORMS.items() if f.assessment == assessment), None)


class ReadCase(Action):
    def name(self) -> Text:
        return "action_read_case"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        values = message_values(tracker)
        read = _read(values)
        text = (tracker.latest_message or {}).get("text") or ""
        correction = any(e.get("entity") == "correction" for e in (tracker.latest_message or {}).get("entities") or [])
        last = tracker.get_slot("last_assessment") or {}
        if last.get("case"):
            events = self._update_last(dispatcher, tracker, last, read, text, correction)
            if events is not None:
                await AUDIT.settle()  # the audit row is stored before the recomputed recommendation is sent
                return events
        pending = list(tracker.get_slot("pending_values") or []) + [list(v) for v in values]
        if read:
            head = "Read: " + ", ".join(show(slot, value, text) for slot, value in read) + "."
        elif values:
            head = "Noted."
        else:
            head = ""
        ask = "Which assessment should I run? I keep these values for it." if head else "Which assessment do you mean?"
        dispatcher.utter_message(text=f"{head} {ask}".strip(), buttons=BUTTONS)
        return [SlotSet("pending_values", pending or None)]

    def _update_last(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        last: Dict[str, Any],
        read: List[Tuple[str, Any]],
        text: str,
        correction: bool,
    ) -> Optional[List[EventType]]:
        """A correction, or a value the last assessment was missing: the same assessment, recomputed."""
        case = dict(last["case"])
        form = FORMS.get(_assessment_form(case.get("assessment", "")) or "")
        missing = set((last.get("assessment") or {}).get("missing_inputs") or [])
        changes = _corrected(text, case) if correction else []
        changes += [(s, v) for s, v in read if s not in {c for c, _ in changes} and (correction or s in missing)]
        changes = [(s, v) for s, v in changes if form and s in form.slots]
        if not changes:
            return None
        lines = []
        for slot, value in changes:
            before = case.get(slot)
            case[slot] = value
            now = show(slot, value, text)
            lines.append(f"{show(slot, before)} → {now}" if before is not None else now)
        dispatcher.utter_message(text="Updated the last assessment: " + "; ".join(lines) + ".")
        sources = {k: v for k, v in (last.get("sources") or {}).items() if k not in {s for s, _ in changes}}
        return recommend(dispatcher, tracker, case, sources)  # a changed value was typed now: no old "from"


class NewPatient(Action):
    def name(self) -> Text:
        return "action_new_patient"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        cleared = ["last_assessment", "cards", "last_answer", "pending_values"]
        events = [ActiveLoop(None)] + reset_events() + [SlotSet(s, None) for s in cleared]
        given = message_values(tracker)  # "next patient: trough 800 ng/mL 24 h post": the new patient's values
        done = "Ready for a new patient: the values, the open assessment and the cards of the last one are cleared."
        if given:
            dispatcher.utter_message(text=f"{done} I keep the values you gave for the new patient: which assessment?",
                                     buttons=BUTTONS)  # fmt: skip
            return events + [SlotSet("pending_values", [list(v) for v in given])]
        dispatcher.utter_message(text=f"{done} Ask a question or give the new patient's values.")
        return events

"""Form validation: values are read by the decision module's normaliser, never re-implemented here.

One validator per form of ``dialogue/forms.py`` (made from it below; the forms differ only in their
description there). Each turn:
1. extraction: specific entities were mapped by the domain (mapping conditions); here generic
   ``percent``/``duration`` entities and a bare answer are given to the slot being asked for;
2. validation: each new value goes through ``knowledge.normalize``; a bad value gets a message
   naming the expected form, the slot is re-asked, and after 3 failed answers the user is offered
   to skip the value or stop; a bad correction keeps the earlier good value;
3. the next missing value is asked with a question that names its unit.
"""

import logging
import math
import re
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from dialogue.forms import BOUND, FORMS, IMPLIED_BY, SKIP_HINT, UNKNOWN, VALUES, choice_buttons, show, show_bound
from knowledge import UNITS
from knowledge.normalize import BOUND_SIGNS, UNIT_NEEDED, UNKNOWN_WORDS, NormalizationError
from reading.answers import answer, not_done
from reading.context import in_context
from reading.model import MessageReading
from reading.reader import READ_AS

logger = logging.getLogger(__name__)

PERCENT_SLOTS = ("bcr_abl1_is", "adherence_pct")
DOSE_SLOTS = ("dose_mg", "standard_dose_mg")
DURATION_SLOTS = ("months_on_tki", "mmr_months", "dmr_months", "days_at_current_dose", "hours_since_dose")
FAMILIES = (DURATION_SLOTS + ("duration",), PERCENT_SLOTS + ("percent",), DOSE_SLOTS)  # values of one kind
# intents whose text is never taken as a value unless it reads as one (FAQ, stop, why… go to their rules)
VALUE_INTENTS = {"inform", "affirm", "deny", "skip", "nlu_fallback"}
MAX_FAILURES = 3
# slots the extraction sets that are not values to validate: kept as set
PASSED_THROUGH = ("series", "pending_values")
# markup, code or a formula ("<script>alert(1)</script>", "x=1;", "10^400 %"): never read as an answer,
# whatever number is in it
CODE = re.compile(r"</?[a-z][^>]*>|[{};=]|[a-z]\(|\d\s*(\^|\*\*)\s*\d", re.I)  # and "10^400": a formula
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


CORRECTED = re.compile(
    r"(?P<new>[-+]?\d+(?:[.,]\d+)?\s*(?:%|[a-zµ/]+)?)\s*,?\s+(?:not|instead of|rather than)\s+"
    r"(?P<old>[-+]?\d+(?:[.,]\d+)?\s*(?:%|[a-zµ/]+)?)",
    re.I,
)
DOSE_FOR = re.compile(
    r"^\s*(?:mg)?\s*(?:daily|od|once daily|once a day|bd|bid|twice daily|a day)?\s*(?:for|x|×|over|since)\s*"
    r"(?:about\s+|approx\.?\s+|~|the\s+(?:last|past)\s+)?$",
    re.I,
)


def message_reading(tracker: Tracker) -> Optional[MessageReading]:
    """The latest message's reading, made once by the NLU (``reading.read``); None for a message without one
    (a button's payload, a message from before the reading existed)."""
    return MessageReading.of_message(tracker.latest_message)


def follow_up_values(tracker: Tracker, form_slots: List[str], already: set) -> Dict[str, Any]:
    """The last card's values for a new assessment that follows up on it ("should I escalate to 600 or
    switch?"): a message that gives at most one value of its own and asks about it (issue 20: a follow-up about
    the same patient keeps the case). A message giving a patient's values is a new case: nothing is carried."""
    case = dict(((tracker.get_slot("last_assessment") or {}).get("case")) or {})
    read_once = message_reading(tracker)
    if not case or read_once is None or read_once.kind not in ("question", "case") or len(read_once.values) > 1:
        return {}
    if "?" not in read_once.text and not re.search(
        r"\b(what|which|should|shall|can|could|would)\b", read_once.text, re.I
    ):
        return {}
    return {f: v for f, v in case.items() if f in form_slots and f not in already and tracker.get_slot(f) is None}


def with_unit_of(tracker: Tracker, slot: str, written: str) -> str:
    """A bare number that corrects a value is in that value's unit: the unit it was typed in ("1800 nmol/L" →
    "1900 nmol/L"), else the unit the slot holds ("870" for a trough in ng/mL → "870 ng/mL")."""
    if slot not in UNIT_NEEDED or not BARE_NUMBER.fullmatch(written.strip()):
        return written
    source = str((tracker.get_slot("value_sources") or {}).get(slot) or "")
    typed = re.fullmatch(r"\s*[~≈]?\s*[\d.,]+\s*(?P<unit>[a-zµμ/%][\w/µμ %]*)\s*", source, re.I)
    unit = typed.group("unit") if typed and not source.startswith(IMPLIED_BY) else UNITS.get(slot, "")
    return f"{written.strip()} {unit}".strip()


def _same(slot: str, written: str, value: float) -> bool:
    """Whether ``written`` ("5", "0.5 %") is the value a slot holds (read for that slot when it can be)."""
    try:
        return abs(float(answer(slot, written, unit_named=True).value) - float(value)) < 1e-6
    except (NormalizationError, TypeError, ValueError):
        try:
            return abs(float(re.sub(r"[^\d.,-]", "", written).replace(",", ".")) - float(value)) < 1e-6
        except ValueError:
            return False


BARE_NUMBER = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)?)(?![\w.,%]|[.,]\d)")
CLEARLY_CLOSER = 2.0  # the value corrected must be this many times closer (in ratio) than any other


def _bare_number_correction(tracker: Tracker, text: str, form_slots: List[str]) -> Dict[str, Any]:
    """ "Actually it was 870": one number without a unit corrects the value it can only be, a value it reads
    as that is closest in size to it (a trough of 780, not a dose of 400 nor 14 days); {} when unclear."""
    numbers = BARE_NUMBER.findall(text)
    if len(numbers) != 1:
        return {}
    written = numbers[0]
    distances = []
    for slot in form_slots:
        current = tracker.get_slot(slot)
        if not isinstance(current, (int, float)) or isinstance(current, bool) or current <= 0:
            continue
        try:
            new = float(answer(slot, written, unit_named=True).value)
        except (NormalizationError, TypeError, ValueError):
            continue
        if new > 0:
            distances.append((abs(math.log(new / float(current))), slot))
    distances.sort()
    if not distances or (len(distances) > 1 and distances[1][0] < CLEARLY_CLOSER * max(distances[0][0], 1e-9)):
        return {}
    if distances[0][0] > math.log(3):  # not a correction of any value given: three times off or more
        return {}
    return {distances[0][1]: with_unit_of(tracker, distances[0][1], written)}


def _last_set(tracker: Tracker, slots: List[str]) -> Optional[str]:
    """The slot among ``slots`` set most recently before the latest user message."""
    before_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            before_user = True
            continue
        if (
            before_user
            and event.get("event") == "slot"
            and event.get("name") in slots
            and event.get("value") is not None
        ):
            return event.get("name")
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
        """The form's slots, from dialogue/forms.py (the server does not send the domain)."""
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

    # complexity: one pass over a form turn's reading, in the order the spec's precedence asks
    async def get_extraction_events(  # noqa: C901 (the reason is above)
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        requested = tracker.get_slot("requested_slot")
        already = set(tracker.slots_to_validate())
        entities = _latest_entities(tracker)
        form_slots = FORMS[self.form].slots
        found: Dict[str, Any] = {}
        events: List[EventType] = []
        pending = tracker.get_slot("pending_values") or []
        if pending and requested is None:  # the form's start: values given before it, kept for it
            entities = [{"entity": label, "value": value} for label, value in pending] + entities
            for label, value in pending:
                if label in form_slots and label not in already and tracker.get_slot(label) is None:
                    found[label] = value
            events.append(SlotSet("pending_values", None))
        if requested is None and not pending:  # a follow-up about the patient of the last card keeps that case
            carried = follow_up_values(tracker, form_slots, already)
            if carried:
                found.update(carried)
                dispatcher.utter_message(
                    text="Same patient as the last card: I keep its values. Say 'new patient' to start afresh."
                )
        generic = [e for e in entities if e.get("entity") in ("percent", "duration")]
        text = ((tracker.latest_message or {}).get("text") or "").strip()
        correcting = CORRECTION.search(text) is not None
        read_once = message_reading(tracker)
        if requested is None and read_once is not None and read_once.kind == "case":
            # the form's start: a generic span is the field the reading gave it ("blasts 12 %" is no level)
            for e in generic:
                field = e.get(READ_AS)
                if field in form_slots and field not in already and field not in found:
                    found[field] = e.get("value")
            generic = []
        if read_once is not None and requested:
            side = in_context(read_once, asked=requested, known={s: tracker.get_slot(s) for s in form_slots})
            if side.kind == "question":  # "ok so can I reduce her to 300?": asked, not an answer to the form
                return events + [SlotSet(k, v) for k, v in found.items()]
            asked = side.values.get(requested)
            if asked is not None and asked.value is not None and re.search(r"\d", asked.text) and not CODE.search(text):
                found[requested] = asked.text  # the number the answer gives ("… refills patchy, prob ~80 %")
            if side.kind == "correction":  # "no the pcr is 0.003% not 0.1": the field it names, not the one asked
                correcting = True
                for name, v in side.values.items():
                    if name in form_slots and v.cued and v.value is not None and name != requested:
                        found[name] = v.text
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
        points = (read_once.series if read_once is not None else []) if "bcr_abl1_is" in form_slots else []
        points = [] if correcting else points
        if points and not _agrees(points[-1], entities):
            points = []  # the message names a later result than the series' newest: the series is not the case
        if points:  # several results with their times: the newest is the assessment's, the series is shown
            newest = points[-1]
            found["bcr_abl1_is"] = f"{newest.value:g} %"
            if newest.months is not None and "months_on_tki" in form_slots:
                found["months_on_tki"] = f"{newest.months:g} months"
            events.append(SlotSet("series", [[p.value, p.months] for p in points]))
        if correcting:
            found.update(self._corrections(tracker, text, entities, already, form_slots))
        found.update(self._dose_durations(tracker, text, entities, found, form_slots))
        if requested is None and read_once is None and "months_on_tki" in form_slots:
            # the form's start without a reading: a time given with a level is the time on imatinib
            levels = [e for e in entities if e.get("entity") in ("bcr_abl1_is", "percent")]
            times = [e for e in entities if e.get("entity") == "duration"]
            if levels and times and "months_on_tki" not in found and tracker.get_slot("months_on_tki") is None:
                found["months_on_tki"] = times[0].get("value")
        if requested and requested not in already and requested not in found and not correcting:
            # an answer's value read for another field of the same kind answers the question asked:
            # asked for the days on this dose, "been on 400 for over a year" is not the time on imatinib
            family = next((f for f in FAMILIES if requested in f), ())
            kin = [e for e in entities if e.get("entity") in family and e.get("entity") != requested]
            if kin:
                found[requested] = kin[0].get("value")
                other = kin[0]["entity"]
                if other in form_slots:
                    found[other] = _previous_value(tracker, other)
        if requested and requested not in already and requested not in found and not correcting:
            value_intent = _latest_intent(tracker) in VALUE_INTENTS
            answer_text = _answer_to(requested, text, entities, form_slots, value_intent)
            if answer_text:
                found[requested] = answer_text
        return events + [SlotSet(k, v) for k, v in found.items()]

    def _corrections(
        self, tracker: Tracker, text: str, entities: List[Dict[str, Any]], already: set, form_slots: List[str]
    ) -> Dict[str, Any]:
        """A correction names its value: "it's 2 months not 5" changes the value that was 5; a value of one
        kind with no field of its own ("actually four days") corrects the last value of that kind given."""
        out: Dict[str, Any] = {}
        for m in CORRECTED.finditer(text):
            for slot in form_slots:
                current = tracker.get_slot(slot)
                if (
                    isinstance(current, (int, float))
                    and not isinstance(current, bool)
                    and _same(slot, m["old"], current)
                ):
                    out[slot] = with_unit_of(tracker, slot, m["new"])
        if out:
            return out
        for e in entities:
            family = next((f for f in FAMILIES if e.get("entity") in f), ())
            if not family or e.get("entity") in already and e.get("entity") in form_slots:
                continue
            last = _last_set(tracker, [s for s in family if s in form_slots])
            if last:
                out[last] = e.get("value")
        if not out and not entities:
            out.update(_bare_number_correction(tracker, text, form_slots))
        return out

    def _dose_durations(
        self, tracker: Tracker, text: str, entities: List[Dict[str, Any]], found: Dict[str, Any], form_slots: List[str]
    ) -> Dict[str, Any]:
        """ "On 400 mg for 3 weeks": the time on this dose; in a trough interpretation that is the days at the
        current dose (steady state), elsewhere the time on imatinib (``Form.dose_duration``)."""
        target = FORMS[self.form].dose_duration
        out: Dict[str, Any] = {}
        doses = [e for e in entities if e.get("entity") == "dose_mg" and "end" in e]
        for e in entities:
            if e.get("entity") not in ("months_on_tki", "duration") or "start" not in e or e.get("entity") == target:
                continue
            if any(0 <= e["start"] - d["end"] <= 30 and DOSE_FOR.match(text[d["end"] : e["start"]]) for d in doses):
                if target in form_slots and tracker.get_slot(target) is None and target not in found:
                    out[target] = e.get("value")
                    if e.get("entity") in form_slots:
                        out[e["entity"]] = _previous_value(tracker, e["entity"])
        return out

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
        sources: Dict[str, str] = dict(tracker.get_slot("value_sources") or {})
        failures = float(tracker.get_slot("failed_attempts") or 0)
        text = ((tracker.latest_message or {}).get("text") or "").strip()
        correcting = CORRECTION.search(text) is not None
        bounds: Dict[str, str] = {}  # values given as bounds, as they are shown ("BCR-ABL1 MR4 (≤ 0.01 % IS)")
        for slot, raw in candidates.items():
            result = self._validate(slot, raw, tracker, dispatcher, notes, requested, correcting, bounds)
            if isinstance(raw, str) and slot in result:
                converted = converted_from(raw, result[slot], slot)
                if slot in bounds:
                    sources[slot] = BOUND + bounds[slot]
                elif converted:
                    sources[slot] = converted
                else:
                    sources.pop(slot, None)
            out.update(result)
            if slot == requested:
                failures = 0 if result.get(slot) is not None else failures + 1
        accepted = [  # what this message changed (a value kept as it was is not "read")
            (s, out[s])
            for s in candidates
            if isinstance(candidates[s], str)
            and out.get(s) not in (None, UNKNOWN)
            and out.get(s) != _previous_value(tracker, s)
        ]
        implied = self._mmr_implied_by_mr4(tracker, out, sources)
        out.update(implied)
        read = [bounds.get(s) or show(s, v, text) for s, v in accepted]
        read += [show(s, v).replace(" for ", " for at least ", 1) + " (implied by MR4)" for s, v in implied.items()]
        answered_elsewhere = requested is not None and all(s != requested for s, _ in accepted)
        if read and (requested is None or len(read) >= 2 or answered_elsewhere):  # say in one line what was read
            dispatcher.utter_message(text="Read: " + ", ".join(read) + ".")
        if not candidates:  # nothing new this turn: return no slot, so the form can be rejected
            changed = tracker.slots_to_validate()
            return [SlotSet(k, changed[k]) for k in PASSED_THROUGH if k in changed]
        if requested in candidates and out.get(requested) is None and failures >= MAX_FAILURES:
            dispatcher.utter_message(text=SKIP_HINT)
        out["failed_attempts"] = failures
        out["value_notes"] = notes or None
        out["value_sources"] = sources or None
        # what the extraction set besides the values (rasa-sdk keeps only what validation returns)
        changed = tracker.slots_to_validate()
        out.update({k: changed[k] for k in PASSED_THROUGH if k in changed})
        if "bcr_abl1_is" in candidates and "series" not in changed and tracker.get_slot("series"):
            out["series"] = None  # a level given on its own replaces the series' newest: the series no longer holds
        tracker.slots.update(out)
        return [SlotSet(k, v) for k, v in out.items()]

    def _mmr_implied_by_mr4(self, tracker: Tracker, out: Dict[str, Any], sources: Dict[str, str]) -> Dict[str, Any]:
        """MR4 (≤ 0.01 %) held for N months is MMR (≤ 0.1 %) held for at least N months: the form does not ask
        for the duration of MMR when that of MR4 was given (the lower bound is what the rules need)."""
        if "mmr_months" not in FORMS[self.form].slots:
            return {}
        mmr = out.get("mmr_months", tracker.get_slot("mmr_months"))
        dmr = out.get("dmr_months", tracker.get_slot("dmr_months"))
        rederived = str(sources.get("mmr_months") or "").startswith(IMPLIED_BY) and "dmr_months" in out
        if (mmr is not None and not rederived) or not isinstance(dmr, (int, float)) or isinstance(dmr, bool):
            return {}
        sources["mmr_months"] = f"{IMPLIED_BY}MR4 for {dmr:g} months"
        return {"mmr_months": dmr}

    def _validate(
        self,
        slot: str,
        raw: Any,
        tracker: Tracker,
        dispatcher: CollectingDispatcher,
        notes: List[str],
        requested: Optional[str] = None,
        correcting: bool = False,
        bounds: Optional[Dict[str, str]] = None,
    ) -> Dict[str, Any]:
        previous = _previous_value(tracker, slot)
        if raw is None or raw == UNKNOWN:
            return {slot: raw}
        if not isinstance(raw, str):  # already canonical (set by an earlier validation)
            return {slot: raw}
        numeric_before = isinstance(previous, (int, float)) and not isinstance(previous, bool)
        if numeric_before and slot != requested and not correcting and not re.search(r"\d", raw):
            # a word in passing ("MR4 or better for 3 years" about the MR4 duration) does not replace a number
            # already given; a new number does (and is shown as an update), as does a correction; a word value
            # that differs ("progressed to accelerated phase") is an update
            return {slot: previous}
        try:
            n = answer(slot, raw, unit_named=slot == requested and VALUES[slot].unit_named)
        except NormalizationError as e:
            if raw.strip().lower().rstrip(".!") in UNKNOWN_WORDS or not_done(raw, slot):  # "skip", "not done yet", …
                dispatcher.utter_message(text=f"Noted: {_label(slot)} unknown.")
                return {slot: UNKNOWN}
            logger.debug("value for %s rejected", slot)
            label = _label(slot)
            if e.read:  # "not in MMR": read as the bound it is; the form then asks for the level itself
                kept = f" I kept the earlier value, {_fmt(previous)}." if previous is not None else ""
                dispatcher.utter_message(text=f"Noted: {e.message}.{kept}")
                return {slot: previous}
            if previous is not None:
                dispatcher.utter_message(
                    text=f"I could not use that as {label} ({e.message}). I kept the earlier value, {_fmt(previous)}."
                )
                return {slot: previous}
            end = "" if e.message.endswith(("?", ".")) else "."  # a question the message asks ends it
            dispatcher.utter_message(text=f"I could not read that as {label}: {e.message}{end}")
            return {slot: None}
        value = UNKNOWN if n.value is None else n.value
        if n.bound and bounds is not None:
            bounds[slot] = show_bound(slot, BOUND_SIGNS[n.bound], n.value, n.word)
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
            dispatcher.utter_message(text=VALUES[missing].question, buttons=choice_buttons(missing))
        return SlotSet("requested_slot", missing)


_UNITS_CONVERTED = re.compile(
    r"µmol|umol|\bmmol|year|yr|\by\b|week|wk|day|\bd\b|log|\bmr\s*\d|bid|b\.d|twice|tds", re.I
)


def _agrees(newest: Any, entities: List[Dict[str, Any]]) -> bool:
    """Whether the newest point of a series is the result the extractor read as the patient's latest level
    and time (a series never replaces a level or a time on imatinib given beside it)."""
    for label, wanted in (("bcr_abl1_is", newest.value), ("months_on_tki", newest.months)):
        found = [e.get("value") for e in entities if e.get("entity") == label]
        if not found:
            continue
        try:
            read = [answer(label, str(v)).value for v in found]
        except NormalizationError:
            return False
        numbers = [float(r) for r in read if isinstance(r, (int, float)) and not isinstance(r, bool)]
        if label == "months_on_tki":
            if wanted is None or any(r > wanted for r in numbers):
                return False  # "on imatinib for 24 months … 0.9 % at 6 months": the series is not the latest
        elif not any(abs(r - wanted) < 1e-9 for r in numbers):
            return False  # the level read as the patient's latest is not the series' newest
    return True


def _answer_to(
    requested: str, text: str, entities: List[Dict[str, Any]], form_slots: List[str], value_intent: bool
) -> Optional[str]:
    """The text that answers the question asked, when no entity did: the whole message, or, when it also
    gave other values of this form ("trough not done", "100% adherent" asked for the dose), what is left
    once those are taken out, if that reads as the answer ("no, and she takes 95 %": "no")."""
    if not text or text.startswith("/") or CODE.search(text):
        return None
    others = sorted(
        (e for e in entities if e.get("entity") in form_slots and e.get("entity") != requested and "start" in e),
        key=lambda e: -e["start"],
    )
    if not others:
        readable = text.lower().rstrip(".!") in UNKNOWN_WORDS or not_done(text, requested)
        return text if readable or _reads_as(requested, text) or value_intent else None
    rest = text
    for e in others:
        rest = rest[: e["start"]] + " " + rest[e["end"] :]
    rest = rest.strip(" ,;.-")
    return rest if rest and (not_done(rest, requested) or _reads_as(requested, rest)) else None


def converted_from(raw: str, value: Any, slot: str = "") -> Optional[str]:
    """What a number was read from when it was not typed as it is ("2.1 µmol/L", "a year and a half",
    "MR4.5", "400 mg bid"); None for a number typed in the unit shown, and for words and choices."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    plain = re.sub(r"(?<=\d),(?=\d{3}\b)", "", raw)  # "1,000 ng/mL" is 1000
    numbers = re.findall(r"\d+(?:[.,]\d+)?", plain)
    unit = re.sub(r"\bdays?\b|\bd\b", "", plain) if slot == "days_at_current_dose" else plain  # days: its unit
    typed = (
        len(numbers) == 1
        and abs(float(numbers[0].replace(",", ".")) - float(value)) < 1e-9
        and not _UNITS_CONVERTED.search(unit)
    )
    return None if typed else re.sub(r"\bumol", "µmol", raw.strip()[:60])


def _reads_as(slot: str, text: str) -> bool:
    try:
        answer(slot, text)
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

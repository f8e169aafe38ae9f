"""The assessment forms: which values each asks for, in which order, under which conditions.

This is the only place a form is described. From it:
- ``bot/build_domain.py`` generates the domain's forms, clinical slots with their mappings, entities and
  form actions, and the rules that start, submit and interrupt each form;
- ``actions/validation.py`` makes one validator per form, ``actions/assessment.py`` one assessment action.

A form *asks* for its values in order, each when its condition holds (``Ask.when``); it also *accepts*
values a clinician volunteers without asking for them. ``VALUES`` holds each value's label and question
(UI text, not clinical facts). No Rasa import: the domain builder reads this module too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from knowledge import ASSESSMENT_NAMES, FIELDS, UNKNOWN, PatientCase, assess, value_text
from knowledge.normalize import NormalizationError, normalize
from reading.speech import ASSESSMENT_INTENTS

IMPLIED_BY = "implied by "  # a value_sources entry for a value another one implies (not typed, not converted)

Slots = Mapping[str, Any]


@dataclass(frozen=True)
class Value:
    label: str  # how a message names it ("adherence (%)")
    question: str  # how a form asks for it, naming the expected form and unit
    unit_named: bool = False  # the question names the unit, so a bare number answering it is in that unit


VALUES: Dict[str, Value] = {  # knowledge/fields.py names each field once
    name: Value(f.label, f.question, f.unit_named) for name, f in FIELDS.items() if f.question
}

# the answers a closed question offers as buttons (the form reads the payload as typed text)
CHOICES: Dict[str, Tuple[Tuple[str, str], ...]] = {name: f.choices for name, f in FIELDS.items() if f.choices}


def choice_buttons(slot: str) -> List[Dict[str, str]]:
    return [{"title": title, "payload": payload} for title, payload in CHOICES.get(slot, ())]


# how a value read from a message is shown back ("Read: trough 888 ng/mL, 24 h after the dose, …")
SHOWN = {name: f.shown for name, f in FIELDS.items()}


BOUND = "bound "  # a value_sources entry for a value given as a bound ("MR4", "over 5 years"): how it is shown


def show_bound(slot: str, sign: str, value: float, word: Optional[str] = None) -> str:
    """A bound as a clinician reads it: "BCR-ABL1 MR4 (≤ 0.01 % IS)", "MMR for ≥ 24 months" (spec v1.2: never
    the bare number)."""
    bound = SHOWN.get(slot, slot.replace("_", " ") + ": {}").format(f"{sign} {value:g}")
    return f"BCR-ABL1 {word} ({sign} {value:g} % IS)" if word and slot == "bcr_abl1_is" else bound


def show(slot: str, value: Any, said: str = "") -> str:
    """A value as a clinician reads it: "trough 890 ng/mL", "400 mg/day", "mutations: none found". A number
    found as it is in ``said`` (the message it was read from) was typed so: shown with every digit typed."""
    typed = isinstance(value, (int, float)) and re.search(rf"(?<![\d.]){re.escape(f'{value:g}')}(?!\d)", said)
    return SHOWN.get(slot, slot.replace("_", " ") + ": {}").format(value_text(slot, value, bool(typed)))


def shown_value(slot: str, value: Any, as_typed: bool = False) -> str:
    """A value after its title on a card: "890 ng/mL", "grade 2", "none found" (``as_typed``: every digit)."""
    return FIELDS[slot].value(value_text(slot, value, as_typed))


def bound_value(slot: str, shown: str) -> str:
    """A bound as ``show_bound`` wrote it, after its title: "MR4 (≤ 0.01 % IS)", "≥ 24 months"."""
    before, after = SHOWN.get(slot, "{}").split("{}")
    core = shown[len(before) :] if shown.startswith(before) else shown
    if after and core.endswith(after):
        return FIELDS[slot].value(core[: -len(after)])
    return core


SKIP_HINT = (
    "I still could not read that. You can say 'skip' to leave this value unknown (the assessment "
    "will name it as missing) or 'stop' to leave the assessment."
)


# --- conditions on the values given so far


def given(slot: str) -> Callable[[Slots], bool]:
    return lambda slots: slots.get(slot) not in (None, UNKNOWN)


def not_given(slot: str) -> Callable[[Slots], bool]:
    return lambda slots: slots.get(slot) in (None, UNKNOWN)


def equals(slot: str, value: Any) -> Callable[[Slots], bool]:
    return lambda slots: slots.get(slot) == value


def outside_chronic_phase(slots: Slots) -> bool:
    phase = slots.get("phase")
    if isinstance(phase, str) and phase not in ("chronic", "accelerated", "blast", UNKNOWN):
        try:  # a value the validator has not read yet ("blast crisis")
            phase = normalize("phase", phase).value
        except NormalizationError:
            return False
    return phase in ("accelerated", "blast")


_RESPONSE_FIELDS = ("months_on_tki", "bcr_abl1_is", "mutations", "response_confirmed", "response_status")


def suboptimal(slots: Slots) -> bool:
    """The rules classify the response so far as warning or failure."""
    data = {f: slots.get(f) for f in _RESPONSE_FIELDS if slots.get(f) not in (None, UNKNOWN)}
    try:
        case = PatientCase(**data)
    except (ValueError, TypeError):  # values not validated yet: not known
        return False
    return assess(case, "response").response_status in ("warning", "failure")


@dataclass(frozen=True)
class Ask:
    slot: str
    when: Optional[Callable[[Slots], bool]] = None  # asked only when this holds (None: always)


@dataclass(frozen=True)
class Form:
    name: str  # the Rasa form, e.g. "tdm_form"
    assessment: str  # the decision module's assessment
    title: str  # how rules and messages name it
    intent: str  # the intent that starts it
    label: str  # how a clinician names it on a button or a card, e.g. "Trough level (TDM)"
    asks: Tuple[Ask, ...]
    accepts: Tuple[str, ...] = ()
    fixed: Mapping[str, Any] = field(default_factory=dict)  # values implied by the form itself
    dose_duration: str = "months_on_tki"  # what "on 400 mg for 3 weeks" gives: time on imatinib, or on this dose
    settled_by: Tuple[str, ...] = ()  # rules whose firing settles the answer: nothing more is asked

    @property
    def slots(self) -> List[str]:
        """Every value the form keeps: what it may ask, then what it accepts."""
        return [a.slot for a in self.asks] + [s for s in self.accepts if s not in {a.slot for a in self.asks}]

    def needed(self, slots: Slots) -> List[str]:
        """What the form asks for, given the values so far (nothing outside chronic phase: the rules then
        refer the patient, whatever else is known)."""
        if outside_chronic_phase(slots):
            return []
        asked = [a.slot for a in self.asks if a.when is None or a.when(slots)]
        if self.settled(slots):  # the answer stands; a grade 3-4 toxicity still comes first (TOX-1)
            return [s for s in asked if s == "ae_grade"]
        return asked

    def settled(self, slots: Slots) -> bool:
        """The values so far fire a rule that settles the answer whatever else is given ("went up to 800 for a
        failure": an earlier failure makes no patient a candidate for reduction, RED-4)."""
        if not self.settled_by:
            return False
        data = {f: slots.get(f) for f in self.slots if slots.get(f) not in (None, UNKNOWN)}
        data.update(self.fixed)
        try:
            case = PatientCase(**data)
        except (ValueError, TypeError):  # values not validated yet: not known
            return False
        return bool(set(assess(case, self.assessment).rules_fired) & set(self.settled_by))

    def request(self, slots: Slots) -> Dict[str, Any]:
        """The decision module's input from the form's values (``unknown`` is left out: missing)."""
        data: Dict[str, Any] = {"assessment": self.assessment}
        for name in self.slots:
            value = slots.get(name)
            if value not in (None, UNKNOWN):
                data[name] = value
        data.update(self.fixed)
        return data


def _asks(*slots: str, **conditions: Callable[[Slots], bool]) -> Tuple[Ask, ...]:
    return tuple(Ask(s, conditions.get(s)) for s in slots)


_NO_STATUS = not_given("response_status")

FORMS: Dict[str, Form] = {
    f.name: f
    for f in (
        Form(
            "response_form",
            "response",
            "response",
            ASSESSMENT_INTENTS["response"],
            ASSESSMENT_NAMES["response"].title,
            _asks("months_on_tki", "bcr_abl1_is"),
            accepts=(
                "response_confirmed",
                "mutations",
                "adherence_pct",
                "trough_ng_ml",
                "dose_mg",
                "drug_interaction_concern",
                "phase",
            ),
        ),
        Form(
            "dose_reduction_form",
            "dose_reduction",
            "dose reduction",
            ASSESSMENT_INTENTS["dose_reduction"],
            ASSESSMENT_NAMES["dose_reduction"].title,
            _asks(
                "bcr_abl1_is",
                "mmr_months",
                "months_on_tki",
                "dose_mg",
                "adherence_pct",
                "ae_grade",
                "goal",
                "prior_tki_failure",
                "dmr_months",
                dmr_months=equals("goal", "tfr"),
            ),
            accepts=("ddpcr_mr45", "mutations", "phase"),
            settled_by=("RED-3", "RED-4"),  # under 3 years of therapy, or an earlier failure or a mutation
        ),
        Form(
            "tdm_form",
            "tdm",
            "tdm",
            ASSESSMENT_INTENTS["tdm"],
            ASSESSMENT_NAMES["tdm"].title,
            _asks(
                "trough_ng_ml",
                "hours_since_dose",
                "days_at_current_dose",
                "dose_mg",
                "adherence_pct",
                "ae_grade",
                "months_on_tki",
                "bcr_abl1_is",
                "mutations",
                months_on_tki=_NO_STATUS,
                bcr_abl1_is=_NO_STATUS,
                mutations=suboptimal,
            ),
            accepts=("dosing", "drug_interaction_concern", "response_status", "phase"),
            dose_duration="days_at_current_dose",
        ),
        Form(
            "workup_form",
            "suboptimal_workup",
            "workup",
            ASSESSMENT_INTENTS["suboptimal_workup"],
            ASSESSMENT_NAMES["suboptimal_workup"].title,
            _asks(
                "months_on_tki",
                "bcr_abl1_is",
                "adherence_pct",
                "trough_ng_ml",
                "mutations",
                "dose_mg",
                months_on_tki=_NO_STATUS,
                bcr_abl1_is=_NO_STATUS,
            ),
            accepts=(
                "drug_interaction_concern",
                "response_confirmed",
                "days_at_current_dose",
                "hours_since_dose",
                "dosing",
                "response_status",
                "phase",
            ),
        ),
        Form(
            "mutation_form",
            "mutation",
            "mutation",
            ASSESSMENT_INTENTS["mutation"],
            ASSESSMENT_NAMES["mutation"].title,
            _asks("mutations"),
            accepts=("phase",),
        ),
        Form(
            "post_reduction_form",
            "post_reduction",
            "post reduction",
            ASSESSMENT_INTENTS["post_reduction"],
            ASSESSMENT_NAMES["post_reduction"].title,
            _asks("bcr_abl1_is", "standard_dose_mg"),
            accepts=("dose_mg", "mutations", "phase"),
            fixed={"on_reduced_dose": True},
        ),
    )
}

CLINICAL_SLOTS: List[str] = []
for _form in FORMS.values():
    CLINICAL_SLOTS += [s for s in _form.slots if s not in CLINICAL_SLOTS]

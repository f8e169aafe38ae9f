"""Each input field and each assessment named once: how people read it, how a form asks for it, how it is shown.

The decision module's inputs (spec v1.2 section 1) are the fields; this registry holds what people see of them (UI
text, not clinical facts): a label and a short label, the phrase that names it in a sentence ("I still need the
trough level"), the question a form asks (naming the expected form and unit), how a value read from a message is
shown back, the record's name for it (CDS Hooks: what a missing value is called in the EHR) and the answers a
closed question offers as buttons. Every other table (the forms, the read-back, the card's missing inputs, the
widget, the CDS cards, ``read``'s output) is derived from it. Pure data; no import of the project.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple

from .thresholds import ng, pct

UNKNOWN = "unknown"  # a value left unknown on purpose ("skip" in a form); the rules then name it as missing


@dataclass(frozen=True)
class Field:
    name: str  # the decision module's input name
    unit: Optional[str]  # the spec's canonical unit, None for a choice, a flag or a list
    label: str  # how a message names it ("adherence (%)")
    short: str  # a short name on a card ("I still need: trough level")
    phrase: str  # how a sentence names it ("I still need the trough level")
    shown: str  # how a value is read back, with {} for the value ("trough {} ng/mL")
    question: str = ""  # how a form asks for it, naming the expected form and unit ("" if never asked)
    unit_named: bool = False  # the question names the unit, so a bare number answering it is in that unit
    record: Optional[str] = None  # what the EHR record calls it when it is missing (CDS Hooks)
    choices: Tuple[Tuple[str, str], ...] = ()  # (button title, payload typed as text) for a closed question

    @property
    def title(self) -> str:
        """The label at the head of a line, without its unit: "Trough: 790 ng/mL" on a card's "Based on"."""
        name = self.label.split(" (")[0]
        return name[:1].upper() + name[1:]

    def value(self, text: str) -> str:
        """A value as written after its title: with its unit ("790 ng/mL"; a grade, a choice or a flag bare)."""
        return f"{text} {self.unit}" if self.unit and self.unit != "CTCAE grade" else text


@dataclass(frozen=True)
class AssessmentName:
    id: str  # the spec's assessment name
    title: str  # on a button and a chat card ("Trough level (TDM)")
    record_title: str  # on an EHR card, with its guideline ("Response to imatinib (ELN 2020 milestones)")
    opener: str  # how a chat that an EHR card opens starts ("Interpret this trough:")


FIELDS: Dict[str, Field] = {
    f.name: f
    for f in (
        Field(
            "bcr_abl1_is",
            unit="% IS",
            label="BCR-ABL1 (% IS)",
            short="BCR-ABL1 result (% IS)",
            phrase="the latest BCR-ABL1 level (% IS)",
            shown="BCR-ABL1 {} % IS",
            question=(
                "What is the latest BCR-ABL1 level on the International Scale? (e.g. 0.008 %, "
                "MR4.5, or a log reduction such as 3.5 log)"
            ),
            record="BCR-ABL1 result (% IS)",
        ),
        Field(
            "months_on_tki",
            unit="months",
            label="time on imatinib (months)",
            short="time on imatinib",
            phrase="the time on imatinib",
            shown="{} months on imatinib",
            question="How long has the patient been on imatinib? (e.g. 5 years, 18 months, a year and a half)",
            record="imatinib start date",
        ),
        Field(
            "mmr_months",
            unit="months",
            label="duration of MMR (months)",
            short="time in MMR",
            phrase="how long MMR has lasted",
            shown="MMR for {} months",
            question="For how long has the patient been in MMR without a break? (e.g. 30 months)",
            record="BCR-ABL1 series",
        ),
        Field(
            "dmr_months",
            unit="months",
            label="duration of MR4 (months)",
            short="time in deep molecular response",
            phrase="how long MR4 has lasted",
            shown="MR4 for {} months",
            question="For how long has the patient been in MR4 or deeper? (e.g. 26 months; 'skip' if unknown)",
        ),
        Field(
            "dose_mg",
            unit="mg/day",
            label="current dose (mg/day)",
            short="current dose",
            phrase="the current imatinib dose",
            shown="{} mg/day",
            question="What is the current imatinib dose? (e.g. 400 mg daily, 400 mg bid; 100–800 mg/day)",
            record="current imatinib dose",
        ),
        Field(
            "standard_dose_mg",
            unit="mg/day",
            label="standard dose (mg/day)",
            short="dose before the reduction",
            phrase="the dose before the reduction",
            shown="{} mg/day before the reduction",
            question="What was the dose before the reduction (the standard dose)? (e.g. 400 mg)",
        ),
        Field(
            "adherence_pct",
            unit="%",
            label="adherence (%)",
            short="adherence",
            phrase="the adherence",
            shown="adherence {} %",
            question=(
                "How adherent is the patient? (a percentage of doses taken, e.g. 95 %, 'misses 2 "
                "doses a week' or 'never misses'; 'skip' if unknown)"
            ),
            record="adherence (% of doses taken)",
        ),
        Field(
            "ae_grade",
            unit="CTCAE grade",
            label="adverse-event grade",
            short="adverse-event grade",
            phrase="the worst adverse-event grade",
            shown="adverse event grade {}",
            question="What is the worst current adverse event, as a CTCAE grade 0–4? (e.g. grade 2 oedema, 'none')",
            record="adverse-event grade (CTCAE)",
        ),
        Field(
            "goal",
            unit=None,
            label="goal of reduction",
            short="goal (tolerability or treatment-free remission)",
            phrase="the goal of a reduction",
            shown="goal: {}",
            question=(
                "Why is a reduction considered: adverse events (tolerability), a step toward "
                "treatment-free remission (TFR), or neither?"
            ),
            record="goal of a dose reduction (a Goal: TFR or tolerability)",
            choices=(("Tolerability", "tolerability"), ("Toward TFR", "TFR"), ("Neither", "neither")),
        ),
        Field(
            "prior_tki_failure",
            unit=None,
            label="earlier TKI failure",
            short="earlier TKI resistance or failure",
            phrase="any earlier TKI failure",
            shown="earlier TKI failure: {}",
            question="Has the patient ever had resistance or failure on a TKI? (yes / no)",
            choices=(("Yes", "yes"), ("No", "no")),
        ),
        Field(
            "trough_ng_ml",
            unit="ng/mL",
            label="trough (ng/mL)",
            short="trough level",
            phrase="the trough level",
            shown="trough {} ng/mL",
            question=(
                "What is the imatinib trough level, with its unit? (e.g. 850 ng/mL, 2.1 µmol/L; "
                "'none yet' if no level was measured)"
            ),
            record="imatinib trough level",
        ),
        Field(
            "hours_since_dose",
            unit="h",
            label="hours after the dose",
            short="hours since the last dose",
            phrase="the hours between the last dose and the sample",
            shown="{} h after the dose",
            question="How many hours after the last dose was the sample drawn? (e.g. 24 h)",
            unit_named=True,
            record="hours from the last dose to the trough sample",
        ),
        Field(
            "days_at_current_dose",
            unit="days",
            label="days on the current dose",
            short="days on the current dose",
            phrase="the days on the current dose before the sample",
            shown="{} days on this dose",
            question="How many days had the patient been on the current dose when the sample was drawn? (e.g. 10 days)",
            unit_named=True,
            record="start date of the current dose",
        ),
        Field(
            "mutations",
            unit=None,
            label="mutations",
            short="mutation results",
            phrase="the kinase-domain mutation result",
            shown="mutations: {}",
            question="Result of BCR-ABL1 kinase-domain mutation testing? (e.g. T315I, 'none found', or 'not tested')",
            record="kinase-domain mutation analysis",
            choices=(("None found", "none found"), ("Not tested", "not tested")),
        ),
        Field(
            "drug_interaction_concern",
            unit=None,
            label="drug-interaction concern",
            short="suspected drug interaction",
            phrase="whether a drug interaction is suspected",
            shown="drug interaction suspected: {}",
            question="Is a drug interaction suspected (e.g. a CYP3A4 inhibitor or inducer)? (yes / no)",
            choices=(("Yes", "yes"), ("No", "no")),
        ),
        Field(
            "ddpcr_mr45",
            unit=None,
            label="ddPCR MR4.5",
            short="ddPCR MR4.5 result",
            phrase="the ddPCR MR4.5 result",
            shown="ddPCR MR4.5: {}",
            question="Did ddPCR at the planned reduction show MR4.5? (yes / no / not done)",
            choices=(("Yes", "yes"), ("No", "no"), ("Not done", "not done")),
        ),
        Field(
            "response_confirmed",
            unit=None,
            label="confirmed by repeat test",
            short="confirmation by a repeat test",
            phrase="whether the result was confirmed",
            shown="confirmed by a repeat test: {}",
            question="Was the latest result confirmed by a repeat test? (yes / no)",
            choices=(("Yes", "yes"), ("No", "no")),
        ),
        Field(
            "phase",
            unit=None,
            label="phase",
            short="CML phase",
            phrase="the CML phase",
            shown="{} phase",
            question="Which phase is the CML in? (chronic, accelerated or blast)",
            choices=(("Chronic", "chronic phase"), ("Accelerated", "accelerated phase"), ("Blast", "blast phase")),
        ),
        Field(
            "dosing",
            unit=None,
            label="dosing schedule",
            short="schedule (once or twice daily)",
            phrase="the dosing schedule",
            shown="{}",
            question="Is imatinib taken once or twice daily?",
            choices=(("Once daily", "once daily"), ("Twice daily", "twice daily")),
        ),
        Field(
            "response_status",
            unit=None,
            label="response classification",
            short="response classification",
            phrase="the response classification",
            shown="response: {}",
            question="How would you classify the response: optimal, warning or failure?",
            choices=(("Optimal", "optimal"), ("Warning", "warning"), ("Failure", "failure")),
        ),
        Field(
            "on_reduced_dose",
            unit=None,
            label="on a reduced dose",
            short="whether the dose was reduced",
            phrase="whether the dose was reduced",
            shown="on a reduced dose: {}",
            record="the dose before the current one",
        ),
    )
}

ASSESSMENT_NAMES: Dict[str, AssessmentName] = {
    a.id: a
    for a in (
        AssessmentName(
            "response",
            title="Response to imatinib",
            record_title="Response to imatinib (ELN 2020 milestones)",
            opener="Response check:",
        ),
        AssessmentName(
            "dose_reduction",
            title="Dose reduction",
            record_title="Dose reduction and treatment-free remission",
            opener="Can I reduce the dose?",
        ),
        AssessmentName(
            "tdm", title="Trough level (TDM)", record_title="Imatinib trough level", opener="Interpret this trough:"
        ),
        AssessmentName(
            "suboptimal_workup",
            title="Suboptimal response work-up",
            record_title="Work-up of a suboptimal response",
            opener="Work-up:",
        ),
        AssessmentName(
            "mutation",
            title="TKI choice for a mutation",
            record_title="Kinase-domain mutation: choice of TKI",
            opener="Which TKI next?",
        ),
        AssessmentName(
            "post_reduction",
            title="After a dose reduction",
            record_title="After a dose reduction",
            opener="Follow-up after a dose reduction:",
        ),
    )
}


def value_text(slot: str, value: Any, as_typed: bool = False) -> str:
    """The bare value as a clinician reads it, without its unit: "888", "none found", "no", "once daily". A
    derived number is shown as an assay reports it (a trough to 10 ng/mL, a percentage to 3 significant digits,
    never across a threshold); ``as_typed``: the number was typed as it is, and a "Read:" states what was
    written, every digit."""
    if as_typed and isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:g}"
    if isinstance(value, (int, float)) and not isinstance(value, bool) and slot == "trough_ng_ml":
        return ng(value).removesuffix(" ng/mL")  # to 10 ng/mL, as an assay reports it
    if isinstance(value, (int, float)) and not isinstance(value, bool) and slot in ("bcr_abl1_is", "adherence_pct"):
        return pct(value).removesuffix(" %")  # to 3 significant digits, never across a threshold
    if isinstance(value, float) and slot == "days_at_current_dose" and value >= 10 and value != int(value):
        return f"about {value:.0f}"  # "3 months" is 91.3 days; far from the steady-state threshold, whole days read
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return ", ".join(value) if value else "none found"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None or value == UNKNOWN:
        return "unknown"
    return str(value).replace("_", " ")


def said(slot: str, value: Any) -> str:
    """A value as a sentence names it: "trough 790 ng/mL", "60 months on imatinib", "mutations: none found"."""
    return FIELDS[slot].shown.format(value_text(slot, value))

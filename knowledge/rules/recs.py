"""Recommendations that several rules give: one place for each text.

Every detail carries its source keys inline (``[clark-2017]``) and lists them in ``citations``;
every threshold in a text comes from :mod:`knowledge.thresholds`.
"""

from __future__ import annotations

from typing import List

from .. import mutations as mut
from .. import thresholds as T
from .engine import Context, Draft

SWITCH_OPTIONS = ("dasatinib", "nilotinib", "bosutinib")  # second-generation TKIs [seed-2] [eln-2020]
ELN_2025 = (
    "ELN published a 2025 update; its abstract says the advice to switch TKI on failure of molecular "
    "milestones now better accounts for individual patient circumstances. The milestone numbers used "
    "here remain ELN 2020's [eln-2025]."
)


def fmt(v: float) -> str:
    return f"{v:g}"


def _what_adherence_holds_back(c: Context) -> str:
    if c.assessment == "dose_reduction":
        return "no dose reduction"
    trough = c.usable_trough
    if trough is None:
        return "no dose escalation or switch for adequate exposure"
    return "no dose escalation" if trough < T.TROUGH_TARGET_NG_ML else "no switch for adequate exposure"


def check_adherence(c: Context) -> Draft:
    a = c.case.adherence_pct
    known = "not known" if a is None else T.pct(a)
    if a is None:
        c.need("adherence_pct")
    if c.adherent:  # spec v1.2: where adherence is already confirmed it is not repeated as a warning
        return Draft(
            "check_adherence",
            f"Adherence is reported as {known}: confirm it stays above {T.pct(T.ADHERENCE_CONFIRMED_ABOVE_PCT)}.",
            "info",
            f"Adherence above {T.pct(T.ADHERENCE_CONFIRMED_ABOVE_PCT)} goes with far higher rates of major molecular "
            f"response than {T.pct(T.ADHERENCE_CONFIRMED_ABOVE_PCT)} or less (6-year MMR 94.5 % vs 28.4 %) "
            f"[marin-2010]; non-adherence is common (about one patient in three) [noens-2009], so it is worth "
            f"confirming at each review [seed-6].",
            ("marin-2010", "noens-2009", "seed-6"),
        )
    return Draft(
        "check_adherence",
        f"Check adherence first: {_what_adherence_holds_back(c)} until {T.ADHERENCE_CONFIRMED} of doses "
        f"are confirmed taken.",
        "warning",
        f"Reported adherence is {known}. Adherence of {T.pct(T.ADHERENCE_CONFIRMED_ABOVE_PCT)} or less goes "
        f"with far lower rates of major molecular response (6-year MMR 28.4 % vs 94.5 %) [marin-2010], and "
        f"non-adherence is common (about one patient in three) [noens-2009]. Poor adherence is a leading cause "
        f"of suboptimal response and should be addressed before any dose change [seed-6].",
        ("marin-2010", "noens-2009", "seed-6"),
    )


def review_interactions() -> Draft:
    return Draft(
        "review_drug_interactions",
        "Review interacting drugs (CYP3A4 inhibitors and inducers) that may change imatinib exposure.",
        "warning",
        "A suspected drug–drug interaction is one of the situations in which imatinib exposure should be "
        "reviewed and a trough level can help [seed-6] [seed-5].",
        ("seed-6", "seed-5"),
    )


def mutation_analysis() -> Draft:
    return Draft(
        "mutation_analysis",
        "Send BCR-ABL1 kinase-domain mutation analysis.",
        "warning",
        "Mutation testing is recommended on failure or a warning response; a detected mutation means a "
        "change of therapy, and the mutation profile guides the choice of TKI [soverini-2011] [seed-2]. "
        "A resistance mutation counts as failure at any time [eln-2020].",
        ("soverini-2011", "seed-2", "eln-2020"),
    )


def measure_trough() -> Draft:
    return Draft(
        "measure_trough",
        f"Measure an imatinib trough level at steady state (just before the next dose, after "
        f"{T.STEADY_STATE_DAYS_USUAL}).",
        "info",
        f"Exposure varies widely between patients; a trough above about {T.TROUGH_TARGET} goes with better "
        f"cytogenetic and molecular response [seed-5] [picard-2007]. Sample at steady state, just before "
        f"the next dose, and measure by LC-MS/MS [seed-6] [clarke-2021].",
        ("seed-5", "picard-2007", "seed-6", "clarke-2021"),
    )


def repeat_trough(c: Context) -> Draft:
    reasons = []
    if c.before_steady_state:
        reasons.append(
            f"only {fmt(c.case.days_at_current_dose)} days on the current dose (steady state needs "
            f"{T.STEADY_STATE_DAYS_USUAL} of consistent dosing)"
        )
    if c.outside_window:
        reasons.append(
            f"drawn {fmt(c.case.hours_since_dose)} h after a {c.dosing.replace('_', '-')} dose, "
            f"outside the {T.window_text(c.dosing)} trough window: not a trough sample"
        )
    level = c.case.trough_ng_ml
    head = f"The reported level ({T.ng(level)}) cannot guide the dose: " if level is not None else ""
    return Draft(
        "repeat_trough",
        f"Repeat the trough: sample just before the next dose after at least {T.STEADY_STATE_DAYS_USUAL} of "
        f"consistent dosing.",
        "warning",
        head + "; ".join(reasons) + ". A valid trough is drawn just before the next dose at steady state [seed-6].",
        ("seed-6",),
    )


def _avoid_sentence(avoid: List[str]) -> str:
    """Each avoided item with the source that supports it; where the evidence is silent, say so."""
    poor = [a for a in avoid if a in ("nilotinib", "dasatinib")]
    parts = []
    if poor:
        parts.append(f"{' and '.join(poor)}: poor response with these mutations [branford-2009]")
    if mut.IMATINIB_ESCALATION in avoid:
        parts.append("imatinib escalation: a detected mutation means a change of TKI [soverini-2011]")
    if "bosutinib" in avoid:
        parts.append(
            "bosutinib: avoided by these decision rules; none of the sources here studied "
            "bosutinib against these mutations"
        )
    return "Avoid " + "; ".join(parts) + "."


def switch_for_mutations(c: Context) -> List[Draft]:
    detected = c.detected
    choice = mut.choose(detected)
    names = ", ".join(detected)
    detail = (
        f"Detected mutation(s): {names}. A resistance mutation means failure and a change of TKI, "
        f"never imatinib dose escalation [eln-2020] [soverini-2011]. "
    )
    if choice.options and choice.unlisted:
        detail += (
            f"Options: {', '.join(choice.options)}: the default of these decision rules for a mutation they do not "
            f"list ({', '.join(choice.unlisted)}), not evidence of activity against it. "
        )
    elif choice.options:
        detail += f"Options for every detected mutation: {', '.join(choice.options)}. "
    else:
        detail += "No single TKI in these decision rules covers all of them. "
    if choice.avoid:
        detail += _avoid_sentence(choice.avoid) + " "
    cites = ["eln-2020", "soverini-2011", "seed-2"]
    if any(a in ("nilotinib", "dasatinib") for a in choice.avoid):
        cites.append("branford-2009")
    if "T315I" in detected:
        detail += (
            "For T315I, ponatinib or asciminib is the current guideline choice (the exact guideline "
            "table is unverified: the sources here could not confirm it); asciminib is given at a different dose for "
            "T315I, which the sources here do not state: check its label. "
        )
        c.assume(
            "Ponatinib or asciminib for T315I follows the decision rules' mutation table; its guideline source "
            "could not be confirmed, so only Branford et al. 2009 is cited for T315I."
        )
    drafts = [
        Draft(
            "switch_tki",
            f"Switch TKI guided by the mutation profile ({names[:60]}).",
            "critical",
            detail.strip(),
            tuple(cites),
            options=tuple(choice.options),
            avoid=tuple(choice.avoid),
            basis="mutation",
        )
    ]
    if choice.refer:
        why = (
            "a mutation outside the table (" + ", ".join(choice.unlisted) + ")"
            if choice.unlisted
            else "no TKI covers every detected mutation"
        )
        drafts.append(
            Draft(
                "refer_specialist",
                "Discuss with a CML specialist centre: mutation profile needs expert review.",
                "critical",
                f"Referral because of {why}; the table's default options for other mutations are "
                f"{', '.join(mut.OTHER_OPTIONS)}, chosen with expert advice [soverini-2011] [seed-2].",
                ("soverini-2011", "seed-2"),
                follows="switch_tki",
            )
        )
    return drafts


def switch_for_adequate_exposure(c: Context) -> Draft:
    trough = c.usable_trough
    tested = c.case.mutations is not None
    return Draft(
        "switch_tki",
        "Exposure is adequate yet response is inadequate: switch to another TKI.",
        "critical",
        f"Trough {T.ng(trough)} is at or above the {T.TROUGH_TARGET} target that goes with better response "
        f"[seed-5] [picard-2007], and adherence is confirmed: low exposure does not explain the inadequate "
        f"response, so a switch of TKI comes before a higher dose. Switch to a second-generation TKI "
        f"[seed-2] [eln-2020]"
        + ("." if tested else "; choose it once the mutation result is known [soverini-2011].")
        + " "
        + ELN_2025,
        ("seed-5", "picard-2007", "seed-2", "eln-2020", "eln-2025") + (() if tested else ("soverini-2011",)),
        options=SWITCH_OPTIONS,
        basis="exposure",
    )


def escalate_or_switch(c: Context) -> Draft:
    """WORKUP-5 / TDM-LOW: one step up; at the maximum dose a switch instead; no target on an unknown dose."""
    dose = c.dose("the escalation")
    trough = c.usable_trough
    level = f"trough {T.ng(trough)} is below {T.TROUGH_TARGET}" if trough is not None else "exposure is low"
    if dose is not None and dose >= T.MAX_DOSE_MG:
        return Draft(
            "switch_tki",
            f"At {T.MAX_DOSE_MG} mg/day with low exposure and no mutation: switch to a second-generation TKI.",
            "critical",
            f"The maximum imatinib dose of {T.MAX_DOSE_MG} mg/day has been reached and the {level}; switch to "
            f"{', '.join(SWITCH_OPTIONS)} [seed-2] [eln-2020]. " + ELN_2025,
            ("seed-2", "eln-2020", "eln-2025"),
            options=SWITCH_OPTIONS,
            basis="max_dose",
        )
    steps = " → ".join(str(s) for s in T.ESCALATION_STEPS_MG)
    if dose is None:
        target = None
        summary = (
            f"Escalate imatinib one step ({steps} mg/day; at {T.MAX_DOSE_MG} a switch instead); repeat the trough."
        )
        head = f"One step up from the current dose ({steps} mg/day; at {T.MAX_DOSE_MG} mg/day a switch instead). "
    else:
        target = next(s for s in T.ESCALATION_STEPS_MG if s > dose)
        if dose not in T.ESCALATION_STEPS_MG:
            c.assume(
                f"{dose} mg/day is not a standard step: escalation goes to the next standard step, {target} mg/day."
            )
        summary = f"Escalate imatinib from {dose} to {target} mg/day; repeat the trough at steady state."
        head = ""
    return Draft(
        "escalate_dose",
        summary,
        "warning",
        head + f"Adherence is confirmed, no mutation was found and the {level} [seed-5] [seed-6]. "
        f"Escalation to {'–'.join(str(s) for s in T.ESCALATION_STEPS_MG[1:])} mg/day can recover response after "
        f"suboptimal response [seed-2]. The evidence comes from haematological and cytogenetic resistance, not "
        f"from a molecular warning alone: in one series 65 % regained a haematological response and 56 % of "
        f"cytogenetic resistance responded [kantarjian-2003]; after cytogenetic failure 52 % reached CCyR "
        f"[jabbour-2009]. Raising the dose to reach at least {T.TROUGH_TARGET} gave higher molecular response in "
        f"OPTIM-imatinib [optim]. Higher levels go with more grade 3/4 neutropenia, rash, diarrhoea, myalgia and "
        f"oedema [guilhot-2012]. " + ELN_2025,
        ("seed-2", "seed-5", "seed-6", "kantarjian-2003", "jabbour-2009", "optim", "guilhot-2012", "eln-2025"),
        target_dose_mg=target,
    )


def continue_dose(summary: str, detail: str, citations) -> Draft:
    return Draft("continue_current_dose", summary, "info", detail, tuple(citations))


def refer_out_of_scope(phase: str) -> Draft:
    return Draft(
        "refer_specialist",
        f"{phase.capitalize()} phase is outside this tool: refer to a CML specialist centre.",
        "critical",
        "These rules cover chronic-phase CML on imatinib only. Accelerated and blast phase need "
        "specialist management under the full guideline [eln-2020].",
        ("eln-2020",),
    )


def milestone_text(c: Context) -> str:
    if not c.milestone_data:
        return ""
    return f"BCR-ABL1 {T.pct(c.level)} IS at {fmt(c.months)} months"


def first_milestone_pcr(c: Context) -> Draft:
    return Draft(
        "repeat_pcr",
        f"Too early to classify response: repeat BCR-ABL1 RQ-PCR at {T.FIRST_MILESTONE_MONTHS:g} months.",
        "info",
        f"{milestone_text(c)}: the first ELN 2020 milestone is at {T.FIRST_MILESTONE_MONTHS:g} months [eln-2020].",
        ("eln-2020",),
    )

"""TOX: severe toxicity in every assessment (spec v1.2), and the toxicity step TDM-TOX shares with it.

Severe toxicity comes before efficacy. The rules here are applied once, in the precedence step
(``precedence.resolve``), whatever the assessment: TOX-1 withholds imatinib first; TOX-2 says the dose
to resume at (TDM-TOX's step when a valid trough is known, otherwise one standard step down with a trough
at steady state afterwards) unless a switch is already indicated; TOX-3 holds the intolerance switch,
which rests on a low level, until adherence is confirmed. ``step`` is also TDM-TOX's own answer in
``tdm``, so the two paths cannot disagree.
"""

from __future__ import annotations

from typing import List, Optional

from .. import thresholds as T
from . import recs
from .engine import Context, Draft, Rule

_LABEL_STEPS = ", ".join(f"{d} → {T.toxicity_step(d)}" for d in T.TOXICITY_DOSES_MG[1:])  # "400 → 300, …"
ELN_2025_TOXICITY = (
    "ELN 2025's abstract favours dose reduction rather than a change of drug for managing toxicity [eln-2025]."
)


def interrupt(c: Context) -> Draft:
    grade = c.case.ae_grade
    return Draft(
        "interrupt_for_toxicity",
        f"Grade {grade} toxicity: withhold imatinib until the event has resolved, then resume at a lower dose.",
        "critical" if grade >= T.CRITICAL_AE_GRADE else "warning",
        f"For a severe adverse reaction the imatinib label advises withholding the drug until the event has "
        f"resolved, then resuming at a reduced dose ({_LABEL_STEPS} mg/day) [gleevec-label]. For neutropenia or "
        f"thrombocytopenia in chronic phase (ANC below {T.LABEL_STOP_ANC_BELOW:g} × 10⁹/L and/or platelets below "
        f"{T.LABEL_STOP_PLATELETS_BELOW} × 10⁹/L) it advises stopping until ANC is at least "
        f"{T.LABEL_RESUME_ANC_FROM:g} × 10⁹/L and platelets at least {T.LABEL_RESUME_PLATELETS_FROM} × 10⁹/L, "
        f"then resuming at {T.LABEL_RESUME_MG} mg, and at {T.LABEL_RECURRENCE_MG} mg if it recurs [gleevec-label].",
        ("gleevec-label",),
    )


def _reduce(c: Context, dose: Optional[int], target: Optional[int], why: str, cites) -> Draft:
    grade = c.case.ae_grade
    if dose is None:
        summary = f"Grade {grade} toxicity: resume one step lower ({_LABEL_STEPS} mg/day) after the interruption."
        step = f"Resume one standard step below the current dose ({_LABEL_STEPS} mg/day) [gleevec-label]. "
    else:
        summary = f"Grade {grade} toxicity: resume at {target} mg/day (from {dose}) after the interruption."
        step = f"Resume one standard step lower, {dose} → {target} mg/day [gleevec-label]. "
        if dose not in T.TOXICITY_DOSES_MG:
            c.assume(f"{dose} mg/day is not a standard dose: the toxicity step is the next lower standard dose.")
    return Draft(
        "reduce_dose_for_toxicity",
        summary,
        "critical" if grade >= T.CRITICAL_AE_GRADE else "warning",
        step + why + " " + ELN_2025_TOXICITY,
        ("gleevec-label",) + tuple(cites) + ("eln-2025",),
        target_dose_mg=target,
        rests_on=("ae_grade", "dose_mg"),
    )


def _switch_for_intolerance(c: Context, why: str, basis: str, cites) -> Draft:
    problems = "the toxicity problem" if c.status in (None, "optimal", "too_early") else "both problems"
    return Draft(
        "switch_tki",
        "Severe toxicity: switch TKI for intolerance.",
        "critical",
        f"{why} A change of TKI for intolerance answers {problems} [eln-2020]. " + ELN_2025_TOXICITY,
        tuple(cites) + ("eln-2020", "eln-2025"),
        options=recs.SWITCH_OPTIONS,
        basis=basis,
    )


def _measure_after(c: Context) -> List[Draft]:
    """A trough at steady state on the new dose, unless a repeat is already asked for."""
    if c.has("repeat_trough") or c.has("measure_trough"):
        return []
    d = recs.measure_trough()
    return [
        Draft(
            d.code,
            "After resuming at the lower dose, measure a trough at steady state (just before the next dose).",
            "info",
            d.detail,
            d.citations,
            follows="reduce_dose_for_toxicity",
        )
    ]


def _no_lower_step(c: Context, dose: int, with_trough: str = "") -> List[Draft]:
    return [
        _switch_for_intolerance(
            c,
            f"Grade {c.case.ae_grade} toxicity at {dose} mg/day{with_trough}: there is no lower standard step "
            f"({min(T.TOXICITY_DOSES_MG)} mg/day is the lowest).",
            "no_lower_step",
            ("gleevec-label",),
        )
    ]


def one_step_down(c: Context) -> List[Draft]:
    """TOX-2 without a valid trough: the label's step from the current dose, then a trough at steady state."""
    dose = c.dose("the toxicity step")
    target = None if dose is None else T.toxicity_step(dose)
    if dose is not None and target is None:
        return _no_lower_step(c, dose)
    why = "No valid trough is known, so whether exposure explains the toxicity is not known."
    return [_reduce(c, dose, target, why, ())] + _measure_after(c)


def step(c: Context) -> List[Draft]:
    """The dose to resume at after severe toxicity: TDM-TOX with a valid trough (TOX-3 inside), else TOX-2's."""
    trough = c.usable_trough
    if trough is None:
        return one_step_down(c)
    if trough >= T.TROUGH_TARGET_NG_ML:
        dose = c.dose("the toxicity step")
        target = None if dose is None else T.toxicity_step(dose)
        if dose is not None and target is None:
            return _no_lower_step(c, dose, f" with a trough of {T.ng(trough)}")
        where = "at" if trough == T.TROUGH_TARGET_NG_ML else "above"
        why = (
            f"The trough of {T.ng(trough)} is {where} the {T.TROUGH_TARGET} target, so exposure may contribute to "
            f"the toxicity and a lower dose can help [seed-6]. Higher levels went with more grade 3/4 neutropenia, "
            f"rash, diarrhoea, myalgia and oedema in TOPS [guilhot-2012], and with more fluid retention, rash, "
            f"myalgia and anaemia in IRIS [larson-2008]. Re-check the trough at steady state on the new dose and "
            f"keep it at or above {T.TROUGH_TARGET} [seed-5]: the median trough at 300 mg/day was 1040 ng/mL in TOPS "
            f"[guilhot-2012], so a lower dose may fall under the target. No validated upper limit of imatinib "
            f"concentration has been established (a study in GIST) [zhuang-2018]."
        )
        return [_reduce(c, dose, target, why, ("seed-6", "guilhot-2012", "larson-2008", "seed-5", "zhuang-2018"))]
    # trough below the target: the toxicity is not explained by exposure; the switch rests on that level
    if not c.adherent:
        c.fire("TOX-3")
        c.assume(
            f"The intolerance switch rests on a trough below {T.TROUGH_TARGET}, which missed doses may explain: it "
            f"waits until adherence is confirmed; meanwhile the dose is resumed one step lower."
        )
        if not c.has("check_adherence"):
            c.add(recs.check_adherence(c))
        return one_step_down(c)
    return [
        _switch_for_intolerance(
            c,
            f"Grade {c.case.ae_grade} toxicity with a trough of {T.ng(trough)} (below {T.TROUGH_TARGET}) and "
            f"confirmed adherence is not explained by exposure; lowering the dose would also lower an already "
            f"modest exposure [seed-5] [seed-6].",
            "intolerance",
            ("seed-5", "seed-6"),
        )
    ]


# --- the rules, applied in the precedence step

_DOSE_ANSWERS = ("reduce_dose_for_toxicity", "switch_tki", "resume_standard_dose")


def _tox_1(c: Context) -> None:
    c.drafts.insert(0, interrupt(c))
    dropped = [d.code for d in c.drafts if d.code in ("escalate_dose", "continue_current_dose")]
    c.drafts = [d for d in c.drafts if d.code not in dropped and d.follows not in dropped]
    if "escalate_dose" in dropped:
        c.assume(f"No dose escalation during grade {c.case.ae_grade} toxicity (severe toxicity comes first).")


TOX_1 = Rule(
    "TOX-1",
    f"A current grade {T.SEVERE_AE_GRADE}–4 adverse event comes before efficacy, in every assessment: imatinib is "
    f"withheld until the event has resolved, then resumed at a reduced dose; no escalation meanwhile "
    f"[gleevec-label].",
    when=lambda c: c.severe and not c.has("interrupt_for_toxicity"),
    then=_tox_1,
)


def _needs_step(c: Context) -> bool:
    if not c.severe or any(c.has(code) for code in _DOSE_ANSWERS):
        return False
    return not (c.assessment == "dose_reduction" and c.has("reduce_dose"))


TOX_2 = Rule(
    "TOX-2",
    f"After severe toxicity the dose is resumed one standard step lower ({_LABEL_STEPS} mg/day), or as TDM-TOX "
    f"says when a valid trough is known, with a trough at steady state afterwards; unless a switch is indicated "
    f"[gleevec-label] [eln-2025].",
    when=_needs_step,
    then=step,
)


TOX_3 = Rule(
    "TOX-3",
    f"The switch for intolerance rests on a trough below {T.TROUGH_TARGET}, so like every exposure-based switch it "
    f"waits for confirmed adherence; until then adherence is checked and the dose resumed one step lower "
    f"[marin-2010] [gleevec-label].",
    when=lambda c: False,  # fired by step() where it holds the switch back
)


def _warn_reduction(c: Context) -> None:
    d = c.get("reduce_dose")
    d.indicator = "critical" if c.case.ae_grade >= T.CRITICAL_AE_GRADE else "warning"


TOX_RED = Rule(
    "TOX-RED",
    f"A dose reduction for a patient with grade {T.SEVERE_AE_GRADE}–4 toxicity carries at least a warning, and "
    f"follows the interruption [gleevec-label].",
    when=lambda c: c.severe and c.has("reduce_dose") and c.get("reduce_dose").indicator == "info",
    then=_warn_reduction,
)

RULES = (TOX_1, TOX_2, TOX_RED)
DESCRIBED = (TOX_3,)  # fired inside step(); listed so that "why?" can explain it

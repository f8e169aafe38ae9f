"""The spec's "Precedence across rules", applied once for every assessment.

Before the rules, :func:`find_conflicts` names the values that contradict each other (spec v1.2), so that
no rule classifies a milestone on a contested time on therapy. After the rules, each line below is a
rule of its own (id, condition, effect, explanation) that fires only when it changes the outcome, so
"why?" can say what it did:

1. a detected mutation is decisive: the mutation-guided switch (WORKUP-4, unless MUT gave it) replaces
   any other switch, in every assessment;
2. severe toxicity comes before efficacy (TOX-1, TOX-2, ``toxicity``): imatinib withheld first, the dose to
   resume at, never an escalation;
3. an implausible trough is queried, not acted on;
4. adherence first: no escalation and no switch that rests on exposure while adherence is unconfirmed;
5. a switch and a dose change of imatinib (or continuing it) do not stand side by side;
6. the codes resting on contradictory values are held back until the conflict is resolved.
"""

from __future__ import annotations

from typing import Iterable, List

from .. import thresholds as T
from ..models import Conflict
from . import recs, toxicity
from .engine import Context, Draft, Rule, Step

DOSE_CHANGES = ("escalate_dose", "reduce_dose", "reduce_dose_for_toxicity", "resume_standard_dose")
EXPOSURE_BASED = ("exposure", "max_dose", "intolerance")
_LABEL = {
    "escalate_dose": "the dose escalation",
    "reduce_dose": "the dose reduction",
    "reduce_dose_for_toxicity": "the dose reduction for toxicity",
    "resume_standard_dose": "resuming the standard dose",
    "continue_current_dose": "continuing the current dose",
}


def _drop(c: Context, codes: Iterable[str]) -> None:
    """Remove the drafts with these codes, and those that only accompany them."""
    gone = set(codes)
    c.drafts = [d for d in c.drafts if d.code not in gone and d.follows not in gone]


def _is_switch(d, bases=None) -> bool:
    return d.code == "switch_tki" and (bases is None or d.basis in bases)


def _mutation_decides(c: Context):
    _drop(c, [d.code for d in c.drafts if _is_switch(d)])
    return recs.switch_for_mutations(c)


WORKUP_4 = Rule(
    "WORKUP-4",
    "A resistance mutation was found: the TKI is switched according to the mutation, never escalated, "
    "whatever the adherence, the toxicity or the trough [branford-2009] [soverini-2011].",
    when=lambda c: bool(c.detected) and not any(_is_switch(d, ("mutation",)) for d in c.drafts),
    then=_mutation_decides,
)


def _adherence_first(c: Context) -> None:
    c.drafts = [d for d in c.drafts if d.code != "escalate_dose" and not _is_switch(d, EXPOSURE_BASED)]


ADHERENCE_FIRST = Rule(
    "PREC-ADH",
    "Adherence first: while adherence is not confirmed there is no escalation and no switch for adequate "
    "exposure [marin-2010] [seed-6].",
    when=lambda c: not c.adherent and any(d.code == "escalate_dose" or _is_switch(d, EXPOSURE_BASED) for d in c.drafts),
    then=_adherence_first,
)


def _beside_switch(c: Context):
    return [d.code for d in c.drafts if d.code in DOSE_CHANGES + ("continue_current_dose",)]


def _problems(c: Context) -> str:
    efficacy = c.suboptimal or bool(c.detected)
    if efficacy and c.severe:
        return "both the efficacy and the toxicity problem"
    return "the toxicity problem" if c.severe else "the efficacy problem"


def _switch_alone(c: Context) -> None:
    left_out = _beside_switch(c)
    _drop(c, left_out)
    switch = c.get("switch_tki")
    switch.detail += (
        f" A change of TKI answers {_problems(c)}, so no imatinib dose change stands beside it (left out: "
        + ", ".join(_LABEL[x] for x in left_out)
        + ")."
    )


SWITCH_ALONE = Rule(
    "PREC-SWITCH",
    "A switch of TKI and a change of the imatinib dose do not stand side by side: the switch answers the "
    "efficacy or toxicity problem that the dose change would [eln-2020].",
    when=lambda c: c.has("switch_tki") and bool(_beside_switch(c)),
    then=_switch_alone,
)

# --- an implausible trough (spec v1.2: an operational convention, stated)


def _implausible(c: Context) -> List[Draft]:
    t = c.case.trough_ng_ml
    low = t < T.TROUGH_IMPLAUSIBLE_BELOW_NG_ML
    limit = (
        f"below {T.ng(T.TROUGH_IMPLAUSIBLE_BELOW_NG_ML)}" if low else f"above {T.ng(T.TROUGH_IMPLAUSIBLE_ABOVE_NG_ML)}"
    )
    c.assume(
        f"A trough {limit} is queried, not acted on (an operational convention): no dose change rests on {T.ng(t)}."
    )
    why = (
        "an almost absent level in a patient said to take imatinib points to missed doses or a sampling error"
        if low
        else "a level this high points to a sampling or laboratory problem (a sample taken soon after a dose, a "
        "unit mix-up)"
    )
    out = [recs.check_adherence(c)] if low and not c.has("check_adherence") else []
    out.append(
        Draft(
            "repeat_trough",
            f"Query the trough of {T.ng(t)}: check the sample and the laboratory, then repeat it before the next dose.",
            "warning",
            f"The reported level of {T.ng(t)} is implausible: {why}. Repeat it just before the next dose at "
            f"steady state, measured by LC-MS/MS [seed-6] [clarke-2021].",
            ("seed-6", "clarke-2021"),
        )
    )
    return out


IMPLAUSIBLE = Rule(
    "PREC-IMPLAUSIBLE",
    f"A trough below {T.ng(T.TROUGH_IMPLAUSIBLE_BELOW_NG_ML)} or above {T.ng(T.TROUGH_IMPLAUSIBLE_ABOVE_NG_ML)} is "
    f"queried (adherence, the sample, the laboratory) and repeated; no dose change rests on it [seed-6].",
    when=lambda c: c.implausible_trough and not c.has("repeat_trough"),
    then=_implausible,
)


# --- contradictions between values (spec v1.2)


def _months(v: float) -> str:
    return f"{v:g} month" + ("" if v == 1 else "s")


def _days(v: float) -> str:
    """Days as written, or, converted from months or years (3 years is 1095.84 days), in whole days with the
    months they came from."""
    if v == int(v):
        return f"{v:g} day" + ("" if v == 1 else "s")
    return f"about {v:.0f} days ({v / T.DAYS_PER_MONTH:.0f} months)"


def find_conflicts(c: Context) -> None:
    """Name every pair of values that cannot both be true; done once, before the rules."""
    k = c.case
    found = []
    if k.dmr_months is not None and k.mmr_months is not None and k.dmr_months > k.mmr_months:
        found.append(
            (
                ["dmr_months", "mmr_months"],
                f"MR4 for {_months(k.dmr_months)} cannot be longer than MMR for {_months(k.mmr_months)}",
            )
        )
    for f, name in (("mmr_months", "MMR"), ("dmr_months", "MR4")):
        v = getattr(k, f)
        if v is not None and k.months_on_tki is not None and v > k.months_on_tki:
            found.append(
                (
                    [f, "months_on_tki"],
                    f"{name} for {_months(v)} cannot be longer than {_months(k.months_on_tki)} on imatinib",
                )
            )
    days = k.days_at_current_dose
    # a day's grace: a record counts both the first and the last day, and months are often rounded
    if days is not None and k.months_on_tki is not None and days > k.months_on_tki * T.DAYS_PER_MONTH + 1:
        found.append(
            (
                ["days_at_current_dose", "months_on_tki"],
                f"{_days(days)} on the current dose cannot be longer than {_months(k.months_on_tki)} on imatinib",
            )
        )
    if k.on_reduced_dose and k.dose_mg is not None and k.standard_dose_mg is not None:
        if k.dose_mg >= k.standard_dose_mg:
            found.append(
                (
                    ["on_reduced_dose", "dose_mg", "standard_dose_mg"],
                    f"a reduced dose of {k.dose_mg} mg/day cannot be at or above the dose before the reduction "
                    f"({k.standard_dose_mg} mg/day)",
                )
            )
    for fields, message in found:
        c.conflicts.append(Conflict.construct(fields=fields, message=message))
        c.contested.update(fields)


# codes, and the fields they rest on, left out while those fields conflict
_HELD_BACK = {
    "reduce_dose": ("bcr_abl1_is", "mmr_months", "dmr_months", "months_on_tki"),
    "consider_tfr": ("mmr_months", "dmr_months", "months_on_tki"),
}
_HELD_TARGETS = {"resume_standard_dose": ("on_reduced_dose", "dose_mg", "standard_dose_mg")}
_HELD_LABEL = {"reduce_dose": "the dose reduction", "consider_tfr": "a TFR attempt"}


def _held(c: Context) -> List[str]:
    return [code for code, fields in _HELD_BACK.items() if c.has(code) and c.contested.intersection(fields)]


def _held_targets(c: Context) -> List[Draft]:
    return [
        d
        for d in c.drafts
        if d.code in _HELD_TARGETS and d.target_dose_mg is not None and c.contested.intersection(_HELD_TARGETS[d.code])
    ]


def _hold_back(c: Context) -> None:
    held = _held(c)
    targets = _held_targets(c)
    for conflict in c.conflicts:  # each conflict says what it holds back
        what = [_HELD_LABEL[x] for x in held if set(_HELD_BACK[x]) & set(conflict.fields)]
        what += ["the target dose"] * bool(
            targets and set(_HELD_TARGETS["resume_standard_dose"]) & set(conflict.fields)
        )
        if what:
            conflict.message += f" (held back until checked: {', '.join(what)})"
    _drop(c, held)
    for d in targets:
        d.target_dose_mg = None
        d.detail += " The target dose is held back until the conflicting doses are resolved."
    c.assume(
        "Held back until the conflicting values are checked: "
        + (", ".join(_HELD_LABEL[x] for x in held) if held else "the target dose")
        + "."
    )


CONFLICTS = Rule(
    "PREC-CONFLICT",
    "Values that contradict each other hold back the decisions that rest on them (a dose reduction, a TFR attempt, "
    "a resumed dose's target, a milestone class) until they are checked [eln-2020].",
    when=lambda c: bool(_held(c) or _held_targets(c)),
    then=_hold_back,
)


def _milestone_held(c: Context) -> None:
    c.assume("The response is not classified against the ELN milestones while the time on imatinib is contested.")


MILESTONE_HELD = Rule(
    "PREC-CONFLICT-MILESTONE",
    "A time on imatinib that contradicts another value is not used to classify the response [eln-2020].",
    when=lambda c: "months_on_tki" in c.contested and c.months is not None and c.level is not None,
    then=_milestone_held,
)


def _what_follows(c: Context) -> None:
    d = c.get("interrupt_for_toxicity")
    if c.has("switch_tki"):
        d.detail += " Here the next step is a change of TKI (below) rather than resuming imatinib."
    elif c.has("reduce_dose_for_toxicity"):
        d.detail += " The dose to resume at follows below."
    elif c.has("reduce_dose"):
        d.detail += " The dose reduction below follows once the event has resolved."
    elif c.has("resume_standard_dose"):
        d.detail += (
            " Resuming the dose used before the reduction, after loss of MMR, means going back to a dose that may "
            "have caused the toxicity: that needs clinical judgement."
        )


INTERRUPT_NEXT = Step(lambda c: _what_follows(c) if c.has("interrupt_for_toxicity") else None)

NO_DECISION = Rule(
    "NO-DECISION",
    "No rule could decide yet: the values the rules need are listed as missing [eln-2020].",
    when=lambda c: not c.fired,
)


def _only_if(holds, *steps) -> Step:
    """Steps that can only matter when ``holds``: skipped otherwise (most cases have no toxicity, no conflict)."""

    def do(c: Context) -> None:
        if holds(c):
            for step in steps:
                step.apply(c)

    return Step(do)


STEPS = (
    WORKUP_4,
    _only_if(lambda c: c.severe, *toxicity.RULES),
    _only_if(lambda c: c.case.trough_ng_ml is not None, IMPLAUSIBLE),
    ADHERENCE_FIRST,
    SWITCH_ALONE,
    _only_if(lambda c: bool(c.conflicts), MILESTONE_HELD, CONFLICTS),
    INTERRUPT_NEXT,
    NO_DECISION,
)
# every id "why?" can explain
RULES = (WORKUP_4, *toxicity.RULES, IMPLAUSIBLE, ADHERENCE_FIRST, SWITCH_ALONE, MILESTONE_HELD, CONFLICTS, NO_DECISION)
RULES += toxicity.DESCRIBED


def resolve(c: Context) -> None:
    for step in STEPS:
        step.apply(c)

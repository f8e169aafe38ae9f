"""The spec's "Precedence across rules", applied once, after the rules of any assessment.

Each line is a rule of its own (id, condition, effect, explanation) and fires only when it changes
the outcome, so "why?" can say what it did:

1. a detected mutation is decisive: the mutation-guided switch (WORKUP-4, unless MUT gave it) replaces
   any other switch, in every assessment;
2. adherence first: no escalation and no switch that rests on exposure while adherence is unconfirmed;
3. a switch and a dose change of imatinib (or continuing it) do not stand side by side.
"""

from __future__ import annotations

from typing import Iterable

from . import recs
from .engine import Context, Rule

DOSE_CHANGES = ("escalate_dose", "reduce_dose", "reduce_dose_for_toxicity", "resume_standard_dose")
EXPOSURE_BASED = ("exposure", "max_dose")
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


def _switch_alone(c: Context) -> None:
    left_out = _beside_switch(c)
    _drop(c, left_out)
    switch = c.get("switch_tki")
    switch.detail += (
        " A change of TKI answers both the efficacy and the toxicity problem, so no imatinib dose "
        "change stands beside it (left out: " + ", ".join(_LABEL[x] for x in left_out) + ")."
    )


SWITCH_ALONE = Rule(
    "PREC-SWITCH",
    "A switch of TKI and a change of the imatinib dose do not stand side by side: the switch answers both the "
    "efficacy and the toxicity problem [eln-2020].",
    when=lambda c: c.has("switch_tki") and bool(_beside_switch(c)),
    then=_switch_alone,
)

NO_DECISION = Rule(
    "NO-DECISION",
    "No rule could decide yet: the values the rules need are listed as missing [eln-2020].",
    when=lambda c: not c.fired,
)

RULES = (WORKUP_4, ADHERENCE_FIRST, SWITCH_ALONE, NO_DECISION)


def resolve(c: Context) -> None:
    for rule in RULES:
        rule.apply(c)

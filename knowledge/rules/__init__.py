"""The rule set of ``shared/decision-spec.md`` section 3 (rule set ``RULE_SET_VERSION``).

An assessment is an ordered list of steps (rules, and steps that read inputs), one module per
assessment; the precedence section of the spec is applied once, after them (``precedence``).
``assess(case, assessment)`` returns an :class:`~knowledge.models.Assessment`: recommendations in
the order a clinician acts, each citing the sources registry; ``rules_fired`` names every rule that
decided something and is never empty; choices the spec leaves open are stated in ``assumptions``
and listed in ``knowledge/ASSUMPTIONS.md``.

To add a rule: write one ``Rule`` (id, explanation with source keys, condition, recommendations) in
the module of its assessment and put it in that module's ``STEPS`` where a clinician would act on it.
"""

from __future__ import annotations

from typing import Dict, List

from ..models import Assessment, PatientCase
from ..vocab import ASSESSMENTS
from . import mutation, post_reduction, precedence, recs, reduction, response, sample, tdm, workup
from .engine import Context, Rule, run

STEPS = {
    "response": (sample.READ_TIMING, *response.STEPS, *workup.RULES),
    "suboptimal_workup": (sample.READ_TIMING, *workup.STEPS),
    "tdm": (sample.READ_TIMING, *tdm.STEPS),
    "dose_reduction": (sample.READ_TIMING, *reduction.STEPS),
    "post_reduction": (sample.READ_TIMING, *post_reduction.STEPS),
    "mutation": (sample.READ_TIMING, *mutation.STEPS),
}

SCOPE = Rule(
    "SCOPE",
    "The phase is accelerated or blast: these rules cover chronic phase only, so the patient is referred [eln-2020].",
    when=lambda c: c.case.phase not in (None, "chronic") and c.assessment != "dose_reduction",
    then=lambda c: [recs.refer_out_of_scope(c.case.phase)],
)
RED_SCOPE = Rule(
    "RED-SCOPE",
    "The phase is not chronic: dose reduction is not assessed outside chronic phase; refer [eln-2020].",
    when=lambda c: c.case.phase not in (None, "chronic") and c.assessment == "dose_reduction",
    then=lambda c: [recs.refer_out_of_scope(c.case.phase)],
)


def _registry() -> Dict[str, Rule]:
    rules = [SCOPE, RED_SCOPE, *precedence.RULES]
    for steps in STEPS.values():
        rules += [s for s in steps if isinstance(s, Rule)]
    out: Dict[str, Rule] = {}
    for r in rules:
        if out.setdefault(r.id, r) is not r:
            raise AssertionError(f"two rules share the id {r.id}")
    return out


RULES: Dict[str, Rule] = _registry()


def assess(case: PatientCase, assessment: str) -> Assessment:
    """Run one assessment of the spec on a validated case. Deterministic; no I/O."""
    if assessment not in STEPS:
        raise ValueError(f"unknown assessment {assessment!r}: expected one of {', '.join(ASSESSMENTS)}")
    c = Context(case, assessment)
    if case.phase is None:
        c.assume("Phase not given: taken as chronic phase.", fills=("phase", "chronic"))
    elif case.phase != "chronic":  # only the referral; a trough of unknown timing is still named (spec)
        return run(c, (sample.READ_TIMING, SCOPE, RED_SCOPE), lambda c: None)
    precedence.find_conflicts(c)
    return run(c, STEPS[assessment], precedence.resolve)


def explain(rule_ids: List[str]) -> List[str]:
    """One plain sentence per rule id (unknown ids are named, never dropped)."""
    return [f"{r}: {RULES[r].explain if r in RULES else 'no description available for this rule'}" for r in rule_ids]

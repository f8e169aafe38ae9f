"""RESP: the response against the ELN 2020 milestones, and what an optimal or warning response calls for.

The classification rules set ``c.status``; the first that holds decides (RESP-MUT, then the
milestone window of ``months_on_tki``, then the clinician's own classification). A failure leads
to the suboptimal-response work-up (``workup.STEPS``).
"""

from __future__ import annotations

from .. import thresholds as T
from . import recs
from .engine import Context, Rule, needs


def _classify(c: Context, status: str) -> None:
    given = c.case.response_status
    if given is not None and given != status:
        c.assume(
            f"The given classification '{given}' differs from the result '{status}' "
            f"({'a detected mutation' if c.detected else 'ELN 2020 milestones'}), which is used."
        )
    if c.level is not None and c.level > T.UNUSUAL_ABOVE_PCT:
        c.assume(
            f"BCR-ABL1 {T.pct(c.level)} IS is above {T.pct(T.UNUSUAL_ABOVE_PCT)}: unusual, check the laboratory report."
        )
    c.status = status


def _unclassified(c: Context) -> bool:
    return c.status is None


RESP_MUT = Rule(
    "RESP-MUT",
    "A BCR-ABL1 kinase-domain mutation counts as failure at any time [eln-2020].",
    when=lambda c: _unclassified(c) and bool(c.detected),
    then=lambda c: _classify(c, "failure"),
)


def _too_early(c: Context):
    _classify(c, "too_early")
    return [recs.first_milestone_pcr(c)]


RESP_0 = Rule(
    "RESP-0",
    f"Less than {T.FIRST_MILESTONE_MONTHS:g} months on imatinib: too early to classify the response; the first "
    f"milestone is at {T.FIRST_MILESTONE_MONTHS:g} months [eln-2020].",
    when=lambda c: _unclassified(c) and c.milestone_data and c.months < T.FIRST_MILESTONE_MONTHS,
    then=_too_early,
)


def _milestone_status(c: Context, m: T.Milestone) -> str:
    if c.level <= m.optimal_max:
        return "optimal"
    if m.warning_max is not None:
        return "warning" if c.level <= m.warning_max else "failure"
    if c.case.response_confirmed:
        return "failure"
    c.assume(
        f"Above {T.pct(m.optimal_max)} at {m.from_months:g} months counts as failure only once confirmed "
        f"by a repeat test within {T.CONFIRM_WITHIN}; not confirmed here, so warning."
    )
    return "warning"


def _milestone_explain(m: T.Milestone) -> str:
    if m.warning_max is None:
        zones = (
            f"≤ {T.pct(m.optimal_max)} is optimal; above it a warning, or failure once confirmed "
            f"within {T.CONFIRM_WITHIN}"
        )
    else:
        zones = (
            f"≤ {T.pct(m.optimal_max)} is optimal, above {T.pct(m.optimal_max)} to "
            f"{T.pct(m.warning_max)} a warning, above {T.pct(m.warning_max)} failure"
        )
    return f"{m.window().capitalize()} on imatinib: BCR-ABL1 {zones} (ELN 2020) [eln-2020]."


def _milestone_rule(m: T.Milestone) -> Rule:
    def when(c: Context) -> bool:
        return (
            _unclassified(c)
            and c.milestone_data
            and c.months >= m.from_months
            and (m.until_months is None or c.months < m.until_months)
        )

    return Rule(m.rule, _milestone_explain(m), when=when, then=lambda c: _classify(c, _milestone_status(c, m)))


MILESTONE_RULES = tuple(_milestone_rule(m) for m in T.MILESTONES)


def _given(c: Context) -> None:
    c.assume(
        f"Response taken as '{c.case.response_status}', the clinician's classification (months on "
        f"therapy and BCR-ABL1 not both given)."
    )
    _classify(c, c.case.response_status)


RESP_GIVEN = Rule(
    "RESP-GIVEN",
    "Months on therapy and BCR-ABL1 were not both given: the clinician's own classification of the "
    "response is used [eln-2020].",
    when=lambda c: _unclassified(c) and not c.milestone_data and c.case.response_status is not None,
    then=_given,
)

CLASSIFY = (RESP_MUT, RESP_0, *MILESTONE_RULES, RESP_GIVEN)


def _where(c: Context, default: str) -> str:
    return recs.milestone_text(c) or default


RESP_OPTIMAL = Rule(
    "RESP-OPTIMAL",
    "The response is optimal: continue the current dose with routine monitoring [eln-2020].",
    when=lambda c: c.status == "optimal" and c.assessment in ("response", "suboptimal_workup"),
    then=lambda c: [
        recs.continue_dose(
            "Optimal response: continue the current dose and routine monitoring.",
            f"{_where(c, 'The response')} meets the ELN 2020 milestone for an optimal response [eln-2020]. "
            + recs.ELN_2025,
            ("eln-2020", "eln-2025"),
        )
    ],
)


def _warning(c: Context):
    out = [recs.check_adherence(c)]
    if c.case.drug_interaction_concern:
        out.append(recs.review_interactions())
    if c.case.mutations is None:
        out.append(recs.mutation_analysis())
    out.append(
        recs.Draft(
            "repeat_pcr",
            f"Warning response: repeat BCR-ABL1 RQ-PCR within {T.WARNING_REPEAT_PCR}.",
            "warning",
            f"{_where(c, 'The response')} falls in the ELN 2020 warning zone: the response needs closer follow-up, "
            f"and the result decides whether a change of therapy is needed [eln-2020]. " + recs.ELN_2025,
            ("eln-2020", "eln-2025"),
        )
    )
    return out


RESP_WARNING = Rule(
    "RESP-WARNING",
    "A warning response: adherence is checked, interacting drugs reviewed when suspected, mutations tested "
    f"when not yet done, and RQ-PCR repeated within {T.WARNING_REPEAT_PCR} [eln-2020] [marin-2010].",
    when=lambda c: c.status == "warning" and c.assessment == "response",
    then=_warning,
)


STEPS = (*CLASSIFY, needs("months_on_tki", "bcr_abl1_is", when=_unclassified), RESP_OPTIMAL, RESP_WARNING)

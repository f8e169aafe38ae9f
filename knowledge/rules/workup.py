"""WORKUP: a suboptimal response or failure. The seed's order: adherence, then exposure, then mutations.

Runs as its own assessment, and inside ``response`` when the response is a failure. WORKUP-4 (a
detected mutation → the mutation-guided switch) is applied by ``precedence`` in every assessment.
"""

from __future__ import annotations

from .. import thresholds as T
from . import recs, response, sample
from .engine import Rule, needs, note

WORKUP_1 = Rule(
    "WORKUP-1",
    f"Adherence is {T.pct(T.ADHERENCE_CONFIRMED_ABOVE_PCT)} or less, or unknown: it is checked first, and the "
    f"dose is not escalated until adherence is confirmed [marin-2010] [seed-6].",
    when=lambda c: c.in_workup and not c.adherent,
    then=lambda c: [recs.check_adherence(c)],
)

WORKUP_7 = Rule(
    "WORKUP-7",
    "A drug interaction is suspected: interacting medicines are reviewed [seed-6].",
    when=lambda c: c.in_workup and bool(c.case.drug_interaction_concern),
    then=lambda c: [recs.review_interactions()],
)

WORKUP_2 = Rule(
    "WORKUP-2",
    "No trough level yet: exposure is measured next [seed-6].",
    when=lambda c: c.in_workup and c.case.trough_ng_ml is None and not c.detected,
    then=lambda c: [recs.measure_trough()],
)

WORKUP_3 = Rule(
    "WORKUP-3",
    "Mutations have not been tested: mutation analysis is requested [soverini-2011].",
    when=lambda c: c.investigating and c.case.mutations is None,
    then=lambda c: [recs.mutation_analysis()],
)


WORKUP_5 = Rule(
    "WORKUP-5",
    f"Adherence is confirmed, the trough is below {T.TROUGH_TARGET} and no mutation was found: the dose is "
    f"escalated one step ({' → '.join(str(s) for s in T.ESCALATION_STEPS_MG)} mg), or the TKI switched at "
    f"{T.MAX_DOSE_MG} mg [seed-2] [seed-5].",
    when=lambda c: c.in_workup and c.adherent and c.low_trough and c.case.mutations == [],
    then=lambda c: [recs.escalate_or_switch(c)],
)

WORKUP_6 = Rule(
    "WORKUP-6",
    f"Adherence is confirmed and the trough is at least {T.TROUGH_TARGET}: exposure is adequate, so a different "
    f"TKI is needed [seed-5] [seed-2].",
    when=lambda c: c.in_workup and c.adherent and c.adequate_trough and not c.detected,
    then=lambda c: [recs.switch_for_adequate_exposure(c)],
)

RULES = (WORKUP_1, WORKUP_7, sample.READ_WINDOW, sample.TDM_SS, sample.TDM_TIME, WORKUP_2, WORKUP_3, WORKUP_5, WORKUP_6)

STEPS = (
    *response.CLASSIFY,
    note(
        lambda c: "The response is optimal by ELN 2020 milestones: no work-up for suboptimal response is needed.",
        when=lambda c: c.status == "optimal",
    ),
    note(
        lambda c: (
            "Response not classified here (no months on therapy + BCR-ABL1, no classification given): "
            "the work-up is run as requested for a suboptimal response."
        ),
        when=lambda c: c.status is None,
    ),
    needs("months_on_tki", "bcr_abl1_is", when=lambda c: c.status is None),
    needs("adherence_pct", "mutations", when=lambda c: c.investigating),
    response.RESP_OPTIMAL,
    *RULES,
)

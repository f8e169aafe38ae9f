"""TDM: interpreting an imatinib trough level.

Sample validity first (TDM-SS, TDM-TIME: ``sample``), then the response (RESP), adherence and
interactions, severe toxicity (TDM-TOX) and the efficacy rules. Where a switch and a dose change
meet, ``precedence`` decides.
"""

from __future__ import annotations

from .. import thresholds as T
from . import recs, response, sample, toxicity
from .engine import Context, Rule, needs, note
from .workup import WORKUP_3


def _trough(c: Context) -> bool:
    return c.case.trough_ng_ml is not None


TDM_ADH = Rule(
    "TDM-ADH",
    "Adherence is not confirmed: a low level may reflect missed doses, so adherence is checked before any "
    "escalation [marin-2010].",
    when=lambda c: _trough(c) and not c.adherent,
    then=lambda c: [recs.check_adherence(c)],
)

TDM_DDI = Rule(
    "TDM-DDI",
    "A drug interaction is suspected: interacting medicines are reviewed [seed-6].",
    when=lambda c: _trough(c) and bool(c.case.drug_interaction_concern),
    then=lambda c: [recs.review_interactions()],
)


TDM_TOX = Rule(
    "TDM-TOX",
    f"Grade {T.SEVERE_AE_GRADE}–4 toxicity: with a trough of at least {T.TROUGH_TARGET} the dose is resumed at the "
    f"next lower standard dose (at {min(T.TOXICITY_DOSES_MG)} mg or less, a switch); with a lower trough the "
    f"toxicity is not explained by exposure and the TKI is switched for intolerance once adherence is confirmed. "
    f"No validated upper limit exists [seed-6] [gleevec-label] [zhuang-2018].",
    when=lambda c: c.usable_trough is not None and c.severe,
    then=toxicity.step,
)

TDM_LOW = Rule(
    "TDM-LOW",
    f"Trough below {T.TROUGH_TARGET} with a suboptimal response: escalation once adherence is confirmed and "
    f"mutations are excluded [seed-5] [seed-6].",
    when=lambda c: c.low_trough and c.suboptimal,
    then=lambda c: [recs.escalate_or_switch(c)] if c.adherent and c.case.mutations == [] else [],
)

TDM_LOW_OK = Rule(
    "TDM-LOW-OK",
    f"Trough below {T.TROUGH_TARGET} but the response is optimal: a level alone does not change a responder's "
    f"dose [seed-6].",
    when=lambda c: c.low_trough and c.status == "optimal",
    then=lambda c: [
        recs.continue_dose(
            f"Optimal response despite a trough below {T.TROUGH_TARGET}: continue the current dose.",
            f"Trough {T.ng(c.usable_trough)} with an optimal response [eln-2020]: TDM has its role in suboptimal "
            f"response, toxicity, interactions and adherence [seed-6], not in a responder, so the dose is kept.",
            ("eln-2020", "seed-6"),
        )
    ],
)

TDM_OK = Rule(
    "TDM-OK",
    f"Trough at least {T.TROUGH_TARGET} with a suboptimal response: exposure is adequate, so mutation analysis "
    f"and, once adherence is confirmed, a TKI switch follow [seed-5] [seed-2].",
    when=lambda c: c.adequate_trough and c.suboptimal,
    then=lambda c: [recs.switch_for_adequate_exposure(c)] if c.adherent and not c.detected else [],
)

TDM_OK_RESP = Rule(
    "TDM-OK-RESP",
    f"Trough at least {T.TROUGH_TARGET} with an optimal response and no severe toxicity: continue [seed-5].",
    when=lambda c: c.adequate_trough and c.status == "optimal" and not c.severe,
    then=lambda c: [
        recs.continue_dose(
            "Adequate exposure and optimal response: continue the current dose.",
            f"Trough {T.ng(c.usable_trough)} is at or above the {T.TROUGH_TARGET} target [seed-5] [picard-2007] and "
            f"the response is optimal [eln-2020].",
            ("seed-5", "picard-2007", "eln-2020"),
        )
    ],
)

STEPS = (
    needs("trough_ng_ml"),
    sample.READ_WINDOW,
    sample.TDM_SS,
    sample.TDM_TIME,
    *response.CLASSIFY,
    needs("months_on_tki", "bcr_abl1_is", when=lambda c: _trough(c) and c.status is None),
    note(
        lambda c: (
            "Without a response status the level cannot be judged against efficacy: give months on "
            "therapy and BCR-ABL1, or the response classification."
        ),
        when=lambda c: _trough(c) and c.status is None,
    ),
    TDM_ADH,
    TDM_DDI,
    note(
        lambda c: f"Adverse-event grade not given: no severe (grade ≥ {T.SEVERE_AE_GRADE}) toxicity assumed.",
        when=lambda c: c.usable_trough is not None and c.case.ae_grade is None,
        fills=("ae_grade", f"no severe (grade ≥ {T.SEVERE_AE_GRADE}) toxicity"),
    ),
    note(
        lambda c: (
            f"Grade ≥ {T.SEVERE_AE_GRADE} toxicity: the sample cannot show whether exposure explains it, so the "
            f"dose is resumed one standard step lower after the interruption."
        ),
        when=lambda c: _trough(c) and c.usable_trough is None and c.severe,
    ),
    TDM_TOX,
    WORKUP_3,
    TDM_LOW,
    TDM_LOW_OK,
    TDM_OK,
    TDM_OK_RESP,
)

"""TDM: interpreting an imatinib trough level.

Sample validity first (TDM-SS, TDM-TIME: ``sample``), then the response (RESP), adherence and
interactions, severe toxicity (TDM-TOX) and the efficacy rules. Where a switch and a dose change
meet, ``precedence`` decides.
"""

from __future__ import annotations

from .. import thresholds as T
from . import recs, response, sample
from .engine import Context, Draft, Rule, needs, note
from .workup import WORKUP_3


def _trough(c: Context) -> bool:
    return c.case.trough_ng_ml is not None


def _severe(c: Context) -> bool:
    return c.case.ae_grade is not None and c.case.ae_grade >= T.SEVERE_AE_GRADE


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


def _switch_for_intolerance(c: Context, why: str) -> Draft:
    return Draft(
        "switch_tki",
        "Severe toxicity: switch TKI for intolerance.",
        "critical",
        f"{why} Change to another TKI for intolerance [seed-2] [eln-2020]. No validated upper trough limit exists "
        f"[zhuang-2018].",
        ("seed-2", "eln-2020", "zhuang-2018"),
        options=recs.SWITCH_OPTIONS,
        basis="intolerance",
    )


def _toxicity(c: Context):
    trough, grade = c.usable_trough, c.case.ae_grade
    if trough < T.TROUGH_TARGET_NG_ML:
        return [
            _switch_for_intolerance(
                c,
                (
                    f"Grade {grade} toxicity with a trough of {T.ng(trough)} (below {T.TROUGH_TARGET}) is not "
                    f"explained by "
                    f"exposure; lowering the dose would also lower an already modest exposure [seed-5] [seed-6]."
                ),
            )
        ]
    dose = c.dose("the toxicity step")
    target = T.TOXICITY_STEPS_MG.get(dose) or next(
        (T.TOXICITY_STEPS_MG[s] for s in sorted(T.TOXICITY_STEPS_MG, reverse=True) if s < dose), None
    )
    if target is None:
        c.assume(
            f"{dose} mg/day is already at or below {min(T.TOXICITY_STEPS_MG.values())} mg/day: the rule set "
            f"has no lower step."
        )
        return [
            _switch_for_intolerance(
                c, f"Grade {grade} toxicity at {dose} mg/day, and no lower imatinib step is defined."
            )
        ]
    if dose not in T.TOXICITY_STEPS_MG:
        c.assume(f"{dose} mg/day is not a standard step: the next lower step, {target} mg/day, is used.")
    return [
        Draft(
            "reduce_dose_for_toxicity",
            f"Grade {grade} toxicity with trough {T.ng(trough)}: reduce {dose} to {target} mg/day.",
            "critical",
            f"A high trough may explain severe toxicity, and a dose reduction can help [seed-6]; higher levels go "
            f"with more grade 3/4 neutropenia, rash, diarrhoea, myalgia and oedema [guilhot-2012] [larson-2008]. "
            f"Re-check the trough at steady state and keep it at or above {T.TROUGH_TARGET} [seed-5]. No validated "
            f"upper limit of imatinib concentration has been established [zhuang-2018].",
            ("seed-6", "guilhot-2012", "larson-2008", "seed-5", "zhuang-2018"),
            target_dose_mg=target,
        )
    ]


TDM_TOX = Rule(
    "TDM-TOX",
    f"Grade {T.SEVERE_AE_GRADE}–4 toxicity: with a trough of at least {T.TROUGH_TARGET} the dose is reduced one "
    f"step; with a lower trough the toxicity is not explained by exposure and the TKI is switched. No validated "
    f"upper limit exists [seed-6] [zhuang-2018].",
    when=lambda c: c.usable_trough is not None and _severe(c),
    then=_toxicity,
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
            f"Trough {T.ng(c.usable_trough)} with an optimal response: a level alone does not change the dose of a "
            f"patient who is responding [eln-2020] [seed-6].",
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
    when=lambda c: c.adequate_trough and c.status == "optimal" and not _severe(c),
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
    ),
    note(
        lambda c: (
            f"Grade ≥ {T.SEVERE_AE_GRADE} toxicity: manage it clinically now; the invalid sample cannot show whether "
            "exposure explains it."
        ),
        when=lambda c: _trough(c) and c.usable_trough is None and _severe(c),
    ),
    TDM_TOX,
    WORKUP_3,
    TDM_LOW,
    TDM_LOW_OK,
    TDM_OK,
    TDM_OK_RESP,
)

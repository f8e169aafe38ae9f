"""RED: dose reduction for a responder (eligibility, adherence, indication, the step, its monitoring, TFR)."""

from __future__ import annotations

from typing import List

from .. import thresholds as T
from . import recs
from .engine import Context, Draft, Rule, needs, note

# --- eligibility (RED-1 … RED-4): every criterion that fails is reported


def _not_in_mmr(c: Context) -> bool:
    return c.level is not None and c.level > T.MMR_PCT


def _short_mmr(c: Context) -> bool:
    return c.case.mmr_months is not None and c.case.mmr_months < T.RED_MIN_MMR_MONTHS


def _short_therapy(c: Context) -> bool:
    return c.months is not None and c.months < T.RED_MIN_THERAPY_MONTHS


def _resistance(c: Context) -> bool:
    return bool(c.detected) or bool(c.case.prior_tki_failure)


def _reasons(c: Context) -> List[str]:
    out = []
    if _not_in_mmr(c):
        out.append(f"BCR-ABL1 {T.pct(c.level)} IS is above {T.MMR}: not in MMR")
    if _short_mmr(c):
        out.append(
            f"MMR sustained for {recs.fmt(c.case.mmr_months)} months; at least "
            f"{T.RED_MIN_MMR_MONTHS:g} months (better {T.RED_BETTER_MMR}) is needed"
        )
    if _short_therapy(c):
        out.append(f"{recs.fmt(c.months)} months on therapy; at least {T.years(T.RED_MIN_THERAPY_MONTHS)} is needed")
    if _resistance(c):
        out.append(f"a resistance mutation ({', '.join(c.detected)})" if c.detected else "an earlier TKI failure")
    return out


def _not_candidate(c: Context) -> List[Draft]:
    return [
        Draft(
            "not_candidate_for_reduction",
            "Not a candidate for dose reduction now.",
            "info",
            f"Dose reduction needs a stable MMR for at least {T.RED_MIN_MMR_MONTHS:g} months (better "
            f"{T.RED_BETTER_MMR}) after at least {T.years(T.RED_MIN_THERAPY_MONTHS)} of therapy [seed-1] [seed-3] "
            f"[clark-2017], with no resistance [eln-2020]. Here: " + "; ".join(_reasons(c)) + ".",
            ("seed-1", "seed-3", "clark-2017", "eln-2020"),
        )
    ]


RED_1 = Rule(
    "RED-1",
    f"BCR-ABL1 is above {T.MMR}: the patient is not in MMR, so not a candidate for reduction [seed-1].",
    when=_not_in_mmr,
    then=_not_candidate,
)

RED_2 = Rule(
    "RED-2",
    f"MMR has lasted less than {T.RED_MIN_MMR_MONTHS:g} months: reduction needs a stable MMR for at least "
    f"{T.RED_MIN_MMR_MONTHS:g} months (better {T.RED_BETTER_MMR}) [seed-3] [clark-2017].",
    when=_short_mmr,
    then=_not_candidate,
)

RED_3 = Rule(
    "RED-3",
    f"Less than {T.years(T.RED_MIN_THERAPY_MONTHS)} of therapy: reduction needs at least "
    f"{T.years(T.RED_MIN_THERAPY_MONTHS)} on TKI [clark-2017].",
    when=_short_therapy,
    then=_not_candidate,
)

RED_4 = Rule(
    "RED-4",
    "A resistance mutation or an earlier TKI failure excludes reduction: ELN 2020 lists no prior failure among its "
    "criteria for stopping, and these decision rules apply that to reduction; a mutation means failure [eln-2020].",
    when=_resistance,
    then=_not_candidate,
)


ELIGIBILITY_FIELDS = ("bcr_abl1_is", "mmr_months", "months_on_tki")


def _eligible(c: Context) -> bool:
    """No criterion failed, and none of the values they need is missing."""
    return not any(r in c.fired for r in ("RED-1", "RED-2", "RED-3", "RED-4")) and not any(
        f in c.missing for f in ELIGIBILITY_FIELDS
    )


def _indicated(c: Context) -> bool:
    ae = c.case.ae_grade
    return (ae is not None and ae >= T.SIGNIFICANT_AE_GRADE) or c.case.goal in ("tfr", "tolerability")


# --- adherence, indication, the step

RED_5 = Rule(
    "RED-5",
    f"Adherence is not confirmed ({T.ADHERENCE_CONFIRMED}): it is checked before any reduction [marin-2010].",
    when=lambda c: _eligible(c) and not c.adherent,
    then=lambda c: [recs.check_adherence(c)],
)

RED_6 = Rule(
    "RED-6",
    f"No indication: reduction is for significant adverse events (grade ≥ {T.SIGNIFICANT_AE_GRADE} or affecting "
    f"quality of life) or as a step toward TFR [seed-1].",
    when=lambda c: _eligible(c) and not _indicated(c),
    then=lambda c: [
        recs.continue_dose(
            "Eligible but no indication for reduction: continue the current dose.",
            f"Reduction is meant for significant adverse events (grade ≥ {T.SIGNIFICANT_AE_GRADE} or affecting quality "
            f"of life) or as a step toward treatment-free remission [seed-1].",
            ("seed-1",),
        )
    ],
)


def _risks(c: Context) -> List[str]:
    out = []
    if c.level is not None and c.level > T.MR4_PCT:
        out.append(
            f"in MMR but not MR4 ({T.pct(c.level)} IS): in DESTINY 18.8 % of MMR-only patients had molecular "
            f"recurrence within 12 months vs 2.5 % in MR4 [clark-2017], and 3-year recurrence-free survival "
            f"was 36 % vs 72 % [clark-2019]"
        )
    if c.case.ddpcr_mr45 is False:
        out.append(
            "ddPCR did not show MR4.5: failure to reach MR4.5 by ddPCR goes with a higher risk of losing MMR "
            "or MR4 after reduction (stated in a PubMed record on dose reduction; no primary paper found) [seed-3]"
        )
    return out


def _reduce(c: Context) -> List[Draft]:
    dose = c.dose("the reduction")
    if dose is not None and dose < T.STANDARD_DOSE_MG:
        if dose > T.ALREADY_REDUCED_MAX_MG:
            c.assume(f"{dose} mg/day is below the standard {T.STANDARD_DOSE_MG} mg/day: treated as already reduced.")
        return [
            recs.continue_dose(
                f"Already on a reduced dose ({dose} mg/day): continue it.",
                f"Reduced doses such as {T.HALF_DOSE_OPTION_MG} mg/day kept molecular responses in patients in "
                f"sustained deep response [cervantes-2017]; keep the post-reduction monitoring schedule [seed-1].",
                ("cervantes-2017", "seed-1"),
            )
        ]
    risks = _risks(c)
    seed_finding = (
        "A report on dose reduction found that it did not compromise MMR maintenance, though MR4 maintenance may "
        "be lower [seed-3]"
        + (", and for a patient in MMR but not MR4 DESTINY found more recurrence (below)" if _mmr_only(c) else "")
        + ". "
    )
    if dose is None:
        target, standard = None, False
        summary = (
            f"Candidate for reduction: {T.STANDARD_DOSE_MG} → {T.HALF_DOSE_MG} mg/day (or {T.HALF_DOSE_OPTION_MG}), "
            f"600 or 800 → {T.REDUCED_FROM_HIGH_DOSE_MG}; closer monitoring."
        )
        step = (
            f"Reduce from the current dose: {T.STANDARD_DOSE_MG} → {T.HALF_DOSE_MG} mg/day (half dose, as in "
            f"DESTINY; {T.HALF_DOSE_OPTION_MG} mg/day is an alternative), or 600 or 800 → "
            f"{T.REDUCED_FROM_HIGH_DOSE_MG} mg/day. "
        )
        evidence = ""
        cites = ("seed-1", "seed-3", "clark-2017")
    else:
        standard = dose == T.STANDARD_DOSE_MG
        target = T.HALF_DOSE_MG if standard else T.REDUCED_FROM_HIGH_DOSE_MG
        summary = (
            f"Candidate for reduction: {dose} → {target} mg/day"
            + (f" (or {T.HALF_DOSE_OPTION_MG} mg)" if standard else "")
            + ", with closer monitoring."
        )
        step = (
            f"Reduce from {dose} to {target} mg/day"
            + (f" (half dose, as in DESTINY; {T.HALF_DOSE_OPTION_MG} mg/day is an alternative)" if standard else "")
            + ". "
        )
        if standard:
            evidence = (
                f"Half-dose imatinib ({T.HALF_DOSE_MG} mg) for 12 months was studied in DESTINY [clark-2017]; "
                f"{T.STANDARD_DOSE_MG} → {T.HALF_DOSE_OPTION_MG} mg in sustained deep response kept MMR in all 43 "
                f"patients over a median 1.6 years [cervantes-2017]. "
            )
            cites = ("seed-1", "seed-3", "clark-2017", "cervantes-2017")
        elif dose == T.MAX_DOSE_MG:
            evidence = (
                "Reduction from 800 to 400 mg after MMR gave 88 % 3-year molecular relapse-free survival "
                "[michel-2019]. "
            )
            cites = ("seed-1", "seed-3", "clark-2017", "michel-2019")
        else:
            evidence = (
                f"The step from {dose} to {T.REDUCED_FROM_HIGH_DOSE_MG} mg/day is a convention of these decision "
                f"rules; no source here studied it (the nearest is 800 → 400 mg [michel-2019]). "
            )
            cites = ("seed-1", "seed-3", "clark-2017", "michel-2019")
    if _mmr_only(c):
        cites += ("clark-2019",)
    detail = step + seed_finding + evidence + ("Higher risk: " + "; ".join(risks) + "." if risks else "")
    return [
        Draft(
            "reduce_dose",
            summary,
            "warning" if risks else "info",
            detail.strip(),
            cites,
            target_dose_mg=target,
            options=(f"{T.HALF_DOSE_OPTION_MG} mg",) if standard else (),
            rests_on=("bcr_abl1_is", "mmr_months", "dmr_months", "months_on_tki", "dose_mg"),
        )
    ]


def _mmr_only(c: Context) -> bool:
    return c.level is not None and c.level > T.MR4_PCT


RED_7 = Rule(
    "RED-7",
    f"All criteria are met: the dose is reduced ({T.STANDARD_DOSE_MG} → {T.HALF_DOSE_MG} mg, or "
    f"{T.HALF_DOSE_OPTION_MG} mg; 600/800 → {T.REDUCED_FROM_HIGH_DOSE_MG} mg; at {T.ALREADY_REDUCED_MAX_MG} mg or "
    f"less it is already reduced) [seed-1] [clark-2017].",
    when=lambda c: _eligible(c) and _indicated(c) and c.adherent,
    then=_reduce,
)

RED_RISK = Rule(
    "RED-RISK",
    f"Higher risk after reduction: not in MR4 (BCR-ABL1 above {T.MR4}), or ddPCR did not show MR4.5, so the "
    f"recommendation carries a warning [clark-2017] [seed-3].",
    when=lambda c: c.has("reduce_dose") and bool(_risks(c)),
)

RED_MON = Rule(
    "RED-MON",
    f"Every reduction comes with RQ-PCR {T.MONITOR_AFTER_REDUCTION} [seed-1] [seed-4].",
    when=lambda c: c.has("reduce_dose"),
    then=lambda c: [
        Draft(
            "intensify_monitoring",
            f"RQ-PCR on the IS {T.MONITOR_AFTER_REDUCTION} after reduction (≥ {T.MIN_BLOOD_ML} mL blood).",
            "info",
            f"Monitor BCR-ABL1 by RQ-PCR on the International Scale {T.MONITOR_AFTER_REDUCTION} [seed-1], from at "
            f"least {T.MIN_BLOOD_ML} mL of peripheral blood [seed-4]. On loss of MMR (two consecutive results above "
            f"{T.MMR}) resume the standard dose [seed-1]: in DESTINY every patient who lost MMR regained it within "
            f"4 months [clark-2017].",
            ("seed-1", "seed-4", "clark-2017"),
            follows="reduce_dose",
        )
    ],
)


# --- treatment-free remission (ELN 2020: "more than")


def _tfr_ready(c: Context) -> bool:
    dmr = c.case.dmr_months
    return (
        c.case.goal == "tfr"
        and "RED-7" in c.fired
        and dmr is not None
        and c.months is not None
        and c.months > T.TFR_THERAPY_MORE_THAN_MONTHS
        and dmr > T.TFR_DMR_MORE_THAN_MONTHS
        and (c.level is None or c.level <= T.MR4_PCT)
    )


RED_TFR = Rule(
    "RED-TFR",
    f"The goal is TFR, with more than {T.years(T.TFR_THERAPY_MORE_THAN_MONTHS)} of TKI and more than "
    f"{T.years(T.TFR_DMR_MORE_THAN_MONTHS)} of MR4 or deeper: a TFR attempt can be considered [eln-2020].",
    when=_tfr_ready,
    then=lambda c: [
        Draft(
            "consider_tfr",
            "Treatment-free remission criteria are met: consider a TFR attempt.",
            "info",
            f"The criteria checked here are met: more than {T.years(T.TFR_THERAPY_MORE_THAN_MONTHS)} of TKI and deep "
            f"molecular response (MR4 or deeper) for more than {T.years(T.TFR_DMR_MORE_THAN_MONTHS)} [eln-2020] (NCCN: "
            f"at least {T.years(T.NCCN_TFR_THERAPY_MONTHS)} of TKI and MR4 for {T.years(T.NCCN_TFR_DMR_MONTHS)} "
            f"[nccn-2020]). ELN 2020's other minimal criteria cannot be checked from these values: imatinib as the "
            f"first-line TKI (or second line only for intolerance), a typical BCR-ABL1 transcript, chronic phase with "
            f"no history of accelerated or blast phase, and no earlier failure [eln-2020]. After stopping, monitor "
            f"BCR-ABL1 monthly in months 1–6, every 2 months in months 7–12, then every 3 months [eln-2020]. The "
            f"trigger to restart treatment is not stated in the sources checked here: confirm it in the guideline "
            f"(after de-escalation, DESTINY resumed the full dose on loss of MMR, two consecutive results above "
            f"{T.MMR} [clark-2017]). ELN 2025 reports that data on discontinuation have matured; its criteria were "
            f"not checked here [eln-2025].",
            ("eln-2020", "nccn-2020", "clark-2017", "eln-2025"),
        )
    ],
)


def _tfr_considered(c: Context) -> bool:
    return c.case.goal == "tfr" and "RED-7" in c.fired


STEPS = (
    needs("bcr_abl1_is"),
    needs("mmr_months", when=lambda c: not _not_in_mmr(c)),
    needs("months_on_tki"),
    RED_1,
    RED_2,
    RED_3,
    RED_4,
    note(
        lambda c: f"The current level above {T.MMR} outweighs the reported MMR duration.",
        when=lambda c: _not_in_mmr(c) and (c.case.mmr_months or 0) >= T.RED_MIN_MMR_MONTHS,
    ),
    note(
        lambda c: "No earlier TKI failure assumed (not given).",
        when=lambda c: c.case.prior_tki_failure is None and not c.detected,
        fills=("prior_tki_failure", "none"),
    ),
    note(
        lambda c: "Eligibility for reduction cannot be judged until the missing values are given.",
        when=lambda c: not c.fired and any(f in c.missing for f in ELIGIBILITY_FIELDS),
    ),
    note(
        lambda c: "Adverse-event grade not given: no significant adverse event assumed.",
        when=lambda c: _eligible(c) and c.case.ae_grade is None,
        fills=("ae_grade", "none significant"),
    ),
    RED_5,
    RED_6,
    note(
        lambda c: f"Reduction is reconsidered once adherence {T.ADHERENCE_CONFIRMED} is confirmed.",
        when=lambda c: _eligible(c) and _indicated(c) and not c.adherent,
    ),
    RED_7,
    RED_RISK,
    RED_MON,
    needs("dmr_months", when=_tfr_considered),
    note(
        lambda c: f"A current level above {T.MR4} is not MR4: the reported MR4 duration is not used for TFR.",
        when=lambda c: (
            _tfr_considered(c)
            and c.level is not None
            and c.level > T.MR4_PCT
            and (c.case.dmr_months or 0) > T.TFR_DMR_MORE_THAN_MONTHS
        ),
    ),
    RED_TFR,
)

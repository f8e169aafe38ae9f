"""Every clinical threshold of the rule set, once, with its source (decision-spec v1.2 section 3).

Rules, explanations, the normaliser and the FAQ read these names; texts that state a threshold
are built from it (with :func:`pct`, :func:`ng`, …), so changing a threshold is a one-line change.
Inclusivity is part of each name's comment and is applied by the rules exactly as the spec writes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, Optional, Tuple

# --- molecular response ceilings, % BCR-ABL1 on the International Scale [cross-2015] [eln-2020]
MMR_PCT = 0.1  # MMR = MR3: ≤ 0.1 %
MR4_PCT = 0.01  # MR4: ≤ 0.01 %
MR45_PCT = 0.0032  # MR4.5: ≤ 0.0032 %
MR5_PCT = 0.001  # MR5: ≤ 0.001 %
MOLECULAR_RESPONSES: Dict[str, float] = {
    "MMR": MMR_PCT,
    "MR3": MMR_PCT,
    "MR4": MR4_PCT,
    "MR4.5": MR45_PCT,
    "MR5": MR5_PCT,
}
IS_BASELINE_PCT = 100.0  # the standardised baseline a log reduction counts from
# trough units to ng/mL (spec: "µmol/L (µM) × 493.6; nmol/L × 0.4936"): imatinib's molar mass, 493.6 g/mol
NG_ML_PER_UMOL_L = 493.6
NG_ML_PER_NMOL_L = 0.4936  # NG_ML_PER_UMOL_L / 1000, written exactly
UNUSUAL_ABOVE_PCT = 100.0  # > 100 % IS is accepted with a warning to check the report (spec section 1)


DAYS_PER_MONTH = 30.44  # durations: 1 month = 30.44 days (spec section 5)

# --- ELN 2020 response milestones [eln-2020] (rule RESP-3, RESP-6, RESP-12)
FIRST_MILESTONE_MONTHS = 3.0  # < 3 months: too early (RESP-0)


@dataclass(frozen=True)
class Milestone:
    rule: str
    from_months: float  # inclusive
    until_months: Optional[float]  # exclusive; None = onwards
    optimal_max: float  # ≤ optimal
    warning_max: Optional[float]  # ≤ warning, above it failure; None = failure only when confirmed

    def window(self) -> str:
        if self.until_months is None:
            return f"from {self.from_months:g} months"
        return f"at {self.from_months:g}–{self.until_months:g} months"


MILESTONES: Tuple[Milestone, ...] = (
    Milestone("RESP-3", 3.0, 6.0, optimal_max=10.0, warning_max=None),
    Milestone("RESP-6", 6.0, 12.0, optimal_max=1.0, warning_max=10.0),
    Milestone("RESP-12", 12.0, None, optimal_max=MMR_PCT, warning_max=1.0),
)
CONFIRM_WITHIN = "1–3 months"  # a > 10 % result at 3 months is failure once confirmed within this [eln-2020]
WARNING_REPEAT_PCR = "1–3 months"  # warning → repeat RQ-PCR within this [eln-2020]

# --- adherence [marin-2010]
ADHERENCE_CONFIRMED_ABOVE_PCT = 90.0  # confirmed means > 90 %; ≤ 90 % or unknown is not confirmed
MISSED_DOSES_MONTH_DAYS = 30  # "misses 3 a month" = 1 − 3/30 = 90 %: the month clinicians count (spec v1.2)

# --- trough (therapeutic drug monitoring) [seed-5] [picard-2007] [clarke-2021]
TROUGH_TARGET_NG_ML = 1000.0  # < 1000 low; ≥ 1000 adequate exposure (exactly 1000 is "at the target", not high)
# implausible levels are queried, not acted on: an operational convention of spec v1.2, stated as an assumption
TROUGH_IMPLAUSIBLE_BELOW_NG_ML = 100.0  # < 100: check adherence and repeat the trough
TROUGH_IMPLAUSIBLE_ABOVE_NG_ML = 10000.0  # > 10,000: repeat the trough, check the sample and the laboratory
STEADY_STATE_DAYS = 5.0  # < 5 days on the dose: not at steady state (TDM-SS) [seed-6]
STEADY_STATE_DAYS_USUAL = "5–7 days"  # the seed's wording of the same [seed-6]
# hours after the dose, inclusive: an operational convention (24 ± 3 h, 12 ± 3 h), not validated
TROUGH_WINDOWS_H: Dict[str, Tuple[float, float]] = {"once_daily": (21.0, 27.0), "twice_daily": (9.0, 15.0)}

# --- adverse events (CTCAE grade)
SIGNIFICANT_AE_GRADE = 2  # ≥ 2 (or affecting quality of life) indicates a reduction (RED-6) [seed-1]
SEVERE_AE_GRADE = 3  # ≥ 3: severe toxicity: withhold, then a lower dose (TOX, TDM-TOX) [gleevec-label] [seed-6]
CRITICAL_AE_GRADE = 4  # grade 4: interrupt_for_toxicity is critical (grade 3: warning)
# the label's haematological thresholds in chronic phase (starting dose 400 mg), × 10⁹/L [gleevec-label]
LABEL_STOP_ANC_BELOW = 1.0
LABEL_STOP_PLATELETS_BELOW = 50
LABEL_RESUME_ANC_FROM = 1.5
LABEL_RESUME_PLATELETS_FROM = 75
LABEL_RESUME_MG = 400  # resume at 400 mg; on recurrence at 300 mg
LABEL_RECURRENCE_MG = 300

# --- doses, mg/day [seed-2] [clark-2017] [cervantes-2017] [michel-2019]
STANDARD_DOSE_MG = 400
MAX_DOSE_MG = 800
ESCALATION_STEPS_MG: Tuple[int, ...] = (400, 600, 800)  # one step up (WORKUP-5)
# the label's steps down for toxicity, 400 → 300, 600 → 400, 800 → 600 [gleevec-label]; from any dose the
# step is the next lower of these standard doses (700 → 600, 350 → 300); at 300 or less there is none (TDM-TOX)
TOXICITY_DOSES_MG: Tuple[int, ...] = (300, 400, 600, 800)
HALF_DOSE_MG = 200  # 400 → 200 (DESTINY), option 300 (RED-7)
HALF_DOSE_OPTION_MG = 300
REDUCED_FROM_HIGH_DOSE_MG = 400  # 600 or 800 → 400 (RED-7)
ALREADY_REDUCED_MAX_MG = 300  # ≤ 300: already reduced (RED-7)

# --- dose reduction eligibility [seed-1] [seed-3] [clark-2017]
RED_MIN_MMR_MONTHS = 12.0  # < 12 months of sustained MMR: not a candidate (RED-2)
RED_BETTER_MMR = "1–2 years"
RED_MIN_THERAPY_MONTHS = 36.0  # < 36 months of therapy: not a candidate (RED-3)
MONITOR_AFTER_REDUCTION = "every 4–6 weeks for the first 6–12 months"  # [seed-1]
MIN_BLOOD_ML = 10  # ≥ 10 mL peripheral blood for RQ-PCR [seed-4]

# --- treatment-free remission, ELN 2020 "more than" [eln-2020]; NCCN "at least" [nccn-2020]
TFR_THERAPY_MORE_THAN_MONTHS = 60.0  # > 5 years of TKI
TFR_DMR_MORE_THAN_MONTHS = 24.0  # MR4 or deeper for > 2 years
NCCN_TFR_THERAPY_MONTHS = 36.0  # ≥ 3 years
NCCN_TFR_DMR_MONTHS = 24.0  # ≥ 2 years


# --- how texts state them


def toxicity_step(dose: int) -> Optional[int]:
    """The next lower standard dose for a toxicity step (TDM-TOX, TOX-2), or None at 300 mg/day or less."""
    lower = [d for d in TOXICITY_DOSES_MG if d < dose]
    return lower[-1] if lower else None


def num(v: float) -> str:
    """A threshold as written: no trailing zeros (0.1, 1000, 0.0032)."""
    return f"{v:g}"


PCT_SIGNIFICANT_DIGITS = 3  # a BCR-ABL1 result as a laboratory reports it (0.0125 %), an adherence as counted


@lru_cache(maxsize=1)
def _pct_lines() -> Tuple[float, ...]:
    """Every percentage a rule compares with: a shown value never crosses one of them by rounding."""
    milestones = [x for m in MILESTONES for x in (m.optimal_max, m.warning_max) if x is not None]
    return (*MOLECULAR_RESPONSES.values(), *milestones, UNUSUAL_ABOVE_PCT, ADHERENCE_CONFIRMED_ABOVE_PCT)


def pct(v: float) -> str:
    """A percentage to 3 significant digits (a 4.5-log reduction is 0.00316 %, not 0.00316228: no laboratory
    reports more), exact where rounding would carry it across a threshold (0.10004 % stays above MMR); a value
    of 3 digits or fewer, as every threshold is, is shown as it is."""
    shown = float(f"{v:.{PCT_SIGNIFICANT_DIGITS}g}")
    if shown != v and any((shown < t) != (v < t) or (shown > t) != (v > t) for t in _pct_lines()):
        shown = v  # (a value of 3 digits or fewer, as nearly every one is, is shown without the check)
    return f"{shown:g} %"


def ng(v: float) -> str:
    """A trough as written, or, with decimals no assay reports (a µmol/L result converted: 789.76), to 10 ng/mL
    from 100 ng/mL up (790); exact where rounding would carry it across one of the trough's thresholds (999.6
    stays 999.6: below the 1000 ng/mL target)."""
    shown = round(v, -1) if v >= 100 and v != int(v) else v
    lines = (TROUGH_IMPLAUSIBLE_BELOW_NG_ML, TROUGH_TARGET_NG_ML, TROUGH_IMPLAUSIBLE_ABOVE_NG_ML)
    if any((shown < t) != (v < t) or (shown > t) != (v > t) for t in lines):
        shown = v
    return f"{shown:g} ng/mL"


def years(months: float) -> str:
    y = months / 12
    return f"{y:g} year" + ("" if y == 1 else "s")


def window_text(dosing: str) -> str:
    lo, hi = TROUGH_WINDOWS_H[dosing]
    return f"{lo:g}–{hi:g} h"


TROUGH_TARGET = ng(TROUGH_TARGET_NG_ML)  # "1000 ng/mL"
ADHERENCE_CONFIRMED = f"more than {pct(ADHERENCE_CONFIRMED_ABOVE_PCT)}"  # "more than 90 %"
MMR = pct(MMR_PCT)  # "0.1 %"
MR4 = pct(MR4_PCT)  # "0.01 %"

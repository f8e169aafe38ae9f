"""POST: after a reduction, MMR held or lost."""

from __future__ import annotations

from typing import Optional

from .. import thresholds as T
from . import recs
from .engine import Context, Draft, Rule, Step, needs
from .response import RESP_MUT


def reduced(c: Context) -> Optional[bool]:
    """On a reduced dose, as given, or inferred from a dose below the dose before the reduction (or, when that
    is not given, below the usual standard dose)."""
    if c.case.on_reduced_dose is not None:
        return c.case.on_reduced_dose
    standard = c.case.standard_dose_mg or T.STANDARD_DOSE_MG
    if c.case.dose_mg is not None and c.case.dose_mg < standard:
        return True
    return None


def _read_reduced(c: Context) -> None:
    if c.case.on_reduced_dose is None and reduced(c):
        if c.case.standard_dose_mg is not None:
            c.assume(
                f"On a reduced dose inferred from {c.case.dose_mg} mg/day below the dose before the reduction "
                f"({c.case.standard_dose_mg} mg/day)."
            )
        else:
            c.assume(
                f"On a reduced dose inferred from {c.case.dose_mg} mg/day, below the usual standard "
                f"{T.STANDARD_DOSE_MG} mg/day."
            )
    if reduced(c) is None:
        c.need("on_reduced_dose")


def _lost(c: Context):
    std = c.case.standard_dose_mg
    if std is None:  # spec v1.2: no silent 400
        c.need("standard_dose_mg")
        summary = "MMR lost on the reduced dose: resume the dose used before the reduction."
        to = "Resume the dose used before the reduction (not given here, so no number is assumed)"
    else:
        summary = f"MMR lost on the reduced dose: resume the dose before the reduction, {std} mg/day."
        to = f"Resume the dose used before the reduction, {std} mg/day"
    detail = (
        f"BCR-ABL1 {T.pct(c.level)} IS is above {T.MMR}. {to}: most patients regain MMR on resuming the standard "
        f"dose [seed-1]. In DESTINY all who lost MMR regained it within 4 months of resuming [clark-2017]. One "
        f"result above {T.MMR} is enough to act (the safe direction); DESTINY defined loss of MMR as two "
        f"consecutive results above {T.MMR} [clark-2017], so the next PCR confirms it."
    )
    if c.severe:
        detail += (
            f" With grade {c.case.ae_grade} toxicity now, going back to the dose that may have caused it needs "
            f"clinical judgement."
        )
    out = [
        Draft(
            "resume_standard_dose",
            summary,
            "warning",
            detail,
            ("seed-1", "clark-2017"),
            target_dose_mg=std,
            rests_on=("on_reduced_dose", "dose_mg", "standard_dose_mg"),
        ),
        Draft(
            "intensify_monitoring",
            "Monthly BCR-ABL1 RQ-PCR until MMR is regained.",
            "info",
            "Check BCR-ABL1 on the IS monthly after resuming the standard dose to confirm that MMR returns "
            "[seed-1] [clark-2017].",
            ("seed-1", "clark-2017"),
            follows="resume_standard_dose",
        ),
    ]
    if c.level > T.MILESTONES[-1].warning_max and c.case.mutations is None:  # > 1 %: far beyond loss of MMR
        d = recs.mutation_analysis()
        out.append(
            Draft(
                d.code,
                d.summary,
                "warning",
                f"BCR-ABL1 {T.pct(c.level)} IS is above {T.pct(T.MILESTONES[-1].warning_max)}, far beyond loss of "
                f"MMR (the ELN 2020 failure range from 12 months) [eln-2020]. " + d.detail,
                d.citations,
            )
        )
    return out


POST_1 = Rule(
    "POST-1",
    f"On a reduced dose BCR-ABL1 rose above {T.MMR} (loss of MMR): resume the dose used before the reduction and "
    f"test monthly; above {T.pct(T.MILESTONES[-1].warning_max)} also send mutation analysis [seed-1] [clark-2017] "
    f"[eln-2020].",
    when=lambda c: reduced(c) is True and c.level is not None and c.level > T.MMR_PCT,
    then=_lost,
)

POST_2 = Rule(
    "POST-2",
    f"On a reduced dose MMR is held (BCR-ABL1 at or below {T.MMR}): continue, testing "
    f"{T.MONITOR_AFTER_REDUCTION} [seed-1].",
    when=lambda c: reduced(c) is True and c.level is not None and c.level <= T.MMR_PCT,
    then=lambda c: [
        recs.continue_dose(
            f"MMR held on the reduced dose: continue it, with RQ-PCR {T.MONITOR_AFTER_REDUCTION}.",
            f"BCR-ABL1 {T.pct(c.level)} IS is at or below {T.MMR} (MMR). Keep the reduced dose and test "
            f"{T.MONITOR_AFTER_REDUCTION} after reduction [seed-1] [seed-4].",
            ("seed-1", "seed-4"),
        )
    ],
)

POST_NA = Rule(
    "POST-NA",
    "The patient is not on a reduced dose: the after-reduction rules do not apply; the response assessment "
    "does [eln-2020].",
    when=lambda c: reduced(c) is False,
    then=lambda c: c.assume(
        "The patient is not on a reduced dose: the post-reduction rules do not apply; use the response assessment."
    ),
)

STEPS = (Step(_read_reduced), needs("bcr_abl1_is"), RESP_MUT, POST_1, POST_2, POST_NA)

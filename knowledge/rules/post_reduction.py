"""POST: after a reduction, MMR held or lost."""

from __future__ import annotations

from typing import Optional

from .. import thresholds as T
from . import recs
from .engine import Context, Draft, Rule, Step, needs
from .response import RESP_MUT


def reduced(c: Context) -> Optional[bool]:
    """On a reduced dose, as given, or inferred from a dose below the standard dose."""
    if c.case.on_reduced_dose is not None:
        return c.case.on_reduced_dose
    if c.case.dose_mg is not None and c.case.dose_mg < c.case.standard_dose_mg:
        return True
    return None


def _read_reduced(c: Context) -> None:
    if c.case.on_reduced_dose is None and reduced(c):
        c.assume(
            f"On a reduced dose inferred from {c.case.dose_mg} mg/day below the standard "
            f"{c.case.standard_dose_mg} mg/day."
        )
    if reduced(c) is None:
        c.need("on_reduced_dose")


def _lost(c: Context):
    std = c.case.standard_dose_mg
    return [
        Draft(
            "resume_standard_dose",
            f"MMR lost on the reduced dose: resume the standard {std} mg/day.",
            "warning",
            f"BCR-ABL1 {T.pct(c.level)} IS is above {T.MMR}. Resuming the standard dose is advised, and most "
            f"patients regain MMR [seed-1]; in DESTINY all who lost MMR regained it within 4 months of resuming "
            f"[clark-2017], where loss meant two consecutive results above {T.MMR} [clark-2017].",
            ("seed-1", "clark-2017"),
            target_dose_mg=std,
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


POST_1 = Rule(
    "POST-1",
    f"On a reduced dose BCR-ABL1 rose above {T.MMR} (loss of MMR): resume the standard dose and test monthly "
    f"[seed-1] [clark-2017].",
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

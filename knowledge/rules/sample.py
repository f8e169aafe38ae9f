"""Is the trough a valid sample? TDM-SS and TDM-TIME, and the reading of its timing.

Used by the TDM assessment and by the work-up, which may be given a trough too.
"""

from __future__ import annotations

from .. import thresholds as T
from . import recs
from .engine import Context, Rule, Step


def judged(c: Context) -> bool:
    """A trough is judged as a sample in TDM and in a work-up (an invalid sample still gets repeat_trough,
    though it never hides a mutation: spec, precedence)."""
    if c.case.trough_ng_ml is None:
        return False
    return c.assessment == "tdm" or c.in_workup


def _read_timing(c: Context) -> None:
    """Every assessment: a trough of unknown timing is named as such (spec: precedence), and a BCR-ABL1 of 0
    is "undetectable" without its sensitivity: asked about, not acted on (spec v1.2)."""
    if c.case.bcr_abl1_is == 0:
        c.need("bcr_abl1_is")
        c.assume(
            "BCR-ABL1 0 % is read as undetectable without its sensitivity: which molecular response did the "
            "laboratory reach (MR4, MR4.5 or MR5)? No decision rests on it until then."
        )
    if c.case.trough_ng_ml is None:
        return
    unknown = [f for f in ("days_at_current_dose", "hours_since_dose") if getattr(c.case, f) is None]
    if unknown:
        c.need(*unknown)
        what = " and ".join(f.replace("_", " ") for f in unknown)
        c.assume(
            f"Trough timing not given ({what}): the level of {T.ng(c.case.trough_ng_ml)} is taken as a "
            f"steady-state trough."
        )


def _read_window(c: Context) -> None:
    if not judged(c) or c.case.hours_since_dose is None:
        return
    if c.case.dosing is None:
        twice = c.dosing == "twice_daily"
        c.assume(
            f"Dosing schedule not given: taken as {c.dosing.replace('_', ' ')}"
            + (f" ({T.MAX_DOSE_MG} mg/day is usually {T.MAX_DOSE_MG // 2} mg twice daily)." if twice else "."),
            fills=("dosing", c.dosing.replace("_", " ")),
        )
    c.assume(
        f"Trough window taken as {T.window_text('once_daily')} after a once-daily dose (24 ± 3 h) and "
        f"{T.window_text('twice_daily')} after a twice-daily dose: an operational convention, not a "
        f"validated limit (unverified)."
    )


READ_TIMING = Step(_read_timing)
READ_WINDOW = Step(_read_window)


def _not_steady(c: Context):
    if c.assessment == "tdm":
        c.assume(
            f"Level reported with a caveat: {T.ng(c.case.trough_ng_ml)} before steady state underestimates exposure."
        )
    return [recs.repeat_trough(c)]


TDM_SS = Rule(
    "TDM-SS",
    f"Fewer than {T.STEADY_STATE_DAYS:g} days on the current dose: the sample is not at steady state and must be "
    f"repeated after {T.STEADY_STATE_DAYS_USUAL} of consistent dosing [seed-6].",
    when=lambda c: judged(c) and c.before_steady_state,
    then=_not_steady,
)

TDM_TIME = Rule(
    "TDM-TIME",
    f"The sample was not drawn in the trough window ({T.window_text('once_daily')} after a once-daily dose, "
    f"{T.window_text('twice_daily')} after a twice-daily dose; an operational convention): repeat it [seed-6].",
    when=lambda c: judged(c) and c.outside_window,
    then=lambda c: [recs.repeat_trough(c)],
)

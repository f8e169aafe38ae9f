"""The chart's facts → a ``PatientCase`` for the decision module, with durations computed from the series.

- ``months_on_tki``: from the first imatinib start to the latest BCR-ABL1 result (the milestones judge
  a result at the time it was taken), in months of ``knowledge.normalize.DAYS_PER_MONTH`` days;
- ``mmr_months`` / ``dmr_months``: from the first result of the unbroken run of results at or below
  ``MMR_PCT`` / ``MR4_PCT`` to the latest result (0 when the latest is above); the run may have begun
  between tests, so the count is a lower bound, and the card says so;
- ``days_at_current_dose``: from the start of the current dose to the trough sample;
- ``on_reduced_dose`` / ``standard_dose_mg``: the current dose is lower than the dose before it.

Durations are rounded to 0.1 month (the chat link states the same numbers). What is missing or
contradictory is left out and stated; contradictions are resolved only toward the cautious side,
and said (two phases: the more advanced; two results on one day: the higher).

What could not be read is never taken for "not there": a CML condition or an imatinib course that
may be in the part of the record that could not be read makes the case *blocked* (one card says what
could not be read) or, when neither can be known, *undecidable* (the call answers 412); results the
EHR could not give block it too (a card is built on the latest results only when they were read).
When the newest BCR-ABL1 result could not be read, no older result stands in for it
(``latest_unread``); an ABL1 variant reported present but not named is ``unnamed_variant``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from knowledge import FIELDS, PHASES, response_status, validate_case
from knowledge import thresholds as T
from knowledge.normalize import DAYS_PER_MONTH

from .fhir import KIND_WORDS, Chart, Course, Dose, Level, Variant

REQUIRED_KINDS = ("Condition", "Observation", "MedicationRequest")  # the templates a card cannot do without

RECORD_LABELS = {name: f.record for name, f in FIELDS.items() if f.record}  # a missing value, named as the record does


GOAL_WORDS = {"tfr": "treatment-free remission", "tolerability": "tolerability"}


def months_between(a: dt.date, b: dt.date) -> float:
    return round((b - a).days / DAYS_PER_MONTH, 1)


def pct_text(v: float) -> str:
    """A percentage without an exponent: 0.00008 → '0.00008'."""
    text = f"{v:.6f}".rstrip("0").rstrip(".")
    return text if text not in ("", "0") or v == 0 else f"{v:g}"


@dataclass(frozen=True)
class Row:
    """One BCR-ABL1 result of the series, where it stood against the ELN 2020 milestones."""

    day: dt.date
    months: Optional[float]
    pct: float
    shown: str
    zone: Optional[str]  # the decision module's response status for this result alone


@dataclass
class RecordCase:
    """A case read from the record: the fields, and what the card says about where they came from."""

    applies: bool
    fields: Dict[str, Any] = field(default_factory=dict)
    assumptions: List[str] = field(default_factory=list)
    facts: List[str] = field(default_factory=list)
    rows: List[Row] = field(default_factory=list)
    current: Optional[Course] = None
    why_not: str = ""
    level_before_dose: bool = False  # the latest BCR-ABL1 result predates the current dose
    blocked: List[str] = field(default_factory=list)  # what could not be read, so nothing is assessed
    undecidable: bool = False  # neither CML nor imatinib can be known from what was read (HTTP 412)
    start: Optional[dt.date] = None  # the first imatinib start
    latest_unread: Optional[Tuple[dt.date, str]] = None  # the newest BCR-ABL1 result, not readable, and why
    unnamed_variant: Optional[Variant] = None  # an ABL1 variant reported present that could not be named

    def assume(self, text: str) -> None:
        if text not in self.assumptions:
            self.assumptions.append(text)

    def fields_for(self, assessment: str) -> Dict[str, Any]:
        """The case an assessment gets: after a reduction, only a result taken on the reduced dose counts."""
        if assessment == "post_reduction" and self.level_before_dose:
            return {k: v for k, v in self.fields.items() if k != "bcr_abl1_is"}
        return self.fields


def by_day(levels: List[Level], rc: RecordCase) -> List[Level]:
    """One result a day; two different results on one day: the higher, stated."""
    out: Dict[dt.date, Level] = {}
    for v in levels:
        kept = out.get(v.day)
        if kept is not None and kept.pct != v.pct:
            rc.assume(
                f"Two BCR-ABL1 results on {v.day} ({kept.shown}, {v.shown}): the higher, "
                f"{max(kept.pct, v.pct):g} %, is used."
            )
        if kept is None or v.pct > kept.pct:
            out[v.day] = v
    return [out[d] for d in sorted(out)]


def sustained(levels: List[Level], ceiling: float) -> Tuple[float, Optional[Level], int]:
    """Months the series has stayed at or below ``ceiling`` without a break up to the latest result."""
    if not levels or levels[-1].pct > ceiling:
        return 0.0, None, 0
    i = len(levels) - 1
    while i > 0 and levels[i - 1].pct <= ceiling:
        i -= 1
    return months_between(levels[i].day, levels[-1].day), levels[i], len(levels) - i


def current_course(chart: Chart, rc: RecordCase) -> Optional[Course]:
    active = [c for c in chart.courses if c.active]
    if not active:
        return None
    latest = max(active, key=lambda c: c.start or dt.date.min)
    doses = {c.dose.daily_mg for c in active if c.dose.daily_mg is not None}
    if len(doses) > 1:
        rc.assume(
            "The record holds active imatinib orders with different doses ("
            + ", ".join(f"{d} mg/day" for d in sorted(doses))
            + "): the current dose is left out."
        )
        return Course(latest.kind, latest.status, latest.start, latest.end, Dose(None, None))
    return latest


def _start(chart: Chart, rc: RecordCase) -> Optional[dt.date]:
    starts = [c.start for c in chart.courses if c.start is not None]
    if not starts:
        return None
    if len(starts) < len(chart.courses):
        rc.assume(
            "An imatinib record without a start date was not counted: time on imatinib is from the first dated one."
        )
    return min(starts)


def _phase(chart: Chart, rc: RecordCase) -> None:
    if not chart.phases:
        return
    phase = max(chart.phases, key=PHASES.index)
    if len(chart.phases) > 1:
        rc.assume(
            f"The record names more than one phase ({', '.join(chart.phases)}): the most advanced, {phase}, is used."
        )
    rc.fields["phase"] = phase


def _series(chart: Chart, rc: RecordCase, start: Optional[dt.date]) -> List[Level]:
    levels = by_day(chart.levels, rc)
    unread = list(chart.unread_levels)
    if start is not None:
        before = [v for v in levels if v.day < start]
        if before:
            rc.facts.append(
                f"{len(before)} BCR-ABL1 result(s) before imatinib started ({start}): not used for the milestones."
            )
        levels = [v for v in levels if v.day >= start]
        unread = [(d, why) for d, why in unread if d >= start]
    for v in levels:
        months = months_between(start, v.day) if start else None
        rc.rows.append(
            Row(v.day, months, v.pct, v.shown, response_status(months, v.pct) if months is not None else None)
        )
    if unread and (not levels or unread[-1][0] > levels[-1].day):
        rc.latest_unread = unread[-1]
        newer = [d for d, _ in unread if not levels or d > levels[-1].day]
        rc.assume(
            f"The newest BCR-ABL1 result{'s' if len(newer) > 1 else ''} ({', '.join(str(d) for d in newer)}) could "
            f"not be read: no older result stands in for {'them' if len(newer) > 1 else 'it'}."
        )
        return []
    if not levels:
        return levels
    latest = levels[-1]
    rc.fields["bcr_abl1_is"] = latest.pct
    if start is not None:
        rc.fields["months_on_tki"] = months_between(start, latest.day)
        rc.assume(
            f"Time on imatinib is taken at the latest BCR-ABL1 result ({latest.day}): "
            f"{rc.fields['months_on_tki']:g} months since {start}."
        )
    for name, ceiling, label in (("mmr_months", T.MMR_PCT, "MMR"), ("dmr_months", T.MR4_PCT, "MR4")):
        months, first, count = sustained(levels, ceiling)
        rc.fields[name] = months
        if first is not None:
            rc.facts.append(
                f"At or below {T.pct(ceiling)} ({label}) without a break since {first.day}: {months:g} months, "
                f"{count} result(s)."
            )
            if count > 1 or months > 0:
                rc.assume(
                    f"{label} duration counted from the first result of the unbroken run at or below "
                    f"{T.pct(ceiling)} ({first.day}); it may have begun earlier, between tests."
                )
    return levels


def _trough(chart: Chart, rc: RecordCase, current: Course) -> None:
    if not chart.troughs:
        return
    t = chart.troughs[-1]
    if current.start is not None and t.day < current.start:
        rc.assume(f"The latest imatinib level ({t.day}) predates the current dose (since {current.start}): not used.")
        return
    rc.fields["trough_ng_ml"] = t.ng_ml
    for n in t.notes:
        rc.assume(f"Imatinib level of {t.day}: {n}.")
    if t.hours is not None:
        rc.fields["hours_since_dose"] = t.hours
    days = None
    if current.start is not None:
        days = float((t.day - current.start).days)
        rc.fields["days_at_current_dose"] = days
    shown = t.shown if t.shown == f"{t.ng_ml:g} ng/mL" else f"{t.shown} = {t.ng_ml:g} ng/mL"
    rc.facts.append(
        f"Imatinib level {shown} on {t.day}" + (f", {days:g} days after the current dose began." if days else ".")
    )


def _mutations(chart: Chart, rc: RecordCase) -> None:
    if not chart.variants:
        return
    latest_day = max(v.day for v in chart.variants)
    latest = [v for v in chart.variants if v.day == latest_day]
    found = sorted({v.name for v in latest if v.present and v.name})
    unnamed = [v for v in latest if v.present and not v.name]
    earlier = sorted(
        {v.name or v.described for v in chart.variants if v.present and v.day < latest_day and (v.name or v.described)}
    )
    if unnamed and not found:
        rc.unnamed_variant = unnamed[0]
        rc.assume("An ABL1 variant is reported present but could not be named: mutation status is left out.")
        return
    if unnamed:
        rc.assume(
            f"Besides {', '.join(found)}, an ABL1 variant of {latest_day} could not be named "
            f"({unnamed[0].described}): check the report."
        )
    if not found and not unnamed and earlier:
        rc.assume(
            f"An earlier analysis found {', '.join(earlier)}, the latest ({latest_day}) none: the record contradicts "
            f"itself, so mutation status is left out."
        )
        return
    rc.fields["mutations"] = found
    rc.facts.append(f"Kinase-domain mutation analysis of {latest_day}: " + (", ".join(found) or "none found") + ".")


def _previous_dose(chart: Chart, rc: RecordCase, current: Course) -> None:
    daily = current.dose.daily_mg
    if daily is None or current.start is None:
        return
    before = [
        c
        for c in chart.courses
        if c.start is not None and c.start < current.start and c.dose.daily_mg not in (None, daily)
    ]
    if not before:
        return
    prev = max(before, key=lambda c: c.start)
    rc.fields["on_reduced_dose"] = prev.dose.daily_mg > daily
    if prev.dose.daily_mg > daily:
        rc.fields["standard_dose_mg"] = prev.dose.daily_mg
        rc.assume(
            f"On a reduced dose: {daily} mg/day since {current.start}, after {prev.dose.daily_mg} mg/day (taken as "
            f"the dose before de-escalation)."
        )
    rc.facts.append(f"Dose before the current one: {prev.dose.words()} from {prev.start}.")


def _course_fact(current: Course, start: Optional[dt.date]) -> str:
    since = f" since {current.start}" if current.start else " (start of this dose not recorded)"
    if start is None:
        first = "; first start not recorded"
    elif start != current.start:
        first = f"; first started {start}"
    else:
        first = ""
    return f"Imatinib {current.dose.words()}{since}{first}."


def _applies(chart: Chart, rc: RecordCase, current: Optional[Course]) -> bool:
    """Whether the case can be assessed; else ``why_not`` (not applicable), or ``blocked`` / ``undecidable``
    (what could not be read may hold the CML condition, the imatinib course or the latest results)."""
    cml = True if chart.cml else (None if chart.unknown("Condition") else False)
    medication = chart.unknown("MedicationRequest", "MedicationStatement") + chart.unresolved
    on_imatinib = True if current is not None else (None if medication else False)
    if cml is False or on_imatinib is False:
        rc.why_not = "no CML condition" if cml is False else "no active imatinib order or statement"
        return False
    reasons = chart.unknown("Condition") if cml is None else []
    reasons += medication if on_imatinib is None else []
    reasons += [f"{KIND_WORDS[k]}: {chart.unread[k]}" for k in REQUIRED_KINDS if k in chart.unread]
    rc.blocked = list(dict.fromkeys(reasons))
    rc.undecidable = cml is None and on_imatinib is None
    if rc.blocked:
        rc.facts += ["CML in the record."] if chart.cml else []
        rc.facts += [_course_fact(current, _start(chart, rc))] if current is not None else []
        return False
    if chart.unresolved:
        rc.assume(
            f"Besides the imatinib course, {'; '.join(chart.unresolved)}: if it is imatinib, the current dose may "
            f"differ."
        )
    return True


def case_from_chart(chart: Chart, today: Optional[dt.date] = None) -> RecordCase:
    """The case of a patient with CML on imatinib; ``applies`` is False when the record shows neither, or
    when what could not be read leaves it unknown (``blocked``, ``undecidable``)."""
    rc = RecordCase(applies=False)
    for n in chart.notes:
        rc.assume(n)
    current = current_course(chart, rc)
    if not _applies(chart, rc, current):
        return rc
    rc.applies, rc.current = True, current
    _phase(chart, rc)
    start = rc.start = _start(chart, rc)
    if current.dose.daily_mg is not None:
        rc.fields["dose_mg"] = current.dose.daily_mg
        if current.dose.dosing:
            rc.fields["dosing"] = current.dose.dosing
    rc.facts.insert(0, _course_fact(current, start))
    levels = _series(chart, rc, start)
    if levels and today is not None:
        rc.facts.append(f"Latest BCR-ABL1 result: {levels[-1].day} ({(today - levels[-1].day).days} days ago).")
    if rc.latest_unread is not None:
        day, why = rc.latest_unread
        rc.facts.append(f"Latest BCR-ABL1 result: {day}, not readable: it {why}.")
    _trough(chart, rc, current)
    if chart.adherence:
        day, pct = chart.adherence[-1]
        rc.fields["adherence_pct"] = pct
        rc.facts.append(f"Adherence {pct:g} % of doses taken ({day}).")
    _mutations(chart, rc)
    if len(chart.goals) == 1:
        rc.fields["goal"] = chart.goals[0]
        rc.facts.append(f"Goal in the record: {GOAL_WORDS[chart.goals[0]]}.")
    elif chart.goals:
        rc.assume(f"The record holds conflicting goals ({', '.join(chart.goals)}): the goal is left out.")
    _previous_dose(chart, rc, current)
    _validate(rc)
    if rc.fields.get("on_reduced_dose") and levels and current.start and levels[-1].day < current.start:
        rc.level_before_dose = True
        rc.assume(
            f"The latest BCR-ABL1 result ({levels[-1].day}) predates the reduced dose (since {current.start}): "
            f"whether MMR holds on it needs a result taken on it."
        )
    return rc


def _validate(rc: RecordCase) -> None:
    """Values the decision module refuses (out of range) are left out and named, never passed on."""
    while True:
        _, errors = validate_case(rc.fields)
        bad = [e for e in errors if e["field"] in rc.fields]
        if not bad:
            return
        for e in bad:
            rc.assume(f"{e['field'].replace('_', ' ')} left out: {e['message']}.")
            rc.fields.pop(e["field"], None)

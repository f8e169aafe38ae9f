"""A recommendation as the assistant shows it, built once for every channel.

One numbering of citations per reply: the card, its text version and a later "why?" about the same card
use the same [n] for the same source. The card also says what it was based on (each input, in clinical
units, typed, converted or assumed), its assumptions, what the levels given mean against the thresholds
(a trough against the 1000 ng/mL target, whatever else is missing), a series of BCR-ABL1 results with
each point placed against the ELN milestones, and a plain-text clinical note to copy into the record.

Pure: the decision module's output and the values the caller read; no I/O. The entry point for everything a
recommendation shows: with the card, its citations (``Numbering``), the rules explained (``explain``,
``RULES``) and the sources registry (``SOURCES``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from . import thresholds as T
from .api import response_status
from .citations import Numbering, line, numbers_in
from .explain import RULES, explain
from .fields import FIELDS, said
from .models import Assessment, Recommendation
from .render import plain
from .sources import SOURCES
from .vocab import DISCLAIMER, TEST_CODES, field_names, short_name

__all__ = [
    "Basis",
    "CONFLICTS_HEAD",
    "Card",
    "Numbering",
    "Point",
    "RULES",
    "SOURCES",
    "assumed_inputs",
    "build",
    "change",
    "classify",
    "explain",
    "findings",
    "line",
    "numbers_in",
]

_ICON = {"info": "ℹ️", "warning": "⚠️", "critical": "⛔"}


@dataclass(frozen=True)
class Basis:
    """One input as the clinician gave it: ``how`` is typed, converted (``source`` = what was typed), implied
    (``source`` = the value given that implies it: MMR for at least as long as MR4) or assumed (not given; the
    rules took a default)."""

    label: str
    value: str
    how: str = "typed"
    source: Optional[str] = None

    def as_dict(self) -> Dict[str, str]:
        out = {"label": self.label, "value": self.value, "how": self.how, "origin": self.origin()}
        if self.source:
            out["from"] = self.source
        return out

    def origin(self) -> str:
        """Where the value came from, in words: "you wrote", "converted from 1.6 µmol/L", "read from 'none'",
        "assumed: not given" (the widget and Slack show these words as they are)."""
        if self.how == "converted" and self.source:
            number = any(ch.isdigit() for ch in self.source)
            return f"converted from {self.source}" if number else f"read from ‘{self.source}’"
        if self.how == "implied" and self.source:
            return f"implied by {self.source}"
        return "assumed: not given" if self.how == "assumed" else "you wrote"

    def text(self) -> str:
        """ "Trough: 790 ng/mL (converted from 1.6 µmol/L)"; a value as written carries no remark."""
        origin = self.origin()
        return f"{self.label}: {self.value}" + ("" if origin == "you wrote" else f" ({origin})")


@dataclass(frozen=True)
class Point:
    """One BCR-ABL1 result of a series (% IS), with the time on imatinib when it was given."""

    value: float
    months: Optional[float] = None

    def label(self) -> str:
        at = f" at {self.months:g} months" if self.months is not None else ""
        return f"{self.value:g} %{at}"


# --- what the rules took without being told (their assumptions say so) -----------------------------


def assumed_inputs(result: Assessment) -> List[Basis]:
    """The inputs the rules filled themselves (each recorded by the rule that assumed it)."""
    return [Basis(FIELDS[a.field].title, a.value, "assumed") for a in result.assumed_inputs]


# a contradiction between values, shown first: the decisions resting on it are held back (spec v1.2)
CONFLICTS_HEAD = "Conflicting values, please check:"


# --- the bottom line and the short note: what a clinician writes in the notes, from the recommendations ---


def _sentence(text: str) -> str:
    return text.strip().rstrip(".")


def bottom_line(result: Assessment) -> str:
    """One sentence that opens the card, built from what the card says (never new content): the first action
    and the first test of the recommendations, in their order; what holds them back or is missing if none."""
    if result.conflicts:  # the conflict is the bottom line: the decisions resting on it are held back (spec v1.2)
        return f"{CONFLICTS_HEAD} " + "; ".join(_sentence(c.message) for c in result.conflicts) + "."
    if not result.recommendations:
        if result.missing_inputs:
            return f"No recommendation yet: {field_names(result.missing_inputs)} needed."
        return "No recommendation applies to these values."
    actions = [r for r in result.recommendations if r.code not in TEST_CODES]
    tests = [r for r in result.recommendations if r.code in TEST_CODES]
    parts = [_sentence(r.summary) for r in (actions[:1] + tests[:1])]
    parts[1:] = [p[:1].lower() + p[1:] if p[1:2].islower() else p for p in parts[1:]]  # "; measure …", "; RQ-PCR …"
    return "; ".join(parts) + "."


SHORT_DISCLAIMER = "Decision support only: not a substitute for clinical judgement."


def short_note(
    result: Assessment,
    title: str,
    case: Mapping[str, Any],
    based: Sequence[Basis],
    refs: Sequence[Mapping[str, Any]],
    on: date,
) -> str:
    """The note to file (plain text, under 700 characters for a usual card): the date and the assessment, the
    case in one line, the response with its guideline, the plan in the order to act, the next test, what
    conflicts and what was assumed, one or two key references, the disclaimer."""
    given = [said(f, v) for f, v in case.items() if f in FIELDS and v is not None and f != "on_reduced_dose"]
    assumed = [b for b in based if b.how == "assumed"]
    lines = [f"{on.isoformat()} · Imatinib decision support, rule set {result.rule_set_version}: {title}"]
    if given:
        lines.append("Case: " + ", ".join(given) + ".")
    if result.response_status:
        lines.append(f"Response: {result.response_status.replace('_', ' ')} (ELN 2020 milestones).")
    lines += [f"{CONFLICTS_HEAD} {_sentence(c.message)}." for c in result.conflicts]
    plan = [r for r in result.recommendations if r.code not in TEST_CODES]
    tests = [r for r in result.recommendations if r.code in TEST_CODES]
    if plan:
        lines.append("Plan: " + " ".join(f"{i}. {_sentence(r.summary)}." for i, r in enumerate(plan, 1)))
    if tests:
        lines.append("Next test: " + " ".join(f"{_sentence(r.summary)}." for r in tests))
    if not result.recommendations:
        lines.append(bottom_line(result))
    if assumed:
        lines.append("Assumed (not given): " + "; ".join(f"{b.label.lower()} {b.value}" for b in assumed) + ".")
    key = [r for r in refs if SOURCES[r["key"]].authors and SOURCES[r["key"]].year] or list(refs)
    if key:
        lines.append("Key references: " + "; ".join(SOURCES[r["key"]].label() for r in key[:2]) + ".")
    lines.append(SHORT_DISCLAIMER)
    return plain("\n".join(lines))


# --- what the levels mean against the thresholds --------------------------------------------------

_TROUGH_KEYS = "[seed-5] [picard-2007]"


def findings(result: Assessment, case: Mapping[str, Any]) -> List[str]:
    """Statements of fact about the levels given (with their sources), whatever the rules decided."""
    out: List[str] = []
    trough = case.get("trough_ng_ml")
    invalid = [r for r in ("TDM-SS", "TDM-TIME") if r in result.rules_fired]
    if isinstance(trough, (int, float)) and invalid:  # not a valid trough sample: not compared with the target
        why = "before steady state" if "TDM-SS" in invalid else "outside the trough window"
        out.append(
            f"Trough {T.ng(trough)} was drawn {why}, so it is not compared with the {T.TROUGH_TARGET} target: a "
            f"valid trough is drawn just before the next dose at steady state [seed-6]."
        )
    elif isinstance(trough, (int, float)):
        side = "below" if trough < T.TROUGH_TARGET_NG_ML else "at or above"
        out.append(
            f"Trough {T.ng(trough)} is {side} the {T.TROUGH_TARGET} target that goes with better cytogenetic and "
            f"molecular response {_TROUGH_KEYS}."
        )
        if result.response_status is None:
            out.append(
                "The response is not known (no BCR-ABL1 with its time on imatinib, and no response status), so "
                "this level alone does not decide a dose change."
            )
    return out


# --- a series of results --------------------------------------------------------------------------


def classify(point: Point) -> Optional[str]:
    """The point against the ELN milestones (optimal / warning / failure), by the response rules (once per
    result: the same cached decision as the CDS series); None before the first milestone or without a time."""
    if point.months is None or point.months < T.FIRST_MILESTONE_MONTHS:
        return None
    return response_status(point.months, point.value)


def change(points: Sequence[Point]) -> Optional[str]:
    """The latest change as a fact: a rise or a fall since the previous result (no rule is drawn from it)."""
    if len(points) < 2:
        return None
    before, last = points[-2].value, points[-1].value
    if before <= 0 or last <= 0 or before == last:
        return None
    ratio = last / before if last > before else before / last
    word = "rise" if last > before else "fall"
    if ratio >= 2:
        return f"about {ratio:.0f}-fold {word} since the previous result ({before:g} % → {last:g} %)"
    return f"{word} since the previous result ({before:g} % → {last:g} %)"


def series_payload(points: Sequence[Point]) -> Optional[Dict[str, Any]]:
    if len(points) < 2:
        return None
    return {
        "points": [{"months": p.months, "value": p.value, "status": classify(p), "label": p.label()} for p in points],
        "change": change(points),
        "lines": [
            {"value": T.MMR_PCT, "label": f"MMR {T.pct(T.MMR_PCT)}"},
            {"value": T.MR4_PCT, "label": f"MR4 {T.pct(T.MR4_PCT)}"},
        ],
        "milestones": [
            {"months": m.from_months, "optimal": m.optimal_max, "failure": m.warning_max} for m in T.MILESTONES
        ],
    }


def series_lines(points: Sequence[Point]) -> List[str]:
    if len(points) < 2:
        return []
    rows = [f"- {p.label()}" + (f": {s}" if (s := classify(p)) else "") for p in points]
    moved = change(points)
    head = "Series of BCR-ABL1 results (ELN 2020 milestones):"
    return [head, *rows] + ([f"Latest change: {moved}."] if moved else [])


# --- the card ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    """One recommendation card, built once and rendered by every channel: the widget and Slack read
    :attr:`payload`, the REST text is :attr:`text`, the CDS card renders its own markdown from these fields,
    and the notes are :attr:`note` (short, to file) and :attr:`note_full`. Citations are numbered once, in
    :attr:`references`: each recommendation's detail and each finding carry those numbers."""

    card_id: str
    title: str
    result: Assessment
    bottom_line: str
    details: Tuple[str, ...]  # each recommendation's detail, its citations numbered as in ``references``
    findings: Tuple[str, ...]  # what the levels mean, numbered alike
    references: Tuple[Dict[str, Any], ...]  # {n, key, text, url}
    based_on: Tuple[Basis, ...] = ()
    series: Tuple[Point, ...] = ()
    case: Mapping[str, Any] = field(default_factory=dict)  # the values assessed (the short note's "Case:" line)
    on: date = field(default_factory=date.today)  # the notes' date

    @property
    def note(self) -> str:
        """The short note to file (built when asked for: the CDS card, for one, never files it)."""
        return short_note(self.result, self.title, self.case, self.based_on, self.references, self.on)

    @property
    def note_full(self) -> str:
        """The whole card as a plain-text note."""
        return note(
            self.result, self.title, self.based_on, self.findings, self.details, self.references, self.series, self.on
        )

    @property
    def recommendations(self) -> List[Tuple[Recommendation, str]]:
        """Each recommendation with its numbered detail, in the rules' order."""
        return list(zip(self.result.recommendations, self.details, strict=True))

    @property
    def payload(self) -> Dict[str, Any]:
        """The channel-independent card as JSON (web widget, Slack, REST custom payload)."""
        result = self.result
        return {
            "type": "recommendation",
            "card_id": self.card_id,
            "title": self.title,
            "assessment": result.dict(),
            "references": [dict(r) for r in self.references],
            "based_on": [b.as_dict() for b in self.based_on],
            "findings": list(self.findings),
            "missing": [{"field": f, "label": short_name(f)} for f in result.missing_inputs],  # named for the widget
            "series": series_payload(self.series),
            "disclaimer": DISCLAIMER,
            "bottom_line": self.bottom_line,
            "note": self.note,
            "note_full": self.note_full,
        }

    @property
    def text(self) -> str:
        """The card as markdown (the REST channel's text), numbered as the payload."""
        result = self.result
        lines: List[str] = [f"⚠️ **{self.bottom_line}**" if result.conflicts else f"**{self.bottom_line}**"]
        if result.response_status:
            lines.append(f"Response status: **{result.response_status.replace('_', ' ')}**")
        for i, (r, detail) in enumerate(self.recommendations, 1):
            lines += [f"{i}. {_ICON.get(r.indicator, '')} **{r.summary}**", f"   {detail}"]
            if r.options:
                lines.append(f"   Options: {', '.join(r.options)}")
            if r.avoid:
                lines.append(f"   Avoid: {', '.join(r.avoid)}")
        lines += self.findings
        if result.missing_inputs:  # as the widget shows it: what would complete the assessment
            lines.append(f"Still needed: {field_names(result.missing_inputs)}.")
        lines += series_lines(self.series)
        if self.based_on:
            lines.append("Based on: " + "; ".join(b.text() for b in self.based_on) + ".")
        if result.assumptions:
            lines.append("Assumptions:")
            lines += [f"- {a}" for a in result.assumptions]
        if self.references:
            lines.append("References:")
            lines += [line(r) for r in self.references]
        lines.append(f"Rules: {', '.join(result.rules_fired) or 'none'} (rule set {result.rule_set_version})")
        lines.append(f"_{DISCLAIMER}_")
        return "\n".join(lines)


def build(
    result: Assessment,
    case: Mapping[str, Any],
    *,
    card_id: str,
    title: str,
    based_on: Iterable[Basis] = (),
    series: Sequence[Point] = (),
    on: Optional[date] = None,
) -> Card:
    """The card of ``result`` for the values of ``case``: citations numbered once (details, then findings, then
    the recommendations' own lists), the bottom line, and both notes dated ``on`` (today by default)."""
    based, points, day = tuple(based_on), tuple(series), on or date.today()
    numbering = Numbering()
    details = tuple(numbering.number(r.detail) for r in result.recommendations)
    facts = tuple(numbering.number(t) for t in findings(result, case))
    numbering.cite(k for r in result.recommendations for k in r.citations)
    refs = tuple(numbering.references())
    return Card(
        card_id=card_id,
        title=title,
        result=result,
        bottom_line=bottom_line(result),
        details=details,
        findings=facts,
        references=refs,
        based_on=based,
        series=points,
        case=dict(case),
        on=day,
    )


def note(
    result: Assessment,
    title: str,
    based: Sequence[Basis],
    facts: Sequence[str],
    details: Sequence[str],
    refs: Sequence[Mapping[str, Any]],
    series: Sequence[Point],
    on: date,
) -> str:
    """A plain-text summary for the patient record: no markdown, no identifiers."""
    lines = [
        f"Imatinib dose-optimisation decision support, {on.isoformat()}: {title}",
        f"Rule set {result.rule_set_version}; rules: {', '.join(result.rules_fired) or 'none'}",
    ]
    if based:
        lines.append("Inputs: " + "; ".join(b.text() for b in based))
    lines += [f"{CONFLICTS_HEAD} {c.message}." for c in result.conflicts]
    if result.response_status:
        lines.append(f"Response status: {result.response_status.replace('_', ' ')}")
    lines.append("Recommendations:")
    for i, (r, detail) in enumerate(zip(result.recommendations, details, strict=True), 1):
        lines.append(f"{i}. {plain(r.summary)} {plain(detail)}")
    if not result.recommendations:
        lines.append(f"None yet: {field_names(result.missing_inputs)} needed.")
    lines += [plain(f) for f in facts]
    lines += [plain(x) for x in series_lines(series)]
    if result.assumptions:
        lines.append("Assumptions: " + " ".join(result.assumptions))
    if refs:
        lines.append("References:")
        lines += [f"{r['n']}. {r['text']}" + (f" {r['url']}" if r.get("url") else "") for r in refs]
    lines.append(DISCLAIMER)
    return "\n".join(lines)

"""An ``Assessment`` of the decision module → one CDS Hooks 2.0.1 card.

A card is one assessment: its ``summary`` is the first recommendation's (the one a clinician acts on
first; the decision module keeps every summary under 140 characters), its ``indicator`` the most
severe of its recommendations, its ``detail`` (GitHub-flavoured markdown) the chat's card model
(:func:`knowledge.card.build`: the bottom line, every recommendation and finding with the citations
numbered once) rendered for the EHR, with what was read from the record, what is still needed, the
assumptions, the references with their PubMed/DOI links, the rules that fired and the disclaimer. ``source`` is the
first cited source that the registry links to PubMed or a DOI. An assessment with neither a
recommendation nor a missing value gives no card.

Two cards are not an assessment, so that nothing unreadable is answered with silence:
``unreadable_card`` (one ``info`` card: what could not be read, and that nothing was assessed) and
``variant_card`` (an ABL1 variant reported present that could not be named: the decision module's
own rules on a detected mutation, and what it needs, instead of "send mutation analysis").
"""

from __future__ import annotations

import uuid
from typing import Any, Dict, Iterable, List, Optional

from knowledge import ASSESSMENT_NAMES, DISCLAIMER, INDICATORS, Assessment, Recommendation
from knowledge.card import RULES, SOURCES, Card, Numbering, build, line

from .case import RECORD_LABELS, RecordCase, pct_text

SUMMARY_LIMIT = 140  # CDS Hooks: a summary is under 140 characters
SERIES_ROWS = 8  # the latest results shown in a card's table (display only)
TITLES = {name: a.record_title for name, a in ASSESSMENT_NAMES.items()}
OVERRIDE_SYSTEM = "urn:imatinib-cds:override-reason"
OVERRIDE_REASONS = (
    ("record-incomplete", "The record is incomplete or out of date"),
    ("clinical-judgement", "Clinical judgement: this patient's circumstances differ"),
    ("patient-preference", "The patient's preference"),
    ("specialist-plan", "Following a specialist's or a trial's plan"),
    ("already-done", "Already done or already planned"),
)


def source_url(key: str) -> Optional[str]:
    return SOURCES[key].url


def source_label(key: str) -> str:
    return SOURCES[key].label()


def card_source(keys: Iterable[str], rule_set: str) -> Dict[str, str]:
    """The first cited source with a PubMed or DOI link; else the first cited (label only); else the rules."""
    keys = [k for k in keys if k in SOURCES]
    linked = next((k for k in keys if source_url(k)), None)
    if linked is not None:
        return {"label": source_label(linked), "url": source_url(linked)}
    if keys:
        return {"label": source_label(keys[0])}
    return {"label": f"Imatinib dose-optimisation rules (rule set {rule_set})"}


def severity(recs: Iterable[Recommendation]) -> str:
    return max((r.indicator for r in recs), key=INDICATORS.index, default="info")


def labels(fields: Iterable[str], rc: Optional[RecordCase] = None) -> List[str]:
    """What missing values are called in the record (time on imatinib, when the start is known, needs a
    dated BCR-ABL1 result, not a start date)."""
    named = {**RECORD_LABELS, **({"months_on_tki": RECORD_LABELS["bcr_abl1_is"]} if rc and rc.start else {})}
    return list(dict.fromkeys(named.get(f, f.replace("_", " ")) for f in fields))


def fit(text: str) -> str:
    """A summary that is certain to be under the limit (the decision module's already are)."""
    return text if len(text) < SUMMARY_LIMIT else text[: SUMMARY_LIMIT - 2].rstrip() + "…"


def missing_summary(name: str, missing: List[str], rc: Optional[RecordCase] = None) -> str:
    named = labels(missing, rc)
    text = f"{TITLES[name]}: not assessable, missing {', '.join(named)}."
    return text if len(text) < SUMMARY_LIMIT else f"{TITLES[name]}: not assessable, values missing from the record."


def series_table(rc: RecordCase) -> List[str]:
    if not rc.rows:
        return []
    rows = rc.rows[-SERIES_ROWS:]
    out = ["| Date | Months on imatinib | BCR-ABL1 (% IS) | ELN 2020 |", "|---|---|---|---|"]
    for r in rows:
        months = "–" if r.months is None else f"{r.months:g}"
        shown = r.shown if r.shown.endswith("%") or not r.shown[0].isdigit() else f"{pct_text(r.pct)} %"
        out.append(f"| {r.day} | {months} | {shown} | {(r.zone or '–').replace('_', ' ')} |")
    if len(rc.rows) > len(rows):
        out.append(f"\n{len(rc.rows) - len(rows)} earlier result(s) not shown.")
    return out


def detail(name: str, k: Card, rc: RecordCase, lead: Optional[str] = None, summary: str = "") -> str:
    """The card's markdown, rendered from the one card model (:mod:`knowledge.card`): its bottom line first
    (unless it is the card's ``summary`` itself, which the EHR shows just above), then the recommendations,
    what the levels mean, what was read from the record, what is still needed, the assumptions, the
    references with their links, the rules and the disclaimer."""
    a = k.result
    status = f" · response: **{a.response_status.replace('_', ' ')}**" if a.response_status else ""
    lines: List[str] = [f"**{TITLES[name]}**{status}"]
    if k.bottom_line.rstrip(".") != summary.rstrip("."):
        lines += ["", ("⚠️ " if a.conflicts else "") + f"**{k.bottom_line}**"]
    if lead:
        lines += ["", lead]
    if k.recommendations:
        lines.append("")
    for i, (r, text) in enumerate(k.recommendations, 1):
        lines.append(f"{i}. **{r.summary}** ({r.indicator}) {text}")
        if r.options:
            lines.append(f"   Options: {', '.join(r.options)}.")
        if r.avoid:
            lines.append(f"   Avoid: {', '.join(r.avoid)}.")
    if k.findings:
        lines += ["", "**What the levels mean**", ""] + [f"- {f}" for f in k.findings]
    lines += ["", "**From the record**", ""] + [f"- {f}" for f in rc.facts]
    table = series_table(rc)
    if table:
        lines += [""] + table
    if a.missing_inputs:
        lines += ["", "**Still needed:** " + ", ".join(labels(a.missing_inputs, rc)) + "."]
    assumptions = list(dict.fromkeys(rc.assumptions + list(a.assumptions)))
    if assumptions:
        lines += ["", "**Assumptions**", ""] + [f"- {x}" for x in assumptions]
    if k.references:
        lines += ["", "**References**", ""] + [line(r, links=True) for r in k.references]
    lines += ["", f"Rules: {', '.join(a.rules_fired)} (rule set {a.rule_set_version}).", "", f"_{DISCLAIMER}_"]
    return "\n".join(lines)


def card(
    name: str,
    a: Assessment,
    rc: RecordCase,
    fields: Dict[str, Any],
    links: List[Dict[str, str]],
    summary: Optional[str] = None,
    indicator: Optional[str] = None,
    lead: Optional[str] = None,
    suggestions: Optional[List[Dict[str, Any]]] = None,
) -> Optional[Dict[str, Any]]:
    """The CDS card of one assessment of ``fields`` (the case read from the record), or None when it has
    nothing to say. Its ``summary`` is the first recommendation's (CDS Hooks keeps summaries under 140
    characters); its detail opens with the card's bottom line."""
    if not a.recommendations and not a.missing_inputs and not a.conflicts:
        return None
    if summary is None:
        summary = a.recommendations[0].summary if a.recommendations else missing_summary(name, a.missing_inputs, rc)
    uid = str(uuid.uuid4())
    k = build(a, fields, card_id=uid, title=TITLES[name])
    out: Dict[str, Any] = {
        "uuid": uid,
        "summary": fit(summary),
        "indicator": indicator or severity(a.recommendations),
        "detail": detail(name, k, rc, lead, fit(summary)),
        "source": card_source([r["key"] for r in k.references], a.rule_set_version),
        "overrideReasons": [{"system": OVERRIDE_SYSTEM, "code": c, "display": d} for c, d in OVERRIDE_REASONS],
        "links": links,
    }
    if suggestions:
        out["suggestions"] = suggestions
        out["selectionBehavior"] = "at-most-one"
    return out


SERVICE_SOURCE = {"label": "Imatinib CDS Hooks service: what it could read from the record"}


def _plain_card(summary: str, indicator: str, lines: List[str], source: Dict[str, str]) -> Dict[str, Any]:
    return {
        "uuid": str(uuid.uuid4()),
        "summary": fit(summary),
        "indicator": indicator,
        "detail": "\n".join(lines + ["", f"_{DISCLAIMER}_"]),
        "source": source,
    }


def unreadable_card(rc: RecordCase, lead: Optional[str] = None) -> Dict[str, Any]:
    """One info card: what could not be read (``rc.blocked``), what was, and that nothing was assessed."""
    lines = ["**Part of the record could not be read: nothing was assessed**"]
    lines += ["", lead] if lead else []
    lines += ["", "Could not be read:", ""] + [f"- {b}" for b in rc.blocked]
    if rc.facts:
        lines += ["", "**From the record**", ""] + [f"- {f}" for f in rc.facts]
    if rc.assumptions:
        lines += ["", "**Also noted**", ""] + [f"- {x}" for x in rc.assumptions]
    lines += [
        "",
        "An assessment on part of the record could miss the latest results or the current dose. Once the EHR "
        "can give these data, the card is the assessment.",
    ]
    summary = "Imatinib decision support: part of the record could not be read, so nothing was assessed."
    return _plain_card(summary, "info", lines, SERVICE_SOURCE)


def variant_card(rc: RecordCase, lead: Optional[str] = None) -> Dict[str, Any]:
    """An ABL1 variant reported present but not named: the rules on a detected mutation, and what they need."""
    v = rc.unnamed_variant
    rules = ("RESP-MUT", "MUT")
    numbering = Numbering()
    texts = [numbering.number(RULES[r]) for r in rules]
    lines = ["**Kinase-domain mutation: a variant the rules cannot name**"]
    lines += ["", lead] if lead else []
    lines += [
        "",
        f"An ABL1 variant is reported **present** on {v.day} ({v.described}), but not as an amino-acid change "
        f"the rules can read. Mutation analysis has been done: what the rules need is the protein change "
        f"(p.HGVS, e.g. p.Thr315Ile), from the report or the laboratory.",
        "",
        "What the rules say of a detected mutation:",
        "",
    ]
    lines += [f"- {t} ({r})" for r, t in zip(rules, texts, strict=True)]
    lines += ["", "**From the record**", ""] + [f"- {f}" for f in rc.facts]
    table = series_table(rc)
    lines += [""] + table if table else []
    assumptions = list(dict.fromkeys(rc.assumptions))
    lines += ["", "**Assumptions**", ""] + [f"- {x}" for x in assumptions] if assumptions else []
    lines += ["", "**References**", ""] + numbering.lines(links=True)
    summary = "An ABL1 mutation is reported but not named: give its protein change to get the mutation-guided choice."
    return _plain_card(summary, "warning", lines, card_source(numbering.keys, ""))

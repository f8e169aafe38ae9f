"""Plain-text/markdown rendering of assessments, shared by the CLI demo and the assistant.

Inline source keys such as ``[clark-2017]`` become numbered markers ``[1]``, followed by a
numbered reference list and the disclaimer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, Iterable, List, Tuple

from .models import Assessment
from .sources import SOURCES
from .vocab import DISCLAIMER, field_names

_KEY = re.compile(r"\[([a-z0-9]+(?:-[a-z0-9]+)*)\]")
_ICON = {"info": "ℹ️", "warning": "⚠️", "critical": "⛔"}


def number_citations(texts: Iterable[str], extra_keys: Iterable[str] = ()) -> Tuple[List[str], List[str]]:
    """Replace ``[key]`` by ``[n]`` across ``texts`` (first cited = 1); returns texts and keys in order."""
    order: Dict[str, int] = {}

    def num(m: "re.Match[str]") -> str:
        key = m.group(1)
        if key not in SOURCES:
            return m.group(0)
        order.setdefault(key, len(order) + 1)
        return f"[{order[key]}]"

    out = [_KEY.sub(num, t) for t in texts]
    for k in extra_keys:
        if k in SOURCES:
            order.setdefault(k, len(order) + 1)
    return out, list(order)


def references(keys: Iterable[str]) -> List[str]:
    return [f"{i}. {SOURCES[k].reference()}" for i, k in enumerate(keys, 1)]


@dataclass(frozen=True)
class Rendered:
    """An assessment as text, and its references in the order of their numbers ([1], [2], …)."""

    text: str
    references: Dict[str, str]  # source key → its one-line reference, numbered in this order


def render_assessment(result: Assessment) -> Rendered:
    lines: List[str] = []
    if result.response_status:
        lines.append(f"Response status: **{result.response_status.replace('_', ' ')}**")
    texts = []
    for r in result.recommendations:
        texts.append(r.detail)
    details, keys = number_citations(texts, [k for r in result.recommendations for k in r.citations])
    for i, (r, detail) in enumerate(zip(result.recommendations, details, strict=True), 1):
        head = f"{i}. {_ICON.get(r.indicator, '')} **{r.summary}**"
        lines.append(head)
        lines.append(f"   {detail}")
        if r.options:
            lines.append(f"   Options: {', '.join(r.options)}")
        if r.avoid:
            lines.append(f"   Avoid: {', '.join(r.avoid)}")
    if not result.recommendations:
        lines.append("No recommendation yet.")
    if result.missing_inputs:
        lines.append(f"Still needed: {field_names(result.missing_inputs)}.")
    if result.assumptions:
        lines.append("Assumptions:")
        lines += [f"- {a}" for a in result.assumptions]
    if keys:
        lines.append("References:")
        lines += references(keys)
    lines.append(f"Rules: {', '.join(result.rules_fired) or 'none'} (rule set {result.rule_set_version})")
    lines.append(f"_{DISCLAIMER}_")
    return Rendered("\n".join(lines), {k: SOURCES[k].reference() for k in keys})


UNVERIFIED_CAVEAT = "(unverified: our evidence brief could not confirm this; check before relying on it)"


def render_topic(topic) -> str:
    """A FAQ topic as markdown: statements with numbered citations, the references, the disclaimer."""
    texts = []
    for s in topic.statements:
        marks = "".join(f"[{k}]" for k in s.citations)
        texts.append(f"{s.text} {marks}" + (f" {UNVERIFIED_CAVEAT}" if s.unverified else ""))
    numbered, keys = number_citations(texts)
    lines = [f"**{topic.title}**"] + [f"- {t}" for t in numbered]
    lines.append("References:")
    lines += references(keys)
    lines.append(f"_{DISCLAIMER}_")
    return "\n".join(lines)

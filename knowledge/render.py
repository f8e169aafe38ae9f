"""A FAQ topic as markdown (an assessment's text is its card's: :mod:`knowledge.card`).

Inline source keys such as ``[clark-2017]`` become numbered markers ``[1]`` (:mod:`knowledge.citations`),
followed by the numbered reference list and the disclaimer.
"""

from __future__ import annotations

from .citations import Numbering
from .vocab import DISCLAIMER

UNVERIFIED_CAVEAT = "(unverified: the sources here could not confirm this; check before relying on it)"


def render_topic(topic) -> str:
    """A FAQ topic as markdown: statements with numbered citations, the references, the disclaimer."""
    texts = []
    for s in topic.statements:
        marks = "".join(f"[{k}]" for k in s.citations)
        texts.append(f"{s.text} {marks}" + (f" {UNVERIFIED_CAVEAT}" if s.unverified else ""))
    numbering = Numbering()
    lines = [f"**{topic.title}**"] + [f"- {numbering.number(t)}" for t in texts]
    lines.append("References:")
    lines += numbering.lines()
    lines.append(f"_{DISCLAIMER}_")
    return "\n".join(lines)

"""A FAQ topic as markdown (an assessment's text is its card's: :mod:`knowledge.card`).

Inline source keys such as ``[clark-2017]`` become numbered markers ``[1]`` (:mod:`knowledge.citations`),
followed by the numbered reference list with its PubMed/DOI links and the disclaimer. ``topic_numbering`` is
the one numbering of a topic: its answer, its "sources" and the copied answer share it.
"""

from __future__ import annotations

import re
from typing import List, Tuple

from .citations import Numbering
from .vocab import DISCLAIMER

UNVERIFIED_CAVEAT = "(unverified: the sources here could not confirm this; check before relying on it)"


def _statements(topic) -> Tuple[List[str], Numbering]:
    texts = []
    for s in topic.statements:
        marks = "".join(f"[{k}]" for k in s.citations)
        texts.append(f"{s.text} {marks}" + (f" {UNVERIFIED_CAVEAT}" if s.unverified else ""))
    numbering = Numbering()
    return [numbering.number(t) for t in texts], numbering


def topic_numbering(topic) -> Numbering:
    """The numbering of the topic's answer (what its "sources" lists, in the same numbers)."""
    return _statements(topic)[1]


def render_topic(topic) -> str:
    """A FAQ topic as markdown: statements with numbered citations, the references with links, the disclaimer."""
    texts, numbering = _statements(topic)
    lines = [f"**{topic.title}**"] + [f"- {t}" for t in texts]
    lines.append("References:")
    lines += numbering.lines(links=True)
    lines.append(f"_{DISCLAIMER}_")
    return "\n".join(lines)


_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s)]+)\)")


def plain(text: str) -> str:
    """Our markdown as plain text to paste into a record: no emphasis marks, a link as "PubMed: <url>"."""
    text = _LINK.sub(r"\1: \2", text)
    return re.sub(r"(?<![\w*])(\*\*|_)(.+?)\1(?![\w*])", r"\2", text).replace("`", "")

"""Citations: the one home of how a source key in a text becomes a number, a reference line and a link.

Texts cite sources by key (``[clark-2017]``, keys of :data:`knowledge.sources.SOURCES`). A :class:`Numbering`
gives each key its number in first-cited order; every channel (chat text, the widget's card, Slack, the
note, the CDS card) numbers and lists references through it, so the numbers in a text and in its
reference list cannot drift apart.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

from .sources import DOI, PUBMED, SOURCES

KEY = re.compile(r"\[([a-z0-9]+(?:-[a-z0-9]+)*)\]")
GROUP = re.compile(r"(?:\[[a-z0-9]+(?:-[a-z0-9]+)*\][ \t]*)*\[[a-z0-9]+(?:-[a-z0-9]+)*\]")  # keys side by side


class Numbering:
    """Source keys numbered in the order they are first cited; ``keys`` continues an existing numbering."""

    def __init__(self, keys: Iterable[str] = ()):
        self.keys: List[str] = [k for k in keys if k in SOURCES]

    def number_of(self, key: str) -> int:
        if key not in self.keys:
            self.keys.append(key)
        return self.keys.index(key) + 1

    def number(self, text: str) -> str:
        """``[key]`` → ``[n]`` for every known key in ``text`` (an unknown bracket is left as it is). In a run of
        citations side by side, the primary sources come first and a secondary source after them."""
        return GROUP.sub(lambda m: self._group(m.group(0)), text)

    def _group(self, run: str) -> str:
        keys = KEY.findall(run)
        if not all(k in SOURCES for k in keys):  # an unknown bracket: left as it is, the known ones numbered
            return KEY.sub(lambda m: f"[{self.number_of(m.group(1))}]" if m.group(1) in SOURCES else m.group(0), run)
        ordered = sorted(keys, key=lambda k: SOURCES[k].secondary)  # stable: primaries first, in their order
        sep = " " if re.search(r"\]\s+\[", run) else ""
        return sep.join(f"[{self.number_of(k)}]" for k in ordered)

    def cite(self, keys: Iterable[str]) -> None:
        """Numbers keys cited without a marker in a text (a recommendation's own list of sources)."""
        for k in sorted(keys, key=lambda k: k in SOURCES and SOURCES[k].secondary):
            if k in SOURCES:
                self.number_of(k)

    def references(self) -> List[Dict[str, object]]:
        """The reference list as a card carries it: ``{n, key, text, url}`` in the order of the numbers."""
        return [{"n": n, "key": k, "text": reference(k), "url": SOURCES[k].url} for n, k in enumerate(self.keys, 1)]

    def lines(self, used: Optional[Iterable[int]] = None, links: bool = False) -> List[str]:
        """``"n. reference"`` for every number (or only those ``used``), with PubMed/DOI links if asked."""
        keep = set(used) if used is not None else None
        return [line(r, links) for r in self.references() if keep is None or r["n"] in keep]


def line(ref: Mapping[str, Any], links: bool = False) -> str:
    """One entry of a reference list (``{n, key, text}``) as ``"n. reference"``, with its links if asked."""
    return f"{ref['n']}. {ref['text']}" + (link_text(str(ref["key"])) if links else "")


def numbers_in(texts: Iterable[str]) -> List[int]:
    """The citation numbers used in ``texts``, sorted."""
    return sorted({int(n) for t in texts for n in re.findall(r"\[(\d+)\]", t)})


def reference(key: str) -> str:
    return SOURCES[key].reference()


def links(key: str) -> List[Tuple[str, str]]:
    """Where a clinician reads the source: (PubMed, url) and (DOI, url), those that exist."""
    src = SOURCES[key]
    out = []
    if src.pmid:
        out.append(("PubMed", PUBMED.format(src.pmid)))
    if src.doi:
        out.append(("DOI", DOI.format(src.doi)))
    return out


def link_text(key: str) -> str:
    """The links as markdown after a reference line: " [PubMed](…) · [DOI](…)" (or nothing)."""
    found = links(key)
    return " " + " · ".join(f"[{name}]({url})" for name, url in found) if found else ""

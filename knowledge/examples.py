"""A general question answered for the example it gives: "is 0.07 % still MMR?", "is 2 % at 1 year a failure?".

The answer applies the same thresholds and rules as an assessment (``thresholds``, the response rules) to the
numbers in the question, and cites the sources of the definitions it uses; it is a statement about the rule,
not a patient's recommendation. Pure; the source keys are those the FAQ cites for the same facts.
"""

from __future__ import annotations

from typing import Dict, Optional

from . import thresholds as T
from . import topics
from .api import assess_request

# the response categories from the deepest, each with the FAQ topic that defines it (its citations)
_CATEGORIES = (
    ("MR5", T.MR5_PCT, "mr5_definition"),
    ("MR4.5", T.MR45_PCT, "mr45_definition"),
    ("MR4", T.MR4_PCT, "mr4_definition"),
    ("MMR", T.MMR_PCT, "mmr_definition"),
)


def _cited(text: str, topic_id: str) -> str:
    keys = topics.get_topic(topic_id).statements[0].citations
    return text + " " + "".join(f"[{k}]" for k in keys)


def category(level: float) -> str:
    """The deepest molecular response a BCR-ABL1 level (% IS) is within, with its definition's sources."""
    for name, limit, topic in _CATEGORIES:
        if level <= limit:
            return _cited(f"{level:.3g} % IS is within {name} (≤ {T.pct(limit)} IS).", topic)
    return _cited(f"{level:.3g} % IS is above {T.MMR} IS, so it is not MMR.", "mmr_definition")


def milestone(level: float, months: float) -> Optional[str]:
    """The ELN 2020 class of a level at a time on imatinib, by the response rules an assessment applies."""
    result, errors = assess_request({"assessment": "response", "bcr_abl1_is": level, "months_on_tki": months})
    if errors or result is None or not result.response_status:
        return None
    status = result.response_status.replace("_", " ")
    if status == "too early":
        return f"Before 3 months on imatinib, {level:.3g} % IS is too early to classify by the ELN 2020 milestones" + (
            " [eln-2020]."
        )
    text = f"By the ELN 2020 milestones, {level:.3g} % IS at {months:g} months is **{status}**"
    if status == "warning" and 3 <= months < 6:
        text += " (failure when a repeat test confirms it)"
    return text + " [eln-2020]."


def answer(values: Dict[str, float]) -> Optional[str]:
    """The rule applied to the question's example values, with ``[source]`` keys; None when the example is not
    one the rules classify (only a BCR-ABL1 level, with or without a time on imatinib, is)."""
    level, months = values.get("bcr_abl1_is"), values.get("months_on_tki")
    if not isinstance(level, (int, float)) or isinstance(level, bool):
        return None
    if isinstance(months, (int, float)) and not isinstance(months, bool):
        return milestone(float(level), float(months))
    return category(float(level))

"""Questions the sources here do not answer, said as such (issue 20): the nearest topics are offered instead of
another topic's answer given with confident citations.

Where the evidence brief has a safety fact for the question (the label's embryo-fetal toxicity for pregnancy),
that fact is said with its source; a conversion the assistant itself performs is answered with its factor.
Pure data and one matcher; the texts cite registry keys like every clinical statement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Tuple

from . import thresholds as T

NOT_COVERED = "That is outside what my sources cover"


@dataclass(frozen=True)
class Gap:
    id: str
    pattern: "re.Pattern[str]"
    text: str  # what is said: what is not covered, and any fact the brief does hold (with [source] keys)
    nearest: Tuple[str, ...]  # FAQ topics offered instead


def _rx(pattern: str) -> "re.Pattern[str]":
    return re.compile(pattern, re.I)


GAPS: Tuple[Gap, ...] = (
    Gap(
        "unit_conversion",
        _rx(
            r"\b(?:conver\w*|factor|translate|how many ng|in ng)\b.{0,60}\b(?:[uµμ]mol|micromol|nmol|mg/l|ng/ml|molar)"
            r"|\b(?:[uµμ]mol|micromol|nmol|mg/l)\S*\s+(?:to|into|->|in)\s+(?:ng|µg|ug)"
        ),
        f"I convert imatinib trough levels to ng/mL with these factors: 1 µmol/L = {T.NG_ML_PER_UMOL_L:g} ng/mL, "
        f"1 nmol/L = {T.NG_ML_PER_NMOL_L:g} ng/mL, 1 mg/L = 1000 ng/mL, and ng/mL = µg/L [project-spec]. "
        f"So 2.1 µmol/L is about {2.1 * T.NG_ML_PER_UMOL_L:.0f} ng/mL.",
        ("trough_threshold", "lc_ms_ms"),
    ),
    Gap(
        "pregnancy",
        _rx(r"\b(?:pregnan\w*|conceiv\w*|conception|fertility|breast-?feed\w*|lactat\w*|ttc|trying for a baby|ivf)\b"),
        f"{NOT_COVERED}: pregnancy planning in CML (for example stopping in deep response before conception, or "
        "what to do if a patient becomes pregnant on treatment) is for the treating specialist. What the label "
        "does say: imatinib can cause fetal harm when given to a pregnant woman, and women who can become "
        "pregnant are advised to avoid pregnancy while taking it [gleevec-label].",
        ("treatment_free_remission", "reduction_goals"),
    ),
    Gap(
        "food",
        _rx(r"\b(?:with food|food|meal|meals|empty stomach|breakfast|alcohol|take it with|with water)\b"),
        f"{NOT_COVERED}: how imatinib is taken with food or drink. They cover interactions through CYP3A4 "
        "(drugs, grapefruit, St John's wort) and why exposure varies.",
        ("drug_interactions", "tdm_overview"),
    ),
    Gap(
        "transplant",
        _rx(r"\b(?:transplant\w*|allo-?sct|allograft|hsct|bmt|stem cell)\b"),
        f"{NOT_COVERED}: allogeneic stem cell transplantation in CML. They cover the work-up of a poor response "
        "and the choice of another TKI.",
        ("suboptimal_response_workup", "mutation_tki_choice"),
    ),
    Gap(
        "other_tki_dosing",
        _rx(
            r"\b(?:dose|dosing|doses|mg|starting dose|start at|titrat\w*)\b.{0,40}\b(?:dasatinib|nilotinib|bosutinib|"
            r"ponatinib|asciminib|sprycel|tasigna|bosulif|iclusig|scemblix)\b"
            r"|\b(?:dasatinib|nilotinib|bosutinib|ponatinib|asciminib|sprycel|tasigna|bosulif|iclusig|scemblix)\b"
            r".{0,40}\b(?:dose|dosing|doses|starting dose|reduction|mg|ecgs?|qtc|echo|monitor\w*|lipids?|glucose|"
            r"levels?|troughs?|cmin|tdm|exposure)\b"
            r"|\b(?:dasatinib|nilotinib|bosutinib|ponatinib|asciminib|sprycel|tasigna|bosulif|iclusig|scemblix)\s*\d{2,3}\b"
            r"|\b(?:ecgs?|qtc|echo|monitor\w*|lipids?|glucose)\b.{0,40}\b(?:dasatinib|nilotinib|bosutinib|ponatinib|"
            r"asciminib|sprycel|tasigna|bosulif|iclusig|scemblix)\b"
        ),
        f"{NOT_COVERED}: the dosing and drug levels of other TKIs. They cover which TKI a mutation favours, and "
        "imatinib's own dose and trough.",
        ("mutation_tki_choice", "escalation_goals"),
    ),
)


def gap(text: str) -> Optional[Gap]:
    """The uncovered question ``text`` asks, if it asks one."""
    for g in GAPS:
        if g.pattern.search(text or ""):
            return g
    return None

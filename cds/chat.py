"""The link from a card to the web chat, opened on the same case.

The case travels as one plain clinical message in the URL *fragment* (``#say=…``), which browsers never
send to a server, so patient values stay out of every server's logs. The message is written the way a
clinician writes (``on imatinib 400 mg once daily for 76.2 months, latest BCR-ABL1 0.004 % IS``): the
chat's extractor and normaliser read it back to the same values, and its opening words ask for the
same assessment as the card (tested in ``tests/unit/cds/test_cds_chat_link.py``). A message states the values
its assessment reads (``FIELDS``): a trough in a response check, or a goal in a trough question, would
make the chat ask another question than the card answers.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping
from urllib.parse import quote

from knowledge import ASSESSMENT_NAMES

from .case import GOAL_WORDS, pct_text

DEFAULT_CHAT_URL = "http://localhost:5005/webhooks/webchat/ui/"

OPENERS = {name: a.opener for name, a in ASSESSMENT_NAMES.items()}

_COMMON = ("phase", "dose_mg", "dosing", "months_on_tki", "bcr_abl1_is", "mutations")
_TROUGH = ("trough_ng_ml", "hours_since_dose", "days_at_current_dose")
FIELDS = {
    "response": _COMMON + ("adherence_pct",),
    "suboptimal_workup": _COMMON + ("adherence_pct",) + _TROUGH,
    "tdm": _COMMON + ("adherence_pct",) + _TROUGH,
    "dose_reduction": _COMMON + ("adherence_pct", "mmr_months", "dmr_months", "goal"),
    "mutation": _COMMON,
    "post_reduction": _COMMON + ("adherence_pct", "on_reduced_dose", "standard_dose_mg"),
}

# fields a message leaves out on purpose: the default standard dose of a patient not on a reduced dose,
# "not on a reduced dose", and a duration of 0 months in MMR/MR4 (the latest result says it)
NOT_STATED = ("standard_dose_mg", "on_reduced_dose", "mmr_months", "dmr_months")


def num(v: float) -> str:
    return f"{v:g}"


def dose_words(dose: int, dosing: Any) -> str:
    if dosing == "twice_daily" and dose % 2 == 0:
        return f"{dose // 2} mg twice daily"
    if dosing == "once_daily":
        return f"{dose} mg once daily"
    return f"{dose} mg/day"


def chat_case(assessment: str, case: Mapping[str, Any]) -> Dict[str, Any]:
    """The values of the case that the assessment reads."""
    return {k: v for k, v in case.items() if k in FIELDS[assessment]}


def message(assessment: str, full_case: Mapping[str, Any]) -> str:
    """The case in words, opened by the question the card answers."""
    case = chat_case(assessment, full_case)
    parts: List[str] = []
    phase = case.get("phase")
    parts.append(f"{phase} phase CML" if phase else "CML")
    months = case.get("months_on_tki")
    dose = case.get("dose_mg")
    dosing = case.get("dosing")
    if case.get("on_reduced_dose") and dose is not None:
        parts.append("on imatinib" + (f" for {num(months)} months" if months is not None else ""))
        parts.append(f"dose reduced from {case.get('standard_dose_mg')} mg to {dose_words(dose, dosing)}")
    elif dose is not None:
        parts.append(
            f"on imatinib {dose_words(dose, dosing)}" + (f" for {num(months)} months" if months is not None else "")
        )
    elif months is not None:
        parts.append(f"on imatinib for {num(months)} months")
    if case.get("bcr_abl1_is") is not None:
        parts.append(f"latest BCR-ABL1 {pct_text(case['bcr_abl1_is'])} % IS")
    if case.get("mmr_months"):
        parts.append(f"in MMR for {num(case['mmr_months'])} months")
    if case.get("dmr_months"):
        parts.append(f"MR4 for {num(case['dmr_months'])} months")
    if case.get("trough_ng_ml") is not None:
        trough = f"trough {num(case['trough_ng_ml'])} ng/mL"
        if case.get("hours_since_dose") is not None:
            trough += f" drawn {num(case['hours_since_dose'])} h after the dose"
        parts.append(trough)
    if case.get("days_at_current_dose") is not None:
        parts.append(f"on the current dose for {num(case['days_at_current_dose'])} days")
    if case.get("adherence_pct") is not None:
        parts.append(f"adherence {num(case['adherence_pct'])} %")
    mutations = case.get("mutations")
    if mutations == []:
        parts.append("no kinase-domain mutations found")
    elif mutations:
        parts.append(" and ".join(mutations) + " detected")
    if case.get("goal"):
        parts.append(f"goal {GOAL_WORDS[case['goal']]}")
    return f"{OPENERS[assessment]} " + ", ".join(parts)


def link(chat_url: str, assessment: str, case: Dict[str, Any]) -> Dict[str, str]:
    """A CDS Hooks link (type absolute) to the chat widget, the message in the fragment."""
    return {
        "label": "Discuss this case in the imatinib assistant",
        "url": f"{chat_url}#say={quote(message(assessment, case), safe='')}",
        "type": "absolute",
    }

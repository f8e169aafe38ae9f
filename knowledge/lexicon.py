"""Clinical shorthand, abbreviations and common misspellings, each read as one word.

``canonical(text)`` gives the message in lower case with every word replaced by its lexicon form ("pt" →
patient, "IM" → imatinib, "b4" → before, "leukaemia" → leukemia). The classifier's tokenizer uses the
same forms as features (``bot/custom/components.py``), the reading of a message its cues
(``reading/speech.py``) and the FAQ search its query (``actions/faq_search.py``).
"""

from __future__ import annotations

import re
from typing import Dict

LEXICON: Dict[str, str] = {
    # people and drugs
    "pt": "patient",
    "pts": "patients",
    "pt's": "patient's",
    "ptnt": "patient",
    "patinet": "patient",
    "im": "imatinib",
    "ima": "imatinib",
    "glivec": "imatinib",
    "gleevec": "imatinib",
    "imatanib": "imatinib",
    "imatinb": "imatinib",
    "imatinab": "imatinib",
    "immatinib": "imatinib",
    "imitinib": "imatinib",
    "imatinbi": "imatinib",
    "tki": "tki",
    "tkis": "tkis",
    "tx": "treatment",
    "rx": "treatment",
    # time
    "yr": "year",
    "yrs": "years",
    "y": "years",
    "mo": "months",
    "mos": "months",
    "mth": "month",
    "mths": "months",
    "mnths": "months",
    "wk": "week",
    "wks": "weeks",
    "hr": "hour",
    "hrs": "hours",
    "b4": "before",
    # measurements
    "lvl": "level",
    "lvls": "levels",
    "conc": "concentration",
    "tdm": "tdm",
    "pcr": "pcr",
    "qpcr": "pcr",
    "rq-pcr": "pcr",
    "bcr-abl": "bcr-abl",
    "bcr-abl1": "bcr-abl",
    "bcr::abl1": "bcr-abl",
    "bcrabl": "bcr-abl",
    # schedules
    "bd": "twice",
    "bid": "twice",
    "b.i.d.": "twice",
    "od": "once",
    "qd": "once",
    "mane": "once",
    "nocte": "once",
    # shorthand
    "w/": "with",
    "w": "with",
    "w/o": "without",
    "re": "about",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "approx": "about",
    "~": "about",
    "dx": "diagnosis",
    "hx": "history",
    "ses": "side-effects",
    "aes": "side-effects",
    "ae": "side-effect",
    "sfx": "side-effects",
    "de-esc": "de-escalate",
    "deescalate": "de-escalate",
    "deescalation": "de-escalation",
    "kd": "kinase-domain",
    # British and American spellings, misspellings
    "leukaemia": "leukemia",
    "leukemia": "leukemia",
    "oedema": "edema",
    "haematology": "hematology",
    "haematologist": "hematologist",
    "anaemia": "anemia",
    "diarrhoea": "diarrhea",
    "optimise": "optimize",
    "optimisation": "optimization",
    "esclation": "escalation",
    "escalte": "escalate",
    "reduciton": "reduction",
    "redcution": "reduction",
    "recomend": "recommend",
    "recomendation": "recommendation",
    "mutaion": "mutation",
    "muation": "mutation",
    "trought": "trough",
}
_TOKEN = re.compile(r"[\w.:/'~-]+|[^\w\s]", re.UNICODE)


def canonical_word(word: str) -> str:
    w = word.lower().strip('.,;:!?()[]"')
    return LEXICON.get(w, w)


def canonical(text: str) -> str:
    """The message in lower case with every word replaced by its lexicon form."""
    return " ".join(canonical_word(t) for t in _TOKEN.findall(text or ""))

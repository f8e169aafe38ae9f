"""Reading an answer to a form's question the way a colleague reads it.

``answer(field, text)`` is :func:`knowledge.normalize.normalize` for a value said in a sentence:
"she's pretty good, 95%+", "been on 400 for over a year", "none found on KD sequencing",
"no, never", "neither really, she just asked". It tries the whole text, then the words that say
"not done" or "none found", then each clause and the value-bearing part of it; whatever it reads goes
through the normaliser, so the grammar of values stays in one place. It raises the normaliser's error
(for the whole text) when no reading succeeds.
"""

from __future__ import annotations

import re
from typing import Any, List

from .normalize import NormalizationError, Normalized, normalize

_FILLER = re.compile(
    r"^\s*(well|so|um+|erm|honestly|ok(ay)?|yes|yeah|yep|no|nope|i think|i guess|about|roughly|around|approx\.?|"
    r"she'?s|he'?s|it'?s|she is|he is|it is|they'?re|was|is|been|on|the|her|his|their|that|sorry|actually)\b[\s,:-]*",
    re.I,
)
_NOT_DONE = re.compile(
    r"\b(not (been )?(done|sent|tested|checked|measured|available)( yet)?|never (been )?(tested|done|sent|checked|"
    r"measured|had (one|it|a level|a trough))|no (level|trough|test|testing|result)s?( (done|yet|sent))?|none yet|"
    r"not yet|haven'?t (done|sent|checked|tested)|don'?t know|do not know|unknown|no idea|skip)\b",
    re.I,
)
_NONE_FOUND = re.compile(
    r"\b(none( found| detected| seen)?|nothing( found| detected)?|neg(ative)?|wild[- ]?type|wt|no (mutations?|"
    r"kinase[- ]domain mutations?|kd mutations?)( found| detected)?|clean|clear)\b",
    re.I,
)
_NEITHER = re.compile(r"\b(neither|no (particular |specific )?(reason|goal)|none of (those|them|these))\b", re.I)
_YES = re.compile(
    r"^\W*(yes|yeah|yep|yup|y|correct|confirmed|definitely|absolutely|true|it was|it is|she does|"
    r"he does|she has|he has|there is)\b",
    re.I,
)
_NO = re.compile(
    r"^\W*(no|nope|nah|n|never|not that i know( of)?|none|not really|i don'?t think so|false|"
    r"she hasn'?t|he hasn'?t|there isn'?t|nothing)\b",
    re.I,
)
_DURATION_FIELDS = ("months_on_tki", "mmr_months", "dmr_months", "days_at_current_dose", "hours_since_dose")
_DURATION = re.compile(
    r"(?:(?:about|around|approx\.?|approximately|roughly|over|more than|almost|nearly|~|>)\s*)?"
    r"(?:\d+(?:[.,]\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a couple of)\s*"
    r"(?:h|hrs?|hours?|d|days?|w|wks?|weeks?|mo|mos|mths?|months?|y|yrs?|years?)\b(?:\s+and\s+a\s+half)?",
    re.I,
)


_AT_LEAST = re.compile(r"^\s*(over|more than|at least|>|>=|≥|almost|nearly|just under|under)\s*", re.I)


def _try(field: str, text: str) -> Normalized:
    return normalize(field, text)


def _candidates(field: str, text: str) -> List[str]:
    """Parts of the answer that may hold the value, best first."""
    t = text.strip().rstrip(".!")
    parts = [t]
    for clause in re.split(r"\s*(?:,|;|\(|\)|\s-\s|\s–\s|\s—\s|\bbut\b|\band\b(?!\s+a\s+half))\s*", t):
        if clause and clause not in parts:
            parts.append(clause)
    out = []
    for p in parts:
        out.append(p)
        stripped = p
        for _ in range(4):  # "well she was on …" → "she was on …" → …
            nxt = _FILLER.sub("", stripped, count=1)
            if nxt == stripped:
                break
            stripped = nxt
            out.append(stripped)
        if field in _DURATION_FIELDS:
            out += [m.group(0) for m in _DURATION.finditer(p)]
        if field in ("adherence_pct", "bcr_abl1_is"):
            out += re.findall(r"(?<![\d.,])~?\d+(?:[.,]\d+)?\s*%", p)
        if field in ("dose_mg", "standard_dose_mg"):
            out += re.findall(  # a number with another measure's unit ("100% adherent", "24 h") is not a dose
                r"(?<![\d.,-])\d{2,3}(?![\d.,])(?!\s*(?:%|per ?cent|ng|mcg|ug|µ|μ|n?mol|umol|h\b|hrs?\b|hours?|d\b|"
                r"days?|w\b|wks?|weeks?|mo\b|mos\b|months?|y\b|yrs?|years?|x\b|logs?))"
                r"\s*(?:mg)?(?:\s*(?:od|bd|bid|once daily|twice daily|daily))?",
                p,
                re.I,
            )
    seen, unique = set(), []
    for c in out:
        c = c.strip(" ,;:-")
        if c and c.lower() not in seen:
            seen.add(c.lower())
            unique.append(c)
    return unique


def answer(field: str, text: Any) -> Normalized:
    """The value an answer gives for ``field``; raises :class:`NormalizationError` when there is none."""
    try:
        return _try(field, text)
    except NormalizationError as first:
        if not isinstance(text, str) or not text.strip():
            raise
        error = first
    t = text.strip()
    if field == "mutations":
        if _NOT_DONE.search(t):
            return Normalized(field, None, ["mutation testing: not done"])
        if _NONE_FOUND.search(t) and not re.search(r"\b[A-Za-z]\d{3}[A-Za-z]\b", t):
            return Normalized(field, [], ["mutation testing: no mutation found"])
    if field == "goal" and _NEITHER.search(t):
        return Normalized(field, None, ["no goal: neither tolerability nor TFR"])
    if field in (
        "ddpcr_mr45",
        "prior_tki_failure",
        "drug_interaction_concern",
        "response_confirmed",
        "on_reduced_dose",
    ):
        if field == "ddpcr_mr45" and _NOT_DONE.search(t):
            return Normalized(field, None, ["ddPCR not done"])
        if _YES.search(t):
            return Normalized(field, True)
        if _NO.search(t):
            return Normalized(field, False)
    if field == "trough_ng_ml" and _NOT_DONE.search(t) and not re.search(r"\d", t):
        raise NormalizationError(field, "not measured yet")  # the form keeps it as unknown (UNKNOWN_WORDS)
    for part in _candidates(field, t)[1:]:
        try:
            return _try(field, part)
        except NormalizationError:
            pass
        bound = _AT_LEAST.match(part)
        if bound and field in _DURATION_FIELDS:  # "over a year": at least that long, read as that
            try:
                n = _try(field, part[bound.end() :])
            except NormalizationError:
                continue
            n.assumptions.append(f"'{part}' read as {n.value:g} (at least)")
            return n
    raise error


_NO_MEASUREMENT = re.compile(r"^\W*(none|no|nope|nil|not one|no one)\W*$", re.I)
NOT_ALWAYS_MEASURED = ("trough_ng_ml",)  # asked with "'none yet' if no level was measured"


def not_done(text: str, field: str = "") -> bool:
    """The answer says the value is not known or not measured yet ("no level done", "never had one"); for a
    measurement that is often not done (the trough), a bare "none" or "no" says it too."""
    if field in NOT_ALWAYS_MEASURED and _NO_MEASUREMENT.match(text or ""):
        return True
    return bool(_NOT_DONE.search(text or "")) and not re.search(r"\d", text or "")

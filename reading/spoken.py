"""Numbers said in words, as a phone's dictation writes them ("four hundred milligrams", "nought point nought five
percent"), rewritten in digits before a message is read, with a map from the rewritten text back to the words.

Only numbers that cannot be anything but a value are rewritten: a decimal said with "point", a number with
"hundred" or "thousand", and a number from two up said just before a unit ("eighteen months", "twenty-four
hours"). Dictation's "to hundred" is two hundred. "one day", "a couple of weeks" and "two tablets" are left as
written. Pure Python; no Rasa import.
"""

from __future__ import annotations

import re
from typing import List, Tuple

_UNITS = {
    w: n
    for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen".split()
    )
}
_UNITS["nought"] = 0
_TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_DIGITS = {**{w: n for w, n in _UNITS.items() if n < 10}, "oh": 0, "o": 0}

_UNIT = "|".join(sorted(_UNITS, key=len, reverse=True))
_TEN = "|".join(_TENS)
_BELOW_100 = rf"(?:(?:{_TEN})(?:[- ](?:{_UNIT}))?|{_UNIT})"
_BELOW_1000 = rf"(?:(?:{_BELOW_100}|a|to|too)\s+hundred(?:\s+(?:and\s+)?{_BELOW_100})?|{_BELOW_100})"
_WHOLE = rf"(?:(?:{_BELOW_1000}|a)\s+thousand(?:\s+(?:and\s+)?{_BELOW_1000})?|{_BELOW_1000})"
_DIGIT = "|".join(sorted(_DIGITS, key=len, reverse=True))
_NUMBER = re.compile(
    rf"\b(?P<whole>{_WHOLE})?(?:\s*\bpoint\s+(?P<frac>(?:(?:{_DIGIT})\b\s*)+))?(?=\W|$)",
    re.I,
)
# a unit or schedule just after a whole number said in words
_UNIT_AFTER = re.compile(
    r"\s*(?:-\s*)?(?:mg|milligrams?|%|percent|per\s*cent|months?|mo|mths?|years?|yrs?|weeks?|wks?|days?|hours?|"
    r"hrs?|h|ng|nanograms?|micrograms?|mcg|µg|ug|µmol|umol|micromol(?:e|es|ar)?|nmol|nanomol(?:e|es|ar)?|"
    r"times\s+a\s+day|twice|daily|od|bd|bid|once)\b",
    re.I,
)


def _whole(words: str) -> int:
    total, part = 0, 0
    for w in re.split(r"[\s-]+", words.lower()):
        if w in _UNITS:
            part += _UNITS[w]
        elif w in _TENS:
            part += _TENS[w]
        elif w == "a":
            part += 1
        elif w in ("to", "too"):  # dictation's "to hundred milligrams"
            part += 2
        elif w == "hundred":
            part = (part or 1) * 100
        elif w == "thousand":
            total, part = total + (part or 1) * 1000, 0
    return total + part


def _said(m: re.Match, text: str) -> str:
    """The digits of one number said in words, or "" when it stays as written."""
    whole, frac = m.group("whole"), m.group("frac")
    if frac:
        digits = "".join(str(_DIGITS[w.lower()]) for w in frac.split())
        return f"{_whole(whole) if whole else 0}.{digits}"
    if not whole or whole.lower() in ("a", "an"):
        return ""
    n = _whole(whole)
    big = re.search(r"hundred|thousand", whole, re.I)
    if big or (n >= 2 and _UNIT_AFTER.match(text, m.end())):
        return str(n)
    return ""


def digits(text: str) -> Tuple[str, List[Tuple[int, int, int, int]]]:
    """``text`` with its numbers said in words written in digits, and the replacements made as (start, end) in
    the new text and (start, end) in ``text``."""
    out, moved, last, shift = [], [], 0, 0
    for m in _NUMBER.finditer(text):
        if m.end() == m.start():
            continue
        said = _said(m, text)
        end = m.end() - (len(m.group(0)) - len(m.group(0).rstrip()))  # the trailing space stays
        if not said:
            continue
        out.append(text[last : m.start()] + said)
        new_start = m.start() + shift
        moved.append((new_start, new_start + len(said), m.start(), end))
        shift += len(said) - (end - m.start())
        last = end
    if not moved:
        return text, []
    return "".join(out) + text[last:], moved


def position(moved: List[Tuple[int, int, int, int]], pos: int, end: bool = False) -> int:
    """The place in the original text of ``pos`` in the rewritten one (an end inside a number: the number's end)."""
    shift = 0
    for new_s, new_e, old_s, old_e in moved:
        if pos < new_s or (pos == new_s and end):
            break
        if pos < new_e or (pos == new_e and end):
            return old_e if end else old_s
        shift = old_e - new_e
    return pos + shift

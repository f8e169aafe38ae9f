"""Numbers said in words, as a phone's dictation writes them ("four hundred milligrams", "nought point nought five
percent"), rewritten in digits before a message is read, with a map from the rewritten text back to the words; and
a European colleague's "since 14 months" read as "for 14 months"; a whole and a half in digits ("4 1/2 months",
"2½ yrs", "1 and half year") and hours with minutes ("23 h 40 min") as a decimal; "3.5 log reduced" as "3.5 log
reduction" (a response, no dose change); a part of a time said before, without its unit ("seven years on IM, MR4 for
the last 3 of them"), with that unit.

Only numbers that cannot be anything but a value are rewritten: a decimal said with "point", a number with
"hundred" or "thousand", and a number from two up said just before a unit ("eighteen months", "twenty-four
hours"). Dictation's "to hundred" is two hundred. "one day", "a couple of weeks" and "two tablets" are left as
written. Pure Python; no Rasa import.
"""

from __future__ import annotations

import re
from typing import List, Optional, Tuple

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
# "four hundred six months ago" is a dose and a time, not 406 months: without "and", a digit after "hundred" that a
# unit of time follows is a number of its own ("one hundred twenty days" stays 120)
_ONE_DIGIT = "|".join(w for w, n in sorted(_UNITS.items(), key=lambda x: -len(x[0])) if 1 <= n <= 9)
_A_TIME = r"\s+(?:months?|mo|weeks?|wks?|days?|years?|yrs?|hours?|hrs?)\b"
_AFTER_HUNDRED = rf"\s+(?:and\s+{_BELOW_100}|(?!(?:{_ONE_DIGIT}){_A_TIME}){_BELOW_100})"
_BELOW_1000 = rf"(?:(?:{_BELOW_100}|a|to|too)\s+hundred(?:{_AFTER_HUNDRED})?|{_BELOW_100})"
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


# "since 14 months", "from 9 months": a European colleague's "for" (seit, depuis, da, desde), never "since 14
# months ago"; "from" only just after a dose or imatinib ("200 mg from 9 months"), as "from 3 months" may date a result
_SINCE_A_TIME = re.compile(
    r"\bsince(?=\s+(?:about\s+|~\s*)?\d+(?:[.,]\d+)?\s*(?:days?|weeks?|wks?|months?|mo|mths?|years?|yrs?|y)\b"
    r"(?!\s*(?:ago|before|after|post|of|in)\b))",
    re.I,
)
_A_TIME_AFTER = r"(?=\s+\d+(?:[.,]\d+)?\s*(?:weeks?|months?|years?|yrs?)\b\s*(?:[,.;)]|$))"
_FROM_A_TIME = re.compile(
    rf"(?:(?<=\b(?:mg|im) )|(?<=\d00 )|(?<=imatinib ))from{_A_TIME_AFTER}",
    re.I,
)


def _as_for(m: re.Match) -> str:
    return "for" + " " * (len(m.group(0)) - 3)  # the same length: every span stays where it was


# a mutation said letter, digits, letter ("T three one five I", "E two five five V", "F three seventeen L") and a
# molecular response said in words ("MR four", "MR four point five" is left to the decimals)
_DIGIT_WORD = "zero|oh|one|two|three|four|five|six|seven|eight|nine"
_TEEN_OR_TENS = "|".join(w for w in _UNITS if _UNITS[w] >= 10) + "|" + _TEN
_MUTATION_SAID = re.compile(
    rf"\b(?P<a>[A-Z])\s+(?P<d>(?:(?:{_DIGIT_WORD})[\s-]+){{2}}(?:{_DIGIT_WORD})|(?:{_DIGIT_WORD})[\s-]+"
    rf"(?:{_TEEN_OR_TENS})(?:[\s-]+(?:{_DIGIT_WORD}))?)\s+(?P<b>[A-Z])\b"
)
_MR_SAID = re.compile(r"\bM\.?\s*R\.?\s+(?P<n>three|four|five)\b(?!\s+point)", re.I)
_MMR_SAID = re.compile(r"\bM\.?\s+M\.?\s+R\b\.?")
# "ten to the minus three percent": 0.001 %; "nine fifty nanograms": 950 (a number said in two parts before a unit)
_POWER_SAID = re.compile(r"\bten to the (?:power of )?minus (?P<n>one|two|three|four|five|six)\b", re.I)
_HUNDREDS_SAID = re.compile(
    r"\b(?P<h>one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    rf"seventeen|eighteen|nineteen|twenty|thirty)[\s-]+(?P<t>{_TEN}|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen)(?:[\s-]+(?P<u>one|two|three|four|five|six|seven|eight|nine))?"
    r"(?=\s+(?:nanograms?|ng\b|nanomol\w*|nmol\b|milligrams?|mg\b))",
    re.I,
)

# a whole and a half before a unit of time: "4 1/2 months", "2½ yrs", "1 and half year": 4.5, 2.5, 1.5
_AND_A_HALF = re.compile(
    r"(?<![\d.,/])(?P<n>\d{1,2})(?:\s*½|\s+1/2|\s+(?:and|&)\s+(?:a\s+)?half)"
    r"(?=\s*-?\s*(?:months?|mo|mths?|years?|yrs?|y|weeks?|wks?|days?|hours?|hrs?|h)\b)",
    re.I,
)

# the half after the unit, as colleagues writing English as a second language put it: "two years and half",
# "3 years and a half", "18 months & half": 2.5 years, 3.5 years, 18.5 months
_UNIT_AND_A_HALF = re.compile(
    rf"(?<![\d.,/])\b(?P<n>\d{{1,2}}|{_UNIT})\s*(?P<u>months?|mo|mths?|years?|yrs?|weeks?|wks?)\s+(?:and|&)\s+"
    r"(?:a\s+)?half\b"
    r"(?=\s*(?:[,.;:)!?]|$)|\s+(?:on|in|at|since|now|ago|with|and|but|so|she|he|they|of (?:imatinib|im|treatment|"
    r"therapy|tki|it))\b)",  # not "2 years and half the dose", "and half of her doses"
    re.I,
)


def _unit_and_a_half(m: re.Match) -> str:
    n = m["n"]
    whole = int(n) if n.isdigit() else _UNITS[n.lower()]
    return f"{whole}.5 {m['u']}"


# a result's name typed against its number ("PCR0.04%", "bcrabl12%", "trough1200"): the name, then a space
_GLUED_CUE = re.compile(r"\b(?P<cue>pcr|qpcr|bcr-?abl1|bcr-?abl(?!1)|trough|adh)(?=[0-9])", re.I)  # (not "abl1")

# hours and minutes since a dose ("23 h 40 min", "22 hours and 30 minutes"): hours with their decimal
_HOURS_MINUTES = re.compile(
    r"(?<![\d.,:])(?P<h>\d{1,2})\s*(?:h|hrs?|hours?)\s*(?:and\s+)?(?P<m>[0-5]?\d)\s*(?:min|mins|minutes?)\b", re.I
)


def _hours(m: re.Match) -> str:
    return f"{int(m['h']) + int(m['m']) / 60:.2f}".rstrip("0").rstrip(".") + " h"


# a part of a time said before, without its unit: "seven years on IM, MR4 for the last 3 of them", "in MMR for four of
# those", "MR4 for the last two and a half": the unit of the time on the drug said before it is said after the number
_SMALL = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_PART_OF_A_TIME = re.compile(
    rf"\b(?:for|x)\s+(?:the\s+(?:last|past)\s+)?(?P<n>\d{{1,2}}(?:[.,]5)?|{_SMALL})(?![.,]?\d)"
    rf"(?P<half>\s+and\s+a\s+half)?(?=\s+of\s+(?:them|those|these|it)\b|\s*[,;)]|\.(?!\d)|\s*$)",
    re.I,
)
_N = rf"\d+(?:[.,]\d+)?|{_SMALL}"
# the whole: a time on the drug or its dose ("7 years on IM 400", "imatinib 400 for 30 months", "on 400 for six years")
_TIME_ON_THE_DRUG = re.compile(
    rf"\b(?P<n>{_N})(?P<half>\s+and\s+a\s+half)?\s*(?P<unit>years?|yrs?|y|months?|mos?)\s+(?:on|of|into)\s+"
    rf"(?:imatinib|im|glivec|gleevec|tki|treatment|therapy|it|[1-8]00)\b|"
    rf"\b(?:imatinib|im|glivec|gleevec|on)\s+(?:[1-8]00\s*(?:mg\s*)?)?(?:(?:od|daily)\s+)?(?:for|x)\s+(?P<n2>{_N})"
    rf"(?P<half2>\s+and\s+a\s+half)?\s*(?P<unit2>years?|yrs?|y|months?|mos?)\b",
    re.I,
)
_A_PART = re.compile(r"\bfor\s+the\s+(?:last|past)\s|\bof\s+(?:them|those|these|it)\b", re.I)
_COUNTED = re.compile(
    r"\b(?:pcrs?|results?|samples?|sampled|times|tests?|measurements?|levels?|readings?|checks?)\b", re.I
)


def _number(said: str, half: Optional[str]) -> float:
    n = said.lower()
    return (_UNITS[n] if n in _UNITS else float(n.replace(",", "."))) + (0.5 if half else 0)


def _part_of_a_time(text: str, m: re.Match) -> str:
    """The words of ``m`` with the unit of the time on the drug said before it: "" when none is, when things were
    counted in between ("6 PCRs over 2 years, MR4 for the last 3 of them") or when the part would be longer."""
    if not _A_PART.search(text, m.start(), m.end() + 12):
        return ""  # "x 3," alone is no part of a time
    wholes = list(_TIME_ON_THE_DRUG.finditer(text, 0, m.start()))
    if not wholes or _COUNTED.search(text, wholes[-1].end(), m.start()):
        return ""
    w = wholes[-1]
    unit = (w["unit"] or w["unit2"]).lower()
    whole = _number(w["n"] or w["n2"], w["half"] or w["half2"])
    part = _number(m["n"], m["half"])
    if part > whole:
        return ""
    number = f"{part:g}"
    return f"{m.group(0)[: m.start('n') - m.start()]}{number} {'years' if unit.startswith('y') else 'months'}"


# "3.5 log reduced": the response's noun ("3.5 log reduction"), no reduction of the dose
_LOG_REDUCED = re.compile(r"(?<=\blog[\s-])reduced\b|(?<=\blogs[\s-])reduced\b", re.I)


def _mutation(m: re.Match) -> str:
    words = re.split(r"[\s-]+", m["d"].lower())
    number = "".join(str(_DIGITS[w]) if w in _DIGITS else str(_whole(w)) for w in words)
    if len(words) == 3 and words[1] in _TENS and words[2] in _DIGITS:  # "three twenty one": 3, 21
        number = str(_DIGITS[words[0]]) + str(_TENS[words[1]] + _DIGITS[words[2]])
    return f"{m['a']}{number}{m['b']}" if len(number) == 3 else ""


def _power(m: re.Match) -> str:
    return f"{10 ** -_UNITS[m['n'].lower()]:.6f}".rstrip("0")


def _in_two_parts(m: re.Match) -> str:
    """ "nine fifty" 950, "twelve fifty" 1250, "nine fifty five" 955."""
    high = _UNITS.get(m["h"].lower()) or _TENS.get(m["h"].lower(), 0)
    low = (_UNITS.get(m["t"].lower()) or _TENS[m["t"].lower()]) + _UNITS.get((m["u"] or "").lower(), 0)
    return str(high * 100 + low)


def _replacements(text: str) -> List[Tuple[int, int, str]]:
    found = [(m.start(), m.end(), _mutation(m)) for m in _MUTATION_SAID.finditer(text)]
    found += [(m.start(), m.end(), f"MR{_UNITS[m['n'].lower()]}") for m in _MR_SAID.finditer(text)]
    found += [(m.start(), m.end(), "MMR") for m in _MMR_SAID.finditer(text)]
    found += [(m.start(), m.end(), _power(m)) for m in _POWER_SAID.finditer(text)]
    found += [(m.start(), m.end(), _in_two_parts(m)) for m in _HUNDREDS_SAID.finditer(text)]
    found += [(m.start(), m.end(), f"{m['n']}.5") for m in _AND_A_HALF.finditer(text)]
    found += [(m.start(), m.end(), _unit_and_a_half(m)) for m in _UNIT_AND_A_HALF.finditer(text)]
    found += [(m.start(), m.end(), "reduction") for m in _LOG_REDUCED.finditer(text)]
    found += [(m.start(), m.end(), _hours(m)) for m in _HOURS_MINUTES.finditer(text)]
    found += [(m.start(), m.end(), m["cue"] + " ") for m in _GLUED_CUE.finditer(text)]
    found += [(m.start(), m.end(), _part_of_a_time(text, m)) for m in _PART_OF_A_TIME.finditer(text)]
    found += [(m.start(), m.end(), _PUNCTUATION_SAID[m["word"].lower()]) for m in _DICTATED_PUNCTUATION.finditer(text)]
    taken = [(s, e) for s, e, said in found if said]
    for m in _NUMBER.finditer(text):
        end = m.end() - (len(m.group(0)) - len(m.group(0).rstrip()))  # the trailing space stays
        start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))  # and the leading one ("is point two")
        if end > start and not any(s < end and start < e for s, e in taken):
            found.append((start, end, _said(m, text)))
    return sorted((s, e, said) for s, e, said in found if said)


# punctuation a dictation writes as words ("… 26 hours post dose comma PCR …", "full stop please advise")
_PUNCTUATION_SAID = {"comma": ",", "full stop": ".", "fullstop": ".", "semicolon": ";"}
_DICTATED_PUNCTUATION = re.compile(r"\s+(?P<word>comma|full ?stop|semicolon)\b", re.I)


def digits(text: str) -> Tuple[str, List[Tuple[int, int, int, int]]]:
    """``text`` with its numbers said in words written in digits (and a European "since 14 months" as "for 14
    months"), and the replacements made as (start, end) in the new text and (start, end) in ``text``."""
    text = _FROM_A_TIME.sub(_as_for, _SINCE_A_TIME.sub(_as_for, text))
    out, moved, last, shift = [], [], 0, 0
    for start, end, said in _replacements(text):
        if start < last:
            continue
        out.append(text[last:start] + said)
        moved.append((start + shift, start + shift + len(said), start, end))
        shift += len(said) - (end - start)
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

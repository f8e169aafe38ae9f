"""Normalisation of clinician-written values into the canonical units of ``PatientCase``.

Spec section 5. Every accepted form either gives a canonical value (with any assumption
stated) or raises :class:`NormalizationError` naming the expected form and unit. Nothing is
silently coerced. The forms of the assistant and the CLI share this module.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Dict, List, Optional

from . import mutations as mut
from . import thresholds as T
from .models import out_of_range

DAYS_PER_MONTH = T.DAYS_PER_MONTH
MAX_TEXT = 200  # longer input is not a value; it is rejected before any regex runs


class NormalizationError(ValueError):
    """A text that gives no value for the field. ``ask`` is True when the text was read as a value expression
    that must be asked about (a range, a negation, a hedge, an ambiguous separator, two schedules, a bound
    the wrong way): no reader of a longer text may take a part of it instead (spec section 5)."""

    def __init__(self, field: str, message: str, ask: bool = False, read: bool = False):
        super().__init__(message)
        self.field = field
        self.message = message
        self.ask = ask
        self.read = read  # the text was read (a bound), but the rules need the value itself: noted, then asked

    def as_dict(self) -> Dict[str, str]:
        return {"field": self.field, "message": self.message}


def _ask(field_name: str, message: str) -> NormalizationError:
    return NormalizationError(field_name, message, ask=True)


BOUND_SIGNS = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}


@dataclass
class Normalized:
    field: str
    value: Any
    assumptions: List[str] = field(default_factory=list)
    related: Dict[str, Any] = field(default_factory=dict)  # other fields the text also fixes
    bound: Optional[str] = None  # "<", "<=", ">", ">=": the value is a bound, not the value itself (spec v1.2)
    word: Optional[str] = None  # the response word a bound comes from ("MR4", "not in MMR")

    def as_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {"field": self.field, "value": self.value}
        if self.bound:
            out["bound"] = self.bound
        if self.word:
            out["word"] = self.word
        out["assumptions"] = list(self.assumptions)
        return out

    def shown(self, unit: str = "") -> str:
        """How a clinician reads it back: "MR4 (≤ 0.01 %)", "≥ 86.7 %", "0.008 %"."""
        v = f"{self.value:g}" if isinstance(self.value, float) else str(self.value)
        text = f"{v} {unit}".strip()
        if self.bound:
            text = f"{BOUND_SIGNS[self.bound]} {text}"
        return f"{self.word} ({text})" if self.word else text


# ---------------------------------------------------------------------------------------------
# shared helpers

_NUM = r"[-+]?(?:\d+(?:[.,]\d+)*|[.,]\d+)(?:[eE][-+]?\d+)?"
_WORD_NUMBERS = {
    "zero": 0,
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "eighteen": 18,
    "twenty": 20,
    "twenty-four": 24,
    "thirty": 30,
    "half": 0.5,
    "a half": 0.5,
}


def _clean(text: Any, field_name: str, expected: str) -> str:
    if not isinstance(text, str):
        raise NormalizationError(field_name, f"expected text, got {type(text).__name__}: {expected}")
    t = text.strip()
    if not t:
        raise NormalizationError(field_name, f"no value given: expected {expected}")
    if len(t) > MAX_TEXT:
        raise NormalizationError(field_name, f"too long to be a value: expected {expected}")
    t = t.replace("\u00b5", "u").replace("\u03bc", "u").replace("\u2009", " ").replace("\u00a0", " ")
    t = t.replace("\u2212", "-").replace("\u2013", "-").lower()
    return re.sub(r"\s+", " ", t)


_APPROX = re.compile(
    r"(?:~|≈|\babout\b|\bapproximately\b|\bapproximate\b|\bapprox\b\.?|\baround\b|\broughly\b|\bcirca\b|"
    r"\bca\.)\s*"
)


def _strip_approx(t: str):
    """``~95 %``, ``about 1100 ng/mL``, ``approx 2 yrs``: the number, and whether it was approximate."""
    stripped = _APPROX.sub(" ", t)
    return re.sub(r"\s+", " ", stripped).strip(), stripped != t


def _approx_note(text: str, value: float, unit: str) -> str:
    return f"'{text.strip()[:60]}' was given as approximate: read as {value:g} {unit}"


def _to_float(token: str, field_name: str, expected: str, thousands: bool = False) -> float:
    """Parse one number; a comma is a decimal separator unless ``thousands`` and it stands
    before exactly three digits (``1,150`` → 1150)."""
    s = token
    if "," in s:
        if thousands and re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", s):
            s = s.replace(",", "")
        elif s.count(",") == 1 and "." not in s:
            s = s.replace(",", ".")
        else:
            raise NormalizationError(field_name, f"{token!r} is not a number I can read: expected {expected}")
    if s.count(".") > 1:
        raise NormalizationError(field_name, f"{token!r} is not a number I can read: expected {expected}")
    try:
        v = float(s)
    except ValueError:
        raise NormalizationError(field_name, f"{token!r} is not a number: expected {expected}") from None
    if not math.isfinite(v):
        raise NormalizationError(field_name, f"{token!r} is not a finite number: expected {expected}")
    return v


def _check_range(field_name: str, value: float, expected: str) -> None:
    problem = out_of_range(field_name, value)
    if problem:
        raise NormalizationError(field_name, f"{problem} ({expected})")


def _tidy(v: float, ndigits: int = 6) -> float:
    """Round away float noise (0.1*3) without hiding clinically meaningful digits."""
    r = round(v, ndigits)
    return r if r != 0 else 0.0


def _single_number(t: str, field_name: str, expected: str, thousands: bool = False):
    nums = re.findall(_NUM, t)
    if not nums:
        raise NormalizationError(field_name, f"no number found: expected {expected}")
    if len(nums) > 1:
        raise NormalizationError(field_name, f"more than one number in {t!r}: give one value, {expected}")
    return _to_float(nums[0], field_name, expected, thousands), nums[0]


# ---------------------------------------------------------------------------------------------
# BCR-ABL1 IS %

MR_CEILINGS = {name.lower(): ceiling for name, ceiling in T.MOLECULAR_RESPONSES.items()}
_BCR_LABELS = re.compile(
    r"\b(bcr[-_ ]?abl1?|bcr::abl1?|transcripts?|level|is|on the is|"
    r"international scale|of|the)\b"
)
_IS_SCALE = re.compile(r"\(\s*(?:is|international scale)\s*\)|\[\s*is\s*\]")
BCR_EXPECTED = (
    "BCR-ABL1 as a percentage on the International Scale, e.g. 0.008 %, 8e-3 %, "
    "a molecular response (MMR, MR4, MR4.5, MR5) or a log reduction such as 3.5 log"
)


_RESPONSE_WORD = r"\(?(mmr|mr3|mr4\.5|mr4,5|mr4|mr5)\)?"
_NEGATED_RESPONSE = re.compile(
    r"^(?:not (?:in |at )?|no |lost |loss of |out of |lost (?:her |his |their |the )?)" + _RESPONSE_WORD + r"$"
    r"|^" + _RESPONSE_WORD + r" (?:lost|not (?:reached|achieved))$"
)
_HELD_RESPONSE = re.compile(
    r"^(?:(?:in|at|reached|achieved|sustained|stable|deep|a|an)\s+)*"
    + _RESPONSE_WORD
    + r"(?:\s+(?:reached|achieved|sustained|maintained|level|range))?$"
)
_UNDETECTABLE = re.compile(r"\b(?:undetect\w*|not detected|non-?detected|negative|neg|nd)\b")
_COMPARATORS = (
    (r"<=|≤|=<|at most|no more than", "<="),
    (r"<|below|under|less than|lower than", "<"),
    (r">=|≥|=>|at least", ">="),
    (r">|above|over|more than|greater than|higher than", ">"),
)


def leading_comparator(t: str):
    """ "< 0.01 %" → ("<", "0.01 %"): the bound a comparison word or sign before a value makes, and the rest."""
    for pattern, sign in _COMPARATORS:
        m = re.match(r"\s*(?:" + pattern + r")\s*", t)
        if m:
            return sign, t[m.end() :]
    return None, t


def _response_word(key: str) -> str:
    key = key.replace(",", ".")
    return "MMR" if key in ("mmr", "mr3") else key.upper()


# complexity: one branch per written form of a level (%, ratio, log, MR category, bounds), spec section 5
def bcr_abl1_is(text: Any) -> Normalized:  # noqa: C901 (the reason is above)
    """Spec section 5: a percentage, a log reduction, or a response word read as the **bound** it is
    (MMR ≤ 0.1, MR4 ≤ 0.01, MR4.5 ≤ 0.0032, MR5 ≤ 0.001; "not in MMR" > 0.1); "undetectable" or 0 without
    the sensitivity is asked about; ranges and ratios are asked about."""
    f, exp = "bcr_abl1_is", BCR_EXPECTED
    t = _clean(text, f, exp)
    if "ratio" in t or "fraction" in t:
        raise _ask(
            f,
            "a ratio is not a percentage: please give BCR-ABL1 in % on the "
            "International Scale (a ratio of 0.0008 would be 0.08 %)",
        )
    t = re.sub(r"\bmr\s+(?=\d)", "mr", t)  # "MR 4.5" = "MR4.5"
    bare = re.sub(r"\s+", " ", _BCR_LABELS.sub(" ", t)).strip(" .,:;")
    m = _NEGATED_RESPONSE.match(bare)
    if m:
        key = next(g for g in m.groups() if g)
        word = _response_word(key)
        ceiling = MR_CEILINGS[key.replace(",", ".")]
        return Normalized(
            f,
            ceiling,
            [f"'not in {word}' is a bound: BCR-ABL1 above {ceiling:g} % IS"],
            bound=">",
            word=f"not in {word}",
        )
    undetectable = _UNDETECTABLE.search(bare)
    words = re.findall(r"\b(mmr|mr3|mr4[.,]5|mr4|mr5)\b", bare)
    if undetectable:
        if len(set(words)) == 1:  # "undetectable (MR4.5)": that level's bound
            key = words[0]
            ceiling = MR_CEILINGS[key.replace(",", ".")]
            word = _response_word(key)
            return Normalized(
                f,
                ceiling,
                [f"undetectable at {word} sensitivity: BCR-ABL1 at most {ceiling:g} % IS"],
                bound="<=",
                word=f"undetectable ({word})",
            )
        raise _ask(
            f,
            "undetectable needs the assay sensitivity: which molecular response did the laboratory reach "
            "(MR4, MR4.5 or MR5)?",
        )
    m = _HELD_RESPONSE.match(bare)
    if m:
        key = m.group(1)
        word = _response_word(key)
        ceiling = MR_CEILINGS[key.replace(",", ".")]
        return Normalized(f, ceiling, [f"{word} is a bound: BCR-ABL1 at most {ceiling:g} % IS"], bound="<=", word=word)
    if len(set(words)) == 1 and re.search(r"\d", re.sub(r"\bmr4[.,]5\b|\bmr[345]\b", " ", bare)):
        # "MR4, 0.006 %": the explicit number wins, if the word agrees with it
        ceiling = MR_CEILINGS[words[0].replace(",", ".")]
        n = bcr_abl1_is(re.sub(r"\(?\s*(?:mmr|mr3|mr4[.,]5|mr4|mr5)\s*\)?", " ", t).strip(" ,;:-"))
        if n.bound is None and n.value > ceiling:
            raise _ask(f, f"{text.strip()[:60]!r}: {n.value:g} % is not {_response_word(words[0])}: which is it?")
        return n
    compact = t.replace(" ", "")
    m = re.fullmatch(r"(" + _NUM + r")-?(?:logs?|log10)(?:reduction|drop)?", compact)
    if m:
        logs = _to_float(m.group(1), f, exp)
        if logs < 0 or logs > 7:
            raise NormalizationError(f, f"a {logs:g}-log reduction is not plausible: expected 0–7 log, {exp}")
        value = _tidy(T.IS_BASELINE_PCT / 10**logs, 10)
        return Normalized(
            f,
            value,
            [
                f"{logs:g}-log reduction from the standardised baseline ({T.pct(T.IS_BASELINE_PCT)} IS) "
                f"taken as {T.pct(value)} IS"
            ],
        )
    t, approx = _strip_approx(_IS_SCALE.sub(" % is " if "%" not in t else " ", t))
    rest = _BCR_LABELS.sub(" ", t)
    # powers of ten: "10^-3 %", "8 x 10^-3 %", "8×10-3 %"
    rest = re.sub(
        r"(?:(" + _NUM + r")\s*[x×*]\s*)?10\s*\^\s*([-+−]?\d+)",
        lambda m: f"{float(m.group(1) or 1) * 10 ** int(m.group(2).replace('−', '-')):.10g}",
        rest,
    )
    if re.search(_NUM + r"\s*%?\s*(?:-|to|–|/)\s*" + _NUM, rest) or re.search(r"\bbetween\b", rest):
        raise _ask(f, f"{text.strip()[:60]!r} is a range: which was the latest BCR-ABL1 level (% IS)?")
    bound, rest = leading_comparator(rest)
    value, token = _single_number(rest, f, exp)
    tail = rest.split(token, 1)[1].strip()
    head = rest.split(token, 1)[0].strip()
    if head not in ("",):
        raise NormalizationError(f, f"could not read {t!r}: expected {exp}")
    assumptions: List[str] = []
    if tail in ("%", "percent", "pct", "% is", "%is", "per cent"):
        pass
    elif tail == "":
        assumptions.append(f"{value:g} read as a percentage on the International Scale")
    else:
        raise NormalizationError(f, f"unit {tail!r} not understood: expected {exp}")
    if value < 0:
        raise NormalizationError(f, f"a transcript level cannot be negative: expected {exp}")
    if value == 0 and bound is None:
        raise _ask(
            f,
            "a BCR-ABL1 of 0 is undetectable without its sensitivity: which molecular response did the laboratory "
            "reach (MR4, MR4.5 or MR5)?",
        )
    _check_range(f, value, "a percentage")
    if approx:
        assumptions.append(_approx_note(text, value, "% IS"))
    if value > T.UNUSUAL_ABOVE_PCT:
        assumptions.append(
            f"BCR-ABL1 {value:g} % IS is above {T.pct(T.UNUSUAL_ABOVE_PCT)}: unusual, check the laboratory report"
        )
    if bound:
        assumptions.append(f"'{text.strip()[:40]}' is a bound: BCR-ABL1 {BOUND_SIGNS[bound]} {value:g} % IS")
    return Normalized(f, _tidy(value, 10), assumptions, bound=bound)


# ---------------------------------------------------------------------------------------------
# trough (ng/mL)

# Trough units: (how it is written, factor to ng/mL, name). The extractor finds units in messages with the
# same table (reading/extraction.py), so a unit is known to both or to neither. Spaces are optional.
_PER = r"\s*(?:/|per)\s*"  # "ng/mL", "ng per mL", "nanograms per millilitre"
_L = r"(?:l|lit(?:re|er)s?)\b"
_ML = r"(?:ml|mils?|millilit(?:re|er)s?)\b"  # "nanograms per mil": dictation
_UG = r"(?:[u\u00b5\u03bc]g|mcg|micrograms?|microg)"
TROUGH_UNITS = (
    (rf"(?:ng|nanograms?){_PER}{_ML}|ng\s*ml-1|ngml|{_UG}{_PER}{_L}", 1.0, "ng/mL"),
    (rf"(?:mg|milligrams?){_PER}{_L}|{_UG}{_PER}{_ML}", 1000.0, "mg/L"),
    (rf"(?:[u\u00b5\u03bc]mol|micromol(?:es?)?){_PER}{_L}|micromolar", T.NG_ML_PER_UMOL_L, "µmol/L"),
    (rf"(?:nmol|nanomol(?:es?)?){_PER}{_L}|nanomolar", T.NG_ML_PER_NMOL_L, "nmol/L"),
)
# bare molar abbreviations: read in a value; in free text only with their case (uM, nM: "um" is a word)
TROUGH_BARE_UNITS = (
    (r"[u\u00b5\u03bc]m|umol", T.NG_ML_PER_UMOL_L, "µmol/L"),
    (r"nm|nmol", T.NG_ML_PER_NMOL_L, "nmol/L"),
)
TROUGH_EXPECTED = (
    "an imatinib trough concentration with its unit, e.g. 1150 ng/mL, 1.15 mg/L, 2.1 µmol/L or 2300 nmol/L"
)


_THOUSANDS_UNITS = ("ng/mL", "nmol/L")  # a comma before exactly three digits groups thousands (spec v1.2)


def trough_unit(tail: str):
    """(factor to ng/mL, unit name) of a trough unit as written ("ng/mL", "micromoles per litre"), or None."""
    for pattern, factor, unit in TROUGH_UNITS + TROUGH_BARE_UNITS:
        if re.fullmatch(pattern, tail, re.I):
            return factor, unit
    return None


def _trough_number(token: str, unit: str, exp: str) -> float:
    """Read the number the way its unit is written: thousands separators in ng/mL and nmol/L, a decimal comma
    in µmol/L and mg/L; every separator that could be either is asked about (spec section 5)."""
    f = "trough_ng_ml"
    if unit in _THOUSANDS_UNITS and re.fullmatch(r"\d{1,3}(,\d{3})+\.\d+", token):  # "1,150.5 ng/mL"
        return float(token.replace(",", ""))
    if "," in token and "." in token:
        raise _ask(f, f"{token!r} mixes a comma and a point: please write it with a point for decimals, {exp}")
    if unit in _THOUSANDS_UNITS:
        if "," in token:
            if not re.fullmatch(r"\d{1,3}(,\d{3})+", token):
                raise _ask(
                    f,
                    f"{token!r} is ambiguous: is the comma a decimal point or a thousands separator? (in {unit} a "
                    f"comma is read only before exactly three digits: 1,150 = 1150). Please write it with a point "
                    f"or without separators: {exp}",
                )
            return float(token.replace(",", ""))
        if re.fullmatch(r"\d+\.\d{3}", token):  # "1.150": a thousands point or three decimals?
            raise _ask(
                f,
                f"{token} {unit} is ambiguous: is it {float(token):g} or {token.replace('.', '')} {unit}? Please "
                f"give it without a separator (e.g. {token.replace('.', '')} {unit}) or in another unit",
            )
        return _to_float(token, f, exp)
    if token.count(",") > 1:
        raise _ask(f, f"{token!r} is not a number I can read in {unit}: {exp}")
    return _to_float(token.replace(",", "."), f, exp)


def trough_ng_ml(text: Any, unit_named: bool = False) -> Normalized:
    """A trough with its unit; without one it is asked about (labs report ng/mL or nmol/L), unless the
    question it answers named the unit (``unit_named``: ng/mL)."""
    f, exp = "trough_ng_ml", TROUGH_EXPECTED
    t = _clean(text, f, exp)
    t, approx = _strip_approx(t)
    t = re.sub(r"\b(trough|level|imatinib|cmin|plasma|of|was|is)\b", " ", t).strip()
    t = re.sub(r"\s+", " ", t)
    if re.search(_NUM + r"\s*(?:[a-zµμ/]+\s*)?(?:-|–|to)\s*" + _NUM, t) or re.search(r"\bbetween\b", t):
        raise _ask(f, f"{text.strip()[:60]!r} is a range: which was the trough level?")
    bound, t = leading_comparator(t)
    tokens = re.findall(r"(?<![\w.,])(?:\d+(?:[.,]\d+)*|[.,]\d+)(?:e[-+]?\d+)?", t)
    if not tokens:
        raise NormalizationError(f, f"no number found: expected {exp}")
    if len(tokens) > 1:
        raise NormalizationError(f, f"more than one number in {t!r}: give one value, {exp}")
    token = tokens[0]
    head, tail = (x.strip() for x in t.split(token, 1))
    if head:
        raise NormalizationError(f, f"could not read {text.strip()!r}: expected {exp}")
    assumptions: List[str] = []
    if tail == "":
        if not unit_named:
            raise _ask(f, f"{token} without a unit: is it ng/mL or nmol/L (or µmol/L)? Please give the unit")
        factor, unit = 1.0, "ng/mL"
    else:
        found = trough_unit(tail)
        if found is None:
            raise NormalizationError(f, f"unit {tail!r} not understood: expected {exp}")
        factor, unit = found
    value = _trough_number(token, unit if unit in _THOUSANDS_UNITS else "µmol/L", exp)
    ng = _tidy(value * factor)
    if approx:
        assumptions.append(_approx_note(text, ng, "ng/mL"))
    if unit != "ng/mL":
        assumptions.append(f"{value:g} {unit} converted to {ng:g} ng/mL (× {factor:g})")
    _check_range(f, ng, exp)
    if bound:
        assumptions.append(f"'{text.strip()[:40]}' is a bound: trough {BOUND_SIGNS[bound]} {ng:g} ng/mL")
    return Normalized(f, ng, assumptions, bound=bound)


# ---------------------------------------------------------------------------------------------
# durations

_UNIT_DAYS = [
    (r"(h|hr|hrs|hour|hours)", 1 / 24.0, "hours"),
    (r"(d|day|days)", 1.0, "days"),
    (r"(w|wk|wks|week|weeks)", 7.0, "weeks"),
    (r"(fortnight|fortnights)", 14.0, "fortnights"),
    (r"(m|mo|mos|mth|mths|month|months)", DAYS_PER_MONTH, "months"),
    (r"(y|yr|yrs|year|years)", 12 * DAYS_PER_MONTH, "years"),
]
# months are counted exactly in calendar terms: a year is 12 months, not 365.25/30.44 months
_FIELD_UNIT = {
    "months_on_tki": "months",
    "mmr_months": "months",
    "dmr_months": "months",
    "days_at_current_dose": "days",
    "hours_since_dose": "hours",
}


def _amount(word: str) -> Optional[float]:
    word = word.strip()
    if word in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[word])
    if re.fullmatch(r"\d+(?:[.,]\d+)?", word):
        return float(word.replace(",", "."))
    return None


def _in_unit(amount: float, unit: str, target: str) -> float:
    if unit == target:
        return amount
    months = {"years": 12.0, "months": 1.0}
    if unit in months and target in months:
        return amount * months[unit] / months[target]
    days = {u: d for _, d, u in _UNIT_DAYS}
    return amount * days[unit] / days[target]


# Clinic notation of a duration: 6/12 = 6 months, 3/52 = 3 weeks, 5/7 = 5 days. Only small numerators (a
# larger one is written in the next unit), so that a date (12/05) or a fraction is never read as one.
# The extractor reads the notation in messages with the same table (reading/extraction.py).
CLINIC_NOTATION = {"12": ("months", 36), "52": ("weeks", 104), "7": ("days", 13)}
CLINIC_RE = r"(?P<cn>[0-9]{1,3})\s?/\s?(?P<cd>12|52|7)"


def clinic_duration(numerator: str, denominator: str) -> Optional[str]:
    """``"6", "12"`` → ``"6 months"``; None when the numerator is not a small positive whole number."""
    unit, most = CLINIC_NOTATION[denominator]
    n = int(numerator)
    return f"{n} {unit}" if 1 <= n <= most else None


# a lower bound of a duration
AT_LEAST = re.compile(r"^\s*(?:well over|over|more than|greater than|longer than|at least|>=?|≥)\s*", re.I)


MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# the day of a full date before its month: "01.03.2020" (a date with dots is day first), "18/11/2025" (with
# slashes only a day over 12: "03/05/2025" may be either way round); the month of such a date is what counts
DAY_BEFORE_MONTH = r"(?P<dd>(?:0?[1-9]|[12]\d|3[01])\.(?=(?:0?[1-9]|1[0-2])\.(?:19|20)\d\d)|(?:1[3-9]|2\d|3[01])/)?"
_SINCE = re.compile(
    r"^(?:since|from|started(?: in)?|in)\s+(?:(?P<day>[0-3]?\d)\s+(?=[a-z]))?(?:(?P<mon>"
    + "|".join(MONTHS)
    + r")[a-z]*\.?(?:\s+|$))?(?P<year>(?:19|20)\d\d)?$"
)
_UPPER_BOUND = re.compile(
    r"^\s*(?:under|less than|fewer than|below|nearly|almost|not quite|just under|short of|up to|<=?|≤)\s*"
)


def _since(m, field_name: str, target: str, today: Optional[date]) -> Normalized:
    """ "since 2019" / "since March 2021": from the middle of that year (1 July) or month (the 15th) to the date
    of the message, stated (spec v1.2); "since 2 Oct 2026" (a full date written): from that day."""
    today = today or date.today()
    day = int(m.group("day")) if m.group("day") and m.group("mon") else 15
    if m.group("year") is None:  # "since Feb": the latest February before this month
        month = MONTHS.index(m.group("mon")[:3]) + 1
        if month == today.month:
            raise _ask(field_name, f"{m.group(0)!r} said this month: this month, or a year ago? Which date is it?")
        year = today.year if month < today.month else today.year - 1
    else:
        year = int(m.group("year"))
    try:
        start = date(year, MONTHS.index(m.group("mon")[:3]) + 1, day) if m.group("mon") else date(year, 7, 1)
    except ValueError:
        raise NormalizationError(field_name, f"{m.group(0)!r} is no date: which date is it?") from None
    days = (today - start).days
    if days < 0:
        raise _ask(field_name, f"{m.group(0)!r} is after today ({today.isoformat()}): which date is it?")
    value = _tidy(_in_unit(days, "days", target), 4)
    _check_range(field_name, value, f"a duration in {target}")
    said = start.strftime("%-d %B %Y")
    return Normalized(
        field_name, value, [f"'{m.group(0)}' counted from {said} to {today.isoformat()}: {value:g} {target}"]
    )


# complexity: one branch per written form of a duration (clinic notation, since a year, words, bounds), spec section 5
def duration(field_name: str, text: Any, unit_named: bool = False, today: Optional[date] = None) -> Normalized:  # noqa: C901 (the reason is above)
    target = _FIELD_UNIT[field_name]
    exp = f"a duration such as '18 months', '1.5 years', '6 weeks', 'a year and a half' or 6/12 (stored in {target})"
    t = _clean(text, field_name, exp)
    t, approx = _strip_approx(t)
    m = _SINCE.match(t.strip(" .,"))
    if m:
        return _since(m, field_name, target, today)
    if re.search(r"^\s*(?:not|no)\b", t):
        raise _ask(field_name, f"{text.strip()[:60]!r} says what it is not: how long is it?")
    upper = _UPPER_BOUND.match(t)
    if upper:
        raise _ask(field_name, f"{text.strip()[:60]!r} gives an upper bound, not the value: how long is it?")
    if re.search(_NUM + r"\s*(?:[a-z]+\s*)?(?:-|–|to)\s*" + _NUM, t) or re.search(r"\bbetween\b.*\band\b", t):
        raise _ask(field_name, f"{text.strip()[:60]!r} is a range: how long is it?")
    lower = AT_LEAST.match(t)  # "over a year", "> 2 years": a lower bound, read as that and said
    bound = None
    if lower:
        bound = ">=" if re.search(r"at least|>=|≥", lower.group(0)) else ">"
        t = t[lower.end() :]
    if re.fullmatch(r"\d+\s*y(?:rs?)?\s*\d+\s*m(?:o|os|ths?)?", t):  # "1y6m" = "1 y 6 m"
        t = re.sub(r"(?<=[a-z])(?=\d)", " ", t)
    if field_name == "hours_since_dose":  # "23h post dose", "drawn 23 h after the dose"
        t = re.sub(
            r"\b(drawn|taken|sampled|collected|measured|trough|level|sample)\b|"
            r"\b(post|after|from|since)[- ]?(the )?(last |previous )?(dose|intake|tablet)\b|\bpost\b",
            " ",
            t,
        )
    t = re.sub(r"\b(for|since|ago|on it|of)\b", " ", t)
    t = re.sub(r"(?<=\d)-(?=[a-z])", " ", t)  # "6-month"
    t = re.sub(r"\s+", " ", t).strip()
    m = re.fullmatch(CLINIC_RE, t)
    if m:
        written = clinic_duration(m.group("cn"), m.group("cd"))
        if written is None:
            raise NormalizationError(
                field_name, f"{t!r} is not a clinic-notation duration I can read (e.g. 6/12, 3/52, 5/7): expected {exp}"
            )
        t = written
    t = re.sub(
        rf"({_NUM}|one|two|three|four|five|six) and a half\b", lambda m: f"{(_amount(m.group(1)) or 0) + 0.5:g}", t
    )
    assumptions: List[str] = []
    special = {"half a year": (6, "months")}  # "a year and a half" etc. are read by the general rule
    if t in special:
        amount, unit = special[t]
        value = float(_in_unit(amount, unit, target))
        if target == "months" and unit in ("days", "weeks", "hours"):
            assumptions.append(f"{amount:g} {unit} converted at 1 month = {DAYS_PER_MONTH} days")
    else:
        unit_alt = "|".join(p.replace("(", "(?:") for p, _, _ in _UNIT_DAYS)
        words = "|".join(sorted((re.escape(w) for w in _WORD_NUMBERS), key=len, reverse=True))
        part_re = rf"(?:({_NUM})\s*|\b({words})\s+)({unit_alt})\b(?:\s*(and a half))?"
        parts = re.findall(part_re, t)
        leftover = re.sub(part_re, " ", t)
        leftover = re.sub(r"\band\b|,", " ", leftover).strip()
        if not parts:
            if re.fullmatch(_NUM, t):
                if not unit_named:  # spec v1.2: a bare number is asked about
                    raise _ask(field_name, f"{t} what? Please give the unit (e.g. '{t} months' or '{t} years')")
                value = _to_float(t, field_name, exp)
            else:
                raise NormalizationError(field_name, f"could not read {text.strip()[:60]!r}: expected {exp}")
        else:
            if leftover:
                raise NormalizationError(
                    field_name, f"could not read {leftover[:60]!r} in {text.strip()[:60]!r}: expected {exp}"
                )
            value = 0.0
            for number, word, unit_word, half in parts:
                amount = _to_float(number, field_name, exp) if number else float(_WORD_NUMBERS[word])
                if half:
                    amount += 0.5
                unit = next(u for p, _, u in _UNIT_DAYS if re.fullmatch(p, unit_word))
                if target == "months" and unit in ("days", "weeks", "fortnights", "hours"):
                    assumptions.append(f"{amount:g} {unit} converted at 1 month = {DAYS_PER_MONTH} days")
                value += _in_unit(amount, unit, target)
    if value < 0:
        raise NormalizationError(field_name, f"a duration cannot be negative: expected {exp}")
    value = _tidy(value, 4)
    _check_range(field_name, value, exp)
    if approx:
        assumptions.append(_approx_note(text, value, target))
    if bound:
        assumptions.append(f"'{text.strip()[:60]}' is a bound: {BOUND_SIGNS[bound]} {value:g} {target}")
    return Normalized(field_name, value, assumptions, bound=bound)


# ---------------------------------------------------------------------------------------------
# dose

DOSE_EXPECTED = "an imatinib dose in mg, e.g. '400 mg', '400 mg daily' or '400 mg bid' (100–800 mg/day)"
# Schedules, written once; the extractor builds its patterns from the same lists (reading/extraction.py).
TWICE_DAILY = (
    r"bid",
    r"b\.i\.d\.?",
    r"bd",
    r"b/d",
    r"b\.d\.?",
    r"twice daily",
    r"twice a day",
    r"twice-daily",
    r"2 ?x daily",
    r"q12h",
    r"every 12 hours",
    r"x ?2",
    r"(?:two|2) times (?:a|per|in the) day",
    r"(?:two|2) times daily",
    r"twice per day",
)
ONCE_DAILY = (
    r"od",
    r"o\.d\.?",
    r"qd",
    r"q\.d\.?",
    r"once daily",
    r"once a day",
    r"q24h",
    r"nocte",
    r"mane",
    r"once per day",
    r"(?:one|1) time (?:a|per|in the) day",
    r"(?:one|1) time daily",
    r"1 ?x ?(?:daily|(?:a|per) day|t(?:ä|ae)glich)",  # "400 mg 1x daily", "1x täglich" (as colleagues abroad write)
)
PER_DAY = (r"daily", r"a day", r"per day", r"/ ?day", r"/d", r"each day", r"every day")  # not a schedule
_BID = "(" + "|".join(TWICE_DAILY) + ")"
_ONCE = r"(?<![a-z])(" + "|".join(ONCE_DAILY + ("once",)) + r")\b"  # glued too: "400od"
_OD = "(" + "|".join(ONCE_DAILY + PER_DAY) + ")"


# schedules the rules cannot read as a daily dose: asked about (spec v1.2)
OTHER_SCHEDULES = re.compile(
    r"\b(?:tid|t\.i\.d\.?|tds|t\.d\.s\.?|three times (?:a day|daily)|thrice daily|3 ?x daily|q8h|qid|four times|"
    r"every other day|alternate days?|on alternate|eod|qod|weekly|once a week|per week|a week|/ ?wk|/ ?week|"
    r"mg ?/ ?m2|mg ?/ ?m²|mg per m2|per m2|mg ?/ ?kg|mane and nocte|morning and night|am and pm)\b"
)
_TABLET_STRENGTHS = (100, 400)  # imatinib tablets: "4 x 100 mg" = 400 mg/day (spec v1.2)


def dose(text: Any, field_name: str = "dose_mg") -> Normalized:
    f, exp = field_name, DOSE_EXPECTED
    t = _clean(text, f, exp)
    t = re.sub(r"\b(imatinib|glivec|gleevec|im|on|of|dose|currently|taking|total)\b", " ", t)
    t = re.sub(r"\s+", " ", t).strip()
    if OTHER_SCHEDULES.search(t):
        raise _ask(
            f, f"{text.strip()[:60]!r}: what is the total daily dose? (a schedule other than once or twice daily)"
        )
    if re.search(_BID, t) and re.search(_ONCE, t):
        raise _ask(f, f"{text.strip()[:60]!r} names two schedules (once and twice daily): which is it? Expected {exp}")
    if re.search(_NUM + r"\s*(?:mg)?\s*(?:-|–|to|or)\s*" + _NUM, t):
        raise _ask(f, f"{text.strip()[:60]!r} gives two doses: which is the current daily dose?")
    m = re.fullmatch(rf"({_NUM})\s*(mg|g|milligrams?)?\s*(?:{_BID}|{_OD})?\s*(?:{_BID}|{_OD})?", t)
    tablets = re.fullmatch(
        rf"(\d|two|three|four|five|six|seven|eight)\s*(?:x|×|\*|tablets? of|tabs? of)\s*({_NUM})\s*(mg)?"
        rf"(?:\s*(?:tablets?|tabs?))?(?:\s*(?:{_OD}))?",
        t,
    )
    assumptions: List[str] = []
    related: Dict[str, Any] = {}
    if tablets:
        count = _amount(tablets.group(1)) or 0
        strength = _to_float(tablets.group(2), f, exp)
        if count == 2 and strength in (300, 400) and not re.search(_OD, t):  # "2 x 400": 400 mg twice daily
            amount, bid = strength, True
        else:
            amount, bid = count * strength, False
            if strength not in _TABLET_STRENGTHS:
                assumptions.append(f"{count:g} × {strength:g} mg read as {amount:g} mg a day")
    elif m:
        amount = _to_float(m.group(1), f, exp)
        unit = m.group(2)
        bid = re.search(_BID, t) is not None
        if unit is None:
            assumptions.append(f"no unit given: {amount:g} read as mg")
        elif unit == "g":
            amount *= 1000
    else:
        raise NormalizationError(f, f"could not read {text.strip()[:60]!r}: expected {exp}")
    if amount <= 0:
        raise NormalizationError(f, f"a dose must be positive: expected {exp}")
    if bid:
        total = amount * 2
        assumptions.append(f"{amount:g} mg twice daily = {total:g} mg/day (dosing: twice_daily)")
        if field_name == "dose_mg":  # the schedule of the dose before a reduction is not the schedule now
            related["dosing"] = "twice_daily"
    else:
        total = amount
        if field_name == "dose_mg" and re.search(r"(?<![a-z])(?:" + "|".join(ONCE_DAILY) + r")(?![a-z])", t):
            related["dosing"] = "once_daily"  # "daily" alone is per day, not a schedule (spec v1.2)
    if not float(total).is_integer():
        raise NormalizationError(f, f"{total:g} mg is not a whole number of mg: expected {exp}")
    _check_range(f, total, exp)
    return Normalized(f, int(total), assumptions, related)


# ---------------------------------------------------------------------------------------------
# adherence

# phrases that report every dose taken, and what turns them into less than that (spec section 5)
_ALL_DOSES = re.compile(
    r"\b(?:takes? all|taking all|took all|(?:takes?|taking|took) (?:them|it|the tablets|the doses) all|"
    r"(?:takes?|has taken|had taken|taken|taking) every (?:single )?(?:dose|tablet|pill|tab|one)|never miss(?:es|ed)?|"
    r"(?:pill|tablet|blister|capsule) counts? (?:is |was |were )?(?:complete|perfect|correct|full)|"
    r"no missed|no doses? missed|doesn.?t miss|does not miss|"
    r"hasn.?t missed|has not missed|not missed any|fully adherent|fully compliant|100 ?% (?:adherent|compliant)|"
    r"all (?:of )?(?:her |his |their |the )?(?:doses|tablets|pills)|perfect(?:ly adherent)?|"
    r"(?:takes?|taking|took) everything|"
    r"always (?:takes?|taking) (?:them|it|(?:her|his|their|the) (?:doses|tablets|pills|imatinib|medication|meds))"
    r"(?=\s*(?:[.,;!]|$))|religiously|without fail|never forgets?)\b"
)
_NEGATED = re.compile(r"(?:\b(?:not|never|no longer|hardly|rarely|seldom|barely|nor)|n't)\W*(?:\w+\W+){0,2}$")
_EXCEPT = re.compile(
    r"\b(except|apart from|other than|besides|but|although|though|however|unless|sometimes|occasionally|often|"
    r"usually|mostly|most|almost|nearly|weekends?|weekdays?|holidays?|"
    r"pill count(?! (?:is |was )?(?:complete|perfect|correct|full))|count (?:is |was )?low|forgets?|"
    r"forgot|miss(?:es|ed)?|skips?|skipped|half|halves|when|until|unless|if|bar|instead|took|used to|"
    # hedged or partial (spec v1.2): "doesn't miss many", "all the doses she remembers", "all her morning doses",
    # "that I know of", "she claims" ("she says" only tells who reported it: spec section 5 reads "never misses")
    r"many|much|lots|a lot|remembers?|remembered|know of|as far as|afaik|i think|"
    r"i believe|apparently|reportedly|claims?|supposedly|\d+)\b"
)
# only some of the doses ("all her morning doses"); "drawn 12 h after the evening dose" is no such restriction
_PARTIAL = re.compile(r"\b(?:morning|evening|night|nighttime|am|pm|weekday|daytime) (?:doses|tablets|pills|tabs)\b")


def _every_dose(t: str) -> Optional[bool]:
    """True: the text reports every dose taken; False: it says so with a negation or an exception
    ("not fully adherent", "takes all doses except weekends"), which is never 100 %; None: neither."""
    found = list(_ALL_DOSES.finditer(t))
    if not found:
        return None
    rest = _ALL_DOSES.sub(" ", t)
    if any(_NEGATED.search(t[: m.start()]) for m in found) or _EXCEPT.search(rest) or _PARTIAL.search(t):
        return False
    return True


ADH_EXPECTED = (
    "adherence as a percentage of prescribed doses taken (0–100 %), e.g. '95 %', "
    "'misses 2 doses a week' or 'never misses'"
)
_PERIOD_DOSES = {"day": 1, "week": 7, "fortnight": 14, "month": T.MISSED_DOSES_MONTH_DAYS}  # a 30-day month
# Missed doses per period, written once: the extractor finds them in messages with the same grammar
# (reading/extraction.py). "misses 2 doses a week", "skips one per wk", "misses 1 dose/wk", "skips a dose weekly".
MISSED_PERIODS = {
    "day": "day",
    "d": "day",
    "daily": "day",
    "week": "week",
    "wk": "week",
    "w": "week",
    "weekly": "week",
    "fortnight": "fortnight",
    "fortnightly": "fortnight",
    "month": "month",
    "mo": "month",
    "mth": "month",
    "monthly": "month",
}
MISSED_COUNT_WORDS = ("a", "an", "one", "two", "three", "four", "five", "six", "seven", "once", "twice", "thrice")
_TIMES = {"once": 1.0, "twice": 2.0, "thrice": 3.0}


def missed_doses_pattern(number: str) -> str:
    """The missed-doses phrase, with ``number`` the pattern of a written number (groups ``n``, ``per``)."""
    words = "|".join(MISSED_COUNT_WORDS)
    return (
        rf"(?:miss(?:es|ed|ing)?|skip(?:s|ped|ping)?|forget(?:s|ting)?|forgot)\s+"
        # what is missed before the count: "skips imatinib about twice a week", "misses her tablets once a week"
        rf"(?:(?:imatinib|im|glivec|gleevec|it|them|her|his|the)\s+(?:(?:doses?|tablets?|pills?|imatinib)\s+)?"
        rf"(?=(?:about|around|roughly|approx|approximately|~|maybe|perhaps|probably|once|twice|thrice)\b))?"
        rf"(?:(?:about|around|roughly|approx\.?|approximately|~|maybe|perhaps|probably|up to|at least)\s*)?"
        # (a count, not the schedule: "misses the once daily dose about once a month")
        rf"(?P<n>{number}|{words})(?!(?:(?<=once)|(?<=twice))\s+(?:daily|a day|per day|each day|every day)\b)"
        rf"\s+(?:doses?|tablets?|pills?|days?)?\s*"
        rf"(?:(?:a|per|every|each|in a|in the last|/)\s*(?P<per>day|week|fortnight|month|wk|w|mo|mth|d)\b"
        rf"|(?:every|each|per|in)\s+(?P<per_2w>2|two)\s+weeks?\b"
        rf"|(?P<per_ly>daily|weekly|fortnightly|monthly)\b)"
    )


_MISSED = re.compile(missed_doses_pattern(_NUM))


# the count written before "missed", over a whole period that has passed: "6 missed doses last month", "4 doses
# missed in the last 30 days", "2 missed tablets in the past 2 weeks" ("this month" has not passed: not read)
def missed_count_first_pattern(number: str) -> str:
    """The missed-doses phrase with the count first, ``number`` the pattern of a written number (groups ``n``,
    ``per``)."""
    return (
        rf"(?P<n>{number}|{'|'.join(MISSED_COUNT_WORDS)})\s+(?:missed\s+(?:doses?|tablets?|pills?)|"
        r"(?:doses?|tablets?|pills?)\s+missed)\s+(?:in\s+)?(?:the\s+)?(?:last|past|per|a|every|each)\s+"
        r"(?P<per>week|wk|month|mo|mth|fortnight|7\s+days|30\s+days|14\s+days|2\s+weeks|two\s+weeks)\b"
    )


_MISSED_COUNT_FIRST = re.compile(missed_count_first_pattern(_NUM))
_COUNTED_PERIOD = {"7 days": "week", "30 days": "month", "14 days": "fortnight", "2 weeks": "fortnight"}


def _as_misses(m: re.Match) -> str:
    per = re.sub(r"\s+", " ", m.group("per")).replace("two ", "2 ")
    return f"misses {m.group('n')} doses a {_COUNTED_PERIOD.get(per, per)}"


_BOUNDED_MISSES = re.compile(  # "never misses more than 4 doses a month": a lower bound of adherence
    r"\b(?:never|doesn.?t|does not|won.?t|rarely) miss(?:es)? (?:more than|over|above) "
)


# complexity: one branch per written form of adherence (%, missed doses per period, phrases, hedges), spec section 5
def adherence_pct(text: Any) -> Normalized:  # noqa: C901 (the reason is above)
    f, exp = "adherence_pct", ADH_EXPECTED
    t = _clean(text, f, exp)
    assumptions: List[str] = []
    t, approx = _strip_approx(t)
    ranged = re.search(r"(\bfrom\s+)?" + _NUM + r"\s*%?\s*(?:-|–|to)\s*" + _NUM + r"\s*%", t)
    if (ranged and not ranged.group(1)) or re.search(r"\bbetween\b", t):  # "from 70 to 90 %" is a change
        raise _ask(f, f"{text.strip()[:60]!r} is a range: which percentage of doses is taken?")
    bounded = _BOUNDED_MISSES.search(t)
    if bounded:
        m = _MISSED.search("misses " + t[bounded.end() :])
        if m is None:
            raise _ask(f, f"{text.strip()[:60]!r}: how many doses are missed, e.g. 'misses 2 doses a week' or '95 %'?")
        value = _missed_value(m, t, f, exp)
        return Normalized(
            f, value, [f"'{text.strip()[:60]}' is a lower bound: at least {value:g} % of doses taken"], bound=">="
        )
    counted = _MISSED.search(_MISSED_COUNT_FIRST.sub(_as_misses, t))
    # "takes her metformin religiously but skips imatinib twice a week": the count of imatinib's doses missed
    every = None if counted and re.search(r"\b(?:imatinib|im|glivec|gleevec)\b", counted.group(0)) else _every_dose(t)
    if every is not None:
        if not every:
            raise _ask(
                f,
                f"{text.strip()[:60]!r} does not say how many doses are taken: please give a "
                f"percentage or the missed doses per week (e.g. '95 %' or 'misses 2 doses "
                f"a week')",
            )
        return Normalized(f, 100.0, ["reported as taking every dose: 100 %"])
    t = _MISSED_COUNT_FIRST.sub(_as_misses, t)  # "6 missed doses last month": misses 6 doses a month
    m = _MISSED.search(t)
    if m and _ANOTHER_COUNT.match(t, m.end()):
        raise _ask(f, f"{text.strip()[:60]!r} gives two counts of missed doses: how many are missed, or which %?")
    if m and re.search(r"\b(at least|up to|or more|more than|over)\b", m.group(0) + t[m.end() : m.end() + 12]):
        raise _ask(
            f,
            f"{text.strip()[:60]!r} gives a bound, not a count, of missed doses: how many are missed, e.g. "
            f"'misses 2 doses a week' or '95 %'?",
        )
    if m:
        approx = approx or bool(
            re.search(r"\b(about|around|roughly|approx|approximately|maybe|perhaps|probably)\b|~", t)
        )
        value = _missed_value(m, t, f, exp, assumptions)
        if approx:
            assumptions.append(_approx_note(text, value, "%"))
        return Normalized(f, value, assumptions)
    m = re.fullmatch(rf"(?:takes\s+)?({_NUM})\s*(?:of|out of|/)\s*({_NUM})\s*(?:doses|tablets)?(?:\s*taken)?", t)
    if m:
        a, b = _to_float(m.group(1), f, exp), _to_float(m.group(2), f, exp)
        if b <= 0 or a < 0 or a > b:
            raise NormalizationError(f, f"{a:g} of {b:g} doses is not possible: expected {exp}")
        value = round(100 * a / b, 1)
        assumptions.append(f"{a:g} of {b:g} doses taken = {value:g} %")
        return Normalized(f, value, assumptions)
    t2 = re.sub(
        r"\b(adherence|adherent|compliance|compliant|is|of (?:her |his |their |the )?doses|taken|takes?|taking)\b",
        " ",
        t,
    ).strip()
    bound, t2 = leading_comparator(t2)
    if re.fullmatch(_NUM + r"\s*%?\s*\+", t2):  # "95%+": at least 95 %
        bound, t2 = ">=", t2.rstrip("+ ")
    value, token = _single_number(t2, f, exp)
    if bound in ("<", "<=") and value > T.ADHERENCE_CONFIRMED_ABOVE_PCT:  # "< 95 %" may or may not be above 90
        raise _ask(f, f"{text.strip()[:60]!r} gives an upper bound: which percentage of doses is taken?")
    head, tail = (s.strip() for s in t2.split(token, 1))
    if head or tail not in ("%", "percent", "per cent", ""):
        raise NormalizationError(f, f"could not read {text.strip()[:60]!r}: expected {exp}")
    if tail == "" and 0 < value <= 1:  # 0.95 or 1: a fraction, or a percentage?
        raise _ask(
            f, f"{value:g} could be a fraction or a percentage: please give a percentage, e.g. {value * 100:g} %"
        )
    if tail == "":
        assumptions.append(f"{value:g} read as a percentage")
    _check_range(f, value, exp)
    if approx:
        assumptions.append(_approx_note(text, value, "%"))
    if bound:
        assumptions.append(f"'{text.strip()[:40]}' is a bound: {BOUND_SIGNS[bound]} {value:g} % of doses taken")
    return Normalized(f, _tidy(value), assumptions, bound=bound)


# a second count said after a count of doses missed: "misses one a week, sometimes two", "2 a month or maybe 3"
_ANOTHER_COUNT = re.compile(
    r"\s*,?\s*(?:\(\s*)?(?:sometimes|occasionally|or|maybe|possibly|at times|even|some weeks|other weeks)"
    r"(?:\s+(?:maybe|even|more like|up to))?\s+(?:\d+|one|two|three|four|five|six|seven|more)\b",
    re.I,
)


def _missed_value(m, t: str, f: str, exp: str, assumptions: Optional[List[str]] = None) -> float:
    """Missed doses per period → % taken (a 30-day month, as clinicians count; twice daily doubles the doses)."""
    n = _TIMES.get(m.group("n")) or _amount(m.group("n"))
    if n is None:
        n = _to_float(m.group("n"), f, exp)
    period = "fortnight" if m.groupdict().get("per_2w") else MISSED_PERIODS[m.group("per") or m.group("per_ly")]
    per = _PERIOD_DOSES[period]
    twice = re.search(_BID, t) is not None
    doses = per * (2 if twice else 1)
    if n < 0 or n > doses:
        raise NormalizationError(f, f"cannot miss {n:g} of {doses:g} doses a {period}: expected {exp}")
    value = round(100 * (doses - n) / doses, 1)
    if assumptions is not None:
        sched = "twice daily" if twice else "once daily"
        assumptions.append(f"{n:g} missed of {doses:g} doses a {period} ({sched}) = {value:g} % taken")
    return value


# ---------------------------------------------------------------------------------------------
# categorical and boolean fields

_YES = {
    "yes",
    "y",
    "true",
    "1",
    "yep",
    "yeah",
    "confirmed",
    "positive",
    "present",
    "reached",
    "achieved",
    "done",
    "on a reduced dose",
    "reduced",
}
_NO = {
    "no",
    "n",
    "false",
    "0",
    "nope",
    "not confirmed",
    "negative",
    "absent",
    "not reached",
    "none",
    "not achieved",
    "full dose",
    "standard dose",
}
# Answers that leave a value unknown on purpose (the forms keep it as unknown; the rules name it as missing)
UNKNOWN_WORDS = frozenset(
    {
        "unknown",
        "not known",
        "don't know",
        "dont know",
        "i don't know",
        "i dont know",
        "no idea",
        "unsure",
        "n/a",
        "na",
        "not available",
        "skip",
        "pass",
        "leave it blank",
        "not done",
        "not tested",
        "none yet",
        "no trough",
        "no level",
        "not measured",
    }
)
_UNKNOWN = UNKNOWN_WORDS


def boolean(field_name: str, text: Any) -> Normalized:
    exp = "yes or no" + (" (or 'not done')" if field_name == "ddpcr_mr45" else "")
    t = _clean(text, field_name, exp).rstrip(".!")
    if t in _YES:
        return Normalized(field_name, True)
    if t in _NO:
        return Normalized(field_name, False)
    if field_name == "ddpcr_mr45" and t in _UNKNOWN:
        return Normalized(field_name, None, ["ddPCR not done"])
    raise NormalizationError(field_name, f"could not read {text.strip()[:60]!r}: expected {exp}")


_CHOICE_WORDS = {
    "phase": {
        "chronic": "chronic",
        "cp": "chronic",
        "chronic phase": "chronic",
        "cml-cp": "chronic",
        "accelerated": "accelerated",
        "ap": "accelerated",
        "accelerated phase": "accelerated",
        "blast": "blast",
        "bp": "blast",
        "bc": "blast",
        "blast phase": "blast",
        "blast crisis": "blast",
        "blastic": "blast",
    },
    "dosing": {
        "once daily": "once_daily",
        "once_daily": "once_daily",
        "od": "once_daily",
        "qd": "once_daily",
        "daily": "once_daily",
        "once a day": "once_daily",
        "twice daily": "twice_daily",
        "twice_daily": "twice_daily",
        "bid": "twice_daily",
        "b.i.d.": "twice_daily",
        "bd": "twice_daily",
        "b/d": "twice_daily",
        "b.d.": "twice_daily",
        "twice a day": "twice_daily",
        "q12h": "twice_daily",
    },
    "goal": {
        "tolerability": "tolerability",
        "side effects": "tolerability",
        "adverse events": "tolerability",
        "toxicity": "tolerability",
        "quality of life": "tolerability",
        "qol": "tolerability",
        "tfr": "tfr",
        "treatment-free remission": "tfr",
        "treatment free remission": "tfr",
        "stopping": "tfr",
        "discontinuation": "tfr",
        "none": None,
        "no goal": None,
    },
    "response_status": {
        "optimal": "optimal",
        "warning": "warning",
        "suboptimal": "warning",
        "failure": "failure",
        "failing": "failure",
        "treatment failure": "failure",
    },
}


def choice(field_name: str, text: Any) -> Normalized:
    words = _CHOICE_WORDS[field_name]
    exp = "one of: " + ", ".join(sorted({v for v in words.values() if v}))
    t = _clean(text, field_name, exp).rstrip(".!")
    if t in words:
        return Normalized(field_name, words[t])
    # a phrase naming exactly one choice ("towards TFR", "because of side effects")
    hits = {v for w, v in words.items() if len(w) > 2 and re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", t)}
    if len(hits) == 1 and len(t) <= 80:
        return Normalized(field_name, hits.pop())
    raise NormalizationError(field_name, f"could not read {text.strip()[:60]!r}: expected {exp}")


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "0": 0, "1": 1, "2": 2, "3": 3, "4": 4}
AE_EXPECTED = "the worst current adverse event as a CTCAE grade 0–4, e.g. 'grade 2' or 'G3' ('none' = 0)"


# units of measurement: a number followed by one of them is a measurement, never a CTCAE grade
_UNIT_WORD = (
    r"(?:[kmµu]?hz|[kmµun]?g|mcg|[mdµu]?l|lit(?:re|er)s?|[ckmnµu]?m|mph|kph|k?cal|°\s*[cf]|%|per\s?cent|"
    r"[nµu]?mol(?:/l)?|hrs?|hours?|h|mins?|minutes?|s|secs?|seconds?|days?|d|weeks?|wks?|"
    r"months?|mo|years?|yrs?|y|parsecs?|bpm|mmhg|units?|iu|log|x)\b"
)


_GRADE = r"(?:ctcae\s*(?:v\d\s*)?(?:grade|gr\.?|g)?|grade|gr\.?|\bg)\s*([0-4]|iv|iii|ii|i)(?![\w.])"
_COUNT_WORDS = r"(?:episodes?|times?|tablets?|tabs?|pills?|doses?|attacks?|bouts?|admissions?|cycles?|courses?)\b"
_PAST = re.compile(
    r"\b(previous(?:ly)?|prior|before|earlier|last (?:month|week|year|time)|used to|was|had|resolved|history|in 20\d\d|"
    r"ago|formerly|initially|at the start|then)\b"
)
_NOW = re.compile(
    r"\b(now|currently|current|today|at present|presently|ongoing|still|this (?:week|morning|month)|yesterday|"
    r"at the moment|for the (?:last|past) (?:few |couple of |\d+ )?(?:days?|weeks?))\b"
)


def ae_grade(text: Any) -> Normalized:
    """The worst **current** CTCAE grade (spec v1.2): a range, a bound or a negated grade is asked about, a count
    is not a grade, and of a past and a current grade the current one counts."""
    f, exp = "ae_grade", AE_EXPECTED
    t = _clean(text, f, exp)
    if t.rstrip(".!") in ("none", "no", "nil", "no adverse events", "no side effects", "no aes", "grade 0 (none)"):
        return Normalized(f, 0)
    if re.search(
        _GRADE + r"\s*(?:/|-|–|to|or|and|&)\s*(?:grade|gr\.?|g)?\s*([0-4]|iv|iii|ii|i)(?![\w.])", t
    ) or re.search(r"\bbetween\b", t):
        raise _ask(f, f"{text.strip()[:60]!r} is a range of grades: which grade is it now?")
    if re.search(
        r"(?:[≥>≤<]=?|at least)\s*"
        + _GRADE.replace("([0-4]", "(?:[0-4]")
        + "|"
        + _GRADE
        + r"\s*(?:\+|or (?:higher|worse|above|more))",
        t,
    ) or re.fullmatch(r"\s*[≥>≤<]=?\s*[0-4]\s*", t):
        raise _ask(f, f"{text.strip()[:60]!r} gives a bound: which grade is it now?")
    if re.search(_GRADE + r"\s*(?:\?|(?:x|×)\s*\d)", t):  # "grade 4?", "grade 3 x2"
        raise _ask(f, f"{text.strip()[:60]!r}: which grade is it now?")
    if re.search(r"\b(?:no|not|never|without|nor)\b[^,;]*" + _GRADE, t) or re.search(r"\bnot\s+g", t):
        raise _ask(f, f"{text.strip()[:60]!r} says which grade it is not: which grade is it now?")
    mentions = [(m.group(1), m.start()) for m in re.finditer(_GRADE, t)]
    if not mentions:
        m = re.fullmatch(r"([0-4]|iv|iii|ii|i)(?:\s*\(\s*ctcae[^)]*\))?", t.strip(" .!")) or re.fullmatch(
            r"([0-4]|iv|iii|ii)\s+[a-z][a-z ]*",
            t.strip(" .!"),  # "2 diarrhoea", "ii rash": a grade before the event (not "I got it wrong")
        )
        if m and re.match(r"[0-4]\s+(?:" + _COUNT_WORDS + "|" + _UNIT_WORD + ")", t.strip()):
            m = None  # "3 episodes", "2 tablets", "3 months": a count or a measurement, not a grade
        if m is None:
            raise NormalizationError(f, f"could not read {text.strip()[:60]!r} as a grade: expected {exp}")
        mentions = [(m.group(1), 0)]
    if len(mentions) > 1:
        clauses = re.split(r"[,;]|\bbut\b|\band\b", t)
        current, past = [], []
        for key, at in mentions:
            clause = next(c for c in clauses if c and t.find(c) <= at < t.find(c) + len(c)) if clauses else t
            (past if _PAST.search(clause) and not _NOW.search(clause) else current).append(_ROMAN[key])
        if not current:
            raise _ask(f, f"{text.strip()[:60]!r} names past grades only: which grade is it now?")
        if past:
            return Normalized(f, max(current), [f"the current grade counts, not an earlier one ({max(past)})"])
        return Normalized(f, max(current), [f"the worst current grade of {len(current)} given"])
    key, at = mentions[0]
    own = next((c for c in re.split(r"[,;]|\bbut\b", t) if c and t.find(c) <= at < t.find(c) + len(c)), t)
    if _PAST.search(own) and not _NOW.search(own):  # "grade 3 previously"; not "grade 2, previously 3"
        raise _ask(f, f"{text.strip()[:60]!r} is a past event: which grade is it now?")
    return Normalized(f, _ROMAN[key])


MUT_EXPECTED = (
    "mutation names such as 'T315I' or 'p.Phe317Leu, E255K'; 'none found' if tested "
    "negative; 'not tested' if not tested"
)


def mutations(text: Any) -> Normalized:
    f = "mutations"
    t = _clean(text, f, MUT_EXPECTED)
    if t.rstrip(".") in (
        "none",
        "none found",
        "no mutations",
        "no mutation",
        "negative",
        "wild type",
        "wild-type",
        "wt",
        "no kinase domain mutation",
        "tested negative",
    ):
        return Normalized(f, [], ["mutation testing: no mutation found"])
    if t.rstrip(".") in _UNKNOWN or t in ("not sent", "never tested"):
        return Normalized(f, None, ["mutation testing: not done"])
    negated = re.search(r"\b(?:no|not|without|negative for|ruled out|excluded)\b", t)
    if negated and re.search(r"\b(?:p\.)?[a-z](?:[a-z]{2})?\d{2,4}[a-z](?:[a-z]{2})?\b", t[negated.start() :]):
        # "no T315I" says one mutation is absent, not whether another was found (spec v1.2: never read as present)
        raise _ask(f, f"{text.strip()[:60]!r}: which mutations were found, if any ('none found' if none)?")
    t = re.sub(r"p\.\(([^)]*)\)", r"\1", t)  # "p.(Thr315Ile)", the HGVS form of a predicted change
    out: List[str] = []
    for part in re.split(r"\s*(?:,|;|\+|\band\b|&|\s)\s*", t):
        if not part:
            continue
        try:
            name = mut.normalize_mutation(part)
        except mut.WrongReference as exc:
            raise _ask(f, str(exc)) from None
        except ValueError:
            raise NormalizationError(f, f"{part[:60]!r} is not a mutation name: expected {MUT_EXPECTED}") from None
        if name not in out:
            out.append(name)
    if not out:
        raise NormalizationError(f, f"no mutation name found: expected {MUT_EXPECTED}")
    return Normalized(f, out)


# ---------------------------------------------------------------------------------------------
# registry of normalisers by field

NORMALIZERS: Dict[str, Callable[..., Normalized]] = {
    "bcr_abl1_is": bcr_abl1_is,
    "trough_ng_ml": trough_ng_ml,
    "dose_mg": dose,
    "standard_dose_mg": lambda t: dose(t, "standard_dose_mg"),
    "adherence_pct": adherence_pct,
    "ae_grade": ae_grade,
    "mutations": mutations,
}
for _f in _FIELD_UNIT:
    NORMALIZERS[_f] = (lambda name: lambda t, **kw: duration(name, t, **kw))(_f)
for _f in ("ddpcr_mr45", "on_reduced_dose", "prior_tki_failure", "drug_interaction_concern", "response_confirmed"):
    NORMALIZERS[_f] = (lambda name: lambda t: boolean(name, t))(_f)
for _f in _CHOICE_WORDS:
    NORMALIZERS[_f] = (lambda name: lambda t: choice(name, t))(_f)

FIELDS = tuple(sorted(NORMALIZERS))
_CORRECTED = re.compile(
    r"^\s*not\s+(?P<neg>[^,;]+?)\s*[,;]?\s*(?:only|just|but|actually|rather|more like|it'?s|it was)\s+"
    r"(?P<val>[^,;]+?)\s*[.!]?$",
    re.I,
)
_NUMERIC = ("bcr_abl1_is", "trough_ng_ml", "dose_mg", "standard_dose_mg", "adherence_pct", "ae_grade") + tuple(
    _FIELD_UNIT
)
# fields whose bare number is asked about unless the question it answers named the unit (spec v1.2)
UNIT_NEEDED = ("trough_ng_ml",) + tuple(_FIELD_UNIT)


def as_input(n: Normalized) -> Normalized:
    """``n`` if it can stand as the decision module's input, else a question (spec v1.2: a rule may use a bound
    on its conservative side; where no side is conservative the value is asked for).

    - BCR-ABL1 "≤ X" (MMR, MR4, "< 0.01 %"): X is the conservative reading; "> X" ("not in MMR") is not a level.
    - adherence "≥ X" ("never misses more than 4 a month"): X is the conservative reading.
    - durations "> X" ("over 5 years"): X, as the criteria ask for "at least" or "more than" (said).
    - a trough given as a bound ("< 100 ng/mL") is not a level, nor adherence "< 90 %" a share: asked for.
    """
    if n.bound is None:
        return n
    shown = n.shown({"bcr_abl1_is": "%", "trough_ng_ml": "ng/mL", "adherence_pct": "%"}.get(n.field, ""))
    if n.field == "bcr_abl1_is" and n.bound in (">", ">="):
        raise _bound(n.field, f"{shown}: the level is above {n.value:g} %, but the rules need the level itself")
    if n.field == "trough_ng_ml":  # spec section 5: a trough bound is not read, only asked about
        raise _ask(n.field, f"{shown} is a bound, not a level: what was the trough level?")
    if n.field == "adherence_pct" and n.bound in ("<", "<="):
        raise _ask(n.field, f"{shown} is a bound: which percentage of doses is taken?")
    return n


def _bound(field_name: str, message: str) -> NormalizationError:
    """A response bound ("not in MMR") is read as written (issue 20), but the rules need the level: noted, asked."""
    return NormalizationError(field_name, message, ask=True, read=True)


def normalize(field_name: str, text: Any, *, unit_named: bool = False, today: Optional[date] = None) -> Normalized:
    """Normalise ``text`` for ``field_name``; raises :class:`NormalizationError`.

    ``unit_named``: the text answers a question that named the field's unit, so a bare number is in that unit
    (spec v1.2: otherwise a unitless trough or duration is asked about). ``today``: the date of the message,
    for "since 2019" (default: today).
    """
    fn = NORMALIZERS.get(field_name)
    if fn is None:
        raise NormalizationError(
            field_name or "field", f"unknown field {field_name!r}: expected one of {', '.join(FIELDS)}"
        )
    try:
        return _normalize(fn, field_name, text, unit_named, today)
    except (OverflowError, ValueError, ZeroDivisionError) as exc:  # "10^400 %": a number beyond any value
        if isinstance(exc, NormalizationError):
            raise
        raise NormalizationError(
            field_name, f"{str(text).strip()[:40]!r} is not a number a clinician would give"
        ) from None


def _normalize(fn, field_name: str, text: Any, unit_named: bool, today: Optional[date]) -> Normalized:
    corrected = _CORRECTED.match(text) if isinstance(text, str) and field_name in _NUMERIC else None
    if corrected:  # "not 5 days, only 3": the value is the one after the negated one (spec v1.2)
        value, negated = corrected.group("val").strip(), corrected.group("neg")
        unit = re.search(r"\d\s*([a-zµμ/%]+(?:\s*/\s*[a-z]+)?)\s*$", negated, re.I)
        if unit and re.fullmatch(r"[\d.,]+", value):
            value = f"{value} {unit.group(1)}"
        return normalize(field_name, value, unit_named=unit_named, today=today)
    if field_name == "trough_ng_ml":
        return fn(text, unit_named=unit_named)
    if field_name in _FIELD_UNIT:
        return fn(text, unit_named=unit_named, today=today)
    return fn(text)

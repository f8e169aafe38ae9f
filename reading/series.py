"""A series of BCR-ABL1 results written in one message, as haematologists write them.

    "12 % at 3 months, 2 % at 6, 0.5 % at 12, 0.08 % at 18"  → (12, 3) (2, 6) (0.5, 12) (0.08, 18)
    "PCR 0.009 % before the reduction, now 0.04 %"             → (0.009, -) (0.04, -)
    "went from 0.009 % to 0.04 %"                              → (0.009, -) (0.04, -)

A level is a number with % (a later one may leave the % out once the list has set it; in a message about
molecular response a fraction needs none: "0.4 at 24m"), or one of a list named as results; its time is
"at/@/after N [months|years]", the unit carried from the first that names one; a time in weeks or days,
a level that is another measure (adherence, a grade, a trough) or two results at one time make no
series (the form then reads the message as it would any other). Only two or more levels
make a series; the order is the order of the times, or of the message when no time is given. Levels go
through :mod:`knowledge.normalize`, so the ranges and words it refuses are refused here too.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Dict, List, Optional, Tuple

from knowledge import thresholds as T
from knowledge.card import Point
from knowledge.normalize import DAY_BEFORE_MONTH, MONTHS, NormalizationError, normalize

_NUM = r"\d+(?:[.,]\d+)?"
# the milestones' times in words: "14 % at three months and 2.1 % at six"
_WORD_TIMES = {"three": 3, "six": 6, "nine": 9, "twelve": 12, "eighteen": 18, "twenty-four": 24}
_AT = re.compile(
    rf"(?P<level>{_NUM})\s*(?P<pct>%)?\s*(?:IS\s*)?(?:at|@|after|by)\s*(?P<time>{_NUM}|{'|'.join(_WORD_TIMES)})"
    r"\s*(?P<unit>months?|mths?|mo|m|years?|yrs?|y|weeks?|wks?|w|days?|d)?\b",
    re.I,
)
# time first, as results are listed: "3m 12%, 6m 4%, 12m 0.8%", "at 6 mo: 3 %", "24m 0.3%", with the date of the
# sample in brackets between ("18/12 (Nov 26) 2.4 %")
_TIME_FIRST = re.compile(
    rf"(?<![\w.,])(?:at\s+)?(?P<time>{_NUM}|{'|'.join(_WORD_TIMES)})\s*-?\s*"
    r"(?P<unit>months?|mths?|mo|m|years?|yrs?|y|/\s?12)(?![\w/])\s*(?:\([^()\d%]{0,12}\d{0,4}\)\s*)?[:=\-–]?\s*"
    rf"(?:(?:pcr|bcr-?abl1?|result|level|value|was|is|of|just|came|back|now)\s*[:=]?\s*){{0,3}}(?P<level>{_NUM})\s*"
    r"(?:(?P<pct>%)|(?!\s*(?:[a-z\u00b5\u03bc/%]|x\s*10)))",
    re.I,
)
# a message about molecular response: there a fraction without % ("0.4 at 24m", "6m 0.03") is a level too
MOLECULAR_WORDS = re.compile(
    r"\b(?:pcrs?|bcr|mmr|mr ?[345](?:[.,]5)?|dmr|(?-i:IS)|qpcr|molecular|transcripts?)\b", re.I
)
_FRACTION = re.compile(r"^0[.,]\d+$")
# between listed results: a comma, an arrow, "then", ", and this week"
_LIST_SEP = (
    r"\s*(?:,|->|\u2192|then)\s*(?:(?:and\s+)?(?:this week|today|now|most recently|latest)\s*[:,]?\s*)?"
    r"|,?\s*and\s+(?:this week|today|now|most recently|latest)\s*[:,]?\s*"
)
# results listed after their name, oldest first: "PCRs since the reduction: 0.01, 0.03, 0.08, 0.12"
_LISTED = re.compile(
    rf"\b(?:pcrs|pcr results|bcr-?abl1?\s+(?:results|levels)|monthly pcrs?)\b[^:]{{0,40}}:\s*"
    rf"(?P<list>{_NUM}\s*%?(?:(?:{_LIST_SEP}){_NUM}\s*%?){{2,}})(?!\s*(?:[a-z\u00b5\u03bc/]|x\s*10))",
    re.I,
)
_FROM_TO = re.compile(rf"\bfrom\s+(?P<a>{_NUM})\s*%\s*(?:IS\s*)?(?:to|→|->)\s*(?P<b>{_NUM})\s*%", re.I)
_BEFORE_NOW = re.compile(
    rf"(?P<a>{_NUM})\s*%[^.;]{{0,40}}?\b(?:before|prior to|pre)\b[^.;]{{0,40}}?\bnow\s+(?P<b>{_NUM})\s*%", re.I
)


def _level(text: str) -> Optional[float]:
    try:
        value = normalize("bcr_abl1_is", text).value
    except NormalizationError:
        return None
    return float(value) if isinstance(value, (int, float)) else None


# words just before a level that make it something else than BCR-ABL1 ("adherence 80 % at 24 months")
_NOT_A_LEVEL = re.compile(
    r"\b(adheren\w*|complian\w*|grade|trough|dose|doses|taken|missed|oedema|edema|rash|\bae\b|level of imatinib|"
    r"creat\w*|\bhb\b|haemoglobin|hemoglobin|\banc\b|neut\w*|plts?\b|platelets|wbc|\balt\b|\bast\b|crp|tsh|"
    r"bili\w*|ferritin|egfr|\bk\b|potassium|sodium)"
    r"[^%]{0,20}$",
    re.I,
)


def read_series(text: str, started: Optional[date] = None, today: Optional[date] = None) -> List[Point]:
    """The series in ``text`` (two or more results, written in the order of their times), oldest first;
    [] when there is none or when it is not clear: a level preceded by another measure's name, a time in
    weeks or days, two results at one time (results written newest first are put in time order). Results
    dated by the calendar get their time on imatinib when the date imatinib was ``started`` is known."""
    text = text or ""
    molecular = bool(MOLECULAR_WORDS.search(text) or re.search(r"\d\s*%", text))
    points = _level_first(text, molecular)
    if points is not None and len(points) < 2:
        points = _time_first(text, molecular)
    if points is None:
        return _in_weeks(text)  # timed in weeks (since a change): ordered, not times on imatinib; else not clear
    if len(points) == 1:
        points = points + _repeat_after(text, points[0])  # "3 mo 22 %, repeated 6 wks later 19 %"
    if len(points) >= 2:
        times = [p.months for p in points]  # written newest first ("6/12 1.8 %; 3/12 was 9 %"): put in time order
        return sorted(points, key=lambda p: p.months) if len(set(times)) == len(times) else []
    return _untimed(text) or _calendar(text, started, today or date.today()) or _in_weeks(text)


def one_dated(text: str) -> Optional[Point]:
    """The one result dated by its time on imatinib in ``text`` ("was 0.5 % at 12 mo", "3/12 was 15 %"), if there
    is exactly one; with the level now and the time now it makes a series of two."""
    text = text or ""
    molecular = bool(MOLECULAR_WORDS.search(text) or re.search(r"\d\s*%", text))
    points = _level_first(text, molecular)
    if points is not None and not points:
        points = _time_first(text, molecular)
    return points[0] if points is not None and len(points) == 1 else None


def _level_first(text: str, molecular: bool) -> Optional[List[Point]]:
    """ "12 % at 3 months, 2 % at 6": the points, or None when the list is not clearly a series."""
    points: List[Point] = []
    unit: Optional[str] = None
    has_pct = False
    for m in _AT.finditer(text):
        has_pct = has_pct or bool(m["pct"]) or (molecular and bool(_FRACTION.match(m["level"])))
        if not has_pct or (not m["pct"] and float(m["level"].replace(",", ".")) > T.UNUSUAL_ABOVE_PCT):
            continue  # "400 at 3": not a level until a % has said so, and a bare number over 100 % never is
        if _NOT_A_LEVEL.search(text[max(0, m.start() - 40) : m.start()]):
            return None  # "adherence 80 % at 24 months" among the results: not a series to read
        named = (m["unit"] or "").lower()
        if named and not named.startswith(("m", "y")):
            return None
        unit = unit or (named or None)  # the first unit named carries to the times that name none
        if not named and unit and unit.startswith("y"):
            return None  # "0.08 % at 1 year, 0.005 % at 18": 18 years or 18 months? not guessed
        time = float(_WORD_TIMES.get(m["time"].lower()) or m["time"].replace(",", "."))
        months = time * (12 if named.startswith("y") else 1)
        level = _level(m["level"] + " %")
        if level is not None:
            points.append(Point(level, months))
    return points


def _time_first(text: str, molecular: bool) -> Optional[List[Point]]:
    """ "3m 12 %, 6m 4 %", "6/12 BCR-ABL 1.8 %; 3/12 was 9 %": the points, or None when not clearly a series."""
    points: List[Point] = []
    for m in _TIME_FIRST.finditer(text):
        if _NOT_A_LEVEL.search(text[max(0, m.start() - 40) : m.start()]):
            return None
        time = float(_WORD_TIMES.get(m["time"].lower()) or m["time"].replace(",", "."))
        months = time * (12 if m["unit"].lower().startswith("y") else 1)
        if m["unit"].startswith("/") and months > 36:
            return None  # "40/12": not clinic notation
        if not m["pct"] and not (molecular and _FRACTION.match(m["level"])):
            continue  # "6m 400": no level
        level = _level(m["level"] + " %")
        if level is not None:
            points.append(Point(level, months))
    return points


_COUNT_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8}
# a repeat dated from the result before it: "repeated 6 wks later 19 %", "confirmed 4 weeks later at 30 %",
# "a month later the repeat was 22 %"
_REPEAT_WORD = r"(?:repeat\w*|rpt|confirm\w*|recheck\w*|redone|re-?test\w*|re-?sent)"


def _later(k: int) -> str:
    return rf"(?P<n{k}>{_NUM}|{'|'.join(_COUNT_WORDS)})\s*(?P<u{k}>weeks?|wks?|w|months?|mths?|mo)\s+later"


_REPEAT_AFTER = re.compile(
    rf"\b(?:{_REPEAT_WORD}\b[^.;%\d]{{0,30}}?{_later(1)}|{_later(2)}\b[^.;%\d]{{0,20}}?{_REPEAT_WORD})\b"
    rf"[^.;%\d]{{0,25}}?(?P<level>{_NUM})\s*(?P<pct>%)?",
    re.I,
)


def _repeat_after(text: str, first: Point) -> List[Point]:
    """The repeat of the one timed result, dated from it; [] when there is none or its time is unknown."""
    m = _REPEAT_AFTER.search(text)
    if m is None or first.months is None or not (m["pct"] or _FRACTION.match(m["level"])):
        return []
    count, unit = (m["n1"], m["u1"]) if m["n1"] else (m["n2"], m["u2"])
    n = float(_COUNT_WORDS.get(count.lower()) or count.replace(",", "."))
    months = first.months + (n if unit.lower().startswith("m") else n * 7 / T.DAYS_PER_MONTH)
    level = _level(m["level"] + " %")
    return [] if level is None else [Point(level, round(months, 2))]


# results dated by the calendar: "PCR Sept 2025: 15 %", "Mar-26 9.1 %", "Jan 2026: 2.1 %", "0.03 % (Mar)",
# "Jul 0.008 %", "last week: 6.5 %"; a two-digit year only after a hyphen or an apostrophe ("Mar 26" may be a day)
_CAL = (
    r"(?:(?P<mon>(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])|may(?=\s*['\u2019-]?\s*\d))\.?"
    r"(?:\s*(?P<year>(?:19|20)\d\d)|\s*['\u2019-]\s*(?P<yy>\d\d))?(?![\w/])"
    rf"|{DAY_BEFORE_MONTH}(?P<mm>0?[1-9]|1[0-2])\s*[/.]\s*(?P<year2>(?:19|20)\d\d)(?!\d)"
    r"|(?P<now>last\s+week|this\s+week|this\s+month|today|yesterday))"
)
_CAL_FIRST = re.compile(
    rf"(?<![\w/.]){_CAL}\s*[:=\-\u2013]?\s*(?:(?:pcr|bcr-?abl1?|result|level|was|is|of)\s*[:=]?\s*){{0,2}}"
    rf"(?P<level>{_NUM})\s*%",
    re.I,
)
# "0.03 % (Mar)", "0.9 % in June and 0.8 % last week"
_CAL_AFTER = re.compile(rf"(?P<level>{_NUM})\s*%\s*(?:\(?IS\)?\s*)?\(\s*{_CAL}\s*\)", re.I)
_CAL_IN = re.compile(rf"(?P<level>{_NUM})\s*%\s*(?:IS\s*)?(?:(?:in|on)\s+)?{_CAL}", re.I)


def _calendar(text: str, started: Optional[date], today: date) -> List[Point]:
    """Results dated by the calendar, oldest first; [] unless two or more are, in an order that is clear: all
    dated to the year, or months without a year written oldest first within a year ("Jul 0.008 %, Sep 0.01 %,
    Nov 0.03 %"). A result's time on imatinib runs from ``started`` to the 15th of its month."""
    found = []
    spans = []
    for pattern in (_CAL_FIRST, _CAL_AFTER, _CAL_IN):
        for m in pattern.finditer(text):
            if _NOT_A_LEVEL.search(text[max(0, m.start() - 40) : m.start()]):
                return []
            level = _level(m["level"] + " %")
            if level is None:
                return []
            found.append((m.start(), _when(m), level))
            spans.append(m.span())
    if not _molecular_results(text, spans):
        return []
    found.sort()
    if len(found) < 2 or len({w for _, w, _ in found}) < len(found):
        return []
    now = [f for f in found if f[1] == _NOW]
    if now and now[-1] is not found[-1] or len(now) > 1:
        return []  # "last week" is the newest result only when written last
    dated = [f for f in found if f[1] != _NOW]
    if all(w[0] is not None for _, w, _ in dated):
        ordered = sorted(dated, key=lambda f: f[1]) + now
        return [Point(v, _months_on(w, started, today)) for _, w, v in ordered]
    # months without a year: only in the order written, within one year
    order = [w for _, w, _ in dated]
    if any(w[0] is not None for w in order) or order != sorted(order):
        return []
    return [Point(v) for _, _, v in found]


_NOW = (None, 99)


def _months_on(when, started: Optional[date], today: date) -> Optional[float]:
    if started is None:
        return None
    on = today if when == _NOW else date(when[0], when[1], 15)
    months = round((on - started).days / T.DAYS_PER_MONTH, 2)
    return months if 0 <= months and on <= today else None


def _when(m: re.Match):
    """(year or None, month) of a dated result; "last week" is now."""
    if m["now"]:
        return _NOW
    if m["mm"]:
        return int(m["year2"]), int(m["mm"])
    month = MONTHS.index(m["mon"][:3].lower()) + 1
    year = int(m["year"]) if m["year"] else 2000 + int(m["yy"]) if m["yy"] else None
    return year, month


# results timed in weeks, as after a dose change: "4 wk 0.05 %, 8 wk 0.08 %", "0.02 % at 6 wks, 0.05 % at 12 wks"
_WEEKS_FIRST = re.compile(
    rf"(?<![\w.,])(?P<time>\d{{1,2}})\s*-?\s*(?:weeks?|wks?|w)(?![\w/])\s*[:=\-\u2013]?\s*"
    rf"(?:(?:pcr|bcr-?abl1?|result|level|was|is|post|after)\s*[:=]?\s*){{0,2}}(?P<level>{_NUM})\s*%",
    re.I,
)
_WEEKS_AFTER = re.compile(
    rf"(?P<level>{_NUM})\s*%\s*(?:IS\s*)?(?:at|@|after)\s*(?P<time>\d{{1,2}})\s*(?:weeks?|wks?|w)\b", re.I
)


def _in_weeks(text: str) -> List[Point]:
    """Two or more results timed in weeks, in time order, without a time on imatinib (the weeks count from a
    change, not from the start)."""
    found = _weeks_found(text)
    return [Point(found[t][0]) for t in sorted(found)] if len(found) >= 2 else []


def week_times(text: str) -> List[Tuple[int, int]]:
    """The spans of the times of a series timed in weeks: the times of results, not a time on a dose or on
    imatinib."""
    found = _weeks_found(text or "")
    return [span for _, span in found.values()] if len(found) >= 2 else []


def _weeks_found(text: str) -> Dict[int, Tuple[float, Tuple[int, int]]]:
    found: Dict[int, Tuple[float, Tuple[int, int]]] = {}
    spans = []
    for pattern in (_WEEKS_FIRST, _WEEKS_AFTER):
        for m in pattern.finditer(text):
            if _NOT_A_LEVEL.search(text[max(0, m.start() - 40) : m.start()]):
                return {}
            level = _level(m["level"] + " %")
            time = int(m["time"])
            if level is None or (time in found and found[time][0] != level):
                return {}  # two results at one time: not clear
            found[time] = (level, (m.start("time"), m.end("time")))
            spans.append(m.span())
    return found if _molecular_results(text, spans) else {}


# the names of other measures given in % or over time: their results are no BCR-ABL1 series
_OTHER_MEASURE = re.compile(
    r"\b(?:hba1c|a1c|fish|blasts?|ef|lvef|ejection|vaf|mems|refills?|pills?|tablets?|counts?|adheren\w*|complian\w*|"
    r"cd34|marrow|cytogenetic\w*|metaphases|weight|bmi|egfr|creat\w*|alt|ast|ck|ldh|hb|plts?|platelets|neut\w*|"
    r"wbc|troughs?|sats?|spo2|fev1|psa|ferritin)\b",
    re.I,
)


def _molecular_results(text: str, spans: List[Tuple[int, int]]) -> bool:
    """No other measure named among the results or just before them: "HbA1c Jan 2026 8.1 %, Jun 2026 7.2 %" or
    "FISH Jun 2026 2 %" are no BCR-ABL1 results."""
    if not spans:
        return False
    lo, hi = min(s for s, _ in spans), max(e for _, e in spans)
    return not _OTHER_MEASURE.search(text[max(0, lo - 40) : hi])


def repeat_level(text: str) -> Optional[Tuple[int, float]]:
    """(where, level) of a result said to repeat an earlier one ("repeated 4 wks later 12.5 %"), or None."""
    m = _REPEAT_AFTER.search(text or "")
    level = _level(m["level"] + " %") if m else None
    return (m.start(), level) if level is not None else None


def repeated_later(text: str, points: List[Point]) -> bool:
    """The newest of ``points`` is a repeat dated from the one before it: the writers do not agree that its time
    is the time on imatinib, so the reader keeps the time written."""
    m = _REPEAT_AFTER.search(text or "")
    return m is not None and len(points) == 2 and _level(m["level"] + " %") == points[-1].value


def _untimed(text: str) -> List[Point]:
    """Results without times: listed after their name, "from … to …", "before …, now …"."""
    listed = _LISTED.search(text)
    if listed:
        levels = [_level(n + " %") for n in re.findall(_NUM, listed["list"])]
        if all(v is not None and v <= T.UNUSUAL_ABOVE_PCT for v in levels):
            return [Point(v) for v in levels]
    for pattern in (_FROM_TO, _BEFORE_NOW):
        m = pattern.search(text)
        if m:
            a, b = _level(m["a"] + " %"), _level(m["b"] + " %")
            if a is not None and b is not None:
                return [Point(a), Point(b)]
    return []

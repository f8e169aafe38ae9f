"""Reading an answer to a form's question the way a colleague reads it.

``answer(field, text)`` is :func:`knowledge.normalize.normalize` for a value said in a sentence:
"she's pretty good, 95%+", "been on 400 for over a year", "none found on KD sequencing",
"no, never", "neither really, she just asked". It tries the whole text, then the words that say
"not done" or "none found", then each clause and the value-bearing part of it; whatever it reads goes
through the normaliser, so the grammar of values stays in one place. It raises the normaliser's error
(for the whole text) when no reading succeeds.

One reader, the same refusals (spec v1.2 section 5): when the normaliser reads the text (or a part of it) as
a value expression that must be asked about (a range, a negation, a hedge, an ambiguous separator, two
schedules), that question is the answer; and a part is never taken out of a longer expression that would be
refused: a negation before it in its clause ("no MMR", "no T315I"), a range or a split number around it
("6-18 months", "2,1 µmol/L"), a count of tablets before it ("4 x 100 mg").
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, List, Optional

from knowledge.normalize import AT_LEAST, MONTHS, OTHER_SCHEDULES, NormalizationError, Normalized, as_input, normalize

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
    r"^\W*(yes|yeah|yep|yup|y(?!/)|correct|confirmed|definitely|absolutely|true|it was|it is|she does|"
    r"he does|she has|he has|there is)\b",
    re.I,
)
_NO = re.compile(
    r"^\W*(no|nope|nah|n(?!/)|never|not that i know( of)?|none|not really|i don'?t think so|false|"
    r"she hasn'?t|he hasn'?t|there isn'?t|nothing)\b",
    re.I,
)
_DURATION_FIELDS = ("months_on_tki", "mmr_months", "dmr_months", "days_at_current_dose", "hours_since_dose")
_DURATION = re.compile(
    r"(?:(?:about|around|approx\.?|approximately|roughly|over|more than|almost|nearly|~|>)\s*)?"
    r"(?:(?<![\w.,])\d+(?:[.,]\d+)?"  # a number, never the digits after the e of 1e308
    r"|\b(?:an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a couple of))\s*"
    r"(?:h|hrs?|hours?|d|days?|w|wks?|weeks?|mo|mos|mths?|months?|y|yrs?|years?)\b(?:\s+and\s+a\s+half)?",
    re.I,
)


# words that make the number after them a bound rather than the value ("less than a year", "just above 0.1 %");
# the extractor keeps them with the value it finds (reading/extraction.py), so that the form asks about it
_BOUND = (
    r"(?:\b(?:under|less than|fewer than|below|above|over|more than|greater than|longer than|at least|almost|nearly|"
    r"not quite|just under|just over|short of|up to|approaching|well over)|(?<![-=\d])(?<![\d.,\s]\d\s)[<>≤≥]=?)"
    # "0.02 -> 0.3", "0.01 > 0.03": a trend, not a bound; "MR4 > 2 yrs" is one
)
BOUND_BEFORE = re.compile(rf"{_BOUND}\s*(?:about\s+|a\s+)?$", re.I)
_LEADING_BOUND = re.compile(rf"^\s*{_BOUND}\s*", re.I)
_NOT_YET_SETTLED = re.compile(
    r"\b(pending|awaiting|await(?:ed)?|not back|nothing back|sent off|to be confirmed|tbc|not clear|unclear|"
    r"failed|next month|next week|soon|not negative)\b",
    re.I,
)
_CAVEAT = re.compile(r"\b(but|although|though|except|until|unless|pending|not yet|still waiting)\b", re.I)


def _try(field: str, text: str) -> Normalized:
    return as_input(normalize(field, text, **_CONTEXT))


_CONTEXT: dict = {}  # the question's context for one call of answer() (unit_named, today)

# the goal's answer: a side effect named as the reason, a goal denied
_GOAL_DENIED = re.compile(
    r"\b(?:not|no|never|isn'?t|doesn'?t|don'?t)\s+(?:[\w']+\s+){0,3}?(?:stopping|stop|tfr|discontinu\w*|coming off)\b",
    re.I,
)
# the words of a side effect, one list for the goal's answer here and the reason of a reduction in the extractor
SIDE_EFFECT_WORDS = (
    r"fatigue\w*|tired\w*|exhaust\w*|letharg\w*|cramp\w*|oedema|edema|swelling|swollen|puffy|puffiness|nause\w*|"
    r"vomit\w*|diarrh\w*|rash\w*|itch\w*|myalgia|arthralgia|aches?|pains?|hair|periorbital|muscle\w*|joint\w*|"
    r"headache\w*|weight gain|neutropeni\w*|thrombocytopeni\w*|cytopeni\w*|anaemi\w*|anemi\w*|fluid\w*|bloat\w*|"
    r"side[- ]effects?|toxicit\w*|intoleran\w*|quality of life|qol"
)
_A_SIDE_EFFECT = re.compile(rf"\b(?:{SIDE_EFFECT_WORDS})\b", re.I)
_TIMES_SINCE = ("days_at_current_dose", "months_on_tki", "mmr_months", "dmr_months")
# a day or a month a time runs from, said without its year (an answer to "how long …?")
_SINCE_NO_YEAR = re.compile(
    r"^\W*(?:since|from)\s+(?:the\s+)?(?:(?P<d>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\s+(?:of\s+)?)?"
    r"(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*$",
    re.I,
)


def _with_its_year(text: str, today: Optional[date]) -> Optional[str]:
    """ "since 2nd Nov" as "since 2 nov 2026": the year of the last such day up to today; None for other words."""
    m = _SINCE_NO_YEAR.match(text)
    if m is None:
        return None
    today = today or date.today()
    month, day = MONTHS.index(m["mon"][:3].lower()) + 1, int(m["d"] or 15)
    if not m["d"] and month == today.month:
        return None  # "since Dec" said in December: this month or last year's? asked
    return f"since {m['d'] + ' ' if m['d'] else ''}{m['mon'][:3].lower()} {last_year_of(month, day, today)}"


def last_year_of(month: int, day: int, today: date) -> int:
    """The year of the last such day up to ``today``: a day said without its year ("since 2nd Nov", "in March")."""
    return today.year if (month, day) <= (today.month, today.day) else today.year - 1


# a negation governs a value within two words before it (NegEx's scope, shortened for terse notes): "no grade 3",
# "not 5 days", "no T315I"; not "not in MMR at 18 months (0.6 %)" nor "not responding - trough 880 ng/mL"
_NEGATION_BEFORE = re.compile(  # ("no sorry 400 od", "no wait, 300" take back what came before: no negation)
    r"(?:\b(?:no(?![\s,!.]+(?:sorry|wait|i mean|i meant|typo)\b)|not|never|without|nor|negative for|ruled out|"
    r"excluded|rather than|instead of)\b|n['’]t\b)"
    r"(?:\s+[\w/.]+){0,2}?\s*$",
    re.I,
)
# a range or a split number around a value; "to" is a range only without a change ("from 400 to 200", "rose
# 0.01 to 0.05 %": the latest is the value) and never between doses (a dose change)
# (a "between" range ends with its sentence: "between 0.1 and 1 %. 12 months on IM" leaves the 12 months alone)
_AROUND_BEFORE = re.compile(
    r"(?:\d\s*(?:-|–|—|/|or)\s*|\d[.,]|"
    # (a range already closed ends it: "between 6 and 9 months on imatinib 400" leaves the 400 alone)
    r"\bbetween\b(?!(?:[^,;.!?]|[.,](?=\d))*?(?:\d|\b(?:one|two|three|four|five|six|nine|twelve))\s*(?:[a-z%/]+\s*)?"
    r"(?:and|to|-|\u2013)\s*\d+(?:[.,]\d+)?\s*[a-z%]*\s+\S)"
    r"(?:[^,;.!?]|[.,](?=\d)|(?<=\bapprox)\.|(?<=\bca)\.|(?<=\bc)\.)*)$",  # ("approx." ends nothing)
    re.I,
)
_TO_BEFORE = re.compile(r"\d\s*(?:%|[a-z/]+)?\s*to\s*$", re.I)
_TABLETS_BEFORE = re.compile(r"\d\s*[x×*]\s*$", re.I)
REDUCE_WORDS = r"reduc\w*|decreas\w*|cut|dropp?\w*|lower\w*|halv\w*|de-?escalat\w*|down"  # a dose or a level going down
INCREASE_WORDS = r"increas\w*|escalat\w*|upped|up|rais\w*"  # going up
_CHANGE = re.compile(
    rf"\b(?:from|rose|risen|rising|fell|fallen|falling|went|gone|{REDUCE_WORDS}|{INCREASE_WORDS}|improv\w*|"
    rf"worsen\w*|switch\w*|chang\w*|mov\w*|titrat\w*|doubl\w*|back)\b",
    re.I,
)
_NEXT_ITEM = re.compile(  # "IM 400,12m", "IM400 od/ 26m/ 0.07%": a separator, then a number with its own unit
    r"\s*(?:,|/(?=\s))\s*\d+(?:\.\d+)?\s*(?P<unit>%|(?:m|mo|mos|months?|y|yrs?|years?|h|hrs?|wks?|weeks?|/12|/52)(?![a-z]))",
    re.I,
)


def _next_item(field: str, after: str) -> bool:
    """The number after a separator is the next item of a list, by its own unit of another kind ("IM 400,12m",
    "26m/ 0.07%"; not "12m/ 18m", two times)."""
    item = _NEXT_ITEM.match(after)
    if item is None:
        return False
    unit = item["unit"].lower()
    if field in _DURATION_FIELDS:
        return unit in ("%", "h", "hr", "hrs")
    if field in ("dose_mg", "standard_dose_mg") and after.lstrip().startswith("/"):
        return unit not in ("h", "hr", "hrs")  # "400 mg/ 12h": a dose per 12 hours, not the next item
    if field in ("bcr_abl1_is", "adherence_pct"):
        return unit != "%"
    return True


_AROUND_AFTER = re.compile(r"^(?:\s*(?:-|–|—|to|/|or)\s*\d|[.,]\d)", re.I)


# fields whose value is a phrase ("never misses", "grade 3", "no mutation found") read with its whole clause:
# a hedge, an exception, a negation or a past marker anywhere in it makes the phrase a question (spec v1.2)
CLAUSE_READ = ("adherence_pct", "ae_grade", "mutations")


def expression_refusal(field: str, text: str, start: int, end: int, clause: str = "") -> Optional[str]:
    """The expression a reader must normalise instead of ``text[start:end]`` when the value there is part of an
    expression the normaliser asks about (``refused_in_context``, or for ``CLAUSE_READ`` fields the clause given,
    asked about): the chat then asks that question. None when the span stands alone."""
    refused = refused_in_context(field, text, start, end)
    if refused is not None:
        return refused.expression
    if field in CLAUSE_READ and clause:
        try:
            normalize(field, clause, **_CONTEXT)
        except NormalizationError as exc:
            if exc.ask:
                return clause
    return None


def refused_in_context(field: str, text: str, start: int, end: int) -> Optional[NormalizationError]:
    """A question when the value at ``text[start:end]`` is part of a longer expression the normaliser would
    refuse: a negation before it in its clause, a range or a split number around it, a count of tablets before
    it, a ratio or another schedule after it. The error's ``expression`` is that longer expression, which the
    normaliser asks about. The free-text extractor asks the same of every span it finds (one grammar)."""
    before, after = text[:start], text[end:]
    clause = re.split(r"[,;.]\s|\bbut\b|\bnow\b", before)[-1]
    said = text[start:end].strip()[:40]

    def asked(message: str, lo: int, hi: int) -> NormalizationError:
        exc = NormalizationError(field, message, ask=True)
        exc.expression = text[lo:hi].strip()
        return exc

    negation = _NEGATION_BEFORE.search(clause)
    if (
        negation
        and field in _DURATION_FIELDS
        and re.search(r"\b(?:at|by)\s*$", clause, re.I)
        and re.match(r"\S+\s+(?!at\b|by\b|yet\b|even\b|quite\b)\w", clause[negation.start() :], re.I)
    ):
        negation = None  # "no response at 12 months", "MMR not achieved by 18 mo": the time of a result, not negated
    if negation:
        lo = start - len(clause) + negation.start()
        return asked(f"'{text[lo:end].strip()}' says what it is not: what is it?", lo, end)
    change = bool(_CHANGE.search(before[-40:])) or field in ("dose_mg", "standard_dose_mg")
    around_before = _AROUND_BEFORE.search(before) or (None if change else _TO_BEFORE.search(before))
    if field in ("dose_mg", "standard_dose_mg") and not around_before:
        around_before = _TABLETS_BEFORE.search(before)  # "4 x 100 mg": a count of tablets
    around_after = _AROUND_AFTER.search(after)
    if around_after and re.match(r"[.,]", after) and not text[start:end].rstrip()[-1:].isdigit():
        around_after = None  # "400mg od,12m": a comma after a word is no decimal point
    if around_after and _next_item(field, after):
        around_after = None  # "IM 400,12m,PCR 0.4 %": a dose, then the next item with its own unit
    if around_after and change and re.match(r"\s*to\b", after, re.I):
        around_after = None
    if around_before and _separating_dash(before, text[start:end]):
        around_before = None  # "glivec 400 - 2.5 yrs": a dash between two values, not a range
    if around_after and _separating_dash(text[start:end], after):
        around_after = None  # "400mg - 2.5 yrs", "0.5 % - 12 months"
    if around_before or around_after:
        lo = around_before.start() if around_before else start
        hi = (
            end + around_after.end() + len(re.match(r"[\d.,]*\s*\S*", after[around_after.end() :]).group(0))
            if around_after
            else end
        )
        return asked(f"'{text[lo:hi].strip()}' is a range or a longer number: what is the value?", lo, hi)
    grades = re.match(r"\s*(?:\?|(?:and|&|or)\s*(?:grade\s*)?(?:[0-4]|iv|i{1,3})\b)", after, re.I)
    if field == "ae_grade" and grades:  # "grade 2 and 3", "grade 4?"
        return asked(f"'{text[start : end + grades.end()].strip()}': which grade is it now?", start, end + grades.end())
    ratio = re.match(r"\s*\(?\s*(?:ratio|fraction)\b", after, re.I) if field == "bcr_abl1_is" else None
    if ratio:
        return asked(f"{said!r} is a ratio, not a percentage: what is it in % IS?", start, end + ratio.end())
    if field in ("dose_mg", "standard_dose_mg"):
        other = OTHER_SCHEDULES.match(after.lstrip()[:40].lower()) or re.match(
            r"\s*(?:and|&|\+)\s*(?:nocte|night|pm)\b", after, re.I
        )
        if other:
            hi = end + (len(after) - len(after.lstrip()) if other.re is OTHER_SCHEDULES else 0) + other.end()
            return asked(f"'{text[start:hi].strip()}': what is the total daily dose?", start, hi)
    return None


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
        if field == "bcr_abl1_is":  # with its comparator: "< 0.01 %" is the level's upper bound, said
            out += re.findall(r"(?:(?:<|≤|less than|below|under)\s*)?(?<![\w.,])~?\d+(?:[.,]\d+)?\s*%", p, re.I)
        if field == "adherence_pct":
            out += re.findall(r"(?<![\w.,])~?\d+(?:[.,]\d+)?\s*%", p)
        if field in ("dose_mg", "standard_dose_mg"):
            out += re.findall(  # a number with another measure's unit ("100% adherent", "24 h") is not a dose
                r"(?<![\w.,-])\d{2,3}(?![\d.,])(?!\s*(?:%|per ?cent|ng|nano|micro|mcg|ug|µ|μ|n?mol|umol|h\b|"
                r"hrs?\b|hours?|d\b|days?|w\b|wks?|weeks?|mo\b|mos\b|months?|y\b|yrs?|years?|x\b|logs?))"
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


# complexity: the form answer's grammar: unknown, none, negation, bound, range, each asked as the spec says
def answer(field: str, text: Any, *, unit_named: bool = False, today=None) -> Normalized:  # noqa: C901 (the reason is above)
    """The value an answer gives for ``field``; raises :class:`NormalizationError` when there is none.

    ``unit_named``: the question named the field's unit, so a bare number is in it (spec v1.2).
    """
    _CONTEXT.clear()
    _CONTEXT.update(unit_named=unit_named, today=today)
    if field == "goal" and isinstance(text, str) and _GOAL_DENIED.search(text):
        text = _GOAL_DENIED.sub(" ", text)  # "she's not interested in stopping": that goal is denied, not given
    try:
        return _try(field, text)
    except NormalizationError as first:
        if first.ask or not isinstance(text, str) or not text.strip() or "cannot be negative" in first.message:
            raise  # a value expression to ask about is asked about, whatever else the answer says; "−3 months"
            # is a negative number, never the 3 inside it
        error = first
    t = text.strip()
    dated = _with_its_year(t, _CONTEXT.get("today")) if field in _TIMES_SINCE else None
    if dated:  # "since 2nd Nov", "from March": the last such day up to today
        try:
            return _try(field, dated)
        except NormalizationError:
            pass
    if field == "mutations":
        if _NOT_DONE.search(t) or re.search(r"\b(pending|awaiting|sent off|not back|nothing back)\b", t, re.I):
            return Normalized(field, None, ["mutation testing: not done"])  # a result still to come is not known
        if (
            _NONE_FOUND.search(t)
            and not _NOT_YET_SETTLED.search(t)
            and not re.search(r"\b[A-Za-z]\d{3}[A-Za-z]\b|\bnot (negative|clear|clean)\b|\bmutation (found|seen)\b", t)
        ):
            return Normalized(field, [], ["mutation testing: no mutation found"])
    if field == "goal" and _NEITHER.search(t):
        return Normalized(field, None, ["no goal: neither tolerability nor TFR"])
    if field == "goal" and _A_SIDE_EFFECT.search(t) and not re.search(r"\b(?:tfr|stop\w*|discontinu\w*|come off)\b", t):
        return Normalized(field, "tolerability", ["a side effect named as the reason"])  # "mainly her fatigue"
    if field in (
        "ddpcr_mr45",
        "prior_tki_failure",
        "drug_interaction_concern",
        "response_confirmed",
        "on_reduced_dose",
    ):
        if field == "ddpcr_mr45" and _NOT_DONE.search(t):
            return Normalized(field, None, ["ddPCR not done"])
        if (_YES.search(t) or _NO.search(t)) and _CAVEAT.search(t):
            raise NormalizationError(field, f"{t[:60]!r} says yes or no with a condition: which is it now, yes or no?")
        if _YES.search(t):
            return Normalized(field, True)
        if _NO.search(t):
            return Normalized(field, False)
    if field == "trough_ng_ml" and _NOT_DONE.search(t) and not re.search(r"\d", t):
        raise NormalizationError(field, "not measured yet")  # the form keeps it as unknown (UNKNOWN_WORDS)
    if _NOT_YET_SETTLED.search(t):
        raise NormalizationError(field, f"{t[:60]!r} is not a settled value: give it when it is known, or 'skip'")
    _refuse_a_bound(field, t, t)  # the whole answer is a bound: "nearly a year"
    read = []
    for part in _candidates(field, t)[1:]:  # the first is the whole answer, read above
        n = _read_part(field, t, part)
        if n is not None and all(abs(float(n.value) - float(r.value)) > 1e-9 for r in read if _is_number(r.value)):
            read.append(n)
    numbers = [n for n in read if _is_number(n.value)]
    explicit = [n for n in numbers if n.bound is None]
    if len(explicit) == 1 and all(_agrees(b, explicit[0]) for b in numbers if b.bound):  # "in MMR, 0.05 %"
        return explicit[0]
    if len(numbers) > 1:  # "it was 0.2 % but now 0.05 %": which is the value?
        shown = " or ".join(f"{n.value:g}" for n in numbers[:3])
        raise NormalizationError(field, f"{t[:60]!r} gives more than one value ({shown}): which one is it now?")
    if read:
        return read[0]
    raise error


def _agrees(bound: Normalized, n: Normalized) -> bool:
    """The explicit value lies within the bound the words give ("MR4" and 0.006 %): the number wins (spec)."""
    return {
        "<": n.value < bound.value,
        "<=": n.value <= bound.value,
        ">": n.value > bound.value,
        ">=": n.value >= bound.value,
    }[bound.bound]


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _read_part(field: str, text: str, part: str):
    """The value of one part of an answer, or None; a part whose number is a bound the other way ("under 3
    years", "just above 0.1 %") is refused: it is not the value. "Over a year" for a duration is at least
    that long and read as that, said. A part the normaliser asks about, or one that sits inside a longer
    expression it would refuse, makes the whole answer a question."""
    try:
        n = _try(field, part)
    except NormalizationError as exc:
        if exc.ask:
            raise
        _refuse_a_bound(field, text, part)
        return None
    at = text.find(part)
    if at >= 0:
        refused = refused_in_context(field, text, at, at + len(part))
        if refused is not None:
            raise refused
    before = BOUND_BEFORE.search(text[max(0, at - 25) : at]) if at >= 0 else None
    if before and not (field in _DURATION_FIELDS and AT_LEAST.match(before.group(0))):
        raise NormalizationError(field, _bound_message(text, n))  # "at least" a duration is read by normalize
    return n


def _refuse_a_bound(field: str, text: str, part: str) -> None:
    """Raise when ``part`` is a bound word and a value ("nearly a year", "just above 0.1 %"): not the value."""
    lead = _LEADING_BOUND.match(part)
    try:
        n = _try(field, part[lead.end() :]) if lead else None
    except NormalizationError:
        n = None
    if n is not None:
        raise NormalizationError(field, _bound_message(text, n))


def _bound_message(text: str, n: Normalized) -> str:
    return f"{text[:60]!r} gives a bound, not the value: what is the value itself ({n.value:g} or another)?"


_NO_MEASUREMENT = re.compile(r"^\W*(none|no|nope|nil|not one|no one)\W*$", re.I)
NOT_ALWAYS_MEASURED = ("trough_ng_ml",)  # asked with "'none yet' if no level was measured"


def not_done(text: str, field: str = "") -> bool:
    """The answer says the value is not known or not measured yet ("no level done", "never had one"); for a
    measurement that is often not done (the trough), a bare "none" or "no" says it too."""
    if field in NOT_ALWAYS_MEASURED and _NO_MEASUREMENT.match(text or ""):
        return True
    return bool(_NOT_DONE.search(text or "")) and not re.search(r"\d", text or "")


_NUMBER_UNIT = r"(\d+(?:[.,]\d+)?)\s*([a-z%\u00b5]*(?:/[a-z]+)?)"


def _separating_dash(left: str, right: str) -> bool:
    """A spaced dash (or slash) between two numbers that cannot be the ends of one range: the first is the larger,
    or each has its own unit and they differ ("400 - 2.5 yrs", "400mg - 2 yrs", "780 ng/ml / 24h": a separator
    between two values)."""
    lm = re.search(rf"{_NUMBER_UNIT}(?P<dash>\s+[-\u2013\u2014/]\s+)?$", left, re.I)
    rm = re.match(rf"(?P<dash>\s+[-\u2013\u2014/]\s+)?{_NUMBER_UNIT}", right, re.I)
    if not lm or not rm or not (lm.group("dash") or rm.group("dash")):
        return False  # "1 to 2 years", "400 or 600 mg", "0.5-0.1 months": a range or a choice, asked about
    (a, a_unit), (b, b_unit) = lm.group(1, 2), rm.group(2, 3)
    if a_unit and b_unit and a_unit.lower().rstrip("s") != b_unit.lower().rstrip("s"):
        return True
    return float(a.replace(",", ".")) > float(b.replace(",", "."))

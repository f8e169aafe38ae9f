"""A reading in the conversation's context: the question just asked and the values known so far.

``in_context(reading, asked=FIELD, known={...})`` turns a message read on its own into an answer or a
correction when it is one: an answer fills the field that was asked unless it names another (a bare number
is in the unit the question named); a correction changes only the field it names ("the pcr was 0.003 not
0.1") or, with no field named, the one value it can only be. Pure: it reads the reading, and the text once
more only through the answer grammar of ``reading.answers`` for the field asked.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any, Dict, Optional

from knowledge.normalize import NormalizationError

from . import answers, speech
from .model import Ambiguous, MessageReading, Value

UNIT_NAMED = ("hours_since_dose", "days_at_current_dose")  # the forms' questions name these units
_LEAVE = re.compile(
    r"^\W*(stop|cancel|quit|forget it|never ?mind|new patient|start (again|over|afresh)|restart|reset)\b|"
    # done for now: "that's all for now thanks", "that's it for today" (never "that's all of them")
    r"^\W*(?:ok\W+|okay\W+)?(?:that'?s|that is|thats)\s+(?:all|it)\s+(?:for\s+(?:now|today)|thanks|thank you)\b",
    re.I,
)
# called away, with no value said: "sorry bleep's gone, have to stop here", "gotta run" (not "need to go up to 600?")
_CALLED_AWAY = re.compile(
    r"^\W*(?:(?:sorry|ok|okay|right|oops)\W+)*(?:(?:the\s+|my\s+)?(?:bleep|pager)(?:'s| has| is)? (?:gone|going)"
    r"(?: off)?|(?:i\s+)?(?:have|need|got) to (?:stop here|stop now|go now|leave now|dash)|gotta (?:go|run|dash)|"
    r"must (?:go|dash|run)|(?:i'?m\s+|i am\s+|been\s+)?called away)\b[^?]*$",
    re.I,
)
_NEW_CASE = re.compile(
    r"^\W*(?:(?:ok|okay|right|so|and)\W+)?(?:next|new|another|different)\s+(?:cml\s+)?(?:pt|patient|case|one)\b", re.I
)
_QUESTION = re.compile(
    r"^\W*(?:(?:ok|okay|so|and|but|right|hmm|sorry)\W+)*"
    r"(what|what's|whats|which|who|why|how|when|where|is|are|does|do|can|could|should|would|will|explain|define)\b",
    re.I,
)
_CORRECTION_WORDS = re.compile(
    r"\b(actually|correction|sorry|i meant|my mistake|typo|misread|scratch that|should have been|should be|"
    r"wrong|instead of|rather than|i mean|oops|make that|ignore the|by mistake|i typed|i said|i put|i wrote|i entered|"
    r"scratch|"
    r"correct the|forgot to (?:say|mention)|my bad|not as i said)\b|"
    r"\b(?:that|the) \S*\d\S* (?:was|is) (?:the|from|a|his|her)\b|\bnot [\w.%/ ]{1,20},|"
    r"\d[\w%./]*(?:\s+[a-z]+)?,?\s+not\s+(?:[a-z]+\s+)?\S*\d",
    re.I,
)


def in_context(
    r: MessageReading,
    asked: Optional[str] = None,
    known: Optional[Dict[str, Any]] = None,
    unit_named=None,
    today: Optional[date] = None,
) -> MessageReading:
    """``r`` read as a reply to the question ``asked`` with the values ``known``; ``today`` dates the answers that
    count from a day ("since 2nd Nov"), the day of the conversation when None."""
    known = known or {}
    no_answer = _no_answer(r)
    if no_answer is not None:
        return no_answer
    values = dict(_all_values(r))
    asking = "?" in r.text or bool(_QUESTION.match(r.text))
    correcting = bool(_CORRECTION_WORDS.search(r.text)) or r.correction
    ambiguous = list(r.ambiguous)
    named = asked in UNIT_NAMED if unit_named is None else unit_named
    if asked and (asked not in values or _said_in_words(values[asked])):
        _uncued_as_asked(values, asked, named)  # a number beats words ("takes it every day … prob ~80 %")
    if asked and asked not in values and len(values) == 1:
        _bare_value_as_asked(r.text, values, asked, named)  # "400 mg" when the standard dose was asked
    if asked and asked not in values:
        lead = _LEADING_ANSWER.match(r.text)  # "22. oh and sorry, the dose is 600 not 400": the answer first
        found = _answer_of(asked, lead["n"], named, lead.start("n"), lead.end("n"), today) if lead else None
        if found is not None:
            values[asked] = found
    if asked and asked not in values and not (asking and not values):
        found = _answer(r, asked, named, values, today)
        if isinstance(found, Value):
            values[asked] = found
        elif isinstance(found, Ambiguous) and not any(a.field == asked for a in ambiguous):
            ambiguous.append(found)
    if correcting:
        _restated_and_replaced(r.text, known, values)  # "the level was 1030 not 1300", "I put 24 months, it's 24 weeks"
    if asking and not values and not ambiguous:
        return replace(r, kind="question", values={}, ambiguous=[])
    if r.kind == "small_talk" and not values and not ambiguous and not speech.about_the_domain(r.text):
        return r  # "ok one sec", "hang on, pulling up the notes": no answer in it ("II/III fatigue" may be)
    if not values and not ambiguous and _HOLD.search(r.text) and r.kind != "out_of_scope":
        return replace(r, kind="small_talk", values={}, ambiguous=[])  # "hold on, need to find the PCR in the notes"
    # a value of a field given before, other than the one asked, changes it: a correction
    changed = any(f != asked and f in known and v.cued and _differs(known[f], v.value) for f, v in values.items())
    kind = "correction" if correcting or changed else "answer"
    return replace(r, kind=kind, values=values, ambiguous=ambiguous)


# the writer asks for time: "hang on", "one sec", "back in a min", "bear with me"
_HOLD = re.compile(
    r"\b(?:hang on|hold on|one sec|one moment|just a (?:sec|min|moment)|give me a (?:sec|min|minute|moment)|"
    r"back in a (?:sec|min|minute|moment|bit|tick)|bear with me)\b",
    re.I,
)


def _no_answer(r: MessageReading) -> Optional[MessageReading]:
    """The reading of a message that answers nothing the form asked, or None when it may."""
    if r.kind in ("out_of_scope", "command") and r.scope != "unrelated":
        return r  # refused whatever was asked (an order, an emergency, an identifier)
    if _NEW_CASE.match(r.text) and r.kind == "case":
        return r  # "Next patient - IM 400, 12 months, 0.5 %": another case told, read on its own, not as an answer
    if _LEAVE.search(r.text) or (_CALLED_AWAY.search(r.text) and not r.values and not r.unassigned):
        return replace(r, kind="small_talk", values={}, ambiguous=[])  # leaving the form: nothing kept
    if r.kind == "small_talk" and not r.unassigned and r.scope != "chatter":
        return r  # (words that name nothing of ours, inside a form, may still answer its question: read on)
    if _QUESTION.match(r.text) and "?" in r.text:  # a side question: its values are examples, not answers
        return replace(r, kind="question", values={}, ambiguous=[])
    return None


# a number that answers before anything else is said ("22. oh and sorry …", "1 now. it was a 3 over the summer"),
# unless the words after it take it back ("3. Sorry, 2 - grade 2")
_LEADING_ANSWER = re.compile(
    r"^[\s\"'(\[]*(?P<n>\d+(?:[.,]\d+)?)(?![.,]?\d)\s*(?:now|currently|today)?\s*(?:[.;!]|,\s|$)"
    r"(?!\W*(?:sorry|no|wait|i mean|actually|oops|correction|scratch that|make that)\W+(?:\w+\W+){0,2}\d)",
    re.I,
)
_CONFIRMED_AFTER = re.compile(r"\s*(?:is|was|'s)\s+(?:right|correct|fine|ok|okay|accurate)\b", re.I)
# a quantity: a number with its unit, or two ("6 years 4 months")
_QUANTITY = re.compile(
    r"(?<![\w.,/])\d+(?:[.,]\d+)?(?:\s*(?:%|ng\s*/\s*ml|[uµ]g\s*/\s*l|mg\s*/\s*l|[nuµ]mol\s*/\s*l|mg|months?|mos?|mths?|"
    r"weeks?|wks?|years?|yrs?|hours?|hrs?|h|days?)\b(?:\s+(?:and\s+)?\d+\s*(?:months?|mos?|m)\b)?)?",
    re.I,
)


def _answer_of(
    field: str, said: str, unit_named: bool, start: int, end: int, today: Optional[date] = None
) -> Optional[Value]:
    try:
        n = answers.answer(field, said, unit_named=unit_named, today=today)
    except NormalizationError:
        return None
    return Value(field, n.value, said, start, end, n.bound, n.word, list(n.assumptions), dict(n.related))


def _restated_and_replaced(text: str, known: Dict[str, Any], values: Dict[str, Value]) -> None:
    """A correction that repeats one value given before and gives one other quantity: the other replaces it, in
    its unit or, bare, in the earlier value's ("the level was 1030 not 1300", "0.8 was June's. Today's is 0.35",
    "I put 60 months on drug - it's actually 6 years 4 months"). In place; nothing when it is not that clear."""
    quantities = [m for m in _QUANTITY.finditer(text) if not any(v.start <= m.start() < v.end for v in values.values())]
    restated = [
        (f, m)
        for m in quantities
        for f, before in known.items()
        if f not in values and isinstance(before, (int, float)) and _same(f, m.group(0), before)
    ]
    if len(restated) != 1:
        return
    field, old = restated[0]
    if _CONFIRMED_AFTER.match(text, old.end()):
        return  # "sorry, 400 is right - she takes 4 tablets": the value given before is confirmed, not changed
    others = [m for m in quantities if m is not old]
    found = [v for v in (_as_known(field, m, old) for m in others) if v is not None]
    if len(found) == 1 and _differs(known[field], found[0].value):
        values[field] = found[0]


def _same(field: str, said: str, before: float) -> bool:
    try:
        return abs(float(answers.answer(field, said, unit_named=True).value) - float(before)) < 1e-6
    except (NormalizationError, TypeError, ValueError):
        bare = re.fullmatch(r"\d+(?:[.,]\d+)?", said.strip())
        return bool(bare) and abs(float(said.replace(",", ".")) - float(before)) < 1e-6


def _as_known(field: str, m: "re.Match[str]", old: "re.Match[str]") -> Optional[Value]:
    """The quantity in the field's grammar; a bare number in the unit the restated value was given in."""
    said = m.group(0)
    found = _answer_of(field, said, True, m.start(), m.end())
    bare = re.fullmatch(r"\d+(?:[.,]\d+)?", said) and not re.match(r"\s*[a-z]", m.string[m.end() :], re.I)
    if found is None and bare and re.fullmatch(r"\d+(?:[.,]\d+)?", old.group(0)):  # (never "4 tablets", "day 5")
        return Value(field, float(said.replace(",", ".")), said, m.start(), m.end())
    return found


_FAMILIES = (
    ("dose_mg", "standard_dose_mg"),
    ("months_on_tki", "mmr_months", "dmr_months", "days_at_current_dose"),
    ("bcr_abl1_is", "adherence_pct"),
)


def _bare_value_as_asked(text: str, values: Dict[str, Value], asked: str, unit_named: bool) -> None:
    """A message that is only a value of the asked field's kind ("400 mg", "3 yrs") answers that field: its
    unit names no field."""
    ((field, v),) = values.items()
    if not any(field in f and asked in f for f in _FAMILIES) or len(text.strip(" .,;!")) - len(v.text) > 3:
        return
    try:
        n = answers.answer(asked, v.text, unit_named=unit_named)
    except NormalizationError:
        return
    del values[field]
    values[asked] = Value(asked, n.value, v.text, v.start, v.end, n.bound, n.word, list(n.assumptions))


def _said_in_words(v: Value) -> bool:
    """A value read from words, not a number ("takes it every day" as 100 % adherence)."""
    return not re.search(r"\d", v.text or "")


def _uncued_as_asked(values: Dict[str, Value], asked: str, unit_named: bool) -> None:
    """A value no word gave a field ("3 yrs", "100 %") answers the question asked when it can: the reader's
    likeliest field is a guess the question overrides."""
    for f, v in list(values.items()):
        if f == asked or v.cued:
            continue
        try:
            n = answers.answer(asked, v.text, unit_named=unit_named)
        except NormalizationError:
            continue
        del values[f]
        values[asked] = Value(asked, n.value, v.text, v.start, v.end, n.bound, n.word, list(n.assumptions))
        return


def _differs(before: Any, now: Any) -> bool:
    if isinstance(before, (int, float)) and isinstance(now, (int, float)):
        return abs(float(before) - float(now)) > 1e-9
    return str(before).lower() != str(now).lower()


def _all_values(r: MessageReading) -> Dict[str, Value]:
    """The values a case reading kept, and those a reading that is not a case set aside (an answer in a form
    is read as values even when it looks like a question's example: "0.05?" is the level)."""
    out = dict(r.values)
    for n in r.not_values:
        if n.field and n.why.startswith(("example in", "in a message")) and n.field not in out:
            out[n.field] = Value(n.field, None, n.text, n.start, n.end)
    kept = {f: v for f, v in out.items() if v.value is not None or v.word or (f in _NULL_SAID and f in r.values)}
    return kept or _reread(r, out)


# the fields whose null is a value the message says ("ddPCR wasn't done", "mutations not tested"): an answer too
_NULL_SAID = frozenset({"mutations", "ddpcr_mr45", "goal"})


def _reread(r: MessageReading, kept: Dict[str, Value]) -> Dict[str, Value]:
    if not kept:
        return {}
    from .reader import read_values  # the values of a non-case reading, read as a case's

    return read_values(r.text)


def _answer(r: MessageReading, asked: str, unit_named: bool, values: Dict[str, Value], today: Optional[date] = None):
    """The value the message gives for the field asked: an unassigned number in that field's grammar, else the
    answer grammar on the words left once the other fields' values are taken out."""
    for v in r.unassigned:
        try:
            n = answers.answer(asked, v.text, unit_named=unit_named, today=today)
        except NormalizationError:
            continue
        return Value(asked, n.value, v.text, v.start, v.end, n.bound, n.word, list(n.assumptions), dict(n.related))
    rest = r.text
    spans = list(values.values()) + [n for n in r.not_values if n.field]  # "T315I is from 2022": no dose in it
    for v in sorted(spans, key=lambda v: -v.start):
        if v.end > v.start:
            rest = rest[: v.start] + " " + rest[v.end :]
    if values and not re.search(r"[\w]{2,}|\d", rest):
        return None
    try:
        n = answers.answer(asked, rest.strip(" ,;.") or r.text, unit_named=unit_named, today=today)
    except NormalizationError as exc:
        if exc.ask:
            return Ambiguous(asked, r.text, exc.message)
        return None
    return Value(asked, n.value, r.text, 0, len(r.text), n.bound, n.word, list(n.assumptions), dict(n.related))

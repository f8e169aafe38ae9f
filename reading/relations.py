"""How a value found in a message relates to the patient: the current value, or words that are not one.

- a **proposal**: a dose the message proposes ("can I reduce her to 300?", "go up to 600?", "halve it to 200")
  is answered, never taken as the current dose;
- a **past** value beside a current one of the same field ("was 0.5 % last year, now 0.02 %"), or a value
  named as past alone ("grade 3 rash in 2022"): not the current value;
- a **hypothetical** ("if she were in MR4…", "say the trough came back at 700"): an example, not the patient;
- numbers that are no patient value at all (a bed, a weight, an age, a guideline year, a day of a course):
  the extractor does not read them; where a span of a field sits in such words, it is left out, said.

Each rule looks at the words of the value's own clause or sentence only (the scope a clinician's note gives).
"""

from __future__ import annotations

import re
from typing import List, Optional, Tuple

from .doses import (
    CHANGED_PAST,
    DONE_BEFORE,
    IMATINIB,
    MAY,
    OTHER_TKI,
    OTHER_TKI_NAMES,
    REASON_OF_CHANGE,
    of_a_trial,
    told,
)
from .model import NotValue, Value

DOSES = ("dose_mg", "standard_dose_mg")
_STOP = r"[.;!?\n]"
_CLAUSE_END = re.compile(rf"{_STOP}|,\s+(?:but|and|now|then)\b|\bbut\b")
# the dots of a date end nothing: "latest 01.12.2026 2.9 %", "(05.12.)", "since 11.2019"
_DATE_DOTS = re.compile(
    r"(?<![\d.])(?:\d{1,2}\.\d{1,2}\.(?:(?:19|20)?\d\d(?!\d)|(?=\s))|(?:0?[1-9]|1[0-2])\.(?:19|20)\d\d(?!\d))"
)


def _without_date_dots(text: str) -> str:
    return _DATE_DOTS.sub(lambda m: m.group(0).replace(".", "/"), text)


# a dose after a word of change and a proposal ("reduce her to 300", "go up to 600", "switch to 400 bd")
_TO_DOSE = re.compile(
    r"\b(?:to|down to|up to|back to|try|trial of|start|consider\w*|thinking (?:of|about))\s*$"
    r"|[1-8]00\s*(?:mg\s*)?(?:->|-->|\u2192|=>)\s*$"
    r"|\b(?:reduc\w*|drop\w*|decreas\w*|lower\w*|halv\w*|cut\w*|de-?escalat\w*|escalat\w*|increas\w*|rais\w*|"
    r"go(?:ing)?|com(?:e|ing)|push\w*|bump\w*|titrat\w*|mov\w*|bring\w*|tak\w*|put\w*|chang\w*|switch\w*|mak\w*)"
    r"(?:\s+(?:her|him|them|it|the dose|dose|imatinib|back|down|up))*\s+(?:to|at)?\s*$",
    re.I,
)
_FROM_DOSE = re.compile(
    r"\b(?:de-?escalat\w*|reduc\w*|escalat\w*|increas\w*|lower\w*|go(?:ing)? (?:down|up)|step\w* down)\s+from\s*$", re.I
)
_ASKS_WHAT = re.compile(r"\b(?:what|which|how much|how far)\b[^.;]*\?|^\W*(?:what|which)\b", re.I)
_DONE_WORDS = re.compile(r"\b(?:ago|since|was|were|been|already|last (?:year|month|week))\b", re.I)
_BACK = re.compile(r"\b(?:back|resum\w*|re-?escalat\w*|return\w*|restor\w*)\b", re.I)
_PROPOSING = re.compile(
    rf"\b(?:can|could|should|shall|would|{MAY}|might|is it ok to|ok to|safe to|worth|consider\w*|thinking of|"
    r"planning|plan to|want to|wants to|wants|suggest\w*|propos\w*|going to|try|trial|option|or|"
    r"keen|hop(?:e|es|ing) to|like to|'d like|intend\w*|aim\w* to|prefer\w*|wish\w*|asking (?:\w+ )?to)\b|\?",
    re.I,
)
_DONE = re.compile(  # a change that happened: the dose after it is the current one ("reduced to 300 in May")
    r"\b(?:was|were|been|has been|had been|already|last|ago|since|in (?:19|20)\d\d|previously|earlier|"
    r"(?:reduced|dropped|decreased|lowered|halved|cut|escalated|increased|raised|went|came|moved|switched) "
    r"(?:her |him |them |it |the dose |dose )?(?:down |up |back )?(?:to|from)|"
    # "after dropping to 300 mg her rash settled": a change told by the time after it
    r"(?:after|since|following) [a-z]+ing (?:her |him |them |it |the dose |dose )?(?:down |up |back )?(?:to|from))\b",
    re.I,
)
_PAST = re.compile(
    r"\b(?:was|were|had|used to|previously|previous|prior|before|earlier|last (?:year|month|week|time|visit)|"
    r"(?:\d+|a|one|two|three|few|several) (?:days?|weeks?|months?|years?|yrs?|mo) ago|in (?:19|20)\d\d|"
    r"at diagnosis|at dx|initially|then|resolved|history of|hx of|h/o)\b",
    re.I,
)
# words that date a single value to the past even when no current one is given ("used to be on 400 bd",
# "T315I is from the 2022 sample", "gr 3 in oct, held"): it is not the patient's value now
_STRONG_PAST = re.compile(
    r"\b(?:used to|previously|formerly|initially|originally|(?:until|till)(?!\s+(?:this|now|today|the latest|the last|"
    r"recently|the most recent)\b)|\((?:19|20)\d\d\)|at (?:dx|diagnosis)|"
    r"baseline|at presentation|pre-?(?:treatment|imatinib|tki)|before (?:starting|imatinib|treatment)|diagnostic|"
    r"pre-?(?:reduction|hold|switch)|before (?:the |her |his )?(?:reduction|hold|switch|escalation)|"
    r"from the \w+ sample|peaked|was (?:on|at)|had been)\b",
    re.I,
)
# a clause opened by a time or a drug of the past scopes over its measurements ("At diagnosis her BCR-ABL1 was 68 %",
# "Last year's trough was 1480", "On dasatinib her PCR had got down to 0.5 %", "Back in 2022 grade 3 on 400")
# a dose said, then a change since to a dose not written (no dose number after the change in its sentence)
_CHANGED_SINCE_TO_WHAT = re.compile(
    rf"[^.;?!\n]{{0,40}}?\bbut\b[^.;?!\n\d]{{0,40}}?\b(?:{CHANGED_PAST}|altered|adjusted)\b"
    r"(?![^.;?!\n]{0,40}?\b[1-8]00\b)",
    re.I,
)


def _response_not_told(text: str, v: Value, before: str) -> Optional[str]:
    """Why a response's bound is not told of the patient: hoped for ("hoping she's in MMR by 18 months") or asked
    ("3 yrs on imatinib. MMR?"); None when it is told."""
    if _HOPED_BEFORE.search(before[-40:]):
        return "a response hoped for"
    if not re.search(r"\d", v.text) and _ASKED_RIGHT_AFTER.match(text[v.end :]):
        return "a response asked about"
    return None


# a response word asked, not told: "3 yrs on imatinib. MMR?", "is he in MR4 yet?"
_ASKED_RIGHT_AFTER = re.compile(r"^\s*(?:yet|now|still|already|or not|then)?\s*\?")
_WENT_FROM = re.compile(r"\bwent (?:up |down )?from\s*(?:about\s+|~\s*)?$", re.I)
_PAST_OPENER = re.compile(
    r"^\W*(?:at (?:dx|diagnosis|presentation|baseline)|at the time of (?:dx|diagnosis)|last year(?:'s|’s)?|"
    r"(?:back )?in (?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? )?(?:19|20)\d\d|"
    rf"(?:while )?on (?:{OTHER_TKI_NAMES})|"
    r"before (?:starting|imatinib|the switch|switching|the change|the reduction|the escalation))\b",
    re.I,
)
_MEASURED_NOW = ("bcr_abl1_is", "trough_ng_ml", "hours_since_dose", "ae_grade", "adherence_pct")
_PAST_VERB = re.compile(r"\b(?:was|were|had|got|reached|came back|peaked|fell|rose|dropped)\b", re.I)
_PRESENT_VERB = re.compile(r"\b(?:is|are|has|have|remains?|stays?|now)\b|(?<!year)'s\b", re.I)
_INTRINSICALLY_PAST = re.compile(
    r"^\W*(?:at (?:dx|diagnosis|presentation|baseline)|at the time of|last year(?:'s|’s))", re.I
)
# the level a diagnosis was made with, just before it: "Diagnosed in the summer with BCR-ABL1 45 % IS" (not
# "diagnosed with CML in 2019, on IM 400, PCR 0.08 %")
_DIAGNOSED_WITH = re.compile(
    r"\b(?:diagnosed|dx'?d|presented)\b(?:(?!\b(?:now|currently|today|and|but)\b)[^.;,\d]){0,30}?\bwith\s+(?:an?\s+)?"
    r"(?:(?:bcr[- ]?abl1?|pcr|level|transcripts?|ratio)\s*(?:\(?is\)?\s*)?(?:of\s+)?)?$",
    re.I,
)


def _without_a_bracket_of_the_past(before: str) -> str:
    """``before`` without a closed bracket that dates only its own value ("on 300 (previously 400), PCR": the
    "previously" is the bracket's own); a bracket with no value of its own ("baseline (pre-TKI) BCR-ABL", "at
    diagnosis (2019)") qualifies what follows, and stays."""

    def blank(m: re.Match) -> str:
        inside = m.group(0)
        own_value = re.search(r"(?<![\d.])(?!(?:19|20)\d\d\b)\d", inside)  # a value of its own, not a year
        return "" if own_value and _STRONG_PAST.search(inside) else inside

    return re.sub(r"\([^()]*\)", blank, before)


def _opened_by_the_past(before: str) -> bool:
    """The words before a measurement, from its clause's last comma, open with a time or a drug of the past and
    tell it in the past ("At diagnosis her BCR-ABL1 was", "Last year's trough was", "On dasatinib her PCR had got
    down to"), not "In 2021 she started imatinib 400, PCR" or "Last year she had a rash and her PCR is"."""
    segment = re.split(r"[,;]|\band\b|\bbut\b", before)[-1]
    if not _PAST_OPENER.match(segment) or _PRESENT_VERB.search(segment):
        return False
    return bool(_PAST_VERB.search(segment) or _INTRINSICALLY_PAST.match(segment))


# words that make one of several values of a field the current one ("repeated 6 wks later 13 %", "latest 0.007 %")
_LATEST = re.compile(
    r"\b(?:now|currently|current|today|latest|most recent|repeat(?:ed)?|confirmed|new|last week|this week|yesterday|"
    r"last (?:pcr|qpcr|rq-?pcr|result|bcr-?abl1?|level|test|sample|value|one|reading))\b",
    re.I,
)
_LATEST_BEFORE = re.compile(  # ", now KD clear", "then to 200", "back on 400", "restarted at 300"
    r"\b(?:now|currently|today|latest|then (?:down |up |back )?to|back (?:on|to)|now on|"
    r"re-?started (?:at|on)?|resumed (?:at|on)?)\W{0,3}$",
    re.I,
)
_LATEST_AFTER = re.compile(  # "on 200 now" (but "on 200 - now 0.04 %": the now of the next value)
    r"^\W{0,3}(?:now|currently|today|at present)\b(?!\s*[-:,]?\s*(?:at |is |was |~)?[<>≤≥]?\s*[0-9])", re.I
)
_FOR_NOW_AFTER = re.compile(
    r"^\s*(?:mg\s*)?(?:od\s*|bd\s*|daily\s*)?for\s+(?:the\s+last\s+)?[^\s,;]+\s+[^\s,;]+\s+now\b", re.I
)
_NOW = re.compile(r"\b(?:now|currently|current|today|latest|most recent|recent|this (?:month|week|time)|still)\b", re.I)
_HYPOTHETICAL = re.compile(
    r"(?:^|[.;!?]\s*)\s*(?:if|say|suppose|supposing|assuming|assume|imagine|hypothetically|what if|in case|"
    r"let'?s say|were (?:she|he|they)|would(?! (?:you|u|we|i|like|love|prefer|rather)\b))\b",
    re.I,
)
# what was meant to be done, then said not done ("meant to be a 24 h trough but it was drawn 2 h after the dose")
_MEANT_BEFORE = re.compile(
    r"\b(?:meant|supposed|intended|planned|due|scheduled)\s+(?:to\s+be|as)\s+(?:an?\s+|the\s+)?[^.;,]{0,10}$", re.I
)
_SAMPLED = ("hours_since_dose", "trough_ng_ml", "days_at_current_dose")  # what a sample was meant to be
_BUT_AFTER = re.compile(r"^[^.;]{0,30}?\b(?:but|however|instead|although|though)\b", re.I)
# a response hoped for or expected, not had: "hoping she's in MMR by 18 months", "we expect MMR by 12 months"
_HOPED_BEFORE = re.compile(
    r"\b(?:hop(?:e|es|ed|ing)|expect\w*|aim(?:s|ed|ing)?(?:\s+for)?|target\w*|want\w*|wish\w*|goal\w*)\b[^.;,\d]{0,25}$",
    re.I,
)
# a bound right after "if", "unless", "once": a threshold of a plan ("escalate if >1 % at 6 mo"), no patient value
_CONDITION_BEFORE = re.compile(
    r"\b(?:if|unless|once|whenever|should it|in case)\s+(?:(?:it|bcr-?abl1?|pcr|the level|she|he|they)\s+)?"
    r"(?:is|'s|are|goes|go|gets|get|rises|rise|stays|stay|remains|remain|falls|fall|drops|drop|still)?\s*$",
    re.I,
)
_AGE_BY_SEX = "an age beside the sex"
_NEVER_FORGETS = re.compile(r"\bforg[eo]ts?\b", re.I)
# what a writer never forgets, other than the tablets
_SOMETHING_ELSE = re.compile(
    r"\s+(?:to\s+(?!take\b)|(?:her|his|their|the|any|a)\s+(?!(?:\w+\s+)?(?:doses?|tablets?|pills?|tabs?|imatinib|meds|"
    r"medications?|medicines?|glivec|gleevec)\b)\w+|appointments?\b|clinic\b|bloods?\b|visits?\b)",
    re.I,
)
# a phase the disease may move to, not the one it is in: "risk of progression to blast phase", "transforming into AP"
_PHASE_TO_COME = re.compile(
    r"\b(?:risk|chance|danger|signs?|fear\w*|worr\w*)\s+(?:of\s+)?(?:\w+\s+)?$|"
    r"\b(?:progression|progressing|transformation|transforming|evolution|evolving|going)\s+(?:in)?to\s+(?:an?\s+|"
    r"the\s+)?$",
    re.I,
)
_DURATIONS = ("months_on_tki", "mmr_months", "dmr_months", "days_at_current_dose")
_NAMING_BEFORE = re.compile(r"\b(?:the|that|this|our|my other|other|\w+'s)\s+$", re.I)
# a time said of the drug, a dose or a response before the number: "on IM 400 for 5 yrs gentleman keen on TFR"
_TIME_SAID_BEFORE = re.compile(
    r"(?:\b(?:for|x|since|on|imatinib|im|tki|mr ?4(?:[.,]5)?|mr ?3|mmr|dmr)|\d00(?:\s*mg)?(?:\s*(?:od|bd|daily))?)\s*$",
    re.I,
)
# words that make a number something else than a patient value of this field
_NOT_PATIENT = (
    (
        re.compile(r"\b(?:bed|room|bay|ward|cubicle|ext|extension|clinic|mrn|nhs no)\.?\s*#?\s*$", re.I),
        "a bed or a number",
    ),
    (re.compile(r"^\s*(?:kg|kilos?|lbs?|cm|m2|m²)\b", re.I), "a weight or a height"),
    (re.compile(r"\b(?:weighs?|weight|wt|bmi|height)\s*:?\s*$", re.I), "a weight or a height"),
    (re.compile(r"^\s*(?:yo|y/o|yrs? old|years? old|year-old|yr old)\b", re.I), "an age"),
    (re.compile(r"^\s*(?:pregnant|gestation|of (?:her )?pregnancy)\b", re.I), "a time of pregnancy"),
    (re.compile(r"\b(?:aged?|age:?)\s*$", re.I), "an age"),
    (re.compile(r"^\s*-?\s*(?:male|female|man|woman|gentleman|gent|lady)\b", re.I), _AGE_BY_SEX),  # "45 yr male"
    (re.compile(r"\b(?:eln|nccn|esmo|guidelines?)\s*$", re.I), "a guideline year"),
    # not "mg/day since …", "400 mg each day since 2019"
    (re.compile(r"(?<![/-])(?<!each )(?<!every )(?<!per )(?<!a )\bday\s*$", re.I), "a day of a course"),
)


# bare numbers listed before a time: "at 3, 6 and 12 months", "3/6/12 months"
_A_LIST_OF_TIMES = re.compile(
    r"(?<![\d.,%/])\b\d{1,2}(?:\s*,\s*\d{1,2})+\s*,?\s*(?:and|&|or)\s*$"  # "at 3, 6 and 12 months"
    r"|\b(?:at|by)\s+\d{1,2}\s+(?:and|&|or)\s*$"  # "at 6 and 12 months"
    r"|(?<![\d.,%/ ])\b\d{1,2}/(?:\d{1,2}/)*$",  # "3/6/12 months"
    re.I,
)
_PREGNANCY_BEFORE = re.compile(r"\bpregnan\w*\s+(?:now\s+|of\s+|at\s+)?$", re.I)
# the words of milestones in general ("the ELN milestones at 3, 6 and 12 months"; not "PCR 0.5% at 6 and 12 months")
_MILESTONE_WORDS = re.compile(
    r"\b(?:milestones?|targets?|goals?|eln|nccn|expected|responses?|aims?|cut-?offs?)\b", re.I
)
# a value the writer says was written wrong: "I put bd by mistake", "the 0.4 was a typo", "400 is wrong"
_IN_ERROR = re.compile(r"^\s*(?:was (?:a |my )?(?:typo|mistake|wrong|error)|is (?:a typo|wrong))\b", re.I)
# written wrong by the writer, said so after the value: "I put bd by mistake" (not "misses 2 a week by accident",
# "taking 400 by mistake instead of 300": what the patient did)
_WRITTEN_BY_MISTAKE = re.compile(r"^\s*(?:by mistake|in error)\b", re.I)
_WROTE_BEFORE = re.compile(r"\b(?:put|wrote|written|typed|entered|said|filled in|keyed)\s+(?:in\s+)?$", re.I)


def _clause(text: str, start: int, end: int) -> Tuple[str, str, str]:
    """(words before the span in its clause, the words after it in its clause, the sentence)."""
    said = _without_date_dots(text)
    lo = max((m.end() for m in _CLAUSE_END.finditer(said, 0, start)), default=0)
    after = _CLAUSE_END.search(said, end)
    hi = after.start() if after else len(text)
    s_lo = max((m.end() for m in re.finditer(_STOP, said[:start])), default=0)
    s_hi = re.search(_STOP, said[end:])
    sentence = text[s_lo : end + (s_hi.end() if s_hi else len(text) - end)]
    return text[lo:start], text[end:hi], sentence


_ARROW_AFTER = re.compile(r"^\s*(?:mg\s*)?(?:->|-->|\u2192|=>|to)\s*[1-8]00(?=mg\b|\b)", re.I)


def proposed(text: str, v: Value) -> bool:
    """Whether the dose ``v`` is proposed, not told ("can I reduce her to 300?", "reduce to 200 or 300?")."""
    return v.field in DOSES and _proposed(text, v)


def _proposed(text: str, v: Value) -> bool:
    before, after, sentence = _clause(text, v.start, v.end)
    if _ARROW_AFTER.match(text[v.end :]):
        return False  # "reduce 400->300?": the dose a proposed change starts from
    if _FROM_DOSE.search(before[-40:]) and _ASKS_WHAT.search(sentence) and not _DONE_WORDS.search(sentence):
        return True  # "de-escalation from 400: what dose do we go to?": the start of a change asked about
    if not _TO_DOSE.search(before[-40:]):
        return False
    if _DISCUSSED.search(before[-60:]) and not _DONE_AFTER.search(text[v.end : v.end + 60]):
        return True  # "at last MDT we talked about escalating to 800": a change discussed, not made
    arrow = re.search(r"[1-8]00\s*(?:mg\s*)?(?:->|-->|\u2192|=>)\s*$", before)
    if arrow and DONE_BEFORE.search(before[: arrow.start()][-30:]):
        return False  # "Reduced 400->300": the dose now, after a change told
    if _ASKED_RIGHT_AFTER.match(text[v.end :]) and _PRESENT_AS_PAST.search(before[-12:]):
        return True  # "cut to 200?": the verb reads as a past, the question mark right after says it is asked
    return bool(_PROPOSING.search(sentence)) and not _DONE.search(_phrase(before)[-40:])


# a change talked about: "we talked about escalating to 800", "discussed reducing her to 300", "considered going up to"
_DISCUSSED = re.compile(
    r"\b(?:(?:talked|talking|spoke|speaking|thought|thinking|asked|asking) about|discuss(?:ed|ing)?|mooted|considered|"
    r"debated|proposed|suggested|recommended)\s+(?:\w+\s+){0,2}?(?:escalating|increasing|reducing|going|moving|"
    r"switching|dropping|cutting|halving|de-?escalating|upping|stepping|coming)\s+(?:\w+\s+)?(?:up\s+|down\s+)?to\s*$",
    re.I,
)
# … and then made: "discussed escalating to 600 at MDT and escalated", "… and did so in March"
_DONE_AFTER = re.compile(
    r"\b(?:and|which|so)\s+(?:then\s+)?(?:we\s+|they\s+|she\s+|he\s+|it\s+)?(?:did|escalated|increased|reduced|went|"
    r"switched|changed|was done|happened)\b|\bdid so\b",
    re.I,
)


# verbs whose past is written as the present: "cut to 200?" is asked, "cut to 200 in May" was done
_PRESENT_AS_PAST = re.compile(r"\b(?:cut|put|set)\b", re.I)
_ASKED_RIGHT_AFTER = re.compile(r"^\s*(?:mg)?\s*(?:od|daily|a day|/d(?:ay)?)?\s*\?")


def _phrase(before: str) -> str:
    """The words of the phrase right before a value: a comma ends a phrase ("on 600 since 2021, hoping to come
    down to 400": the "since" of the first phrase does not make the second one told)."""
    return re.split(r"[,(]", before)[-1]


def _proposed_change(text: str, v: Value) -> bool:
    """The change that starts at ``v`` is asked about, not told ("reduce 400->300?", "ok to go 400 -> 300")."""
    before, _, sentence = _clause(text, v.start, v.end)
    told = DONE_BEFORE.search(before[-30:])  # "Reduced 400->300 for oedema, … go to 200?": told, then asked
    return bool(_PROPOSING.search(sentence)) and not _DONE.search(_phrase(before)[-40:]) and not told


_OF_AN_EVENT = ("ae_grade", "response_status", "goal")
_DOSE_FOR = re.compile(r"\b[1-8]00\s*(?:mg)?\s+(?:for|due to|because of)\s+(?:a\s+|an\s+)?$", re.I)
_A_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _of_an_earlier_event(text: str, v: Value) -> bool:
    """An adverse event, a response class or a goal said of an event dated in the past or of another drug: inside
    brackets that hold a year or follow one ("Sep 2021 (3 weeks, hepatitis grade 3)", "(2022-2023, diarrhoea
    grade 3)"), or in a clause naming another TKI with no imatinib after it ("dasatinib stopped for intolerance")."""
    opened = text.rfind("(", 0, v.start)
    if opened >= 0 and text.rfind(")", opened, v.start) < 0:
        closed = text.find(")", v.end)
        inside = text[opened : closed if closed >= 0 else len(text)]
        if _A_YEAR.search(inside) or _A_YEAR.search(text[max(0, opened - 12) : opened]):
            return True
    clause = re.split(r"[.;]", text[max(0, v.start - 60) : v.start])[-1]
    other = list(OTHER_TKI.finditer(clause))
    return bool(other) and not re.search(r"\b(?:imatinib|im|glivec|gleevec)\b", clause[other[-1].end() :], re.I)


# a guideline's or a target's threshold: from the word that names it to the bound it sets, in one clause ("ELN
# milestone at 12 months is <= 0.1 %", "Per ELN, failure at 6 months is > 10 %", "target trough >1000 ng/mL")
_GUIDELINE_WORD = re.compile(
    r"\b(?:eln|nccn|esmo|guidelines?|milestones?|thresholds?|cut-?offs?|criteria|criterion|targets?|"
    # a trial's own definitions: "DESTINY called it loss of MMR after 2 consecutive >0.1 %"
    r"called it|defines?|"
    r"reference(?: range)?|ref|defined as|definition|therapeutic range|zielbereich|ziel|aim(?:ing)? for|"
    r"(?:needs?|has|have|should|must) to be|should be|must be)\b",
    re.I,
)
_BOUND_SET = re.compile(
    r"(?:≤|<=?|≥|>=?|\b(?:above|below|under|over|less than|more than|greater than|at least|at most)\s)\s*"
    r"\d+(?:[.,]\d+)?\s*(?:%|ng/ml|µg/l|ug/l|mcg/l|mg/l|µmol/l|umol/l|nmol/l)",  # a level's, not a time's
    re.I,
)


_THRESHOLD_CLAUSE_END = re.compile(r"[.;()\n?]")
_TIME_OF_A_BOUND = re.compile(
    r"\s*(?:at|by|@|within|in)\s*(?:month\s*)?\d+(?:[.,]\d+)?\s*(?:months?|mos?|m|years?|yrs?|y|/12)?\b", re.I
)


def threshold_spans(text: str) -> List[Tuple[int, int]]:
    """The spans of a guideline's or a target's thresholds (their values are no patient values)."""
    out = []
    for m in _GUIDELINE_WORD.finditer(text):
        end = _THRESHOLD_CLAUSE_END.search(text, m.end())
        stop = end.start() if end and not re.match(r"\d", text[end.end() : end.end() + 1]) else len(text)
        bounds = list(_BOUND_SET.finditer(text, m.end(), stop))
        if bounds:
            # "ELN says >10 % at 3 mo, >1 % at 6": in a list of milestones the time is the rule's too (not in "she
            # missed the ELN target of <=0.1 % at 14 months": the patient's time)
            timed = _TIME_OF_A_BOUND.match(text, bounds[-1].end()) if len(bounds) >= 2 else None
            out.append((m.start(), timed.end() if timed else bounds[-1].end()))
            continue
        said = _LEVEL_SET.match(text, m.end())  # "the target is 0.1 % by 12 months": a level set, no bound written
        if said and m.group(0).lower() not in _NOT_A_SETTER:
            out.append((m.start(), said.end()))
    out += [m.span() for m in _LINE_NAMED.finditer(text)]  # "under the 0.1 % line", "over the 10 % mark"
    out += [m.span() for m in _REQUIRED.finditer(text)]  # "she needs 12 months of MMR before we can reduce"
    return out


# what a rule requires, not the patient's time: "she needs 12 months of MMR", "ELN wants more than two years of MR4
# and more than five years of treatment"
_REQUIREMENT = (
    r"(?:at least\s+|a minimum of\s+|more than\s+|over\s+|>\s*=?\s*|\u2265\s*)?\d+(?:[.,]\d+)?\s*"
    r"(?:months?|mo|years?|yrs?|y)\s+(?:of\s+)?(?:sustained\s+|stable\s+)?"
    r"(?:mmr|mr ?4(?:[.,]5)?|dmr|tki|treatment|therapy|imatinib)\b"
)
_REQUIRED = re.compile(
    r"\b(?:needs?|requires?|required|must have|should have|has to have|have to have|needed|wants?|asks? for|"
    rf"recommends?)\s+{_REQUIREMENT}(?:\s*(?:,|and)\s*{_REQUIREMENT})*",
    re.I,
)


_LINE_NAMED = re.compile(
    r"\b(?:under|below|above|over|beneath|past|across|at|reach\w*|hit\w*|meet\w*|the|our|your|a|that)\s+"
    r"(?:the\s+)?(?:usual\s+|magic\s+|recommended\s+)?"
    r"\d+(?:[.,]\d+)?\s*(?:%|ng/ml|µg/l|ug/l|mcg/l|mg/l|µmol/l|umol/l|nmol/l)\s*(?:trough\s+)?"
    r"(?:line|mark|threshold|cut-?off|target|bar|milestone|barrier)\b",
    re.I,
)


# a level a guideline word sets without writing its bound: "target is 0.1 %", "milestone of 1 %", "threshold: 10 %"
_LEVEL_SET = re.compile(
    r"\s*(?:(?:level|value|trough|pcr|bcr-?abl1?)\s+)?(?:is|of|=|:|at|would be|was)?\s*"
    r"\d+(?:[.,]\d+)?\s*(?:%|ng/ml|µg/l|ug/l|mcg/l|mg/l|µmol/l|umol/l|nmol/l)",
    re.I,
)
_NOT_A_SETTER = frozenset(
    {"ref", "aim for", "aiming for", "should be", "must be", "has to be", "have to be", "milestone", "milestones"}
)


_VAF_BEFORE = re.compile(
    r"(?<!\bno )(?<!\bnot )\b[A-Z]\d{3}[A-Z]\b(?:\s*mutation)?\s*"
    r"(?:(?:detected|found|present|seen|identified|positive)\s*(?:at|in|with|of)?|\(|at|in)\s*"
    r"(?:~|approx\.?|about|ca\.?)?\s*$|"
    r"\b(?:vaf|allele (?:frequency|burden|fraction)|variant (?:allele )?fraction|clone size)"
    r"\s*(?:of|=|:|at|~)?\s*~?\s*$",
    re.I,
)
_VAF_AFTER = re.compile(r"^\s*\)?\s*(?:vaf|of (?:the )?(?:reads|alleles|clones?)|allele|variant|clone)\b", re.I)
# something started that is not imatinib, then a time ago: "started St John's wort 2 months ago"
_STARTED_ELSE = re.compile(
    r"\b(?:started|commenced|began|begun|added|initiated|introduced)\s+(?:on\s+)?"
    r"([a-z][\w'-]*(?:\s+[a-z][\w'-]*){0,3})\s*$",
    re.I,
)
_ITS_TREATMENT = re.compile(
    r"\b(?:tki|treatment|therapy|it|this|that|new|higher|lower|reduced|dose|tablets?|tabs|drug|meds|medication|cml|"
    r"imat\w*|gli[vb]\w*|gleev\w*|[1-8]00|first[- ]line)\b",
    re.I,
)
_AGO_NEXT = re.compile(r"^\s*(?:ago|back)\b", re.I)
_RESPONSE_REACHED_AT = re.compile(
    r"\b(?:reached|achieved|attained|got(?:\s+(?:to|into))?|obtained|entered|went into)\s+(?:a\s+|her\s+|his\s+)?"
    r"(?:first\s+)?(?:MMR|MR ?4(?:[.,]5)?|MR ?5|DMR|CCyR|CMR|major molecular response|deep molecular response)\b"
    r"[^.;,\d]{0,12}\b(?:at|by|after|within|in)\s*(?:about\s+|around\s+|~\s*)?(?:month\s*)?$",
    re.I,
)
_NOT_REACHED = re.compile(r"\b(?:never|not|n't|yet to|failed to|without|no)\s+(?:\w+\s+)?$", re.I)
_INTO = re.compile(
    r"^\s*(?:into|in to)\s+(?:(?:the|her|his|a|new|current|reduced|higher|lower|same)\s+)*([a-z][\w-]*)", re.I
)
_INTO_OURS = re.compile(
    r"(?:imatinib|im|glivec|gleevec|treatment|therapy|tki|rx|tx|mr\d?|mmr|dmr|cmr|remission|response|it|this|dose|"
    r"[1-8]00|tfr|reduction|de-?escalation|escalation|course|cml|regimen?|schedule|dosing|tablets?|meds|medication|first|"
    r"drug|plan)",
    re.I,
)


def _into_another(after: str) -> bool:
    """A time into something that is not imatinib's course: "trough taken 2 days into the azole"."""
    m = _INTO.match(after)
    return m is not None and not _INTO_OURS.fullmatch(m.group(1))


_TURNAROUND = re.compile(
    r"\b(?:lab|labs|laboratory|results?|reports?|assay|courier|transport)\b[^.;,()]{0,20}?"
    r"\b(?:took|takes|taking|take|back (?:in|within|after)|within)\s*(?:about\s+|around\s+|~\s*)?$|"
    r"\b(?:turnaround|tat)\b(?:\s+time)?\s*(?:of|is|was|:)?\s*(?:about\s+|around\s+|~\s*)?$",
    re.I,
)


def _said_of_something_else(text: str, v: Value, before: str, after: str) -> Optional[str]:
    """Why the number ``v`` is said of the diagnosis, of a list of milestones or by mistake, or None."""
    if v.field == "bcr_abl1_is" and _DIAGNOSED_WITH.search(text[max(0, v.start - 60) : v.start]):
        return "the level at diagnosis"  # "Diagnosed in the summer with BCR-ABL1 45 % IS"
    if v.field in _DURATIONS and _PREGNANCY_BEFORE.search(before[-25:]):
        return "a time of pregnancy"  # "on imatinib 400 for 2 yrs, pregnancy now 10 wks"
    listed = v.field == "months_on_tki" and _A_LIST_OF_TIMES.search(before[-30:])
    if listed and _MILESTONE_WORDS.search(before[-60:]) and "%" not in before[-60:]:
        return "a list of time points"  # "the ELN milestones at 3, 6 and 12 months": no time of the patient's
    if _IN_ERROR.match(after) or (_WRITTEN_BY_MISTAKE.match(after) and _WROTE_BEFORE.search(before[-20:])):
        return "written by mistake"  # "I put bd by mistake, he's on 400 once a day"
    return None


def _no_patient_value(text: str, v: Value, before: str, after: str) -> Optional[str]:
    """Why the number ``v`` is no patient value at all (a bed, a weight, an age, a guideline year …), or None."""
    if of_a_trial(text, v.start):
        return "a trial's patients"
    if v.field == "dose_mg" and _CHANGED_SINCE_TO_WHAT.match(text, v.end):
        return "a dose changed since to one not said"  # "letter says 400 mg od, but she was de-escalated since"
    vaf = _VAF_BEFORE.search(text[max(0, v.start - 40) : v.start]) or _VAF_AFTER.match(after)
    if v.field == "bcr_abl1_is" and vaf:
        return "a mutation's share of the reads, not BCR-ABL1"  # "E255K detected at 15 %", "V299L (~15 %)"
    started = _STARTED_ELSE.search(before[-50:]) if v.field in _DURATIONS and _AGO_NEXT.match(after) else None
    if started and not IMATINIB.search(started.group(1)) and not _ITS_TREATMENT.search(started.group(1)):
        return "the time since something else was started"  # "started St John's wort 2 months ago"
    reached = _RESPONSE_REACHED_AT.search(before[-45:]) if v.field == "months_on_tki" else None
    if reached and not _NOT_REACHED.search(before[-45:][: reached.start()]):
        return "the time a response was reached"  # "reached MMR at 18 months and MR4 by 2018": not the time now
    if v.field in _DURATIONS + ("hours_since_dose",) and _into_another(after):
        return "a time into something else"  # "trough taken 2 days into the azole"
    if v.field == "hours_since_dose" and _TURNAROUND.search(before[-45:]):
        return "the lab's time, not the time since the dose"  # "(the lab took 48 h)", "result back within 72 h"
    said_otherwise = _said_of_something_else(text, v, before, after)
    if said_otherwise:
        return said_otherwise
    why = next((w for p, w in _NOT_PATIENT if p.search(before[-25:] if "$" in p.pattern else after[:12])), None)
    if why == "a day of a course" and re.search(r"[%.,]", v.text):
        return None  # "PCR same day 4.2 % IS": a day is a whole number
    if v.field == "adherence_pct" and _NEVER_FORGETS.search(v.text) and _SOMETHING_ELSE.match(text, v.end):
        return "not of the tablets"  # "she never forgets clinic appointments", "never forget to bring her diary"
    if why == _AGE_BY_SEX and v.field in _DURATIONS:  # an age, not a time of the drug ("IM 400 x 6 yrs female")
        return None if _TIME_SAID_BEFORE.search(before[-25:]) else "an age"
    if why == _AGE_BY_SEX:  # "bed 7's T315I man", "the 0.003% lady on 400": someone else; "IM 400 lady": the patient
        return "a person named by the value" if _NAMING_BEFORE.search(before[-20:]) else None
    if v.field == "phase" and _PHASE_TO_COME.search(before[-40:]):
        return "a phase feared or to come"  # "risk of progression to blast phase": no phase now
    return why


_BACK_ON_BEFORE = re.compile(r"\bback\s+(?:down\s+)?(?:on|to)\s+(?:the\s+)?(?:imatinib\s+|im\s+)?$", re.I)


def _just_before_the_reduction(text: str, v: Value, found: List[Value]) -> bool:
    """The dose before a reduction is of the past by its nature ("went from 400 to 200 in 2025", "before the
    reduction she was on 400"); not one further back ("was on 600, then 400 from 2019, then reduced to 300")."""
    if v.field != "standard_dose_mg":
        return False
    now = next((d for d in found if d.field == "dose_mg" and d.start > v.end), None)
    if now is not None and _BACK_ON_BEFORE.search(text[max(0, now.start - 20) : now.start]):
        return False  # "was on 600 last year, now back on 400": back on the dose before an escalation, no reduction
    return not _A_DOSE.search(text[v.end : now.start if now else len(text)])  # (a dose number, defined below)


def sort(text: str, found: List[Value]) -> Tuple[List[Value], List[NotValue], Optional[int]]:
    """(current values, words that are not values, the dose proposed) of the values found in ``text``."""
    current: List[Value] = []
    not_values: List[NotValue] = []
    proposal: Optional[int] = None
    back: List[Value] = []
    for v in found:
        before, after, sentence = _clause(text, v.start, v.end)
        if v.field == "standard_dose_mg" and _ARROW_AFTER.match(text[v.end :]) and _proposed_change(text, v):
            v.field = "dose_mg"  # "reduce 400->300?": the dose now, not one before a reduction that happened
        why = _no_patient_value(text, v, before, after)
        if why:
            not_values.append(NotValue(v.text, why, v.field, v.start, v.end))
        elif v.field == "standard_dose_mg" and _proposed(text, v) and _BACK.search(before[-25:]):
            proposal = v.value if isinstance(v.value, int) else proposal
            current.append(v)  # "back to 400?": resuming is proposed, and 400 is the dose before the reduction
            back.append(v)
        elif v.field in DOSES and _proposed(text, v):
            proposal = v.value if isinstance(v.value, int) else proposal
            not_values.append(NotValue(v.text, "a proposed dose", v.field, v.start, v.end))
        elif v.field == "ae_grade" and REASON_OF_CHANGE.search(before[-60:]) and "?" not in sentence:
            not_values.append(NotValue(v.text, "the reason of an earlier change", v.field, v.start, v.end))
        elif v.field in _OF_AN_EVENT and (
            v.field == "response_status" and _DOSE_FOR.search(before[-30:]) or _of_an_earlier_event(text, v)
        ):
            # "(Sep 2021, hepatitis grade 3)", "then 600 for suboptimal response", "dasatinib stopped for intolerance"
            not_values.append(NotValue(v.text, "of an earlier event or another drug", v.field, v.start, v.end))
        elif v.field == "bcr_abl1_is" and v.bound and (not_told := _response_not_told(text, v, before)):
            not_values.append(NotValue(v.text, not_told, v.field, v.start, v.end))
        elif v.bound and _CONDITION_BEFORE.search(before[-20:]):
            not_values.append(NotValue(v.text, "a condition", v.field, v.start, v.end))  # "go to 600 if >1 %"
        elif v.field in _SAMPLED and _MEANT_BEFORE.search(before[-40:]) and _BUT_AFTER.match(text[v.end :]):
            not_values.append(NotValue(v.text, "what was meant, then not done", v.field, v.start, v.end))
        elif _HYPOTHETICAL.search(sentence) and not _NOW.search(sentence):
            not_values.append(NotValue(v.text, "hypothetical", v.field, v.start, v.end))
        elif (
            not _just_before_the_reduction(text, v, found)
            and (
                (
                    _STRONG_PAST.search(_without_a_bracket_of_the_past(before)[-22:] + " " + _words_after(v, after))
                    or _WENT_FROM.search(before)  # "went from 5 % to 0.5 %": the first is past, not the one it went to
                    or v.field in _MEASURED_NOW
                    and _opened_by_the_past(before)
                )
                and not _NOW.search(before[-30:] + " " + after[:20])
            )
        ):
            not_values.append(NotValue(v.text, "a past value", v.field, v.start, v.end))
        else:
            current.append(v)
    now = [v.value for v in current if v.field == "dose_mg" and isinstance(v.value, int)]
    for v in back:
        if now and isinstance(v.value, int) and all(d > v.value for d in now):
            # "on 600 (escalated for a warning) … back to 400?": a step down proposed, not a reduction undone
            current.remove(v)
            not_values.append(NotValue(v.text, "a proposed dose", "dose_mg", v.start, v.end))
    return _past_beside_current(text, current, not_values), not_values, proposal


def _words_after(v: Value, after: str) -> str:
    """The words right after a value up to a comma or a bracket, past the scale a level was written on ("54 % IS
    at diagnosis"; a phase "at diagnosis" is the phase)."""
    if v.field == "bcr_abl1_is":
        after = re.sub(r"^\s*(?:\(IS\)|IS\b)", "", after)
        # (up to a comparison or another number: not "0.12 % vs baseline 62 %")
        return re.split(r"[,;(\d]|\bvs\b|\bversus\b|\bcompared\b|\band\b", after[:16])[0]
    return re.split(r"[,;(]", after[:12])[0]


def _past_beside_current(text: str, values: List[Value], not_values: List[NotValue]) -> List[Value]:
    """Of several values of a field, the past ones are not the current value ("was 0.5 % last year, now
    0.02 %"); the current one is the one named now, else the last written."""
    out: List[Value] = []
    by_field = {}
    for v in values:
        by_field.setdefault(v.field, []).append(v)
    for field, vs in by_field.items():
        if len({repr(v.value) for v in vs}) == 1:
            kept = vs[-1]  # the same value said twice: the last words, with what the others add ("600mg od")
            for v in vs[:-1]:
                kept.related = {**v.related, **kept.related}
            out.append(kept)
            continue
        lists = all(isinstance(v.value, list) and v.value for v in vs)
        joined = all(_MUTATIONS_JOINED.match(text[a.end : b.start]) for a, b in zip(vs, vs[1:], strict=False))
        if field == "mutations" and lists and joined and not any(_is_past(text, v) for v in vs):
            # "E255K found, plus M351T at low level": one list, each mutation once, in the order written
            merged = list(dict.fromkeys(m for v in vs for m in v.value))
            out.append(Value(field, merged, " + ".join(v.text for v in vs), vs[0].start, vs[-1].end))
            continue
        worst = _worst_current_grade(text, vs) if field == "ae_grade" else None
        if worst is not None:
            out.append(worst)
            not_values += [
                NotValue(v.text, "a milder adverse event: the worst current grade counts", field, v.start, v.end)
                for v in vs
                if v is not worst
            ]
            continue
        latest = _named_now(text, vs)
        past = _the_past(text, field, vs, latest)
        now = [v for v in vs if v not in past]
        if field == "bcr_abl1_is" and len(now) > 1 and _a_run_of_results(text, now):
            past += now[:-1]  # "last 3 PCRs 0.45 %, 0.52 %, 0.61 %": written in the order they came, the last is now
            now = now[-1:]

        if past and len({repr(v.value) for v in now}) == 1 and len(now) > 1:
            for v in now[:-1]:
                now[-1].related = {**v.related, **now[-1].related}
            now = now[-1:]
        if past and len(now) == 1:
            out.append(now[0])
            numbered = now[0].bound is None and all(v.bound for v in past) and len(latest) != 1
            why = "a category; the number given is the level" if numbered else "a past value"
            not_values += [NotValue(v.text, why, field, v.start, v.end) for v in past]
        else:
            out += vs  # the reader asks which one
    return sorted(out, key=lambda v: v.start)


# a change told, just before the dose it went to: "escalated to 600", "went up to 600 in March", "was cut back to 300"
_CHANGED_TO_BEFORE = re.compile(
    r"\b(?:escalated|increased|reduced|decreased|de-?escalated|went (?:up|down|back)|came (?:down|up)|dropped|cut|"
    r"halved|lowered|raised|upped|bumped up|stepped (?:up|down)|changed|moved|titrated)\s+"
    r"(?:(?:her|him|them|it|the dose|dose|imatinib|im|back|up|down)\s+){0,2}(?:to|onto)\s+(?:imatinib\s+|im\s+)?$",
    re.I,
)


# "back to 600 in 2019 where he's stayed ever since", "400, and has remained on it": the value now
_STAYED_AFTER = re.compile(
    r"^[^.;?\d]{0,25}?\b(?:ever since|where (?:he|she|they)(?:'s| has| have| is| are)? (?:stayed|remained|been|kept)|"
    r"(?:and|which) (?:he |she |they )?(?:has |have |is |are )?(?:stayed|remained|continued) (?:on|at|there)|"
    r"to this day)\b",
    re.I,
)
_CHANGED_AGAIN = re.compile(
    r"\b(?:reduced|cut|dropped|lowered|halved|increased|escalated|raised|went|came|changed|switched|stopped|held)\b"
    r"(?:\s+\w+)?\s+(?:back|down|up|again|off)\b",
    re.I,
)


def _told_change_to(text: str, v: Value) -> bool:
    """``v`` is the dose a change told went to ("escalated to 600 last month"), not one asked about or wanted."""
    lo = max(0, v.start - 40)
    m = _CHANGED_TO_BEFORE.search(text[lo : v.start])
    return m is not None and told(text, lo + m.start()) and "?" not in _sentence_of(text, v)


def _sentence_of(text: str, v: Value) -> str:
    lo = max((m.end() for m in re.finditer(r"[.;!?\n]", text[: v.start])), default=0)
    hi = re.search(r"[.;!?\n]", text[v.end :])
    return text[lo : v.end + (hi.end() if hi else len(text) - v.end)]


_A_DOSE = re.compile(r"(?<![\d.,])[1-8]00(?!\d|[.,]\d|\s*(?:ng|%|nmol|[uµ]mol|[uµ]g|mcg))", re.I)


def _latest_before(before: str) -> bool:
    """A word of the newest in the words before a value, not one that dates the value before it ("PCR 0.5 %
    yesterday and 0.3 % in March": "yesterday" is the 0.5 %'s)."""
    m = _LATEST.search(before)
    return m is not None and not re.search(r"(?:\d\s*%?|%)\s*(?:\(\s*)?$", before[: m.start()])


def _named_now(text: str, vs: List[Value]) -> List[Value]:
    """The values of a field said to be now ("now 0.02 %", "latest 0.1 %", "on 200 for 9 mo now")."""
    return [
        v
        for v in vs
        if _latest_before(_clause(text, v.start, v.end)[0][-30:])
        or _LATEST_BEFORE.search(text[max(0, v.start - 16) : v.start])
        or _LATEST_AFTER.match(text[v.end : v.end + 14])
        or _FOR_NOW_AFTER.match(text[v.end : v.end + 30])
        or _STAYED_AFTER.match(text[v.end : v.end + 45])
    ]


def _the_past(text: str, field: str, vs: List[Value], latest: List[Value]) -> List[Value]:
    """Which of several values of a field are past, given those said to be now."""
    explicit = [v for v in vs if v.bound is None]
    ago = [_days_ago(text, v) for v in vs]
    if field == "bcr_abl1_is" and None not in ago and ago.count(min(ago)) == 1:
        return [v for v, d in zip(vs, ago, strict=True) if d != min(ago)]  # "0.09 % last month, 0.11 % 3 mo ago"
    if len({repr(v.value) for v in latest}) == 1:  # "then to 200 … on 200 for 9 mo now": one value named now
        return [v for v in vs if repr(v.value) != repr(latest[0].value)]
    targets = [v for v in vs if field == "dose_mg" and _told_change_to(text, v)]
    # (no dose told after it, and no change after it without a number: "… then reduced back because of a rash")
    after = text[targets[-1].end :] if targets else ""
    if targets and not latest and not _A_DOSE.search(after) and not _CHANGED_AGAIN.search(after):
        # "IM 400 for 3 yrs, escalated to 600 last month": the dose a change told went to is the dose now
        return [v for v in vs if repr(v.value) != repr(targets[-1].value)]
    if field == "bcr_abl1_is" and len({repr(v.value) for v in latest if v.bound is None}) == 1:
        # "now in MR4 or better … the PCR from last week was 0.004 %": the number said newest is the level
        number = next(v for v in latest if v.bound is None)
        return [v for v in vs if repr(v.value) != repr(number.value)]
    if field == "bcr_abl1_is" and _a_run_of_results(text, vs):
        return vs[:-1]  # "MMR held: 0.03 %, 0.04 %, 0.03 %": a run, the last is now (a value may come twice)
    if field == "bcr_abl1_is" and len(explicit) == 1 and all(_within(b, explicit[0]) for b in vs if b.bound):
        return [v for v in vs if v is not explicit[0]]  # "MMR, 0.04 %": the number wins (spec section 5)
    return [v for v in vs if _is_past(text, v)]


_RUN_SEP = r"(?:,|;|,?\s*(?:and|then|and then))\s*"
_RUN_GAP = re.compile(  # commas, and maybe levels written without their unit between ("0.02, 0.015, 0.018 %")
    rf"^\s*(?:%\s*)?(?:IS\s*)?(?:{_RUN_SEP}[0-9]+(?:[.,][0-9]+)?\s*(?:%\s*)?)*{_RUN_SEP}$", re.I
)
_RESULTS_BEFORE = re.compile(
    r"\b(?:pcrs|results|levels|values|tests|serial\w*|trend\w*|rising|falling|climbing|creeping|increasing|"
    r"decreasing|last (?:\d|two|three|four|few)|sequential\w*|consecutive)\b",
    re.I,
)


def _a_run_of_results(text: str, values: List[Value]) -> bool:
    """Levels listed one after the other with nothing but commas between them ("0.45 %, 0.52 %, 0.61 %"): a
    trend told in the order it came, when there are three or more, or the words before name several results."""
    gaps = [text[a.end : b.start] for a, b in zip(values, values[1:], strict=False)]
    if any(v.bound for v in values) or not all(_RUN_GAP.match(g) for g in gaps):
        return False
    written = len(values) + sum(len(re.findall(r"[0-9]+(?:[.,][0-9]+)?", g)) for g in gaps)
    return written >= 3 or bool(_RESULTS_BEFORE.search(text[max(0, values[0].start - 40) : values[0].start]))


_AGO_AFTER = re.compile(
    r"^\s*%?\s*(?:IS\s*)?\(?\s*(?:(?P<n>[0-9]+(?:[.,][0-9]+)?|a|an|one|two|three|four|five|six)\s*"
    r"(?P<u>d|days?|w|wks?|weeks?|m|mo|mos|mths?|months?|y|yrs?|years?)\s+ago|last\s+(?P<last>week|month|year)|"
    r"(?P<now>today|this week|this month|yesterday))\b",
    re.I,
)
_WORD_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_UNIT_DAYS = {"d": 1, "w": 7, "m": 30.44, "y": 365.25}


def _days_ago(text: str, v: Value) -> Optional[float]:
    """How long ago a level was taken, when the words right after it say so ("0.11 % 3 mo ago", "0.09 % last
    month"); None otherwise."""
    m = _AGO_AFTER.match(text[v.end : v.end + 30])
    if not m:
        return None
    if m.group("now"):
        return 1.0 if m.group("now").lower() == "yesterday" else 0.0
    if m.group("last"):
        return _UNIT_DAYS[m.group("last")[0].lower()]
    n = m.group("n").lower()
    return float(_WORD_NUMBERS.get(n) or n.replace(",", ".")) * _UNIT_DAYS[m.group("u")[0].lower()]


# words that tie an adverse event's grade to a time or a change ("gr 3 last spring, now gr 1", "gr 2 on the 400")
_GRADE_IN_TIME = re.compile(
    r"\b(?:now|then|was|were|had|has been|resolved|settled|improved|better|worse|ago|last|earlier|previous\w*|"
    r"prior|before|since|peaked|initially|until|new|currently|history|hx|on (?:the )?[1-8]00)(?=mg\b|\b)"
    r"|\b(?:to|from)\s+(?:gr|grade|g)\b|\bgone\b|\b(?:month|mo|week|wk|day|year|yr)\s*\d|\baround\b|\bin (?:19|20)\d\d",
    re.I,
)


def _worst_current_grade(text: str, grades: List[Value]) -> Optional[Value]:
    """Grades of several adverse events, none tied to a time or a change ("grade 2 oedema, grade 1 cramps"): the
    worst is the current grade (spec: ``ae_grade`` is the worst current adverse event). None when any is tied
    to a time: the reader asks."""
    for v in grades:
        before = re.split(r"[.;!?\n]", text[max(0, v.start - 25) : v.start])[-1]
        after = re.split(r"[.;!?\n]", text[v.end : v.end + 25])[0]
        if _GRADE_IN_TIME.search(before + " " + after) or not isinstance(v.value, int):
            return None
    return max(grades, key=lambda v: v.value)


def _within(bound: Value, v: Value) -> bool:
    ops = {"<": v.value < bound.value, "<=": v.value <= bound.value, ">": v.value > bound.value}
    return ops.get(bound.bound, v.value >= bound.value)


# mutations written apart, joined by words that add one to the other ("E255K found, plus M351T"); not "T315A, not
# T315I", "F317L, I typed F359L by mistake"
_MUTATIONS_JOINED = re.compile(
    r"^(?:[\s,;:+&]|found|detected|present|seen|identified|also|plus|and|with|as well as|additionally|"
    r"(?:at )?(?:a )?low[- ]level|\((?:vaf|allele (?:burden|frequency)|af)?\s*[:=]?\s*~?\d+(?:[.,]\d+)?\s*%\))*$",
    re.I,
)


def _is_past(text: str, v: Value) -> bool:
    before, after, _ = _clause(text, v.start, v.end)
    near = before[-30:] + " " + after.split("(")[0][:30]  # "300 (was on 400 before)": the bracket's words are its own
    # (a "now" of the phrase before a comma is that phrase's: "not detected this month, was MR4 before")
    own = re.split(r"[,;]", before)[-1][-30:] + " " + re.split(r"[,;(]", after)[0][:30]
    return bool(_PAST.search(near)) and not _NOW.search(own)

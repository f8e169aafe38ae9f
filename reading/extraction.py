"""Find the clinical values in a free-text chat message and label them with their field.

``extract(text)`` returns the spans of clinical values, in order of appearance and never
overlapping, each as ``{"entity", "value", "start", "end", "text"}`` with
``text == message[start:end]``. For a field label the ``value`` is a string that
``knowledge.normalize.normalize(label, value)`` reads (the one deliberate exception: a
BCR-ABL1 *ratio* is passed on as ``"ratio 0.0008"`` so that the normaliser asks for a
percentage). Two labels are not fields and are left to the dialogue: ``percent`` (a bare
percentage without a cue) and ``duration`` (a duration without a cue).

How it works: a blank spaCy English tokenizer (no trained model) and a ``Matcher`` loaded
from the shipped pattern file ``reading/patterns/clinical_patterns.jsonl`` (spaCy EntityRuler
format: ``label``, ``id``, token ``pattern``) find keyword entities (phase, goal, booleans,
...) and context cues (``CUE_*`` labels, never emitted: "BCR-ABL", "adherence", "after the
dose", ...). Numbers with units are found with regular expressions; each number is labelled
by the nearest cue in its clause. On overlap the longer span wins, then the more specific
label. Pure Python; no Rasa import. ``extract`` never raises; it reads only the first
``MAX_CHARS`` characters of a message.

Terse clinical writing is read by general rules, never guessed: a result's time point is the time on
imatinib ("the 6-month PCR is 9 %", "0.7 % at 18 months"; of several, the latest, with its level); clinic
notation 6/12, 3/52, 5/7 only with a cue (never a date or a fraction); a dose without "mg" only as a whole
hundred with a schedule or a dose context ("IM 600", "on 400 bd", "increased to 600"); a dose change
("from 400 to 200", "600->400", "back to 400") gives the standard dose only for a reduction; of a series
of levels ("0.02 -> 0.3", "0.15 % then 0.2 %") only the latest; a range ("80-90 %") is no value; a negated
keyword ("not planning to stop", "no evidence of AP") is no value; of several grades or phases, one named
as past is left out.
"""

from __future__ import annotations

import bisect
import json
import logging
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from knowledge import thresholds as T
from knowledge.normalize import (
    CLINIC_NOTATION,
    CLINIC_RE,
    DAY_BEFORE_MONTH,
    MONTHS,
    ONCE_DAILY,
    PER_DAY,
    TROUGH_UNITS,
    TWICE_DAILY,
    NormalizationError,
    clinic_duration,
    missed_count_first_pattern,
    missed_doses_pattern,
    normalize,
    trough_unit,
)
from reading.answers import (
    BOUND_BEFORE,
    CLAUSE_READ,
    INCREASE_WORDS,
    REDUCE_WORDS,
    SIDE_EFFECT_WORDS,
    answer,
    expression_refusal,
)
from reading.doses import (
    CHANGE_AT_BEFORE,
    DOSE_NAMED,
    IMATINIB,
    MEDICINE_BY_ENDING,
    OTHER_TKI,
    REASON_OF_CHANGE,
    chain_reduction,
    dose_chains,
)
from reading.series import MOLECULAR_WORDS

logger = logging.getLogger(__name__)

MAX_CHARS = 2000
PATTERNS_FILE = Path(__file__).resolve().parent / "patterns" / "clinical_patterns.jsonl"

FIELD_LABELS = (
    "bcr_abl1_is",
    "adherence_pct",
    "trough_ng_ml",
    "dose_mg",
    "standard_dose_mg",
    "mmr_months",
    "dmr_months",
    "hours_since_dose",
    "days_at_current_dose",
    "months_on_tki",
    "mutations",
    "ae_grade",
    "goal",
    "phase",
    "dosing",
    "drug_interaction_concern",
    "prior_tki_failure",
    "ddpcr_mr45",
    "response_confirmed",
    "on_reduced_dose",
    "response_status",
)
GENERIC_LABELS = ("percent", "duration")
LABELS = FIELD_LABELS + GENERIC_LABELS

_BLOCK = ""  # label of a span that is claimed but not emitted

# rank used to break ties between overlapping spans of equal length (lower wins)
_RANK_NUMERIC, _RANK_KEYWORD, _RANK_GENERIC = 0, 1, 2

# ---------------------------------------------------------------------------------------------
# regular expressions for numbers with units

_N = r"(?:[0-9]+(?:[.,][0-9]+)?(?:[eE][-+]?[0-9]+)?|[.,][0-9]+)"  # a plain number
_NT = r"(?:[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:[.,][0-9]+)?)"  # with thousands commas
_END_NUM = r"(?![0-9]|[.,][0-9])"
_CMP = r"(?:(?:<=?|\u2264|(?<![\w])(?:less than|lower than|below|under))\s*)"
# a number not followed by any unit (used for unit-less values after a cue)
_NO_UNIT = (
    r"(?!\s*(?:%|[\u00b5\u03bc]|per\s*cent|pct\b|x\s*10|(?:ng|mg|ug|mcg|g|nmol|umol|micromol\w*|nanomol\w*|nanograms?|micrograms?|nm|um|"
    r"h|hr|hrs|hours?|d(?!/)|days?|w(?!/)|wks?|weeks?|m|mo|mos|mths?|months?|y|yrs?|years?|x|logs?|monthly|"
    r"weekly|daily|times)\b|-\s*(?:monthly|weekly|daily|yearly|hourly|months?|weeks?|days?|years?|mo|wks?|hrs?|h)\b))"
)  # nor a frequency or a time joined by a hyphen: "3-monthly", "6-month", "24-h"

_PCT_RE = re.compile(rf"(?P<cmp>{_CMP})?(?<![\w.,^])(?P<num>{_N}){_END_NUM}\s*(?:%|per\s?cent\b|pct\b)", re.I)
_LOG_RE = re.compile(
    rf"(?<![\w.,^])(?P<num>{_N}){_END_NUM}\s*-?\s*logs?(?:10)?\b(?:\s*-?\s*(?:reduction|drop)\b)?", re.I
)
_RATIO_RE = re.compile(
    rf"(?<!possession )\bratio\s*(?:(?:of|is|was|=|:|at|~)\s*)*(?P<num>{_N}){_END_NUM}(?!\s*%|\s*/\s*[0-9])", re.I
)

# units and schedules are the normaliser's (knowledge/normalize.py): one grammar for values
_TROUGH_UNIT = (
    "(?P<unit>" + "|".join(pattern for pattern, _, _ in TROUGH_UNITS) + "|(?-i:[\u00b5\u03bcu]M|nM))"
)  # bare molar units only with their case ("um" is a word)
_TROUGH_RE = re.compile(rf"(?<![\w.,^])(?P<num>{_NT}){_END_NUM}\s*{_TROUGH_UNIT}(?![\w/])", re.I)
_TROUGH_TAIL = re.compile(
    rf"\s*(?:(?:levels?|concentration|conc\.?|value|result|of|is|was|were|=|:|-|at|~|about|"
    rf"approx\.?|approximately|around|measured|came back|returned|now)\s*)*(?P<num>{_NT}){_END_NUM}{_NO_UNIT}",
    re.I,
)

_BCR_TAIL = re.compile(
    rf"\s*(?:(?:\(IS\)|on the IS|IS|levels?|transcripts?|result|was|of|now|=|:|-|~|about|"
    rf"approx\.?|approximately|around|currently|most recently|latest|recently)\s*)*"
    rf"(?P<cmp>{_CMP})?(?P<num>{_N}){_END_NUM}{_NO_UNIT}(?!\s*[\w\u00b5\u03bc]*\s*/)",
    re.I,
)
_ADH_TAIL = re.compile(
    rf"\s*(?:(?:is|was|of|about|approx\.?|approximately|around|~|=|:|-|estimated|roughly|rate|now|"
    rf"(?:by|per|on|from)\s+(?:(?:the\s+)?pharmacy\s+)?(?:pill\s+counts?|mems|refills?|pharmacy|blister\s+counts?))\s*)*"
    rf"(?P<num>{_N}(?:\s*(?:/|out of)\s*{_N})?){_END_NUM}{_NO_UNIT}(?!\s*/)"
    r"(?!\s*(?:missed|doses?|tablets?|pills?|days?)\b)",  # "adherence: 6 missed doses": a count, no percentage
    re.I,
)

_X2_WORD = r"x ?2"  # the normaliser's word of a twice-daily schedule
_X2 = _X2_WORD + r"(?![.,]\d)"  # "400 mg x2" is twice daily, "x 2 years" and "x 2.5 yrs" are not
_BID = (
    "|".join(w + r"\b" for w in TWICE_DAILY if w != _X2_WORD)
    + rf"|{_X2}\b(?!\s*(?:yrs?|years?|mos?|months?|wks?|weeks?|days?|d|y|m|h|hrs?|hours?)\b|\s*/\s*(?:12|52|7)\b)"
)
_OD = "|".join(w + r"\b" for w in ONCE_DAILY + PER_DAY)
_DOSE_RE = re.compile(
    rf"(?<![\w.,^])(?P<num>[0-9]+(?:\.[0-9]+)?){_END_NUM}\s*(?:mg|milligrams?)(?![\w])"
    rf"(?!\s*/\s*(?:l|dl|ml|kg|m2|m\u00b2)\b)(?P<sched>\s*(?:{_BID}|{_OD})(?:\s*(?:{_BID}|{_OD}))?)?",
    re.I,
)
_DOSE_MULT_RE = re.compile(  # "2 x 400 mg", "4 x 100 mg" (tablets: the normaliser says which)
    rf"(?<![\w.,^])(?:[1-8]|one|two|three|four|five|six|seven|eight)\s*[x\u00d7*]\s*(?P<num>[0-9]+(?:\.[0-9]+)?)"
    rf"{_END_NUM}\s*(?:mg|milligrams?)(?![\w])"
    rf"(?!\s*/\s*(?:l|dl|ml|kg)\b)(?P<sched>\s*(?:{_BID}|{_OD}))?",
    re.I,
)

# the tablet count after the strength: "imatinib 100mg x 3 daily", "100 mg tabs x 4 once daily" (a 100 mg tablet;
# "400 mg x2" is the twice-daily schedule, "x 3 months" a time)
_TABLETS_AFTER_RE = re.compile(
    rf"(?<![\w.,^])100\s*(?:mg|milligrams?)\s*(?:tabs?|tablets?)?\s*[x\u00d7*]\s*(?P<count>[2-8]){_END_NUM}"
    rf"(?!\s*(?:/|years?|yrs?|y|months?|mos?|mths?|m|weeks?|wks?|w|days?|d|hours?|hrs?|h)\b)"
    rf"(?P<sched>\s*(?:{_OD}))?",
    re.I,
)
_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
_TABLETS_BEFORE_RE = re.compile(
    r"(?<![\w.,])(?P<count>[2-8]|two|three|four|five|six|seven|eight)\s+(?:(?:tablets?|tabs?|capsules?|caps)"
    r"\s+of\s+(?:the\s+)?(?P<num>[1-4]00)\s*(?:mg|milligrams?)|(?:of\s+the\s+)?(?P<num2>[1-4]00)\s*(?:mg|milligrams?)"
    r"\s+(?:tablets?|tabs?|capsules?|caps))(?:\s+each)?"
    rf"(?P<sched>\s*(?:{_BID}|{_OD}|twice a day|twice daily|once a day|once daily|daily|a day))?",
    re.I,
)
_WORDNUM = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty-four|twenty|thirty"
_UNIT_FULL = r"(?:hours?|days?|weeks?|fortnights?|months?|years?)"
_UNIT_ABBR = r"(?:hrs?|h|d(?!/)|wks?|w(?!/)|mos?|mths?|mth|m|yrs?|y)"  # "w/" is with, "d/c" discontinue
_DIG = r"[0-9]+(?:[.,][0-9]+)?"
_DUR_PART = (
    rf"(?:(?:(?<=(?<![a-z])x)|(?<=\u00d7)|(?<![\w.^])(?<!\d,)(?![1-8]00,\d)|(?<=\b[1-8]00,)){_DIG}{_END_NUM}\s*(?:-\s*)?(?:{_UNIT_FULL}|{_UNIT_ABBR})"
    rf"|(?<![\w])(?:{_WORDNUM})(?:\s+|-)(?:{_UNIT_FULL}|yrs?|mos?|wks?|hrs?)"
    rf"|(?<![\w])(?P<art>an?)\s+(?:hour|day|week|fortnight|month|year))(?![\w])(?:\s+and\s+a\s+half\b)?"
)
_DUR_RE = re.compile(
    rf"(?:(?<![\w.,^])(?:{_DIG}|one|two|three|four|five|six)\s+and\s+a\s+half\s+(?:{_UNIT_FULL}|yrs?)(?![\w])"
    rf"|(?<![\w])half\s+a\s+year\b"
    rf"|{_DUR_PART}(?:\s+and\s+{_DUR_PART.replace('(?P<art>', '(?:')})?)",
    re.I,
)
_UNIT_WORD_RE = re.compile(
    r"(?<![a-z])(hours?|hrs?|h|days?|d|weeks?|wks?|w|fortnights?|months?|mos?|mths?|mth|m|"
    r"years?|yrs?|y)\b",
    re.I,
)
_ARTICLE_BLOCK = re.compile(
    r"(?:\b(?:doses?|tablets?|pills?|capsules?|times|twice|once|thrice|mg|per|every|"
    r"each|x)|[0-9%]|\b[0-9]+\s*(?:[a-z]+\s+)?[a-z]+s)\s*$",  # "3 episodes a day", "6 loose stools a day": a rate
    re.I,
)
_RATE_AFTER = re.compile(r"\s*(?:(?:a|an|per|/|each|every)\s*(?:day|week|wk|month|year|fortnight)\b|out\s+of\b)", re.I)
_AGE_SEX = re.compile(r"[0-9]{2}\s?(?-i:[MF])$", re.I)
# "one day" is a duration after words that measure time ("for one day", "only one day on it"), else "some day"
_ONE_DAY_MEASURED = re.compile(
    r"\b(?:for|after|within|only|just|been|than|over|in|about|approx\w*|x|held|missed|stopped|off|of)\s*$|[~\u00d7]\s*$",
    re.I,
)
# (a slash with a space before it separates list items: "780 ng/ml / 24h post / 600 mg od")
_DUR_BLOCK_BEFORE = re.compile(  # ("IM400 od/ 26m/ 0.07%": a slash and a space after a value's word separate)
    r"(?:\b(?:every|each|per|q)\s*|(?<!\s)/|(?<!\s)(?<!\bod)(?<!\bbd)(?<!\bdaily)(?<!%)/\s+)$", re.I
)

# the normaliser's grammar: "misses 2 doses a week", "6 missed doses last month"
_MISS_RE = re.compile(rf"(?<![\w]){missed_doses_pattern(_N)}", re.I)
_MISS_COUNT_FIRST_RE = re.compile(rf"(?<![\w.,]){missed_count_first_pattern(_N)}", re.I)

_AA3 = "ala|arg|asn|asp|cys|gln|glu|gly|his|ile|leu|lys|met|phe|pro|ser|thr|trp|tyr|val"
_AA1 = "[ACDEFGHIKLMNPQRSTVWYacdefghiklmnpqrstvwy]"
_MUT = rf"(?<![\w.])(?:p\.\s?)?(?:(?:{_AA3})[0-9]{{1,4}}(?:{_AA3})|{_AA1}[0-9]{{3}}{_AA1})(?![\w])"
_MUT_SEP = r"(?:\s*(?:,\s*and\b|,|;|/|\+|&|\band\b)\s*|\s+)"
_MUT_LIST_RE = re.compile(rf"{_MUT}(?:{_MUT_SEP}{_MUT})*", re.I)
_MUT_ONE_RE = re.compile(rf"(?:p\.\s?)?(?P<ref>{_AA3}|{_AA1})[0-9]+(?P<new>{_AA3}|{_AA1})$", re.I)
_MUT_NEG_BEFORE = re.compile(  # "no T315I", "not a T315I"; not "no T315I but E255V" (the "but" ends it)
    r"\b(?:no|without|negative for|absence of|excluded|not)\s+(?:(?!(?:but|however|though|yet|instead)\b)\w+\s+){0,2}$",
    re.I,
)
# a test for it, not a finding: "screened for T315I", "tested for T315I", "looking for T315I", "to rule out T315I"
# (unless its result follows: "tested for T315I - positive")
_MUT_TESTED_FOR = re.compile(
    r"\b(?:test(?:ed|ing)?|screen(?:ed|ing)?|look(?:ed|ing)?|check(?:ed|ing)?|search(?:ed|ing)?|sen[dt]|assess(?:ed|ing)?|"
    r"probe[ds]?|specifically) for\s+(?:a\s+|an\s+|the\s+|any\s+)?$|\b(?:rule|ruled|ruling) out\s+(?:a\s+|an\s+)?$|"
    r"\bto exclude\s+(?:a\s+|an\s+)?$",
    re.I,
)
_MUT_POSITIVE_AFTER = re.compile(
    r"(?:(?!\b(?:not|no|n't|never|negative)\b)[^.;\n]){0,20}?\b(?:positive|pos|detected|found|present|confirmed)\b"
    r"(?!\s+for\b)",
    re.I,
)
_MUT_NEG_AFTER = re.compile(
    r"^\s*(?:mutation\s+)?(?:-?\s*negative|not detected|not found|absent|-ve\b|wild)"
    # gone or not there: "and it wasn't there", "cleared on the latest screen", "(excluded)", "ruled out"
    r"|^\W{0,3}(?:(?:and\s+)?(?:it\s+|that\s+)?(?:was|is|were|are)\s*(?:n'?t|not)\s+(?:there|present|seen|found|detected)|"
    r"(?:and\s+)?(?:it\s+|that\s+)?(?:wasn'?t|isn'?t|weren'?t) (?:there|present|seen|found|detected)|"
    r"(?:has\s+|have\s+|was\s+|were\s+)?(?:cleared|gone(?!\s+(?:up|down|from|to))|disappeared)\b|"
    r"no longer (?:detected|seen|present|there)|"
    r"(?:were\s+|was\s+|both\s+)?(?:excluded|ruled out))",
    re.I,
)

_AE_RE = re.compile(
    r"(?<![\w])(?:(?:ctcae\s*(?:v(?:ersion)?\s*[0-9](?:\.[0-9])?\s*)?)?(?:grade|gr\.?)|"
    r"ctcae\s*(?:v(?:ersion)?\s*[0-9](?:\.[0-9])?\s*)?)\s*"
    r"(?P<g>[0-4]|iv|iii|ii|(?-i:I)|zero|one|two|three|four)(?![\w]|\.[0-9])|(?<![\w])g(?P<g2>[0-4])(?![\w])",
    re.I,
)
_AE_WORDS = {"zero": "0", "one": "1", "two": "2", "three": "3", "four": "4"}

# clause / sentence boundaries: ; newline ! ? , (not a thousands or decimal comma), ". ",
# and the conjunctions "and", "but", "while", "whereas" between words
_CLAUSE_RE = re.compile(r"[;\n!?|]|(?<![0-9]),|,(?![0-9])|\.(?=\s|$)|\s(?:and|but|while|whereas|although)\s", re.I)
_SENTENCE_RE = re.compile(r"[!?\n|]|\.(?=\s|$)")
_DEFINITIONAL = re.compile(
    r"^\W*(?:what|whats|which|why|how|when|define|explain|describe|meaning|definition|"
    r"tell me about|can you explain|could you explain|info on|information on)\b",
    re.I,
)
_PATIENT_REF = re.compile(
    r"\b(?:patient|pt|he|she|his|her|him|they|their|them|my|our|this (?:man|woman|lady|"
    r"gentleman|case))\b",
    re.I,
)
_TIMEPOINT_BEFORE = re.compile(r"\b(?:at|by|within|after|before|until|around)\s*(?:about\s+|approximately\s+)?$", re.I)
_FOLLOW_GAP = re.compile(r"^\s*(?:\(\s*)?(?:(?:of|on|in|with|under|into)\s+)?(?:(?:the|his|her|their|this)\s+)?$", re.I)
_DOSE_FOR_GAP = re.compile(
    rf"^\s*(?:{_OD}|{_BID})?\s*(?:of\s+imatinib\s*)?\(?\s*(?:for|x|over|since)\s+(?:(?:about|approximately|approx\.?|around|"
    rf"almost|nearly|over|more than|the\s+(?:last|past))\s+)*$",
    re.I,
)

_PCT_FOLLOW_GAP = re.compile(
    r"^\s*\(?\s*(?:(?:on|in)\s+(?:the|her|his|their)\s+)?(?:(?:latest|last|most\s+recent|recent|repeat|current|new)\s+)?$",
    re.I,
)
_BCR_TAIL_CUE = re.compile(r"bcr|abl|transcript|pcr", re.I)
_ADH_TAIL_CUE = re.compile(r"(?:non-?)?(?:adh[ae]?r[ae]n|adh\b|compl[iy][ae]n|complain|complia)", re.I)  # typos, "adh"

_STATE_BEFORE = re.compile(
    r"\b(?:in|into|maintained|maintaining|holding|keeps?)\s+(?:a\s+|an\s+|stable\s+|"
    r"sustained\s+|deep\s+|durable\s+)*$",
    re.I,
)
# whose state it is: anyone's ("someone in MMR", "every patient sitting in MMR", "can a pt in MR4 …") is no
# patient's value; this patient's ("pt in MMR", "she is in MR4.5") is the latest level, as a bound
_GENERIC_HOLDER = re.compile(
    r"\b(?:someone|somebody|anyone|anybody|everyone|everybody|people|those|patients|pts|"
    r"(?:a|an|any|every|each|some|all|most)\s+(?:\w+\s+){0,2}?(?:pt|patient|person|one|case))\b[^.;?!]*$",
    re.I,
)
_NOW_STATE = re.compile(r"\b(?:now|currently|still|today|latest|remains?|at present)\b", re.I)
_STATE_AFTER = re.compile(r"\s*(?:pt|pts|patient|patients|lady|man|woman|responder)\b", re.I)
_RESPONSE_NAME = re.compile(r"\b(?:m?mr|mr)\s*[345](?:[.,]5)?\b|\bmmr\b", re.I)
_MR_CUE = {"MMR": "mmr", "MR3": "mmr", "MR4": "dmr", "MR4.5": "dmr", "MR5": "dmr"}
_STD_FOLLOW = {"previously", "before", "initially", "originally"}
_DOSE_NAMED_AFTER = re.compile(r"\s*(?::|was|it was|on|at)?\s*[1-8]00(?![0-9])", re.I)

# --- a dose without "mg" ("IM 600", "on 400 bd"): only whole hundreds from 100 to 800, and only with a
# schedule after it or a dose context before it (the drug's name, "on", a dose change "... to")
_SCHED = rf"(?:{_BID}|{_OD})"
_BARE_DOSE_RE = re.compile(  # (glued to the drug's abbreviation too: "IM400")
    rf"(?:(?<=\bIM)|(?<=\bim)|(?<![\w.,^/]))(?P<num>[1-8]00){_END_NUM}(?!\s*(?:mg|milligrams?)\b)(?P<sched>\s*{_SCHED}(?:\s*{_SCHED})?)?",
    re.I,
)
_BARE_AFTER_BLOCK = re.compile(
    # ("600 - 1890 µg/L": a spaced dash before a level with its unit is a separator, not a range of doses)
    rf"{_NO_UNIT}(?!\s*(?:/|-(?!\s+[0-9][0-9.,]*\s*(?:ng|µg|ug|mcg|mg/l|nmol|umol|µmol|%))\s*[0-9]|(?:patients?|people|cases|cells|copies|units?|iu|k|plts?|platelets|wbc|"
    rf"nmol|umol|mcg|ug|ng|nanograms?|micrograms?|micromol\w*|nanomol\w*)\b))",
    re.I,
)
_X_DURATION = re.compile(
    r"\s*[x\u00d7]\s*[0-9]+(?:\.[0-9]+)?\s*(?:yrs?|years?|y|mo|mos|months?|mths?|wks?|weeks?)\b", re.I
)
_BARE_BEFORE_DAY = re.compile(r"\bday\s*[0-9]{1,3}\s+(?:of|on|at)\s+$", re.I)  # "day 21 of 600"
_BARE_DOSE_AFTER = re.compile(r"\s*(?:mg\s*)?(?:dose|dosage)\b", re.I)  # "the 600 dose"
_IM_NAME = r"(?:ima?t[aeiou]?n[aeiou]?[bp]|imitinib|imantinib|glivec|gleevec|imatanib|glivac|(?-i:IM)|(?<=\bon )im)"
_BARE_BEFORE_TKI = re.compile(
    rf"\b{_IM_NAME}\s*(?:(?:dose|dosed|at|of|is|was|now|currently|:|=|-|~|\()\s*)*$|"
    r"(?<![\w'\u2019])(?-i:im|Im)\s*$",  # "im 400", typed in lower case: the drug, right before its dose
    re.I,
)
_BARE_BEFORE_ON = re.compile(
    r"(?:\b(?:on|taking|takes|take|took|receiving)\s+(?:a\s+dose\s+of\s+|(?:his|her|their)\s+(?:usual\s+)?)?|"
    r"\b(?:(?:current|daily|present|new)\s+)?dose\s*(?:(?:is|of|=|:|now|currently|actually|really|in fact)\s*)*)$",
    re.I,
)
_CHANGE_VERB = (
    r"(?:up|increased?|increasing|reduced?|reducing|reduction|decreased?|decreasing|escalated?|escalating|escalation|"
    r"switch(?:ed|ing)?|changed?|changing|dropped|dropping|drop|cut|cutting|lowered|lowering|went|go|going|"
    r"titrated|de-?escalated?|de-?escalation|halved|halving|halve|upped|down)"
)
_BARE_BEFORE_CUR = re.compile(
    rf"(?:\b{_CHANGE_VERB}\s+(?:(?:him|her|them|it|the dose|dose|back down|im|imatinib|the imatinib)\s+)?to|"
    rf"\b(?:now|currently|presently)(?:\s+(?:on|at|taking))?|\bnew dose(?:\s+(?:is|of))?|"
    rf"\b(?:re-?started|resumed)\s+(?:(?:him|her|them|it|im|imatinib)\s+)?(?:at|on))\s*:?\s*$",
    re.I,
)
# the next step of a history after a dose: "reduced to 400 in 2020, then 200 since June", "400, then to 300"
_BARE_AFTER_A_DOSE_THEN = re.compile(
    r"(?<![\d.,])[1-8]00(?!\d)[^.;?\n]{0,40}?\bthen\s+(?:(?:down|up|back)\s+)?(?:to\s+|on\s+)?$", re.I
)
_HELD_SINCE_AFTER = re.compile(r"\s*(?:mg\s*)?(?:od|bd|daily)?\s*(?:since|now|currently|ever since|to date)\b", re.I)
# "back to 400", "return to 400 mg", "re-escalate to 400": the dose before the reduction
_BACK_TO_STD = re.compile(
    r"\b(?:back|return(?:s|ed|ing)?|re-?escalat(?:e|ed|ing|ion)|restor(?:e|ed|ing)|resum(?:e|ed|ing))\s+"
    r"(?:up\s+)?(?:to\s+)?(?:the\s+)?(?:(?:full|standard|original|previous|usual|old)\s+)?"
    r"(?:dose\s+(?:of\s+)?)?$",
    re.I,
)
# "400 before we halved it", "400 before the reduction": the dose before the reduction
_STD_BEFORE_REDUCTION = re.compile(
    r"\s*(?:mg\s*)?before\s+(?:(?:we|i|they|you|he|she|it\s+was|the\s+dose\s+was)\s+)?"
    r"(?:halved|reduced|cut|dropped|lowered|decreased|de-?escalated|(?:the|a)\s+(?:dose\s+)?"
    r"(?:reduction|de-?escalation|cut|decrease|halving))\b",
    re.I,
)
# a dose named as the earlier one: "(was 400 mg)", "was 400, now 300", "previously on 600"
_PREV_BEFORE = re.compile(
    r"\b(?:was|were|previously|formerly|initially|originally|before|prior)\s+(?:on\s+|taking\s+|at\s+)?"
    r"(?:a\s+dose\s+of\s+)?$",
    re.I,
)
_STD_NOUN_BEFORE = re.compile(
    r"\b(?:(?:standard|usual|full|previous|original|starting|initial|old|former|prior|pre-?reduction|normal)\s+dose|"
    r"std(?:\s+dose)?)\s*(?:(?:of|was|is|=|:|-)\s*)*$",
    re.I,
)
_FROM_BEFORE = re.compile(r"\bfrom\s+$", re.I)
_REDUCE_WORD = re.compile(rf"\b(?:{REDUCE_WORDS})\b", re.I)
_INCREASE_WORD = re.compile(rf"\b(?:{INCREASE_WORDS})\b", re.I)
# a dose change written as a pair: "from 400 to 200", "reduced 600->400", "dose decreased 400 to 300 mg"
_PAIR_RE = re.compile(
    rf"(?P<from>\bfrom\s+)?(?<![\w.,^/])(?P<a>[0-9]{{2,3}}){_END_NUM}(?P<amg>\s*mg\b)?"
    rf"\s*(?P<conn>->|-->|\u2192|=>|\bdown to\b|\bto\b)\s*"
    rf"(?P<b>[0-9]{{2,3}}){_END_NUM}(?P<bmg>\s*mg\b)?",
    re.I,
)
_PAIR_CONTEXT = re.compile(
    r"\b(?:reduc\w*|decreas\w*|cut|dropp?\w*|lower\w*|halv\w*|increas\w*|escalat\w*|de-?escalat\w*|went|gone|"
    r"chang\w*|switch\w*|titrat\w*|doses?|imatinib|glivec|gleevec|(?-i:IM))\b",
    re.I,
)

# --- time points: "at 18 months", "by 2 years", "after a year"; a milestone reached is not the time now
_TP_BEFORE = re.compile(
    r"\b(?:at|by|after)\s+(?:about\s+|approximately\s+|approx\.?\s+|~\s*|around\s+)?(?:the\s+)?$", re.I
)
_LATER_AFTER = re.compile(r"\s+(?:later|afterwards|after (?:that|diagnosis|dx|the diagnosis))\b", re.I)
_PLANNED_POINT_BEFORE = re.compile(
    r"\b(?:planned|plan|due|scheduled|booked|repeat(?:ing)?|recheck\w*|next|will|to be|wait(?:ing)? for)\b"
    r"[^,.;%\d]{0,20}?\b(?:at|by|after)\s+(?:about\s+|around\s+|~\s*)?(?:the\s+)?$",
    re.I,
)
_DUR_PREP_BEFORE = re.compile(r"(?:\b(?:for|x|since|over|past|last|of)|\u00d7)\s*$", re.I)
# "regained MMR in 3 months", "achieved MR4 in 2 yrs": the time it took, not the time in the response
_REACHED_BEFORE = re.compile(
    r"\b(?:re-?gained|regain\w*|re-?achieved|achieved|reached|got|hit|attained|back in)\s*$", re.I
)
_MILESTONE_BEFORE = re.compile(r"\b(?:reached|achieved|attained|got to|hit|obtained|reaching|achieving)\b", re.I)
# clinic notation "6/12", "3/52", "5/7" (knowledge.normalize.CLINIC_NOTATION); never a date or a fraction
_CLINIC_NOTATION_RE = re.compile(rf"(?<![\w./-]){CLINIC_RE}(?![\w/]|[.,-][0-9]|\s*/\s*[0-9])", re.I)
_CLINIC_BLOCK_BEFORE = re.compile(
    r"(?:\b(?:on|since|from|dated|date|until|till|by|of|in|dob|seen|reviewed|review|clinic|started|stopped|restarted|"
    r"due|booked)\s*:?|(?<!\s)[/-])\s*$|[0-9.]$",
    re.I,
)
# "PCR 0.6 % at month 12", "the year 2 result"
_MONTH_N_RE = re.compile(
    r"\b(?P<u>month|year)\s*(?P<n>[0-9]{1,2})(?![0-9]|[.,/][0-9]|\s*%)"
    r"(?!\s*(?:d|days?|w|wks?|weeks?|m|mo|mos|months?|y|yrs?|years?|h|hrs?|hours?)\b)",  # "1 month 2 weeks"
    re.I,
)
_FROM_A_POINT_BEFORE = re.compile(r"\b(?:since|from|after|until|till)\s*$", re.I)
# "two years in, her transcripts are 0.5 %": the time on treatment
_YEARS_IN_AFTER = re.compile(
    r"\s+in(?:to\s+(?:it|treatment|therapy))?\s*(?:[,;:.)]|$|\s+(?:and|she|he|they|her|his|their|now|the\s+"
    r"(?:pcr|level|result|bcr|transcripts?)))",
    re.I,
)
# "on day 3 of the new dose", "trough on day 14 at 600 mg"
_DAY_N_RE = re.compile(r"\b(?:day|(?-i:D)|(?-i:d)(?=[0-9]))\s*(?P<n>[0-9]{1,3})(?![0-9]|[.,/][0-9]|\s*%)", re.I)
_DAY_DOSE_GAP = re.compile(r"^\s*(?:of|on|at|into)\s+(?:the\s+)?$", re.I)
# a day said alone beside a trough ("(23 h, day 45)", "day 35."), not the day of something else ("day 5 of
# admission", "day 3 post-op", "on day 1 she took 600", "admitted, day 6")
_DAY_ALONE_AFTER = re.compile(
    r"\s*(?:[,.;:)\]]|$)|\s+(?:since|after)\s+(?:the\s+)?(?:coming|going|dose|change|switch|reduction|increase|"
    r"escalation|de-?escalation|starting|restart\w*)",
    re.I,
)
_DAY_OF_AN_EVENT_BEFORE = re.compile(
    r"\b(?:admitted|admission|inpatient|stay|cycle|post-?op|surgery|fever|course|antibiotics?|transplant)\W*$", re.I
)

# --- a series of levels: only the latest is the value ("0.02 -> 0.3", "0.15% then 0.2%", "from 0.01 to 0.05 %")
_SER_NUM = rf"(?<![\w.,^]){_N}{_END_NUM}(?:\s*(?:%|per\s?cent\b|pct\b))?"
_SER_CONN = (
    r"\s*(?:->|-->|\u2192|=>|\u27f6|,?\s*(?:and\s+)?then(?:\s+to)?|"
    r",?\s*(?:and\s+)?(?:(?:is|was)\s+)?now(?:\s+(?:at|is))?|"
    r",?\s*(?:and\s+|but\s+)?(?:(?:on|in)\s+)?(?:the\s+|a\s+)?repeat(?:ed)?(?:\s+(?:pcr|qpcr|sample|test))?"
    r"(?:\s+(?:was|is|at|of|showed|shows|gave))?\s*:?|"
    r"(?:up|down|back|rising|rose|risen|fell|fallen|falling|dropped|dropping|increased|increasing|decreased|"
    r"decreasing|went|gone|climbed|climbing)\s+to|to|>)\s*"
)
_TREND_WORD = re.compile(
    r"\b(?:ris(?:e|es|ing|en)|rose|increas\w*|fell|fall(?:s|ing|en)?|dropp?\w*|decreas\w*|went|gone|climb\w*|"
    r"improv\w*|worsen\w*|trend\w*|going\s+(?:up|down))\b",
    re.I,
)
# a range of percentages is no one value: "80-90 %", "0.1 to 0.2 %" (not after "from": that is a change)
_PCT_RANGE_RE = re.compile(
    rf"(?<!from )(?<![\w.,^]){_N}{_END_NUM}\s*%?\s*(?:-|\u2013|to)\s*{_N}{_END_NUM}\s*(?:%|per\s?cent\b)", re.I
)
# a range said with "from … to" is no change and no one value: "anywhere from 900 to 1100 ng/mL", "ranging from 80 to
# 90 %" (asked about where the rules need the number; "between … and …" is already asked about)
_SAID_RANGE_RE = re.compile(
    rf"\b(?:anywhere|somewhere|ranging|ranged|ranges|varied|varying|varies|fluctuat\w*)\s+from\s+{_N}{_END_NUM}"
    rf"\s*(?:ng/ml|%)?\s*(?:-|\u2013|to)\s*{_N}{_END_NUM}"
    r"(?:\s*(?:ng/ml|ng/l|µg/l|ug/l|mg/l|µmol/l|umol/l|nmol/l|%|per\s?cent\b))?"
    r"(?!\s*(?:months?|mo|mths?|years?|yrs?|weeks?|wks?|days?|hours?|hrs?|h)\b)",
    re.I,
)
# "0.08 %, up from 0.01 %": the number after "up from" is the earlier level
_UP_FROM_RE = re.compile(
    rf"\b(?:up|down|rising|risen|rose|increased|decreased|falling|fallen|fell|dropped|improved|worsened)\s+from\s+"
    rf"(?P<num>{_N}){_END_NUM}(?P<pct>\s*(?:%|per\s?cent\b))?",
    re.I,
)
# other laboratory values and counts: their numbers are neither doses nor BCR-ABL1 levels
_LAB_WORD = re.compile(
    r"\b(?:platelets?|plts?|wbc|white\s+cells?|hb|haemoglobin|hemoglobin|neutrophils?|anc|lymphocytes?|creatinine|"
    r"egfr|alt|ast|bilirubin|ldl|cholesterol|glucose|hba1c|weight|bmi|potassium|sodium|tsh|inr|crp|ferritin|"
    r"trough|cmin|level\s+of\s+imatinib|counts?)\b",
    re.I,
)
_SERIES_RE = re.compile(rf"{_SER_NUM}(?:{_SER_CONN}{_SER_NUM})+", re.I)
_SER_NUM_RE = re.compile(_SER_NUM, re.I)
_UNITLESS_AFTER = re.compile(rf"{_NO_UNIT}(?!\s*[\w\u00b5\u03bc]*\s*/)", re.I)
_ADH_AFTER = re.compile(
    r"\s*(?:of\s+(?:his|her|their|the|all|prescribed)?\s*(?:doses|tablets|pills|medication)|adherence|adherent|"
    r"compliance|compliant)\b",
    re.I,
)

# --- negation of a keyword value: "not planning to stop", "no evidence of AP", "TFR not planned"
# a level just over a response's line, right before its name: "just over the MMR line", "PCR above MMR" (not "as
# above", "well above", "over 2y in MMR", "took over her care", "3 out of 4 in MMR", "went over MMR with her")
_ABOVE_THE_LINE = re.compile(
    r"(?<!\bas )(?<!\bsee )(?<!\bwell )(?<!\btook )(?<!\bwent )(?<!\btalked )(?<!\bgone )(?<!\bgo )(?<!\bgoing )"
    r"(?<!\bdiscussed )(?<!\bconcern )(?<!\bconcerns )(?<!\bworried )(?<!\bworry )(?<!\bin and )"
    r"(?:(?:just|slightly|a\s+bit)\s+)?\b(?:over|above|outside|out\s+of)\s+(?:the\s+)?$",
    re.I,
)
_NEG_BEFORE = re.compile(
    r"(?:\b(?:no|not|never|without|nor|neither|denies|denied|none|nothing|lost|loss\s+of|losing|loses|negative\s+for|"
    r"(?:failed|yet|unable)\s+to\s+(?:achieve|reach|attain|get)|no\s+longer)|n't)\s+(?:[\w'-]+\s+){0,2}$",
    re.I,
)
# a drug the patient no longer takes is no interaction now ("stopped clarithromycin last month")
_STOPPED_BEFORE = re.compile(
    r"\b(?:stopped|discontinued|finished|completed|came\s+off|off|avoid|avoiding|instead\s+of|switched\s+from)\s+"
    r"(?:[\w'-]+\s+){0,3}$",
    re.I,
)
# a grade or phase of the past, beside a current one ("G3 fatigue previously, now G1", "AP at dx, now CP")
_PAST = re.compile(
    r"\b(?:previously|initially|before|earlier|prior|formerly|used to|had|was|resolved|in the past|at (?:dx|diagnosis)|"
    r"presented|presentation|history of|h/o|prev|previous|last time)\b",
    re.I,
)
_DATED_NEWEST = re.compile(r"\b(?:latest|most recent|newest|last week|this week|yesterday|today)\b", re.I)
_NEG_AFTER = re.compile(
    r"^\s*[:\-\u2013]?\s*(?:(?:is|was|has|have|had|been|are|were|yet)\s*)*(?:not|never|n't|lost|gone)\b", re.I
)
_NEGATABLE = {
    "goal",
    "phase",
    "response_status",
    "drug_interaction_concern",
    "prior_tki_failure",
    "response_confirmed",
    "ddpcr_mr45",
    "bcr_abl1_is",
    "on_reduced_dose",
}
_YES_NO_QUESTION = re.compile(
    r"\s*(?:is|are|was|does|do|would|could|should|can|might|has|have)\b(?:(?![.!]\s).)*\?\s*$", re.I | re.S
)
_NEGATIVE_VALUES = {"no", "none", "none found", "not tested", "not done"}
# "grade 1-2": a range is not one grade
_AE_RANGE_AFTER = re.compile(r"\s*(?:-|\u2013|/|to|or)\s*(?:grade\s*|gr\.?\s*|g)?(?:[0-4]|iv|iii|ii|i)\b", re.I)


# ---------------------------------------------------------------------------------------------
# pipeline (built once, lazily)


class _Pipeline:
    def __init__(self, nlp, matcher, n_patterns: int):
        self.nlp = nlp
        self.matcher = matcher
        self.n_patterns = n_patterns


_PIPE: Optional[_Pipeline] = None
_PIPE_LOCK = threading.Lock()


def load_patterns(path: Path = PATTERNS_FILE) -> List[Dict]:
    """The shipped patterns: one JSON object a line with ``label``, ``id`` and token ``pattern``."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                out.append(json.loads(line))
    return out


def _build_pipeline() -> _Pipeline:
    import spacy
    from spacy.matcher import Matcher
    from spacy.util import compile_infix_regex

    nlp = spacy.blank("en")
    # also split on - / : = ~ < > ; inside tokens, so "bcr-abl1:0.1%" gives bcr - abl1 : 0.1 %
    infixes = list(nlp.Defaults.infixes) + [r"[-\u2013\u2014/:=~<>;]"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    matcher = Matcher(nlp.vocab, validate=True)
    patterns = load_patterns()
    for p in patterns:
        matcher.add(f"{p['label']}\t{p.get('id', '')}", [p["pattern"]])
    return _Pipeline(nlp, matcher, len(patterns))


def pipeline() -> _Pipeline:
    global _PIPE
    if _PIPE is None:
        with _PIPE_LOCK:
            if _PIPE is None:
                _PIPE = _build_pipeline()
    return _PIPE


# ---------------------------------------------------------------------------------------------
# helpers


class _Cand:
    __slots__ = ("start", "end", "label", "value", "rank", "keyword", "mr", "tp")

    def __init__(
        self, start: int, end: int, label: str, value: str, rank: int, keyword: bool = False, mr: bool = False
    ):
        self.start, self.end, self.label, self.value = start, end, label, value
        self.rank, self.keyword, self.mr = rank, keyword, mr
        self.tp = False  # a duration read as the time point of a result ("0.7 % at 18 months")


class _Cue:
    __slots__ = ("start", "end", "kind", "sub", "used")

    def __init__(self, start: int, end: int, kind: str, sub: str):
        self.start, self.end, self.kind, self.sub, self.used = start, end, kind, sub, False


class _Context:
    """The text, its clause boundaries and the cue spans, with nearest-cue look-ups."""

    def __init__(self, text: str, cues: List[_Cue]):
        self.text = text
        bounds = [(m.start(), m.end()) for m in _CLAUSE_RE.finditer(text)]
        self._b_starts = [s for s, _ in bounds]
        self._b_ends = sorted(e for _, e in bounds)
        self.cues = sorted(cues, key=lambda c: (c.start, c.end))
        self._s_ends = [m.end() for m in _SENTENCE_RE.finditer(text)]

    def clause_start(self, pos: int) -> int:
        i = bisect.bisect_right(self._b_ends, pos)
        return self._b_ends[i - 1] if i else 0

    def clause_end(self, pos: int) -> int:
        i = bisect.bisect_left(self._b_starts, pos)
        return self._b_starts[i] if i < len(self._b_starts) else len(self.text)

    def sentence(self, pos: int) -> Tuple[int, int]:
        i = bisect.bisect_right(self._s_ends, pos)
        start = self._s_ends[i - 1] if i else 0
        end = self._s_ends[i] if i < len(self._s_ends) else len(self.text)
        return start, end

    def preceding(self, start: int, kinds: Iterable[str], max_gap: Optional[int] = None) -> Optional[_Cue]:
        """Nearest cue of one of ``kinds`` that ends before ``start`` in the same clause."""
        lo = self.clause_start(start)
        best = None
        for c in self.cues:
            if c.start >= start:
                break
            if c.end > start or c.start < lo or c.kind not in kinds:
                continue
            if max_gap is not None and start - c.end > max_gap:
                continue
            if best is None or c.end > best.end or (c.end == best.end and c.start < best.start):
                best = c
        return best

    def following(self, end: int, kinds: Iterable[str], gap: re.Pattern = _FOLLOW_GAP) -> Optional[_Cue]:
        """A cue of one of ``kinds`` right after ``end`` (only a preposition/article between)."""
        hi = self.clause_end(end)
        best = None
        for c in self.cues:
            if c.start < end or c.kind not in kinds:
                continue
            if c.start >= hi or c.start - end > 20:
                continue
            if gap.match(self.text[end : c.start]) and (
                best is None or c.start < best.start or (c.start == best.start and c.end > best.end)
            ):
                best = c
        return best


# ---------------------------------------------------------------------------------------------
# candidate finders


def _matcher_candidates(text: str, pipe: _Pipeline) -> Tuple[List[_Cand], List[_Cue]]:
    doc = pipe.nlp.make_doc(text)
    strings = pipe.nlp.vocab.strings
    cands: List[_Cand] = []
    cues: List[_Cue] = []
    seen = set()
    for match_id, ts, te in pipe.matcher(doc):
        key = strings[match_id]
        label, _, vid = key.partition("\t")
        span = doc[ts:te]
        s, e = span.start_char, span.end_char
        if (label, vid, s, e) in seen:
            continue
        seen.add((label, vid, s, e))
        if label.startswith("CUE_"):
            cues.append(_Cue(s, e, label[4:].lower(), vid))
        else:
            mr = label == "bcr_abl1_is" and vid in _MR_CUE
            cands.append(_Cand(s, e, label, vid, _RANK_KEYWORD, keyword=True, mr=mr))
            if mr:
                cues.append(_Cue(s, e, _MR_CUE[vid], vid))
    return cands, cues


# a percentage written as a power of ten ("1.2 x 10^-2 %", "10^-3 %"): one value, read whole by the normaliser
_POW10_PCT = re.compile(r"(?<![\w.,])(?:\d+(?:[.,]\d+)?\s*[x\u00d7*]\s*)?10\s*\^\s*[-+\u2212]?\d+\s*%", re.I)


_CUE_HEADS_A_NUMBER = re.compile(r"\s*[:=]?\s*(?:~\s*|about\s+|approx\.?\s+)?[0-9]")
# a measure's word heads its own percentage after it: "adherence 95 %", "PCR: ~0.3 %"
CUE_HEADS_A_PERCENT = re.compile(r"\s*[:=]?\s*(?:~\s*|about\s+|approx\.?\s+)?[0-9]+(?:[.,][0-9]+)?\s*(?:%|per ?cent)")


def _percent_label(text: str, ctx: _Context, s: int, e: int, num: str) -> str:
    """What a percentage from ``s`` to ``e`` is a share of: doses taken, BCR-ABL1, or not said ("percent")."""
    fol = ctx.following(e, ("adh", "bcr"), gap=_PCT_FOLLOW_GAP)
    if fol is not None and _CUE_HEADS_A_NUMBER.match(text, fol.end):
        fol = None  # "bcrabl 12% adh 100": the cue after the level heads the next value, not this one
    word_after = re.match(
        r"\s*(?:of\s+(?:his|her|their|the|all|prescribed)?\s*(?:doses|tablets|pills|"
        r"medication)|adherence|adherent|compliance|compliant)\b",
        text[e:],
        re.I,
    )
    if word_after and CUE_HEADS_A_PERCENT.match(text, e + word_after.end()):
        word_after = None  # "PCR 0.3% adherence 95%": the word after heads its own number
    if fol is None and word_after:
        label = "adherence_pct"
    elif fol is not None:
        label = "adherence_pct" if fol.kind == "adh" else "bcr_abl1_is"
    else:
        pre = ctx.preceding(s, ("adh", "bcr", "mmr", "dmr"), max_gap=45)
        if pre is None:
            pre = ctx.preceding(s, ("bcr_weak",), max_gap=25)
        if pre is None and _adherence_just_before(ctx, s, num):
            label = "adherence_pct"  # "adherence good per pharmacy refills, ~95 %": the share of that measure
        elif pre is None and _in_adherence_clause(text, ctx, s, num):
            label = "adherence_pct"  # "adherence now 100 %, was 60 %": both shares of doses taken
        elif pre is None:
            label = "percent"
        elif pre.kind == "adh" and not _LEVEL_LIKE.match(num):
            label = "adherence_pct"
        elif pre.kind == "adh":
            label = "percent"  # "pill count ok, 3.4 % at 6 mo": a share of doses is never a small decimal
        else:
            label = "bcr_abl1_is"
    if label == "adherence_pct" and _LEVEL_LIKE.match(num):
        return "percent"  # "0.3 percent adherence he says 95": a share of doses is never a small decimal
    return label


def _percent_candidates(text: str, ctx: _Context, numeric_bcr: List[_Cand]) -> List[_Cand]:
    out = []
    powers = [(p.start(), p.end()) for p in _POW10_PCT.finditer(text)]
    for m in _PCT_RE.finditer(text):
        s, e = m.start(), m.end()
        ns = m.start("num")
        whole = next(((a, b) for a, b in powers if a <= ns < b), None)
        if whole is not None:  # "-2 %" of "1.2 x 10^-2 %" is the exponent, not the value
            s = ns = whole[0]
            e = whole[1]
        label = _percent_label(text, ctx, s, e, m.group("num"))
        missed = _share_missed(text, s, e, m.group("num"))
        if missed is not None and missed[0] is None:
            c = _Cand(missed[1], missed[2], _BLOCK, "", _RANK_NUMERIC)  # a share missed before, none now said
        elif missed is not None:  # "missed 10 % of doses", "5 % doses missed": the share taken is the rest
            c = _Cand(missed[1], missed[2], "adherence_pct", f"{missed[0]:g}%", _RANK_NUMERIC)
        elif label == "adherence_pct":
            c = _Cand(ns, e, label, f"{m.group('num')}%", _RANK_NUMERIC)
        elif label == "bcr_abl1_is":
            c = _Cand(s, e, label, text[s:e], _RANK_NUMERIC)
            numeric_bcr.append(c)
        else:
            c = _Cand(s, e, label, text[s:e], _RANK_GENERIC)
        out.append(c)
    for m in _LOG_RE.finditer(text):
        c = _Cand(m.start(), m.end(), "bcr_abl1_is", text[m.start() : m.end()], _RANK_NUMERIC)
        numeric_bcr.append(c)
        out.append(c)
    for m in _RATIO_RE.finditer(text):
        c = _Cand(m.start(), m.end(), "bcr_abl1_is", f"ratio {m.group('num')}", _RANK_NUMERIC)
        numeric_bcr.append(c)
        out.append(c)
    return out


# a share of doses missed, not taken: "missed 10 % of doses", "5 % of tablets not taken", "3 % missed doses"
_MISSED_SHARE_AFTER = re.compile(
    r"\s*(?:of\s+(?:the\s+|her\s+|his\s+|their\s+|all\s+)?(?:doses?|tablets?|pills?)\s+(?:were\s+|was\s+|are\s+)?"
    r"(?:missed|skipped|omitted|not taken)|(?:of\s+)?(?:missed|skipped|omitted)\s+(?:doses?|tablets?|pills?)|"
    r"(?:doses?|tablets?|pills?)\s+(?:missed|skipped|omitted|not taken))\b",
    re.I,
)
_MISSED_SHARE_BEFORE = re.compile(
    r"\b(?:missed|misses|missing|skipped|skips|skipping|omitted|omits)\s+(?:about\s+|around\s+|approx\.?\s+|~\s*)?$",
    re.I,
)


_OF_DOSES_AFTER = re.compile(
    r"\s*of\s+(?:the\s+|her\s+|his\s+|their\s+|all\s+)?(?:(?:imatinib|im|glivec|prescribed)\s+)?"
    r"(?:doses?|tablets?|pills?)\b",
    re.I,
)
_EARLIER_SHARE_AFTER = re.compile(
    r"[^.;]{0,40}?\b(?:first|initially|at the start|early on|previously|last year|before|but none|none since|"
    r"not since|used to)\b",
    re.I,
)


def _share_missed(text: str, start: int, end: int, number: str) -> Optional[Tuple[Optional[float], int, int]]:
    """(share of doses taken, span of the words said) when the percentage is the share missed ("missed 10 % of
    doses": 90; None for a share missed in the past), else None."""
    after = _MISSED_SHARE_AFTER.match(text, end)
    before = _MISSED_SHARE_BEFORE.search(text, max(0, start - 30), start)
    if before and not after:  # "missed 10 % of doses"; not "missed 30 % of her appointments", "missed 10 % at 3 mo"
        before = before if _OF_DOSES_AFTER.match(text, end) else None
    share = float(number.replace(",", "."))
    if not (after or before) or not 0 < share <= 100:
        return None
    lo, hi = before.start() if before else start, after.end() if after else end
    if re.search(r"(?:<|>|≤|≥|less than|under|over|more than|up to)\s*\d", text[max(0, start - 12) : end], re.I):
        return None  # "missed <10 % of doses": a bound, which the normaliser asks about
    if _EARLIER_SHARE_AFTER.match(text, (after or _OF_DOSES_AFTER.match(text, end)).end()):
        return None, lo, hi  # "missed about 20 % of doses in the first year but none since": no share now
    return round(100 - share, 2), lo, hi


_LEVEL_LIKE = re.compile(r"^(?:0|1?\d)[.,]\d+$")  # 0.8, 3.4, 12.5: a level, never a share of doses taken
_ADHERENCE_WORD = re.compile(r"\b(?:adheren\w*|complian\w*|doses taken|pill counts?|mems|refills?)\b", re.I)
_LEVEL_WORD = re.compile(r"\b(?:pcr|bcr|abl|is|transcripts?|level|mr\d|mmr|ddpcr|log)\b", re.I)


def _in_adherence_clause(text: str, ctx: "_Context", start: int, number: str) -> bool:
    """A whole percentage of 20 or more after an adherence word in its clause, with no word of a level between:
    "adherence now 100 %, was 60 %", "(adherence was 80 %, now 100 %)"."""
    if _LEVEL_LIKE.match(number) or float(number.replace(",", ".")) < 20:
        return False
    lo = max(text.rfind(c, 0, start) for c in ".;(\n") + 1
    words = list(_ADHERENCE_WORD.finditer(text, lo, start))
    return bool(words) and not _LEVEL_WORD.search(text, words[-1].end(), start)


def _adherence_just_before(ctx: "_Context", start: int, number: str) -> bool:
    """An adherence word a few words before a share of 50 % or more, in the same sentence with no other number
    between ("checked adherence, all good (100 %)", "refills, ~95 %"): the share is its value."""
    try:
        if float(number.replace(",", ".")) < 50:
            return False
    except ValueError:
        return False
    for c in ctx.cues:
        if c.kind == "adh" and c.end <= start and start - c.end <= 30:
            between = ctx.text[c.end : start]
            if not re.search(r"[0-9.;!?]", between.replace("~", "")):
                return True
    return False


_A_DATE_NEXT = re.compile(r"\W{0,3}(?:(?:19|20)\d\d-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.](?:19|20)?\d\d)(?!\d)")


def _cue_tail_candidates(text: str, ctx: _Context, numeric_bcr: List[_Cand]) -> List[_Cand]:
    """Unit-less numbers straight after a cue: "trough 850", "BCR-ABL 0.008", "adherence 95"."""
    out = []
    for c in ctx.cues:
        if _A_DATE_NEXT.match(text, c.end):
            continue  # "PCR 2026-11-28: 0.9 % IS", "trough 28/11/2026 …": the date of the result, not the result
        if c.kind == "trough":
            m = _TROUGH_TAIL.match(text, c.end)
            if m:
                out.append(_Cand(m.start("num"), m.end("num"), "trough_ng_ml", m.group("num"), _RANK_NUMERIC))
        elif c.kind == "bcr" and _BCR_TAIL_CUE.search(text[c.start : c.end]):
            m = _BCR_TAIL.match(text, c.end)
            if m:
                s = m.start("cmp") if m.group("cmp") else m.start("num")
                cand = _Cand(s, m.end("num"), "bcr_abl1_is", text[s : m.end("num")], _RANK_NUMERIC)
                numeric_bcr.append(cand)
                out.append(cand)
        elif c.kind == "adh" and _ADH_TAIL_CUE.match(text, c.start, c.end):
            m = _ADH_TAIL.match(text, c.end)
            if m:
                out.append(_Cand(m.start("num"), m.end("num"), "adherence_pct", m.group("num"), _RANK_NUMERIC))
    return out


# a unit-less fraction just after a response category is its level: "MR4, 0.005", "MMR (0.07)", "MMR til june (0.06)"
_CATEGORY_TAIL = re.compile(
    rf"\s*(?:[,:(=-]|\bat\b|\bwith\b|\btil+\b|\buntil\b)\s*(?:[a-z]+\s+){{0,2}}?\(?\s*(?P<num>0?[.,][0-9]+){_END_NUM}{_NO_UNIT}"
    rf"(?!\s*[\w\u00b5\u03bc]*\s*/)",
    re.I,
)


# a unit-less fraction said to be the newest result, in a message about molecular response: "latest 0.009",
# "now 0.14", "last one 0.005" (a fraction with a leading zero: no dose, trough, grade or adherence is written so)
_LATEST_FRACTION = re.compile(
    rf"\b(?:latest|now|last one|last|most recent|current(?:ly)?|today)\s*(?:is|was|=|:|-|of)?\s*"
    rf"(?P<num>0[.,][0-9]+){_END_NUM}{_NO_UNIT}(?!\s*[\w\u00b5\u03bc]*\s*/)",
    re.I,
)
_OTHER_LAB = re.compile(
    r"\b(?:anc|neut\w*|plt|platelets?|hb|haemoglobin|hemoglobin|wbc|creat\w*|alt|ast|tsh|inr|k|na|crp|lymph\w*|"
    r"trough|level of imatinib|cmin|bili\w*|ferritin|egfr)\b[^,;.]*$",
    re.I,
)


def _latest_fraction_candidates(text: str, numeric_bcr: List[_Cand], keywords: Sequence[_Cand]) -> List[_Cand]:
    if not (MOLECULAR_WORDS.search(text) or numeric_bcr or any(k.mr for k in keywords)):
        return []
    out = []
    for m in _LATEST_FRACTION.finditer(text):
        if _OTHER_LAB.search(text[max(0, m.start() - 30) : m.start()]):
            continue  # "ANC now 0.9": another measure
        cand = _Cand(m.start("num"), m.end("num"), "bcr_abl1_is", m.group("num") + " %", _RANK_NUMERIC)
        numeric_bcr.append(cand)
        out.append(cand)
    return out


def _category_tail_candidates(text: str, keywords: Sequence[_Cand], numeric_bcr: List[_Cand]) -> List[_Cand]:
    out = []
    for k in keywords:
        m = _CATEGORY_TAIL.match(text, k.end) if k.mr else None
        if m and not re.search(r"\b(?:copies|abl1?|sensitivity|log)\b", text[m.end() : m.end() + 12], re.I):
            cand = _Cand(m.start("num"), m.end("num"), "bcr_abl1_is", m.group("num") + " %", _RANK_NUMERIC)
            numeric_bcr.append(cand)
            out.append(cand)
    return out


_SPELLED_UNITS = (
    (r"nanograms?", "ng"),
    (r"micrograms?|microg|mcg", "ug"),
    (r"milligrams?", "mg"),
    (r"micromol(?:es?)?", "umol"),
    (r"nanomol(?:es?)?", "nmol"),
    (r"\bper\b", "/"),
    (r"millilit(?:re|er)s?|\bmils?\b", "ml"),
    (r"lit(?:re|er)s?", "l"),
)


# a concentration of something else than imatinib, named just before its number in its clause: another analyte
# ("bili 25 µmol/L", "ferritin 300 µg/L", "vit D 50 nmol/L"), another drug's level ("vanc trough 15 mg/L",
# "tacrolimus level 8 ng/mL", "nilotinib trough 800 ng/mL") or imatinib's metabolite ("N-desmethyl imatinib")
_OTHER_ANALYTE = re.compile(
    r"\b(?:bili\w*|ferritin|vit(?:amin)?\.?\s*[a-z]\d*|b12|folate|creat\w*|cr|urea|urate|uric|crp|alb\w*|alt|ast|alp|"
    r"ggt|ldh|ck|troponin|trop|tsh|t4|ft4|cortisol|pth|bnp|nt-?probnp|procalcitonin|pct|glucose|hba1c|ammonia|lactate|"
    r"magnesium|phosphate|calcium|potassium|sodium|iron|transferrin|testosterone|o?estradiol|prolactin|psa|"
    r"desmethyl|metabolite|norimatinib|cgp\s*74588|vanc\w*|gent\w*|tobra\w*|amikacin|tac|tacro\w*|dig|digoxin|"
    r"vori|posa|itra|isavu\w*|teic\w*|sirolimus|siro|evero\w*|"  # the antifungals' and others' short names
    r"lithium|li|phenytoin|valproate|vpa|cbz|cyclosporin\w*|ciclosporin\w*|csa|mtx|methotrexate|busulf\w*|"
    r"nilotinib|dasatinib|bosutinib|ponatinib|asciminib|tasigna|sprycel|bosulif|iclusig|scemblix|"
    rf"{MEDICINE_BY_ENDING})\b",
    re.I,
)


def _of_another_analyte(text: str, ctx: "_Context", at: int) -> bool:
    before = text[max(ctx.clause_start(at), at - 30) : at]
    other = list(_OTHER_ANALYTE.finditer(before))
    if not other:
        return False
    metabolite = re.search(r"desmethyl|metabolite|norimatinib|cgp", other[-1].group(0), re.I)
    return bool(metabolite) or not IMATINIB.search(before[other[-1].end() :])


_THOUSANDS_GROUP = re.compile(r"(?<![\w.,'\u2019])(?<![x\u00d7*]\s)(\d{1,3})[ '\u2019\u00a0\u202f]$", re.I)


def _trough_candidates(text: str, ctx: "_Context") -> List[_Cand]:
    out = []
    for m in _TROUGH_RE.finditer(text):
        unit = m.group("unit")
        if trough_unit(unit) is None:  # every unit the pattern finds is one of the table's
            continue
        if _of_another_analyte(text, ctx, m.start()):
            continue
        start, num = m.start(), m.group("num")
        group = _THOUSANDS_GROUP.search(text, 0, start)
        if group and re.fullmatch(r"\d{3}", num):  # "1 480 ng/mL", "1'150 ng/ml": a thousands group before it
            if trough_unit(unit)[1] not in ("ng/mL", "nmol/L"):
                continue  # "2 100 µmol/L" is no number
            start, num = group.start(), group.group(1) + num
        low = unit.lower()
        for spelled, short in _SPELLED_UNITS:  # "micromoles per litre": umol/l
            low = re.sub(spelled, short, low)
        low = re.sub(r"\s+", "", low)
        if low.startswith("ng"):
            canon = "ng/mL"
        elif low.startswith("mg"):
            canon = "mg/L"
        elif low.endswith("/ml"):
            canon = "ug/mL"
        elif low.endswith("g/l"):
            canon = "ug/L"
        elif low.startswith("n"):
            canon = "nmol/L"
        else:
            canon = "umol/L"
        out.append(_Cand(start, m.end(), "trough_ng_ml", f"{num} {canon}", _RANK_NUMERIC))
    return out


def _dose_pairs(text: str, ctx: _Context) -> Dict[int, Tuple[str, str]]:
    """Dose changes written as a pair ("from 400 to 200", "reduced 600->400"): the label (and, for a bare
    first number, the value) of each number by its position. After a reduction the first dose is the
    standard dose; after an increase it is no field (the standard dose is the dose before a reduction)."""
    forced: Dict[int, Tuple[str, str]] = {}
    told: Optional[re.Match] = None  # the pair before, to be taken back ("800→400... no sorry, 400 to 200")
    for m in _PAIR_RE.finditer(text):
        a, b = int(m.group("a")), int(m.group("b"))
        mg = bool(m.group("amg") or m.group("bmg"))
        if a == b or not (mg or (a in _BARE_DOSES and b in _BARE_DOSES)):
            continue
        if not m.group("bmg") and not _BARE_AFTER_BLOCK.match(text, m.end("b")):
            continue  # "from 400 to 600 ng/mL"
        lo = ctx.clause_start(m.start())
        arrow = m.group("conn").lower() not in ("to", "down to")
        gap = text[told.end() : m.start("a")] if told else ""
        if told and len(gap) <= 30 and _TAKEN_BACK_WORD.search(gap):
            forced[told.start("a")] = (_BLOCK, told.group("a"))  # the change the writer took back is none
            forced[told.start("b")] = (_BLOCK, told.group("b"))
        elif (
            told
            and len(gap) <= 40
            and _THEN_CHANGED.match(_DATES_SAID.sub(" ", gap))
            and not _STEP_NOT_TAKEN.search(gap + " " + re.split(r"[.;!?\n]", text[m.end() : m.end() + 40])[0])
        ):
            # "reduced 600 to 400, then 400 to 300 in May": one history; the dose before the first step stays the
            # standard dose while every step went down, and the last step's dose is the dose now
            forced[told.start("b")] = (_BLOCK, told.group("b"))
            first_standard = forced.get(told.start("a"), ("",))[0] == "standard_dose_mg"
            if a < b or not first_standard:  # an escalation in the history: the dose before it is no standard
                forced[told.start("a")] = (_BLOCK, told.group("a"))
            # the last step a reduction after an escalation: the dose it came down from, as for one change
            last = "standard_dose_mg" if a > b and not first_standard else _BLOCK
            forced[m.start("a")] = (last, f"{a} mg" if mg else str(a))
            forced[m.start("b")] = ("dose_mg", "")
            told = m
            continue
        elif not (m.group("from") or (arrow and mg) or _PAIR_CONTEXT.search(text[lo : m.start("a")])):
            continue  # "600 -> 400" alone may be anything; a dose change says "from", "mg" or names the change
        other = ctx.preceding(m.start("a"), ("trough", "bcr", "adh"), max_gap=40)
        if other is not None and other.kind == "adh" and _TOOK_DOWN.match(text, other.end):
            other = None  # "we took her down from 400 to 200": a change of dose, not the tablets taken
        if other is not None and not _PAIR_CONTEXT.search(text[other.end : m.start("a")]):
            continue  # "trough fell from 800 to 600" (but "trough 3 days after switching from 400 to 600")
        value_a = f"{a} mg" if mg else str(a)
        forced[m.start("a")] = ("standard_dose_mg" if a > b else _BLOCK, value_a)
        forced[m.start("b")] = ("dose_mg", "")
        told = m
    return forced


_TOOK_DOWN = re.compile(r"\s+(?:her|him|them|it|the dose|his dose|her dose)?\s*(?:down|up|back)\b", re.I)
_BARE_DOSES = {100, 200, 300, 400, 500, 600, 700, 800}


def _dose_chain_labels(text: str) -> Dict[int, Tuple[str, str]]:
    """A dose history written as a chain ("400 -> 600 (2021) -> 800 -> 400 now"): the last dose is the current
    one; the first is the standard dose only when every step went down; the others are no field."""
    forced: Dict[int, Tuple[str, str]] = {}
    for steps in dose_chains(text):
        for step in steps[:-1]:
            forced[step.start] = (_BLOCK, step.text)
        if chain_reduction(steps):
            forced[steps[0].start] = ("standard_dose_mg", steps[0].text)
        forced[steps[-1].start] = ("dose_mg", "")
    for steps in dose_chains(text, proposed=True):  # "would you take her 400 -> 200?": the dose now, a proposal
        forced[steps[0].start] = ("dose_mg", "")
        forced[steps[-1].start] = ("dose_mg", "")  # reading.relations reads it as the dose proposed
    return forced


def _another_drugs(ctx: _Context, s: int) -> bool:
    """The dose at ``s`` follows another drug's name, unless imatinib is named nearer and joined to it as a second
    drug taken ("on fluconazole + IM 400 od" is imatinib's dose; "on dasatinib (had IM 400 before)" is not read)."""
    other = ctx.preceding(s, ("otherdrug",), max_gap=25)
    if other is None:
        return False
    ours = ctx.preceding(s, ("tki",), max_gap=25)
    if ours is None or ours.start < other.end:
        return True
    between = ctx.text[other.end : ours.start]
    if _SWITCHED_TO.fullmatch(between):  # "moved from nilotinib to imatinib 400 od": a switch told, not asked
        lo, hi = ctx.sentence(other.start)
        before = ctx.text[max(lo, other.start - 30) : other.start]
        return not (_SWITCH_TOLD_BEFORE.search(before) and "?" not in ctx.text[lo:hi])
    return not _BOTH_TAKEN.fullmatch(between)


_BOTH_TAKEN = re.compile(r"\s*(?:\+|&|and|with|plus|,)\s*", re.I)
_SWITCHED_TO = re.compile(r"\s*(?:to|->|\u2192)\s*", re.I)
_SWITCH_TOLD_BEFORE = re.compile(
    r"\b(?:moved|switched|changed|went|came|was switched|were switched|swapped)\s+(?:\w+\s+)?from\s+$", re.I
)


# complexity: one branch per written form of a dose (pairs, chains, other drugs, bare numbers and their cues)
def _dose_candidates(text: str, ctx: _Context) -> List[_Cand]:  # noqa: C901 (the reason is above)
    forced = _dose_pairs(text, ctx)
    forced.update(_dose_chain_labels(text))
    raw: List[Tuple[int, int, str]] = []
    for m in _DOSE_RE.finditer(text):
        raw.append((m.start(), m.end(), re.sub(r"\s+", " ", m.group(0))))
    for m in _DOSE_MULT_RE.finditer(text):
        raw.append((m.start(), m.end(), re.sub(r"\s+", " ", m.group(0)).replace("\u00d7", "x").replace("*", "x")))
    for m in _TABLETS_AFTER_RE.finditer(text):  # "100mg x 3 daily": three 100 mg tablets
        raw.append((m.start(), m.end(), f"{m['count']} x 100 mg{m['sched'] or ''}"))
    for m in _TABLETS_BEFORE_RE.finditer(text):  # "4 tablets of 100mg", "two 200 mg tablets": the count first
        count, strength = _COUNTS.get(m["count"].lower()) or int(m["count"]), int(m["num"] or m["num2"])
        twice = m["sched"] and re.search(rf"{_BID}|twice", m["sched"], re.I)
        raw.append((m.start(), m.end(), f"{count * strength} mg bd" if twice else f"{count} x {strength} mg"))
    out = []
    prev: List[_Cand] = []  # doses named as the earlier one, compared with the current dose below
    for s, e, value in raw:
        if _another_drugs(ctx, s):
            # a dose of another drug: not emitted, but it keeps its schedule words ("500 mg bid")
            out.append(_Cand(s, e, _BLOCK, "", _RANK_NUMERIC))
            continue
        if s in forced:
            out.append(_Cand(s, e, forced[s][0], value, _RANK_NUMERIC))
            continue
        c = _Cand(s, e, _dose_label(text, ctx, s, e), value, _RANK_NUMERIC)
        if _PREV_BEFORE.search(text[max(0, s - 40) : s]):
            prev.append(c)
        out.append(c)
    for m in _BARE_DOSE_RE.finditer(text):
        s, e = m.start(), m.end()
        if _another_drugs(ctx, s):
            out.append(_Cand(s, e, _BLOCK, "", _RANK_NUMERIC))  # "nilotinib 300 bd": its schedule is not ours
            continue
        if s in forced:
            label, value = forced[s]
            out.append(_Cand(s, e, label, value or re.sub(r"\s+", " ", m.group(0)), _RANK_NUMERIC))
            continue
        before = text[max(0, s - 40) : s]
        sched = m.group("sched")
        value = re.sub(r"\s+", " ", m.group(0))
        if not sched and not _BARE_AFTER_BLOCK.match(text, e) and not _X_DURATION.match(text, e):
            continue  # "400 patients", "600 ng/mL", "400-600" (but "IM 400 x 7 yrs": for 7 years)
        if not sched and _FROM_BEFORE.search(before):
            # "halved it from 400", "dropped to 300 from 400": the dose before a reduction
            clause = text[ctx.clause_start(s) : s]
            if _REDUCE_WORD.search(clause):
                out.append(_Cand(s, e, "standard_dose_mg", value, _RANK_NUMERIC))
            elif _INCREASE_WORD.search(clause):
                out.append(_Cand(s, e, _BLOCK, value, _RANK_NUMERIC))
            continue
        if not sched and _PREV_BEFORE.search(before) and not _STD_BEFORE_REDUCTION.match(text, e):
            c = _Cand(s, e, "dose_mg", value, _RANK_NUMERIC)
            c.tp = True  # kept only if a current dose says what it was (see below)
            prev.append(c)
            out.append(c)
            continue
        if not sched:
            strong = (
                _BARE_BEFORE_TKI.search(before)
                or _BARE_BEFORE_DAY.search(before)
                or _STD_NOUN_BEFORE.search(before)
                or _STD_BEFORE_REDUCTION.match(text, e)
                or _BARE_DOSE_AFTER.match(text, e)
            )
            weak = (
                _BARE_BEFORE_ON.search(before)
                or _BARE_BEFORE_CUR.search(before)
                or _BACK_TO_STD.search(before)
                or (_BARE_AFTER_A_DOSE_THEN.search(before) and _HELD_SINCE_AFTER.match(text, e))
            )
            if not strong and not (weak and not _lab_value(text[ctx.clause_start(s) : s])):
                continue  # "platelets up to 800" (but "trough 7 days after the dose was increased to 600")
        c = _Cand(s, e, _dose_label(text, ctx, s, e), value, _RANK_NUMERIC)
        if _PREV_BEFORE.search(before):
            prev.append(c)
        out.append(c)
    _previous_doses(out, prev)
    _restated_doses(text, out)
    return out


def _restated_doses(text: str, doses: List[_Cand]) -> None:
    """A dose in brackets right after another restates it ("from 800 (400 bd)"): it is the same dose, so it
    takes that dose's field (the dose before a reduction stays one)."""
    ordered = sorted(doses, key=lambda c: c.start)
    for a, b in zip(ordered, ordered[1:], strict=False):
        if a.label in ("dose_mg", "standard_dose_mg") and re.fullmatch(r"\s*(?:mg\s*)?\(\s*", text[a.end : b.start]):
            b.label = a.label


def _previous_doses(doses: List[_Cand], prev: List[_Cand]) -> None:
    """A dose named as the earlier one ("was 400, now 300") is the standard dose when it is above the current
    dose (a reduction), and no field when below (an increase). A bare number named only as an earlier dose
    ("was 400") is left out."""
    current = [d for d in doses if d.label == "dose_mg" and d not in prev]
    totals = []
    for d in current:
        try:
            totals.append(normalize("dose_mg", d.value).value)
        except NormalizationError:
            pass
    for p in prev:
        if p.label not in ("dose_mg", "standard_dose_mg"):
            continue
        try:
            mine = normalize("dose_mg", p.value).value
        except NormalizationError:
            mine = None
        if len(set(totals)) == 1 and mine is not None and mine != totals[0]:
            p.label = "standard_dose_mg" if mine > totals[0] else _BLOCK
        elif p.tp:
            p.label = _BLOCK
        p.tp = False


_DOSE_IS = re.compile(
    r"\b(?:the|her|his|their|current)\s+dose\s+(?:is|=|:)\s*(?:(?:actually|really|now|in fact)\s*)*$", re.I
)
_DOSE_WORD = re.compile(r"\b(?:doses?|dosage|dosing|imatinib|glivec|gleevec|(?-i:IM)|mg)\b", re.I)


_DOSE_DASH_LEVEL = re.compile(
    r"\b(?:to|on|at|of)\s+(?:imatinib\s+|im\s+)?[1-8]00(?:\s*mg)?\s+-\s+[0-9][0-9.,]*\s*"
    r"(?:ng\s*/\s*ml|[uµ]g\s*/\s*l|mcg\s*/\s*l|mg\s*/\s*l|[nuµ]mol\s*/\s*l)",
    re.I,
)
_DATED_FROM_A_CHANGE = re.compile(
    r"\b(?:after|since|following|post)\s+(?:the\s+|her\s+|his\s+)?(?:dose\s+)?(?:going|went|gone|being|was|were)?\s*"
    r"(?:up|down|increas\w*|escalat\w*|reduc\w*|chang\w*|switch\w*|drop\w*|cut)\b[^.;]*$",
    re.I,
)


def _lab_value(before: str) -> bool:
    """Is the number after ``before`` (its clause) a laboratory value: a lab word after the last dose word?"""
    last = None
    for last in _DOSE_WORD.finditer(before):  # noqa: B007 (the last match is wanted)
        pass
    lab = None
    for lab in _LAB_WORD.finditer(before, last.end() if last else 0):  # noqa: B007 (the last match is wanted)
        pass
    # "a trough 3 days after going up to 600": a change the lab result is dated from names the dose after it
    return lab is not None and not _DATED_FROM_A_CHANGE.search(before, lab.end())


_STD_OF_ANOTHER_THING = re.compile(r"\s+(?:day|night|evening|morning)\b", re.I)
_AGE_OLD = re.compile(r"(?:years?|yrs?|y)[\s-]*old$", re.I)


def _dose_label(text: str, ctx: _Context, s: int, e: int) -> str:
    """The current dose, or the standard dose when the words around it say so."""
    before = text[max(0, s - 40) : s]
    if _BACK_TO_STD.search(before) or _STD_BEFORE_REDUCTION.match(text, e) or _STD_NOUN_BEFORE.search(before):
        return "standard_dose_mg"  # "back to 400", "400 before we halved it"
    fol = re.match(r"\s*\(?\s*(\w+)", text[e:])
    if fol and fol.group(1).lower() in _STD_FOLLOW and not _DOSE_NAMED_AFTER.match(text, e + fol.end()):
        return "standard_dose_mg"  # "400 before we halved it"; not "300 mg (before 400 mg)": that names the dose before
    if _BARE_BEFORE_CUR.search(before) or _DOSE_IS.search(before):
        return "dose_mg"  # "increased to 600", "now 300", "the dose is actually 600"
    pre = ctx.preceding(s, ("std", "cur"), max_gap=35)
    if pre is not None and text[pre.start : pre.end].lower() == "from" and text[pre.end : s].strip():
        pre = None  # "from" marks the previous dose only right before it: "from 400 mg"
    if pre is not None and _AGE_OLD.search(text[max(0, pre.start - 8) : pre.end]):
        pre = None  # "a 45-year-old man on imatinib 400": an age, not the old dose
    if pre is not None and _STD_OF_ANOTHER_THING.match(text, pre.end):
        pre = None  # "last dose the previous day, on 400": the day before, not the dose before
    return "standard_dose_mg" if pre is not None and pre.kind == "std" else "dose_mg"


def _segment_start(text: str, pos: int) -> int:
    """Start of the sentence (or clause opened by a comma or semicolon) at ``pos``."""
    cut = max(text.rfind(ch, 0, pos) for ch in ".;,:\n!?")
    return cut + 1


# a calendar date to the month or the year: "2019", "March 2021", "mid-Oct 2025", "04/2019", "mid-2022"
_MONTH_NAME = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
# (a day may come before a month's name, "14 Feb 2022", "14-Feb-22": then a year of two digits after a dash counts)
# (or the ISO form a system prints, "2023-11-20"; a two-digit year after a day and a month's name, "12 Mar 25")
_DATE = (
    r"(?:(?P<iy>(?:19|20)\d\d)-(?P<im>0?[1-9]|1[0-2])-(?P<id>0?[1-9]|[12]\d|3[01])(?![\w/.,-]?\d)|"
    rf"(?:mid-?\s*)?(?:(?P<dn>0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?(?:\s+|-)(?={_MONTH_NAME}))?"
    rf"(?:(?P<mon>{_MONTH_NAME}[a-z]*)\.?(?:\s+|-)|"
    rf"{DAY_BEFORE_MONTH}(?P<mm>0?[1-9]|1[0-2])\s*(?:/|\.(?=(?:19|20)\d\d))\s*)?"
    r"(?P<year>(?:19|20)\d\d|(?(dn)(?<=[-\s])\d\d|(?!)))(?![\w/.,-]?\d)(?!\s*(?:mg|%|ng|months?|mo|y)\b)"
    r")"
)
# "since 2019", "on IM since March 2019"; a start told as a date ("started imatinib in June 2025", "IM 400
# started mid-Oct 2025", "started 03/2021"): a time up to today (spec section 5: from the 15th of a month, from
# 1 July of a year). The words between "started" and its date name no other time ("PCR Sept 2025: 15 %").
_SINCE_YEAR_RE = re.compile(rf"\b(?:since|seit|depuis|desde|dal)\s+{_DATE}", re.I)  # (as a colleague abroad writes it)
# the words between "started" and its date name imatinib, its dose or nothing ("started nilotinib in March 2024",
# "started clarithromycin in June" date another drug)
_STARTED_GAP = (
    r"(?:\s+(?:on|her|him|them|it|the|imatinib|im|glivec|gleevec|"
    r"[1-8]00(?:\s*mg)?|mg|od|bd|qd|once|twice|daily|a|day|dose|of|at))*"
)
_FROM_DATE_RE = re.compile(
    r"(?:(?<=imatinib )|(?<=glivec )|(?<=gleevec )|(?<=00 mg )|(?<=00mg )|(?<=00 od )|(?<=mg od )|(?<=mg/day )|"
    rf"(?<=00 daily ))from\s+{_DATE}"
    r"(?!\s*(?:to|until|till|-|\u2013)\s*\d)",
    re.I,
)
_STARTED_DATE_RE = re.compile(
    rf"\b(?:start(?:ed|ing)|commenced|began|initiated)\b(?P<gap>{_STARTED_GAP})\s+(?:in\s+|on\s+)?{_DATE}", re.I
)


# a month named without its year: "on 400 mg od since Feb", "on 800/day since mid-August" (the latest such month)
_SINCE_MONTH_RE = re.compile(
    rf"\b(?:since|seit|depuis|desde)\s+(?:(?:mid|early|late)-?\s*)?(?P<mon>{_MONTH_NAME})[a-z]*\.?"
    r"(?![\w'\u2019]|[ \t]*[-/.]?[ \t]*\d|\s+(?:last|this|next|of)\b)",
    re.I,
)


_ON_IT_BEFORE = re.compile(
    r"(?:\b(?:on|been on)\s+(?:the\s+)?(?:imatinib\s+|im\s+|glivec\s+|gleevec\s+)?|"
    r"\b(?:imatinib|glivec|gleevec|im)\s+)?"
    r"(?:\b[1-8]00\s*(?:mg)?\s*(?:od|bd|bid|qd|daily|once daily|twice daily|a day|/d(?:ay)?)?\s*"
    r"(?:\(\s*\d+\s*(?:mg)?\s*/\s*day\s*\)\s*)?|(?<=on )|(?<=imatinib )|(?<=im )|(?<=glivec ))$",
    re.I,
)


def _date_spans(text: str) -> List[Tuple[int, int, str]]:
    """(start, end, "since <month> <year>") of each date a time runs from up to today ("since <month>" when the
    year is left out)."""
    out = []
    for m in _SINCE_YEAR_RE.finditer(text):
        out.append((m.start(), m.end(), _since_value(m)))
    for m in _SINCE_MONTH_RE.finditer(text):
        on = _ON_IT_BEFORE.search(text[max(0, m.start() - 40) : m.start()])  # "on 400 od since Feb", not "seen since"
        if on and not any(a <= m.start() < b for a, b, _ in out):
            out.append((m.start(), m.end(), f"since {m['mon'][:3].lower()}"))
    for m in _FROM_DATE_RE.finditer(text):  # "imatinib 400 mg od from 02.04.2024": its start
        out.append((m.start(), m.end(), _since_value(m)))
    interrupted = _COURSE_CHANGED.search(text)  # stopped and restarted, switched: the first start is not the span
    for m in _STARTED_DATE_RE.finditer(text):
        gap = m.group("gap")
        of_a_dose = re.search(r"[1-8]00", gap) and not re.search(r"\b(?:imatinib|im|glivec|gleevec)\b", gap, re.I)
        if of_a_dose and _first_of_a_history(text, m.start("gap") + re.search(r"[1-8]00", gap).start()):
            of_a_dose = False  # "Started 400 in 2015, … went to 600": the first dose of a history is the start
        if (
            not interrupted
            and not of_a_dose
            and not _ANOTHER_DRUG_BEFORE.search(text[max(0, m.start() - 30) : m.start()])
        ):
            start = next(m.start(g) for g in ("iy", "dn", "mon", "dd", "mm", "year") if m.group(g))
            out.append((start, m.end(), _since_value(m)))
    return out


def _first_of_a_history(text: str, at: int) -> bool:
    """The dose at ``at`` is the first one named, and another dose is named after it (a history told in order)."""
    named = [(m.start(), m.group(1)) for m in DOSE_NAMED.finditer(text)]
    return bool(named) and named[0][0] == at and any(d != named[0][1] for _, d in named[1:])


# a course stopped, restarted, switched or changed: "started IM in 2019 but stopped 2021-2024", "initially 400"
_COURSE_CHANGED = re.compile(
    r"\b(?:stopped|stop|restart\w*|re-?started|resum\w*|switch\w*|initially|back on|off (?:it|imatinib|im)|break|"
    r"paused|tfr|1st[- ]line|first[- ]line|2nd[- ]line|second[- ]line|before that|prior to that)\b",
    re.I,
)
# another drug just before "started": "nilotinib started in 2024", "clarithromycin (started June 2026)"
_ANOTHER_DRUG_BEFORE = re.compile(
    r"\b(?:nilotinib|dasatinib|bosutinib|ponatinib|asciminib|tasigna|sprycel|bosulif|iclusig|scemblix|hu|"
    rf"hydroxyurea|hydroxycarbamide|interferon|ifn|{MEDICINE_BY_ENDING})\b[^.;,]{{0,12}}$",
    re.I,
)


def _since_value(m: re.Match) -> str:
    if m.group("iy"):  # "2023-11-20"
        return f"since {int(m.group('id'))} {MONTHS[int(m.group('im')) - 1][:3].lower()} {m.group('iy')}"
    month = m.group("mon") or (MONTHS[int(m.group("mm")) - 1] if m.group("mm") else "")
    dd = m.group("dd") or m.group("dn")
    day = dd.strip("./") + " " if dd and month else ""  # a full date: from its day
    year = m.group("year") if len(m.group("year")) == 4 else f"20{m.group('year')}"  # "14-Feb-22"
    return f"since {day}{month[:3].lower()} {year}".replace("  ", " ")


# years and months written together: "3y1m", "2 yrs 4 mo", "1y, 6m"
_DUR_COMPOUND = re.compile(
    r"(?<![\w.,^])[0-9]+\s*(?:y|yrs?|years?)\s*,?\s*[0-9]+\s*(?:m|mo|mos|mths?|months?)(?![\w/])", re.I
)


# the words of a writer taking back what they just typed ("400 bd?? no sorry 400 od", "0.5 % - I mean 0.05 %",
# "600, or rather 400", "standard was 400... no hang on, 600"): one list, for the reader and the grammar below
TAKE_BACK_WORDS = (
    r"sorry|i mean|i meant|correction|scratch that|make that|or rather|typo|actually|no,? wait|hang on|hold on|"
    r"oops|my bad|my mistake"
)
_THEN_CHANGED = re.compile(r"^[^\d]{0,25}\b(?:then|later|after that|subsequently)\b[^\d]*$", re.I)
# a step of a history only thought of, proposed or refused: "then thinking 400 to 300 if MR4 holds", "then 600 to
# 800 was discussed but she declined"
_STEP_NOT_TAKEN = re.compile(
    r"\b(?:think\w*|consider\w*|plan\w*|propos\w*|discuss\w*|declin\w*|refus\w*|if|might|could|would|should|"
    r"maybe|possibly|perhaps|hoping|hope)\b|\?",
    re.I,
)
_DATES_SAID = re.compile(r"\b(?:19|20)\d\d\b|\b\d{1,2}/\d{2,4}\b|\b[a-z]{3}\.?\s+\d{2}\b", re.I)
_TAKEN_BACK_WORD = re.compile(rf"\b(?:{TAKE_BACK_WORDS})\b", re.I)
_PLUS_AFTER = re.compile(r"\s*\+(?![\w+]|\s*[0-9])")
_PLUS_BEFORE_UNIT = re.compile(
    r"(?<![\w.,])(?P<n>[0-9]+(?:[.,][0-9]+)?)\s*\+\s*(?P<u>years?|yrs?|y|months?|mos?|mths?|weeks?|wks?)\b", re.I
)
# a number taken back before its unit: "for 5 — sorry, 4 — years", "x 3, I mean 4, months"
_TAKEN_BACK_DURATION = re.compile(
    rf"(?<![\w.,])[0-9]+(?:[.,][0-9]+)?\s*[\u2014\u2013,-]+\s*(?:{TAKE_BACK_WORDS}|no)\W+"
    r"(?P<n>[0-9]+(?:[.,][0-9]+)?)\s*[\u2014\u2013,-]*\s*"
    r"(?P<u>years?|yrs?|months?|mos?|mths?|weeks?|wks?|days?)\b",
    re.I,
)


_DUR_UNIT = r"years?|yrs?|months?|mos?|mths?|weeks?|wks?|days?"
_TAKEN_BACK_AFTER_UNIT = re.compile(
    rf"(?<![\w.,])[0-9]+(?:[.,][0-9]+)?\s*(?P<u>{_DUR_UNIT})\b[^.;\d]{{0,20}}?\b(?:{TAKE_BACK_WORDS})\W+"
    rf"(?:it'?s\s+|it\s+was\s+|more like\s+|nearer\s+|closer to\s+)?(?P<n>[0-9]+(?:[.,][0-9]+)?)"
    rf"(?![0-9]|[.,][0-9]|\s*(?:%|mg|ng|x\b|{_DUR_UNIT}|/))",
    re.I,
)


def _no_duration(text: str, m: re.Match) -> bool:
    """A duration's words that are no duration: "every 12 hours", "2 tablets a day", "40 hours a week", "62M",
    "would like to stop one day"."""
    s, e = m.start(), m.end()
    before = text[max(0, s - 30) : s]
    return bool(
        _DUR_BLOCK_BEFORE.search(before)
        or (m.group("art") and _ARTICLE_BLOCK.search(before))
        or _RATE_AFTER.match(text, e)
        or (_AGE_SEX.match(text, s, e) and re.match(r"\s*$", text[_segment_start(text, s) : s]))
        or (re.fullmatch(r"one\s+day", text[s:e], re.I) and not _ONE_DAY_MEASURED.search(before))
        or bool(_COURSE_DAY.fullmatch(text[s:e]) and _COURSE_DAY_AFTER.match(text, e))
        # "IM 400 bd/ 12h": the interval of the schedule, not a time since the dose (but "od/ 26m/" is a list)
        or bool(re.search(r"\b(?:od|bd|daily)/\s+$", before, re.I) and _HOURS_ONLY.fullmatch(text[s:e]))
    )


_HOURS_ONLY = re.compile(r"[0-9]+(?:[.,][0-9]+)?\s*(?:h|hrs?|hours?)", re.I)
# a dose before the day, week or month of a course: "imatinib 400 month 18", "IM 600 week 3", "300 day 14"
_COURSE_DAY = re.compile(r"[1-8]00\s*(?:day|week|wk|month|mo|mth)", re.I)
_COURSE_DAY_AFTER = re.compile(
    r"\s*[0-9]+(?![0-9]|[.,][0-9]|\s*%|\s*(?:d|days?|w|wks?|weeks?|m|mo|mos|months?|y|yrs?|years?|h|hrs?|hours?)\b)",
    re.I,
)


def _duration_spans(text: str) -> List[Tuple[int, int, str, bool]]:
    """(start, end, value, written in clinic notation) of each duration; "6/12" is read as "6 months"."""
    compound = [(m.start(), m.end()) for m in _DUR_COMPOUND.finditer(text)]
    spans = [(s, e, re.sub(r"\s+", " ", text[s:e]), False) for s, e in compound]
    for m in _DUR_RE.finditer(text):
        s, e = m.start(), m.end()
        if any(lo <= s < hi for lo, hi in compound) or _no_duration(text, m):
            continue  # a part of "3y1m"; a rate, an age, "some day"
        value = re.sub(r"(?<=[0-9])\s*-\s*(?=[a-z])|(?<=[a-z])-(?=[a-z])", " ", text[s:e], flags=re.I)
        plus = _PLUS_AFTER.match(text, e)
        if plus:  # "MMR 2y+": the whole expression, which the normaliser asks about (clinical review 2, N0663)
            e, value = plus.end(), value + "+"
        spans.append((s, e, re.sub(r"\s+", " ", value), False))
    for m in _PLUS_BEFORE_UNIT.finditer(text):  # "2+ years"
        spans.append((m.start(), m.end(), f"{m['n']}+ {m['u']}", False))
    for m in _TAKEN_BACK_DURATION.finditer(text):  # "for 5 — sorry, 4 — years": the number meant, with the unit
        s = m.start("n")
        spans = [sp for sp in spans if not (sp[0] < m.end() and s < sp[1])]
        spans.append((s, m.end(), f"{m.group('n')} {m.group('u')}", False))
    for m in _TAKEN_BACK_AFTER_UNIT.finditer(text):  # "2 yrs on it, no wait 3": the number meant, in the same unit
        spans = [sp for sp in spans if not (sp[0] < m.end("n") and m.start() < sp[1])]
        spans.append((m.start("n"), m.end("n"), f"{m.group('n')} {m.group('u')}", False))
    for s, e, value in _date_spans(text):  # "MMR since 2020", "IM started in March 2019": up to today
        spans.append((s, e, value, False))
    for m in _MONTH_N_RE.finditer(text):
        if _FROM_A_POINT_BEFORE.search(text[max(0, m.start() - 10) : m.start()]):
            continue  # "on 600 since month 6": when the dose changed, not the time now
        unit = "months" if m.group("u").lower() == "month" else "years"
        if int(m.group("n")) >= 1:
            spans.append((m.start(), m.end(), f"{int(m.group('n'))} {unit}", True))
    for m in _CLINIC_NOTATION_RE.finditer(text):
        value = clinic_duration(m.group("cn"), m.group("cd"))
        if value is not None and not _CLINIC_BLOCK_BEFORE.search(text[max(0, m.start() - 20) : m.start()]):
            spans.append((m.start(), m.end(), value, True))
    return sorted(spans)


# a level held at or under a response ceiling, then "for" a duration: the time in that response (MMR 0.1 %; MR4
# 0.01 %, MR4.5 0.0032 %, MR5 0.001 %: deep molecular response)
_HELD_FOR = re.compile(
    r"(?:<=?|≤|=<|\bbelow|\bunder|\bless than|\bat or below|\bat most|\bno more than)\s*"
    r"(?P<c>0[.,]1|0[.,]01|0[.,]0032|0[.,]001)\s*%\s*(?:\(?is\)?\s*)?"
    r"(?:(?:continuously|consistently|stably|steadily|throughout|without a break|uninterrupted)\s+)?"
    r"(?:for|x|\u00d7)\s*(?:the\s+)?(?:last\s+|past\s+)?(?:about\s+|~\s*)?$",
    re.I,
)
_SPAN_BEFORE = re.compile(r"\b(?:over|within|in|during|across|after|for the (?:last|past|next))\s*(?:the\s+)?$", re.I)
_ON_A_DOSE_AFTER = re.compile(
    r"\s*(?:on|at)\s+(?:the\s+)?(?:new\s+|current\s+|reduced\s+|this\s+|higher\s+|lower\s+)?"
    r"(?:dose\b|[1-8]00\s*(?:mg)?(?![\w/]|[.,]\d))",
    re.I,
)
EVENT_AFTER = re.compile(
    r"\s*(?:-\s*)?(?:long\s+)?(?:hold|break|interruption|gap|holiday|pause|course|trial|wait|delay|admission|stay|"
    r"off|treatment break|drug holiday|washout|attempt|tfr|treatment-free|without (?:treatment|imatinib|tki))\b",
    re.I,
)


# the whole time on imatinib, beside a time at a dose or in a response: "on 300 for 2 yrs, 7 years total"
_TOTAL_AFTER = re.compile(r"\s*(?:in\s+)?(?:total|overall|altogether)\b", re.I)
_TOTAL_BEFORE = re.compile(r"\b(?:total(?:\s+of)?|in total|overall|altogether)\s*:?\s*(?:about\s+|~\s*)?$", re.I)
# a total of something else: time held or missed, or in a response ("held 6 wks in total", "in MMR 4 years total")
_TOTAL_OF_ELSE = re.compile(
    r"\b(?:held|hold|missed|missing|off|break|stopped|interrupt\w*|paused|mmr|mr ?[345](?:[.,]5)?|dmr|cmr|response|"
    r"undetectable|remission|admitted|admission)\b",
    re.I,
)


def _total_on_imatinib(text: str, ctx: "_Context", s: int, units: set) -> bool:
    """A total in months or years with nothing else totalled in its clause is the whole time on imatinib."""
    return (
        bool(units)
        and units <= {"year", "yr", "y", "month", "mo", "mos", "mth", "m"}
        and not _TOTAL_OF_ELSE.search(text[ctx.clause_start(s) : s])
    )


_NOW_BEFORE_DURATION = re.compile(r"(?:^|[\s,;(\-])(?:now|currently|at present)\s*(?:at\s*|[:=~-]\s*)?$", re.I)
_RESPONSE_NOW = re.compile(  # "MMR now 18 mo": the time in MMR
    r"\b(?:MMR|MR ?[345](?:[.,]5)?|DMR|CMR)\s*(?:now|currently|at present)\s*(?:at\s*|[:=~-]\s*)?$", re.I
)


# complexity: one branch per cue a duration may follow or precede
def _duration_candidates(text: str, ctx: _Context, doses: Sequence[_Cand], levels: Sequence[_Cand]) -> List[_Cand]:  # noqa: C901 (the reason is above)
    """Each duration, labelled by its cue: after it ("18 months on imatinib", "4/52 on the new dose", "the
    6-month PCR") or before it ("MMR for 2 years", "imatinib x 7 yrs"), or by the level it dates ("0.7 %
    at 18 months": the time on imatinib). A clinic notation without a cue is left out (it may be a date)."""
    out = []
    for s, e, value, notation in _duration_spans(text):
        before = text[max(0, s - 30) : s]
        units = {
            u.lower().rstrip("s") for u in _UNIT_WORD_RE.findall(re.sub(r"\band\s+a\s+half\b", "", value, flags=re.I))
        }
        label = None
        tp = False
        cue = None
        if EVENT_AFTER.match(text, e):
            out.append(_Cand(s, e, "duration", value, _RANK_GENERIC))
            continue  # "a 2-week hold", "a 3 wk interruption": the length of an event
        if CHANGE_AT_BEFORE.search(text[ctx.clause_start(s) : s]):
            out.append(_Cand(s, e, "duration", value, _RANK_GENERIC))
            continue  # "escalated to 600 at 12 mo", "went up at 6 mo": when the dose changed, not the time now
        if units and units <= {"hour", "hr", "h"} and _HOURS_OF_ANOTHER_EVENT.match(text, e):
            label = "duration"  # "reached the lab 36 hours after collection": not the hours after a dose
        elif units and units <= {"hour", "hr", "h"}:
            label = "hours_since_dose"
        elif (_TOTAL_AFTER.match(text, e) or _TOTAL_BEFORE.search(before)) and _total_on_imatinib(text, ctx, s, units):
            label, cue = "months_on_tki", None  # "9 yrs total on IM", "7 years in total": the whole time on it
        held = None if label else _HELD_FOR.search(text[max(ctx.clause_start(s), s - 60) : s])
        if held:  # "below 0.1 % (continuously) for 40 months (on IM)": how long the response has been held
            label = "mmr_months" if float(held.group("c").replace(",", ".")) >= T.MMR_PCT else "dmr_months"
        if label is None:
            fol = ctx.following(e, ("hours", "curdose", "tki", "mmr", "dmr"))
            if fol is not None and fol.kind in ("mmr", "dmr") and _TIMEPOINT_BEFORE.search(before):
                fol = None
            if fol is not None and fol.kind == "tki" and _response_for(ctx, s):
                fol = None  # "in MMR for 3 years on IM 400": the time in MMR, on imatinib
            if fol is not None:
                label, cue = _DUR_LABEL[fol.kind], fol
                fol.used = True
        now_before = _NOW_BEFORE_DURATION.search(before) and not _RESPONSE_NOW.search(before)
        if label is None and now_before and not _ON_A_DOSE_AFTER.match(text, e):
            label = "months_on_tki"  # "MR4 at 24 - now 40 mo": the time now, on imatinib, not a time in MR4
        if label is None and not _DUR_PREP_BEFORE.search(before):
            # a result named by its time point: "the 6-month PCR", "12 mo bcr-abl", "a 2 yr response"
            if ctx.following(e, ("bcr", "result")) is not None or _YEARS_IN_AFTER.match(text, e):
                label, tp = "months_on_tki", True
        if label is None:
            pre = ctx.preceding(s, ("hours", "curdose", "tki", "mmr", "dmr"))
            dose_cue = None
            for d in doses:
                if d.end <= s and d.start >= ctx.clause_start(s) and _DOSE_FOR_GAP.match(text[d.end : s]):
                    dose_cue = d
            if dose_cue is not None and (pre is None or dose_cue.end >= pre.end):
                label = "months_on_tki"
            elif pre is not None:
                if pre.kind in ("mmr", "dmr") and (
                    _TIMEPOINT_BEFORE.search(text[pre.end : s])
                    or re.match(r"\s*in\s*$", text[pre.end : s])
                    and _REACHED_BEFORE.search(text[max(0, pre.start - 16) : pre.start])
                ):
                    label = "duration"  # "MMR at 12 months" is a time point, not a duration in MMR
                else:
                    label, cue = _DUR_LABEL[pre.kind], pre
                    pre.used = True
        if label is None and _ON_A_DOSE_AFTER.match(text, e) and not _SPAN_BEFORE.search(before):
            label = "months_on_tki"  # "2/52 on 600 mg": on this dose (the reader's time_at_dose says which time)
        if label == "hours_since_dose" and cue is not None and _implausible_hours(text, cue, value, units):
            label = "duration"  # "drawn 7 days after ...": not the hours after a dose
        planned = _PLANNED_POINT_BEFORE.search(before)  # "recheck planned at 6 months": a time to come
        if label is None and _TP_BEFORE.search(before) and _dated_levels(ctx, s, levels) and not planned:
            label, tp = "months_on_tki", True  # "0.7 % at 18 months", "at 9 mo she is 3 %"
        if label == "months_on_tki" and _TP_BEFORE.search(before):
            tp = True  # "1.2 % after a year and a half on IM"
        if label == "months_on_tki" and _LATER_AFTER.match(text, e):
            label = "duration"  # "IM started 2 months later": after something else, not the time on imatinib
        if label is None:
            label = "duration"
        if notation and label == "duration" and _list_item_on_imatinib(text, s, e, value, doses):
            label = "months_on_tki"  # "IM 400. 3/12. BCR-ABL 14%", "cp, im 400, 9/12": the time on it
        if notation and label == "duration" and not re.match(r"\s*ago\b", text[e : e + 6], re.I):
            continue  # (never a date before "ago": "up to 600 2/52 ago" is a time since a change)
        c = _Cand(s, e, label, value, _RANK_GENERIC if label == "duration" else _RANK_NUMERIC)
        c.tp = tp
        out.append(c)
    return out


# hours after something that is not the dose: the sample's journey, its collection, a delay
_HOURS_OF_ANOTHER_EVENT = re.compile(
    r"\s*(?:after|from|post|since)\s+(?:the\s+)?(?:sample\s+)?(?:collection|sampling|venepuncture|venipuncture|"
    r"being (?:taken|drawn|collected)|it was (?:taken|drawn|collected)|the draw|drawing|receipt|centrifug\w*)\b"
    r"|\s*(?:in|of)\s+(?:transit|transport|the post)\b|\s*(?:delay|late|to (?:reach|get to) the lab)\b",
    re.I,
)
# an item of a terse list: nothing else between its separators (a comma, a full stop, a pipe, a dash or a slash
# between spaces, a bracket), never before a colon ("3/12: 0.1 %" dates a result)
_ITEM_BEFORE = re.compile(r"(?:^|[,.;|(\n]|\s[-\u2013/])\s*$")
_PLAN_BEFORE_ITEM = re.compile(
    r"\b(?:f/?u|follow[- ]?up|review|rv|plan|repeat|recheck|re-?check|next|see|seen|clinic|interval|restart|stop|"
    r"hold|book|tca|return)\b",
    re.I,
)
_ITEM_AFTER = re.compile(r"\s*(?:$|[,.;|)\n?]|[-\u2013/]\s)")


def _list_item_on_imatinib(text: str, s: int, e: int, value: str, doses: Sequence[_Cand]) -> bool:
    """Months in clinic notation said alone as an item of a list about imatinib ("im 400, 9/12, 3.3 %"): the
    time on it. Weeks are left alone (the time on the drug or on the dose), and so is a date-like item in a
    message that names neither imatinib nor its dose."""
    if not value.endswith("months") or not (_ITEM_BEFORE.search(text[:s]) and _ITEM_AFTER.match(text, e)):
        return False
    if "/" in text[s:e] and text[:s].rstrip().endswith("(") or _PLAN_BEFORE_ITEM.search(text[max(0, s - 40) : s]):
        return False  # "last PCR (3/12) 0.5 %", "F/U - 3/12", "Plan: … repeat PCR, 3/12": a date or an interval
    if OTHER_TKI.search(text):
        return False  # "switched IM to dasatinib 100, 9/12": the time on which drug is not said
    return bool(doses) or re.search(rf"\b{_IM_NAME}", text, re.I) is not None


_FOR_GAP = re.compile(r"^\s*(?:for|x|\u00d7)\s*(?:the\s+)?(?:last\s+|past\s+)?(?:about\s+|approx\.?\s+|~\s*)?$", re.I)


def _response_for(ctx: _Context, s: int) -> bool:
    """A response just before "for" the duration at ``s`` ("in MMR for 3 years"): the duration is its time."""
    pre = ctx.preceding(s, ("mmr", "dmr"))
    return pre is not None and bool(_FOR_GAP.match(ctx.text[pre.end : s]))


def _implausible_hours(text: str, cue: _Cue, value: str, units: set) -> bool:
    """Weeks or more are never the hours after a dose, and a sampling word alone ("drawn", "taken") does not
    make days the hours after a dose."""
    if units - {"hour", "hr", "h", "day", "d"}:
        return True
    try:
        hours = normalize("hours_since_dose", value).value
    except NormalizationError:
        return True  # out of range
    return hours > 48 and not re.search(r"dos|tablet|pill|intake", text[cue.start : cue.end], re.I)


def _dated_levels(ctx: _Context, pos: int, levels: Sequence[_Cand]) -> List[_Cand]:
    """The BCR-ABL1 levels (or bare percentages) in the sentence at ``pos`` that a time point may date;
    a level the patient "reached" or "achieved" is a milestone, not the level now."""
    ss, se = ctx.sentence(pos)
    out = []
    for c in levels:
        if c.label not in ("bcr_abl1_is", "percent") or not ss <= c.start < se:
            continue
        if _MILESTONE_BEFORE.search(ctx.text[ctx.clause_start(c.start) : c.start]):
            continue
        out.append(c)
    return out


def _resolve_time_points(cands: Sequence[_Cand], levels: Sequence[_Cand], ctx: _Context, numeric_bcr: List[_Cand]):
    """A time point dates the levels of its sentence: a bare percentage there is BCR-ABL1. Of several time
    points the latest is the time on imatinib, with its level; the earlier ones and their levels are history
    and are left out."""
    tps = [c for c in cands if c.tp and c.label == "months_on_tki"]
    if not tps:
        return
    for tp in tps:
        for lv in _dated_levels(ctx, tp.start, levels):
            if lv.label == "percent":
                lv.label, lv.rank = "bcr_abl1_is", _RANK_NUMERIC
                numeric_bcr.append(lv)
    _time_on_over_time_points(cands, tps)
    tps = [c for c in tps if c.label == "months_on_tki"]
    if len(tps) < 2:
        return
    if _history_beside_now(ctx, tps, numeric_bcr):
        return
    months = {}
    for tp in tps:
        try:
            months[id(tp)] = normalize("months_on_tki", tp.value).value
        except NormalizationError:
            return  # not comparable: leave them to the dialogue
    latest = max(tps, key=lambda c: months[id(c)])
    for tp in tps:
        if tp is not latest:
            tp.label = _BLOCK
    for lv in numeric_bcr:
        if lv.label != "bcr_abl1_is" or not any(ctx.sentence(lv.start) == ctx.sentence(t.start) for t in tps):
            continue
        # a level goes with the time point of its own clause ("0.5 % at 6 months, 0.05 % at 18 months")
        clause = ctx.clause_start(lv.start)
        near = [t for t in tps if ctx.clause_start(t.start) == clause] or tps
        nearest = min(near, key=lambda t: min(abs(t.start - lv.end), abs(lv.start - t.end)))
        if nearest is not latest:
            lv.label = _BLOCK


# "now" just before a level: "currently 0.4 %", "today's PCR: 0.6 %", "now at 0.02"
NOW_BEFORE_LEVEL = (
    r"\b(?:now|currently|current|today|at present)\b\W{0,3}(?:(?:bcr-?abl1?|pcr|level|result|is|at|=|:|-)\W{0,3}){0,3}$"
)
_NOW_BEFORE_LEVEL = re.compile(NOW_BEFORE_LEVEL, re.I)
_NOW_AFTER_LEVEL = re.compile(r"\s*(?:\(?IS\)?\s*)?(?:now|currently|today)\b", re.I)


def _history_beside_now(ctx: _Context, tps: List[_Cand], numeric_bcr: List[_Cand]) -> bool:
    """ "currently 0.4 % (was 1.1 % at 6/12, 0.7 % at 9/12)": beside a level said to be now, the dated results
    and their times are history (left out); True when so."""
    now = [lv for lv in numeric_bcr if lv.label == "bcr_abl1_is" and _said_now(ctx, lv, tps)]
    if not now:
        return False
    for c in tps + [lv for lv in numeric_bcr if lv.label == "bcr_abl1_is" and not any(lv is n for n in now)]:
        if any(ctx.sentence(c.start) == ctx.sentence(t.start) for t in tps):
            c.label = _BLOCK
    return True


def _said_now(ctx: _Context, lv: _Cand, tps: Sequence[_Cand]) -> bool:
    """A level said to be the one now, with no time point just beside it (that time would date it), and no share
    of doses ("adherence was 80 %, now 100 %")."""
    if any(0 <= t.start - lv.end <= 12 or 0 <= lv.start - t.end <= 12 for t in tps):
        return False
    if _in_adherence_clause(ctx.text, ctx, lv.start, re.sub(r"[^\d.,]", "", ctx.text[lv.start : lv.end]) or "0"):
        return False
    clause = ctx.clause_start(lv.start)
    return bool(
        _NOW_BEFORE_LEVEL.search(ctx.text[max(clause, lv.start - 30) : lv.start])
        or _NOW_AFTER_LEVEL.match(ctx.text, lv.end)
    )


def _time_on_over_time_points(cands: Sequence[_Cand], tps: Sequence[_Cand]) -> None:
    """ "5 months on IM, the 3-month PCR was 15 %": the time on imatinib said as such is the time since it was
    started (spec); a result's earlier time point is when that result was taken, not a second time on imatinib."""
    said = [c for c in cands if c.label == "months_on_tki" and not c.tp]
    if len(said) != 1 or len(tps) != 1:
        return
    try:
        on = normalize("months_on_tki", said[0].value).value
        for tp in tps:
            if normalize("months_on_tki", tp.value).value < on:
                tp.label = _BLOCK
    except NormalizationError:
        return


_DUR_LABEL = {
    "hours": "hours_since_dose",
    "curdose": "days_at_current_dose",
    "tki": "months_on_tki",
    "mmr": "mmr_months",
    "dmr": "dmr_months",
}


def _day_n_candidates(text: str, ctx: _Context, doses: Sequence[_Cand]) -> List[_Cand]:
    """ "on day 3 of the new dose", "trough on day 14 at 600 mg": the days on the current dose."""
    out = []
    for m in _DAY_N_RE.finditer(text):
        n = int(m.group("n"))
        if n < 1:
            continue
        fol = ctx.following(m.end(), ("curdose", "tki"))
        if fol is not None:
            label = _DUR_LABEL[fol.kind]
        elif any(d.start > m.end() and _DAY_DOSE_GAP.match(text[m.end() : d.start]) for d in doses):
            label = "days_at_current_dose"
        elif (
            any(c.kind == "trough" and lo <= c.start < hi for c in ctx.cues for lo, hi in [ctx.sentence(m.start())])
            and _DAY_ALONE_AFTER.match(text, m.end())
            and not _DAY_OF_AN_EVENT_BEFORE.search(text[max(0, m.start() - 30) : m.start()])
        ):
            label = "days_at_current_dose"  # "trough 720 ng/mL (23 h, day 45)": the day of the dose it was drawn on
        else:
            continue
        out.append(_Cand(m.start(), m.end(), label, f"{n} days", _RANK_NUMERIC))
    return out


def _series_candidates(text: str, ctx: _Context, numeric_bcr: List[_Cand]) -> List[_Cand]:
    """A series of levels ("0.02 -> 0.3", "0.15% then 0.2%", "from 0.01 to 0.05 %", "0.1%, now 0.03%"):
    the latest is the value, the earlier ones are claimed and left out. A series is BCR-ABL1 after a
    BCR-ABL1 cue or when written in %, adherence after an adherence cue; otherwise it is left alone."""
    out = []
    for m in _SERIES_RE.finditer(text):
        members = [(m.start() + x.start(), m.start() + x.end()) for x in _SER_NUM_RE.finditer(m.group(0))]
        if len(members) < 2:
            continue
        links = [text[a[1] : b[0]].strip().lower() for a, b in zip(members, members[1:], strict=False)]
        if "to" in links and not (
            re.search(r"\bfrom\s*$", text[max(0, members[0][0] - 10) : members[0][0]], re.I)
            or _TREND_WORD.search(text[ctx.sentence(members[0][0])[0] : members[0][0]])
        ):
            continue  # "80 to 90 %" is a range; "from 80 to 90 %", "rising, 0.1 to 0.4 %" a change
        ok, has_pct = True, False
        values = []
        for a, b in members:
            num = re.match(_N, text[a:b]).group(0)
            pct = text[a:b] != num
            has_pct |= pct
            try:
                v = float(num.replace(",", "."))
            except ValueError:
                ok = False
                break
            if not 0 <= v <= 100 or (not pct and not _UNITLESS_AFTER.match(text, b)):
                ok = False
                break
            values.append(v)
        # ">" links a series only where it cannot mean "greater than" ("0.01 > 0.03 > 0.12")
        if not ok or any(link == ">" and x >= y for link, x, y in zip(links, values, values[1:], strict=False)):
            continue
        first, last = members[0], members[-1]
        adh = ctx.preceding(first[0], ("adh",), max_gap=45)
        bcr = ctx.preceding(first[0], ("bcr", "mmr", "dmr"), max_gap=45) or ctx.preceding(
            first[0], ("bcr_weak",), max_gap=25
        )
        sentence_before = text[ctx.sentence(first[0])[0] : first[0]]
        if adh is not None and (bcr is None or adh.end > bcr.end) or _ADH_AFTER.match(text, last[1]):
            label = "adherence_pct"
        elif bcr is not None or has_pct or ctx.following(last[1], ("bcr",), gap=_PCT_FOLLOW_GAP) is not None:
            label = "bcr_abl1_is"
        elif "to" not in links and all("." in text[a:b] for a, b in members) and not _LAB_WORD.search(sentence_before):
            # "went 0.02 -> 0.3": a trend of small decimals is a BCR-ABL1 trend here (a trough or a dose is
            # in hundreds, an adherence in whole percent), unless another laboratory value is named
            label = "bcr_abl1_is"
        else:
            continue
        s, e = last
        value = text[s:e]
        if label == "adherence_pct":
            num = re.match(_N, value).group(0)
            value = f"{num}%" if value != num else num
        c = _Cand(s, e, label, value, _RANK_NUMERIC)
        block = _Cand(first[0], members[-2][1], _BLOCK, "", -1)
        if label == "bcr_abl1_is":
            numeric_bcr.append(c)
        out += [c, block]
    return out


def _range_blocks(text: str, ctx: _Context) -> List[_Cand]:
    """A range of percentages ("adherence 80-90 %", "0.1 to 0.2 %"), or one said in words ("anywhere from 900 to
    1100 ng/mL"), is no one value: claimed, left out."""
    out = []
    for m in _PCT_RANGE_RE.finditer(text):
        if re.search(r"\bto\b", m.group(0), re.I) and _TREND_WORD.search(text[ctx.sentence(m.start())[0] : m.start()]):
            continue  # "rising, 0.1 to 0.4 %" is a series
        out.append(_Cand(m.start(), m.end(), _BLOCK, "", -1))
    for m in _SAID_RANGE_RE.finditer(text):
        out.append(_Cand(m.start(), m.end(), _BLOCK, "", -1))
    for m in _UP_FROM_RE.finditer(text):
        s, e = m.start("num"), m.end()
        if m.group("pct") or (float(m.group("num").replace(",", ".")) <= 100 and _UNITLESS_AFTER.match(text, e)):
            out.append(_Cand(s, e, _BLOCK, "", -1))
    return out


def _past_values(cands: List[_Cand], ctx: _Context) -> None:
    """Of several values of a field (grades, phases, troughs, levels), one named as past ("G3 previously, now
    G1", "accelerated phase at diagnosis, now CP", "previously 400 with a trough of 700") is not the current
    one."""
    for labels in (("ae_grade",), ("phase",), ("trough_ng_ml",), ("bcr_abl1_is", "percent"), ("adherence_pct",)):
        # (a grade of the past beside "no side effects now" is the past one: "none" counts for the grade)
        found = [c for c in cands if c.label in labels and (c.value != "none" or labels == ("ae_grade",))]
        if not any(c.label == labels[0] for c in found):
            continue  # bare percentages only beside a BCR-ABL1 level
        if len({c.value for c in found}) < 2:
            continue
        clauses = [ctx.text[ctx.clause_start(c.start) : ctx.clause_end(c.end)] for c in found]
        # "the PCR from last week was 0.004 %": a result dated as the newest is told in the past, and is no past value
        past = [c for c, cl in zip(found, clauses, strict=True) if _PAST.search(cl) and not _DATED_NEWEST.search(cl)]
        if past and len(past) < len(found):
            for c in past:
                c.label = _BLOCK


# "no MMR result yet", "never lost MMR": no response said to be missed
_NOT_A_RESULT_AFTER = re.compile(
    r"^\s*(?:results?|data|tests?|testing|pcrs?|samples?|values?|levels?|yet available|available|done|sent)\b", re.I
)
_DOUBLE_NEGATION = re.compile(  # "never lost MMR", "never been outside MMR": held, not lost
    r"\b(?:never|not|n't|no|without)\s+(?:\w+\s+)?(?:lost|loss|losing|loses|outside|out\s+of|above)\b", re.I
)


# a response lost and then won back in the same sentence: "lost MMR once in 2022 then regained", "lost MR4,
# back in MR4 since": the loss is history
_REGAINED_AFTER = re.compile(
    r"\b(?:re-?gained|regain\w*|re-?achieved|back in(?:to)?|in (?:mmr|mr ?[45](?:[.,]5)?) again|recovered|"
    r"since restored|restored)\b",
    re.I,
)
# a patient the message is about (a number of theirs or a word for them): "MMR lost" alone names a topic
_A_PATIENT_BESIDE = re.compile(r"\d|\b(?:pt|patient|she|he|her|his|him|they|them|mrs?|ms|mr|lady|man|woman)\b", re.I)


def _negated_responses(kw: List[_Cand], t: str, ctx: _Context) -> List[_Cand]:
    """ "not in MMR", "no longer in MR4", "lost MMR", "MMR not reached": this patient's level is above the
    category's ceiling, a bound (spec v1.2; the form asks how far above it when a rule needs the number), unless
    the patient is anyone ("pts not in MMR at 12 mo …") or no result is meant ("no MMR result yet")."""
    out = []
    for c in kw:
        if c.mr:
            before = t[ctx.clause_start(c.start) : c.start]
            after = t[c.end : ctx.clause_end(c.end)]
            # (the words before "over" are read in the whole text: "in and out of MMR" opens a clause at "out")
            above = _ABOVE_THE_LINE.search(t[max(0, c.start - 40) : c.start]) and _ABOVE_THE_LINE.search(before)
            neg, neg_after = _NEG_BEFORE.search(before) or above, _NEG_AFTER.match(after)
            mine = not _GENERIC_HOLDER.search(t[max(0, c.start - 40) : c.start])
            meant = not _DOUBLE_NEGATION.search(before) and not _NOT_A_RESULT_AFTER.match(after)
            meant = meant and bool(_A_PATIENT_BESIDE.search(t[: c.start] + " " + t[c.end :]))
            meant = meant and not _REGAINED_AFTER.search(t[c.end : ctx.sentence(c.start)[1]])
            # "went back to 400 after losing MMR on 200": the loss is the event a change followed, not the level now
            meant = meant and not (neg and re.search(r"\b(?:after|following|since|post)\s+$", before[: neg.start()]))
            if (neg or neg_after) and mine and meant:
                start = c.start - (len(before) - neg.start()) if neg else c.start
                end = c.end if neg else c.end + neg_after.end()
                out.append(_Cand(start, end, c.label, f"not in {c.value}", _RANK_KEYWORD, keyword=True, mr=True))
                continue
        out.append(c)
    return out


def _suppress_negated(cands: List[_Cand], ctx: _Context) -> List[_Cand]:
    """A keyword value that the clause negates is no value: "not planning to stop", "no evidence of
    accelerated phase", "not a treatment failure", "TFR not planned" (negative values keep their words)."""
    out = []
    for c in cands:
        if c.keyword and c.label in _NEGATABLE and c.value not in _NEGATIVE_VALUES:
            before = ctx.text[ctx.clause_start(c.start) : c.start]
            after = ctx.text[c.end : ctx.clause_end(c.end)]
            if _NEG_BEFORE.search(before) or _NEG_AFTER.match(after):
                continue
            if c.label == "drug_interaction_concern" and _STOPPED_BEFORE.search(before):
                continue
            if c.label == "response_status" and _status_not_stated(ctx, c, before):
                continue  # "is this treatment failure?", "failure?": asked; "escalated for a warning": the past
        out.append(c)
    return out


_GREETING_LEAD = re.compile(r"\s*(?:(?:hi|hello|hey|ok|okay|so|quick (?:one|q\w*)|q)\b\W*)*", re.I)


def _status_not_stated(ctx: _Context, c: _Cand, before: str) -> bool:
    """A response class asked about ("is this treatment failure?", "… 12 % at 6 mo, failure?") or named as the
    reason of an earlier dose change is not the class the writer gives now."""
    lo, hi = ctx.sentence(c.start)
    lead = _GREETING_LEAD.match(ctx.text, lo)
    if _YES_NO_QUESTION.match(ctx.text, lead.end() if lead else lo, hi):
        return True
    return bool(re.match(r"\s*\?", ctx.text[c.end : c.end + 4]) or REASON_OF_CHANGE.search(before))


# a count of doses or supplies taken out of those due: "56 of 60 taken", "took 27/28 tablets", "collected 11 of
# the 12 monthly supplies" (the share taken, as a percentage)
_COUNT_TAKEN = re.compile(
    r"(?:\b(?P<verb>took|taken|takes|collected|picked up|dispensed|swallowed)\s+)?(?<![\w.,/])(?P<a>\d{1,3})\s*"
    r"(?:of|out of|/)\s*(?:the\s+|his\s+|her\s+|their\s+)?(?P<b>\d{1,3})(?![\w.,/%])"
    r"(?:\s+(?:monthly|weekly|daily|prescribed|expected|due|dispensed))?"
    r"(?:\s+(?P<what>doses?|tablets?|tabs?|pills?|capsules?|supplies|fills|refills|prescriptions|packs|boxes))?"
    r"(?:\s+(?P<after>taken|collected|picked up|swallowed))?"
    # "(so ~92 %)", "over the past year (92 %)": the same share
    r"(?:\s*\(?\s*(?:so|i\.?e\.?|=|about|approx\.?)?\s*~?\s*\d+(?:[.,]\d+)?\s*%\s*\)?|"
    r"[^.;%\d()]{1,30}?\(\s*(?:so|i\.?e\.?|=|about|approx\.?)?\s*~?\s*\d+(?:[.,]\d+)?\s*%\s*\))?",
    re.I,
)


_OVER_A_TIME = re.compile(r"\s+(?:since|over|in the (?:last|past)|this|last|per|a)\b", re.I)  # "took 52/56 since …"
_OF_ANOTHER_DRUG = re.compile(
    r"\s+of\s+(?:her|his|their|the)?\s*(?!imatinib|glivec|gleevec|im\b|tki\b|the tablets|tablets|it\b)[a-z]{4,}", re.I
)


def _counts_taken(text: str) -> List[_Cand]:
    out = []
    for m in _COUNT_TAKEN.finditer(text):
        a, b = int(m["a"]), int(m["b"])
        over_a_time = m["verb"] in ("took", "taken", "collected") and b >= 14 and _OVER_A_TIME.match(text, m.end())
        if not (m["what"] or m["after"] or over_a_time) or not 2 <= b <= 400 or not 0 <= a <= b:
            continue  # "3/12", "PCR taken 3/11", "6 of 8 patients": no share of doses unless doses or taking are said
        if "/" in m.group(0) and str(b) in CLINIC_NOTATION:
            continue  # "taken 6/7 after the switch": clinic notation, six days
        if _OF_ANOTHER_DRUG.match(text, m.end("what") if m["what"] else m.end()):
            continue  # "2 of 3 doses of her zoledronate": another drug's doses
        out.append(_Cand(m.start(), m.end(), "adherence_pct", f"{round(100 * a / b, 1):g}%", _RANK_NUMERIC))
    return out


def _adherence_candidates(text: str) -> List[_Cand]:
    return [
        _Cand(m.start(), m.end(), "adherence_pct", re.sub(r"\s+", " ", m.group(0)), _RANK_NUMERIC)
        for pattern in (_MISS_RE, _MISS_COUNT_FIRST_RE)
        for m in pattern.finditer(text)
    ] + _counts_taken(text)


# "so confirmed", "(confirmed)", "failure at 3 mo confirmed", "confirmed 2 wks later at 12 %": the latest abnormal
# result was confirmed by a repeat, said of a level in its sentence; not "confirmed CML", "to be confirmed"
_CONFIRMED_RE = re.compile(
    r"\bconfirmed\b(?!\s+(?:cml|diagnosis|dx|ph|t315i|mutation|by (?:fish|cytogenetics|bm)))"
    r"|\b(?:two|2|both|three|3)\s+(?:consecutive|successive|serial)\b"  # "0.2 % on 2 consecutive samples"
    r"|\b(?:consecutive|successive)\s+(?:samples|tests|pcrs|results|occasions|measurements)\b",
    re.I,
)
_CONFIRMED_NOT_BEFORE = re.compile(
    r"\b(?:not|un|to be|if|awaiting|await|pending|needs?|need to be|be|being|once|until|unless|yet to be|never)\s*$"
    r"|\?\s*$",
    re.I,
)


_CONFIRMED_OF_ELSE = re.compile(
    r"\b(?:adheren\w*|complian\w*|intake|taking|dose|dosing|diagnosis|dx|phase|history|identity|allergy|"
    r"interaction)\b(?:\s+(?:is|was|has been|now|also|fully))*\s*$",
    re.I,
)
_CONFIRMED_BY_COUNT = re.compile(
    r"\s*(?:\(|by|with|on|via)?\s*(?:pill|tablet|blister|mems|pharmacy|refill|dispensing|electronic)", re.I
)


def _confirmed_candidates(text: str, ctx: _Context, levels: Sequence[_Cand]) -> List[_Cand]:
    out = []
    for m in _CONFIRMED_RE.finditer(text):
        lo, hi = ctx.sentence(m.start())
        if _CONFIRMED_NOT_BEFORE.search(text[max(lo, m.start() - 20) : m.start()]):
            continue
        if _CONFIRMED_OF_ELSE.search(text[max(lo, m.start() - 30) : m.start()]) or _CONFIRMED_BY_COUNT.match(
            text, m.end()
        ):
            continue  # "adherence confirmed by pill count", "diagnosis confirmed": something else than a result
        if not any(lo <= lv.start < hi for lv in levels) and not _BCR_TAIL_CUE.search(text[lo:hi]):
            continue  # a confirmation of something else
        if (
            _YES_NO_QUESTION.match(text, lo, hi)
            or text[lo:hi].rstrip().endswith("?")
            and re.search(r"\b(?:is|does|do|should|would|can)\b[^.?]*\bconfirm", text[lo:hi], re.I)
        ):
            continue  # asked, not said
        out.append(_Cand(m.start(), m.end(), "response_confirmed", "yes", _RANK_GENERIC, keyword=True))
    return out


_MUT_WORD = (
    r"(?:kd|kinase domain|mutation|mutations|muts?|mutn|ngs|sanger|kd seq|kd screen|mutation screen|"
    r"mutation (?:analysis|analyse|analyze|analyses))"
)
# results said in a word: negative, not to hand, a phase written as its abbreviation, the clinician's class
# a side effect said to be over or no matter: "nausea, resolved", "fatigue is not an issue"
_SETTLED = (
    r"[^.;?!\n]{0,20}\b(?:resolved|settled|gone|improved|not an issue|not a problem|no longer|not bothering|none|nil|"
    r"denied|denies|better|mild|not troublesome|last (?:year|month)|previously|in the past|used to)\b"
)
_STATED = (
    (
        "mutations",
        "none found",
        re.compile(
            rf"\b{_MUT_WORD}(?:\s+(?:seq|sequencing|screen|testing|test|analysis|result|results|panel))?"
            r"(?:\s*\((?:ngs|sanger|kd|abl1?|kinase domain)\))?\s*[:=-]?\s*"  # "KD mutation screen (NGS) negative"
            r"(?:was\s+|is\s+|came back\s+|shows?\s+)?"
            r"(?:neg|negative|-ve|clear|clean|nil|none|no muts?|no mutations?|wild[- ]?type|wt)\b"
            r"|\bno (?:other\s+)?(?:kd\s+|abl1?\s+)?(?:muts?|mutations?)\b|\bnothing found\b",
            re.I,
        ),
    ),
    (
        "mutations",
        "not tested",
        re.compile(
            rf"\b{_MUT_WORD}(?:\s+(?:results?|analysis|screen|testing))?\s+(?:still\s+)?(?:pending|sent|awaited|requested|"
            r"not (?:yet )?(?:done|back|tested|sent))\b|\bnot tested\b",
            re.I,
        ),
    ),
    (
        "trough_ng_ml",
        "none yet",
        re.compile(
            r"\b(?:trough|tdm|imatinib level|drug level|level)(?:\s+(?:level|result))?\s+(?:is\s+|still\s+)?"
            r"(?:pending|awaited|not (?:yet )?(?:done|back|available|sent|taken|checked|measured))\b"
            r"|\bno (?:trough|tdm)(?:\s+level)?(?:\s+(?:yet|done|available|available here|so far))?\b"
            r"|\bwhose level is pending\b",
            re.I,
        ),
    ),
    (
        "bcr_abl1_is",
        "not done",
        re.compile(
            r"\b(?:pcr|bcr-?abl1?|rq-?pcr|qpcr)(?:\s+(?:result|level))?\s+(?:is\s+|still\s+)?(?:pending|awaited|due|"
            r"not (?:yet )?(?:done|back|available|sent|taken))\b",
            re.I,
        ),
    ),
    ("phase", "accelerated", re.compile(r"(?<![\w/-])(?-i:AP)(?![\w/-])|\baccelerated\b(?! phase)")),
    ("phase", "blast", re.compile(r"(?<![\w/-])(?-i:BP|BC)(?![\w/-])|\bblast (?:phase|crisis)\b")),
    ("phase", "chronic", re.compile(r"(?<![\w/-])(?:CP|cp)(?![\w/-])|\bcml-cp\b|\bcp-cml\b", re.I)),
    (
        "response_status",
        "warning",
        re.compile(
            r"\((?:eln\s+)?warning\)|\bwarning at\b|,\s*warning\b(?!\s+signs?)|^\W*warning\b(?!\s*(?:signs?\b|:))|"
            r"\bsuboptimal resp\w*|"
            r"(?:[.;!]\s+|^)warning(?=\s*[-–—:]\s*(?:what|how|next|plan|options?|now)\b)|"
            r"\b(?:i'?d|i would|we'?d|we would) (?:call|class\w*) (?:it|this|that|her|him)(?: as)?(?: an?)? "
            r"(?:warning|suboptimal)\b|"
            # "it's warning", "ELN 'warning'", "6 mo warning (4%)", "warning per ELN"
            r"\b(?:it'?s|it is|that'?s|response is|response)\s+(?:an?\s+)?(?:eln\s+)?['\"‘“]?warning\b"
            r"(?!\s+(?:us|me|him|her|them|that|you|about|of|signs?)\b)|"
            r"\beln\s+['\"‘“]warning|\b\d+\s*(?:mo|months?|m)\s+warning\b|\bwarning (?:per|by) eln\b",
            re.I,
        ),
    ),
    (
        "response_status",
        "failure",
        re.compile(
            r"\((?:eln\s+)?failure\)|^\W*(?:confirmed\s+)?failure\b|\bfailure (?:at|on)\b|(?<![\w\s])\s*failing\b|"
            r"(?<!prior)(?<!previous)(?<!earlier),\s*failure\s*,|"
            r"\b(?:i'?d|i would|we'?d|we would) (?:call|class\w*) (?:it|this|that|her|him)(?: as)?(?: an?)? failure\b|"
            # "Failure per ELN, on IM 400" ("failed imatinib" is left to ask: now, or before another TKI?)
            r"\bfailure (?:per|by) eln\b",
            re.I,
        ),
    ),
    (
        "response_status",
        "optimal",
        re.compile(r"\bresponse (?:is )?optimal\b|\((?:eln\s+)?optimal\)|\boptimal resp(?:onse|\.)?\b", re.I),
    ),
    # a reduction asked or wished for a side effect said as its reason: "halve the dose for her hair thinning",
    # "go down to 200 because she's always tired" (a grade beside "reduce?" with no reason said gives no goal)
    (
        "goal",
        "tolerability",
        re.compile(
            r"\b(?:reduce|reducing|lower|lowering|halve|halving|cut(?:ting)?(?: down| back)?|go(?:ing)? down|come down|"
            r"drop|dropping|de-?escalate|de-?escalating|tak(?:e|ing) less|diminish(?:ing)?)\b[^.;?!\n]{0,40}?"
            r"(?P<said>\b(?:because|as|since|for|due to|owing to)\s+(?:of\s+)?"
            r"(?:(?:her|his|the|their|she'?s|he'?s|she is|he is|always|so|very|constantly|persistent|ongoing|"
            rf"troublesome|chronic)\s+){{0,3}}(?:{SIDE_EFFECT_WORDS}|aching))\b",
            re.I,
        ),
    ),
    # the patient's wish to reduce beside a side effect of theirs: "Grade 2 fatigue and cramps, she'd like to reduce",
    # "oedema grade 2 around the eyes and he asks if he can take less" (not a TFR wish, not the clinician's question)
    (
        "goal",
        "tolerability",
        re.compile(
            r"(?<!\bno )(?<!\bnil )(?<!\bnot )(?<!\bwithout )(?<!\bdenies )(?<!\bdenied )"
            rf"\b(?:{SIDE_EFFECT_WORDS}|grade\s*[1-4]|g[1-4])\b(?!{_SETTLED})[^.?!\n]{{0,60}}?[,;.]?\s*(?:and\s+|so\s+)?"
            r"(?P<said>(?:(?:she|he|they|the patient|pt)\s*|(?<=\band )|(?<=\bso ))"
            r"(?:'d|would|wants?|is keen|asks?|asked|is asking|has asked|"
            r"wonders|wishes)\s*(?:like\s+|about\s+)?(?:to\s+|if\s+(?:she|he|they)\s+(?:can|could)\s+|whether\s+"
            r"(?:she|he|they|we)\s+(?:can|could)\s+|for\s+)?(?:reduce|a reduction|lower|cut down|come down|go down|"
            r"take less|a lower dose|less dose|less imatinib|halving|halve|reducing|lowering|coming down|going down))\b"
            r"(?!\s+(?:the\s+|her\s+|his\s+|their\s+|on\s+)?(?!(?:dose|dosage|imatinib|im|glivec|gleevec|tablets?|it|to|a|"
            r"down|because|as|since|for|if|now|please|but|and|or|further|anyway|the|her|his|their|on)\b)[a-z]{3,})"
            r"(?![^.?!\n]{0,40}\b(?:stop|stopping|tfr|treatment[- ]free|come off|coming off|discontinu\w*))",
            re.I,
        ),
    ),
    # a result of the PCR said not repeated: "BCR-ABL1 15 % … the test was not repeated yet", "3%, hasn't been
    # repeated" (not a trough: "went up to 600 and haven't repeated it")
    (
        "response_confirmed",
        "no",
        re.compile(
            r"(?:%|\bpcr\b|\bbcr\W?abl\w*|\bresults?\b|\btest\b)"
            r"(?:(?!trough|level|tdm|\()[^.;?!\n]){0,60}?"
            r"(?P<said>(?:\bnot|n't|\bnever)\s+(?:yet\s+)?(?:been\s+)?(?:repeated|rechecked|retested))\b",
            re.I,
        ),
    ),
    # a wish to stop one day, in any words: "she wants to try stopping one day", "she wish to stop in future",
    # "hoping to come off it eventually" (not a wish denied, not another drug stopped: the words after the stop are
    # imatinib's, a time, or nothing)
    (
        "goal",
        "tfr",
        re.compile(
            r"(?<!\bnot )(?<!n't )(?<!\bno )(?<!cardiology )(?<!cardiologist )(?<!cardiologists )(?<!derm )"
            r"(?<!dermatology )(?<!gp )(?<!team )(?<!husband )(?<!wife )(?<!family )(?<!son )(?<!daughter )"
            r"(?<!surgeons )(?<!surgeon )(?<!renal )(?<!oncology )(?<!they )(?<!time to )(?<!early to )(?<!soon to )"
            r"\b(?P<said>(?:wants?|wanting|wish(?:es)?|would (?:like|love)|'d (?:like|love)|keen|eager|"
            r"hop(?:es|ing)|intends?|desires?|"
            r"asks? about|asking about|interested in|plans?|planning|think(?:ing)? (?:about|of)|considering|"
            r"dreams? of)\b"
            # (not someone else's order: "derm wants her to stop")
            r"(?:\s+(?!not\b|never\b|her\b|him\b|them\b|us\b|you\b)[\w']+){0,3}?\s+"
            r"(?:stop(?:ping)?|(?:com(?:e|ing)|be|get(?:ting)?) off|discontinu\w*))\b"
            r"(?=\s*(?:[.,;:!?)\n\u2013\u2014-]|$|(?:imatinib|im|glivec|gleevec|it|treatment|therapy|the tki|tki|"
            r"one day|"
            r"the (?:medicine|medication|tablets|pills|drug)(?!\s+(?:for|of|from)\b)|"
            r"eventually|ultimately|in (?:the )?future|some ?day|altogether|completely|at some point|later|for good|"
            r"if|when|once)\b))",
            re.I,
        ),
    ),
    # a reduction as a step towards stopping: "wants to reduce with a view to stopping", "halve as a step to TFR"
    (
        "goal",
        "tfr",
        re.compile(
            r"\b(?:reduc\w*|de-?escalat\w*|halv\w*|lower\w*|dose reduction)\b[^.;?!\n]{0,30}?"
            r"(?P<said>\b(?:with a view to|as a (?:first )?step (?:to|towards)|en route to|on the way to|"
            r"before (?:trying|attempting))\s+(?:stopping|tfr|treatment[- ]free\w*|discontinu\w*|coming off))\b",
            re.I,
        ),
    ),
    # a side effect, then in the same clause a wish to reduce with no subject: "Grade 2 fatigue, wants to reduce" (not
    # "rash on dasatinib, switched to IM 400, wants to reduce": another drug's, clauses before)
    (
        "goal",
        "tolerability",
        re.compile(
            r"(?<!\bno )(?<!\bnil )(?<!\bnot )(?<!\bwithout )(?<!\bdenies )(?<!\bdenied )(?<!\bany )(?<!\breal )"
            rf"\b(?:{SIDE_EFFECT_WORDS}|grade\s*[1-4]|g[1-4])\b(?!{_SETTLED})"
            r"(?![^,.;?!\n]{0,30}\b(?:on|from|with|due to|caused by|of)\s+(?!imatinib|im\b))"
            r"[^,.;?!\n]{0,30},\s*(?P<said>(?:wants?|would like|'d like|keen|asking)\s+(?:to\s+)?"
            r"(?:reduce|lower|cut down|come down|go down|take less|a lower dose|a reduction))\b"
            # (of imatinib: not "wants to reduce the furosemide", "her working hours")
            r"(?!\s+(?:the\s+|her\s+|his\s+|their\s+)?(?!(?:dose|dosage|imatinib|im|glivec|gleevec|tablets?|it|to|"
            r"down|because|as|since|for|if|now|please|but|and|or|further)\b)[a-z]{3,})"
            r"(?![^.?!\n]{0,40}\b(?:stop|stopping|tfr|treatment[- ]free|come off|coming off|discontinu\w*))",
            re.I,
        ),
    ),
    # a wish to reduce, then the side effect it is for: "wants to reduce - grade 2 muscle cramps"
    (
        "goal",
        "tolerability",
        re.compile(
            r"(?<!\bnot )(?<!n't )\b(?P<said>(?:wants?|wanting|would like|'d like|keen|asks? about|asking about|"
            r"asked about)\s+(?:to\s+)?(?:reduce|reducing|lower|lowering|halve|halving|cut(?:ting)? down|"
            r"come down|coming down|go down|going down|a reduction|a lower dose|take less|taking less)\b)"
            r"(?:\s+(?:the\s+|her\s+|his\s+)?(?:dose|imatinib|im|glivec|it))?\s*[-\u2013:,(]\s*"
            r"(?:due to\s+|because of\s+|"
            r"for\s+|as\s+)?(?:(?:grade\s*[1-4]|g[1-4]|her|his|the|bad|troublesome|persistent|ongoing)\s+){0,3}"
            rf"(?:{SIDE_EFFECT_WORDS})\b(?!{_SETTLED})",
            re.I,
        ),
    ),
    # a day's dose split over the morning and the evening: "400 in the morning and 400 at night", "2 tabs every
    # morning and 2 every evening" (longer than "every morning" alone, so it wins)
    (
        "dosing",
        "twice daily",
        re.compile(
            r"\b(?:in the|every|each|at)\s+(?:morning|am)\b[^.;?!\n]{0,30}?\band\s+(?:\d+\s*(?:mg\s*)?)?"
            r"(?:(?:in the|every|each|at)\s+)?(?:evening|night|bedtime|pm)\b|\bmorning and (?:evening|night)\b",
            re.I,
        ),
    ),
    # the German and Austrian scheme of the day's doses (morning-noon-evening): "400 mg 1-0-0" once a day ("1-0-1"
    # is left alone: the dose written beside it may be each intake's or the day's)
    ("dosing", "once daily", re.compile(r"(?<![\w/.,-])(?:1-0-0|0-0-1)(?:-0)?(?![\w/-]|[.,]\d)")),
    # a dose raised for a failure, or a change after one: an earlier failure on a TKI (spec: prior_tki_failure)
    (
        "prior_tki_failure",
        "yes",
        re.compile(
            r"\b(?:escalat\w*|went up|gone up|increased|bumped up|raised|up(?:ped)? to \d{3})\b[^.;?]{0,40}?"
            r"(?P<said>\b(?:for|after|due to|because of)\s+(?:a |an |the )?(?:\d+\s*(?:m|mo|months?)\s+)?"
            r"(?:failure|resistance|failing|loss of (?:response|mmr|ccyr)))\b"
            r"|\bafter (?:a |an )?(?:\d+\s*(?:m|mo|months?)\s+)?failure\b|\bafter [1-8]00 failed\b"
            # a failure told, then the dose raised: "failed imatinib 400 in 2017 (lost CCyR), was escalated to 600",
            # "loss of CCyR on 400 back in 2017, went up to 800"
            # (not a failure feared or avoided, nor a failed reduction: "to avoid loss of CCyR we increased", "failed
            # imatinib de-escalation, back up to 400")
            r"|(?<!avoid )(?<!prevent )(?<!about )(?<!of )(?<!risk )"
            r"(?![^.;?]{0,45}\b(?:de-?escalat\w*|reduc\w*|stopping|stopped|tfr|discontinu\w*|back\s+(?:up\s+)?(?:to|on))\b)"
            r"(?P<said2>\b(?:failed (?:on )?(?:imatinib|im|glivec|gleevec)"
            r"(?!\s+(?:de-?escalation|dose reduction|reduction|trial|tfr|discontinuation|stopping|withdrawal))|"
            r"loss of (?:ccyr|chr|cyr|cytogenetic\w*)(?!\s+(?:response\s+)?(?:concern|risk|worry|feared))|"
            r"lost (?:her |his |their )?(?:ccyr|chr|cyr|cytogenetic\w*))\b)[^.;?]{0,50}?"
            r"\b(?<!de-)(?<!de)(?:escalat\w*|went up|gone up|increased|bumped up|raised|up(?:ped)? to \d{3})\b",
            re.I,
        ),
    ),
)


# tests said not to hand, alone or together: "trough: not done", "KD mutation panel sent", "trough + mutations both
# pending", "adherence & trough not checked yet" (each is null: said, not given)
_TEST_NOUNS = (
    ("trough_ng_ml", "none yet", r"trough(?:\s+level)?|tdm|(?:imatinib|drug)\s+level|cmin"),
    (
        "mutations",
        "not tested",
        r"(?:kd|kinase domain|abl1? kd|mutations?|mut|ngs|sanger)"
        r"(?:\s+(?:mutations?|mutation|mut))?(?:\s+(?:seq\w*|screen|analysis|panel|testing|test))?",
    ),
    ("adherence_pct", "none yet", r"adherence(?:\s+(?:check|assessment))?|pill counts?"),
)
_TEST_NOUN = "|".join(f"(?P<n{i}>{pattern})" for i, (_, _, pattern) in enumerate(_TEST_NOUNS))
_NOT_TO_HAND = re.compile(
    rf"(?<![\w-])(?:{_TEST_NOUN})(?:\s*(?:\+|&|,|/|\band\b)\s*(?:{_TEST_NOUN.replace('?P<n', '?P<m')}))*"
    r"\s*[:=-]?\s*(?:(?:both|all|each|are|is|was|were|have been|has been|been|still)\s+){0,2}"
    r"(?:pending|awaited|outstanding|requested|sent(?:\s+off)?|to follow|in progress|"
    r"not\s+(?:yet\s+)?(?:done|back|sent|checked|assessed|taken|measured|tested|available))\b(?!\s+(?:to|for)\b)",
    re.I,
)
_TEST_NOUN_ONE = re.compile(_TEST_NOUN, re.I)
# tests said not to hand: no value to hedge
_SAID_MISSING = {value for _, value, _ in _TEST_NOUNS}


def _not_to_hand(text: str) -> List[_Cand]:
    out = []
    for m in _NOT_TO_HAND.finditer(text):
        nouns = list(_TEST_NOUN_ONE.finditer(m.group(0)))
        for one in nouns:
            i = next(int(k[1:]) for k, v in one.groupdict().items() if v)
            label, value, _ = _TEST_NOUNS[i]
            s, e = (m.start(), m.end()) if len(nouns) == 1 else (m.start() + one.start(), m.start() + one.end())
            out.append(_Cand(s, e, label, value, _RANK_GENERIC, keyword=True))
    return out


def _stated_candidates(text: str, ctx: _Context) -> List[_Cand]:
    out = _not_to_hand(text)
    for label, value, pattern in _STATED:
        for m in pattern.finditer(text):
            lo, hi = ctx.sentence(m.start())
            # "Warning - what now?": the status told, then a question about it
            told = re.match(r"\s*[-–—:]\s*(?:what|how|next|plan|options?|now)\b", text[m.end() :])
            if label == "response_status" and (
                _YES_NO_QUESTION.match(text, lo, hi)
                or (text[lo:hi].rstrip().endswith("?") and not told)
                or re.search(
                    r"\b(?:was|were|had been|previously|initially)\s*$", text[max(0, m.start() - 14) : m.start()]
                )
                or re.search(r"\bnow\b", re.sub(r"\bwhat now\b|\bnow what\b", " ", text[m.end() :], flags=re.I))
            ):
                continue  # "is this failure?", "warning or failure at 24 mo?": asked; "was warning at 6 mo": past
            said = next((g for g in ("said", "said2") if g in pattern.groupindex and m.group(g)), None)
            s, e = m.span(said) if said else m.span()
            out.append(_Cand(s, e, label, value, _RANK_GENERIC, keyword=True))
    return out


def _mutation_candidates(text: str) -> List[_Cand]:
    out = []
    for m in _MUT_LIST_RE.finditer(text):
        s, e = m.start(), m.end()
        # trailing separators are not part of the list
        span = text[s:e]
        if _MUT_NEG_BEFORE.search(text[max(0, s - 40) : s]) or _MUT_NEG_AFTER.match(text[e : e + 30]):
            continue  # "no T315I", "T315I negative"
        if _MUT_TESTED_FOR.search(text[max(0, s - 40) : s]) and not _MUT_POSITIVE_AFTER.match(text, e):
            continue  # "screened for T315I" (not "tested for T315I - positive")
        parts = [p for p in re.split(r"\s*(?:,|;|/|\+|&|\band\b|\s)\s*", span) if p]
        ok = []
        for p in parts:
            pm = _MUT_ONE_RE.match(p.replace(" ", ""))
            if pm and pm.group("ref").lower() != pm.group("new").lower():
                ok.append(p)
        if not ok or len(ok) != len(parts):
            continue  # "T315T" changes nothing: not a mutation name
        value = span if "/" not in span else ", ".join(ok)
        out.append(_Cand(s, e, "mutations", re.sub(r"\s+", " ", value), _RANK_NUMERIC))
    return out


_NOT_AN_AE_GRADE = re.compile(
    r"\b(?:fibrosis|reticulin|marrow|trephine|ecog|nyha|gleason|tumou?r|histolog\w*|diastolic|"
    r"dysfunction)\W{0,3}(?:\w+\W{1,3}){0,1}$",
    re.I,
)


def _ae_candidates(text: str) -> List[_Cand]:
    out = []
    for m in _AE_RE.finditer(text):
        if _AE_RANGE_AFTER.match(text, m.end()):
            continue  # "grade 1-2": which grade?
        if _NOT_AN_AE_GRADE.search(text[max(0, m.start() - 30) : m.start()]):
            continue  # "reticulin fibrosis grade 1", "ECOG 1", "NYHA class 2": a grade of something else
        g = m.group("g") or m.group("g2")
        g = _AE_WORDS.get(g.lower(), g)
        out.append(_Cand(m.start(), m.end(), "ae_grade", f"grade {g}", _RANK_NUMERIC))
    return out


# ---------------------------------------------------------------------------------------------
# resolution


def _resolve(cands: List[_Cand]) -> List[_Cand]:
    chosen: List[_Cand] = []
    taken: List[Tuple[int, int]] = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.rank, c.start)):
        if c.end <= c.start:
            continue
        if any(c.start < te and ts < c.end for ts, te in taken):
            continue
        chosen.append(c)
        taken.append((c.start, c.end))
    return sorted(chosen, key=lambda c: c.start)


_SIGN = re.compile(r"(?:^|(?<=[^\w.,%]))[-\u2212\u2013]$")


def _keep_signs(cands: List[_Cand], text: str) -> List[_Cand]:
    """A minus sign written against a number belongs to it ("-0.1 %"): the normaliser then refuses
    the negative value, instead of reading 0.1 %. A dash between two numbers ("5-6 months") is a
    range, and a spaced dash ("trough - 850 ng/mL") a separator."""
    for c in cands:
        if c.keyword or c.label == _BLOCK or not text[c.start : c.start + 1].isdigit():
            continue
        m = _SIGN.search(text, max(0, c.start - 2), c.start)
        if m and c.value[:1].isdigit():
            c.start, c.value = m.start(), "-" + c.value
    return cands


def _suppress_definitional(cands: List[_Cand], ctx: _Context) -> List[_Cand]:
    """In a general question ("what is MMR?") a keyword is the topic, not a value."""
    out = []
    for c in cands:
        if c.keyword:
            ss, se = ctx.sentence(c.start)
            sent = ctx.text[ss:se]
            if _DEFINITIONAL.match(sent) and not _PATIENT_REF.search(sent):
                if ctx.preceding(c.start, ("state",), max_gap=12) is None:
                    continue
        out.append(c)
    return out


def _truncate(text: str) -> str:
    if len(text) <= MAX_CHARS:
        return text
    cut = text.rfind(" ", 0, MAX_CHARS)
    return text[:cut] if cut > MAX_CHARS - 200 else text[:MAX_CHARS]


# "w/" (with) and "w/o" (without), read as words of the same length so that every span stays the message's:
# otherwise "0.5 w/ 12 months" reads "w/" as a unit after the level and "400 w" as 400 weeks
_WITH_SLASH = re.compile(r"(?<![\w/])w/(o\b)?(?!\w*/)", re.I)


# a slash between spaces separates values ("trough 780 ng/mL / 23h post dose / 400mg od"), unless a unit's
# denominator follows ("400 mg / day"): read as a semicolon of the same length
_SLASH_BETWEEN = re.compile(
    r"(?<=[\w%)])(?<!grade \d)(?<!gr \d)(?<!g\d)\s+/\s+(?!(?:day|d|l|ml|dl|kg|m2|24\s*h|12|52|7)\b)", re.I
)


# a comma with no space that separates items ("(24h),400mg od,12m,PCR 0.4 %", "IM 400,12m"), never a decimal or a
# thousands comma ("0,045 %", "1,150 ng/mL"): read as a semicolon (the same length, spans kept)
_TIGHT_COMMA = re.compile(
    r"(?<=[a-z)%]),(?=[a-z0-9])|"
    r"(?<=\b[1-8]00),(?=\d+(?:\.\d+)?\s*(?:m|mo|mos|months?|y|yrs?|years?|h|hrs?|wks?|weeks?)\b)",
    re.I,
)


def _spell_out_with(text: str) -> str:
    text = _TIGHT_COMMA.sub(";", text)
    text = _SLASH_BETWEEN.sub(lambda m: " " * (len(m.group(0)) - 2) + "; ", text)
    return _WITH_SLASH.sub(lambda m: "no " if m.group(1) else "& ", text)


# numbers that a bound word before them changes ("less than a year", "just above 0.1 %"); doses are excluded
# ("up to 800 mg" is the drug's range, not the patient's dose)
_BOUNDED = {
    "bcr_abl1_is", "months_on_tki", "mmr_months", "dmr_months", "adherence_pct", "trough_ng_ml",
    "hours_since_dose", "days_at_current_dose", "duration", "percent",
}  # fmt: skip


def _with_bound(c: "_Cand", t: str) -> Tuple[int, str]:
    """The start and value of a candidate with the bound word before it, which the normaliser then reads
    (an upper bound of a level, said) or refuses with a question: the bare number is not the value."""
    if c.label not in _BOUNDED:
        return c.start, c.value
    window = t[max(0, c.start - 25) : c.start]
    m = BOUND_BEFORE.search(window)
    if not m:
        return c.start, c.value
    start = c.start - (len(window) - m.start())
    return start, t[start : c.start] + str(c.value)


def _extract(text: str) -> List[Dict]:
    if not isinstance(text, str) or not text.strip():
        return []
    shown = _truncate(text)
    t = _spell_out_with(shown)
    pipe = pipeline()
    kw, cues = _matcher_candidates(t, pipe)
    ctx = _Context(t, cues)
    kw = _negated_responses(kw, t, ctx)
    numeric_bcr: List[_Cand] = []
    doses = _dose_candidates(t, ctx)
    cands = list(kw) + doses
    levels = _percent_candidates(t, ctx, numeric_bcr)
    levels += _cue_tail_candidates(t, ctx, numeric_bcr)
    levels += _category_tail_candidates(t, kw, numeric_bcr)
    levels += _latest_fraction_candidates(t, numeric_bcr, kw)
    cands += levels
    cands += _series_candidates(t, ctx, numeric_bcr)
    cands += _range_blocks(t, ctx)
    cands += _trough_candidates(t, ctx)
    real_doses = [d for d in doses if d.label != _BLOCK]
    durations = _duration_candidates(t, ctx, real_doses, levels)
    _resolve_time_points(durations, levels, ctx, numeric_bcr)
    cands += durations
    cands += _day_n_candidates(t, ctx, real_doses)
    adherence = _adherence_candidates(t)
    inside = [(a.start, a.end) for a in adherence]  # "11 of the 12 supplies (so ~92 %)": the share, no level
    cands = [c for c in cands if not any(lo <= c.start and c.end <= hi for lo, hi in inside)] + adherence
    numeric_bcr[:] = [c for c in numeric_bcr if not any(lo <= c.start and c.end <= hi for lo, hi in inside)]
    cands += _mutation_candidates(t)
    cands += _ae_candidates(t)
    cands += _confirmed_candidates(t, ctx, levels)
    cands += _stated_candidates(t, ctx)
    # a molecular-response word followed by a duration is the duration's cue, not a level
    used = {(c.start, c.end) for c in ctx.cues if c.used and c.kind in ("mmr", "dmr")}
    cands = [c for c in cands if not (c.mr and (c.start, c.end) in used)]
    # a measured level beats a response category in the same message
    if numeric_bcr:
        cands = [c for c in cands if not c.mr]
    cands = _suppress_negated(_suppress_definitional(cands, ctx), ctx)
    # "a patient in MMR", "an MR4 patient": a response category as a state, not the latest result
    # "now in MR4" is the latest level, as a bound; "a pt in MMR", "stable MMR" a state the form asks the number of
    cands = [
        c
        for c in cands
        if not (
            c.mr
            and (
                _STATE_AFTER.match(t[c.end :])
                or _STATE_BEFORE.search(t[: c.start])
                and _GENERIC_HOLDER.search(t[max(0, c.start - 40) : c.start])
                and not _NOW_STATE.search(t[max(0, c.start - 16) : c.start])
            )
        )
    ]
    _past_values(cands, ctx)
    cands = _keep_signs(cands, t)
    out = []
    for c in _resolve(cands):
        if c.label != _BLOCK:
            start, value = _with_bound(c, t)
            entity = {"entity": c.label, "value": value, "start": start, "end": c.end, "text": shown[start : c.end]}
            refused = _refused(c, t, ctx, cands)
            if refused is not None:  # the normaliser's question, in every reader of the chat (spec v1.2 section 5)
                if not _asked({"percent": "bcr_abl1_is", "duration": "months_on_tki"}.get(c.label, c.label), refused):
                    continue  # no expression to ask about: no value either
                entity["value"], entity["refused"] = refused, True
            elif c.label == "adherence_pct" and c.keyword:
                entity["value"] = _bounded_adherence(c, t, ctx) or value
            out.append(entity)
    return out


def _bounded_adherence(c: "_Cand", t: str, ctx: "_Context") -> Optional[str]:
    """ "never misses more than 2 a month": the phrase with its bound, which the normaliser reads as a lower
    bound of adherence (spec v1.2), not "never misses" (100 %)."""
    phrase = t[c.start : ctx.clause_end(c.end)].strip(" ,;:.")
    try:
        return phrase if normalize("adherence_pct", phrase).bound else None
    except NormalizationError:
        return None


# one grammar of refusals: a value inside a longer expression the normaliser asks about is not a value
_GUARDED = set(FIELD_LABELS) - {"phase", "goal", "dosing", "response_status", "drug_interaction_concern"}


def _refused(c: "_Cand", t: str, ctx: "_Context", cands: Sequence["_Cand"]) -> Optional[str]:
    """The text the normaliser must read instead of this span, when the span sits inside an expression the
    spec asks about (a negation before it in its clause, a range or split number around it, or for a phrase
    value a hedge, an exception or a contradiction in its sentence: "takes all doses; refill 70 %"); the form
    then asks that question. None otherwise."""
    label = {"percent": "bcr_abl1_is", "duration": "months_on_tki"}.get(c.label, c.label)  # their grammar
    if c.keyword and c.value in _SAID_MISSING:
        return None  # a test said not to hand has no value to hedge ("adherence & trough not checked yet")
    if label not in _GUARDED or c.keyword and label not in CLAUSE_READ:
        return None
    if _DOSE_DASH_LEVEL.search(t, max(0, c.start - 30), c.end + 40):
        return None  # "going up to 600 - 1890 µg/L at 24h": a dose, a dash, a level with its unit: no range
    # adherence is read with its sentence ("takes all doses; refill 70 %" contradicts itself), a grade or a mutation
    # result with its clause ("grade 2 oedema, hx of failure on 400" is a current grade)
    lo, hi = ctx.sentence(c.start) if c.label == "adherence_pct" else (ctx.clause_start(c.start), ctx.clause_end(c.end))
    others = [o for o in cands if o is not c and o.label not in (c.label, "percent", _BLOCK) and lo <= o.start < hi]
    # a percentage named as a PCR result ("3-month PCR was 15 %") is no adherence figure beside the phrase
    others += [
        o
        for o in cands
        if o.label in ("percent", _BLOCK)
        and lo <= o.start < hi
        and (
            "%" not in t[o.start : o.end]
            or _BCR_TAIL_CUE.search(t[max(lo, o.start - 20) : o.start])
            or re.match(r"\s*0[.,]\d", t[o.start : o.end])  # "0.005 %, 100 % adherent": a fraction is a level
        )
    ]
    if c.label in CLAUSE_READ and any(o.start < c.start < o.end for o in others):
        return None
    # the scope without the other fields' values ("takes all doses, trough 800 ng/mL" is not contradicted)
    chars = list(t)
    for o in others:
        chars[o.start : o.end] = " " * (o.end - o.start)
    for m in _RESPONSE_NAME.finditer(t, lo, hi):  # "MR4.5 for 26 months, 100 % adherent": a category, no number
        chars[m.start() : m.end()] = " " * (m.end() - m.start())
    scope = re.sub(r"\s+", " ", "".join(chars[lo:hi])).strip(" ,;:.")
    expression = expression_refusal(label, t, c.start, c.end, scope)
    if expression == scope:  # ask about what was written, not the scope with the other values blanked
        return t[lo:hi].strip(" ,;:.")
    return expression


def _asked(label: str, expression: str) -> bool:
    """The chat's reader asks about ``expression`` (so the form says the question, and keeps no value)."""
    try:
        answer(label, expression)
    except NormalizationError:
        return True
    return False


def extract(text: str) -> List[Dict]:
    """Clinical entities in ``text``; see the module docstring. Never raises. A message is extracted once (the
    reader, the NLU component and the forms ask for the same text): each caller gets its own copies."""
    return [dict(e) for e in _extract_once(text if isinstance(text, str) else "")]


@lru_cache(maxsize=256)
def _extract_once(text: str) -> Tuple[Dict, ...]:
    try:
        return tuple(_extract(text))
    except Exception:  # pragma: no cover - defensive: a chat message must never break the bot
        logger.debug("clinical extraction failed", exc_info=True)
        return ()

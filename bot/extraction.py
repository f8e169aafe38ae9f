"""Find the clinical values in a free-text chat message and label them with their field.

``extract(text)`` returns the spans of clinical values, in order of appearance and never
overlapping, each as ``{"entity", "value", "start", "end", "text"}`` with
``text == message[start:end]``. For a field label the ``value`` is a string that
``knowledge.normalize.normalize(label, value)`` reads (the one deliberate exception: a
BCR-ABL1 *ratio* is passed on as ``"ratio 0.0008"`` so that the normaliser asks for a
percentage). Two labels are not fields and are left to the dialogue: ``percent`` (a bare
percentage without a cue) and ``duration`` (a duration without a cue).

How it works: a blank spaCy English tokenizer (no trained model) and a ``Matcher`` loaded
from the shipped pattern file ``bot/patterns/clinical_patterns.jsonl`` (spaCy EntityRuler
format: ``label``, ``id``, token ``pattern``) find keyword entities (phase, goal, booleans,
...) and context cues (``CUE_*`` labels, never emitted: "BCR-ABL", "adherence", "after the
dose", ...). Numbers with units are found with regular expressions; each number is labelled
by the nearest cue in its clause. On overlap the longer span wins, then the more specific
label. Pure Python; no Rasa import. ``extract`` never raises; it reads only the first
``MAX_CHARS`` characters of a message.
"""

from __future__ import annotations

import bisect
import json
import logging
import re
import threading
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from knowledge.normalize import ONCE_DAILY, PER_DAY, TROUGH_UNITS, TWICE_DAILY

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
    r"(?!\s*(?:%|[\u00b5\u03bc]|per\s*cent|pct\b|x\s*10|(?:ng|mg|ug|mcg|g|nmol|umol|micromol|nm|um|"
    r"h|hr|hrs|hours?|d|days?|w|wks?|weeks?|m|mo|mos|mths?|months?|y|yrs?|years?|x|logs?|monthly|weekly|"
    r"daily|times)\b))"
)

_PCT_RE = re.compile(rf"(?P<cmp>{_CMP})?(?<![\w.,^])(?P<num>{_N}){_END_NUM}\s*(?:%|per\s?cent\b|pct\b)", re.I)
_LOG_RE = re.compile(
    rf"(?<![\w.,^])(?P<num>{_N}){_END_NUM}\s*-?\s*logs?(?:10)?\b(?:\s*-?\s*(?:reduction|drop)\b)?", re.I
)
_RATIO_RE = re.compile(
    rf"(?<!possession )\bratio\s*(?:(?:of|is|was|=|:|at|~)\s*)*(?P<num>{_N}){_END_NUM}(?!\s*%)", re.I
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
    rf"\s*(?:(?:is|was|of|about|approx\.?|approximately|around|~|=|:|-|estimated|roughly|rate|now)\s*)*"
    rf"(?P<num>{_N}){_END_NUM}{_NO_UNIT}",
    re.I,
)

_X2 = r"x ?2"  # "400 mg x2" is twice daily, "x 2 years" is not
_BID = (
    "|".join(w + r"\b" for w in TWICE_DAILY if w != _X2)
    + rf"|{_X2}\b(?!\s*(?:yrs?|years?|mos?|months?|wks?|weeks?|days?|d|y|m|h|hrs?|hours?)\b)"
)
_OD = "|".join(w + r"\b" for w in ONCE_DAILY + PER_DAY)
_DOSE_RE = re.compile(
    rf"(?<![\w.,^])(?P<num>[0-9]+(?:\.[0-9]+)?){_END_NUM}\s*(?:mg|milligrams?)(?![\w])"
    rf"(?!\s*/\s*(?:l|dl|ml|kg|m2|m\u00b2)\b)(?P<sched>\s*(?:{_BID}|{_OD})(?:\s*(?:{_BID}|{_OD}))?)?",
    re.I,
)
_DOSE_MULT_RE = re.compile(
    rf"(?<![\w.,^])(?:2|two)\s*[x\u00d7*]\s*(?P<num>[0-9]+(?:\.[0-9]+)?){_END_NUM}\s*(?:mg|milligrams?)(?![\w])"
    rf"(?!\s*/\s*(?:l|dl|ml|kg)\b)(?P<sched>\s*(?:daily|a day|per day|/day)\b)?",
    re.I,
)
_FROM_TO_RE = re.compile(
    rf"\bfrom\s+(?P<a>[0-9]{{2,3}}){_END_NUM}\s*(?:mg\s*)?(?:to|->|\u2192|down to)\s*(?P<b>[0-9]{{2,3}})\s*mg\b", re.I
)

_WORDNUM = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty-four|twenty|thirty"
_UNIT_FULL = r"(?:hours?|days?|weeks?|months?|years?)"
_UNIT_ABBR = r"(?:hrs?|h|d|wks?|w|mos?|mths?|mth|m|yrs?|y)"
_DIG = r"[0-9]+(?:[.,][0-9]+)?"
_DUR_PART = (
    rf"(?:(?<![\w.,^]){_DIG}{_END_NUM}\s*(?:{_UNIT_FULL}|{_UNIT_ABBR})"
    rf"|(?<![\w])(?:{_WORDNUM})\s+(?:{_UNIT_FULL}|yrs?|mos?|wks?|hrs?)"
    rf"|(?<![\w])(?P<art>an?)\s+(?:hour|day|week|month|year))(?![\w])(?:\s+and\s+a\s+half\b)?"
)
_DUR_RE = re.compile(
    rf"(?:(?<![\w.,^])(?:{_DIG}|one|two|three|four|five|six)\s+and\s+a\s+half\s+(?:{_UNIT_FULL}|yrs?)(?![\w])"
    rf"|(?<![\w])half\s+a\s+year\b"
    rf"|{_DUR_PART}(?:\s+and\s+{_DUR_PART.replace('(?P<art>', '(?:')})?)",
    re.I,
)
_UNIT_WORD_RE = re.compile(
    r"(?<![a-z])(hours?|hrs?|h|days?|d|weeks?|wks?|w|months?|mos?|mths?|mth|m|"
    r"years?|yrs?|y)\b",
    re.I,
)
_ARTICLE_BLOCK = re.compile(
    r"(?:\b(?:doses?|tablets?|pills?|capsules?|times|twice|once|thrice|mg|per|every|"
    r"each|x)|[0-9%])\s*$",
    re.I,
)
_DUR_BLOCK_BEFORE = re.compile(r"(?:\b(?:every|each|per|q)|/)\s*$", re.I)

_MISS_RE = re.compile(
    rf"(?<![\w])(?:miss(?:es|ed)?|skip(?:s|ped)?|forget(?:s)?|forgot)\s+(?:about\s+)?"
    rf"(?:{_N}|an?|one|two|three|four|five|six|seven)\s+(?:doses?|tablets?|pills?|days?)?\s*"
    rf"(?:a|per|every|each|in a|in the last|/)\s*(?:day|week|fortnight|month)\b",
    re.I,
)

_AA3 = "ala|arg|asn|asp|cys|gln|glu|gly|his|ile|leu|lys|met|phe|pro|ser|thr|trp|tyr|val"
_AA1 = "[ACDEFGHIKLMNPQRSTVWYacdefghiklmnpqrstvwy]"
_MUT = rf"(?<![\w.])(?:p\.\s?)?(?:(?:{_AA3})[0-9]{{1,4}}(?:{_AA3})|{_AA1}[0-9]{{3}}{_AA1})(?![\w])"
_MUT_SEP = r"(?:\s*(?:,\s*and\b|,|;|/|\+|&|\band\b)\s*|\s+)"
_MUT_LIST_RE = re.compile(rf"{_MUT}(?:{_MUT_SEP}{_MUT})*", re.I)
_MUT_ONE_RE = re.compile(rf"(?:p\.\s?)?(?P<ref>{_AA3}|{_AA1})[0-9]+(?P<new>{_AA3}|{_AA1})$", re.I)
_MUT_NEG_BEFORE = re.compile(r"\b(?:no|without|negative for|absence of|excluded|not)\s+(?:\w+\s+){0,2}$", re.I)
_MUT_NEG_AFTER = re.compile(r"^\s*(?:mutation\s+)?(?:-?\s*negative|not detected|not found|absent|-ve\b|wild)", re.I)

_AE_RE = re.compile(
    r"(?<![\w])(?:ctcae\s*(?:v(?:ersion)?\s*[0-9](?:\.[0-9])?\s*)?)?(?:grade|gr\.?)\s*"
    r"(?P<g>[0-4]|iv|iii|ii|(?-i:I))(?![\w])|(?<![\w])g(?P<g2>[0-4])(?![\w])",
    re.I,
)

# clause / sentence boundaries: ; newline ! ? , (not a thousands or decimal comma), ". ",
# and the conjunctions "and", "but", "while", "whereas" between words
_CLAUSE_RE = re.compile(r"[;\n!?]|(?<![0-9]),|,(?![0-9])|\.(?=\s|$)|\s(?:and|but|while|whereas|although)\s", re.I)
_SENTENCE_RE = re.compile(r"[!?\n]|\.(?=\s|$)")
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
    rf"^\s*(?:{_OD}|{_BID})?\s*(?:of\s+imatinib\s*)?(?:for|x|over|since)\s+(?:(?:about|approximately|approx\.?|around|"
    rf"almost|nearly|over|more than|the\s+(?:last|past))\s+)*$",
    re.I,
)

_PCT_FOLLOW_GAP = re.compile(r"^\s*\(?\s*(?:on\s+the\s+)?$", re.I)
_BCR_TAIL_CUE = re.compile(r"bcr|abl|transcript|pcr", re.I)

_MR_CUE = {"MMR": "mmr", "MR3": "mmr", "MR4": "dmr", "MR4.5": "dmr", "MR5": "dmr"}
_STD_FOLLOW = {"previously", "before", "initially", "originally"}


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
    __slots__ = ("start", "end", "label", "value", "rank", "keyword", "mr")

    def __init__(
        self, start: int, end: int, label: str, value: str, rank: int, keyword: bool = False, mr: bool = False
    ):
        self.start, self.end, self.label, self.value = start, end, label, value
        self.rank, self.keyword, self.mr = rank, keyword, mr


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


def _percent_candidates(text: str, ctx: _Context, numeric_bcr: List[_Cand]) -> List[_Cand]:
    out = []
    for m in _PCT_RE.finditer(text):
        s, e = m.start(), m.end()
        ns = m.start("num")
        fol = ctx.following(e, ("adh", "bcr"), gap=_PCT_FOLLOW_GAP)
        if fol is None and re.match(
            r"\s*(?:of\s+(?:his|her|their|the|all|prescribed)?\s*(?:doses|tablets|pills|"
            r"medication)|adherence|adherent|compliance|compliant)\b",
            text[e:],
            re.I,
        ):
            label = "adherence_pct"
        elif fol is not None:
            label = "adherence_pct" if fol.kind == "adh" else "bcr_abl1_is"
        else:
            pre = ctx.preceding(s, ("adh", "bcr", "mmr", "dmr"), max_gap=45)
            if pre is None:
                pre = ctx.preceding(s, ("bcr_weak",), max_gap=25)
            if pre is None:
                label = "percent"
            elif pre.kind == "adh":
                label = "adherence_pct"
            else:
                label = "bcr_abl1_is"
        if label == "adherence_pct":
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


def _cue_tail_candidates(text: str, ctx: _Context, numeric_bcr: List[_Cand]) -> List[_Cand]:
    """Unit-less numbers straight after a cue: "trough 850", "BCR-ABL 0.008", "adherence 95"."""
    out = []
    for c in ctx.cues:
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
        elif c.kind == "adh" and re.match(r"(?:non-?)?(?:adheren|complian)", text[c.start : c.end], re.I):
            m = _ADH_TAIL.match(text, c.end)
            if m:
                out.append(_Cand(m.start("num"), m.end("num"), "adherence_pct", m.group("num"), _RANK_NUMERIC))
    return out


def _trough_candidates(text: str) -> List[_Cand]:
    out = []
    for m in _TROUGH_RE.finditer(text):
        unit = re.sub(r"\s+", "", m.group("unit"))
        low = unit.lower()
        if low.startswith("ng"):
            canon = "ng/mL"
        elif low.startswith("mg"):
            canon = "mg/L"
        elif low.endswith("/ml"):
            canon = "ug/mL"
        elif low.endswith("g/l"):
            canon = "ug/L"
        elif low.startswith("n") or unit == "nM":
            canon = "nmol/L"
        else:
            canon = "umol/L"
        out.append(_Cand(m.start(), m.end(), "trough_ng_ml", f"{m.group('num')} {canon}", _RANK_NUMERIC))
    return out


def _dose_candidates(text: str, ctx: _Context) -> List[_Cand]:
    raw: List[Tuple[int, int, str]] = []
    for m in _DOSE_RE.finditer(text):
        raw.append((m.start(), m.end(), re.sub(r"\s+", " ", m.group(0))))
    for m in _DOSE_MULT_RE.finditer(text):
        raw.append((m.start(), m.end(), re.sub(r"\s+", " ", m.group(0)).replace("\u00d7", "x").replace("*", "x")))
    out = []
    for s, e, value in raw:
        other = ctx.preceding(s, ("otherdrug", "tki"), max_gap=25)
        if other is not None and other.kind == "otherdrug":
            # a dose of another drug: not emitted, but it keeps its schedule words ("500 mg bid")
            out.append(_Cand(s, e, _BLOCK, "", _RANK_NUMERIC))
            continue
        fol = re.match(r"\s*\(?\s*(\w+)", text[e:])
        std = False
        if fol and fol.group(1).lower() in _STD_FOLLOW:
            std = True
        else:
            pre = ctx.preceding(s, ("std", "cur"), max_gap=35)
            if pre is not None and text[pre.start : pre.end].lower() == "from" and text[pre.end : s].strip():
                pre = None  # "from" marks the previous dose only right before it: "from 400 mg"
            std = pre is not None and pre.kind == "std"
        out.append(_Cand(s, e, "standard_dose_mg" if std else "dose_mg", value, _RANK_NUMERIC))
    for m in _FROM_TO_RE.finditer(text):
        # "from 600 to 400 mg": the first number is the previous (standard) dose
        out.append(_Cand(m.start("a"), m.end("a"), "standard_dose_mg", f"{m.group('a')} mg", _RANK_NUMERIC))
    return out


def _duration_candidates(text: str, ctx: _Context, doses: Sequence[_Cand]) -> List[_Cand]:
    out = []
    for m in _DUR_RE.finditer(text):
        s, e = m.start(), m.end()
        before = text[max(0, s - 30) : s]
        if _DUR_BLOCK_BEFORE.search(before):
            continue  # "every 12 hours", "per week"
        if m.group("art") and _ARTICLE_BLOCK.search(before):
            continue  # "2 tablets a day", "twice a day"
        span = text[s:e]
        units = {
            u.lower().rstrip("s") for u in _UNIT_WORD_RE.findall(re.sub(r"\band\s+a\s+half\b", "", span, flags=re.I))
        }
        label = None
        if units and units <= {"hour", "hr", "h"}:
            label = "hours_since_dose"
        if label is None:
            fol = ctx.following(e, ("hours", "curdose", "tki", "mmr", "dmr"))
            if fol is not None and fol.kind in ("mmr", "dmr") and _TIMEPOINT_BEFORE.search(before):
                fol = None
            if fol is not None:
                label = _DUR_LABEL[fol.kind]
                fol.used = True
        if label is None:
            pre = ctx.preceding(s, ("hours", "curdose", "tki", "mmr", "dmr"))
            dose_cue = None
            for d in doses:
                if d.end <= s and d.start >= ctx.clause_start(s) and _DOSE_FOR_GAP.match(text[d.end : s]):
                    dose_cue = d
            if dose_cue is not None and (pre is None or dose_cue.end >= pre.end):
                label = "months_on_tki"
            elif pre is not None:
                if pre.kind in ("mmr", "dmr") and _TIMEPOINT_BEFORE.search(text[pre.end : s]):
                    label = "duration"  # "MMR at 12 months" is a time point, not a duration in MMR
                else:
                    label = _DUR_LABEL[pre.kind]
                    pre.used = True
        if label is None:
            label = "duration"
        out.append(
            _Cand(s, e, label, re.sub(r"\s+", " ", span), _RANK_GENERIC if label == "duration" else _RANK_NUMERIC)
        )
    return out


_DUR_LABEL = {
    "hours": "hours_since_dose",
    "curdose": "days_at_current_dose",
    "tki": "months_on_tki",
    "mmr": "mmr_months",
    "dmr": "dmr_months",
}


def _adherence_candidates(text: str) -> List[_Cand]:
    return [
        _Cand(m.start(), m.end(), "adherence_pct", re.sub(r"\s+", " ", m.group(0)), _RANK_NUMERIC)
        for m in _MISS_RE.finditer(text)
    ]


def _mutation_candidates(text: str) -> List[_Cand]:
    out = []
    for m in _MUT_LIST_RE.finditer(text):
        s, e = m.start(), m.end()
        # trailing separators are not part of the list
        span = text[s:e]
        if _MUT_NEG_BEFORE.search(text[max(0, s - 40) : s]) or _MUT_NEG_AFTER.match(text[e : e + 30]):
            continue  # "no T315I", "T315I negative"
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


def _ae_candidates(text: str) -> List[_Cand]:
    out = []
    for m in _AE_RE.finditer(text):
        g = m.group("g") or m.group("g2")
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


def _extract(text: str) -> List[Dict]:
    if not isinstance(text, str) or not text.strip():
        return []
    t = _truncate(text)
    pipe = pipeline()
    kw, cues = _matcher_candidates(t, pipe)
    ctx = _Context(t, cues)
    numeric_bcr: List[_Cand] = []
    doses = _dose_candidates(t, ctx)
    cands = list(kw) + doses
    cands += _percent_candidates(t, ctx, numeric_bcr)
    cands += _cue_tail_candidates(t, ctx, numeric_bcr)
    cands += _trough_candidates(t)
    cands += _duration_candidates(t, ctx, [d for d in doses if d.label != _BLOCK])
    cands += _adherence_candidates(t)
    cands += _mutation_candidates(t)
    cands += _ae_candidates(t)
    # a molecular-response word followed by a duration is the duration's cue, not a level
    used = {(c.start, c.end) for c in ctx.cues if c.used and c.kind in ("mmr", "dmr")}
    cands = [c for c in cands if not (c.mr and (c.start, c.end) in used)]
    # a measured level beats a response category in the same message
    if numeric_bcr:
        cands = [c for c in cands if not c.mr]
    cands = _keep_signs(_suppress_definitional(cands, ctx), t)
    return [
        {"entity": c.label, "value": c.value, "start": c.start, "end": c.end, "text": t[c.start : c.end]}
        for c in _resolve(cands)
        if c.label != _BLOCK
    ]


def extract(text: str) -> List[Dict]:
    """Clinical entities in ``text``; see the module docstring. Never raises."""
    try:
        return _extract(text)
    except Exception:  # pragma: no cover - defensive: a chat message must never break the bot
        logger.debug("clinical extraction failed", exc_info=True)
        return []

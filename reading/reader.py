"""``read(text)``: a message read once into a :class:`~reading.model.MessageReading`.

One grammar: the extractor (``reading.extraction``) finds the spans, the normaliser (``knowledge.normalize``)
reads each one with its refusals, and the words around a span say how it relates to the patient (a value, a
bound, a proposal, a past or hypothetical value, a number that is no patient value at all). The speech act
comes from ``reading.speech`` (scope, question or case, which assessment). Pure Python; no Rasa import.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache
from typing import Dict, List, Optional, Tuple

from knowledge import thresholds as T
from knowledge.normalize import MONTHS, NormalizationError, as_input, normalize

from . import doses, extraction, relations, series, speech, spoken
from .model import Ambiguous, MessageReading, NotValue, Point, Value

GENERIC = {"percent": "bcr_abl1_is", "duration": "months_on_tki"}  # the field a generic span would be read as
READ_AS = "read_as"  # a generic entity's key: the field the reading gave its span (None: no patient value)
# a percentage without a cue is a BCR-ABL1 level in this domain, unless words around it name another measure
_OTHER_PERCENT = re.compile(
    r"\b(?:blasts?|basos?|basophils?|promyelocytes?|hb|haemoglobin|hemoglobin|sats?|spo2|ef|ejection|bmi|"
    r"doses?|taken|takes|refills?|pill|compliance|complian\w*|adheren\w*|possession|mpr|pdc|cellularity|"
    r"fibrosis|ph\+|metaphases|fish|nuclei|cytogenetic|ccyr|probability|chance|risk|rate|survival|vaf|allele|"
    r"clone|clonal|sensitivity|burden|variant|spo2|o2|oxygen|hba1c|a1c|eos|eosinophils?|monos?|monocytes?|neuts?|"
    r"neutrophils?|lymphs?|lymphocytes?|cd34|retics?|reticulocytes?|hct|ha?ematocrit|likelihood|odds|"
    r"pts|patients|of (?:them|those|the)|mutant|mutated|"
    # a share of the transcripts, cells or reads: a mutation's fraction, a cytogenetic count ("40% of BCR-ABL1")
    r"of (?:all |the )?(?:\w+ )?(?:bcr\W?abl\w*|transcripts?|reads|cells|metaphases|nuclei))(?!\w)",  # "Ph+ 35%"
    re.I,
)


def _percent_is_a_level(text: str, start: int, end: int, near: int = 30) -> bool:
    """No other measure is named right beside the percentage (back to the last number or separator, and just
    after it): "adherence 90 %, 1.2 %" keeps the 1.2 % a level."""
    if re.match(r"\s*(?:IS\b|on the IS\b|\(IS\))", text[end : end + 12]):
        return True  # "1.4 % IS": the International Scale names the measure
    before = re.split(r"[,;(\n]|[.!?]\s|(?<!\w)\d", text[max(0, start - near) : start])[-1]  # not "SpO2"
    if re.search(r"\(\s*$", text[max(0, start - 3) : start]):  # "8 of 20 metaphases (40%)": what it is a share of
        before = re.split(r"[,;\n]|[.!?]\s", text[max(0, start - near - 10) : start])[-1]
    after = re.split(r"[,;)\n]|[.!?](?:\s|$)|\d|\b(?:her|his|their|she|he|and|but)\b", text[end : end + 15])[0]
    if _A_MEASURE_WORD.fullmatch(after) and extraction.CUE_HEADS_A_PERCENT.match(text, end + len(after)):
        after = ""  # "PCR 0.3% adherence 95%": the measure after heads its own number
    if _MUTATION_BRACKET_BEFORE.search(text[max(0, start - 16) : start]):
        return False  # "V299L (2 %)", "E255K at 15 %": the mutation's share of the reads, not the level
    return not _OTHER_PERCENT.search(before + " " + after)


# a measure's word that heads its own number after a percentage: "PCR 0.3% adherence 95%" (not "5% blasts 2 wks")
_A_MEASURE_WORD = re.compile(
    r"\s*(?:adherence|adh|compliance|compliant|adherent|trough|level|pcr|bcr-?abl1?|is)\s*[:=]?\s*", re.I
)


# a mutation's name just before a percentage: its variant fraction ("Y253H (30%)", "T315I at 12 %", "E255K 8 %")
_MUTATION_BRACKET_BEFORE = re.compile(
    r"\b[A-Z]\d{3}[A-Z]\s*(?:\(\s*(?:vaf|af)?\s*[:=]?\s*~?|at\s+(?:a\s+)?(?:vaf\s+of\s+)?~?|[:=]\s*|-\s*)$"
)


NOT_AVAILABLE = ("none yet", "not done", "not tested", "pending")  # the extractor's words for a result not to hand
# the fields whose null the spec defines as a value (mutations not tested, ddPCR not done, no goal); a trough, a PCR
# or an adherence figure said not done is no value (the spec's type is a number): the reading sets it aside, said
_AWAITED = re.compile(r"\b(?:pending|sent|awaited|awaiting|outstanding|requested|in progress|to follow)\b", re.I)


def _said_of(text: str, v: Value) -> str:
    """The words said of a value: its span, a few words before it, and its clause after it."""
    return text[max(0, v.start - 12) : v.end] + re.split(r"[.;,\n]", text[v.end : v.end + 40])[0]


def _awaited(said: str) -> bool:
    """A test sent, its result awaited ("mutation screen sent", "KD mutations pending"); not "not sent yet"."""
    return bool(_AWAITED.search(said)) and not re.search(r"\b(?:not|no|never|yet to)\b|n't", said, re.I)


NULL_IS_A_VALUE = frozenset({"mutations", "ddpcr_mr45", "goal"})
SAID_MISSING = "said not done or not to hand: no value"  # (the form still notes it unknown, from its entity)


def _as_read(n):
    """``n`` as the decision input, or as written when it is a bound the rules cannot use ("not in MMR", "< 500
    ng/mL"): the reading states what was written; the form asks for the value itself (``as_input`` there)."""
    try:
        return as_input(n)
    except NormalizationError as exc:
        if exc.read:
            return n
        raise


def _values(text: str, today: Optional[date]):
    """The extractor's spans read by the normaliser: values, ambiguities and spans with no field."""
    values: List[Value] = []
    ambiguous: List[Ambiguous] = []
    unassigned: List[Value] = []
    thresholds = relations.threshold_spans(text)
    for e in extraction.extract(_without_a_dismissed_patient(text)):
        label, raw = e["entity"], str(e.get("value") or "")
        if any(a <= e["start"] < b for a, b in thresholds):
            continue  # "ELN milestone at 12 months is <= 0.1 %", "target trough >1000 ng/mL": no patient value
        field = GENERIC.get(label, label)
        try:
            n = _as_read(normalize(field, raw, today=today))
        except NormalizationError as exc:
            if raw in NOT_AVAILABLE and not e.get("refused"):  # "trough not done", "PCR pending": said, not given
                values.append(Value(field, None, e["text"], e["start"], e["end"], word=raw))
            elif (exc.ask or e.get("refused")) and not relations.proposed(
                text, Value(field, None, e["text"], e["start"], e["end"])
            ):
                ambiguous.append(Ambiguous(field, e["text"], exc.message))  # not "reduce to 200 or 300?": proposed
            continue
        v = Value(
            field, n.value, e["text"], e["start"], e["end"], n.bound, n.word, list(n.assumptions), dict(n.related)
        )
        v.cued = label not in GENERIC
        level = label == "percent" and _percent_is_a_level(text, e["start"], e["end"])
        if field == "bcr_abl1_is" and v.bound is None and not _percent_is_a_level(text, e["start"], e["end"], 14):
            continue  # "30 % VAF", "basophils 25 %", "sensitivity 3 %": another measure
        (unassigned if label in GENERIC and not level else values).append(v)
    return values, ambiguous, unassigned


# a duration without a cue is the time on imatinib in a case, unless its words tie it to something else: an event
# ("2 wks ago", "6 wks later", "in 3 months"), a schedule ("every 3 months"), or a value already given
_TIED_AFTER = re.compile(
    r"^\s*(?:ago|later|apart|after|before|post|prior|since|earlier|from now|back|old|interval)\b", re.I
)
_TIED_BEFORE = re.compile(
    r"\b(?:every|each|in|within|over|after|q|for the (?:last|past|next)|next|per|off|hold|held|interruption|break|"
    r"gap|stopped|paused|missed|lasted|took|planned|plan|then)\s*(?:the\s+)?(?:last\s+|next\s+|first\s+)?$",
    re.I,
)


_NOW_BEFORE = re.compile(r"\b(?:now|currently|today|in total|total|so far)\W{0,3}(?:at\s+|about\s+|~)?$", re.I)


# a response held at a time point: "he's in MR4.5 at 3 years", "in MMR at 18 months"
_IN_A_RESPONSE_AT = re.compile(
    r"\b(?:is|'s|was|are|been|now|currently|still)\s+in\s+(?:MMR|MR ?4(?:[.,]5)?|MR ?5|DMR|CCyR|CMR)\b[^.;,\d]{0,12}"
    r"\bat\s*$|^\W*in\s+(?:MMR|MR ?4(?:[.,]5)?|MR ?5|DMR|CCyR|CMR)\s+at\s*$",
    re.I,
)
# a response hoped for or expected, not held: "hoping she's in MMR by 12 months", "would expect MMR at 12 months?"
_HOPED = re.compile(r"\b(?:hop\w*|expect\w*|aim\w*|target\w*|should|would|want\w*|goal|plan\w*|if)\b", re.I)


_MONTH_ONLY = re.compile(r"(?:since|seit|depuis|desde)\s+(?:(?:mid|early|late)-?\s*)?[a-z]+\.?", re.I)
_LOWER_DOSE_BEFORE = re.compile(r"\b(?:half|halved|reduced|lower|low)[- ]dose\s+(?:im|imatinib|glivec)?\s*$", re.I)


def _a_dose_right_before(text: str, at: int) -> bool:
    """A dose written right before ``at`` ("on 200 mg od since Oct", "half-dose IM since March")."""
    before = text[max(0, at - 40) : at].rstrip() + " "
    return bool(doses.DOSE_RIGHT_BEFORE.search(before) or _LOWER_DOSE_BEFORE.search(before))


def _of_the_dose_now(text: str, v: Value, values: List[Value]) -> bool:
    """The date ``v`` is said of the dose taken now, and no change of dose is told after it ("on 400 since July,
    escalated to 600 last week": the date of an earlier dose)."""
    dose = next((d.value for d in values if d.field == "dose_mg" and isinstance(d.value, int)), None)
    named = re.findall(r"\b([1-8]00)\b", text[max(0, v.start - 40) : v.start])
    if dose is not None and named and int(named[-1]) not in (dose, dose // 2):
        return False
    return not doses.CHANGE_NAMED.search(text[v.end :])


def _days_of_an_earlier_dose(text: str, values: Dict[str, Value]) -> None:
    """ "on 400 since July, escalated to 600 last week": the date of an earlier dose gives no days at the dose now."""
    days = values.get("days_at_current_dose")
    if days is not None and re.match(r"since\b", days.text or "", re.I):
        if not _of_the_dose_now(text, days, list(values.values())):
            del values["days_at_current_dose"]


def _month_only_after_a_dose(text: str, values: List[Value], unassigned: List[Value]) -> None:
    """ "on 200 mg od since Oct", "half-dose IM since March": a month without its year, said of the dose, dates the
    dose (often a change), not the start of imatinib: the days at the dose, never the time on imatinib."""
    for v in [v for v in values + unassigned if v.field == "months_on_tki" and _MONTH_ONLY.fullmatch(v.text or "")]:
        if _a_dose_right_before(text, v.start):
            (values if v in values else unassigned).remove(v)
            days = round(v.value * T.DAYS_PER_MONTH) if isinstance(v.value, (int, float)) else None
            fresh = not any(d.field == "days_at_current_dose" for d in values)
            if days is not None and fresh and _of_the_dose_now(text, v, values):
                values.append(Value("days_at_current_dose", days, v.text, v.start, v.end))


def _dose_time_below_a_response_time(
    text: str, values: List[Value], unassigned: List[Value], today: Optional[date]
) -> None:
    """ "on 400 od for a year … he's in MR4.5 at 3 years", "400 mg/d x 6 weeks … In MMR at 18 months": the time
    said of the dose is the time at it, the later time of the response the time on imatinib; "on 600 since July,
    PCR 1 % at 18 months": the date of the dose is when it began, the time of the result the time on imatinib."""
    said = [v for v in values if v.field == "months_on_tki" and isinstance(v.value, (int, float))]
    if not said or any(v.field == "days_at_current_dose" for v in values):
        return
    months = max(said, key=lambda v: v.value)  # the longest time said is the time on imatinib
    dated = [
        d
        for d in unassigned + [v for v in said if v is not months]
        if d.field == "months_on_tki"
        and isinstance(d.value, (int, float))
        and isinstance(months.value, (int, float))
        and d.value < months.value
        and re.match(r"since\b", d.text, re.I)
        and _a_dose_right_before(text, d.start)
        and _of_the_dose_now(text, d, values)
    ]
    if len(dated) == 1:
        try:
            days = normalize("days_at_current_dose", dated[0].text, today=today).value
        except NormalizationError:
            return
        (unassigned if dated[0] in unassigned else values).remove(dated[0])
        values.append(Value("days_at_current_dose", days, dated[0].text, dated[0].start, dated[0].end))
        return
    months = said[0]
    if not isinstance(months.value, (int, float)) or not doses.DOSE_FOR_BEFORE.search(text[: months.start]):
        return
    later = [
        d
        for d in unassigned
        if d.field == "months_on_tki"
        and isinstance(d.value, (int, float))
        and d.value > months.value
        and _IN_A_RESPONSE_AT.search(text[_sentence_start(text, d.start) : d.start][-40:])
        and not _HOPED.search(text[_sentence_start(text, d.start) : d.start])
        and "?" not in text[d.end : d.end + 40].split(".")[0]
    ]
    if len(later) != 1:
        return
    try:
        days = normalize("days_at_current_dose", months.text).value
    except NormalizationError:
        return
    values.remove(months)
    values.append(Value("days_at_current_dose", days, months.text, months.start, months.end))
    unassigned.remove(later[0])
    values.append(later[0])


def _time_on_imatinib(text: str, values: List[Value], unassigned: List[Value]) -> None:
    """The one cue-less duration of a case that can only be the time on imatinib ("IM 400 od, 5 yrs"); a
    duration said to be now ("now 24 mo") is the time on imatinib over a result's earlier time point."""
    now = [
        d for d in unassigned if d.field == "months_on_tki" and _NOW_BEFORE.search(text[max(0, d.start - 16) : d.start])
    ]
    if len(now) == 1:
        values[:] = [v for v in values if v.field != "months_on_tki"]
        unassigned.remove(now[0])
        values.append(now[0])
        return
    if any(v.field == "months_on_tki" for v in values):
        return
    free = [
        d
        for d in unassigned
        if d.field == "months_on_tki"
        and isinstance(d.value, (int, float))
        and d.value >= 1
        and d.bound is None
        and not _TIED_AFTER.match(text[d.end : d.end + 12])
        and not extraction.EVENT_AFTER.match(text, d.end)  # "a 4-month TFR attempt", "a 2-week hold"
        and not _TIED_BEFORE.search(text[max(0, d.start - 25) : d.start])
        and not doses.CHANGE_AT_BEFORE.search(text[max(0, d.start - 45) : d.start])  # "went up at 6 mo"
    ]
    if len(free) == 1:
        unassigned.remove(free[0])
        values.append(free[0])


def read_values(text: str, today: Optional[date] = None) -> Dict[str, Value]:
    """The current patient values of a message, whatever its speech act."""
    return _read_values(spoken.digits(text)[0], today)[0]


# results timed from something else than the start of imatinib: their times are not the time on imatinib
_COUNTED_FROM = re.compile(
    r"\b(?:after|since|post|following|from)\s*-?\s*(?:the\s+|her\s+|his\s+)?(?:dose\s+)?"
    r"(?:reduction|de-?escalation|restart\w*|stopp\w*|switch\w*|cut|change)\b",
    re.I,
)
_LOST_BEFORE = re.compile(
    r"\b(?:lost|loss of|losing|no|not|never|out of)\s+(?:in\s+)?(?:MMR|MR ?4(?:[.,]5)?|DMR)\W*$", re.I
)
_CATEGORY_BEFORE = re.compile(
    r"\b(MMR|MR ?4[.,]5|MR ?4|MR ?5|DMR)\W{0,3}(?:(?:for|x|×|sustained|stable|stably|held|maintained|continuously|"
    r"consistently|over|>|≥|about|around|~|approx\.?|at least|more than|the (?:last|past))\W{0,3})*$",
    re.I,
)


_NOT_STATE = {"goal", "dosing", "phase", "on_reduced_dose"}  # words of a plan or a kind of patient, no state
_NOT_HELD = re.compile(
    r"\b(?:lost|loss of|losing|no|not|never|out of)\s+(?:in\s+)?(?:MMR|MR)|undetect\w*|not detected|negative", re.I
)
# a response planned ("goal is MMR for 3 years", "aim for MR4 for 2 years") or that ended ("… until last spring")
_PLANNED_BEFORE = re.compile(r"\b(?:goal|aim|target|plan\w*|wants?|hop\w*)\b[^.;,]{0,20}$", re.I)
_THEN_LOST = re.compile(
    r"[^.;?]{0,40}?\b(?:then|but|and|since|later|subsequently)\s+(?:was\s+|got\s+)?lost\s*(?:it|them|the response|"
    r"(?:the\s+)?(?:mmr|mr\s?4(?:[.,]5)?|mr\s?5|dmr|response)\b|[.,;!)]|$)",
    re.I,
)
_ENDED_AFTER = re.compile(r"^\s*(?:until|till|before|then)\b", re.I)


def _held_since(text: str, values: Dict[str, Value], today: Optional[date]) -> None:
    """ "MR4.5 since 2021", "MR4 for 3 y", "MMR x 2 yrs": a response held up to now is the latest level's bound too
    (issue 20: dated results whose latest point is the current value), when no level is given as a number."""
    if "bcr_abl1_is" in values or len(set(values) - _NOT_STATE) < 2 or _NOT_HELD.search(text):
        return  # a level given; a question about a time in a response ("MR4 for 18 months: enough for TFR?"); a
        # response said to be lost ("lost MMR since 2022"), or a result asked about ("undetectable", no sensitivity)
    for field in ("dmr_months", "mmr_months"):
        v = values.get(field)
        m = _CATEGORY_BEFORE.search(text, max(0, v.start - 32), v.start) if v else None
        if (
            m is None
            or _PLANNED_BEFORE.search(text[max(0, m.start() - 30) : m.start()])
            or _ENDED_AFTER.match(text[v.end :])
        ):
            continue  # no response word before the time; a response planned or one that ended
        try:
            n = as_input(normalize("bcr_abl1_is", m.group(1), today=today))
        except NormalizationError:
            continue
        held = Value("bcr_abl1_is", n.value, m.group(1), m.start(1), m.end(1), n.bound)
        held.cued = False  # implied by the response held, not given as the latest level
        values["bcr_abl1_is"] = held
        return


# a response held since a time on imatinib, not for it: "in continuous MMR since the 12-month sample", "MMR since
# month 18", "MMR reached at 14 months and held since": the time held is the time on imatinib less that point
_SINCE_A_POINT = re.compile(
    r"\b(?P<cat>MMR|MR ?4[.,]5|MR ?4|MR ?5|DMR)\b[^.;\n]{0,30}?\bsince\s+(?:the\s+|her\s+|his\s+)?"
    r"(?:month\s+(?P<a>\d{1,3})\b(?!\s*(?:-|\u2013|to|or)\s*\d)|(?P<b>\d{1,3})\s*-?\s*(?:months?|mo|m)\b\s*-?\s*"
    r"(?:sample|result|test|pcr|mark|point|check|review|visit|milestone)s?\b|(?P<c>\d{1,2})/12\s+(?:sample|result|pcr)\b)"
    r"|(?:\b(?:reached|achieved|attained|got|hit|in)\s+(?P<cat2>MMR|MR ?4[.,]5|MR ?4|MR ?5|DMR)|"
    r"\b(?P<cat3>MMR|MR ?4[.,]5|MR ?4|MR ?5|DMR)\s+(?:was\s+)?(?:reached|achieved|attained))\s+(?:at|by)\s+"
    r"(?:about\s+|~\s*)?(?:(?:her|his|the)\s+)?(?P<d>\d{1,3})\s*-?\s*(?:months?|mo|m)\b(?:\s*(?:pcr|sample|result|test))?"
    r"[^.;\n]{0,25}?\b(?:held|sustained|maintained|kept|stable|"
    r"continuous(?:ly)?|since|ever since)\b",
    re.I,
)


def _held_from_a_point(text: str, values: Dict[str, Value], not_values: List[NotValue]) -> None:
    """The time a response has been held, when told from a point on imatinib (in place); without the time on
    imatinib the point gives no time held, and any time read there is set aside."""
    for m in _SINCE_A_POINT.finditer(text):
        if re.search(r"\b(?:not|never|n't|no longer|without|lost|losing)\b", m.group(0), re.I):
            continue  # "achieved MMR at 12 months but not sustained", "never stable since": not held
        cat = (m["cat"] or m["cat2"] or m["cat3"]).upper().replace(" ", "")
        field = "mmr_months" if cat == "MMR" else "dmr_months"
        point = int(next(g for g in (m["a"], m["b"], m["c"], m["d"]) if g))
        held = values.get(field)
        if held is not None and not (m.start() <= held.start < m.end()):
            continue  # a time held said elsewhere in the message stays
        for name in (field, "months_on_tki"):  # "MMR since the 12 month PCR": no time held, nor on imatinib
            v = values.get(name)
            if v is not None and m.start() <= v.start < m.end():
                del values[name]
                not_values.append(NotValue(v.text, "the time on imatinib a response dates from", name, v.start, v.end))
        on = values.get("months_on_tki")
        if on is not None and isinstance(on.value, (int, float)) and on.value > point:
            values[field] = Value(field, round(float(on.value) - point, 2), m.group(0), m.start(), m.end(), cued=False)


# doubt said of a value: just before it ("maybe 2 yrs", "not sure, 0.05 %"), or a question mark after it with words
# of doubt near ("2 yrs? or was it 18 months", "0.2? would have to check"); "about 2 yrs" is only approximate
_DOUBT_BEFORE = re.compile(r"\b(?:maybe|perhaps|possibly|not sure|unsure|uncertain|i guess|guessing)\W{0,3}$", re.I)
_DOUBT_NEAR = re.compile(
    r"\b(?:not sure|unsure|uncertain|or was it|can'?t remember|cannot remember|don'?t remember|do not remember|"
    r"(?:would|will|have|need) to check|from memory|iirc|if i remember|don'?t quote me|not certain)\b",
    re.I,
)


# a share of doses dated to an earlier time: "adh 70% last year, now better", "adherence was 60% in 2024",
# "75% before counselling", "90 in 2023, not checked since"
_AN_EARLIER_SHARE = re.compile(
    r"[^.;\n\d]{0,12}?\b(?:last (?:year|spring|summer|autumn|winter)|in (?:19|20)\d\d|before (?:the |her |his )?\w+|"
    r"previously|back then|at the time|at diagnosis)\b",
    re.I,
)
_DOUBT_AFTER = re.compile(  # "grade 2, perhaps 3", "850 - or was that the previous one?", "95 % I think, maybe less"
    r"^\W{0,4}(?:(?:i think|i believe)\W{0,3})?(?:perhaps|maybe|possibly|or (?:was (?:it|that)|is (?:it|that))|"
    r"not sure|i'?m not sure|(?:i'?d|i would|i'?ll|i will|i) (?:need to|have to) (?:check|confirm|double-check))\b",
    re.I,
)


# a result the lab did not accept, said in its sentence: "0.3 % but the lab rejected it", "350 ng/mL but the sample
# was haemolysed, result unreliable, please repeat", "1.2 % (sample failed QC)"
_LAB_RESULTS = ("bcr_abl1_is", "trough_ng_ml")
_REJECTED_AFTER = re.compile(
    r"(?:(?!\b(?:not|no|n't|never|previous|earlier|last|other|before|prior)\b)[^.;\n]){0,60}?"
    r"\b(?:rejected|unreliable|invalid|haemolys\w*|hemolys\w*|failed (?:qc|quality)|sample failed|"
    r"insufficient (?:abl1? )?(?:control|copies)|not reportable|void|clotted|needs? repeating|"
    r"please repeat(?=\s*(?:[.;!\n]|$|the (?:sample|test|level|pcr)\b|it\b))|"
    r"cannot be reported|can'?t be reported)\b",
    re.I,
)


def _without_doubted(text: str, current: List[Value], ambiguous: List[Ambiguous]) -> List[Value]:
    """The values not given with a doubt; those that were ("maybe 2 yrs? not sure") are asked about."""
    doubted = [v for v in current if _doubted(text, v)]
    ambiguous += [Ambiguous(v.field, v.text, f"{v.text!r} was given with a doubt: what is the value?") for v in doubted]
    return [v for v in current if not any(v is d for d in doubted)]


_DOWN_AGAIN = re.compile(r"\b(?:reduc\w*|dropped|cut|halved|lowered|de-?escalat\w*)\b|\b[1-8]00\s+again\b", re.I)


def _reduction_of_the_patient(text: str, values: Dict[str, Value], back: Optional[Value]) -> None:
    """The reduction the doses tell (``doses.reduction``), unless it is said of someone else ("her dad reduced to
    200 mg"); ``back`` is the dose the message says the patient went back to (``doses.resumed``)."""
    elsewhere = _someone_else_spans(text)
    for f, v in doses.reduction(text, values).items():
        if not any(a <= v.start < b for a, b in elsewhere):
            values.setdefault(f, v)
    std, dose, state = values.get("standard_dose_mg"), values.get("dose_mg"), values.get("on_reduced_dose")
    lower = std is not None and dose is not None and isinstance(std.value, int) and isinstance(dose.value, int)
    if lower and std.value < dose.value:  # "on the old 300 mg dose; on 400 since": raised, no dose before a reduction
        del values["standard_dose_mg"]
        if state is not None and state.value is True:
            del values["on_reduced_dose"]
    if lower and back is not None and _back_on_the_dose_before(text, back, std, dose, state):
        values["on_reduced_dose"] = Value("on_reduced_dose", False, back.text, back.start, back.end)


def _back_on_the_dose_before(text: str, back: Value, std: Value, dose: Value, state: Optional[Value]) -> bool:
    """ "went from 400 to 200 in 2025 … put him back on 400": back on the dose before the reduction, after it; not
    when the dose came down again ("back on 400 for 3 months, then reduced again to 300", "now 300 again")."""
    after_the_reduction = back.start > std.end and (state is None or state.value is True and back.start > state.end)
    down_again = _DOWN_AGAIN.search(text[back.end :]) or dose.value < std.value
    return after_the_reduction and back.value >= std.value and not down_again


def _doubted(text: str, v: Value) -> bool:
    if v.end <= v.start:
        return False
    if _DOUBT_BEFORE.search(text[max(0, v.start - 16) : v.start]) or _DOUBT_AFTER.match(text[v.end : v.end + 40]):
        return True
    return bool(re.match(r"\s*\?", text[v.end :])) and bool(_DOUBT_NEAR.search(text[v.end : v.end + 60]))


def _in_question(text: str, v: Value) -> bool:
    end = re.search(r"[.;!?\n]", text[v.end :])
    return bool(end) and end.group(0) == "?"


def _read_values(text: str, today: Optional[date]):
    """(values, ambiguous, unassigned, not_values, proposal, points) of ``text``; computed once per message
    (the NLU, the router and the forms all ask), the containers copied for each caller."""
    values, ambiguous, unassigned, not_values, proposal, points = _read_values_once(text, today)
    return dict(values), list(ambiguous), list(unassigned), list(not_values), proposal, list(points)


# the writer taking back what they just typed (never "0.05 not 0.5", where the first value is the one meant: the
# corrections' grammar)
_SELF_CORRECTION = re.compile(rf"\b(?:{extraction.TAKE_BACK_WORDS})\b", re.I)
# values taken back as another patient's: "had T315I? no, sorry, that's a different pt. This one: …"
_ANOTHER_PATIENT = re.compile(
    r"\b(?:(?:that'?s|thats|that was|this is|it'?s|its|mixed up with)\s+(?:a\s+|the\s+)?|"
    r"(?:no|sorry|wait|oops)\W+(?:\w+\W+)?)(?:different|another|wrong)\s+(?:pt|patient|person|lady|man|woman|case)\b",
    re.I,
)


# a value said to be an older result, with the one now after it: "trough 980 ng/mL - no wait, that was her previous
# one, today's is 1210"
_WAS_PREVIOUS = re.compile(
    r"\b(?:that|this|it)(?:'s|\s+(?:was|is))\s+(?:her|his|their|the|an?)\s+(?:previous|last|old|older|earlier|prior|"
    r"first)\s*(?:one|level|result|trough|pcr|value|sample)?\b"
    # someone else's figure: "adherence 80 % - no sorry, that's her husband's figure, hers is 95 %"
    r"|\b(?:that|this|it)(?:'s|\s+(?:was|is))\s+(?:her|his|their|the)\s+[a-z]+'s\s+"
    r"(?:figure|value|result|level|number|one|reading)\b"
)
_NOW_AFTER = re.compile(
    r"\W*(?:(?:but|and|so)\s+)?(?:today'?s|the current|current|the new|new|the latest|latest|this one|now|hers|"
    r"(?:her|his) own|the patient'?s)\s*"
    r"(?:one\s+|level\s+|result\s+|trough\s+)?(?:is|was|=|:)?\s*(?P<n>\d+(?:[.,]\d+)?)(?P<unit>\s*(?:%|ng/ml|umol/l|µmol/l))?"
    # a number with another unit is another value ("now 400 mg"): never read in the older value's unit
    r"(?!\d|\s*(?:mg|mcg|g|h|hrs?|hours?|d|days?|wks?|weeks?|mo|mos|months?|y|yrs?|years?|x)\b)",
    re.I,
)


def _previous_results(text: str, found: List[Value], today: Optional[date]) -> Tuple[List[Value], List[Value]]:
    """(values to keep, values said to be older results): the value just before "that was her previous one" is
    an older result; the number after "today's is" is the value now, in the older value's unit when it has none."""
    past: List[Value] = []
    for m in _WAS_PREVIOUS.finditer(text):
        before = [v for v in found if 0 <= m.start() - v.end <= 30 and v not in past]
        if not before:
            continue
        old = before[-1]
        past.append(old)
        now = _NOW_AFTER.match(text, m.end())
        if now is None:
            continue
        unit = now["unit"] or re.sub(r"^[\d.,\s]+", " ", old.text)
        try:
            n = normalize(old.field, now["n"] + (unit or ""), today=today)
        except NormalizationError:
            continue
        found[:] = [v for v in found if not v.start <= now.start("n") < v.end]  # read in the older value's field
        found.append(Value(old.field, n.value, now.group(0).strip(" ,:"), now.start("n"), now.end(), n.bound))
    return [v for v in found if not any(v is p for p in past)], past


# two patients in one message, one of them named as the one asked about: "Mr A (fine, ignore him) is 0.02 % at 5
# yrs. Mr B is the one I'm asking about: …", "Bed 4 is fine. My question is about bed 6: …"
_THE_ONE_ASKED = re.compile(
    r"\b(?:(?:is|'s)\s+the\s+one\s+(?:I'?m|I\s+am|we'?re)\s+(?:asking|worried|concerned)\s+about|"
    r"my\s+question\s+is\s+(?:about|on)|(?:I'?m|I\s+am)\s+asking\s+about\s+(?:mr|mrs|ms|miss|dr|pt|patient|bed)\b|"
    # "actually ignore him. it's bed 7: …", "I mean Mrs B"
    r"(?:^|[.;:!?]\s*)(?:it'?s|it\s+is|i\s+mean|this\s+one\s+is)\s+(?=(?:bed\s*\d|mr|mrs|ms|miss)\b))",
    re.I,
)
_DISMISSED = re.compile(
    r"\bignore\s+(?:him|her|them|that\s+one)\b|\b(?:is|'s)\s+fine\s*,?\s+ignore\b"
    # left for another time: "Mr A (…) I'll ask about separately", "will come back to him later"
    r"|\b(?:I'?ll|I\s+will|we'?ll|will)\s+(?:ask|come\s+back|get\s+back|write|message)\b[^.;!?]{0,25}?"
    r"\b(?:separately|later|another\s+time|tomorrow|next\s+time)\b",
    re.I,
)


def _sentence_of(text: str, at: int) -> Tuple[int, int]:
    """The span of the sentence around ``at`` (a point inside a number ends none)."""
    end = re.compile(r"[.?!;](?=\s|$)|\n").search(text, at)
    return _sentence_start(text, at), end.start() if end else len(text)


def _without_a_dismissed_patient(text: str) -> str:
    """``text`` with the sentence of a patient set aside blanked (offsets kept) when another one is named as the
    one asked about: the extractor keeps one value per field, and it must be the asked one's."""
    asked = _THE_ONE_ASKED.search(text)
    for m in _DISMISSED.finditer(text) if asked else ():
        a, b = _sentence_of(text, m.start())
        # the sentence names its patient before the dismissal: "Mr A (fine, ignore him) …", "the lady in bed 4 …"
        named = _A_PATIENT_NAMED.search(text, a, m.start())
        if named is None and a > 0:  # "two pts - bed 4 on 400, fine. actually ignore him.": the sentence before
            a = _sentence_of(text, a - 2)[0]
            named = _A_PATIENT_NAMED.search(text, a, m.start())
        other = _A_PATIENT_NAMED.search(text[asked.start() - 30 if asked.start() > 30 else 0 : asked.end() + 20])
        if b <= asked.start() and named and other and _who(named) != _who(other):
            text = text[:a] + " " * (b - a) + text[b:]
    return text


# a patient named by a letter, a bed or an initial: "Mr A", "bed 6", "Mrs D.", "pt B"
_A_PATIENT_NAMED = re.compile(
    r"\s*(?:(?P<t>mr|mrs|ms|miss|pt|patient)\.?\s+(?P<n>[A-Z][a-z]*\.?)|(?P<b>bed)\s*(?P<bn>\d+))", re.I
)


def _who(m: re.Match) -> str:
    return (m["n"] or "").strip(".").lower() if m["t"] else f"bed {m['bn']}"


def _another_patients(text: str, values: List[Value]) -> List[Value]:
    """The values written before words that give them to another patient: those of the sentence the words
    close, or of the sentence before when the words open their own ("… T315I? no -- sorry that's a different pt")."""
    out = []
    for m in _ANOTHER_PATIENT.finditer(text):
        start = max(text.rfind(c, 0, m.start()) for c in ".?!;\n") + 1
        if not any(start <= v.start < m.start() for v in values):
            start = max(text.rfind(c, 0, max(0, start - 1)) for c in ".?!;\n") + 1
        out += [v for v in values if start <= v.start < m.start()]
    return out


# someone else named as the subject of what follows in the sentence: "Pt's mum was on imatinib 400 for 10 yrs",
# "her husband (also CML) is on 600", "the previous patient had MMR for 3 years", "my other CML pt has been on IM
# 8 yrs"; not one who reports the patient's values ("her husband says she never misses")
_RELATIVES = (
    r"mum|mom|mother|dad|father|husband|wife|partner|brother|sister|twin|son|daughter|cousin|aunt|uncle|grand\w+|"
    r"friend|neighbou?r"
)
_SOMEONE_ELSE = re.compile(
    r"\b(?:(?:her|his|their|the|my|a|pt'?s|patient'?s)\s+(?:own\s+|twin\s+|older\s+|younger\s+|late\s+)?"
    rf"(?:{_RELATIVES})|(?:another|other|previous|last|different|next)\s+(?:cml\s+)?"
    r"(?:pt|patient|lady|gentleman|man|woman|case))\b(?!'s\s+(?:report|account|word))"
    r"(?!\W+(?:\w+\W+)?(?:says|said|reports|reported|tells|told|thinks|confirms|confirmed|gives|helps|checks)\b)",
    re.I,
)
_CASE_HEADING = re.compile(r"(?:another|other|different|next|new)\s", re.I)
_BACK_TO_THE_PATIENT = re.compile(
    r"\b(?:pt|patient)\s+(?:him|her)self\b|\bthis\s+(?:one|lady|man|gentleman|woman|pt|patient)\b|"
    r"\b(?:our|my)\s+(?:pt|patient)\b(?!\s*'s)|\bwhereas\b|\bwhile\s+(?:she|he)\b|\bbut\s+(?:she|he|pt|the patient)\b",
    re.I,
)


def _someone_elses(text: str, values: List[Value]) -> List[Value]:
    """The values said of someone else named as the subject, up to the end of the sentence or words that come
    back to the patient."""
    spans = _someone_else_spans(text)
    return [v for v in values if any(a <= v.start < b for a, b in spans)]


def _someone_else_spans(text: str) -> List[Tuple[int, int]]:
    out = []
    for m in _SOMEONE_ELSE.finditer(text):
        heading = re.match(r"\s*[:\u2013\u2014]|\s+-\s", text[m.end() :]) and _CASE_HEADING.match(m.group(0))
        if heading and not re.search(r"\d", text[: m.start()]):
            continue  # "Different patient: 6 yo with CML …", "next case - IM 400 …": the heading of the case told
        stop = re.search(r"[.;!?\n](?!\d)", text[m.end() :])
        end = m.end() + stop.start() if stop else len(text)
        back = _BACK_TO_THE_PATIENT.search(text, m.end(), end)
        out.append((m.end(), back.start() if back else end))
    return out


# a response said to be lost, not regained: "MR4 lost 2 months ago", "lost MMR", "but lost MR4 at last PCR"
_LOST = {
    "mmr_months": re.compile(
        r"\b(?:lost|loss of|losing)\s+(?:the\s+|her\s+|his\s+)?mmr\b|\bmmr\s+(?:was\s+|now\s+)?lost\b", re.I
    ),
    "dmr_months": re.compile(
        r"\b(?:lost|loss of|losing)\s+(?:the\s+|her\s+|his\s+)?(?:mr\s?4(?:[.,]5)?|mr\s?5|dmr|deep)\b|"
        r"\b(?:mr\s?4(?:[.,]5)?|dmr)\s+(?:was\s+|now\s+)?lost\b|\blost\s+it\b",
        re.I,
    ),
}
_REGAINED = re.compile(r"\b(?:regained|back (?:in|to)|again in|re-?achieved|recaptured)\b", re.I)
_CEILING = {"mmr_months": T.MMR_PCT, "dmr_months": T.MR4_PCT}


def _ended_responses(text: str, values: Dict[str, Value], not_values: List[NotValue]) -> None:
    """A time in a response that has ended is no time in it now: the response said lost ("MR4 lost 2 months
    ago", "MMR for 2 years then lost"), or a level now above its ceiling ("in MMR 2.5 yrs until now (0.15 %)");
    nor is the response itself the level now ("MMR for the first 2, then lost it")."""
    level = values.get("bcr_abl1_is")
    if level is not None and level.bound is not None and _THEN_LOST.match(text, level.end):
        del values["bcr_abl1_is"]
        not_values.append(NotValue(level.text, "a response that has ended", "bcr_abl1_is", level.start, level.end))
        level = None
    above = isinstance(getattr(level, "value", None), (int, float)) and level.bound is None
    for field, lost in _LOST.items():
        v = values.get(field)
        if v is None:
            continue
        said_lost = any(
            not re.search(r"\b(?:never|not|no)\s*$|n't\s*$", text[max(0, m.start() - 10) : m.start()], re.I)
            for m in lost.finditer(text)
        ) and not _REGAINED.search(text)  # "never lost MMR" keeps it
        if said_lost or (above and level.value > _CEILING[field]):
            del values[field]
            not_values.append(NotValue(v.text, "a response that has ended", field, v.start, v.end))


_NO_LEVEL_SINCE = re.compile(
    r"\bno\s+(?:further\s+|new\s+|repeat\s+|other\s+)?(?:trough|level|tdm)s?\s+(?:done\s+|taken\s+)?since\b", re.I
)
_NOW_ON_A_DOSE = re.compile(r"\bnow on\s+(?:imatinib\s+|im\s+)?(?P<dose>[1-8]00)(?!\d)", re.I)


def _now_on_another_dose(text: str) -> bool:
    """ "trough … on 400 mg; now on 600 mg", "old trough last year …; now on 600": a dose now after another one, or
    after a level said to be old (a change told)."""
    now = _NOW_ON_A_DOSE.search(text)
    if now is None:
        return False
    before = text[: now.start()]
    return any(d != now["dose"] for d in doses.DOSE_NAMED.findall(before)) or bool(_OLD_LEVEL.search(before))


_OLD_LEVEL = re.compile(
    r"\b(?:old|previous|prior|earlier)\s+(?:trough|level|tdm)\b|\b(?:trough|level)\s+(?:from\s+)?(?:last|in)\s+"
    r"(?:year|spring|summer|autumn|winter|20\d\d)\b",
    re.I,
)


def _drawn_on_another_dose(text: str, level: Value, values: Dict[str, Value]) -> bool:
    """A trough drawn on another dose than the one now, or before the change told, in its own clause ("trough 450
    ng/mL on 400 mg", "(on 400) was 520 ng/mL", "before the increase to 600, trough was 650"): not the level of the
    dose now."""
    dose = values.get("dose_mg")
    clause = re.split(r"[;\n]|\.\s", text[: level.start])[-1] + text[level.start : level.end]
    clause += re.split(r"[;\n]|\.\s", text[level.end :])[0]
    if doses.BEFORE_THE_CHANGE.search(clause) and "?" not in clause:
        return True  # "before the increase to 600, trough was 650", not "repeat before the dose reduction?"
    drawn_on = [int(m["dose"]) for m in doses.ON_A_DOSE.finditer(clause)]
    return bool(
        dose is not None
        and isinstance(dose.value, int)
        and drawn_on
        and all(d not in (dose.value, dose.value // 2) for d in drawn_on)
    )


_NEW_LEVEL_AWAITED = re.compile(
    r"\b(?:new|repeat|next|another|fresh)\s+(?:trough|level|one|sample|tdm)\s+(?:is\s+)?(?:pending|awaited|requested|"
    r"booked|due|not back|to follow|planned)\b|\bno\s+(?:new|repeat|further)\s+(?:trough|level|tdm)\b|"
    r"\bpre-?(?:escalation|increase|reduction|change)\s+(?:trough|level)\b",
    re.I,
)


def _whose(v: Value, someone_elses: List[Value]) -> str:
    return "someone else's" if any(v is e for e in someone_elses) else "another patient's"


_FAMILY = {"months_on_tki": "months_on_tki", "mmr_months": "months_on_tki", "dmr_months": "months_on_tki",
           "days_at_current_dose": "months_on_tki", "bcr_abl1_is": "bcr_abl1_is"}  # fmt: skip


# nothing but the extractor's words of taking back between the two values (not "2 years, actually first 6 months")
_ONLY_TAKE_BACK = re.compile(
    rf"[\s,;:.\-\u2013\u2014(]*(?:(?:{extraction.TAKE_BACK_WORDS})[\s,;:.\-\u2013\u2014]*)+", re.I
)


_GOES_ON_AFTER = re.compile(r"^\s*(?:(?:and|then|until|to)\b|\?)", re.I)  # "wait 12 months and then reduce?"


def _taken_back_by_a_bare_value(text: str, found: List[Value], unassigned: List[Value], today: Optional[date]) -> None:
    """A value the writer takes back at once with a bare one of its kind ("BCR-ABL at 6 months - sorry, 5 months -
    was 4.1 %", "for 3 years, no wait, 4 years"): the bare one is the value of the field the first was (in place)."""
    for u in list(unassigned):
        first = next(
            (v for v in reversed(found) if v.end <= u.start and _FAMILY.get(v.field) == u.field and v.cued), None
        )
        if (
            first is None
            or not _ONLY_TAKE_BACK.fullmatch(text[first.end : u.start])
            or _TIED_AFTER.match(text[u.end : u.end + 12])
            or _GOES_ON_AFTER.match(text[u.end : u.end + 12])
        ):
            continue  # (not "2 years, actually first 6 months were on 600", "at 36 months, sorry 2 weeks ago")
        try:
            n = _as_read(normalize(first.field, u.text, today=today))
        except NormalizationError:
            continue
        found[found.index(first)] = Value(
            first.field, n.value, u.text, u.start, u.end, n.bound, n.word, list(n.assumptions), dict(n.related)
        )
        unassigned.remove(u)


_BEFORE_NOW = re.compile(
    r"\b(?:lost|loss|losing|pre-?\w*|before|previous\w*|prior|was|were|(?:19|20)\d\d|reduced|reduction|"
    r"de-?escalat(?:ed|ion)|dropped|ago|last|now|only|earlier|then|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|"
    r"aug\w*|sep\w*|oct\w*|nov\w*|dec\w*|spring|summer|autumn|winter)\b",
    re.I,
)


def _deep_response_by_ddpcr(text: str, values: Dict[str, Value]) -> None:
    """ "MR4.5 by ddPCR, MMR for 3 years": the deeper response the ddPCR shows is the level's bound, not the MMR
    said beside it (in place; never over a level written as a number, and no level where none was said)."""
    dd, level = values.get("ddpcr_mr45"), values.get("bcr_abl1_is")
    if dd is None or dd.value is not True or not re.search(r"\bmr\s*4[.,]5\b", dd.text, re.I):
        return
    lo, hi = _sentence_of(text, dd.start)
    if level is None or re.search(r"\d", level.text) or _BEFORE_NOW.search(text[lo:hi]):
        return  # a level written as a number or a bound of its own; a ddPCR of before ("MR4.5 in 2022, MR4 lost")
    if level.bound in ("<", "<=") and level.value > T.MR45_PCT:
        values["bcr_abl1_is"] = Value("bcr_abl1_is", T.MR45_PCT, dd.text, dd.start, dd.end, "<=", "MR4.5")


def _self_corrected(text: str, first: Value, second: Value) -> bool:
    """The second of two values of one field follows the first closely, after words that take the first back."""
    return _takes_back(text, first.end, second)


def _takes_back(text: str, end: int, second: Value) -> bool:
    return 0 <= second.start - end <= 40 and bool(_SELF_CORRECTION.search(text[end : second.end]))


def _corrects(text: str, question: Ambiguous, value: Value) -> bool:
    """A value that takes back a span the reader would have asked about ("trough 890, sorry, 980 ng/mL")."""
    at = text.rfind(question.text, 0, value.start)
    return value.field == question.field and at >= 0 and _takes_back(text, at + len(question.text), value)


# a dose said to be the one now: "currently on 400", "she's been on 400mg", "now 300 od", "still on 600"
_DOSE_NOW = re.compile(
    r"\b(?:now|currently|presently|still|(?:has|have|'s|’s)\s+been|is|are)\s+(?:on\s+)?(?:(?:imatinib|im|glivec)\s+)?$",
    re.I,
)


def _one_per_field(text: str, current: List[Value], ambiguous: List[Ambiguous]) -> Dict[str, Value]:
    """One value per field; a value the writer took back gives way, two current values are asked about (appended
    to ``ambiguous``)."""
    values: Dict[str, Value] = {}
    for v in current:
        prev = values.get(v.field)
        if prev is not None and prev.value != v.value and _self_corrected(text, prev, v):
            # "IM 400 bd?? no sorry 400 od": the writer corrected the first value; the second is the value
            for other in prev.related:
                if other in values and values[other].text == prev.text:
                    del values[other]
            del values[v.field]
        if v.field == "dose_mg" and prev is not None and prev.value != v.value and v.field in values:
            now = [d for d in (prev, v) if _DOSE_NOW.search(text[max(0, d.start - 30) : d.start])]
            if len(now) == 1:  # "trough 1900 on 600 … since 2024 she's been on 400": the dose said to be now
                values[v.field] = now[0]
                continue
        if v.field in values and values[v.field].value != v.value:
            # two different current values of one field: which is it? (never the first one silently)
            ambiguous.append(Ambiguous(v.field, f"{values.pop(v.field).text} / {v.text}", "two values"))
            continue
        if v.field not in {a.field for a in ambiguous}:
            values[v.field] = v
            for other, value in v.related.items() if v.field != "standard_dose_mg" else ():
                values.setdefault(other, Value(other, value, v.text, v.start, v.end))  # not the old dose's schedule
    return values


# a level named the newest: "latest, taken at 9 months, 0.8 %", "and this week 0.11 %", "most recent 0.3 %"
_SAID_LATEST = re.compile(
    r"\b(?:latest|most recent(?:ly)?|newest|this week|last week|this month|last month|yesterday|today)\b"
    r"(?:[^.;%]|(?<=\d)\.(?=\d)){0,30}$|" + extraction.NOW_BEFORE_LEVEL,
    re.I,
)


# a level dated by its month right before it ("| Nov-26 0.031%", "(Nov 2026) 0.006 %", "11/2026: 0.2 %")
_MONTH_DATED = re.compile(
    r"\b(?:(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?|(?P<mm>0?[1-9]|1[0-2]))"
    r"[\s\-/']*(?P<yr>20\d\d|\d\d)\)?\s*[:=\-\u2013]?\s*(?:(?:was|is|of)\s+)?$",
    re.I,
)


def _dated_recently(text: str, v: Value, today: Optional[date], later: List[Value]) -> bool:
    """A level dated by a month of the last three months (and not a later one): the newest told, whatever the
    series written before it says."""
    m = _MONTH_DATED.search(text, max(0, v.start - 20), v.start)
    if m is None or any(o.field == "bcr_abl1_is" and o.start > v.end for o in later):
        return False  # a result written after it is newer ("(Oct 2026) 0.045 %, now at 18 mo 0.6 %")
    today = today or date.today()
    month = MONTHS.index(m["mon"][:3].lower()) + 1 if m["mon"] else int(m["mm"])
    year = int(m["yr"]) + (2000 if len(m["yr"]) == 2 else 0)
    ago = (today.year - year) * 12 + today.month - month
    return 0 <= ago <= 3


def _sentence_start(text: str, at: int) -> int:
    return max((m.end() for m in re.finditer(r"[.;!?\n]\s+", text[:at])), default=0)


def _said_latest(text: str, v: Value) -> bool:
    window = text[max(0, v.start - 40) : v.start]
    m = _SAID_LATEST.search(window)
    # (a date word right after another value dates that one: "0.5 % yesterday and 0.3 % in March")
    return bool(m) and not re.search(r"(?:\d\s*%?|%)\s*(?:\(\s*)?$", window[: m.start()])


# another person's result: "her brother was 0.01 % at 12 mo", "sister also has CML"
_ANOTHER_PERSON = re.compile(rf"\b(?:{_RELATIVES}|another (?:patient|pt)|other (?:patient|pt)|bed \d+)\b", re.I)


def _time_of(said: Value, values: Dict[str, Value], points: List[Point]) -> Optional[float]:
    """The time on imatinib of a newest level told apart from a series: the time read, if later than the series."""
    months = values.get("months_on_tki")
    last = points[-1].months
    if months is None or not isinstance(months.value, (int, float)) or last is None or months.value <= last:
        return None
    return float(months.value)


def _earlier_and_now(text: str, values: Dict[str, Value]) -> List[Point]:
    """One earlier result dated by its time and the level now at the time now make a series of two: "30 mo on
    imatinib, BCR-ABL1 5 % - was 0.5 % at 12 mo"."""
    earlier = series.one_dated(text) if not _ANOTHER_PERSON.search(text) else None
    level, time = values.get("bcr_abl1_is"), values.get("months_on_tki")
    if earlier is None or earlier.months is None or level is None or time is None or level.bound is not None:
        return []
    if not isinstance(time.value, (int, float)) or earlier.months >= time.value or earlier.value == level.value:
        return []
    return [earlier, Point(level.value, float(time.value))]


_A_DATE = re.compile(r"(?:19|20)\d\d\b")


def _start_date(values: Dict[str, Value], today: Optional[date]) -> Optional[date]:
    """The date imatinib was started, when the time on it was read from a date ("started in March 2025")."""
    v = values.get("months_on_tki")
    if v is None or not isinstance(v.value, (int, float)) or not _A_DATE.search(v.text or ""):
        return None
    return (today or date.today()) - timedelta(days=round(v.value * T.DAYS_PER_MONTH))


def _latest_of_series(
    text: str,
    points: List[Point],
    values: Dict[str, Value],
    unassigned: List[Value],
    current: List[Value],
    today: Optional[date],
) -> None:
    """The newest point of a series is the level now, and its time the time on imatinib when nothing else says it;
    a level said to be the latest outside the series ("… and the 6 month 6 %; latest, taken at 9 months, 0.8 %")
    is newer than all of it."""
    said = values.get("bcr_abl1_is")
    if said is None:  # two levels asked about ("repeat 6 wks later 11 %", "latest 0.21 %"): the one said latest
        said = next((v for v in reversed(current) if v.field == "bcr_abl1_is" and _said_latest(text, v)), None)
    if said is None:  # "3/12 9.1 % | … | 24/12 0.04 % | Nov-26 0.031 %": the last result dated by its month
        dated = [v for v in current if v.field == "bcr_abl1_is" and _dated_recently(text, v, today, current)]
        said = dated[-1] if dated else None
    if (
        said is not None
        and said.bound is None
        and said.value not in {p.value for p in points}
        and (_said_latest(text, said) or _dated_recently(text, said, today, current))
        and not _ANOTHER_PERSON.search(text[_sentence_start(text, said.start) : said.end])  # not "his wife fills …"
    ):
        points.append(Point(said.value, _time_of(said, values, points)))
    latest = points[-1]
    values["bcr_abl1_is"] = Value("bcr_abl1_is", latest.value, f"{latest.value:g} %")
    months = values.get("months_on_tki")
    # "3 mo 25 %, repeated 6 wks later 22 %": the time written stays the time on imatinib (the writers differ)
    repeat = series.repeated_later(text, points)
    if months is not None and not repeat and any(p.months == months.value for p in points[:-1]):
        del values["months_on_tki"]  # the time of an earlier result is not the time on imatinib
    times = {p.months for p in points}
    other_time = any(u.field == "months_on_tki" and u.value not in times for u in unassigned)
    counted_from_else = _COUNTED_FROM.search(text) or "on_reduced_dose" in values or other_time or repeat
    if "months_on_tki" not in values and latest.months is not None and not counted_from_else:
        # "3m 22 %, 6m 15 %, 12m 8 %": the newest result is at the time written beside it, on imatinib
        values["months_on_tki"] = Value("months_on_tki", latest.months, f"{latest.months:g} months", cued=False)


def _results_told(text: str, values: Dict[str, Value], today: Optional[date]) -> List[Point]:
    """The series of results in ``text``, outside a guideline's thresholds ("ELN says >10 % at 3 months, >1 % at
    6": no results)."""
    for a, b in relations.threshold_spans(text):
        text = text[:a] + " " * (b - a) + text[b:]
    return [Point(p.value, p.months) for p in series.read_series(text, _start_date(values, today), today)]


@lru_cache(maxsize=256)
def _read_values_once(text: str, today: Optional[date]):
    found, ambiguous, unassigned = _values(text, today)
    doses.time_at_dose(text, found + unassigned)
    found += [d for d in unassigned if d.field == "days_at_current_dose"]  # a duration the dose named
    unassigned = [d for d in unassigned if d.field != "days_at_current_dose"]
    # a result given beats one said to be pending, unless it is only asked about ("aim for MR4.5 on ddPCR?")
    pending = {v.field for v in found if v.value is None}
    found = [v for v in found if v.value is None or v.field not in pending or not _in_question(text, v)]
    given = {v.field for v in found if v.value is not None}
    found = [v for v in found if v.value is not None or v.field not in given]
    _taken_back_by_a_bare_value(text, found, unassigned, today)
    _time_on_imatinib(text, found, unassigned)
    _month_only_after_a_dose(text, found, unassigned)
    _dose_time_below_a_response_time(text, found, unassigned, today)
    others = _another_patients(text, found)
    elses = [v for v in _someone_elses(text, found) if not any(v is o for o in others)]
    others += elses
    found = [v for v in found if not any(v is o for o in others)]
    found, older = _previous_results(text, found, today)
    current, not_values, proposal = relations.sort(text, found)
    current = _without_doubted(text, current, ambiguous)
    past = [v for v in current if v.field == "adherence_pct" and _AN_EARLIER_SHARE.match(text[v.end : v.end + 40])]
    not_values += [NotValue(v.text, "a past value", v.field, v.start, v.end) for v in past]
    current = [v for v in current if not any(v is p for p in past)]
    not_values += [NotValue(v.text, _whose(v, elses), v.field, v.start, v.end) for v in others]
    not_values += [NotValue(v.text, "a past value", v.field, v.start, v.end) for v in older]
    ambiguous = [a for a in ambiguous if not any(_corrects(text, a, v) for v in current)]  # "890, sorry, 980 ng/mL"
    values = _one_per_field(text, current, ambiguous)
    _days_of_an_earlier_dose(text, values)
    back = doses.resumed(text)
    if back is not None:  # "went back up to 400 after losing MMR on 200": 400 now
        values["dose_mg"] = back
        if back.related:
            values["dosing"] = Value("dosing", back.related["dosing"], back.text, back.start, back.end)
        ambiguous = [a for a in ambiguous if a.field != "dose_mg"]
    _reduction_of_the_patient(text, values, back)
    doses.on_full_dose(text, values)
    for field in ("days_at_current_dose", "months_on_tki"):  # "back on 400 after 3 months on 600": not now's
        v = values.get(field)
        if v is not None and v.start < v.end and doses.at_another_dose(text, v, values.get("dose_mg")):
            del values[field]
            not_values.append(NotValue(v.text, "a time at another dose or drug", field, v.start, v.end))
    doses.also_at_dose(text, values)
    doses.dose_since_the_start(text, values)  # "on 400 od since start": the days at the dose are the time on it
    doses.changed_in_month(text, values, today)  # "we went up to 600 in March": the days at 600
    _ended_responses(text, values, not_values)
    trough = values.get("trough_ng_ml")
    changed = doses.changed_told(text) or _now_on_another_dose(text)
    awaited = _NEW_LEVEL_AWAITED.search(text) and changed
    if trough is not None and (awaited or _NO_LEVEL_SINCE.search(text) or _drawn_on_another_dose(text, trough, values)):
        # "trough 1800 ng/mL on 600 … now on 400 for 10 days, no new level yet", "trough 450 ng/mL on 400 mg; now
        # on 600": the level of the dose before;
        # "trough 1300 in January, no further level since": a level before whatever followed
        del values["trough_ng_ml"]
        not_values.append(
            NotValue(trough.text, "a level from before the dose changed", "trough_ng_ml", trough.start, trough.end)
        )
    _what_the_results_say(text, values, not_values)
    clock = doses.clock_hours(text) if "hours_since_dose" not in values else None
    if clock is not None:  # "last dose 09:00 tues, bled 08:15 weds": 23.25 h
        values["hours_since_dose"] = clock
    for field in ("mmr_months", "dmr_months"):  # "lost MMR since 2022": not in MMR for that time
        v = values.get(field)
        if v is not None and _LOST_BEFORE.search(text[max(0, v.start - 24) : v.start]):
            del values[field]
    _held_from_a_point(text, values, not_values)
    if not any(a.field == "bcr_abl1_is" for a in ambiguous):
        _held_since(text, values, today)
    _deep_response_by_ddpcr(text, values)
    points = _results_told(text, values, today)
    if any(o.field == "bcr_abl1_is" and o.value == p.value for o in others for p in points):
        points = []  # "her brother was 0.01 % at 12 mo and 0.5 % at 6 mo": someone else's results
    timed = series.week_times(text)
    for field in ("months_on_tki", "days_at_current_dose"):  # "4 wk 0.05 %, 8 wk 0.08 %": times of results
        v = values.get(field)
        if v is not None and any(a <= v.start < b + 8 for a, b in timed):
            del values[field]
    if len(points) < 2:
        points = _earlier_and_now(text, values) or points
    elif len(points) >= 2:  # a series: its newest point is the current level
        _latest_of_series(text, points, values, unassigned, current, today)
        ambiguous = [a for a in ambiguous if a.field != "bcr_abl1_is"]
    return values, ambiguous, unassigned, not_values, proposal, points


def read(text: str, *, today: Optional[date] = None) -> MessageReading:
    """The reading of one message, without the conversation's context (see ``reading.context``). A number said in
    words ("four hundred milligrams") is read in digits: the reading's text and spans are of the message so
    rewritten (``reading.spoken``)."""
    text = spoken.digits(text)[0] if isinstance(text, str) else ""
    values, ambiguous, unassigned, not_values, proposal, points = _read_values(text, today)
    said_of_the_patient = text
    for a, b in _someone_else_spans(text):  # "her dad reduced to 200 mg …": not words of this patient's case
        said_of_the_patient = said_of_the_patient[:a] + " " * (b - a) + said_of_the_patient[b:]
    act = speech.speech_act(said_of_the_patient, values, not_values, ambiguous)
    assessment = act.assessment if act.kind == "case" else None
    dose = values.get("dose_mg")
    lower = act.kind == "case" and proposal is not None and isinstance(getattr(dose, "value", None), int)
    lower = lower and proposal < dose.value
    if lower and assessment in (None, "response") and "on_reduced_dose" not in values:
        assessment = "dose_reduction"  # "400 to 200?": a reduction from the dose now is asked about
    missing = [v for f, v in values.items() if v.value is None and v.bound is None and f not in NULL_IS_A_VALUE]
    # a screen sent whose result is awaited is no "not tested" (the spec's null): a result not to hand
    missing += [v for f, v in values.items() if f == "mutations" and v.value is None and _awaited(_said_of(text, v))]
    # a result the lab did not accept is a result told (the case stands) but no value
    rejected = [v for f, v in values.items() if f in _LAB_RESULTS and _REJECTED_AFTER.match(text, v.end)]
    values = {f: v for f, v in values.items() if not any(v is m for m in missing + rejected)}
    not_values += [NotValue(v.text, SAID_MISSING, v.field, v.start, v.end) for v in missing]
    not_values += [NotValue(v.text, "a result the lab did not accept", v.field, v.start, v.end) for v in rejected]
    return MessageReading(
        text=text,
        kind=act.kind,
        assessment=assessment,
        topic=act.topic,
        scope=act.scope,
        values=values if act.kind == "case" else {},
        not_values=not_values + ([] if act.kind == "case" else _kept_out(values, act.kind)),
        ambiguous=ambiguous if act.kind == "case" else [],
        series=points if act.kind == "case" else [],
        proposal=proposal,
        unassigned=unassigned,
        correction=bool(speech.CORRECTION.search(text) or speech.CORRECTED_NUMBER.search(text)),
        reason=act.reason,
    )


def _kept_out(values: Dict[str, Value], kind: str) -> List[NotValue]:
    """Values of a message that is not a case are not kept: an example in a question, numbers in an order."""
    why = {"question": "example in a general question"}.get(kind, f"in a message that is no case ({kind})")
    return [NotValue(v.text, why, f, v.start, v.end) for f, v in values.items()]


def words_of(text: str) -> int:
    return len(re.findall(r"[A-Za-z]{2,}", text or ""))


def entities(text: str, today: Optional[date] = None):
    """The reading of ``text`` and the extractor's entities that stand for its current values: a span read as a
    proposal, a past or hypothetical value or a number of something else is left out; a generic span keeps its
    generic label (a form gives it the field it asked, ``reading.context``) unless the reading gave it a field of
    its own ("x 3 wks" beside a dose: the days on it); a series gives its newest point. The entities' spans are
    of ``text`` as written, also where a number was said in words."""
    said, moved = spoken.digits(text)
    r, out = _entities(said, today)
    if moved:
        out = [_as_written(e, text, moved) if e["end"] > e["start"] else e for e in out]
    return r, out


def _as_written(e: dict, text: str, moved) -> dict:
    start, end = spoken.position(moved, e["start"]), spoken.position(moved, e["end"], end=True)
    return dict(e, start=start, end=end, text=text[start:end])


def _entities(text: str, today: Optional[date]):
    r = read(text, today=today)
    now = _read_values(text, today)[0]
    rejected = {(n.start, n.end) for n in r.not_values if n.why not in ("example in a general question", SAID_MISSING)}
    kept: Dict[Tuple[int, int], List[str]] = {}
    for f, v in now.items():
        if v.end > v.start and f not in _SHARES_A_SPAN:
            kept.setdefault((v.start, v.end), []).append(f)
    asked = {a.field for a in r.ambiguous} - set(now)
    out = []
    for e in extraction.extract(text):
        where = (e["start"], e["end"])
        fields = kept.get(where, [])
        if where in rejected:
            continue
        if e["entity"] in GENERIC:  # a form gives it the field it asked; at a form's start, the reading's field
            e = dict(e, **{READ_AS: fields[0] if fields else None})
        if fields and GENERIC.get(e["entity"], e["entity"]) not in fields:
            e = dict(e, entity=fields[0])  # a span the reading gave another field ("IM 200 od for 8 mo": days on dose)
        elif not fields and e["entity"] in extraction.FIELD_LABELS and not _refused(e, asked, today):
            continue  # not the reading's value: another span for the field ("… back to 400?"), or none at all
        out.append(e)
    out += _unspanned(out, now, today)
    if len(r.series) >= 2 or (r.kind != "case" and len(series.read_series(text)) >= 2):
        latest = (r.series or [Point(p.value, p.months) for p in series.read_series(text)])[-1]
        out = [e for e in out if e["entity"] not in ("bcr_abl1_is", "percent")]
        out.append({"entity": "bcr_abl1_is", "value": f"{latest.value:g} %", "start": 0, "end": 0, "text": ""})
    return r, out


def _refused(e: dict, asked: set, today: Optional[date]) -> bool:
    """A value of a field the reading asks about that the normaliser refuses ("1400": which unit?): kept, so that
    the form asks with the normaliser's reason. One it reads is not kept: the question is elsewhere ("4 x 100 mg od
    … split to 2 tabs bd?" asks which schedule; "bd" alone is no answer)."""
    if e["entity"] not in asked:
        return False
    try:
        normalize(e["entity"], e["value"], today=today)
    except NormalizationError:
        return True
    return False


def _unspanned(out: List[dict], now: Dict[str, Value], today: Optional[date]) -> List[dict]:
    """Entities for the reading's values that no entity carries: hours from two clock times, adherence from
    missed doses, the schedule of a dose whose span the reading read elsewhere. Not a bound: a response word
    with a duration ("MMR since 2020") gives the form the duration, and the form asks for the level."""
    carried = {GENERIC.get(e["entity"], e["entity"]) for e in out}
    for e in out:
        if e["entity"] == "dose_mg":
            try:
                carried.update(normalize("dose_mg", e["value"], today=today).related)
            except NormalizationError:
                pass
    added = []
    for f, v in now.items():
        if f not in carried and f in extraction.FIELD_LABELS and f != "on_reduced_dose" and v.bound is None:
            said = _entity_text(f, v, today)
            if said is not None:
                added.append({"entity": f, "value": said, "start": v.start, "end": v.end, "text": v.text})
    return added


# fields read from another field's words (a dose's schedule, a reduction from the doses): a span is the other's
_SHARES_A_SPAN = ("dosing", "on_reduced_dose")
_UNIT = {
    "months_on_tki": "months",
    "mmr_months": "months",
    "dmr_months": "months",
    "days_at_current_dose": "days",
    "hours_since_dose": "h",
    "trough_ng_ml": "ng/mL",
    "adherence_pct": "%",
    "bcr_abl1_is": "%",
    "dose_mg": "mg",
    "standard_dose_mg": "mg",
}


def _entity_text(field: str, v: Value, today: Optional[date]) -> Optional[str]:
    """Words the form's normaliser reads as ``v``: its own words where they give the value, else the value in
    the field's unit; None when neither does (the form then asks)."""
    candidates = [v.text, str(v.value).replace("_", " ")]
    if isinstance(v.value, (int, float)) and not isinstance(v.value, bool) and field in _UNIT:
        candidates.append(f"{_SIGNS.get(v.bound, '')}{round(v.value, 4):g} {_UNIT[field]}")
    for said in candidates:
        try:
            n = normalize(field, said, today=today)
        except (NormalizationError, TypeError, ValueError):
            continue
        if n.value == v.value and n.bound == v.bound:
            return said
    return None


_SIGNS = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}


# a ddPCR result said in words or as a number: "ddPCR did NOT reach MR4.5", "ddPCR … MR4.5 not achieved", "ddPCR this
# month confirms MR4.5", "ddPCR at the reduction: 0.006 %" (MR4.5 is ≤ 0.0032 %)
_DDPCR = re.compile(
    r"\b(?:dd-?pcr|digital (?:droplet )?pcr|droplet digital(?: pcr)?)\b(?P<rest>(?:[^.;\n]|\.(?=\d))*)", re.I
)
_ASKED_AFTER = re.compile(r"^[^?]{0,30}\?|^\W*(?:is|does|did|has|was|will)\s+(?:it|she|he|that)\b", re.I)
_MR45 = r"mr\s?4[.,\u00b7]5"
_NOT_MR45 = re.compile(
    rf"(?:\bnot\b|n't|\bnever\b|\bfailed to\b|\bshort of\b)\W+(?:\w+\W+){{0,3}}?{_MR45}|"
    rf"{_MR45}\W+(?:\w+\W+)?(?:not|n't|never)\s+(?:been\s+)?(?:reached|achieved|met|attained|confirmed|shown|seen)|"
    rf"{_MR45}\s*[(:=-]?\s*no\b|\blost\b",
    re.I,
)
_YES_MR45 = re.compile(
    rf"(?:\breach(?:ed|es)|\bachiev(?:ed|es)|\bconfirm(?:ed|s)|\bshow(?:ed|s|n)|=|:|->|\u2192)\s*{_MR45}|"
    rf"{_MR45}\s*[(:=-]?\s*(?:yes|confirmed|reached|achieved)\b",
    re.I,
)
# the ddPCR's own number, a few words after it with no other assay between: "ddPCR at the reduction: 0.006 %"
_DDPCR_NUMBER = re.compile(r"^[^\d]{0,40}?(?<![\d.,])(\d+[.,]\d+)\s*%")
_OTHER_ASSAY = re.compile(r"\b(?:rq-?|q|standard |conventional |routine )?pcr\b|\bbcr", re.I)
# a ddPCR asked about, proposed or to come: "will send ddPCR to confirm MR4.5", "should we do a ddPCR to show …"
_ASKED_BEFORE = re.compile(
    r"\b(?:will|would|should|shall|need|needs|does|do|can|could|to|if|whether)\b[^.;]{0,25}$", re.I
)
# a ddPCR not done yet ("ddPCR planned", "ddPCR is pending", "if ddPCR shows …"), not "ddPCR at the planned reduction"
_NOT_DONE = re.compile(
    r"^\W*(?:\w+\W+)?(?:planned|pending|awaited|requested|booked|due|sent)\b|\bnot (?:yet )?(?:done|sent|back)\b|"
    r"\bto be done\b|\bwill\b|\bif\b",
    re.I,
)


def _what_the_results_say(text: str, values: Dict[str, Value], not_values: List[NotValue]) -> None:
    """What the message says of its results beyond their numbers: the sampling time of a level not taken goes, a
    ddPCR result in words, a level confirmed (or not) by a repeat."""
    _sampling_of_a_dropped_level(values, not_values)
    if "ddpcr_mr45" not in values:
        _ddpcr_said(text, values)
    if "response_confirmed" not in values:
        _confirmed_by_a_repeat(text, values, not_values)


_CONFIRM_ABOVE = T.MILESTONES[0].optimal_max  # a result > 10 % confirmed by a repeat (RESP-3)


def _confirmed_by_a_repeat(text: str, values: Dict[str, Value], not_values: List[NotValue]) -> None:
    """A level > 10 % repeated later ("3 mo 22 %, repeated 6 wks later 25 %"): confirmed when the repeat is > 10 %
    too, not confirmed when it is not (spec: the latest abnormal result confirmed by a repeat test)."""
    repeat, level = series.repeat_level(text) or (None, None)
    latest = values.get("bcr_abl1_is")
    if repeat is None or latest is None or latest.bound is not None or latest.value != level:
        return
    earlier = [n for n in not_values if n.field == "bcr_abl1_is" and n.end <= repeat]
    if not earlier:
        return
    try:
        first = normalize("bcr_abl1_is", earlier[-1].text).value
    except NormalizationError:
        return
    if isinstance(first, (int, float)) and first > _CONFIRM_ABOVE:
        confirmed = level > _CONFIRM_ABOVE
        said = text[repeat : latest.end]
        values["response_confirmed"] = Value("response_confirmed", confirmed, said, repeat, latest.end)


_NO_DDPCR_BEFORE = re.compile(
    r"\b(?:no|not|don'?t|do not|doesn'?t|does not|can'?t|cannot|without|haven'?t|have no|lack)\b[^.;,]{0,15}$", re.I
)


def _ddpcr_said(text: str, values: Dict[str, Value]) -> None:
    """The ddPCR result (MR4.5 reached or not) from the words of the sentence that names the test, its last mention
    first; a ddPCR asked about, proposed or not done yet gives none."""
    for m in reversed(list(_DDPCR.finditer(text))):
        said = m.group(0)
        if _NOT_DONE.search(m["rest"]) or _ASKED_AFTER.search(m["rest"]):
            continue
        if _ASKED_BEFORE.search(text[max(0, m.start() - 30) : m.start()]):
            continue
        if _NO_DDPCR_BEFORE.search(text[max(0, m.start() - 30) : m.start()]) or _OTHER_ASSAY.search(m["rest"][:20]):
            continue  # "we don't have ddPCR at our centre - conventional RQ-PCR shows MR4.5": not the ddPCR's result
        number = _DDPCR_NUMBER.search(m["rest"])
        number = number if number and not _OTHER_ASSAY.search(m["rest"][: number.start(1)]) else None
        if _NOT_MR45.search(said):
            yes = False
        elif _YES_MR45.search(said):
            yes = True
        elif number:
            yes = float(number.group(1).replace(",", ".")) <= T.MR45_PCT
        else:
            continue
        values["ddpcr_mr45"] = Value("ddpcr_mr45", yes, said.strip(), m.start(), m.end())
        return


def _sampling_of_a_dropped_level(values: Dict[str, Value], not_values: List[NotValue]) -> None:
    """The time a level not taken was drawn at goes with it ("trough 720 ng/mL at 24 h, … no repeat level since"):
    a sampling time with no level now is no patient value of its own."""
    hours = values.get("hours_since_dose")
    if hours is None or "trough_ng_ml" in values or hours.start >= hours.end:
        return
    levels = [n for n in not_values if n.field == "trough_ng_ml"]
    # the words between the level and its time, either way round: "trough 720 ng/mL at 24 h", "the 24 h trough … 520"
    if any(max(n.start - hours.end, hours.start - n.end) <= 40 for n in levels):
        del values["hours_since_dose"]
        not_values.append(
            NotValue(hours.text, "the sampling time of a level not taken", "hours_since_dose", hours.start, hours.end)
        )

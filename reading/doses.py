"""The dose history a message tells: the dose before a reduction and whether the patient is on a reduced dose.

Clinicians write a reduction in many ways: "on 300 (from 400)", "on 200 (std 400)", "reduced 400->300 four months
ago", "halved from 400", "standard dose had been 800 mg", "since the reduction", "dose-reduced 300 mg". Each
says the patient is on a de-escalated dose (spec: ``on_reduced_dose``) and most name the dose used before it
(``standard_dose_mg``). Words that say the opposite ("never reduced", "back on the full 400") say so.

A proposal is not a history: "reduce her to 300?" and "de-escalation from 400: what dose?" change nothing here
(``reading.relations`` reads the proposal). Pure Python; no Rasa import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Dict, List, Optional

from knowledge import thresholds as T
from knowledge.normalize import MONTHS, ONCE_DAILY, PER_DAY, TWICE_DAILY, NormalizationError, normalize

from .answers import last_year_of
from .model import Value

_DOSE = r"([1-8]00)(?![0-9]|[.,]\d)(?:\s*mg)?"  # ("std 400, ae g1": a comma that ends it, not 400,5)
# a schedule after a dose, in the normaliser's words ("od", "bd", "1x daily", "once a day", "/day"): one list
_SCHEDULE = "|".join(sorted(ONCE_DAILY + TWICE_DAILY + PER_DAY, key=len, reverse=True))
# the dose before the reduction, named: "(std 400)", "standard dose 400", "std dose had been 800 mg", "from 400"
# after a reduction or inside brackets beside the current dose, "down from 400", "pre-reduction dose 400"
_STANDARD = re.compile(
    rf"\b(?:std|standard|full|usual|original|pre-?reduction|normally|usually|normal)(?:\s+dose)?"
    rf"(?:\s+(?:was|is|of|had been|been|=|:|on))*\s*{_DOSE}"
    rf"|\bwas on\s+{_DOSE}\s+before\b"
    rf"|\(\s*{_DOSE}\s+(?:before|previously|prior)\b|\(\s*(?:was|previously|formerly)\s+(?:on\s+)?{_DOSE}\s*\)"
    rf"|\b{_DOSE}\s+(?:was|is)\s+(?:her|his|the)\s+(?:usual|normal|standard|full|original)\b"
    rf"|\((?:\s*(?:reduced|cut|halved|down|dropped|lowered|decreased|de-?escalated))?\s*from\s+{_DOSE}"
    rf"|\b(?:reduced|reduction|cut|halved|down|dropped|lowered|decreased|de-?escalated|came down|went down|"
    rf"going down|stepped down)\s+from\s+{_DOSE}"
    rf"|\bdose\s+(?:b4|before)\s+(?:the\s+)?reduction\s+(?:was|=|:)?\s*{_DOSE}",
    re.I,
)
# a reduction that happened: the patient is on a reduced dose now
_REDUCED = re.compile(
    r"\b(?:reduced|cut|halved|dropped|lowered|decreased|de-?escalated)\s+(?:it\s+|her\s+|him\s+|the dose\s+|dose\s+)?"
    r"(?:from\s+)?[1-8]00\s*(?:mg\s*)?(?:->|-->|\u2192|=>|to)\s*[1-8]00(?=mg\b|\b)"
    r"|\b(?:reduced|cut|halved|dropped|lowered|decreased|de-?escalated|came down|went down|going down|stepped down|"
    r"(?:after|since|following)\s+(?:reducing|cutting|halving|dropping|lowering|decreasing|de-?escalating))"
    r"\s+(?:it\s+|her\s+|him\s+|the dose\s+|im\s+|imatinib\s+)?(?:from|to)\s+[1-8]00(?:\s*mg)?\b"
    r"|\b(?:after|since|post|following)\s+(?:the\s+|a\s+|her\s+|his\s+)?(?:dose\s+)?(?:reduction|de-?escalation)\b"
    r"|\b(?:after|since|post|following)\s+(?:the\s+|a\s+|her\s+|his\s+)?dose\s+(?:cut|decrease|drop|halving)\b"
    r"(?!\s+(?:was|has been|had been)\s+(?:reversed|undone))"
    # "halved his imatinib", "reduced the dose" (of imatinib: not "the dose of her diuretic"; not for a while only,
    # nor undone since: "halved his imatinib for 2 weeks …, now back on 400")
    r"|\b(?:halved|reduced|lowered|decreased|de-?escalated)\s+(?:his|her|their|the)\s+"
    r"(?:imatinib|im|glivec|gleevec|dose(?!\s+of\s+(?!imatinib|im\b|glivec|gleevec))|tki)\b"
    r"(?![^.;]{0,40}\bfor\s+(?:a\s+|an\s+|\d+\s+|one\s+|two\s+|three\s+|a few\s+)?(?:days?|weeks?|wks?)\b)"
    r"(?![^.]{0,80}(?:\b(?:back on|back to|back up|reversed|undone)\b|\b[1-8]00\s*(?:mg\s*)?(?:od\s+)?again\b))"
    r"|\bdose-?reduced\b|\breduced[- ]dose\b|\bon (?:a |the )?(?:reduced|half|halved|lower) dose\b|\bhalf[- ]dose\b"
    r"|\b(?:on\s+)?reduced\s+(?:im|imatinib|glivec|gleevec)\s+[1-8]00(?=mg\b|\b)"
    # the dose now, then that it was reduced: "IM 300, reduced for grade 3 …", "300 mg imatinib (reduced years ago)"
    r"|\b[1-8]00\s*(?:mg\s*)?(?:od\s+|daily\s+)?(?:(?:im|imatinib|glivec|gleevec)\s*)?[,(]\s*(?:dose\s+)?"
    r"(?:was\s+|been\s+)?(?:reduced|de-?escalated|lowered|decreased|halved)\b(?!\s+to\b)"
    r"|\b[1-8]00\s*(?:mg\s*)?(?:od\s+|bd\s+|daily\s+)?(?:->|-->|\u2192)\s*[1-8]00(?=mg\b|\b)",
    re.I,
)
_NOT_A_DOSE_STEP = re.compile(
    r"\b(?:trough|level|cmin|platelets?|plts?|wbc|neut\w*|hb|haemoglobin|creat\w*|alt|ast|rose|fell)\b[^.;,]*$", re.I
)
_UNIT_AFTER_STEP = re.compile(r"\s*(?:ng|µg|ug|mcg|nmol|umol|µmol|%|x\s*10|/|k\b|\*)", re.I)
_STEP = re.compile(r"(?<![\d.])(?P<a>[1-8]00)\s*(?:mg\s*)?(?:->|-->|\u2192|=>|to)\s*(?P<b>[1-8]00)(?!\d)", re.I)
_NOT_REDUCED = re.compile(
    r"\b(?:never|not) (?:been |actually )?(?:reduced|de-?escalated|had a reduction)\b"
    r"|\b(?:back|went back|gone back|re-?escalated)\s+(?:up\s+)?(?:on|to)\s+(?:the\s+)?(?:full|standard)\b"
    r"|\bwent back up\b|\bon (?:the )?full (?:dose|[1-8]00)(?=mg\b|\b)",
    re.I,
)
_WANTED = re.compile(  # "consultant wants IM 400 -> 200", "would you drop her 400 -> 300"
    r"\b(?:wants?|suggest\w*|propos\w*|plan(?:s|ning)? to|thinking of|consider\w*|would you|should we|could we)\b",
    re.I,
)
# a change wished or planned, not made: "we'd like to cut to 200", "she'd like to try half dose", "the plan was to go
# 400 -> 300", "hoping to come down to 300"
_PLANNED = re.compile(
    r"(?:\b(?:'d|would) (?:like|love|prefer) to|\bkeen to|\bhop(?:e|es|ing) to|\b(?:the )?plan (?:was|is) to|"
    r"\baim(?:s|ing)? to|\blike to try|\bwants? to try|\bif (?:she|he|they) (?:gets?|reach\w*|stays?|remains?)\b)"
    r"[^.;!?\n]{0,40}$",
    re.I,
)
DONE_BEFORE = re.compile(  # a change told: the verb in the past just before its doses
    r"(?<!\bbe )(?<!\bget )(?<!\bgets )(?<!\bbeen )\b(?:reduced|dropped|lowered|decreased|halved|de-?escalated|"
    r"escalated|increased|raised|upped|went|came|switched|changed|titrated|stepped)\s+"
    r"(?:(?:her|him|them|it|the dose|dose|imatinib|im|down|up|back)\s+){0,3}(?:from\s+)?$",
    re.I,
)
_ASKED = re.compile(r"\?|^\W*(?:is|are|can|could|should|would|do|does|will|what|which|how)\b", re.I)


# the dose now, then the one it came down from: "(300 from 400)", "on 200, down from 400", "200 (from 400)"
_NOW_FROM = re.compile(
    rf"(?<![\w.,/])(?P<now>[1-8]00)(?![0-9]|[.,]\d)(?:\s*mg)?\s*(?:,\s*|\(\s*)?(?:(?:down|reduced|cut|dropped)\s+)?"
    rf"from\s+{_DOSE}",
    re.I,
)


def reduction(text: str, values: Dict[str, Value]) -> Dict[str, Value]:
    """The fields the dose history adds to ``values`` (never one already read)."""
    out: Dict[str, Value] = {}
    dose = values.get("dose_mg")
    came_from = next((m for m in _NOW_FROM.finditer(text) if _came_down(text, m)), None)
    if dose is None and came_from:
        dose = out["dose_mg"] = Value(
            "dose_mg", int(came_from["now"]), came_from["now"], came_from.start("now"), came_from.end("now")
        )
    std = values.get("standard_dose_mg")
    if std is None and came_from and (dose is None or int(came_from["now"]) == dose.value):
        std = out["standard_dose_mg"] = Value(
            "standard_dose_mg", int(came_from.group(2)), came_from.group(2), came_from.start(2), came_from.end(2)
        )
    if std is None:
        for m in _STANDARD.finditer(text):
            n = int(next(g for g in m.groups() if g))
            if dose is None or n > dose.value:
                std = out["standard_dose_mg"] = Value("standard_dose_mg", n, m.group(0).strip(" ("), m.start(), m.end())
                break
    if "on_reduced_dose" in values:
        return out
    state = _state(text, dose, std)
    if state is not None:
        out["on_reduced_dose"] = state
    return out


_ON_FULL = re.compile(r"(?<!was )(?<!were )(?<!been )\bon (?:the )?(?:full|standard|usual)\b(?![^.;]*\buntil\b)", re.I)


def on_full_dose(text: str, values: Dict[str, Value]) -> None:
    """ "still on full 400 od, never reduced": the full dose named is the dose now, not one before a reduction
    (in place)."""
    std, state = values.get("standard_dose_mg"), values.get("on_reduced_dose")
    if "dose_mg" in values or std is None or state is None or state.value is not False or not _ON_FULL.search(text):
        return
    del values["standard_dose_mg"]
    values["dose_mg"] = Value("dose_mg", std.value, std.text, std.start, std.end, related=dict(std.related))


# "may" the modal verb, not the month ("halved in May", "since may")
MAY = r"(?<!\bin )(?<!\bsince )(?<!\bof )(?<!\bby )(?<!\bmid-)(?<!\bfrom )may"


# a dose change told in the past, one list for the grammars of its history below
CHANGED_PAST = (
    r"escalated|increased|reduced|decreased|de-?escalated|switched|went up|gone up|came down|went down|"
    r"cut(?: down| back)?|lowered|halved|dropped|changed|upped|stepped (?:up|down)"
)
# the time a dose changed, not the time now: "escalated to 600 at 12 mo", "went up at 6 mo" (never "log reduction at")
CHANGE_AT_BEFORE = re.compile(
    rf"\b(?:{CHANGED_PAST})\b[^,;.()]{{0,30}}?\b(?:at|by|after)\s+(?:about\s+|approx\.?\s+|~\s*)?(?:the\s+)?$",
    re.I,
)
# the reason of an earlier change is history, not the state now: "reduced for grade 3 thrombocytopenia",
# "escalated at 12 mo for a warning response", "on 300 since the grade 3 hepatitis"
REASON_OF_CHANGE = re.compile(
    rf"\b(?:{CHANGED_PAST}|held|stopped|interrupted)\b[^.;]{{0,40}}?\b(?:for|after|due to|because of|following)\s+"
    r"(?:a\s+|an\s+|the\s+|her\s+|his\s+)?$|\bsince (?:the|her|his|a)\s+$",
    re.I,
)


# a return to the dose before a reduction, told (not asked): "went back up to 400 after losing MMR on 200",
# "restarted 400 in June", "then back to 400 after MMR loss"
_RESUMED = re.compile(
    r"\b(?:went back(?:\s+up)?\s+to|gone back(?:\s+up)?\s+to|going back(?:\s+up)?\s+to|then back(?:\s+up)?\s+to|"
    r"(?:was|were|been|got|is|now)\s+back(?:\s+up)?\s+(?:to|on)|back on|restarted(?:\s+on)?|resumed|re-?escalated\s+to|"
    r"increased back\s+to|put back(?:\s+up)?\s+(?:to|on))\s+(?:the\s+)?(?:im\s+|imatinib\s+|glivec\s+)?"
    r"(?P<dose>[1-8]00)(?![0-9])(?:\s*mg)?(?P<od>\s*(?:od|once daily|once a day)\b)?(?!\s*(?:bd|bid|twice)\b)",
    re.I,
)


def resumed(text: str) -> Optional[Value]:
    """The dose the patient went back to last, when the message tells it (the dose now); None when none is told
    or the return is only asked about ("back to 400?"). ``related`` holds the once-daily schedule if written."""
    told = None
    for m in _RESUMED.finditer(text or ""):
        end = re.search(r"[.;!?\n]", text[m.end() :])
        if _proposed(text, m.start()) or not _told(text, m.start()) or (end and end.group(0) == "?"):
            continue
        related = {"dosing": "once_daily"} if m["od"] else {}
        told = Value("dose_mg", int(m["dose"]), m["dose"], m.start("dose"), m.end("dose"), related=related)
    return told


def _state(text: str, dose: Optional[Value], std: Optional[Value]) -> Optional[Value]:
    chains = dose_chains(text)
    if chains and not (
        _PLANNED.search(_sentence_before(text, chains[-1][0].start)) or of_a_trial(text, chains[-1][0].start)
    ):
        # the history written as a chain says it, or nothing: "400 -> 200 -> back to 400" (not "the plan was to go
        # 400 -> 300": a chain planned is no history)
        steps = chains[-1]
        state = chain_reduction(steps)
        words = text[steps[0].start : steps[-1].end]
        return None if state is None else Value("on_reduced_dose", state, words, steps[0].start, steps[-1].end)
    no = next((m for m in _NOT_REDUCED.finditer(text) if not _proposed(text, m.start())), None)
    yes = [m for m in _REDUCED.finditer(text) if not (_proposed(text, m.start()) or of_a_trial(text, m.start()))]
    up = [
        m
        for m in _STEP.finditer(text)
        if int(m["a"]) < int(m["b"])
        and not _proposed(text, m.start())
        and not _NOT_A_DOSE_STEP.search(text[max(0, m.start() - 30) : m.start()])
        and not _UNIT_AFTER_STEP.match(text, m.end())
    ]
    if yes and up and up[-1].start() > yes[-1].start():
        return None  # "reduced 400 to 300, then 300 to 400 after losing MMR": back up since; not said to be reduced
    if no and not any(m.start() > no.end() for m in yes):
        return Value("on_reduced_dose", False, no.group(0), no.start(), no.end())
    if yes:
        m = yes[-1]
        return Value("on_reduced_dose", True, m.group(0), m.start(), m.end())
    if dose is not None and std is not None and isinstance(dose.value, int) and dose.value < std.value:
        return Value("on_reduced_dose", True, std.text, std.start, std.end)
    return None


# the patients of a trial as the subject of the clause: "in DESTINY they went down to 200 mg for 12 months" (not the
# patient's own step "de-escalated to 200 as per DESTINY")
_A_TRIALS_PATIENTS = re.compile(
    r"\b(?:in|per|from)\s+(?:the\s+)?(?:(?:destiny|euro-?ski|a-?stim|stim\d?|twister|enest\w*|dasfree|iris)\b"
    r"(?:\s+(?:trial|study))?|(?:a |that |this |one )?(?:trial|study|studies|trials))\s*,?\s*(?:\w+\s+){0,2}?"
    r"(?:they|patients|pts|participants|people|subjects)\b[^.;?\n]{0,50}$",
    re.I,
)


_THE_PATIENTS = re.compile(r"\b(?:now|currently|she|he|her|him|his|mine|my|our|this (?:pt|patient))\b", re.I)


def of_a_trial(text: str, at: int) -> bool:
    """Whether the words at ``at`` tell what a trial's patients had, not the patient's own."""
    m = _A_TRIALS_PATIENTS.search(text[max(0, at - 90) : at])
    # (not the patient's own story told after it: "she was in the IRIS study, they switched her … now on 400")
    return m is not None and not _THE_PATIENTS.search(m.group(0))


def without_trials(text: str) -> str:
    """``text`` with the sentences told of a trial's patients blanked ("In DESTINY they dropped to 200 mg.")."""
    for m in re.finditer(r"[^.;?!\n]+", text):
        if of_a_trial(text, m.end()):
            text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]
    return text


def _proposed(text: str, at: int) -> bool:
    """A reduction asked about in its own sentence ("reduce 400->300?", "de-escalation from 400: what dose?") or
    wanted just before it ("consultant wants IM 400 -> 200")."""
    lo = max((m.end() for m in re.finditer(r"[.;!\n]", text[:at])), default=0)
    hi = re.search(r"[.;!?\n]", text[at:])
    sentence = text[lo : at + (hi.end() if hi else len(text) - at)].strip()
    if DONE_BEFORE.search(text[max(lo, at - 30) : at]):
        return False  # "Reduced 400->300 for G2 oedema, … go to 200?": the change told, whatever is asked after
    if _PLANNED.search(text[lo:at]):
        return True  # "we'd like to cut to 200 mg", "the plan was to go 400 -> 300"
    wanted = _WANTED.search(text[max(lo, at - 40) : at])  # "consultant wants IM 400 -> 200" (not "…, want 200 next")
    return bool(_ASKED.search(sentence) or wanted) and not re.search(
        r"\b(?:ago|since|in (?:19|20)\d\d|last|was)\b", sentence
    )


# a duration said of the dose: "on 600 for 2/52", "IM 400 od x 3 wks", "3 days at 400", "restarted 5 days ago"
_AT_DOSE_BEFORE = re.compile(
    rf"(?:\b[1-8]00\s*(?:mg|milligrams?)?\s*(?:{_SCHEDULE})?\s*\)?,?|"
    # "on half-dose imatinib (200mg) for 14 months", "on the reduced dose for 8 months"
    r"\b(?:half|reduced|lower|lowered|new|de-?escalated)[- ]dose\s*(?:of\s+)?(?:imatinib|im|glivec|gleevec)?\s*)"
    r"\s*(?:\([^)]{0,30}\)\s*)?\(?\s*(?:for|x|\u00d7)\s*(?:the last\s+|the past\s+|about\s+|approx\.?\s+|~\s*)?$",
    re.I,
)
_AT_DOSE_AFTER = re.compile(
    r"^\s*(?:on|at)\s+(?:the\s+)?(?:new\s+|current\s+|reduced\s+|this\s+)?(?:dose|[1-8]00)(?=mg\b|\b)", re.I
)
_CHANGED = re.compile(
    r"\b(?:re-?started|restarting|resumed|reduced|cut|escalated|increased|went up|up to|"
    # a change named by its noun only when it is dated ("after the reduction"), not asked ("reduction for a 70yo?")
    r"(?:after|since|post|following)\s+(?:the\s+|a\s+|her\s+|his\s+)?(?:[\w-]+\s+)?(?:dose\s+)?"
    r"(?:reduction|de-?escalation|escalation)|"
    r"came down|brought down|went down|down to|down from|changed|switched|dropped|halved|back on|upped|new dose|"
    r"dose change|half[- ]dose|reduced dose|lower dose|de-?escalated|"
    r"(?:im|imatinib|glivec|gleevec|dose|it|we|she|he|they)\s+(?:went|gone|has gone)\s+(?:up\s+|down\s+)?from\s+"
    r"(?:imatinib\s+|im\s+)?[1-8]00)\b",
    re.I,
)
_AGO = re.compile(r"^\s*ago\b", re.I)


# "started 4 days ago after escalation", "3 days after restarting", "2 wks since the dose change": the days on the
# dose now, counted from the change
_CHANGED_AFTER_AGO = re.compile(
    r"^\s*ago\W{0,3}(?:after|following|post|with|on)\s+(?:the\s+|an?\s+|her\s+|his\s+)?(?:dose\s+)?"
    r"(?:escalation|increase|reduction|de-?escalation|change|switch|restart\w*|re-?challenge)\b",
    re.I,
)
_AFTER_CHANGE = re.compile(
    r"^\s*(?:after|since|post|following)\s+(?:the\s+|her\s+|his\s+)?(?:dose\s+)?"
    r"(?:re-?start\w*|restart\w*|resum\w*|escalat\w*|increas\w*|chang\w*|switch\w*|going up|going back on|"
    r"coming back on|being restarted)\b",
    re.I,
)


def time_at_dose(text: str, durations: List[Value]) -> None:
    """Relabel, in place, a duration that says how long the patient has been on the current dose: said of the
    dose ("on 600 for 2/52", "3 days at 400") when the dose changed or the time on imatinib is given apart,
    or dated from the change ("restarted 5 days ago", "reduced 400->200 4 mo ago")."""
    months = [d for d in durations if d.field == "months_on_tki"]
    changed = any(_told(text, m.start()) for m in _CHANGED.finditer(text))
    for d in months:
        if not isinstance(d.value, (int, float)):
            continue
        before, after = text[max(0, d.start - 60) : d.start], text[d.end :]
        at = _AT_DOSE_AFTER.match(after)
        if at and _ANOTHER_DRUG_AFTER.match(after, at.end()):
            at = None  # "5 days on 500mg clarithromycin": another drug's course
        said_of_dose = bool(_AT_DOSE_BEFORE.search(before) or at)
        since_change = bool(_AGO.match(after)) and bool(
            _CHANGED.search(_sentence_before(text, d.start)) or _CHANGED_AFTER_AGO.match(after)
        )
        since_change = since_change or bool(_AFTER_CHANGE.match(after))
        apart = any(o is not d and o.field == "months_on_tki" and o.cued for o in months)  # named as time on IM
        short = d.value < 3
        dated = re.match(r"since\b", d.text, re.I)
        change_before = _CHANGED_TO_BEFORE.search(before)
        two_doses = len(set(DOSE_NAMED.findall(text))) >= 2  # "was on 600, now on 400 since 2021": a dose before
        # "on imatinib 600 since March 2024 after failing 400", "200 mg (standard was 400) since 11/2025": the dose
        # just named runs from the date, another imatinib dose was before it
        now_dose = _DOSE_BEFORE_DATE.search(before)
        # (never "was on 300 for a few weeks in 2023": an interruption after the start, dated)
        earlier = [
            m.group(1) for m in _EARLIER_DOSE.finditer(text) if not _A_YEAR_NEAR.search(text, m.end(), m.end() + 40)
        ]
        after_another = bool(now_dose and earlier and now_dose.group(1) not in earlier) or bool(
            now_dose and two_doses and _THEN_BEFORE.search(before[: now_dose.start()])  # "…, then 200 since June"
        )
        if dated and after_another:
            d.field, d.value, d.cued = "days_at_current_dose", round(d.value * T.DAYS_PER_MONTH), True
            continue
        if dated and (
            change_before
            and (change_before.group("change") or changed or two_doses)
            or two_doses
            and _DOSE_NOW_AFTER.match(after)
            and not _CHANGED_AFTER_IT.match(after, _DOSE_NOW_AFTER.match(after).end())
        ):
            # "reduced to 300 since March 2025", "dose unchanged since 02.10.2026": the days at that dose
            d.field, d.value, d.cued = "days_at_current_dose", round(d.value * T.DAYS_PER_MONTH), True  # its date
            continue
        # "dose unchanged for 6 weeks", "on this regime for 4 months", "3/12 at dose", "2 months on this"
        this_dose = bool(_THIS_DOSE_BEFORE.search(before) or _THIS_DOSE_AFTER.match(after))
        # "the same regime x 3 wks of fluconazole", "was on the same dose for 4 months before increasing": not now's
        this_dose = this_dose and not _NOT_NOW_AFTER.match(after) and not _WAS_BEFORE.search(before)
        if this_dose or since_change or said_of_dose and (changed or apart or short):
            try:
                days = normalize("days_at_current_dose", d.text)
            except NormalizationError:
                continue
            d.field, d.value, d.cued = "days_at_current_dose", days.value, True


# doses named in a message, for a history of more than one ("trough on 600 … been on 400 since 2024")
DOSE_NAMED = re.compile(
    r"(?<![\d.,])([1-8]00)(?!\d|[.,]\d|\s*(?:ng|µg|ug|mcg|nmol|umol|µmol|%|months?|mo\b|days?|y))", re.I
)
# a change told just after a dose: "(400, reduced to 300 in 2023)", "400 then 600": that dose is not the one now
_CHANGED_AFTER_IT = re.compile(
    r"\s*(?:mg\s*)?(?:od\s*)?[,;]?\s*(?:then\s+|and\s+|but\s+|later\s+)?(?:was\s+)?(?:reduced|escalated|increased|"
    r"decreased|cut|dropped|lowered|halved|raised|upped|went|changed|switched|->|\u2192)",
    re.I,
)
# the dose now just after the date it runs from: "since 2024 she's been on 400mg", "since March: 300 od"
_DOSE_NOW_AFTER = re.compile(
    r"^\W*(?:(?:she|he|they|pt|the patient|patient)(?:'s|’s| has| have| is)?\s+)?(?:been\s+)?(?:on\s+)?"
    r"(?:imatinib\s+|im\s+)?[1-8]00(?!\d)",
    re.I,
)


# the dose now named by words only: "dose unchanged for 6 weeks", "on this regime for 4 months", "on dose 6 weeks"
_THIS_DOSE_BEFORE = re.compile(
    r"\b(?:dose\s+(?:unchanged|constant|stable|the same|not changed)|"
    r"(?:^|(?<=[\s,;.(/]))(?:the\s+)?(?:same|steady|stable|unchanged|constant)\s+(?:dose|dosing|regime|regimen)|"
    r"(?:on|at)\s+(?:this|that|the current|current|the same|same|present)\s+(?:dose|regime|regimen|schedule)|"
    r"(?:on|at)\s+dose)\s*(?:for|x|\u00d7)?\s*(?:the (?:last|past)\s+|about\s+|~\s*)?$",
    re.I,
)
_THIS_DOSE_AFTER = re.compile(
    r"^\s*(?:at|on)\s+(?:this\s+|that\s+|the\s+|current\s+|same\s+|present\s+)?(?:dose|regime|regimen)\b(?!\s+of\b)"
    r"|^\s*on\s+this\b(?!\s+(?:drug|tki|imatinib))|^\s*(?:of\s+)?(?:stable|steady|unchanged|constant)\s+dos(?:e|ing)\b",
    re.I,
)
# a dose or its change just before a date it runs from: "reduced to 300 since …", "dose unchanged since …",
# "on 600 mg od since …"
# the dose just before a date it runs from ("imatinib 600 since …", "200 mg (standard was 400) since …")
_DOSE_BEFORE_DATE = re.compile(rf"(?<![\d.,])([1-8]00)\s*(?:mg)?\s*(?:{_SCHEDULE})?\s*(?:\([^()]{{0,40}}\)\s*)?$", re.I)
_A_YEAR_NEAR = re.compile(r"\b(?:19|20)\d\d\b")
_THEN_BEFORE = re.compile(r"\b(?:then|later|subsequently|since then)\s+(?:on\s+)?(?:imatinib\s+|im\s+)?$", re.I)
# a dose of imatinib said to be before the one now: "after failing 400", "(standard was 400)", "escalated from 400"
_EARLIER_DOSE = re.compile(
    r"\b(?:after (?:failing|failure (?:of|on)|\w+ (?:on|with))|(?:was|were) on|standard (?:dose )?(?:was|is|of)|"
    r"(?:up|down|escalated|increased|reduced|de-?escalated|dropped|cut) from|previously(?: on)?|initially(?: on)?)\s+"
    r"(?:imatinib\s+|im\s+)?([1-8]00)(?!\d)",
    re.I,
)
_CHANGED_TO_BEFORE = re.compile(
    r"\b(?:(?P<change>(?:reduced|escalated|increased|decreased|dropped|cut|halved|changed|switched|went (?:up|down)|"
    r"back)\s+(?:the\s+dose\s+)?(?:to|on)\s+[1-8]00|dose\s+(?:unchanged|the same|stable|not changed))|"
    r"(?:on|at)\s+[1-8]00|\bdose\s*(?:is\s+|of\s+|now\s+|=\s*|:\s*)?[1-8]00)"
    rf"\s*(?:mg)?\s*(?:{_SCHEDULE})?\s*$",
    re.I,
)


# a time said of a dose: "600 for a year", "reduced to 300 for 6 months" (the dose before), "3 months on 600" (after)
DOSE_FOR_BEFORE = re.compile(
    # (its own short list of schedules: the normaliser's, with "x 2" and "1x daily", reads a time after a dose in
    # the wrong field here: "400 mg one time per day since 8 months … same dose since 2 weeks")
    r"\b(?P<dose>[1-8]00)\s*(?:mg)?\s*(?:od|bd|bid|daily|once daily|twice daily|a day|/d(?:ay)?)?\s*\)?\s*"
    r"(?:for|x|\u00d7)\s*(?:the (?:last|past|first)\s+|about\s+|approx\.?\s+|~\s*|another\s+)?$",
    re.I,
)
# a dose something is said of, right after it: "3 months on 600", "trough 450 ng/mL at 24 h on 400 mg"
ON_A_DOSE = re.compile(
    r"\s*(?:on|at)\s+(?:the\s+|her\s+|his\s+)?(?:old\s+|previous\s+|former\s+|earlier\s+|original\s+)?"
    r"(?:imatinib\s+|im\s+)?(?P<dose>[1-8]00)(?=mg\b|\b)(?!\s*(?:ng|nmol|µmol|umol|%))",
    re.I,
)
OTHER_TKI_NAMES = (
    r"nilotinib|dasatinib|bosutinib|ponatinib|asciminib|tasigna|sprycel|bosulif|iclusig|scemblix|interferon|"
    r"hydroxyurea|hydroxycarbamide"
)
OTHER_TKI = re.compile(rf"\b(?:{OTHER_TKI_NAMES})\b", re.I)
IMATINIB = re.compile(r"\b(?:imatinib|im|glivec|gleevec|gleevac)\b", re.I)
# another medicine by its name's ending ("carbamazepine", "amlodipine", "prednisolone", "clarithromycin"): one
# pattern for every reader that must tell another drug from imatinib
MEDICINE_BY_ENDING = (
    r"[a-z]{3,}(?:mycin|micin|azole|cillin|floxacin|vir|mab|pine|pril|olol|statin|olone|sone|oxin|olimus|toin|"
    r"tidine|sartan|formin|gliptin|parin|xaban|semide|thiazide|barbital)|rifamp\w*|warfarin|lithium|methotrexate"
)
_OTHER_MEDICINE = re.compile(rf"\b(?:{MEDICINE_BY_ENDING})\b", re.I)


_ANOTHER_DRUG_AFTER = re.compile(
    rf"\s*(?:mg\s*)?(?:(?:od|bd|daily)\s+)?(?:of\s+)?(?:{OTHER_TKI_NAMES}|{MEDICINE_BY_ENDING}|allopurinol|"
    r"paracetamol|ibuprofen)\b",
    re.I,
)
_COURSE_OF = re.compile(r"\s*(?:on|of|at)\s+(?:[\d.]+\s*(?:mg|g)\s*)?", re.I)
_BEFORE_A_CHANGE = re.compile(
    r"\s*(?:before|until|prior to)\s+(?:(?:we|i|they|he|she)\s+)?(?:(?:going|went)\s+(?:up|down|back|to\s+\d)|"
    r"increas\w*|reduc\w*|chang\w*|switch\w*|"
    r"escalat\w*|halv\w*|cut\w*|the\s+(?:dose\s+)?(?:change|increase|reduction|switch|escalation))\b",
    re.I,
)
_NOT_NOW_AFTER = re.compile(r"\s*(?:of\b|before\b|until\b|prior to\b)", re.I)
_WAS_BEFORE = re.compile(r"\b(?:was|were|had been)\s+(?:on\s+)?(?:the\s+)?same\b[^.;]*$", re.I)


def at_another_dose(text: str, v: Value, dose: Optional[Value]) -> bool:
    """A time said of another drug or, for the days at the current dose, of another dose than the one now ("was on
    nilotinib 300 bd for 1 yr then switched to imatinib", "back on 400 after 3 months on 600")."""
    clause = re.split(r"[.;?]|\bthen\b|\bnow\b", text[max(0, v.start - 60) : v.start])[-1]
    other = list(OTHER_TKI.finditer(clause)) + list(_OTHER_MEDICINE.finditer(clause))
    other.sort(key=lambda m: m.start())
    said_for = re.search(r"\b(?:for|x|after|over)\s+(?:about\s+|~\s*)?$", clause, re.I) or _AGO.match(text[v.end :])
    if other and said_for and not IMATINIB.search(clause[other[-1].end() :]):
        return True  # another drug's time
    if _TIME_OFF_BEFORE.search(clause):
        return True  # "held for 6 weeks in 2022", "stopped for 3 months (TFR)": a time off imatinib
    if v.field == "days_at_current_dose" and _BEFORE_A_CHANGE.match(text, v.end):
        return True  # "on the same dose for 5 months before going up to 600": the time at the dose before
    course = _COURSE_OF.match(text, v.end)
    if course and _ANOTHER_DRUG_AFTER.match(text, course.end()):
        return True  # "5 days on 500mg clarithromycin", "3 wks of fluconazole": another drug's course
    if v.field != "days_at_current_dose" or dose is None or not isinstance(dose.value, int):
        return False
    m = DOSE_FOR_BEFORE.search(text[max(0, v.start - 40) : v.start]) or ON_A_DOSE.match(text, v.end)
    if m is None or _OLD_DOSE_BEFORE.search(m.string[max(0, m.start("dose") - 16) : m.start("dose")]):
        return False  # "200 (from 400) for 2 months": the time on 200
    return int(m["dose"]) not in (dose.value, dose.value // 2)  # "400 bd" is 800 a day


def also_at_dose(text: str, values: Dict[str, Value]) -> None:
    """A time said of the dose now, with no change of dose told ("been on 400 for 8 mo", "400 mg od x 3 yrs"), is
    the time at the dose as written, and the time on imatinib as a colleague reads it: both are kept where a level
    is read against it (a trough, a reduced dose); elsewhere the time at the dose is not asked for."""
    months, dose = values.get("months_on_tki"), values.get("dose_mg")
    if "trough_ng_ml" not in values and "on_reduced_dose" not in values:
        return
    if months is None or dose is None or "days_at_current_dose" in values or months.start >= months.end:
        return
    if not isinstance(months.value, (int, float)) or not isinstance(dose.value, int):
        return
    after = re.split(r"[.;\n]", text[months.end :])[0]
    if any(int(d) not in (dose.value, dose.value // 2) for d in DOSE_NAMED.findall(after)):
        return  # "imatinib 600 x 2 years (400 for the first year)": another dose inside the time
    m = DOSE_FOR_BEFORE.search(text[max(0, months.start - 40) : months.start])  # not "15 mo on 400": on imatinib
    if m is None and re.match(r"(?:since|from)\b", months.text, re.I):
        m = DOSE_RIGHT_BEFORE.search(text[max(0, months.start - 40) : months.start])  # "400 mg od since March 2021"
    if m is None or int(m["dose"]) not in (dose.value, dose.value // 2):
        return
    try:
        days = normalize("days_at_current_dose", months.text)
    except NormalizationError:
        return
    # (a bound stays a bound: "400 od for over a year" is more than 365 days at the dose, not 365)
    values["days_at_current_dose"] = Value(
        "days_at_current_dose", days.value, months.text, months.start, months.end, days.bound or months.bound
    )


DOSE_RIGHT_BEFORE = re.compile(
    r"\b(?P<dose>[1-8]00)\s*(?:mg)?\s*(?:od|bd|bid|qd|daily|once daily|twice daily|a day|/d(?:ay)?)?\s*"
    r"(?:of\s+imatinib\s*)?(?:\(\s*\d+\s*(?:mg)?\s*/\s*day\s*\)\s*)?$",
    re.I,
)
# the dose now said to be the one since imatinib started: "on 400 od since start", "same dose throughout"
_SAME_DOSE_SINCE_START = re.compile(
    r"\b(?:(?:on\s+)?(?:the\s+same\s+dose|[1-8]00\s*(?:mg)?(?:\s*(?:od|daily|once daily|/d|a day|bd|qd))?)\s+"
    r"(?:since|from)\s+(?:the\s+)?(?:start|beginning|outset|day (?:one|1)|initiation|starting|diagnosis|dx)"
    r"(?!\s+of\b)|"
    r"(?:same|stable|unchanged|constant)\s+dose\s+(?:throughout|all along|(?:ever\s+)?since\s+(?:the\s+)?start"
    r"(?!\s+of\b))|"
    r"(?:no|never any)\s+dose\s+(?:changes?|adjustments?)(?:\s+(?:ever|since (?:the )?start))?|"
    r"dose\s+(?:never|not)\s+(?:been\s+)?(?:changed|adjusted))\b",
    re.I,
)


# a change of the dose or a break in taking it, told anywhere ("up from 400", "escalated to 600 last week", "off it
# for 10 days … going again"): no time at the dose runs from the start or from a date said before it
CHANGE_NAMED = re.compile(
    r"\b(?:up|down) from\b|\bwent (?:back )?(?:up|down)\b|\b(?:increase|increased|raised|escalat\w*|reduc\w*|halv\w*|"
    r"cut|recently|changed|switch\w*|restart\w*|resum\w*|stopped|held|withheld|interrupt\w*|paused|"
    r"off (?:it|imatinib|im|treatment)|back (?:up )?(?:to|on)|again)\b",
    re.I,
)


def dose_since_the_start(text: str, values: Dict[str, Value]) -> None:
    """A trough read on the dose the patient started on ("on 400 od since start", "no dose changes"): the days
    at the dose are the time on imatinib."""
    months = values.get("months_on_tki")
    if "trough_ng_ml" not in values or "days_at_current_dose" in values or months is None:
        return
    said = _SAME_DOSE_SINCE_START.search(text)
    if said is None or not isinstance(months.value, (int, float)) or months.bound is not None:
        return
    if changed_told(text) or CHANGE_NAMED.search(text):
        return  # "no dose changes since the increase to 600", "IM went up to 600 recently": a change was told
    days = round(months.value * T.DAYS_PER_MONTH, 2)
    values["days_at_current_dose"] = Value("days_at_current_dose", days, said.group(0), said.start(), said.end())


_TIME_OFF_BEFORE = re.compile(
    r"\b(?:held|withheld|interrupted|paused|stopped|suspended|off(?: (?:treatment|imatinib|im|it|drug|tki))?)\s+"
    r"(?:(?:it|imatinib|im|treatment|the drug)\s+)?(?:for|x)\s+(?:about\s+|~\s*)?$",
    re.I,
)
_OLD_DOSE_BEFORE = re.compile(r"\b(?:from|std|standard|usual|instead of|was|previously|down from|full)\W*$", re.I)


# words before a change that make it wanted or asked, not told ("wondering if reduction is worth it")
_CHANGE_WANTED_BEFORE = re.compile(
    rf"\b(?:if|whether|worth|wondering|consider\w*|would|should|can|could|{MAY}|might|want\w*|plan\w*|"
    r"think\w*|to|a|any|about)\s+(?:\w+\s+){0,2}$",
    re.I,
)


def _came_down(text: str, m: re.Match) -> bool:
    """ "300 from 400" tells a reduction: told, of imatinib's dose named just before it ("on 200, down from 400",
    "post reduction (300 from 400)"), not of a lab value ("ALT now 200 from 800") or a trough."""
    before = text[max(0, m.start() - 30) : m.start()]
    return (
        int(m["now"]) < int(m.group(2))
        and _told(text, m.start())
        and bool(_DOSE_WORD_BEFORE.search(before))
        and not _OTHER_MEASURE_BEFORE.search(before)
        and not _LAB_BEFORE.search(_sentence_before(text, m.start()))
    )


_DOSE_WORD_BEFORE = re.compile(
    r"\b(?:on|im|imatinib|glivec|gleevec|dose|reduc\w*|de-?escalat\w*|halved|cut)\b[^.;,\d]{0,12}[(,]?\s*$", re.I
)
_LAB_BEFORE = re.compile(r"\b(?:alt|ast|ck|ldh|bili\w*|creat\w*|hb|plts?|neut\w*|wbc|anc|egfr|trough|level)\b", re.I)


def changed_told(text: str) -> bool:
    """Whether the message tells (not asks about) a change of dose."""
    return any(_told(text, m.start()) for m in _CHANGED.finditer(text)) or bool(_CHANGE_TOLD.search(text))


# before a change of dose: "before the dose reduction", "prior to the increase", "pre-escalation"
BEFORE_THE_CHANGE = re.compile(
    r"\b(?:before|prior to)\s+(?:the\s+)?(?:dose\s+)?(?:reduction|escalation|increase|change|switch|going up|"
    r"going down)\b|\bpre-?(?:escalation|reduction|increase|change)\b",
    re.I,
)
_CHANGE_TOLD = re.compile(  # "400mg -> 600mg 3/52 ago", "before the dose reduction", "pre-escalation"
    rf"\b[1-8]00\s*(?:mg)?\s*(?:->|-->|\u2192|=>)\s*[1-8]00(?!\d)|{BEFORE_THE_CHANGE.pattern}",
    re.I,
)


def told(text: str, at: int) -> bool:
    """The change named at ``at`` happened: neither asked about nor wanted (public for the relations)."""
    return _told(text, at)


def _told(text: str, at: int) -> bool:
    """The change named at ``at`` happened: neither asked about nor wanted."""
    return not _proposed(text, at) and not _CHANGE_WANTED_BEFORE.search(text[max(0, at - 40) : at])


_MONTH = r"(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:\s+(?P<year>(?:19|20)\d\d))?(?![\w/])"
# a change to the dose now dated by its month: "we went up to 600 in March", "reduced to 300 in June 2026", "since
# the escalation in August"
_CHANGED_IN_MONTH = re.compile(
    rf"\b(?:{CHANGED_PAST})\b(?:\s+(?:her|him|it|the dose|dose|imatinib|im))?(?:\s+(?:up|down|back))?\s+to\s+"
    rf"(?P<dose>[1-8]00)\b(?:\s*mg)?(?:\s*(?:od|bd|daily))?\s+in\s+(?:early\s+|mid-?\s*|late\s+)?{_MONTH}"
    rf"|\bsince\s+(?:the|her|his)\s+(?:escalation|reduction|de-?escalation|dose change|increase|decrease)\s+in\s+"
    rf"(?:early\s+|mid-?\s*|late\s+)?{_MONTH.replace('?P<mon>', '?P<mon2>').replace('?P<year>', '?P<year2>')}",
    re.I,
)


def changed_in_month(text: str, values: Dict[str, Value], today: Optional[date]) -> None:
    """The days at the dose now (in place, when not read otherwise), from a change to it told with its month."""
    if "days_at_current_dose" not in values:
        dated = _days_since_the_change(text, values.get("dose_mg"), today)
        if dated is not None:
            values["days_at_current_dose"] = dated


def _days_since_the_change(text: str, dose: Optional[Value], today: Optional[date]) -> Optional[Value]:
    """The days at the dose now, from a change to it told with its month (the 15th, spec section 5; a month
    without a year is its last one up to today); None when none is told, or it changed to another dose."""
    found = None
    for m in _CHANGED_IN_MONTH.finditer(text or ""):
        if not _told(text, m.start()) or (m["dose"] and dose is not None and int(m["dose"]) != dose.value):
            continue
        found = m
    if found is None:
        return None
    today = today or date.today()
    month = MONTHS.index((found["mon"] or found["mon2"])[:3].lower()) + 1
    year = found["year"] or found["year2"]
    if not year and (re.search(r"\b(?:19|20)\d\d\b", _sentence_before(text, found.start())) or month == today.month):
        return None  # "In 2019 we increased to 600 in March": that year's March; "in December" said in December
    on = date(int(year) if year else last_year_of(month, 15, today), month, 15)
    days = (today - on).days
    if days < 0:
        return None
    return Value("days_at_current_dose", days, found.group(0), found.start(), found.end())


def _sentence_before(text: str, at: int) -> str:
    lo = max((m.end() for m in re.finditer(r"[.;!?\n]", text[:at])), default=0)
    return text[lo:at]


# a dose history written as a chain: "400 -> 600 (2021) -> 800 (2022) -> 400 now", "IM 400 bd -> 400 od"
_SCHED = r"(?:od|bd|bid|qd|daily|once daily|twice daily|nocte|mane)"
_LINK = (
    r"\s*(?:(?:->|-->|\u2192|=>|\u27f6)\s*(?:back\s+(?:up\s+|down\s+)?to\s+|now\s+|then\s+)?|"
    # a change told in words: "IM 400, reduced to 300 last month", "400 then escalated to 600"
    r",?\s*(?:and\s+|then\s+|but\s+)?(?:was\s+|been\s+)?(?:reduced|cut|lowered|decreased|dropped|halved|de-?escalated|"
    r"increased|escalated|went up|came down|went down|stepped down|down)\s+to\s+)"
)
_ELEMENT = rf"(?<![\w.,^/])[1-8]00(?![0-9]|[.,]\d)(?:\s*mg)?(?:\s*{_SCHED}\b)?(?:\s*\([^()]{{0,40}}\))?"
_CHAIN = re.compile(rf"{_ELEMENT}(?:{_LINK}{_ELEMENT})+", re.I)
_DOSE_CONTEXT = re.compile(
    r"\b(?:dose|doses|dosing|imatinib|glivec|gleevec|(?-i:IM)|reduc\w*|escalat\w*|de-?escalat\w*|cut|went|"
    r"halved|dropped|lowered|decreased|chang\w*|titrat\w*|hx|history)\b",
    re.I,
)
_OTHER_MEASURE_AFTER = re.compile(r"\s*(?:ng|nmol|umol|\u00b5mol|mcg|%|copies|plts?|platelets|x\s*10)", re.I)
_OTHER_MEASURE_BEFORE = re.compile(r"\b(?:trough|level|cmin|plts?|platelets|wbc|neut\w*|anc|hb)\b[^.;]*$", re.I)
_ONE = re.compile(rf"(?P<dose>[1-8]00(?:\s*mg)?(?:\s*{_SCHED}\b)?)", re.I)


@dataclass
class Step:
    start: int
    end: int
    text: str
    mg: int  # the total daily dose


def dose_chains(text: str, proposed: bool = False) -> List[List[Step]]:
    """Each chain of two or more doses joined by arrows, in the order written (the last is the dose now); with
    ``proposed``, the chains asked about instead ("reduce 400->300?": from the dose now to the one proposed)."""
    chains = []
    for m in _CHAIN.finditer(text or ""):
        if _proposed(text, m.start()) != proposed:
            continue
        steps = []
        for element in re.finditer(_ELEMENT, text[: m.end()], flags=re.I):
            if element.start() < m.start():
                continue
            one = _ONE.match(element.group(0))
            try:
                mg = int(normalize("dose_mg", one.group("dose")).value)
            except (NormalizationError, TypeError, ValueError):
                break
            steps.append(Step(element.start(), element.start() + one.end(), one.group("dose"), mg))
        else:
            named = any(s.text[3:].strip() for s in steps) or len(steps) >= 3 or _DOSE_CONTEXT.search(text)
            other = _OTHER_MEASURE_AFTER.match(text, m.end()) or _OTHER_MEASURE_BEFORE.search(
                text[max(0, m.start() - 25) : m.start()]
            )
            if named and not other and len(steps) >= 2 and len({s.mg for s in steps}) > 1:
                chains.append(steps)
    return chains


def chain_reduction(steps: List[Step]) -> Optional[bool]:
    """Whether a chain leaves the patient on a reduced dose: True when every step went down (the first dose was
    the standard one), False when it went back up after a reduction, None otherwise (an escalation says nothing
    of a reduction; after ups and downs, which dose was the standard one is not said)."""
    mgs = [s.mg for s in steps]
    down = [a > b for a, b in zip(mgs, mgs[1:], strict=False)]
    if all(down):
        return True
    if mgs[-1] > mgs[-2] and any(down) and mgs[-1] >= mgs[0]:
        return False  # reduced, then back up to where it started: "400 -> 200 -> back to 400"
    return None


# the clock times of the last dose and of the sample: "last dose 09:00 tues, bled 08:15 weds", "took his 400 mg at
# 8am, level drawn at 3pm"; a time needs minutes or am/pm (a bare "at 8" is not read)
# a clock time has a colon or am/pm ("09:00", "8am", "9.30pm"; never "0.05" or "12.03", a number or a date)
_CLOCK = (
    r"(?:(?:[01]?\d|2[0-3]):(?:[0-5]\d)(?:\s*[ap]\.?m\.?)?|(?:1[0-2]|0?[1-9])(?:[:.][0-5]\d)?\s*[ap]\.?m\.?"
    # or an hour the part of the day names: "at 8 last night", "7.30 this morning"
    r"|(?:half\s+(?:past\s+)?)?(?:1[0-2]|0?[1-9])(?:[:.][0-5]\d)?(?=\s+(?:last night|this morning|this evening|tonight|"
    r"yesterday (?:morning|evening)|in the (?:morning|evening)|at night|(?:the )?next morning)\b))"
    r"(?!\w|[:.]\d)"
)
# the part of the day after an hour said without am or pm: the evening's hours are after noon
_EVENING_HOUR = re.compile(
    r"(?:half\s+(?:past\s+)?)?(?:[6-9]|1[01])(?:[:.]\d\d)?$|\d{1,2}(?:[:.]\d\d)?\s*p\.?m\.?$", re.I
)
_EVENING_AFTER = re.compile(r"\s+(?:last night|this evening|tonight|yesterday evening|in the evening|at night)\b", re.I)
# the words between the dose or the sample and its time name nothing else (no other drug: "took her PPI at 7am")
_GAP = r"(?:\s*\((?:patient[- ]|self[- ]|pt[- ]|as )?reported\):?|"
_GAP += r"\s+(?:her|his|the|their|last|evening|morning|night|imatinib|im|glivec|gleevec|dose|"
_GAP += (
    r"tablet|it|was|is|were|of|on|[1-8]00\s*mg|[1-8]00|mg|od|bd|taken|drawn|sample|trough|level|bled|yesterday|today|"
)
_GAP += r"this|at|@|collected:?|time:?|"
_GAP += r"(?P<date>(?:0?[1-9]|[12]\d|3[01])[./](?:0?[1-9]|1[0-2])(?:[./](?:(?:19|20)?\d\d))?\.?)(?!\d)))*"
# a date written after the time: "last dose 09:00 on 30/11"
_DATE_AFTER = (
    r"(?:\s+(?:on\s+)?(?P<date_after>(?:0?[1-9]|[12]\d|3[01])[./](?:0?[1-9]|1[0-2])(?:[./](?:(?:19|20)?\d\d))?)"
    r"(?![\d/]))?"
)
_DOSE_AT = re.compile(
    rf"\b(?:last dose|dose|dosed|took|swallowed|tablet|(?:last )?intake|(?:takes|taking)(?=\s+(?:it|her|his|the|"
    rf"imatinib|im|glivec|gleevec|[1-8]00)\b)|(?<=[0-9] )taken|(?<=mg )taken|(?<=od )taken|(?<=it )taken|"
    rf"(?<=imatinib )taken|(?<=dose )taken)\b{_GAP}\s*(?P<t>{_CLOCK}){_DATE_AFTER}",
    re.I,
)
_HABIT = re.compile(r"(?:takes|taking|taken)\b", re.I)  # the time a dose is usually taken
# (a time "taken" counts only for the drug: never "FBC taken at 08:00", "consent taken at 08:30")
_SAMPLE_AT = re.compile(
    rf"\b(?:bled|drawn|sampled?|trough|bloods?|venesected)\b{_GAP}\s*(?P<t>{_CLOCK}){_DATE_AFTER}", re.I
)


def clock_hours(text: str) -> Optional[Value]:
    """The hours from the last dose to the sample when both are told as clock times, the sample the next day when
    its time is earlier; None when either is missing, told twice, or the gap is over a day and a half."""
    doses = [m for m in _DOSE_AT.finditer(text or "")]
    if len(doses) > 1:  # "usually taken 08:00 … last dose 05.12 08:10": the dose told beats the habit
        doses = [m for m in doses if not _HABIT.match(m.group(0))] or doses
    samples = [m for m in _SAMPLE_AT.finditer(text or "") if not any(m.start("t") == d.start("t") for d in doses)]
    if len(doses) != 1 or len(samples) != 1:
        return None
    times = (doses[0], samples[0])
    evening = [_EVENING_AFTER.match(text, m.end("t")) is not None for m in times]
    if any(e and not _EVENING_HOUR.match(m["t"].strip()) for e, m in zip(evening, times, strict=True)):
        return None  # "at 12 last night", "at 1 last night": after midnight or not, the day is not clear
    dose, sample = (_hour(m["t"], e) for m, e in zip((doses[0], samples[0]), evening, strict=True))
    hours = sample - dose if sample > dose else sample + 24 - dose
    dated = [m["date"] or m["date_after"] for m in (doses[0], samples[0])]
    days = _days_between(*dated)
    if days is None:
        days = _days_named(text, doses[0], samples[0])
    if days is not None:  # "last dose 05.12.2026 08:10, sample drawn 06.12.2026 07:50": the dates count
        hours = days * 24 + sample - dose
    elif any(dated) or _day_word(text, doses[0]) or _day_word(text, samples[0]):
        return None  # one time dated, the other not: which day?
    if not 0 < hours <= 36:
        return None
    said = f"{doses[0]['t']} \u2192 {samples[0]['t']}"
    lo, hi = sorted((doses[0].start("t"), samples[0].start("t")))
    assumption = f"dose at {doses[0]['t']}, sample at {samples[0]['t']}" + (" the next day" if sample <= dose else "")
    return Value("hours_since_dose", round(hours, 2), said, lo, hi, assumptions=[assumption])


_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_WORD = re.compile(
    r"\b(?P<rel>yesterday|last night|today|this morning|tonight|tomorrow)\b|"
    r"\b(?P<wd>mon|tue|wed|thu|fri|sat|sun)(?:day|s|nesday|sday|rsday|urday|s?\.)?(?![\w-])",  # not "months", "sample"
    re.I,
)
_RELATIVE_DAY = {"yesterday": -1, "last night": -1, "today": 0, "this morning": 0, "tonight": 0, "tomorrow": 1}


def _day_word(text: str, m: re.Match) -> Optional[re.Match]:
    """The day said with a clock time: in its words or just after them, before the next clause."""
    tail = re.split(r"[,;.(]", text[m.end() : m.end() + 25])[0]
    return _DAY_WORD.search(m.group(0)) or _DAY_WORD.search(tail)


def _days_named(text: str, dose: re.Match, sample: re.Match) -> Optional[int]:
    """Days from the dose to the sample when both times name their day: "09:00 yesterday … 10:00 today" (1),
    "20:00 Thursday … 08:00 Saturday" (2); None otherwise."""
    one, two = _day_word(text, dose), _day_word(text, sample)
    if one is None or two is None:
        return None
    if one["rel"] and two["rel"]:
        return _RELATIVE_DAY[two["rel"].lower()] - _RELATIVE_DAY[one["rel"].lower()]
    if one["wd"] and two["wd"]:
        return (_WEEKDAYS.index(two["wd"][:3].lower()) - _WEEKDAYS.index(one["wd"][:3].lower())) % 7
    return None


def _days_between(first: Optional[str], second: Optional[str]) -> Optional[int]:
    """Days from one date written day first ("05.12.2026", "05.12.", "5/12") to another; a year left out is the
    other's, or the same."""
    if not first or not second:
        return None
    parts = [[int(p) for p in re.findall(r"\d+", d)] for d in (first, second)]
    years = [p[2] + (2000 if p[2] < 100 else 0) if len(p) > 2 else None for p in parts]
    year = next((y for y in years if y), 2000)
    try:
        one, two = (date(y or year, p[1], p[0]) for p, y in zip(parts, years, strict=True))
    except ValueError:
        return None
    return (two - one).days


def _hour(clock: str, evening: bool = False) -> float:
    m = re.match(r"(half\s+(?:past\s+)?)?(\d{1,2})(?:[:.](\d\d))?\s*([ap])?", clock.strip(), re.I)
    hour, minutes, half = int(m.group(2)), int(m.group(3) or 0), (m.group(4) or ("p" if evening else "")).lower()
    minutes += 30 if m.group(1) else 0  # "half 8": half past eight
    if half == "p" and hour < 12:
        hour += 12
    if half == "a" and hour == 12:
        hour = 0
    return hour + minutes / 60

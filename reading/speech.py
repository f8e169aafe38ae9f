"""Reading a clinician's message: its words, its scope, and whether it is a question or a case.

Pure Python (no Rasa import), used by the NLU components of ``bot/custom/components.py``:
- ``LEXICON`` / ``canonical``: abbreviations, shorthand and common misspellings → one word each
  ("pt" → patient, "IM" → imatinib, "b4" → before), for the classifier's features and the cues below;
- ``out_of_scope``: the classes of message the assistant does not handle (an emergency, a
  prescription or order, a layperson's own tablets, another drug, a pet, identifiers, attempts to
  change its rules, small talk), each with its own short reply in ``actions/scope.py``;
- ``read``: from the words and the values the extractor found, whether the message is a general
  question (answered from the FAQ) or a patient case, and which assessment the case calls for.
The classifier's intent is one signal among these: the rules decide where the words are clear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple

from knowledge import ASSESSMENTS, LEXICON, canonical, canonical_word, faq  # noqa: F401  (re-exported for the components)
from knowledge.faq import uncovered

from . import scope as scope_of
from .doses import OTHER_TKI, without_trials

# --- words: the lexicon lives in knowledge/lexicon.py (the FAQ search reads it too) ----------------

# --- scope ---------------------------------------------------------------------------------------

_CLINICAL = re.compile(r"\b(imatinib|tki|cml|leukemia|bcr-abl|trough|mmr|mr4|dose|pcr|mutation)\b")

_WORD = re.compile(r"[a-z][a-z0-9.+-]*[a-z0-9+]|[a-z]")
_FUNCTION_WORDS = {
    "a", "an", "and", "after", "back", "before", "by", "first", "for", "from", "full", "half", "high", "how", "is",
    "life", "line", "new", "not", "of", "on", "order", "the", "to", "up", "what", "when", "who", "why", "with",
}  # fmt: skip


def _domain_words() -> Set[str]:
    """The words of the domain: every FAQ topic's title and search terms and the lexicon's clinical words,
    without the function words among them."""
    words: Set[str] = set(LEXICON.values())
    for topic in faq.TOPICS:
        for term in topic.keywords + (topic.title,):
            words.update(_WORD.findall(canonical(term).lower()))
    return {w for w in words if len(w) > 1 and w not in _FUNCTION_WORDS}


DOMAIN_WORDS = _domain_words()


def about_the_domain(text: str, numbers: bool = True) -> bool:
    """Whether a message names anything of imatinib, CML or their monitoring, or gives a number (a general
    question that names nothing of it, "what is the capital of France?", is not a question for the FAQ)."""
    c = canonical(text).lower()
    if _CLINICAL.search(c) or (numbers and re.search(r"\d", c)):  # a number here is almost always a value
        return True
    words = _WORD.findall(c)
    pairs = [a + sep + b for a, b in zip(words, words[1:], strict=False) for sep in ("-", "")]  # "cut off" is "cut-off"
    return any(w in DOMAIN_WORDS for w in words + pairs) or scope_of.names_the_domain(text)


# small talk the assistant answers as out of scope (the classifier's greet, thank, goodbye answer the rest)
_SMALL_TALK_REFUSED = ("joke",)


# small talk answered as the conversational intent whose reply fits it, whatever the classifier chose and however
# few of its words the training data has ("legend" is thanks, "how's your day going?" a greeting). An acknowledgement
# ("got it", "hmm", "noted") is affirm: outside a form the assistant asks what to do next; inside one the form
# asks its question again (no reader of a value takes "got it" for a yes)
# a frustrated writer ("why do you need all of this", "so many questions") gets the help: several values at once,
# "skip" for an unknown one, "stop" to leave
_TALK_INTENTS = {
    "greeting": "greet",
    "thanks": "thank",
    "leaving": "goodbye",
    "social": "greet",
    "ack": "affirm",
    "frustration": "help",
}


def out_of_scope(text: str, values: Optional[Dict[str, Any]] = None) -> Optional[str]:
    """The class of a message the assistant refuses or redirects (``reading.scope``: in scope by positive
    evidence), or None when it is about imatinib in CML; small talk the classifier answers is None."""
    return _refused(scope_of.classify(text, values or {}))


def _refused(found: Optional[Tuple[str, str]]) -> Optional[str]:
    if found is None:
        return None
    kind, name = found
    if kind == "small_talk":
        return "smalltalk" if name in _SMALL_TALK_REFUSED else None
    return name


# --- question or case; which assessment ----------------------------------------------------------

# values that describe a patient's state (a dose or a goal alone may be hypothetical: "can she go to 200?")
STATE_VALUES = {
    "bcr_abl1_is",
    "months_on_tki",
    "mmr_months",
    "dmr_months",
    "trough_ng_ml",
    "hours_since_dose",
    "days_at_current_dose",
    "adherence_pct",
    "mutations",
    "ae_grade",
    "phase",
    "prior_tki_failure",
    "ddpcr_mr45",
    "response_confirmed",
    "response_status",
    "standard_dose_mg",
    "on_reduced_dose",
    "drug_interaction_concern",
    "percent",
}

_HYPOTHETICAL = re.compile(  # a general or conditional question: values in it are an example, not a patient's
    r"(?<!check )(?<!see )(?<!know )(?<!tell me )"  # "check if my patient …" asks about this patient
    r"\b(if|when|suppose|say|assuming) (a |an |the |my |our )?(patient|someone|somebody|they|he|she|person)\b|"
    r"\b(can|could|should|would|do|does|will|may|might|must) (a |an )(patient|person)\b|"
    r"\bin general\b|\bgenerally\b|\btypically\b|\busually\b|\bwhat do i tell\b|\bwhat should i tell\b|"
    r"\b(people|patients|anyone|those|everyone) (who|with|in|on|that|taking)\b|\b(published|any) (data|evidence)\b"
)
# what a patient asked, passed on: a general question with one value or none ("patient asks if she can take it with
# grapefruit"), the patient's case with two or more ("7 years imatinib, 400/day, MMR 6 yrs, pt asks about halving")
_PATIENT_ASKS = re.compile(r"\bpatient (asks|asking|asked|wants to know|wondering)\b")
_SOMEONE = re.compile(  # people in general: general without values, a real patient with them
    r"\bsomeone\b|\bsomebody\b|\bpatients (who|with|in|on|that)\b"
)
_A_PATIENT = re.compile(r"\b(a|one) (patient|lady|man|woman|gentleman)\b")  # a case, when the words ask to act
_DEFINITIONAL = re.compile(
    r"^\W*(what|what's|whats|which|who|why|how|when|where|define|explain|describe|is there|are there|list|"
    r"difference|tell me about|can you explain|could you explain)\b|\b(what is|what are|what's the|meaning of|"
    r"definition of|how long does|how long do|how often|how much|is it safe|are there any|which patients|"
    r"how (reliabl\w*|likely|common|many|safe|well|quickly|soon|often|much|long)|(do|does|will|can) patients)\b"
)
_SPECIFIC = re.compile(  # words about one particular patient
    r"\b(my|our|this|the) (patient|lady|gentleman|man|woman|guy|chap|girl|boy)\b|"
    r"\ba (patient|lady|man|woman) of mine\b|"
    r"(?<!\ba )(?<!\bany )(?<!\bevery )(?<!\beach )\bpatient (is|was|has|had|on|with|in|taking|started|now|still|"
    r"currently|who is|keen|wants)\b|"
    r"(?<!\ba )(?<!\bany )(?<!\bevery )(?<!\beach )\bpatient (lost|failed|developed|achieved|reached|relapsed|"
    r"progressed|responded|needs|needed|got|remains|misses|missed|takes|tolerates|reports|complains|says|"
    r"said|presented|presents)\b|"
    r"\b(she|he|her|him|his|hers|she's|he's)\b|"
    r"\b(this|these|her|his) (\w+ )?(trough|level|levels|result|results|pcr|value|values)\b|\bpatient's\b"
)
_TASK = re.compile(  # a request to assess a patient
    r"\b(can|should|shall|could|do|may) (i|we) (reduce|drop|lower|go|halve|cut|escalate|increase|switch|stop|come|"
    r"change|decrease|de-escalate|bump|push|raise|continue|keep)\b|"
    r"\bhelp (me )?(with|interpret\w*|choos\w*|decid\w*|work\w*) (a |an |this |my |the |her |his )?(\w+ )?"
    r"(patient|case|trough|level|result|pcr|tdm|dose|mutation)\b|"
    r"\b(interpret|assess|work (it |this )?up|check on|look at) (a |an |this |my |her |his |the )?(\w+ )?"
    r"(patient|case|trough|level|result|pcr|tdm|response|values?)\b|\binterpret (pls|please)\b|"
    r"\b(can|could|would) you (check|look at|interpret|assess|review|read) (a |this |my |her |his |the |an )?(\w+ )?"
    r"(trough|level|result|pcr|tdm|case|patient)\b|"
    r"\b(eln|response|milestone|tdm|trough|level|dose|reduction) (status|check|review)\b|"
    r"\bhelp (me )?(choos\w*|pick\w*|select\w*) (a |the |an )?(next )?(tki|drug|treatment)\b|"
    r"^\W*(dose reduction|de-escalation|escalation|work-?up)\W*$"
)
_YES_NO = re.compile(r"^\W*(does|do|is|are|can|could|will|would|should|has|have)\b")
_IMATINIB_LEFT = re.compile(
    r"\b(?:after|post|following|from|failed|failing|off|stopp\w+|intoleran\w+ (?:of|to))\s+(?:the\s+)?"
    r"(?:imatinib|glivec|gleevec|(?-i:IM))\b(?:\s+(?:failure|resistance|intolerance))?"
    r"|\b(?:imatinib|glivec|gleevec|(?-i:IM))\s+(?:failure|resistance|intolerance|failed)\b",
    re.I,
)


def _after_another_tki(text: str, dose) -> bool:
    """A dose written after another TKI's name in its sentence ("asciminib for a T315I patient - is it 40 mg bd or
    200 mg bd?"): that drug's dose, not imatinib's."""
    start = getattr(dose, "start", -1)
    if start < 0:
        return False
    sentences = re.split(r"[.;!?\n]\s", text[:start])
    if OTHER_TKI.search(sentences[-1]):
        return True
    # the sentence before, when it asks another TKI's dose and the dose's own names no drug ("asciminib dose for
    # T315I? 40 bd or 200 bd?"; not "Pt previously on nilotinib. Now 400 mg od.")
    before = sentences[-2] if len(sentences) > 1 else ""
    own = sentences[-1]
    return bool(
        OTHER_TKI.search(before)
        and re.search(r"\bdos(?:e|es|ing)\b", before, re.I)
        and not scope_of.names_imatinib(before + " " + own)
    )


_WHICH_ASKED = re.compile(r"^\W*(which|what)\b[^.;\n]*\?\s*$", re.I)  # one sentence that asks which or what
_PATIENT = re.compile(_SPECIFIC.pattern + "|" + _TASK.pattern)

CUES: Dict[str, re.Pattern] = {
    "post_reduction": re.compile(
        r"(?<!to )(?<!can )(?<!should )(?<!could )(?<!would )(?<!never )(?<!not )(?<!never been )(?<!not been )"
        r"\b(reduced|de-escalated|dropped|lowered|halved|decreased|stepped down)\b"
        r"(?! (the )?dose\?)(.{0,40}\b(to|from|ago|last|since|months?|years?|weeks?|dose)\b)|"
        r"\b(came|went|was cut|been cut|was brought|been brought) down\b.{0,30}\b(ago|last|since|in)\b|"
        r"\bon (a |the |her |his )?(reduced|half|halved|lower|lowered|de-escalated|decreased) (dose|imatinib)\b|"
        r"\b(since|after|following) (the |a |her |his )?(dose )?(reduction|de-escalation|reducing|halving)\b|"
        r"\bde-escalated (patient|one)\b|\bpost[- ](the )?(dose[- ])?(reduction|de-escalat\w*|de-esc)\b|"
        r"\bon half dose\b|"
        r"\b(since|after|following) (we |she |he |they |you |i )?(went|came|stepped|moved|dropped|cut|brought)( it)? "
        r"down\b|\b(since|after) (dropping|reducing|halving|lowering|going down|coming down|stepping down)\b|"
        r"\bhalf[- ]dose imatinib\b|\b(f/u|follow[- ]?up) (after|post|of|on) (a |the |her |his )?(reduction|"
        r"de-escalation|reduced dose)\b"
    ),
    "further_reduction": re.compile(
        r"\b(further|more|again|lower still|even lower)\b.{0,20}\b(reduc\w*|down|lower)\b|"
        r"\b(reduc\w*|go|come|get|be) (down )?(any )?(further|lower)\b|\blower still\b"
    ),
    "tdm": re.compile(
        r"\b(trough|tdm|imatinib (level|levels|concentration)|plasma (level|levels|concentration)|"
        r"drug (level|levels)|blood (level|levels)|cmin|level (back|result|came)|concentration)\b"
    ),
    "mutation_choice": re.compile(
        r"\b(which|what|choose|choosing|choice|switch\w*|change|next|best|options?|pick\w*|select\w*|"
        r"alternatives?) (a |an |the )?(next )?(tki|drug|agent|treatment|one|line|to use|now)\b|"
        r"\bwhich (\w+ )?tkis?\b|\bwhat (now|next)\b|\bnext tki\b|\bswitch to\b|\bnext step|\boptions\W*$|"
        r"\b(das|dasatinib|nilo|nilotinib|bos|bosutinib|pona|ponatinib|asciminib) or\b"
    ),
    "reduction": re.compile(
        r"\b(reduc\w*|de-escalat\w*|lower(ing)? (the |her |his )?(dose|imatinib)|decreas\w*|halv\w*|half[- ]dose|"
        r"come down|go down|cut (down|back)|step down|drop (her|him|the|to|it|dose)|dose reduction|taper\w*|"
        r"tfr|treatment[- ]free|stop (the )?(imatinib|treatment|tki)|come off|discontinu\w*|go to \d+|"
        r"go from \d+ to \d+)\b"
    ),
    "workup": re.compile(
        r"\b(failing|failed|not responding|non-?respond\w*|resistan\w*|rising|work[- ]?up|"
        r"lost (response|ccyr|chr|mmr)|losing response|poor response|inadequate response|what next|next steps|"
        r"where do i start|lagging|not in mmr|escalat\w*|increase the dose|bump\w* (up|the dose)|stuck|"
        r"plateau\w*|not (hitting|meeting|reaching) (the )?milestones?)\b|n't (responding|hitting|meeting|reaching)\b"
    ),
    "status": re.compile(r"\b(failure|warning response|warning|suboptimal|sub-optimal)\b"),
    "response": re.compile(
        r"\b(eln|milestones?|optimal|on track|response|responding|classif\w*|how is (she|he) doing|"
        r"is (that|this) (ok|good|fine|acceptable|enough)|good enough|where does|status)\b"
    ),
}


@dataclass(frozen=True)
class Reading:
    kind: str  # "case", "question" or "unclear"
    assessment: Optional[str] = None  # for a case: the assessment it calls for (None: ask which)
    reason: str = ""


_LOG_REDUCTION = re.compile(r"\b[0-9.,]+ ?-?logs?(10)? (reduction|drop)\b")
_MODAL = re.compile(r"\b(can|could|should|shall|may|would) (i|we|she|he|they|you)\b|\?")
_RESPONSE_QUESTION = re.compile(
    r"\b(eln|milestones?|response status|on track|optimal|warning or failure|failure or warning|classif\w*|"
    r"is (that|this) (ok|good|fine|acceptable|enough)|is (that|this|it|she|he) (a )?(failure|warning|optimal))\b"
)


_COULD_BE_REDUCED = re.compile(r"\b(can|could|should|would|may|might|to) (\w+ )?be (de-escalated|reduced|lowered)\b")


def assessment_for(
    text: str, labels: Iterable[str], detected_mutation: bool = False, outside_chronic: bool = False
) -> Optional[str]:
    """The assessment a case calls for, from its words and the values found (None: not clear)."""
    c = _LOG_REDUCTION.sub(" log ", canonical(without_trials(text)))
    labels = set(labels)
    reduced_before = (
        bool(CUES["post_reduction"].search(c))
        or ("on_reduced_dose" in labels and not _COULD_BE_REDUCED.search(c))
        or ("standard_dose_mg" in labels and not _MODAL.search(c))
    )
    response_problem = bool(CUES["workup"].search(c) or CUES["status"].search(c)) or "response_status" in labels
    if reduced_before and not CUES["further_reduction"].search(c):
        return "post_reduction"
    if "trough_ng_ml" in labels or "hours_since_dose" in labels or CUES["tdm"].search(c):
        # a level is its own question, unless it is one input of a work-up of a poor response
        if not (response_problem and {"adherence_pct", "mutations"} & labels):
            return "tdm"
    if CUES["mutation_choice"].search(c) and (detected_mutation or re.search(r"\bmutation", c)):
        return "mutation"
    if CUES["reduction"].search(c) or "goal" in labels or reduced_before or "standard_dose_mg" in labels:
        return "dose_reduction"
    if _RESPONSE_QUESTION.search(c) and not CUES["workup"].search(c):
        return "response"
    if response_problem:
        return "suboptimal_workup"
    if detected_mutation:
        return "mutation"
    if {"bcr_abl1_is", "percent"} & labels or "months_on_tki" in labels or CUES["response"].search(c):
        return "response"
    if outside_chronic:
        return "response"  # any assessment refers outside chronic phase; the response one asks least
    return None


_MR_NAME = re.compile(r"\bm?mr\s*[345](?:[.,]5)?\b|\bmmr\b", re.I)  # "MR4", "MR4.5": a category, not a number


def _measured(value: str) -> bool:
    return bool(re.search(r"\d", _MR_NAME.sub(" ", value)))


# values that are measurements of this patient (a number, a named mutation): a dose or a goal may be
# hypothetical ("can she go to 200?"), and a category word ("in MMR") is not a measurement
MEASUREMENTS = STATE_VALUES - {
    "phase",
    "prior_tki_failure",
    "ddpcr_mr45",
    "response_confirmed",
    "response_status",
    "standard_dose_mg",
    "on_reduced_dose",
    "drug_interaction_concern",
}
_RULE_QUESTION = re.compile(
    r"\b(counts? as|counted as|considered|defined as|definition|means?|cut-?offs?|thresholds?|the same as|"
    r"equivalent|equal to|correspond\w* to|in (%|percent)|on the is|targets?|according to|should (it|they|that) be|"
    r"studies|trials?|evidence|literature|data show)\b"
)


def _outside_chronic_phase(phase: Any) -> bool:
    """A phase said or normalised as accelerated or blast ("AP", "blast crisis", "accelerated")."""
    return re.search(r"accel|blast|\bap\b|\bbp\b|\bbc\b", str(phase or "").lower()) is not None


def read(text: str, values: Sequence[Tuple[str, str]], detected_mutation: bool = False) -> Reading:
    """Whether a message is a general question or a patient case (and for which assessment).

    ``values`` are the extractor's (label, value) pairs. A measurement of this patient (a number) makes a
    case, unless the wording is conditional or asks a general rule ("when does >10 % count as failure");
    a named mutation makes a case unless it is the subject of a general question ("why avoid nilotinib in
    E255K?"); without measurements, words about a specific patient or a request to assess one make a
    case, and a question makes a question, even when it mentions "a patient".
    """
    c = canonical(text)
    labels = [label for label, _ in values]
    state = {label for label, _ in values if label in STATE_VALUES - {"phase", "percent"}}
    measured = {label for label, value in values if label in MEASUREMENTS and _measured(value or "")}
    outside = any(label == "phase" and _outside_chronic_phase(value) for label, value in values)
    assessment = assessment_for(text, labels, detected_mutation, outside)
    specific, task = bool(_SPECIFIC.search(c)), bool(_TASK.search(c))
    asks_for_them = bool(_PATIENT_ASKS.search(c)) and len(measured - {"mutations"}) <= 1  # see _PATIENT_ASKS
    conditional = bool(_HYPOTHETICAL.search(c)) or asks_for_them or (bool(_RULE_QUESTION.search(c)) and not specific)
    question = bool(_DEFINITIONAL.search(c) or _YES_NO.search(c) or re.search(r"\?\s*$", text or ""))
    if outside:
        return Reading("case", assessment, "outside chronic phase")
    if measured - {"mutations"} and not conditional:
        return Reading("case", assessment, "patient values")
    # "which TKIs work against T315I?": a question that opens with what it asks, of no one found with the mutation
    of_anyone = bool(_WHICH_ASKED.match(text or "")) and not (specific or _found_in_patient(c))
    if (
        detected_mutation
        and not conditional
        and not of_anyone
        and (specific or task or CUES["mutation_choice"].search(c) or not question)
    ):
        return Reading("case", assessment, "patient values")
    if conditional or (_SOMEONE.search(c) and not measured):
        return Reading("question", None, "general question")
    if specific or task:
        return Reading("case", assessment, "a specific patient")
    if question or _DEFINITIONAL.search(c):
        return Reading("question", None, "general question")
    if _cue(c) and (state or _A_PATIENT.search(c)):
        return Reading("case", assessment, "a specific patient")
    return Reading("unclear", assessment, "")


def _cue(canonical_text: str) -> bool:
    return any(p.search(canonical_text) for k, p in CUES.items() if k not in ("further_reduction", "response"))


def detected_mutations(values: Iterable[str]) -> Set[str]:
    """Mutation entity values that name mutations (not "none found" / "not tested")."""
    return {v for v in values if v and not re.search(r"\b(none|not|no|negative|wild)\b", v.lower())}


# --- the routing policy (the CaseRouter component applies it to every message) ---------------------

ASSESS_PREFIX = "assess_"
# the intent that starts each assessment's form (dialogue/forms.py describes the forms)
ASSESSMENT_INTENTS = {a: "assess_" + ("workup" if a == "suboptimal_workup" else a) for a in ASSESSMENTS}
FALLBACK = "nlu_fallback"
OURS = "ClinicalEntityExtractor"  # the extractor whose entities are clinical values
FAQ_CONFIDENT = 0.6  # the response selector's confidence in a topic that lets it answer a wordless message
# intents the words of a message do not override (a clinical value in them makes it a case, though)
CONVERSATIONAL = {
    "greet",
    "goodbye",
    "thank",
    "help",
    "affirm",
    "deny",
    "stop",
    "skip",
    "why",
    "sources",
    "choose_faq_topic",
    "new_patient",
    "copy_note",
}
CORRECTED_NUMBER = re.compile(r"\d\s*%?\s*,?\s+(not|instead of|rather than)\s+\d", re.I)
CORRECTION = re.compile(  # a value that replaces one given before ("sorry, 0.05 not 0.5" is CORRECTED_NUMBER)
    r"\b(actually|correction|sorry|i meant|my mistake|typo|should have been|should be|it was)\b", re.I
)
_DEFINITION = re.compile(  # a definition asked for, of something other than the last recommendation
    r"^\W*(explain|define|what is|what are|what's|whats|meaning of|definition of)\b"
    r"(?! (that|this|it|the (recommendation|rationale|reason|rules?|result)|your)\b)"
)
# leaving an assessment loses its values: "stop" needs a word that says so (a stray "oø#[" never does)
_LEAVING = re.compile(
    r"\b(stop\w*|cancel\w*|cancle|quit\w*|exit\w*|abort\w*|abandon\w*|halt|forget|never ?mind|"
    r"restart\w*|reset|scrap|terminat\w*|kill)\b|\b(end|close|leave) (it|this|that|the (assessment|form|whole))\b|"
    r"\bwant to leave\b|\b(that's|that is|had|i've had) enough\b|"
    r"\b(drop|ditch) (it|this|that|everything|the (assessment|form|whole))\b|\bout of (this|here|the)\b|"
    r"\b(start|begin) (over|again|afresh)\b|\bover again\b|\bback to the start\b|\bsomething else\b|"
    r"\b(not|n't|do not|don't) (want to )?(continue|carry on|go on)\b|(n't|not) want to (continue|carry on)|"
    r"\b(i'm|i am|we're|we are) done\b|\b(let me|get me|bail|get) out\b"
)
_NEW_PATIENT = re.compile(r"^\W*(ok,? |so,? |right,? )?(a |the )?(new|next|another|different) (patient|case)\b")
_STOP_THE_DRUG = re.compile(
    r"\b(stop\w*|discontinu\w*|come off|quit\w*)\b.{0,25}\b(imatinib|tki|treatment|therapy|drug|it altogether)\b"
    r"|\btreatment[- ]free\b|\btfr\b"
)
_ADDRESSED = re.compile(r"\b(you|your|yourself|this (bot|assistant|tool|app))\b")  # a question about the assistant
_WORDS = re.compile(r"[a-z]{2,}")

Route = Tuple[Optional[str], List[Tuple[str, str]], str]


def has_cue(text: str) -> bool:
    c = canonical(text)
    return any(p.search(c) for k, p in CUES.items() if k != "further_reduction")


_BEFORE_ANY_CASE = ("emergency", "injection", "identifiers")  # answered first, even after "next patient:"


def route(text: str, intent: Optional[str], *args: Any, **kwargs: Any) -> Route:
    """(intent, extra entities as (name, value), reason) for a message; intent None keeps the classifier's.

    ``route(text, intent, ranking, values, faq_confidence, confidence, noise=…)``: ``values`` are the
    extractor's entities, ``ranking`` the classifier's, ``noise()`` whether the message's words are mostly
    unknown to the training data. Whatever decided it, leaving an assessment ("stop") needs a word that
    says so (it discards the values given), and starting one needs words too ("-5" starts nothing)."""
    if _NEW_PATIENT.search(canonical(text).lower()) and out_of_scope(text) not in _BEFORE_ANY_CASE:
        return "new_patient", [], "a new patient"  # whatever else it says: the last patient's values go
    decided, extra, reason = _route(text, intent, *args, **kwargs)
    final = decided or intent
    c = canonical(text).lower()
    if final == "stop" and _STOP_THE_DRUG.search(c):  # "can she stop imatinib?" is about the drug, not the form
        values = args[1] if len(args) > 1 else kwargs.get("values") or []
        r = read(text, [(v["entity"], str(v.get("value") or "")) for v in values])
        if r.kind == "case" and r.assessment:
            return ASSESSMENT_INTENTS[r.assessment], [], "stopping the drug, for a patient"
        return "faq", [], "stopping the drug: a question"
    if final == "stop" and not _LEAVING.search(c):
        return FALLBACK, [], f"'stop' without a word of leaving ({reason})"
    values = args[1] if len(args) > 1 else kwargs.get("values") or []
    if final and final.startswith(ASSESS_PREFIX) and not values and not about_the_domain(text, numbers=False):
        return "inform", [], f"no word of an assessment: an answer at most ({reason})"  # "-5" starts nothing
    return decided, extra, reason


# complexity: the speech-act decision table, one branch per rule of issue 20, in order
def _route(  # noqa: C901 (the reason is above)
    text: str,
    intent: Optional[str],
    ranking: List[Dict[str, Any]],
    values: List[Dict[str, Any]],
    faq_confidence: float = 0.0,
    confidence: float = 1.0,
    noise: Callable[[], bool] = lambda: False,
) -> Route:
    if not re.search(r"[^\W_]", text or ""):  # nothing but spaces, symbols or emoji: nothing to act on
        return FALLBACK, [], "no words"
    labels = [v["entity"] for v in values]
    found = scope_of.classify(text, {v["entity"]: v.get("value") for v in values})
    scope = _refused(found)
    talk = _TALK_INTENTS.get(found[1]) if found and found[0] == "small_talk" else None
    if talk:
        return talk, [], f"small talk: {found[1]}"
    measured_here = [v for v in values if v["entity"] in MEASUREMENTS and _measured(str(v.get("value") or ""))]
    if scope == "other_drug" and measured_here:
        scope = None  # a co-medication beside a patient's values: the case is read
    if scope == "unrelated" and noise():
        return FALLBACK, [], "mostly unknown words"  # random characters are no question
    if scope:
        return "out_of_scope", [("scope", scope)], f"out of scope: {scope}"
    c = canonical(text).lower()
    mutations = detected_mutations(v["value"] for v in values if v["entity"] == "mutations")
    r = read(text, [(v["entity"], str(v.get("value") or "")) for v in values], bool(mutations))
    domain = about_the_domain(text)
    state = set(labels) & STATE_VALUES
    short = len(_WORDS.findall(text.lower())) <= 2
    conversational = (
        intent in CONVERSATIONAL
        and not state
        and (short or confidence >= 0.7 or r.kind != "question")
        and not (domain and not values and confidence < 0.5 and not short)  # "dd pcr explanation": a question
        and not (intent == "help" and r.kind == "case" and r.assessment and has_cue(text))  # help with a named task
    )
    if not values and not domain and not conversational:
        if r.kind == "question" or "?" in text:  # a question that names nothing of imatinib or CML
            if _ADDRESSED.search(c):
                return "help", [], "a question about the assistant"
            if intent in ("why", "sources") and confidence >= 0.5:
                return None, [], "a question about the answer on screen"  # "what rules were applied?"
            return "out_of_scope", [("scope", "unrelated")], "a question outside the domain"
        if intent == "out_of_scope":
            return "out_of_scope", [("scope", "unrelated")], "outside the domain, as the classifier says"
    if intent and noise():
        return FALLBACK, [], "mostly unknown words"
    if not values and CORRECTED_NUMBER.search(text):  # "sorry, it was 0.05 not 0.5": read against the last case
        return "inform", [("correction", "true")], "a correction of a number"
    if intent in ("why", "sources") and not values and domain and _DEFINITION.search(c):
        return "faq", [], "a definition asked"  # "explain MR4" asks about MR4, not about the last recommendation
    if conversational:
        return None, [], "conversational"
    measured = [v for v in values if v["entity"] in MEASUREMENTS and _measured(str(v.get("value") or ""))]
    if r.kind == "case":
        extra = [("correction", "true")] if values and CORRECTION.search(text) else []
        strong = (
            r.reason in ("a specific patient", "outside chronic phase")
            or len(measured) >= 2
            or bool(mutations)
            or has_cue(text)
        )
        if r.assessment and strong:
            return ASSESSMENT_INTENTS[r.assessment], extra, f"case: {r.assessment}"
        if intent and intent.startswith(ASSESS_PREFIX) and strong:
            return None, extra, "case: the classifier's assessment"
        ranked = next((x["name"] for x in ranking[:3] if str(x.get("name", "")).startswith(ASSESS_PREFIX)), None)
        if strong and ranked and not values:
            return ranked, extra, "case: the classifier's next assessment"
        return "inform", extra, "values without a clear assessment"
    if r.kind == "question":
        return "faq", [], "general question"
    if state and intent in CONVERSATIONAL:  # "grapefruit" is a value (an interaction), not "stop"
        return "inform", [], "a value, not a conversational word"
    if intent == "inform" and not values:  # "inform" gives patient values: none found
        if domain and (r.kind == "question" or "?" in text):
            return "faq", [], "a question of the domain without a value"
        nxt = next((x["name"] for x in ranking[1:2] if x.get("name")), None)
        return nxt, [], "inform without a value"
    if values and intent in ("faq", FALLBACK) and r.kind != "question" and len(_WORDS.findall(c)) <= 4:
        return "inform", [], "values that answer a question"  # "aiming for TFR", given as a value
    if intent in ("inform", FALLBACK, "faq") and faq_confidence >= FAQ_CONFIDENT and not values:
        return "faq", [], "a question the FAQ answers"  # no patient value: the topic the selector is sure of
    if (
        intent
        and intent.startswith(ASSESS_PREFIX)
        and not values
        and r.kind != "case"
        and len(_WORDS.findall(c)) <= 3
        and confidence < 0.9
    ):
        return "inform", [], "a short message several assessments may mean: ask which"  # "MMR lost"
    if not values and domain and confidence < 0.5 and not conversational:
        return "faq", [], "words of the domain the classifier is unsure of"  # the FAQ search finds the topic
    return None, [], "classifier"


# --- the speech act of a message read without the classifier (the `read` command; the router adds the
# classifier's intent as one signal)

_SMALL_TALK = re.compile(
    r"^\W*(hi|hello|hey|hiya|good (morning|afternoon|evening)|thanks?|thank you|cheers|ta|ok(ay)?|cool|great|"
    r"bye|goodbye|see you|lol|haha|nice|perfect|got it|noted|who (are|made) you|what are you|are you there|"
    r"you there|how are you)\b[\w\s,.!?']{0,30}$",
    re.I,
)
_COMMAND_SCOPES = ("orders",)
# "would 0.5 % at 12 mo still be warning if the trough is > 1000?": a rule asked about, with example values
_CONDITIONAL_QUESTION = re.compile(
    r"^\W*(would|could|does|do|is|are|can)\b.*\bif\b|\b(per eln|per the guidelines?|in general)\b"
)
# figures of a population, not of a patient: "median trough at 400 vs 800 mg?", "average level on 600 in TOPS"
# ("typical" is not one: "typical b3a2 transcript" describes a patient)
_POPULATION = re.compile(
    r"\b(median|mean (?:trough|level|value|cmin|concentration)s?|average|on average|most patients|population|cohort|"
    r"in (?:the )?trials?|"
    r"in (?:the )?studies|pk (?:sub)?stud(?:y|ies)|pk analysis|tops|iris)\b"
)
_NOW_WORDS = re.compile(r"\b(now|currently|today|latest|this (week|month|morning)|at present|still)\b")
_ASKING = re.compile(
    r"(?:^|[-,:]\s*)(?:what|which|who|why|how|when|where|is|are|does|do|can|could|should|would|will)\b|"
    r"\b(options|what now|what next|thoughts|pls|please|enough|adequate|avoid|pick|choose|mean|means)\b\W*$"
)


# a response category asked about ("… a warning?", "is that MMR", "where does it sit in ELN terms")
_CATEGORY_ASKED = re.compile(
    r"\b(warning|failure|failing|optimal|suboptimal|mmr|mr ?[345](\.5)?|dmr|milestones?|eln|cut-?off|threshold|"
    r"category|classif\w*|count(s|ed)? as|on track)\b"
)
# words that tie the values to a patient at hand: taking the drug, a dose, a result pointed at
_AT_HAND = re.compile(
    r"\b(on|taking|takes|started|starting|since)\s+(imatinib|tki|\d{3})\b|\bpatient\b|\b(is|was) (that|this|it)\b|"
    r"\b\d{1,2}\s*/\s*(12|52)\s+(into\s+|on\s+)?(imatinib|im|tki)\b|"  # clinic notation: "3/12 IM", "6/52 on imatinib"
    r"\b(that|this|these|those|the|her|his|our|my) (result|results|one|value|level|pcr|test)\b|"
    r"\b(latest|current|now)\b|\b(previous|prior) (one|result|pcr|level|value)\b|"
    r"\b(can|could|would) you (classify|grade|categori[sz]e|assess)\b"
)


def _conditional(text: str, values: Dict[str, Any]) -> bool:
    """The values are given inside a general or conditional question ("if a patient…", "in general, would 0.5 %
    at 12 mo…"), judged on the sentences that hold them: "6 mo pcr 0.8 % on IM 400. also in general how often…?"
    is a case that also asks a general question."""
    spans = [(v.start, v.end) for v in values.values() if getattr(v, "end", 0) > getattr(v, "start", 0)]
    if not spans:
        c = canonical(text)
        return bool(_HYPOTHETICAL.search(c) or _CONDITIONAL_QUESTION.search(c))
    bounds = [0] + [m.end() for m in re.finditer(r"[.;!?\n]+\s", text)] + [len(text)]
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        if any(lo <= s < hi for s, _ in spans):
            c = canonical(text[lo:hi])
            if _HYPOTHETICAL.search(c) or _CONDITIONAL_QUESTION.search(c):
                return True
    return False


def _rule_question(c: str, values: Dict[str, Any], ambiguous: Sequence[Any]) -> bool:
    """A response rule asked about with a level and a time point as its example ("is 2 % at 1 year a failure?",
    "> 10 % at 3 months - warning or failure?"): a general question whose values are an example, when no word
    ties them to a patient at hand (issue 20: a question is answered, with a button to assess these values)."""
    fields = set(values) | {a.field for a in ambiguous}
    return (
        bool(fields)
        and fields <= {"bcr_abl1_is", "months_on_tki"}
        and bool(_CATEGORY_ASKED.search(c))
        and not _SPECIFIC.search(c)
        and not _TASK.search(c)
        and not _AT_HAND.search(c)
    )


# "what dose do we go to?": which dose is asked, not whether this patient may change ("do we go down?")
_WHICH_DOSE = re.compile(r"\b(what|which) (dose|step|level|strength)\b|\bhow (low|far|much)\b")


# words that ask for this patient's assessment, not a rule: "candidate?", "options?", "thoughts", "back to 400?"
_SAID_GENERAL = re.compile(
    r"\b(?:general (?:question|q|query)|in general|generally speaking|as a rule)\b|"
    r"^\W*(?:who|which patients|what patients|what kind of patients?)\b"
)
_ASSESS_ASKED = re.compile(
    r"^\W*(reduce|escalate|increase|switch|stop|halve|de-?escalate|go up|come down)"
    r"( (imatinib|im|the dose|dose|her|him|it))?\W*\?|\b(doing well|doing ok|tolerating|otherwise well)\b|"
    r"\b(candidate|eligible|qualif\w*|options?|thoughts|what now|what next|next steps?|(which|what) (tki|drug)|"
    r"interpret\w*|assess\w*|work[- ]?up|back (up )?to \d+|(go|come) (down|up) to \d+|reduce (her |him )?to \d+)\b"
)
# a general approach asked about, even of a patient ("is a lower dose a sensible first step?")
_APPROACH_ASKED = re.compile(
    r"\b(is|are|would) (a |an |the )?[\w -]{0,30}\b(sensible|reasonable|good|valid|recommended|standard|usual|"
    r"accepted|evidence[- ]based) (first )?(step|approach|option|idea|practice|strategy|thing)\b"
)


# a mutation said to be found in a patient ("E255V on KD screen", "Y253H detected", "her screen came back F317L")
_FOUND_IN_PATIENT = re.compile(
    r"\b(?:detected|found|came back|screen(?:ing)?|positive|pos|result|identified|shows?|showed|harbou?rs?|"
    r"sequencing|sanger|ngs)\b|"
    # the mutation of someone at hand: "T315A on imatinib", "F317L pt", "mutation is E255K"
    r"\bon (?:imatinib|im|glivec|gleevec|\d00)\b|\b(?:pt|my patient|our patient|mutation (?:is|was))\b"
)
_ANYONE = re.compile(r"\b(?:someone|somebody|anyone|anybody|people|patients|pts)\b")  # "someone with Y253H on IM"


def _found_in_patient(c: str) -> bool:
    return bool(_FOUND_IN_PATIENT.search(c)) and not _ANYONE.search(c)


# the evidence asked about ("any data on going from 800 back to 400?", "what does the evidence support?")
_EVIDENCE_ASKED = re.compile(
    r"\b(?:any|is there|are there|what does the|what do the|what'?s the|the)\s+(?:good\s+|real\s+|published\s+)?"
    r"(?:data|evidence|studies|trials?|literature)\b"
)
_HOW_OFTEN = re.compile(r"\b(?:often|commonly|common|frequen\w*|patients|pts)\b")  # "is F317L found often?"


@dataclass(frozen=True)
class Act:
    kind: str
    assessment: Optional[str] = None
    topic: Optional[str] = None
    scope: Optional[str] = None
    reason: str = ""


_COMMON_TERMS = {
    "is",
    "who",
    "when",
    "aim",
    "goal",
    "data",
    "study",
    "trial",
    "safe",
    "risk",
    "sample",
    "timing",
    "percent",
}


@lru_cache(maxsize=1)
def _topic_terms() -> Tuple[Tuple["re.Pattern[str]", str], ...]:
    """Each FAQ topic's title and search terms, canonical, longest first (in the order written among equals);
    built once: canonicalising every term for every message was a tenth of a turn's NLU time."""
    terms = []
    for topic in faq.TOPICS:
        for term in topic.keywords + (topic.title,):
            t = canonical(term).lower()
            if t not in _COMMON_TERMS:  # "IS" is also "is"; "who", "when", "aim" name no topic
                terms.append((len(t), re.compile(rf"(?<![\w-]){re.escape(t)}(?![\w-])"), topic.id))
    terms.sort(key=lambda x: -x[0])  # stable: among terms of one length, the first written wins
    return tuple((pattern, topic_id) for _, pattern, topic_id in terms)


def faq_topic(text: str) -> Optional[str]:
    """The FAQ topic whose title or search terms the message names most (longest term first); None if none."""
    c = canonical(text).lower()
    return next((topic_id for pattern, topic_id in _topic_terms() if pattern.search(c)), None)


def speech_act(text: str, values: Dict[str, Any], not_values: Sequence[Any] = (), ambiguous: Sequence[Any] = ()) -> Act:
    """Case, question, command, out of scope or small talk, from the words and the values read."""
    if not re.search(r"[^\W_]", text or ""):
        return Act("small_talk", reason="no words")
    # "never reduced" (on_reduced_dose false) calls for no post-reduction assessment
    labels = [f for f, v in values.items() if not (f == "on_reduced_dose" and getattr(v, "value", None) is False)]
    labels += [a.field for a in ambiguous]
    found = scope_of.classify(text, values)  # in scope by positive evidence (issue 20)
    if found is not None:
        kind, name = found
        return Act(kind, scope=name, reason=f"{kind}: {name}")
    mutations = detected_mutations([" ".join(v.value) for f, v in values.items() if f == "mutations" and v.value])
    pairs = [(f, str(v.value)) for f, v in values.items() if f in labels]
    r = read(text, pairs, bool(mutations))
    topic = faq_topic(text)
    # a message giving two or more of a patient's values is a case, even when it also asks a general question
    # (issue 20: the case is assessed and the question pointed to); one value or none: the words decide
    c = canonical(text)
    patient = [f for f in values if f in MEASUREMENTS | {"dose_mg"}] + [a.field for a in ambiguous]
    real = bool(_SPECIFIC.search(c) or _NOW_WORDS.search(c))
    conditional = _conditional(text, values)
    asking = bool(_DEFINITIONAL.search(c) or _YES_NO.search(c) or "?" in (text or "") or _ASKING.search(c))
    gap = uncovered.gap(text)
    # "F317L detected. Pt on IM 600 …, dasatinib the plan?", "Sanger result: p.Tyr253His … nilotinib or dasatinib?"
    found_in_patient = bool(mutations) and (real or _found_in_patient(c))
    outside = any(f == "phase" and _outside_chronic_phase(getattr(v, "value", "")) for f, v in values.items())
    if (
        gap is not None
        and not outside  # "myeloid blast crisis, bridge to transplant": outside chronic phase first
        and asking
        # (a case told with the dose and a measurement, "now on 400 mg, PCR 1.5 % … how is she doing?", is assessed
        # whatever else it names: pregnancy, another TKI before)
        and len({f for f in values if f in MEASUREMENTS | {"dose_mg"}} - {"mutations"}) <= 1
    ):
        # imatinib's own dose or level; imatinib named only as the drug left ("what nilotinib dose after imatinib
        # failure?", "switching from imatinib to asciminib") makes the other TKI's dosing no question of ours
        ours = (
            scope_of.names_imatinib(_IMATINIB_LEFT.sub(" ", text or ""))
            or "trough_ng_ml" in values
            or ("dose_mg" in values and not _after_another_tki(text or "", values["dose_mg"]))
        )
        another = gap.id == "other_tki_dosing" or (gap.id == "food" and OTHER_TKI.search(text))
        if another and not ours:
            # "asciminib dose for a T315I patient?", "nilotinib trough target?", "does nilotinib need an empty
            # stomach?": another TKI's own dosing or taking is not our job, whoever it is for
            return Act("out_of_scope", scope="other_tki", reason="out_of_scope: another TKI's dosing")
        if not found_in_patient:
            return Act("question", topic=None, reason=f"not covered by the sources: {gap.id}")
    if asking and _rule_question(c, values, ambiguous):
        category = re.search(r"\bmr ?4[.,]5\b|\bmr ?4\b|\bmr ?5\b|\bmmr\b|\bmr ?3\b", c)
        named = {"mr45": "mr45_definition", "mr4": "mr4_definition", "mr5": "mr5_definition"}
        key = re.sub(r"[ ,]", "", category.group(0)).replace(".", "") if category else ""
        topic = named.get(key, "mmr_definition") if category else "eln_milestones"
        return Act("question", topic=topic, reason="a rule asked about with example values")
    measured = [f for f, v in values.items() if f in MEASUREMENTS - {"dose_mg"} and getattr(v, "bound", None) is None]
    if _EVIDENCE_ASKED.search(c) and not real and not measured:
        return Act("question", topic=topic, reason="the evidence asked about, with no patient's measurement")
    if asking and not real and _POPULATION.search(c):
        return Act("question", topic=topic, reason="a question about patients in general")  # "median trough on 400?"
    if len(set(patient)) >= 2 and (real or not conditional):
        assessment = r.assessment or assessment_for(text, labels, bool(mutations))
        return Act("case", assessment, topic, reason="a patient's values")
    # a question with at most one value and no word of a particular patient is a general question (issue 20)
    task = bool(_TASK.search(c)) and not (not patient and _WHICH_DOSE.search(c))
    named_mutation = bool(mutations) or any(a.field == "mutations" for a in ambiguous)  # "T351I": asked, still named
    general = (
        (not real and not _ASSESS_ASKED.search(c) and not named_mutation and r.reason != "outside chronic phase")
        or bool(_APPROACH_ASKED.search(c) and len(values) <= 1)
        or bool(_PATIENT_ASKS.search(c) and len(values) <= 1)
        or bool(not patient and _WHICH_DOSE.search(c))
        or bool(_SAID_GENERAL.search(c))  # "… do you still escalate? general question", "who qualifies for …"
    )
    if len(set(patient)) <= 1 and asking and not task and general:
        return Act("question", topic=topic, reason="a question with at most one value")
    anyones = _DEFINITIONAL.search(c) or _HYPOTHETICAL.search(c) or _HOW_OFTEN.search(c)
    if named_mutation and _found_in_patient(c) and not anyones:
        return Act("case", "mutation", topic, reason="a mutation found in a patient")  # "E255V on KD screen. next?"
    asked_to_assess = bool(_ASSESS_ASKED.search(c)) and not (general or _DEFINITIONAL.search(c) or _YES_NO.search(c))
    measured_or_asked = any(f in MEASUREMENTS for f in values) or (  # "misses one a week, sometimes two": to ask
        not asking and any(a.field in MEASUREMENTS for a in ambiguous)
    )
    if r.kind == "case" or (r.kind == "unclear" and measured_or_asked) or asked_to_assess:
        assessment = r.assessment or assessment_for(text, labels, bool(mutations))
        return Act("case", assessment, topic, reason=r.reason or "values")
    if r.kind == "question" or "?" in (text or "") or topic:
        return Act("question", topic=topic, reason=r.reason or "a question")
    return Act("question", topic=topic, reason="unclear: answered as a question")

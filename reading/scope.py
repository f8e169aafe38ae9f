"""Whether one chat message is outside the assistant's scope, read from positive evidence of the domain.

``classify(text, values)`` gives ``(kind, class)`` for a message the assistant refuses or redirects, or None for a
message it handles (a case, a question, an answer to a form's question, a correction):

- ``("out_of_scope", "emergency")`` first, whatever else the message says (a past event is not an emergency);
- ``("out_of_scope", "injection" | "identifiers")``: attempts to change the assistant's rules, requests for records;
- ``("command", "orders")``: an instruction to act (prescribe, order, book, sign, send, write a document, change
  the record), inside the domain too;
- ``("out_of_scope", "pet" | "layperson" | "creative" | "child")``: an animal, a patient or relative about their own
  tablets, creative writing, a child (under 18) named by age or by word;
- ``("small_talk", class)``: greetings, thanks, acknowledgements, leaving, questions about the assistant, tests,
  jokes, and the words that steer a conversation (stop, start over, hang on);
- ``("out_of_scope", "other_disease")``: another disease (GIST, Ph+ ALL, HES, mastocytosis …) when CML is not named;
- ``("out_of_scope", "other_drug")``: another drug's own level, dose or management with nothing of imatinib or CML;
- ``("out_of_scope", "unrelated")``: a question or request that names nothing of imatinib, CML or their monitoring
  and gives no patient value of ours, whatever drug, test or organism it names.

The domain's words come from the FAQ (``knowledge.faq.TOPICS`` titles and search terms, less the generic ones),
the lexicon (``knowledge.lexicon``), the ABL1 kinase-domain sites (``knowledge.mutations``) and a few anchors.
There is no list of other drugs: another drug shows itself by an unknown word that owns a level or a dose
("vori trough", "gent level", "teicoplanin loading dose"), or by the absence of anything of ours.
Pure Python, no Rasa import; the patterns are compiled once.
"""

from __future__ import annotations

import re
from typing import Any, FrozenSet, Iterable, List, Mapping, Optional, Tuple

from knowledge import ABL1_REFERENCE, LEXICON, canonical, faq
from knowledge.normalize import UNKNOWN_WORDS, NormalizationError
from reading.answers import answer

__all__ = ["classify", "DOMAIN_TERMS", "KNOWN_WORDS"]

Scope = Tuple[str, str]


def _rx(pattern: str, flags: int = re.I) -> "re.Pattern[str]":
    return re.compile(pattern, flags)


# --- the text, read three ways ----------------------------------------------------------------------------------

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "−": "-", "µ": "u", "μ": "u"})


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", (text or "").translate(_QUOTES)).strip()


# --- anchors: words that are imatinib or CML whatever else is said ------------------------------------------------

_CML_TKIS = (
    r"nilotinib|dasatinib|bosutinib|ponatinib|asciminib|radotinib|flumatinib|tasigna|sprycel|bosulif|iclusig|scemblix"
)
_IMATINIB = (
    r"imatinib\w*|imat\w*nib|glivec|gleevec|gleevac|glivek|"  # names and their misspellings
    r"\bima\b"
)
# "IM" is imatinib ("IM 400", "on IM"), unless it is the intramuscular route ("1 g IM", "IM or IV"); "im" in lower
# case is "I'm" ("im a patient") unless a dose or a word of taking is beside it ("on im 400")
_IM = re.compile(r"(?<![\w/-])[Ii][Mm](?![\w/-])")
_ROUTE_BEFORE = _rx(
    r"(?:\d\s*(?:g|mg|ml|mcg|ug|units?|iu)|\biv\s*/|\biv or|\b(?:oral|po|sc) (?:or|vs\.?|versus)|\bgiven|\bgive|"
    r"\badminister\w*|\bby|\bdeep)\s*$"
)
_ROUTE_AFTER = _rx(r"^\s*(?:/\s*iv|or iv|inj\w*|route|stat\b|into\b|im\b|(?:or|vs\.?|versus) (?:oral|po|sc|subcut))")
_DRUG_BEFORE = _rx(
    r"\b(?:on|started|starting|restarted|stopped|of|with|into|off|the|her|his|their|from|to|"
    # a change of it: "reduce im?", "escalate im to 600"
    r"reduce|reducing|reduced|escalate|escalating|escalated|increase|increasing|decrease|halve|de-?escalate|"
    r"restart|resume|continue|continuing|hold|holding|withhold|stop|stopping|switch|switching)\s+$"
)
_NOT_DRUG_AFTER = _rx(
    r"^\s+(?:a|an|not|so|going|sure|the|on|taking|worried|just|really|gonna|fine|ok|having|getting|trying|very|"
    r"currently|still|in|at|also|pregnant|scared|confused|wondering|thinking|off)\b"
)


def _resolve_im(text: str) -> str:
    """The message with each "IM" read: imatinib, the intramuscular route or "I'm"."""

    def read(m: "re.Match[str]") -> str:
        before, after = text[max(0, m.start() - 14) : m.start()], text[m.end() : m.end() + 14]
        if _ROUTE_BEFORE.search(before) or _ROUTE_AFTER.search(after):
            return "intramuscular"
        if m.group(0) == "IM" or re.match(r"\s*\d{3}\b", after):
            return "imatinib"
        if _DRUG_BEFORE.search(before) and not _NOT_DRUG_AFTER.match(after):
            return "imatinib"
        return "i'm"

    return _IM.sub(read, text)


_ANCHOR = _rx(
    rf"\b({_IMATINIB}|{_CML_TKIS}|cml\w*|cp-cml|ph\+? ?cml|chronic myeloid|chronic myelogenous|chronic granulocytic|"
    r"bcr[- :]*abl\w*|p210|tkis?|2g ?tkis?|2nd[- ]gen\w* tkis?|"
    r"mmr(?! (?:vaccin\w*|jab|immuni[sz]\w*|booster|deficien\w*|proficien\w*|status))|"
    r"m?mr ?[345](?:[.,]5)?|dmr|ccyr|pcyr|mcyr|chr|eln|tfr|treatment[- ]free remission|ddpcr|"
    r"(?:major|deep|complete|early) (?:molecular|cytogenetic|haematologic|hematologic)\w* (?:responses?|remissions?)|"
    r"molecular (?:responses?|recurrences?|relapses?|remissions?|monitoring)|loss of (?:mmr|mr4|response)|"
    r"kinase[- ]domain|kd mutations?|abl1? (?:kd|kinase|mutation\w*|copies|transcripts?)|"
    r"philadelphia|ph\+|ph-positive|ph positive|blast (?:crisis|phase)|accelerated phase|chronic phase|"
    r"sokal|eutos|elts|hasford|destiny|euro-?ski|stim\d?|adagio|iris trial|optim[- ]imatinib|"
    r"(?:\d|one|two|three|four|five)(?:[.,]5)?[- ]?logs?(?: reduction| drop)?)(?![\w])"
)
_CML_NAMED = _rx(
    r"(?<!atypical )(?<!a)\b(cml\w*|cp-cml|ph\+? ?cml|chronic myeloid|chronic myelogenous|chronic granulocytic|"
    r"chronic phase|blast crisis)\b"
)


def _mutation_names() -> "re.Pattern[str]":
    """A kinase-domain substitution at an ABL1 imatinib-resistance site (T315I, F317L, Thr315Ile), read from the
    table of ABL1's reference residues: "V617F" or "D816V" (another gene) are not ours."""
    sites = "|".join(str(p) for p in sorted(ABL1_REFERENCE))
    return _rx(rf"(?<![\w.])(?:p\.)?(?:[a-z]|[a-z]{{3}})(?:{sites})(?:[a-z]|[a-z]{{3}})(?![\w])")


_MUTATION = _mutation_names()

# --- known words: the English of the FAQ and the lexicon, for telling a drug's name from an ordinary word -----------

_WORDS = re.compile(r"[a-z][a-z0-9'+-]*")
_COMMON = (
    "a an the this that these those her his their its our my your each every any some all no both either one two "
    "first second third last next new old recent latest current previous prior usual standard starting loading "
    "maintenance total daily full half reduced lower low higher high peak random repeat repeated morning evening "
    "night same different actual real true target therapeutic plasma serum blood drug steady-state pre-dose "
    "post-dose predose postdose trough level levels dose doses dosing initial baseline single double extra "
    "median mean average typical normal expected usual good adequate ok okay fine safe right wrong correct early "
    "late timed random measured reported expected corrected adjusted weight-based weight-adjusted max maximum min "
    "minimum what which whose whats what's how is are was were be been does do did if when then so just and or "
    "but with without of for from to at in on by after before since about around than as per via x "
    "od bd bid tds qds once twice om on mg ng ml mls g h hr hrs hour hours day days week weeks month months year "
    "years yr yrs mo mos wk wks her his pt patient patients pts case cases lab labs result results test tests check "
    "checked checking send sent take taken taking give given giving start started stop stopped hold held restart "
    "restarted change changed keep kept continue continued cut go going up down back up-titrate titrate titrated "
    "say says said want wants need needs suggest suggested prefer preferred considering consider planned plan "
    "missing missed misses miss odd even whole partial rough approximate exact latest post pre std gr grade "
    "already still now then currently today yesterday ago about approx roughly around only also again more less "
    "much many very too quite really actually probably maybe perhaps i i'm im we you he she they it me us him them "
    "am has have had can could should would will may might must not no yes yep nope don't doesn't isn't gi iv po "
    "lft lfts alt ast fbc ecg qtc anc hb plt plts wcc uln ok cp ap bp into onto upon over under between within "
    "through across along among against toward towards till until while whilst though although because unless "
    "whether than like near off out up down split spread divided dose-dense also plus minus times vs versus "
    "renal hepatic liver kidney oral weight elderly adult adults older younger male female men women ratio usual "
    # the days and months a clinician dates things by, and the words that describe a patient ("age 52, wt 80 kg")
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun "
    "january february march april may june july august september october november december jan feb mar apr jun "
    "jul aug sep sept oct nov dec age aged wt kg kgs height ht bmi ecog "
    # the everyday words said of a measurement's worth ("a proper trough", "a decent level", "a sensible dose")
    "proper genuine valid accurate reliable decent sensible meaningful useful helpful formal official reasonable "
    "acceptable realistic ideal ideally interpretable informative borderline usable trustworthy representative "
    "unreliable invalid inaccurate misleading spurious questionable dodgy weird strange funny unusual surprising "
    "worrying concerning reassuring disappointing decent nice better best worse worst big small huge tiny"
).split()


_FUNCTION = frozenset(
    "a an the this that these those her his their its our my your each every any some no of for from to at in on by "
    "with without after before since about around than as per via and or but if so then is are was were be been am "
    "do does did has have had can could should would will may might must i we you he she they it me us him them what "
    "which whose who whom how when why where not "
    # modifiers that own no dose: "an earlier reduction", "any further reduction", "the usual dose"
    "earlier further later lower higher another other previous recent next last first second final initial total "
    "daily weekly monthly usual standard current new old full half reduced planned possible latest same starting "
    "single double extra more less "
    # words of imatinib's own dosing that own no dose either: "assess dose reduction", "the right dose"
    "assess assessment reduce reduction check review adjust adjustment change escalate escalation de-escalation "
    "increase decrease titrate titration right correct max maximum min minimum typical recommended target "
    "optimal appropriate missed skipped test "
    # words of taking or missing the patient's own doses: "misses 1-2 doses a week", "forgets the odd dose"
    "miss misses missing forget forgets forgot forgotten skip skips skipping omit omits omitted odd takes taking took "
    "never always".split()
)


def _known_words() -> FrozenSet[str]:
    """The words of the FAQ (titles, questions, search terms, statements), the lexicon and a few common ones, less
    the names of the co-medications the FAQ speaks of (their own levels and doses are not ours)."""
    words = set(_COMMON) | _FUNCTION | set(LEXICON) | set(LEXICON.values())
    co_medications = set()
    for topic in faq.TOPICS:
        texts = [topic.title, topic.question, *topic.keywords, *(s.text for s in topic.statements)]
        for t in texts:
            words.update(_WORDS.findall(t.lower()))
        if topic.id == "drug_interactions":
            co_medications.update(k.lower() for k in topic.keywords if re.fullmatch(r"[A-Za-z]{8,}", k))
    return frozenset(words - (co_medications - set(_COMMON)))


KNOWN_WORDS = _known_words()

# --- domain words: from the FAQ's titles and search terms, less the generic ones -----------------------------------

# search terms that any clinical message may use ("risk", "dose", "target") or that name another drug: they are no
# evidence of the domain by themselves
_GENERIC_TERMS = {
    "goal", "aim", "rationale", "quality of life", "qol", "adverse events", "ae", "tolerability", "eligibility",
    "candidate", "criteria", "who qualifies", "selection", "trial", "study", "data", "risk", "downside", "harm",
    "safety", "safe", "how safe", "indication", "who", "when", "failure", "warning", "high dose", "front-line",
    "first line", "upfront", "induction", "starting dose", "high-risk", "percent", "standardisation",
    "harmonisation", "sample", "tube", "transport", "shipping", "sample handling", "mls", "millilitres",
    "milliliters", "how much blood", "blood volume", "10 ml", "sensitivity", "precision", "predictor", "prediction",
    "biomarker", "patient selection", "drug level", "blood level", "plasma level", "concentration", "exposure", "pk",
    "pharmacokinetics", "inter-patient variability", "sample timing", "when to draw", "blood draw", "24 h",
    "level timing", "c0", "timing", "new dose", "too early", "too soon", "how soon", "wait before", "dose change",
    "washout", "accumulation", "assay", "hplc", "laboratory method", "analytical method", "threshold", "cut-off",
    "cutoff", "target", "therapeutic range", "when to order", "toxicity", "side effects", "upper limit",
    "high level", "oedema", "neutropenia", "myalgia", "rash", "inhibitor", "inducer", "co-medication",
    "comedication", "interacting drug", "polypharmacy", "herbal remedy", "st john's wort", "grapefruit",
    "azole antifungal", "macrolide antibiotic", "rifampicin", "clarithromycin", "carbamazepine", "phenytoin",
    "resistance", "not responding", "algorithm", "new technology", "advantage", "benefit", "stopping",
    "salvage", "persistence", "sequencing", "when to test", "undetectable", "follow-up", "surveillance",
    "how often", "3 months", "6 months", "12 months", "600 mg", "800 mg", "400 to 800", "dose increase",
    "up-titration", "dose lowering", "control gene", "optimal", "response criteria", "supratherapeutic",
    "exposure-toxicity", "4-6 weeks", "days on dose", "5-7 days", "discontinuation", "compliance", "ddi",
    "drug interaction", "escalation data", "reduced dose", "low-level disease",
    "monitoring frequency", "pcr schedule", "peripheral blood", "digital pcr", "predicts response",
    "associated with response", "1002", "mass spectrometry", "tandem mass spec",
    "labcorp", "who needs tdm", "tdm indication", "relapse", "relapse risk", "relative resistance", "before reduction",
    "half dose", "michel", "clark", "marin", "ibrahim", "pill count", "drug holiday", "is", "iris", "tops",
    "pre-dose", "predose", "work-up", "workup", "full dose", "cytopenia", "cytopenias", "ng/ml", "nmol/l", "umol/l",
    "ug/l", "standard dose", "1000 ng/ml", "resume full dose", "back to 400", "escalation",
}  # fmt: skip
# the few anchors the FAQ does not spell out, and the measures and steps of imatinib's monitoring in their common
# short forms
_EXTRA_TERMS = (
    "pcr", "rq-pcr", "qpcr", "rt-pcr", "trough", "troughs", "tdm", "cmin", "steady state", "steady-state",
    "international scale", "log reduction", "log drop", "transcript", "transcripts", "abl copies", "abl1 copies",
    "de-escalation", "de-escalate", "de-escalated", "de-escalating", "dose reduction", "dose-reduced",
    "dose escalation", "re-escalation", "re-escalate",
    "milestone", "milestones", "adherence", "adherent", "non-adherence", "non-adherent", "missed doses",
    "mutation", "mutations", "mutation analysis", "mutation screen", "ngs", "sanger", "half-dose", "full dose",
    "standard dose", "suboptimal response", "warning response", "optimal response", "response status",
    "imatinib level", "imatinib levels", "lc-ms/ms", "regain mmr", "recapture", "treatment-free",
    "tki-sensitive", "cytogenetic", "haematological response", "haematological failure", "ctcae",
)  # fmt: skip


def _terms() -> FrozenSet[str]:
    terms = set(_EXTRA_TERMS)
    for topic in faq.TOPICS:
        for term in topic.keywords:
            t = canonical(term).lower().strip()
            if t not in _GENERIC_TERMS and term.lower() not in _GENERIC_TERMS and len(t) > 1 and t not in _COMMON:
                terms.add(t)
    return frozenset(terms)


DOMAIN_TERMS = _terms()


def _alternation(terms: Iterable[str]) -> str:
    return "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))


_DOMAIN = _rx(rf"(?<![\w-])(?:{_alternation(DOMAIN_TERMS)})s?(?![\w-])")
# a BCR-ABL1 level on the International Scale ("0.1 %", "% IS")
_IS = _rx(r"(?<![\w])IS(?![\w])|%\s*IS\b|\bIS\s*%", 0)
_LEVEL_PCT = _rx(r"(?<![\w.])(?:0[.,]\d+|\d(?:[.,]\d+)?)\s*%")

# words any drug may share ("dose", "side effects", "grade 2"), a time on treatment, a percentage or a number: of the
# domain only when nothing else is named (no other drug, test, disease or unit)
_WEAK = _rx(
    r"\b(?:doses?|dosing|dosed|mg|levels?|reduc\w*|increas\w*|lower\w*|halv\w*|toxicit\w*|side[- ]?effects?|ses|"
    r"aes?|adverse|pk|pharmacokinetic\w*|exposure|tolera\w*|intoleran\w*|respon\w*|results?|samples?|blood|bloods|"
    r"labs?|assay|grades?|gr|oedema|edema|rash|cramps?|myalgia|nausea|vomiting|diarrh\w*|fatigue|neutropeni\w*|"
    r"thrombocytopeni\w*|anaemi\w*|anemi\w*|cytopeni\w*|hepatotox\w*|fluid retention|effusions?|periorbital|"
    r"warning|failure|optimal|suboptimal|restart\w*|held|hold|holding|missed|misses|skipped|tablets?|pills?|od|bd|"
    r"once daily|twice daily|label|smpc|pregnan\w*|concep\w*|contracept\w*|breastfe\w*|fertility|"
    r"interactions?|interacting|cyp3a4|inhibitors?|inducers?|grapefruit|ppis?|antacids?|food|generics?|"
    r"relapse|remission|resistan\w*|switch\w*|escalat\w*|stop\w*|discontinu\w*|first[- ]line|second[- ]line|pre-?dose|"
    r"post-?dose|ng/ml|nmol/l|umol/l|ug/l|mg/l|cut-?off|threshold|target|milestone\w*|monitor\w*)\b"
    r"|\d"
)


# --- another drug, test or disease ------------------------------------------------------------------------------

# what belongs to a drug: its level, its dose, a change of dose ("vori trough", "teicoplanin loading dose")
_OWNED = (
    r"troughs?|levels?|c0|c2|conc|concentrations?|doses?|dosing|loading|starting dose|tx dose|treatment dose|"
    r"reductions?|escalation|increase|taper|infusion|prophylaxis|regimen|schedule|score|nomogram|-induced|targets?|"
    r"ranges?|monitoring|side[- ]effects"
)
_TOKEN = r"[a-z0-9][a-z0-9+-]*[a-z0-9+]|[a-z]"
# the one or two words before what they own, inside one clause: "vori trough", "paracetamol max dose"
_OWNER = _rx(rf"(?<![\w'/+.-])((?:{_TOKEN})(?:\s+(?:{_TOKEN}))?)(?:\s+|(?=-))(?:{_OWNED})(?![\w])")
_OWNER_OF = _rx(
    rf"\b(?:(?:dose|doses|dosing|level|levels|trough|troughs) (?:of|for)|(?:(?:how (?:do|to|should|would|can) "
    rf"(?:i|we|you) |how to |^|want to |need to )(?:dose|load|titrate|prescribe|give|start)))\s+((?:{_TOKEN}))\b"
)
# a word with its own amount: "phenytoin 8 mg/L", "everolimus 4.1 ug/L", "sunitinib 50 mg", "30 units lantus"
_OWNER_AMOUNT = _rx(
    rf"(?<![\w'/+.-])({_TOKEN})\s+(?:at\s+|of\s+)?\d+(?:[.,]\d+)*\s*"
    r"(?:mg/l|ug/l|mcg/l|ng/ml|mmol/l|umol/l|mg/kg|mcg|ug|mg|g|units?|iu|mmol|ml/h)(?![\w/])"
)
# units that are not imatinib's (grams, units, mmol, per kilogram, an infusion rate) and tests of other fields
_FOREIGN_UNIT = _rx(
    r"(?<![\w.])\d+(?:[.,]\d+)?\s*(?:g|units?|iu|mmol|mmol/l|mmol/mol|mg/kg|ug/kg|mcg/kg|ml/h|ml/hr|meq|mmhg|"
    r"mg/dl|g/dl|ml/min|mls/min)(?![\w/])|\bq\d{1,2}h\b|\bauc\b"
)
# another tyrosine-kinase inhibitor, by the stem of its international name
_OTHER_TKI = _rx(rf"\b(?!(?:{_CML_TKIS}|imatinib)\b)[a-z]{{3,}}(?:nib|lisib|ciclib)\b")
# a drug's name by the stem of its international name ("-mab", "-cillin", "-azole"): with nothing of ours, only
# words that any drug may share ("dose", "side effects") do not make the message ours
_DRUG_STEM = _rx(
    r"\b[a-z]{3,}(?:mab|nib|cillin|mycin|micin|floxacin|oxacin|azole|olol|pril|sartan|statin|parin|xaban|gatran|"
    r"platin|taxel|rubicin|vir|cycline|prazole|tidine|setron|dronate|gliptin|gliflozin|lukast|olone|asone|dipine|"
    r"relin|limus|zepam|triptan|fungin|profen|coxib|caine|semide|thiazide|oxetine|aline|tropin|mustine|"
    r"trexate|uracil|fosfamide|poetin|grastim|kinra|ercept|lizumab|ximab|tinib|carbamide|oxyurea)\b"
)
# the other diseases imatinib or another TKI is given for, and the blood diseases next to CML: out of scope unless
# CML is named (a CML patient with a history of GIST is ours)
_INDICATION = _rx(
    r"\b(gists?|gastrointestinal stromal|hypereosinophil\w*|eosinophilic leuk\w*|mastocytosis|mast cell "
    r"(?:tumou?r|leuk\w*|disease|neoplasm|activation)\w*|cmml|jmml|chronic myelomonocytic|juvenile myelomonocytic|"
    r"atypical cml|chronic neutrophilic|dermatofibrosarcoma|dfsp|myelofibrosis|essential thrombocyth\w*|"
    r"polycyth\w*|myelodysplas\w*|acute myeloid|acute promyelocytic|chronic lymphocytic|lymphomas?|dlbcl|hodgkin\w*|"
    r"myelomas?|melanomas?|renal cell|hepatocellular|nsclc|lung (?:cancer|adeno\w*)|thyroid cancer|sarcomas?|desmoid|"
    r"chordoma|acute lymphoblastic|lymphoblastic leuk\w*|ph\+? ?all|ph-positive all|ph positive all|b-all|t-all)\b"
)
# blood diseases that are never imatinib's: out of scope only when neither imatinib nor CML is named ("follow-up for
# MGUS?"; "imatinib 400, trough 600, background of MGUS" is ours)
_NEIGHBOUR_DISEASE = _rx(r"\b(?:mgus|monoclonal gammopath\w*|waldenstr\w*|amyloidosis)\b")
# their abbreviations and the genes that mark them, in capitals only ("ALL", "ET", "EGFR": "all", "et al" and
# "eGFR" are other words)
_INDICATION_ABBR = _rx(
    # "ALL of this", "ALL the values": a word in capitals for emphasis
    r"(?<![\w-])(?:ALL(?!\s+(?i:of\s+(?:this|that|these|those|them|it|my|your|his|her|our|their|the\s+(?!ph)\w+)|"
    r"the|this|that|these|those|my|your|his|her|its|our|their|day|night|i|we|you|"
    r"done|good|ok|fine|right|together|over|along|at once)\b)|"
    r"AML|APL|CLL|MDS|HES|CEL|ASM|SM|ET|PV|MF|RCC|HCC|aCML|EGFR|ALK|ROS1|BRAF|KRAS|NRAS|FLT3|"
    r"JAK2|CALR|MPL|KIT|PDGFRA|PDGFRB|FIP1L1|NPM1|IDH[12]|BTK|HER2)(?![\w-])(?! al\b)",
    0,
)
# diseases imatinib has been tried in, or that a CML patient may also have: out of scope when asked about for
# themselves (no patient value of ours, CML not named)
_COMORBIDITY = _rx(
    r"\b(graft[- ]v(?:ersu)?s[- ]host|gvhd|systemic sclerosis|scleroderma|pulmonary (?:arterial )?hypertension|"
    r"immune thrombocytop\w*|tuberous sclerosis|lymphangioleiomyomatosis|covid\w*|asthma|gout|sickle cell|"
    r"cystic fibrosis|breast cancer|colorectal|bowel cancer|prostate cancer|ovarian cancer|"
    r"rheumatoid|lupus|psoriasis|multiple sclerosis|tumou?r lysis)\b"
)
_COMORBIDITY_ABBR = _rx(r"(?<![\w/-])(?:ITP|TTP|HIT|LAM|TSC|PAH|GVHD|cGVHD|RA|SLE|MS|DKA|COPD|CF)(?![\w/-])", 0)


# a disease the patient also has ("a patient with diabetes", "hx of asthma"), not the one treated
_FEATURE_BEFORE = _rx(
    r"\b(?:with|has|have|having|had|hx|history of|h/o|known|also|background of|and|previous|prior|plus)\W+(?:\w+\W+)?$"
)


_FEATURE_AFTER = _rx(r"\W*(?:pt|patient|man|woman|lady|gentleman|male|female|\d+ ?[mf]\b)")


def _other_disease(raw: str, fields: FrozenSet[str]) -> bool:
    """Another disease is the subject: one imatinib or another TKI treats, or (with no patient value of ours) one
    the message asks about for itself ("imatinib for PAH?"), not one the patient also has."""
    if _INDICATION.search(raw) or _INDICATION_ABBR.search(raw):
        return True
    if fields:
        return False
    for pattern in (_COMORBIDITY, _COMORBIDITY_ABBR):
        for m in pattern.finditer(raw):
            before, after = raw[max(0, m.start() - 30) : m.start()].lower(), raw[m.end() : m.end() + 20].lower()
            if not (_FEATURE_BEFORE.search(before) or _FEATURE_AFTER.match(after)):
                return True
    return False


# a test or a value of another field ("HbA1c 58", "PSA 6.2", "trop 48", "K 7.1"): only counts against a message
# that has nothing of ours
_MEASURE = _rx(
    rf"(?<![\w'/+.-])({_TOKEN})(?![\w+-])\s*[:=]?\s*\d+(?:[.,]\d+)?(?!\d|[.,]\d)"
    r"(?!\s*(?:%|mo\b|months?|m\b|yrs?|years?|at\b|x\b|/12|/52|h\b|hrs?\b|hours?|days?|wks?|weeks?|d\b))"
)

# --- what a message asks ---------------------------------------------------------------------------------------

_ASKS = _rx(
    r"\?|[,;:.-]\s*(?:what|what's|whats|which|how|when|why|where|who|ok to|okay to|should (?:i|we)|can (?:i|we)|"
    r"do (?:i|we)|is (?:it|that|this)|any (?:evidence|data|issue|problem))\b|"
    r"^\W*(?:what|what's|whats|which|how|when|why|where|who|whom|is|are|was|can|could|should|would|will|do|does|"
    r"did|any|ok to|okay to|worth|pls|please|tell me|explain|define|calculate|convert|interpret|recommend|advise|"
    r"suggest|give|diagnose|compose|plan|draft|write|make|create|find|list|help|organi[sz]e|design|predict|"
    r"best|which is best|the best)\b|"
    r"\b(?:pls|please|plz|how (?:much|many|long|often|soon)|what (?:dose|now|next)|next steps?|ok to|okay to|"
    r"worth it|dose for|dosing for|starting dose|loading dose|treat\??$|thoughts|advice|any evidence|any data|"
    r"is that (?:ok|normal|high|low|enough)|too (?:high|low)|adequate|enough)\b"
)

# --- classes by their words -------------------------------------------------------------------------------------

_PAST_BEFORE = _rx(
    r"(?:\b(?:history of|hx of|hx|h/o|previous|previously|prior|past|old|known|had (?:an? )?|no|not|denies|denied|"
    r"without|nil|risk of|risk|prevent\w*|prophylaxis|worried about|screen(?:ing)? for|rule out|r/o|"
    r"after (?:a|an|his|her))"
    r"\W+(?:\w+\W+){0,2})$"
)
_PAST_AFTER = _rx(
    r"^\W*(?:\w+\W+){0,4}?(?:(?:years?|yrs?|months?|mths?|mo|weeks?|wks?|decades?|while|long time) ago|"
    r"last (?:year|yr|month|week|wk)|in (?:19|20)\d\d|(?:19|20)\d\d|years? back|"
    r"as a child|resolved|settled|risk|prevention|prophylaxis|disorder|threshold|history|"
    r"(?:trop|troponin) neg\w*)\b"
)
_EMERGENCY = _rx(
    r"\b(anaphyla\w*|stridor|angio-?o?edema (?:now|with|and)|(?:throat|tongue|lips?|face) (?:is |are )?"
    r"(?:swelling|swollen|closing)|can'?t breathe|cannot breathe|not breathing|stopped breathing|struggling to breathe|"
    r"respiratory arrest|cardiac arrest|peri-?arrest|arrested|crash call|code blue|unresponsive|unconscious|"
    r"collapsed|collapsing|passed out|seizing|seizures?|fitting|status epilepticus|convuls\w*|stroke|facial droop|"
    r"slurred speech|chest pains?|overdosed?|overdosing|took (?:a whole|the whole|all (?:of )?(?:her|his|my|their|the) "
    r"(?:tablets|tabs|pills|meds|supply|bottle|box|pack))|took (?:\d{2,}|a handful of|handfuls of) (?:tablets|tabs|"
    r"pills)|(?:took|taken|swallowed|ingested) (?:\d{2,}|all|a handful|handfuls|the rest|a whole \w+)(?: of)?"
    r"(?: (?:her|his|my|their|the))?(?: \w+)? (?:tablets|tabs|pills)|on purpose|"
    # ten or more tablets at once, counted: "took 20 x 400mg imatinib tabs"
    r"(?:took|taken|swallowed|ingested) (?:[1-9]\d|\d{3})\s*[x\u00d7]\s*\d+\s*(?:mg)?(?: \w+)? (?:tablets|tabs|pills)"
    r"(?!\s+(?:in|over|during|across|out of|of|per|a|this|last)\b)|"  # (not a count of a month's doses)
    r"deliberate(?:ly)? (?:took|taken|overdose)|"
    r"whole (?:bottle|box|pack|packet|strip)|stockpil\w*|suicid\w*|kill\w* (?:myself|himself|herself|"
    r"themselves)|"
    r"end (?:it all|my life|his life|her life)|self[- ]harm\w*|wants? to die|haematemesis|hematemesis|"
    r"vomit\w* (?:up )?(?:fresh |frank |bright red )?blood|coffee[- ]ground\w*|massive (?:bleed|haemorrhage|"
    r"hemorrhage)|bleeding heavily|acutely (?:sob|short of breath|breathless|unwell)|in extremis|"
    r"exsanguinat\w*|(?:upper gi|gi|variceal|intracranial|subdural) (?:bleed|"
    r"haemorrhage|hemorrhage)|haemorrhag\w*|hemorrhag\w*|hyperkal\w*|peaked t|tented t|wide qrs|sine wave|"
    r"pulseless|asystole|torsades|neutropenic (?:sepsis|fever)|febrile neutropeni\w*|septic shock|sepsis|septic|"
    r"hypotensive|shocked|obtunded|ambulance|resus|gcs (?:drop\w*|fall\w*|down|dropped)|reduced gcs|dropping gcs|"
    r"cord compression)\b"
)
# the emergencies of a leukaemia at presentation, unless asked about as a topic or past ("priapism at diagnosis,
# treated", "is priapism a side effect of imatinib?", "risk of tumour lysis when starting …")
_PRESENTING_EMERGENCY = _rx(
    r"\b(?:priapism|leukostas\w*|leucostas\w*|hyperviscosity|tumou?r lysis|splenic rupture|ruptured spleen)\b"
)
_AS_A_TOPIC = _rx(
    r"(?:\b(?:is|does|can|could|cause[sd]?|causing|about|risk of|chance of|prevent\w*|avoid\w*|or)\W+(?:\w+\W+){0,2}$)"
)
_TOPIC_OR_PAST_AFTER = _rx(
    r"^\W*(?:\w+\W+){0,3}?(?:a side effect|side effects?|at diagnosis|at presentation|treated|resolved|settled|"
    r"risk|when starting|with imatinib|on imatinib\?|excluded|ruled out|unlikely|presenting feature|"
    r"\d+\s+(?:years?|yrs?|months?|weeks?)\s+ago)"
)
_GCS = _rx(r"\bgcs\s*(?:of\s*)?(\d{1,2})\b")
_SATS = _rx(r"\b(?:sats?|spo2|o2 sats?|saturations?)\s*(?:of\s*|are\s*|is\s*|were\s*)?(\d{2})\s*%")
_BP = _rx(r"\bbp\s*(?:of\s*)?(\d{2,3})\s*/\s*\d{2,3}\b")
_POTASSIUM = _rx(r"\b(?:k\+?|potassium)\s*(?:of\s*|is\s*|=\s*)?([6-9][.,]\d)\b")
_RULES = (
    r"(?:rules?|instructions?|guidelines?|prompts?|polic\w*|restrictions?|constraints?|limits?|safety\w*|scope\w*|"
    r"checks?|filters?|guard\w*|evidence|sources?|references?|citations?|disclaimers?)"
)
_INJECTION = _rx(
    rf"\b(ignore (?:all |any |your |the |my |these |those |previous |prior |earlier |above )*(?:\w+ )?{_RULES}|"
    rf"(?:disregard|forget|override|bypass|drop|skip) (?:all |any |your |the |these |those )*(?:\w+ )?{_RULES}|"
    rf"(?:switch|turn|shut) off (?:the |your |all )*(?:\w+ )?{_RULES}|disable (?:the |your |all )*(?:\w+ )?{_RULES}|"
    r"act as (?:if|though|an? (?:unrestricted|uncensored|unfiltered|jailbroken|different|new|evil|rogue)\b)|"
    r"unrestricted|uncensored|unfiltered|"
    r"just (?:say|answer|reply(?: with)?|tell me) (?:yes|no|ok)\b(?!\s*(?:or|/)\s*(?:yes|no)\b)|"
    r"(?:assume|imagine|suppose|let'?s say|say) (?:that )?(?:the )?(?:eln|nccn|esmo|bsh|guidelines?|rules?|smpc|label|"
    r"fda|ema|nice) (?:now )?(?:says?|allows?|permits?|recommends?|states?)\b.*\b(?:confirm|repeat|agree|say|"
    r"acknowledge)|developer mode|"
    r"jailbreak\w*|dan mode|do anything now|system prompt|(?:hidden|secret|internal) (?:instructions?|prompt|config\w*|"
    r"rules?)|your (?:instructions|prompt|config\w*|configuration|system message)|reveal (?:your|the) \w+|pretend\b|"
    r"role-?play|you are now|you're now|admin mode|god mode|"
    r"from now on|no (?:restrictions|limits|rules|filters)|"
    r"i'?m (?:the|your|an) (?:admin|administrator|developer|owner)|i am (?:the|your|an) "
    r"(?:admin|administrator|developer|owner)|new (?:policy|rules?|instructions?)|(?:repeat|say) (?:it|that|this) "
    r"back|print (?:your|the) (?:prompt|instructions|config\w*))"
    r"|\bforget (?:the|your|about the|all) (?:cml|imatinib|clinical|medical)\b"
    r"|^\W*(?:system|assistant|developer)\s*:"
)
_IDENTIFIER = _rx(
    r"\b(nhs (?:number|no\b|num)|mrn|(?:hospital|hosp|unit|case|chi|medical record|patient) (?:number|num\b|id\b|"
    r"no\b(?=\.?\s*(?:[:#]?\s*\d|\?|$|[.,;])))|"  # "patient no.: 123", "the patient no?"; not "patient no achieve"
    r"dob|date of birth|(?:home )?address|postcode|phone number|mobile number|contact details|next of kin|"
    r"full (?:record|notes|chart|file|history)|(?:patient|medical|health|clinical) records?|records? (?:for|of)|"
    r"(?:notes|chart|file) (?:for|of) (?:bed|the|him|her)|who is (?:the patient )?in bed|name of (?:the|her|his|this|"
    r"that) (?:patient|pt|man|woman|lady|guy|gentleman)|patient'?s (?:full )?name|"
    r"names? of (?:all |our |my |the |every )*(?:\w+ )?(?:patients|pts)|(?:list|names) of (?:all |our |my |the )?"
    r"patients|list (?:all|every|our|my) patients|all (?:the )?patients (?:on|in|with)|"
    r"every (?:patient|pt)s? (?:on|in|with)|(?:your|the|our) (?:database|db|patient list)|"
    # a cohort looked up: "which of my clinic patients have a T315I", "their names please"
    r"(?:which|what|who|how many) (?:of )?(?:my|our|the) (?:\w+ ){0,2}(?:patients|pts) (?:have|has|are|is|with|on)\b|"
    r"\b(?:their|the) names\b|\bnames? (?:please|pls)\b|"
    # a patient's results fetched from a system: "pull up his last PCRs", "check the lab system for her trough"
    r"(?:pull|look|bring) up (?:his|her|their|the patient'?s|the|all) (?:\w+ ){0,2}"
    r"(?:pcrs?|results?|labs?|bloods?|notes|letters?|records?|history|levels?|troughs?)|"
    r"(?:in|from|on|check|search|query) (?:the |our )?(?:lab|lis|results|pathology) system)"
)
_GIVEN_ID = _rx(r"^\W*[:#]?\s*\d")  # "MRN 1234567, PCR …": an identifier given, not asked for
_IDENTIFIER_ASKED = _rx(
    r"\?|\b(?:show|give|tell|what|what's|whats|find|look up|lookup|pull|get|send me|list|retrieve|access|open|"
    r"display|print|who|which|need|bring|check|search|query|please|pls|can you|could you)\b"
)
_PET = _rx(
    r"\b(dogs?|doggy|pupp(?:y|ies)|cats?(?![- ]?scan)|kittens?|feline|canine|equine|horses?|veterinar\w*|vets?|"
    r"labrador|spaniel|terrier|retriever|collie|poodle|beagle|pug|dachshund|greyhound|rabbits?|ferrets?|parrots?|"
    r"hamsters?|guinea pigs?|mct|mast cell tumou?rs?|pets?(?![- ]?(?:scan|ct))|mice|mouse|murine|rats?|rodents?|"
    r"xenografts?|animal (?:models?|stud(?:y|ies)))\b"
)
_LAYPERSON = _rx(
    r"\b(?:i'?m|i am|im) (?:a|an|the) (?:\w+ )?patient\b|\bpatient here\b|\bas a patient\b|"
    r"\bmy (?:tablets?|pills?|meds|medications?|medicines?|imatinib|glivec|gleevec|tki|doses?|pcr|results?|levels?|"
    r"trough|bloods|blood tests?|leuk\w*|cml|cancer|haematologist|hematologist|oncologist|doctor|gp|side effects|"
    r"prescription|[1-8]00s?)\b(?!\W{0,2}(?:pts?|patients?|cases?|clinic|lad(?:y|ies)|m[ae]n|wom[ae]n|gentlem[ae]n|"
    r"guys?|cohort|folks?|people|caseload|list)\b)|"
    r"\bmy (?:husband|wife|partner|mum|mom|mother|dad|father|son|daughter|brother|sister|aunt|uncle|grandma|"
    r"grandmother|grandad|granddad|grandfather|nan|nana|gran|granny|friend|boyfriend|girlfriend|fianc\w*|"
    r"child|kid|baby|family)\b|"
    r"(?<!should )(?<!can )(?<!could )(?<!do )(?<!shall )(?<!would )(?<!must )(?<!if )(?<!when )(?<!before )"
    r"\bi(?: take| took| have been taking|'ve been taking| have been on|'ve been on| started| stopped| am taking|"
    r"'m taking| am on|'m on) (?:my |the |this )?(?:imatinib|glivec|gleevec|tki|tablets?|pills?|meds|"
    r"[1-8]00)(?=mg\b|\b)|"
    r"\bi (?:forgot|missed|skipped|forget|miss|skip) (?:my|to take|a dose|one|two|\w+ doses|doses|yesterday|today|"
    r"this morning)\b|\bi (?:vomited|threw up|was diagnosed|got diagnosed|have cml|have leuk\w*|'ve got cml|have got "
    r"cml)\b|"
    r"\bi'?m (?:on|taking) (?:imatinib|glivec|gleevec|tki|it|the tablets)\b|\bi am (?:on|taking) (?:imatinib|glivec|"
    r"gleevec|tki|it|the tablets)\b|"
    r"\b(?:can|should|do|must|shall) i (?:skip|retake|double|miss|crush|halve|drink|eat|take (?:it|them|my|2|two|"
    r"another|an extra|a double|double)|stop (?:it|them|my|taking)|split (?:it|them|my|the tablets?))\b"
    r"(?!\W+(?:her|his|their|the patient|this patient|the pt|pt|mr|mrs|ms)\b)|"  # "can I halve her …": a clinician
    r"\b(?:stop\w*|quit\w*|come off) (?:it |them |imatinib |the tablets )?(?:on my own|myself)\b"
)
_CREATIVE = _rx(
    r"\b(poems?|poetry|haikus?|limericks?|sonnets?|ballads?|songs?|lyrics|raps?|verses?|odes?|"
    r"(?:short|bedtime|a) stor(?:y|ies)|stor(?:y|ies) (?:for|about|of)|fairy ?tale|fiction\w*|novel|screenplay|"
    r"sketch|skit|essay|acrostic|write (?:me )?(?:a|an) (?:\w+ )?(?:poem|song|story|essay|tweet|blog|"
    r"post|speech|joke|play|riddle|slogan|rhyme))\b"
)
# another kind of task than clinical decision support on imatinib: code, statistics software, translation, prices,
# leisure ("regex to pull the PCR values out of our reports", "translate the leaflet into Polish")
_OTHER_TASK = _rx(
    r"\b(?:regex\w*|regular expressions?|python|pandas|sql|excel formula|vba|macro|javascript|code snippet|snippet|"
    r"script to|r code|r or spss|spss|stata|kaplan[- ]meier|translat\w*|podcasts?|playlists?|recipes?|restaurants?|"
    r"who won|the match|football|cricket|rugby|prices?|pricing|cost per (?:month|year|pack)|business case|"
    r"homecare|home delivery|delivery service|fit(?:ness)? to fly|travel insurance|cpd(?: points)?|revalidation|"
    r"appraisal|study days?|conference (?:fees?|registration)|transplant cent(?:re|er)s?|referral (?:letter|form)s?|"
    r"what (?:goes|to put|should go) in the referral|"
    r"costs? of (?:a|one|the)?\s*(?:month|year|pack|box)|"
    r"rotas?|shift swaps?|rota swaps?|annual leave|study leave|timesheets?|payslips?|parking permits?|"
    r"budget impact|stock price|crossword|wordle|icd-?1[01](?: codes?)?|icd codes?|snomed(?: codes?)?|opcs codes?|"
    r"billing codes?|clinical cod(?:e|es|ing)|passwords?|locked out|log ?in details|it helpdesk|it support|"
    r"wifi password)\b|"
    # a text to work on that is not a question of ours: "summarise this article", "proofread my abstract"
    r"\b(?:summari[sz]e|paraphrase|proof-?read|rewrite|reword|shorten)\s+"
    r"(?:this|that|the attached|my|our|the following)\s+(?:\w+\s+)?"
    r"(?:article|paper|pdf|abstract|text|essay|email|document|doc|letter|paragraph|chapter)\b"
)
# paperwork for someone else to do: "fill in the funding application", "complete the Blueteq form" (after the
# commands: "please complete the funding form for her imatinib" is an order of ours refused)
# what the drug costs: a question of money, whatever dose or time it names ("how much does a year of imatinib
# 400 mg cost us?")
_COST = _rx(
    r"\bhow much (?:does|do|would|will|is|are)\b[^?.]{0,50}\bcosts?\b|\bcosts? (?:the|our|us) (?:trust|hospital|nhs|"
    r"department|service|ccg|icb)\b|\b(?:cheaper|more expensive|less expensive)\b|"
    r"\bformulary (?:submission|application|committee|request)\b"
)
# funding: "is generic imatinib funded by our CCG?", "do we need an IFR?", "the funding application" (after the
# commands, as paperwork is)
_FUNDING = _rx(
    r"\bfunded by\b|\bfunding (?:application|request|form|approval|route|panel)s?\b|\bifrs?\b|\bblueteq\b|"
    r"\bprior auth(?:ori[sz]ation)?\b|\bwholesalers?\b|\bout of stock\b"
)
_PAPERWORK = _rx(
    r"(?:\b(?:can|could|would|will) (?:you|u)\s+(?:please\s+)?|\bplease\s+|\bpls\s+|^\W*|"
    r"\bhelp (?:me |us )?(?:to )?)"
    r"(?:fill (?:in|out)|complete|submit|sort out|write up) (?:the |a |an |my |this |her |his |our )?(?:[\w']+ ){0,3}?"
    r"(?:application|form|paperwork|blueteq|ifr)s?\b"
)
_CHILD_WORD = _rx(
    r"\b(?:paeds?|peds|paediatrics?|pediatrics?|paediatric|pediatric|children's|childrens)\b(?! (?:formulary|"
    r"department|ward)\b(?! (?:dose|pt|patient)))|"
    r"\b(?:a|an|the|this|my|our|one) (?:child|kid|toddler|infant|neonate|newborn|teen|teenager|adolescent|"
    r"schoolgirl|schoolboy)\b|"
    r"^\W*(?:child|kid|toddler|infant|neonate|newborn|teen|teenager|adolescent)\b|"
    r"\b(?:in|for|of) (?:children|kids|toddlers|infants|neonates|teenagers|adolescents)\b|"
    r"\b(?:child|children|kids?|toddlers?|infants?|teenagers?|adolescents?) (?:with|on|taking|who)\b"
)
_AGE = _rx(
    r"(?<![\w./])(\d{1,2})\s*-?\s*(?:yo|y/o|y\.o\.?|yoa|yrs?[- ]old|years?[- ]old|y[- ]old|-year-old)(?![\w])|"
    r"\b(?:aged?|age:)\s*(\d{1,2})\b(?!\s*(?:months?|mo\b|%))|"
    r"(?<![\w./])(\d{1,2})\s*(?:years? of age)\b"
)
# "my patient is 16", "she's 12 and on imatinib": an age without its unit, after the person it is of
_AGE_SUBJECT = _rx(
    r"\b(?:patient|pt|she|he|girl|boy|son|daughter|child|kid)(?:'s| is)\s+(?:only\s+|just\s+|now\s+)?(\d{1,2})"
    r"(?!\d|[.,]\d|[%/])(?!\s*(?:(?:1/2|½|(?:and|&) a half)\s*)?"
    r"(?:%|-?\s*logs?\b|mo\b|mos\b|months?|m\b|weeks?|wks?|days?|d\b|h\b|hours?|hrs?|mg|ng|x\b|times|"
    r"(?:yrs?|years?|y) (?:on|in|into|of|since|post|after)|(?:yrs?|years?|y)\s*\d+\s*(?:mo|mos|months?|m)\b|"
    r"at (?:diagnosis|dx)))"
)
_AGE_AFTER_WORD = _rx(
    r"\b(?:paeds?|paediatric|pediatric|peds|child|kid|teen\w*|adolescent)\b\W+(?:\w+\W+){0,2}?(\d{1,2})\s*y\b"
)
_AGE_SEX = _rx(
    r"(?:^|(?<=[\s(,;]))(\d{1,2})\s?(F|M)(?=[\s,(]+(?:on\b|with\b|cml|CML|ph|Ph|pt\b|patient|newly|dx\b|diagnosed|"
    r"who\b|has\b|had\b|taking|started|\())|^\W*(\d{1,2})\s?(f|F)\b",
    0,
)
_INFANT = _rx(r"(?<![\w.])\d{1,2}\s*-?\s*(?:months?|mo|weeks?|wks?)[- ]old\b|\b(?:toddler|infant|neonate|newborn)s?\b")
# a child the patient has or wants ("father a child", "her kids", "wants children"), or her own childhood
_NOT_A_CHILD = _rx(
    r"\b(?:father|have|has|having|had|want|wants|wanting|wanted|conceive|conceiving|bear|bearing|planning|plan|"
    r"plans|her|his|their|my|our|more|another|no|with|as|when|since|during)\W+(?:(?:a|an|one|two|three|\d+)\W+)?$"
)
_AGE_PAST = _rx(
    r"(?:\b(?:diagnosed|dx|diagnosis|since|when (?:she|he|they) (?:was|were)|started|from|until|as a|at)\W+"
    r"(?:\w+\W+){0,2})$"
)
_ADULT_NOW = _rx(
    r"\b(?:now|currently|today)\s+(?:aged?\s+)?(1[89]|[2-9]\d)\b|(?<![\w.])(1[89]|[2-9]\d)\s*(?:yo|y/o|years? old|"
    r"yrs? old|-year-old)\b|(?<![\w.])(1[89]|[2-9]\d)\s?[MF]\b"
)

# --- commands -------------------------------------------------------------------------------------------------

_PLACE = _rx(
    r"\b(?:on|in|into|onto|to|off|from) (?:the |her |his |their |my |our |a )?(?:system|chart|drug chart|med chart|"
    r"notes|record|records|epr|emr|epma|kardex|prescription chart|rota|ehr|cerner|epic|meditech|file)\b"
)
_LEAD = (
    r"(?:(?:pls|please|plz|kindly|just|now|ok|okay|so|then|also|and|quickly|hey|hi|right|actually|sorry|oh|but|"
    r"can you|could you|"
    r"would you|will you|can u|could u|i need you to|i want you to|i'd like you to|go ahead and|you need to|"
    r"you should|you can)\s*,?\s*)*"
)
# whom or what a command acts on; not the words that make the verb a noun ("email from the lab says …")
_OBJECT = (
    r"(?!(?:from|says|said|reads|read|is|was|were|of|about|back|chain|address|list|came|sent|shows)\b)"
    r"(?:a|an|the|her|him|his|them|their|it|this|that|these|those|my|our|some|me|pt|patient|bed|in|off|up|\w+)"
)
_ROLE = (
    r"(?:the|her|him|them|his|their|a|an|my|our|pt|patient|gp|lab|labs|pharmacy|ward|consultant|reg|registrar|team|"
    r"nurse|nurses|family|mum|dad|husband|wife|daughter|son|dr|doctor|on-?call|haem\w*|clinic|me|back|bed|"
    r"mr|mrs|ms|miss|mx)"
)
_COMMAND_VERB = _rx(
    rf"^{_LEAD}(?:"
    rf"(?:prescribe|dispense|countersign|co-sign|fax|e-?mail|whatsapp|sms|bleep|chase|arrange|notify|"
    rf"forward|upload|submit|issue)\s+{_OBJECT}|"
    r"remind\s+(?!me\b|us\b)(?:the|her|him|them|pharmacy|gp|ward|patient|pt|family|consultant|reg)\b|"
    r"(?:order|request)\s+(?!of\b|for\b)(?:a|an|the|her|him|his|them|some|\w+)\b|"
    r"(?:book|schedule)\s+(?:a|an|the|her|him|them|his|in|pt|patient|(?:mr|mrs|ms|miss|dr)\.?\s+\w+|\w+ (?:in|for))\b|"
    r"(?:cancel|rebook|reschedule|postpone|move)\s+(?:the|her|his|their|tomorrow'?s|today'?s|next|this|that|"
    r"monday'?s|friday'?s)\s+(?:\w+\s+)?(?:trough|level|pcr|appointment|appt|clinic|test|bloods?|sample|review)\b|"
    r"sign\s+(?:off|it|this|the|her|him|for)\b|"
    r"(?:send|post)\s+(?:it|this|that|the|a|an|her|him|them|these|those|my|our|off|over|across|\w+ to)\b|"
    rf"(?:ring|call|phone|page|text|message)\s+{_ROLE}\b|"
    r"(?:update|amend|edit|change|correct)\s+(?:the |her |his |their )?(?:drug |med |medication |prescription |"
    r"electronic |ehr |epr |emr )?(?:chart|notes|record|epr|emr|ehr|epma|kardex|system|prescription|script|"
    r"problem list|allergy list|med list|medication list|drug list|care plan|discharge summary)\b|"
    r"refer\s+(?!to\b)(?:her|him|them|the|this|pt|patient|\w+)\b|"
    # a change to the patient's treatment told, not asked: "stop her imatinib today please" (a question mark
    # with no "please" or "can you" leaves it a question: "reduce his dose to 300?")
    r"(?:stop|hold|withhold|discontinue|suspend|cease|pause|restart|resume|start|increase|reduce|decrease|lower|"
    r"raise|up|drop|cut|switch|halve|double)\s+(?:her|his|their|the patient'?s|pt'?s|(?:mr|mrs|ms|miss)\.?\s+\w+'s)\s+"
    r"(?:imatinib|im|glivec|gleevec|dose|tablets?|meds?|medications?|tki)\b|"
    r"(?:tell|inform)\s+(?!me\b|us\b)(?:the|her|him|them|pharmacy|gp|ward|patient|pt|family|consultant|reg)\b|"
    r"let (?:the |her |his )?(?:pharmacy|gp|ward|patient|pt|family|consultant|team|nurses?) know\b|"
    r"(?:write|draft|generate|prepare|create|produce|type|print|fill (?:in|out)|complete)\s+(?:up\s+)?(?:me\s+|her\s+|"
    r"him\s+)?(?:a|an|the|her|his|my|our|this|that|up)?\s*(?:all\s+(?:of\s+)?(?:this|that|these|it)\s+as\s+(?:an?\s+)?)?(?:\w+\s+){0,3}(?:tto|ttos|letter|letters|script|scripts|"
    r"prescriptions?|rx|discharge|referral|request|forms?|chart|notes?|summary|abstract|email|e-mail|report|order|"
    r"label|gp letter|clinic letter|paper|poster|thesis|dissertation|case report|slides?|presentation)\b"
    r")"
)
_PLACE_VERB = _rx(
    rf"^{_LEAD}(?:add|put|take|enter|record|document|log|note|update|amend|change|edit|up|increase|reduce|decrease|drop|"
    r"lower|raise|switch|stop|hold|restart|cut|make|set|mark|write|chart|code|discontinue|cease|withhold|suspend|pause|"
    rf"start|resume)\b(?<!\bhold)(?<!\btake)|^{_LEAD}(?:hold|take)\b(?!\s+(?:on|a (?:sec|min|moment|look))\b)"
)
_ASKED_ONLY = _rx(r"\?\s*$")
_POLITE = _rx(r"\b(?:can|could|would|will) (?:you|u)\b|\b(?:pls|please|plz|kindly)\b")
_CLAUSES = re.compile(r"[.;!\n]+|(?=\?)|,\s*|\s+-+\s+|:\s+|\b(?:and then|then|and|also)\b")

# --- small talk -----------------------------------------------------------------------------------------------

_TAIL = r"[^\w%<>≤≥=+/#@&$£€]*"  # spaces, punctuation and any emoji
# words that trail small talk and change nothing ("what's your name btw", "be honest")
_TRAIL = r"(?:\W+(?:btw|tbh|though|then|lol|haha\w*|pls|please|mate|folks|all|again|today|anyway))*"
_SMALL_TALK = tuple(
    (name, _rx(rf"^{_TAIL}(?:{pattern}){_TRAIL}{_TAIL}$"))
    for name, pattern in (
        (
            "greeting",
            r"(?:hi|hello|hey|hiya|heya|yo|howdy|hallo|greetings|morning|afternoon|evening|good (?:morning|afternoon|"
            r"evening|day)|hi there|hello there|hey there|gm|morning all|mornin)"
            r"(?:\W+(?:there|all|team|everyone|folks|guys|bot|doc|again|"
            r"both))?(?:\W+(?:how(?:'s| is) it going|how are (?:you|u|things)|how r u|how you doing|hows things|"
            r"you ok|u ok|all good))?|how(?:'s| is) it going|how are (?:you|u)(?: doing| today)?|how r u|sup|wassup|"
            r"what's up|whats up",
        ),
        (
            "social",
            r"how(?:'s| is| was| has) (?:your|ur|the) (?:day|week|weekend|shift|morning|afternoon|evening|night|"
            r"on-?call)(?: going| been| treating you)?|"
            r"(?:any ?one|anybody|who|who'?s) (?:for|fancy|want|wants|up for) (?:a |some )?"
            r"(?:coffee|tea|brew|cuppa|lunch|cake|drinks?|pizza|biscuits?)|"
            r"(?:coffee|tea|lunch|cake|brew) (?:any ?one|anybody)|"
            r"(?:any|got any) (?:nice )?plans for the weekend|(?:have a )?(?:good|nice|great|lovely) "
            r"(?:day|evening|weekend|night|shift)|i wish (?:you|u) a (?:nice|good|great|lovely) "
            r"(?:day|evening|weekend)|what are (?:you|u) up to",
        ),
        (
            "thanks",
            # thanks in the languages of a European or Asian hospital team, with a few words after ("gracias, muy
            # útil", "merci beaucoup")
            r"(?:(?:muchas|mil|mille|tante|molte|vielen|merci)\s+)?"
            r"(?:merci|danke|vielen dank|gracias|grazie|obrigad[oa]|dank je|dank u|bedankt|dziękuję|dziekuje|tack|"
            r"takk|kiitos|arigato|ありがとう\w*|谢谢|謝謝|多谢|спасибо|teşekkür\w*|tesekkur\w*|shukran|toda|köszönöm|"
            r"děkuji|dekuji|mulțumesc|multumesc|ευχαριστώ|efharisto|dhanyavaa?d|धन्यवाद|shukriya|asante|salamat|"
            r"terima kasih|cảm ơn|cam on|gamsahamnida|감사합니다|xie xie|grazas|eskerrik asko|diolch|"
            r"go raibh maith agat)"
            r"(?:\W+[^\W\d_]+){0,4}|"
            r"(?:thanks?|thank you|thankyou|thx|ty|tysm|cheers|ta|many thanks|much appreciated|appreciate it|"
            r"brilliant,? thanks?|great,? thanks?|legend|(?:you(?:'re| are) )?(?:an? )?(?:legend|star|lifesaver|gem)|"
            r"nice one)(?:\W+(?:so much|very much|a lot|again|mate|loads|heaps|all|legend|star|"
            r"for (?:that|this|your help|the help|everything|the info|the answer|the advice)))*"
            r"(?:\W+(?:that|this|it|you)(?:'s| was| is| were| have been| really| very| so)*\W*(?:\w+\W*){0,8})?",
        ),
        (
            "ack",
            r"(?:ok|okay|k|kk|okey|okie|sure|fine|great|cool|nice|perfect|got it|gotcha|noted|understood|roger|"
            r"alright|all right|brilliant|lovely|excellent|awesome|super|makes sense|fair enough|right|good|"
            r"hmm+|hm+|mm+|ah+|(?:(?:ah+|oh+),? )?i see|interesting|"
            r"good stuff|sounds good|will do|no worries|np|ok cool|ok great|ok thanks|great stuff|nice one|"
            r"👍|👌|🙏|✅)(?:\W+(?:ok|okay|great|cool|thanks|thank you|thx|ty|ta|cheers|then|that|got it|will do|"
            r"sounds good|noted|no worries|perfect|nice|that(?:'s| is) (?:exactly |just )?what i (?:needed|wanted|"
            r"was after)))*",
        ),
        (
            "leaving",
            r"(?:bye|goodbye|good bye|bye bye|see (?:you|ya|u)(?: later| soon| tomorrow)?|cya|later|laters|ttyl|brb|"
            r"be right back|gtg|g2g|got to (?:go|run)|gotta (?:go|run|dash|fly)|have to (?:go|run)|"
            r"must (?:go|dash|run)|"
            r"(?:speak|talk|chat|catch (?:you|u|ya)) (?:later|soon|tomorrow|tmrw|next week)|"
            r"signing off|logging off|(?:good )?night|nite|night all|off to \w+|have a (?:good|nice|great) "
            r"(?:day|weekend|evening|night|one))(?:\W+\w+){0,5}",
        ),
        (
            "identity",
            r"(?:who|what) (?:made|built|created|wrote|developed|designed|trained|programmed|owns|runs) (?:you|u|this)|"
            r"who are (?:you|u)(?: exactly| really)?|what are (?:you|u)(?: exactly| really)?|who r u|"
            r"(?:are|r) (?:you|u) (?:a |an )?(?:chatgpt|gpt[\w.-]*|openai|claude|gemini|bard|copilot|siri|alexa|ai|bot|"
            r"robot|human|real|person|real person|machine|computer|llm|language model|(?:actual |real )?(?:doctor|"
            r"clinician|pharmacist|nurse|haematologist|hematologist))(?: or (?:a |an )?(?:ai|bot|"
            r"human|machine|computer|person|real person|robot))?"
            r"(?: or (?:is |are )?(?:there )?(?:someone|somebody|a (?:real )?(?:person|human)|"
            r"an actual (?:person|human))"
            r"(?: actually| really)? (?:typing|there|answering|replying|behind (?:this|it)|reading (?:this|these)))?"
            r"\??(?:\W+(?:be honest|honestly|seriously))?|"
            r"(?:what|which) (?:version|model|llm|ai|engine)(?: are you| are u| is this| do you run| r u)?"
            r"(?: on| running| using)?|"
            r"what(?:'s| is) your (?:name|version|model)|what do (?:you|u) run on|how old are (?:you|u)|"
            r"what can (?:you|u) do|are you any good|"
            r"who (?:are|r) (?:you|u) and who (?:made|built|created|runs|owns|wrote) (?:you|u)|"
            r"(?:are|r) (?:you|u) (?:even|actually|really) (?:allowed|licensed|approved|certified|regulated|"
            r"qualified|validated|ce marked|cleared) to [\w ]{1,30}|"
            # "some kind of CML chatbot?", "just a bot then": what the assistant is, guessed
            r"(?:are (?:you|u) )?(?:just )?(?:some|a|an)?\s?(?:kind|sort|type)? ?(?:of )?(?:[a-z]+ )?"
            r"(?:chat ?bot|bot|robot|ai|llm)(?: or (?:what|something))?",
        ),
        (
            "presence",
            r"(?:are )?(?:you|u) (?:there|still there|awake|alive|around|working|up)|"
            r"anyone (?:there|home|about|around|here|awake|on)|"
            r"hello\?+|still there|is this (?:thing )?(?:on|working)|does this work",
        ),
        ("tester", r"test(?:ing)?(?:\W+(?:\d+|test|testing|one|two|three))*|ping|\d(?:\s+\d){1,4}"),
        (
            "misc",
            r"(?:happy|merry) (?:friday|monday|tuesday|wednesday|thursday|saturday|sunday|weekend|christmas|xmas|"
            r"new year|easter|holidays|birthday|diwali|eid|hanukkah)(?:\W+\w+){0,2}|tgif|"
            r"(?:have a )?(?:good|nice|great) (?:weekend|day|shift|evening)(?:\W+\w+){0,2}|"
            r"(?:lol|haha\w*|lmao|rofl|heh|😂|🤣)+|good bot|bad bot|(?:you(?:'re| are)|ur) (?:great|awesome|brilliant|"
            r"amazing|the best|a star|a legend|smart|clever|useless|rubbish|funny)(?:\W+\w+){0,3}|love (?:you|this)|"
            r"how(?:'s| was) your (?:day|weekend|night)|nm|not much|nothing|never ?mind|nvm",
        ),
        (
            "joke",
            r"(?:tell (?:me|us) a (?:\w+ )?joke|(?:know|got|have) any (?:good )?(?:\w+ )?jokes)"
            r"(?: about(?: \w+){1,3})?|"
            r"(?:what's|whats) the weather(?:\W+\w+){0,3}",
        ),
        (
            "stop",
            r"stop|quit|exit|cancel|abort|forget it|forget that|leave it|enough|that's all|thats all|done|"
            r"i'm done|im done|no more|end|finish",
        ),
        (
            "reset",
            r"(?:new|next|another|different) (?:patient|pt|case)|(?:start|begin) (?:over|again|afresh)"
            r"(?: from (?:scratch|the (?:top|beginning|start)))?|start from scratch|restart|reset|"
            r"clear|from the top|let'?s start again",
        ),
        (
            "wait",
            r"(?:hang|hold) on(?: a (?:sec|second|minute|min|mo|moment))?|wait(?: a (?:sec|second|minute|min|"
            r"moment))?|one (?:sec|second|min|minute|moment)|just a (?:sec|second|min|minute|moment)|"
            r"(?:\d+|a|two|few|couple of?) (?:mins?|minutes?|secs?|seconds?)(?:\W+\w+){0,3}|bear with me|"
            r"give me a (?:sec|second|min|minute|moment)|back in a (?:sec|min|bit|tick)|afk|phone|bleeped|"
            r"getting bleeped|on the phone|(?:the |my )?(?:phone|bleep|pager)(?:'s| is) (?:going|ringing|going off)|"
            r"(?:the )?(?:ward|switchboard|lab) (?:is |are )?(?:calling|ringing)|back in \d+(?: ?mins?)?",
        ),
    )
)
# the parts of a message that are small talk only when the rest is: a remark on the tool, an apology, filler
_TALK_PARTS = (
    (
        "feedback",
        _rx(
            r"^\W*(?:(?:this|the) (?:tool|bot|app|thing|chat|assistant|system|site|page)(?: is|'s| was)? "
            r"(?:so+ |really |very |a bit |bit |super |too |pretty )?(?:slow|laggy|buggy|broken|down|useless|rubbish|"
            r"great|good|helpful|brilliant|handy|confusing|not working|playing up)|"
            r"(?:your|that|the) (?:last |previous )?(?:answer|reply|response)s? (?:was|were|is) (?:\w+ ){0,2}?"
            r"(?:useless|wrong|unhelpful|helpful|great|perfect|spot on|rubbish|good|bad|confusing|brilliant)|"
            r"(?:you(?:'re| are)|ur) getting (?:better|worse|slower|faster)(?: at (?:this|it))?|"
            r"(?:the )?(?:wifi|wi-fi|internet|connection|network|signal) (?:keeps|is|was) (?:dropping|down|bad|slow|"
            r"patchy|playing up|cutting out)(?:\W+\w+){0,3})" + _TRAIL + r"\W*$"
        ),
    ),
    (
        "frustration",
        _rx(
            r"^\W*(?:ugh+|argh+|sigh|come on|for (?:goodness|god\W?s|heaven\W?s|pete\W?s) sake|ffs|"
            r"why (?:do|does|would|should) (?:you|u|it|this) (?:need|want|ask(?: for)?|require|keep asking)"
            r"(?: (?:all|so many|so much|this|that|these|those|every|me|for)\w*)*"
            r"(?: (?:of )?(?:this|that|these|those|questions?|info\w*|details?|stuff|data|things))*|"
            r"(?:so|too) many questions|(?:this is|it\W?s|that\W?s) (?:taking )?(?:too|so|very|really|way too) "
            r"(?:long|slow|many questions|annoying|tedious)|"
            r"i (?:just )?(?:want|need) (?:a |the )?(?:yes or no|simple answer|straight answer|quick answer|answer)|"
            r"(?:just )?(?:give|tell) me (?:a |the )?(?:yes or no|answer|simple answer|straight answer)|"
            r"i (?:don\W?t|do not) have time for (?:this|all this|all these questions)|"
            r"(?:this|it|that)(?: is|\W?s) (?:so |really |totally |completely )?(?:useless|pointless|a waste of time|"
            r"ridiculous|painful|tedious|annoying|taking (?:ages|forever|so long|too long))|"
            r"how many more (?:questions|of these|things)(?: (?:do|will) (?:you|u) (?:need|ask|have))?|"
            r"why (?:so|all these|all the|this many) (?:many )?questions|"
            r"i (?:only |just )?asked (?:you )?(?:a |one )?(?:simple|straightforward|easy|basic|quick) question|"
            r"(?:that\W?s|that is|this is) not what i asked|you(?:\W?re| are) not (?:listening|helping|getting it))\W*$"
        ),
    ),
    (
        "busy",  # the writer's time: "I've got clinic in 5", "MDT starts in 10 mins"
        _rx(
            r"^\W*(?:(?:i'?ve|i have|i'?m|i am|we'?ve) (?:got |in )?(?:a |my |the )?(?:clinic|ward round|mdt|meeting|"
            r"theatre|list|handover)(?: (?:in|at|starting in) \d+(?: ?(?:mins?|minutes|pm|am))?| soon| now| starting)?|"
            r"(?:clinic|mdt|ward round|handover|the meeting) (?:starts|is|begins) (?:in \d+(?: ?(?:mins?|minutes))?|"
            r"soon|now))\W*$"
        ),
    ),
    (
        "preamble",  # what the writer has come with: "got a couple of CML patients to run past you"
        _rx(
            r"^\W*(?:i'?ve |i have |we'?ve |we have )?got (?:a |an )?(?:couple|few|bunch|number|list|handful)(?: of)? "
            r"(?:\w+ ){0,2}(?:patients|pts|cases|questions|queries|ones)(?: (?:to|for|i want to|i'?d like to) "
            r"(?:run|go|talk|ask|check)\w*(?: (?:past|by|through|over|about|with)){0,2}(?: (?:you|u))?)?"
            r"(?: for (?:you|u))?(?: today)?(?: (?:once|when|after|later) [\w ']{1,30})?\W*$"
        ),
    ),
    (
        "apology",
        _rx(
            r"^\W*(?:(?:sorry|soz|apologies|my bad|oops|whoops)(?:\W+(?:wrong (?:chat|window|thread|channel|tab|"
            r"person)|about that|for that|my mistake|ignore (?:that|me|this)))*|wrong (?:chat|window|thread|channel|"
            r"tab)|ignore (?:that|me|this)|my mistake|if i send things twice)\W*$"
        ),
    ),
    (
        "filler",
        _rx(
            r"^\W*(?:btw|tbh|by the way|be honest|honestly|seriously|anyway|so|then|all|team|everyone|folks|"
            r"it'?s been a (?:long|busy|rough|tough|hard|mad) (?:week|day|shift|night|morning)|"
            r"first time (?:using|trying|on) (?:this|you|it|here)|just (?:saying|checking|wondering)(?: hi| hello)?|"
            r"uh+m*|er+m*|oh|"
            # what the writer is doing meanwhile: "checking the chart", "let me pull up her results"
            r"(?:i\W?m |just |let me |lemme |(?:i )?(?:need|have|got) to |gotta )?"
            r"(?:check|checking|look|looking|pull|pulling|find|finding|get|getting|dig|"
            r"digging|open|opening)(?: (?:up|out|at|for|in|through))? (?:the |her |his |my |their )?(?:notes|chart|"
            r"results?|records?|ehr|epr|letters?|file|report|labs?|bloods|system)|"
            # what the writer will do with the answer: "will take it to MDT", "I'll run it past the consultant"
            r"(?:i'?ll|i will|will|gonna|going to) (?:take|bring|raise|discuss|run|mention|pass|feed) (?:it|this|that|"
            r"these)(?: back)? (?:to|at|with|past|by|on to|onto) (?:the |our |my )?(?:mdt|team|consultant|boss|"
            r"meeting|clinic|board|registrar|reg|pharmacist|nurses?))\W*$"
        ),
    ),
    (
        "intro",  # who the writer is, with a greeting: "hello, I'm the new CML nurse in clinic 3, just saying hi"
        _rx(
            r"^\W*(?:i'?m|i am|this is|it'?s) (?:the |a |your )?(?:new |locum |visiting |covering |duty )?(?:cml |"
            r"haem(?:atology)? |clinical |specialist |oncology |ward )?(?:nurse|pharmacist|registrar|reg|fellow|"
            r"consultant|doctor|sho|fy[12]|resident|intern|student)(?: (?:in|on|at|from|for) (?:clinic|ward|bay|team|"
            r"the)[\w ]{0,20})?\W*$"
        ),
    ),
)
_WRONG_CHAT = _rx(
    r"^\W*(?:(?:sorry|soz|oops|whoops|ah|argh)\W+)*wrong (?:chat|window|thread|channel|tab|group|person|bot)\b"
)
_PARTS = re.compile(r"[.!?;,]+\s*|\s+-\s+|\s*\n\s*")


_LEADING_ACK = _rx(
    r"^\W*(?:ok|okay|k|right|alright|sure|fine|cool|great|thanks|thank you|cheers|well|ugh+|argh+|oh|ah|hmm+)\W+"
    r"(?P<rest>.+)$"  # (never "yes" or "no": in a form they answer)
)


def _talk_name(part: str) -> Optional[str]:
    name = next((n for n, pattern in _SMALL_TALK if pattern.match(part)), None)
    return name or next((n for n, pattern in _TALK_PARTS if pattern.match(part)), None)


def _small_talk_parts(low: str) -> Optional[str]:
    """ "hello? anyone there", "ok will do, speak later", "this tool is sooo slow today": small talk when every part
    of the message is, named by its first part that is not filler."""
    parts = [p for p in _PARTS.split(low) if re.search(r"[^\W_]", p)]
    if len(parts) < 1:
        return None
    names = []
    for part in parts:
        name = _talk_name(part)
        lead = None if name else _LEADING_ACK.match(part)
        if lead:  # "ok bye", "ugh how many more questions", "ok stop": an acknowledgement or a sigh, then the rest
            name = _talk_name(lead.group("rest"))
        if name is None or re.search(r"\d", part) and name not in _NUMBERED_TALK:
            return None
        names.append(name)
    quiet = ("filler", "intro", "busy", "preamble")  # parts that name no small talk of their own
    return next((n for n in names if n not in quiet), "greeting" if {"intro", "preamble"} & set(names) else None)


_LAUGH = _rx(r"\b(?:lol|haha\w*|lmao|rofl)\b|😂|🤣|😆")
_BANTER = _rx(
    r"\b(?:better|smarter|faster|quicker|nicer|cleverer|more useful) than (?:our|my|the|a|any|most) \w+|"
    r"\b(?:you(?:'re| are)|ur) (?:a )?(?:star|legend|lifesaver|genius|better)\b"
)


# --- reading --------------------------------------------------------------------------------------------------


def names_the_domain(text: str) -> bool:
    """Whether the message names imatinib, CML or the words of their monitoring and dosing (positive evidence)."""
    raw = _resolve_im(_clean(text))
    low = raw.lower()
    canon = canonical(raw)
    return _imatinib_or_cml(low, canon) or _ours(raw, low, canon, _foreign_owners(low))


def _imatinib_or_cml(low: str, canon: str) -> bool:
    """Whether the message names imatinib, CML, their markers or their responses (an anchor)."""
    return bool(_ANCHOR.search(low) or _ANCHOR.search(canon) or _MUTATION.search(low))


# another field's name: an abbreviation that is not ours ("UTI", "eGFR", "CAP"), or a choice between two names that
# are not ours ("cefalexin or nitrofurantoin")
_ABBREVIATION = re.compile(r"(?<![\w-])([A-Z][A-Z0-9]{1,5}|[a-z][A-Z]{2,5})(?![\w-])")
_FOR_ANOTHER = re.compile(r"\bfor (?:an? |the )?([A-Z]{2,6})(?![\w-])")
_ALTERNATIVES = _rx(r"\b([a-z][a-z-]{3,}) (?:or|vs|versus|and) ([a-z][a-z-]{3,})\b")


# an infection or its organism, by the form of the word rather than a list: "klebsiella", "enterococci",
# "pseudomonas", "cmv reactivation", "blood cultures, which abx"
_INFECTION = _rx(
    r"\b(?:[a-z]{4,}(?:coccus|cocci|bacter|bacteria|monas|bacillus|myces|ella|virus|viruses)|infect\w*|sepsis|septic|"
    r"bacter\w*|viral|fungal|cultures?|abx|antibiotics?|antifungals?|antivirals?|reactivation|pneumonia|uti|"
    r"cellulitis|cmv|ebv|hsv|vzv|hiv|mrsa|vre|esbl|c\.? ?diff\w*)\b"
)


def _names_another_field(raw: str, low: str) -> bool:
    if _DRUG_STEM.search(low) or _INFECTION.search(low):
        return True
    if any(_unknown(m.group(1)) and not _ANCHOR.fullmatch(m.group(1).lower()) for m in _ABBREVIATION.finditer(raw)):
        return True
    return any(_unknown(a) and _unknown(b) for a, b in _ALTERNATIVES.findall(low))


def _unknown(token: str) -> bool:
    """A word that is neither English of the FAQ nor clinical shorthand of ours (a drug's or a test's name)."""
    w = token.strip("'-+.").lower()
    if not w or re.fullmatch(  # a number, a range ("1-2") or a number with its unit: no name
        r"\d+(?:[.,]\d+)?(?:[-\u2013/]\d+(?:[.,]\d+)?)?(?:h|hr|hrs|m|mo|mos|d|w|wk|wks|y|yr|yrs|mg|ml|x|s|th|st|nd|rd|pm|am)?",
        w,
    ):
        return False
    if (
        w in KNOWN_WORDS
        or (w.endswith("s") and w[:-1] in KNOWN_WORDS)
        or _ANCHOR.fullmatch(w)
        or _MUTATION.fullmatch(w)
    ):
        return False
    if re.search(r"(?:ly|ed|ing|ness|ment|tion|ity)$", w) and not _DRUG_STEM.fullmatch(w):
        return False  # an ordinary word ("already", "reduced", "hovering"), not a name
    parts = [x for x in re.split(r"[-/]", w) if len(x) > 1]
    return not any(x in KNOWN_WORDS for x in parts)


def _foreign_owners(low: str) -> List[Tuple[int, int]]:
    """The spans where a word that is not ours owns a level, a dose or an amount ("vori trough", "dose of
    teicoplanin", "phenytoin 8 mg/L")."""
    spans = []
    for pattern in (_OWNER, _OWNER_OF, _OWNER_AMOUNT):
        for m in pattern.finditer(low):
            words = m.group(1).split()
            while words and words[0] in _FUNCTION:
                words = words[1:]
            if words and words[-1] not in _FUNCTION and any(_unknown(w) for w in words):
                spans.append(m.span())
    return spans


# the words of any drug's dosing and monitoring: no evidence of imatinib beside another drug's name ("loading dose of
# vancomycin … and what trough to aim for?")
_ANY_DRUGS = _rx(
    r"(?:troughs?|trough (?:levels?|targets?|concentrations?)|levels?|doses?|dosing|loading dose|target|"
    r"therapeutic drug monitoring|tdm|steady state|half-?life|cmin|c0|pharmacokinetics?|pk)"
)


# another drug given with the one asked about: an interaction, ours ("trough target with fluconazole co-prescribed?")
_WITH_ANOTHER = _rx(r"\b(?:co-?prescri\w*|co-?administ\w*|interact\w*|inhibit\w*|induc\w*|alongside|together with)\b")


def _drug_dosing(low: str, owned: List[Tuple[int, int]]) -> bool:
    """Another drug, named by the stem of its name, owns a word of dosing ("loading dose of vancomycin", "amikacin
    once daily"); not a CML TKI (another TKI's dosing is said to be uncovered) nor a drug only started ("started
    clarithromycin, trough?": an interaction with imatinib)."""
    for m in _DRUG_STEM.finditer(low):
        if re.fullmatch(rf"(?:{_CML_TKIS}|imatinib)", m.group(0)):
            continue
        drug = re.escape(m.group(0))
        dosing = (
            rf"\b(?:dose|dosing|level|trough|target)\s+(?:of|for|with)\s+(?:\w+\s+)?{drug}\b|"
            rf"\b{drug}\s+(?:dose|dosing|level|trough|once daily|od|bd|q\d+h)\b"
        )
        if any(a <= m.start() < b for a, b in owned) or re.search(dosing, low):
            return True
    return False


def _ours(raw: str, low: str, canon: str, owned: List[Tuple[int, int]], fields: FrozenSet[str] = frozenset()) -> bool:
    """Words of imatinib's monitoring or dosing (from the FAQ and a few anchors: "trough", "PCR", "escalation",
    "% IS", "0.1 %"), outside what another drug owns ("vori trough") and, beside another drug's name, other than
    the words of any drug's dosing when no value of ours is given."""
    generic_only = _drug_dosing(low, owned) and not _WITH_ANOTHER.search(low) and not fields - _WEAK_VALUES
    for m in _DOMAIN.finditer(low):
        if not any(a <= m.start() < b for a, b in owned) and not (generic_only and _ANY_DRUGS.fullmatch(m.group(0))):
            return True
    if not owned and any(not (generic_only and _ANY_DRUGS.fullmatch(m.group(0))) for m in _DOMAIN.finditer(canon)):
        return True
    return bool(_IS.search(raw) or _LEVEL_PCT.search(low))


def _foreign_measure(low: str) -> bool:
    """A value of a test or a unit that is not ours ("HbA1c 58", "PSA 6.2", "40 mmol", "4.5 g q8h")."""
    return bool(_FOREIGN_UNIT.search(low)) or any(_unknown(m.group(1)) for m in _MEASURE.finditer(low))


def _not_past(text: str, start: int, end: int) -> bool:
    return not (_PAST_BEFORE.search(text[max(0, start - 40) : start]) or _PAST_AFTER.search(text[end : end + 40]))


# a disease named as such ("Lyme disease", "Crohn's disease", "Cushing syndrome"), not a state of CML ("residual
# disease", "progressive disease"): with nothing of imatinib or CML, another field's
_NAMED_DISEASE = _rx(
    r"\b(?!(?:residual|minimal|measurable|molecular|progressive|stable|advanced|active|detectable|"
    r"undetectable|the|this|that|of|her|his|their|your|my|any|no|chronic|phase)\b)[a-z]{3,}(?:'s)? "
    r"(?:disease|syndrome|fever)\b"
)


# "carbamazepine for his seizures": the indication of a treatment, not an event now
_INDICATION_BEFORE = _rx(r"\bfor (?:his |her |their |the |a |known |chronic )?$")


def _emergency(low: str) -> bool:
    for m in _EMERGENCY.finditer(low):
        if _not_past(low, m.start(), m.end()) and not _INDICATION_BEFORE.search(
            low[max(0, m.start() - 20) : m.start()]
        ):
            return True
    for m in _PRESENTING_EMERGENCY.finditer(low):
        before, after = low[max(0, m.start() - 30) : m.start()], low[m.end() : m.end() + 40]
        if not (_AS_A_TOPIC.search(before) or _TOPIC_OR_PAST_AFTER.match(after)) and _not_past(low, m.start(), m.end()):
            return True
    for pattern, limit in ((_GCS, 12), (_BP, 89), (_SATS, 88)):
        for m in pattern.finditer(low):
            if int(m.group(1)) <= limit and _not_past(low, m.start(), m.end()):
                return True
    return any(float(m.group(1).replace(",", ".")) >= 6.5 for m in _POTASSIUM.finditer(low))


# records that are evidence of adherence, told by a pharmacist or a nurse ("refill records for Mr D show 10 packs")
_ADHERENCE_RECORDS_BEFORE = _rx(r"\b(?:refill|pharmacy|dispensing|collection|prescribing|prescription|mems)\s+$")
# a patient named by a title: a clinician's own patient, told in the third person, not a records request
_THIRD_PERSON = _rx(r"\b(?:she|he|her|his|him|pt|the patient|this patient)\b|\b(?:mr|mrs|ms|miss)\.?\s+[a-z]")
# records told as the evidence they give ("refill records for Mr D show 10 packs"), not asked for
_RECORDS_TOLD_AFTER = _rx(
    r"^.{0,30}?\b(?:show|shows|showed|say|says|said|suggest\w*|indicate\w*|confirm\w*)\b|^[^?]{0,20}?:\s*[0-9~]"
)


def _identifiers(low: str) -> bool:
    for m in _IDENTIFIER.finditer(low):
        if _GIVEN_ID.match(low[m.end() : m.end() + 6]):
            continue  # "MRN 1234567, PCR …": given, not asked for
        if _ADHERENCE_RECORDS_BEFORE.search(low[max(0, m.start() - 14) : m.start()]) and _RECORDS_TOLD_AFTER.match(
            low[m.end() : m.end() + 40]
        ):
            continue  # "refill records for Mr D show …": the evidence of adherence, not a record asked for
        if _WRITER_FETCHES.search(low[max(0, m.start() - 24) : m.start()]):
            continue  # "one sec, let me pull up the letter": the writer fetches it, nothing is asked
        if _IDENTIFIER_ASKED.search(low):
            return True
    return False


_WRITER_FETCHES = _rx(r"\b(?:let me|lemme|i'?ll|i will|i need to|i have to|gotta|i'?m (?:going to|gonna))\s+$")


_CLINICIANS_WORDS = _rx(r"\b(?:pcr|mmr|mr ?4(?:[.,]5)?|grade|gr\s?\d|bcr-?abl1?|trough|ctcae|ng/ml|% ?is)\b")


def _layperson(low: str) -> bool:
    """A patient or a relative about their own tablets. "can I halve?" at the end of a case told of "her" is the
    clinician's question about the patient's dose."""
    third_person = _THIRD_PERSON.search(low) is not None and re.search(r"[0-9]", low) is not None  # a case told
    # or told in a clinician's shorthand, nothing of it "my": "imatinib 400 mg, 2 years, PCR 0.06 %, MMR … halve?"
    shorthand = (
        len(re.findall(r"\d+", low)) >= 2
        and _CLINICIANS_WORDS.search(low)
        and not re.search(r"\b(?:my|me|i'?m|i am|i'?ve|i have)\b", low)
    )
    for m in _LAYPERSON.finditer(low):
        clinicians = shorthand and re.match(r"(?:can|should|do|must|shall) i (?:halve|double)\b", m.group(0))
        if (third_person or clinicians) and re.match(r"(?:can|should|do|must|shall) i\b", m.group(0)):
            continue
        return True
    return False


_NOTE_HEADING = _rx(
    r"(?:tel(?:ephone)?|phone|virtual|nurse(?:-led)?(?: phone)?) (?:clinic|review|call|f/?u)"
    r"(?: \d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?)?|"
    r"(?:bleep|pager|page|ext|extension)\.? ?#?\d{3,6}"  # who sent it: "bleep 4471: CML pt, IM 600 …"
)
_HEADING_AFTER = _rx(r"\s*(?:[:\-\u2013(,]|\d|$)")


def _command(low: str) -> bool:
    """An instruction to act: a command verb that opens a clause ("order a KD screen", "can you ring the lab"), or a
    change to the record ("up his IM to 600 on the system"). A bare imperative asked as a question ("order a
    trough?") is a question, unless it is addressed to the assistant ("can you …", "please …")."""
    placed = bool(_PLACE.search(low))
    polite = bool(_POLITE.search(low))
    at = 0
    for clause in _CLAUSES.split(low):
        start = low.find(clause, at)
        at = start + len(clause)
        clause = clause.strip()
        if not clause or _NOTE_HEADING.fullmatch(clause) and _HEADING_AFTER.match(low, at):
            continue  # the heading of a note: "Phone clinic: pt …", "Tel clinic 05/12 - …"
        if _COMMAND_VERB.search(clause) or (placed and _PLACE_VERB.search(clause)):
            asked = "?" in low[at : at + 3]
            if asked and not polite and not placed:
                continue
            return True
    return False


_NUMBER_WORDS = {
    w: n
    for n, w in enumerate(
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
        "eighteen nineteen".split(),
        start=1,
    )
}
_AGE_IN_WORDS = _rx(rf"\b(?:{'|'.join(_NUMBER_WORDS)})(?=\s*-?\s*(?:yo|y/o|yrs?[- ]old|years?[- ]old|year-old)\b)")
_RELATIVE_AFTER = _rx(r"^\W*(?:son|daughter|grand\w*|nephew|niece|sibling|brother|sister|at home|kids?|children)\b")


_PATIENT_AFTER = _rx(r"\s+(?:patient|pt|cml patient)\b")


def _child(raw: str, low: str) -> bool:
    """A child (under 18) named by age or by word. Not a child: one the patient has or wants ("her 5 year old",
    "father a child"), the patient's own past ("diagnosed at 15", "as a teenager"), an age beside the adult's own
    ("now 31")."""

    def of_the_patient(start: int, end: int, text: str = low) -> bool:
        before = text[max(0, start - 30) : start].lower()
        if _PATIENT_AFTER.match(text, end):
            return True  # "my 9 year old patient": the age of the patient, whoever's patient
        return not (_NOT_A_CHILD.search(before) or _RELATIVE_AFTER.search(text[end : end + 20].lower()))

    if any(of_the_patient(*m.span()) for p in (_CHILD_WORD, _INFANT) for m in p.finditer(low)):
        return True
    if _ADULT_NOW.search(low):
        return False
    said = _AGE_IN_WORDS.sub(lambda w: str(_NUMBER_WORDS[w.group(0)]), low)  # "a seventeen-year-old": 17
    ages = [(m, int(next(g for g in m.groups() if g)), said) for p in (_AGE, _AGE_AFTER_WORD) for m in p.finditer(said)]
    ages += [(m, int(m.group(1) or m.group(3)), raw) for m in _AGE_SEX.finditer(raw)]
    if any(int(m.group(1)) < 18 for m in _AGE_SUBJECT.finditer(low)):
        return True  # "my patient is 16": the subject is named with the age
    return any(
        age < 18
        and of_the_patient(*m.span(), text)
        and not _AGE_PAST.search(text[max(0, m.start() - 30) : m.start()].lower())
        for m, age, text in ages
    )


# a very short question of the FAQ's own generic words ("what's the cut off", "how often"): the FAQ asks which
_SHORT_DOMAIN_QUESTION = _rx(
    r"^\W*(?:what'?s |what is |and )?(?:the )?(?:cut[- ]?off|threshold|target|how often|how long|which one|"
    r"interval|frequency|timing|when to (?:test|check|draw|repeat))\W*$"
)
# an assessment asked for in a few words ("work up please", "assess pls", "interpret a level")
_TASK_ALONE = _rx(
    r"^\W*(?:can you |could you |pls |please )?(?:work[- ]?up|assess\w*|interpret\w*|evaluate|review|check)\b"
    r"(?:\W+(?:a|an|the|my|this|her|his|pt|patient|case|response|trough|level|levels|pcr|please|pls|dose|"
    r"reduction|mutation|it|one|for me)){0,4}\W*$"
)
_A_PATIENT_AT_HAND = _rx(r"\b(?:my|our|this|the) (?:patient|pt|lady|man|woman|gentleman)\b")
# a follow-up about the answer on screen: the rules and sources behind it
_FOLLOW_UP = _rx(
    r"^\W*(?:why|how come|and why|sources?|references?|refs|citations?|explain(?: (?:that|this|why|it))?|"
    r"show (?:me )?(?:the )?(?:sources|rules|references|reasoning)|what rules?(?: applied| were applied| fired)?)\W*$"
)
_ABOUT_THE_ANSWER = _rx(
    r"\b(?:rationale|reasoning|reason for (?:that|this|it)|why (?:is|was|did) (?:that|this|it|you)|explain how|"
    r"references?|sources?|citations?|cite|(?:the )?note(?: version)?|copy (?:as )?(?:a )?note)\b"
)
_TO_THE_ASSISTANT = _rx(
    r"\bwhat (?:are|r) (?:you|u)(?: for)?\b|"
    r"\b(?:which|what) (?:(?:sorts?|kinds?|types?) of )?(?:assessments?|things|topics|questions|stuff|cases) "
    r"(?:can|do|could) (?:you|u)\b|"
    r"\bhow (?:do|am|are|should) (?:i|we) (?:supposed to |meant to )?use (?:you|u|this)\b|"
    r"\bwhat (?:can|do) (?:you|u) (?:actually |really |even )?(?:do|help (?:me |us )?with)\b|"
    r"\bwhat do (?:you|u) (?:cover|know)\b|\blist of what (?:you|u) do\b|"
    # who it is: "who am I talking to?", "are you a real pharmacist?", "is this a bot"
    r"\bwho (?:am i|are we) (?:talking|speaking|chatting) (?:to|with)\b|\bare (?:you|u) (?:a |an )?(?:real|human|bot|"
    r"robot|person|ai|machine|actual)\b|\bis this (?:a )?(?:bot|human|real person|ai)\b"
)
_HELP = _rx(r"^\W*(?:help(?: me)?(?: please| pls)?|what can (?:you|u) do|what do you do|how do i use (?:this|you))\W*$")
# another drug's dose asked beside imatinib named only as what the patient takes ("…, she is on imatinib")
# the dose or level of another CML TKI a patient is on ("on ponatinib 45", "bosutinib 400, gr 3 diarrhoea",
# "nilotinib level 1200"), not one proposed ("switch to nilotinib 300 bd?") nor a question about its dosing
# ("nilotinib 300 or 400 bd?": the sources do not cover it, knowledge/uncovered.py)
_ANOTHER_TKI_OWNS = _rx(
    rf"\bon\s+(?:\w+\s+)?(?:{_CML_TKIS})\s+(?:at\s+)?\d+(?:[.,]\d+)?(?!\d|\s*(?:st|nd|rd|th|l)\b|\s*-?\s*line)|"
    rf"\b(?:{_CML_TKIS})\s+\d+(?:\s*mg)?(?:\s*(?:od|bd|bid|daily))?\s*[,;]|"
    rf"\b(?:{_CML_TKIS})\s+(?:level|trough|cmin|c0)\s*(?:of|was|is|=|:)?\s*\d|"
    rf"\b(?:level|trough|cmin) (?:of|on) (?:{_CML_TKIS})\s*(?:was|is|=|:)?\s*\d"
)
# another CML TKI's toxicity to manage, imatinib not named
_ANOTHER_TKI_MANAGED = _rx(
    rf"\b(?:{_CML_TKIS})\b[^.;?]{{0,30}}?\b(?:pleural effusions?|effusions?|toxicit\w*|side[- ]effects?|"
    r"pancreatitis|qtc prolongation|pulmonary hypertension)\b|"
    rf"\bmanag\w* (?:a |an |the |her |his )?(?:{_CML_TKIS})\b|"
    # "how do I manage blood pressure in someone on ponatinib"
    rf"\bmanag\w* [^.;?]{{0,40}}\b(?:in|for) (?:someone|somebody|a patient|patients|a pt|pts|people|him|her) "
    rf"(?:on|taking) (?:{_CML_TKIS})\b"
)
_PROPOSED_BEFORE = _rx(
    r"\b(?:to|or|vs|versus|start\w*|consider\w*|try|trial|prefer\w*|with|than|then|was on|were on|previous\w*|"
    r"prior|failed|had|after|intoleran\w*)\W+$"
)
_ANOTHER_DRUG_ASKED = _rx(r"\b(?:doses?|dosing|how much|mg/kg)\b")
_IMATINIB_ASKED = _rx(
    r"\b(?:imatinib|glivec|gleevec|im|tki)(?:'s)?\s+(?:dose|dosing|level|trough)|\b(?:dose|level|trough) of "
    r"(?:imatinib|glivec|gleevec|the tki)\b|\b(?:interact\w*|together|with imatinib|cyp3a4)\b"
)
_DRUG_DOSE = _rx(
    r"\b([a-z]{4,})\s+(?:dose|dosing|doses)\b|\b(?:dose|dosing|doses) (?:of|for) ([a-z]{4,})\b|"
    r"\bhow (?:do|should|would|to) (?:(?:you|we|i) )?dose ([a-z]{4,})\b|"  # "how do you dose hydroxyurea"
    # "hydroxycarbamide starting dose", "allopurinol loading dose"
    r"\b([a-z]{4,}(?<!ing)(?<!ed)(?<!ly))\s+(?:starting|loading|initial|usual|maximum|max|typical|standard|"
    r"maintenance)\s+doses?\b"
)


def names_imatinib(text: str) -> bool:
    """Does the message name imatinib (its brand names, or "IM" read as imatinib, never as "I'm")?"""
    return _imatinib_named(_resolve_im(_clean(text or "")).lower())


def _imatinib_named(low: str) -> bool:
    return re.search(rf"\b(?:{_IMATINIB})", low) is not None


def _another_tki_owns(low: str) -> bool:
    """Another CML TKI owns a dose or a level of the message and imatinib is not named."""
    if _imatinib_named(low):
        return False
    return any(
        not _PROPOSED_BEFORE.search(low[max(0, m.start() - 24) : m.start()]) for m in _ANOTHER_TKI_OWNS.finditer(low)
    )


def _drug_owner(low: str) -> bool:
    """Another drug, by its name's stem, owns the dose asked ("doxycycline dose", "dose of prednisolone"); or by
    the grammar, whatever its name ("how should we dose allopurinol")."""
    for m in _DRUG_DOSE.finditer(low):
        dosed = m.group(3)
        if dosed and not _ANCHOR.fullmatch(dosed) and dosed not in _NOT_A_DRUG:
            return True
        if any(w and _DRUG_STEM.fullmatch(w) and not _ANCHOR.fullmatch(w) for w in (*m.groups()[:2], m.group(4))):
            return True
    return False


_NOT_A_DRUG = frozenset(
    {"this", "that", "them", "patients", "people", "someone", "elderly", "children", "kids", "escalate", "reduce",
     "adjust", "increase", "decrease", "modify", "titrate", "change", "lower", "raise", "reduction", "escalation",
     "adjustment", "intensify", "deescalate", "de-escalate", "halve", "double", "split", "round", "what", "which",
     "their", "your", "whose", "usual", "typical", "standard", "normal", "recommended", "correct", "right", "same",
     "full", "half", "reduced", "higher", "proper", "initial", "starting"}
)  # fmt: skip


# "testing 1 2 3", "2 mins", "happy 2027", "gpt-4", "clinic in 5"
_NUMBERED_TALK = ("tester", "wait", "misc", "identity", "intro", "busy")


def _small_talk(low: str, values: Mapping[str, Any], anchored: bool) -> Optional[str]:
    """The class of a message that is small talk as a whole; a greeting or thanks that gives a value is not."""
    if values:
        return None
    numbered = bool(re.search(r"\d", low))
    for name, pattern in _SMALL_TALK:
        if pattern.match(low) and (name in _NUMBERED_TALK or not numbered):
            return name
    if not anchored and "?" not in low and (_LAUGH.search(low) or _BANTER.search(low)):
        return "joke"
    return _small_talk_parts(low)


# an answer that the value is not known, anywhere in the message: the forms' own words (UNKNOWN_WORDS, said as a
# whole answer) and the hedges said around them ("not sure tbh", "can't remember")
_UNSURE = _rx(
    r"(?<![\w/])(?:"
    + "|".join(re.escape(w) for w in sorted(UNKNOWN_WORDS, key=len, reverse=True))
    + r"|not sure|dunno|can'?t (?:remember|recall|say)|cannot (?:remember|recall|say)|not (?:documented|recorded))"
    r"(?![\w/])"
)
# words of a patient or of taking a medicine: "he is doing well otherwise", "doesn't take it at weekends"
_ABOUT_A_PATIENT = _rx(
    r"\b(?:she|he|her|him|his|hers|she's|he's|they|them|pt|patient|tak(?:e|es|ing|en)|took|tablets?|pills?|"
    r"doses?|miss(?:es|ed|ing)?|skip(?:s|ped|ping)?|forg[eo]ts?)\b"
)
_QUESTION_START = _rx(r"^\W*(?:what|which|who|why|how|when|where|is|are|does|do|can|could|should|would|will|any)\b")


def _chatter(raw: str, low: str) -> bool:
    """Talk about the day, the tool or the weather: three words or more, no number, that name nothing of imatinib,
    CML, a patient or a medicine, ask nothing, and answer none of the forms' questions (never "dunno", "no side
    effects", "takes them all", "ok, she's on 300 now")."""
    if len(re.findall(r"[^\W\d_]+", low)) < 3 or "?" in low or re.search(r"\d", low) or _QUESTION_START.match(low):
        return False
    if _UNSURE.search(low) or _ABOUT_A_PATIENT.search(low) or _DRUG_STEM.search(low):
        return False
    for field in _ANSWER_FIELDS:  # the forms' answers grammar, read only when nothing else decided
        try:
            answer(field, raw)
        except NormalizationError as exc:
            if exc.ask:
                return False  # an answer to ask about is an answer
            continue
        return False
    return True


# the fields a form asks for in words (numbers were ruled out before: a message with a value is no chatter)
_ANSWER_FIELDS = (
    "adherence_pct", "ae_grade", "mutations", "phase", "goal", "prior_tki_failure", "drug_interaction_concern",
    "response_confirmed", "ddpcr_mr45", "on_reduced_dose", "dosing", "response_status",
)  # fmt: skip


# values that any drug's message may give ("bd", "3h", "grade 2", a co-medication): no evidence by themselves
# ("first line" is any disease's first treatment: no evidence of a prior TKI's failure without a TKI)
# chemotherapy and transplant, named by their regimens and words: not imatinib's dosing
_CHEMOTHERAPY = _rx(
    r"\b(?:induction (?:regimen|chemo\w*)|(?:intensive|induction|consolidation|salvage) chemo\w*|"
    r"flag-?ida|7\s*\+\s*3|hyper-?cvad|daunorubicin|cytarabine|idarubicin|conditioning regimen)\b"
)

_A_DOSE_ASKED = _rx(r"(?<![\d.,])[1-8]00(?![\d.,])")  # "TKI + 7+3 for myeloid BC, 400 or 600?": imatinib's dose


def _chemotherapy(low: str) -> bool:
    """Chemotherapy asked about now, not told as history ("History of 7+3 for AML 10 yrs ago, now CML-CP")."""
    return any(
        not (_PAST_BEFORE.search(low[max(0, m.start() - 40) : m.start()]) or _PAST_AFTER.match(low[m.end() :]))
        for m in _CHEMOTHERAPY.finditer(low)
    )


_WEAK_VALUES = {
    "dosing", "hours_since_dose", "ae_grade", "drug_interaction_concern", "percent", "phase", "prior_tki_failure",
}  # fmt: skip


# complexity: the refusal classes in their order of precedence, emergency first: a flat list reads best
def classify(text: str, values: Mapping[str, Any] = {}) -> Optional[Scope]:  # noqa: C901, B006 (the values are read only; the reason for C901 is above)
    """(kind, class) for a message the assistant must refuse or redirect, else None (in scope).

    kind: "out_of_scope" | "command" | "small_talk". ``values`` are the patient values already read from the message,
    keyed by field name (``reading.reader.read_values``); only their names are used."""
    raw = _resolve_im(_clean(text))
    if not re.search(r"[^\W\d_]", raw):
        if raw and not re.search(r"\d", raw) and re.search(r"[^\w\s?.,!:;()-]", raw):
            return ("small_talk", "ack")  # "👍", "🙏"
        return None  # a number, or nothing: an answer at most
    letters = [c for c in raw if c.isalpha()]
    if len(letters) > 12 and sum(c.isupper() for c in letters) > 0.7 * len(letters):
        raw = _resolve_im(_clean(text).lower())  # written in capitals: no word is an abbreviation by its case
    low = raw.lower()
    canon = canonical(raw)
    fields = {k for k, v in (values or {}).items() if v is not None}

    if _emergency(low):
        return ("out_of_scope", "emergency")
    if _INJECTION.search(low):
        return ("out_of_scope", "injection")
    if _identifiers(low):
        return ("out_of_scope", "identifiers")
    if _PET.search(low):
        return ("out_of_scope", "pet")
    if _CREATIVE.search(low):
        return ("out_of_scope", "creative")
    if _OTHER_TASK.search(low) and not (set(values or {}) - _WEAK_VALUES):
        return ("out_of_scope", "other_task")
    if _COST.search(low) and not (set(values or {}) - _WEAK_VALUES - {"months_on_tki", "dose_mg"}):
        return ("out_of_scope", "other_task")
    if _command(low):
        return ("command", "orders")
    if (_PAPERWORK.search(low) or _FUNDING.search(low)) and not (set(values or {}) - _WEAK_VALUES):
        return ("out_of_scope", "other_task")
    if _layperson(low):
        return ("out_of_scope", "layperson")
    if _child(raw, low):
        return ("out_of_scope", "child")

    anchored = _imatinib_or_cml(low, canon)
    if not anchored and _WRONG_CHAT.match(low) and not _small_talk_parts(low) and not set(fields) - _WEAK_VALUES:
        return ("out_of_scope", "wrong_chat")  # "oops wrong chat, meant to ask about a warfarin INR of 5": not for us
    if not anchored and _NEIGHBOUR_DISEASE.search(low):
        return ("out_of_scope", "other_disease")
    talk = _small_talk(low, fields, anchored)
    if talk:
        return ("small_talk", talk)
    if _HELP.match(low):
        return ("small_talk", "help")
    short = len(re.findall(r"[a-z']+", low)) <= 6
    if _FOLLOW_UP.match(low) or (not anchored and short and _ABOUT_THE_ANSWER.search(low)):
        return ("small_talk", "follow_up")  # "why?", "sources", "what's the rationale": the answer on screen
    if not anchored and _TO_THE_ASSISTANT.search(low):
        return ("small_talk", "assistant")  # "which assessments can you run", "how am I supposed to use you"
    if _other_disease(raw, frozenset(fields - _WEAK_VALUES)) and not _CML_NAMED.search(low):
        return ("out_of_scope", "other_disease")
    if _another_tki_owns(low):
        return ("out_of_scope", "other_drug")  # a patient on ponatinib 45: not imatinib, whatever CML words
    ours_named = _imatinib_named(low) or _A_DOSE_ASKED.search(low)
    if _chemotherapy(low) and not set(fields) - _WEAK_VALUES and not ours_named:
        return ("out_of_scope", "other_drug")  # "induction for blast crisis: FLAG-Ida or 7+3 with a TKI?"
    if not _imatinib_named(low) and _ANOTHER_TKI_MANAGED.search(low) and ("?" in low or "manag" in low):
        return ("out_of_scope", "other_drug")  # "how do you manage a dasatinib pleural effusion?": not ours
    if _ANOTHER_DRUG_ASKED.search(low) and _drug_owner(low) and not _IMATINIB_ASKED.search(low):
        return ("out_of_scope", "other_drug")  # "doxycycline dose please, she is on imatinib": not our dose
    if anchored:
        return None

    owned = _foreign_owners(low)
    ours = _ours(raw, low, canon, owned, frozenset(fields))
    if (owned or _OTHER_TKI.search(low)) and not ours:
        return ("out_of_scope", "other_drug")  # another drug's level or dose, with nothing of ours beside it
    if ours:
        return None
    asks = bool(_ASKS.search(low))
    foreign = _foreign_measure(low)
    if fields - _WEAK_VALUES and not (asks and foreign):
        return None  # a patient value of ours
    if not asks:
        if len({m.group(1) for m in _MEASURE.finditer(low) if _unknown(m.group(1))}) >= 2:
            return ("out_of_scope", "unrelated")  # "ESR 80 and CRP 120 …": the values of other tests
        if _FOR_ANOTHER.search(raw) and any(_unknown(m.group(1)) for m in _FOR_ANOTHER.finditer(raw)):
            return ("out_of_scope", "unrelated")  # "insulin sliding scale for DKA": what another field treats
        if _INFECTION.search(low):
            return ("out_of_scope", "unrelated")  # "cmv reactivation post transplant"
        if _chatter(raw, low):
            return ("small_talk", "chatter")  # "long day, the coffee machine is broken again"
        return None  # a few words that ask nothing ("dunno", "still chronic"): an answer at most
    if foreign or _names_another_field(raw, low) or _NAMED_DISEASE.search(low):
        return ("out_of_scope", "unrelated")
    if (
        _WEAK.search(low)
        or _A_PATIENT_AT_HAND.search(low)
        or _SHORT_DOMAIN_QUESTION.match(low)
        or _TASK_ALONE.match(low)
    ):
        return None  # words of dosing and its effects, or of a patient at hand, with nothing else named
    return ("out_of_scope", "unrelated")

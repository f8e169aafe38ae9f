"""Tests of the clinical entity extractor (reading/extraction.py) and its Rasa component."""

import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge.normalize import NormalizationError, normalize
from reading import extraction
from reading.extraction import extract

# (message, [(label, value, span text), ...]) -- the exact, ordered result
POSITIVE = [
    # BCR-ABL1 with a cue
    ("BCR-ABL 0.008 %", [("bcr_abl1_is", "0.008 %", "0.008 %")]),
    ("bcr-abl1 is 1.5%", [("bcr_abl1_is", "1.5%", "1.5%")]),
    ("0.05% IS", [("bcr_abl1_is", "0.05%", "0.05%")]),
    ("PCR 0.2 %", [("bcr_abl1_is", "0.2 %", "0.2 %")]),
    ("bcrabl 0.1%", [("bcr_abl1_is", "0.1%", "0.1%")]),
    ("BCR::ABL1 0.01%", [("bcr_abl1_is", "0.01%", "0.01%")]),
    ("bcr abl 0.1 percent", [("bcr_abl1_is", "0.1 percent", "0.1 percent")]),
    ("bcr-abl1:0.1%", [("bcr_abl1_is", "0.1%", "0.1%")]),
    ("BCR-ABL < 0.01%", [("bcr_abl1_is", "< 0.01%", "< 0.01%")]),
    ("BCR-ABL1 (IS) 0.008", [("bcr_abl1_is", "0.008", "0.008")]),
    ("transcripts 0.2 %", [("bcr_abl1_is", "0.2 %", "0.2 %")]),
    ("now MR4.5", [("bcr_abl1_is", "MR4.5", "MR4.5")]),
    ("reached MMR", [("bcr_abl1_is", "MMR", "MMR")]),
    ("MR4.5", [("bcr_abl1_is", "MR4.5", "MR4.5")]),
    ("MR 4.5", [("bcr_abl1_is", "MR4.5", "MR 4.5")]),
    ("mr4", [("bcr_abl1_is", "MR4", "mr4")]),
    ("3.5 log", [("bcr_abl1_is", "3.5 log", "3.5 log")]),
    ("4-log reduction", [("bcr_abl1_is", "4-log reduction", "4-log reduction")]),
    ("BCR-ABL 0.0032% which is MR4.5", [("bcr_abl1_is", "0.0032%", "0.0032%")]),
    # bare percentage
    ("actually it was 0.05 %", [("percent", "0.05 %", "0.05 %")]),
    ("15%", [("percent", "15%", "15%")]),
    # adherence
    ("adherence 95%", [("adherence_pct", "95%", "95%")]),
    ("95% adherent", [("adherence_pct", "95%", "95%")]),
    ("compliance 80 %", [("adherence_pct", "80%", "80 %")]),
    ("takes 90% of doses", [("adherence_pct", "90%", "90%")]),
    ("adherence is about 90 %", [("adherence_pct", "90%", "90 %")]),
    ("adherence 95", [("adherence_pct", "95", "95")]),
    ("misses 2 doses a week", [("adherence_pct", "misses 2 doses a week", "misses 2 doses a week")]),
    ("skips one dose per week", [("adherence_pct", "skips one dose per week", "skips one dose per week")]),
    ("forgets 3 doses a month", [("adherence_pct", "forgets 3 doses a month", "forgets 3 doses a month")]),
    ("never misses", [("adherence_pct", "never misses", "never misses")]),
    ("takes all doses", [("adherence_pct", "never misses", "takes all doses")]),
    ("fully adherent", [("adherence_pct", "never misses", "fully adherent")]),
    # trough
    ("1,150 ng/mL", [("trough_ng_ml", "1,150 ng/mL", "1,150 ng/mL")]),
    ("trough 1150 ng/ml", [("trough_ng_ml", "1150 ng/mL", "1150 ng/ml")]),
    ("2.1µmol/L", [("trough_ng_ml", "2.1 umol/L", "2.1µmol/L")]),  # micro sign
    ("2.1 \u03bcmol/L", [("trough_ng_ml", "2.1 umol/L", "2.1 \u03bcmol/L")]),  # Greek mu
    ("trough 2 uM", [("trough_ng_ml", "2 umol/L", "2 uM")]),
    ("1.9 µM", [("trough_ng_ml", "1.9 umol/L", "1.9 µM")]),
    ("2300 nM", [("trough_ng_ml", "2300 nmol/L", "2300 nM")]),
    ("850 nmol/L", [("trough_ng_ml", "850 nmol/L", "850 nmol/L")]),
    ("1.2 mg/L", [("trough_ng_ml", "1.2 mg/L", "1.2 mg/L")]),
    ("trough 850 µg/L", [("trough_ng_ml", "850 ug/L", "850 µg/L")]),
    ("1200 mcg/L", [("trough_ng_ml", "1200 ug/L", "1200 mcg/L")]),
    ("trough level of 850", [("trough_ng_ml", "850", "850")]),
    ("trough was 1100", [("trough_ng_ml", "1100", "1100")]),
    # dose
    ("400 mg", [("dose_mg", "400 mg", "400 mg")]),
    ("400mg daily", [("dose_mg", "400mg daily", "400mg daily")]),
    ("400 mg bid", [("dose_mg", "400 mg bid", "400 mg bid")]),
    ("400 mg twice daily", [("dose_mg", "400 mg twice daily", "400 mg twice daily")]),
    ("2 x 400 mg", [("dose_mg", "2 x 400 mg", "2 x 400 mg")]),
    ("600 mg od", [("dose_mg", "600 mg od", "600 mg od")]),
    ("400 mg q12h", [("dose_mg", "400 mg q12h", "400 mg q12h")]),
    ("standard dose 600 mg", [("standard_dose_mg", "600 mg", "600 mg")]),
    ("previous dose was 400 mg", [("standard_dose_mg", "400 mg", "400 mg")]),
    ("full dose 400 mg", [("standard_dose_mg", "400 mg", "400 mg")]),
    ("reduced from 400 mg to 200 mg", [("standard_dose_mg", "400 mg", "400 mg"), ("dose_mg", "200 mg", "200 mg")]),
    ("previously on 600 mg, now 400 mg", [("standard_dose_mg", "600 mg", "600 mg"), ("dose_mg", "400 mg", "400 mg")]),
    (
        "dose reduced from 600 to 400 mg",
        [
            ("on_reduced_dose", "yes", "dose reduced"),
            ("standard_dose_mg", "600 mg", "600"),
            ("dose_mg", "400 mg", "400 mg"),
        ],
    ),
    # durations by cue
    ("MMR 30 months", [("mmr_months", "30 months", "30 months")]),
    ("MMR for 2 years", [("mmr_months", "2 years", "2 years")]),
    ("in MMR for 18 months", [("mmr_months", "18 months", "18 months")]),
    ("stable MMR x 2 yrs", [("mmr_months", "2 yrs", "2 yrs")]),
    ("stable MMR for 2 years and 6 months", [("mmr_months", "2 years and 6 months", "2 years and 6 months")]),
    ("MR4 for 26 months", [("dmr_months", "26 months", "26 months")]),
    ("DMR 2 years", [("dmr_months", "2 years", "2 years")]),
    ("MR4.5 for 3 years", [("dmr_months", "3 years", "3 years")]),
    ("drawn 24 h after the dose", [("hours_since_dose", "24 h", "24 h")]),
    ("23 hrs post dose", [("hours_since_dose", "23 hrs", "23 hrs")]),
    ("trough taken 1 day after the dose", [("hours_since_dose", "1 day", "1 day")]),
    ("10 days at the current dose", [("days_at_current_dose", "10 days", "10 days")]),
    ("on the current dose for 3 weeks", [("days_at_current_dose", "3 weeks", "3 weeks")]),
    (
        "on 600 mg for 10 days at the current dose",
        [("dose_mg", "600 mg", "600 mg"), ("days_at_current_dose", "10 days", "10 days")],
    ),
    ("400 mg for 5 years", [("dose_mg", "400 mg", "400 mg"), ("months_on_tki", "5 years", "5 years")]),
    ("on imatinib for 5 years", [("months_on_tki", "5 years", "5 years")]),
    ("5 years of therapy", [("months_on_tki", "5 years", "5 years")]),
    ("treated for 18 months", [("months_on_tki", "18 months", "18 months")]),
    ("started 3 years ago", [("months_on_tki", "3 years", "3 years")]),
    ("on it for two and a half years", [("months_on_tki", "two and a half years", "two and a half years")]),
    ("he's been taking it for a year and a half", [("months_on_tki", "a year and a half", "a year and a half")]),
    ("18 months", [("duration", "18 months", "18 months")]),
    ("a year and a half", [("duration", "a year and a half", "a year and a half")]),
    ("MMR at 12 months", [("bcr_abl1_is", "MMR", "MMR"), ("duration", "12 months", "12 months")]),
    # mutations
    ("T315I", [("mutations", "T315I", "T315I")]),
    ("t315i", [("mutations", "t315i", "t315i")]),
    ("p.T315I", [("mutations", "p.T315I", "p.T315I")]),
    ("Thr315Ile", [("mutations", "Thr315Ile", "Thr315Ile")]),
    ("p.Phe317Leu", [("mutations", "p.Phe317Leu", "p.Phe317Leu")]),
    ("T315I and E255K", [("mutations", "T315I and E255K", "T315I and E255K")]),
    ("F317L, Y253H", [("mutations", "F317L, Y253H", "F317L, Y253H")]),
    ("mutation: T315I/E255K", [("mutations", "T315I, E255K", "T315I/E255K")]),
    ("no mutations", [("mutations", "none found", "no mutations")]),
    ("no KD mutation", [("mutations", "none found", "no KD mutation")]),
    ("mutation negative", [("mutations", "none found", "mutation negative")]),
    ("mutation analysis negative", [("mutations", "none found", "mutation analysis negative")]),
    ("mutations not tested", [("mutations", "not tested", "mutations not tested")]),
    ("no mutation testing done", [("mutations", "not tested", "no mutation testing done")]),
    # adverse events
    ("grade 2", [("ae_grade", "grade 2", "grade 2")]),
    ("grade II", [("ae_grade", "grade II", "grade II")]),
    ("G3", [("ae_grade", "grade 3", "G3")]),
    ("CTCAE grade 3", [("ae_grade", "grade 3", "CTCAE grade 3")]),
    ("grade 2 oedema", [("ae_grade", "grade 2", "grade 2")]),
    ("no side effects", [("ae_grade", "none", "no side effects")]),
    ("no adverse events", [("ae_grade", "none", "no adverse events")]),
    # goal
    ("towards TFR", [("goal", "tfr", "towards TFR")]),
    ("to attempt TFR", [("goal", "tfr", "to attempt TFR")]),
    ("treatment-free remission", [("goal", "tfr", "treatment-free remission")]),
    ("wants to stop", [("goal", "tfr", "wants to stop")]),
    ("side effects", [("goal", "tolerability", "side effects")]),
    ("tolerability", [("goal", "tolerability", "tolerability")]),
    ("quality of life", [("goal", "tolerability", "quality of life")]),
    ("wants a lower dose", [("goal", "tolerability", "wants a lower dose")]),
    ("because of fatigue", [("goal", "tolerability", "because of fatigue")]),
    ("to reduce toxicity", [("goal", "tolerability", "to reduce toxicity")]),
    # phase
    ("chronic phase", [("phase", "chronic", "chronic phase")]),
    ("CP-CML", [("phase", "chronic", "CP-CML")]),
    ("CML-CP", [("phase", "chronic", "CML-CP")]),
    ("accelerated phase", [("phase", "accelerated", "accelerated phase")]),
    ("blast phase", [("phase", "blast", "blast phase")]),
    ("blast crisis", [("phase", "blast", "blast crisis")]),
    # response classification (the clinician's own)
    ("warning response", [("response_status", "warning", "warning response")]),
    ("she is failing imatinib", [("response_status", "failure", "failing imatinib")]),
    # dosing
    ("taken twice daily", [("dosing", "twice daily", "twice daily")]),
    ("once daily dosing", [("dosing", "once daily", "once daily")]),
    ("every 12 hours", [("dosing", "twice daily", "every 12 hours")]),
    ("q12h", [("dosing", "twice daily", "q12h")]),  # not the mutation Q12H
    # drug interactions
    ("CYP3A4 inhibitor", [("drug_interaction_concern", "yes", "CYP3A4 inhibitor")]),
    ("on clarithromycin", [("drug_interaction_concern", "yes", "clarithromycin")]),
    ("St John's wort", [("drug_interaction_concern", "yes", "St John's wort")]),
    ("grapefruit juice", [("drug_interaction_concern", "yes", "grapefruit juice")]),
    ("no interacting drugs", [("drug_interaction_concern", "no", "no interacting drugs")]),
    ("no interactions", [("drug_interaction_concern", "no", "no interactions")]),
    ("clarithromycin 500 mg bid", [("drug_interaction_concern", "yes", "clarithromycin")]),  # not a TKI dose
    # prior TKI failure
    ("failed nilotinib", [("prior_tki_failure", "yes", "failed nilotinib")]),
    ("failed a previous TKI", [("prior_tki_failure", "yes", "failed a previous TKI")]),
    ("prior TKI failure", [("prior_tki_failure", "yes", "prior TKI failure")]),
    ("resistant to dasatinib", [("prior_tki_failure", "yes", "resistant to dasatinib")]),
    ("no prior failure", [("prior_tki_failure", "no", "no prior failure")]),
    ("first-line", [("prior_tki_failure", "no", "first-line")]),
    ("never failed a TKI", [("prior_tki_failure", "no", "never failed a TKI")]),
    # ddPCR (takes precedence over the MR4.5 level)
    ("ddPCR shows MR4.5", [("ddpcr_mr45", "yes", "ddPCR shows MR4.5")]),
    ("ddPCR confirms MR4.5", [("ddpcr_mr45", "yes", "ddPCR confirms MR4.5")]),
    ("MR4.5 by ddPCR", [("ddpcr_mr45", "yes", "MR4.5 by ddPCR")]),
    ("ddPCR did not show MR4.5", [("ddpcr_mr45", "no", "ddPCR did not show MR4.5")]),
    ("not MR4.5 by ddPCR", [("ddpcr_mr45", "no", "not MR4.5 by ddPCR")]),
    ("ddPCR above MR4.5", [("ddpcr_mr45", "no", "ddPCR above MR4.5")]),
    ("ddPCR not done", [("ddpcr_mr45", "not done", "ddPCR not done")]),
    # response confirmed, reduced dose
    ("confirmed on repeat", [("response_confirmed", "yes", "confirmed on repeat")]),
    ("confirmed by a repeat test", [("response_confirmed", "yes", "confirmed by a repeat test")]),
    ("on a reduced dose", [("on_reduced_dose", "yes", "on a reduced dose")]),
    ("after de-escalation", [("on_reduced_dose", "yes", "after de-escalation")]),
    ("on half dose", [("on_reduced_dose", "yes", "on half dose")]),
    # whole messages
    (
        "Pt on Glivec 600 mg daily, trough 650 ng/mL drawn 24h post-dose, adherence ~80%, misses 1 dose a week",
        [
            ("dose_mg", "600 mg daily", "600 mg daily"),
            ("trough_ng_ml", "650 ng/mL", "650 ng/mL"),
            ("hours_since_dose", "24h", "24h"),
            ("adherence_pct", "80%", "80%"),
            ("adherence_pct", "misses 1 dose a week", "misses 1 dose a week"),
        ],
    ),
    (
        "62 yo man with CP-CML on imatinib 400mg od for 6 yrs. BCR-ABL1 0.004% IS, MR4.5 for 3 years. "
        "No side effects. Wants to stop.",
        [
            ("phase", "chronic", "CP-CML"),
            ("dose_mg", "400mg od", "400mg od"),
            ("months_on_tki", "6 yrs", "6 yrs"),
            ("bcr_abl1_is", "0.004%", "0.004%"),
            ("dmr_months", "3 years", "3 years"),
            ("ae_grade", "none", "No side effects"),
            ("goal", "tfr", "Wants to stop"),
        ],
    ),
    (
        "Trough level: 1,020 ng/ml (sampled 23 hrs after the last dose), on current dose for 3 weeks",
        [
            ("trough_ng_ml", "1,020 ng/mL", "1,020 ng/ml"),
            ("hours_since_dose", "23 hrs", "23 hrs"),
            ("days_at_current_dose", "3 weeks", "3 weeks"),
        ],
    ),
    (
        "MR4.5 confirmed on repeat, ddPCR not done",
        [
            ("bcr_abl1_is", "MR4.5", "MR4.5"),
            ("response_confirmed", "yes", "confirmed on repeat"),
            ("ddpcr_mr45", "not done", "ddPCR not done"),
        ],
    ),
]

WORKED = "400 mg for 5 years, BCR-ABL 0.008 %, MMR 30 months, grade 2 oedema, wants a lower dose"

NEGATIVE = [
    "hello",
    "what is MMR?",
    "how do I draw a trough level",
    "is ddPCR useful",
    "what does MR4.5 mean?",
    "what are the side effects?",
    "explain TFR",
    "CYP3A4",
    "thanks, that helps",
    "T315T",  # changes nothing: not a mutation
    "no T315I detected",  # a negative finding is not a mutation list
    "",
    "   ",
]

GENERIC = {"percent", "duration"}
RATIO = "ratio 0.0008"


def _triples(text):
    return [(e["entity"], e["value"], e["text"]) for e in extract(text)]


@pytest.mark.parametrize("text,expected", POSITIVE, ids=[t[:40] for t, _ in POSITIVE])
def test_positive(text, expected):
    assert _triples(text) == expected


def test_enough_positive_cases_across_all_labels():
    assert len(POSITIVE) >= 60
    seen = {label for _, exp in POSITIVE for label, _, _ in exp}
    assert seen == set(extraction.LABELS)


def test_worked_example():
    got = [(e["entity"], e["value"]) for e in extract(WORKED)]
    assert got[0] == ("dose_mg", "400 mg")
    assert got[1] == ("months_on_tki", "5 years")
    assert got[2][0] == "bcr_abl1_is" and got[2][1] in ("0.008 %", "BCR-ABL 0.008 %")
    assert got[3:] == [("mmr_months", "30 months"), ("ae_grade", "grade 2"), ("goal", "tolerability")]


@pytest.mark.parametrize("text", NEGATIVE)
def test_negative(text):
    assert extract(text) == []


@pytest.mark.parametrize(
    "text",
    ["MR4", "G3", "IS", "400mg", "CYP3A4", "q12h", "B315J", "X315I", "T31I", "H2O", "MR4.5", "E255", "Abc315Ile"],
)
def test_no_mutation_without_a_valid_protein_substitution(text):
    assert "mutations" not in [e["entity"] for e in extract(text)]


def test_ratio_is_passed_on_so_the_normaliser_asks_for_a_percentage():
    [e] = extract("BCR-ABL1 ratio 0.0008")
    assert (e["entity"], e["value"]) == ("bcr_abl1_is", RATIO)
    with pytest.raises(NormalizationError, match="%"):
        normalize("bcr_abl1_is", e["value"])
    assert extract("the medication possession ratio 0.9") == []


def _all_examples():
    for text, _ in POSITIVE:
        yield text
    yield WORKED


def test_every_field_value_normalises():
    checked = 0
    for text in _all_examples():
        for e in extract(text):
            if e["entity"] in GENERIC:
                # the dialogue picks the field: a percentage may be BCR-ABL1, a duration any duration
                field = "bcr_abl1_is" if e["entity"] == "percent" else "months_on_tki"
            else:
                field = e["entity"]
            try:
                normalize(field, e["value"])
            except NormalizationError as exc:  # a value expression the spec asks about is a question, not garbage
                assert exc.ask, (text, e, exc.message)
            checked += 1
    assert checked >= 150


def test_spans_ordered_non_overlapping_and_exact():
    for text in _all_examples():
        ents = extract(text)
        for e in ents:
            assert text[e["start"] : e["end"]] == e["text"]
            assert set(e) == {"entity", "value", "start", "end", "text"}
            assert isinstance(e["value"], str) and e["value"]
            assert e["entity"] in extraction.LABELS
        for a, b in zip(ents, ents[1:], strict=False):
            assert a["end"] <= b["start"]


def test_longer_match_wins_on_overlap():
    # "400 mg twice daily" is one dose, not a dose and a dosing
    assert _triples("400 mg twice daily") == [("dose_mg", "400 mg twice daily", "400 mg twice daily")]
    # ddPCR span wins over the MR4.5 level inside it
    assert [e["entity"] for e in extract("ddPCR shows MR4.5")] == ["ddpcr_mr45"]
    # "no side effects" is an AE statement, not a tolerability goal
    assert [e["entity"] for e in extract("no side effects")] == ["ae_grade"]


def test_question_with_patient_keeps_entities():
    got = _triples("Patient with BCR-ABL1 MR4.5 on 400 mg, can we reduce?")
    assert got == [("bcr_abl1_is", "MR4.5", "MR4.5"), ("dose_mg", "400 mg", "400 mg")]


def test_a_response_category_said_now_is_a_bound_and_as_a_state_is_asked():
    # issue 20: "now in MR4", "pt in MMR" say this patient's latest level is within MR4 or MMR (a bound, shown
    # and used as one); anyone's state ("can a patient in MR4.5 …", "someone in MMR") or "an MMR patient" is
    # not this patient's result: nothing is stated, and the form asks for the number
    assert ("bcr_abl1_is", "MR4.5", "MR4.5") in _triples("Patient in MR4.5 on 400 mg, can we reduce?")
    assert ("bcr_abl1_is", "MMR", "MMR") in _triples("trough 3100 ng/mL on 400 od, she is in MMR, grade 3 rash")
    assert _triples("can a patient in MR4.5 on 400 mg reduce?") == [("dose_mg", "400 mg", "400 mg")]
    assert _triples("would you escalate someone in MMR on 300 mg?") == [("dose_mg", "300 mg", "300 mg")]
    assert _triples("an MMR patient on 300 mg") == [("dose_mg", "300 mg", "300 mg")]
    assert ("bcr_abl1_is", "MR4", "MR4") in _triples("on 800 for 2 yrs, now in MR4")
    assert ("bcr_abl1_is", "MMR", "MMR") in _triples("still in MMR on 400")


def test_unicode_markup_and_sql_do_not_break_it():
    text = "G3 fatigue \U0001f634 <b>400 mg</b>'; DROP TABLE patients;-- \u00b5\u03bc \u202e"
    assert _triples(text) == [("ae_grade", "grade 3", "G3"), ("dose_mg", "400 mg", "400 mg")]


def test_non_string_and_huge_input():
    assert extract(None) == []  # type: ignore[arg-type]
    assert extract(12345) == []  # type: ignore[arg-type]
    big = "BCR-ABL 0.1% " * 1000  # 13 kB
    t0 = time.perf_counter()
    ents = extract(big)
    assert time.perf_counter() - t0 < 1.0
    assert ents and all(e["end"] <= extraction.MAX_CHARS for e in ents)


def test_pattern_file_is_shipped_and_valid():
    assert extraction.PATTERNS_FILE.exists()
    labels = set()
    with open(extraction.PATTERNS_FILE, encoding="utf-8") as f:
        for line in f:
            p = json.loads(line)
            assert set(p) == {"label", "id", "pattern"}
            assert isinstance(p["pattern"], list) and p["pattern"]
            labels.add(p["label"])
    emitted = {lab for lab in labels if not lab.startswith("CUE_")}
    assert emitted <= set(extraction.FIELD_LABELS)
    assert {"phase", "goal", "drug_interaction_concern"} <= emitted


_WORDS = [
    "BCR-ABL",
    "bcr",
    "abl",
    "MR4.5",
    "MMR",
    "MR",
    "4.5",
    "ddPCR",
    "shows",
    "not",
    "no",
    "mg",
    "400",
    "0.008",
    "%",
    "IS",
    "for",
    "years",
    "months",
    "a",
    "and",
    "half",
    "trough",
    "ng/mL",
    "µmol/L",
    "μM",
    "T315I",
    "p.",
    "Thr315Ile",
    "grade",
    "II",
    "G3",
    "adherence",
    "misses",
    "2",
    "doses",
    "week",
    "on",
    "imatinib",
    "after",
    "the",
    "dose",
    ",",
    ".",
    "?",
    "x",
    "1,150",
    "from",
    "to",
    "standard",
    "what",
    "is",
    "side",
    "effects",
    "wants",
    "stop",
    "CP",
    "-",
    "CML",
    "bid",
    "<",
    "ratio",
    "log",
    "\U0001f600",
    "\n",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(max_size=300),
        st.lists(st.sampled_from(_WORDS), max_size=40).map(" ".join),
        st.lists(st.sampled_from(_WORDS), max_size=40).map("".join),
    )
)
def test_property_never_raises_and_spans_are_exact(text):
    ents = extract(text)
    last_end = -1
    for e in ents:
        assert 0 <= e["start"] < e["end"] <= len(text)
        assert text[e["start"] : e["end"]] == e["text"]
        assert e["start"] >= last_end
        last_end = e["end"]
        assert e["entity"] in extraction.LABELS


# ---------------------------------------------------------------------------------------------
# Rasa component


def test_rasa_component_processes_a_message():
    from rasa.engine.recipes.default_recipe import DefaultV1Recipe
    from rasa.shared.nlu.constants import ENTITIES
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from bot.custom.components import ClinicalEntityExtractor

    assert "ClinicalEntityExtractor" in DefaultV1Recipe._registered_components
    component = ClinicalEntityExtractor.create({**ClinicalEntityExtractor.get_default_config()}, None, None, None)
    existing = {"entity": "other", "value": "x", "start": 0, "end": 1, "extractor": "DIETClassifier"}
    message = Message(data={"text": WORKED, ENTITIES: [existing]})
    [out] = component.process([message])
    ents = out.get(ENTITIES)
    assert ents[0] == existing
    mine = ents[1:]
    assert [(e["entity"], e["value"]) for e in mine][:2] == [("dose_mg", "400 mg"), ("months_on_tki", "5 years")]
    for e in mine:
        assert e["confidence"] == 1.0 and e["extractor"] == "ClinicalEntityExtractor"
        assert WORKED[e["start"] : e["end"]]
    # a message without text is left alone; training data passes unchanged
    empty = Message(data={"intent": "greet"})
    component.process([empty])
    assert empty.get(ENTITIES) is None
    td = TrainingData([Message(data={"text": "hello"})])
    assert component.process_training_data(td) is td
    # the entity filter of the config
    only = ClinicalEntityExtractor.create({"entities": ["dose_mg"]}, None, None, None)
    [m2] = only.process([Message(data={"text": WORKED})])
    assert [e["entity"] for e in m2.get(ENTITIES)] == ["dose_mg"]


def test_rasa_component_does_not_log_text_at_info(caplog):
    from rasa.shared.nlu.training_data.message import Message

    from bot.custom.components import ClinicalEntityExtractor

    secret = "BCR-ABL 0.008 % for patient zz-secret-zz"
    with caplog.at_level("DEBUG"):
        ClinicalEntityExtractor.create({}, None, None, None).process([Message(data={"text": secret})])
    assert not [r for r in caplog.records if r.levelno >= 20 and "zz-secret-zz" in r.getMessage()]
    assert not any("zz-secret-zz" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    "text,field",
    [
        ("-0.1 %", "percent"),
        ("BCR-ABL1 -0.1%", "bcr_abl1_is"),
        ("\u22123 months", "duration"),
        ("-400 mg", "dose_mg"),
        ("level \u20130.03%", "bcr_abl1_is"),
    ],
)
def test_a_minus_sign_stays_with_its_number_so_the_value_is_refused(text, field):
    (e,) = extract(text)
    assert e["entity"] == field and e["value"].startswith("-")
    target = {"percent": "bcr_abl1_is", "duration": "months_on_tki"}.get(field, field)
    with pytest.raises(NormalizationError, match="negative|positive"):
        normalize(target, e["value"])


@pytest.mark.parametrize(
    "text,value", [("5-6 months", "5-6 months"), ("trough - 850 ng/mL", "850 ng/mL"), ("BCR-ABL 0.1 %", "0.1 %")]
)
def test_ranges_and_spaced_dashes_are_not_signs(text, value):
    """A dash between numbers is a range (spec v1.2: asked about, so the range is the value read), a spaced
    dash a separator, never a minus sign."""
    assert [e["value"] for e in extract(text)] == [value]


def test_an_exponent_is_not_read_as_a_value():
    assert extract("10^400 %") == [] and extract("2^10 months") == []
    # a power of ten is one value, read whole (spec section 5 via the normaliser): never its exponent alone
    assert [e["value"] for e in extract("10^-3 %")] == ["10^-3 %"]
    assert [e["value"] for e in extract("PCR 1.2 x 10^-2 % today")] == ["1.2 x 10^-2 %"]
    assert normalize("bcr_abl1_is", "1.2 x 10^-2 %").value == pytest.approx(0.012)

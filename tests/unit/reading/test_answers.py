"""Answers to a form's question read as a colleague reads them (reading/answers.py): own sentences."""

import pytest

from knowledge.normalize import NormalizationError
from reading.answers import answer, not_done


@pytest.mark.parametrize(
    "field,text,value",
    [
        ("adherence_pct", "pretty reliable, about 92%", 92),
        ("adherence_pct", "roughly 85 %", 85),
        ("mmr_months", "in MMR for roughly 4 yrs by now", 48),
        ("dmr_months", "MR4 or deeper, ~2 years", 24),
        ("days_at_current_dose", "she has been on 600 for over 6 months", 182.64),
        ("days_at_current_dose", "same dose for 2 yrs", 730.56),
        ("hours_since_dose", "sampled approx 22h post dose", 22),
        ("bcr_abl1_is", "0.03% on the latest sample", 0.03),
        ("ae_grade", "grade 1 nausea at most", 1),
        ("ae_grade", "nothing much, grade 0", 0),
        ("goal", "mostly the side effects", "tolerability"),
        ("goal", "neither, she simply asked", None),
        ("mutations", "nothing found on sequencing", []),
        ("mutations", "negative", []),
        ("mutations", "not sent yet", None),
        ("mutations", "never been tested", None),
        ("prior_tki_failure", "no, never had any", False),
        ("drug_interaction_concern", "yes, she just started fluconazole", True),
        ("ddpcr_mr45", "yes, MR4.5 confirmed on ddPCR", True),
        ("ddpcr_mr45", "not done", None),
        ("response_status", "warning, I would say", "warning"),
        ("standard_dose_mg", "600 before we lowered it", 600),
        ("dose_mg", "400 od", 400),
    ],
)
def test_an_answer_in_a_sentence_is_read(field, text, value):
    got = answer(field, text).value
    assert got == (pytest.approx(value) if isinstance(value, float) else value)


@pytest.mark.parametrize(
    "field,text",
    [("trough_ng_ml", "no level done yet"), ("trough_ng_ml", "never had one"), ("adherence_pct", "don't know")],
)
def test_not_measured_is_not_a_value(field, text):
    assert not_done(text)
    with pytest.raises(NormalizationError):
        answer(field, text)


@pytest.mark.parametrize(
    "field,text",
    [
        ("dose_mg", "dose 5000 mg"),
        ("bcr_abl1_is", "lots"),
        ("adherence_pct", "not fully adherent"),
        ("ae_grade", "bad"),
    ],
)
def test_what_cannot_be_read_is_still_refused(field, text):
    with pytest.raises(NormalizationError):
        answer(field, text)


# --- an answer whose number is not the value (independent review, 2026-11-27) --------------------------------
@pytest.mark.parametrize(
    "field, text",
    [
        ("bcr_abl1_is", "just above 0.1%"),  # would have read as MMR
        ("bcr_abl1_is", "it was 0.2% but now 0.05%"),  # two values: which is it now?
        ("mmr_months", "less than a year"),  # would have passed RED-2
        ("mmr_months", "nearly a year"),
        ("months_on_tki", "under 3 years"),  # would have passed RED-3
        ("months_on_tki", "3 years next month"),
        ("adherence_pct", "less than 95%"),  # would have confirmed adherence
        ("adherence_pct", "misses at least 1 dose a month"),
        ("adherence_pct", "always takes half"),
        ("adherence_pct", "always takes them when she remembers"),
        ("mutations", "not clear yet"),
        ("mutations", "compound mutation, not negative"),
        ("response_confirmed", "yes, but the repeat is still pending"),
        ("drug_interaction_concern", "no, but she just started clarithromycin"),
        ("prior_tki_failure", "n/a really"),
    ],
)
def test_bounds_pending_results_and_conditional_answers_are_asked_about(field, text):
    with pytest.raises(NormalizationError):
        answer(field, text)


@pytest.mark.parametrize("text", ["sent off, nothing back yet", "pending - nothing yet", "awaiting the KD result"])
def test_a_mutation_result_still_to_come_is_not_done_never_none_found(text):
    assert answer("mutations", text).value is None


@pytest.mark.parametrize(
    "field, text, value",
    [
        ("bcr_abl1_is", "it's < 0.01% now", 0.01),  # an upper bound of a level: read, and said
        ("mmr_months", "over a year", 12),  # at least a year: read as a year, said
        ("adherence_pct", "always takes them", 100),
        ("mutations", "none detected", []),
    ],
)
def test_what_a_colleague_would_read_is_still_read(field, text, value):
    n = answer(field, text)
    assert n.value == value
    if field in ("bcr_abl1_is", "mmr_months"):
        assert n.assumptions  # the bound is said


@pytest.mark.parametrize(
    "text, label",
    [
        ("in MMR for less than a year, on imatinib 4 years", "mmr_months"),
        ("on imatinib for under 3 years, bcr-abl 0.005%", "months_on_tki"),
        ("bcr-abl just above 0.1% at 12 months", "bcr_abl1_is"),
        ("adherence less than 90%", "adherence_pct"),
    ],
)
def test_a_bound_in_a_message_stays_with_its_value_and_is_asked_about(text, label):
    from reading.extraction import extract

    (value,) = [e["value"] for e in extract(text) if e["entity"] == label]
    with pytest.raises(NormalizationError):
        answer(label, value)


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("dose_mg", "1e308"),  # the form fuzz found "1e308" read as 308 mg
        ("bcr_abl1_is", "1e308 %"),
        ("adherence_pct", "1e95 %"),
        ("months_on_tki", "1e308 months"),
        ("standard_dose_mg", "4e400"),
    ],
)
def test_a_number_in_scientific_notation_is_one_number_never_the_digits_after_its_e(field, text):
    with pytest.raises(NormalizationError, match="out of range|unit|not a finite number"):
        answer(field, text)


def test_scientific_notation_in_range_is_still_read():
    assert answer("bcr_abl1_is", "1e-3 %").value == pytest.approx(0.001)

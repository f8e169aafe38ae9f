"""Answers to a form's question read as a colleague reads them (knowledge/answers.py): own sentences."""

import pytest

from knowledge.answers import answer, not_done
from knowledge.normalize import NormalizationError


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

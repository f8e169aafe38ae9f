"""The dose before a reduction, told in the past (round 19's development part, worked by class of failure; the
sentences here are our own): the standard dose is a past dose by its nature, so a past tense does not set it aside,
unless another dose lies between it and the dose now; going back to it ends the reduction."""

from __future__ import annotations

import pytest
from on_the_day import read_today as _read
from on_the_day import values_today as _values


@pytest.mark.parametrize(
    "text, std, dose",
    [
        ("Before we reduced him he was on 400; now 300 for 5 months, PCR 0.01%. ok?", 400, 300),
        ("She went from 600 down to 400 in March. Latest PCR 0.03%. Continue?", 600, 400),
        ("went from 400 to 200 mg last spring. pcr 0.02% now. fine?", 400, 200),
    ],
)
def test_the_dose_before_a_reduction_told_in_the_past_is_the_standard_dose(text, std, dose):
    values = _values(text)
    assert values["standard_dose_mg"] == std
    assert values["dose_mg"] == dose
    assert values["on_reduced_dose"] is True


def test_a_dose_further_back_than_the_one_reduced_from_is_no_standard_dose():
    values = _values("Was on 800, then 600 from 2020, then reduced to 400 last year. PCR now 0.05%. ok?")
    assert values.get("standard_dose_mg") != 800
    assert values["dose_mg"] == 400


def test_back_on_the_dose_before_the_reduction_is_no_reduced_dose():
    values = _values("We went from 400 to 300 in 2024, she lost MMR, so back on 400 since May. PCR now 0.06%.")
    assert values["standard_dose_mg"] == 400
    assert values["dose_mg"] == 400
    assert values["on_reduced_dose"] is False


# --- values nobody gave -----------------------------------------------------------------------------------------


def test_a_percentage_before_another_measure_that_heads_its_own_number_keeps_its_field():
    values = _values("PCR 0.6% adherence 90%")
    assert values["bcr_abl1_is"] == 0.6
    assert values["adherence_pct"] == 90


def test_a_small_decimal_is_never_a_share_of_doses_taken():
    values = _values("on imatinib 400 for two years pcr now 0.2 percent adherence she reckons about 90 percent")
    assert values.get("adherence_pct") != 0.2


@pytest.mark.parametrize("text", ["he forgets one a week, occasionally two", "misses 2 a month or maybe 3, PCR 0.5%"])
def test_two_counts_of_missed_doses_are_asked_not_read(text):
    r = _read(text)
    assert "adherence_pct" not in r.values
    assert any(a.field == "adherence_pct" for a in r.ambiguous)


def test_one_count_of_missed_doses_is_still_read():
    assert _values("misses one a week, otherwise fine")["adherence_pct"] == 85.7


def test_a_value_the_writer_says_was_written_by_mistake_is_not_read():
    values = _values("typed twice daily by mistake, she takes 400 once daily")
    assert values["dosing"] == "once_daily"


@pytest.mark.parametrize(
    "text", ["what response do we want at 3, 6 and 12 months?", "ELN targets at 3/6/12 months please"]
)
def test_a_list_of_milestone_times_is_no_time_on_imatinib(text):
    assert "months_on_tki" not in _values(text)


def test_a_single_time_is_still_the_time_on_imatinib():
    assert _values("on IM 400 for 12 months, PCR 0.5%")["months_on_tki"] == 12


def test_the_level_at_diagnosis_is_not_the_level_now():
    values = _values("Diagnosed last spring with a BCR-ABL1 of 52% IS, on imatinib 400 for 8 weeks, trough 900 ng/mL")
    assert values.get("bcr_abl1_is") != 52


def test_a_patient_left_for_later_gives_no_values():
    text = (
        "Bed 3 (IM 400, 1.5% at 12 months) I'll come back to later. My question is about bed 5: "
        "imatinib 400 od, 6 months, PCR 0.8%."
    )
    values = _values(text)
    assert values["bcr_abl1_is"] == 0.8
    assert values["months_on_tki"] == 6


def test_a_level_just_over_a_response_is_above_its_ceiling():
    r = _read("on half-dose 200. lab says the PCR is just above MMR, number to follow")
    level = r.values["bcr_abl1_is"]
    assert (level.bound, level.value) == (">", 0.1)


def test_missing_doses_with_a_range_of_counts_is_not_another_drugs_dose():
    assert _read("misses 1-2 doses a week").kind != "out_of_scope"


# --- values found ---------------------------------------------------------------------------------------------------


def test_a_terse_list_with_slashes_keeps_each_value():
    values = _values("IM400 bd/ 18m/ 0.9%IS / adh 95%")
    assert values["dose_mg"] == 800  # 400 twice daily: the day's dose
    assert values["months_on_tki"] == 18
    assert values["bcr_abl1_is"] == 0.9
    assert values["adherence_pct"] == 95


def test_two_times_split_by_a_slash_are_no_one_time():
    assert _values("6m/ 12m").get("months_on_tki") is None


@pytest.mark.parametrize(
    "text",
    [
        "IM 400, MR4 for 4 yrs. She want stop the medicine. Possible?",
        "IM 400, MR4.5 for 6 yrs. HE WANTS TO TRY STOPPING - OK??",
        "IM 400, MR4 since 2021. Could we think about stopping?",
    ],
)
def test_a_wish_to_stop_in_other_words_is_the_tfr_goal(text):
    assert _values(text)["goal"] == "tfr"


def test_a_side_effect_then_a_wish_to_reduce_without_a_subject_is_the_tolerability_goal():
    assert _values("MR4 for 3 years. Grade 2 myalgia, wants to reduce. 400 od.")["goal"] == "tolerability"


def test_no_side_effect_and_a_wish_to_reduce_gives_no_tolerability_goal():
    assert _values("no side effects, wants to reduce").get("goal") != "tolerability"


@pytest.mark.parametrize(
    "text",
    [
        "he failed imatinib 400 in 2016 (lost CCyR), was escalated to 800 and is now in MMR on 800",
        "loss of CCyR on imatinib 400 in 2015, went up to 600; MR4 for 3 yrs now on 600",
    ],
)
def test_a_failure_told_before_the_dose_was_raised_is_a_prior_failure(text):
    assert _values(text)["prior_tki_failure"] is True


def test_intolerance_never_resistance_is_no_prior_failure():
    text = "on imatinib since 2020 after nilotinib was stopped for pancreatitis (intolerance, never resistance)"
    values = _values(text)
    assert values["prior_tki_failure"] is False


def test_lost_mmr_then_raised_is_no_prior_failure_by_itself():
    assert "prior_tki_failure" not in _values("lost MMR on 400, increased to 600")

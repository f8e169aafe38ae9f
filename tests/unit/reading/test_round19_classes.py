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


# --- other treatments and other times -------------------------------------------------------------------------------


def test_weeks_of_pregnancy_are_no_time_on_imatinib():
    values = _values("she is 10 weeks pregnant on imatinib 400 - what do we do?")
    assert "months_on_tki" not in values and "days_at_current_dose" not in values


@pytest.mark.parametrize(
    "text", ["FLAG-Ida or 7+3 for a myeloid blast crisis?", "which induction chemo for lymphoid blast phase CML?"]
)
def test_chemotherapy_regimens_are_out_of_scope(text):
    assert _read(text).kind == "out_of_scope"


def test_imatinibs_own_dose_beside_chemotherapy_stays_ours():
    assert _read("blast crisis, what imatinib dose with induction chemo?").kind != "out_of_scope"


# --- a blind review of this change (its probes, in the reviewer's words): what the new rules must not do ----------


@pytest.mark.parametrize(
    "text, field",
    [
        ("over 2y in MMR, on IM 400 for 5 years, wants to stop", "mmr_months"),
        ("took over her care MMR x3y on IM 400", "bcr_abl1_is"),
        ("3 out of 4 in MMR over the last 2 yrs, on IM 400, 6 yrs", "bcr_abl1_is"),
        ("well above MMR now, wants to stop, MR4.5 for 3 yrs, IM 400 for 8 yrs", "bcr_abl1_is"),
    ],
)
def test_over_or_out_of_elsewhere_is_no_level_above_a_response(text, field):
    value = _read(text).values[field]
    assert value.bound != ">" or field != "bcr_abl1_is"
    if field == "bcr_abl1_is":
        assert value.bound == "<="


def test_talking_over_tfr_keeps_the_goal():
    assert _values("went over TFR criteria with her, IM 400 for 6y, MR4 for 3y")["goal"] == "tfr"


@pytest.mark.parametrize(
    "text, level",
    [
        ("Diagnosed with CML 2 yrs ago on IM 400 pcr 0.08%", 0.08),
        ("Diagnosed with CML in 2021 on IM 400 with pcr 0.5% at 12m", 0.5),
        ("dx'd with CML on IM 400 pcr 0.9% 12m", 0.9),
    ],
)
def test_a_diagnosis_named_before_keeps_the_level_now(text, level):
    assert _values(text)["bcr_abl1_is"] == level


@pytest.mark.parametrize(
    "text, months",
    [
        ("adherence 95 and 26 months on imatinib 400, pcr 0.05%", 26),
        ("aged 54 and 26 months on imatinib, pcr 0.3%, 400 od", 26),
        ("pcr 0.05 / 30 months / IM 400 od", 30),
        ("age 66 / 30 months / IM 400 / pcr 0.05", 30),
    ],
)
def test_one_number_joined_by_and_or_a_slash_is_no_list_of_times(text, months):
    assert _values(text)["months_on_tki"] == months


@pytest.mark.parametrize(
    "text, field, value",
    [
        ("misses 2 doses a week by accident, 400mg, PCR 3% at 12 mo", "adherence_pct", 71.4),
        ("he has been taking 400 by mistake instead of 300 since june, trough 1600 ng/ml", "dose_mg", 400),
    ],
)
def test_what_the_patient_did_by_mistake_is_still_read(text, field, value):
    assert _values(text)[field] == value


@pytest.mark.parametrize(
    "text",
    [
        "to avoid loss of CCyR we increased to 600 at 6 months, now 12m pcr 0.8%",
        "worried about loss of CCyR, bumped up to 600, 12m pcr 3%",
        "loss of cytogenetic response concern, increased to 600 at 12m, pcr 4%",
        "failed imatinib de-escalation (lost MMR), back up to 400, pcr 0.05 now",
        "failed imatinib trial of reduction, went up to 400 again, MR4",
    ],
)
def test_a_failure_feared_or_a_failed_reduction_is_no_prior_failure(text):
    assert "prior_tki_failure" not in _values(text)


@pytest.mark.parametrize(
    "text",
    [
        "cardiology want to stop the drug because of QTc, IM 400, pcr 0.3%",
        "rash on dasatinib, switched to IM 400, now MR4, wants to reduce",
        "periorbital oedema, wants to reduce the furosemide, IM 400, pcr 0.05",
        "fatigue, wants to reduce her working hours, IM 400 MMR 2y",
    ],
)
def test_another_teams_order_another_drugs_side_effect_or_another_thing_reduced_is_no_goal(text):
    assert "goal" not in _values(text)


def test_a_dose_per_twelve_hours_after_a_slash_is_still_asked():
    r = _read("IM 400mg/ 12h, trough 1100 ng/ml, 24m")
    assert "dose_mg" not in r.values


def test_a_percentage_of_blasts_is_no_second_level():
    assert _values("PB 5% blasts 2 wks ago, IM 400 12m, bcr 1%")["bcr_abl1_is"] == 1.0


@pytest.mark.parametrize("text", ["misses one a week, sometimes two", "misses 3 doses a month, sometimes more"])
def test_a_message_of_two_counts_alone_is_a_case_that_asks(text):
    r = _read(text)
    assert r.kind == "case"
    assert [a.field for a in r.ambiguous] == ["adherence_pct"]


@pytest.mark.parametrize(
    "text, hours",
    [
        ("took it at 10pm last night, bloods at 9.30 this morning", 11.5),
        ("took it at 9 last night, level drawn at half 9 this morning", 12.5),
    ],
)
def test_clock_times_with_pm_or_half_past_give_the_hours(text, hours):
    assert _values(text)["hours_since_dose"] == hours


def test_a_morning_hour_said_of_last_night_is_not_read():
    assert "hours_since_dose" not in _values("took it at 8am last night, bloods at 8.30 this morning")


def test_back_on_the_dose_before_an_escalation_is_no_reduction():
    values = _values("He was on 800 last year, now back on 400 since May because of nausea. PCR 0.05% at 36 months.")
    assert "standard_dose_mg" not in values
    assert values.get("on_reduced_dose") is not True


@pytest.mark.parametrize("text", ["imatinib 400 mg 1x täglich seit 2019", "IM 400 mg 1x daily, PCR 0.2% at 18 months"])
def test_once_a_day_written_1x_daily_is_the_once_daily_schedule(text):
    assert _values(text)["dosing"] == "once_daily"


def test_a_time_since_the_dose_with_its_schedule_is_the_time_at_the_dose():
    values = _values("Trough 900 ng/mL at 23 h, 600 mg 1x daily since 3 weeks. 14 months on imatinib")
    assert values["days_at_current_dose"] == 21
    assert values["months_on_tki"] == 14


@pytest.mark.parametrize(
    "text",
    [
        "MR4 for 5 years on IM 400, he'd love to be off it one day",
        "IM 400, MR4.5 4y, we'd reduce with a view to stopping next year",
    ],
)
def test_a_wish_to_be_off_it_or_a_reduction_towards_stopping_is_the_tfr_goal(text):
    assert _values(text)["goal"] == "tfr"


@pytest.mark.parametrize("text", ["husband would love her to be off it", "she'd love to get off the oxycodone"])
def test_someone_elses_wish_or_another_drug_is_no_tfr_goal(text):
    assert "goal" not in _values(text)


# --- a second blind review of this change (its probes, in the reviewer's words) -----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "no real side effects, wants to reduce, MR4 3 yrs, IM 400 7 yrs",
        "denies any fatigue, wants to reduce, MR4 4 yrs on 400",
        "ankle oedema from amlodipine, wants to reduce. IM 400 MMR 3y",
        "nausea with metformin, wants to reduce, IM 400 0.01%",
        "Pt wants to stop the pills for her blood pressure, IM 400, MR4 3y",
        "not yet time to think about stopping, MMR 2y, IM 400 for 3y",
    ],
)
def test_a_denied_or_another_drugs_side_effect_and_another_stop_give_no_goal(text):
    assert "goal" not in _values(text)


@pytest.mark.parametrize(
    "text, months",
    [
        ("PCR 0.5% at 6 and 12 months on 400, now what?", 12),
        ("PCR 0.08% at 12, 18 and 24 months on 400", 24),
        ("bcr-abl 0.3 at 12 and 18 months, IM 400", 18),
    ],
)
def test_the_patients_results_at_listed_times_keep_the_latest_time(text, months):
    assert _values(text)["months_on_tki"] == months


@pytest.mark.parametrize(
    "text, field",
    [
        ("MR4 for 2 years pregnancy planned next year, IM 400 for 6 yrs", "dmr_months"),
        ("IM 400 for 5 years pregnancy wanted, MR4.5, can we stop?", "months_on_tki"),
        ("first PCR after restarting post pregnancy 0.8%. IM 400 od restarted 2 mo ago.", "bcr_abl1_is"),
    ],
)
def test_the_word_pregnancy_after_or_before_a_value_does_not_set_it_aside(text, field):
    assert field in _values(text)


def test_weeks_of_pregnancy_said_after_the_word_are_no_time_on_imatinib():
    assert _values("on imatinib 400 for 2 yrs pregnancy now 10 wks, PCR 0.01").get("months_on_tki") != 2.3


@pytest.mark.parametrize(
    "text, level",
    [
        ("Patient diagnosed in chronic phase now with BCR-ABL 2% at 6 months on imatinib 400", 2.0),
        ("Presented to clinic today with BCR-ABL 0.3%, IM 400 for 18m", 0.3),
    ],
)
def test_now_or_today_between_diagnosed_and_with_keeps_the_level(text, level):
    assert _values(text)["bcr_abl1_is"] == level


@pytest.mark.parametrize(
    "text, adherence, level",
    [("95% adherence 2 yrs on 400, pcr 0.2%", 95, 0.2), ("100% compliance 12m, 0.4% IS, IM 400", 100, 0.4)],
)
def test_a_percentage_before_an_adherence_word_and_a_time_is_the_adherence(text, adherence, level):
    values = _values(text)
    assert (values["adherence_pct"], values["bcr_abl1_is"]) == (adherence, level)


@pytest.mark.parametrize(
    "text",
    [
        "hx see above MMR since 2021, 400 od",
        "been in and out of MMR for a year, IM 400, 4 years",
        "discussed over MMR with her, 0.08% now, 3 yrs on IM 400",
    ],
)
def test_see_above_in_and_out_of_or_discussed_over_is_no_level_above_mmr(text):
    level = _read(text).values.get("bcr_abl1_is")
    assert level is None or level.bound != ">"


@pytest.mark.parametrize(
    "text",
    [
        "failed imatinib 300 after de-escalation, increased back to 400, now 0.06%",
        "failed imatinib at the reduced dose, increased back to 400, PCR 0.07",
        "lost CCyR after stopping imatinib (TFR), restarted 400 and increased to 600",
    ],
)
def test_a_failed_reduction_or_a_relapse_after_stopping_is_no_prior_failure(text):
    assert "prior_tki_failure" not in _values(text)


@pytest.mark.parametrize(
    "text",
    [
        "what's the usual induction therapy dose for CML chronic phase, 400 or 600?",
        "History of 7+3 for AML 10 yrs ago, now CML-CP, how often PCR?",
    ],
)
def test_imatinibs_induction_or_old_chemotherapy_stays_in_scope(text):
    assert _read(text).kind != "out_of_scope"


def test_a_twice_daily_dose_over_12_hours_after_a_slash_gives_no_hours():
    assert "hours_since_dose" not in _values("IM 400 bd/ 12h")


@pytest.mark.parametrize(
    "text",
    [
        "reduced 400->300 in 2022, back on 400 for 3 months after a blip, then reduced again to 300 in 2024, now MR4",
        "dropped from 400 to 300 in 2023, back on 400 briefly in 2024 for a blip, now 300 again, MR4",
    ],
)
def test_back_on_the_dose_then_down_again_is_still_a_reduction(text):
    assert _values(text).get("on_reduced_dose") is not False


def test_back_on_the_dose_before_the_reduction_ends_it_even_when_the_reduction_is_read():
    assert (
        _values("dose dropped 400 to 200 in 2024. put him back on 400 last month after PCR 0.12%")["on_reduced_dose"]
        is False
    )


def test_a_dose_asked_beside_chemotherapy_stays_in_scope():
    assert _read("TKI + 7+3 for myeloid BC, 400 or 600?").kind != "out_of_scope"


@pytest.mark.parametrize("text", ["never been outside MMR, IM 400 for 6 yrs", "not out of MMR at any point, IM 400 6y"])
def test_never_outside_a_response_is_no_level_above_it(text):
    level = _read(text).values.get("bcr_abl1_is")
    assert level is None or level.bound != ">"

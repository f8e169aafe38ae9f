"""Histories told in sentences and the edges of the scope (round 14's sessions, worked by class of failure; the
sentences here are our own): milestones said in words ("at three months … at six"), a sample's date in brackets
inside a list, results dated "in June" or "last week", the number said newest against a category said now,
another drug's level by its short name, another TKI's own taking, and small talk around a case."""

from __future__ import annotations

import datetime

import pytest

from reading import read

TODAY = datetime.date(2026, 12, 7)


def _read(text):
    return read(text, today=TODAY)


def _values(text):
    return {f: v.value for f, v in _read(text).values.items()}


# --- histories ----------------------------------------------------------------------------------------------------


def test_milestones_said_in_words_make_a_series_and_the_result_said_newest_is_the_level():
    r = _read("Slow start: 9% at three months, 1.5% at six. Her PCR from last week was 0.006%.")
    assert [(p.value, p.months) for p in r.series][:2] == [(9, 3), (1.5, 6)]
    assert r.values["bcr_abl1_is"].value == 0.006


def test_a_level_dated_last_week_after_a_list_is_the_level_now():
    assert _values("imatinib 400 since 2020. PCR 0.6% in March and 0.4% last week.")["bcr_abl1_is"] == 0.4


def test_a_sample_date_in_brackets_inside_a_list_in_clinic_notation_keeps_the_list():
    r = _read("IM 400 from Jan 2025. PCRs: 3/12 12%, 6/12 4.2%, 12/12 (Jan 26) 1.1%, 18/12 (Jul 26) 0.7%")
    assert r.values["bcr_abl1_is"].value == 0.7
    assert [p.value for p in r.series] == [12, 4.2, 1.1, 0.7]


def test_the_number_said_newest_beats_a_category_said_now():
    v = _values(
        "On imatinib 400 since 2018. He has now been in MR4 for the last two years. The PCR from last week was 0.005%."
    )
    assert v["bcr_abl1_is"] == 0.005
    assert v["dmr_months"] == 24


def test_a_relative_in_another_sentence_does_not_make_the_newest_level_someone_elses():
    v = _values("10% at 3 months and 0.9% at 6 months. Latest PCR 0.03%. His wife sorts his tablets.")
    assert v["bcr_abl1_is"] == 0.03


def test_someone_elses_results_are_no_series():
    r = _read("her brother was 0.02 % at 12 mo and 0.6% at 6 mo")
    assert r.series == []
    assert "bcr_abl1_is" not in r.values


def test_another_drugs_level_by_its_short_name_is_no_trough():
    v = _values("IM 400 od, PCR 0.2%, on posaconazole too - posa level 1.4 mg/L. interaction?")
    assert v.get("trough_ng_ml") in (None,)
    assert v["bcr_abl1_is"] == 0.2


# --- scope and speech acts ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Does dasatinib need to be taken with food?",
        "bosutinib with meals or on an empty stomach?",
        "Ponatinib for a T315I patient - start at 45 mg or 30 mg?",
    ],
)
def test_another_tkis_own_taking_or_dosing_is_out_of_scope_even_for_a_patient_with_a_mutation(text):
    assert _read(text).kind == "out_of_scope"


def test_imatinib_with_food_stays_a_question_the_sources_do_not_cover():
    assert _read("can imatinib be taken on an empty stomach?").kind == "question"


def test_booking_a_named_patient_is_a_command():
    assert _read("please book Mr Patel in for a PCR in three months").kind == "command"


def test_first_line_of_another_disease_is_out_of_scope():
    assert _read("new TTP, platelets 12, schistocytes. first line?").kind == "out_of_scope"


@pytest.mark.parametrize(
    "text",
    ["what makes a valid trough - how long after the dose?", "is a random level even meaningful?"],
)
def test_everyday_words_about_a_level_make_no_other_drug(text):
    assert _read(text).kind == "question"


@pytest.mark.parametrize("text", ["Which TKIs are active against E255K?", "what TKI options for V299L?"])
def test_which_tki_for_a_mutation_asked_of_no_one_is_a_question(text):
    assert _read(text).kind == "question"


@pytest.mark.parametrize(
    "text",
    ["E255K on her NGS. which TKI?", "T315I found. Which TKI now?", "what next for his T315I?"],
)
def test_a_mutation_found_in_a_patient_stays_a_case(text):
    assert _read(text).kind == "case"


@pytest.mark.parametrize(
    "text",
    [
        "are you just a bot then?",
        "Hi! got a few CML patients to go through with you",
        "how many more questions?? MDT starts in 10 mins",
    ],
)
def test_small_talk_around_the_work_is_small_talk(text):
    assert _read(text).kind == "small_talk"


def test_a_case_after_saying_one_is_busy_is_still_a_case():
    r = _read("I've got clinic in 5 - IM 400, 12 months, PCR 0.8%")
    assert r.kind == "case"
    assert r.values["bcr_abl1_is"].value == 0.8


# --- dictation, lists of results, wishes ----------------------------------------------------------------------------


def test_a_dictated_decimal_after_a_word_and_dictated_punctuation_are_read():
    v = _values(
        "patient on imatinib four hundred milligrams once a day comma PCR at twelve months point zero six percent "
        "comma adherence ninety percent full stop"
    )
    assert (v["dose_mg"], v["bcr_abl1_is"], v["adherence_pct"], v["months_on_tki"]) == (400, 0.06, 90, 12)


def test_a_response_category_beside_a_whole_adherence_figure_is_no_contradiction():
    v = _values("IM 400, MR4 for 2 years, MMR 4 yrs, 0.006%, 95% adherent. Drop to 300?")
    assert v["adherence_pct"] == 95
    assert v["bcr_abl1_is"] == 0.006


def test_mutations_with_their_allele_fractions_in_brackets_are_one_list():
    assert _values("Sanger: E255K (VAF 20%) and M351T (VAF 8%). options?")["mutations"] == ["E255K", "M351T"]


@pytest.mark.parametrize("text", ["mutation analyse negative, IM 400, 1.5%", "KD screen (Sanger) negative. IM 400, 2%"])
def test_a_negative_mutation_screen_in_other_spellings_is_no_mutation(text):
    assert _values(text)["mutations"] == []


@pytest.mark.parametrize(
    "text",
    [
        "If he stays in MR4 we'd like to cut to 200 mg. Now on 400 mg, PCR 0.008%, 5 years on TKI.",
        "The plan is to go 400->300 next year. Currently IM 400, MR4 for 3 years.",
        "IM 400 7 yrs, MR4.5; she would like to try a half dose before stopping",
    ],
)
def test_a_reduction_wished_or_planned_is_no_reduced_dose_now(text):
    v = _values(text)
    assert "on_reduced_dose" not in v and "standard_dose_mg" not in v
    assert v["dose_mg"] == 400


def test_a_wish_for_tfr_is_no_hypothetical():
    assert _values("IM 400 8 yrs, MR4 3 yrs. Would like TFR in the end. Reduce first?")["goal"] == "tfr"


def test_a_step_on_the_way_to_stopping_is_the_tfr_goal():
    assert _values("IM 400, MR4 for 3 yrs; keen on a half dose as a step towards stopping")["goal"] == "tfr"


@pytest.mark.parametrize(
    "text",
    [
        "IM 400 for 5 yrs, MMR. Could we lower the dose because of her swollen ankles?",
        "MR4, 6 yrs on 400, wants to come down to 300 as he's constantly exhausted",
    ],
)
def test_a_reduction_asked_for_a_side_effect_said_as_its_reason_has_the_tolerability_goal(text):
    assert _values(text)["goal"] == "tolerability"


def test_a_grade_beside_reduce_with_no_reason_said_gives_no_goal():
    assert "goal" not in _values("IM 400, 6 yrs, MR4 for 3 yrs, grade 1 rash. reduce?")


# --- times from a point, schedules in words, clock times, dates ---------------------------------------------------


def test_a_response_held_since_a_point_on_imatinib_is_counted_from_that_point():
    v = _values("IM 400 for 5 years, MMR since the 24 month sample, PCR 0.02%")
    assert v["mmr_months"] == 36
    v = _values("40 months on imatinib, MR4 reached at 22 months and sustained since")
    assert v["dmr_months"] == 18


def test_a_point_a_response_dates_from_is_no_time_held_nor_the_time_on_imatinib():
    v = _values("MMR since the 18 month PCR, IM 400, 0.03%")
    assert "mmr_months" not in v and "months_on_tki" not in v


def test_a_range_of_points_gives_no_time_held():
    assert "mmr_months" not in _values("MMR since month 6-12, now 36 mo on 400, 0.05%")


@pytest.mark.parametrize("text", ["IM 400 each morning, 12/12, 2%", "imatinib 400mg nocte. 18 months. 0.5%"])
def test_a_dose_taken_at_one_part_of_the_day_is_once_daily(text):
    assert _values(text)["dosing"] == "once_daily"


def test_a_dose_split_over_morning_and_night_is_twice_daily():
    assert _values("IM 600: 300 in the morning and 300 at night, 14 months, 1.2%")["dosing"] == "twice_daily"


@pytest.mark.parametrize(
    "text, hours",
    [
        ("took it at 9 last night and the sample was drawn at 8 this morning", 11),
        ("took it 10am yesterday, bled at 9.30 this morning", 23.5),
    ],
)
def test_hours_said_with_the_part_of_the_day_give_the_hours_after_the_dose(text, hours):
    assert _values(text)["hours_since_dose"] == pytest.approx(hours)


@pytest.mark.parametrize(
    "text, months",
    [
        ("imatinib 400 od, on it since 2024-06-15, PCR 0.3%", 29.7),
        ("She started imatinib 400 on 15 Jun 24. PCR 0.3%", 29.7),
    ],
)
def test_a_start_in_iso_form_or_with_a_two_digit_year_after_the_month_is_read(text, months):
    assert _values(text)["months_on_tki"] == pytest.approx(months, abs=0.3)


def test_a_dose_since_a_date_after_another_dose_gives_the_days_at_the_dose():
    v = _values("on imatinib 600 since June 2025 after failing 400, PCR 1.5%")
    assert "months_on_tki" not in v
    assert v["days_at_current_dose"] == pytest.approx(540, abs=2)


def test_imatinib_since_a_year_with_a_dose_only_proposed_stays_the_time_on_imatinib():
    assert _values("IM 400 since 2020, PCR 0.6%, up to 600?")["months_on_tki"] == pytest.approx(77.2, abs=0.3)


# --- corrections and answers inside a form ------------------------------------------------------------------------

from reading.context import in_context  # noqa: E402  (the form's reading, beside the message's)


def _in_form(text, asked, known):
    r = in_context(_read(text), asked=asked, known=known, today=TODAY)
    return r.kind, {f: v.value for f, v in r.values.items()}


@pytest.mark.parametrize(
    "text, known, field, value",
    [
        ("oops, the trough was 980 not 890", {"trough_ng_ml": 890, "dose_mg": 400}, "trough_ng_ml", 980),
        ("sorry I gave you the wrong one, 0.6 was March's. Latest is 0.2", {"bcr_abl1_is": 0.6}, "bcr_abl1_is", 0.2),
        ("my mistake, I put 18 months, it's 18 weeks", {"months_on_tki": 18}, "months_on_tki", 4.14),
        ("wait I wrote 48 months - actually 4 years 6 months", {"months_on_tki": 48}, "months_on_tki", 54),
    ],
)
def test_a_correction_that_restates_an_earlier_value_replaces_it_with_the_other(text, known, field, value):
    kind, values = _in_form(text, "adherence_pct", known)
    assert kind == "correction"
    assert values[field] == pytest.approx(value, abs=0.01)


def test_a_correction_with_two_other_numbers_changes_nothing_it_cannot_tell():
    _, values = _in_form("sorry, 890 was wrong: 980 or 990, not sure", "adherence_pct", {"trough_ng_ml": 890})
    assert "trough_ng_ml" not in values


def test_a_number_said_first_answers_the_question_before_a_correction():
    kind, values = _in_form("23. and sorry, dose is 300 not 400", "hours_since_dose", {"dose_mg": 400})
    assert values == {"hours_since_dose": 23, "dose_mg": 300}


@pytest.mark.parametrize("text, days", [("since 1st Oct", 67), ("from September", 83)])
def test_a_day_or_month_without_a_year_answers_how_long_at_the_dose(text, days):
    _, values = _in_form(text, "days_at_current_dose", {"dose_mg": 600})
    assert values["days_at_current_dose"] == days


def test_a_change_to_the_dose_now_dated_by_its_month_gives_the_days_at_it():
    assert _values("IM 400 for 3 yrs, went up to 600 in September, 0.9%")["days_at_current_dose"] == 83


@pytest.mark.parametrize(
    "text",
    ["IM 400 for 2 yrs, escalated to 600 last month, 1.1%", "on IM 400 for 2 yrs then went up to 600, 1.1%"],
)
def test_the_dose_a_change_told_went_to_is_the_dose_now(text):
    v = _values(text)
    assert v["dose_mg"] == 600
    assert "days_at_current_dose" not in v  # the two years were at 400


def test_a_dose_told_after_the_last_change_leaves_the_dose_to_ask():
    v = _values("Started at 800 in 2018, reduced to 400 in 2020, then 200 since June 2025. PCR 0.004%.")
    assert v.get("dose_mg") != 400


# --- thresholds said without a bound, planned times, a dose beside a level, closed ranges --------------------------


def test_a_target_said_without_its_bound_is_no_patient_level():
    v = _values("pt 12/12 on IM 400, PCR 0.6%. The ELN target is 1% by 12 months, right?")
    assert v["bcr_abl1_is"] == 0.6
    assert _values("target trough 1000 ng/mL; hers came back 700 ng/mL at 24 h on 400")["trough_ng_ml"] == 700


def test_a_time_planned_for_a_repeat_does_not_date_the_result_out():
    v = _values("4 months on imatinib 400, 3-month PCR was 12%, repeat planned at 6 months")
    assert (v["bcr_abl1_is"], v["months_on_tki"]) == (12, 4)


def test_a_dose_then_a_dash_then_a_level_with_its_unit_is_no_range():
    v = _values("level taken 5 days after going up to 600 - 2100 ng/mL at 23h")
    assert (v["dose_mg"], v["trough_ng_ml"], v["hours_since_dose"]) == (600, 2100, 23)


@pytest.mark.parametrize(
    "text",
    [
        "between 12 and 15 months on imatinib 400, 1.2% IS",
        "anywhere between two and three years on imatinib 400, PCR 0.2%",
    ],
)
def test_a_closed_range_leaves_the_dose_after_it_alone(text):
    assert _values(text)["dose_mg"] == 400


# --- mutations tested for, time said after another event, new cases and other chats inside a form ----------------


@pytest.mark.parametrize(
    "text",
    [
        "IM 400, 7% at 12 mo, tested for T315I and it wasn't there",
        "IM 400, 12/12, 3%; screened for E255K",
        "F317L cleared on the latest screen, IM 600, 0.4% at 24 months",
        "IM 400, 9% at 12 months. Looking for T315I next week",
    ],
)
def test_a_mutation_tested_for_or_gone_is_no_mutation_found(text):
    assert not _values(text).get("mutations")


def test_mutations_said_excluded_in_brackets_are_a_negative_screen():
    assert _values("IM 400, 12m, 3%, KD screen negative (T315I, Y253H excluded)")["mutations"] == []


def test_a_start_dated_from_another_event_is_no_time_on_imatinib():
    assert "months_on_tki" not in _values("Diagnosed 2 years ago, imatinib started 3 months later, PCR 0.4%")


def test_a_new_patient_told_inside_a_form_is_a_case_of_its_own():
    kind, values = _in_form("Next patient - IM 400, 18 months, 0.3%", "adherence_pct", {"dose_mg": 300})
    assert kind == "case"
    assert values == {"dose_mg": 400, "months_on_tki": 18, "bcr_abl1_is": 0.3}


@pytest.mark.parametrize(
    "text, kind",
    [
        ("sorry wrong chat - meant to ask about an INR of 6 on warfarin", "out_of_scope"),
        ("actually could you book her bloods in 2 weeks", "command"),
        ("sorry, ignore that. Different patient: 9 yo on imatinib for CML, dose?", "out_of_scope"),
    ],
)
def test_requests_outside_the_job_inside_a_form_stay_outside(text, kind):
    assert _in_form(text, "adherence_pct", {"dose_mg": 400})[0] == kind


# --- round 15's development part: scope, small talk, the gap beside a case ----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Which nilotinib dose do we start at after imatinib failure?",
        "moving from imatinib to bosutinib - what bosutinib dose?",
        "how do you manage dasatinib effusions - hold it or diurese?",
        "can you complete the pharmacy's funding approval form for her imatinib?",
        "locked out of the EPR again - can you reset my password?",
        "pt swallowed 15 x 400mg imatinib tabs an hour ago, what now",
    ],
)
def test_requests_outside_the_job_that_name_imatinib_are_out_of_scope(text):
    assert _read(text).kind in ("out_of_scope", "command")


def test_a_letter_asked_for_with_several_words_before_it_is_an_order():
    assert _read("could you print all of this as a discharge letter for the GP?").kind == "command"


def test_halving_asked_in_a_clinicians_shorthand_is_a_case_not_a_patients_question():
    r = _read("imatinib 400 mg, 3 years, PCR 0.05%, MMR 10 months, cramps grade 2. Can I halve the dose?")
    assert r.kind == "case"
    assert "can i skip" not in r.text.lower()
    assert _read("on 400 for 2 years, pcr 0.06, can i skip a dose tomorrow").kind == "out_of_scope"


def test_a_case_told_with_dose_and_level_beside_an_uncovered_topic_is_assessed():
    r = _read("Diagnosed 4 years ago but only started imatinib this spring after her pregnancy. On 400 mg, PCR 2%.")
    assert r.kind == "case"
    assert _read("on IM 400, she is pregnant - what now?").kind == "question"


def test_a_dose_after_a_switch_from_another_tki_to_imatinib_is_imatinibs():
    assert _values("switched from dasatinib to imatinib 400 od 5 months ago, PCR 0.3% now")["dose_mg"] == 400


@pytest.mark.parametrize(
    "text",
    [
        "hold on, just need to find the letter",
        "sorry - pager's going, back in 10",
        "hi! got a few CML ones for you when clinic's quieter",
        "who are you and who built you? are you even approved to give dosing advice?",
    ],
)
def test_talk_around_the_work_inside_and_outside_a_form_is_small_talk(text):
    assert _read(text).kind == "small_talk"


# --- rejected results, rules said as requirements, denied goals, numbers taken back after their unit --------------


@pytest.mark.parametrize(
    "text, field",
    [
        ("Trough 420 ng/mL but the sample was haemolysed, unreliable. IM 400 od, PCR 0.7% at 14/12", "trough_ng_ml"),
        ("IM 300 since May (was 400). Oct PCR 0.5% but it was rejected, ABL1 too low. What now?", "bcr_abl1_is"),
    ],
)
def test_a_result_the_lab_did_not_accept_is_no_value_and_the_case_stands(text, field):
    r = _read(text)
    assert r.kind == "case"
    assert field not in r.values
    assert any(n.field == field and "did not accept" in n.why for n in r.not_values)


def test_a_line_named_by_its_level_is_no_patient_level():
    assert "bcr_abl1_is" not in _values("IM 400, 12 months. Will he get under the 1% mark? PCR sent, not back yet.")


def test_a_rules_requirement_is_no_time_of_the_patient():
    v = _values("She needs 24 months of MR4 before we stop, right? IM 400 for 6 years, MR4 since the 36 month PCR.")
    assert v["dmr_months"] == 36
    assert (
        _values("ELN wants more than 3 years of MR4 and over 5 years of TKI. Ours: IM 400 for 7 years")["months_on_tki"]
        == 84
    )


def test_a_trough_on_an_old_lower_dose_is_neither_the_level_nor_a_dose_before_a_reduction():
    v = _values("The trough in spring was 700 ng/mL on the old 300 mg dose; on 400 since. PCR 0.2% at 2 yrs.")
    assert "trough_ng_ml" not in v and "standard_dose_mg" not in v and "on_reduced_dose" not in v
    assert v["dose_mg"] == 400


def test_a_ddpcr_said_not_to_be_had_gives_no_ddpcr_result():
    # (not done: the spec's null, never the conventional PCR's MR4.5 read as the ddPCR's)
    v = _values("No ddPCR here - standard RQ-PCR shows MR4.5. IM 400, 7 yrs, MR4 x 4 yrs")
    assert v.get("ddpcr_mr45") is None
    assert "ddpcr_mr45" not in _values("We don't have ddPCR - conventional RQ-PCR shows MR4.5. IM 400, 7 yrs")


def test_a_goal_denied_is_not_the_goal_and_a_side_effect_named_is_tolerability():
    assert _in_form("honestly the cramps, she's not keen on stopping", "goal", {"dose_mg": 400})[1] == {
        "goal": "tolerability"
    }
    assert "goal" not in _in_form("she's not interested in stopping", "goal", {"dose_mg": 400})[1]


def test_a_number_taken_back_after_its_unit_keeps_the_unit():
    assert _values("she's 4 yrs on it, no wait 5 - imatinib 400, PCR 0.03%")["months_on_tki"] == 60


# --- dates before results, no side effects now, time at a dose said of the dose ------------------------------------


def test_an_iso_date_before_a_result_is_no_result():
    v = _values("IM 400 od from 2024-03-01. PCR 2026-10-30: 0.7 % IS. adherence 100%.")
    assert v["bcr_abl1_is"] == 0.7


@pytest.mark.parametrize("text", ["8y IM 400, MR4 x 5y, adh 100, no AE", "IM 400, MMR 3 yrs, nil ADRs"])
def test_no_adverse_event_in_short_is_grade_0(text):
    assert _values(text)["ae_grade"] == 0


def test_a_grade_of_the_past_beside_no_side_effects_now_is_grade_0():
    v = _values("Had grade 3 neutropenia early on (settled after a break). No side effects at all now. IM 400, 3 yrs.")
    assert v["ae_grade"] == 0
    assert _values("no side effects before, now grade 2 cramps, IM 400")["ae_grade"] == 2


@pytest.mark.parametrize(
    "text, days",
    [
        ("trough 820 ng/mL at 24h, steady dose 4 months, IM 400", 122),
        ("Trough 700 ng/mL, 23h post dose, 5 wks stable dosing. IM 400", 35),
        ("level 1.9 µmol/L at 24 h; she's been on that dose about a year", 365),
        ("trough 1300 ng/mL at 24 hours, she has been on 600 milligrams once daily for 2 weeks", 14),
    ],
)
def test_a_time_said_of_the_dose_is_the_days_at_it_not_the_time_on_imatinib(text, days):
    v = _values(text)
    assert v["days_at_current_dose"] == pytest.approx(days, abs=1.5)
    assert "months_on_tki" not in v


@pytest.mark.parametrize(
    "text",
    [
        "Treatment: imatinib 400 mg once daily (commenced March 2022). BCR-ABL1 0.02% IS.",
        "Pat. 65 J., Imatinib 400 mg 1-0-0 seit 03/2022, BCR-ABL 0,02 %IS",
    ],
)
def test_a_start_said_as_commenced_or_seit_dates_the_course(text):
    v = _values(text)
    assert v["months_on_tki"] == pytest.approx(56.7, abs=0.5)
    assert v["bcr_abl1_is"] == 0.02


def test_the_german_scheme_one_nought_nought_is_once_daily():
    assert _values("Imatinib 400 mg 1-0-0, 12 Monate, BCR-ABL 0,5 %IS")["dosing"] == "once_daily"


# --- limits found by a review of this session's change (each confirmed, then mended) -------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "IM 400 2 yrs, KD screen: T315I, lost MMR, no other mutations, PCR 1.5 %",
        "IM 400 18 months, PCR 6 %, tested for T315I - positive, no other mutations",
    ],
)
def test_a_mutation_found_is_never_read_as_none_found(text):
    assert _values(text).get("mutations") != []


def test_a_mutation_gone_up_is_still_found():
    assert _values("IM 400, mutation screen: Y253H, gone up to 2 % now")["mutations"] == ["Y253H"]


@pytest.mark.parametrize(
    "text, proposed",
    [
        ("IM 400 for 2 years, PCR 2 % - ok if she is escalated to 600?", 600),
        ("IM 400, the consultant wants her increased to 600", 600),
        ("Should we switch nilotinib to imatinib 400 for QT prolongation? PCR 0.05 %, 3 yrs on nilotinib", 400),
    ],
)
def test_a_dose_asked_or_wanted_is_never_the_dose_now(text, proposed):
    assert _values(text).get("dose_mg") != proposed


def test_a_change_reversed_without_a_number_leaves_the_dose_it_went_to_aside():
    assert (
        _values("IM 400 for 3 yrs, escalated to 600 last month, then reduced back because of rash").get("dose_mg")
        != 600
    )


@pytest.mark.parametrize(
    "text, known, field",
    [
        ("sorry, 400 is right - she takes 4 tablets", {"dose_mg": 400}, "dose_mg"),
        ("sorry, 800 is right, it was drawn on day 5", {"trough_ng_ml": 800}, "trough_ng_ml"),
    ],
)
def test_a_correction_that_confirms_a_value_changes_nothing(text, known, field):
    _, values = _in_form(text, "adherence_pct", known)
    assert values.get(field) in (None, known[field])


def test_a_number_taken_back_right_after_the_answer_gives_way():
    assert _in_form("3. Sorry, 2 - grade 2", "ae_grade", {"dose_mg": 400})[1]["ae_grade"] == 2


def test_an_hour_after_midnight_said_with_last_night_is_not_read():
    assert "hours_since_dose" not in _values("took IM at 12 last night, trough drawn at 10 this morning, 1300 ng/ml")


def test_a_response_reached_but_not_held_gives_no_time_held():
    assert "mmr_months" not in _values("IM 400 for 3 yrs, achieved MMR at 12 months but not sustained, PCR 0.4 % now")


def test_a_date_word_after_one_result_does_not_make_the_next_the_newest():
    assert _values("PCR 0.5 % yesterday and 0.3 % in March").get("bcr_abl1_is") != 0.3


def test_a_word_that_begins_like_a_month_is_no_month():
    assert _values("IM 400 for 3 yrs, PCR 2 % marked rise from 0.1 % in October").get("bcr_abl1_is") != 0.1


def test_no_followed_by_a_count_takes_nothing_back():
    assert _values("IM 400 for 2 years, no. 3 PCRs all in MMR")["months_on_tki"] == 24


def test_a_past_reduction_for_a_side_effect_is_no_goal_against_a_wish_to_stop():
    assert (
        _values("Reduced to 300 in 2021 for neutropenia. Now MR4.5 for 4 years on IM, thinking about stopping")["goal"]
        == "tfr"
    )


def test_a_month_without_a_year_in_a_sentence_dated_by_another_year_gives_no_days():
    assert "days_at_current_dose" not in _values("Diagnosed 2018. In 2019 we increased to 600 in March, PCR 0.5%")


def test_since_this_very_month_without_a_year_is_asked():
    assert "days_at_current_dose" not in _in_form("since Dec", "days_at_current_dose", {"dose_mg": 600})[1]


@pytest.mark.parametrize(
    "text",
    [
        "Pharmacy count: she took 26 x 400 mg tabs in the last 28 days, PCR 0.2 %",
        "Complete cytogenetic response on marrow report; PCR 0.8% at 12 months on IM 400",
        "sorry wrong window - pcr 0.5 % at 12 months on 400",
        "switched from dasatinib for toxicity to imatinib 400 - grade 2 cramps, should I reduce?",
    ],
)
def test_cases_stay_cases_beside_the_new_scope_rules(text):
    assert _read(text).kind == "case"


@pytest.mark.parametrize(
    "text",
    [
        "PCR 0.3 %, sample ok - not haemolysed, IM 400",
        "PCR 1.2 % at 12 months on IM 400 - please repeat the KD screen",
        "PCR 0.04 % on IM 400, the previous result was haemolysed so this is the first reliable one",
        "IM 400, 12-month milestone PCR 0.8 %",
    ],
)
def test_results_beside_words_of_a_rejected_sample_or_a_milestone_stay_read(text):
    assert "bcr_abl1_is" in _values(text)


def test_another_patient_told_after_a_case_stays_someone_elses():
    v = _values("IM 400, PCR 1.5%. Another patient - on 600, trough 2000")
    assert v.get("dose_mg") == 400


def test_a_decimal_said_first_is_never_split_into_an_answer():
    # (the fuzz of every form slot found it: "🧬 0.1 🧬?" asked the grade had answered grade 0 from "0." of "0.1")
    assert "ae_grade" not in _in_form("🧬 0.1 🧬?", "ae_grade", {"dose_mg": 400})[1]


@pytest.mark.parametrize("text", ["-5", "<5", "-0.1 %"])  # ("~5 %" is about 5 %: the normaliser reads it)
def test_a_sign_or_bound_before_a_number_said_first_is_not_dropped(text):
    # (the fuzz of every form slot: "-5" asked adherence had answered 5 %)
    assert _in_form(text, "adherence_pct", {"dose_mg": 400})[1].get("adherence_pct") not in (5, 0.1)

"""Everyday notation that the reader missed or misread (round 12's development part showed the classes; the
sentences here are our own): halves of a unit, glued units, ages beside a sex, frustration and holding replies in
a form, emphasis in capitals, a leukaemia's emergencies, shares of cells or transcripts, and the sampling time of a
level not taken."""

from __future__ import annotations

import pytest

from reading import read
from reading.context import in_context
from reading.speech import route


def _values(text):
    return {f: v.value for f, v in read(text).values.items()}


@pytest.mark.parametrize(
    "text, months",
    [
        ("on IM 400 for 2 1/2 years, PCR 0.2%", 30),
        ("imatinib 400 for 3½ yrs, BCR-ABL 0.04%", 42),
        ("treated with imatinib 400 mg since 2 and half year, PCR 0,3 %", 30),
        ("PCR 9% and she is now 5 1/2 months in, IM 400", 5.5),
    ],
)
def test_a_whole_and_a_half_of_a_unit_is_read(text, months):
    assert _values(text)["months_on_tki"] == months


def test_a_time_in_halves_is_no_age_of_a_child():
    r = read("trough 900 ng/mL at 24 h on 400; PCR 6% at 3 months, he's now 3 1/2 months in")
    assert r.kind == "case" and r.values["months_on_tki"].value == 3.5
    assert read("my patient is 15, on imatinib 300 mg, PCR 2%").kind == "out_of_scope"  # still a child


def test_a_log_reduced_is_a_response_not_a_reduced_dose():
    r = read("she is 4 log reduced at 2 years on imatinib 400, is that optimal?")
    assert r.assessment == "response" and "on_reduced_dose" not in r.values
    assert r.values["bcr_abl1_is"].value == pytest.approx(0.01)


@pytest.mark.parametrize(
    "text, months",
    [("51 yr male, IM 400 for 3 years, PCR 0.2%", 36), ("67 y woman on imatinib 400, 0.5% at 2 yrs", 24)],
)
def test_an_age_beside_the_sex_is_no_time_on_imatinib(text, months):
    assert _values(text)["months_on_tki"] == months


@pytest.mark.parametrize(
    "text, days",
    [
        ("trough 700 ng/mL at 23 h, but only 4 days at 600mg since the increase", 4),
        ("level 1200 ng/mL 24 h post dose, same dose for 5 months, 400 od", 152.2),
        ("trough 850 ng/mL (24h); the same regime x 3 wks", 21),
    ],
)
def test_a_time_at_the_dose_with_a_glued_unit_or_said_as_the_same_dose(text, days):
    values = _values(text)
    assert values["days_at_current_dose"] == pytest.approx(days, abs=0.5)
    assert values.get("months_on_tki", 99) > 1  # never the days as the time on imatinib


@pytest.mark.parametrize(
    "text",
    [
        "PCR 3% at 6 months on 400. he takes every single tablet",
        "the adherence is very good, she never forget, PCR 1.5% at 12 months",
        "he take every dose, IM 400, 1% at 12 months",
    ],
)
def test_every_dose_taken_said_plainly_or_in_a_second_language_is_full_adherence(text):
    assert _values(text)["adherence_pct"] == 100


@pytest.mark.parametrize(
    "text, level",
    [
        ("Marrow at 12 months: Ph+ 20% (4/20 metaphases); blood PCR the same day 0.9% IS. IM 400", 0.9),
        ("NGS: E255K found in about 30% of BCR-ABL1 transcripts. IM 400, PCR 2.5%", 2.5),
        ("FISH 12% of nuclei positive; IM 600, RQ-PCR 1.1%", 1.1),
    ],
)
def test_a_share_of_metaphases_transcripts_or_nuclei_is_no_level(text, level):
    assert _values(text)["bcr_abl1_is"] == level


def test_the_sampling_time_of_a_level_not_taken_goes_with_it():
    text = (
        "trough 650 ng/mL at 24 h two years ago, went up to 600 after that; PCR now 0.3%. No repeat level since "
        "the escalation. Another one?"
    )
    values = _values(text)
    assert "trough_ng_ml" not in values and "hours_since_dose" not in values
    assert _values("trough 650 ng/mL at 24 h, IM 400 od")["hours_since_dose"] == 24  # kept with its level


@pytest.mark.parametrize(
    "text",
    ["ok one sec", "hang on, pulling up the notes", "give me a minute, checking the chart", "ugh so many questions"],
)
def test_a_holding_reply_or_a_sigh_in_a_form_answers_nothing(text):
    r = in_context(read(text), asked="adherence_pct", known={"dose_mg": 400})
    assert r.kind == "small_talk" and not r.values


def test_a_short_answer_with_a_clinical_word_is_still_read_as_an_answer():
    r = in_context(read("II/III fatigue depending on the week"), asked="ae_grade", known={"dose_mg": 400})
    assert r.kind != "small_talk"


@pytest.mark.parametrize(
    "text", ["why do you need ALL of this?? I just want a yes or no", "so many questions", "just give me the answer"]
)
def test_frustration_is_small_talk_answered_with_the_help(text):
    assert read(text).kind == "small_talk"
    assert route(text, None, [], [])[0] == "help"


def test_all_in_capitals_as_emphasis_is_no_leukaemia_but_the_abbreviation_is():
    assert read("do you need ALL of these values?").scope != "other_disease"
    assert read("imatinib dose in Ph+ ALL?").kind == "out_of_scope"


@pytest.mark.parametrize(
    "text",
    [
        "just diagnosed CML, WBC 310, priapism for 6 hours, what now",
        "new CML with WBC 400 and confusion, ?leukostasis - what dose of imatinib to start",
    ],
)
def test_a_leukaemia_emergency_is_answered_first(text):
    r = read(text)
    assert r.kind == "out_of_scope" and r.scope == "emergency"
    assert read("priapism at diagnosis back in 2018; now MR4 on IM 400 for 6 yrs, reduce?").kind == "case"


def test_a_slash_between_spaces_separates_values_and_a_unit_slash_stays_a_unit():
    values = _values("trough 1040 ng/mL / 22h post dose / 400mg od / PCR 0.5% at 18 mo")
    assert values["trough_ng_ml"] == 1040 and values["hours_since_dose"] == 22 and values["bcr_abl1_is"] == 0.5
    assert _values("IM 400 / 0.3%")["bcr_abl1_is"] == 0.3
    assert _values("imatinib 400 mg / day, PCR 0.1%")["dose_mg"] == 400


@pytest.mark.parametrize(
    "text, hours",
    [
        ("trough 900 ng/mL, drawn 21 h 30 min after the dose", 21.5),
        ("level 1.2 mg/L, 23 hours and 15 minutes post", 23.25),
    ],
)
def test_hours_with_minutes_are_hours_with_a_decimal(text, hours):
    assert _values(text)["hours_since_dose"] == hours


@pytest.mark.parametrize(
    "text, dose",
    [
        ("the dose is actually 300 not 400, sorry", 300),
        ("before that: the dose is 600, not 400 - he was escalated in May", 600),
    ],
)
def test_a_dose_corrected_in_a_form_is_the_dose_now(text, dose):
    r = in_context(read(text), asked="hours_since_dose", known={"dose_mg": 400})
    assert r.kind == "correction" and r.values["dose_mg"].value == dose and "standard_dose_mg" not in r.values


def test_a_dose_taken_with_a_possessive_is_the_dose():
    assert _values("she took her 300 at 20:00, level drawn at 20:00 next day: 900 ng/mL")["dose_mg"] == 300


@pytest.mark.parametrize(
    "text",
    [
        "G250E on imatinib - would nilotinib be fine?",
        "mutation is M351T. bosutinib or dasatinib - which?",
        "Sanger report: p.Phe359Val. IM 600, failure at 12 months per ELN. Nilotinib or dasatinib?",
    ],
)
def test_a_mutation_of_the_patient_at_hand_with_a_choice_of_tki_is_a_mutation_case(text):
    r = read(text)
    assert (r.kind, r.assessment) == ("case", "mutation")


@pytest.mark.parametrize(
    "text", ["someone with G250E on imatinib - is nilotinib fine?", "is bosutinib active against M351T?"]
)
def test_a_mutation_of_anyone_asked_about_stays_a_question(text):
    assert read(text).kind == "question"


# limits of the rules above, from a probe by a second reader (the sentences are our own)


@pytest.mark.parametrize(
    "text, months",
    [
        ("on IM 400 for 6 yrs lady keen to stop, MR4 for 2 yrs", 72),
        ("imatinib 400 x 3 yrs male, PCR 0.2%", 36),
    ],
)
def test_a_time_said_of_the_drug_before_a_sex_word_is_no_age(text, months):
    assert _values(text)["months_on_tki"] == months


def test_a_value_naming_another_person_is_not_this_patients():
    values = _values("the 0.002% gentleman on 400 is fine; this one: IM 400 od for 3 yrs, PCR 2.4%, work-up?")
    assert values["bcr_abl1_is"] == 2.4


def test_another_drugs_course_is_no_time_at_the_dose_or_on_imatinib():
    values = _values("7 days on 500mg levofloxacin; imatinib 400 mg daily for 3 yrs; trough 2400 ng/mL 24h")
    assert values.get("days_at_current_dose") != 7 and values.get("months_on_tki", 36) == 36
    values = _values("the same regime x 2 wks of voriconazole; imatinib 400 mg, trough 2900 ng/mL at 24 h")
    assert "days_at_current_dose" not in values


def test_a_time_at_the_same_dose_before_a_change_is_not_now():
    values = _values("was on the same dose for 5 months before going up to 600 a week ago; trough 1200 ng/mL at 24 h")
    assert values.get("days_at_current_dose") != pytest.approx(152.2, abs=1)


def test_a_half_after_a_times_sign_is_a_duration_not_a_twice_daily_dose():
    values = _values("on imatinib 400 mg x 2.5 yrs, PCR 0.02%")
    assert values["dose_mg"] == 400 and values["months_on_tki"] == 30 and "dosing" not in values
    assert _values("IM 400 mg x2, trough 1500 ng/mL at 12 h")["dose_mg"] == 800


@pytest.mark.parametrize(
    "text",
    [
        "she never forgets her clinic appointments; IM 400, 1% at 12 months",
        "he never forgets to ring for his results, IM 400, 1% at 12 months",
    ],
)
def test_never_forgetting_something_else_is_no_adherence(text):
    assert "adherence_pct" not in _values(text)
    assert _values("she never forgets her tablets, IM 400, 1% at 12 months")["adherence_pct"] == 100


def test_a_share_in_brackets_after_its_metaphases_is_no_level():
    values = _values("Ph+ in 6 of 20 metaphases (30%) at 6 months, IM 400, PCR pending")
    assert values.get("bcr_abl1_is") != 30


@pytest.mark.parametrize(
    "text",
    [
        "Is tumour lysis likely when starting imatinib?",
        "can imatinib cause priapism?",
        "priapism at presentation, treated; now MR4 on IM 400",
    ],
)
def test_a_presentation_emergency_asked_about_or_past_is_no_emergency(text):
    assert read(text).scope != "emergency"


def test_all_of_a_lineage_is_the_leukaemia():
    assert read("ALL of T-cell type, Ph+, on imatinib 600").kind == "out_of_scope"


@pytest.mark.parametrize(
    "text",
    [
        "trough 520 ng/mL at 23 h on 400 mg; now on 600 mg for 3 wks, no repeat yet",
        "before the escalation to 600 the trough was 700 ng/mL (24 h). PCR 2% at 12 mo",
        "The 24 h level from 2023 (on 400) was 610 ng/mL. Dose 600 since March 2024. PCR 0.9% IS",
        "Old level last spring 640 ng/mL at 24 h; now on 600 mg for 6 weeks, no new level",
    ],
)
def test_a_trough_drawn_on_another_dose_than_now_is_no_current_level_nor_is_its_time(text):
    values = _values(text)
    assert "trough_ng_ml" not in values and "hours_since_dose" not in values
    assert values["dose_mg"] == 600


@pytest.mark.parametrize(
    "text, trough",
    [
        ("trough 1100 ng/mL at 24 h on 400 mg od, PCR 0.5%", 1100),
        ("trough 1900 ng/mL at 12 h on 400 bd, PCR 0.2%", 1900),
    ],
)
def test_a_trough_drawn_on_the_dose_now_stays(text, trough):
    assert _values(text)["trough_ng_ml"] == trough


def test_a_dose_with_its_date_in_a_history_of_doses_is_the_time_at_the_dose():
    values = _values("on 400 until 2023, trough then 520 ng/mL. Dose 600 since March 2024. PCR 0.9% IS")
    assert values["days_at_current_dose"] > 600 and values.get("months_on_tki", 99) > 30


@pytest.mark.parametrize(
    "text, reached",
    [
        ("IM 400 x 7 yrs, MR4 for 4 yrs; the ddPCR last month did not reach MR4.5. halve?", False),
        ("IM 400 od 6 yrs, MR4 3 yrs, ddPCR: MR4.5 not achieved. reduce?", False),
        ("IM 400 8 yrs, MR4 5 yrs, ddPCR this visit confirms MR4.5 - half dose?", True),
        ("IM 400 x 6 yrs, MR4 4 yrs; ddPCR 0.0021%. de-escalate?", True),
        ("ddPCR at the planned reduction 0.005 %; IM 400 x 5 yrs, MR4 3 yrs", False),
    ],
)
def test_a_ddpcr_result_said_in_words_or_as_a_number_is_read(text, reached):
    assert _values(text)["ddpcr_mr45"] is reached


@pytest.mark.parametrize(
    "text", ["IM 400 x 6 yrs, MR4 4 yrs, ddPCR planned for next month", "IM 400 x 6 yrs, MR4 4 yrs; ddPCR is pending"]
)
def test_a_ddpcr_not_done_yet_gives_no_result(text):
    assert _values(text).get("ddpcr_mr45") is None


@pytest.mark.parametrize(
    "text, confirmed",
    [
        ("3 mo PCR 19% on IM 400; repeated 5 wks later 17%. next step?", True),
        ("PCR 12% at 3 months, repeat 4 weeks later 16%, IM 400 od", True),
        ("3 month PCR 13%, repeated 6 wks later 7%. IM 400, adherent", False),
    ],
)
def test_a_level_above_ten_percent_repeated_later_is_confirmed_when_the_repeat_is_too(text, confirmed):
    values = _values(text)
    assert values["response_confirmed"] is confirmed


def test_a_repeat_of_a_level_under_ten_percent_confirms_nothing():
    assert "response_confirmed" not in _values("PCR 0.4% at 12 months, repeated 4 wks later 0.5%, IM 400")


@pytest.mark.parametrize(
    "text, status",
    [
        ("PCR 3% at 12 months on IM 400 - failure per ELN. next?", "failure"),
        ("not optimal, it's warning - PCR 0.6 at 15 mo", "warning"),
        ("I'd class him as suboptimal - 6/12 on IM, 4% IS", "warning"),
        ("pt on imatinib, 6 mo warning (5%), Y253H low level. relevant?", "warning"),
    ],
)
def test_the_response_class_said_in_clinic_words_is_read(text, status):
    assert _values(text)["response_status"] == status


@pytest.mark.parametrize(
    "text", ["is it warning or failure at 12 mo on IM 400?", "it was warning at 6 months, now 0.05%"]
)
def test_a_class_asked_about_or_past_is_not_read(text):
    assert "response_status" not in _values(text)


@pytest.mark.parametrize("text", ["ICD-10 code for CML, chronic phase?", "which SNOMED code for chronic phase CML?"])
def test_clinical_coding_is_not_the_assistants_job(text):
    assert read(text).kind == "out_of_scope"


@pytest.mark.parametrize(
    "text, field, months",
    [
        ("Eight years on IM 400, MR4 for the last 5 of them, latest 0.003%", "dmr_months", 60),
        ("on 400 for six years, MR4 for the last three and a half, grade 2 cramps", "dmr_months", 42),
        ("imatinib 400 for 30 months, in MMR for the last 18, PCR 0.04%", "mmr_months", 18),
    ],
)
def test_a_part_of_a_time_said_before_takes_its_unit(text, field, months):
    assert _values(text)[field] == months


def test_a_number_after_times_alone_is_no_part_of_a_time():
    assert "mmr_months" not in _values("IM 400 for 6 years, MMR for the first 2, then lost it")


def test_a_response_then_lost_is_no_level_now_and_one_never_lost_is():
    assert "bcr_abl1_is" not in _values("imatinib 400 for 5 years, MR4 for the first year, then lost it")
    assert _values("MMR at 12 months, never lost it, IM 400 x 4 yrs")["bcr_abl1_is"] == 0.1


# limits found by a review of this session's diff (sentences of our own)


@pytest.mark.parametrize(
    "text",
    [
        "IM 400 x 7 yrs, MR4 5 yrs. we will send a ddPCR to confirm MR4.5",
        "IM 400 x 7 yrs; would a ddPCR show MR4.5 here?",
        "IM 400 x 7 yrs, ddPCR sent off, RQ-PCR 0.002%",
    ],
)
def test_a_ddpcr_proposed_asked_about_or_without_its_own_result_gives_none(text):
    assert _values(text).get("ddpcr_mr45") is None


def test_the_last_ddpcr_said_is_the_result():
    assert _values("IM 400 x 7 yrs, ddPCR in 2023 showed MR4.5, but the latest ddPCR lost it")["ddpcr_mr45"] is False


@pytest.mark.parametrize(
    "text",
    [
        "5 PCRs in the past 2 years, MR4 for the last 4 of them; IM 400 for 6 years",
        "IM 400 since 2017, trough checked at 2 months, MR4 for the last 5, PCR 0.003%",
        "IM 400 for 6 yrs, MR4 for the last 2.5 and no side effects",
    ],
)
def test_a_part_of_anything_but_the_time_on_the_drug_takes_no_unit(text):
    assert "dmr_months" not in _values(text)


@pytest.mark.parametrize(
    "text",
    ["newly diagnosed CML with priapism for 3 hours, WBC 250", "new CML presenting with leukostasis, start imatinib?"],
)
def test_an_emergency_said_with_with_is_an_emergency(text):
    assert read(text).scope == "emergency"


@pytest.mark.parametrize(
    "text",
    ["priapism was her presenting feature 2 years ago; IM 400, PCR 0.05%", "new CML, leukostasis excluded, IM 400?"],
)
def test_an_emergency_past_or_excluded_is_none(text):
    assert read(text).scope != "emergency"


def test_warning_as_a_verb_is_no_response_class():
    assert "response_status" not in _values("PCR 0.04% at 12 months on IM 400; he's warning us he may stop")


def test_a_time_with_an_earlier_dose_inside_it_is_not_the_time_at_the_dose_now():
    values = _values("imatinib 600 x 3 years (400 for the first year), trough 1300 ng/mL at 24 h")
    assert values.get("days_at_current_dose") is None


@pytest.mark.parametrize(
    "text, field, value",
    [
        ("on IM 400 for 20 / 12, PCR 0.4%", "months_on_tki", 20),
        ("IM 400 x 4 / 52, trough 950 ng/mL at 24 h", "days_at_current_dose", 28),
    ],
)
def test_clinic_fractions_with_spaces_stay_durations(text, field, value):
    assert _values(text)[field] == value


def test_a_grade_range_with_a_spaced_slash_is_no_grade():
    assert "ae_grade" not in _values("grade 1 / 2 fatigue, IM 400 x 5 yrs, MR4")


@pytest.mark.parametrize(
    "text",
    [
        "MR4 on IM 400 for 6 yrs but lost weight recently, reduce?",
        "in MMR, but lost to follow-up for a year, IM 400 x 4 yrs",
    ],
)
def test_losing_something_else_than_the_response_keeps_it(text):
    assert "bcr_abl1_is" in _values(text)


def test_a_sex_word_after_the_patients_own_value_keeps_it():
    assert _values("IM 400 lady in MR4 for 3 yrs, on it 7 yrs, stop?")["dose_mg"] == 400
    assert _values("trough 1100 ng/mL lady on IM 400 at 24h")["trough_ng_ml"] == 1100


def test_a_change_asked_about_or_a_dose_now_without_another_keeps_the_trough():
    assert (
        _values("trough 2400 ng/mL at 24h, grade 3 oedema, repeat before the dose reduction?")["trough_ng_ml"] == 2400
    )
    assert _values("trough 500 ng/mL at 24 h, now on 400 for 5 years, repeat level requested")["trough_ng_ml"] == 500


def test_going_on_holiday_is_no_change_of_dose():
    assert (
        _values("on 600 for 3 weeks before going on holiday; trough 1300 ng/mL at 24 h")["days_at_current_dose"] == 21
    )

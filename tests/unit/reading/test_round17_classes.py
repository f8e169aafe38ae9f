"""Other drugs and money, targets and trial doses, times of the lab and of a response (round 17's development part,
worked by class of failure; the sentences here are our own): another drug's starting dose or class asked beside a
CML patient, another TKI's management or dosing across a sentence break, funding and how-to paperwork are out of
scope; a target's value, a trial's dose, a lab's turnaround time and a response's past milestone are no values of
the patient's."""

from __future__ import annotations

import pytest
from on_the_day import read_today as _read
from on_the_day import values_today as _values

# --- out of scope: another drug, another TKI, money and forms ------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "hydroxycarbamide loading dose for a new chronic phase CML with a high white count?",
        "newly diagnosed CML, WBC 150, what hydroxyurea doses do people use?",
        "how should I manage hypertension in a patient on nilotinib",
        "nilotinib dose after imatinib failure? 300 bd or 400 bd?",
        "will the CCG fund generic imatinib or is it an IFR?",
        "how do we fill in the Blueteq form for bosutinib?",
    ],
)
def test_another_drugs_dose_or_management_and_money_are_out_of_scope(text):
    assert _read(text).kind == "out_of_scope"


@pytest.mark.parametrize(
    "text",
    [
        "which antifungals interact with imatinib?",
        "imatinib starting dose in chronic phase?",
        "on imatinib 400 since 2021; would nilotinib be better? she is on 400 now, PCR 0.8%",
    ],
)
def test_imatinibs_own_dose_and_interactions_stay_ours(text):
    assert _read(text).kind != "out_of_scope"


# --- values that are not the patient's -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "has his level reached the 1000 ng/mL target yet? on IM 400 for 2 years, PCR 0.3%",
        "is she over the 1000 ng/ml threshold? 14 months on imatinib 400, result pending",
    ],
)
def test_a_target_named_after_its_value_is_no_trough(text):
    assert "trough_ng_ml" not in _read(text).values


def test_a_trials_patients_dose_is_not_the_patients_own():
    r = _read("In the DESTINY study patients dropped to 200 mg for a year. Mine: 7 years on 400, MR4 for 4 years.")
    assert r.values["dose_mg"].value == 400
    assert "on_reduced_dose" not in r.values
    assert r.assessment != "post_reduction"


def test_a_reduction_made_as_per_a_trial_is_still_the_patients():
    assert _values("Reduced 400 to 200 mg in April as per DESTINY; PCR 0.03%")["dose_mg"] == 200


def test_the_labs_turnaround_is_no_time_since_the_dose():
    r = _read("Pre-dose trough taken Monday, result back Wednesday (the lab takes 48 h): 1150 ng/mL. IM 400 x 2 yrs")
    assert "hours_since_dose" not in r.values
    assert r.values["trough_ng_ml"].value == 1150


@pytest.mark.parametrize(
    "text, level",
    [
        ("Sanger: Y253H detected at 20%. On imatinib 400 for 15 months, BCR-ABL 4%.", 4),
        ("NGS shows M351T (~10%). IM 400, 2 years, PCR 1.5%", 1.5),
        ("F359V found, VAF 25%, imatinib 400 for 12 months, PCR 6%", 6),
    ],
)
def test_a_mutations_share_of_the_reads_is_no_bcr_abl1_level(text, level):
    assert _values(text)["bcr_abl1_is"] == level


@pytest.mark.parametrize(
    "text", ["no mutations tested so far. PCR 3% at 12 months on IM 400", "NO MUTS SENT YET, 400, 12/12"]
)
def test_no_mutations_tested_is_not_tested_not_none_found(text):
    r = _read(text)
    assert "mutations" in r.values and r.values["mutations"].value is None


def test_no_mutations_found_is_none_found():
    assert _values("no mutations found, PCR 3% at 12 months on IM 400")["mutations"] == []


# --- inside a form ---------------------------------------------------------------------------------------------------


def _in_form(text, asked, known):
    from reading.context import in_context

    return in_context(_read(text), asked=asked, known=known)


def test_ddpcr_said_not_done_while_it_is_asked_is_not_done_not_no():
    r = _in_form("oh and the PCR was 0.02 not 0.2 - no, ddPCR was never done", "ddpcr_mr45", {"bcr_abl1_is": 0.2})
    assert r.values["ddpcr_mr45"].value is None
    assert r.values["bcr_abl1_is"].value == 0.02


def test_the_pronoun_i_is_no_grade_one():
    r = _in_form("wait, I got the time wrong: she's been on imatinib 5 years not 4", "ae_grade", {"months_on_tki": 48})
    assert "ae_grade" not in r.values
    assert r.values["months_on_tki"].value == 60


# --- times of something else, times taken back, responses shown by ddPCR -------------------------------------------


def test_the_time_since_another_medicine_was_started_is_no_time_on_imatinib():
    r = _read("On imatinib 400 since 2021. Started turmeric capsules 3 months ago. PCR 0.9%")
    assert r.values["months_on_tki"].value > 60


@pytest.mark.parametrize(
    "text",
    ["started imatinib 400 three months ago, PCR 9%", "commenced treatment 3 months ago on IM 400, PCR 9%"],
)
def test_the_time_since_imatinib_was_started_stays(text):
    assert _values(text)["months_on_tki"] == 3


def test_the_time_a_response_was_reached_is_not_the_time_now():
    r = _read("Dx 2016, imatinib 400 from the start, achieved MMR at 12 months, MR4 by 2019. This month 0.2%.")
    assert r.values.get("months_on_tki") is None or r.values["months_on_tki"].value != 12


def test_a_response_never_reached_in_a_time_keeps_the_time():
    assert _values("she has never reached MMR in 2 yrs on IM 400, latest 0.5%")["months_on_tki"] == 24


@pytest.mark.parametrize(
    "text, field, value",
    [
        ("IM 400 od. PCR at 9 months - sorry, 8 months - was 3%.", "months_on_tki", 8),
        ("imatinib 400 for 2 years, no wait, 3 years; PCR 0.05%", "months_on_tki", 36),
        ("IM 400, 2 years, PCR 0.3% sorry 0.03%", "bcr_abl1_is", 0.03),
    ],
)
def test_a_value_taken_back_at_once_by_a_bare_one_is_the_bare_one(text, field, value):
    assert _values(text)[field] == value


def test_mr45_shown_by_ddpcr_is_the_levels_bound_over_the_mmr_beside_it():
    r = _read("6 years of imatinib 400, MR4.5 on ddPCR, MMR for 5 years, wants to reduce for fatigue")
    level = r.values["bcr_abl1_is"]
    assert (level.bound, level.value) == ("<=", 0.0032)


def test_mr45_on_ddpcr_asked_about_is_still_a_question():
    assert _read("MR4.5 on ddPCR - what is that in % IS?").kind == "question"


# --- a change told with "went from", goals in any words ---------------------------------------------------------------


def test_a_dose_that_went_from_one_to_another_some_days_ago_is_the_dose_now():
    r = _read("Her imatinib went from 400 to 600 twelve days ago; PCR 4% at 6 months")
    assert r.values["dose_mg"].value == 600
    assert r.values["days_at_current_dose"].value == 12


def test_a_level_that_went_from_one_to_another_is_the_second():
    assert _values("BCR-ABL went from 3% to 0.4% on IM 400 over 12 months")["bcr_abl1_is"] == 0.4


@pytest.mark.parametrize(
    "text",
    [
        "IM 400 for 8 years, MR4 for 4, and he would like to try stopping at some point",
        "On glivec 400 since 2016, deep response for years. She is hoping to come off it one day.",
    ],
)
def test_a_wish_to_stop_one_day_is_the_tfr_goal(text):
    assert _values(text)["goal"] == "tfr"


@pytest.mark.parametrize(
    "text",
    [
        "8 yrs IM 400, MR4 4 yrs; she does not want to stop",
        "IM 400 for 8 years, MR4; wants to stop the omeprazole first",
    ],
)
def test_no_tfr_goal_when_the_wish_is_denied_or_of_another_drug(text):
    assert _values(text).get("goal") != "tfr"


@pytest.mark.parametrize(
    "text",
    [
        "IM 400 for 6 years, MMR 4 years. Wants to come down - grade 2 diarrhoea most days.",
        "IM 400 6 yrs, MR4. Periorbital oedema grade 2 bothers him and he asks about halving the dose.",
        "6 yrs on imatinib 400, MMR; nausea grade 2, keen to reduce the dose",
    ],
)
def test_a_wish_to_reduce_beside_a_side_effect_is_the_tolerability_goal(text):
    assert _values(text)["goal"] == "tolerability"


# --- doses missed by how often ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "said, share",
    [
        ("misses one dose every two weeks", 92.9),
        ("forgets her tablets about once a week", 85.7),
        ("skips imatinib roughly twice a week", 71.4),
        ("he takes his statin every night but misses imatinib twice a week", 71.4),
    ],
)
def test_doses_missed_by_how_often_are_a_share_taken(said, share):
    from knowledge.normalize import normalize

    assert normalize("adherence_pct", said).value == share
    assert _values(f"IM 400 for 2 years, PCR 0.6%, {said}")["adherence_pct"] == share


def test_every_dose_but_the_weekends_is_asked_about_not_counted():
    r = _read("takes every dose except at weekends when she is away; IM 400 for 2 years, PCR 0.6%")
    assert "adherence_pct" not in r.values


# --- hours from clock times, times into another course ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text, hours",
    [
        ("takes her imatinib 400 at 9pm, level drawn at 11 the next morning: 1150 ng/mL", 14),
        ("he took his 400mg at 7am and the level was drawn at 1pm the same day, 2400 ng/mL", 6),
        ("trough drawn 4/12 at 09:15, last dose 10:00 on 3/12, 980 ng/mL on 400", 23.25),
        ("Sample collected: 05/12/2026 08:40\nLast dose (as reported): 04/12/2026 08:00\nResult 1010 ng/mL", 24.67),
    ],
)
def test_the_hours_since_the_dose_from_its_clock_times(text, hours):
    assert _values(text)["hours_since_dose"] == pytest.approx(hours, abs=0.01)


def test_a_time_into_another_drugs_course_is_no_time_since_the_dose():
    r = _read("on IM 400 od for 2 years; level taken 3 days into the clarithromycin, 24h post dose: 2100 ng/mL")
    assert r.values["hours_since_dose"].value == 24


@pytest.mark.parametrize("text", ["she is 14 mo into MR4 on IM 400 x 5 yrs", "9 mo into rx, IM 400, PCR 3%"])
def test_a_time_into_a_response_or_the_treatment_stays(text):
    assert _read(text).values
    assert not any(n.why == "a time into something else" for n in _read(text).not_values)


# --- a dose steady for a time, clinic notation before a dose, a switch for intolerance, a result not repeated --------


def test_a_dose_unchanged_for_a_time_then_changed_gives_no_days_at_the_dose_now():
    r = _read("IM 400 mg daily, unchanged for 2 years. Now 300 since Oct (cytopenias). trough 650 ng/mL at 24 h")
    days = r.values.get("days_at_current_dose")
    assert days is None or days.value < 100


def test_months_in_clinic_notation_before_the_dose_are_the_time_on_it():
    assert _values("adherent. 15/12 on 400, PCR 0.9%")["months_on_tki"] == 15


def test_a_switch_for_intolerance_not_resistance_is_no_prior_failure():
    assert (
        _values("moved to imatinib from dasatinib (intolerance, not resistance) 8 months ago, PCR 1%")[
            "prior_tki_failure"
        ]
        is False
    )


def test_a_result_not_repeated_is_not_confirmed():
    assert _values("IM 400, 6 months, BCR-ABL 12%, hasn't been repeated")["response_confirmed"] is False


# --- a blind review of this change (its cases, as the reviewer wrote them) -------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "400 od. Pt skips the once daily dose twice a week. PCR 0.5% at 12 months.",
        "misses the once daily dose about once a month. 400 od 2y, PCR 0.04%.",
    ],
)
def test_review_a_once_daily_schedule_is_no_count_of_doses_missed(text):
    assert _values(text).get("adherence_pct") != 0


def test_review_a_ddpcr_of_before_is_not_the_level_now():
    r = _read("ddPCR MR4.5 in 2022; latest RQ-PCR <0.1% but MR4 lost. On 300 since reduction from 400.")
    assert r.values["bcr_abl1_is"].value == 0.1


@pytest.mark.parametrize(
    "text, field, value",
    [
        ("on imatinib 2 years, actually first 6 months were on 600, now 400", "months_on_tki", 24),
        ("PCR 0.02% at 36 months, sorry 2 weeks ago. 400 od", "months_on_tki", 36),
    ],
)
def test_review_words_of_taking_back_before_something_else_take_nothing_back(text, field, value):
    assert _values(text)[field] == value


@pytest.mark.parametrize(
    "text",
    [
        "Grade 3 rash on imatinib 400. Derm wants her to stop, ?restart at 300",
        "Haem wants her to stop, and restart at 300 once the neutropenia recovers",
    ],
)
def test_review_someone_elses_order_to_hold_is_no_tfr_goal(text):
    assert _values(text).get("goal") != "tfr"


@pytest.mark.parametrize(
    "text",
    [
        "No diarrhoea or cramps; would like to come down to 300 as per DESTINY",
        "Asking about reducing (fatigue is not an issue, she just wants fewer tablets)",
        "Mild nausea, resolved. Would like to reduce as she's been in MR4.5 for 5 years",
    ],
)
def test_review_a_side_effect_denied_or_over_gives_no_tolerability_goal(text):
    assert _values(text).get("goal") != "tolerability"


def test_review_a_bracketed_drug_is_not_the_dose_timed():
    r = _read("last dose (fluconazole): 08:00; imatinib at 22:00, trough drawn 09:00, 1200 ng/mL")
    assert r.values.get("hours_since_dose") is None or r.values["hours_since_dose"].value == 11


def test_review_another_tests_level_is_no_sample_time():
    assert "hours_since_dose" not in _read("Took imatinib 09:00, creatinine levels at 21:00 were normal").values


@pytest.mark.parametrize(
    "text",
    ["moved from Leeds 2 years ago, on imatinib 400 since 2019", "platelets 400, stable for 6 months, on IM 400"],
)
def test_review_moves_and_counts_are_no_days_at_the_dose(text):
    assert "days_at_current_dose" not in _read(text).values


@pytest.mark.parametrize(
    "text, field",
    [
        ("Mutation screen: no T315I, 4.3% at 12 months on 400", "bcr_abl1_is"),
        ("She was in the IRIS study, they switched her later; now on 400 od for 6 years, PCR 0.02%", "dose_mg"),
        ("Was in a study, all PCRs done centrally, last 0.02%, IM 400 5y", "bcr_abl1_is"),
        ("started the drug 2 yrs ago, IM 400, PCR 0.3%", "months_on_tki"),
        ("trough result of 24h post-dose 1100 ng/mL on 400", "hours_since_dose"),
    ],
)
def test_review_values_read_before_the_change_are_still_read(text, field):
    assert field in _read(text).values


@pytest.mark.parametrize(
    "text",
    [
        "When is it worth measuring an imatinib trough? Our lab's assay isn't funded",
        "Pt previously on nilotinib. Now 400 mg od. Should it be taken with food?",
        "Pt on imatinib 400 with oral candida - which antifungal is safest?",
    ],
)
def test_review_questions_of_ours_are_not_refused(text):
    assert _read(text).kind != "out_of_scope"


# --- a dose changed since to one not said, a patient set aside in the sentence before ---------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Clinic letter from June says imatinib 600 mg od, but he was reduced since by the ward team. PCR 0.1%",
        "on 400 but the dose was changed in the summer, not sure to what, PCR 0.2%",
    ],
)
def test_a_dose_changed_since_to_one_not_said_is_not_the_dose_now(text):
    assert "dose_mg" not in _read(text).values


def test_a_dose_changed_to_one_said_is_that_dose():
    assert _values("on 400 but reduced to 300 in May, PCR 0.2%")["dose_mg"] == 300


def test_a_patient_named_in_the_sentence_before_the_dismissal_is_set_aside():
    r = _read("2 patients: bed 3 on IM 400, 0.001%, all good. ignore him though. it's bed 9: IM 400, 7 months, PCR 8%")
    assert _values(r.text)["bcr_abl1_is"] == 8
    assert r.values["months_on_tki"].value == 7


def test_a_trough_not_repeated_says_nothing_of_the_result_confirmed():
    r = _read("trough on 400 was 700; up to 600 in May and we haven't repeated it. 2 yrs on IM, PCR 0.9%")
    assert "response_confirmed" not in r.values


# --- round 18's development part: a response asked, a trial's definition, a clinician's "my ladies", supply ----------


def test_a_response_word_asked_is_no_bound():
    r = _read("PCR 0.03% on the last check, 4 yrs on IM 400 - is she in MR4 yet?")
    assert r.values["bcr_abl1_is"].value == 0.03 and r.values["bcr_abl1_is"].bound is None


def test_a_trials_definition_is_no_level_of_the_patient():
    r = _read("DESTINY called it loss of MMR after two consecutive >0.1%. Mine had one at 0.15% on 200 mg.")
    level = r.values.get("bcr_abl1_is")
    assert level is None or level.bound is None


def test_a_clinicians_own_patients_are_no_layperson():
    text = "one of my CML ladies on imatinib 300 since we reduced her from 400 has a PCR of 0.08%. Anything to do?"
    assert _read(text).kind == "case"


@pytest.mark.parametrize(
    "text",
    [
        "our pharmacy is out of stock of generic imatinib - which wholesaler has it?",
        "can you help me fill in the prior authorization for her Gleevec?",
    ],
)
def test_supply_and_insurers_forms_are_out_of_scope(text):
    assert _read(text).kind in ("out_of_scope", "command")


# --- a second blind review of this change (its cases) -----------------------------------------------------------------


def test_review2_a_ddpcr_some_time_ago_is_no_bound_now():
    r = _read("IM 400 od 6 years. ddPCR MR4.5 6 months ago; latest RQ-PCR MMR only. TFR?")
    assert r.values["bcr_abl1_is"].value == 0.1


def test_review2_wait_then_a_time_is_no_correction():
    assert _values("IM 400 4 yrs, 0.04%, in MMR 6 months, wait 12 months and then reduce to 300?")["mmr_months"] == 6


@pytest.mark.parametrize(
    "text",
    ["keen to reduce, side effects nil. IM 400 6y MR4", "wants to reduce (cramps better now). IM 400 6y MR4"],
)
def test_review2_no_current_side_effect_gives_no_tolerability_goal(text):
    assert _values(text).get("goal") != "tolerability"


@pytest.mark.parametrize(
    "text",
    [
        "pt on IM 400, eGFR 30. what's the renal maximum dose?",
        "adult starting dose for CP-CML?",
        "how do I fill in the form if I don't have a trough?",
    ],
)
def test_review2_questions_of_ours_are_not_refused(text):
    assert _read(text).kind != "out_of_scope"


@pytest.mark.parametrize(
    "text, asked",
    [
        ("not sure, do I need to stop now or reduce?", "goal"),
        ("need to run a repeat PCR first", "bcr_abl1_is"),
        ("she's often called away at work and forgets", "adherence_pct"),
    ],
)
def test_review2_replies_in_a_form_do_not_leave_it(text, asked):
    from reading.context import in_context

    assert in_context(_read(text), asked=asked, known={"dose_mg": 400}).kind != "small_talk"


@pytest.mark.parametrize(
    "text, field",
    [
        ("IM 400 started first line 3 years ago, PCR 0.2%", "months_on_tki"),
        ("last dose 21:00, 5/12 trough drawn 09:00, 1100 ng/mL", "hours_since_dose"),
    ],
)
def test_review2_values_read_before_are_still_read(text, field):
    assert field in _read(text).values


def test_review2_a_lab_value_that_went_from_one_to_another_is_no_dose_change():
    r = _read("IM 400 for 3 years, plts went from 300 to 90")
    assert r.values["months_on_tki"].value == 36


def test_an_earlier_result_said_not_repeated_in_a_series_says_nothing_of_the_latest():
    r = _read("PCRs: 3m 18% (warning, not repeated), 6m 6%, 12m 2.5%, latest 1.2%. IM 400")
    assert "response_confirmed" not in r.values


def test_a_dose_since_a_month_of_treatment_is_no_time_on_imatinib():
    r = _read("She is 14 months in at 0.5%, on imatinib 600 since month 8.")
    assert r.values["months_on_tki"].value == 14


def test_a_dose_held_for_over_a_year_is_a_bound_on_the_days_at_it():
    r = _read("IM 400 od for over a year, trough 1100 ng/mL at 24 h, PCR 0.03%")
    days = r.values["days_at_current_dose"]
    assert days.bound == ">" and days.value == pytest.approx(365.28)

"""Terse lists and pasted notes (round 13's sessions, by where values were lost rather than by sentence; the
sentences here are our own): months in clinic notation said alone as an item of a list, the day of a dose, a time
in brackets after a dose, and a pasted note's pipes as the boundaries of its clauses."""

from __future__ import annotations

import pytest

from reading import read


def _values(text):
    return {f: v.value for f, v in read(text).values.items()}


@pytest.mark.parametrize(
    "text, months",
    [
        ("imatinib 400 od, 12/12, PCR 0.8%", 12),
        ("IM 300. 6/12. 2.5% IS. ok?", 6),
        ("cml cp | im 400 | 24/12 | mmr", 24),
        ("on glivec - 9/12 - bcr-abl 4%", 9),
    ],
)
def test_months_in_clinic_notation_alone_in_a_list_are_the_time_on_imatinib(text, months):
    assert _values(text)["months_on_tki"] == months


@pytest.mark.parametrize(
    "text",
    [
        "PCR 5/12: 0.2%, IM 400",  # dates a result
        "clinic 5/12, IM 400, 0.2%",  # the day of a visit
        "seen on 5/12, imatinib 400, 0.2%",
        "PCR 0.2%, 5/12, MMR?",  # a list with neither imatinib nor its dose named
        "IM 400, 3/52, trough 900 ng/mL",  # weeks: on the drug or on the dose, not said
    ],
)
def test_a_clinic_notation_that_may_be_a_date_or_is_weeks_alone_is_no_time_on_imatinib(text):
    assert "months_on_tki" not in _values(text)


@pytest.mark.parametrize(
    "text, days",
    [
        ("trough 1500 ng/mL at 24 h, imatinib 600 od, day 18 of this dose", 18),
        ("level 950 ng/mL taken 23h post dose, 4 weeks into the new dose of 600", 28),
        ("trough 1200 ng/mL, 24 h, on 600 mg daily (for 12 days), 9 months on imatinib", 12),
    ],
)
def test_the_day_or_a_bracketed_time_of_the_dose_is_the_time_at_the_dose(text, days):
    assert _values(text)["days_at_current_dose"] == pytest.approx(days, abs=0.5)


def test_a_bracketed_time_of_a_long_course_stays_the_time_on_imatinib():
    assert _values("trough 900 ng/mL, on 400 (for 4 years), 0.5%")["months_on_tki"] == 48


def test_a_pipe_in_a_pasted_note_closes_a_clause():
    # "previous" of the day before is no dose before a reduction; nor across the pipe
    v = _values("Trough 1250 ng/mL | sampled 08:00, last tablet 09:00 the previous day | on 400mg od, in MMR")
    assert v.get("dose_mg") == 400 and "standard_dose_mg" not in v
    v = _values("sampled 08:00, last tablet 09:00 the previous day, on 400mg od, trough 1250 ng/mL")
    assert v.get("dose_mg") == 400 and "standard_dose_mg" not in v
    v = _values("At the previous clinic imatinib 600 mg, since reduced to 400; PCR 0.1%")  # the dose before, still
    assert v.get("standard_dose_mg") == 600 and v.get("dose_mg") == 400


@pytest.mark.parametrize(
    "text",
    [
        "asciminib starting dose in T315I CML?",
        "dasatinib trough level target?",
        "bosutinib dose reduction for diarrhoea?",
    ],
)
def test_another_tkis_own_dosing_asked_alone_is_out_of_scope_said_as_uncovered(text):
    r = read(text)
    assert (r.kind, r.scope) == ("out_of_scope", "other_tki")
    assert read("IM 400 or nilotinib 300 bd for her?").kind != "out_of_scope"  # beside imatinib as a choice
    assert read("IM failed at 12 months, nilotinib 300 bd or 400 bd?").kind == "out_of_scope"  # imatinib left
    assert read("im not sure what the asciminib dose is for T315I?").kind == "out_of_scope"  # "im" is "I'm" here


def test_a_clinician_asking_can_i_about_the_patient_told_of_is_no_layperson():
    r = read("on imatinib 400 for 6 yrs, MR4 for 3, grade 2 oedema bothering her. Can I halve?")
    assert r.kind == "case" and r.values["months_on_tki"].value == 72
    assert read("can I halve my imatinib? the oedema is awful").scope == "layperson"


def test_refill_records_are_adherence_evidence_not_a_records_request():
    r = read("refill records for Mrs K: 11 boxes of 30 in a year, imatinib 400 od, 0.4% at 12 months. escalate?")
    assert r.kind == "case" and r.values["bcr_abl1_is"].value == 0.4
    assert read("can you pull up the medical records for her?").scope == "identifiers"


def test_outside_chronic_phase_comes_before_a_question_the_sources_do_not_cover():
    r = read("accelerated phase on imatinib 600, waiting for a transplant donor, PCR 20% - go up to 800?")
    assert r.kind == "case" and r.values["phase"].value == "accelerated"


@pytest.mark.parametrize(
    "text, field",
    [
        (
            "At presentation her BCR-ABL1 was 85% IS. Now 3 months on imatinib 400, the 3-month PCR is awaited",
            "bcr_abl1_is",
        ),
        ("Last year's level was 1650 ng/mL on 600. He has been on 400 since, nobody repeated it", "trough_ng_ml"),
        (
            "While on nilotinib his PCR reached 0.2%; switched to imatinib 400 six months ago, no PCR since",
            "bcr_abl1_is",
        ),
    ],
)
def test_a_clause_opened_by_a_time_or_a_drug_of_the_past_gives_no_current_measurement(text, field):
    assert _values(text).get(field) is None  # left out, or said to be awaited


def test_a_clause_opened_by_a_year_keeps_a_value_said_now():
    assert _values("In 2023 her PCR was 0.6%, now 0.04%, imatinib 400")["bcr_abl1_is"] == 0.04


@pytest.mark.parametrize(
    "text, months",
    [
        ("she take imatinib 400 since three years and half, PCR 0,2%", 42),
        ("on IM 400 for 4 years and a half, MR4", 54),
    ],
)
def test_the_half_after_the_unit_is_read(text, months):
    assert _values(text)["months_on_tki"] == months


def test_a_range_said_from_to_is_no_one_value_and_no_change():
    v = _values("her troughs ranged from 850 to 1200 ng/mL at 24 h, imatinib 400 od, 12 months")
    assert "trough_ng_ml" not in v and v["dose_mg"] == 400
    assert _values("on imatinib 600 od, trough rising from 850 to 1200 ng/mL")["trough_ng_ml"] == 1200


def test_a_result_name_typed_against_its_number_is_read():
    v = _values("IM600bd 20/12 PCR0.3%")
    assert v["bcr_abl1_is"] == 0.3 and v["months_on_tki"] == 20
    assert _values("trough950 ng/mL @ 24h, IM 400")["trough_ng_ml"] == 950
    assert _values("BCR-ABL1 0.02%, imatinib 400")["bcr_abl1_is"] == 0.02  # "abl1" is the gene's name, not a 1


def test_a_cue_that_heads_the_next_number_is_not_the_level_before_it():
    v = _values("imatinib 400 od 12m bcrabl 3% adh 95 no mutations")
    assert v["bcr_abl1_is"] == 3 and v["adherence_pct"] == 95


# --- limits found by a review of this session's diff (sentences of the reviewer's and ours)


@pytest.mark.parametrize(
    "text",
    [
        "IM 400. PCR 0.5%. F/U - 3/12",
        "Plan: continue IM 400, repeat PCR, 3/12",
        "Imatinib 400 mg, last PCR (3/12) 0.5%",
        "switched IM to dasatinib 100, 9/12, PCR 1%",
    ],
)
def test_an_interval_a_bracketed_date_or_another_drugs_time_in_clinic_notation_is_no_time_on_imatinib(text):
    assert "months_on_tki" not in _values(text)


@pytest.mark.parametrize(
    "text",
    ["NICE now recommends imatinib 400 mg first line", "Our unit now uses 300 mg imatinib for elderly patients"],
)
def test_a_general_statement_with_now_is_no_case(text):
    assert read(text).kind != "case"


def test_imatinibs_own_trough_beside_another_tki_is_not_refused():
    assert read("Trough 600 on 400mg, should we move to dasatinib?").kind == "case"


@pytest.mark.parametrize(
    "text",
    [
        "I'm in MR 4.5 for three years now, can I stop taking it?",
        "Can I drink alcohol on imatinib? The nurse said she wasn't sure.",
    ],
)
def test_a_patient_asking_can_i_is_still_a_layperson(text):
    assert read(text).scope == "layperson"


@pytest.mark.parametrize(
    "text", ["Can you pull the refill records for bed 4?", "Show me the dispensing records of the patient on imatinib"]
)
def test_records_asked_for_are_still_refused(text):
    assert read(text).scope == "identifiers"


def test_a_phase_at_risk_is_no_phase_now():
    r = read("Risk of progression to blast phase on imatinib 400 - what ECG monitoring with nilotinib?")
    assert r.kind != "case" and "phase" not in r.values
    assert _values("progressed to AP last month on imatinib 400, PCR 5%")["phase"] == "accelerated"  # it happened


@pytest.mark.parametrize(
    "text, field, value",
    [
        ("In 2021 she started imatinib 400, PCR 0.5% at 12 months, trough 900 ng/mL", "bcr_abl1_is", 0.5),
        ("Last year she had grade 3 rash and her PCR is 0.01% on 300 mg imatinib", "bcr_abl1_is", 0.01),
        ("In 2020 she started imatinib 400 and has taken 95% of doses; PCR 0.01%", "adherence_pct", 95),
    ],
)
def test_a_year_that_opens_a_sentence_does_not_date_its_current_measurements(text, field, value):
    assert _values(text)[field] == value


@pytest.mark.parametrize(
    "text, months",
    [
        ("Imatinib 400 for 2 years and half of her doses were missed, PCR 1%", 24),
        ("On imatinib 400 for 2 years and half the dose for 6 months, PCR 0.01%", None),
    ],
)
def test_and_half_before_a_noun_is_no_half_year(text, months):
    assert _values(text).get("months_on_tki") in (months, 24)
    assert _values(text).get("months_on_tki") != 30


def test_a_range_said_with_between_ends_with_its_sentence():
    r = read("PCR between 0.1 and 1 % (result not to hand). 18 months on imatinib 400. warning?")
    assert {f: v.value for f, v in r.values.items()} == {"months_on_tki": 18, "dose_mg": 400}
    assert [a.field for a in r.ambiguous] == ["bcr_abl1_is"]


@pytest.mark.parametrize(
    "text", ["de-escalated, now at 300 mg (before 400 mg), PCR 0.03%", "on 300 (previously 400), PCR 0.03%"]
)
def test_the_dose_named_in_brackets_as_before_is_the_standard_dose_and_the_level_after_is_now(text):
    v = _values(text)
    assert (v["dose_mg"], v["standard_dose_mg"], v["bcr_abl1_is"]) == (300, 400, 0.03)


@pytest.mark.parametrize(
    "text, dose, dosing",
    [
        ("she take imatinib 400 mg one time in the day, PCR 2%", 400, "once_daily"),
        ("imatinib 300 mg two times a day, BCR-ABL 0.5%", 600, "twice_daily"),
        ("imatinib 400 mg once per day since 2 years, PCR 0.2%", 400, "once_daily"),
    ],
)
def test_a_schedule_in_plain_words_is_read(text, dose, dosing):
    v = _values(text)
    assert (v["dose_mg"], v["dosing"]) == (dose, dosing)


@pytest.mark.parametrize(
    "text, scope",
    [
        ("ok goodbye", "leaving"),
        ("okay see you tomorrow", "leaving"),
        ("right start over from the beginning", "reset"),
        ("ugh this is pointless", "frustration"),
        ("how many more questions do you need", "frustration"),
        ("are you a real pharmacist?", "identity"),
    ],
)
def test_small_talk_after_an_acknowledgement_or_a_sigh_is_small_talk(text, scope):
    r = read(text)
    assert (r.kind, r.scope) == ("small_talk", scope)


@pytest.mark.parametrize("text", ["ok 400 mg", "no, she's on 300", "no mutations", "ok so what dose?"])
def test_an_acknowledgement_before_a_value_or_a_question_is_not_small_talk(text):
    assert read(text).kind != "small_talk"


@pytest.mark.parametrize(
    "text, scope",
    [
        ("could you fill out the Blueteq form for nilotinib? she failed imatinib", "other_task"),
        ("what's the monitoring schedule for monoclonal gammopathy of undetermined significance?", "other_disease"),
        ("CML at diagnosis, WBC 250, what hydroxyurea dose until the TKI starts?", "other_drug"),
    ],
)
def test_paperwork_a_neighbouring_blood_disease_or_another_drugs_dose_in_cml_is_out_of_scope(text, scope):
    r = read(text)
    # paperwork asked of the assistant is refused either way: as another task, or as an order ("could you fill out")
    assert (r.kind, r.scope) in {("out_of_scope", scope), ("command", "orders")}
    assert r.kind == "out_of_scope" or scope == "other_task"


def test_a_cml_patient_with_a_history_of_another_blood_disease_is_ours():
    assert read("CML pt on imatinib 400 with a history of MGUS, PCR 0.1%").kind == "case"


def test_a_change_talked_about_is_a_proposal_not_the_dose():
    v = _values("we discussed going up to 600 at the last clinic but held off. 14 months on IM 400, 2% IS")
    assert v["dose_mg"] == 400 and v["months_on_tki"] == 14


def test_a_dose_restarted_at_is_the_dose_now():
    v = _values("grade 3 neutropenia on 400 in 2023, held, restarted at 300; 4 yrs on IM, 0.02% now. back up to 400?")
    assert v["dose_mg"] == 300 and v["standard_dose_mg"] == 400


@pytest.mark.parametrize(
    "text, hours",
    [
        ("trough 980 ng/mL; he takes 400 mg at 10pm and was bled at 9.30pm before his dose", 23.5),
        ("400 od taken at 7pm, level drawn at 9am: 1100 ng/mL", 14),
        ("IM 400, usually taken 08:00; last dose 08:10 yesterday, trough drawn 07:50 today, 900 ng/mL", 23.67),
    ],
)
def test_the_hours_from_clock_times_with_the_dose_taken(text, hours):
    assert _values(text).get("hours_since_dose") == pytest.approx(hours, abs=0.01)


def test_hours_after_the_samples_collection_are_not_hours_after_a_dose():
    v = _values("sample took 30 hours after collection to reach the lab; trough 1100 ng/mL, IM 400")
    assert "hours_since_dose" not in v and v["trough_ng_ml"] == 1100


@pytest.mark.parametrize(
    "text",
    [
        "Imatinib 400 mg od (started 1-Jun-23). BCR-ABL1 0.02%",
        "imatinib 400 started 1 June 2023, PCR 0.02%",
        "on imatinib 400 since 1st June 2023, PCR 0.02%",
    ],
)
def test_a_start_date_with_its_day_before_the_months_name_is_read(text):
    from datetime import date

    from reading import read as read_on

    months = read_on(text, today=date(2026, 12, 7)).values["months_on_tki"].value
    assert months == pytest.approx((date(2026, 12, 7) - date(2023, 6, 1)).days / 30.44, abs=0.05)


def test_a_dose_each_day_since_a_year_is_the_time_on_imatinib():
    assert _values("imatinib 300 mg every day since 2020, MR4, grade 1 rash")["months_on_tki"] > 70


def test_the_first_dose_of_a_history_told_in_order_dates_the_start():
    v = _values("Started 400 in 2016, lost MMR in 2019 so went to 600 where she has stayed. latest 0.05%")
    assert v["months_on_tki"] > 120 and v["dose_mg"] == 600
    assert "months_on_tki" not in _values("started 600 in March 2026, trough 1500 ng/mL at 24 h")  # a change only


# --- limits found by a second review (sentences of the reviewer's and ours)


@pytest.mark.parametrize(
    "text, field",
    [
        ("CML on IM 400 mg od, trough between approx. 800 and 1000 ng/ml", "trough_ng_ml"),
        ("CML on IM 400, BCR-ABL between ca. 0.1 and 1%", "bcr_abl1_is"),
        ("CML on IM 400 mg od, BCR-ABL at diagnosis (2019) 45%, 12 months on IM, trough 900 ng/ml", "bcr_abl1_is"),
        ("CML on IM 400, baseline (pre-TKI) BCR-ABL 68%, 12 months on IM", "bcr_abl1_is"),
        ("CML, imatinib 400 mg od, FBC taken at 08:00, trough drawn at 09:30, 900 ng/ml", "hours_since_dose"),
        ("CML, imatinib 400 mg od, trough 900 ng/ml drawn at 09:00, consent taken at 08:30", "hours_since_dose"),
    ],
)
def test_no_value_from_an_abbreviation_in_a_range_a_dated_bracket_or_another_thing_taken(text, field):
    assert field not in _values(text)


@pytest.mark.parametrize(
    "text",
    [
        "should I do a TDM request for her imatinib trough?",
        "do I need to complete the request form before the trough sample?",
        "imatinib 400 mg, trough 600 ng/ml, background of MGUS, CKD",
    ],
)
def test_a_request_asked_about_or_a_comorbidity_beside_imatinib_is_not_refused(text):
    assert read(text).kind != "out_of_scope"


def test_a_change_discussed_and_made_is_no_proposal():
    v = _values("CML, as discussed reduced to 300 mg, trough 700 ng/ml")
    assert v["dose_mg"] == 300
    assert _values("discussed escalating to 800 and escalated in May, trough 1900 ng/mL")["dose_mg"] == 800

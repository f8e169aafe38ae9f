"""Shorthand of clinic notes and lab-report pastes (round 11's development part showed the classes; the sentences
here are our own): "adh", "day N" beside a trough, a response held for a time, dictation without punctuation."""

from __future__ import annotations

import pytest

from reading import read
from reading.scope import classify


def _values(text):
    return {f: v.value for f, v in read(text).values.items()}


@pytest.mark.parametrize(
    "text, pct",
    [
        ("IM 400 x 4 yrs, MR4 x 20 months, adh 100%, goal TFR", 100),
        ("0.3% at 12/12 on IM 400, adh ~95", 95),
        ("adherence by MEMS 96, IM 400 for 18 months, PCR 0.8%", 96),
        ("adherence per pharmacy refills 90, IM 400 2 yrs, 0.2%", 90),
    ],
)
def test_adherence_said_in_shorthand_is_adherence_and_never_the_level(text, pct):
    values = _values(text)
    assert values["adherence_pct"] == pct
    assert values.get("bcr_abl1_is") != pct


def test_all_doses_taken_is_every_dose_whatever_dose_time_the_message_names():
    text = "level 1400 ng/mL drawn 11 h after the evening dose, all tablets taken, IM 400 bd, 2% at 12 months"
    assert _values(text)["adherence_pct"] == 100
    assert "adherence_pct" not in _values("she takes all her evening doses, IM 400, 1% at 12 months")


@pytest.mark.parametrize(
    "text, days",
    [
        ("trough 980 ng/mL (23 h, day 33), IM 400 od, 2 yrs on it, PCR 0.05%", 33),
        ("imatinib level 2.2 µmol/L at 24 h on 600 mg, d21, PCR 1.2% at 12 months", 21),
    ],
)
def test_a_day_beside_a_trough_is_the_day_of_the_dose_it_was_drawn_on(text, days):
    assert _values(text)["days_at_current_dose"] == days


def test_a_day_without_a_trough_is_no_time_on_the_dose():
    assert "days_at_current_dose" not in _values("day 4 of admission for pneumonia, IM 400 od, PCR 0.02% at 3 yrs")


@pytest.mark.parametrize(
    "text, bound",
    [
        ("gr 2 cramps on IM 400, MR4 for 30 months, 7 yrs on treatment. reduce?", 0.01),
        ("IM 400 x 6 yrs, MMR x 4 yrs, grade 2 oedema", 0.1),
        ("imatinib since 2017, MR4.5 sustained 2 years, she wants to head for TFR", 0.0032),
    ],
)
def test_a_response_held_for_a_time_is_also_the_latest_levels_bound(text, bound):
    v = read(text).values["bcr_abl1_is"]
    assert (v.bound, v.value) == ("<=", bound)


@pytest.mark.parametrize(
    "text",
    [
        "MR4 for 2 years, IM 400 x 6 yrs, latest 0.004%",  # the number wins
        "PCR undetectable, IM 400 x 5 yrs, MMR for 4 yrs",  # undetectable without its sensitivity is asked
        "lost MMR for 2 months now, IM 400 x 3 yrs",  # "lost MMR" is its own bound: above 0.1 %
    ],
)
def test_no_held_bound_where_a_level_is_given_asked_about_or_lost(text):
    v = read(text).values.get("bcr_abl1_is")
    assert v is None or v.bound != "<="


def test_a_time_in_a_response_asked_about_stays_a_question():
    assert read("MR4 for 20 months - is that long enough to stop?").kind == "question"


def test_dictation_without_punctuation_keeps_a_level_followed_by_the_next_subject():
    text = "on imatinib for six years her latest BCR ABL is 0.004 percent her adherence is good"
    assert _values(text)["bcr_abl1_is"] == 0.004


@pytest.mark.parametrize(
    "text", ["Can I halve his imatinib? 6 yrs on 400, MR4 for 3 yrs", "should I skip her dose before the biopsy?"]
)
def test_a_clinician_asking_about_a_patients_dose_is_no_patient_asking_about_their_own(text):
    assert classify(text, {}) != ("out_of_scope", "layperson")
    assert classify("can I halve my imatinib?", {}) == ("out_of_scope", "layperson")


@pytest.mark.parametrize(
    "text, status",
    [
        ("Is a switch reasonable - IM 400, failure, trough 900 ng/mL, adherent", "failure"),
        ("pt with failure on IM 400, KD screen sent, 100% adherent. what now", "failure"),
        ("6 month PCR 5%, IM 400. Warning - next steps?", "warning"),
        ("IM 400, 1.5% at 18 mo, failure? no, I'd call it warning", "warning"),
    ],
)
def test_the_clinicians_own_classification_is_read(text, status):
    assert _values(text)["response_status"] == status


@pytest.mark.parametrize(
    "text", ["warning at 3 mo (12%) and now at 6 mo it's 8%", "heart failure, IM 400 x 2 yrs, 0.05%", "failure?"]
)
def test_a_status_that_was_asked_or_is_of_something_else_is_not_read(text):
    assert "response_status" not in _values(text)


@pytest.mark.parametrize(
    "text, field",
    [
        ("on imatinib maybe 3 yrs? not sure, PCR 0.2% today", "months_on_tki"),
        ("MMR for 3 yrs? or was it 2, IM 400 for 7 yrs, gr 2 cramps", "mmr_months"),
        ("pcr perhaps 0.02%, IM 400 x 4 yrs, wants to reduce", "bcr_abl1_is"),
    ],
)
def test_a_value_given_with_a_doubt_is_asked_about_not_stated(text, field):
    r = read(text)
    assert field not in r.values
    assert any(a.field == field for a in r.ambiguous)


def test_an_approximate_value_is_still_read():
    assert _values("IM 400 for about 3 yrs, PCR ~0.2%")["months_on_tki"] == 36


def test_a_level_with_no_level_since_is_from_before_and_the_dose_said_now_is_the_dose():
    text = "2021 clinic letter: trough 1650 ng/mL on 600mg. Since 2023 he has been on 400mg, no level since. PCR 0.5%"
    r = read(text)
    assert "trough_ng_ml" not in r.values
    assert r.values["dose_mg"].value == 400
    assert r.values["days_at_current_dose"].value > 1000 and "months_on_tki" not in r.values


def test_a_date_after_the_dose_now_in_a_history_of_doses_is_the_time_on_that_dose():
    values = _values("was on 600 until the oedema, now on 300 since 2022, PCR 0.02%")
    assert values["dose_mg"] == 300 and "days_at_current_dose" in values and "months_on_tki" not in values
    assert _values("IM 400 since 2019, PCR 0.02%")["months_on_tki"] > 80  # one dose: the time on imatinib


def test_a_time_on_imatinib_in_clinic_notation_makes_a_category_asked_a_patients_case():
    assert read("6/12 IM, PCR 3%. ?warning").kind == "case"
    assert read("is 3% at 6 months a warning?").kind == "question"


def test_two_doses_proposed_leave_the_dose_now_read():
    values = _values("IM 400 mg od for 6 yrs, MR4 for 3 yrs, grade 2 cramps. go down to 200 or 300?")
    assert values["dose_mg"] == 400
    assert "dose_mg" not in _values("on imatinib 300-400 mg, 2 yrs, 0.1%")  # a range of the dose now is asked


def test_a_relatives_reduction_is_not_the_patients():
    r = read("Her brother (CML too, treated elsewhere) was reduced to 300 mg. Her own: IM 400, 5 yrs, MMR 3 yrs, 0.02%")
    assert "on_reduced_dose" not in r.values and r.values["dose_mg"].value == 400
    assert r.assessment != "post_reduction"


@pytest.mark.parametrize(
    "text",
    [
        "trough 950 ng/mL, day 4 of admission with pneumonia, IM 400",
        "level 1000 ng/mL at 24 h, day 2 post-op, IM 400 od",
        "trough 800 ng/mL on 400; on day 1 she took 600 by mistake",
        "trough 1200 ng/mL, IM 400, day 6 of clarithromycin",
    ],
)
def test_a_day_of_something_else_beside_a_trough_is_no_day_on_the_dose(text):
    assert "days_at_current_dose" not in _values(text)


def test_a_day_since_the_change_beside_a_trough_is_the_day_on_the_dose():
    assert _values("trough 1500 ng/mL at 24 h, day 12 since going up to 600")["days_at_current_dose"] == 12


@pytest.mark.parametrize(
    "text",
    [
        "warning signs of fluid overload, IM 400 for 2 yrs, 0.4%",
        "Warning: she also takes clarithromycin. IM 400 for 2 yrs, 0.4%",
    ],
)
def test_a_warning_that_is_no_response_class_is_not_read(text):
    assert "response_status" not in _values(text)


@pytest.mark.parametrize(
    "text",
    [
        "adh 65% last year, better now; IM 400, 0.5% at 18 mo",
        "adherence was 70% in 2023, IM 400, 0.3% at 2 yrs",
        "adh 80% before the pharmacist review, IM 400, 1% at 12 mo",
        "aim for adherence >95%, IM 400, 12 mo 1.5%",
    ],
)
def test_an_earlier_or_wished_for_adherence_is_no_adherence_now(text):
    assert "adherence_pct" not in _values(text)


@pytest.mark.parametrize(
    "text", ["the goal is MR4 for 2 years, she is on 400 mg, PCR 0.05%", "MR4 for 2 years until last spring, now 0.04%"]
)
def test_a_planned_or_ended_response_gives_no_bound(text):
    v = read(text).values.get("bcr_abl1_is")
    assert v is None or v.bound != "<="


def test_a_level_with_no_further_level_since_is_from_before():
    assert "trough_ng_ml" not in _values("trough 1250 ng/mL in March, no further level since; IM 400 for 3 yrs")


@pytest.mark.parametrize(
    "text, months",
    [
        ("level 1150 ng/mL 23 h post dose; she has been on 400 for 10 mo", 10),
        ("imatinib 400 mg daily x 2 years, trough 640 ng/mL at 24 h, adherent", 24),
        ("pre-dose level 2.1 umol/L, IM 600 mg once daily for 4 months", 4),
    ],
)
def test_a_time_said_of_the_dose_now_is_the_time_at_that_dose_as_well(text, months):
    values = _values(text)
    assert values["days_at_current_dose"] == pytest.approx(months * 30.44, abs=1)
    assert values["months_on_tki"] == months


@pytest.mark.parametrize(
    "text",
    [
        "20 mo on IM 400, trough 900 ng/mL at 24 h",  # the time on imatinib, at which the dose is not told
        "went down from 400 to 300 last spring; 400 mg for 5 years before that, level 700 ng/mL",
    ],
)
def test_a_time_on_imatinib_or_at_an_earlier_dose_is_not_the_time_at_the_dose_now(text):
    values = _values(text)
    assert values.get("days_at_current_dose") is None or values["days_at_current_dose"] < 400

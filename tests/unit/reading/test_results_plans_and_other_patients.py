"""Results in their time, plans that were not carried out, and a second patient in one message (round 16's
development part, worked by class of failure; the sentences here are our own): guideline thresholds quoted before a
case are no series, a result dated by its month after a list is the newest, a level at diagnosis is no level now, a
dose change the writer took back or went on from, a mutation screen whose result is awaited, what was meant to be
done, a patient set aside for another, and requests that are not clinical decision support (cost, delivery,
fitness to fly) or remarks about the tool."""

from __future__ import annotations

import datetime

import pytest
from on_the_day import TODAY
from on_the_day import read_today as _read
from on_the_day import values_today as _values

from reading.context import in_context

# --- thresholds and dated results ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "ELN: >10% at 3 mo is a warning and >1% at 6 mo too. Mine is 3 months into IM 400, no PCR back yet.",
        "Per NCCN <=10% at 3 months, <=1% at 12 months. She started imatinib 400 three months ago, result pending.",
    ],
)
def test_thresholds_quoted_from_a_guideline_make_no_series_and_no_level(text):
    r = _read(text)
    assert r.series == []
    assert "bcr_abl1_is" not in r.values
    assert r.values["months_on_tki"].value == 3


def test_a_result_dated_by_a_recent_month_after_a_list_is_the_newest():
    r = _read("IM 400. PCRs 3/12 8%, 6/12 1.2%, 12/12 0.3% | Oct-26 0.045%")
    assert r.values["bcr_abl1_is"].value == 0.045
    assert "months_on_tki" not in r.values  # the list's last time is no longer the time now


def test_a_result_dated_by_an_old_month_after_a_list_is_not_the_newest():
    assert _values("IM 400. PCRs 3m 8%, 6m 1.2%, 12m 0.3%, and in Jan 2025 it was 0.5%")["bcr_abl1_is"] == 0.3


@pytest.mark.parametrize(
    "text",
    [
        "BCR-ABL1 61% IS at diagnosis; imatinib 400 od started 5 weeks ago",
        "PCR 48 % (IS) at diagnosis, on IM 400 since last month",
    ],
)
def test_a_level_at_diagnosis_is_no_level_now(text):
    r = _read(text)
    assert "bcr_abl1_is" not in r.values
    assert any(n.field == "bcr_abl1_is" and n.why == "a past value" for n in r.not_values)


def test_a_phase_at_diagnosis_is_still_the_phase():
    assert _values("AP at diagnosis (blasts 12%), IM 600 od for 14 mo, PCR 0.2%")["phase"] == "accelerated"


# --- dose histories -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, standard, dose",
    [
        # a change the writer took back gives way to the one meant
        ("PCR 0.9% nine months after the cut (600→300... sorry, 400 to 200)", 400, 200),
        ("went from 800 to 600 - no wait, 600 to 400 - in spring; PCR 0.05%", 600, 400),
        # two reductions told one after the other: from the first dose to the last
        ("reduced 800 to 600 in 2023, then 600 to 400 last spring; PCR 0.03%", 800, 400),
        ("dose cut 600 to 400 (Feb 25) and later 400 to 300. MR4", 600, 300),
    ],
)
def test_a_dose_history_of_pairs_ends_at_the_dose_meant_last(text, standard, dose):
    v = _values(text)
    assert (v["standard_dose_mg"], v["dose_mg"]) == (standard, dose)


def test_an_escalation_then_a_reduction_ends_at_the_last_dose_reduced_from_the_dose_before_it():
    v = _values("went up 400 to 600, then back 600 to 300 for oedema. PCR 0.04%")
    assert (v["standard_dose_mg"], v["dose_mg"], v["on_reduced_dose"]) == (600, 300, True)


def test_a_reduction_undone_later_leaves_no_reduced_dose():
    v = _values("reduced 400 to 300 last year, then 300 to 400 after losing MMR. PCR 0.2%")
    assert v["dose_mg"] == 400
    assert "on_reduced_dose" not in v and "standard_dose_mg" not in v


# --- tests awaited, plans not carried out, negated concerns -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "ABL KD mutation analysis requested last week. IM 400 for 14 months, 3.1% IS",
        "IM 400, 14 months, 3.1%; mutation panel awaited",
    ],
)
def test_a_mutation_test_whose_result_is_awaited_is_not_not_tested(text):
    r = _read(text)
    assert "mutations" not in r.values
    assert any(n.field == "mutations" for n in r.not_values)


def test_a_mutation_test_not_sent_is_not_tested():
    assert _read("IM 400, 14 months, 3.1%; mutation analysis not yet sent").values["mutations"].value is None


@pytest.mark.parametrize(
    "text, hours",
    [
        ("level 760 ng/mL, supposed to be a 24 h trough but she took the tablet 3 h before the draw; on 400", 3),
        ("was meant as a 24h sample, however it was taken at 16h: 1300 ng/mL on 600", 16),
    ],
)
def test_what_was_meant_to_be_done_is_no_value(text, hours):
    r = _read(text)
    assert r.values["hours_since_dose"].value == hours
    assert any(n.why == "what was meant, then not done" for n in r.not_values)


def test_nothing_said_to_interact_is_no_interaction_concern():
    v = _values("other meds: ramipril, atorvastatin - nothing we think interacts. IM 400, 1.4% at 18 months")
    assert v.get("drug_interaction_concern") is not True


# --- another patient ----------------------------------------------------------------------------------------------


def test_a_patient_set_aside_for_the_one_asked_about_gives_no_values():
    v = _values(
        "Two today. Mrs C is fine, ignore her - 0.008% at 6 years. Mrs D is the one I'm asking about: "
        "imatinib 400, 12 months, PCR 2.2%."
    )
    assert (v["bcr_abl1_is"], v["months_on_tki"], v["dose_mg"]) == (2.2, 12, 400)


# --- scope and small talk -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "roughly how much does a year of imatinib cost us?",
        "is branded Glivec much more expensive than the generic? for the formulary committee",
        "who arranges homecare for imatinib patients here?",
        "he's on imatinib and flying to Canada, is he fit to fly?",
    ],
)
def test_cost_supply_and_travel_fitness_are_out_of_scope(text):
    assert _read(text).kind == "out_of_scope"


@pytest.mark.parametrize(
    "text",
    ["why all these questions, just tell me yes or no", "that's not what I asked", "I only asked a simple question"],
)
def test_remarks_about_the_questions_are_small_talk(text):
    assert _read(text).kind == "small_talk"


def test_a_quick_one_that_asks_a_general_question_is_a_question():
    r = _read("quick one: what level should the trough be above on imatinib?")
    assert r.kind == "question"


# --- adherence by its sources and by the doses missed ------------------------------------------------------------


@pytest.mark.parametrize(
    "text, share",
    [
        ("dispensing records 94%; IM 400; 2.2% at 12 months", 94),
        ("dosette box check 100%, imatinib 400, PCR 0.8% at 12 mo", 100),
        ("she missed 15% of doses last quarter, IM 400, 3% at 12m", 85),
        ("about 8 % of tablets not taken (pill diary); IM 400; 1.5% at 12 months", 92),
        ("refill data: 4% missed doses. IM 400, PCR 2% at 12 months", 96),
    ],
)
def test_adherence_by_its_source_and_by_the_share_missed(text, share):
    v = _values(text)
    assert v["adherence_pct"] == share
    assert v["bcr_abl1_is"] not in (share, 100 - share)


# --- the layout of a message --------------------------------------------------------------------------------------


def test_a_pager_number_heading_a_case_is_no_command():
    r = _read("bleep 2290 - IM 400, trough 640 ng/mL at 24h, PCR 2% @ 12/12")
    assert r.kind == "case"
    assert r.values["trough_ng_ml"].value == 640


def test_items_separated_by_spaced_slashes_are_each_read():
    v = _values("Cmin 950 ng/mL / 23h post dose / IM 400 od / 1.1% @ 12 months")
    assert (v["trough_ng_ml"], v["hours_since_dose"], v["dose_mg"], v["bcr_abl1_is"]) == (950, 23, 400, 1.1)


@pytest.mark.parametrize(
    "text",
    [
        "trough 820 ng/mL at 24 h; imatinib 400 od since the start, now 18 months; PCR 0.6%",
        "18 months on IM 400 with no dose changes, trough 820 ng/mL (24h)",
    ],
)
def test_a_trough_on_the_dose_taken_since_the_start_has_been_at_it_the_whole_time(text):
    v = _values(text)
    assert v["months_on_tki"] == 18
    assert v["days_at_current_dose"] == pytest.approx(18 * 30.44, abs=0.5)


@pytest.mark.parametrize(
    "text, share",
    [
        ("tablet count last clinic: 81 of 84 taken. IM 400, 12 months, 1.5%", 96.4),
        ("she picked up 10 of her 12 monthly packs this year; IM 400 at 14 months, PCR 2.8%", 83.3),
        ("took 25/28 tablets (about 89%). 400 od, 9 months, 4% IS", 89.3),
        ("pill count complete. IM 400, trough 650 ng/mL at 24h", 100),
    ],
)
def test_adherence_as_a_count_of_doses_taken(text, share):
    v = _values(text)
    assert v["adherence_pct"] == share
    assert v.get("bcr_abl1_is") not in (89, share)


@pytest.mark.parametrize(
    "text",
    [
        "level drawn 5/7 after the change",
        "6 of 8 patients in our clinic take it at night",
        "takes every one she remembers",
    ],
)
def test_counts_that_are_no_share_of_doses_or_are_hedged_state_no_adherence(text):
    assert "adherence_pct" not in _read(text).values


# --- doses written tightly or told in other words ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("IM 600,9m,PCR 1.2%", {"dose_mg": 600, "months_on_tki": 9, "bcr_abl1_is": 1.2}),
        ("Cmin 1020 ng/mL (23h),300mg od,7m,PCR 0.9%", {"trough_ng_ml": 1020, "dose_mg": 300, "months_on_tki": 7}),
        ("PCR 0,045% on imatinib 400,2 yrs", {"bcr_abl1_is": 0.045, "dose_mg": 400, "months_on_tki": 24}),
    ],
)
def test_items_joined_by_commas_without_spaces_are_each_read(text, expected):
    v = _values(text)
    assert {f: v.get(f) for f in expected} == expected


@pytest.mark.parametrize(
    "text, dose",
    [
        ("we took him down from 600 to 400 in May; PCR 0.01%", 400),
        ("halved her imatinib last spring, now MR4", None),
        ("on 300 since the dose decrease in 2025, MR4", 300),
        ("on reduced-dose imatinib (200) for a year, PCR 0.02%", 200),
    ],
)
def test_a_reduction_told_in_other_words_puts_the_patient_on_a_reduced_dose(text, dose):
    v = _values(text)
    assert v["on_reduced_dose"] is True
    assert v.get("dose_mg") == dose


def test_a_reduction_only_wondered_about_is_none():
    assert "on_reduced_dose" not in _values("MR4 for 6 yrs on 400; he asked whether we could cut the dose down")


@pytest.mark.parametrize(
    "text, days, months",
    [
        ("600 mg od x 8 weeks now; she was in MMR at 20 months", 8 * 7, 20),
        ("trough 900 ng/mL (on IM 400 for two years, so steady) and he is in MR4 at 5 years", 2 * 365.25, 60),
    ],
)
def test_a_time_said_of_the_dose_below_the_time_of_a_response_is_the_time_at_the_dose(text, days, months):
    v = _values(text)
    assert v["days_at_current_dose"] == pytest.approx(days, abs=1)
    assert v["months_on_tki"] == months


def test_a_now_of_the_phrase_before_does_not_make_a_past_value_current():
    r = _read("IM 400 for 3 yrs. PCR 0.3% this week, was 0.05% before. repeat?")
    assert r.values["bcr_abl1_is"].value == 0.3


@pytest.mark.parametrize(
    "text",
    [
        "Bosutinib for a second-line patient: 400 mg or 500 mg daily?",
        "ponatinib for her T315I - would you start 45 mg or 30 mg?",
        "how should we dose allopurinol before starting a TKI?",
        "can I get CPD for the CML study day?",
        "which transplant centre takes CML referrals and what should go in the referral letter?",
        "B12 low with neuropathy, IM or oral replacement?",
    ],
)
def test_another_drugs_dose_admin_and_the_intramuscular_route_are_out_of_scope(text):
    assert _read(text).kind == "out_of_scope"


def test_the_writer_fetching_a_letter_asks_for_no_record():
    assert _read("one moment, let me pull up his letter").scope != "identifiers"


@pytest.mark.parametrize(
    "text", ["hold on, need to find the PCR result in the notes", "bear with me, checking the chart"]
)
def test_asking_for_time_inside_a_form_answers_nothing(text):
    r = in_context(_read(text), asked="bcr_abl1_is", known={"dose_mg": 400})
    assert r.kind == "small_talk"
    assert r.values == {}


# --- the goal of a reduction ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, goal",
    [
        ("MR4 for 3 yrs on 400, grade 2 myalgia and she would like to reduce", "tolerability"),
        ("MMR 4 yrs, IM 400 x 6 yrs. Periorbital oedema G2 - he is asking if he can take less", "tolerability"),
        ("no side effects at all, she'd like to reduce; MR4 for 3 yrs on 400", None),
        ("G1 cramps; she wants to come down so that she can stop altogether later. MR4.5 on 400 for 7 yrs", "tfr"),
    ],
)
def test_a_patients_wish_to_reduce_beside_their_side_effect_is_a_tolerability_goal(text, goal):
    assert _values(text).get("goal") == goal


def test_a_trough_on_the_dose_taken_since_a_date_has_been_at_it_since_that_date():
    v = _values("Cmin 880 ng/mL at 24 h. 400 mg od since May 2024, PCR 0.2%")
    assert v["days_at_current_dose"] == (TODAY - datetime.date(2024, 5, 15)).days


@pytest.mark.parametrize("text", ["that's it for today, thank you", "ok that's all for now"])
def test_done_for_now_inside_a_form_answers_nothing(text):
    r = in_context(_read(text), asked="dose_mg", known={"bcr_abl1_is": 0.01})
    assert (r.kind, r.values) == ("small_talk", {})


# --- regressions found by a blind review of this work (its messages, kept as written) ----------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        # "ignore him" of a colleague, the asked patient's own sentence: nothing set aside
        (
            "Bed 6 was 0.8% at 6 months on IM 400. Now 14 months in, PCR 3.1%, the F1 thinks that's fine, ignore "
            "him. My question is about bed 6: escalate?",
            {"bcr_abl1_is": 3.1, "months_on_tki": 14, "dose_mg": 400},
        ),
        # a result written after the month-dated one is newer
        (
            "imatinib 400 od. BCR-ABL1: 3 mo 8%, 6 mo 1.2%, 12 mo 0.3%, (Oct 2026) 0.045%, now at 18 mo 0.6%",
            {"bcr_abl1_is": 0.6, "months_on_tki": 18},
        ),
        # a response hoped for is no time on imatinib
        ("IM 400 x 10 months, PCR 0.8%. Hoping she's in MMR by 12 months", {"months_on_tki": 10}),
        ("on 400 for 9 months, PCR 0.9%; would expect MMR at 12 months?", {"months_on_tki": 9}),
        # a step thought of or declined is no step taken
        (
            "reduced 600 to 400 last year for fatigue, then thinking 400 to 300 if MR4 holds. PCR 0.008%",
            {"dose_mg": 400, "standard_dose_mg": 600},
        ),
        (
            "dose history: 400 to 600 in 2023, then 600 to 800 was discussed but she declined. PCR 0.9%",
            {"dose_mg": 600},
        ),
        # a dose escalated or reduced "by the grammar" is imatinib's own question
        ("IM 400 for 14 months, PCR 3%, adherence fine - how should we dose escalate?", {"bcr_abl1_is": 3}),
        # the patient's time after a target they missed is theirs
        ("She missed the ELN target of <=0.1% at 14 months - PCR 0.4%", {"months_on_tki": 14, "bcr_abl1_is": 0.4}),
        ("BCR-ABL1 0.12% IS vs baseline 62%, IM 400", {"bcr_abl1_is": 0.12}),
        ("She's supposed to be on 400 od but forgets maybe 2 doses a week", {"dose_mg": 400}),
    ],
)
def test_review_regressions_keep_what_was_written(text, expected):
    v = _values(text)
    assert {f: v.get(f) for f in expected} == expected


@pytest.mark.parametrize(
    "text, field",
    [
        ("on 600 since the start of the week, 14 months on IM, trough 1300 ng/mL at 24 h", "days_at_current_dose"),
        (
            "IM went up to 600 recently. 14 months on imatinib, trough 1100 ng/mL at 24h - no dose change needed?",
            "days_at_current_dose",
        ),
        ("PCR taken 3/11: 0.08%. IM 400 od, 2 years", "adherence_pct"),
        ("only taken 2 of 3 doses of her zoledronate so far. IM 400 od", "adherence_pct"),
        ("She has missed 30% of her clinic appointments this year; IM 400, 14 months, PCR 2%", "adherence_pct"),
        ("IM 400, 14 months, PCR 2.1%. She admits she's missed <10% of doses", "adherence_pct"),
        ("missed about 20% of doses in the first year but none since, IM 400, PCR 1% at 12 months", "adherence_pct"),
        (
            "imatinib 400 od 6 yrs, MR4 x 4 yrs; they reduced the dose of her diuretic. suitable for dose reduction?",
            "on_reduced_dose",
        ),
        (
            "we halved his imatinib for 2 weeks during the neutropenia in March, now back on 400 od. PCR 0.03%",
            "on_reduced_dose",
        ),
    ],
)
def test_review_regressions_state_nothing_that_was_not_written(text, field):
    assert field not in _read(text).values  # fmt: skip


def test_a_rise_of_another_measure_does_not_undo_a_reduction():
    v = _values("Reduced IM 600 to 400 last year; trough rose from 600 to 800 ng/mL since")
    assert v["on_reduced_dose"] is True


# --- a month named without its year ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, days",
    [
        ("on 300 mg od since Feb (from 400), PCR 0.01%", (TODAY - datetime.date(2026, 2, 15)).days),
        (
            "trough 950 ng/mL at 24 h; on 600 since mid-August, PCR 1.2% at 20 months",
            (TODAY - datetime.date(2026, 8, 15)).days,
        ),
    ],
)
def test_a_dose_since_a_month_without_its_year_has_been_taken_since_its_latest(text, days):
    v = _values(text)
    assert v["days_at_current_dose"] == days
    assert v.get("months_on_tki") in (None, 20)  # never the months since the dose changed


@pytest.mark.parametrize(
    "text",
    [
        "on 300 since Dec, PCR 0.01%",  # this month, or a year ago? asked
        "pharmacy says she hasn't collected since September. IM 400, 4% at 6 months",
        "in MMR since jan last year, IM 400",
    ],
)
def test_a_month_without_its_year_that_dates_nothing_of_the_dose_gives_no_days(text):
    assert "days_at_current_dose" not in _values(text)


# --- regressions found by a second blind review (its messages, kept as written) ---------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "The lady in bed 4 has a trough of 2100 ng/mL on 400 od, she is fine, ignore her. Mr T is the one I'm "
            "worried about: imatinib 400 od, PCR 0.9% at 12 months, no trough yet.",
            {"trough_ng_ml": None, "dose_mg": 400, "bcr_abl1_is": 0.9},
        ),
        (
            "Imatinib 400 od. PCR 3/12 9.1%, 6/12 2.4%, Nov-26 0.6%. Adherence about 95%, trough not done.",
            {"bcr_abl1_is": 0.6, "months_on_tki": None},
        ),
        (
            "Imatinib: reduced 600 to 400 in 2024, then 400 to 300 in May as she wanted fewer side effects. PCR 0.01% "
            "at 6 years.",
            {"dose_mg": 300},
        ),
        ("Imatinib 400 od with leg cramps since August. Trough 820 ng/mL at 24 h, PCR 4.5%.", {"months_on_tki": None}),
        (
            "Imatinib 600 mg od now, trough 950 ng/mL at 24 h, PCR 1.5% at 18 months. On 400 since July, escalated "
            "to 600 last week",
            {"days_at_current_dose": None, "dose_mg": 600},
        ),
        (
            "Imatinib 400 mg, MR4 for 3 years, 7 years on treatment. Mild fatigue, she wants less frequent blood "
            "tests.",
            {"goal": None},
        ),
        ("Nausea grade 1 settled on ondansetron, she wants to cut down the ondansetron now.", {"goal": None}),
        (
            "On 400 od since diagnosis, 2 years in. She was off it for 10 days in hospital and only got going again on "
            "Thursday. Trough 650 ng/mL at 24 h.",
            {"days_at_current_dose": None},
        ),
        ("Pill count: took 52/56 since last clinic", {"adherence_pct": 92.9}),
        (
            "We halved her imatinib to 200 mg in March for fatigue, she's feeling herself again. PCR now 0.35%",
            {"on_reduced_dose": True},
        ),
    ],
)
def test_second_review_regressions(text, expected):
    v = _values(text)
    assert {f: v.get(f) for f in expected} == expected


@pytest.mark.parametrize(
    "text",
    ["IM 400, 10 months. hoping she's in MMR by 18 months", "aiming for MR4 at 3 years, on 400 for 14 months"],
)
def test_a_response_hoped_for_is_no_level(text):
    r = _read(text)
    assert "bcr_abl1_is" not in r.values
    assert any(n.why == "a response hoped for" for n in r.not_values)

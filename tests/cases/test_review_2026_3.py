"""Rule set 2026.3 (issue 19, spec v1.2): one test per finding of the second clinical review, by class, with cases
of our own beside the reviewer's (the reviewer's own cases run in test_clinical_review_2.py).

Finding ids (U = unsafe, M = moderate, L = low) are those of ../shared/reviews/clinical-review-2/report.md.
"""

from __future__ import annotations

import pytest

from knowledge.api import assess_request
from knowledge.card import build
from knowledge.models import Assessment
from knowledge.normalize import NormalizationError, normalize
from knowledge.vocab import RULE_SET_VERSION
from reading.answers import answer

ADHERENT = {"adherence_pct": 97, "mutations": []}
VALID_TROUGH = {"days_at_current_dose": 40, "hours_since_dose": 24}


def run(assessment: str, **case) -> Assessment:
    result, errors = assess_request({"assessment": assessment, "phase": "chronic", **case})
    assert not errors, errors
    return result


def codes(r: Assessment):
    return [x.code for x in r.recommendations]


def rec(r: Assessment, code: str):
    return next(x for x in r.recommendations if x.code == code)


def asks(field: str, text: str) -> bool:
    """Both readers of the chat refuse the text with a question."""
    for reader in (normalize, answer):
        try:
            reader(field, text)
        except NormalizationError:
            continue
        return False
    return True


# --- U-1 severe toxicity in every assessment: never an escalation, imatinib withheld first (TOX-1)
SUBOPTIMAL = {"months_on_tki": 18, "bcr_abl1_is": 3.0, **ADHERENT, "dose_mg": 400}


@pytest.mark.parametrize("grade", [3, 4])
@pytest.mark.parametrize(
    "assessment,case",
    [
        ("response", dict(SUBOPTIMAL, trough_ng_ml=640, **VALID_TROUGH)),
        ("suboptimal_workup", dict(SUBOPTIMAL, trough_ng_ml=640, **VALID_TROUGH)),
        ("tdm", dict(SUBOPTIMAL, trough_ng_ml=640, **VALID_TROUGH)),
        ("response", dict(SUBOPTIMAL)),
        ("dose_reduction", {"months_on_tki": 80, "bcr_abl1_is": 0.004, "mmr_months": 50, "dose_mg": 400, **ADHERENT}),
        ("post_reduction", {"on_reduced_dose": True, "dose_mg": 300, "standard_dose_mg": 400, "bcr_abl1_is": 0.03}),
        ("mutation", {"mutations": ["F317L"], "dose_mg": 400}),
    ],
)
def test_u1_severe_toxicity_withholds_first_and_never_escalates(assessment, case, grade):
    r = run(assessment, ae_grade=grade, **case)
    assert codes(r)[0] == "interrupt_for_toxicity", codes(r)
    assert rec(r, "interrupt_for_toxicity").indicator == ("critical" if grade == 4 else "warning")
    assert "escalate_dose" not in codes(r) and "continue_current_dose" not in codes(r)
    assert "gleevec-label" in rec(r, "interrupt_for_toxicity").citations and "TOX-1" in r.rules_fired


def test_u1_the_step_down_follows_the_label_when_no_valid_trough_is_known():
    r = run("response", ae_grade=3, **SUBOPTIMAL)
    step = rec(r, "reduce_dose_for_toxicity")
    assert step.target_dose_mg == 300 and "gleevec-label" in step.citations and "eln-2025" in step.citations
    assert "measure_trough" in codes(r)  # a trough at steady state after resuming (TOX-2)


# --- U-2 no silent standard dose after a reduction
def test_u2_resume_names_the_missing_standard_dose_and_never_cuts():
    for dose in (200, 300, 600):
        r = run("post_reduction", on_reduced_dose=True, dose_mg=dose, bcr_abl1_is=0.4)
        resume = rec(r, "resume_standard_dose")
        assert resume.target_dose_mg is None and "standard_dose_mg" in r.missing_inputs
    r = run("post_reduction", on_reduced_dose=True, dose_mg=600, standard_dose_mg=400, bcr_abl1_is=0.4)
    assert rec(r, "resume_standard_dose").target_dose_mg is None  # 600 "reduced" from 400: a conflict
    assert any({"dose_mg", "standard_dose_mg"} <= set(c.fields) for c in r.conflicts)
    r = run("post_reduction", on_reduced_dose=True, dose_mg=400, standard_dose_mg=800, bcr_abl1_is=0.4)
    assert rec(r, "resume_standard_dose").target_dose_mg == 800


# --- U-3 adherence hedges, partial and contradicted phrases are asked about, never 100 %
@pytest.mark.parametrize(
    "text",
    [
        "hardly ever misses any",  # our own
        "doesn't miss many at all",
        "takes every tablet she remembers to",
        "takes all his evening doses",
        "never misses a weekday dose",
        "takes all of them, pill count 60%",
        "no missed doses as far as I know",
        "claims she never misses",
    ],
)
def test_u3_hedged_adherence_is_asked_about(text):
    assert asks("adherence_pct", text)


@pytest.mark.parametrize("text", ["says she never misses", "she says she takes them all", "never misses, he said"])
def test_u3_who_reported_it_is_no_hedge(text):
    # spec section 5: "never misses", "takes all doses" are 100 %; "she says" names the reporter, not a doubt
    assert normalize("adherence_pct", text).value == 100


# --- U-4 a range of grades, a count or a past grade is not a grade
@pytest.mark.parametrize("text", ["G2-3", "grade III to IV", "gr 1/2", "grade 2 or 3", "4 episodes", "grade 4 in 2023"])
def test_u4_grade_ranges_counts_and_past_events_are_asked_about(text):
    assert asks("ae_grade", text)


def test_u4_the_current_grade_counts():
    assert answer("ae_grade", "was grade 3 in the spring, now grade 1").value == 1


# --- U-5 negated values are never read as present, in any reader
@pytest.mark.parametrize(
    "field,text",
    [
        ("bcr_abl1_is", "no MMR yet"),
        ("mutations", "no E255K"),
        ("mutations", "negative for T315I only"),
        ("ae_grade", "not grade 4"),
        ("adherence_pct", "not fully compliant"),
    ],
)
def test_u5_a_negated_value_is_never_read(field, text):
    assert asks(field, text)


# --- U-6 fragments, ranges and schedules that the spec asks about
@pytest.mark.parametrize(
    "field,text",
    [
        ("trough_ng_ml", "1.250 nmol/L"),
        ("trough_ng_ml", "1,25"),
        ("months_on_tki", "3 to 4 yrs"),
        ("mmr_months", "between 12 and 24 months"),
        ("adherence_pct", "80 to 90%"),
        ("bcr_abl1_is", "0.01-0.1 %"),
        ("dose_mg", "400mg TDS"),
        ("dose_mg", "600 mg on alternate days"),
        ("dose_mg", "200 mg/m2"),
    ],
)
def test_u6_ranges_fragments_and_other_schedules_are_asked_about(field, text):
    assert asks(field, text)


def test_u6_decimal_commas_and_tablet_counts_are_read():
    assert answer("trough_ng_ml", "2,4 µmol/L").value == pytest.approx(1184.64)
    assert answer("dose_mg", "3 x 100 mg").value == 300


# --- M-1 no target dose on an assumed dose
def test_m1_no_target_without_the_dose():
    r = run("suboptimal_workup", months_on_tki=24, bcr_abl1_is=4, trough_ng_ml=700, **ADHERENT, **VALID_TROUGH)
    assert rec(r, "escalate_dose").target_dose_mg is None and "dose_mg" in r.missing_inputs
    r = run("dose_reduction", months_on_tki=72, bcr_abl1_is=0.005, mmr_months=40, goal="tfr", **ADHERENT)
    assert rec(r, "reduce_dose").target_dose_mg is None


# --- M-2 the toxicity step is the next lower standard dose
@pytest.mark.parametrize("dose,target", [(800, 600), (700, 600), (600, 400), (500, 400), (400, 300), (350, 300)])
def test_m2_next_lower_standard_dose(dose, target):
    r = run(
        "tdm",
        trough_ng_ml=1800,
        ae_grade=3,
        dose_mg=dose,
        months_on_tki=24,
        bcr_abl1_is=0.05,
        **ADHERENT,
        **VALID_TROUGH,
    )
    assert rec(r, "reduce_dose_for_toxicity").target_dose_mg == target


def test_m2_no_lower_step_at_300_or_less():
    r = run(
        "tdm",
        trough_ng_ml=1800,
        ae_grade=3,
        dose_mg=300,
        months_on_tki=24,
        bcr_abl1_is=0.05,
        **ADHERENT,
        **VALID_TROUGH,
    )
    assert "switch_tki" in codes(r) and "reduce_dose_for_toxicity" not in codes(r)


# --- M-3 a trough of exactly 1000 is at the target, not high; the cut may fall under it
def test_m3_exactly_1000_is_at_the_target():
    r = run(
        "tdm",
        trough_ng_ml=1000,
        ae_grade=4,
        dose_mg=400,
        months_on_tki=24,
        bcr_abl1_is=0.05,
        **ADHERENT,
        **VALID_TROUGH,
    )
    detail = rec(r, "reduce_dose_for_toxicity").detail
    assert "at the 1000 ng/mL target" in detail and "high trough" not in detail and "1040" in detail


# --- M-4 contradictions hold back the decisions resting on them
@pytest.mark.parametrize(
    "case,fields",
    [
        ({"mmr_months": 30, "dmr_months": 40, "months_on_tki": 80}, {"dmr_months", "mmr_months"}),
        ({"mmr_months": 90, "months_on_tki": 80}, {"mmr_months", "months_on_tki"}),
        ({"mmr_months": 60, "dmr_months": 90, "months_on_tki": 80}, {"dmr_months", "months_on_tki"}),
    ],
)
def test_m4_conflicts_hold_back_reduction_and_tfr(case, fields):
    r = run("dose_reduction", bcr_abl1_is=0.004, dose_mg=400, goal="tfr", **ADHERENT, **case)
    assert not {"reduce_dose", "consider_tfr"} & set(codes(r))
    assert any(fields <= set(c.fields) and "held back" in c.message for c in r.conflicts)


def test_m4_equal_values_are_no_conflict():
    r = run(
        "dose_reduction",
        bcr_abl1_is=0.004,
        dose_mg=400,
        goal="tfr",
        mmr_months=61,
        dmr_months=61,
        months_on_tki=61,
        **ADHERENT,
    )
    assert not r.conflicts and "reduce_dose" in codes(r)


def test_m4_days_on_the_dose_longer_than_the_time_on_imatinib_hold_back_the_milestone():
    r = run("response", months_on_tki=6, bcr_abl1_is=5, days_at_current_dose=400)
    assert r.response_status is None and r.conflicts


# --- M-5 after a reduction: far beyond loss of MMR, and toxicity
def test_m5_above_1_percent_adds_mutation_analysis_and_toxicity_needs_judgement():
    r = run("post_reduction", on_reduced_dose=True, dose_mg=200, standard_dose_mg=400, bcr_abl1_is=2.5)
    assert "mutation_analysis" in codes(r)
    r = run("post_reduction", on_reduced_dose=True, dose_mg=300, standard_dose_mg=400, bcr_abl1_is=0.3, ae_grade=3)
    assert "judgement" in rec(r, "resume_standard_dose").detail and codes(r)[0] == "interrupt_for_toxicity"


# --- M-6 implausible levels are queried, not acted on
@pytest.mark.parametrize("trough", [0, 40, 12500])
def test_m6_implausible_trough_is_queried(trough):
    r = run("tdm", trough_ng_ml=trough, dose_mg=400, months_on_tki=24, bcr_abl1_is=3, **ADHERENT, **VALID_TROUGH)
    assert "repeat_trough" in codes(r) and not {"escalate_dose", "switch_tki", "continue_current_dose"} & set(codes(r))


def test_m6_bcr_abl1_zero_is_asked_about():
    r = run("dose_reduction", bcr_abl1_is=0, mmr_months=40, months_on_tki=80, dose_mg=400, goal="tfr", **ADHERENT)
    assert "bcr_abl1_is" in r.missing_inputs and "reduce_dose" not in codes(r)
    assert asks("bcr_abl1_is", "0.0%") and asks("bcr_abl1_is", "PCR negative")


# --- M-7 mutation names checked against ABL1's reference residues
@pytest.mark.parametrize("name,hint", [("T351I", "T315I"), ("S315I", "T315I"), ("E253K", "Y253K"), ("F255K", "E255K")])
def test_m7_a_wrong_reference_residue_is_asked_about(name, hint):
    result, errors = assess_request({"assessment": "mutation", "mutations": [name]})
    assert result is None and hint in errors[0]["message"]
    assert asks("mutations", name)


# --- M-8 the intolerance switch waits for adherence, and says what it answers
def test_m8_intolerance_switch_waits_for_adherence():
    base = dict(
        trough_ng_ml=700, ae_grade=3, dose_mg=400, months_on_tki=24, bcr_abl1_is=0.05, mutations=[], **VALID_TROUGH
    )
    r = run("tdm", **base)  # adherence unknown
    assert "switch_tki" not in codes(r) and "TOX-3" in r.rules_fired and "reduce_dose_for_toxicity" in codes(r)
    r = run("tdm", adherence_pct=98, **base)
    switch = rec(r, "switch_tki")
    assert "efficacy" not in switch.detail and "eln-2025" in switch.citations


# --- M-9 ELN 2025 and the TFR criteria the module cannot check
def test_m9_consider_tfr_lists_what_it_cannot_check():
    r = run(
        "dose_reduction",
        bcr_abl1_is=0.004,
        mmr_months=70,
        dmr_months=40,
        months_on_tki=80,
        dose_mg=400,
        goal="tfr",
        **ADHERENT,
    )
    tfr = rec(r, "consider_tfr")
    for words in ("first-line", "typical", "accelerated or blast", "restart", "eln-2025"):
        assert words in tfr.detail or words in tfr.citations, words


# --- M-10 the seed's finding is said as its source's, beside DESTINY for MMR-only patients
def test_m10_mmr_maintenance_is_the_seeds_finding():
    r = run(
        "dose_reduction",
        bcr_abl1_is=0.05,
        mmr_months=40,
        months_on_tki=80,
        dose_mg=400,
        goal="tolerability",
        **ADHERENT,
    )
    detail = rec(r, "reduce_dose").detail
    assert (
        "A report on dose reduction found" in detail
        and "DESTINY" in detail
        and "clark-2019" in rec(r, "reduce_dose").citations
    )


# --- M-12 readings that are questions
def test_m12_unitless_and_dot_thousands_are_asked_about():
    assert asks("trough_ng_ml", "1750") and asks("trough_ng_ml", "2.300 nmol/L") and asks("mmr_months", "3")
    d = normalize("days_at_current_dose", "since 2025", today=__import__("datetime").date(2026, 12, 5))
    assert d.value == 522 and d.assumptions  # from 1 July 2025, stated


# --- M-13 missed doses per month over a 30-day month
def test_m13_three_a_month_is_not_confirmed():
    assert answer("adherence_pct", "misses 3 a month").value == 90.0
    assert answer("adherence_pct", "misses two doses a month").value == pytest.approx(93.3)


# --- L-1 ... L-14
def test_l1_confirmed_adherence_is_not_repeated_as_a_warning():
    r = run("response", months_on_tki=14, bcr_abl1_is=0.6, adherence_pct=99, mutations=[])
    check = rec(r, "check_adherence")
    assert check.indicator == "info" and "until more than 90" not in check.summary


def test_l2_an_invalid_sample_still_gets_repeat_trough_beside_a_mutation():
    r = run("suboptimal_workup", months_on_tki=14, bcr_abl1_is=6, mutations=["E255K"], trough_ng_ml=700,
            days_at_current_dose=3, hours_since_dose=24, adherence_pct=95)  # fmt: skip
    assert {"switch_tki", "repeat_trough"} <= set(codes(r))


def test_l3_one_result_acts_and_the_next_confirms():
    r = run("post_reduction", on_reduced_dose=True, dose_mg=200, standard_dose_mg=400, bcr_abl1_is=0.12)
    assert "two consecutive" in rec(r, "resume_standard_dose").detail


def test_l4_timing_is_named_in_accelerated_phase_too():
    r, _ = assess_request({"assessment": "response", "phase": "blast", "trough_ng_ml": 800})
    assert codes(r) == ["refer_specialist"] and "hours_since_dose" in r.missing_inputs


def test_l5_daily_is_not_a_schedule():
    assert normalize("dose_mg", "600mg per day").related == {}
    assert normalize("dose_mg", "400 mg mane").related == {"dosing": "once_daily"}


def test_l6_citations_say_what_their_sources_say():
    r = run(
        "tdm",
        trough_ng_ml=1500,
        ae_grade=3,
        dose_mg=400,
        months_on_tki=24,
        bcr_abl1_is=0.05,
        **ADHERENT,
        **VALID_TROUGH,
    )
    detail = rec(r, "reduce_dose_for_toxicity").detail
    assert "anaemia in IRIS [larson-2008]" in detail and "(a study in GIST) [zhuang-2018]" in detail
    r = run(
        "dose_reduction",
        bcr_abl1_is=0.004,
        mmr_months=40,
        months_on_tki=80,
        dose_mg=600,
        goal="tolerability",
        **ADHERENT,
    )
    assert "no source here studied it" in rec(r, "reduce_dose").detail


def test_l7_unlisted_mutations_are_the_tables_default_not_evidence():
    r = run("mutation", mutations=["M244V"])
    assert "not evidence of activity" in rec(r, "switch_tki").detail


def test_l8_approximate_and_compact_forms_are_read():
    assert answer("bcr_abl1_is", "approx. 0.03 %").value == 0.03
    assert answer("months_on_tki", "2y3m").value == 27
    assert answer("adherence_pct", "takes 92% of doses").value == 92


def test_l9_a_lower_bound_of_a_duration_is_a_bound():
    n = normalize("dmr_months", "more than 2 yrs")
    assert (n.bound, n.value) == (">", 24)


def test_l13_a_workup_without_values_names_what_it_needs():
    r = run("suboptimal_workup")
    assert {"months_on_tki", "bcr_abl1_is", "adherence_pct", "mutations"} <= set(r.missing_inputs)


def test_l14_one_is_a_fraction_or_a_percentage():
    assert asks("adherence_pct", "1")


# --- item 4: the card shows conflicts, what is held back and a response word with its bound
def test_the_card_shows_conflicts_first_in_text_and_note():
    r = run(
        "dose_reduction",
        bcr_abl1_is=0.004,
        mmr_months=20,
        dmr_months=30,
        months_on_tki=80,
        dose_mg=400,
        goal="tfr",
        **ADHERENT,
    )
    card = build(r, {}, card_id="c1", title="Dose reduction")
    first = card.text.splitlines()[0]
    assert "Conflicting values" in first and "MR4 for 30 months" in first and "held back" in first
    assert "Conflicting values" in card.payload["note"] and card.payload["assessment"]["conflicts"]
    assert r.rule_set_version == RULE_SET_VERSION == "2026.3"

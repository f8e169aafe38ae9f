"""RED and POST: dose reduction for responders and the follow-up after it."""

import pytest
from helpers import codes, rec, run

ELIGIBLE = dict(
    phase="chronic",
    dose_mg=400,
    months_on_tki=60,
    bcr_abl1_is=0.008,
    mmr_months=30,
    adherence_pct=98,
    ae_grade=2,
    mutations=[],
    prior_tki_failure=False,
)


def test_eligible_400_halves_with_300_option_and_monitoring():
    r = run("dose_reduction", **ELIGIBLE)
    assert codes(r) == ["reduce_dose", "intensify_monitoring"]
    red = rec(r, "reduce_dose")
    assert red.target_dose_mg == 200 and red.options == ["300 mg"] and red.indicator == "info"
    assert r.rules_fired == ["RED-7", "RED-MON"]
    assert "4–6 weeks" in rec(r, "intensify_monitoring").detail
    assert "10 mL" in rec(r, "intensify_monitoring").detail


@pytest.mark.parametrize("dose", [600, 800])
def test_600_and_800_go_to_400(dose):
    r = run("dose_reduction", **{**ELIGIBLE, "dose_mg": dose})
    assert rec(r, "reduce_dose").target_dose_mg == 400
    assert rec(r, "reduce_dose").options == []


@pytest.mark.parametrize("dose", [300, 200])
def test_already_reduced_continues(dose):
    r = run("dose_reduction", **{**ELIGIBLE, "dose_mg": dose})
    assert codes(r) == ["continue_current_dose"]


@pytest.mark.parametrize("level,eligible", [(0.1, True), (0.1001, False)])
def test_mmr_boundary(level, eligible):
    r = run("dose_reduction", **{**ELIGIBLE, "bcr_abl1_is": level})
    assert ("reduce_dose" in codes(r)) is eligible
    assert ("RED-1" in r.rules_fired) is not eligible


def test_red1_wins_over_inconsistent_mmr_duration():
    r = run("dose_reduction", **{**ELIGIBLE, "bcr_abl1_is": 0.5, "mmr_months": 40})
    assert codes(r) == ["not_candidate_for_reduction"]
    assert r.rules_fired == ["RED-1"]


@pytest.mark.parametrize("mmr,eligible", [(12, True), (11.99, False)])
def test_twelve_months_of_mmr(mmr, eligible):
    r = run("dose_reduction", **{**ELIGIBLE, "mmr_months": mmr})
    assert ("reduce_dose" in codes(r)) is eligible
    assert ("RED-2" in r.rules_fired) is not eligible


@pytest.mark.parametrize("months,eligible", [(36, True), (35.99, False)])
def test_36_months_of_therapy(months, eligible):
    r = run("dose_reduction", **{**ELIGIBLE, "months_on_tki": months, "mmr_months": 20})
    assert ("reduce_dose" in codes(r)) is eligible
    assert ("RED-3" in r.rules_fired) is not eligible


def test_mutation_or_prior_failure_excludes():
    r = run("dose_reduction", **{**ELIGIBLE, "prior_tki_failure": True})
    assert codes(r) == ["not_candidate_for_reduction"]
    # v1.1 precedence: a detected mutation is decisive in every assessment that knows of it
    r = run("dose_reduction", **{**ELIGIBLE, "mutations": ["F317L"]})
    assert codes(r) == ["not_candidate_for_reduction", "switch_tki"]
    assert r.rules_fired == ["RED-4", "WORKUP-4"]


def test_every_failed_criterion_is_named():
    r = run(
        "dose_reduction",
        **{**ELIGIBLE, "bcr_abl1_is": 0.5, "mmr_months": 6, "months_on_tki": 24, "prior_tki_failure": True},
    )
    assert r.rules_fired == ["RED-1", "RED-2", "RED-3", "RED-4"]
    assert codes(r) == ["not_candidate_for_reduction"]


@pytest.mark.parametrize("adherence", [90, None])
def test_adherence_unconfirmed_blocks_reduction(adherence):
    r = run("dose_reduction", **{**ELIGIBLE, "adherence_pct": adherence})
    assert codes(r) == ["check_adherence"]
    assert "RED-5" in r.rules_fired


def test_no_indication_continues():
    r = run("dose_reduction", **{**ELIGIBLE, "ae_grade": 1, "goal": None})
    assert codes(r) == ["continue_current_dose"]
    assert "RED-6" in r.rules_fired


@pytest.mark.parametrize("goal", ["tfr", "tolerability"])
def test_goal_is_an_indication(goal):
    r = run("dose_reduction", **{**ELIGIBLE, "ae_grade": 0, "goal": goal})
    assert "reduce_dose" in codes(r)


@pytest.mark.parametrize(
    "extra,indicator",
    [
        ({"bcr_abl1_is": 0.01}, "info"),
        ({"bcr_abl1_is": 0.0101}, "warning"),
        ({"ddpcr_mr45": False}, "warning"),
        ({"ddpcr_mr45": True}, "info"),
        ({"ddpcr_mr45": None}, "info"),
    ],
)
def test_reduction_risk_indicator(extra, indicator):
    r = run("dose_reduction", **{**ELIGIBLE, **extra})
    assert rec(r, "reduce_dose").indicator == indicator
    assert ("RED-RISK" in r.rules_fired) is (indicator == "warning")


def test_tfr_when_criteria_met():
    r = run("dose_reduction", **{**ELIGIBLE, "goal": "tfr", "dmr_months": 24.1, "months_on_tki": 60.1})
    assert codes(r) == ["reduce_dose", "intensify_monitoring", "consider_tfr"]
    assert "RED-TFR" in r.rules_fired


# v1.1: ELN 2020's "more than 5 years" and "more than 2 years": exactly 60 / 24 months do not qualify
@pytest.mark.parametrize("months,dmr", [(59.9, 30), (72, 23.9), (60, 30), (72, 24)])
def test_tfr_boundaries(months, dmr):
    r = run("dose_reduction", **{**ELIGIBLE, "goal": "tfr", "dmr_months": dmr, "months_on_tki": months})
    assert "consider_tfr" not in codes(r)


def test_already_reduced_with_tfr_goal():
    r = run("dose_reduction", **{**ELIGIBLE, "dose_mg": 200, "goal": "tfr", "dmr_months": 30, "months_on_tki": 61})
    assert codes(r) == ["continue_current_dose", "consider_tfr"]


def test_missing_inputs_block_a_verdict():
    r = run("dose_reduction", phase="chronic", bcr_abl1_is=0.005)
    assert set(r.missing_inputs) == {"mmr_months", "months_on_tki"}
    assert r.recommendations == []


# --- POST -------------------------------------------------------------------------------------


def test_post_loss_of_mmr_resumes_the_dose_before_the_reduction():
    r = run(
        "post_reduction", phase="chronic", on_reduced_dose=True, bcr_abl1_is=0.15, dose_mg=200, standard_dose_mg=400
    )
    assert codes(r) == ["resume_standard_dose", "intensify_monitoring"]
    assert rec(r, "resume_standard_dose").target_dose_mg == 400
    assert r.rules_fired == ["POST-1"]


def test_post_without_the_standard_dose_names_it_and_assumes_no_number():
    """Spec v1.2 (was: a silent 400): the resume step says 'the dose used before the reduction'."""
    r = run("post_reduction", phase="chronic", on_reduced_dose=True, bcr_abl1_is=0.15, dose_mg=200)
    resume = rec(r, "resume_standard_dose")
    assert resume.target_dose_mg is None and "standard_dose_mg" in r.missing_inputs
    assert "dose used before the reduction" in resume.summary and "400" not in resume.summary


def test_post_uses_the_patients_standard_dose():
    r = run("post_reduction", phase="chronic", on_reduced_dose=True, bcr_abl1_is=0.2, standard_dose_mg=600)
    assert rec(r, "resume_standard_dose").target_dose_mg == 600


def test_post_mmr_held_exactly_0_1_continues():
    r = run("post_reduction", phase="chronic", on_reduced_dose=True, bcr_abl1_is=0.1)
    assert codes(r) == ["continue_current_dose"]
    assert r.rules_fired == ["POST-2"]
    assert "4–6 weeks" in r.recommendations[0].detail


def test_post_infers_reduced_dose():
    r = run("post_reduction", phase="chronic", dose_mg=200, bcr_abl1_is=0.05)
    assert codes(r) == ["continue_current_dose"]
    assert any("inferred" in a for a in r.assumptions)


def test_post_missing_values():
    r = run("post_reduction", phase="chronic")
    assert set(r.missing_inputs) == {"on_reduced_dose", "bcr_abl1_is"}

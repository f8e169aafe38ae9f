"""RESP: ELN 2020 milestones, every boundary of spec section 3."""

import pytest
from helpers import codes, run


@pytest.mark.parametrize(
    "months,level,status,rule",
    [
        (0, 50, "too_early", "RESP-0"),
        (2.99, 50, "too_early", "RESP-0"),
        (3, 10, "optimal", "RESP-3"),  # exactly 10 % at 3 months is optimal
        (3, 10.0001, "warning", "RESP-3"),
        (5.99, 0.5, "optimal", "RESP-3"),
        (6, 1, "optimal", "RESP-6"),
        (6, 1.01, "warning", "RESP-6"),
        (6, 10, "warning", "RESP-6"),
        (6, 10.01, "failure", "RESP-6"),
        (11.99, 1.5, "warning", "RESP-6"),
        (11.99, 0.2, "optimal", "RESP-6"),
        (12, 0.1, "optimal", "RESP-12"),  # exactly 0.1 % at 12 months is optimal
        (12, 0.1001, "warning", "RESP-12"),
        (12, 1, "warning", "RESP-12"),
        (12, 1.001, "failure", "RESP-12"),
        (60, 0.0005, "optimal", "RESP-12"),
    ],
)
def test_milestones(months, level, status, rule):
    r = run("response", phase="chronic", months_on_tki=months, bcr_abl1_is=level)
    assert r.response_status == status
    assert r.rules_fired[0] == rule


def test_three_months_above_10_confirmed_is_failure():
    r = run("response", phase="chronic", months_on_tki=3, bcr_abl1_is=15, response_confirmed=True)
    assert r.response_status == "failure"
    assert "WORKUP-1" in r.rules_fired


def test_three_months_above_10_unconfirmed_is_warning_and_says_why():
    r = run("response", phase="chronic", months_on_tki=4, bcr_abl1_is=15)
    assert r.response_status == "warning"
    assert any("confirmed" in a for a in r.assumptions)


def test_too_early_repeats_pcr():
    r = run("response", phase="chronic", months_on_tki=1, bcr_abl1_is=40)
    assert codes(r) == ["repeat_pcr"]


def test_optimal_continues():
    r = run("response", phase="chronic", months_on_tki=12, bcr_abl1_is=0.05)
    assert codes(r) == ["continue_current_dose"]
    assert r.recommendations[0].indicator == "info"


def test_warning_actions_in_order():
    r = run("response", phase="chronic", months_on_tki=12, bcr_abl1_is=0.5, drug_interaction_concern=True)
    assert codes(r) == ["check_adherence", "review_drug_interactions", "mutation_analysis", "repeat_pcr"]


def test_warning_with_mutations_tested_skips_analysis():
    r = run("response", phase="chronic", months_on_tki=12, bcr_abl1_is=0.5, mutations=[])
    assert codes(r) == ["check_adherence", "repeat_pcr"]


def test_mutation_is_failure_even_too_early():
    r = run("response", phase="chronic", months_on_tki=1, bcr_abl1_is=0.001, mutations=["T315I"])
    assert r.response_status == "failure"
    assert r.rules_fired[0] == "RESP-MUT"
    assert "RESP-0" not in r.rules_fired
    assert "switch_tki" in codes(r)
    assert "escalate_dose" not in codes(r)


def test_failure_includes_workup():
    r = run(
        "response",
        phase="chronic",
        months_on_tki=12,
        bcr_abl1_is=5,
        adherence_pct=95,
        trough_ng_ml=700,
        mutations=[],
        dose_mg=400,
    )
    assert r.response_status == "failure"
    assert codes(r) == ["escalate_dose"]
    assert r.recommendations[0].target_dose_mg == 600
    assert r.rules_fired == ["RESP-12", "WORKUP-5"]


def test_missing_inputs_named():
    r = run("response", phase="chronic", months_on_tki=6)
    assert r.missing_inputs == ["bcr_abl1_is"]
    assert r.recommendations == []
    assert r.response_status is None


def test_clinician_classification_used_when_values_missing():
    r = run("response", phase="chronic", response_status="suboptimal")
    assert r.response_status == "warning"
    assert r.missing_inputs == ["adherence_pct"]  # v1.2 review: the adherence check names the unknown adherence


def test_missing_phase_is_chronic_with_assumption():
    r = run("response", months_on_tki=12, bcr_abl1_is=0.05)
    assert any("chronic" in a for a in r.assumptions)
    assert codes(r) == ["continue_current_dose"]


@pytest.mark.parametrize(
    "assessment", ["response", "dose_reduction", "tdm", "suboptimal_workup", "mutation", "post_reduction"]
)
@pytest.mark.parametrize("phase", ["accelerated", "blast"])
def test_advanced_phase_only_refers(assessment, phase):
    r = run(
        assessment,
        phase=phase,
        months_on_tki=60,
        bcr_abl1_is=0.001,
        mmr_months=40,
        trough_ng_ml=500,
        mutations=["T315I"],
        adherence_pct=99,
    )
    assert codes(r) == ["refer_specialist"]
    assert r.rules_fired == ["RED-SCOPE" if assessment == "dose_reduction" else "SCOPE"]


def test_level_above_100_warns():
    r = run("response", phase="chronic", months_on_tki=12, bcr_abl1_is=150)
    assert any("above 100" in a for a in r.assumptions)

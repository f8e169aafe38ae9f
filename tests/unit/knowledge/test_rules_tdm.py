"""TDM: sample validity first, severe toxicity before efficacy, then the efficacy rules."""

import pytest
from helpers import codes, rec, run

VALID = dict(
    phase="chronic", days_at_current_dose=30, hours_since_dose=24, dosing="once_daily", adherence_pct=95, ae_grade=1
)
SUBOPT = dict(months_on_tki=12, bcr_abl1_is=0.5)  # warning
OPTIMAL = dict(months_on_tki=12, bcr_abl1_is=0.05)


@pytest.mark.parametrize("days,valid", [(4.99, False), (5, True), (7, True), (0, False)])
def test_steady_state_boundary(days, valid):
    r = run("tdm", **{**VALID, "days_at_current_dose": days}, **OPTIMAL, trough_ng_ml=1200)
    assert ("TDM-SS" in r.rules_fired) is not valid
    assert ("repeat_trough" in codes(r)) is not valid
    if not valid:
        assert "continue_current_dose" not in codes(r)
        assert "1200" in rec(r, "repeat_trough").detail  # the level is still reported


@pytest.mark.parametrize(
    "dosing,hours,valid",
    [
        ("once_daily", 20.99, False),
        ("once_daily", 21, True),
        ("once_daily", 24, True),
        ("once_daily", 27, True),
        ("once_daily", 27.01, False),
        ("once_daily", 12, False),
        ("twice_daily", 8.99, False),
        ("twice_daily", 9, True),
        ("twice_daily", 12, True),
        ("twice_daily", 15, True),
        ("twice_daily", 15.01, False),
        ("twice_daily", 24, False),
    ],
)
def test_sampling_windows(dosing, hours, valid):
    r = run(
        "tdm",
        **{**VALID, "dosing": dosing, "hours_since_dose": hours},
        **SUBOPT,
        trough_ng_ml=500,
        mutations=[],
        dose_mg=400,
    )
    assert ("TDM-TIME" in r.rules_fired) is not valid
    if valid:
        assert codes(r) == ["escalate_dose"]
    else:
        assert "escalate_dose" not in codes(r)
        assert "repeat_trough" in codes(r)
    assert any("operational convention" in a for a in r.assumptions)


def test_800_mg_without_dosing_is_taken_as_twice_daily():
    r = run("tdm", **{**VALID, "dosing": None, "hours_since_dose": 12}, **OPTIMAL, trough_ng_ml=2000, dose_mg=800)
    assert "TDM-TIME" not in r.rules_fired
    assert any("twice daily" in a for a in r.assumptions)


def test_low_trough_suboptimal_escalates_when_adherent_and_no_mutation():
    r = run("tdm", **VALID, **SUBOPT, trough_ng_ml=999, mutations=[], dose_mg=400)
    assert codes(r) == ["escalate_dose"]
    assert rec(r, "escalate_dose").target_dose_mg == 600
    assert r.rules_fired == ["RESP-12", "TDM-LOW"]


def test_low_trough_mutations_unknown_tests_first():
    r = run("tdm", **VALID, **SUBOPT, trough_ng_ml=700, dose_mg=400)
    assert codes(r) == ["mutation_analysis"]


def test_low_trough_adherence_unconfirmed_no_escalation():
    r = run("tdm", **{**VALID, "adherence_pct": 80}, **SUBOPT, trough_ng_ml=700, mutations=[], dose_mg=400)
    assert codes(r) == ["check_adherence"]
    assert "TDM-ADH" in r.rules_fired


def test_low_trough_optimal_response_continues():
    r = run("tdm", **VALID, **OPTIMAL, trough_ng_ml=600)
    assert codes(r) == ["continue_current_dose"]
    assert "TDM-LOW-OK" in r.rules_fired


def test_trough_exactly_1000_suboptimal_is_adequate():
    r = run("tdm", **VALID, **SUBOPT, trough_ng_ml=1000, dose_mg=400)
    assert codes(r) == ["mutation_analysis", "switch_tki"]
    assert "TDM-OK" in r.rules_fired


def test_adequate_trough_optimal_continues():
    r = run("tdm", **VALID, **OPTIMAL, trough_ng_ml=1000)
    assert codes(r) == ["continue_current_dose"]
    assert "TDM-OK-RESP" in r.rules_fired


@pytest.mark.parametrize("dose,target", [(800, 600), (600, 400), (400, 300)])
def test_toxicity_with_high_trough_reduces_one_step(dose, target):
    r = run("tdm", **{**VALID, "ae_grade": 3}, **OPTIMAL, trough_ng_ml=2500, dose_mg=dose)
    assert codes(r) == ["interrupt_for_toxicity", "reduce_dose_for_toxicity"]  # v1.2: TOX-1 withholds first
    t = rec(r, "reduce_dose_for_toxicity")
    assert t.target_dose_mg == target
    assert "upper limit" in t.detail and "zhuang-2018" in t.citations
    assert "escalate_dose" not in codes(r)


def test_toxicity_with_low_trough_switches_and_never_escalates():
    r = run("tdm", **{**VALID, "ae_grade": 4}, **SUBOPT, trough_ng_ml=800, mutations=[], dose_mg=400)
    assert "switch_tki" in codes(r)
    assert "escalate_dose" not in codes(r)
    assert "TDM-TOX" in r.rules_fired


def test_grade_2_is_not_severe_toxicity():
    r = run("tdm", **{**VALID, "ae_grade": 2}, **OPTIMAL, trough_ng_ml=2500, dose_mg=400)
    assert codes(r) == ["continue_current_dose"]


def test_invalid_sample_suppresses_dose_changes_from_its_level_even_with_toxicity():
    """The level decides nothing (no TDM-TOX); spec v1.2's TOX still withholds and steps down one dose."""
    r = run("tdm", **{**VALID, "ae_grade": 3, "hours_since_dose": 3}, **OPTIMAL, trough_ng_ml=3000, dose_mg=400)
    assert codes(r) == ["interrupt_for_toxicity", "repeat_trough", "reduce_dose_for_toxicity"]
    assert "TDM-TOX" not in r.rules_fired and "TOX-2" in r.rules_fired
    assert rec(r, "reduce_dose_for_toxicity").target_dose_mg == 300


def test_ddi_flag():
    r = run("tdm", **VALID, **OPTIMAL, trough_ng_ml=1500, drug_interaction_concern=True)
    assert codes(r) == ["review_drug_interactions", "continue_current_dose"]
    assert "TDM-DDI" in r.rules_fired


def test_response_status_given_by_clinician():
    r = run("tdm", **VALID, response_status="failure", trough_ng_ml=700, mutations=[], dose_mg=600)
    assert codes(r) == ["escalate_dose"]
    assert rec(r, "escalate_dose").target_dose_mg == 800


def test_missing_trough():
    r = run("tdm", phase="chronic")
    assert "trough_ng_ml" in r.missing_inputs
    assert r.recommendations == []


def test_missing_timing_is_named_and_assumed():
    r = run("tdm", phase="chronic", trough_ng_ml=1500, **OPTIMAL, adherence_pct=95)
    assert {"days_at_current_dose", "hours_since_dose"} <= set(r.missing_inputs)
    assert codes(r) == ["continue_current_dose"]

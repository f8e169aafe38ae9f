"""WORKUP and MUT: adherence first, then exposure, then mutations."""

import pytest
from helpers import codes, rec, run

BASE = dict(phase="chronic", months_on_tki=12, bcr_abl1_is=2.0)  # failure at 12 months


def test_nothing_known_lists_every_first_step():
    r = run("suboptimal_workup", **BASE)
    assert codes(r) == ["check_adherence", "measure_trough", "mutation_analysis"]
    assert r.rules_fired == ["RESP-12", "WORKUP-1", "WORKUP-2", "WORKUP-3"]


@pytest.mark.parametrize("adherence", [90, 89.9, None])
def test_adherence_90_or_unknown_blocks_escalation(adherence):
    r = run("suboptimal_workup", **BASE, adherence_pct=adherence, trough_ng_ml=600, mutations=[], dose_mg=400)
    assert codes(r) == ["check_adherence"]
    assert "escalate_dose" not in codes(r)


@pytest.mark.parametrize("dose,target", [(400, 600), (600, 800)])
def test_escalation_steps(dose, target):
    r = run("suboptimal_workup", **BASE, adherence_pct=90.1, trough_ng_ml=999.9, mutations=[], dose_mg=dose)
    assert codes(r) == ["escalate_dose"]
    assert rec(r, "escalate_dose").target_dose_mg == target
    assert "WORKUP-5" in r.rules_fired


def test_at_800_switch_instead():
    r = run("suboptimal_workup", **BASE, adherence_pct=95, trough_ng_ml=800, mutations=[], dose_mg=800)
    assert codes(r) == ["switch_tki"]
    assert rec(r, "switch_tki").options == ["dasatinib", "nilotinib", "bosutinib"]


def test_trough_exactly_1000_is_adequate_exposure():
    r = run("suboptimal_workup", **BASE, adherence_pct=95, trough_ng_ml=1000, mutations=[], dose_mg=400)
    assert codes(r) == ["switch_tki"]
    assert "WORKUP-6" in r.rules_fired


def test_mutations_untested_means_analysis_before_escalation():
    r = run("suboptimal_workup", **BASE, adherence_pct=95, trough_ng_ml=500, dose_mg=400)
    assert codes(r) == ["mutation_analysis"]


def test_detected_mutation_switches_whatever_adherence():
    r = run("suboptimal_workup", **BASE, adherence_pct=50, trough_ng_ml=500, mutations=["E255K"], dose_mg=400)
    assert codes(r) == ["check_adherence", "switch_tki"]
    s = rec(r, "switch_tki")
    assert s.options == ["dasatinib", "bosutinib", "ponatinib"]
    assert "nilotinib" in s.avoid
    assert "WORKUP-4" in r.rules_fired


def test_drug_interactions_reviewed_with_exposure():
    r = run("suboptimal_workup", **BASE, adherence_pct=95, drug_interaction_concern=True, mutations=[])
    assert codes(r) == ["review_drug_interactions", "measure_trough"]
    assert "WORKUP-7" in r.rules_fired


def test_missing_dose_gives_a_relative_step_without_a_target():
    """Spec v1.2 (was: the standard 400 assumed): no target on an assumed dose; the step is said relative."""
    r = run("suboptimal_workup", **BASE, adherence_pct=95, trough_ng_ml=500, mutations=[])
    esc = rec(r, "escalate_dose")
    assert esc.target_dose_mg is None and "400 → 600 → 800" in esc.summary
    assert "dose_mg" in r.missing_inputs


def test_optimal_response_needs_no_workup():
    r = run("suboptimal_workup", phase="chronic", months_on_tki=12, bcr_abl1_is=0.05)
    assert codes(r) == ["continue_current_dose"]


def test_invalid_sample_in_workup_is_not_used():
    r = run(
        "suboptimal_workup",
        **BASE,
        adherence_pct=95,
        trough_ng_ml=500,
        mutations=[],
        dose_mg=400,
        days_at_current_dose=3,
        hours_since_dose=24,
    )
    assert "escalate_dose" not in codes(r)
    assert "repeat_trough" in codes(r)


# --- MUT table ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "mutation,options,avoid",
    [
        ("T315I", ["ponatinib", "asciminib"], ["imatinib escalation", "dasatinib", "nilotinib", "bosutinib"]),
        ("V299L", ["nilotinib", "ponatinib"], ["dasatinib", "bosutinib"]),
        ("T315A", ["nilotinib", "bosutinib", "ponatinib"], ["dasatinib"]),
        ("F317L", ["nilotinib", "bosutinib", "ponatinib"], ["dasatinib"]),
        ("F317V", ["nilotinib", "bosutinib", "ponatinib"], ["dasatinib"]),
        ("F317I", ["nilotinib", "bosutinib", "ponatinib"], ["dasatinib"]),
        ("F317C", ["nilotinib", "bosutinib", "ponatinib"], ["dasatinib"]),
        ("Y253H", ["dasatinib", "bosutinib", "ponatinib"], ["nilotinib"]),
        ("E255K", ["dasatinib", "bosutinib", "ponatinib"], ["nilotinib"]),
        ("E255V", ["dasatinib", "bosutinib", "ponatinib"], ["nilotinib"]),
        ("F359V", ["dasatinib", "bosutinib", "ponatinib"], ["nilotinib"]),
        ("F359I", ["dasatinib", "bosutinib", "ponatinib"], ["nilotinib"]),
        ("F359C", ["dasatinib", "bosutinib", "ponatinib"], ["nilotinib"]),
    ],
)
def test_mutation_table_rows(mutation, options, avoid):
    r = run("mutation", phase="chronic", mutations=[mutation])
    s = rec(r, "switch_tki")
    assert s.options == options
    assert s.avoid == avoid
    assert "refer_specialist" not in codes(r)
    assert r.response_status == "failure"
    assert r.rules_fired == ["RESP-MUT", "MUT"]


def test_other_mutation_gives_default_options_and_referral():
    r = run("mutation", phase="chronic", mutations=["M244V"])
    assert codes(r) == ["switch_tki", "refer_specialist"]
    assert rec(r, "switch_tki").options == ["dasatinib", "nilotinib", "bosutinib"]
    assert rec(r, "switch_tki").avoid == ["imatinib escalation"]


def test_several_mutations_intersect_options_and_unite_avoids():
    r = run("mutation", phase="chronic", mutations=["V299L", "Y253H"])
    s = rec(r, "switch_tki")
    assert s.options == ["ponatinib"]
    assert s.avoid == ["dasatinib", "bosutinib", "nilotinib"]
    assert "refer_specialist" not in codes(r)


def test_several_mutations_empty_intersection_refers():
    r = run("mutation", phase="chronic", mutations=["T315I", "M244V"])
    assert rec(r, "switch_tki").options == []
    assert "refer_specialist" in codes(r)


def test_three_mutations():
    r = run("mutation", phase="chronic", mutations=["F317L", "E255K", "T315A"])
    s = rec(r, "switch_tki")
    assert s.options == ["bosutinib", "ponatinib"]
    assert set(s.avoid) == {"dasatinib", "nilotinib"}


def test_mutation_names_are_normalised_in_the_case():
    r = run("mutation", phase="chronic", mutations=["p.Thr315Ile", "t315i"])
    assert rec(r, "switch_tki").options == ["ponatinib", "asciminib"]
    assert "T315I" in rec(r, "switch_tki").detail


def test_mutation_not_tested_asks_for_analysis():
    r = run("mutation", phase="chronic")
    assert codes(r) == ["mutation_analysis"]
    assert r.missing_inputs == ["mutations"]


def test_no_mutation_found_says_table_does_not_apply():
    r = run("mutation", phase="chronic", mutations=[])
    assert r.recommendations == []
    assert any("does not apply" in a for a in r.assumptions)


def test_t315i_states_unverified_guideline():
    r = run("mutation", phase="chronic", mutations=["T315I"])
    assert "unverified" in rec(r, "switch_tki").detail
    assert "branford-2009" in rec(r, "switch_tki").citations

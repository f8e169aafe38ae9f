"""Rule set 2026.2: one test per finding of the independent clinical review (issue 10, spec v1.1).

Each test failed on rule set 2026.1. The FAQ citation findings are in test_faq_content.py.
"""

import re

import pytest
from helpers import codes, rec, run

from knowledge.normalize import NormalizationError, normalize

TDM = dict(
    phase="chronic", dosing="once_daily", dose_mg=400, adherence_pct=95, ae_grade=1, months_on_tki=12, bcr_abl1_is=0.5
)  # a warning response
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


# --- unsafe: an invalid sample hid a detected T315I
@pytest.mark.parametrize(
    "timing", [dict(days_at_current_dose=3, hours_since_dose=24), dict(days_at_current_dose=30, hours_since_dose=4)]
)
def test_invalid_sample_never_hides_a_mutation(timing):
    r = run("tdm", **TDM, **timing, trough_ng_ml=700, mutations=["T315I"])
    assert codes(r)[0] == "repeat_trough"
    assert "switch_tki" in codes(r)
    assert rec(r, "switch_tki").options == ["ponatinib", "asciminib"]
    assert "escalate_dose" not in codes(r)


# --- unsafe: negated or qualified adherence became 100 %
@pytest.mark.parametrize(
    "text",
    [
        "not fully adherent",
        "doesn't take all her doses",
        "takes all doses except weekends",
        "no missed doses reported but pill count low",
        "isn't taking all of them",
        "takes all her tablets most days",
    ],
)
def test_negated_or_qualified_adherence_is_asked_about_never_100(text):
    with pytest.raises(NormalizationError, match="percentage or the missed doses per week"):
        normalize("adherence_pct", text)


@pytest.mark.parametrize(
    "text", ["never misses", "never misses a dose", "takes all doses", "doesn't miss any doses", "fully adherent"]
)
def test_plain_full_adherence_still_reads_100(text):
    assert normalize("adherence_pct", text).value == 100


# --- TDM-OK switched with adherence 50 %
def test_adequate_trough_with_unconfirmed_adherence_does_not_switch():
    r = run(
        "tdm",
        **{**TDM, "adherence_pct": 50},
        trough_ng_ml=1500,
        days_at_current_dose=30,
        hours_since_dose=24,
        mutations=[],
    )
    assert "switch_tki" not in codes(r)
    assert "check_adherence" in codes(r)
    assert "no switch for adequate exposure" in rec(r, "check_adherence").summary


# --- a trough of unknown timing was used without a word
@pytest.mark.parametrize(
    "assessment,extra",
    [
        ("suboptimal_workup", dict(months_on_tki=12, bcr_abl1_is=0.5)),
        ("response", dict(months_on_tki=18, bcr_abl1_is=3)),  # failure: the work-up uses the level
    ],
)
def test_unknown_trough_timing_is_named(assessment, extra):
    r = run(assessment, phase="chronic", adherence_pct=95, mutations=[], dose_mg=400, trough_ng_ml=800, **extra)
    assert {"days_at_current_dose", "hours_since_dose"} <= set(r.missing_inputs)
    assert any("taken as a steady-state trough" in a for a in r.assumptions)
    assert rec(r, "escalate_dose").target_dose_mg == 600  # still used where a rule needs a level


# --- ambiguous numbers were guessed
@pytest.mark.parametrize(
    "field,text",
    [
        ("trough_ng_ml", "1.150 ng/mL"),
        ("trough_ng_ml", "1,1500 ng/mL"),
        ("trough_ng_ml", "1.150 µg/L"),
        ("dose_mg", "400 mg od bid"),
        ("dose_mg", "400 mg once daily bid"),
    ],
)
def test_ambiguous_values_are_refused_with_a_question(field, text):
    with pytest.raises(NormalizationError) as exc:
        normalize(field, text)
    assert "?" in exc.value.message


# --- grade 3 toxicity: reduce_dose_for_toxicity beside switch_tki
def test_switch_answers_toxicity_too():
    r = run(
        "tdm", **{**TDM, "ae_grade": 3}, trough_ng_ml=1500, days_at_current_dose=30, hours_since_dose=24, mutations=[]
    )
    assert "switch_tki" in codes(r) and "reduce_dose_for_toxicity" not in codes(r)
    assert "PREC-SWITCH" in r.rules_fired and "TDM-TOX" in r.rules_fired
    assert "left out: the dose reduction for toxicity" in rec(r, "switch_tki").detail


# --- the clinician's own response_status was not returned; rules_fired was empty when it decided
def test_clinicians_status_is_returned_and_fires_a_rule():
    r = run("response", phase="chronic", response_status="warning")
    assert r.response_status == "warning" and r.rules_fired[0] == "RESP-GIVEN"
    r = run("dose_reduction", **ELIGIBLE, response_status="optimal")
    assert r.response_status == "optimal"


def test_rules_fired_names_a_rule_when_values_are_missing():
    assert run("response", phase="chronic").rules_fired == ["NO-DECISION"]


# --- RED-TFR fired at exactly 60 / 24 months although ELN says "more than"
@pytest.mark.parametrize("months,dmr,fires", [(60, 30, False), (72, 24, False), (60.5, 24.5, True)])
def test_tfr_needs_more_than_5_years_and_more_than_2_years(months, dmr, fires):
    r = run("dose_reduction", **{**ELIGIBLE, "goal": "tfr", "months_on_tki": months, "dmr_months": dmr})
    assert ("consider_tfr" in codes(r)) is fires


# --- check_adherence spoke of escalation inside a dose-reduction assessment
def test_check_adherence_says_what_it_holds_back():
    r = run("dose_reduction", **{**ELIGIBLE, "adherence_pct": 80})
    summary = rec(r, "check_adherence").summary
    assert "no dose reduction" in summary and "escalation" not in summary
    r = run(
        "suboptimal_workup",
        phase="chronic",
        months_on_tki=12,
        bcr_abl1_is=0.5,
        adherence_pct=80,
        trough_ng_ml=700,
        days_at_current_dose=30,
        hours_since_dose=24,
        mutations=[],
    )
    assert "no dose escalation" in rec(r, "check_adherence").summary


# --- citations: branford-2009 cited for bosutinib; seed-1 for DESTINY's "within 4 months"
def test_avoid_list_cites_branford_only_for_nilotinib_and_dasatinib():
    r = run("mutation", phase="chronic", mutations=["V299L"])  # avoid dasatinib, bosutinib
    detail = rec(r, "switch_tki").detail
    for sentence in re.split(r"(?<=[.;])\s", detail):
        if "bosutinib" in sentence and "Options" not in sentence:
            assert "[branford-2009]" not in sentence, sentence


def test_four_month_regain_is_destinys_fact_not_the_seeds():
    outputs = [
        run("post_reduction", phase="chronic", on_reduced_dose=True, bcr_abl1_is=0.3),
        run("dose_reduction", **ELIGIBLE),
    ]
    for r in outputs:
        for recommendation in r.recommendations:
            for clause in re.split(r"(?<=[.;:])\s", recommendation.detail):
                if "4 months" in clause:
                    assert "[clark-2017]" in clause and "[seed-1]" not in clause, clause


# --- refused with confusing messages: approximate values, a bracketed scale, clock words
@pytest.mark.parametrize(
    "field,text,value,note",
    [
        ("adherence_pct", "~95 %", 95, "approximate"),
        ("trough_ng_ml", "about 1100 ng/mL", 1100, "approximate"),
        ("months_on_tki", "approx 2 yrs", 24, "approximate"),
        ("bcr_abl1_is", "0.008 % (IS)", 0.008, None),
        ("hours_since_dose", "23h post dose", 23, None),
        ("hours_since_dose", "drawn 23 h after the dose", 23, None),
    ],
)
def test_approximate_bracketed_and_clock_forms_are_read(field, text, value, note):
    n = normalize(field, text)
    assert n.value == pytest.approx(value)
    if note:
        assert any(note in a for a in n.assumptions)

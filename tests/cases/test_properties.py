"""Property tests: determinism, total validation (never an exception), citations that resolve."""

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge.api import assess_request
from knowledge.models import RANGES
from knowledge.normalize import FIELDS, NormalizationError, normalize
from knowledge.sources import SOURCES
from knowledge.vocab import ASSESSMENTS, CODES, DOSE_CODES, RULE_SET_VERSION

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

MUTATIONS = ["T315I", "V299L", "T315A", "F317L", "Y253H", "E255K", "F359V", "M244V", "p.Thr315Ile", "t315a"]


def _num(field):
    lo, hi = RANGES[field]
    if field in ("dose_mg", "standard_dose_mg", "ae_grade"):
        return st.integers(lo, hi)
    return st.floats(lo, hi, allow_nan=False)


valid_cases = st.fixed_dictionaries(
    {"assessment": st.sampled_from(ASSESSMENTS)},
    optional={
        "phase": st.sampled_from(["chronic", "accelerated", "blast", None]),
        **{f: st.one_of(st.none(), _num(f)) for f in RANGES},
        "ddpcr_mr45": st.sampled_from([True, False, None]),
        "dosing": st.sampled_from(["once_daily", "twice_daily", None]),
        "mutations": st.one_of(st.none(), st.lists(st.sampled_from(MUTATIONS), max_size=3)),
        "goal": st.sampled_from(["tolerability", "tfr", None]),
        "on_reduced_dose": st.sampled_from([True, False, None]),
        "prior_tki_failure": st.sampled_from([True, False, None]),
        "drug_interaction_concern": st.sampled_from([True, False, None]),
        "response_confirmed": st.sampled_from([True, False, None]),
        "response_status": st.sampled_from(["optimal", "warning", "failure", "suboptimal", None]),
    },
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=10,
)
field_names = st.sampled_from(
    sorted(
        set(RANGES)
        | {"phase", "mutations", "goal", "dosing", "ddpcr_mr45", "assessment", "response_status", "on_reduced_dose"}
    )
)
any_objects = st.dictionaries(st.one_of(field_names, st.text(max_size=12)), json_values, max_size=8)


@SETTINGS
@given(valid_cases)
def test_valid_cases_assess_deterministically_with_resolving_citations(case):
    first, errors = assess_request(case)
    assert not errors, errors
    second, _ = assess_request(json.loads(json.dumps(case)))
    assert first.json() == second.json()
    seen = set()
    for r in first.recommendations:
        assert r.code in CODES
        assert r.code not in seen, "a code appears twice"
        seen.add(r.code)
        assert r.citations and all(k in SOURCES for k in r.citations)
        starts_from = "standard_dose_mg" if r.code == "resume_standard_dose" else "dose_mg"
        if r.target_dose_mg is not None:  # spec v1.2: a target only on a dose that was given
            assert r.code in DOSE_CODES and case.get(starts_from) is not None, (r.code, r.target_dose_mg)
        elif r.code in DOSE_CODES and r.code != "resume_standard_dose":
            assert case.get(starts_from) is None, (r.code, "no target although the dose was given")
        assert len(r.summary) < 140
    assert first.rule_set_version == RULE_SET_VERSION
    assert len(set(first.rules_fired)) == len(first.rules_fired)
    if case.get("phase") in ("accelerated", "blast"):
        assert [r.code for r in first.recommendations] == ["refer_specialist"]
    if any(first.recommendations) and "escalate_dose" in seen:
        # never escalate with a detected mutation, unconfirmed adherence or severe toxicity
        assert not (case.get("mutations") or [])
        assert (case.get("adherence_pct") or 0) > 90
        assert (case.get("ae_grade") or 0) < 3


@SETTINGS
@given(any_objects)
def test_any_json_object_validates_or_is_rejected_with_errors(obj):
    result, errors = assess_request(obj)
    assert (result is None) != (not errors)
    for e in errors:
        assert set(e) == {"field", "message"} and e["message"]


@SETTINGS
@given(json_values)
def test_any_json_value_is_handled(value):
    result, errors = assess_request(value)
    assert result is not None or errors


@SETTINGS
@given(st.sampled_from(FIELDS), st.text(max_size=60))
def test_normaliser_never_raises_anything_but_its_error(field, text):
    try:
        n = normalize(field, text)
    except NormalizationError as e:
        assert e.field == field and e.message
    else:
        assert n.field == field
        assert isinstance(n.assumptions, list)


@SETTINGS
@given(
    st.sampled_from(["bcr_abl1_is", "trough_ng_ml", "months_on_tki", "adherence_pct"]),
    st.floats(0, 100, allow_nan=False).map(lambda v: round(v, 4)),
)
def test_normalised_numbers_round_trip(field, v):
    unit = {"bcr_abl1_is": "%", "trough_ng_ml": "ng/mL", "months_on_tki": "months", "adherence_pct": "%"}[field]
    if field == "adherence_pct" and 0 < v <= 1:
        return  # a fraction or a percentage? asked (spec section 5)
    if field == "bcr_abl1_is" and v == 0:
        return  # "undetectable" without its sensitivity: asked (spec v1.2 section 5)
    if field == "trough_ng_ml" and re.fullmatch(r"\d+\.\d{3}", f"{v}"):
        with pytest.raises(NormalizationError, match="ambiguous"):  # 1.150 ng/mL: 1.15 or 1150? (spec 5)
            normalize(field, f"{v} {unit}")
        return
    n = normalize(field, f"{v} {unit}")
    assert abs(n.value - v) <= 1e-6 * max(1, v)


NUMERIC_UNITS = {
    "bcr_abl1_is": "%",
    "trough_ng_ml": "ng/mL",
    "months_on_tki": "months",
    "mmr_months": "months",
    "adherence_pct": "%",
    "dose_mg": "mg",
    "standard_dose_mg": "mg",
    "hours_since_dose": "h",
    "days_at_current_dose": "days",
}


@SETTINGS
@given(
    st.sampled_from(sorted(NUMERIC_UNITS)),
    st.floats(0.001, 1e6, allow_nan=False).map(lambda v: round(v, 3)),
    st.sampled_from(["-", "\u2212", "\u2013"]),
)
def test_a_negative_number_is_never_a_value(field, v, minus):
    with pytest.raises(NormalizationError):
        normalize(field, f"{minus}{v} {NUMERIC_UNITS[field]}")


@SETTINGS
@given(st.sampled_from(sorted(NUMERIC_UNITS)), st.sampled_from(["1e308", "9" * 30, "inf", "nan", "Infinity", "1e999"]))
def test_huge_or_non_finite_numbers_are_refused(field, text):
    with pytest.raises(NormalizationError):
        normalize(field, f"{text} {NUMERIC_UNITS[field]}")


# --- spec v1.1 "Precedence across rules": one property per line ------------------------------------

chronic_cases = valid_cases.map(lambda c: {**c, "phase": "chronic"})
DOSE_CHANGES = {"escalate_dose", "reduce_dose", "reduce_dose_for_toxicity"}


def _codes(result):
    return [r.code for r in result.recommendations]


@SETTINGS
@given(chronic_cases.filter(lambda c: c.get("mutations")))
def test_a_detected_mutation_always_brings_switch_tki(case):
    result, _ = assess_request(case)
    assert "switch_tki" in _codes(result), result.rules_fired


@SETTINGS
@given(valid_cases)
def test_switch_tki_never_stands_beside_a_dose_change(case):
    codes = set(_codes(assess_request(case)[0]))
    assert not ("switch_tki" in codes and codes & DOSE_CHANGES), codes


@SETTINGS
@given(chronic_cases.filter(lambda c: (c.get("adherence_pct") or 0) <= 90 and not c.get("mutations")))
def test_no_escalation_and_no_exposure_switch_while_adherence_is_unconfirmed(case):
    result, _ = assess_request(case)
    codes = _codes(result)
    assert "escalate_dose" not in codes
    if "switch_tki" in codes:  # only the switch for severe toxicity at 300 mg/day or less (no lower step)
        assert (case.get("ae_grade") or 0) >= 3 and (case.get("dose_mg") or 999) <= 300, result.rules_fired


@SETTINGS
@given(valid_cases)
def test_rules_fired_is_never_empty(case):
    assert assess_request(case)[0].rules_fired


@SETTINGS
@given(
    chronic_cases.filter(
        lambda c: (
            c.get("trough_ng_ml") is not None
            and (c.get("days_at_current_dose") is None or c.get("hours_since_dose") is None)
        )
    )
)
def test_a_trough_of_unknown_timing_lists_its_timing_as_missing(case):
    result, _ = assess_request(case)
    for f in ("days_at_current_dose", "hours_since_dose"):
        if case.get(f) is None:
            assert f in result.missing_inputs
    assert any("steady-state trough" in a for a in result.assumptions)

"""The card every channel shows (knowledge/card.py) and the series reader (reading/series.py)."""

import re

import pytest

from knowledge import thresholds as T
from knowledge.api import assess_request
from knowledge.card import Basis, Point, assumed_inputs, build, change, classify, findings
from knowledge.sources import SOURCES
from knowledge.vocab import RULE_SET_VERSION
from reading.series import read_series

TROUGH_ONLY = {
    "assessment": "tdm",
    "trough_ng_ml": 592,
    "hours_since_dose": 24,
    "days_at_current_dose": 30,
    "dose_mg": 400,
    "adherence_pct": 95,
    "ae_grade": 0,
}


def card_for(case, **kw):
    result, errors = assess_request(case)
    assert not errors
    return build(result, case, card_id="r1", title="Test", **kw)


def test_a_trough_is_always_read_against_the_target_even_without_the_response():
    result, _ = assess_request(TROUGH_ONLY)
    assert result.recommendations == []  # the rules cannot decide without the response
    facts = findings(result, TROUGH_ONLY)
    assert facts[0].startswith(f"Trough 592 ng/mL is below the {T.TROUGH_TARGET} target")
    assert "response is not known" in facts[1]
    at_target = dict(TROUGH_ONLY, trough_ng_ml=T.TROUGH_TARGET_NG_ML)  # the boundary: 1000 is "at or above"
    assert "at or above" in findings(assess_request(at_target)[0], at_target)[0]


def test_the_card_text_says_what_is_still_needed():
    case = {k: v for k, v in TROUGH_ONLY.items() if k not in ("hours_since_dose", "days_at_current_dose")}
    case.update(months_on_tki=12, bcr_abl1_is=2.0)
    assert "Still needed: " in card_for(case).text  # Slack and REST show the card's text


def test_the_assumed_adverse_events_are_what_the_rules_assumed():
    tdm = {k: v for k, v in TROUGH_ONLY.items() if k != "ae_grade"}
    (ae,) = [b for b in assumed_inputs(assess_request(tdm)[0]) if b.label == "Adverse-event grade"]
    assert ae.value == f"no severe (grade ≥ {T.SEVERE_AE_GRADE}) toxicity"  # TDM assumes no grade ≥ 3, not < 2


@pytest.mark.parametrize("timing", [{"hours_since_dose": 3}, {"days_at_current_dose": 2}])
def test_an_invalid_trough_sample_is_not_compared_with_the_target(timing):
    case = dict(TROUGH_ONLY, trough_ng_ml=2500, **timing)
    facts = findings(assess_request(case)[0], case)
    assert "not compared with the" in facts[0] and "at or above" not in " ".join(facts)
    assert re.search(r"\[seed-6\]", facts[0])


def test_one_numbering_for_the_text_the_card_and_the_references():
    card = card_for(dict(TROUGH_ONLY, months_on_tki=24, bcr_abl1_is=2.0))
    refs = card.payload["references"]
    assert [r["n"] for r in refs] == list(range(1, len(refs) + 1))
    for r in refs:
        assert f"{r['n']}. {r['text']}" in card.text
        assert r["text"] == SOURCES[r["key"]].reference() and r["url"] == SOURCES[r["key"]].url
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", card.text)}
    assert cited == {r["n"] for r in refs}, "every number used is a reference, every reference is used"
    assert any(r["url"] and r["url"].startswith("https://pubmed.ncbi.nlm.nih.gov/") for r in refs)


def test_the_card_says_what_it_was_based_on_and_what_was_assumed():
    basis = [Basis("Trough", "592 ng/mL", "converted", "1.2 µmol/L"), Basis("Current dose", "400 mg/day")]
    card = card_for(TROUGH_ONLY, based_on=basis)
    assert card.payload["based_on"][0] == {
        "label": "Trough",
        "value": "592 ng/mL",
        "how": "converted",
        "from": "1.2 µmol/L",
        "origin": "converted from 1.2 µmol/L",  # the words every channel shows
    }
    assert "Trough: 592 ng/mL (converted from 1.2 µmol/L)" in card.text
    assert Basis("Adverse-event grade", "0", "converted", "none").origin() == "read from ‘none’"
    result, _ = assess_request(TROUGH_ONLY)
    assumed = {b.label: b.value for b in assumed_inputs(result)}
    assert assumed == {"Phase": "chronic", "Dosing schedule": "once daily"}


def test_the_full_note_is_plain_text_with_the_date_rule_set_inputs_and_references():
    card = card_for(dict(TROUGH_ONLY, months_on_tki=24, bcr_abl1_is=2.0), based_on=[Basis("Trough", "592 ng/mL")])
    note = card.payload["note_full"]
    assert "**" not in note and "_Decision" not in note
    assert (
        re.search(r"\d{4}-\d{2}-\d{2}", note)
        and f"Rule set {RULE_SET_VERSION}" in note
        and "Inputs: Trough: 592 ng/mL" in note
    )
    assert "References:" in note and "not a substitute for clinical judgement" in note


@pytest.mark.parametrize(
    "months,value,status",
    [
        (3, 10.0, "optimal"),  # ≤ 10 % at 3 months
        (3, 10.5, "warning"),
        (6, 1.0, "optimal"),
        (6, 10.0, "warning"),
        (6, 10.1, "failure"),
        (12, 0.1, "optimal"),
        (12, 1.0, "warning"),
        (12, 1.01, "failure"),
        (2, 50.0, None),  # before the first milestone
    ],
)
def test_each_point_of_a_series_is_placed_by_the_response_rules(months, value, status):
    assert classify(Point(value, months)) == status


def test_a_rise_is_stated_as_a_fact():
    assert change([Point(0.009), Point(0.04)]) == "about 4-fold rise since the previous result (0.009 % → 0.04 %)"
    assert change([Point(0.5, 12), Point(0.4, 18)]) == "fall since the previous result (0.5 % → 0.4 %)"
    assert change([Point(0.5)]) is None


def test_a_series_is_read_from_one_message():
    points = read_series("12 % at 3 months, 2 % at 6, 0.5 % at 12, 0.08 % at 18")
    assert [(p.value, p.months) for p in points] == [(12, 3), (2, 6), (0.5, 12), (0.08, 18)]
    assert [(p.value, p.months) for p in read_series("went from 0.009 % to 0.04 %")] == [(0.009, None), (0.04, None)]
    assert [p.months for p in read_series("0.1% @ 1 year, 0.02% @ 18m")] == [12, 18]
    assert read_series("BCR-ABL1 0.5 % at 12 months on 400 mg") == []  # one result is not a series
    assert read_series("400 at 3 and 300 at 6") == []  # doses, not levels
    assert read_series("1 % at 3 months, 400 at 6") == []  # a bare number over 100 is never a level


@pytest.mark.parametrize(
    "text,points",
    [
        ("3 mo PCR 18%, repeated 6 wks later 16%", [(18, 3), (16, 4.38)]),
        ("6-month result 4 %; two months later the repeat was 3.1 %", [(4, 6), (3.1, 8)]),
        ("12m 0.9%, rechecked a month later: 0.7%", [(0.9, 12), (0.7, 13)]),
    ],
)
def test_a_repeat_is_dated_from_the_result_before_it(text, points):
    assert [(p.value, p.months) for p in read_series(text)] == points


def test_the_card_carries_the_series_for_the_chart():
    points = read_series("12 % at 3 months, 2 % at 6, 0.5 % at 12, 0.08 % at 18")
    card = card_for({"assessment": "response", "months_on_tki": 18, "bcr_abl1_is": 0.08}, series=points)
    series = card.payload["series"]
    assert [p["status"] for p in series["points"]] == ["warning", "warning", "warning", "optimal"]
    assert {line["value"] for line in series["lines"]} == {T.MMR_PCT, T.MR4_PCT}
    assert series["milestones"][0] == {"months": 3.0, "optimal": 10.0, "failure": None}
    assert "0.08 % at 18 months: optimal" in card.text


def test_results_timed_in_weeks_are_a_series_with_no_time_on_imatinib():
    # weeks count from a change, not from the start: ordered, untimed on imatinib (the chart draws no milestones)
    points = read_series("0.02 % at 6 weeks, 0.04 % at 12 weeks after the reduction")
    assert [(p.value, p.months) for p in points] == [(0.02, None), (0.04, None)]


@pytest.mark.parametrize(
    "text",
    [
        "adherence 80 % at 24 months, BCR-ABL1 1 % at 12 months, 0.5 % at 18",  # another measure among them
        "BCR-ABL1 0.5 % at 12 months, oedema grade 2 at 18 months",
        "0.08 % at 1 year, 0.005 % at 18",  # 18 years or 18 months: not guessed
    ],
)
def test_what_is_not_clearly_a_series_is_not_read_as_one(text):
    assert read_series(text) == []


def test_results_written_newest_first_are_put_in_time_order():
    points = read_series("0.5 % at 18 months, 2 % at 6 months")
    assert [(p.value, p.months) for p in points] == [(2.0, 6.0), (0.5, 18.0)]


def test_every_assumed_input_is_recorded_by_its_rule_and_stays_out_of_the_output_contract():
    import json

    from helpers import TESTS

    from knowledge.fields import FIELDS

    seen = set()
    for line in (TESTS / "spec_cases" / "cases.jsonl").read_text().splitlines():
        result, errors = assess_request(json.loads(line)["input"])
        if errors:
            continue
        assert "assumed_inputs" not in result.dict() and "assumed_inputs" not in result.json()
        for a in result.assumed_inputs:
            assert a.field in FIELDS and a.why in result.assumptions, a
            seen.add(a.field)
        labels = [b.label for b in assumed_inputs(result)]
        assert len(labels) == len(set(labels)), "one assumed value per input"
    assert {"phase", "ae_grade", "prior_tki_failure"} <= seen, seen  # dosing and dose: the tests above


def test_a_current_dose_not_given_is_shown_as_assumed_without_a_target():
    result, _ = assess_request({"assessment": "response", "months_on_tki": 12, "bcr_abl1_is": 0.5, "ae_grade": 3})
    assumed = {b.label: b.value for b in assumed_inputs(result)}
    assert assumed.get("Current dose") == "not given: no target dose", assumed


REDUCTION = {
    "assessment": "dose_reduction",
    "phase": "chronic",
    "dose_mg": 400,
    "months_on_tki": 60,
    "bcr_abl1_is": 0.008,
    "mmr_months": 30,
    "adherence_pct": 98,
    "ae_grade": 2,
    "goal": "tolerability",
    "mutations": [],
    "prior_tki_failure": False,
}


def test_a_card_opens_with_its_bottom_line_built_from_its_recommendations():
    card = card_for(REDUCTION)
    line, recs = card.payload["bottom_line"], card.payload["assessment"]["recommendations"]
    assert line.startswith(recs[0]["summary"].rstrip("."))  # the decision first, in the rules' words
    assert "RQ-PCR on the IS every 4–6 weeks" in line  # then the next test
    assert card.text.splitlines()[0] == f"**{line}**"
    missing = card_for({"assessment": "response"}).payload["bottom_line"]
    assert missing.startswith("No recommendation yet:") and "time on imatinib" in missing


def test_the_note_of_a_reduction_is_short_and_holds_its_plan_and_next_test():
    card = card_for(REDUCTION)
    note = card.payload["note"]
    assert len(note) < 700, len(note)
    assert re.match(r"\d{4}-\d{2}-\d{2} ", note) and "BCR-ABL1 0.008 % IS" in note and "60 months on imatinib" in note
    assert "Plan: 1. Candidate for reduction: 400 → 200 mg/day" in note
    assert "Next test: RQ-PCR on the IS every 4–6 weeks for the first 6–12 months" in note
    assert "Key references: Clark RE, et al. Lancet Haematol 2017" in note
    assert "not a substitute for clinical judgement" in note and "**" not in note and "[" not in note
    assert len(card.payload["note_full"]) > len(note) and "References:" in card.payload["note_full"]


def test_a_note_says_what_was_assumed_and_the_response_with_its_guideline():
    result_case = {"assessment": "response", "months_on_tki": 12, "bcr_abl1_is": 2.0, "dose_mg": 400}
    result, _ = assess_request(result_case)
    note = build(result, result_case, card_id="n", title="Response", based_on=assumed_inputs(result)).payload["note"]
    assert "Response: failure (ELN 2020 milestones)." in note and "Assumed (not given): phase chronic." in note


@pytest.mark.parametrize(
    ("ng", "shown"),
    [(789.76, "790 ng/mL"), (592.32, "590 ng/mL"), (592, "592 ng/mL"), (999.6, "999.6 ng/mL"), (95.5, "95.5 ng/mL")],
)
def test_a_converted_trough_is_shown_to_10_ng_ml_never_across_a_threshold(ng, shown):
    assert T.ng(ng) == shown


@pytest.mark.parametrize(
    ("pct", "shown"),
    [
        (0.0031622777, "0.00316 %"),  # a 4.5-log reduction: what a laboratory would report
        (0.0125, "0.0125 %"),  # 3 significant digits: as written
        (83.33333, "83.3 %"),  # 25 of 30 doses
        (0.10004, "0.10004 %"),  # rounding would put it in MMR: exact
        (0.0032004, "0.0032004 %"),  # ... or in MR4.5
        (90.0004, "90.0004 %"),  # ... or make confirmed adherence unconfirmed
        (10.0001, "10.0001 %"),  # ... or take it off failure at 6 months
    ],
)
def test_a_derived_percentage_is_shown_to_3_significant_digits_never_across_a_threshold(pct, shown):
    """Issue 23: BCR-ABL1 as an assay reports it (its significant digits), the threshold side always kept."""
    assert T.pct(pct) == shown


def test_no_percentage_changes_side_of_a_threshold_when_shown():
    import random

    rng = random.Random(23)
    lines = T._pct_lines()
    for _ in range(20000):
        v = 10 ** rng.uniform(-5, 2.2)
        shown = float(T.pct(v).removesuffix(" %"))
        assert all((shown <= t) == (v <= t) and (shown >= t) == (v >= t) for t in lines), v
    assert [T.pct(t) for t in lines] == [f"{t:g} %" for t in lines]  # every threshold as written


def test_a_read_states_a_typed_number_with_every_digit_and_a_derived_one_as_reported():
    from dialogue.forms import show

    assert show("bcr_abl1_is", 0.01234, "pcr 0.01234% today") == "BCR-ABL1 0.01234 % IS"
    assert show("trough_ng_ml", 789.76, "trough 789.76 ng/mL") == "trough 789.76 ng/mL"
    assert show("trough_ng_ml", 789.76, "trough 1.6 umol/L") == "trough 790 ng/mL"
    assert show("bcr_abl1_is", 0.0031622777, "4.5 log reduction") == "BCR-ABL1 0.00316 % IS"


def test_what_a_clinician_reads_is_plain_clinical_language():
    """No rule ids, source keys or project words in recommendations, findings and assumptions (rule ids stay in
    'why?' and the payload; keys only as [key] citations, numbered before they are shown)."""
    import json

    from helpers import TESTS

    from knowledge.card import RULES, SOURCES

    words = re.compile(r"rule table|evidence brief|\bspec\b|spec's|\bseed\b|seed's", re.I)
    ids = re.compile(
        r"(?<![\w-])(" + "|".join(re.escape(r) for r in sorted(RULES, key=len, reverse=True)) + r")(?![\w-])"
    )
    keys = re.compile(r"(?<!\[)\b(" + "|".join(re.escape(k) for k in SOURCES) + r")\b(?!\])")
    for line in (TESTS / "spec_cases" / "cases.jsonl").read_text().splitlines():
        case = json.loads(line)["input"]
        result, errors = assess_request(case)
        if errors:
            continue
        card = build(result, case, card_id="p", title="Plain")
        shown = [r["summary"] + " " + r["detail"] for r in card.payload["assessment"]["recommendations"]]
        shown += card.payload["findings"] + list(result.assumptions) + [card.payload["bottom_line"]]
        for text in shown:
            assert not words.search(re.sub(r"\[[a-z0-9-]+\]", "", text)), text
            assert not ids.search(text), text
            assert not keys.search(text), text


def test_a_conflict_is_the_bottom_line_and_is_said_once():
    case = {"assessment": "tdm", "trough_ng_ml": 691, "hours_since_dose": 24, "days_at_current_dose": 1095.84,
            "months_on_tki": 30, "dose_mg": 400}  # fmt: skip
    card = card_for(case)
    line = card.payload["bottom_line"]
    assert line.startswith("Conflicting values, please check: about 1096 days (36 months) on the current dose")
    assert card.text.splitlines()[0].startswith("⚠️ **Conflicting values")  # first
    assert card.text.count("cannot be longer than") == 1  # and once

"""The blind sets' scorer says where a missed value was lost, by stage names only (tests/blind/score.py)."""

from __future__ import annotations

import pytest

from tests.blind.score import miss_stage

_CASE = {"kind": "case", "text": "…"}


@pytest.mark.parametrize(
    "reading, stage",
    [
        ({"kind": "question", "values": {}}, "speech act: question"),
        ({"kind": "case", "values": {"dose_mg": {"value": 600}}}, "another value stated"),
        ({"kind": "case", "values": {}, "ambiguous": [{"field": "dose_mg", "text": "400 / 600"}]}, "asked about"),
        (
            {"kind": "case", "not_values": [{"text": "400", "why": "a proposed dose", "field": "dose_mg"}]},
            "set aside: a proposed dose",
        ),
        ({"kind": "case", "values": {}, "not_values": [{"text": "bed 4", "why": "a bed or a number"}]}, "not found"),
    ],
)
def test_a_missed_value_is_named_by_the_stage_that_lost_it(reading, stage):
    assert miss_stage(_CASE, "dose_mg", reading) == stage


def test_a_question_labelled_as_a_question_is_not_a_speech_act_loss():
    assert miss_stage({"kind": "question"}, "dose_mg", {"kind": "question", "values": {}}) == "not found"

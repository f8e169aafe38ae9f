"""A general question's example answered by the rules (knowledge/examples.py), and questions the sources do not
cover said so (knowledge/uncovered.py): pure, every statement cited by a registry key."""

import re

import pytest

from knowledge import examples, sources, uncovered

KEY = re.compile(r"\[([a-z0-9-]+)\]")


@pytest.mark.parametrize(
    "level, category",
    [(0.1, "MMR"), (0.07, "MMR"), (0.01, "MR4"), (0.0032, "MR4.5"), (0.001, "MR5"), (0.0005, "MR5")],
)
def test_a_level_is_within_its_deepest_category_boundaries_included(level, category):
    said = examples.answer({"bcr_abl1_is": level})
    assert f"within {category} (" in said


def test_a_level_above_mmr_is_said_not_to_be_mmr():
    assert "so it is not MMR" in examples.answer({"bcr_abl1_is": 0.10001})


@pytest.mark.parametrize(
    "level, months, status",
    [(10, 3, "optimal"), (10.5, 3, "warning"), (1, 6, "optimal"), (10.5, 6, "failure"), (1.2, 12, "failure"),
     (0.1, 12, "optimal"), (2, 1, None)],
)  # fmt: skip
def test_a_milestone_example_is_classified_by_the_response_rules(level, months, status):
    said = examples.answer({"bcr_abl1_is": level, "months_on_tki": months})
    assert (f"**{status}**" in said) if status else ("too early" in said)


def test_every_example_and_gap_cites_registered_sources_only():
    texts = [examples.answer({"bcr_abl1_is": 0.5}), examples.answer({"bcr_abl1_is": 2, "months_on_tki": 12})]
    texts += [g.text for g in uncovered.GAPS]
    for text in texts:
        assert all(k in sources.SOURCES for k in KEY.findall(text)), text


def test_no_example_without_a_level():
    assert examples.answer({"months_on_tki": 12}) is None and examples.answer({}) is None


@pytest.mark.parametrize(
    "text, gap",
    [
        ("convert 2.1 umol/L to ng/mL?", "unit_conversion"),
        ("is imatinib ok in pregnancy", "pregnancy"),
        ("does she need to take it with food", "food"),
        ("when do we refer for allo transplant", "transplant"),
        ("bosutinib starting dose?", "other_tki_dosing"),
        ("what is MMR", None),
        ("trough 850 ng/mL at 24 h on 400 mg", None),
    ],
)
def test_uncovered_questions_are_recognised(text, gap):
    found = uncovered.gap(text)
    assert (found.id if found else None) == gap


def test_the_conversion_factor_is_the_normalisers_own():
    from knowledge.normalize import normalize

    assert normalize("trough_ng_ml", "1 umol/L").value == pytest.approx(493.6)
    assert "493.6" in uncovered.gap("umol/L to ng/mL").text

"""Helpers shared by the tests: the project's paths, and running an assessment."""

from pathlib import Path

from knowledge.api import assess_request


def run(assessment, **fields):
    """Assess a case given as keyword fields; fails the test on validation errors."""
    result, errors = assess_request({"assessment": assessment, **fields})
    assert not errors, errors
    return result


def codes(result):
    return [r.code for r in result.recommendations]


def rec(result, code):
    matches = [r for r in result.recommendations if r.code == code]
    assert matches, f"{code} not in {codes(result)}"
    return matches[0]


ROOT = Path(__file__).resolve().parents[1]  # the project
TESTS = ROOT / "tests"  # the tests' data: reference copies, review and spec cases, fixtures, blind sets

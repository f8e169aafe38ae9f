"""Load: 50 concurrent conversations through complete assessments; one audit row per recommendation."""

import pytest

from harness.load import SCRIPTS, run_conversations

pytestmark = pytest.mark.rasa


def test_fifty_concurrent_complete_assessments(servers):
    result = run_conversations(servers, 50, "test")
    print(
        f"\nload: {result['conversations']} conversations, {result['turns']} turns, "
        f"{len(result['errors'])} errors, {result['recommendations']} recommendations, "
        f"{result['audit_rows']} audit rows, p95 {result['p95_ms']:.0f} ms"
    )
    assert result["errors"] == []
    assert result["turns"] == sum(len(SCRIPTS[i % len(SCRIPTS)]) for i in range(50))
    assert all(given == 1 for given, _ in result["per_conversation"].values()), "every conversation ends in one"
    assert all(given == rows for given, rows in result["per_conversation"].values())
    assert result["audit_rows"] == result["recommendations"] == 50

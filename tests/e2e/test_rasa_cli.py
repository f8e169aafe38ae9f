"""Rasa's own checks on the trained assistant: data validation, test stories, held-out NLU."""

import json
import subprocess

import pytest

from harness.servers import ENV, ROOT, VENV_BIN

pytestmark = pytest.mark.rasa


def rasa(*args, timeout=900):
    return subprocess.run(
        [str(VENV_BIN / "python"), "-m", "bot.custom", *args],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_data_validates_without_warnings(model):
    out = rasa(
        "data",
        "validate",
        "--fail-on-warnings",
        "--config",
        "config.yml",
        "--domain",
        ".build/domain",
        "--data",
        "bot/data",
        ".build/data",
    )
    assert out.returncode == 0, (out.stdout + out.stderr)[-5000:]


@pytest.fixture(scope="module")
def rasa_test(model, tmp_path_factory):
    """One ``rasa test`` of the test stories and the held-out NLU data (one start of Rasa for both);
    the stories first: a prediction error stops it there."""
    results = tmp_path_factory.mktemp("rasa-test")
    args = ["--model", str(model), "--stories", "tests/stories", "--nlu", "tests/nlu", "--out", str(results)]
    return rasa("test", *args, "--fail-on-prediction-errors", "--no-plot"), results


def test_test_stories_predict_every_action(rasa_test):
    out, results = rasa_test
    assert out.returncode == 0, (out.stdout + out.stderr)[-5000:]
    assert (results / "story_report.json").exists(), "the test stories were run"


def test_held_out_nlu_intent_accuracy_at_least_95_percent(rasa_test):
    out, results = rasa_test
    assert (results / "intent_report.json").exists(), (out.stdout + out.stderr)[-5000:]
    report = json.loads((results / "intent_report.json").read_text())
    accuracy = report["accuracy"]
    selector = results / "response_selection_report.json"
    faq_acc = json.loads(selector.read_text())["accuracy"] if selector.exists() else None
    print(f"\nheld-out NLU: intent accuracy {accuracy:.3f}; FAQ topic (response selection) accuracy {faq_acc}")
    per_intent = {k: v for k, v in report.items() if isinstance(v, dict) and "support" in v and "avg" not in k}
    for name, scores in sorted(per_intent.items()):
        print(f"  {name:28} f1 {scores['f1-score']:.2f}  support {scores['support']}")
    (ROOT / "results").mkdir(exist_ok=True)
    (ROOT / "results" / "nlu_accuracy.json").write_text(json.dumps({"intent": accuracy, "faq_topic": faq_acc}))
    assert accuracy >= 0.95

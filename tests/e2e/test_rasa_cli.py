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


def test_test_stories_predict_every_action(model, tmp_path):
    out = rasa(
        "test",
        "core",
        "--model",
        str(model),
        "--stories",
        "tests/stories",
        "--fail-on-prediction-errors",
        "--out",
        str(tmp_path / "core"),
    )
    assert out.returncode == 0, (out.stdout + out.stderr)[-5000:]


def test_held_out_nlu_intent_accuracy_at_least_95_percent(model, tmp_path):
    out = rasa("test", "nlu", "--model", str(model), "--nlu", "tests/nlu", "--out", str(tmp_path / "nlu"))
    assert out.returncode == 0, (out.stdout + out.stderr)[-5000:]
    report = json.loads((tmp_path / "nlu" / "intent_report.json").read_text())
    accuracy = report["accuracy"]
    selector = tmp_path / "nlu" / "response_selection_report.json"
    faq_acc = json.loads(selector.read_text())["accuracy"] if selector.exists() else None
    print(f"\nheld-out NLU: intent accuracy {accuracy:.3f}; FAQ topic (response selection) accuracy {faq_acc}")
    per_intent = {k: v for k, v in report.items() if isinstance(v, dict) and "support" in v and "avg" not in k}
    for name, scores in sorted(per_intent.items()):
        print(f"  {name:28} f1 {scores['f1-score']:.2f}  support {scores['support']}")
    (ROOT / "results").mkdir(exist_ok=True)
    (ROOT / "results" / "nlu_accuracy.json").write_text(json.dumps({"intent": accuracy, "faq_topic": faq_acc}))
    assert accuracy >= 0.95

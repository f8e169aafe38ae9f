"""The CLI contract: `python -m knowledge assess|normalize`, exit codes, stdout/stderr."""

import json
import subprocess
import sys

import pytest
from helpers import ROOT

from knowledge.sources import SOURCES
from knowledge.vocab import RULE_SET_VERSION


def cli(*args, stdin=None):
    p = subprocess.run(
        [sys.executable, "-m", "knowledge", *args], input=stdin, capture_output=True, text=True, timeout=60
    )
    return p.returncode, p.stdout, p.stderr


def test_assess_from_file(tmp_path):
    f = tmp_path / "case.json"
    f.write_text(
        json.dumps(
            {
                "assessment": "tdm",
                "phase": "chronic",
                "trough_ng_ml": 650,
                "months_on_tki": 12,
                "bcr_abl1_is": 0.5,
                "adherence_pct": 95,
                "mutations": [],
                "dose_mg": 400,
                "days_at_current_dose": 30,
                "hours_since_dose": 24,
                "dosing": "once_daily",
            }
        )
    )
    rc, out, err = cli("assess", str(f))
    assert rc == 0, err
    data = json.loads(out)
    assert data["rule_set_version"] == RULE_SET_VERSION
    assert data["assessment"] == "tdm"
    assert data["response_status"] == "warning"
    assert [r["code"] for r in data["recommendations"]] == ["escalate_dose"]
    assert data["recommendations"][0]["target_dose_mg"] == 600
    assert set(data) == {
        "rule_set_version",
        "assessment",
        "response_status",
        "recommendations",
        "missing_inputs",
        "conflicts",  # spec v1.2
        "assumptions",
        "rules_fired",
    }
    for r in data["recommendations"]:
        assert set(r) == {"code", "summary", "indicator", "detail", "target_dose_mg", "options", "avoid", "citations"}
        assert all(k in SOURCES for k in r["citations"])


def test_assess_from_stdin():
    rc, out, _ = cli("assess", "-", stdin=json.dumps({"assessment": "mutation", "mutations": ["p.Thr315Ile"]}))
    assert rc == 0
    assert json.loads(out)["recommendations"][0]["options"] == ["ponatinib", "asciminib"]


@pytest.mark.parametrize(
    "stdin,field",
    [
        ("{not json", "__root__"),
        ("[1, 2]", "__root__"),
        ('"text"', "__root__"),
        ('{"assessment": "nonsense"}', "assessment"),
        ('{"phase": "chronic"}', "assessment"),
        ('{"assessment": "tdm", "weight_kg": 70}', "weight_kg"),
        ('{"assessment": "tdm", "trough_ng_ml": -1}', "trough_ng_ml"),
        ('{"assessment": "tdm", "trough_ng_ml": 20001}', "trough_ng_ml"),
        ('{"assessment": "tdm", "dose_mg": 900}', "dose_mg"),
        ('{"assessment": "tdm", "dose_mg": true}', "dose_mg"),
        ('{"assessment": "tdm", "ae_grade": 5}', "ae_grade"),
        ('{"assessment": "tdm", "adherence_pct": 101}', "adherence_pct"),
        ('{"assessment": "tdm", "bcr_abl1_is": "0.1 %"}', "bcr_abl1_is"),
        ('{"assessment": "tdm", "mutations": ["banana"]}', "mutations"),
        ('{"assessment": "tdm", "mutations": "T315I"}', "mutations"),
        ('{"assessment": "tdm", "phase": "late"}', "phase"),
        ('{"assessment": "tdm", "ddpcr_mr45": "yes"}', "ddpcr_mr45"),
        ('{"assessment": "tdm", "months_on_tki": 1e999}', "months_on_tki"),
        ("", "__root__"),
    ],
)
def test_invalid_input_exit_2_json_errors_nothing_on_stdout(stdin, field):
    rc, out, err = cli("assess", "-", stdin=stdin)
    assert rc == 2
    assert out == ""
    errors = json.loads(err)["errors"]
    assert field in [e["field"] for e in errors]
    assert all(e["message"] for e in errors)
    assert "Traceback" not in err


def test_missing_file():
    rc, out, err = cli("assess", "/nonexistent/case.json")
    assert rc == 2 and out == "" and json.loads(err)["errors"]


@pytest.mark.parametrize(
    "field,text,value",
    [
        ("bcr_abl1_is", "MR4.5", 0.0032),
        ("trough_ng_ml", "2.1 µmol/L", 1036.56),
        ("months_on_tki", "a year and a half", 18),
        ("dose_mg", "400 mg bid", 800),
        ("adherence_pct", "never misses", 100),
        ("mutations", "Thr315Ile", ["T315I"]),
    ],
)
def test_normalize(field, text, value):
    rc, out, err = cli("normalize", field, text)
    assert rc == 0, err
    data = json.loads(out)
    assert data["field"] == field
    assert data["value"] == (pytest.approx(value) if isinstance(value, float) else value)
    assert isinstance(data["assumptions"], list)


@pytest.mark.parametrize(
    "args",
    [
        ("normalize", "weight", "70"),
        ("normalize", "bcr_abl1_is", "lots"),
        ("normalize", "trough_ng_ml", "2.1"),
        ("frobnicate",),
        (),
    ],
)
def test_normalize_and_usage_errors(args):
    rc, out, err = cli(*args)
    assert rc == 2 and out == ""
    assert json.loads(err.strip().splitlines()[-1])["errors"][0]["message"]


def test_knowledge_imports_neither_rasa_nor_actions_nor_storage():
    code = (
        "import sys, knowledge, knowledge.api, knowledge.rules, knowledge.normalize, knowledge.faq, "
        "knowledge.render, knowledge.explain, knowledge.sources, knowledge.audit, knowledge.cli, knowledge.__main__\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('rasa', 'rasa_sdk', 'actions', 'bot', 'sqlite_utils', 'sqlite3', 'sqlalchemy'))\n"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stdout + p.stderr


def test_knowledge_reads_no_environment():
    root = ROOT / "knowledge"
    assert not [p.name for p in root.rglob("*.py") if "os.environ" in p.read_text(encoding="utf-8")]

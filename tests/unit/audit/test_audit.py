"""Audit trail: rows, salted hashes, export, purge, and a writer that never holds up the reply."""

import asyncio
import csv
import io
import json
import logging
import os
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from helpers import ROOT

from audit import AuditLog
from knowledge.api import assess_request
from knowledge.audit import conversation_hash

CASE = {
    "assessment": "dose_reduction",
    "dose_mg": 400,
    "months_on_tki": 60,
    "bcr_abl1_is": 0.008,
    "mmr_months": 30,
    "adherence_pct": 98,
    "ae_grade": 2,
    "goal": "tolerability",
}


def assessment():
    result, errors = assess_request(CASE)
    assert not errors
    return result.dict()


def cli(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "audit", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )


def test_a_row_holds_the_decision_and_a_salted_hash_never_the_conversation_id(tmp_path, monkeypatch):
    monkeypatch.delenv("AUDIT_SALT", raising=False)
    log = AuditLog(tmp_path / "a.db")
    a = assessment()
    log.record("clinic-ward-7-conversation", "slack", CASE, a)
    log.record("clinic-ward-7-conversation", "rest", CASE, a)
    log.record("another", "rest", CASE, a)
    rows = log.rows()
    assert len(rows) == 3
    row = rows[0]
    assert row["conversation"] == rows[1]["conversation"] != rows[2]["conversation"]
    assert "clinic-ward-7" not in json.dumps(rows) and "clinic-ward-7".encode() not in (tmp_path / "a.db").read_bytes()
    assert row["conversation"] == conversation_hash("clinic-ward-7-conversation", log.salt)
    assert row["channel"] == "slack" and row["assessment"] == "dose_reduction"
    assert row["rule_set_version"] == a["rule_set_version"] and row["rules_fired"] == a["rules_fired"]
    assert row["codes"] == [r["code"] for r in a["recommendations"]]
    assert set(row["citations"]) == {k for r in a["recommendations"] for k in r["citations"]}
    assert row["inputs"] == CASE
    assert (tmp_path / "a.db.salt").stat().st_mode & 0o777 == 0o600
    assert AuditLog(tmp_path / "a.db").salt == log.salt  # the salt is kept: same id, same hash later


def test_a_salt_from_the_environment_gives_another_hash(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDIT_SALT", "deployment-secret")
    log = AuditLog(tmp_path / "a.db")
    log.record("c1", "rest", CASE, assessment())
    assert log.rows()[0]["conversation"] == conversation_hash("c1", b"deployment-secret")
    assert not (tmp_path / "a.db.salt").exists()


def fill(db: Path):
    log = AuditLog(db)
    now = datetime.now(timezone.utc)
    for days in (40, 10, 0):
        log.record(f"c{days}", "rest", CASE, assessment(), at=now - timedelta(days=days))
    return now


def test_export_csv_and_json_with_since(tmp_path):
    db = tmp_path / "a.db"
    now = fill(db)
    out = cli("export", "--db", str(db))
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert len(rows) == 3 and json.loads(rows[0]["codes"]) == json.loads(rows[2]["codes"])
    since = (now - timedelta(days=20)).date().isoformat()
    out = cli("export", "--db", str(db), "--since", since, "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert len(rows) == 2 and all(r["recorded_at"] >= since for r in rows)
    assert rows[0]["inputs"] == CASE


@pytest.mark.parametrize(
    "args,field",
    [
        (["export", "--since", "last tuesday"], "--since"),
        (["export", "--format", "xml"], "--format"),
        (["export", "--colour", "red"], "--colour"),
        (["purge"], "--days"),
        (["purge", "--days", "-3"], "--days"),
        (["export", "--db", "/nonexistent/audit.db"], "--db"),
        (["delete"], "arguments"),
    ],
)
def test_bad_audit_commands_say_what_was_expected(tmp_path, args, field):
    db = tmp_path / "a.db"
    fill(db)
    if "--db" not in args:
        args = args + ["--db", str(db)]
    out = cli(*args)
    assert out.returncode == 2 and out.stdout == "" and "Traceback" not in out.stderr
    assert json.loads(out.stderr)["errors"][0]["field"] == field


def test_purge_removes_rows_older_than_n_days(tmp_path):
    db = tmp_path / "a.db"
    fill(db)
    out = cli("purge", "--days", "30", "--db", str(db))
    assert out.returncode == 0 and json.loads(out.stdout) == {"audit_rows_removed": 1}
    assert len(AuditLog(db).rows()) == 2


def test_the_writer_returns_before_the_row_is_written_and_counts_failures(tmp_path, caplog):
    from audit import AuditWriter

    release, written = threading.Event(), []

    class SlowLog:
        def record(self, **row):
            release.wait(30)
            written.append(row)

    writer = AuditWriter(SlowLog)
    writer.submit("c1", "rest", CASE, assessment())
    assert written == []  # the reply went on while the database was busy
    release.set()
    assert writer.flush() and len(written) == 1 and writer.written == 1

    class BrokenLog:
        def record(self, **row):
            raise OSError("disk full")

    broken = AuditWriter(BrokenLog)
    with caplog.at_level(logging.ERROR, logger="audit"):
        broken.submit("c1", "rest", CASE, assessment())
        broken.submit("c2", "rest", CASE, assessment())
        assert broken.flush()
    assert broken.failed == 2 and broken.written == 0
    assert "2 audit write failure(s)" in caplog.text and "0.008" not in caplog.text


def test_the_assessment_action_records_one_row(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "tests" / "actions"))
    from rasa_sdk.executor import CollectingDispatcher
    from tracker_factory import DOMAIN, tracker

    import actions.assessment
    from audit import AuditWriter

    writer = AuditWriter(lambda: AuditLog(tmp_path / "a.db"))
    monkeypatch.setattr(actions.assessment, "AUDIT", writer)
    slots = {k: v for k, v in CASE.items() if k != "assessment"}
    d = CollectingDispatcher()
    asyncio.run(
        actions.assessment.AssessDoseReduction().run(
            d, tracker("", slots=slots, sender_id="ward-7", channel="slack"), DOMAIN
        )
    )
    assert writer.flush()
    rows = AuditLog(tmp_path / "a.db").rows()
    assert len(rows) == 1 and rows[0]["channel"] == "slack"
    assert rows[0]["conversation"] == conversation_hash("ward-7", AuditLog(tmp_path / "a.db").salt)
    assert rows[0]["codes"] == [r["code"] for r in d.messages[0]["custom"]["assessment"]["recommendations"]]


def test_export_merges_the_databases_of_several_machines(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDIT_SALT", "one-salt-for-every-machine")
    now = datetime.now(timezone.utc)
    a, b = AuditLog(tmp_path / "a.db"), AuditLog(tmp_path / "b.db")
    a.record("c1", "rest", CASE, assessment(), at=now - timedelta(hours=3))
    b.record("c1", "slack", CASE, assessment(), at=now - timedelta(hours=2))
    a.record("c2", "rest", CASE, assessment(), at=now - timedelta(hours=1))
    out = cli(
        "export",
        "--format",
        "json",
        "--db",
        str(tmp_path / "a.db"),
        "--db",
        str(tmp_path / "b.db"),
        env={"AUDIT_SALT": "one-salt-for-every-machine"},
    )
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert [r["channel"] for r in rows] == ["rest", "slack", "rest"]
    assert rows[0]["conversation"] == rows[1]["conversation"] != rows[2]["conversation"]
    assert cli("purge", "--days", "1", "--db", str(tmp_path / "a.db"), "--db", str(tmp_path / "b.db")).returncode == 2


def test_export_without_a_database_says_so_and_creates_none(tmp_path):
    missing = tmp_path / "nothing-here.db"
    out = cli("export", env={"AUDIT_DB": str(missing)})
    assert out.returncode == 2 and json.loads(out.stderr)["errors"][0]["field"] == "--db"
    assert not missing.exists() and not (tmp_path / "nothing-here.db.salt").exists()

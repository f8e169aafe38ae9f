"""Retention: conversations (whole) and audit rows older than N days go; newer ones stay."""

import asyncio
import json
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

from helpers import ROOT
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered

from audit import AuditLog
from bot.custom.tracker_store import SQLTrackerStore

DOMAIN = Domain.from_yaml('version: "3.1"\nintents: [greet]')


def conversation(store, sender, age_days):
    t = time.time() - age_days * 86400

    async def go():
        tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
        tracker.update(UserUttered("hello", {"name": "greet"}, timestamp=t))
        tracker.update(ActionExecuted("action_listen", timestamp=t + 1))
        await store.save(tracker)

    asyncio.run(go())


def test_retention_removes_old_conversations_whole_and_old_audit_rows(tmp_path):
    tracker_db, audit_db = tmp_path / "tracker.db", tmp_path / "audit.db"
    store = SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tracker_db))
    conversation(store, "old", 100)
    conversation(store, "recent", 2)
    conversation(store, "old-but-active", 100)
    conversation(store, "old-but-active", 0)  # a later message keeps the whole conversation
    log = AuditLog(audit_db)
    now = datetime.now(timezone.utc)
    for age in (100, 2):
        log.record("c", "rest", {}, {"assessment": "tdm", "recommendations": []}, at=now - timedelta(days=age))
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.retention",
            "--days",
            "30",
            "--tracker-db",
            str(tracker_db),
            "--audit-db",
            str(audit_db),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"conversations_removed": 1, "events_removed": 2, "audit_rows_removed": 1}
    assert asyncio.run(store.retrieve("old")) is None
    assert asyncio.run(store.retrieve("recent")) is not None
    assert len(asyncio.run(store.retrieve("old-but-active")).events) == 4
    assert len(AuditLog(audit_db).rows()) == 1


def test_retention_refuses_a_bad_number_of_days(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "bot.retention", "--days", "soon"], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 2 and "expected a number of days" in out.stderr and "Traceback" not in out.stderr

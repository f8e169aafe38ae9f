"""Audit trail: one row per recommendation given, in SQLite through sqlite-utils.

A row holds when, a salted hash of the conversation id (never the id itself), the channel, the
normalised inputs the decision module received (numbers, codes and choices: no free text, no names),
the rule-set version, the rules fired, the codes, the citations and the indicator. The same
conversation always gets the same hash, so an auditor can group rows, but the id cannot be recovered
without the salt.

The salt comes from ``AUDIT_SALT``; without it, a random salt is created once beside the database
(``<db>.salt``, readable by the owner only) and kept. The database is ``AUDIT_DB`` (default
``.rasa/audit.db``).

    python -m knowledge audit export [--since DATE] [--format csv|json] [--db PATH ...]   (several --db: one export, by time)
    python -m knowledge audit purge --days N [--db PATH]
"""
from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import os
import secrets
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional

import sqlite_utils

from .vocab import INDICATORS

TABLE = "recommendations"
JSON_COLUMNS = ("inputs", "rules_fired", "codes", "citations")
COLUMNS = ("id", "recorded_at", "conversation", "channel", "assessment", "rule_set_version", "indicator",
           "response_status") + JSON_COLUMNS


def default_path() -> Path:
    return Path(os.environ.get("AUDIT_DB") or ".rasa/audit.db")


def _salt(db_path: Path) -> bytes:
    env = os.environ.get("AUDIT_SALT")
    if env:
        return env.encode()
    salt_file = db_path.with_name(db_path.name + ".salt")
    try:
        return salt_file.read_bytes()
    except FileNotFoundError:
        salt_file.parent.mkdir(parents=True, exist_ok=True)
        value = secrets.token_hex(32).encode()
        try:  # exclusive create: two processes starting together agree on one salt
            fd = os.open(salt_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return salt_file.read_bytes()
        with os.fdopen(fd, "wb") as fh:
            fh.write(value)
        return value


def conversation_hash(conversation_id: str, salt: bytes) -> str:
    return hmac.new(salt, conversation_id.encode("utf-8"), hashlib.sha256).hexdigest()


def now_iso(at: Optional[datetime] = None) -> str:
    at = at or datetime.now(timezone.utc)
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_since(text: str) -> str:
    """``2026-11-01`` or an ISO date-time (UTC unless it says otherwise) → the stored time format."""
    try:
        at = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"expected a date like 2026-11-01 or 2026-11-01T08:30, got {text[:40]!r}") from None
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    return now_iso(at)


class AuditLog:
    def __init__(self, path: Optional[Path] = None):
        self.path = Path(path) if path else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.salt = _salt(self.path)
        self.db = sqlite_utils.Database(self.path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA busy_timeout=5000")
        if TABLE not in self.db.table_names():
            self.db[TABLE].create({"id": int, "recorded_at": str, "conversation": str, "channel": str,
                                   "assessment": str, "rule_set_version": str, "indicator": str,
                                   "response_status": str, "inputs": str, "rules_fired": str, "codes": str,
                                   "citations": str}, pk="id", not_null={"recorded_at", "conversation"},
                                  if_not_exists=True)
            self.db[TABLE].create_index(["recorded_at"], if_not_exists=True)

    def record(self, conversation_id: str, channel: Optional[str], inputs: Mapping[str, Any],
               assessment: Mapping[str, Any], at: Optional[datetime] = None) -> int:
        """Store one recommendation; returns the row id. ``assessment`` is the Assessment as a dict."""
        recs = assessment.get("recommendations") or []
        citations: List[str] = []
        for r in recs:
            citations += [k for k in r.get("citations") or [] if k not in citations]
        indicators = [r.get("indicator") for r in recs if r.get("indicator") in INDICATORS]
        indicator = max(indicators, key=INDICATORS.index, default=None)  # the most severe
        row = {"recorded_at": now_iso(at), "conversation": conversation_hash(conversation_id, self.salt),
               "channel": channel or "unknown", "assessment": assessment.get("assessment"),
               "rule_set_version": assessment.get("rule_set_version"), "indicator": indicator,
               "response_status": assessment.get("response_status"),
               "inputs": json.dumps(dict(inputs), sort_keys=True),
               "rules_fired": json.dumps(list(assessment.get("rules_fired") or [])),
               "codes": json.dumps([r.get("code") for r in recs]), "citations": json.dumps(citations)}
        with self.db.conn:
            return self.db[TABLE].insert(row).last_pk

    def rows(self, since: Optional[str] = None) -> List[Dict[str, Any]]:
        where, args = ("recorded_at >= ?", [since]) if since else (None, [])
        out = []
        for row in self.db[TABLE].rows_where(where, args, order_by="id"):
            for c in JSON_COLUMNS:
                row[c] = json.loads(row[c]) if row[c] is not None else None
            out.append(row)
        return out

    def count(self) -> int:
        return self.db[TABLE].count

    def purge(self, days: float, now: Optional[datetime] = None) -> int:
        """Delete rows recorded more than ``days`` days ago; returns how many."""
        cutoff = now_iso((now or datetime.now(timezone.utc)) - timedelta(days=days))
        with self.db.conn:
            cur = self.db.execute(f"DELETE FROM {TABLE} WHERE recorded_at < ?", [cutoff])
        return cur.rowcount


def export(rows: Iterable[Dict[str, Any]], fmt: str) -> str:
    rows = list(rows)
    if fmt == "json":
        return json.dumps(rows, indent=1, ensure_ascii=False) + "\n"
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: json.dumps(v) if k in JSON_COLUMNS else v for k, v in row.items()})
    return buf.getvalue()

"""The audit trail's storage: one SQLite row per recommendation (the row itself: ``knowledge/audit.py``).

- ``AuditLog``: the database (``AUDIT_DB``, default ``.rasa/audit.db``; write-ahead log) and its salt
  (``AUDIT_SALT``, or a random salt created once beside the database, ``<db>.salt``, owner-readable only).
- ``AuditWriter`` / ``WRITER``: the action server hands each row to one writer thread and waits for it
  (``settle``, at most 2 s) before the reply goes out, so a row is stored before its recommendation is
  seen and a slow or broken database never holds up a reply for longer, nor breaks it; a row that
  cannot be written is logged at ERROR (without any value) and counted; the counts are logged at
  shutdown, when the queue is drained.
- Only a recommendation that a Rasa server asked for is recorded: in the action server
  (``actions/server.py``) the writer takes a row only while it serves a call that carried the shared secret
  (``VERIFIED``, set by the server's check); that check already answers any other call with 401 before an
  action runs, so this is the second lock on the same door (``refused`` counts rows turned away). Other
  writers (the CDS Hooks service, tests) record what their own, authenticated, requests produced.
- The command line (also used by ``bot/retention.py`` for the audit part of retention)::

      python -m audit export [--since DATE] [--format csv|json] [--db PATH ...]
      python -m audit purge --days N [--db PATH]
"""

from __future__ import annotations

import asyncio
import atexit
import contextvars
import json
import logging
import os
import queue
import secrets
import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional

import sqlite_utils

from knowledge.audit import JSON_COLUMNS, SCHEMA, TABLE, audit_row, conversation_hash, export, now_iso, parse_since
from knowledge.cli import Parser, fail, number_of_days

logger = logging.getLogger(__name__)

# True while the action server serves a call whose shared secret was checked (actions/server.py)
VERIFIED: "contextvars.ContextVar[bool]" = contextvars.ContextVar("action_call_verified", default=False)


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


class AuditLog:
    def __init__(self, path: Optional[Path] = None):
        self.path = Path(path) if path else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.salt = _salt(self.path)
        self.db = sqlite_utils.Database(self.path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA busy_timeout=5000")
        if TABLE not in self.db.table_names():
            self.db[TABLE].create(SCHEMA, pk="id", not_null={"recorded_at", "conversation"}, if_not_exists=True)
            self.db[TABLE].create_index(["recorded_at"], if_not_exists=True)

    def record(
        self,
        conversation_id: str,
        channel: Optional[str],
        inputs: Mapping[str, Any],
        assessment: Mapping[str, Any],
        at: Optional[datetime] = None,
    ) -> int:
        """Store one recommendation; returns the row id. ``assessment`` is the Assessment as a dict."""
        row = audit_row(conversation_hash(conversation_id, self.salt), channel, inputs, assessment, at)
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
        """Delete rows recorded more than ``days`` days ago; returns how many.

        Every table of the audit database with a ``recorded_at`` column ages out together: the
        recommendations, and the CDS Hooks feedback that ``cds/feedback.py`` keeps beside them."""
        cutoff = now_iso((now or datetime.now(timezone.utc)) - timedelta(days=days))
        tables = [t for t in self.db.table_names() if "recorded_at" in self.db[t].columns_dict]
        removed = 0
        with self.db.conn:
            for table in tables:
                removed += self.db.execute(f"DELETE FROM [{table}] WHERE recorded_at < ?", [cutoff]).rowcount
        return removed


def purge(path: Path, days: float) -> int:
    """Retention of the audit trail (``purge`` below and ``bot/retention.py``): rows older than ``days``;
    a missing database stays missing (nothing to purge, and no empty database or salt is created)."""
    return AuditLog(path).purge(days) if path.exists() else 0


class AuditWriter:
    def __init__(self, log_factory=AuditLog):
        self._factory = log_factory
        self._queue: "queue.Queue[Dict[str, Any]]" = queue.Queue()
        self._thread: Optional[threading.Thread] = None
        self._lock = threading.Lock()
        self.written = 0
        self.failed = 0
        self.refused = 0
        self.require_verified = False  # the action server sets it: rows only for calls of a Rasa server

    def submit(
        self, conversation_id: str, channel: Optional[str], inputs: Mapping[str, Any], assessment: Mapping[str, Any]
    ) -> None:
        """Queue one row; never raises."""
        if self.require_verified and not VERIFIED.get():
            self.refused += 1
            logger.error("audit row refused: the call did not come from a Rasa server (%d refused)", self.refused)
            return
        try:
            self._start()
            self._queue.put(
                {
                    "conversation_id": conversation_id,
                    "channel": channel,
                    "inputs": dict(inputs),
                    "assessment": dict(assessment),
                }
            )
        except Exception as exc:  # e.g. a thread cannot start: count it, never break the reply
            self._failure(exc)

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every queued row is written or failed; False if that took longer than ``timeout``."""
        done = threading.Event()
        self._queue.put({"flush": done})
        self._start()
        return done.wait(timeout)

    async def settle(self, timeout: float = 2.0) -> bool:
        """Wait, off the event loop, until the rows queued so far are written (a reply then never goes out
        before its row is stored, even if the server is killed next); gives up after ``timeout`` so that
        a slow database delays a reply at most that long."""
        return await asyncio.get_running_loop().run_in_executor(None, self.flush, timeout)

    def _start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="audit-writer", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        log = None
        while True:
            item = self._queue.get()
            if "flush" in item:
                item["flush"].set()
                continue
            try:
                if log is None:
                    log = self._factory()
                log.record(**item)
                self.written += 1
            except Exception as exc:
                log = None  # open the database again for the next row
                self._failure(exc)

    def _failure(self, exc: BaseException) -> None:
        self.failed += 1
        logger.error(
            "audit row NOT written (%s); %d audit write failure(s) since start", exc.__class__.__name__, self.failed
        )


WRITER = AuditWriter()


@atexit.register
def _drain() -> None:
    if WRITER._thread is not None:
        WRITER.flush(timeout=10)
        logger.info("audit: %d row(s) written, %d failure(s)", WRITER.written, WRITER.failed)


# --- command line


def parser() -> Parser:
    p = Parser(prog="python -m audit", description="Export or purge the audit trail.")
    commands = p.add_subparsers(dest="command", required=True, metavar="export|purge")
    ex = commands.add_parser("export", help="rows as CSV or JSON (several --db: one export, ordered by time)")
    ex.add_argument("--since", help="only rows recorded since this date (UTC), e.g. 2026-11-01")
    ex.add_argument("--format", choices=("csv", "json"), default="csv")
    ex.add_argument("--db", action="append", type=Path, help="audit database (default: AUDIT_DB)")
    pu = commands.add_parser("purge", help="remove rows older than N days")
    pu.add_argument("--days", required=True, type=number_of_days)
    pu.add_argument("--db", action="append", type=Path, help="audit database (default: AUDIT_DB)")
    return p


def main(argv: Optional[List[str]] = None) -> int:
    args = parser().parse_args(sys.argv[1:] if argv is None else argv)
    dbs = args.db or [default_path()]
    for path in dbs:  # reading never creates an empty database
        if not path.exists():
            return fail([{"field": "--db", "message": f"no audit database at {path}"}])
    if args.command == "purge":
        if len(dbs) > 1:
            return fail([{"field": "--db", "message": "purge takes one database"}])
        sys.stdout.write(json.dumps({"audit_rows_removed": purge(dbs[0], args.days)}) + "\n")
        return 0
    try:
        since = parse_since(args.since) if args.since else None
    except ValueError as exc:
        return fail([{"field": "--since", "message": str(exc)}])
    rows = [row for path in dbs for row in AuditLog(path).rows(since)]
    if len(dbs) > 1:  # ids are per database: order by time
        rows.sort(key=lambda r: r["recorded_at"])
    sys.stdout.write(export(rows, args.format))
    return 0


if __name__ == "__main__":
    sys.exit(main())

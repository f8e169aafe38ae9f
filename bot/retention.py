"""Retention: remove conversations and audit rows older than N days.

    python -m bot.retention --days N [--tracker-db PATH | --tracker-url URL] [--audit-db PATH]

A conversation is removed whole, once its latest event is older than N days (removing part of a
conversation would leave a tracker Rasa cannot replay). Defaults: ``TRACKER_DB_URL``, else the SQLite
file ``TRACKER_DB`` (default ``.rasa/tracker.db``); ``AUDIT_DB`` (default ``.rasa/audit.db``).
Prints what was removed as JSON; bad arguments exit with status 2 and say what was expected (as JSON).
The audit part is ``audit.purge``, the same as ``python -m audit purge``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import List, Optional

import sqlalchemy as sa

from audit import default_path
from audit import purge as purge_audit
from knowledge.cli import Parser, number_of_days


def tracker_url(args: argparse.Namespace) -> str:
    if args.tracker_url:
        return args.tracker_url
    if args.tracker_db:
        return f"sqlite:///{Path(args.tracker_db).resolve()}"
    if os.environ.get("TRACKER_DB_URL"):
        return os.environ["TRACKER_DB_URL"]
    return f"sqlite:///{Path(os.environ.get('TRACKER_DB') or '.rasa/tracker.db').resolve()}"


def purge_conversations(url: str, days: float, now: Optional[float] = None) -> dict:
    cutoff = (now if now is not None else time.time()) - days * 86400
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            if not sa.inspect(conn).has_table("events"):
                return {"conversations_removed": 0, "events_removed": 0}
            old = "SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cutoff"
            conversations = conn.execute(sa.text(f"SELECT count(*) FROM ({old}) AS old"), {"cutoff": cutoff}).scalar()
            removed = conn.execute(
                sa.text(f"DELETE FROM events WHERE sender_id IN ({old})"), {"cutoff": cutoff}
            ).rowcount
        return {"conversations_removed": conversations, "events_removed": removed}
    finally:
        engine.dispose()


def main(argv: Optional[List[str]] = None) -> int:
    parser = Parser(prog="python -m bot.retention", description=__doc__.splitlines()[0])
    parser.add_argument("--days", required=True, type=number_of_days, help="keep what is newer than this many days")
    parser.add_argument("--tracker-db", help="SQLite tracker store file")
    parser.add_argument("--tracker-url", help="SQLAlchemy URL of the tracker store")
    parser.add_argument("--audit-db", help="audit database (SQLite)")
    args = parser.parse_args(argv)
    try:
        result = purge_conversations(tracker_url(args), args.days)
        result["audit_rows_removed"] = purge_audit(Path(args.audit_db) if args.audit_db else default_path(), args.days)
    except (sa.exc.SQLAlchemyError, OSError) as exc:
        sys.stderr.write(json.dumps({"errors": [{"field": "database", "message": exc.__class__.__name__}]}) + "\n")
        return 1
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

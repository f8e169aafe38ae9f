"""Rasa's SQL tracker store with the same tables and behaviour, and less work per message.

Configured in endpoints.yml as ``type: bot.custom.tracker_store.SQLTrackerStore``; takes the same settings as
Rasa's ``type: SQL`` (dialect, db, host, port, username, password, login_db, query). When the
environment has ``TRACKER_DB_URL`` (a SQLAlchemy URL such as
``postgresql://rasa:secret@db.internal:5432/rasa``), that database is used instead of the settings:
several Rasa instances then share one store (see README, "Several instances"). Differences:

* On SQLite, connections to a database file are kept in a pool instead of being opened for each session
  (SQLAlchemy 1.4's default for a file), and the database runs in write-ahead-log mode with
  ``synchronous=NORMAL``: a commit survives the process being killed (``kill -9``), the file is never
  corrupted, and a commit no longer waits for two disk flushes. A busy timeout lets several processes share the file.
* ``retrieve`` runs Rasa's query as plain SQL and reads only the events' JSON column, instead of
  building an ORM query and one ORM object per event.
* ``save`` writes the new events with one multi-row insert instead of one ORM object each, and knows how
  many events of the tracker are already stored when that tracker was read from this store, instead of
  counting them again with a query. Rasa processes the messages of one conversation one at a time (the
  lock store), so nobody else can have added events in between;
  a tracker that did not come from ``retrieve`` falls back to Rasa's count.
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any, Dict, Iterator, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore as RasaSQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

logger = logging.getLogger(__name__)

_STORED = "_clinical_stored_events"
# Rasa's ``_event_query`` as plain SQL (same rows, same order): the events of a conversation since its
# latest ``session_started`` event, or all of them if it has none; building the ORM query cost more
# than running it
_SESSION_START = "(SELECT max(timestamp) FROM events WHERE sender_id = :sender_id AND type_name = 'session_started')"
_LATEST_SESSION = sa.text(
    f"SELECT data FROM events WHERE sender_id = :sender_id AND ({_SESSION_START} IS NULL "
    f"OR timestamp >= {_SESSION_START}) ORDER BY id"
)
_ALL_SESSIONS = sa.text(
    "SELECT data FROM events WHERE sender_id = :sender_id ORDER BY id"
)  # attribute set on trackers read from / written to this store


def url_settings(url: str) -> Dict[str, Any]:
    """``TRACKER_DB_URL`` → the settings Rasa's SQL tracker store takes."""
    u = sa.engine.make_url(url)
    return {
        "dialect": u.drivername,
        "host": u.host,
        "port": u.port,
        "db": u.database,
        "username": u.username,
        "password": u.password,
        "query": dict(u.query) or None,
    }


class SQLTrackerStore(RasaSQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if os.environ.get("TRACKER_DB_URL"):
            kwargs.update(url_settings(os.environ["TRACKER_DB_URL"]))
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            if self.engine.url.database not in (None, "", ":memory:"):
                # SQLAlchemy 1.4 opens and closes a file database's connection for every session (NullPool):
                # two per message, each with its pragmas. A pool keeps them open.
                self.engine.dispose()
                self.engine = sa.create_engine(
                    self.engine.url, poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False}
                )
                self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            self.engine.dispose()  # connections opened by Rasa's set-up get the pragmas on reconnect

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        with self.session_scope() as session:
            rows = session.execute(
                _LATEST_SESSION if not fetch_events_from_all_sessions else _ALL_SESSIONS, {"sender_id": sender_id}
            ).all()
        if not rows or not self.domain:
            return None
        events = [json.loads(data) for (data,) in rows]
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        if not fetch_events_from_all_sessions:
            setattr(tracker, _STORED, len(events))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's ``save`` (same columns, same values), as one multi-row insert without ORM objects."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            rows = []
            for event in self._additional_events(session, tracker):
                data = event.as_dict()
                rows.append(
                    {
                        "sender_id": tracker.sender_id,
                        "type_name": event.type_name,
                        "timestamp": data.get("timestamp"),
                        "action_name": data.get("name"),
                        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                        "data": json.dumps(data),
                    }
                )
            if rows:
                session.execute(self.SQLEvent.__table__.insert(), rows)
            session.commit()
        setattr(tracker, _STORED, len(tracker.events))

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        stored = getattr(tracker, _STORED, None)
        if stored is None or stored > len(tracker.events):
            return super()._additional_events(session, tracker)
        return iter(list(tracker.events)[stored:])


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()

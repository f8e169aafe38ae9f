"""The lock store: Redis when ``REDIS_URL`` is set, otherwise Rasa's in-process lock store.

Rasa handles the messages of one conversation one at a time by taking a lock per conversation.
One server keeps its locks in memory (the default of ``make run``); several servers sharing a
tracker store must share their locks too, in Redis: ``REDIS_URL=redis://[:password@]host:6379/1``
(``rediss://`` for TLS; the path is the database number). Configured in endpoints.yml as
``lock_store: {type: bot.custom.lock_store.LockStore}``.

Rasa 3.6's ``RedisLockStore`` reads a conversation's ticket lock, changes it and writes it back
without any guard. Two instances issuing or returning tickets for one conversation at the same
moment overwrite each other: a ticket is lost, and the message holding it then fails with
``LockError`` or waits out the 60 s lock lifetime (found by tests/test_scale.py: 20 messages sent at
once to two instances). ``AtomicRedisLockStore`` keeps Rasa's lock, tickets and keys and runs each
read-modify-write under a short Redis mutex (redis-py's lock: SET NX with expiry, released by script).
The race is RasaHQ/rasa#9213 (fixed upstream by PR #11256 in a later Rasa than our pin).
Tested: tests/test_stores.py (the same hammering loses tickets with Rasa's store, none with this one) and
tests/test_scale.py (20 messages of one conversation sent at once to two instances).
Remove when: the pin moves to a Rasa release that contains PR #11256.
"""

from __future__ import annotations

import os
from typing import Any, Optional
from urllib.parse import unquote, urlparse

from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig


def redis_settings(url: str) -> dict:
    u = urlparse(url)
    if u.scheme not in ("redis", "rediss") or not u.hostname:
        raise ValueError("REDIS_URL must look like redis://host:6379/1 (or rediss:// for TLS)")
    db = u.path.strip("/")
    return {
        "host": u.hostname,
        "port": u.port or 6379,
        "db": int(db) if db else 1,
        "username": unquote(u.username) if u.username else None,
        "password": unquote(u.password) if u.password else None,
        "use_ssl": u.scheme == "rediss",
    }


class AtomicRedisLockStore(RedisLockStore):
    def _mutex(self, conversation_id: str) -> Any:
        return self.red.lock(f"mutex:{self.key_prefix}{conversation_id}", timeout=10, blocking_timeout=10)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        with self._mutex(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: str) -> None:
        with self._mutex(conversation_id):
            super().update_lock(conversation_id)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        with self._mutex(conversation_id):
            super().cleanup(conversation_id, ticket_number)


class LockStore:
    """Builds ``AtomicRedisLockStore`` or Rasa's ``InMemoryLockStore`` (Rasa needs a class path here)."""

    def __new__(cls, endpoint_config: Optional[EndpointConfig] = None, **_: Any) -> Any:  # type: ignore[misc]
        url = os.environ.get("REDIS_URL")
        if not url:
            return InMemoryLockStore()
        return AtomicRedisLockStore(**redis_settings(url))

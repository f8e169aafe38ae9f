"""The lock store: Redis when ``REDIS_URL`` is set, otherwise Rasa's in-process lock store.

Rasa handles the messages of one conversation one at a time by taking a lock per conversation.
One server keeps its locks in memory (the default of ``make run``); several servers sharing a
tracker store must share their locks too, in Redis: ``REDIS_URL=redis://[:password@]host:6379/1``
(``rediss://`` for TLS; the path is the database number). Configured in endpoints.yml as
``lock_store: {type: bot.custom.lock_store.LockStore}``.

Rasa 3.6's ``RedisLockStore`` reads a conversation's ticket lock, changes it and writes it back
without any guard. Two instances issuing or returning tickets for one conversation at the same
moment overwrite each other: a ticket is lost, and the message holding it then fails with
``LockError`` or waits out the 60 s lock lifetime (found by tests/e2e/test_scale.py: 20 messages sent at
once to two instances). ``AtomicRedisLockStore`` keeps Rasa's lock, tickets and keys and runs each
read-modify-write under a short Redis mutex (redis-py's lock: SET NX with expiry, released by script).
The race is RasaHQ/rasa#9213 (fixed upstream by PR #11256 in a later Rasa than our pin).
Tested: tests/e2e/test_stores.py (the same hammering loses tickets with Rasa's store, none with this one) and
tests/e2e/test_scale.py (20 messages of one conversation sent at once to two instances).
Remove when: the pin moves to a Rasa release that contains PR #11256.

A ticket whose holder died. An instance killed while it handles a message leaves its ticket in Redis,
and every later message of that conversation, on any instance, waited until the ticket's lifetime ran
out (60 s). Each instance now says it is alive (``alive:<instance>``, refreshed every second by a thread,
expiring after ``HEARTBEAT_TTL`` seconds, 15) and records which instance holds each ticket; a waiting
instance removes the tickets of instances that are no longer alive, and an instance returns only a ticket
that is still its own. The wait after a killed instance is now about ``HEARTBEAT_TTL`` + 1 s
(tests/e2e/test_scale.py kills an instance in the middle of a message; ``python -m bench.bench_lock``
measures the wait with and without this).
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
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


logger = logging.getLogger(__name__)

# seconds without a heartbeat after which an instance counts as gone: well above a beat's own Redis timeout
# plus the beat interval, so that a slow Redis or a paused process is not taken for a dead one
HEARTBEAT_TTL = 15.0
HEARTBEAT_EVERY = 1.0
HEARTBEAT_SOCKET_TIMEOUT = 2.0


class AtomicRedisLockStore(RedisLockStore):
    def __init__(
        self, *args: Any, detect_dead_holders: bool = True, heartbeat_ttl: float = HEARTBEAT_TTL, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instance = uuid.uuid4().hex
        self.detect_dead_holders = detect_dead_holders
        self.heartbeat_ttl = heartbeat_ttl
        self._heartbeat: Optional[threading.Thread] = None
        self._stopped = threading.Event()

    def _mutex(self, conversation_id: str) -> Any:
        return self.red.lock(f"mutex:{self.key_prefix}{conversation_id}", timeout=10, blocking_timeout=10)

    def _owners(self, conversation_id: str) -> str:
        return f"owners:{self.key_prefix}{conversation_id}"

    def _alive(self, instance: str) -> str:
        return f"alive:{self.key_prefix}{instance}"

    def _beat(self) -> None:
        import redis

        # its own connection with a short timeout: a beat never waits behind the store's 10 s timeout
        kwargs = self.red.connection_pool.connection_kwargs
        beat = redis.StrictRedis(**{**kwargs, "socket_timeout": HEARTBEAT_SOCKET_TIMEOUT})
        failing = False
        while not self._stopped.is_set():
            try:
                beat.set(self._alive(self.instance), "1", px=int(self.heartbeat_ttl * 1000))
                failing = False
            except Exception as exc:  # Redis away for a moment: the next beat tries again (said once)
                if not failing:
                    logger.warning("lock store heartbeat failed (%s); retrying every second", exc.__class__.__name__)
                failing = True
            self._stopped.wait(HEARTBEAT_EVERY)

    def _start_heartbeat(self) -> None:
        if self.detect_dead_holders and self._heartbeat is None:
            self.red.set(self._alive(self.instance), "1", px=int(self.heartbeat_ttl * 1000))
            self._heartbeat = threading.Thread(target=self._beat, name="lock-heartbeat", daemon=True)
            self._heartbeat.start()

    def stop_heartbeat(self) -> None:
        """Ends the beats and waits for the last one, so that nothing marks this instance alive afterwards."""
        self._stopped.set()
        if self._heartbeat is not None:
            self._heartbeat.join()

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        self._start_heartbeat()
        with self._mutex(conversation_id):
            ticket = super().issue_ticket(conversation_id, lock_lifetime)
            if self.detect_dead_holders:
                owners = self._owners(conversation_id)
                self.red.hset(owners, str(ticket), self.instance)
                self.red.pexpire(owners, int((lock_lifetime + 60) * 1000))
            return ticket

    def update_lock(self, conversation_id: str) -> None:
        with self._mutex(conversation_id):
            if self.detect_dead_holders:
                self._remove_dead_holders(conversation_id)
            super().update_lock(conversation_id)

    def _remove_dead_holders(self, conversation_id: str) -> None:
        lock = self.get_lock(conversation_id)
        if not lock:
            return
        owners = {
            k.decode() if isinstance(k, bytes) else str(k): v
            for k, v in self.red.hgetall(self._owners(conversation_id)).items()
        }
        gone = []
        for ticket in list(lock.tickets):
            owner = owners.get(str(ticket.number))
            owner = owner.decode() if isinstance(owner, bytes) else owner
            if owner and owner != self.instance and not self.red.exists(self._alive(owner)):
                lock.remove_ticket_for(ticket.number)
                gone.append(str(ticket.number))
        if gone:
            logger.warning("removed %d lock ticket(s) of an instance that is gone", len(gone))
            self.save_lock(lock)
            self.red.hdel(self._owners(conversation_id), *gone)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        with self._mutex(conversation_id):
            if self.detect_dead_holders:
                owner = self.red.hget(self._owners(conversation_id), str(ticket_number))
                owner = owner.decode() if isinstance(owner, bytes) else owner
                if owner and owner != self.instance:  # our ticket was taken as dead and its number reissued
                    return
            super().cleanup(conversation_id, ticket_number)
            if self.detect_dead_holders:
                self.red.hdel(self._owners(conversation_id), str(ticket_number))


class LockStore:
    """Builds ``AtomicRedisLockStore`` or Rasa's ``InMemoryLockStore`` (Rasa needs a class path here)."""

    def __new__(cls, endpoint_config: Optional[EndpointConfig] = None, **_: Any) -> Any:  # type: ignore[misc]
        url = os.environ.get("REDIS_URL")
        if not url:
            return InMemoryLockStore()
        # LOCK_DEAD_HOLDERS=off: Rasa's behaviour (a dead holder's ticket lasts its lifetime), for measuring
        detect = os.environ.get("LOCK_DEAD_HOLDERS", "detect") != "off"
        return AtomicRedisLockStore(**redis_settings(url), detect_dead_holders=detect, heartbeat_ttl=heartbeat_ttl())


def heartbeat_ttl() -> float:
    """``LOCK_HEARTBEAT_TTL`` (seconds, at least 3), else ``HEARTBEAT_TTL``; a bad value keeps the default."""
    try:
        return max(3.0, float(os.environ.get("LOCK_HEARTBEAT_TTL", HEARTBEAT_TTL)))
    except ValueError:
        logger.warning("LOCK_HEARTBEAT_TTL is not a number of seconds; %s s kept", HEARTBEAT_TTL)
        return HEARTBEAT_TTL

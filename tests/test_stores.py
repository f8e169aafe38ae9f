"""Store switches (TRACKER_DB_URL, REDIS_URL) and the atomic Redis lock store, against a real Redis."""

import threading

import pytest
from rasa.core.lock_store import InMemoryLockStore, RedisLockStore

from bot.custom.lock_store import AtomicRedisLockStore, LockStore, redis_settings
from bot.custom.tracker_store import url_settings
from harness.stores import LocalRedis


def test_the_urls_become_rasas_settings():
    assert url_settings("postgresql://rasa:s%40cret@db.internal:5433/cml?sslmode=require") == {
        "dialect": "postgresql",
        "host": "db.internal",
        "port": 5433,
        "db": "cml",
        "username": "rasa",
        "password": "s@cret",
        "query": {"sslmode": "require"},
    }
    assert redis_settings("rediss://:pw@cache:6380/2") == {
        "host": "cache",
        "port": 6380,
        "db": 2,
        "username": None,
        "password": "pw",
        "use_ssl": True,
    }
    assert redis_settings("redis://127.0.0.1")["db"] == 1
    with pytest.raises(ValueError, match="redis://host:6379/1"):
        redis_settings("http://cache:6379")


def test_in_process_locks_without_redis_url(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert isinstance(LockStore(), InMemoryLockStore)


@pytest.fixture(scope="module")
def redis(tmp_path_factory):
    r = LocalRedis(tmp_path_factory.mktemp("redis-unit")).start()
    yield r
    r.stop()


def hammer(stores, conversation, rounds=60):
    """Each store (think: one Rasa instance) takes and returns tickets as fast as it can."""
    tickets, errors = [], []

    def run(store):
        for _ in range(rounds):
            try:
                t = store.issue_ticket(conversation)
                tickets.append(t)
                store.cleanup(conversation, t)
            except Exception as e:  # counted
                errors.append(repr(e))

    threads = [threading.Thread(target=run, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return tickets, errors


def test_two_instances_never_get_the_same_ticket(redis, monkeypatch):
    # the same hammering finds the race in Rasa's own store: otherwise this test would prove nothing
    tickets, _ = hammer([RedisLockStore(**redis_settings(redis.url)) for _ in range(4)], "rasa-conversation")
    assert len(set(tickets)) < len(tickets), "no contention: raise the number of rounds"
    monkeypatch.setenv("REDIS_URL", redis.url)
    stores = [LockStore() for _ in range(4)]
    assert all(isinstance(s, AtomicRedisLockStore) for s in stores)
    tickets, errors = hammer(stores, "shared-conversation")
    assert errors == [] and len(tickets) == 240
    assert stores[0].get_lock("shared-conversation") is None  # every ticket returned, the lock is gone

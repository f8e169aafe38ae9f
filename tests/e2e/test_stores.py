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
    for s in stores:
        s.stop_heartbeat()  # their heartbeats end with the test


def test_a_ticket_of_an_instance_that_is_gone_no_longer_holds_the_conversation(redis):
    import asyncio

    async def acquire(store, conversation):
        async with store.lock(conversation, wait_time_in_seconds=0.1):
            return True

    def wait_for_lock(store, conversation, timeout):
        return asyncio.run(asyncio.wait_for(acquire(store, conversation), timeout))

    for detect, conversation in ((False, "held-old"), (True, "held-new")):
        dead = AtomicRedisLockStore(**redis_settings(redis.url), detect_dead_holders=detect)
        live = AtomicRedisLockStore(**redis_settings(redis.url), detect_dead_holders=detect)
        dead.issue_ticket(conversation)  # then the instance is killed in the middle of the message
        dead.stop_heartbeat()  # its last beat is written before the key goes
        dead.red.delete(dead._alive(dead.instance))  # its heartbeat has expired
        if detect:
            assert wait_for_lock(live, conversation, timeout=5)  # (its heartbeat key was deleted: no wait)
        else:  # without the holder's check, the ticket holds the conversation for its whole lifetime
            with pytest.raises(asyncio.TimeoutError):
                wait_for_lock(live, conversation, timeout=2)
        live.stop_heartbeat()


def test_a_ticket_of_a_live_instance_is_respected(redis):
    import asyncio

    # a heartbeat of 3 s instead of 15 s: the same store, a shorter wait for the test
    busy = AtomicRedisLockStore(**redis_settings(redis.url), heartbeat_ttl=3.0)
    other = AtomicRedisLockStore(**redis_settings(redis.url), heartbeat_ttl=3.0)
    busy.issue_ticket("busy-conversation")  # a long message, its instance alive (heartbeat running)

    async def acquire():
        async with other.lock("busy-conversation", wait_time_in_seconds=0.1):
            return True

    with pytest.raises(asyncio.TimeoutError):
        asyncio.run(asyncio.wait_for(acquire(), 6.0))  # twice the heartbeat's lifetime
    busy.stop_heartbeat()

"""Several Rasa instances sharing a PostgreSQL tracker store and a Redis lock store (scripts/cluster.sh)."""

import ipaddress
import json
import threading
import time

import pytest
import sqlalchemy as sa

from audit import AuditLog
from harness.cluster import Cluster
from harness.servers import cards, listeners, outside_call
from harness.stores import LocalPostgres, LocalRedis

HEARTBEAT_TTL = 5.0  # seconds: the lock store's heartbeat in this cluster (15 s by default)

pytestmark = pytest.mark.rasa


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    pg, redis = LocalPostgres().start(), LocalRedis(tmp_path_factory.mktemp("redis")).start()
    yield pg, redis
    pg.stop()
    redis.stop()


@pytest.fixture(scope="module")
def cluster(model, stores, tmp_path_factory):
    pg, redis = stores
    c = Cluster(model, tmp_path_factory.mktemp("cluster"), pg.url, redis.url, rasa=2, actions=2)
    c.env["LOCK_HEARTBEAT_TTL"] = str(HEARTBEAT_TTL)  # a dead holder is found sooner; the same store
    yield c.start()
    c.stop()


def stored_events(stores, sender):
    engine = sa.create_engine(stores[0].url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender})
            return [json.loads(data) for (data,) in rows]
    finally:
        engine.dispose()


def payloads(reply):
    return cards(reply)


def test_the_cluster_listens_on_loopback_and_its_action_servers_answer_only_its_rasa_servers(cluster):
    """The secret comes from the environment here (ACTIONS_SECRET, as across machines); every other test of
    this module is a conversation that works with it."""
    found = listeners(cluster.pids())
    assert {port for _, port in found} == set(cluster.rasa_ports + cluster.actions_ports), found
    assert all(ipaddress.ip_address(address).is_loopback for address, _ in found), found
    audit = AuditLog(cluster.audit_db)
    before = audit.count()
    for port in cluster.actions_ports:
        assert outside_call(f"http://127.0.0.1:{port}")[0] == 401
        assert outside_call(f"http://127.0.0.1:{port}", "Bearer " + "x" * 40)[0] == 401
    assert audit.count() == before


def test_a_conversation_alternating_between_instances_completes_a_form(cluster, stores):
    script = [
        "can I reduce the dose? 400 mg for 5 years, BCR-ABL 0.008 %, MMR 30 months, grade 2 oedema, wants a lower dose",
        "never misses",
        "no",
    ]
    replies = [cluster.say(i % 2, "alternating", text) for i, text in enumerate(script)]
    assert "adherent" in replies[0][-1]["text"]  # instance 0 asked; instance 1 got the answer and went on
    (payload,) = payloads(replies[-1])
    assert payload["assessment"]["assessment"] == "dose_reduction" and "RED-7" in payload["assessment"]["rules_fired"]
    users = [e["text"] for e in stored_events(stores, "alternating") if e["event"] == "user"]
    assert users == script  # both instances wrote to the one shared store


def test_messages_sent_at_once_to_both_instances_are_handled_one_at_a_time(cluster, stores):
    """Which of two instances takes its lock ticket first is a race, so the order across instances is
    the order of the tickets; each instance keeps the order in which its messages came."""
    sender, texts = "burst", [f"what does MMR mean? ({k})" for k in range(20)]
    replies, in_flight, peak, lock = {}, [0], [0], threading.Lock()

    def send(k):
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        replies[k] = cluster.say(k % 2, sender, texts[k])
        with lock:
            in_flight[0] -= 1

    threads = []
    for k in range(20):  # 20 ms apart, so the order of arrival is known; all are in flight together
        threads.append(threading.Thread(target=send, args=(k,)))
        threads[-1].start()
        time.sleep(0.02)
    for t in threads:
        t.join()
    assert peak[0] >= 5, "the messages did not overlap: the test would prove nothing"
    events = stored_events(stores, sender)
    assert all(replies[k] for k in range(20)), (
        "every message got its answer",
        replies,
        [(e["event"], e.get("name") or e.get("text")) for e in events],
    )
    users = [e["text"] for e in events if e["event"] == "user"]
    assert sorted(users) == sorted(texts) and len(users) == 20  # none lost, none twice
    for instance in (0, 1):  # each instance's messages in the order it received them
        mine = [t for t in users if int(t.rsplit("(", 1)[1].rstrip(")")) % 2 == instance]
        assert mine == texts[instance::2]
    # one at a time: after each message, the bot finished (action_listen) before the next was read
    turn = []
    for e in events:
        if e["event"] == "user":
            assert not turn or turn[-1] == ("action", "action_listen"), "a message was read mid-turn"
            turn = []
        elif e["event"] == "action":
            turn.append(("action", e["name"]))
    assert turn[-1] == ("action", "action_listen")


def test_killing_one_instance_leaves_the_conversation_usable_on_the_other(cluster):
    first = cluster.say(0, "survivor", "check after a dose reduction")
    assert "BCR-ABL1" in first[0]["text"]
    cluster.say(0, "survivor", "0.15 %")
    cluster.kill_rasa(0)
    reply = cluster.say(1, "survivor", "400 mg")
    (payload,) = payloads(reply)
    assert payload["assessment"]["assessment"] == "post_reduction"
    assert cluster.proc.poll() is None, "the cluster keeps serving with one instance gone"
    cluster.wait_rasa_back(0)  # and its supervisor starts the killed one again
    assert cluster.say(0, "survivor-after", "hello")


def test_the_action_servers_share_one_audit_trail(cluster):
    """Two action servers on one machine write to one SQLite audit file: one row per recommendation
    given in this module (the alternating conversation and the survivor)."""
    deadline = time.time() + 15
    while AuditLog(cluster.audit_db).count() < 2 and time.time() < deadline:
        time.sleep(0.2)
    rows = AuditLog(cluster.audit_db).rows()
    assert sorted(r["assessment"] for r in rows) == ["dose_reduction", "post_reduction"]


def test_an_instance_killed_mid_message_does_not_hold_the_conversation(cluster):
    waited = cluster.held_wait("held-by-the-dead")
    print(f"\nnext message after an instance was killed mid-message waited {waited:.1f} s (lock lifetime 60 s)")
    assert waited < HEARTBEAT_TTL + 10  # the holder's heartbeat lifetime and a poll, not the 60 s ticket lifetime

"""Slack end to end: signed requests to the running server, replies recorded by a fake Slack Web API."""

import hashlib
import hmac
import itertools
import json
import time
import urllib.error
import urllib.request

import pytest

from harness.servers import SLACK_SECRET
from knowledge.vocab import DISCLAIMER, RULE_SET_VERSION

pytestmark = pytest.mark.rasa
_ids = itertools.count(1)


def post(servers, body, secret=SLACK_SECRET, timestamp=None, headers=None, sign=True):
    raw = json.dumps(body).encode()
    ts = str(int(time.time()) if timestamp is None else timestamp)
    h = {"Content-Type": "application/json", **(headers or {})}
    if sign:
        sig = hmac.new(secret.encode(), f"v0:{ts}:".encode() + raw, hashlib.sha256).hexdigest()
        h.update({"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={sig}"})
    req = urllib.request.Request(f"http://127.0.0.1:{servers.rasa_port}/webhooks/slack/webhook", data=raw, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def event(text, user, thread, ts):
    n = next(_ids)
    return {
        "type": "event_callback",
        "event_id": f"Ev{time.time_ns()}{n}",
        "authed_users": ["UBOT"],
        "event": {
            "type": "message",
            "channel_type": "im",
            "channel": "D42",
            "user": user,
            "text": text,
            "ts": ts,
            **({"thread_ts": thread} if thread else {}),
        },
    }


def wait_for(fake, count, timeout=45):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if len(fake.posted()) >= count:
            time.sleep(0.5)  # let a message that is still being sent arrive
            return fake.posted()
        time.sleep(0.2)
    raise AssertionError(f"expected {count} Slack messages, got {len(fake.posted())}: {fake.posted()}")


def test_url_verification_is_answered(servers):
    status, body = post(servers, {"type": "url_verification", "challenge": "c-123"})
    assert status == 200 and json.loads(body) == {"challenge": "c-123"}


@pytest.mark.parametrize("kind", ["forged", "missing", "stale"])
def test_bad_requests_are_refused(servers, fake_slack, kind):
    before = len(fake_slack.posted())
    body = event("hello", "UX", None, f"{time.time():.6f}")
    if kind == "forged":
        status, _ = post(servers, body, secret="wrong-secret")
    elif kind == "missing":
        status, _ = post(servers, body, sign=False)
    else:
        status, _ = post(servers, body, timestamp=int(time.time()) - 6 * 60)
    assert status in (400, 401)
    time.sleep(1.5)
    assert len(fake_slack.posted()) == before


def test_conversation_to_a_block_kit_recommendation_in_the_thread(servers, fake_slack):
    user, thread = "U7", f"{time.time():.6f}"
    start = len(fake_slack.posted())
    first = event(
        "can I reduce the dose? 400 mg for 5 years, BCR-ABL 0.008 %, MMR 30 months, grade 2 oedema, wants a lower dose",
        user,
        None,
        thread,
    )
    assert post(servers, first)[0] == 200
    posted = wait_for(fake_slack, start + 1)
    assert "adherent" in posted[-1]["text"] and posted[-1]["thread_ts"] == thread
    n = len(posted)
    assert post(servers, event("never misses", user, thread, f"{time.time():.6f}"))[0] == 200
    posted = wait_for(fake_slack, n + 1)
    n = len(posted)
    reply = event("no", user, thread, f"{time.time():.6f}")
    assert post(servers, reply)[0] == 200
    posted = wait_for(fake_slack, n + 2)
    cards = [
        p
        for p in posted[n:]
        if any(b["type"] == "context" for b in p.get("blocks") or [])
        and "Candidate for reduction" in json.dumps(p.get("blocks"))
    ]
    assert cards, posted[n:]
    card = cards[0]
    assert card["thread_ts"] == thread and card["channel"] == "D42"
    assert "Candidate for reduction" in card["text"]  # plain fallback for notifications and screen readers
    section = card["blocks"][0]
    assert section["type"] == "section" and "RQ-PCR" in section["text"]["text"]
    context = " ".join(e["text"] for b in card["blocks"] if b["type"] == "context" for e in b["elements"])
    assert "Clark RE" in context and "[1]" in context and DISCLAIMER in context

    # the same event again (a replay) and a retry: acknowledged, never answered twice
    count = len(fake_slack.posted())
    assert post(servers, reply)[0] == 200
    assert (
        post(
            servers,
            event("why?", user, thread, f"{time.time():.6f}"),
            headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
        )[0]
        == 200
    )
    time.sleep(3)
    assert len(fake_slack.posted()) == count


def test_faq_answer_has_citations_in_a_context_block(servers, fake_slack):
    start = len(fake_slack.posted())
    post(servers, event("what is MR4.5?", "U8", None, f"{time.time():.6f}"))
    posted = wait_for(fake_slack, start + 2)[start:]  # the answer, then the offer to assess a patient
    answer = next(p for p in posted if "0.0032" in json.dumps(p.get("blocks")))
    assert answer["blocks"][0]["type"] == "section" and "0.0032" in answer["blocks"][0]["text"]["text"]
    assert any(b["type"] == "context" for b in answer["blocks"])
    assert "assess a specific patient" in posted[-1]["text"]


def post_form(servers, payload):
    """A button click as Slack sends it: the block_actions payload, form-encoded, signed."""
    import urllib.parse

    raw = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
    ts = str(int(time.time()))
    sig = hmac.new(SLACK_SECRET.encode(), f"v0:{ts}:".encode() + raw, hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={sig}",
    }
    req = urllib.request.Request(
        f"http://127.0.0.1:{servers.rasa_port}/webhooks/slack/webhook", data=raw, headers=headers
    )
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status


def test_a_card_in_slack_shows_the_series_and_its_buttons_work(servers, fake_slack):
    start = len(fake_slack.posted())
    ts = f"{time.time():.6f}"
    post(servers, event("my patient: 12 % at 3 months, 2 % at 6, 0.5 % at 12, 0.08 % at 18", "U9", None, ts))
    posted = wait_for(fake_slack, start + 2)[start:]
    card = next(p for p in posted if any(b["type"] == "actions" for b in p.get("blocks") or []))
    blocks = json.dumps(card["blocks"])
    assert "months   % IS      ELN 2020" in blocks and "0.08      optimal" in blocks  # the series as a table
    assert "pubmed.ncbi.nlm.nih.gov" in blocks and DISCLAIMER in blocks
    buttons = {e["text"]["text"]: e for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]}
    assert list(buttons) == ["Why?", "Sources", "Copy as note", "Copy full note", "New patient"]
    before = len(fake_slack.posted())
    click = {
        "type": "block_actions",
        "user": {"id": "U9"},
        "channel": {"id": "D42"},
        "message": {"ts": f"{time.time():.6f}", "thread_ts": ts},  # the card sits in the question's thread
        "actions": [{"type": "button", "value": buttons["Copy as note"]["value"], "action_id": "reply-2"}],
    }
    assert post_form(servers, click) == 200
    note = wait_for(fake_slack, before + 1)[-1]
    assert f"rule set {RULE_SET_VERSION}" in note["text"] and "Plan: " in note["text"]  # the short note
    assert note.get("thread_ts") == ts
    click["actions"] = [{"type": "button", "value": buttons["Copy full note"]["value"], "action_id": "reply-3"}]
    click["message"] = dict(click["message"], ts=f"{time.time():.6f}")
    assert post_form(servers, click) == 200
    full = wait_for(fake_slack, before + 2)[-1]
    assert f"Rule set {RULE_SET_VERSION}" in full["text"] and "12 % at 3 months: warning" in full["text"]

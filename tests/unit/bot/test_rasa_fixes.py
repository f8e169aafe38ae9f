"""The Rasa fixes of bot/custom/ change nothing but speed, and they refuse another Rasa version."""

import asyncio
import copy
import json

import jsonschema
import numpy as np
import pytest
import scipy.sparse
from rasa.core.actions.action import RemoteAction
from rasa.core.tracker_store import SQLTrackerStore as RasaSQLTrackerStore
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.utils.common import all_subclasses

import bot.custom
from bot.custom import fix_event_lookup, fix_fingerprints
from bot.custom.tracker_store import SQLTrackerStore

bot.custom.apply()  # what the launcher (python -m bot.custom) does before Rasa starts

SCHEMA = RemoteAction.action_response_format_spec()
VALID_EVENTS = [
    {"event": "slot", "name": "bcr_abl1_is", "value": 0.05, "timestamp": None},
    {"event": "slot", "name": "x", "value": None},
    {"event": "action", "name": "action_listen", "policy": None, "confidence": 1.0},
    {"event": "active_loop", "name": None},
    {"event": "bot", "text": "hello", "data": {"custom": {"type": "recommendation"}}},
    {
        "event": "user",
        "text": "0.05 %",
        "parse_data": {
            "intent": {"name": "inform", "confidence": 0.9},
            "entities": [{"entity": "percent", "value": "0.05 %"}],
        },
    },
    {"event": "reset_slots"},
    {"event": "followup", "name": "utter_x"},
    {"event": "restart"},
]
INVALID_RESULTS = [
    "not an object",
    [],
    {"events": "not a list"},
    {"events": [42]},
    {"events": [{}]},
    {"events": [{"event": 7}]},
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"event": "slot", "value": 1}]},  # slot without a name
    {"events": [{"event": "slot", "name": 3, "value": 1}]},  # name not a string
    {"events": [{"event": "action", "name": 5}]},
    {"events": [{"event": "slot", "name": "a", "value": 1, "timestamp": "yesterday"}]},
    {"events": [{"event": "entities", "entities": [{"value": 1}]}]},
    {"events": [{"event": "user", "parse_data": {"intent": {"name": 1}}}]},
    {"events": [], "responses": ["not an object"]},
]


def rasa_accepts(result) -> bool:
    try:
        jsonschema.validate(result, SCHEMA)
        return True
    except jsonschema.ValidationError:
        return False


def ours_accepts(result) -> bool:
    try:
        return RemoteAction("action_x", None)._validate_action_result(result)
    except jsonschema.ValidationError as e:
        assert "Failed to validate Action server response" in e.message
        return False


@pytest.mark.parametrize("event", VALID_EVENTS)
def test_valid_action_results_are_accepted_as_by_rasa(event):
    result = {"events": [event, copy.deepcopy(event)], "responses": [{"text": "ok"}]}
    assert rasa_accepts(result) and ours_accepts(result)


@pytest.mark.parametrize("result", INVALID_RESULTS, ids=lambda r: json.dumps(r)[:60])
def test_invalid_action_results_are_refused_as_by_rasa(result):
    assert not rasa_accepts(result)
    assert not ours_accepts(result)


def test_event_classes_resolve_as_before_and_unknown_names_still_fail():
    for cls in all_subclasses(Event):
        assert Event.resolve_by_type(cls.type_name) is fix_event_lookup._original(cls.type_name)
        assert Event.resolve_by_type(cls.type_name) is fix_event_lookup._original(cls.type_name)  # cached
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    assert Event.resolve_by_type("topic") is None
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")


def sparse(values, shape=(2, 3), feature_type="sequence", attribute="text", origin="cvf"):
    rows, cols, data = zip(*values, strict=True)
    matrix = scipy.sparse.coo_matrix((data, (rows, cols)), shape=shape)
    return Features(matrix.tocsr(), feature_type, attribute, origin)


def test_sparse_features_fingerprint_their_content_only():
    assert Features.fingerprint is fix_fingerprints.features_fingerprint  # applied by bot.custom.apply()
    base = [(0, 1, 1.0), (1, 2, 2.0)]
    assert sparse(base).fingerprint() == sparse(base).fingerprint()  # stable: content, not identity
    others = [
        sparse([(0, 1, 1.0), (1, 2, 3.0)]),  # a value
        sparse([(0, 0, 1.0), (1, 2, 2.0)]),  # a position
        sparse(base, shape=(2, 4)),  # the shape
        sparse(base, feature_type="sentence"),
        sparse(base, attribute="response"),
        sparse(base, origin="lsf"),
    ]
    prints = {f.fingerprint() for f in others} | {sparse(base).fingerprint()}
    assert len(prints) == len(others) + 1
    dense = Features(np.array([[1.0, 2.0]]), "sentence", "text", "dense")
    assert dense.fingerprint() == fix_fingerprints._original_features(
        Features(np.array([[1.0, 2.0]]), "sentence", "text", "dense")
    )  # dense features are already hashed as bytes: Rasa's way


def test_tokens_fingerprint_every_part_and_odd_data_goes_rasas_way():
    def token(text="MMR", start=0, end=3, lemma="mmr", data=None):
        return Token(text, start, end, data=dict(data or {}), lemma=lemma)

    assert token().fingerprint() == token().fingerprint()
    changed = [token(text="MR4"), token(start=1, end=4), token(lemma="mr4"), token(data={"pos": "NOUN"})]
    assert len({t.fingerprint() for t in changed} | {token().fingerprint()}) == len(changed) + 1
    odd = token(data={"vector": object()})  # not JSON: Rasa's own fingerprint
    assert odd.fingerprint() == fix_fingerprints._original_token(odd)


DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [greet, inform]
slots:
  bcr_abl1_is:
    type: any
    mappings: [{type: custom}]
""")


def turn(tracker, text, value):
    tracker.update(
        UserUttered(
            text,
            {"name": "inform", "confidence": 0.9},
            parse_data={"intent": {"name": "inform", "confidence": 0.9}, "text": text},
        )
    )
    tracker.update(SlotSet("bcr_abl1_is", value))
    tracker.update(BotUttered(f"noted {value}"))
    tracker.update(ActionExecuted("action_listen"))


def stored_rows(store):
    with store.engine.connect() as c:
        return [
            tuple(r)
            for r in c.exec_driver_sql(
                "SELECT sender_id, type_name, intent_name, action_name, data FROM events ORDER BY id"
            )
        ]


def test_tracker_store_writes_exactly_the_rows_rasas_store_writes(tmp_path):
    async def conversation(store):
        for i in range(3):
            tracker = await store.get_or_create_tracker("c1")
            turn(tracker, f"value {i}", i / 10)
            await store.save(tracker)
        tracker = await store.get_or_create_tracker("c1")  # a new session inside the same conversation
        tracker.update(ActionExecuted("action_session_start"))
        tracker.update(SessionStarted())
        tracker.update(ActiveLoop(None))
        await store.save(tracker)
        fresh = await store.retrieve("c1")
        turn(fresh, "after", 0.5)
        copied = fresh.copy()  # not read from the store: Rasa's own count decides
        await store.save(copied)
        return await store.retrieve("c1"), await store.retrieve_full_tracker("c1")

    def strip_times(rows):
        out = []
        for sender, type_name, intent, action, data in rows:
            d = json.loads(data)
            d.pop("timestamp", None)
            out.append((sender, type_name, intent, action, d))
        return out

    ours_store = SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "ours.db"))
    rasa_store = RasaSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "rasa.db"))
    ours = asyncio.run(conversation(ours_store))
    rasa = asyncio.run(conversation(rasa_store))
    assert strip_times(stored_rows(ours_store)) == strip_times(stored_rows(rasa_store))
    assert len(stored_rows(ours_store)) == len(ours[1].events)  # nothing written twice, nothing lost
    for mine, theirs in zip(ours, rasa, strict=True):
        assert [type(e) for e in mine.events] == [type(e) for e in theirs.events]
        assert mine.current_slot_values() == theirs.current_slot_values()


def test_sqlite_tracker_store_uses_write_ahead_logging(tmp_path):
    store = SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))
    with store.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL


def test_another_rasa_version_is_refused_with_a_clear_message():
    bot.custom.check_version(bot.custom.RASA_VERSION)
    with pytest.raises(
        bot.custom.WrongRasaVersion, match="written and tested for Rasa 3.6.21; Rasa 3.7.0 is installed"
    ):
        bot.custom.check_version("3.7.0")


def test_the_launcher_refuses_to_start_rasa_on_another_version(monkeypatch, capsys):
    import rasa

    from bot.custom.__main__ import main

    monkeypatch.setattr(rasa, "__version__", "3.6.20")
    assert main() == 3
    assert "Rasa 3.6.20 is installed" in capsys.readouterr().err


def test_an_action_server_failure_is_classed_by_the_error_rasa_raises():
    """Rasa 3.6 raises RasaException from its own ClientResponseError (not aiohttp's) for a 4xx/5xx answer:
    the user is told 'unavailable' for 502-504 and 'error' for 500, as for aiohttp's errors."""
    from rasa.shared.exceptions import RasaException
    from rasa.utils.endpoints import ClientResponseError

    from bot.custom.fix_action_server_down import failure

    def raised(code):
        try:
            try:
                raise ClientResponseError(code, "status", "body")
            except ClientResponseError as e:
                raise RasaException("Failed to execute custom action") from e
        except RasaException as exc:
            return exc

    assert [failure(raised(c)) for c in (502, 503, 504)] == ["unreachable"] * 3
    assert failure(raised(500)) == "error"
    assert failure(raised(401)) == "refused" and failure(raised(403)) == "refused"
    assert failure(raised(404)) is None


@pytest.mark.parametrize(("value", "seconds"), [(None, 15.0), ("5", 5.0), ("0.5", 3.0), ("soon", 15.0)])
def test_the_lock_heartbeat_lifetime_is_a_setting_with_a_floor_and_a_safe_default(monkeypatch, value, seconds):
    from bot.custom.lock_store import HEARTBEAT_TTL, heartbeat_ttl

    if value is None:
        monkeypatch.delenv("LOCK_HEARTBEAT_TTL", raising=False)
    else:
        monkeypatch.setenv("LOCK_HEARTBEAT_TTL", value)
    assert HEARTBEAT_TTL == 15.0 and heartbeat_ttl() == seconds

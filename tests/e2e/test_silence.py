"""No conversation goes silent (bot/custom/fix_silence.py, actions/fallback.py).

The stored events of the conversation that fell silent (../shared/repro, copied into
tests/reference/repro) are loaded into the served tracker store and answered; the sequence that muted it
is replayed; each guard of the processor is checked on its own.
"""

import asyncio
import json
import time

import pytest
from helpers import ROOT
from rasa.core.actions.action import ActionListen
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, Restarted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

import bot.custom
from bot.custom import fix_action_server_down, fix_silence
from bot.custom.tracker_store import SQLTrackerStore
from harness.servers import Chat

bot.custom.apply()

REPRO = ROOT / "tests" / "reference" / "repro" / "mute-conversation.json"
SHARED = ROOT.parent / "shared" / "repro" / "mute-conversation.json"


def test_the_reproduction_is_a_faithful_copy():
    if SHARED.exists():
        assert REPRO.read_bytes() == SHARED.read_bytes(), "copy ../shared/repro/mute-conversation.json again"
    events = json.loads(REPRO.read_text())["events"]
    fallbacks = [e for e in events if e["event"] == "action" and e["name"] == "action_search_faq"]
    assert len(fallbacks) == 10, "the copy shows the ten predictions that tripped the limit"


def store_reproduction(servers, sender: str) -> None:
    """The stored conversation, moved to the present (so its session has not expired), in the served store."""
    events = json.loads(REPRO.read_text())["events"]
    shift = time.time() - 5 - max(e["timestamp"] for e in events)
    for e in events:
        e["timestamp"] += shift
    tracker = DialogueStateTracker.from_events(sender, [Event.from_parameters(e) for e in events])
    store = SQLTrackerStore(dialect="sqlite", db=str(servers.tracker_db))
    asyncio.run(store.save(tracker))


@pytest.mark.rasa
def test_the_stored_mute_conversation_is_answered_and_reset(servers):
    store_reproduction(servers, "repro-mute")
    chat = Chat(servers, "repro-mute")
    chat.say("hello")
    assert "started it again" in chat.text and "discarded" in chat.text, chat.last
    chat.say("hello")
    assert "Hello" in chat.text
    chat.say("stop")
    assert chat.text.strip(), "stop is answered too"
    chat.say("can I reduce the dose?")
    assert "BCR-ABL1" in chat.text, "a new assessment starts from nothing"


def dose_reduction_form_after_a_refused_answer(servers) -> Chat:
    chat = Chat(servers)
    chat.say("can I reduce the dose?")
    assert "BCR-ABL1" in chat.text
    chat.say("no")
    assert "could not read" in chat.text
    return chat


@pytest.mark.rasa
def test_the_sequence_that_muted_a_conversation_gets_one_reply_and_the_form_goes_on(servers):
    chat = dose_reduction_form_after_a_refused_answer(servers)
    chat.say("assess dose reduction")
    assert len(chat.last) == 1, chat.last
    assert "already on the dose reduction assessment" in chat.text
    assert "BCR-ABL1" in chat.text, "the open question is asked again"
    chat.say("hello")
    assert chat.last, "never silent afterwards"
    chat.say("0.006%")
    assert "MMR" in chat.text, "the form goes on to its next question"


@pytest.mark.rasa
def test_another_assessment_asked_inside_a_form_starts_it(servers):
    chat = dose_reduction_form_after_a_refused_answer(servers)
    chat.say("interpret a trough level")
    assert "trough level, with its unit" in chat.text


# --- each guard on its own, on a processor with a scripted prediction loop ------------------------


class Processor(MessageProcessor):
    def __init__(self):  # only what the guards use
        self.domain = Domain.empty()
        self.nlg = None
        self.max_number_of_predictions = 10


def tracker_after(text: str = "hi") -> DialogueStateTracker:
    tracker = DialogueStateTracker("guard", slots=[])
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered(text, {"name": "greet"}, message_id="m1"))
    return tracker


def run_loop(monkeypatch, script):
    """Run the guarded prediction loop with ``script(tracker)`` standing in for Rasa's loop."""

    async def original(self, output_channel, tracker):
        script(tracker)

    monkeypatch.setattr(fix_silence, "_original_loop", original)
    tracker, out = tracker_after(), CollectingOutputChannel()
    asyncio.run(fix_silence._run_prediction_loop(Processor(), out, tracker))
    return tracker, [m.get("text") for m in out.messages]


def test_a_loop_stopped_by_the_limit_resets_the_conversation_with_a_message(monkeypatch):
    def tripped(tracker):
        for _ in range(10):
            tracker.update(ActionExecuted("action_search_faq"))

    tracker, sent = run_loop(monkeypatch, tripped)
    assert sent == [fix_silence.RESET]
    tail = list(tracker.events)[-4:]
    assert [type(e) for e in tail] == [Restarted, ActionExecuted, SessionStarted, ActionExecuted]
    assert tail[-1].action_name == "action_listen"
    assert not Processor().is_action_limit_reached(tracker, True), "the next message is handled"


def test_a_message_with_no_reply_gets_one(monkeypatch):
    tracker, sent = run_loop(monkeypatch, lambda t: t.update(ActionExecuted("action_listen")))
    assert sent == [fix_silence.NO_REPLY]
    assert isinstance(list(tracker.events)[-1], BotUttered)


def test_a_normal_turn_is_left_alone(monkeypatch):
    def normal(tracker):
        tracker.update(ActionExecuted("utter_greet"))
        tracker.update(BotUttered("Hello"))
        tracker.update(ActionExecuted("action_listen"))

    tracker, sent = run_loop(monkeypatch, normal)
    assert sent == [] and len(tracker.events) == 5


def test_with_the_action_server_unreachable_the_turn_ends_and_the_values_are_kept(monkeypatch):
    def unreachable(tracker):
        fix_action_server_down._told[tracker.sender_id] = "m1"  # the user was told, once, for this message
        tracker.update(ActionExecuted("dose_reduction_form"))

    tracker, sent = run_loop(monkeypatch, unreachable)
    assert sent == [], "no reset and no second message: the 'unavailable' reply was the answer"
    assert list(tracker.events)[-1].action_name == "action_listen"
    assert not any(isinstance(e, Restarted) for e in tracker.events)
    fix_action_server_down._told.clear()


def test_an_unreachable_action_ends_the_turn_at_once(monkeypatch):
    async def failing(self, action, tracker, output_channel, nlg, prediction):
        fix_action_server_down._told[tracker.sender_id] = "m1"
        tracker.update(ActionExecuted(action.name()))
        return True

    monkeypatch.setattr(fix_silence, "_original_run_action", failing)
    tracker = tracker_after()
    more = asyncio.run(fix_silence._run_action(Processor(), ActionListen(), tracker, None, None, None))
    assert more is False
    fix_action_server_down._told.clear()


def test_an_error_while_handling_a_message_is_answered(monkeypatch):
    async def broken(self, message):
        raise RuntimeError("tracker store gone")

    monkeypatch.setattr(fix_silence, "_original_handle", broken)
    out = CollectingOutputChannel()
    replies = asyncio.run(fix_silence.handle_message(Processor(), UserMessage("hi", out, "s")))
    assert [m["text"] for m in replies] == [fix_silence.FAILED]


def test_an_error_in_an_action_is_not_called_unavailable():
    import aiohttp

    from bot.custom.fix_action_server_down import failure

    def status(code):
        return aiohttp.ClientResponseError(None, (), status=code)

    assert failure(aiohttp.ClientConnectionError()) == "unreachable"
    assert failure(asyncio.TimeoutError()) == "unreachable"
    assert [failure(status(c)) for c in (502, 503, 504)] == ["unreachable"] * 3
    assert failure(status(500)) == "error"  # a bug: retrying the same message repeats it, so it is not "try again"
    assert failure(ValueError("x")) is None

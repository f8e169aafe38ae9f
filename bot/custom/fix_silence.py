"""Fix: a conversation can fall silent for good, and nothing makes sure a message gets a reply
(Rasa 3.6.21, behaviour).

Defect: ``MessageProcessor.is_action_limit_reached`` counts the actions since the last
``action_listen`` (not since the user's message), and when the limit (10) trips, the prediction loop
stops without logging an ``action_listen``. The stored conversation therefore stays over the limit:
every later message, "hello" and "stop" included, trips the circuit breaker before a single action is
predicted, and gets no reply, for ever (seen from outside: ``../shared/repro/mute-conversation.json``).
What filled the ten actions was our own defect: the core fallback action did not revert the user's
message, so the RulePolicy predicted it again after itself (fixed in ``actions/fallback.py``, which
reverts as Rasa's own default fallback does). Any other loop would leave the same mute tracker.

Fix, in the processor, whatever the channel:
1. a prediction loop that stops without listening (the circuit breaker) resets the conversation with a
   plain message saying so: the open assessment and its values are discarded, the events stay stored,
   and the tracker ends with a fresh session and ``action_listen``, so the next message is handled;
   when the action server was unreachable during that message, the user has already been told and the
   values are kept: the turn just ends with ``action_listen``;
2. once an action of the action server could not be reached, the turn ends there (one "unavailable"
   reply, no further predictions that can only fail again);
3. a message that got no reply at all gets one that says what the assistant can do;
4. an error while handling a message (in the processor, or around it: the lock store) is logged, by its
   class only, and answered ("not processed, send it again") instead of a failed request or silence;
   the conversation is not saved, so it stays as it was; an assessment whose action failed after its
   form closed gets its form back, so that sending the message again completes it.
Tested: tests/e2e/test_silence.py (the stored mute conversation answered and reset; the sequence that
muted it; each guard on a scripted processor) and the stateful fuzz test (harness/fuzz.py, run by
tests/e2e/test_supervised_run.py with servers killed at random points).
Remove when: Rasa counts predictions per user message and listens after a circuit break (not in 3.6).
"""

from __future__ import annotations

import logging
import traceback
from typing import Any, List, Optional

from rasa.core.actions.action import ActionListen
from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.processor import MessageProcessor
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    Restarted,
    SessionStarted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from dialogue.forms import FORMS

from . import fix_action_server_down

logger = logging.getLogger(__name__)

RESET = (
    "Sorry: I lost track of this conversation and could not go on from where it was, so I have started "
    "it again. The assessment that was open and its values have been discarded. Please start again, for "
    "example 'assess a dose reduction', or type 'help'."
)
NO_REPLY = (
    "I have no answer to that message. I answer questions on imatinib dose optimisation in CML and assess "
    "a patient's values (response, dose reduction, trough level, work-up, mutation, after a reduction). "
    "Type 'help' for examples."
)
FAILED = "Something went wrong on my side while handling that message, so it was not processed. Please send it again."

_original_loop = MessageProcessor._run_prediction_loop
_original_run_action = MessageProcessor._run_action
_original_handle = MessageProcessor.handle_message
_original_agent_handle = Agent.handle_message
# the assessment action of each form (an assessment that failed after its form closed reopens the form)
_FORM_OF = {f"action_assess_{f.assessment}": f.name for f in FORMS.values()}

# counted for the operator (and the tests) since the server started
counts = {"reset": 0, "no_reply": 0, "failed": 0, "ended_unreachable": 0}


def _since_user(tracker: DialogueStateTracker) -> List[Event]:
    events = list(tracker.events)
    for i in range(len(events) - 1, -1, -1):
        if isinstance(events[i], UserUttered):
            return events[i + 1 :]
    return events


async def _listen(processor: MessageProcessor, tracker: DialogueStateTracker, output_channel: OutputChannel) -> None:
    prediction = PolicyPrediction.for_action_name(processor.domain, ACTION_LISTEN_NAME, "fix_silence")
    await _original_run_action(processor, ActionListen(), tracker, output_channel, processor.nlg, prediction)


async def _say(tracker: DialogueStateTracker, output_channel: OutputChannel, text: str) -> None:
    event = BotUttered(text, metadata={"fix_silence": True})
    tracker.update(event)
    await output_channel.send_response(tracker.sender_id, event.message())


async def _run_action(self: MessageProcessor, action, tracker, output_channel, nlg, prediction) -> bool:
    more = await _original_run_action(self, action, tracker, output_channel, nlg, prediction)
    if more and fix_action_server_down.told(tracker):
        counts["ended_unreachable"] += 1
        form = _FORM_OF.get(action.name())
        if form:  # the assessment itself failed after its form closed: reopen it, so resending completes it
            tracker.update(ActiveLoop(form), self.domain)
        await _listen(self, tracker, output_channel)
        return False
    return more


async def _run_prediction_loop(self: MessageProcessor, output_channel: OutputChannel, tracker) -> None:
    await _original_loop(self, output_channel, tracker)
    if not self._should_handle_message(tracker):
        return
    turn = _since_user(tracker)
    listened = any(isinstance(e, ActionExecuted) and e.action_name == ACTION_LISTEN_NAME for e in turn)
    if not listened:
        if fix_action_server_down.told(tracker):
            await _listen(self, tracker, output_channel)
        else:
            counts["reset"] += 1
            logger.warning("conversation reset after the prediction limit was reached")
            await _say(tracker, output_channel, RESET)
            tracker.update_with_events(
                [
                    Restarted(),
                    ActionExecuted(ACTION_SESSION_START_NAME),
                    SessionStarted(),
                    ActionExecuted(ACTION_LISTEN_NAME),
                ],
                self.domain,
            )
        turn = _since_user(tracker)
    replied = any(isinstance(e, BotUttered) for e in turn) or fix_action_server_down.told(tracker)
    if not replied:
        counts["no_reply"] += 1
        logger.info("a message got no reply from the dialogue; the generic reply was sent")
        await _say(tracker, output_channel, NO_REPLY)


def _log_failure(what: str, exc: BaseException) -> None:
    """The error's class and where it happened, never its message (a store's error can quote the events,
    that is, patient values)."""
    frames = "".join(traceback.format_tb(exc.__traceback__)[-6:])
    logger.error("%s: %s (message not logged: it may hold patient values)\n%s", what, exc.__class__.__name__, frames)


async def _answer_failure(message: UserMessage, exc: BaseException) -> Optional[List[Any]]:
    counts["failed"] += 1
    _log_failure("error while handling a message; the user was asked to send it again", exc)
    channel = message.output_channel
    try:
        await channel.send_response(message.sender_id or "", {"text": FAILED})
    except Exception as again:
        _log_failure("could not tell the user either", again)
    return channel.messages if isinstance(channel, CollectingOutputChannel) else None


async def handle_message(self: MessageProcessor, message: UserMessage) -> Optional[List[Any]]:
    try:
        return await _original_handle(self, message)
    except Exception as exc:
        return await _answer_failure(message, exc)


async def agent_handle_message(self: Agent, message: UserMessage) -> Optional[List[Any]]:
    """Errors around the processor too (the lock store: Redis away, a lock not acquired) get the answer."""
    try:
        return await _original_agent_handle(self, message)
    except Exception as exc:
        return await _answer_failure(message, exc)


def apply() -> None:
    MessageProcessor._run_prediction_loop = _run_prediction_loop
    MessageProcessor._run_action = _run_action
    MessageProcessor.handle_message = handle_message
    Agent.handle_message = agent_handle_message

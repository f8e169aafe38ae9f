"""Fix: when the action server cannot be reached the user gets no reply at all (Rasa 3.6.21, behaviour).

Defect: a custom action whose server is down, refusing, failing with 5xx or timing out is logged as an
error and its events are dropped; the user hears nothing (RasaHQ/rasa#7630, "Action server failure
handling"; #5588, "Default message if action server throws an exception").
Fix: ``RemoteAction.run`` also tells the user, once per message, that the decision service is
unavailable and to try again; the failed action's events are dropped as before, so the conversation
(an open form included) goes on from where it was when the service is back (``fix_silence`` ends the
turn there). A general question is still answered, from the response selector (``SUBSTITUTES``).
An action server that refuses the Rasa server's shared secret (401/403: the two were started with
different ``ACTIONS_SECRET``s, ``actions/server.py``) is, for the user, unavailable too; the Rasa log
says why, at ERROR, once per message.
Tested: tests/e2e/test_reliability.py (action server killed with ``kill -9`` mid-form, then restarted);
tests/e2e/test_security.py (an action server with another secret).
Remove when: Rasa offers a configurable reply for action-server failures.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from typing import Any, Text

import aiohttp
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction, action_for_name_or_text

UNAVAILABLE = (
    "The decision service is unavailable at the moment, so I cannot check values or give a "
    "recommendation right now. Please try again in a minute by sending your last message again; "
    "the values you gave before it are kept."
)
# custom actions with a plainer answer that needs no action server: a general question gets the response
# selector's answer (the topic the model chose, without the action's topic choice and offer line)
SUBSTITUTES = {"action_answer_faq": "utter_faq"}
_original_run = RemoteAction.run
logger = logging.getLogger(__name__)
_told: "OrderedDict[Text, Any]" = OrderedDict()  # conversation → the message we apologised for


FAILED_IN_ACTION = (
    "The decision service could not process that message (an error on our side), so nothing in it was "
    "applied. Please rephrase it, or type 'stop' to leave the assessment; the values you gave before it "
    "are kept."
)


def failure(exc: BaseException) -> "str | None":
    """How an action call failed: "unreachable" (no connection, a timeout, 502/503/504: worth trying again),
    "refused" (401/403: the action server did not accept this Rasa server's shared secret), "error" (the
    action server answered 500: an error that a retry of the same message repeats), or None."""
    for e in (exc, exc.__cause__, exc.__context__):
        # the status of aiohttp's ClientResponseError or of Rasa's own (rasa.utils.endpoints), which Rasa 3.6
        # raises for an answer other than 200 and wraps in a RasaException
        status = getattr(e, "status", None) if isinstance(e, aiohttp.ClientError) else None
        if status in (401, 403):
            return "refused"
        if isinstance(e, (aiohttp.ClientConnectionError, asyncio.TimeoutError)):
            return "unreachable"
        if isinstance(status, int) and status in (502, 503, 504):
            return "unreachable"
        if isinstance(status, int) and status >= 500:
            return "error"
    return None


def _message(tracker: Any) -> Any:
    return getattr(tracker.latest_message, "message_id", None) or len(tracker.events)


def told(tracker: Any) -> bool:
    """Whether the user was told, for the message being handled, that the action server is unreachable
    (``fix_silence`` then ends the turn and keeps the conversation's values)."""
    return _told.get(tracker.sender_id) == _message(tracker)


async def run(self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> Any:
    try:
        return await _original_run(self, output_channel, nlg, tracker, domain)
    except Exception as exc:
        kind = None if isinstance(exc, ActionExecutionRejection) else failure(exc)
        if kind is None:
            raise
        if self.name() in SUBSTITUTES:  # an answer the model alone can give: give it, no apology
            substitute = action_for_name_or_text(SUBSTITUTES[self.name()], domain, None)
            events = await substitute.run(output_channel, nlg, tracker, domain)
            if events:
                return events
        message = _message(tracker)
        if _told.get(tracker.sender_id) != message:
            if kind == "refused":
                logger.error(
                    "the action server refused this Rasa server's calls (401): the two do not share one "
                    "ACTIONS_SECRET (see README, Deployment); action '%s' not run",
                    self.name(),
                )
            _told[tracker.sender_id] = message
            while len(_told) > 10000:
                _told.popitem(last=False)
            await output_channel.send_text_message(
                tracker.sender_id, FAILED_IN_ACTION if kind == "error" else UNAVAILABLE
            )
        raise


def apply() -> None:
    RemoteAction.run = run

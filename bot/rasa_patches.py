"""Performance fixes (and one behaviour fix) to Rasa 3.6.21, applied when the Rasa server imports our
components.

1. ``RemoteAction._validate_action_result`` checks every action-server response with
   ``jsonschema.validate``, which re-validates the schema itself on every call and then tries each
   event against all 23 alternatives of the ``oneOf`` in Rasa's event schema. Each alternative fixes
   ``event`` to a different constant, so at most one can match: we pick it by the event's name and
   validate against that one, with validators compiled once. Same checks, same accepted and
   refused responses (tests/test_rasa_patches.py compares both on valid and broken responses),
   same ``ValidationError`` with Rasa's message.
2. ``Event.resolve_by_type`` walks the whole tree of event classes (``all_subclasses``, with an
   ``inspect.isabstract`` per class) for every event it turns back into an object: about half of the
   time of reading a conversation from the tracker store, and again for every event an action
   returns. We remember the class found for each event name; names not found still go the original
   way (and raise the same error). Event classes are all defined when Rasa is imported.
3. Calls to the action server send the whole tracker as JSON; ``EndpointConfig.session`` now gives
   aiohttp ``ujson`` (already installed with Sanic) to encode it, several times faster than the
   standard library for the same JSON document.

Measured with bench/bench_rest.py: see the README's performance section.

One behaviour fix: when the action server cannot be reached (down, refusing, failing with 5xx, or
timing out), Rasa 3.6 logs an error and the user gets no reply at all. ``RemoteAction.run`` now also
tells the user, once per message, that the decision service is unavailable and to try again; the
failed action's events are dropped as before, so the conversation (an open form included) goes on
from where it was when the service is back.
"""
from __future__ import annotations

import asyncio
from collections import OrderedDict
from functools import lru_cache
from typing import Any, Dict, Optional, Text, Tuple, Type

import aiohttp
import jsonschema
import ujson
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.utils.endpoints import EndpointConfig

_RASA_HINT = (". Failed to validate Action server response from API, make sure your response from the "
              f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions")


@lru_cache(maxsize=1)
def _validators() -> Tuple[Any, Any, Dict[Any, Any]]:
    schema = RemoteAction.action_response_format_spec()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)  # once, instead of on every call
    events = schema["properties"]["events"]
    event_schema = events["items"]
    top = cls({**schema, "properties": {**schema["properties"], "events": {"type": "array"}}})
    base = cls({k: v for k, v in event_schema.items() if k != "oneOf"})
    by_name = {alt["properties"]["event"]["const"]: cls(alt) for alt in event_schema["oneOf"]}
    return top, base, by_name


def validate_action_result(result: Any) -> None:
    """Raise ``jsonschema.ValidationError`` exactly when Rasa's response schema refuses ``result``."""
    top, base, by_name = _validators()
    top.validate(result)
    if not isinstance(result, dict) or "events" not in result:
        return
    for event in result["events"]:
        base.validate(event)
        alternative = by_name.get(event["event"])
        if alternative is None:
            raise jsonschema.ValidationError(f"{event!r} is not valid under any of the given schemas")
        alternative.validate(event)


def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    try:
        validate_action_result(result)
        return True
    except jsonschema.ValidationError as e:
        e.message += _RASA_HINT
        raise e


def _session(self: EndpointConfig) -> aiohttp.ClientSession:
    auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) if self.basic_auth else None
    return aiohttp.ClientSession(headers=self.headers, auth=auth, json_serialize=ujson.dumps,
                                 timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT))


_original_resolve_by_type = Event.resolve_by_type
_event_classes: Dict[Text, Any] = {}


def _resolve_by_type(type_name: Text, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
    cls = _event_classes.get(type_name)
    if cls is None:
        cls = _original_resolve_by_type(type_name, default)
        if cls is not None and cls is not default:
            _event_classes[type_name] = cls
    return cls


UNAVAILABLE = ("The decision service is unavailable at the moment, so I cannot check values or give a "
               "recommendation right now. Please try again in a minute by sending your last message again; "
               "the values you gave before it are kept.")
_original_remote_run = RemoteAction.run
_told: "OrderedDict[Text, Any]" = OrderedDict()  # conversation → the message we apologised for


def _unreachable(exc: BaseException) -> bool:
    for e in (exc, exc.__cause__, exc.__context__):
        if isinstance(e, (aiohttp.ClientConnectionError, asyncio.TimeoutError)):
            return True
        if isinstance(e, aiohttp.ClientResponseError) and e.status >= 500:
            return True
    return False


async def _remote_run(self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> Any:
    try:
        return await _original_remote_run(self, output_channel, nlg, tracker, domain)
    except Exception as exc:
        if isinstance(exc, ActionExecutionRejection) or not _unreachable(exc):
            raise
        message = getattr(tracker.latest_message, "message_id", None) or len(tracker.events)
        if _told.get(tracker.sender_id) != message:
            _told[tracker.sender_id] = message
            while len(_told) > 10000:
                _told.popitem(last=False)
            await output_channel.send_text_message(tracker.sender_id, UNAVAILABLE)
        raise


def apply() -> None:
    RemoteAction.run = _remote_run
    RemoteAction._validate_action_result = _validate_action_result
    Event.resolve_by_type = staticmethod(_resolve_by_type)
    EndpointConfig.session = _session


apply()

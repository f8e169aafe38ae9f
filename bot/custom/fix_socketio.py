"""Fix: Rasa 3.6.21's socket.io channel with python-socketio 5 (behaviour).

Defects:
1. ``session_request`` calls python-socketio 5's coroutine ``enter_room`` without awaiting it, so with
   session persistence the browser never joins its room and never receives a reply (RasaHQ/rasa#13027).
2. ``SocketIOOutput.send_custom_json`` passes a custom payload's keys to ``emit`` as keyword arguments,
   which fails for any payload with keys other than ``data``/``room`` (no RasaHQ/rasa issue found).
3. A malformed ``user_uttered`` event (not an object, no session id) raises inside the handler.
Fix: ``FixedSocketIO`` re-registers the two handlers on Rasa's own ``AsyncServer`` after Rasa's blueprint
is built (awaiting ``enter_room``; ignoring malformed events) and its output sends a custom payload as
``{"custom": {...}}``.
Tested: tests/e2e/test_webchat.py (a browser session with persistence receives the recommendation card).
Remove when: the pin moves to a Rasa release with #13027 fixed and custom payloads emitted as data.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

logger = logging.getLogger(__name__)


class FixedSocketIOOutput(SocketIOOutput):
    @classmethod
    def name(cls) -> Text:
        return "webchat"

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class FixedSocketIO(SocketIOInput):
    output_class = FixedSocketIOOutput

    def get_output_channel(self) -> Optional[FixedSocketIOOutput]:
        return self.output_class(self.sio, self.bot_message_evt) if self.sio else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = super().blueprint(on_new_message)
        sio = self.sio

        async def handle_message(sid: Text, data: Any) -> None:
            if not isinstance(data, dict) or not isinstance(data.get("message", ""), str):
                return  # malformed event: ignored, never a crash
            sender = data.get("session_id") if self.session_persistence else sid
            if not sender or not isinstance(sender, str):
                logger.warning("socket.io message without a session id ignored")
                return
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            await on_new_message(
                UserMessage(
                    data.get("message", "")[:5000],
                    self.output_class(sio, self.bot_message_evt),
                    sender,
                    input_channel=self.name(),
                    metadata=metadata,
                )
            )

        sio.on(self.user_message_evt, handle_message, namespace=self.namespace)

        async def session_request(sid: Text, data: Any) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = data.get("session_id")
            if not isinstance(session_id, str) or not session_id:
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)  # awaited: #13027
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        sio.on("session_request", session_request, namespace=self.namespace)
        return bp

"""The web chat channel: Rasa's socket.io channel plus the widget, served on the Rasa server's port.

``WebChat`` behaves like Rasa's ``socketio`` channel (same events, session persistence) and adds:
- the widget at ``/webhooks/webchat/ui/`` (files from ``web/``, the socket.io client from the npm
  package installed at setup: no CDN);
- custom payloads sent as ``{"custom": {...}}`` (Rasa 3.6's socket.io output passes a custom
  payload's keys to ``emit`` as arguments, which breaks any payload but ``data``/``room``).
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

WEB = Path(__file__).resolve().parents[1] / "web"
ASSETS = {
    "chat.js": (WEB / "chat.js", "application/javascript"),
    "chat.css": (WEB / "chat.css", "text/css"),
    "socket.io.min.js": (WEB / "node_modules/socket.io-client/dist/socket.io.min.js", "application/javascript"),
}


class WebChatOutput(SocketIOOutput):
    @classmethod
    def name(cls) -> Text:
        return "webchat"

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class WebChat(SocketIOInput):
    @classmethod
    def name(cls) -> Text:
        return "webchat"

    def get_output_channel(self) -> Optional[WebChatOutput]:
        return WebChatOutput(self.sio, self.bot_message_evt) if self.sio else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = super().blueprint(on_new_message)
        sio = self.sio

        async def handle_message(sid: Text, data: Any) -> None:
            if not isinstance(data, dict) or not isinstance(data.get("message", ""), str):
                return  # malformed event: ignored, never a crash
            sender = data.get("session_id") if self.session_persistence else sid
            if not sender or not isinstance(sender, str):
                logger.warning("webchat message without a session id ignored")
                return
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            await on_new_message(UserMessage(data.get("message", "")[:5000], WebChatOutput(sio, self.bot_message_evt),
                                             sender, input_channel=self.name(), metadata=metadata))

        sio.on(self.user_message_evt, handle_message, namespace=self.namespace)

        @bp.route("/ui/", methods=["GET"])
        async def index(_: Request) -> HTTPResponse:
            return await response.file(WEB / "index.html", mime_type="text/html; charset=utf-8")

        @bp.route("/ui/<asset>", methods=["GET"])
        async def asset(_: Request, asset: str) -> HTTPResponse:
            if asset not in ASSETS or not ASSETS[asset][0].exists():
                return response.text("not found", status=404)
            path, mime = ASSETS[asset]
            return await response.file(path, mime_type=mime)

        return bp

"""A stand-in for the Rasa server's web chat channel, for the widget's rendering tests.

It serves ``web/`` at ``/webhooks/webchat/ui/`` from the same file table as the channel
(``bot.custom.channels.ASSETS``) and speaks the same socket.io events (``session_request`` →
``session_confirm``, ``user_uttered`` → ``bot_uttered``, a session id per room as with
``session_persistence``), but its replies are scripted: ``replies`` maps a message the widget sends
(text or payload) to the list of bot messages to emit, e.g. from the JSON fixtures of
``tests/fixtures/webchat/``. No NLU, no model: the widget is tested against exact, contract-shaped
messages. Every message the widget sends is recorded in ``received``.
"""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from pathlib import Path
from typing import Any, Dict, List, Optional

from aiohttp import web

from bot.custom.channels import ASSETS, WEB
from harness.servers import free_port

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "webchat"


def fixture(name: str) -> List[Dict[str, Any]]:
    """The bot messages of ``tests/fixtures/webchat/<name>.json`` (its ``messages`` list)."""
    return json.loads((FIXTURES / f"{name}.json").read_text())["messages"]


class FakeWebChat:
    """``replies``: message sent by the widget → bot messages to emit (in order); a message with no
    entry gets ``default`` (None: no reply at all). ``delay`` seconds pass before a reply."""

    def __init__(self, default: Optional[List[Dict[str, Any]]] = None) -> None:
        import socketio

        self.replies: Dict[str, List[Dict[str, Any]]] = {}
        self.default = default
        self.delay = 0.0
        self.received: List[Dict[str, Any]] = []
        self.sessions: List[str] = []  # the session id confirmed at each session_request
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/webhooks/webchat/ui/"
        self.sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins=None)
        self.sio.on("session_request", self._session_request)
        self.sio.on("user_uttered", self._user_uttered)
        self.app = web.Application()
        self.sio.attach(self.app, socketio_path="/socket.io")
        self.app.router.add_get("/webhooks/webchat/ui", self._index)
        self.app.router.add_get("/webhooks/webchat/ui/", self._index)
        self.app.router.add_get("/webhooks/webchat/ui/{asset}", self._asset)
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._ready = threading.Event()

    # --- HTTP: the widget's files, as the channel serves them ------------------------------------
    async def _index(self, _: web.Request) -> web.StreamResponse:
        return web.FileResponse(WEB / "index.html", headers={"Content-Type": "text/html; charset=utf-8"})

    async def _asset(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["asset"]
        if name == "index.html":
            return await self._index(request)
        if name not in ASSETS or not ASSETS[name][0].exists():
            return web.Response(status=404, text="not found")
        path, mime = ASSETS[name]
        return web.FileResponse(path, headers={"Content-Type": mime})

    # --- socket.io: the channel's events with scripted replies -------------------------------------
    async def _session_request(self, sid: str, data: Any) -> None:
        session_id = data.get("session_id") if isinstance(data, dict) else None
        if not isinstance(session_id, str) or not session_id:
            session_id = uuid.uuid4().hex
        self.sessions.append(session_id)
        await self.sio.enter_room(sid, session_id)
        await self.sio.emit("session_confirm", session_id, room=sid)

    async def _user_uttered(self, sid: str, data: Any) -> None:
        if not isinstance(data, dict):
            return
        self.received.append(data)
        reply = self.replies.get(data.get("message", ""), self.default)
        if reply is None:
            return
        if self.delay:
            await asyncio.sleep(self.delay)
        await self._emit(data.get("session_id") or sid, reply)

    async def _emit(self, room: str, messages: List[Dict[str, Any]]) -> None:
        for message in messages:
            await self.sio.emit("bot_uttered", message, room=room)

    def push(self, session_id: str, messages: List[Dict[str, Any]]) -> None:
        """Emit ``messages`` to a session unprompted (from the test's thread)."""
        asyncio.run_coroutine_threadsafe(self._emit(session_id, messages), self.loop).result(10)

    def sent(self, session_id: Optional[str] = None) -> List[str]:
        """The messages (texts or payloads) the widget has sent, in order (of one session if given)."""
        return [d.get("message", "") for d in self.received if session_id in (None, d.get("session_id"))]

    # --- lifecycle ---------------------------------------------------------------------------------
    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=1.0)  # open sockets: no 60 s wait
        self.loop.run_until_complete(runner.setup())
        self.loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port).start())
        self._runner = runner
        self._ready.set()
        self.loop.run_forever()

    def start(self) -> "FakeWebChat":
        self._thread.start()
        if not self._ready.wait(20):
            raise RuntimeError("the fake web chat server did not start")
        return self

    async def _shutdown(self) -> None:
        await self._runner.cleanup()
        rest = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]  # pings of closed sockets
        for task in rest:
            task.cancel()
        await asyncio.gather(*rest, return_exceptions=True)

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._shutdown(), self.loop).result(20)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(20)
        self.loop.close()

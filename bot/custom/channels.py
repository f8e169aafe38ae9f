"""The channels: the web chat widget (socket.io) and Slack.

``WebChat`` behaves like Rasa's ``socketio`` channel (same events, session persistence; with the fixes of
``fix_socketio``) and adds the widget at ``/webhooks/webchat/ui/`` (files from ``web/``, the socket.io
client from the npm package installed at setup: no CDN), and lets only the widget's own origin open a
socket (``WEBCHAT_ORIGINS`` lists others).
"""

from __future__ import annotations

import logging
import os
import re
from collections import OrderedDict
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.custom.fix_socketio import FixedSocketIO, FixedSocketIOOutput
from knowledge import DISCLAIMER
from knowledge.card import CONFLICTS_HEAD, Basis

logger = logging.getLogger(__name__)

WEB = Path(__file__).resolve().parents[2] / "web"
ASSETS = {
    "chat.js": (WEB / "chat.js", "application/javascript"),
    "chat.css": (WEB / "chat.css", "text/css"),
    "socket.io.min.js": (WEB / "node_modules/socket.io-client/dist/socket.io.min.js", "application/javascript"),
}


def allowed_origins() -> Optional[List[str]]:
    """Origins allowed to open the socket: ``WEBCHAT_ORIGINS`` (comma-separated, e.g.
    ``https://intranet.example.org``), else only the page's own origin (None: the server's host)."""
    origins = [o.strip().rstrip("/") for o in os.environ.get("WEBCHAT_ORIGINS", "").split(",") if o.strip()]
    return origins or None


class WebChatOutput(FixedSocketIOOutput):
    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        """A recommendation (and a general answer) is sent as its payload alone: the payload carries what the
        text says and its buttons (the text is for channels without cards, such as REST)."""
        custom = message.get("custom")
        if isinstance(custom, dict) and custom.get("type") in ("recommendation", "answer"):
            await self.send_custom_json(recipient_id, custom)
            return
        await super().send_response(recipient_id, message)


class WebChat(FixedSocketIO):
    """Rasa's socket.io channel (with the fixes of ``fix_socketio``), the widget and an origin check."""

    output_class = WebChatOutput

    @classmethod
    def name(cls) -> Text:
        return "webchat"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = super().blueprint(on_new_message)
        # Rasa 3.6 turns origin checks off (cors_allowed_origins=[]): any web page could open a
        # socket to the assistant. Only the widget's own origin is accepted, or WEBCHAT_ORIGINS.
        self.sio.eio.cors_allowed_origins = allowed_origins()

        @bp.route("/ui", methods=["GET"], strict_slashes=False)
        async def index(_: Request) -> HTTPResponse:
            return await response.file(WEB / "index.html", mime_type="text/html; charset=utf-8")

        @bp.route("/ui/<asset>", methods=["GET"])
        async def asset(request: Request, asset: str) -> HTTPResponse:
            if asset in ("", "index.html"):
                return await index(request)
            if asset not in ASSETS or not ASSETS[asset][0].exists():
                return response.text("not found", status=404)
            path, mime = ASSETS[asset]
            return await response.file(path, mime_type=mime)

        return bp


# --------------------------------------------------------------------------------------------------
# Slack


def _escape(text: str) -> str:
    """Slack's three control characters: user text can never ping a channel or hide a link."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _mrkdwn(text: str) -> str:
    """Our markdown → Slack mrkdwn (bold is *x*, italics _x_, a link <url|text>), escaped."""
    text = re.sub(r"\*\*(.+?)\*\*", r"*\1*", _escape(text))
    return re.sub(r"\[([^\]\n|]+)\]\((https?://[^\s)|]+)\)", r"<\2|\1>", text)


def _chunks(text: str, size: int = 2900) -> List[str]:
    """Slack limits a section's text to 3000 characters: lines go together up to ``size``, and a longer
    line is cut."""
    out, current = [], ""
    lines = [
        piece
        for line in text.split("\n")
        for piece in ([line[i : i + size] for i in range(0, len(line), size)] or [""])
    ]
    for line in lines:
        if len(current) + len(line) + 1 > size and current:
            out.append(current)
            current = ""
        current += line if not current else "\n" + line
    return out + ([current] if current else [])


def _basis_text(b: Dict[str, Any]) -> str:
    """One input of "Based on" with where it came from, worded as the card's plain text words it."""
    return Basis(str(b.get("label", "")), str(b.get("value", "")), str(b.get("how") or "typed"), b.get("from")).text()


def recommendation_blocks(payload: Dict[str, Any], fallback: str) -> Dict[str, Any]:
    """Block Kit for a recommendation card: the recommendations with their numbered citations, what the
    levels mean, the series as a table, what it was based on, the references (linked to PubMed or the
    DOI), the disclaimer, and the card's buttons (Why?, Sources, Copy as note, New patient); ``text`` is
    the plain fallback for notifications and screen readers."""
    a = payload.get("assessment") or {}
    refs = payload.get("references") or []
    if isinstance(refs, dict):  # a card from before the references carried their numbers and links
        refs = [{"n": i, "key": k, "text": t, "url": None} for i, (k, t) in enumerate(refs.items(), 1)]
    number = {r["key"]: r["n"] for r in refs}
    title = payload.get("title") or str(a.get("assessment") or "").replace("_", " ")
    lines = [
        f"*{title}*" + (f" · response: {a['response_status'].replace('_', ' ')}" if a.get("response_status") else "")
    ]
    if payload.get("bottom_line") and not a.get("conflicts"):  # the decision in one sentence, first (a conflict
        # is said just below, as its own warning)
        lines.append(f"*{_escape(payload['bottom_line'])}*")
    lines += [f":warning: *{CONFLICTS_HEAD}* {_escape(c.get('message', ''))}." for c in a.get("conflicts") or []]
    for i, r in enumerate(a.get("recommendations") or [], 1):
        marks = " ".join(f"[{number[k]}]" for k in r.get("citations") or [] if k in number)
        lines.append(f"{i}. *{_escape(r.get('summary', ''))}* ({r.get('indicator', 'info')}) {marks}")
    lines += [_mrkdwn(f) for f in payload.get("findings") or []]
    blocks: List[Dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": chunk}} for chunk in _chunks("\n".join(lines))
    ]
    series = payload.get("series")
    if series:
        rows = ["months   % IS      ELN 2020"] + [
            f"{'' if p.get('months') is None else format(p['months'], 'g'):<8} {p['value']:<9g} {p.get('status') or ''}"
            for p in series.get("points") or []
        ]
        text = "*Series of BCR-ABL1 results*\n```" + "\n".join(rows) + "```"
        if series.get("change"):
            text += f"\nLatest change: {series['change']}."
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text[:2900]}})
    based = payload.get("based_on") or []
    if based:
        shown = [_escape(_basis_text(b)) for b in based]
        blocks.append(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": ("Based on: " + "; ".join(shown))[:2900]}]}
        )
    if a.get("assumptions"):
        text = "Assumptions: " + _escape(" ".join(a["assumptions"]))
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": text[:2900]}]})
    cites = [
        f"[{r['n']}] " + (f"<{r['url']}|{_escape(r['text'])}>" if r.get("url") else _escape(r["text"])) for r in refs
    ]
    for chunk in _chunks("\n".join(cites), 2900) if cites else []:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": chunk}]})
    disclaimer = payload.get("disclaimer") or DISCLAIMER
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f"_{disclaimer}_"}]})
    buttons = list(payload.get("buttons") or [])
    if payload.get("card_id"):
        copy = f'/copy_note{{"card_id":"{payload["card_id"]}"'
        buttons[2:2] = [
            {"title": "Copy as note", "payload": copy + "}"},
            {"title": "Copy full note", "payload": copy + ', "version":"full"}'},
        ]
    blocks += button_blocks(buttons)
    return {"text": fallback[:3000], "blocks": blocks[:50]}


def button_blocks(buttons: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Quick replies as Block Kit buttons; a click comes back as the button's payload, as if typed."""
    elements = [
        {
            "type": "button",
            "text": {"type": "plain_text", "text": str(b.get("title"))[:75]},
            "value": str(b.get("payload") or "")[:2000],
            "action_id": f"reply-{i}",
        }
        for i, b in enumerate(buttons)
        if str(b.get("title") or "").strip()  # Slack refuses a button without a title
    ]
    return [{"type": "actions", "elements": elements[i : i + 25]} for i in range(0, len(elements), 25)]


def text_blocks(text: str) -> Dict[str, Any]:
    """Block Kit for a text answer: the body as sections, its references as a context block."""
    body, _, refs = text.partition("\nReferences:\n")
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": chunk}} for chunk in _chunks(_mrkdwn(body))]
    for chunk in _chunks(_mrkdwn(refs)) if refs else []:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": chunk}]})
    return {"text": text[:3000], "blocks": blocks[:50]}


class SlackOutput(SlackBot):
    """Replies as Block Kit, in the thread of the question, through ``SLACK_API_URL`` when set."""

    def __init__(
        self,
        token: str,
        slack_channel: Optional[str] = None,
        thread_id: Optional[str] = None,
        proxy: Optional[str] = None,
        api_url: Optional[str] = None,
    ) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        if api_url:
            self.client = AsyncWebClient(token, base_url=api_url.rstrip("/") + "/", proxy=proxy)

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        channel = self.slack_channel or recipient_id
        custom = message.get("custom")
        if isinstance(custom, dict) and custom.get("type") == "recommendation":
            await self._post_message(channel, **recommendation_blocks(custom, message.get("text") or ""))
            return
        if isinstance(custom, dict) and custom.get("type") == "answer":  # a general answer, with its "Sources"
            message = {"text": custom.get("text") or message.get("text"), "buttons": custom.get("buttons")}
        if message.get("text") or message.get("buttons"):
            reply = text_blocks(message.get("text") or "")
            reply["blocks"] = (reply["blocks"] + button_blocks(message.get("buttons") or []))[:50]
            await self._post_message(channel, **reply)


class Slack(SlackInput):
    """Rasa's Slack channel configured from the environment, with stricter request handling.

    Secrets come only from ``SLACK_BOT_TOKEN`` and ``SLACK_SIGNING_SECRET``; ``SLACK_API_URL``
    overrides the Web API base URL. Requests with a missing or wrong signature, or a timestamp
    more than 5 minutes off, are refused (Rasa's check); ``url_verification`` is answered; a
    retried event (``X-Slack-Retry-Num``) or an event id already seen is acknowledged and never
    answered twice.
    """

    @classmethod
    def name(cls) -> Text:
        return "slack"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "Slack":
        token, secret = os.environ.get("SLACK_BOT_TOKEN"), os.environ.get("SLACK_SIGNING_SECRET")
        if not token or not secret:
            raise ValueError("the Slack channel needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET in the environment")
        channel = cls(
            token,
            None,
            slack_retry_reason_header="x-slack-retry-reason",
            slack_retry_number_header="x-slack-retry-num",
            use_threads=True,
            slack_signing_secret=secret,
            conversation_granularity="thread",
        )
        channel.api_url = os.environ.get("SLACK_API_URL")
        channel.seen_events: "OrderedDict[str, None]" = OrderedDict()
        return channel

    def get_output_channel(self, channel: Optional[Text] = None, thread_id: Optional[Text] = None) -> SlackOutput:
        return SlackOutput(
            self.slack_token, channel or self.slack_channel, thread_id, self.proxy, getattr(self, "api_url", None)
        )

    def _already_seen(self, event_id: Optional[str]) -> bool:
        if not event_id:
            return False
        if event_id in self.seen_events:
            return True
        self.seen_events[event_id] = None
        while len(self.seen_events) > 10000:
            self.seen_events.popitem(last=False)
        return False

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = super().blueprint(on_new_message)

        @bp.middleware("request")
        async def refuse_unsigned_retries_and_repeats(request: Request) -> Optional[HTTPResponse]:
            if not request.path.endswith("/webhook") or request.method != "POST":
                return None
            if not self.is_request_from_slack_authentic(request):
                return response.text("invalid signature or stale timestamp", status=401)
            body = request.json if request.headers.get("content-type") == "application/json" else None
            if isinstance(body, dict) and body.get("type") == "url_verification":
                return response.json({"challenge": body.get("challenge")})
            if request.headers.get("x-slack-retry-num"):
                return response.text("", status=200, headers={"X-Slack-No-Retry": "1"})
            if isinstance(body, dict) and self._already_seen(body.get("event_id")):
                return response.text("", status=200)
            return None

        return bp

"""Fix: the tracker sent to the action server is encoded with the standard library (performance).

Defect: every call to the action server sends the whole tracker as JSON through aiohttp's default
``json.dumps``; ``ujson`` (installed with Sanic) encodes the same document several times faster.
Not a bug in Rasa (no issue), a cost on every turn that runs an action.
Fix: ``EndpointConfig.session`` gives aiohttp ``ujson.dumps``; headers, auth and timeout as Rasa's.
Tested: tests/unit/bot/test_rasa_fixes.py (same JSON document), and every dialogue test goes through it.
Remove when: the pin moves to a Rasa release whose endpoint session is configurable or fast.
"""

from __future__ import annotations

import aiohttp
import ujson
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.utils.endpoints import EndpointConfig


def session(self: EndpointConfig) -> aiohttp.ClientSession:
    auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) if self.basic_auth else None
    return aiohttp.ClientSession(
        headers=self.headers,
        auth=auth,
        json_serialize=ujson.dumps,
        timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
    )


def apply() -> None:
    EndpointConfig.session = session

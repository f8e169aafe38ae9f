"""What the CDS Hooks tests share: the service as its own process, a fake FHIR server, the EHR's keys."""

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Dict, List, Optional

import jwt
import requests
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import ec

from cds import demo
from harness.servers import free_port, wait_http
from knowledge.audit import conversation_hash

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "fhir"
PAGE = 4  # the fake FHIR server pages its searchsets, so next links are followed
ISSUER = "https://ehr.example.test"
KID = "test-ehr-key-1"
AUDIT_SALT = "test-salt-" + uuid.uuid4().hex  # generated per run; not a secret of the project
CHAT_URL = "http://chat.example.test/webhooks/webchat/ui/"
CORS_ORIGIN = "https://ehr.example.test"


def bundle(name: str) -> Dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def draft(name: str) -> Dict[str, Any]:
    return json.loads((FIXTURES / "orders" / f"{name}.json").read_text())


def bundles() -> List[str]:
    return sorted(p.stem for p in FIXTURES.glob("*.json"))


class FakeFHIR:
    """A FHIR server over every fixture Bundle: reads and the prefetch searches, paged, behind a bearer token;
    it also serves the EHR's JWK Set at /jwks (and a JWK Set URL that hangs, /slow-jwks). Every request is
    recorded. Runs on its own event loop thread.

    ``at(scenario)`` is the base URL of the same server misbehaving as the scenario says, as the
    conformance report's stubs did: ``slow-<ms>`` (every answer that late), ``reject-<Type>[+<Type>]``
    (400 with an OperationOutcome for those searches), ``outcome-<Type>`` (200 with an OperationOutcome),
    ``redirect`` (302 to another server), ``huge`` (an answer over the size cap), ``static`` (the pages
    a test put in ``static``, by path)."""

    def __init__(self, token: str):
        self.token = token
        self.jwks: Dict[str, Any] = {"keys": []}
        self.requests: List[Dict[str, Any]] = []
        self.static: Dict[str, Any] = {}
        self.merged = {"resourceType": "Bundle", "entry": [e for n in bundles() for e in bundle(n)["entry"]]}
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/fhir"
        self.loop = asyncio.new_event_loop()
        app = web.Application()
        app.router.add_get("/jwks", self.keys)
        app.router.add_get("/slow-jwks", self.slow_keys)
        app.router.add_get("/fhir/{query:.*}", self.fhir)
        app.router.add_get("/x/{scenario}/fhir/{query:.*}", self.scenario)
        self.runner = web.AppRunner(app, access_log=None)
        ready = threading.Event()
        threading.Thread(target=self._serve, args=(ready,), daemon=True).start()
        ready.wait(10)

    def _serve(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self.runner.setup())
        self.loop.run_until_complete(web.TCPSite(self.runner, "127.0.0.1", self.port).start())
        ready.set()
        self.loop.run_forever()

    def _seen(self, request: web.Request) -> None:
        self.requests.append(
            {"path": request.path, "query": request.query_string, "auth": request.headers.get("Authorization")}
        )

    async def keys(self, request: web.Request) -> web.Response:
        self._seen(request)
        return web.json_response(self.jwks)

    async def slow_keys(self, request: web.Request) -> web.Response:
        self._seen(request)
        await asyncio.sleep(5)
        return web.json_response(self.jwks)

    def at(self, scenario: str) -> str:
        return f"http://127.0.0.1:{self.port}/x/{scenario}/fhir"

    async def scenario(self, request: web.Request) -> web.StreamResponse:
        self._seen(request)
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return web.json_response(outcome("login"), status=401)
        name, query = request.match_info["scenario"], request.match_info["query"]
        kind = query.split("/")[0]
        if name.startswith("slow-"):
            await asyncio.sleep(int(name[5:]) / 1000)
        elif name.startswith("reject-") and kind in name[7:].split("+"):
            return web.json_response(outcome("not-supported"), status=400)
        elif name.startswith("outcome-") and kind == name[8:]:
            return web.json_response(outcome("too-costly"), content_type="application/fhir+json")
        elif name == "redirect":
            raise web.HTTPFound(f"http://localhost:{self.port}/fhir/{query}")
        elif name == "huge":
            pad = {"resourceType": "Bundle", "type": "searchset", "entry": [], "pad": "x" * (9 * 1024 * 1024)}
            return web.json_response(pad, content_type="application/fhir+json")
        elif name == "static":
            found = self.static.get(query)
            if found is None:
                return web.json_response(outcome("not-found"), status=404)
            return web.json_response(found, content_type="application/fhir+json")
        return await self.fhir(request, seen=True)

    async def fhir(self, request: web.Request, seen: bool = False) -> web.Response:
        if not seen:
            self._seen(request)
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return web.json_response(outcome("login"), status=401)
        query = dict(request.query)
        page = int(query.pop("_page", "0"))
        rest = "&".join(f"{k}={v}" for k, v in query.items())
        found = demo.search(self.merged, request.match_info["query"] + (f"?{rest}" if rest else ""))
        base = f"http://127.0.0.1:{self.port}" + request.path[: -len(request.match_info["query"]) - 1]
        if found is None:
            return web.json_response(outcome("not-found"), status=404)
        if found.get("type") == "searchset":
            entries = found["entry"]
            found["entry"] = entries[page * PAGE : (page + 1) * PAGE]
            if (page + 1) * PAGE < len(entries):
                found["link"] = [
                    {"relation": "next", "url": f"{base}/{request.match_info['query']}?{rest}&_page={page + 1}"}
                ]
        return web.json_response(found, content_type="application/fhir+json")

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)


def outcome(code: str, severity: str = "error") -> Dict[str, Any]:
    return {"resourceType": "OperationOutcome", "issue": [{"severity": severity, "code": code}]}


class Service:
    """``python -m cds serve`` on a free port, with its own audit database and log."""

    def __init__(self, workdir: Path, env: Optional[Dict[str, str]] = None, port: Optional[int] = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.audit_db = workdir / "audit.db"
        self.log = workdir / "cds.log"
        full_env = {
            **os.environ,
            "AUDIT_DB": str(self.audit_db),
            "AUDIT_SALT": AUDIT_SALT,
            "CDS_CHAT_URL": CHAT_URL,
            "PYTHONPATH": str(ROOT),
            **(env or {}),
        }
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "cds", "serve", "--port", str(self.port)],
                cwd=ROOT,
                env=full_env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_http(f"{self.url}/health", self.proc, self.log, timeout=60)

    def post(self, path: str, body: Any, token: Optional[str] = None) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return requests.post(self.url + path, json=body, headers=headers, timeout=30)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


class Keys:
    """The EHR's signing key (ES384, as CDS Hooks recommends), published as a JWK Set; and a stranger's."""

    def __init__(self):
        self.private = ec.generate_private_key(ec.SECP384R1())
        self.stranger = ec.generate_private_key(ec.SECP384R1())
        public = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(self.private.public_key()))
        self.jwks = {"keys": [{**public, "kid": KID, "use": "sig", "alg": "ES384"}]}

    def token(
        self, aud: str, key=None, lifetime: int = 120, iat_shift: int = 0, kid: str = KID, drop=(), **claims: Any
    ) -> str:
        """A client JWT as the CDS Hooks specification describes it (claims may be changed or dropped)."""
        now = int(time.time()) + iat_shift
        payload = {"iss": ISSUER, "aud": aud, "iat": now, "exp": now + lifetime, "jti": str(uuid.uuid4())}
        payload.update(claims)
        for claim in drop:
            payload.pop(claim)
        return jwt.encode(payload, key or self.private, algorithm="ES384", headers={"kid": kid, "typ": "JWT"})


def card_hash(card_uuid: str) -> str:
    return conversation_hash(card_uuid, AUDIT_SALT.encode())


def audit_row(s: Service, card_uuid: str, wait_s: float = 10) -> Dict[str, Any]:
    """The audit row the service wrote for a card (written by a background thread: polled)."""
    deadline = time.time() + wait_s
    while time.time() < deadline:
        if s.audit_db.exists():
            with sqlite3.connect(s.audit_db) as db:
                db.row_factory = sqlite3.Row
                row = db.execute(
                    "SELECT * FROM recommendations WHERE conversation = ?", [card_hash(card_uuid)]
                ).fetchone()
            if row is not None:
                out = dict(row)
                for k in ("inputs", "codes", "rules_fired", "citations"):
                    out[k] = json.loads(out[k])
                return out
        time.sleep(0.1)
    raise AssertionError(f"no audit row for card {card_uuid}")

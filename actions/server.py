"""The action server as ``make run`` and ``make cluster`` start it: rasa-sdk's own server, listening on loopback
unless ``ACTIONS_HOST`` says otherwise, and answering only the Rasa servers.

    python -m actions.server [--port 5055] [rasa-sdk's other options: --ssl-certificate, --ssl-keyfile, …]

- **Where it listens**: ``ACTIONS_HOST`` (default ``127.0.0.1``), given to rasa-sdk as its documented
  ``SANIC_HOST``; rasa-sdk's start-up line says the address ("Action endpoint is up and running on …"), and
  so does ours. Only the Rasa servers call it: open it (``ACTIONS_HOST=0.0.0.0``) only for Rasa servers on
  other machines (``make cluster``), and then over TLS (``--ssl-certificate``/``--ssl-keyfile``).
- **Who it answers**: every request but ``GET /health`` must carry ``Authorization: Bearer <secret>``, the
  secret of ``actions/secret.py`` that the Rasa server sends with each action call (``endpoints.yml``).
  Anything else gets 401 before an action runs: nothing is computed, nothing is written. The check is a
  Sanic request middleware attached through rasa-sdk 3.6's documented plugin hook
  (``attach_sanic_app_extensions``, "Sanic Extensions" in the action-server docs), registered here,
  explicitly, rather than through a ``rasa_sdk_plugins`` package that rasa-sdk imports if it finds one: a
  check that is skipped silently when that import fails would leave the server open. ``rasa run actions``
  does not attach it, so nothing in the project starts the action server that way.
- **Audit**: the audit writer takes rows only while it serves a checked call (``audit/__init__.py``).
"""

from __future__ import annotations

import gc
import hmac
import ipaddress
import logging
import os
import sys
from typing import List, Optional

import pluggy
from sanic import Sanic, response
from sanic.request import Request

from actions.secret import SecretError, shared_secret
from audit import VERIFIED, WRITER

logger = logging.getLogger("actions.server")  # also when run as __main__
hookimpl = pluggy.HookimplMarker("rasa_sdk")
OPEN_PATHS = frozenset({"/health"})  # the supervisor's and a load balancer's health check: says "ok", nothing else


def loopback(host: str) -> bool:
    try:  # (cds/__main__.py has the same test; actions does not import cds)
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class SharedSecretCheck:
    """rasa-sdk plugin: refuses every call but the health check unless it carries the shared secret."""

    def __init__(self, secret: str):
        self._expected = f"Bearer {secret}".encode()

    def allowed(self, authorization: Optional[str]) -> bool:
        given = (authorization or "").encode("utf-8", "replace")
        return hmac.compare_digest(given, self._expected)

    async def check(self, request: Request) -> Optional[response.HTTPResponse]:
        # said for every request: Sanic serves the requests of one keep-alive connection in one context
        VERIFIED.set(False)
        if request.path in OPEN_PATHS and request.method in ("GET", "HEAD"):
            return None
        authorization = request.headers.get("Authorization")
        if self.allowed(authorization):
            VERIFIED.set(True)  # the audit writer may record the recommendation of this call
            return None
        logger.warning(
            "refused %s %s from %s: %s shared secret (nothing run)",
            request.method,
            request.path,
            request.ip,
            "a wrong" if authorization else "no",
        )
        return response.json(
            {"error": "unauthorized: this action server answers only the Rasa servers of its deployment"},
            status=401,
            headers={"WWW-Authenticate": 'Bearer realm="actions"'},
        )

    @hookimpl
    def attach_sanic_app_extensions(self, app: Sanic) -> None:
        app.register_middleware(self.check, "request")


def warm_up() -> None:
    """Build what the first conversation would otherwise build on a clinician's message: the extractor's
    spaCy pipeline and the reader's and normaliser's patterns (the forms read answers with them,
    ``reading.warm``) and the FAQ's full-text index (about 3 s, measured as a first-turn p95 of 3.7 s in
    bench.bench_rest)."""
    from actions.faq_search import search
    from reading.warm import warm_up as warm_the_reader

    warm_the_reader()
    search("trough level")
    gc.collect()
    gc.freeze()  # the start's objects outlive every request: no full collection walks them again (~0.2 s each)


def main(argv: Optional[List[str]] = None) -> int:
    import rasa_sdk.__main__
    from rasa_sdk.endpoint import create_argument_parser
    from rasa_sdk.plugin import plugin_manager

    args = create_argument_parser().parse_args(sys.argv[1:] if argv is None else argv)
    args.actions = args.actions or "actions"
    try:
        secret = shared_secret()
    except (SecretError, OSError) as exc:
        sys.stderr.write(f"actions: {exc}; not starting\n")
        return 2
    host = os.environ.get("ACTIONS_HOST") or "127.0.0.1"
    os.environ["SANIC_HOST"] = host  # rasa-sdk reads the address from it
    manager = plugin_manager()
    manager.register(SharedSecretCheck(secret), name="actions-shared-secret")
    WRITER.require_verified = True
    warm_up()
    scheme = "https" if args.ssl_certificate else "http"
    where = "loopback only" if loopback(host) else f"ACTIONS_HOST={host}: reachable from other machines"
    source = "ACTIONS_SECRET" if os.environ.get("ACTIONS_SECRET") is not None else "the secret file"
    print(
        f"actions: listening on {scheme}://{host}:{args.port} ({where}); answering only calls that carry "
        f"the shared secret ({source})",
        file=sys.stderr,
        flush=True,
    )
    rasa_sdk.__main__.main_from_args(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())

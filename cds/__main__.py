"""``python -m cds``: serve the CDS Hooks service, build a demo request, export feedback.

    python -m cds serve [--port 5070] [--host 127.0.0.1]
    python -m cds request BUNDLE.json [--hook patient-view|order-select|order-sign] [--draft ORDER.json]
    python -m cds feedback [--since 2026-11-01] [--db PATH]

Errors (bad arguments, bad configuration) are JSON on stderr with exit status 2, as every command of
the project answers them.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import sys
from pathlib import Path
from typing import List, Optional

from knowledge.cli import Parser, fail

from .config import DEFAULT_PORT, ConfigError, Settings


def loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parser() -> Parser:
    p = Parser(prog="python -m cds", description="The imatinib CDS Hooks service.")
    commands = p.add_subparsers(dest="command", required=True, metavar="serve|request|feedback")
    serve = commands.add_parser("serve", help="serve discovery, the services and feedback over HTTP")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument("--host", default="127.0.0.1", help="loopback unless client JWTs are configured")
    req = commands.add_parser("request", help="print a CDS Hooks request for a FHIR Bundle (prefetch filled in)")
    req.add_argument("bundle", type=Path)
    req.add_argument("--hook", default="patient-view", choices=("patient-view", "order-select", "order-sign"))
    req.add_argument("--draft", type=Path, help="the draft MedicationRequest (order hooks)")
    req.add_argument("--no-prefetch", action="store_true", help="leave prefetch out (the service reads fhirServer)")
    fb = commands.add_parser("feedback", help="the stored feedback rows as JSON")
    fb.add_argument("--since", help="only rows recorded since this date (UTC)")
    fb.add_argument("--db", type=Path, help="audit database (default: AUDIT_DB)")
    return p


def serve(host: str, port: int) -> int:
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        return fail([{"field": "environment", "message": str(exc)}])
    if not settings.jwt and not loopback(host):
        return fail(
            [
                {
                    "field": "--host",
                    "message": f"{host} is not loopback: without client JWT verification (CDS_JWKS_URL, "
                    f"CDS_JWKS_FILE or CDS_JWT_PUBLIC_KEY_FILE, with CDS_BASE_URL) the service serves 127.0.0.1 only",
                }
            ]
        )
    from aiohttp import web

    from .server import make_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("cds").info(
        "CDS Hooks service on http://%s:%d (client JWT %s)", host, port, "required" if settings.jwt else "off"
    )
    web.run_app(make_app(settings), host=host, port=port, access_log=None, print=None)
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    args = parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.command == "serve":
        return serve(args.host, args.port)
    if args.command == "request":
        from .demo import load, request

        if args.hook != "patient-view" and not args.draft:
            return fail([{"field": "--draft", "message": f"{args.hook} needs the draft MedicationRequest"}])
        draft = load(str(args.draft)) if args.draft else None
        body = request(load(str(args.bundle)), args.hook, draft, prefetch=not args.no_prefetch)
        sys.stdout.write(json.dumps(body, indent=1) + "\n")
        return 0
    from audit import default_path

    from .feedback import FeedbackLog

    path = args.db or default_path()
    if not path.exists():  # reading never creates an empty database
        return fail([{"field": "--db", "message": f"no audit database at {path}"}])
    try:
        rows = FeedbackLog(path).rows(args.since)
    except ValueError as exc:
        return fail([{"field": "--since", "message": str(exc)}])
    sys.stdout.write(json.dumps(rows, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The HTTP service (aiohttp): discovery, the service calls and feedback, per CDS Hooks 2.0.1.

``GET /cds-services`` · ``POST /cds-services/{id}`` · ``POST /cds-services/{id}/feedback`` ·
``GET /health`` (for a supervisor; no data). Errors answer ``{"error": "..."}`` with 400 (not CDS
Hooks), 401 (client JWT refused), 404 (no such service), 412 (the FHIR data cannot be had) or 500.
The log at INFO holds the method, the path, the status, the number of cards and the time: never a
patient identifier, a value or a message.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import traceback
from typing import Any, Awaitable, Callable, Dict, Optional

import aiohttp
from aiohttp import web

from .case import case_from_chart
from .config import Settings
from .feedback import FeedbackLog
from .fetch import BadRequest, PreconditionFailed, gather
from .fhir import read_chart
from .security import ClientAuth, Unauthorized
from .services import PREFETCH, SERVICES, Call

logger = logging.getLogger("cds")
MAX_BODY = 16 * 1024 * 1024  # prefetched bundles of a long series can be large

SETTINGS = web.AppKey("settings", Settings)
AUTH = web.AppKey("auth", object)
SESSION = web.AppKey("session", aiohttp.ClientSession)
FEEDBACK = web.AppKey("feedback", object)


def error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


@web.middleware
async def guard(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]):
    """Client JWT (when configured), errors as JSON, and one log line per request without data."""
    start = time.perf_counter()
    try:
        auth: Optional[ClientAuth] = request.app[AUTH]
        if auth is not None and request.path != "/health":
            await auth.verify(request.headers.get("Authorization"), request.path, request.app[SESSION])
        response = await handler(request)
    except Unauthorized as exc:
        logger.info("%s %s refused: %s", request.method, request.path, exc)
        response = error(401, "a valid CDS client JWT is required")
        response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    except BadRequest as exc:
        response = error(400, str(exc))
    except PreconditionFailed as exc:
        response = error(412, str(exc))
    except web.HTTPException as exc:
        response = error(exc.status, exc.reason)
    except Exception as exc:  # the response and the log get no exception message (it may hold a value)
        frames = "".join(traceback.format_tb(exc.__traceback__))
        logger.error("%s %s failed: %s\n%s", request.method, request.path, exc.__class__.__name__, frames)
        response = error(500, "internal error")
    cards = request.get("cards")
    logger.info(
        "%s %s %d%s %.0f ms",
        request.method,
        request.path,
        response.status,
        f" ({cards} card(s))" if cards is not None else "",
        (time.perf_counter() - start) * 1000,
    )
    return response


async def discovery(request: web.Request) -> web.Response:
    return web.json_response({"services": [s.discovery() for s in SERVICES.values()]})


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def _body(request: web.Request) -> Dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise BadRequest("the body must be JSON") from None
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    return body


def _service(request: web.Request):
    service = SERVICES.get(request.match_info["id"])
    if service is None:
        raise web.HTTPNotFound(reason="no such CDS service")
    return service


async def call(request: web.Request) -> web.Response:
    service = _service(request)
    body = await _body(request)
    if body.get("hook") != service.hook:
        raise BadRequest(f"this service answers the {service.hook} hook")
    if not isinstance(body.get("hookInstance"), str) or not body["hookInstance"]:
        raise BadRequest("hookInstance is required")
    context = body.get("context")
    if not isinstance(context, dict) or not isinstance(context.get("patientId"), str):
        raise BadRequest("context.patientId is required")
    if body.get("fhirAuthorization") is not None and not body.get("fhirServer"):
        raise BadRequest("fhirAuthorization needs fhirServer")
    settings = request.app[SETTINGS]
    resources = await gather(body, PREFETCH, request.app[SESSION], settings.fhir_timeout_s)
    chart = read_chart(resources, context["patientId"])
    rc = case_from_chart(chart, dt.datetime.now(dt.timezone.utc).date())
    cards = service.run(Call(service.id, rc, context, settings.chat_url))
    request["cards"] = len(cards)
    return web.json_response({"cards": cards})


async def feedback(request: web.Request) -> web.Response:
    service = _service(request)
    stored = request.app[FEEDBACK].store(service.id, await _body(request))
    return web.json_response({"stored": stored})


async def _session(app: web.Application):
    app[SESSION] = aiohttp.ClientSession()
    yield
    await app[SESSION].close()


def make_app(settings: Settings, feedback_log: Optional[FeedbackLog] = None) -> web.Application:
    app = web.Application(middlewares=[guard], client_max_size=MAX_BODY)
    app[SETTINGS] = settings
    app[AUTH] = ClientAuth(settings) if settings.jwt else None
    app[FEEDBACK] = feedback_log or FeedbackLog()
    app.cleanup_ctx.append(_session)
    app.router.add_get("/health", health)
    app.router.add_get("/cds-services", discovery)
    app.router.add_post("/cds-services/{id}", call)
    app.router.add_post("/cds-services/{id}/feedback", feedback)
    return app

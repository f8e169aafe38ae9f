"""The HTTP service (aiohttp): discovery, the service calls and feedback, per CDS Hooks 2.0.1.

``GET /cds-services`` · ``POST /cds-services/{id}`` · ``POST /cds-services/{id}/feedback`` ·
``GET /health`` (for a supervisor; no data). Errors answer ``{"error": "..."}`` with 400 (not CDS
Hooks, or JSON nested deeper than ``MAX_DEPTH``), 401 (client JWT refused), 404 (no such service),
412 (the FHIR data cannot be had, within the call's deadline), 503 (the client's JWK Set cannot be
read) or 500 (a fault of the service). CORS (``CDS_CORS_ORIGINS``, off by default) answers browser
preflights and marks the answers to the allowed origins. The log at INFO holds the method, the path,
the status, the number of cards and the time: never a patient identifier, a value or a message.
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
from .security import ClientAuth, KeysUnavailable, Unauthorized
from .services import OPTIONAL, PREFETCH, SERVICES, Call, check_context

logger = logging.getLogger("cds")
MAX_BODY = 16 * 1024 * 1024  # prefetched bundles of a long series can be large
MAX_DEPTH = 64  # FHIR resources nest about 10 levels; a Bundle of Bundles a few more
CORS_HEADERS = "Authorization, Content-Type"

SETTINGS = web.AppKey("settings", Settings)
AUTH = web.AppKey("auth", object)
SESSION = web.AppKey("session", aiohttp.ClientSession)
FEEDBACK = web.AppKey("feedback", object)


def error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def _cors_origin(request: web.Request) -> Optional[str]:
    """The value of Access-Control-Allow-Origin for this request, or None (CORS off, or not allowed)."""
    origin = request.headers.get("Origin")
    allowed = request.app[SETTINGS].cors_origins
    if not origin or not allowed:
        return None
    return "*" if "*" in allowed else (origin if origin.rstrip("/") in allowed else None)


def _preflight(request: web.Request) -> Optional[web.Response]:
    """A browser's CORS preflight (OPTIONS with Access-Control-Request-Method): answered without a JWT."""
    if request.method != "OPTIONS" or "Access-Control-Request-Method" not in request.headers:
        return None
    if not request.app[SETTINGS].cors_origins:
        return None  # CORS off: 405 as any OPTIONS
    origin = _cors_origin(request)
    if origin is None:
        return error(403, "this origin is not allowed (CDS_CORS_ORIGINS)")
    response = web.Response(status=204)
    response.headers.update(
        {
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
            "Access-Control-Allow-Headers": CORS_HEADERS,
            "Access-Control-Max-Age": "600",
            "Vary": "Origin",
        }
    )
    return response


@web.middleware
async def guard(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]):
    """CORS, client JWT (when configured), errors as JSON, and one log line per request without data."""
    start = time.perf_counter()
    try:
        response = _preflight(request)
        if response is None:
            auth: Optional[ClientAuth] = request.app[AUTH]
            if auth is not None and request.path != "/health":
                await auth.verify(request.headers.get("Authorization"), request.path, request.app[SESSION])
            response = await handler(request)
    except Unauthorized as exc:
        logger.info("%s %s refused: %s", request.method, request.path, exc)
        response = error(401, "a valid CDS client JWT is required")
        response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    except KeysUnavailable as exc:
        logger.warning("%s %s not verified: %s", request.method, request.path, exc)
        response = error(503, "the client's keys (JWK Set) cannot be read now: try again")
        response.headers["Retry-After"] = "5"
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
    origin = _cors_origin(request)
    if origin is not None and "Access-Control-Allow-Origin" not in response.headers:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = "WWW-Authenticate, Retry-After"
        response.headers["Vary"] = "Origin"
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


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether JSON nests deeper than ``limit`` (checked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack += [(v, depth + 1) for v in item.values() if isinstance(v, (dict, list))]
        elif isinstance(item, list):
            stack += [(v, depth + 1) for v in item if isinstance(v, (dict, list))]
    return False


async def _body(request: web.Request) -> Dict[str, Any]:
    try:
        body = await request.json()
    except (ValueError, RecursionError):
        raise BadRequest("the body must be JSON (nested at most 64 levels)") from None
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    if too_deep(body):
        raise BadRequest(f"the body nests more than {MAX_DEPTH} levels deep")
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
    check_context(service.hook, context)
    settings = request.app[SETTINGS]
    gathered = await gather(
        body, PREFETCH, OPTIONAL, request.app[SESSION], settings.fhir_timeout_s, settings.fhir_deadline_s
    )
    chart = read_chart(gathered.resources, context["patientId"], gathered.unread)
    for note in gathered.notes:
        chart.note(note)
    rc = case_from_chart(chart, dt.datetime.now(dt.timezone.utc).date())
    if rc.undecidable and service.hook == "patient-view":  # an order hook says it on an imatinib draft's card
        raise PreconditionFailed("the record could not be read: " + "; ".join(rc.blocked))
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

"""The FHIR data of a call: the prefetch the client sent, and the rest read from its FHIR server.

A prefetch key that is present is used as given (``null`` means the client has no such data); a key
that is absent is read from ``fhirServer`` with the request's own prefetch template, the bearer token
of ``fhirAuthorization`` and ``Accept: application/fhir+json``, following a searchset's ``next`` links
on the same server only (the token never leaves it). When data is needed and cannot be had (no
``fhirServer``, an error, a time-out), the call answers 412 Precondition Failed, as CDS Hooks says.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Mapping, Optional
from urllib.parse import quote, urljoin

import aiohttp

MAX_PAGES = 20
_TOKEN = re.compile(r"\{\{\s*context\.(\w+)\s*\}\}")


class PreconditionFailed(Exception):
    """The service cannot obtain the data it needs (HTTP 412)."""


class BadRequest(Exception):
    """The request does not follow CDS Hooks (HTTP 400)."""


def render(template: str, context: Mapping[str, Any]) -> str:
    """A prefetch template with its ``{{context.x}}`` tokens replaced (values URL-encoded)."""

    def sub(m: "re.Match[str]") -> str:
        value = context.get(m.group(1))
        if not isinstance(value, (str, int)):
            raise BadRequest(f"context.{m.group(1)} is needed by the prefetch template")
        return quote(str(value), safe="")

    return _TOKEN.sub(sub, template)


def _same_server(url: str, base: str) -> bool:
    return url.startswith(base.rstrip("/") + "/")


async def _get(session: aiohttp.ClientSession, url: str, token: Optional[str], timeout: float) -> Dict[str, Any]:
    headers = {"Accept": "application/fhir+json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        async with session.get(url, headers=headers, timeout=aiohttp.ClientTimeout(total=timeout)) as resp:
            if resp.status != 200:
                raise PreconditionFailed(f"the FHIR server answered {resp.status}")
            data = await resp.json(content_type=None)
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        raise PreconditionFailed(f"the FHIR server could not be read ({exc.__class__.__name__})") from None
    if not isinstance(data, dict) or "resourceType" not in data:
        raise PreconditionFailed("the FHIR server did not answer with a FHIR resource")
    return data


async def search(
    session: aiohttp.ClientSession, server: str, query: str, token: Optional[str], timeout: float
) -> List[Dict[str, Any]]:
    """Every page of one search (or the one resource of a read)."""
    base = server.rstrip("/") + "/"
    url: Optional[str] = urljoin(base, query)
    pages = []
    while url and len(pages) < MAX_PAGES:
        page = await _get(session, url, token, timeout)
        pages.append(page)
        url = next((link.get("url") for link in page.get("link") or [] if link.get("relation") == "next"), None)
        if url and not _same_server(url, base):
            raise PreconditionFailed("a next link points to another server")
    if url:
        raise PreconditionFailed(f"more than {MAX_PAGES} pages of results")
    return pages


async def gather(
    body: Mapping[str, Any], templates: Mapping[str, str], session: aiohttp.ClientSession, timeout: float
) -> List[Dict[str, Any]]:
    """The resources of every prefetch template: from ``prefetch`` or, for absent keys, from the FHIR server."""
    prefetch = body.get("prefetch") or {}
    if not isinstance(prefetch, dict):
        raise BadRequest("prefetch must be an object")
    context = body["context"]
    out: List[Dict[str, Any]] = []
    absent = []
    for key, template in templates.items():
        if key not in prefetch:
            absent.append(template)
        elif prefetch[key] is not None:
            if not isinstance(prefetch[key], dict):
                raise BadRequest(f"prefetch.{key} must be a FHIR resource or null")
            out.append(prefetch[key])
    if not absent:
        return out
    server = body.get("fhirServer")
    if not isinstance(server, str) or not server.startswith(("http://", "https://")):
        raise PreconditionFailed("prefetch data is missing and no fhirServer was given to read it from")
    auth = body.get("fhirAuthorization") or {}
    token = auth.get("access_token") if isinstance(auth, dict) else None
    for template in absent:
        out += await search(session, server, render(template, context), token, timeout)
    return out

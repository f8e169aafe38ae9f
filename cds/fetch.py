"""The FHIR data of a call: the prefetch the client sent, and the rest read from its FHIR server.

A prefetch key that is present is used as given (``null`` means the client has no such data); a key
that is absent is read from ``fhirServer`` with the request's own prefetch template, the bearer token
of ``fhirAuthorization`` and ``Accept: application/fhir+json``. A searchset's ``next`` links are
followed, for prefetch (CDS Hooks: "a CDS Client MAY paginate prefetch results") as for the service's
own searches, on ``fhirServer`` only: a link or a redirect to another server is never followed, so the
token never leaves it. Each answer is capped in size (``MAX_ANSWER_BYTES``), a search in pages
(``MAX_PAGES``) and a call in bytes (``MAX_CALL_BYTES``). A ``medicationReference`` to a Medication
that is neither contained nor in the prefetch is read as ``Medication/{id}`` (at most
``MAX_MEDICATION_READS`` a call).

All reads of a call run in parallel under one deadline (``CDS_FHIR_DEADLINE``); each read also has its
own time-out (``CDS_FHIR_TIMEOUT``). What cannot be had, and what the EHR says it could not give:

- the data of a required template (``REQUIRED``: conditions, results, orders) cannot be had (no
  ``fhirServer``, an HTTP error, a time-out, the deadline, a ``next`` link or a redirect to another
  server, too many pages, too large an answer): the call answers 412 Precondition Failed, as CDS
  Hooks says;
- an optional template (MedicationStatement, Goal) that cannot be had is dropped, and said;
- an OperationOutcome in place of the data (in prefetch, or as the FHIR server's answer), or an
  error OperationOutcome inside a searchset: the EHR says it could not give that data; the resource
  kind is *unread*, and the service says so (``Gathered.unread``; ``cds.case`` decides what can
  still be said). A warning or information OperationOutcome is kept as a note for the card.

Nothing here is logged: the reasons go into the 412 body or onto the card, never a patient value.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple
from urllib.parse import quote, urljoin, urlsplit

import aiohttp

MAX_PAGES = 20
MAX_ANSWER_BYTES = 8 * 1024 * 1024
MAX_CALL_BYTES = 32 * 1024 * 1024
MAX_MEDICATION_READS = 10
MAX_REDIRECTS = 3
_TOKEN = re.compile(r"\{\{\s*context\.(\w+)\s*\}\}")
_REDIRECTS = (301, 302, 303, 307, 308)
READ_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError, TimeoutError, ValueError, RecursionError)
# On Python 3.10 aiohttp raises asyncio.TimeoutError, which is not the builtin TimeoutError.


class PreconditionFailed(Exception):
    """The service cannot obtain the data it needs (HTTP 412)."""


class BadRequest(Exception):
    """The request does not follow CDS Hooks (HTTP 400)."""


class _Unread(Exception):
    """The EHR says it could not give this data (an OperationOutcome instead of it)."""


def render(template: str, context: Mapping[str, Any]) -> str:
    """A prefetch template with its ``{{context.x}}`` tokens replaced (values URL-encoded)."""

    def sub(m: "re.Match[str]") -> str:
        value = context.get(m.group(1))
        if not isinstance(value, (str, int)):
            raise BadRequest(f"context.{m.group(1)} is needed by the prefetch template")
        return quote(str(value), safe="")

    return _TOKEN.sub(sub, template)


def kind_of(template: str) -> str:
    """The resource type a prefetch template reads: ``Observation?patient=…`` → ``Observation``."""
    return template.split("?", 1)[0].split("/", 1)[0]


def _origin(url: str) -> Tuple[str, str, Optional[int]]:
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port or default


def same_server(url: str, server: str) -> bool:
    """``url`` is on ``fhirServer``: same scheme, host and port, and under its base path."""
    try:
        if _origin(url) != _origin(server):
            return False
        base = urlsplit(server).path.rstrip("/") + "/"
        return (urlsplit(url).path.rstrip("/") + "/").startswith(base)
    except ValueError:  # a port that is not a number
        return False


def issues(outcome: Mapping[str, Any]) -> str:
    """What an OperationOutcome says, in a few words (its codes and texts, at most 200 characters)."""
    said = []
    for issue in outcome.get("issue") or []:
        if not isinstance(issue, dict):
            continue
        details = issue.get("details") if isinstance(issue.get("details"), dict) else {}
        text = details.get("text") or issue.get("diagnostics") or issue.get("code") or "no details"
        said.append(f"{issue.get('severity', 'error')}: {text}")
    text = "; ".join(str(s) for s in said) or "no issue given"
    return text if len(text) <= 200 else text[:199] + "…"


def _outcome_entries(bundle: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    for e in bundle.get("entry") or []:
        if isinstance(e, dict) and isinstance(e.get("resource"), dict):
            if e["resource"].get("resourceType") == "OperationOutcome":
                yield e["resource"]


def _next(page: Mapping[str, Any]) -> Optional[str]:
    for link in page.get("link") or []:
        if isinstance(link, dict) and link.get("relation") == "next" and isinstance(link.get("url"), str):
            return link["url"]
    return None


class Deadline:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.end - time.monotonic()


@dataclass
class Gathered:
    """The resources of a call (Bundles as read), what could not be read and what the EHR noted."""

    resources: List[Dict[str, Any]] = field(default_factory=list)
    unread: Dict[str, str] = field(default_factory=dict)  # resource type → why it was not (fully) read
    notes: List[str] = field(default_factory=list)
    reads: int = 0  # requests made to the FHIR server


class FHIRClient:
    """The reads of one call from ``fhirServer``: same server only, capped, under the call's deadline."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        server: Optional[str],
        token: Optional[str],
        read_timeout: float,
        deadline: Deadline,
    ):
        self.session = session
        self.server = server
        self.token = token
        self.read_timeout = read_timeout
        self.deadline = deadline
        self.bytes = 0
        self.reads = 0

    async def get(self, url: str) -> Dict[str, Any]:
        """One FHIR resource read from ``url`` (a relative URL is taken on ``fhirServer``)."""
        if self.server is None:
            raise PreconditionFailed("no fhirServer was given to read it from")
        url = urljoin(self.server.rstrip("/") + "/", url)
        if not same_server(url, self.server):
            raise PreconditionFailed("a link points to another server than fhirServer (not followed)")
        headers = {"Accept": "application/fhir+json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        for _ in range(MAX_REDIRECTS + 1):
            remaining = self.deadline.remaining()
            if remaining <= 0:
                raise PreconditionFailed(self._late())
            timeout = aiohttp.ClientTimeout(total=min(self.read_timeout, remaining))
            self.reads += 1
            try:
                async with self.session.get(url, headers=headers, timeout=timeout, allow_redirects=False) as resp:
                    if resp.status in _REDIRECTS:
                        url = urljoin(url, resp.headers.get("Location", ""))
                        if not same_server(url, self.server):
                            raise PreconditionFailed(
                                "the FHIR server redirected to another server (not followed: the token stays on "
                                "fhirServer)"
                            )
                        continue
                    if resp.status != 200:
                        raise PreconditionFailed(f"the FHIR server answered {resp.status}")
                    data = json.loads(await self._body(resp))
            except (asyncio.TimeoutError, TimeoutError):
                raise PreconditionFailed(self._late()) from None
            except READ_ERRORS as exc:
                raise PreconditionFailed(f"the FHIR server could not be read ({exc.__class__.__name__})") from None
            if not isinstance(data, dict) or not isinstance(data.get("resourceType"), str):
                raise PreconditionFailed("the FHIR server did not answer with a FHIR resource")
            return data
        raise PreconditionFailed(f"the FHIR server redirected more than {MAX_REDIRECTS} times")

    def _late(self) -> str:
        if self.deadline.remaining() <= 0:
            return f"the FHIR server did not answer within the call's deadline ({self.deadline.seconds:g} s)"
        return f"the FHIR server did not answer within {self.read_timeout:g} s"

    async def _body(self, resp: aiohttp.ClientResponse) -> bytes:
        if resp.content_length is not None and resp.content_length > MAX_ANSWER_BYTES:
            raise PreconditionFailed(f"an answer of the FHIR server is larger than {MAX_ANSWER_BYTES >> 20} MB")
        chunks = []
        size = 0
        async for chunk in resp.content.iter_chunked(1 << 16):
            size += len(chunk)
            self.bytes += len(chunk)
            if size > MAX_ANSWER_BYTES:
                raise PreconditionFailed(f"an answer of the FHIR server is larger than {MAX_ANSWER_BYTES >> 20} MB")
            if self.bytes > MAX_CALL_BYTES:
                raise PreconditionFailed(f"the FHIR server's answers to this call exceed {MAX_CALL_BYTES >> 20} MB")
            chunks.append(chunk)
        return b"".join(chunks)

    async def pages(self, first: Dict[str, Any]) -> List[Dict[str, Any]]:
        """``first`` and the pages its ``next`` links lead to (an OperationOutcome page: ``_Unread``)."""
        pages = [first]
        url = _next(first)
        while url:
            if len(pages) >= MAX_PAGES:
                raise PreconditionFailed(f"more than {MAX_PAGES} pages of results")
            if self.server is None:
                raise PreconditionFailed(f"page {len(pages) + 1} is behind a next link and no fhirServer was given")
            try:
                page = await self.get(url)
            except PreconditionFailed as exc:
                raise PreconditionFailed(f"page {len(pages) + 1} could not be read: {exc}") from None
            if page.get("resourceType") == "OperationOutcome":
                raise _Unread(
                    f"page {len(pages) + 1}: the FHIR server answered with an OperationOutcome ({issues(page)})"
                )
            pages.append(page)
            url = _next(page)
        return pages


def _searchsets(value: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The Bundles of a prefetch value that can have pages: the value, or the Bundles of a batch-response."""
    if value.get("resourceType") != "Bundle":
        return []
    inner = [
        e["resource"]
        for e in value.get("entry") or []
        if isinstance(e, dict) and isinstance(e.get("resource"), dict) and e["resource"].get("resourceType") == "Bundle"
    ]
    return inner if value.get("type") in ("batch-response", "transaction-response") and inner else [value]


async def _one(
    client: FHIRClient, prefetched: Optional[Dict[str, Any]], query: Optional[str]
) -> Tuple[List[Dict[str, Any]], List[str]]:
    """The pages of one template (from prefetch, or read with ``query``) and the EHR's notes on them."""
    if prefetched is None:
        prefetched = await client.get(query or "")
    if prefetched.get("resourceType") == "OperationOutcome":
        raise _Unread(f"an OperationOutcome instead of the data ({issues(prefetched)})")
    out = [prefetched]
    notes: List[str] = []
    for bundle in _searchsets(prefetched):
        pages = await client.pages(bundle)
        out += pages[1:]
        for page in pages:
            for outcome in _outcome_entries(page):
                severities = {i.get("severity") for i in outcome.get("issue") or [] if isinstance(i, dict)}
                if severities & {"error", "fatal"}:
                    raise _Unread(f"the search reported an error ({issues(outcome)})")
                notes.append(issues(outcome))
    return out, notes


async def gather(
    body: Mapping[str, Any],
    templates: Mapping[str, str],
    optional: Iterable[str],
    session: aiohttp.ClientSession,
    read_timeout: float,
    deadline: float,
) -> Gathered:
    """The resources of every prefetch template, read in parallel under one deadline (see the module)."""
    prefetch = body.get("prefetch") or {}
    if not isinstance(prefetch, dict):
        raise BadRequest("prefetch must be an object")
    context = body["context"]
    server = body.get("fhirServer")
    if server is not None and (not isinstance(server, str) or not server.startswith(("http://", "https://"))):
        server = None  # a fhirServer that is not an http(s) URL cannot be read: as if none were given
    auth = body.get("fhirAuthorization") or {}
    token = auth.get("access_token") if isinstance(auth, dict) else None
    client = FHIRClient(session, server, token if isinstance(token, str) else None, read_timeout, Deadline(deadline))
    optional = set(optional)
    jobs: Dict[str, Any] = {}
    for key, template in templates.items():
        if key in prefetch and prefetch[key] is None:
            continue  # the client has no such data
        if key in prefetch:
            if not isinstance(prefetch[key], dict):
                raise BadRequest(f"prefetch.{key} must be a FHIR resource or null")
            jobs[key] = _one(client, prefetch[key], None)
        else:
            jobs[key] = _one(client, None, render(template, context))
    out = Gathered()
    results = await _run(jobs)
    for key, result in results.items():
        kind = kind_of(templates[key])
        if isinstance(result, _Unread):
            out.unread[kind] = str(result)
        elif isinstance(result, PreconditionFailed):
            if key not in optional:
                where = "read" if key not in prefetch else "read in full (the prefetch has further pages)"
                raise PreconditionFailed(f"{key} could not be {where}: {result}")
            out.unread[kind] = str(result)
        elif isinstance(result, BaseException):
            raise result
        else:
            pages, notes = result
            out.resources += pages
            out.notes += [f"The EHR's answer for {key} notes: {n}" for n in notes]
    await _medications(client, out)
    out.reads = client.reads
    return out


async def _run(jobs: Mapping[str, Any]) -> Dict[str, Any]:
    """Every job's result or its exception (one job failing does not stop the others)."""
    results = await asyncio.gather(*jobs.values(), return_exceptions=True)
    return dict(zip(jobs.keys(), results, strict=True))


def _entries(resources: Iterable[Dict[str, Any]]) -> Iterable[Dict[str, Any]]:
    """Every resource inside ``resources`` (Bundles opened), each once."""
    stack = list(resources)
    while stack:
        item = stack.pop()
        if not isinstance(item, dict):
            continue
        if item.get("resourceType") == "Bundle":
            stack += [e.get("resource") for e in item.get("entry") or [] if isinstance(e, dict)]
        else:
            yield item


def unresolved_medications(resources: Iterable[Dict[str, Any]]) -> List[str]:
    """``Medication/{id}`` references of orders and statements whose Medication is not in hand, nor named."""
    resources = list(resources)
    have = {f"Medication/{r.get('id')}" for r in _entries(resources) if r.get("resourceType") == "Medication"}
    wanted: List[str] = []
    for r in _entries(resources):
        if r.get("resourceType") not in ("MedicationRequest", "MedicationStatement"):
            continue
        ref = r.get("medicationReference")
        if not isinstance(ref, dict) or ref.get("display") or not isinstance(ref.get("reference"), str):
            continue
        m = re.search(r"(?:^|/)(Medication/[A-Za-z0-9\-.]{1,64})(?:/_history/[^/]+)?$", ref["reference"])
        if m and m.group(1) not in have and m.group(1) not in wanted:
            wanted.append(m.group(1))
    return wanted


async def _medications(client: FHIRClient, out: Gathered) -> None:
    """Read the Medications that orders name only by reference (when there is a fhirServer to read them)."""
    if client.server is None:
        return
    wanted = unresolved_medications(out.resources)[:MAX_MEDICATION_READS]
    results = await _run({ref: client.get(ref) for ref in wanted})
    for result in results.values():
        if isinstance(result, dict) and result.get("resourceType") == "Medication":
            out.resources.append(result)
        elif isinstance(result, BaseException) and not isinstance(result, (PreconditionFailed, _Unread)):
            raise result
        # otherwise the Medication stays unknown: the reader says which order it leaves unread

"""CDS Hooks feedback (accepted / overridden) in the audit database, with no patient identifier.

One row per feedback item in the table ``cds_feedback`` of the audit database (``AUDIT_DB``, the
chat's audit trail; ``audit.AuditLog`` opens it and holds its salt). The card's uuid is kept
only as an HMAC with the audit salt, the same hash as the ``conversation`` of the card's own row in
``recommendations`` (``cds.services.record``), so an auditor can join a card and its outcome. An
override reason keeps its system, code and display; the clinician's free-text ``userComment`` is
never stored (it may name the patient): only whether there was one. Rows age out with the audit
trail's retention (``python -m audit purge``).
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional

from audit import AuditLog
from knowledge.audit import conversation_hash, now_iso, parse_since

from .fetch import BadRequest

TABLE = "cds_feedback"
SCHEMA = {
    "id": int,
    "recorded_at": str,
    "service": str,
    "card": str,
    "outcome": str,
    "outcome_at": str,
    "accepted_suggestions": str,
    "reason_system": str,
    "reason_code": str,
    "reason_display": str,
    "comment_given": int,
}
OUTCOMES = ("accepted", "overridden")
MAX_TEXT = 200  # a coding's display is kept up to this length


def _text(value: Any, where: str) -> Optional[str]:
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadRequest(f"{where} must be a string")
    return value[:MAX_TEXT]


# RFC 3339 section 5.6 date-time: any number of fractional digits, "T" and "Z" in either case, an
# offset required (CDS Hooks feedback: "outcomeTimestamp … e.g. 1985-04-12T23:20:50.52Z").
_RFC3339 = re.compile(r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))")


def rfc3339(value: Any, where: str) -> str:
    """An RFC 3339 date-time as the stored UTC time; a date alone or a time without offset is refused."""
    m = _RFC3339.fullmatch(value) if isinstance(value, str) else None
    problem = f"{where} must be an RFC 3339 date-time with an offset, e.g. 1985-04-12T23:20:50.52Z"
    if m is None:
        raise BadRequest(problem)
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    micro = int((m.group(7) or "0")[:6].ljust(6, "0"))
    offset = timedelta(0)
    if m.group(9):
        if int(m.group(10)) > 23 or int(m.group(11)) > 59:
            raise BadRequest(problem)
        offset = timedelta(hours=int(m.group(10)), minutes=int(m.group(11))) * (1 if m.group(9) == "+" else -1)
    leap = second == 60  # a leap second: RFC 3339 allows :60; Python's datetime has no such second
    try:
        at = datetime(year, month, day, hour, minute, 59 if leap else second, micro, tzinfo=timezone(offset))
    except ValueError:
        raise BadRequest(problem) from None
    return now_iso(at + timedelta(seconds=1) - timedelta(microseconds=micro) if leap else at)


def _row(service: str, item: Any, salt: bytes, i: int) -> Dict[str, Any]:
    where = f"feedback[{i}]"
    if not isinstance(item, dict):
        raise BadRequest(f"{where} must be an object")
    card, outcome, at = item.get("card"), item.get("outcome"), item.get("outcomeTimestamp")
    if not isinstance(card, str) or not card:
        raise BadRequest(f"{where}.card (the card's uuid) is required")
    if outcome not in OUTCOMES:
        raise BadRequest(f"{where}.outcome must be accepted or overridden")
    outcome_at = rfc3339(at, f"{where}.outcomeTimestamp")
    accepted = item.get("acceptedSuggestions") or []
    if outcome == "accepted" and not accepted:
        raise BadRequest(f"{where}.acceptedSuggestions is required when the outcome is accepted")
    if not isinstance(accepted, list) or not all(
        isinstance(s, dict) and isinstance(s.get("id"), str) for s in accepted
    ):
        raise BadRequest(f"{where}.acceptedSuggestions must be a list of {{id}} objects")
    reason = item.get("overrideReason") or {}
    if not isinstance(reason, dict):
        raise BadRequest(f"{where}.overrideReason must be an object")
    coding = reason.get("reason") or {}
    if not isinstance(coding, dict):
        raise BadRequest(f"{where}.overrideReason.reason must be a Coding")
    return {
        "recorded_at": now_iso(),
        "service": service,
        "card": conversation_hash(card, salt),
        "outcome": outcome,
        "outcome_at": outcome_at,
        "accepted_suggestions": json.dumps([conversation_hash(s["id"], salt) for s in accepted]),
        "reason_system": _text(coding.get("system"), f"{where}.overrideReason.reason.system"),
        "reason_code": _text(coding.get("code"), f"{where}.overrideReason.reason.code"),
        "reason_display": _text(coding.get("display"), f"{where}.overrideReason.reason.display"),
        "comment_given": int(bool(reason.get("userComment"))),
    }


class FeedbackLog:
    def __init__(self, path: Optional[Path] = None):
        self.audit = AuditLog(path)
        self.db = self.audit.db
        if TABLE not in self.db.table_names():
            self.db[TABLE].create(SCHEMA, pk="id", not_null={"recorded_at", "card", "outcome"}, if_not_exists=True)
            self.db[TABLE].create_index(["recorded_at"], if_not_exists=True)

    def store(self, service: str, body: Mapping[str, Any]) -> int:
        """Validate every item first, then store them all; returns how many."""
        items = body.get("feedback") if isinstance(body, Mapping) else None
        if not isinstance(items, list) or not items:
            raise BadRequest("feedback must be a non-empty array")
        rows = [_row(service, item, self.audit.salt, i) for i, item in enumerate(items)]
        with self.db.conn:
            self.db[TABLE].insert_all(rows)
        return len(rows)

    def rows(self, since: Optional[str] = None) -> List[Dict[str, Any]]:
        where, args = ("recorded_at >= ?", [parse_since(since)]) if since else (None, [])
        out = []
        for row in self.db[TABLE].rows_where(where, args, order_by="id"):
            row["accepted_suggestions"] = json.loads(row["accepted_suggestions"] or "[]")
            out.append(row)
        return out

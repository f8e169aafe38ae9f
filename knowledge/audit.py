"""The audit row of one recommendation: what is kept and how rows are exported. No storage here.

A row holds when, a salted hash of the conversation id (never the id itself), the channel, the
normalised inputs the decision module received (numbers, codes and choices: no free text, no names),
the rule-set version, the rules fired, the codes, the citations and the most severe indicator. The
same conversation always gets the same hash, so an auditor can group rows, but the id cannot be
recovered without the salt. Storage (SQLite, the salt, the environment) is ``audit/__init__.py``.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
from datetime import datetime, timezone
from typing import Any, Dict, Iterable, List, Mapping, Optional

from .vocab import INDICATORS

TABLE = "recommendations"
JSON_COLUMNS = ("inputs", "rules_fired", "codes", "citations")
COLUMNS = (
    "id",
    "recorded_at",
    "conversation",
    "channel",
    "assessment",
    "rule_set_version",
    "indicator",
    "response_status",
) + JSON_COLUMNS
SCHEMA = {
    "id": int,
    "recorded_at": str,
    "conversation": str,
    "channel": str,
    "assessment": str,
    "rule_set_version": str,
    "indicator": str,
    "response_status": str,
    "inputs": str,
    "rules_fired": str,
    "codes": str,
    "citations": str,
}


def conversation_hash(conversation_id: str, salt: bytes) -> str:
    return hmac.new(salt, conversation_id.encode("utf-8"), hashlib.sha256).hexdigest()


def now_iso(at: Optional[datetime] = None) -> str:
    at = at or datetime.now(timezone.utc)
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_since(text: str) -> str:
    """``2026-11-01`` or an ISO date-time (UTC unless it says otherwise) → the stored time format."""
    try:
        at = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"expected a date like 2026-11-01 or 2026-11-01T08:30, got {text[:40]!r}") from None
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    return now_iso(at)


def audit_row(
    conversation: str,
    channel: Optional[str],
    inputs: Mapping[str, Any],
    assessment: Mapping[str, Any],
    at: Optional[datetime] = None,
) -> Dict[str, Any]:
    """The row of one recommendation; ``conversation`` is already hashed, ``assessment`` is a dict."""
    recs = assessment.get("recommendations") or []
    citations: List[str] = []
    for r in recs:
        citations += [k for k in r.get("citations") or [] if k not in citations]
    indicators = [r.get("indicator") for r in recs if r.get("indicator") in INDICATORS]
    return {
        "recorded_at": now_iso(at),
        "conversation": conversation,
        "channel": channel or "unknown",
        "assessment": assessment.get("assessment"),
        "rule_set_version": assessment.get("rule_set_version"),
        "indicator": max(indicators, key=INDICATORS.index, default=None),  # the most severe
        "response_status": assessment.get("response_status"),
        "inputs": json.dumps(dict(inputs), sort_keys=True),
        "rules_fired": json.dumps(list(assessment.get("rules_fired") or [])),
        "codes": json.dumps([r.get("code") for r in recs]),
        "citations": json.dumps(citations),
    }


def export(rows: Iterable[Dict[str, Any]], fmt: str) -> str:
    rows = list(rows)
    if fmt == "json":
        return json.dumps(rows, indent=1, ensure_ascii=False) + "\n"
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: json.dumps(v) if k in JSON_COLUMNS else v for k, v in row.items()})
    return buf.getvalue()

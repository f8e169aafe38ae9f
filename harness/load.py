"""Concurrent complete assessments through the REST webhook, checked against the audit trail.

Used by tests/e2e/test_load.py (50 conversations in `make test`) and bench/bench_load.py (figures).
"""

from __future__ import annotations

import threading
import time
from typing import Any, Dict, List

from audit import AuditLog
from harness.servers import Servers, cards, p50_p95, run_users
from knowledge.audit import conversation_hash

SCRIPTS = [
    [
        "hello",
        "can I reduce the dose? 400 mg for 5 years, BCR-ABL 0.008 %, MMR 30 months, grade 2 oedema, wants a lower dose",
        "never misses",
        "no",
    ],
    ["interpret a trough level", "2.1 µmol/L", "24 h", "10 days", "400 mg", "95 %", "grade 1", "12 months", "0.05 %"],
    ["check after a dose reduction", "0.15 %", "400 mg"],
    ["my patient has a kinase domain mutation, help me choose the TKI", "T315I"],
    ["assess response for my patient", "a year and a half", "0.5 %"],
]


def run_conversations(servers: Servers, conversations: int, tag: str) -> Dict[str, Any]:
    """``conversations`` users at once, each through one complete assessment; returns the figures."""
    latencies: List[float] = []
    errors: List[str] = []
    recommendations: Dict[str, int] = {}
    lock = threading.Lock()
    start = threading.Barrier(conversations)

    def user(i: int) -> None:
        sender = f"load-{tag}-{i}"
        given = 0
        start.wait()
        for text in SCRIPTS[i % len(SCRIPTS)]:
            t0 = time.perf_counter()
            try:
                reply = servers.say(sender, text)
            except Exception as e:  # counted and reported
                with lock:
                    errors.append(f"{sender}: {e!r}")
                continue
            with lock:
                latencies.append((time.perf_counter() - t0) * 1000)
            given += len(cards(reply))
        with lock:
            recommendations[sender] = given

    wall = run_users(user, conversations)
    audit = audit_rows(servers, recommendations, expected=sum(recommendations.values()))
    p50, p95 = p50_p95(latencies)
    return {
        "conversations": conversations,
        "turns": len(latencies),
        "errors": errors,
        "wall_s": wall,
        "turns_per_s": len(latencies) / wall,
        "p50_ms": p50,
        "p95_ms": p95,
        "recommendations": sum(recommendations.values()),
        "audit_rows": sum(audit.values()),
        "per_conversation": {s: (recommendations[s], audit.get(s, 0)) for s in recommendations},
    }


def audit_rows(servers: Servers, senders: Dict[str, int], expected: int, wait_s: float = 15) -> Dict[str, int]:
    """Audit rows per sender; waits (up to ``wait_s``) for the writer thread to catch up."""
    deadline = time.time() + wait_s
    while True:
        log = AuditLog(servers.audit_db)
        by_hash = {conversation_hash(s, log.salt): s for s in senders}
        counts: Dict[str, int] = {}
        for row in log.rows():
            if row["conversation"] in by_hash:
                counts[by_hash[row["conversation"]]] = counts.get(by_hash[row["conversation"]], 0) + 1
        if sum(counts.values()) >= expected or time.time() > deadline:
            return counts
        time.sleep(0.2)

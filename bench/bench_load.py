"""Load benchmark: N concurrent conversations through complete assessments (REST webhook), with the
audit trail checked: errors, turns per second, p50/p95 per turn, recommendations vs audit rows.

Usage: .venv/bin/python -m bench.bench_load [--conversations 50 100]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from harness.load import run_conversations
from harness.servers import Servers, train

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--conversations", type=int, nargs="+", default=[50, 100])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        servers = Servers(train(), Path(tmp)).start()
        try:
            servers.say("warmup", "hello")
            rows = [run_conversations(servers, n, f"bench{n}") for n in args.conversations]
        finally:
            servers.stop()
    print("Concurrent complete assessments (REST webhook, one Rasa server, one action server, SQLite)")
    print(
        f"{'conversations':>13} {'turns':>6} {'errors':>6} {'turns/s':>8} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'recommendations':>15} {'audit rows':>10}"
    )
    for r in rows:
        print(
            f"{r['conversations']:>13} {r['turns']:>6} {len(r['errors']):>6} {r['turns_per_s']:>8.1f} "
            f"{r['p50_ms']:>7.0f} {r['p95_ms']:>7.0f} {r['recommendations']:>15} {r['audit_rows']:>10}"
        )


if __name__ == "__main__":
    main()

"""Scale-out benchmark: the same concurrent load on 1 and on 2 Rasa instances sharing a PostgreSQL
tracker store and a Redis lock store (scripts/cluster.sh), side by side; a single SQLite server
(`make run`) as the reference. Per-turn latency of complete scripted conversations through REST.

Usage: .venv/bin/python -m bench.bench_scale [--users 20] [--rounds 3]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench.bench_rest import OURS, run_load
from harness.cluster import Cluster
from harness.servers import Servers, train
from harness.stores import LocalPostgres, LocalRedis

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    model = train()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "sqlite").mkdir()
        single = Servers(model, tmp / "sqlite").start()
        try:
            single.say("warmup", "hello")
            rows.append(("1 server, SQLite, in-process locks", run_load(single.say, OURS, args.users, args.rounds)))
        finally:
            single.stop()
        pg, redis = LocalPostgres().start(), LocalRedis(tmp).start()
        try:
            for n in (1, 2):
                (tmp / f"c{n}").mkdir()
                cluster = Cluster(model, tmp / f"c{n}", pg.url, redis.url, rasa=n, actions=n).start()
                try:
                    for i in range(n):
                        cluster.say(i, f"warmup-{i}", "hello")

                    def say(sender: str, text: str, cluster=cluster, n=n):
                        user = int(sender.split("-")[2])  # bench-<users>-<user>-<round>-<ns>
                        return cluster.say(user % n, sender, text)

                    rows.append(
                        (
                            f"{n} Rasa + {n} action servers, PostgreSQL + Redis",
                            run_load(say, OURS, args.users, args.rounds),
                        )
                    )
                finally:
                    cluster.stop()
        finally:
            pg.stop()
            redis.stop()
    print(f"Same load: {args.users} concurrent users x {args.rounds} complete conversations each (2 cores)")
    print(f"{'set-up':<50} {'turns/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>6}")
    for name, r in rows:
        print(f"{name:<50} {r['turns_per_s']:>8.1f} {r['p50']:>8.0f} {r['p95']:>8.0f} {r['errors']:>6}")


if __name__ == "__main__":
    main()

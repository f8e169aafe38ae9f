"""How long a conversation waits after the instance handling its message is killed (two Rasa instances,
PostgreSQL + Redis, ``scripts/cluster.sh``): with Rasa's Redis lock store behaviour (the dead instance's
ticket holds the conversation for the ticket's lifetime) and with the dead holder detected
(``bot/custom/lock_store.py``). The scenario is tests/e2e/test_scale.py's: instance 0's action server is
paused, instance 0 is killed in the middle of a message, the next message goes to instance 1.

Usage: .venv/bin/python -m bench.bench_lock
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from harness.cluster import Cluster
from harness.servers import train
from harness.stores import LocalPostgres, LocalRedis


def main() -> None:
    model = train()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        pg, redis = LocalPostgres().start(), LocalRedis(tmp).start()
        try:
            for mode in ("off", "detect"):
                (tmp / mode).mkdir()
                cluster = Cluster(model, tmp / mode, pg.url, redis.url, rasa=2, actions=2)
                cluster.env["LOCK_DEAD_HOLDERS"] = mode
                cluster.start()
                try:
                    waits = [cluster.held_wait(f"bench-lock-{mode}-{i}") for i in range(2)]
                finally:
                    cluster.stop()
                label = "Rasa's lock store (ticket lasts its lifetime)" if mode == "off" else "dead holder detected"
                print(f"{label:48} next message waited {', '.join(f'{w:.1f}' for w in waits)} s")
        finally:
            pg.stop()
            redis.stop()


if __name__ == "__main__":
    main()

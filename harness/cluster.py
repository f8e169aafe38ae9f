"""Several Rasa instances started by scripts/cluster.sh against shared stores (tests and benchmark)."""

from __future__ import annotations

import os
import secrets
import signal
import threading
import time
from pathlib import Path
from typing import Any, Dict, List

from harness.servers import ENV, ScriptRun, free_port, say
from harness.supervise import cluster_programs


class Cluster(ScriptRun):
    """``make cluster``: ``rasa`` Rasa servers and ``actions`` action servers on the shared stores."""

    script = "cluster.sh"

    def __init__(self, model: Path, workdir: Path, tracker_url: str, redis_url: str, rasa: int = 2, actions: int = 2):
        self.dir = workdir
        self.rasa_ports = [free_port() for _ in range(rasa)]
        self.actions_ports = [free_port() for _ in range(actions)]
        self.audit_db = workdir / "audit.db"
        env = {
            **ENV,
            "MODEL": str(model),
            "TRACKER_DB_URL": tracker_url,
            "REDIS_URL": redis_url,
            "RASA_PORTS": " ".join(map(str, self.rasa_ports)),
            "ACTIONS_PORTS": " ".join(map(str, self.actions_ports)),
            "CLUSTER_DIR": str(workdir),
            "AUDIT_DB": str(self.audit_db),
            "TRACKER_DB": str(workdir / "unused.db"),
            # as across machines: one secret from the environment for every Rasa and action server
            "ACTIONS_SECRET": secrets.token_urlsafe(32),
        }
        super().__init__(env, workdir, workdir / "cluster.log", cluster_programs(env))

    def say(self, instance: int, sender: str, text: str) -> List[Dict[str, Any]]:
        return say(f"http://127.0.0.1:{self.rasa_ports[instance % len(self.rasa_ports)]}", sender, text, 120)

    def rasa_pid(self, instance: int) -> int:
        return self.pid_of(f"rasa-{self.rasa_ports[instance]}")

    def actions_pid(self, instance: int) -> int:
        return self.pid_of(f"actions-{self.actions_ports[instance]}")

    def wait_rasa_back(self, instance: int) -> float:
        """Seconds until the supervisor has the killed instance serving again."""
        return self.wait_program(f"rasa-{self.rasa_ports[instance]}")

    def kill_rasa(self, instance: int) -> None:
        self.kill_program(f"rasa-{self.rasa_ports[instance]}")

    def held_wait(self, sender: str) -> float:
        """Instance 0 is killed while it handles a message of ``sender`` (its action server paused, so the
        message is mid-way); returns how long the next message of ``sender`` then waits on instance 1."""
        self.say(1, sender, "check after a dose reduction")
        actions = self.actions_pid(0)
        os.kill(actions, signal.SIGSTOP)
        try:
            stuck = threading.Thread(target=self._say_quietly, args=(0, sender, "0.15 %"), daemon=True)
            stuck.start()
            time.sleep(2)  # instance 0 holds the conversation's lock, waiting for its action server
            self.kill_rasa(0)
        finally:
            os.kill(actions, signal.SIGCONT)
        t0 = time.time()
        reply = self.say(1, sender, "0.15 %")
        waited = time.time() - t0
        if "dose" not in " ".join(m.get("text", "") for m in reply).lower():
            raise AssertionError(f"the form did not go on: {reply}")
        self.wait_rasa_back(0)
        return waited

    def _say_quietly(self, instance: int, sender: str, text: str) -> None:
        try:
            self.say(instance, sender, text)
        except Exception:  # the instance is killed under it
            pass

    def stop(self) -> None:
        self.interrupt(timeout=60, sig=signal.SIGTERM)

"""Throwaway PostgreSQL and Redis servers on loopback for the tests of several Rasa instances.

Debian's packages are installed when missing (scripts/ensure_stores.sh). PostgreSQL refuses to run
as root, so as root it runs as the ``postgres`` user the package creates.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import List, Optional

from harness.servers import ROOT, free_port


def _as_postgres(cmd: List[str]) -> List[str]:
    return ["runuser", "-u", "postgres", "--"] + cmd if os.getuid() == 0 else cmd


def ensure_stores() -> Path:
    """Install Debian's PostgreSQL and Redis when missing; the PostgreSQL bin directory."""
    out = subprocess.run(
        [str(ROOT / "scripts" / "ensure_stores.sh")], check=True, capture_output=True, text=True, timeout=900
    ).stdout
    return Path(out.strip().splitlines()[-1])


class LocalPostgres:
    """Its files live in a directory of their own under /tmp (the ``postgres`` user must reach them)."""

    def __init__(self):
        self.bin = ensure_stores()
        self.dir = Path(tempfile.mkdtemp(prefix="cml-assistant-pg-"))
        self.port = free_port()
        self.url = f"postgresql://rasa:rasa-test@127.0.0.1:{self.port}/rasa"

    def start(self) -> "LocalPostgres":
        if os.getuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        pwfile = self.dir / "pw"
        subprocess.run(_as_postgres(["sh", "-c", f"echo rasa-test > {pwfile}"]), check=True)
        data, options = (
            str(self.dir / "data"),
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off",
        )
        self._run("initdb", "-D", data, "-U", "rasa", "--pwfile", str(pwfile), "-A", "scram-sha-256", "--no-sync")
        self._run("pg_ctl", "-D", data, "-w", "-l", str(self.dir / "log"), "-o", options, "start")
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "rasa", "rasa", password="rasa-test")
        return self

    def _run(self, program: str, *args: str, password: "str | None" = None) -> None:
        """One of PostgreSQL's programs, as the ``postgres`` user; fails loudly."""
        env = {**os.environ, "PGPASSWORD": password} if password else None
        subprocess.run(
            _as_postgres([str(self.bin / program), *args]), check=True, capture_output=True, timeout=120, env=env
        )

    def stop(self) -> None:
        subprocess.run(
            _as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "stop"]),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(self.dir, ignore_errors=True)


class LocalRedis:
    def __init__(self, workdir: Path):
        self.port = free_port()
        self.dir = workdir / "redis"
        self.url = f"redis://127.0.0.1:{self.port}/1"
        self.proc: Optional[subprocess.Popen] = None

    def start(self) -> "LocalRedis":
        ensure_stores()  # any test module may be the first to need Redis
        self.dir.mkdir(parents=True)
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=open(self.dir / "log", "w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            ping = subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True)
            if ping.stdout.strip() == "PONG":
                return self
            time.sleep(0.2)
        raise RuntimeError("redis did not start")

    def stop(self) -> None:
        if self.proc:
            self.proc.terminate()
            self.proc.wait(timeout=20)

"""Session fixtures' machinery: train once, start the real action and Rasa servers, talk REST."""
import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any, Dict, List

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONWARNINGS": "ignore"}


def train() -> Path:
    """The trained model (trains only when its inputs changed; see scripts/train.sh)."""
    out = subprocess.run([str(ROOT / "scripts" / "train.sh")], cwd=ROOT, env=ENV, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"training failed:\n{out.stderr[-4000:]}")
    return ROOT / out.stdout.strip().splitlines()[-1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, log: Path, timeout: float = 240) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited ({proc.returncode}):\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} not up after {timeout} s:\n{log.read_text()[-4000:]}")


class Servers:
    """An action server and a Rasa server on free loopback ports, with their own SQLite tracker store."""

    def __init__(self, model: Path, workdir: Path):
        self.model, self.workdir = model, workdir
        self.rasa_port, self.actions_port = free_port(), free_port()
        self.procs: List[subprocess.Popen] = []

    def start(self) -> "Servers":
        env = {**ENV, "ACTIONS_URL": f"http://127.0.0.1:{self.actions_port}/webhook",
               "TRACKER_DB": str(self.workdir / "tracker.db")}
        alog, rlog = self.workdir / "actions.log", self.workdir / "rasa.log"
        self.procs.append(subprocess.Popen(
            [str(VENV_BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(self.actions_port)],
            cwd=ROOT, env=env, stdout=open(alog, "w"), stderr=subprocess.STDOUT))
        self.procs.append(subprocess.Popen(
            [str(VENV_BIN / "rasa"), "run", "--model", str(self.model), "--port", str(self.rasa_port),
             "--credentials", "credentials.yml", "--endpoints", "endpoints.yml"],
            cwd=ROOT, env=env, stdout=open(rlog, "w"), stderr=subprocess.STDOUT))
        wait_http(f"http://127.0.0.1:{self.actions_port}/health", self.procs[0], alog)
        wait_http(f"http://127.0.0.1:{self.rasa_port}/", self.procs[1], rlog)
        return self

    def stop(self) -> None:
        for p in self.procs:
            p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()

    def say(self, sender: str, text: str) -> List[Dict[str, Any]]:
        body = json.dumps({"sender": sender, "message": text}).encode()
        req = urllib.request.Request(f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.loads(r.read())

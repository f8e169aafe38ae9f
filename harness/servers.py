"""Session fixtures' machinery: train once, start the real action and Rasa servers, talk REST."""

import functools
import itertools
import json
import os
import socket
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Dict, List

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
# the servers of the tests listen where, and share the secret that, each test says: never the caller's settings
LOCAL = ("RASA_HOST", "ACTIONS_HOST", "ACTIONS_SECRET", "ACTIONS_SECRET_FILE", "SANIC_HOST")
ENV = {k: v for k, v in os.environ.items() if k not in LOCAL}
ENV.update({"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONWARNINGS": "ignore"})


def say(rasa_url: str, sender: str, text: str, timeout: float = 60) -> List[Dict[str, Any]]:
    """One message through the Rasa server's REST webhook at ``rasa_url``; the bot's replies (the one ``say`` of
    every harness: the test servers, a supervised run, a cluster and the benchmarks)."""
    req = urllib.request.Request(
        f"{rasa_url}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": text}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read())


_training: "subprocess.Popen[str] | None" = None


def start_training() -> None:
    """Starts scripts/train.sh in the background (once): what needs no model runs meanwhile."""
    global _training
    if _training is None:
        script = str(ROOT / "scripts" / "train.sh")
        pipe = subprocess.PIPE
        _training = subprocess.Popen(
            [script], cwd=ROOT, env=ENV, stdout=pipe, stderr=pipe, text=True, start_new_session=True
        )


def stop_training() -> None:
    """Stops a background training that nobody waited for (a run interrupted, or one that needed no model)."""
    if _training is not None and _training.poll() is None:
        os.killpg(_training.pid, 15)  # the script and the training it started
        _training.communicate()


@functools.lru_cache(maxsize=None)
def train() -> Path:
    """The trained model (trains only when its inputs changed; see scripts/train.sh); waits for a training
    that ``start_training`` began."""
    start_training()
    assert _training is not None
    out, err = _training.communicate()
    if _training.returncode != 0:
        raise RuntimeError(f"training failed:\n{err[-4000:]}")
    return ROOT / out.strip().splitlines()[-1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listen_sockets() -> Dict[int, "tuple[str, int]"]:
    """Every listening TCP socket of this machine: inode → (address, port), from /proc/net/tcp and tcp6
    (what ``ss -ltn`` shows)."""
    import ipaddress

    out: Dict[int, "tuple[str, int]"] = {}
    for name in ("tcp", "tcp6"):
        try:
            lines = Path(f"/proc/net/{name}").read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] != "0A":  # TCP_LISTEN
                continue
            addr, port = fields[1].split(":")
            raw = bytes.fromhex(addr)
            # the kernel prints each 32-bit word in host (little-endian) order
            raw = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
            out[int(fields[9])] = (str(ipaddress.ip_address(raw)), int(port, 16))
    return out


def _descendants(pids: List[int]) -> List[int]:
    children: Dict[int, List[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        ppid = int(text.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(stat.parent.name))
    found, todo = [], list(pids)
    while todo:
        pid = todo.pop()
        if pid not in found:
            found.append(pid)
            todo += children.get(pid, [])
    return found


def listeners(pids: List[int]) -> List["tuple[str, int]"]:
    """(address, port) of every TCP socket on which these processes, or their children, listen."""
    sockets = _listen_sockets()
    out = []
    for pid in _descendants(pids):
        try:
            fds = list(Path(f"/proc/{pid}/fd").iterdir())
        except OSError:
            continue
        for fd in fds:
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:[") and int(target[8:-1]) in sockets:
                out.append(sockets[int(target[8:-1])])
    return sorted(set(out))


def outside_call(actions_url: str, authorization: "str | None" = None, query: str = "") -> "tuple[int, Any]":
    """The call of issue 24: ``POST /webhook`` of an action server with ``next_action:
    action_assess_response`` and two slots in a made-up tracker, as anyone who reaches the port could send
    it; with ``authorization`` as its Authorization header. Returns (HTTP status, JSON body)."""
    call = {
        "next_action": "action_assess_response",
        "sender_id": "outsider",
        "version": "3.6.21",
        "tracker": {
            "sender_id": "outsider",
            "slots": {"bcr_abl1_is": 0.5, "months_on_tki": 12},
            "latest_message": {},
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": None,
        },
        "domain": {},
    }
    headers = {"Content-Type": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization
    req = urllib.request.Request(f"{actions_url}/webhook{query}", data=json.dumps(call).encode(), headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


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


class FakeSlack:
    """A local stand-in for the Slack Web API that records every chat.postMessage call."""

    def __init__(self):
        import http.server
        import threading

        self.calls: List[Dict[str, Any]] = []
        calls = self.calls

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    from urllib.parse import parse_qsl

                    body = dict(parse_qsl(raw.decode()))
                calls.append({"method": self.path.rsplit("/", 1)[-1], **body})
                out = json.dumps({"ok": True, "ts": "1.0", "channel": body.get("channel")}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def posted(self) -> List[Dict[str, Any]]:
        return [c for c in self.calls if c["method"] == "chat.postMessage"]

    def stop(self) -> None:
        self.server.shutdown()


SLACK_SECRET = "test-signing-secret-not-real"


class Servers:
    """The action server and the Rasa server of `make run` (the same programs: ``harness.supervise.run_programs``,
    their commands, settings, logs and health checks) on free loopback ports, with their own SQLite tracker
    store, audit database and shared secret (generated in ``workdir``), run directly rather than under
    supervisord, so that a test can stop one and start it again with other settings. With ``slack`` (a
    FakeSlack), the Slack channel is enabled against it; ``env`` adds settings (e.g. the HTTP API, RASA_HOST and
    ACTIONS_HOST)."""

    def __init__(
        self,
        model: Path,
        workdir: Path,
        slack: "FakeSlack | None" = None,
        endpoints: Path = ROOT / "endpoints.yml",
        env: "Dict[str, str] | None" = None,
    ):
        from harness.supervise import hosts, run_programs

        self.model, self.workdir, self.slack, self.endpoints = model, workdir, slack, endpoints
        self.rasa_port, self.actions_port = free_port(), free_port()
        self.procs: List[subprocess.Popen] = []
        self.audit_db = workdir / "audit.db"
        self.tracker_db = workdir / "tracker.db"
        self.host, self.actions_host = hosts(env or {})
        self.env = {
            **ENV,
            "ACTIONS_SECRET_FILE": str(workdir / "actions.secret"),
            "TRACKER_DB": str(self.tracker_db),
            "AUDIT_DB": str(self.audit_db),
            "MODEL": str(model),
            "RASA_PORT": str(self.rasa_port),
            "ACTIONS_PORT": str(self.actions_port),
            "LOG_DIR": str(workdir),
            "ENDPOINTS": str(endpoints),
            **(env or {}),
        }
        if slack:
            self.env.update(
                {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SLACK_SECRET, "SLACK_API_URL": slack.url}
            )
        by_role = {p.name.split("-")[0]: p for p in run_programs(self.env)}  # the CDS service is not started
        self.actions, self.rasa = by_role["actions"], by_role["rasa"]
        self.alog, self.rlog = self.actions.log, self.rasa.log

    def start(self) -> "Servers":
        self.procs = [self.start_actions(wait=False), self.start_rasa(wait=False)]  # both load at once
        self._wait(self.actions, self.procs[0])
        self._wait(self.rasa, self.procs[1])
        return self

    @property
    def url(self) -> str:
        """The Rasa server's address."""
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        return f"http://{self.actions_host}:{self.actions_port}"

    def _spawn(self, program: Any) -> subprocess.Popen:
        """The program's command with its settings over the current ``env`` (a test may have changed it)."""
        env = {**self.env, **program.env}
        return subprocess.Popen(
            program.command, cwd=ROOT, env=env, stdout=open(program.log, "a"), stderr=subprocess.STDOUT
        )

    def _wait(self, program: Any, proc: subprocess.Popen) -> None:
        wait_http(program.health, proc, program.log)

    def _start(self, index: int, wait: bool) -> subprocess.Popen:
        """Start ``procs[index]``'s program (0 the action server, 1 Rasa); with ``wait``, once it answers, it
        takes that place."""
        program = (self.actions, self.rasa)[index]
        proc = self._spawn(program)
        if wait:
            self._wait(program, proc)
            self.procs[index] = proc
        return proc

    def start_actions(self, wait: bool = True) -> subprocess.Popen:
        return self._start(0, wait)

    def start_rasa(self, wait: bool = True) -> subprocess.Popen:
        return self._start(1, wait)

    def stop(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()

    def say(self, sender: str, text: str) -> List[Dict[str, Any]]:
        return say(self.url, sender, text)


_ids = itertools.count()


def cards(reply: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The recommendation cards of a reply (a general answer carries a payload of its own, type "answer")."""
    return [
        m["custom"] for m in reply if isinstance(m.get("custom"), dict) and m["custom"].get("type") == "recommendation"
    ]


class Chat:
    """One conversation through the REST webhook; ``text`` and ``assessment`` read the last reply."""

    def __init__(self, servers: "Servers", sender: "str | None" = None):
        self.servers, self.sender = servers, sender or f"dialogue-{next(_ids)}"

    def say(self, text: str) -> "Chat":
        self.last = self.servers.say(self.sender, text)
        return self

    @property
    def text(self) -> str:
        return "\n".join(m.get("text", "") for m in self.last)

    @property
    def assessment(self) -> Dict[str, Any]:
        payloads = cards(self.last)
        assert payloads, f"no recommendation payload in {self.last}"
        return payloads[0]["assessment"]

    def codes(self) -> List[str]:
        return [r["code"] for r in self.assessment["recommendations"]]


def run_users(user, users: int) -> float:
    """Run ``user(i)`` for ``users`` threads at once; returns the wall time in seconds."""
    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - t0


def p50_p95(latencies: List[float]) -> "tuple[float, float]":
    q = statistics.quantiles(sorted(latencies), n=100) if len(latencies) > 1 else list(latencies) * 99
    return q[49], q[94]


class ScriptRun:
    """A script of scripts/ started as a user starts it (``make run``, ``make cluster``), its servers under
    supervisord with its state in ``state``: ready when the script prints ``<name>: ready``; a server is then
    found, killed and waited for by its supervisord program name. The one runner of the tests and benchmarks
    for both scripts."""

    script = ""  # scripts/<script>; it prints "<script stem>: ready" once every server answers

    def __init__(self, env: Dict[str, str], state: Path, output: Path, programs: List[Any]):
        self.env, self.state, self.output, self.programs = env, state, output, programs
        self.proc: "subprocess.Popen | None" = None

    def start(self, timeout: float = 300) -> Any:
        self.proc = subprocess.Popen(
            [str(ROOT / "scripts" / self.script)],
            cwd=ROOT,
            env=self.env,
            stdout=open(self.output, "w"),
            stderr=subprocess.STDOUT,
        )
        ready, deadline = f"{Path(self.script).stem}: ready", time.time() + timeout
        while ready not in self.output.read_text():
            if self.proc.poll() is not None or time.time() > deadline:
                said = self.output.read_text()[-4000:]
                raise RuntimeError(f"scripts/{self.script} did not start ({self.proc.returncode}):\n{said}")
            time.sleep(0.5)
        return self

    @property
    def supervisor(self):
        from harness.supervise import Supervisor

        sup = Supervisor.attach(self.state)
        sup.programs = list(self.programs)
        return sup

    def pid_of(self, program: str) -> int:
        return self.supervisor.pid(program)

    def pids(self) -> List[int]:
        """supervisord and every server it runs."""
        rpc = self.supervisor.rpc()
        return [rpc.getPID()] + [int(p["pid"]) for p in rpc.getAllProcessInfo() if p.get("pid")]

    def kill_program(self, program: str) -> int:
        """``kill -9`` a server; returns once the process is gone (its pid)."""
        pid = self.pid_of(program)
        os.kill(pid, 9)
        deadline = time.time() + 30
        while time.time() < deadline and _running(pid):
            time.sleep(0.1)
        return pid

    def wait_program(self, program: str, timeout: float = 300) -> float:
        """Seconds until the supervisor has the program serving again."""
        return self.supervisor.wait_up(program, timeout)

    def interrupt(self, timeout: float = 90, sig: int = 2) -> int:
        """Ctrl-C (SIGINT, or ``sig``) to the script; returns its exit status."""
        if self.proc is None:
            return 0
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def _running(pid: int) -> bool:
    try:
        return "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return False


class SupervisedRun(ScriptRun):
    """``make run`` (scripts/run.sh: supervisord with one action server, one Rasa server and the CDS service) on
    free ports, with its own tracker store, audit database, logs and supervisor state."""

    script = "run.sh"

    def __init__(self, model: Path, workdir: Path, env: "Dict[str, str] | None" = None):
        from harness.supervise import run_programs

        self.workdir = workdir
        self.rasa_port, self.actions_port, self.cds_port = free_port(), free_port(), free_port()
        self.audit_db, self.tracker_db = workdir / "audit.db", workdir / "tracker.db"
        self.logs = workdir / "logs"
        env = {
            **ENV,
            "MODEL": str(model),
            "RASA_PORT": str(self.rasa_port),
            "ACTIONS_PORT": str(self.actions_port),
            "CDS_PORT": str(self.cds_port),
            "TRACKER_DB": str(self.tracker_db),
            "AUDIT_DB": str(self.audit_db),
            "ACTIONS_SECRET_FILE": str(workdir / "actions.secret"),
            "LOG_DIR": str(self.logs),
            "SUPERVISOR_DIR": str(workdir / "supervisor"),
            **(env or {}),
        }
        programs = run_programs(env)
        super().__init__(env, workdir / "supervisor", workdir / "run.out", programs)
        self.by_role = {p.name.split("-")[0]: p for p in programs}  # rasa, actions, cds

    def pid(self, which: str) -> int:
        return self.pid_of(self.by_role[which].name)

    def kill(self, which: str) -> int:
        """``kill -9`` the ``rasa``, ``actions`` or ``cds`` server; returns the pid killed."""
        return self.kill_program(self.by_role[which].name)

    def wait_up(self, which: str, timeout: float = 300) -> float:
        return self.wait_program(self.by_role[which].name, timeout)

    def supervisord_log(self) -> str:
        return (self.logs / f"supervisord-{self.rasa_port}.log").read_text()

    def say(self, sender: str, text: str, timeout: float = 60) -> List[Dict[str, Any]]:
        return say(f"http://127.0.0.1:{self.rasa_port}", sender, text, timeout)

"""The servers of ``make run`` and ``make cluster``, supervised: a server that exits unexpectedly is started
again, with backoff, and every exit and start is logged.

    python -m harness.supervise run       # an action server, a Rasa server and the CDS Hooks service (run.sh)
    python -m harness.supervise cluster   # several of each on shared stores (scripts/cluster.sh)

The supervisor is ``supervisord`` (the ``supervisor`` package from PyPI), not a shell loop. Why: it is
the kept, long-lived tool for exactly this (restart on unexpected exit, backoff while a program keeps
failing to start, give up after a bounded number of tries instead of spinning, ordered stop with a
timeout and then SIGKILL, a log line for every exit and start, and ``supervisorctl`` for an operator
to see or restart one server). ``honcho`` (Procfile runner) stops everything when one process exits,
which is what we had to get away from; ``circus`` is heavier and less maintained. supervisord runs in
the foreground (``nodaemon``) under this module, in its own session, so Ctrl-C reaches only this module,
which then stops supervisord (and its servers) in order and exits with status 0. If this module is
killed, the kernel tells supervisord to stop too (Linux parent-death signal).

Restart policy (``PROGRAM`` settings below): a server that ran for ``startsecs`` and then exits (a crash,
``kill -9``) is started again at once; one that exits before ``startsecs`` is retried after 1, 2, 3, …
seconds, ``startretries`` times, then left stopped (FATAL, logged) so that a broken configuration does
not loop for ever. The other servers keep serving throughout: the Rasa server answers while the action
server is down (``bot/custom/fix_action_server_down.py``).

Files (per Rasa port, so that several ``make run`` on other ports do not share them):
``logs/rasa-<port>.log``, ``logs/actions-<port>.log`` and ``logs/supervisord-<port>.log`` (exits and
restarts), and supervisord's configuration and control socket in ``.rasa/supervisor-<port>/``
(``.venv/bin/supervisorctl -c .rasa/supervisor-<port>/supervisord.conf status``).
"""

from __future__ import annotations

import ctypes
import os
import re
import secrets
import shlex
import signal
import subprocess
import sys
import time
import urllib.request
import xmlrpc.client
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

from cds.__main__ import loopback

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"

PROGRAM = {  # supervisord settings for every server
    "autostart": "true",
    "autorestart": "unexpected",
    "exitcodes": "0",
    "startretries": "8",
    "stopsignal": "TERM",
    "stopwaitsecs": "20",
    "stopasgroup": "true",
    "killasgroup": "true",
    "redirect_stderr": "true",
    "stdout_logfile_maxbytes": "20MB",
    "stdout_logfile_backups": "3",
}


@dataclass
class Program:
    name: str
    command: List[str]
    log: Path
    health: str  # a URL that answers 200 when the server is ready
    startsecs: int = 5  # how long it must run to count as started
    env: Dict[str, str] = field(default_factory=dict)


def _value(text: str) -> str:
    """A value for supervisord's configuration (``%`` starts its own expansions; `` ;`` and `` #`` start a
    comment, and a quote or a line break would end the value: refused rather than cut short)."""
    if '"' in text or "\n" in text or re.search(r"\s[;#]", text):
        raise ValueError(f"unsupported character in a server setting: {text!r}")
    return text.replace("%", "%%")


def config(programs: List[Program], state: Path, log: Path, user: str, password: str) -> str:
    lines = [
        "[supervisord]",
        "nodaemon=true",
        f"logfile={_value(str(log))}",
        "logfile_maxbytes=5MB",
        "logfile_backups=2",
        f"pidfile={_value(str(state / 'supervisord.pid'))}",
        "loglevel=info",
        f"directory={_value(str(ROOT))}",
    ]
    if os.geteuid() == 0:
        lines.append("user=root")  # said explicitly: supervisord otherwise warns about running as root
    lines += [
        "",
        "[unix_http_server]",
        f"file={_value(str(state / 'supervisor.sock'))}",
        "chmod=0700",
        f"username={user}",
        f"password={password}",
        "",
        "[rpcinterface:supervisor]",
        "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
        "",
        "[supervisorctl]",
        f"serverurl=unix://{_value(str(state / 'supervisor.sock'))}",
        f"username={user}",
        f"password={password}",
    ]
    for p in programs:
        lines += ["", f"[program:{p.name}]", f"command={_value(shlex.join(p.command))}"]
        lines += [f"{k}={v}" for k, v in PROGRAM.items()]
        lines += [f"startsecs={p.startsecs}", f"stdout_logfile={_value(str(p.log))}"]
        if p.env:
            lines.append("environment=" + ",".join(f'{k}="{_value(v)}"' for k, v in p.env.items()))
    return "\n".join(lines) + "\n"


def _die_with_parent() -> None:  # runs in the child before exec
    os.setsid()
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class Supervisor:
    """supervisord running ``programs`` from ``state`` (configuration, socket, its log)."""

    def __init__(self, programs: List[Program], state: Path, log: Optional[Path] = None):
        self.programs, self.state = programs, Path(state)
        self.log = Path(log) if log else self.state / "supervisord.log"
        self.proc: Optional[subprocess.Popen] = None
        self._user, self._password = "cds", secrets.token_urlsafe(16)
        self._pids: set = set()

    @classmethod
    def attach(cls, state: Path) -> "Supervisor":
        """The supervisord another process started from ``state`` (to read its programs' state)."""
        import configparser

        parser = configparser.ConfigParser(interpolation=None)
        parser.read(Path(state) / "supervisord.conf")
        sup = cls([], state)
        sup._user, sup._password = parser["supervisorctl"]["username"], parser["supervisorctl"]["password"]
        return sup

    @property
    def conf(self) -> Path:
        return self.state / "supervisord.conf"

    def start(self, stdout=None) -> "Supervisor":
        self.state.mkdir(parents=True, exist_ok=True)
        for p in self.programs:
            p.log.parent.mkdir(parents=True, exist_ok=True)
        self.log.parent.mkdir(parents=True, exist_ok=True)
        text = config(self.programs, self.state, self.log, self._user, self._password)
        fd = os.open(self.conf, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it holds the socket's password
        os.fchmod(fd, 0o600)  # also when the file was there before
        with os.fdopen(fd, "w") as f:
            f.write(text)
        self.proc = subprocess.Popen(
            [str(VENV_BIN / "supervisord"), "-c", str(self.conf)],
            cwd=ROOT,
            stdout=stdout,
            stderr=subprocess.STDOUT if stdout else None,
            preexec_fn=_die_with_parent,
        )
        return self

    def rpc(self):
        from supervisor.xmlrpc import SupervisorTransport

        transport = SupervisorTransport(self._user, self._password, f"unix://{self.state / 'supervisor.sock'}")
        return xmlrpc.client.ServerProxy("http://127.0.0.1", transport=transport).supervisor

    def info(self, name: str) -> Dict:
        return self.rpc().getProcessInfo(name)

    def pid(self, name: str) -> int:
        return int(self.info(name)["pid"])

    def wait_ready(self, timeout: float = 300) -> None:
        """Until every program answers its health URL; raises if supervisord stops or a program gives up."""
        deadline = time.time() + timeout
        pending = list(self.programs)
        while pending and time.time() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                raise RuntimeError("supervisord stopped")
            for p in list(pending):
                state = self._state(p.name)
                if state == "FATAL":
                    raise RuntimeError(f"{p.name} could not be started; see {p.log}")
                if state == "RUNNING" and _answers(p.health):
                    pending.remove(p)
            time.sleep(0.5)
        if pending:
            raise RuntimeError(f"not up after {timeout:.0f} s: {', '.join(p.name for p in pending)}")

    def wait_up(self, name: str, timeout: float = 300) -> float:
        """Seconds until ``name`` (restarted) answers its health URL again."""
        program = next(p for p in self.programs if p.name == name)
        t0 = time.time()
        while time.time() - t0 < timeout:
            if self._state(name) == "RUNNING" and _answers(program.health):
                return time.time() - t0
            time.sleep(0.25)
        raise RuntimeError(f"{name} not back after {timeout:.0f} s; see {program.log}")

    def _state(self, name: str) -> str:
        try:
            return str(self.info(name)["statename"])
        except (OSError, xmlrpc.client.Fault):
            return "UNKNOWN"  # supervisord still starting

    def remember_pids(self) -> None:
        """The servers' current pids, kept while supervisord answers, so they can be stopped if it dies."""
        try:
            self._pids = {int(p["pid"]) for p in self.rpc().getAllProcessInfo() if p.get("pid")}
        except (OSError, xmlrpc.client.Fault):
            pass

    def stop(self, timeout: Optional[float] = None) -> int:
        """Stop supervisord and its servers; a server it left behind (it was killed, or took too long) is
        killed too, so no port stays taken."""
        timeout = timeout or 10 + int(PROGRAM["stopwaitsecs"]) * max(1, len(self.programs))
        self.remember_pids()
        pids = sorted(self._pids)
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        for pid in pids:  # each server runs in its own process group; only ours (a pid may have been reused)
            try:
                if os.readlink(f"/proc/{pid}/cwd") == str(ROOT):  # the servers run in the project
                    os.killpg(pid, signal.SIGKILL)
            except (OSError, ProcessLookupError):
                pass
        return self.proc.returncode if self.proc else 0


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


# --- what make run and make cluster start ------------------------------------------------------------


def url_host(host: str) -> str:
    """How to reach, from this machine, a server that listens on ``host`` (its health check, the lines
    printed): a wildcard address is reached on loopback; an IPv6 address is bracketed."""
    if host in ("", "0.0.0.0", "::"):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def actions_program(port: int, logs: Path, host: str = "127.0.0.1") -> Program:
    """An action server (``actions/server.py``: rasa-sdk's server, listening on ``host`` given as its
    ``ACTIONS_HOST``, answering only calls that carry the shared secret)."""
    return Program(
        f"actions-{port}",
        [str(VENV_BIN / "python"), "-m", "actions.server", "--actions", "actions", "--port", str(port)],
        logs / f"actions-{port}.log",
        f"http://{url_host(host)}:{port}/health",
        startsecs=3,
        env={"ACTIONS_HOST": host},
    )


def rasa_program(port: int, actions_url: str, model: str, logs: Path, host: str = "127.0.0.1") -> Program:
    return Program(
        f"rasa-{port}",
        [str(ROOT / "scripts" / "serve_rasa.sh")],
        logs / f"rasa-{port}.log",
        f"http://{url_host(host)}:{port}/",
        startsecs=10,
        env={"RASA_PORT": str(port), "ACTIONS_URL": actions_url, "MODEL": model, "RASA_HOST": host},
    )


def cds_program(port: int, rasa_port: int, logs: Path, env: Dict[str, str]) -> Program:
    """The CDS Hooks service (cds/); its cards link to the web chat of the Rasa server beside it."""
    chat = env.get("CDS_CHAT_URL") or f"http://localhost:{rasa_port}/webhooks/webchat/ui/"
    return Program(
        f"cds-{port}",
        [str(VENV_BIN / "python"), "-m", "cds", "serve", "--port", str(port)],
        logs / f"cds-{port}.log",
        f"http://127.0.0.1:{port}/health",
        startsecs=2,
        env={"CDS_CHAT_URL": chat},
    )


def hosts(env: Dict[str, str]) -> "tuple[str, str]":
    """Where the Rasa servers and the action servers listen: loopback unless RASA_HOST / ACTIONS_HOST say."""
    return env.get("RASA_HOST") or "127.0.0.1", env.get("ACTIONS_HOST") or "127.0.0.1"


def run_programs(env: Dict[str, str]) -> List[Program]:
    rasa_port, actions_port = int(env.get("RASA_PORT", "5005")), int(env.get("ACTIONS_PORT", "5055"))
    cds_port = int(env.get("CDS_PORT", "5070"))
    logs = Path(env.get("LOG_DIR", str(ROOT / "logs"))).resolve()
    rasa_host, actions_host = hosts(env)
    actions_url = env.get("ACTIONS_URL") or f"http://{url_host(actions_host)}:{actions_port}/webhook"
    return [
        actions_program(actions_port, logs, actions_host),
        rasa_program(rasa_port, actions_url, env["MODEL"], logs, rasa_host),
        cds_program(cds_port, rasa_port, logs, env),
    ]


def cluster_programs(env: Dict[str, str]) -> List[Program]:
    rasa_ports = [int(p) for p in env.get("RASA_PORTS", "5005 5006").split()]
    actions_ports = [int(p) for p in env.get("ACTIONS_PORTS", "5055 5056").split()]
    logs = Path(env.get("CLUSTER_DIR", str(ROOT / ".rasa" / "cluster"))).resolve()
    rasa_host, actions_host = hosts(env)
    programs = [actions_program(p, logs, actions_host) for p in actions_ports]
    for i, port in enumerate(rasa_ports):
        actions_port = actions_ports[i % len(actions_ports)]
        url = env.get("ACTIONS_URL") or f"http://{url_host(actions_host)}:{actions_port}/webhook"
        programs.append(rasa_program(port, url, env["MODEL"], logs, rasa_host))
    return programs


def main(argv: Optional[List[str]] = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    mode = args[0] if args else ""
    if mode not in ("run", "cluster") or "MODEL" not in os.environ:
        sys.stderr.write("usage: MODEL=models/<model>.tar.gz python -m harness.supervise run|cluster\n")
        return 2
    env = dict(os.environ)
    if mode == "run":
        programs = run_programs(env)
        port = env.get("RASA_PORT", "5005")
        state = Path(env.get("SUPERVISOR_DIR") or ROOT / ".rasa" / f"supervisor-{port}").resolve()
        log = Path(env.get("LOG_DIR", ROOT / "logs")).resolve() / f"supervisord-{port}.log"
    else:
        programs = cluster_programs(env)
        state = Path(env.get("CLUSTER_DIR", str(ROOT / ".rasa" / "cluster"))).resolve()
        log = state / "supervisord.log"
    sup = Supervisor(programs, state, log)

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        sup.start()
        print(f"{mode}: starting {', '.join(p.name for p in programs)} under supervisord (log: {log})…", flush=True)
        sup.wait_ready()
        print(ready_message(mode, programs, sup), flush=True)
        while sup.proc.poll() is None:
            sup.remember_pids()  # a restarted server has a new pid
            time.sleep(1)
        print(f"{mode}: supervisord stopped (status {sup.proc.returncode}); see {log}", file=sys.stderr)
        sup.stop()  # its servers with it
        return 1
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C does not interrupt the stopping
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        sup.stop()
        print(f"{mode}: stopped", flush=True)
        return 0
    except RuntimeError as exc:
        print(f"{mode}: {exc}", file=sys.stderr)
        for p in programs:
            if p.log.exists():
                print(f"--- {p.log} (last lines)\n" + "\n".join(p.log.read_text().splitlines()[-15:]), file=sys.stderr)
        sup.stop()
        return 1


def _reach(program: Program) -> str:
    """``host:port`` at which this machine reaches a server (its health URL's)."""
    return program.health.split("://", 1)[1].split("/", 1)[0]


def _where(program: Program) -> str:
    """``host:port`` a server listens on."""
    host = program.env.get("RASA_HOST") or program.env.get("ACTIONS_HOST") or "127.0.0.1"
    return f"{f'[{host}]' if ':' in host else host}:{program.name.rsplit('-', 1)[1]}"


def listening(programs: List[Program]) -> str:
    """The start-up lines that say where each server listens and who may reach it."""
    rasa = [p for p in programs if p.name.startswith("rasa-")]
    actions = [p for p in programs if p.name.startswith("actions-")]
    cds = [p for p in programs if p.name.startswith("cds-")]
    rasa_host = rasa[0].env.get("RASA_HOST", "127.0.0.1") if rasa else "127.0.0.1"
    actions_host = actions[0].env.get("ACTIONS_HOST", "127.0.0.1") if actions else "127.0.0.1"
    if loopback(rasa_host):
        chat = "this machine only; RASA_HOST opens it to a network, behind a reverse proxy: README, Deployment"
    else:
        chat = f"RASA_HOST={rasa_host}: reachable from the network; serve it behind a reverse proxy with TLS"
    helper = "this machine only" if loopback(actions_host) else f"ACTIONS_HOST={actions_host}: other machines"
    lines = [
        f"  listening:     chat (Rasa) on {' '.join(_where(p) for p in rasa)} ({chat})",
        f"                 action server on {' '.join(_where(p) for p in actions)} ({helper}; answers only the "
        f"Rasa servers: shared secret from {_secret_source()})",
    ]
    if cds:
        lines.append(f"                 CDS Hooks on {' '.join(_where(p) for p in cds)} (this machine only)")
    return "\n".join(lines)


def _secret_source() -> str:
    if os.environ.get("ACTIONS_SECRET") is not None:
        return "ACTIONS_SECRET"
    path = Path(os.environ.get("ACTIONS_SECRET_FILE") or ROOT / ".rasa" / "actions.secret").resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def ready_message(mode: str, programs: List[Program], sup: Supervisor) -> str:
    rasa = [p for p in programs if p.name.startswith("rasa-")]
    ports = [p.name.split("-", 1)[1] for p in rasa]
    logs = ", ".join(str(p.log.relative_to(ROOT)) if p.log.is_relative_to(ROOT) else str(p.log) for p in programs)
    ctl = f".venv/bin/supervisorctl -c {sup.conf.relative_to(ROOT) if sup.conf.is_relative_to(ROOT) else sup.conf}"
    if mode == "cluster":
        host = _reach(rasa[0]).rsplit(":", 1)[0] if rasa else "127.0.0.1"
        return (
            f"cluster: ready. REST: http://{host}:<port>/webhooks/rest/webhook on ports {' '.join(ports)}\n"
            f"{listening(programs)}\n"
            f"  logs: {logs}\n  a server that exits is started again; status: {ctl} status\n  Ctrl-C stops them all."
        )
    base = f"http://{_reach(rasa[0])}"
    cds = next((p.name.split("-", 1)[1] for p in programs if p.name.startswith("cds-")), None)
    hooks = f"\n  CDS Hooks:     http://127.0.0.1:{cds}/cds-services (discovery)" if cds else ""
    return f"""run: ready.
  REST webhook:  POST {base}/webhooks/rest/webhook   {{"sender": "me", "message": "hello"}}
  web chat:      {base}/webhooks/webchat/ui/
  socket.io:     {base}/socket.io{hooks}
{listening(programs)}
  logs:          {logs}
  supervision:   a server that exits is started again (logged in {sup.log.name}); status: {ctl} status
  Ctrl-C stops every server."""


if __name__ == "__main__":
    sys.exit(main())

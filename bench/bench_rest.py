"""REST benchmark: per-turn latency of complete scripted conversations, ours vs the `rasa init` bot.

Prints p50/p95 per-turn latency at 1 and 20 concurrent users for both bots side by side, the
training time of our model (as measured by scripts/train.sh) and the peak resident memory of each
Rasa server and of our action server. Targets (issue 3): p95 at 20 users within 1.5× of the
`rasa init` bot; training under 5 minutes on 2 cores; the Rasa server under 1.5 GB.

Usage: .venv/bin/python -m bench.bench_rest [--rounds N] [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from harness.servers import ENV, VENV_BIN, Servers, free_port, p50_p95, run_users, say, train, wait_http

ROOT = Path(__file__).resolve().parents[1]

OURS = [
    [
        "hello",
        "can I reduce the dose? 400 mg for 5 years, BCR-ABL 0.008 %, MMR 30 months, grade 2 oedema, wants a lower dose",
        "never misses",
        "no",
        "why?",
        "sources",
    ],
    [
        "what is MR4.5?",
        "interpret a trough level",
        "2.1 µmol/L",
        "24 h",
        "10 days",
        "400 mg",
        "95 %",
        "grade 1",
        "12 months",
        "0.05 %",
    ],
    ["which TKI for T315I?", "check after a dose reduction", "0.15 %", "400 mg", "why?"],
]
INIT = [
    ["hello", "I am sad", "yes", "bye"],
    ["hi", "great", "are you a bot?", "goodbye"],
    ["hey", "very sad", "no", "bye"],
]


def peak_rss_mb(pid: int) -> float:
    total = 0.0
    pids = [pid] + [
        int(p) for p in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    ]
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            pass
    return total


def run_load(say, scripts, users: int, rounds: int):
    latencies, errors = [], []
    lock = threading.Lock()

    def user(uid: int):
        for r in range(rounds):
            script = scripts[(uid + r) % len(scripts)]
            sender = f"bench-{users}-{uid}-{r}-{time.time_ns()}"
            for text in script:
                t0 = time.perf_counter()
                try:
                    say(sender, text)
                    ok = True
                except Exception as e:  # counted, reported
                    ok = False
                    with lock:
                        errors.append(repr(e))
                dt = (time.perf_counter() - t0) * 1000
                if ok:
                    with lock:
                        latencies.append(dt)

    wall = run_users(user, users)
    p50, p95 = p50_p95(latencies)
    return {
        "turns": len(latencies),
        "errors": len(errors),
        "p50": p50,
        "p95": p95,
        "turns_per_s": len(latencies) / wall,
    }


def init_and_train(directory: Path) -> float:
    """Seconds to create and train the `rasa init` bot in ``directory`` (the reference of issue 20 item 9)."""
    t0 = time.time()
    directory.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [str(VENV_BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(directory)],
        cwd=directory,
        env=ENV,
        capture_output=True,
        check=True,
        timeout=1200,
    )
    return time.time() - t0


class InitBot:
    def __init__(self, workdir: Path):
        self.dir = workdir / "init-bot"
        self.port = free_port()
        self.proc = None

    def start(self) -> "InitBot":
        self.train_s = init_and_train(self.dir)
        log = self.dir / "rasa.log"
        self.proc = subprocess.Popen(
            [str(VENV_BIN / "rasa"), "run", "--port", str(self.port), "--model", "models"],
            cwd=self.dir,
            env=ENV,
            stdout=open(log, "w"),
            stderr=subprocess.STDOUT,
        )
        wait_http(f"http://127.0.0.1:{self.port}/", self.proc, log)
        return self

    def say(self, sender: str, text: str):
        return say(f"http://127.0.0.1:{self.port}", sender, text, 120)

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3, help="conversations per user")
    ap.add_argument("--repeats", type=int, default=3, help="runs of each load, interleaved ours/init")
    args = ap.parse_args()
    model = train()
    seconds = model.with_suffix("").with_suffix(".seconds")
    train_s = float(seconds.read_text()) if seconds.exists() else float("nan")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        ours = Servers(model, tmp).start()
        init = InitBot(tmp).start()
        try:
            for bot in (ours.say, init.say):  # warm-up
                bot("warmup", "hello")
            rows = []
            for users in (1, 20):
                for _ in range(args.repeats):  # interleaved, so both bots see the same machine noise
                    a = run_load(ours.say, OURS, users, args.rounds)
                    b = run_load(init.say, INIT, users, args.rounds)
                    rows.append((users, a, b))
            mem_ours = peak_rss_mb(ours.procs[1].pid)
            mem_actions = peak_rss_mb(ours.procs[0].pid)
            mem_init = peak_rss_mb(init.proc.pid)
        finally:
            ours.stop()
            init.stop()
    print("REST webhook, per-turn latency of complete scripted conversations (ms)")
    print(
        f"{'users':>5} | {'ours p50':>9} {'ours p95':>9} {'turns/s':>8} {'errors':>6} | "
        f"{'init p50':>9} {'init p95':>9} {'turns/s':>8} {'errors':>6} | p95 ratio"
    )
    for users, a, b in rows:
        print(
            f"{users:>5} | {a['p50']:9.1f} {a['p95']:9.1f} {a['turns_per_s']:8.1f} {a['errors']:6d} | "
            f"{b['p50']:9.1f} {b['p95']:9.1f} {b['turns_per_s']:8.1f} {b['errors']:6d} | {a['p95'] / b['p95']:.2f}"
        )
    for users in (1, 20):
        ratios = sorted(a["p95"] / b["p95"] for u, a, b in rows if u == users)
        print(
            f"{users:>5} users: p95 ratio median {statistics.median(ratios):.2f} "
            f"(runs: {', '.join(f'{r:.2f}' for r in ratios)})"
        )
    print(
        f"training: our model {train_s:.0f} s (the run of scripts/train.sh that built it, perhaps beside other "
        f"work or shortened by Rasa's cache; bench.bench_train measures both bots from nothing, alone); "
        f"rasa init bot (init + train) {init.train_s:.0f} s"
    )
    print(
        f"peak memory: our Rasa server {mem_ours:.0f} MB, our action server {mem_actions:.0f} MB, "
        f"rasa init server {mem_init:.0f} MB"
    )


if __name__ == "__main__":
    main()

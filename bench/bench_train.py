"""Training benchmark: our model trained from nothing, then the `rasa init` bot, one after the other.

Prints both times and their ratio (issue 20 item 9: training from nothing no slower relative to the `rasa init`
bot than 1.7x). Ours is trained as ``scripts/train.sh`` trains it (the built domain and data, ``bot.custom``'s
launcher), into a temporary folder with an empty Rasa cache, so nothing of an earlier training is reused; the
init bot is created and trained by ``rasa init``. Run it with nothing else on the machine.

Usage: .venv/bin/python -m bench.bench_train [--repeats N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.bench_rest import init_and_train
from harness.servers import ENV, VENV_BIN

ROOT = Path(__file__).resolve().parents[1]


def train_ours(directory: Path) -> float:
    """Seconds to build the domain and train our model from nothing into ``directory``."""
    env = dict(ENV, RASA_CACHE_DIRECTORY=str(directory / "cache"))
    python = str(VENV_BIN / "python")
    t0 = time.time()
    build = directory / "build"
    subprocess.run([python, "-m", "bot.build_domain", str(build)], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(
        [python, "-m", "bot.custom", "train", "--config", "config.yml", "--domain", str(build / "domain"),
         "--data", "bot/data", str(build / "data"), "--out", str(directory / "models"),
         "--fixed-model-name", "bench"],
        cwd=ROOT, env=env, check=True, capture_output=True, timeout=1800,
    )  # fmt: skip
    return time.time() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=1)
    args = ap.parse_args()
    ours, init = [], []
    for _ in range(args.repeats):
        with tempfile.TemporaryDirectory() as tmp:
            ours.append(train_ours(Path(tmp) / "ours"))
            init.append(init_and_train(Path(tmp) / "init-bot"))
    a, b = statistics.median(ours), statistics.median(init)
    print("training from nothing, alone on the machine (s)")
    print(f"  ours: {', '.join(f'{x:.0f}' for x in ours)}   rasa init bot: {', '.join(f'{x:.0f}' for x in init)}")
    print(f"  ratio ours / init bot: {a / b:.2f} (median of {args.repeats}; issue 20 item 9: at most 1.7)")
    print(f"  cores: {os.cpu_count()}")


if __name__ == "__main__":
    main()

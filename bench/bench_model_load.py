"""How long Rasa takes to load the trained model (what every start and every restart after a crash waits
for), with Rasa 3.6.21's own loading and with ``bot/custom/fix_model_load.py``, each in a fresh process,
alternated over ``--repeats`` rounds; the median of each is printed.

Usage: .venv/bin/python -m bench.bench_model_load [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

from harness.servers import ENV, ROOT, train

# run in a fresh interpreter: the seconds Rasa's load_agent takes, with the fix applied or not
LOAD = """
import asyncio, logging, sys, time, warnings
warnings.filterwarnings("ignore"); logging.disable(logging.WARNING)
from rasa.core.agent import load_agent
if sys.argv[2] == "fixed":
    from bot.custom import fix_model_load
    fix_model_load.apply()
start = time.perf_counter()
asyncio.run(load_agent(model_path=sys.argv[1]))
print(time.perf_counter() - start)
"""


def load_seconds(model: str, how: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", LOAD, model, how], cwd=ROOT, env=ENV, capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    model = str(train())
    times = {"rasa": [], "fixed": []}
    for _ in range(args.repeats):
        for how in times:
            times[how].append(load_seconds(model, how))
    rasa, fixed = (statistics.median(times[h]) for h in ("rasa", "fixed"))
    print(f"model load ({args.repeats} fresh processes each, median): Rasa 3.6.21 {rasa:.1f} s, fixed {fixed:.1f} s")


if __name__ == "__main__":
    main()

"""Fix: the first message of each new length is slow (Rasa 3.6.21 with TensorFlow 2.12, performance).

Defect: the classifiers (DIET, the response selector) run as TensorFlow functions that are traced again
for every new input shape, i.e. for every message length in tokens the server has not seen yet: about
100 ms each time, on the user's message. A fresh server's first messages were 2–4× slower than later
ones of the same length (issue 11: one user's p95 2.26× the ``rasa init`` bot's). No RasaHQ/rasa issue.
Fix: once the model is loaded and before the server accepts messages, parse one message of every length
from 1 to ``WARM_TOKENS`` tokens (``RASA_WARM_TOKENS``, default 48), so the traces exist before a
user arrives. A message longer than that is traced once, as before.
Tested: tests/e2e/test_reliability.py (the server logs its warm-up); bench/bench_rest.py (1-user p95).
Remove when: the pinned Rasa pads inputs to fixed lengths or traces with relaxed shapes.
"""

from __future__ import annotations

import logging
import os
import time
from typing import Any

import rasa.core.run

logger = logging.getLogger(__name__)
_original = rasa.core.run.load_agent_on_start


def warm_tokens() -> int:
    try:
        return max(0, min(200, int(os.environ.get("RASA_WARM_TOKENS", "48"))))
    except ValueError:
        return 48


async def warm(agent: Any, tokens: int) -> float:
    """Parse one message of every length up to ``tokens``; returns the seconds it took."""
    start = time.monotonic()
    for n in range(1, tokens + 1):
        await agent.parse_message(" ".join(["imatinib"] * n))
    return time.monotonic() - start


async def load_agent_on_start(*args: Any, **kwargs: Any) -> Any:
    agent = await _original(*args, **kwargs)
    tokens = warm_tokens()
    if agent is not None and agent.is_ready() and tokens:
        seconds = await warm(agent, tokens)
        logger.info("warm-up: message lengths 1-%d traced in %.1f s", tokens, seconds)
    return agent


def apply() -> None:
    rasa.core.run.load_agent_on_start = load_agent_on_start

"""Fix: the first message of each new length is slow (Rasa 3.6.21 with TensorFlow 2.12, performance).

Defect: the classifiers (DIET, the response selector) run as TensorFlow functions that are traced again
for every new input shape, i.e. for every message length in tokens the server has not seen yet: about
100 ms each time, on the user's message. A fresh server's first messages were 2–4× slower than later
ones of the same length (issue 11: one user's p95 2.26× the ``rasa init`` bot's). No RasaHQ/rasa issue.
Fix: once the model is loaded and before the server accepts messages, parse one message of every length
from 1 to ``WARM_TOKENS`` tokens (``RASA_WARM_TOKENS``, default 48), so the traces exist before a
user arrives. A message longer than that is traced once, as before.
Then the reader's patterns and the action server's response check are built, and the objects of the start
are frozen (``gc.freeze``): a full garbage collection had walked the ~0.4 M objects of the loaded model and
libraries, about 0.2 s, on whichever message triggered it (the 1-user p95 stalls of bench.bench_rest).
Tested: tests/e2e/test_reliability.py (the server logs its warm-up); bench/bench_rest.py (1-user p95).
Remove when: the pinned Rasa pads inputs to fixed lengths or traces with relaxed shapes.
"""

from __future__ import annotations

import gc
import logging
import os
import time
from typing import Any

import rasa.core.run

from reading.warm import warm_up as warm_the_reader

from . import fix_action_response_schema

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
    if agent is not None and agent.is_ready():
        # what the first clinical message and the first action's response would build: the reader's patterns
        # (reading.warm) and the compiled check of the action server's responses (about 0.2 s together)
        start = time.monotonic()
        warm_the_reader()
        fix_action_response_schema.validators()
        # the objects built so far live as long as the server: moved out of the collector's reach, so that a
        # full collection no longer walks them (about 0.2 s a time, on whichever message triggers it)
        gc.collect()
        gc.freeze()
        logger.info(
            "warm-up: reader and response check built, start-up objects frozen in %.2f s", time.monotonic() - start
        )
    return agent


def apply() -> None:
    rasa.core.run.load_agent_on_start = load_agent_on_start

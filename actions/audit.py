"""Writes the audit row of each recommendation without ever holding up or breaking the reply.

Rows go through a queue to one writer thread (SQLite wants one writer); the action returns at once.
A row that cannot be written is logged at ERROR (without any value) and counted; the counts are
logged at shutdown, when the queue is drained.
"""
from __future__ import annotations

import atexit
import logging
import queue
import threading
from typing import Any, Dict, Mapping, Optional

from knowledge.audit import AuditLog

logger = logging.getLogger(__name__)


class AuditWriter:
    def __init__(self, log_factory=AuditLog):
        self._factory = log_factory
        self._queue: "queue.Queue[Dict[str, Any]]" = queue.Queue()
        self._thread: Optional[threading.Thread] = None
        self._lock = threading.Lock()
        self.written = 0
        self.failed = 0

    def submit(self, conversation_id: str, channel: Optional[str], inputs: Mapping[str, Any],
               assessment: Mapping[str, Any]) -> None:
        """Queue one row; never raises."""
        try:
            self._start()
            self._queue.put({"conversation_id": conversation_id, "channel": channel, "inputs": dict(inputs),
                             "assessment": dict(assessment)})
        except Exception as exc:  # e.g. a thread cannot start: count it, never break the reply
            self._failure(exc)

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every queued row is written or failed; False if that took longer than ``timeout``."""
        done = threading.Event()
        self._queue.put({"flush": done})
        self._start()
        return done.wait(timeout)

    def _start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="audit-writer", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        log = None
        while True:
            item = self._queue.get()
            if "flush" in item:
                item["flush"].set()
                continue
            try:
                if log is None:
                    log = self._factory()
                log.record(**item)
                self.written += 1
            except Exception as exc:
                log = None  # open the database again for the next row
                self._failure(exc)

    def _failure(self, exc: BaseException) -> None:
        self.failed += 1
        logger.error("audit row NOT written (%s); %d audit write failure(s) since start",
                     exc.__class__.__name__, self.failed)


WRITER = AuditWriter()


@atexit.register
def _drain() -> None:
    if WRITER._thread is not None:
        WRITER.flush(timeout=10)
        logger.info("audit: %d row(s) written, %d failure(s)", WRITER.written, WRITER.failed)

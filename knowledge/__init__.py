"""Imatinib dose-optimisation knowledge: decision module, sources registry, FAQ content.

Pure, deterministic Python: no Rasa import, no I/O at import time.
"""

from .vocab import DISCLAIMER, RULE_SET_VERSION  # noqa: F401

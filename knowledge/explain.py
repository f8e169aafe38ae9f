"""Plain-words explanations of rule ids, for the assistant's "why?" answers (held by each rule)."""

from __future__ import annotations

from .rules import RULES as _RULES
from .rules import explain

RULES = {rule_id: rule.explain for rule_id, rule in _RULES.items()}

__all__ = ["RULES", "explain"]

"""Fix: every stored event walks the whole tree of event classes (Rasa 3.6.21, performance).

Defect: ``Event.resolve_by_type`` calls ``all_subclasses(Event)`` (with an ``inspect.isabstract`` per
class) for every event it turns back into an object: about half the time of reading a conversation
from the tracker store, and again for every event an action returns. No RasaHQ/rasa issue was found.
Fix: the class found for each event name is remembered; names not found still go Rasa's way (and raise
the same error). Event classes are all defined once Rasa is imported.
Tested: tests/unit/bot/test_rasa_fixes.py (same class for every event name Rasa knows, same error otherwise).
Remove when: Rasa caches the lookup itself.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Text, Type

from rasa.shared.core.events import Event

_original = Event.resolve_by_type
_classes: Dict[Text, Any] = {}


def resolve_by_type(type_name: Text, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
    cls = _classes.get(type_name)
    if cls is None:
        cls = _original(type_name, default)
        if cls is not None and cls is not default:
            _classes[type_name] = cls
    return cls


def apply() -> None:
    Event.resolve_by_type = staticmethod(resolve_by_type)

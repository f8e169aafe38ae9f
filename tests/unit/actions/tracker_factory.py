"""Build rasa-sdk Trackers from plain JSON, the way the Rasa server sends them to the action server."""

import json
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml
from rasa_sdk import Tracker

from dialogue.forms import CLINICAL_SLOTS

ROOT = Path(__file__).resolve().parents[3]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def tracker(
    text: str = "",
    intent: str = "inform",
    entities: Optional[List[Dict[str, Any]]] = None,
    slots: Optional[Dict[str, Any]] = None,
    active_loop: Optional[str] = None,
    events: Optional[List[Dict[str, Any]]] = None,
    new_slots: Optional[Dict[str, Any]] = None,
    sender_id: str = "test",
    channel: str = "rest",
    reading: Optional[Dict[str, Any]] = None,
) -> Tracker:
    """A tracker whose latest message is ``text``. ``slots`` held before the message; ``new_slots``
    were set after it (what the server's slot mappings extracted this turn); ``reading``: the message's reading,
    as the NLU stores it in the parse data."""
    all_slots = {s: None for s in CLINICAL_SLOTS}
    all_slots.update(
        {"requested_slot": None, "failed_attempts": 0, "value_notes": None, "last_assessment": None, "faq_topic": None}
    )
    all_slots.update(slots or {})
    message = {"text": text, "intent": {"name": intent, "confidence": 0.99}, "entities": entities or []}
    if reading is not None:
        message["reading"] = reading
    evs = list(events or [])
    evs += [{"event": "slot", "name": k, "value": v} for k, v in (slots or {}).items()]
    evs.append({"event": "user", "text": text, "parse_data": message, "input_channel": channel})
    evs += [{"event": "slot", "name": k, "value": v} for k, v in (new_slots or {}).items()]
    all_slots.update(new_slots or {})
    data = {
        "sender_id": sender_id,
        "slots": all_slots,
        "latest_message": message,
        "events": evs,
        "paused": False,
        "followup_action": None,
        "active_loop": {"name": active_loop} if active_loop else {},
        "latest_action_name": "action_listen",
    }
    return Tracker.from_dict(json.loads(json.dumps(data)))

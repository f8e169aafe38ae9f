"""What a message says, read once: the values it gives (with their relation to the patient), the numbers that
are not patient values, the series of dated results, what it asks about, and its speech act.

Plain data, no behaviour beyond (de)serialising: the NLU component stores a reading in the message's parse
data, and the actions read it back from the tracker instead of reading the text again.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Dict, List, Optional

KINDS = ("case", "question", "answer", "correction", "command", "out_of_scope", "small_talk")


@dataclass
class Value:
    """A patient value the message states: its field (the decision module's input name), canonical value,
    the words it came from, and whether it is a bound ("MR4" ≤ 0.01 %) rather than the value itself."""

    field: str
    value: Any
    text: str
    start: int = 0
    end: int = 0
    bound: Optional[str] = None  # "<", "<=", ">", ">="
    word: Optional[str] = None  # the response word of a bound ("MR4", "not in MMR")
    assumptions: List[str] = field(default_factory=list)
    related: Dict[str, Any] = field(default_factory=dict)  # other fields the words fix ("400 bid": dosing)
    cued: bool = True  # False: no word named the field ("3 yrs", "1.2 %"), the reader gave it the likeliest one

    def shown(self) -> Dict[str, Any]:
        """The `read` output of the value: {"value", "text"} or {"bound", "value", "text"}."""
        out: Dict[str, Any] = {"value": self.value, "text": self.text}
        if self.bound:
            out = {"bound": self.bound, **out}
        return out


@dataclass
class NotValue:
    """Words a careless reader would take for a patient value, and why they are not one."""

    text: str
    why: str  # "proposed dose", "past value", "hypothetical", "bed number", "weight", ...
    field: Optional[str] = None  # the field it would have been read as
    start: int = 0
    end: int = 0


@dataclass
class Ambiguous:
    """A value whose reading must be asked about (a range, a negation, a hedge, a missing unit)."""

    field: str
    text: str
    question: str = ""


@dataclass
class Point:
    """One dated BCR-ABL1 result of a series (% IS, months on imatinib)."""

    value: float
    months: Optional[float] = None


@dataclass
class MessageReading:
    text: str
    kind: str  # one of KINDS
    assessment: Optional[str] = None  # for a case: the assessment it calls for
    topic: Optional[str] = None  # for a question: the FAQ topic that answers it
    scope: Optional[str] = None  # for out_of_scope / command: its class ("other_drug", "orders", ...)
    values: Dict[str, Value] = field(default_factory=dict)
    not_values: List[NotValue] = field(default_factory=list)
    ambiguous: List[Ambiguous] = field(default_factory=list)
    series: List[Point] = field(default_factory=list)
    proposal: Optional[int] = None  # a dose the message proposes ("reduce her to 300?"), never the current one
    unassigned: List[Value] = field(default_factory=list)  # bare numbers and durations with no field named
    correction: bool = False  # words of a correction ("sorry, it was…", "0.05 not 0.5")
    reason: str = ""  # why the speech act was chosen (for logs at DEBUG and tests)

    def as_json(self) -> Dict[str, Any]:
        """The `read` output (issue 20): kind, assessment, topic, values, not_values, series, ambiguous."""
        return {
            "kind": self.kind,
            "assessment": self.assessment,
            "topic": self.topic,
            "values": {f: v.shown() for f, v in self.values.items()},
            "not_values": [
                {"text": n.text, "why": n.why, **({"field": n.field} if n.field else {})} for n in self.not_values
            ],
            "series": [{"months": p.months, "bcr_abl1_is": p.value} for p in self.series],  # the input field names
            "ambiguous": [{"field": a.field, "text": a.text} for a in self.ambiguous],
            **({"scope": self.scope} if self.scope else {}),
            **({"proposal": self.proposal} if self.proposal is not None else {}),
        }

    def as_dict(self) -> Dict[str, Any]:
        """Everything, for the message's parse data (read back with ``from_dict``)."""
        return asdict(self)

    def examples(self) -> Dict[str, str]:
        """A general question's example values, by field, as written ("0.07%", "12 mo"); of a number and a word
        for one field ("would 0.3 % count as MMR"), the number."""
        out: Dict[str, str] = {}
        for n in self.not_values:
            if n.field and n.why in ("example in a general question", "hypothetical"):
                if n.field not in out or not any(ch.isdigit() for ch in out[n.field]):
                    out[n.field] = n.text
        return out

    @classmethod
    def of_message(cls, message: Optional[Dict[str, Any]]) -> Optional["MessageReading"]:
        """The reading the NLU stored in a message's parse data (key ``reading``); None without one (a button's
        payload, a message from before the reading existed)."""
        data = (message or {}).get("reading")
        try:
            return cls.from_dict(data) if data else None
        except (TypeError, ValueError):
            return None

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "MessageReading":
        d = dict(data)
        d["values"] = {k: Value(**v) for k, v in (d.get("values") or {}).items()}
        d["not_values"] = [NotValue(**n) for n in d.get("not_values") or []]
        d["ambiguous"] = [Ambiguous(**a) for a in d.get("ambiguous") or []]
        d["series"] = [Point(**p) for p in d.get("series") or []]
        d["unassigned"] = [Value(**v) for v in d.get("unassigned") or []]
        return cls(**d)

"""One action per assessment: the form's values → the decision module → a cited card; and what a clinician
does with a card afterwards: "why?", "sources", "copy as note", "new patient".

A recommendation is one message: its text (markdown, for REST and as the fallback) and the card
(``knowledge.card``) as the custom payload ``{"type": "recommendation", "card_id", "title", "assessment":
<Assessment JSON, unchanged>, "references": [{n, key, text, url}], "based_on", "findings", "series",
"note", "buttons", "disclaimer"}``; the citation numbers are the same in both, and in a later "why?" on
that card. An assessment that cannot decide (values missing) gives no card: it says in plain words what
is needed, and a value given next completes it. Every recommendation given is recorded in the audit
trail (audit/__init__.py, knowledge/audit.py) before it is sent.
"""

import logging
import uuid
from abc import ABC, abstractmethod
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.case import reset_events
from audit import WRITER as AUDIT
from dialogue.forms import BOUND, FORMS, IMPLIED_BY, VALUES, bound_value, shown_value
from knowledge import DISCLAIMER, FIELDS, assess_request, faq, field_names
from knowledge.card import Basis, Numbering, Point, assumed_inputs, build, explain, numbers_in

logger = logging.getLogger(__name__)
KEEP_CARDS = 5  # the cards of a conversation that "why?" and "sources" can still be asked about


class AssessAction(Action, ABC):
    @property
    @abstractmethod
    def form(self) -> str:
        """The form whose values this action assesses."""

    def name(self) -> Text:
        return f"action_assess_{FORMS[self.form].assessment}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        request = FORMS[self.form].request(tracker.slots)
        events = recommend(dispatcher, tracker, request, tracker.get_slot("value_sources") or {})
        await AUDIT.settle()  # the audit row is stored before the recommendation is sent
        return events + reset_events()


def based_on(request: Dict[str, Any], sources: Dict[str, str]) -> List[Basis]:
    """The inputs the decision module received, as the clinician gave them."""
    out = []
    for field, value in request.items():
        if field in ("assessment", "on_reduced_dose") or field not in VALUES:
            continue
        label = FIELDS[field].title
        source = sources.get(field) or None
        shown = shown_value(field, value, as_typed=not source)  # "you wrote": every digit written
        if source and source.startswith(IMPLIED_BY):
            out.append(Basis(label, shown, "implied", source[len(IMPLIED_BY) :]))
        elif source and source.startswith(BOUND):  # "MR4 (≤ 0.01 % IS)": the bound as given, never a bare number
            out.append(Basis(label, bound_value(field, source[len(BOUND) :]), "typed"))
        else:
            out.append(Basis(label, shown, "converted" if source else "typed", source))
    return out


def _form_of(assessment: str):
    return next(f for f in FORMS.values() if f.assessment == assessment)


def recommend(
    dispatcher: CollectingDispatcher, tracker: Tracker, request: Dict[str, Any], sources: Dict[str, str]
) -> List[EventType]:
    """Assess ``request`` and reply with its card (or with what is still needed); remembers the case so that
    a value given next, "why?", "sources" and a correction refer to it."""
    result, errors = assess_request(request)
    if errors:  # the forms validate every value, so this is a defect: say so, keep nothing
        logger.error("assessment input rejected by the decision module (%d errors)", len(errors))
        dispatcher.utter_message(
            text="I could not run the assessment with these values: "
            + "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        )
        return []
    logger.info("assessment %s done: %d recommendations", result.assessment, len(result.recommendations))
    form = _form_of(result.assessment)
    shown = int(tracker.get_slot("cards_shown") or 0) + 1
    card_id = f"r{shown}-{uuid.uuid4().hex[:8]}"  # unique: an old card's button never acts on a newer card
    series = [Point(v, m) for v, m in tracker.get_slot("series") or []]
    basis = based_on(request, sources) + assumed_inputs(result)
    card = build(result, request, card_id=card_id, title=form.label, based_on=basis, series=series,
                 on=datetime.now(timezone.utc).date())  # fmt: skip
    last = {"card_id": None, "assessment": result.dict(), "case": request, "sources": sources}
    if not result.recommendations:  # no empty card: what is still needed, or why nothing applies
        dispatcher.utter_message(text=no_recommendation(result, form.label, card.payload))
        return [SlotSet("last_assessment", last), SlotSet("last_answer", {"kind": "needs"})]
    payload = dict(card.payload)
    payload["buttons"] = [
        {"title": "Why?", "payload": f'/why{{"card_id":"{card_id}"}}'},
        {"title": "Sources", "payload": f'/sources{{"card_id":"{card_id}"}}'},
        {"title": "New patient", "payload": "/new_patient"},
    ]
    dispatcher.utter_message(text=card.text, json_message=payload)
    dispatcher.utter_message(text="Ask 'why?' for the rules behind this, or 'sources' for the full references.")
    AUDIT.submit(tracker.sender_id, tracker.get_latest_input_channel(), request, payload["assessment"])
    cards = dict(tracker.get_slot("cards") or {})
    cards[card_id] = {
        "title": form.label,
        "assessment": payload["assessment"],
        "keys": [r["key"] for r in payload["references"]],
        "note": payload["note"],
        "note_full": payload["note_full"],
    }
    cards = dict(list(cards.items())[-KEEP_CARDS:])
    last["card_id"] = card_id
    return [
        SlotSet("last_assessment", last),
        SlotSet("cards", cards),
        SlotSet("cards_shown", shown),
        SlotSet("last_answer", {"kind": "card", "card_id": card_id}),
    ]


def no_recommendation(result: Any, label: str, card: Dict[str, Any]) -> str:
    """In plain words: what the assessment still needs (and offer to take it), or, when nothing is missing,
    why no recommendation applies (the rules that decided that, cited)."""
    if result.missing_inputs:
        lines = [
            f"I cannot give a recommendation for this assessment ({label}) yet: I still need "
            f"{field_names(result.missing_inputs)}."
        ]
        lines += card["findings"]
        lines.append("Give them now (for example '0.5 % at 18 months') and I will complete this assessment.")
        refs = Numbering(r["key"] for r in card["references"]).lines(used=numbers_in(card["findings"]))
    else:
        numbering = Numbering(r["key"] for r in card["references"])  # the findings' numbers stay
        said = [numbering.number(line) for line in explain(result.rules_fired)]
        lines = [f"No recommendation applies in this assessment ({label}):"] + said + card["findings"]
        refs = numbering.lines(used=numbers_in(lines))
    if refs:
        lines += ["References:"] + refs
    return "\n".join(lines + [f"_{DISCLAIMER}_"])


# one assessment action per form (rasa-sdk registers every subclass of Action by its name())
for _form in FORMS.values():
    _cls = type(
        "Assess" + _form.name[: -len("_form")].title().replace("_", ""),
        (AssessAction,),
        {"form": _form.name, "__module__": __name__},
    )
    globals()[_cls.__name__] = _cls


# --- what a clinician does with a card ---------------------------------------------------------------

NOTHING_YET = (
    "There is no recommendation yet. Start an assessment, for example 'assess a dose reduction' "
    "or 'interpret a trough level'."
)


EXPIRED = (
    f"That card is no longer kept (I keep the last {KEEP_CARDS} of a conversation): ask about a newer one, or give "
    "the values again for a new assessment."
)


def _named_card(tracker: Tracker) -> Optional[str]:
    """The id of the card whose button was pressed, if one was."""
    entities = (tracker.latest_message or {}).get("entities") or []
    return next((e.get("value") for e in entities if e.get("entity") == "card_id"), None)


def _expired(tracker: Tracker, dispatcher: CollectingDispatcher) -> bool:
    """A button of a card no longer kept was pressed: said, instead of answering about another card."""
    named, cards = _named_card(tracker), tracker.get_slot("cards") or {}
    if named and cards and named not in cards:  # (no card at all: "no recommendation yet")
        dispatcher.utter_message(text=EXPIRED)
        return True
    return False


def _card_asked(tracker: Tracker) -> Optional[Dict[str, Any]]:
    """The card a "why?" or "sources" is about: the one whose button was pressed, else the latest answer on
    screen if it is a card; None when the latest answer was something else (a general question)."""
    cards = tracker.get_slot("cards") or {}
    named = _named_card(tracker)
    if named:
        return cards.get(named)
    last = tracker.get_slot("last_answer") or {}
    return cards.get(last.get("card_id")) if last.get("kind") == "card" else None


def _topics_asked(tracker: Tracker) -> List[str]:
    """The general answers a "why?" or "sources" is about: the one whose "Sources" button was pressed, else
    those of the latest answer on screen if it was a general answer."""
    entities = (tracker.latest_message or {}).get("entities") or []
    pressed = [e.get("value") for e in entities if e.get("entity") == "faq_topic" and e.get("value") in faq.topic_ids()]
    if pressed:
        return pressed[:1]
    last = tracker.get_slot("last_answer") or {}
    return list(last.get("topics") or []) if last.get("kind") == "faq" else []


class ExplainRules(Action):
    def name(self) -> Text:
        return "action_explain_rules"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if _expired(tracker, dispatcher):
            return []
        card = _card_asked(tracker)
        if card is None and not _topics_asked(tracker) and tracker.active_loop.get("name"):  # about this one
            dispatcher.utter_message(response="utter_why_in_form")
            return []
        if card is None:
            topics = _topics_asked(tracker)
            if topics:
                dispatcher.utter_message(
                    text="That answer is a summary of the evidence, not a decision of the rules; "
                    "'sources' lists the papers it rests on."
                )
            else:
                dispatcher.utter_message(text=NOTHING_YET)
            return []
        last = card["assessment"]
        numbering = Numbering(card["keys"])  # the card's numbering; a source the card did not cite comes after
        lines = [numbering.number(line) for line in explain(last.get("rules_fired") or [])]
        text = [
            f"Why ({card['title']}): the rules that fired, in the order they acted "
            f"(rule set {last.get('rule_set_version')}):"
        ]
        text += [f"{i}. {line}" for i, line in enumerate(lines, 1)]
        if last.get("assumptions"):
            text.append("Assumptions made: " + " ".join(last["assumptions"]))
        used = numbers_in(lines)
        if used:
            text.append("References (numbered as on the card):")
            text += numbering.lines(used)
        text.append(f"_{DISCLAIMER}_")
        dispatcher.utter_message(text="\n".join(text))
        return []


class ShowSources(Action):
    def name(self) -> Text:
        return "action_show_sources"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if _expired(tracker, dispatcher):
            return []
        card = _card_asked(tracker)
        if card is None and not _topics_asked(tracker) and tracker.active_loop.get("name"):  # about this one
            dispatcher.utter_message(response="utter_why_in_form")
            return []
        if card is not None:
            lines = Numbering(card["keys"]).lines(links=True)
            dispatcher.utter_message(
                text=f"Sources of the card '{card['title']}', numbered as on it:\n" + "\n".join(lines)
            )
            return []
        topics = _topics_asked(tracker)
        if topics:  # each answer's references, numbered as in that answer
            parts = [
                f"Sources of '{t.title}', numbered as in the answer:\n" + "\n".join(lines)
                for t in map(faq.get_topic, topics)
                for lines in [faq.topic_numbering(t).lines(links=True)]
            ]
            dispatcher.utter_message(text="\n\n".join(parts))
            return []
        dispatcher.utter_message(text=NOTHING_YET)
        return []


class CopyNote(Action):
    """The card as a plain-text clinical note (Slack's "Copy as note": the short note; its "Copy full note"
    asks for the whole card, ``/copy_note{"card_id": …, "version": "full"}``; the web widget copies both
    itself)."""

    def name(self) -> Text:
        return "action_copy_note"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if _expired(tracker, dispatcher):
            return []
        card = _card_asked(tracker)
        if card is None:
            dispatcher.utter_message(text=NOTHING_YET)
            return []
        full = '"full"' in (tracker.latest_message.get("text") or "")
        note = card.get("note_full") if full and card.get("note_full") else card["note"]
        head = "Full clinical note" if full else "Clinical note"
        dispatcher.utter_message(text=f"{head} (plain text, to paste into the record):\n```\n{note}\n```")
        return []


class StopForm(Action):
    def name(self) -> Text:
        return "action_stop_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if tracker.active_loop.get("name"):
            dispatcher.utter_message(
                text="Stopped. The values of this assessment were discarded. "
                "You can start another assessment or ask a question at any time."
            )
        else:
            dispatcher.utter_message(text="Nothing to stop. You can start an assessment or ask a question.")
        return [{"event": "active_loop", "name": None}] + reset_events()

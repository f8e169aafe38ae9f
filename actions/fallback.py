"""The core fallback: what the assistant says when no rule covers a message, and why it ends the turn.

Rasa predicts ``core_fallback_action_name`` (config.yml) when no rule or story applies; in practice, a
message an open form could not use and no in-form rule handles (another assessment's request with no
values, for example). The action answers once and *reverts the user's message*, as Rasa's own default
fallback does: without the revert the RulePolicy predicts the fallback again after itself, ten times,
and Rasa's circuit breaker then left the conversation mute for good (``bot/custom/fix_silence.py``
has the whole story). The reverted message leaves no trace in the open form: its values are kept and
its question is asked again.
"""

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogue.forms import FORMS, VALUES
from reading.model import MessageReading

from .faq_search import suggest_topics

BY_INTENT = {form.intent: form for form in FORMS.values()}


def in_form_reply(form_name: str, intent: str, requested: str, proposal: "int | None" = None) -> str:
    form = FORMS[form_name]
    other = BY_INTENT.get(intent)
    if proposal is not None:  # "ok so can I reduce her to 300?": answered, and never taken as the current dose
        lead = (
            f"{proposal} mg/day is the dose you propose, not the current dose: the {form.title} assessment says "
            "whether it fits once it has the values."
        )
    elif other is form:
        lead = f"We are already on the {form.title} assessment."
    elif other is not None:
        lead = (
            f"The {form.title} assessment is still open. To start a {other.title} assessment instead, "
            "type 'stop' first, then ask again."
        )
    else:
        lead = f"I could not use that message in the {form.title} assessment."
    question = VALUES[requested].question if requested in VALUES else ""
    return f"{lead} {question}".strip() if question else f"{lead} Type 'stop' to leave it."


class CoreFallback(Action):
    def name(self) -> Text:
        return "action_core_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        form = (tracker.active_loop or {}).get("name")
        if form in FORMS:
            intent = ((tracker.latest_message or {}).get("intent") or {}).get("name") or ""
            read_once = MessageReading.of_message(tracker.latest_message)
            proposal = read_once.proposal if read_once is not None else None
            requested = tracker.get_slot("requested_slot") or ""
            dispatcher.utter_message(text=in_form_reply(form, intent, requested, proposal))
        else:
            suggest_topics(dispatcher, tracker)
        return [UserUtteranceReverted()]

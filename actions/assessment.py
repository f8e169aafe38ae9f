"""One action per assessment: the form's values → the decision module → a cited reply.

Each reply is (a) readable text: the recommendations in order with numbered citation markers,
the reference list and the disclaimer, and (b) a custom payload
``{"type": "recommendation", "assessment": <Assessment JSON, unchanged>, "references": {key: text},
"disclaimer": text}``, so every channel shows the same disclaimer from ``knowledge.vocab``. Every recommendation
given is recorded in the audit trail (actions/audit.py, knowledge/audit.py).
"""

import logging
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.audit import WRITER as AUDIT
from actions.case import reset_events
from actions.forms import FORMS
from knowledge.api import assess_request
from knowledge.explain import explain
from knowledge.render import number_citations, references, render_assessment
from knowledge.vocab import DISCLAIMER

logger = logging.getLogger(__name__)


class AssessAction(Action, ABC):
    @property
    @abstractmethod
    def form(self) -> str:
        """The form whose values this action assesses."""

    def name(self) -> Text:
        return f"action_assess_{FORMS[self.form].assessment}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        request = FORMS[self.form].request(tracker.slots)
        events = recommend(dispatcher, tracker, request, tracker.get_slot("value_notes") or [])
        await AUDIT.settle()  # the audit row is stored before the recommendation is sent
        return events + reset_events()


def recommend(
    dispatcher: CollectingDispatcher, tracker: Tracker, request: Dict[str, Any], notes: List[str]
) -> List[EventType]:
    """Assess ``request`` and reply: the text, the recommendation payload, the audit row; remembers the case
    (``last_assessment``) so that "why?", "sources" and a later correction refer to it."""
    result, errors = assess_request(request)
    if errors:  # the forms validate every value, so this is a defect: say so, keep nothing
        logger.error("assessment input rejected by the decision module (%d errors)", len(errors))
        dispatcher.utter_message(
            text="I could not run the assessment with these values: "
            + "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        )
        return []
    logger.info("assessment %s done: %d recommendations", result.assessment, len(result.recommendations))
    payload = result.dict()
    rendered = render_assessment(result)
    text = rendered.text
    if notes:
        text = "Values read as: " + "; ".join(notes) + "\n" + text
    dispatcher.utter_message(
        text=text,
        json_message={
            "type": "recommendation",
            "assessment": payload,
            "references": rendered.references,
            "disclaimer": DISCLAIMER,
        },
    )
    dispatcher.utter_message(text="Ask 'why?' for the rules behind this, or 'sources' for the full references.")
    AUDIT.submit(tracker.sender_id, tracker.get_latest_input_channel(), request, payload)
    return [SlotSet("last_assessment", {"assessment": payload, "case": request})]


# one assessment action per form (rasa-sdk registers every subclass of Action by its name())
for _form in FORMS.values():
    _cls = type(
        "Assess" + _form.name[: -len("_form")].title().replace("_", ""),
        (AssessAction,),
        {"form": _form.name, "__module__": __name__},
    )
    globals()[_cls.__name__] = _cls


def _last(tracker: Tracker) -> Dict[str, Any]:
    return (tracker.get_slot("last_assessment") or {}).get("assessment") or {}


NOTHING_YET = (
    "There is no recommendation yet. Start an assessment, for example 'assess a dose reduction' "
    "or 'interpret a trough level'."
)


class ExplainRules(Action):
    def name(self) -> Text:
        return "action_explain_rules"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        last = _last(tracker)
        if not last:
            dispatcher.utter_message(text=NOTHING_YET)
            return []
        rules = last.get("rules_fired") or []
        if not rules:
            dispatcher.utter_message(
                text="No rule decided anything in the last assessment: values were missing ("
                + ", ".join(last.get("missing_inputs") or [])
                + ")."
            )
            return []
        lines, keys = number_citations(explain(rules))
        text = [f"Why: the rules that fired, in the order they acted (rule set {last.get('rule_set_version')}):"]
        text += [f"{i}. {line}" for i, line in enumerate(lines, 1)]
        if last.get("assumptions"):
            text.append("Assumptions made: " + " ".join(last["assumptions"]))
        text.append("References:")
        text += references(keys)
        text.append(f"_{DISCLAIMER}_")
        dispatcher.utter_message(text="\n".join(text))
        return []


class ShowSources(Action):
    def name(self) -> Text:
        return "action_show_sources"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        last = _last(tracker)
        if not last:
            dispatcher.utter_message(text=NOTHING_YET)
            return []
        keys: List[str] = []
        for r in last.get("recommendations") or []:
            keys += [k for k in r.get("citations") or [] if k not in keys]
        _, ordered = number_citations([r.get("detail", "") for r in last.get("recommendations") or []], keys)
        dispatcher.utter_message(text="Sources of the last recommendation:\n" + "\n".join(references(ordered)))
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

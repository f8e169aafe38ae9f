"""What the assistant does not do: a short, plain statement for each class of out-of-scope message.

The class comes from the NLU (``reading/speech.py``, entity ``scope``); never a form, never FAQ buttons
that pretend to be relevant. An emergency is sent to urgent local care first.
"""

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from knowledge.faq import uncovered

WHAT_I_DO = (
    "I only support clinicians with imatinib dose optimisation in chronic-phase CML: I answer questions "
    "from the evidence and assess a patient's values (response, dose reduction, trough levels, work-up, "
    "mutations, follow-up after a reduction)."
)
REPLIES = {
    "emergency": "This sounds like an emergency: get urgent help now through your local emergency team or "
    "emergency services. I cannot help with emergencies. " + WHAT_I_DO,
    "orders": "I cannot prescribe, order tests, write in the patient's record, contact a patient or change a "
    "dose: I only give decision support, for you to act on in your own systems. " + WHAT_I_DO,
    "identifiers": "I cannot look up or keep patient identifiers (names, dates of birth, record numbers, "
    "addresses): give me clinical values only. " + WHAT_I_DO,
    "layperson": "I am designed for clinicians, so I cannot advise on your own or a relative's tablets. Please "
    "ask the doctor, nurse or pharmacist who looks after the treatment; if someone feels unwell now, contact "
    "them or urgent care.",
    "other_drug": "Dosing or managing other drugs is outside what I can advise on. " + WHAT_I_DO,
    # another CML TKI's dosing, levels or monitoring: said as the sources' gap, with the nearest topics (issue 20)
    "other_tki": next(g.text for g in uncovered.GAPS if g.id == "other_tki_dosing") + " " + WHAT_I_DO,
    "pet": "I cannot advise on animals or animal studies (for a pet, please ask a veterinarian). " + WHAT_I_DO,
    "child": "My rules are for adults: children and adolescents (imatinib included) are outside my scope; please "
    "use your paediatric formulary and the paediatric haematology team. " + WHAT_I_DO,
    "other_disease": "I cover imatinib in chronic myeloid leukaemia only: other diseases, including others "
    "treated with imatinib (GIST, Ph+ ALL), are outside my scope. " + WHAT_I_DO,
    "creative": "I do not write creative pieces. " + WHAT_I_DO,
    "other_task": "I do not write code, translate documents, give prices or help with tasks outside clinical "
    "decision support. " + WHAT_I_DO,
    "injection": "I cannot change how I work or show my configuration. " + WHAT_I_DO,
    "smalltalk": "That is outside what I can help with. " + WHAT_I_DO,
    "wrong_chat": "That looks meant for another chat, so I have set it aside. " + WHAT_I_DO,
}
DEFAULT = "That is outside what I can help with. " + WHAT_I_DO + " Type 'help' for examples."


def scope_reply(scope_class: str) -> str:
    return REPLIES.get(scope_class, DEFAULT)


class StateScope(Action):
    def name(self) -> Text:
        return "action_out_of_scope"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        entities = (tracker.latest_message or {}).get("entities") or []
        scope_class = next((e.get("value") for e in entities if e.get("entity") == "scope"), "")
        dispatcher.utter_message(text=scope_reply(str(scope_class)))
        return []

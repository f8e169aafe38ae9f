"""Custom Rasa 3.6 NLU components of the assistant.

``ClinicalTokenizer`` gives the featurizers the clinical lexicon's words; ``CaseRouter`` decides,
from words and values, between a case, a question and out of scope (``reading/speech.py``).
``ClinicalEntityExtractor`` adds the clinical values that :func:`reading.extraction.extract`
finds in a message to the message's entities. It needs no training and no tokenizer of its
own. Use it in ``config.yml`` as ``- name: bot.custom.components.ClinicalEntityExtractor``.

Config:
  ``entities``: list of labels to keep (default: all, see ``reading.extraction.LABELS``).
  ``include_generic``: also emit the dialogue-resolved labels ``percent`` and ``duration``
  (default ``True``).

The component never logs message text above DEBUG (clinical data).
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any, Dict, List, Optional, Set, Text, Tuple

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_CONFIDENCE,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from reading import extraction, reader
from reading import speech as reading

READING = "reading"  # the parse data's key of the message's reading (reading.model.MessageReading.as_dict)

logger = logging.getLogger(__name__)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class ClinicalEntityExtractor(GraphComponent):
    """Rule-based extractor of clinical values (doses, BCR-ABL1, troughs, durations, ...)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"entities": None, "include_generic": True}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._config = {**self.get_default_config(), **(config or {})}
        wanted = self._config.get("entities")
        labels = set(wanted) if wanted else set(extraction.LABELS)
        if not self._config.get("include_generic", True):
            labels -= set(extraction.GENERIC_LABELS)
        self._labels = labels

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ClinicalEntityExtractor:
        """Creates the component (nothing to train or load)."""
        component = cls(config)
        extraction.pipeline()  # build the spaCy matcher now, not on the first message
        return component

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training data passes unchanged: the component is rule-based."""
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Reads each message once (``reading.read``): stores the reading in the message's parse data (the
        router and the actions use it instead of reading the text again) and appends the entities of its
        current values (existing entities are kept)."""
        for message in messages:
            text: Optional[Text] = message.get(TEXT)
            if not isinstance(text, str) or not text:
                continue
            read_once, found_values = reader.entities(text)
            message.set(READING, read_once.as_dict(), add_to_output=True)
            found = [
                {
                    ENTITY_ATTRIBUTE_TYPE: e["entity"],
                    ENTITY_ATTRIBUTE_VALUE: e["value"],
                    ENTITY_ATTRIBUTE_START: e["start"],
                    ENTITY_ATTRIBUTE_END: e["end"],
                    ENTITY_ATTRIBUTE_CONFIDENCE: 1.0,
                    EXTRACTOR: self.__class__.__name__,
                    **({reader.READ_AS: e[reader.READ_AS]} if reader.READ_AS in e else {}),
                }
                for e in found_values
                if e["entity"] in self._labels
            ]
            logger.debug(
                "%s: %d entities (%s)",
                self.__class__.__name__,
                len(found),
                ", ".join(e[ENTITY_ATTRIBUTE_TYPE] for e in found),
            )
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages


# the routing policy is in reading/speech.py (run when a message is read, not learnt: changing it needs no
# training); these names stay importable from here
ASSESS_PREFIX, ASSESSMENT_INTENTS, FALLBACK_INTENT = reading.ASSESS_PREFIX, reading.ASSESSMENT_INTENTS, reading.FALLBACK
OURS = reading.OURS
WORD = re.compile(r"[a-z]{2,}")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class ClinicalTokenizer(WhitespaceTokenizer):
    """Rasa's whitespace tokenizer whose tokens carry the clinical lexicon's word as their lemma.

    The featurizers read lemmas, so "pt", "IM", "b4", "yrs" and "leukaemia" look like "patient",
    "imatinib", "before", "years" and "leukemia" to the classifier, and every number looks alike
    ("0"): the classifier learns words, the extractor reads the numbers. Offsets are unchanged.
    """

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        tokens = super().tokenize(message, attribute)
        for t in tokens:
            t.lemma = "0" if NUMBER.fullmatch(t.text) else reading.canonical_word(t.text)
        return tokens


NUMBER = re.compile(r"[-+]?[0-9]+(?:[.,][0-9]+)*")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class CaseRouter(GraphComponent):
    """Decides from the words and the values found whether a message is a case, a question or out of scope.

    The classifier (DIET) is one signal; these rules decide where the words are clear (``reading/speech.py``):
    1. out of scope (an emergency, an order or prescription, a layperson, another drug, a pet,
       identifiers, attempts to change the rules, small talk) → ``out_of_scope``, with its class as
       the entity ``scope``;
    2. a patient case (values that describe a patient, or words about one) → the assessment its words
       and values call for (``assess_*``), or ``inform`` when that is not clear (the bot asks which,
       keeping the values); a correction of a value ("sorry, it was 0.05 not 0.5") is marked with the
       entity ``correction``;
    3. a general question, even about "a patient" → ``faq``;
    4. a message with no clinical value whose words are mostly unknown to the training data (random
       characters) → ``nlu_fallback``, never "no", "stop" or an assessment;
    5. otherwise the classifier's intent stands (``inform`` without any value yields to the next).
    The vocabulary of rule 4 is learnt from the training examples.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"min_known_words": 0.5}

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: Optional[ModelStorage] = None,
        resource: Optional[Resource] = None,
        vocabulary: Optional[Set[str]] = None,
    ) -> None:
        config = {**self.get_default_config(), **(config or {})}
        self._min_known = float(config["min_known_words"])
        self._storage, self._resource = model_storage, resource
        self._vocabulary = vocabulary

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CaseRouter":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        words: Set[str] = set()
        for example in training_data.training_examples:
            words.update(WORD.findall(reading.canonical(example.get(TEXT) or "")))
        self._vocabulary = words | set(reading.LEXICON.values())
        with self._storage.write_to(self._resource) as directory:
            (directory / "vocabulary.json").write_text(json.dumps(sorted(self._vocabulary)), encoding="utf-8")
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "CaseRouter":
        try:
            with model_storage.read_from(resource) as directory:
                vocabulary = set(json.loads((directory / "vocabulary.json").read_text(encoding="utf-8")))
        except (ValueError, OSError):
            logger.warning("CaseRouter: no vocabulary in the model; the noise rule is off")
            vocabulary = None
        return cls(config, model_storage, resource, vocabulary)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    # --- the rules

    def _is_noise(self, text: str, values: List[Dict[Text, Any]]) -> bool:
        if not self._vocabulary or values:
            return False
        words = WORD.findall(reading.canonical(text))
        if not words:
            return False
        known = sum(w in self._vocabulary for w in words)
        return known / len(words) < self._min_known

    def decide(self, text: str, *args: Any) -> Tuple[Optional[str], List[Dict[Text, Any]], str]:
        """(intent, extra entities, reason) from ``reading.route(text, intent, ranking, values, faq_confidence,
        confidence)``; intent None keeps the classifier's."""
        values = args[2] if len(args) > 2 else []
        decided, extra, reason = reading.route(text, *args, noise=lambda: self._is_noise(text, values))
        return decided, [_entity(name, value) for name, value in extra], reason

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            current = message.get("intent") or {}
            ranking = list(message.get("intent_ranking") or [])
            values = [e for e in message.get(ENTITIES) or [] if e.get(EXTRACTOR) == OURS]
            selected = ((message.get("response_selector") or {}).get("faq") or {}).get("response") or {}
            decided, extra, reason = self.decide(
                text,
                current.get("name"),
                ranking,
                values,
                float(selected.get("confidence") or 0.0),
                float(current.get("confidence") or 0.0),
            )
            decided, reason = _as_read(message.get(READING) or {}, decided or current.get("name"), reason)
            entities = list(message.get(ENTITIES) or [])
            if decided == "faq" and (
                reason == "general question" or (message.get(READING) or {}).get("kind") == "question"
            ):
                # values in a general question are examples, not a patient's: no form keeps them
                entities = [e for e in entities if e.get(EXTRACTOR) != OURS]
            if extra or len(entities) != len(message.get(ENTITIES) or []):
                message.set(ENTITIES, entities + extra, add_to_output=True)
            if decided and (decided != current.get("name") or float(current.get("confidence") or 0) < 0.9):
                confidence = 1.0 if decided == FALLBACK_INTENT else max(float(current.get("confidence") or 0.0), 0.9)
                chosen = {"name": decided, "confidence": confidence}
                # the rule decided: the other intents no longer compete (no ambiguity for the fallback)
                others = [
                    dict(x, confidence=round(min(float(x.get("confidence") or 0), confidence) / 2, 4))
                    for x in ranking
                    if x.get("name") != decided
                ]
                message.set("intent", chosen, add_to_output=True)
                message.set("intent_ranking", [chosen] + others, add_to_output=True)
            logger.debug("CaseRouter: %s", reason)
        return messages


UNCLEAR = "unclear: answered as a question"  # a reading with no sign of a question ("none yet"): not converted


def _as_read(read_once: Dict[Text, Any], decided: Optional[str], reason: str) -> Tuple[Optional[str], str]:
    """The message's reading decides between a question and a case where the router's older cues did not:
    a question with at most one value and no word of a patient is answered as a question (its value is an
    example), and two or more of a patient's values make a case, also when it asks a general question too."""
    kind, why = read_once.get("kind"), read_once.get("reason", "")
    if decided == "choose_faq_topic" and kind and len(str(read_once.get("text") or "").split()) > 5:
        # a sentence of the domain chooses no topic ("she would like to stop …"); "open the second one" may
        decided, reason = ("faq" if kind != "case" else "inform"), "typed words choose no topic"
    assessing = bool(decided) and (decided.startswith(ASSESS_PREFIX) or decided == "inform")
    if kind == "question" and assessing and why != UNCLEAR:  # a general question, however many example values
        return "faq", why
    if kind == "case" and why == "a patient's values" and decided in ("faq", FALLBACK_INTENT, "out_of_scope"):
        assessment = read_once.get("assessment")
        return (ASSESSMENT_INTENTS[assessment] if assessment else "inform"), why
    return decided, reason


def _entity(name: str, value: str) -> Dict[Text, Any]:
    return {
        ENTITY_ATTRIBUTE_TYPE: name,
        ENTITY_ATTRIBUTE_VALUE: value,
        ENTITY_ATTRIBUTE_START: 0,
        ENTITY_ATTRIBUTE_END: 0,
        ENTITY_ATTRIBUTE_CONFIDENCE: 1.0,
        EXTRACTOR: "CaseRouter",
    }

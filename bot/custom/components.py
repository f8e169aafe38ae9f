"""Custom Rasa 3.6 NLU components of the assistant.

``ClinicalEntityExtractor`` adds the clinical values that :func:`bot.extraction.extract`
finds in a message to the message's entities. It needs no training and no tokenizer of its
own. Use it in ``config.yml`` as ``- name: bot.custom.components.ClinicalEntityExtractor``.

Config:
  ``entities``: list of labels to keep (default: all, see ``bot.extraction.LABELS``).
  ``include_generic``: also emit the dialogue-resolved labels ``percent`` and ``duration``
  (default ``True``).

The component never logs message text above DEBUG (clinical data).
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any, Dict, List, Optional, Set, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
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

from bot import extraction

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
        """Appends the extracted entities to each message (existing entities are kept)."""
        for message in messages:
            text: Optional[Text] = message.get(TEXT)
            if not isinstance(text, str) or not text:
                continue
            found = [
                {
                    ENTITY_ATTRIBUTE_TYPE: e["entity"],
                    ENTITY_ATTRIBUTE_VALUE: e["value"],
                    ENTITY_ATTRIBUTE_START: e["start"],
                    ENTITY_ATTRIBUTE_END: e["end"],
                    ENTITY_ATTRIBUTE_CONFIDENCE: 1.0,
                    EXTRACTOR: self.__class__.__name__,
                }
                for e in extraction.extract(text)
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


PATIENT_REFERENCE = re.compile(
    r"\b(?:my|our|this|the)\s+(?:patient|pt|lady|man|woman|gentleman|case)\b|\bpatient's\b|"
    r"\b(?:he|she|him|her|his|hers)\b|\bmy\s+(?:pt|patients?)\b|"
    r"\b(?:this|these)\s+(?:\w+\s+)?(?:trough|level|result|results|pcr|value|values)\b|"
    r"\bhelp\s+(?:me\s+)?with\s+a\s+(?:patient|pt)\b",
    re.IGNORECASE,
)
ASSESS_PREFIX = "assess_"


WORD = re.compile(r"[a-z]{2,}")
FALLBACK_INTENT = "nlu_fallback"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class PatientQuestionRouter(GraphComponent):
    """Routes three kinds of message DIET tends to mislabel, by rules a clinician would agree with.

    1. A question about a specific patient goes to an assessment rather than to the FAQ.
    2. ``inform`` means "here are patient values": with no value found, the next candidate wins.
    3. A message with no clinical value in which most words are words no training example uses
       (random characters, a cat on the keyboard) means nothing: ``nlu_fallback``, never "no",
       "stop" or an assessment that DIET's character n-grams happened to favour.

    The FAQ answers general questions; a message that refers to one patient ("is my patient …",
    "her trough is …") is asking for an assessment. When DIET picks
    ``faq`` for such a message and an ``assess_*`` intent is among its next candidates, that
    assessment is chosen instead. The vocabulary of rule 3 is learnt from the training examples.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"candidates": 3, "min_known_words": 0.5}

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: Optional[ModelStorage] = None,
        resource: Optional[Resource] = None,
        vocabulary: Optional[Set[str]] = None,
    ) -> None:
        config = {**self.get_default_config(), **(config or {})}
        self._candidates = int(config["candidates"])
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
    ) -> "PatientQuestionRouter":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        words: Set[str] = set()
        for example in training_data.training_examples:
            words.update(WORD.findall((example.get(TEXT) or "").lower()))
        self._vocabulary = words
        with self._storage.write_to(self._resource) as directory:
            (directory / "vocabulary.json").write_text(json.dumps(sorted(words)), encoding="utf-8")
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "PatientQuestionRouter":
        try:
            with model_storage.read_from(resource) as directory:
                vocabulary = set(json.loads((directory / "vocabulary.json").read_text(encoding="utf-8")))
        except (ValueError, OSError):
            logger.warning("PatientQuestionRouter: no vocabulary in the model; rule 3 is off")
            vocabulary = None
        return cls(config, model_storage, resource, vocabulary)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def _is_noise(self, message: Message) -> bool:
        if not self._vocabulary:
            return False
        if any(e.get(EXTRACTOR) == "ClinicalEntityExtractor" for e in message.get(ENTITIES) or []):
            return False
        words = WORD.findall((message.get(TEXT) or "").lower())
        if not words:
            return False
        known = sum(w in self._vocabulary for w in words)
        return known / len(words) < self._min_known

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get("intent") or {}
            if intent.get("name") and self._is_noise(message):
                ranking = message.get("intent_ranking") or []
                message.set("intent", {"name": FALLBACK_INTENT, "confidence": 1.0}, add_to_output=True)
                message.set(
                    "intent_ranking", [{"name": FALLBACK_INTENT, "confidence": 1.0}] + list(ranking), add_to_output=True
                )
                logger.debug("message without known words: nlu_fallback")
                continue
            if intent.get("name") == "inform":
                self._inform_needs_a_value(message, intent)
                continue
            if intent.get("name") != "faq":
                continue
            if not PATIENT_REFERENCE.search(message.get(TEXT) or ""):
                continue
            ranking = message.get("intent_ranking") or []
            target = next(
                (r for r in ranking[1 : self._candidates + 1] if str(r.get("name", "")).startswith(ASSESS_PREFIX)), None
            )
            if target is None:
                continue
            confidence = max(float(target.get("confidence") or 0.0), float(intent.get("confidence") or 0.0))
            message.set("intent", {"name": target["name"], "confidence": confidence}, add_to_output=True)
            message.set(
                "intent_ranking",
                [dict(target, confidence=confidence)] + [r for r in ranking if r is not target],
                add_to_output=True,
            )
            logger.debug("patient-specific question routed to %s", target["name"])
        return messages

    @staticmethod
    def _inform_needs_a_value(message: Message, intent: Dict[Text, Any]) -> None:
        """``inform`` gives patient values: without any value found it is the next candidate's turn."""
        if any(e.get(EXTRACTOR) == "ClinicalEntityExtractor" for e in message.get(ENTITIES) or []):
            return
        ranking = message.get("intent_ranking") or []
        if len(ranking) < 2 or not ranking[1].get("name"):
            return
        chosen = {"name": ranking[1]["name"], "confidence": float(ranking[1].get("confidence") or 0.0)}
        message.set("intent", chosen, add_to_output=True)
        message.set("intent_ranking", [ranking[1], ranking[0]] + list(ranking[2:]), add_to_output=True)
        logger.debug("inform without a value routed to %s", ranking[1]["name"])

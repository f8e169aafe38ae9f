"""Imatinib dose-optimisation knowledge: decision module, sources registry, FAQ content.

Pure, deterministic Python: no Rasa import, no I/O at import time. The rest of the project uses it through
six entry points (tests/unit/repo/test_layers.py holds them to that):

- ``knowledge`` (this module): assess a case, its input and output models, the field registry, the
  vocabulary, the thresholds and the mutation names;
- ``knowledge.normalize``: a value as written ("MR4.5", "2.1 µmol/L") → the number the rules take;
- ``knowledge.card``: what a recommendation shows (the card, citations, the rules explained, sources);
- ``knowledge.faq``: the FAQ topics, their text, worked examples and the questions the sources leave open;
- ``knowledge.audit``: the audit row of a recommendation;
- ``knowledge.cli``: the command-line conventions of the project's commands.
"""

from . import mutations, thresholds
from .api import assess_request, response_status, validate_case
from .fields import ASSESSMENT_NAMES, FIELDS, UNKNOWN, said, value_text
from .lexicon import LEXICON, canonical, canonical_word
from .models import UNITS, Assessment, PatientCase, Recommendation, out_of_range
from .mutations import ABL1_REFERENCE, normalize_mutation
from .rules import assess
from .vocab import ASSESSMENTS, DISCLAIMER, INDICATORS, PHASES, RULE_SET_VERSION, field_names

__all__ = [
    "ABL1_REFERENCE",
    "ASSESSMENTS",
    "ASSESSMENT_NAMES",
    "Assessment",
    "DISCLAIMER",
    "FIELDS",
    "INDICATORS",
    "LEXICON",
    "PHASES",
    "PatientCase",
    "RULE_SET_VERSION",
    "UNKNOWN",
    "Recommendation",
    "UNITS",
    "assess",
    "assess_request",
    "canonical",
    "canonical_word",
    "field_names",
    "mutations",
    "normalize_mutation",
    "out_of_range",
    "response_status",
    "said",
    "thresholds",
    "validate_case",
    "value_text",
]

"""The FAQ, one entry point: the topics (``knowledge/topics.py``: their statements and sources), a topic as
text (``render_topic``), the worked example of a clinician's own numbers (``examples``) and the questions
the sources leave open (``uncovered``)."""

from . import examples, uncovered
from .render import UNVERIFIED_CAVEAT, render_topic
from .topics import TOPICS, Statement, Topic, get_topic, topic_ids

__all__ = [
    "TOPICS",
    "Statement",
    "Topic",
    "UNVERIFIED_CAVEAT",
    "examples",
    "get_topic",
    "render_topic",
    "topic_ids",
    "uncovered",
]

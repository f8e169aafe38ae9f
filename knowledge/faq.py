"""The FAQ, one entry point: the topics (``knowledge/topics.py``: their statements and sources), a topic as
text (``render_topic``; ``topic_numbering`` its citations, ``plain`` the text to copy), the worked example of
a clinician's own numbers (``examples``) and the questions the sources leave open (``uncovered``)."""

from . import examples, uncovered
from .render import UNVERIFIED_CAVEAT, plain, render_topic, topic_numbering
from .topics import TOPICS, Statement, Topic, get_topic, topic_ids

__all__ = [
    "TOPICS",
    "Statement",
    "Topic",
    "UNVERIFIED_CAVEAT",
    "examples",
    "get_topic",
    "plain",
    "render_topic",
    "topic_ids",
    "topic_numbering",
    "uncovered",
]

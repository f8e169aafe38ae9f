"""Closest FAQ topics for messages the assistant did not understand: SQLite full-text search.

Built once per action-server process, in memory, from ``knowledge.faq`` through sqlite-utils.
Never gives a recommendation: it only offers topics as buttons.
"""

import re
from functools import lru_cache
from typing import List, Text

import sqlite_utils
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from knowledge import faq
from knowledge.render import render_topic

STOPWORDS = {
    "the",
    "a",
    "an",
    "is",
    "of",
    "to",
    "in",
    "for",
    "and",
    "or",
    "what",
    "how",
    "do",
    "does",
    "i",
    "my",
    "me",
    "can",
    "it",
    "on",
    "with",
    "be",
    "are",
    "should",
    "when",
    "about",
    "you",
    "this",
}


@lru_cache(maxsize=1)
def _db() -> sqlite_utils.Database:
    db = sqlite_utils.Database(memory=True)
    db["faq"].insert_all(
        (
            {
                "id": t.id,
                "title": t.title,
                "question": t.question,
                "keywords": " ".join(t.keywords),
                "body": " ".join(s.text for s in t.statements),
            }
            for t in faq.TOPICS
        ),
        pk="id",
    )
    db["faq"].enable_fts(["title", "question", "keywords", "body"], tokenize="porter")
    return db


def search(text: str, limit: int = 3) -> List[faq.Topic]:
    """Topics that best match ``text`` (bm25), at most ``limit``; empty when nothing matches."""
    words = [w for w in re.findall(r"[a-z0-9.]+", (text or "").lower()[:500]) if w not in STOPWORDS]
    words = [w.strip(".") for w in words if len(w.strip(".")) > 1][:20]
    if not words:
        return []
    query = " OR ".join(f'"{w}"' for w in words)
    rows = (
        _db()
        .execute(
            "select faq.id from faq join faq_fts on faq.rowid = faq_fts.rowid "
            "where faq_fts match ? order by bm25(faq_fts, 3.0, 2.0, 2.0, 1.0) limit ?",
            [query, limit],
        )
        .fetchall()
    )
    return [faq.get_topic(r[0]) for r in rows]


class SearchFaq(Action):
    def name(self) -> Text:
        return "action_search_faq"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        topics = search((tracker.latest_message or {}).get("text") or "")
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        if topics:
            lead = (
                "That is outside what I can help with, but these topics may be related:"
                if intent == "out_of_scope"
                else "I am not sure I understood. Is it one of these topics?"
            )
            dispatcher.utter_message(
                text=lead,
                buttons=[{"title": t.title, "payload": f'/choose_faq_topic{{"faq_topic":"{t.id}"}}'} for t in topics],
            )
        else:
            dispatcher.utter_message(
                text="That is outside what I can help with. I answer questions on imatinib dose optimisation "
                "in CML and run assessments: response milestones, dose reduction, trough levels (TDM), "
                "suboptimal-response work-up, mutations, and follow-up after a reduction. Type 'help' "
                "for examples."
            )
        return []


class AnswerFaqTopic(Action):
    def name(self) -> Text:
        return "action_answer_faq_topic"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        topic_id = tracker.get_slot("faq_topic")
        try:
            topic = faq.get_topic(topic_id or "")
        except KeyError:
            dispatcher.utter_message(text="I do not know that topic. Type 'help' to see what I can answer.")
            return []
        dispatcher.utter_message(text=render_topic(topic))
        return []

"""Closest FAQ topics for messages the assistant did not understand: SQLite full-text search.

Built once per action-server process, in memory, from ``knowledge.faq`` through sqlite-utils.
Never gives a recommendation: it only offers topics as buttons.
"""

import re
from functools import lru_cache
from typing import Any, Dict, List, Optional, Text, Tuple

import sqlite_utils
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from knowledge import DISCLAIMER, canonical, faq
from knowledge.card import SOURCES, Numbering
from knowledge.faq import examples, plain, render_topic, uncovered
from knowledge.normalize import NormalizationError, normalize
from reading.model import MessageReading

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


def suggest_topics(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """The closest FAQ topics as buttons, or what the assistant does when nothing matches."""
    topics = search((tracker.latest_message or {}).get("text") or "")
    intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
    if topics:
        lead = (
            "That is outside what I can help with, but these topics may be related:"
            if intent == "out_of_scope"
            else "I am not sure what you are asking. Which of these do you mean?"
        )
        dispatcher.utter_message(text=lead, buttons=topic_buttons(topics))
    else:
        dispatcher.utter_message(
            text="That is outside what I can help with. I answer questions on imatinib dose optimisation "
            "in CML and run assessments: response milestones, dose reduction, trough levels (TDM), "
            "suboptimal-response work-up, mutations, and follow-up after a reduction. Type 'help' "
            "for examples."
        )


class SearchFaq(Action):
    def name(self) -> Text:
        return "action_search_faq"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        suggest_topics(dispatcher, tracker)
        return []


# --- answering a general question ------------------------------------------------------------------

FTS_WEIGHT = (0.2, 0.1, 0.05)  # what the keyword search adds to the selector's confidence, by rank
# where a message that asks two things divides ("MR4 vs MMR", "…? And how …", "2 qs: … and how …")
TWO_QUESTIONS = re.compile(
    r"\bvs\.?\s|\bversus\b|\?\s+|[,;]\s*(?:and|also|plus)\b|\band\s+(?=(?:how|what|when|where|which|why|is|are|"
    r"do|does)\b)|^\s*(?:2|two)\s*q\w*\s*[:-]",
    re.I,
)
WORDS = re.compile(r"[a-z0-9]{2,}", re.I)
MR_SPACED = re.compile(r"\bmr\s+(\d(?:\.5)?)\b")
SECOND_MIN = 0.15  # a second part must name its topic clearly
PART_FTS_WEIGHT, PART_KEYWORD_WEIGHT = (0.1, 0.05, 0.02), 0.3


KEYWORD_WEIGHT, KEYWORD_CAP = 0.15, 0.45
STUDY_WEIGHT = 0.45  # a study named by its first author or acronym ("what did Kantarjian show") points to the
# topics that cite it, more surely than any common term
_ACRONYM = re.compile(r"\b[A-Z]{4,}\b")


@lru_cache(maxsize=1)
def _study_patterns() -> List[Tuple[str, "re.Pattern[str]"]]:
    """Per topic, the names of the studies it cites: first authors' surnames and the acronyms in the titles
    (DESTINY, OPTIM), from the sources registry."""
    out = []
    for t in faq.TOPICS:
        names = set()
        for key in {c for st in t.statements for c in st.citations}:
            src = SOURCES.get(key)
            if src is None:
                continue
            surname = re.split(r"[\s,/]", src.authors.strip(), maxsplit=1)[0]
            if len(surname) >= 4 and surname.isalpha():
                names.add(surname.lower())
            names.update(a.lower() for a in _ACRONYM.findall(src.title or "") if a != "CML")
        out.extend((t.id, re.compile(rf"(?<![\w]){re.escape(n)}(?![\w])")) for n in sorted(names))
    return out


def _named_in(query: str, patterns: List[Tuple[str, "re.Pattern[str]"]]) -> Dict[str, set]:
    hits: Dict[str, set] = {}
    for topic_id, pattern in patterns:
        m = pattern.search(query)
        if m:
            hits.setdefault(topic_id, set()).add(m.group(0))
    return hits


@lru_cache(maxsize=1)
def _keyword_patterns() -> List[Tuple[str, "re.Pattern[str]"]]:
    out = []
    for t in faq.TOPICS:
        for k in t.keywords:
            term = canonical(k)
            if len(term) >= 3:
                out.append((t.id, re.compile(rf"(?<![\w.]){re.escape(term)}(?![\w]|\.\d)")))
    return out


def _keyword_hits(query: str) -> Dict[str, set]:
    """Per topic, which of its terms the question names; a term inside a longer term named at the same place
    counts only as the longer one ("in MMR for" names the reduction criteria, not the definition of MMR)."""
    found = []
    for topic_id, pattern in _keyword_patterns():
        m = pattern.search(query)
        if m:
            found.append((topic_id, m.group(0), m.start(), m.end()))
    hits: Dict[str, set] = {}
    for topic_id, term, start, end in found:
        inside = any(s <= start and end <= e and (e - s) > (end - start) for _, _, s, e in found)
        if not inside:
            hits.setdefault(topic_id, set()).add(term)
    return hits


def _document_frequency(hits: Dict[str, set]) -> Dict[str, int]:
    df: Dict[str, int] = {}
    for terms in hits.values():
        for term in terms:
            df[term] = df.get(term, 0) + 1
    return df


def _scores(
    text: str, ranking: List[Dict[str, Any]], fts_weight=FTS_WEIGHT, keyword_weight=None
) -> Tuple[Dict[str, float], Dict[str, set]]:
    keyword_weight = keyword_weight or KEYWORD_WEIGHT
    scores: Dict[str, float] = {}
    for r in ranking or []:
        key = str(r.get("intent_response_key") or r.get("name") or "")
        topic = key.split("/", 1)[1] if "/" in key else key
        scores[topic] = scores.get(topic, 0.0) + float(r.get("confidence") or 0.0)
    query = MR_SPACED.sub(r"mr\1", canonical(text))  # "MR 4.5" is MR4.5
    for weight, topic in zip(fts_weight, search(query, limit=len(fts_weight)), strict=False):
        scores[topic.id] = scores.get(topic.id, 0.0) + weight
    hits = _keyword_hits(query)
    df = _document_frequency(hits)
    for topic_id, terms in hits.items():  # a topic's own terms named in the question, the rarer the more
        boost = sum(keyword_weight / df[term] for term in terms)
        scores[topic_id] = scores.get(topic_id, 0.0) + min(KEYWORD_CAP, boost)
    studies = _named_in(query, _study_patterns())
    study_df = _document_frequency(studies)
    for topic_id, names in studies.items():  # the topics citing a study the question names
        scores[topic_id] = scores.get(topic_id, 0.0) + max(STUDY_WEIGHT / study_df[n] for n in names)
    ids = set(faq.topic_ids())
    return {t: v for t, v in scores.items() if t in ids}, hits


def _best(scores: Dict[str, float]) -> Optional[str]:
    return max(scores, key=lambda t: scores[t]) if scores else None


def choose_topics(text: str, ranking: List[Dict[str, Any]]) -> List[faq.Topic]:
    """The topic a general question asks about, and a second one when it asks two things.

    The response selector's ranking (``faq/<topic>`` with confidences), the keyword search over the topics
    and the topics' own terms named in the question (the message with its shorthand spelled out) are
    added: each corrects the others where one is unsure. A message that asks two things ("MR4 vs MMR",
    "2 qs: … and how …") gets the best topic of the whole message, and the best topic of the part that
    asks the other thing.
    """
    scores, _ = _scores(text, ranking)
    first = _best(scores)
    if first is None:
        return []
    chosen = [first]
    parts = [p for p in TWO_QUESTIONS.split(text or "") if p and len(WORDS.findall(p)) >= 1]
    if len(parts) > 1:
        for part in parts:
            part_scores, _ = _scores(part, [], PART_FTS_WEIGHT, PART_KEYWORD_WEIGHT)  # a short part: its terms first
            best = _best(part_scores)
            if best and best != first and best not in chosen and part_scores[best] >= SECOND_MIN:
                chosen.append(best)
                break
    return [faq.get_topic(t) for t in chosen]


AMBIGUOUS_BELOW = 0.7  # a short question whose best topic scores under this is not clear enough to answer
AMBIGUOUS_RATIO = 0.5  # … nor one whose second topic scores at least half the first


def unclear_topics(text: str, ranking: List[Dict[str, Any]], limit: int = 3) -> List[faq.Topic]:
    """For a short question that does not say which topic it means ("the threshold?", "log drop?"), the
    topics it may mean, to ask which; [] when it is clear enough to answer."""
    content = [w for w in WORDS.findall((text or "").lower()) if w not in STOPWORDS]
    if len(content) > 3:
        return []
    scores, hits = _scores(text, ranking)
    top = sorted(scores.items(), key=lambda kv: -kv[1])[:limit]
    if len(top) < 2 or _names_what_it_defines(top[0][0], hits):
        return []
    (_, first), (_, second) = top[0], top[1]
    if first >= AMBIGUOUS_BELOW and second < AMBIGUOUS_RATIO * first:
        return []
    return [faq.get_topic(t) for t, _ in top]


def _names_what_it_defines(topic_id: str, hits: Dict[str, set]) -> bool:
    """The question names a term of the topic that the topic's title defines and no other title does
    ("what % is MR 4.5?" asks about the MR4.5 topic, however short)."""
    return any(_titles_naming(term) == (topic_id,) for term in hits.get(topic_id, ()))


@lru_cache(maxsize=512)
def _titles_naming(term: str) -> Tuple[str, ...]:
    """The topics whose title names ``term`` (in the lexicon's forms)."""
    pattern = re.compile(rf"(?<![\w.]){re.escape(term)}(?![\w]|\.\d)")
    return tuple(t.id for t in faq.TOPICS if pattern.search(canonical(t.title)))


def topic_buttons(topics: List[faq.Topic]) -> List[Dict[str, str]]:
    return [{"title": t.title, "payload": f'/choose_faq_topic{{"faq_topic":"{t.id}"}}'} for t in topics]


def offer() -> str:
    return "To assess a specific patient, give me their values (for example 'BCR-ABL1 0.5 % at 12 months on 400 mg')."


def say_topic(dispatcher: CollectingDispatcher, topic: faq.Topic) -> None:
    """A general answer: its text (REST, tests) and the same as a custom payload, so that the widget and Slack
    add its buttons: "Sources" (this answer's references, numbered as in it) and, in the widget, "Copy answer"
    (``note``: the answer as plain text with its links)."""
    text = render_topic(topic)
    sources = {"title": "Sources", "payload": f'/sources{{"faq_topic":"{topic.id}"}}'}
    payload = {"type": "answer", "topic": topic.id, "title": topic.title, "text": text, "note": plain(text)}
    dispatcher.utter_message(text=text, json_message={**payload, "buttons": [sources]})


def answered(topics: List[faq.Topic]) -> EventType:
    """The answer on screen is now this general answer: "why?" and "sources" are about it, not a card."""
    return SlotSet("last_answer", {"kind": "faq", "topics": [t.id for t in topics]})


class AnswerFaq(Action):
    def name(self) -> Text:
        return "action_answer_faq"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        message = tracker.latest_message or {}
        ranking = ((message.get("response_selector") or {}).get("faq") or {}).get("ranking") or []
        gap = uncovered.gap(message.get("text") or "")
        if gap is not None:  # asked what the sources do not cover: said, with the nearest topics (issue 20)
            numbering = Numbering()
            said = numbering.number(gap.text)
            nearest = [faq.get_topic(t) for t in gap.nearest]
            lines = [said] + (["References:"] + numbering.lines() if numbering.keys else [])
            dispatcher.utter_message(text="\n".join(lines) + f"\n_{DISCLAIMER}_")
            dispatcher.utter_message(text="The nearest topics I can answer:", buttons=topic_buttons(nearest))
            return [SlotSet("last_answer", {"kind": "gap", "gap": gap.id})]
        read_once = MessageReading.of_message(message)
        named = read_once is not None and read_once.kind == "question" and read_once.topic and read_once.examples()
        unclear = [] if named else unclear_topics(message.get("text") or "", ranking)
        if unclear:
            dispatcher.utter_message(text="Which of these do you mean?", buttons=topic_buttons(unclear))
            return []
        topics = choose_topics(message.get("text") or "", ranking)
        if named:
            # a rule asked about with its example ("is 2 % at 1 year a failure?"): the topic the reading names
            named = faq.get_topic(read_once.topic)
            topics = [named] + [t for t in topics if t.id != named.id][:1]
        if not topics:
            dispatcher.utter_message(text="I could not find that in what I know. Type 'help' to see what I can answer.")
            return []
        written = read_once.examples() if read_once is not None and read_once.kind == "question" else {}
        example = example_answer(written)
        if example:
            dispatcher.utter_message(text=example)
        for topic in topics:
            say_topic(dispatcher, topic)
        if written:  # issue 20: one button to assess a patient with the values the question gave
            dispatcher.utter_message(
                text=f"To assess a patient with these values ({', '.join(written.values())}), press the button "
                "or give me more of their values.",
                buttons=[{"title": "Assess a patient with these values", "payload": f"/{assess_intent(written)}"}],
            )
            return [answered(topics), SlotSet("pending_values", [[f, v] for f, v in written.items()])]
        dispatcher.utter_message(text=offer())
        return [answered(topics)]


def example_answer(written: Dict[str, str]) -> Optional[str]:
    """The rule applied to a question's example values ("0.07 % IS is within MMR"), with its references."""
    values = {}
    for field, text in written.items():
        try:
            n = normalize(field, text)
        except NormalizationError:
            continue
        if n.bound is None:
            values[field] = n.value
    said = examples.answer(values)
    if not said:
        return None
    numbering = Numbering()
    numbered = numbering.number(said)
    return "\n".join([f"**Your example:** {numbered}", "References:"] + numbering.lines())


def assess_intent(written: Dict[str, str]) -> str:
    """The assessment a question's example values call for (the button's intent)."""
    fields = set(written)
    if "mutations" in fields:
        return "assess_mutation"
    if "trough_ng_ml" in fields:
        return "assess_tdm"
    if fields <= {"bcr_abl1_is", "months_on_tki"}:
        return "assess_response"
    return "assess_dose_reduction" if "dose_mg" in fields else "inform"


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
        say_topic(dispatcher, topic)
        return [answered([topic])]

"""What a clinician sees around a recommendation, through the REST webhook against the real servers:
complete cards, what is still needed instead of an empty card, a value given afterwards, one numbering,
"why?" and "sources" bound to the answer on screen, quick replies, a series, a new patient, the note."""

import re

import pytest

from harness.servers import Chat, cards
from knowledge.vocab import RULE_SET_VERSION

pytestmark = pytest.mark.rasa


def card_of(chat):
    found = cards(chat.last)
    assert len(found) == 1, chat.last
    return found[0]


def test_a_trough_without_bcr_abl1_is_interpreted_and_completed_later(servers):
    chat = Chat(servers)
    chat.say("interpret a trough level")
    for answer in ["1.2 µmol/L", "24 h", "30 days", "400 mg", "95 %", "none", "skip", "skip"]:
        chat.say(answer)
    assert not cards(chat.last), "no card without a recommendation"
    text = chat.text
    assert "I still need the time on imatinib and the latest BCR-ABL1 level (% IS)" in text
    assert re.search(r"Trough 590 ng/mL is below the 1000 ng/mL target .* \[1\]", text)  # 592.32, to 10 ng/mL
    assert "References:\n1. " in text
    assert "bcr_abl1" not in text and "bcr abl1" not in text  # never a field name
    chat.say("ok, the PCR was 0.45 %")
    assert "time on imatinib" in chat.text and not cards(chat.last)
    chat.say("she's been on it 2 years")
    card = card_of(chat)
    assert card["assessment"]["assessment"] == "tdm" and card["assessment"]["recommendations"]
    based = {b["label"]: b for b in card["based_on"]}
    trough = next(b for label, b in based.items() if label.startswith("Trough"))
    assert trough["how"] == "converted" and trough["from"] == "1.2 µmol/L"
    assert any(f.startswith("Trough 590") for f in card["findings"])
    assert re.match(r"\d{4}-\d{2}-\d{2} · Imatinib decision support, rule set ", card["note"])
    assert card["note_full"].startswith("Imatinib dose-optimisation decision support, ")


def test_one_numbering_and_why_sources_bound_to_the_answer_on_screen(servers):
    chat = Chat(servers)
    chat.say(
        "can I reduce the dose? 400 mg for 5 years, BCR-ABL 0.008 %, MMR 30 months, grade 2 oedema, wants a lower dose"
    )
    chat.say("never misses")
    chat.say("no")
    card = card_of(chat)
    refs = card["references"]
    assert [r["n"] for r in refs] == list(range(1, len(refs) + 1))
    text = chat.text
    assert all(f"{r['n']}. {r['text']}" in text for r in refs), "the text numbers the references as the card"
    assert [b["title"] for b in card["buttons"]] == ["Why?", "Sources", "New patient"]
    chat.say("what is MR4?")  # a general question: now that answer is on screen
    chat.say("why?")
    assert "RED-" not in chat.text and "summary of the evidence" in chat.text
    chat.say("sources")
    assert chat.text.startswith("Sources of 'Deep molecular response MR4', numbered as in the answer:\n1. ")
    chat.say(card["buttons"][0]["payload"])  # the card's own Why? still explains that card
    why = chat.text
    assert "RED-7" in why
    for r in refs:  # a source keeps its card number in "why?"
        if r["text"] in why:
            assert f"{r['n']}. {r['text']}" in why
    chat.say(f'/copy_note{{"card_id":"{card["card_id"]}"}}')
    assert f"rule set {RULE_SET_VERSION}" in chat.text and "Plan: " in chat.text and len(chat.text) < 800
    chat.say(f'/copy_note{{"card_id":"{card["card_id"]}", "version":"full"}}')
    assert f"Rule set {RULE_SET_VERSION}" in chat.text and "Recommendations:" in chat.text
    chat.say("/new_patient")
    assert "new patient" in chat.text.lower()
    chat.say("why?")
    assert "no recommendation yet" in chat.text


def test_closed_questions_offer_their_answers_and_neither_is_accepted(servers):
    chat = Chat(servers)
    chat.say("can I reduce the dose? 400 mg for 5 years, BCR-ABL 0.008 %, MMR 30 months, no side effects")
    chat.say("never misses")
    asked = next(m for m in chat.last if "Why is a reduction considered" in (m.get("text") or ""))
    assert [b["title"] for b in asked["buttons"]] == ["Tolerability", "Toward TFR", "Neither"]
    chat.say(asked["buttons"][2]["payload"])
    assert "could not read" not in chat.text
    asked = next(m for m in chat.last if m.get("buttons"))
    assert [b["title"] for b in asked["buttons"]] == ["Yes", "No"]  # earlier TKI failure?


def test_a_series_of_results_is_read_drawn_and_the_newest_assessed(servers):
    chat = Chat(servers)
    chat.say("my patient: 12 % at 3 months, 2 % at 6, 0.5 % at 12, 0.08 % at 18 on imatinib")
    card = card_of(chat)
    assert card["assessment"]["assessment"] == "response" and card["assessment"]["response_status"] == "optimal"
    points = card["series"]["points"]
    assert [(p["value"], p["months"]) for p in points] == [(12, 3), (2, 6), (0.5, 12), (0.08, 18)]
    assert [p["status"] for p in points] == ["warning", "warning", "warning", "optimal"]


def test_a_rise_after_a_reduction_is_shown(servers):
    chat = Chat(servers)
    chat.say("check after a dose reduction")
    chat.say("went from 0.009 % to 0.04 % since the reduction")
    chat.say("400 mg")
    card = card_of(chat)
    assert card["assessment"]["assessment"] == "post_reduction"
    assert card["series"]["change"] == "about 4-fold rise since the previous result (0.009 % → 0.04 %)"
    assert "about 4-fold rise" in chat.text

"""Scripted dialogues through the REST webhook against real running servers (session fixture)."""

import pytest

from harness.servers import Chat, cards
from knowledge.vocab import DISCLAIMER

pytestmark = pytest.mark.rasa


@pytest.fixture
def chat(servers):
    return Chat(servers)


def test_greeting_shows_the_disclaimer(chat):
    assert "not a substitute for clinical judgement" in chat.say("hello").text


def test_faq_answer_is_cited(chat):
    text = chat.say("what trough level should imatinib reach?").text
    assert "1000 ng/mL" in text and "References:" in text and DISCLAIMER in text


def test_dose_reduction_several_values_then_why_and_sources(chat):
    chat.say(
        "can I reduce the dose? 400 mg for 5 years, BCR-ABL 0.008 %, MMR 30 months, grade 2 oedema, wants a lower dose"
    )
    assert "adherent" in chat.text and "BCR-ABL1 level" not in chat.text  # asks only what is missing
    chat.say("never misses")
    assert "resistance or failure on a TKI" in chat.text
    chat.say("no")
    a = chat.assessment
    assert chat.codes() == ["reduce_dose", "intensify_monitoring"]
    assert a["recommendations"][0]["target_dose_mg"] == 200
    assert "References:" in chat.text and DISCLAIMER in chat.text
    assert "RED-7" in chat.say("why?").text
    assert "Clark RE" in chat.say("sources").text


def test_faq_mid_form_then_the_form_goes_on(chat):
    chat.say("assess response for my patient")
    assert "How long has the patient been on imatinib" in chat.text
    chat.say("what is MR4.5?")
    assert "0.0032" in chat.text and "How long has the patient been on imatinib" in chat.text
    chat.say("a year and a half")
    chat.say("0.5 %")
    assert chat.assessment["response_status"] == "warning"


def test_correction_and_stop(chat):
    chat.say("check after a dose reduction")
    chat.say("0.2 %")
    assert "dose before the reduction" in chat.text
    chat.say("actually it was 0.05 %")
    assert "0.2 → 0.05" in chat.text
    chat.say("stop")
    assert "discarded" in chat.text
    chat.say("why?")
    assert "no recommendation yet" in chat.text


def test_bad_input_reprompts_with_the_expected_form_then_offers_skip(chat):
    chat.say("interpret a trough level")
    for _ in range(3):
        chat.say("purple")
        assert "ng/mL" in chat.text
    assert "'skip'" in chat.text


def test_tdm_in_micromoles_with_mutation_question(chat):
    chat.say("help me interpret an imatinib level: trough 1.5 µmol/L")
    chat.say("24 h")
    chat.say("10 days")
    chat.say("400 mg daily")
    chat.say("95%")
    chat.say("grade 1")
    chat.say("12 months")
    chat.say("0.5 %")
    assert "mutation" in chat.text.lower()
    chat.say("none found")
    assert chat.codes() == ["escalate_dose"]
    assert chat.assessment["recommendations"][0]["target_dose_mg"] == 600


def test_workup_with_unknowns(chat):
    chat.say("work up please")
    for answer in ["18 months", "1.5 %", "skip", "none yet", "not tested", "400 mg"]:
        chat.say(answer)
    assert chat.codes() == ["check_adherence", "measure_trough", "mutation_analysis"]


def test_workup_of_a_response_called_suboptimal_asks_no_level(chat):
    chat.say("work up a suboptimal response")  # the response is named: no time and level needed
    assert "Read: response: warning" in chat.text and "adherent" in chat.text
    for answer in ["skip", "none yet", "not tested", "400 mg"]:
        chat.say(answer)
    assert chat.assessment["response_status"] == "warning"
    assert chat.codes()[0] == "check_adherence"


def test_mutation_three_letter_names(chat):
    chat.say("my patient has a kinase domain mutation, help me choose the TKI")
    chat.say("p.Thr315Ile")
    rec = chat.assessment["recommendations"][0]
    assert rec["options"] == ["ponatinib", "asciminib"]


def test_out_of_scope_offers_no_recommendation(chat):
    reply = chat.say("what's the capital of France?").last
    assert not cards(reply)
    assert "help" in chat.text.lower()

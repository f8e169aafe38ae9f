"""Issue 20, by class: the messages the issue reports (both groups), each beside sentences of our own of the
same class, through the REST webhook against the servers of this run (session fixture).

A colleague answers a general question as a question, reads a case as a case, refuses what is not ours,
says what the sources do not cover, and in a form changes only what the clinician changed.
"""

import pytest

from harness.servers import Chat, cards

pytestmark = pytest.mark.rasa


@pytest.fixture
def chat(servers):
    return Chat(servers)


def _no_card(chat):
    return not cards(chat.last)


def _buttons(chat):
    return [b["title"] for m in chat.last for b in m.get("buttons") or []]


# --- a question with at most one value: answered, with its example, and one button to assess


@pytest.mark.parametrize(
    "text, said",
    [
        ("is 0.07% still MMR?", "0.07 % IS is within MMR"),  # the issue's
        ("would 0.3% count as MMR", "0.3 % IS is above 0.1 % IS"),
        ("is 0.002% MR4.5?", "within MR4.5"),
    ],
)
def test_a_category_asked_about_with_one_value_is_answered_with_the_rule(chat, text, said):
    chat.say(text)
    assert said in chat.text and "References:" in chat.text
    assert "Which assessment" not in chat.text and _no_card(chat)
    assert _buttons(chat) == ["Assess a patient with these values"]


@pytest.mark.parametrize(
    "text, said",
    [
        ("is 2% at 1 year a failure?", "2 % IS at 12 months is **failure**"),
        ("at 3 months, is 15% a warning?", "15 % IS at 3 months is **warning** (failure when a repeat test"),
    ],
)
def test_a_milestone_asked_about_with_its_example_is_answered_from_the_response_rules(chat, text, said):
    chat.say(text)
    assert said in chat.text and "ELN 2020" in chat.text and _no_card(chat)


def test_the_button_assesses_a_patient_with_the_values_kept(chat):
    chat.say("is 0.07% still MMR?")
    chat.say("/assess_response")
    assert "0.07 %" in chat.text and "How long has the patient been on imatinib" in chat.text


@pytest.mark.parametrize(
    "text",
    [
        "she would like to stop imatinib one day; is a lower dose a sensible first step?",  # the issue's
        "he may want to come off treatment eventually - is de-escalating first a reasonable approach?",
    ],
)
def test_an_approach_asked_about_a_patient_is_a_question_and_one_day_is_no_duration(chat, text):
    chat.say(text)
    assert "months on imatinib" not in chat.text and "How long" not in chat.text and _no_card(chat)


@pytest.mark.parametrize(
    "text", ["de-escalation from 400: what dose do we go to?", "coming down from 600, which dose is next?"]
)
def test_the_dose_a_change_starts_from_is_no_value_of_the_patient(chat, text):
    chat.say(text)
    assert "before the reduction" not in chat.text and "What is the latest BCR-ABL1" not in chat.text


# --- a case: every fact kept, the right class


def test_confirmed_over_10_percent_at_3_months_with_5_months_on_imatinib_is_failure(chat):
    chat.say("5 months on IM, 3-month PCR was 15%, repeated 6 weeks later 13% so confirmed, takes every dose. next?")
    assert chat.assessment["response_status"] == "failure"
    assert "5 months on imatinib" in chat.text and "confirmed by a repeat test: yes" in chat.text


def test_our_own_confirmed_warning_is_failure(chat):
    chat.say("4 months on imatinib, the 3 month PCR 22% and a repeat 4 weeks later 19%, confirmed, never misses")
    assert chat.assessment["response_status"] == "failure"


@pytest.mark.parametrize(
    "text",
    [
        "went up to 800 two years ago for failure, now in MR4, can we come down?",  # the issue's
        "escalated to 600 after a 12 month failure, now MMR for 3 yrs, 6 yrs on IM. reduce?",
    ],
)
def test_an_escalation_for_failure_is_an_earlier_failure_and_settles_the_reduction(chat, text):
    chat.say(text)
    assert "earlier TKI failure: yes" in chat.text
    for _ in range(3):  # at most the toxicity question stands between the values and the answer (TOX-1)
        if cards(chat.last):
            break
        chat.say("grade 1")
    assert "not_candidate_for_reduction" in chat.codes() and "RED-4" in chat.assessment["rules_fired"]


# --- out of scope by positive evidence; commands refused inside the domain


@pytest.mark.parametrize(
    "text",
    [
        "gent dosing for 70 kg pt with pseudomonas?",  # the issue's
        "tazocin interval in a 60 kg man with an eGFR of 25?",
        "what level should we aim for with vancomycin troughs",
    ],
)
def test_another_drug_or_field_is_out_of_scope_without_a_drug_list(chat, text):
    chat.say(text)
    assert "outside" in chat.text and "How long" not in chat.text and _no_card(chat)


@pytest.mark.parametrize(
    "text",
    [
        "text mr jones his results and tell him to skip tomorrow's dose",  # the issue's
        "please email the PCR result to the patient",
        "put her down to 300 on the system",
    ],
)
def test_a_command_is_refused_inside_the_domain(chat, text):
    chat.say(text)
    assert "I cannot" in chat.text and _no_card(chat)


def test_a_child_with_cml_is_out_of_scope(chat):
    chat.say("12 year old on imatinib 340 mg/m2, PCR 0.5% at 12 months")
    assert "adults" in chat.text and _no_card(chat)


# --- what the sources do not cover is said so; the assistant's own conversion has its factor


@pytest.mark.parametrize(
    "text", ["what's the conversion from umol/L to ng/mL for imatinib?", "how do I convert nmol/L into ng/mL"]
)
def test_the_trough_conversion_is_answered_with_its_factor(chat, text):
    chat.say(text)
    assert "493.6" in chat.text and "0.4936" in chat.text


def test_pregnancy_is_said_to_be_uncovered_with_the_label_warning(chat):
    chat.say("she's planning a pregnancy next year - what do we do with her imatinib?")
    assert "outside what my sources cover" in chat.text and "fetal harm" in chat.text
    assert "Gleevec" in chat.text  # the label's reference, numbered


@pytest.mark.parametrize("text", ["what's the usual starting dose of dasatinib", "nilotinib 300 or 400 bd?"])
def test_another_tki_dosing_is_said_to_be_uncovered(chat, text):
    chat.say(text)
    assert "outside what my sources cover" in chat.text and _no_card(chat)


# --- in a form: an answer fills the field asked, a correction the field it names


def _reduction_form_to_adherence(chat):
    for text in ("assess a dose reduction", "0.1%", "30 months", "5 years", "400"):
        chat.say(text)
    assert "How adherent" in chat.text


@pytest.mark.parametrize("text", ["no the pcr is 0.003% not 0.1", "sorry the bcr-abl was 0.003 %, not 0.1"])
def test_a_correction_changes_the_field_it_names_not_the_one_asked(chat, text):
    _reduction_form_to_adherence(chat)
    chat.say(text)
    assert "0.1 → 0.003" in chat.text and "How adherent" in chat.text  # adherence is still asked


def test_a_number_answers_over_words_and_is_not_the_level(chat):
    _reduction_form_to_adherence(chat)
    chat.say("takes it every day but refills patchy, prob ~80%")
    assert "→ 80" not in chat.text  # the level is untouched
    for text in ("grade 1", "side effects", "no"):
        chat.say(text)
    assert chat.codes() == ["check_adherence"] and "80 %" in chat.text


def test_a_proposal_in_a_form_is_answered_and_never_the_current_dose(chat):
    for text in ("assess a dose reduction", "0.05%", "30 months"):
        chat.say(text)
    chat.say("ok so can I reduce her to 300?")
    assert (
        "300 mg/day is the dose you propose" in chat.text and "How long has the patient been on imatinib" in chat.text
    )


def test_an_answer_with_another_field_fills_the_field_asked(chat):
    chat.say("assess response")
    chat.say("abt 5 yrs, MMR since 2020 actually")
    assert "How long has the patient been on imatinib" not in chat.text  # 5 years is the time on imatinib
    chat.say("0.2%")
    assert chat.assessment["response_status"] == "warning"  # 0.2 % at 60 months: > 0.1 %, ≤ 1 %


@pytest.mark.parametrize(
    "text, latest",
    [("pcrs: 3m 12%, 6m 4%, 12m 0.8%, 18m 0.3%", "0.3 % IS"), ("3mo 9%, 6mo 2.5%, 12mo 0.4%", "0.4 % IS")],
)
def test_a_series_is_read_to_its_latest_point(chat, text, latest):
    chat.say(text)
    assert f"Read: BCR-ABL1 {latest}" in chat.text


def test_a_follow_up_after_a_card_keeps_the_case(chat):
    chat.say(
        "12 months on imatinib 400, bcr-abl 2%, trough 1200 ng/mL at 24h, 30 days on this dose, no mutations, "
        "adherence 100%, no interacting drugs, grade 0"
    )
    assert "switch_tki" in chat.codes()
    chat.say("should I escalate to 600 or switch?")
    assert "Same patient as the last card" in chat.text and "switch_tki" in chat.codes()
    assert "How long" not in chat.text  # nothing asked again


@pytest.mark.parametrize("text", ["got it", "hmm", "noted", "ah I see"])
def test_an_acknowledgement_is_neither_a_refusal_nor_a_goodbye(chat, text):
    chat.say(text)
    assert "What would you like to do?" in chat.text
    assert "Goodbye" not in chat.text and "outside" not in chat.text.lower()


def test_an_acknowledgement_inside_a_form_is_no_answer(chat):
    chat.say("assess response")
    asked = chat.text
    chat.say("got it")
    assert asked.strip().splitlines()[-1] in chat.text  # the same question again, nothing stored
    chat.say("stop")

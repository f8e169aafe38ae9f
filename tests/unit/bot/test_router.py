"""CaseRouter: patient-specific questions go to the assessment their words call for, general ones stay FAQ."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.custom.components import CaseRouter


def routed(text, ranking):
    m = Message(data={"text": text, "intent": dict(ranking[0]), "intent_ranking": ranking})
    CaseRouter.create({}, None, None, None).process([m])
    return m.get("intent")["name"]


RANK = [
    {"name": "faq", "confidence": 0.7},
    {"name": "inform", "confidence": 0.2},
    {"name": "assess_tdm", "confidence": 0.1},
]


@pytest.mark.parametrize(
    "text",
    [
        "what should I make of her imatinib trough",
        "is my patient's level adequate",
        "my pt has a trough of 950, ok?",
        "is this patient on target",
        "how do I read this trough result",
    ],
)
def test_patient_questions_go_to_the_assessment(text):
    assert routed(text, RANK) == "assess_tdm"


@pytest.mark.parametrize(
    "text", ["what is the trough target", "how often should patients be monitored", "when can a patient stop imatinib"]
)
def test_general_questions_stay_faq(text):
    assert routed(text, RANK) == "faq"


def test_a_patient_without_a_clear_assessment_is_asked_about():
    ranking = [{"name": "faq", "confidence": 0.9}, {"name": "inform", "confidence": 0.1}]
    assert routed("what about my patient", ranking) == "inform"  # the bot asks which assessment


def test_other_intents_are_never_touched():
    ranking = [{"name": "greet", "confidence": 0.9}, {"name": "assess_tdm", "confidence": 0.1}]
    assert routed("hello, her trough", ranking) == "greet"


def test_inform_keeps_its_intent_when_a_value_was_found():
    m = Message(
        data={
            "text": "950 ng/mL",
            "intent": {"name": "inform", "confidence": 0.9},
            "intent_ranking": [{"name": "inform", "confidence": 0.9}, {"name": "faq", "confidence": 0.1}],
            "entities": [{"entity": "trough_ng_ml", "value": "950 ng/mL", "extractor": "ClinicalEntityExtractor"}],
        }
    )
    CaseRouter.create({}, None, None, None).process([m])
    assert m.get("intent")["name"] == "inform"


def test_inform_without_any_value_goes_to_the_next_candidate():
    ranking = [{"name": "inform", "confidence": 0.8}, {"name": "out_of_scope", "confidence": 0.15}]
    assert routed("can you book a table", ranking) == "out_of_scope"


def trained_router(tmp_path):
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.training_data.training_data import TrainingData

    storage, resource = LocalModelStorage(tmp_path), Resource("router")
    router = CaseRouter.create({}, storage, resource, None)
    examples = [
        Message(data={"text": t})
        for t in [
            "stop",
            "no thanks",
            "interpret a trough level",
            "can I reduce the dose for my patient",
            "what is MMR",
        ]
    ]
    router.train(TrainingData(examples))
    return CaseRouter.load({}, storage, resource, None)  # what the server loads


@pytest.mark.parametrize(
    "text,kept",
    [
        ("v≠,~Agb`@ArT", False),
        ("LqOz\\.n", False),
        ("≠pvyr%?B!fim≠=TBM|~is,OS_V∑IExP|ynwX~l|l", False),
        ("asdkjh qwe zzz", False),
        ("stop", True),
        ("no thanks", True),
        ("stop pls", True),
        ("🙂", False),  # no word at all: never "stop" (an empty or emoji message once left a form)
        ("", False),
        ("  \t", False),
        ("12", True),
        ("what is MMR", True),
    ],
)
def test_a_message_of_unknown_words_means_nothing(tmp_path, text, kept):
    router = trained_router(tmp_path)
    ranking = [{"name": "deny", "confidence": 0.73}, {"name": "inform", "confidence": 0.1}]
    m = Message(data={"text": text, "intent": dict(ranking[0]), "intent_ranking": ranking})
    router.process([m])
    assert (m.get("intent")["name"] == "deny") is kept
    if not kept:
        assert m.get("intent") == {"name": "nlu_fallback", "confidence": 1.0}


def test_unknown_words_with_a_clinical_value_are_still_values(tmp_path):
    router = trained_router(tmp_path)
    ranking = [{"name": "inform", "confidence": 0.8}, {"name": "stop", "confidence": 0.1}]
    m = Message(
        data={
            "text": "blorp 0.1 %",
            "intent": dict(ranking[0]),
            "intent_ranking": ranking,
            "entities": [{"entity": "percent", "value": "0.1 %", "extractor": "ClinicalEntityExtractor"}],
        }
    )
    router.process([m])
    assert m.get("intent")["name"] == "inform"


@pytest.mark.parametrize(
    "text,kept",
    [("stop", True), ("cancel that", True), ("never mind", True), ("start over", True), ("oøø#[C_l", False),
     ("fine", False), ("x", False)],
)  # fmt: skip
def test_leaving_an_assessment_needs_a_word_that_says_so(text, kept):
    router = CaseRouter({})  # no vocabulary: the rule on unknown words is off
    ranking = [{"name": "stop", "confidence": 0.8}, {"name": "inform", "confidence": 0.1}]
    m = Message(data={"text": text, "intent": dict(ranking[0]), "intent_ranking": ranking})
    router.process([m])
    assert (m.get("intent")["name"] == "stop") is kept


def test_no_rule_turns_a_stray_message_into_stop():
    router = CaseRouter({})
    ranking = [{"name": "inform", "confidence": 0.48}, {"name": "stop", "confidence": 0.4}]
    m = Message(data={"text": "oøø#[C_l", "intent": dict(ranking[0]), "intent_ranking": ranking})
    router.process([m])  # "inform" without a value yields to the next intent: never to "stop" like this
    assert m.get("intent")["name"] == "nlu_fallback"


@pytest.mark.parametrize("text", ["-5", "1e308", "99999", "12 %?", "1 OR 1=1"])
def test_a_number_alone_never_starts_an_assessment(text):
    router = CaseRouter({})
    ranking = [{"name": "assess_workup", "confidence": 0.95}, {"name": "inform", "confidence": 0.1}]
    m = Message(data={"text": text, "intent": dict(ranking[0]), "intent_ranking": ranking})
    router.process([m])
    assert not m.get("intent")["name"].startswith("assess_")


@pytest.mark.parametrize(
    "text, assessment",
    [
        ("help me pick the next tki, her mutation panel is back", "assess_mutation"),
        ("need help interpreting an imatinib trough", "assess_tdm"),
        ("could you help with a dose reduction for my patient", "assess_dose_reduction"),
    ],
)
def test_help_with_a_named_task_starts_that_task(text, assessment):
    ranking = [{"name": "help", "confidence": 0.95}, {"name": "faq", "confidence": 0.05}]
    assert routed(text, ranking) == assessment


@pytest.mark.parametrize("text", ["help", "what can you do", "help please"])
def test_help_alone_is_still_help(text):
    ranking = [{"name": "help", "confidence": 0.95}, {"name": "faq", "confidence": 0.05}]
    assert routed(text, ranking) == "help"


@pytest.mark.parametrize(
    "text, intent",
    [
        ("legend, ta", "thank"),
        ("how was the weekend?", "greet"),
        ("evening all 🌙", "greet"),
        ("bye for now then", "goodbye"),
        ("hmm", "affirm"),  # an acknowledgement: "what would you like to do" outside a form
        ("got it", "affirm"),
        ("noted", "affirm"),
        ("fair enough", "affirm"),
        ("ah I see", "affirm"),
    ],
)
def test_small_talk_gets_the_conversational_reply_whatever_the_classifier_chose(text, intent):
    assert routed(text, [{"name": "out_of_scope", "confidence": 0.6}, {"name": "faq", "confidence": 0.3}]) == intent


def test_small_talk_of_words_the_training_data_lacks_is_still_small_talk():
    # the classifier's own guess may be conversational too; the words' noise does not make it a fallback
    assert routed("legend", [{"name": "greet", "confidence": 0.4}, {"name": "faq", "confidence": 0.3}]) == "thank"

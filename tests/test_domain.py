"""The Rasa domain, data and code stay in step (cheap checks that need no trained model)."""
from pathlib import Path

import yaml

from actions.form_spec import CLINICAL_SLOTS, FORMS
from actions.questions import QUESTIONS
from bot.build_domain import build
from knowledge.faq import TOPICS
from knowledge.models import PatientCase
from knowledge.render import render_topic

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def test_forms_require_exactly_their_needed_and_optional_values():
    for form, (_, needed, optional) in FORMS.items():
        assert DOMAIN["forms"][form]["required_slots"] == needed + optional, form


def test_clinical_slots_are_mapped_only_while_their_forms_are_active():
    for slot in CLINICAL_SLOTS:
        mappings = DOMAIN["slots"][slot]["mappings"]
        assert all(m["type"] == "from_entity" and m["entity"] == slot for m in mappings)
        loops = [c["active_loop"] for m in mappings for c in m["conditions"]]
        assert sorted(loops) == sorted(f for f, (_, n, o) in FORMS.items() if slot in n + o), slot
        assert DOMAIN["slots"][slot]["influence_conversation"] is False


def test_every_clinical_slot_is_a_patient_case_field_with_a_question():
    assert set(CLINICAL_SLOTS) <= set(PatientCase.__fields__)
    assert set(CLINICAL_SLOTS) <= set(QUESTIONS)


def test_no_clinical_text_is_duplicated_into_the_domain():
    text = (ROOT / "domain.yml").read_text(encoding="utf-8")
    assert "utter_faq" not in text
    for topic in TOPICS:
        for s in topic.statements:
            assert s.text not in text


def test_built_domain_carries_every_faq_topic_rendered_from_knowledge(tmp_path):
    built = yaml.safe_load((build(tmp_path) / "domain.yml").read_text(encoding="utf-8"))
    for topic in TOPICS:
        assert built["responses"][f"utter_faq/{topic.id}"] == [{"text": render_topic(topic)}]


def test_training_data_has_a_retrieval_intent_for_every_topic_and_nothing_else():
    data = yaml.safe_load((ROOT / "bot/data/nlu/faq.yml").read_text(encoding="utf-8"))
    keys = {item["intent"] for item in data["nlu"]}
    assert keys == {f"faq/{t.id}" for t in TOPICS}

"""The domain Rasa trains on is generated from single sources (cheap checks that need no trained model)."""

import pytest
import yaml
from helpers import ROOT

from bot.build_domain import INSIDE_A_FORM, build
from dialogue.forms import CLINICAL_SLOTS, FORMS, VALUES
from knowledge.faq import TOPICS
from knowledge.models import PatientCase
from knowledge.render import render_topic

HAND_WRITTEN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = build(tmp_path_factory.mktemp("build"))
    domain = yaml.safe_load((out / "domain" / "domain.yml").read_text(encoding="utf-8"))
    rules = yaml.safe_load((out / "data" / "forms.yml").read_text(encoding="utf-8"))["rules"]
    return domain, rules


def test_forms_are_described_only_in_actions_forms():
    assert "forms" not in HAND_WRITTEN
    assert not set(CLINICAL_SLOTS) & set(HAND_WRITTEN.get("slots") or {})
    assert not set(CLINICAL_SLOTS) & set(HAND_WRITTEN.get("entities") or [])
    rules = (ROOT / "bot" / "data" / "rules.yml").read_text(encoding="utf-8")
    assert not [f for f in FORMS if f in rules]


def test_built_forms_keep_every_value_their_spec_asks_or_accepts(built):
    domain, _ = built
    for name, form in FORMS.items():
        assert domain["forms"][name]["required_slots"] == form.slots
        assert f"validate_{name}" in domain["actions"] and f"action_assess_{form.assessment}" in domain["actions"]


def test_clinical_slots_are_mapped_only_while_their_forms_are_active(built):
    domain, _ = built
    for slot in CLINICAL_SLOTS:
        mappings = domain["slots"][slot]["mappings"]
        assert all(m["type"] == "from_entity" and m["entity"] == slot for m in mappings)
        loops = [c["active_loop"] for m in mappings for c in m["conditions"]]
        assert sorted(loops) == sorted(f for f, spec in FORMS.items() if slot in spec.slots), slot
        assert domain["slots"][slot]["influence_conversation"] is False
        assert slot in domain["entities"]


def test_every_form_has_its_rules(built):
    _, rules = built
    for form in FORMS.values():
        mine = [r for r in rules if f" {form.title} form" in r["rule"]]
        # start, submit, stop, new patient, and each interruption
        assert len(mine) == 4 + len(INSIDE_A_FORM), form.name
        start = next(r for r in mine if r["rule"].startswith("start "))
        assert start["steps"][:2] == [{"intent": form.intent}, {"action": form.name}]


def test_every_clinical_slot_is_a_patient_case_field_with_a_question():
    assert set(CLINICAL_SLOTS) <= set(PatientCase.__fields__)
    assert set(CLINICAL_SLOTS) <= set(VALUES)


def test_no_clinical_text_is_duplicated_into_the_domain():
    text = (ROOT / "domain.yml").read_text(encoding="utf-8")
    assert "utter_faq" not in text
    for topic in TOPICS:
        for s in topic.statements:
            assert s.text not in text


def test_built_domain_carries_every_faq_topic_rendered_from_knowledge(built):
    domain, _ = built
    for topic in TOPICS:
        assert domain["responses"][f"utter_faq/{topic.id}"] == [{"text": render_topic(topic)}]


def test_training_data_has_a_retrieval_intent_for_every_topic_and_nothing_else():
    data = yaml.safe_load((ROOT / "bot/data/nlu/faq.yml").read_text(encoding="utf-8"))
    keys = {item["intent"] for item in data["nlu"]}
    assert keys == {f"faq/{t.id}" for t in TOPICS}

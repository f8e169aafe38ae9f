"""Small talk and notes as teams write them (round 10 classes): own sentences."""

import pytest

from reading import read


@pytest.mark.parametrize(
    "text,scope",
    [
        ("mil gracias!", "thanks"),
        ("tante grazie", "thanks"),
        ("cheers, I'll run it past the consultant", "thanks"),
        ("thanks - will bring this to the MDT", "thanks"),
        ("hmm", "ack"),
        ("hmm ok", "ack"),
        ("hi all, I'm the new haematology pharmacist on ward 7", "greeting"),
        ("I'm the locum registrar in clinic B", "greeting"),
        ("are you a bot or is there a real person typing?", "identity"),
    ],
)
def test_small_talk(text, scope):
    r = read(text)
    assert (r.kind, r.scope) == ("small_talk", scope)


def test_an_introduction_with_a_patients_values_is_a_case():
    assert read("I'm the new CML nurse - pt on IM 400, 0.4% at 12 months").kind == "case"


@pytest.mark.parametrize(
    "text",
    [
        "Tel clinic: pt on imatinib 400 od 4 yrs, PCR 0.02%, no SEs. continue?",
        "Phone clinic 03/12 - Mrs K on IM 300 since 2024, last PCR 0.006 %, mild cramps gr 1",
        "Nurse phone clinic: 18/12 on IM 400, 0.08%, takes every dose",
    ],
)
def test_the_heading_of_a_telephone_clinic_note_is_no_order(text):
    r = read(text)
    assert r.kind == "case" and r.values


@pytest.mark.parametrize(
    "text", ["phone the clinic and move her trough to Friday please", "phone clinic - tell her to hold the imatinib"]
)
def test_an_order_to_phone_is_still_refused(text):
    assert read(text).kind == "command"


@pytest.mark.parametrize(
    "text",
    [
        "what do you check first when a patient on imatinib stops responding?",
        "who is eligible for a dose reduction - how long in MMR at least?",
        "if the level is high but the patient is in MR4, do you still reduce? general question",
    ],
)
def test_general_questions_about_any_patient(text):
    assert read(text).kind == "question"


def test_a_mutation_found_in_a_patient_with_a_plan_for_another_drug_is_a_case():
    r = read("Y253H on NGS. Pt on imatinib 400 mg for 2 yrs, nilotinib was the plan - still ok?")
    assert r.kind == "case" and r.values["mutations"].value == ["Y253H"]


def test_until_this_one_names_the_newest_result_not_a_past_one():
    r = read("on 200 since the reduction, PCRs all <0.01% until this one: 0.03%. carry on?")
    assert r.kind == "case"
    assert "0.03%" not in [n.text for n in r.not_values if n.why == "a past value"]

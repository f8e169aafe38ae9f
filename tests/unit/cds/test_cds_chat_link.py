"""A card's link opens the chat on the same case: the chat's own extractor and normaliser read the message
back to the card's values, and its reader asks for the card's assessment (bot.* imported here only)."""

import datetime as dt
from urllib.parse import unquote

import pytest
from cds_harness import bundle, bundles

from cds.case import case_from_chart
from cds.chat import NOT_STATED, chat_case, message
from cds.fhir import read_chart
from cds.services import Call, patient_view, plan
from knowledge.normalize import normalize
from reading.extraction import extract
from reading.speech import detected_mutations, read

CHAT = "http://localhost:5005/webhooks/webchat/ui/"


def read_back(text):
    """The values the chat reads from a message, as PatientCase fields."""
    values = {}
    for e in extract(text):
        n = normalize(e["entity"], e["value"])
        for field, value in {e["entity"]: n.value, **n.related}.items():
            assert values.get(field, value) == value, f"{field} read twice, differently: {text}"
            values[field] = value
    return values


def stated(assessment, case):
    """The fields a message states: those its assessment reads, but a default standard dose, 'not reduced'
    and 0 months in MMR/MR4."""
    fields = chat_case(assessment, case)
    out = {k: v for k, v in fields.items() if k not in NOT_STATED}
    if fields.get("on_reduced_dose"):
        out.update(on_reduced_dose=True, standard_dose_mg=fields["standard_dose_mg"])
    out.update({k: fields[k] for k in ("mmr_months", "dmr_months") if fields.get(k)})
    return out


def assessment_read(text):
    pairs = [(e["entity"], e["value"]) for e in extract(text)]
    detected = detected_mutations(v for k, v in pairs if k == "mutations")
    return read(text, pairs, bool(detected))


def fixture_cases():
    for name in bundles():
        b = bundle(name)
        pid = next(e["resource"]["id"] for e in b["entry"] if e["resource"]["resourceType"] == "Patient")
        rc = case_from_chart(read_chart([b], pid), dt.date(2026, 11, 27))
        if rc.applies and rc.fields:
            yield name, rc, pid


@pytest.mark.parametrize("name, rc, pid", list(fixture_cases()), ids=lambda x: x if isinstance(x, str) else "")
def test_every_card_link_reads_back_to_the_same_case_and_assessment(name, rc, pid):
    cards = patient_view(Call("imatinib-patient-view", rc, {"patientId": pid}, CHAT))
    assessments = plan(rc.fields)
    assert len(cards) == len(assessments)
    for card, assessment in zip(cards, assessments, strict=True):
        url = card["links"][0]["url"]
        assert url.startswith(CHAT + "#say=")
        said = unquote(url.split("#say=", 1)[1])
        assert said == message(assessment, rc.fields)
        assert read_back(said) == stated(assessment, rc.fields), said
        reading = assessment_read(said)
        assert (reading.kind, reading.assessment) == ("case", assessment), said


@pytest.mark.parametrize(
    "assessment, fields",
    [
        ("tdm", {"phase": "chronic", "dose_mg": 800, "dosing": "twice_daily", "trough_ng_ml": 1234.57,
                 "hours_since_dose": 11.5, "days_at_current_dose": 9.0, "months_on_tki": 14.2, "bcr_abl1_is": 2.0}),
        ("mutation", {"dose_mg": 400, "dosing": "once_daily", "mutations": ["T315I", "E255K"], "bcr_abl1_is": 12.5}),
        ("response", {"phase": "chronic", "months_on_tki": 7.6, "bcr_abl1_is": 0.00008}),
        ("dose_reduction", {"phase": "chronic", "dose_mg": 600, "dosing": "once_daily", "months_on_tki": 48.0,
                            "bcr_abl1_is": 0.02, "mmr_months": 30.5, "goal": "tolerability", "adherence_pct": 92.5}),
        ("post_reduction", {"phase": "chronic", "dose_mg": 300, "dosing": "once_daily", "on_reduced_dose": True,
                            "standard_dose_mg": 400, "months_on_tki": 80.0, "bcr_abl1_is": 0.09}),
        ("suboptimal_workup", {"phase": "chronic", "dose_mg": 400, "dosing": "once_daily", "months_on_tki": 6.3,
                               "bcr_abl1_is": 11.0, "mutations": [], "adherence_pct": 80.0}),
        ("suboptimal_workup", {"phase": "chronic", "dose_mg": 600, "dosing": "once_daily", "months_on_tki": 13.0,
                               "bcr_abl1_is": 3.0, "adherence_pct": 95.0, "trough_ng_ml": 850.0,
                               "hours_since_dose": 23.0, "days_at_current_dose": 30.0}),
        ("tdm", {"dose_mg": 400, "dosing": "once_daily", "trough_ng_ml": 1100.0, "goal": "tfr", "mmr_months": 40.0}),
    ],
)  # fmt: skip
def test_messages_of_other_cases_read_back(assessment, fields):
    said = message(assessment, fields)
    assert read_back(said) == stated(assessment, fields), said
    assert assessment_read(said).assessment == assessment, said

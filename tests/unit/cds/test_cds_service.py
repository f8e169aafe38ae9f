"""The CDS Hooks service over HTTP: discovery, patient-view on every synthetic patient, order-select and
order-sign on draft orders, feedback in the audit database, and reading the FHIR server when prefetch is
missing. Every response is checked against the specification's rules (cds_spec)."""

import copy
import json
import re
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from urllib.parse import unquote

import pytest
import requests
from cds_harness import CHAT_URL, ROOT, audit_row, bundle, card_hash, draft
from cds_spec import check_discovery, check_response

from audit import AuditLog
from cds import demo
from cds.feedback import FeedbackLog
from knowledge.vocab import DISCLAIMER, RULE_SET_VERSION

PV = "/cds-services/imatinib-patient-view"
SIGN = "/cds-services/imatinib-order-sign"
SELECT = "/cds-services/imatinib-order-select"

# (assessment, first recommendation's code, indicator) of each card, from the decision module's rules
EXPECTED = {
    "response-warning": [("response", "check_adherence", "warning")],
    "workup-failure": [("suboptimal_workup", "measure_trough", "info")],
    "tdm-umol": [("response", "check_adherence", "warning"), ("tdm", "escalate_dose", "warning")],
    "reduction-tfr": [("response", "continue_current_dose", "info"), ("dose_reduction", "reduce_dose", "info")],
    "mmr-lost-and-regained": [
        ("response", "continue_current_dose", "info"),
        ("dose_reduction", "not_candidate_for_reduction", "info"),
    ],
    "mutation-t315i": [("mutation", "switch_tki", "critical")],
    "post-reduction-mmr-lost": [("post_reduction", "resume_standard_dose", "warning")],
    "missing-data": [("response", None, "info")],
    "accelerated-phase": [("response", "refer_specialist", "critical")],
    "gist-not-cml": [],
}


def patient_view(service, name, **kw):
    r = service.post(PV, demo.request(bundle(name), **kw))
    assert r.status_code == 200, r.text
    return check_response(r.json())


def order(service, path, patient, *drafts, hook="order-sign"):
    body = demo.request(bundle(patient), hook, draft(drafts[0]))
    body["context"]["draftOrders"]["entry"] = [{"resource": draft(d)} for d in drafts]
    r = service.post(path, body)
    assert r.status_code == 200, r.text
    return check_response(r.json())


def test_discovery_lists_the_three_services_as_the_spec_requires(service):
    r = requests.get(service.url + "/cds-services", timeout=10)
    assert r.status_code == 200
    doc = r.json()
    check_discovery(doc)
    hooks = {s["id"]: s["hook"] for s in doc["services"]}
    assert hooks == {
        "imatinib-patient-view": "patient-view",
        "imatinib-order-select": "order-select",
        "imatinib-order-sign": "order-sign",
    }
    prefetch = doc["services"][0]["prefetch"]
    assert "69380-4" in prefetch["observations"] and "92818009" in prefetch["conditions"]
    assert all(s["usageRequirements"] for s in doc["services"])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_patient_view_gives_each_synthetic_patient_its_assessment(service, name):
    cards = patient_view(service, name)
    got = []
    for card in cards:
        row = audit_row(service, card["uuid"])
        assert row["channel"] == "cds-hooks/imatinib-patient-view"
        got.append((row["assessment"], row["codes"][0] if row["codes"] else None, card["indicator"]))
        assert row["indicator"] in (card["indicator"], None)
    assert got == EXPECTED[name]


def test_a_card_carries_summary_detail_citations_source_and_the_disclaimer(service):
    reduction = patient_view(service, "reduction-tfr")[1]
    assert reduction["summary"] == "Candidate for reduction: 400 → 200 mg/day (or 300 mg), with closer monitoring."
    detail = reduction["detail"]
    assert DISCLAIMER in detail
    assert "Treatment-free remission criteria are met" in detail  # TFR: goal from the record's Goal
    assert "[DESTINY" not in detail and "[clark-2017]" not in detail  # keys became numbered citations
    assert re.search(r"\[\d\]", detail)
    assert reduction["source"] == {
        "label": "Hochhaus A, et al. Leukemia 2020",
        "url": "https://pubmed.ncbi.nlm.nih.gov/32127639/",
    }
    assert "| 2026-10-01 | 76 | 0.004 % | optimal |" in detail  # the series against the milestones
    assert {c["code"] for c in reduction["overrideReasons"]} >= {"clinical-judgement", "patient-preference"}


def test_a_card_opens_with_the_bottom_line_of_the_chat_card(service):
    """Issue 23: the EHR card opens with the same bottom line as the chat card (built once, knowledge.card),
    and is not said twice when it is the summary itself; the levels are explained as in the chat."""
    response, reduction = patient_view(service, "reduction-tfr")
    first = reduction["detail"].split("\n\n")[1]
    assert first == (
        "**Candidate for reduction: 400 → 200 mg/day (or 300 mg), with closer monitoring; RQ-PCR on the IS every "
        "4–6 weeks for the first 6–12 months after reduction (≥ 10 mL blood).**"
    )
    assert response["detail"].count(response["summary"]) == 1  # the bottom line is the summary: said once
    (tdm,) = [c for c in patient_view(service, "tdm-umol") if "Imatinib trough level" in c["detail"]]
    assert "**What the levels mean**" in tdm["detail"] and "the 1000 ng/mL target" in tdm["detail"]


def test_durations_come_from_the_series(service):
    card = patient_view(service, "reduction-tfr")[1]
    inputs = audit_row(service, card["uuid"])["inputs"]
    assert (inputs["months_on_tki"], inputs["mmr_months"], inputs["dmr_months"]) == (76.0, 63.8, 51.8)
    assert inputs["goal"] == "tfr" and inputs["dose_mg"] == 400 and inputs["dosing"] == "once_daily"


def test_mmr_lost_and_regained_counts_from_the_regain(service):
    response, reduction = patient_view(service, "mmr-lost-and-regained")
    inputs = audit_row(service, reduction["uuid"])["inputs"]
    assert inputs["mmr_months"] == 7.6  # 2026-02-09 → 2026-09-28, not from 2020
    assert inputs["bcr_abl1_is"] == 0.04 and inputs["dmr_months"] == 0
    assert "since 2026-02-09: 7.6 months, 3 result(s)" in reduction["detail"]
    assert "MMR sustained for 7.6 months" in reduction["detail"]  # RED-2 names the computed duration
    assert "| 2025-03-17 | 72.4 | 0.15 % | warning |" in response["detail"]  # the break, against the milestones


def test_missing_data_is_named_not_guessed(service):
    (card,) = patient_view(service, "missing-data")
    assert card["summary"] == (
        "Response to imatinib (ELN 2020 milestones): not assessable, missing imatinib start date, "
        "BCR-ABL1 result (% IS)."
    )
    assert "**Still needed:** imatinib start date, BCR-ABL1 result (% IS)." in card["detail"]
    assert "a dose that cannot be read (no dose quantity)" in card["detail"]
    assert "Phase not given: taken as chronic phase." in card["detail"]
    assert audit_row(service, card["uuid"])["inputs"] == {}
    assert card["source"] == {"label": f"Imatinib dose-optimisation rules (rule set {RULE_SET_VERSION})"}


def test_a_level_in_umol_per_litre_is_converted_by_the_normaliser(service):
    tdm = patient_view(service, "tdm-umol")[1]
    inputs = audit_row(service, tdm["uuid"])["inputs"]
    assert inputs["trough_ng_ml"] == 740.4 and inputs["hours_since_dose"] == 24
    assert inputs["days_at_current_dose"] == 374
    assert "1.5 µmol/L converted to 740.4 ng/mL (× 493.6)" in tdm["detail"]


def test_no_card_when_nothing_applies(service):
    assert patient_view(service, "gist-not-cml") == []
    body = demo.request(bundle("reduction-tfr"))
    body["context"]["patientId"] = "someone-else"  # the prefetched resources are not this patient's
    r = service.post(PV, body)
    assert r.status_code == 200 and r.json() == {"cards": []}


def test_the_link_opens_the_chat_with_the_case_in_the_fragment(service):
    card = patient_view(service, "tdm-umol")[1]
    (link,) = card["links"]
    assert link["type"] == "absolute" and link["url"].startswith(CHAT_URL + "#say=")
    assert "?" not in link["url"].split("#")[0]  # nothing in the query string, nothing in server logs
    said = unquote(link["url"].split("#say=", 1)[1])
    assert said.startswith("Interpret this trough:") and "trough 740.4 ng/mL drawn 24 h after the dose" in said


# --- orders ---------------------------------------------------------------------------------------


def test_order_sign_escalation_that_matches_the_rules(service):
    (card,) = order(service, SIGN, "tdm-umol", "escalate-600")
    assert card["summary"] == "Escalate imatinib from 400 to 600 mg/day; repeat the trough at steady state."
    assert "suggestions" not in card
    assert "Order under review: imatinib 400 → 600 mg/day. It agrees with the rules." in card["detail"]
    row = audit_row(service, card["uuid"])
    assert row["channel"] == "cds-hooks/imatinib-order-sign" and row["assessment"] == "suboptimal_workup"


def test_order_sign_suggests_the_rules_dose_as_an_update_of_the_draft(service):
    (card,) = order(service, SIGN, "tdm-umol", "escalate-800")
    assert card["summary"] == "Imatinib 800 mg/day ordered; the rules suggest 600 mg/day."
    assert card["indicator"] == "warning" and card["selectionBehavior"] == "at-most-one"
    (s,) = card["suggestions"]
    assert s["isRecommended"] is True and s["label"] == "Change the order to 600 mg/day"
    (action,) = s["actions"]
    original = draft("escalate-800")
    new = action["resource"]
    assert action["type"] == "update" and new["id"] == original["id"] and new["status"] == "draft"
    dose = new["dosageInstruction"][0]
    assert dose["doseAndRate"][0]["doseQuantity"]["value"] == 300
    assert dose["timing"] == original["dosageInstruction"][0]["timing"]
    assert dose["text"] == "300 mg twice daily"
    expected = copy.deepcopy(original)
    expected["dosageInstruction"][0] = dose
    assert new == expected  # the resource in its entirety, only the dose changed


def test_order_sign_reduction_and_its_options(service):
    (ok,) = order(service, SIGN, "reduction-tfr", "reduce-200")
    assert ok["summary"].startswith("Candidate for reduction: 400 → 200 mg/day") and "suggestions" not in ok
    (other,) = order(service, SIGN, "reduction-tfr", "reduce-100")
    assert other["summary"] == "Imatinib 100 mg/day ordered; the rules suggest 200 mg/day."
    labels = [(s["label"], s["isRecommended"]) for s in other["suggestions"]]
    assert labels == [("Change the order to 200 mg/day", True), ("Change the order to 300 mg/day", False)]


def test_order_sign_resuming_the_standard_dose_after_loss_of_mmr(service):
    (card,) = order(service, SIGN, "post-reduction-mmr-lost", "resume-400")
    assert card["summary"] == "MMR lost on the reduced dose: resume the dose before the reduction, 400 mg/day."
    assert audit_row(service, card["uuid"])["assessment"] == "post_reduction"


def test_order_sign_a_change_the_rules_do_not_support(service):
    (card,) = order(service, SIGN, "mmr-lost-and-regained", "reduce-300")
    assert card["indicator"] == "warning"
    assert (
        card["summary"]
        == "The rules do not support imatinib 400 → 300 mg/day now: Not a candidate for dose reduction now."
    )
    assert "Not a candidate for dose reduction now." in card["detail"]
    (keep,) = card["suggestions"]
    assert keep["label"] == "Keep the current 400 mg/day"
    assert keep["actions"][0]["resource"]["dosageInstruction"][0]["doseAndRate"][0]["doseQuantity"]["value"] == 400


def test_a_renewal_gets_a_card_only_when_the_record_calls_for_a_change(service):
    (card,) = order(service, SIGN, "mutation-t315i", "renew-400")
    assert card["indicator"] == "critical" and "renews imatinib at 400 mg/day" in card["detail"]
    renew = draft("renew-400")
    renew["subject"]["reference"] = "Patient/p-reduce"
    body = demo.request(bundle("reduction-tfr"), "order-sign", renew)
    assert check_response(service.post(SIGN, body).json()) == []


def test_order_select_checks_only_the_selected_order(service):
    cards = order(service, SELECT, "tdm-umol", "escalate-800", "escalate-600", hook="order-select")
    assert [c["summary"] for c in cards] == ["Imatinib 800 mg/day ordered; the rules suggest 600 mg/day."]
    body = demo.request(bundle("tdm-umol"), "order-sign", draft("escalate-800"))
    body["context"]["draftOrders"]["entry"].append({"resource": draft("escalate-600")})
    assert len(check_response(service.post(SIGN, body).json())) == 2  # order-sign: every draft
    stranger = draft("escalate-800")
    stranger["subject"]["reference"] = "Patient/someone-else"
    body["context"]["draftOrders"]["entry"] = [{"resource": stranger}]
    assert check_response(service.post(SIGN, body).json()) == []  # another patient's order is not checked


# --- feedback ---------------------------------------------------------------------------------------


def test_feedback_is_stored_without_identifiers(service):
    cards = patient_view(service, "reduction-tfr")
    sign = order(service, SIGN, "reduction-tfr", "reduce-100")[0]
    comment = "Mrs Jane Example prefers to wait"  # free text may name the patient: never stored
    body = {
        "feedback": [
            {
                "card": sign["uuid"],
                "outcome": "accepted",
                "acceptedSuggestions": [{"id": sign["suggestions"][0]["uuid"]}],
                "outcomeTimestamp": "2026-11-27T10:00:00Z",
            },
            {
                "card": cards[1]["uuid"],
                "outcome": "overridden",
                "overrideReason": {"reason": cards[1]["overrideReasons"][2], "userComment": comment},
                "outcomeTimestamp": "2026-11-27T10:01:00Z",
            },
        ]
    }
    r = service.post(PV + "/feedback", body)
    assert r.status_code == 200 and r.json() == {"stored": 2}
    with sqlite3.connect(service.audit_db) as db:
        db.row_factory = sqlite3.Row
        rows = [dict(x) for x in db.execute("SELECT * FROM cds_feedback ORDER BY id")]
    accepted, overridden = rows[-2:]
    assert accepted["card"] == card_hash(sign["uuid"]) and accepted["outcome"] == "accepted"
    assert json.loads(accepted["accepted_suggestions"]) == [card_hash(sign["suggestions"][0]["uuid"])]
    reason = (overridden["reason_code"], overridden["reason_display"])
    assert reason == ("patient-preference", "The patient's preference")
    assert overridden["comment_given"] == 1 and overridden["outcome_at"] == "2026-11-27T10:01:00.000000Z"
    raw = b"".join(p.read_bytes() for p in service.audit_db.parent.glob("audit.db*"))
    assert b"Jane" not in raw and sign["uuid"].encode() not in raw and b"p-reduce" not in raw
    # the feedback joins the card's own audit row
    assert audit_row(service, cards[1]["uuid"])["conversation"] == overridden["card"]
    command = [sys.executable, "-m", "cds", "feedback", "--db", str(service.audit_db)]
    out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0 and len(json.loads(out.stdout)) >= 2


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"feedback": []},
        {"feedback": [{"card": "x", "outcome": "liked", "outcomeTimestamp": "2026-11-27T10:00:00Z"}]},
        {"feedback": [{"card": "x", "outcome": "accepted", "outcomeTimestamp": "2026-11-27T10:00:00Z"}]},
        {"feedback": [{"card": "x", "outcome": "overridden", "outcomeTimestamp": "yesterday"}]},
    ],
)
def test_malformed_feedback_is_refused_and_nothing_stored(service, body):
    before = sqlite3.connect(service.audit_db).execute("SELECT COUNT(*) FROM cds_feedback").fetchone()[0]
    r = service.post(PV + "/feedback", body)
    assert r.status_code == 400 and "error" in r.json()
    assert sqlite3.connect(service.audit_db).execute("SELECT COUNT(*) FROM cds_feedback").fetchone()[0] == before


# --- feedback timestamps are RFC 3339 (conformance report, defect 6) --------------------------------


def feedback_at(service, at):
    item = {"card": "c-rfc3339", "outcome": "overridden", "outcomeTimestamp": at}
    return service.post(PV + "/feedback", {"feedback": [item]})


@pytest.mark.parametrize(
    "at", ["1985-04-12T23:20:50.52Z", "2026-11-27T10:00:00.5Z", "2026-11-27t10:00:00z", "1996-12-19T16:39:57-08:00"]
)
def test_feedback_accepts_every_rfc3339_date_time(service, at):
    r = feedback_at(service, at)
    assert r.status_code == 200 and r.json() == {"stored": 1}


@pytest.mark.parametrize("at", ["2026-12-05", "2026-12-05T10:05:31", "2026-02-30T10:00:00Z", "yesterday"])
def test_feedback_refuses_what_is_not_an_rfc3339_date_time(service, at):
    r = feedback_at(service, at)
    assert r.status_code == 400 and "RFC 3339" in r.json()["error"]


# --- the FHIR server when prefetch is missing ------------------------------------------------------


def test_without_prefetch_the_service_reads_the_fhir_server_with_the_token(service, fake_fhir, fhir_token):
    with_prefetch = patient_view(service, "reduction-tfr")
    body = demo.request(bundle("reduction-tfr"), prefetch=False)
    body["fhirServer"] = fake_fhir.base
    body["fhirAuthorization"] = {
        "access_token": fhir_token,
        "token_type": "Bearer",
        "expires_in": 300,
        "scope": "patient/*.read",
        "subject": "imatinib-cds",
    }
    seen = len(fake_fhir.requests)
    r = service.post(PV, body)
    assert r.status_code == 200, r.text
    cards = check_response(r.json())
    assert [c["summary"] for c in cards] == [c["summary"] for c in with_prefetch]
    calls = fake_fhir.requests[seen:]
    assert {c["path"] for c in calls} == {
        "/fhir/Condition",
        "/fhir/Observation",
        "/fhir/MedicationRequest",
        "/fhir/MedicationStatement",
        "/fhir/Goal",
    }
    assert any("_page=3" in c["query"] for c in calls)  # 15 results in pages of 4: next links followed
    assert all(c["auth"] == f"Bearer {fhir_token}" for c in calls)


def test_a_partial_prefetch_reads_only_the_missing_keys(service, fake_fhir, fhir_token):
    body = demo.request(bundle("tdm-umol"))
    del body["prefetch"]["goals"]
    body["fhirServer"] = fake_fhir.base
    body["fhirAuthorization"] = {"access_token": fhir_token, "token_type": "Bearer"}
    seen = len(fake_fhir.requests)
    assert len(check_response(service.post(PV, body).json())) == 2
    assert [c["path"] for c in fake_fhir.requests[seen:]] == ["/fhir/Goal"]


def test_412_when_the_data_cannot_be_had(service, fake_fhir):
    body = demo.request(bundle("tdm-umol"), prefetch=False)
    r = service.post(PV, body)  # no prefetch and no fhirServer
    assert r.status_code == 412
    body["fhirServer"] = fake_fhir.base
    body["fhirAuthorization"] = {"access_token": "not-the-token", "token_type": "Bearer"}
    assert service.post(PV, body).status_code == 412  # the FHIR server refuses the token


@pytest.mark.parametrize(
    "change, status",
    [
        (lambda b: b.update(hook="order-sign"), 400),
        (lambda b: b.pop("hookInstance"), 400),
        (lambda b: b["context"].pop("patientId"), 400),
        (lambda b: b.update(prefetch=[1]), 400),
        (lambda b: b.update(fhirAuthorization={"access_token": "t"}), 400),
    ],
)
def test_requests_that_do_not_follow_cds_hooks_are_refused(service, change, status):
    body = demo.request(bundle("tdm-umol"))
    change(body)
    r = service.post(PV, body)
    assert r.status_code == status and "error" in r.json()


def test_unknown_service_and_non_json_body(service):
    assert service.post("/cds-services/nope", demo.request(bundle("tdm-umol"))).status_code == 404
    r = requests.post(service.url + PV, data="not json", timeout=10)
    assert r.status_code == 400


def test_the_log_holds_no_patient_values(service):
    patient_view(service, "tdm-umol")
    order(service, SIGN, "tdm-umol", "escalate-800")
    log = service.log.read_text()
    assert "POST /cds-services/imatinib-patient-view 200 (2 card(s))" in log
    for value in ("p-tdm", "740.4", "1.5", "umol", "Patient/", "0.4 %", "imatinib 400"):
        assert value not in log, value


def test_serving_beyond_loopback_needs_client_jwts(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "cds", "serve", "--host", "0.0.0.0", "--port", "5999"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "AUDIT_DB": str(tmp_path / "a.db")},
    )
    assert out.returncode == 2 and out.stdout == ""
    assert json.loads(out.stderr)["errors"][0]["field"] == "--host"


def test_feedback_ages_out_with_the_audit_trail(tmp_path):
    db = tmp_path / "audit.db"
    log = FeedbackLog(db)
    item = {"card": "c1", "outcome": "overridden", "outcomeTimestamp": "2026-11-27T10:00:00Z"}
    assert log.store("imatinib-patient-view", {"feedback": [item]}) == 1
    log.audit.record("c1", "cds-hooks/imatinib-patient-view", {}, {"assessment": "response", "recommendations": []})
    assert AuditLog(db).purge(30) == 0
    assert AuditLog(db).purge(30, now=datetime.now(timezone.utc) + timedelta(days=31)) == 2
    assert log.rows() == [] and AuditLog(db).count() == 0

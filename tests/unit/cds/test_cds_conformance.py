"""The defects of the outside CDS Hooks conformance check (``../shared/reviews/cds-conformance/report.md``),
over HTTP as an EHR integrator sees them, against CDS Hooks 2.0.1 and the hook library: the client's
paginated prefetch, 412 (never 500) and one deadline when data cannot be had, optional searches,
OperationOutcomes, Medications by reference, draft orders as the hook library writes them, the
"keep the current dose" suggestion, CORS and bad input. (Feedback timestamps are tested in
``test_cds_service.py``, client JWT errors in ``test_cds_security.py``, the record as laboratories
write it in ``test_cds_lab_data.py``.)"""

import copy
import json
import time

import pytest
import requests
from cds_harness import CORS_ORIGIN, FIXTURES, bundle, draft
from cds_spec import check_response

from cds import demo

PV = "/cds-services/imatinib-patient-view"
SIGN = "/cds-services/imatinib-order-sign"
SELECT = "/cds-services/imatinib-order-select"


def with_server(body, fake, token, base=None):
    body["fhirServer"] = base or fake.base
    body["fhirAuthorization"] = {"access_token": token, "token_type": "Bearer"}
    return body


def summaries(r):
    assert r.status_code == 200, r.text
    return [c["summary"] for c in check_response(r.json())]


def since(fake, n):
    return fake.requests[n:]


# --- 1. the client's paginated prefetch ------------------------------------------------------------


def split_observations(body, fake, name, keep):
    """Page 1 of the observations in the prefetch, the rest behind a next link on the fake server."""
    searchset = body["prefetch"]["observations"]
    entries = sorted(searchset["entry"], key=lambda e: e["resource"].get("effectiveDateTime", ""))
    first, rest = entries[:keep], entries[keep:]
    fake.static[f"{name}-page-2"] = {"resourceType": "Bundle", "type": "searchset", "entry": rest}
    searchset["entry"] = first
    searchset["link"] = [{"relation": "next", "url": f"{fake.at('static')}/{name}-page-2"}]
    return body


def test_prefetch_pages_are_followed_on_the_fhir_server(service, fake_fhir, fhir_token):
    full = summaries(service.post(PV, demo.request(bundle("reduction-tfr"))))
    body = split_observations(demo.request(bundle("reduction-tfr")), fake_fhir, "rtfr", keep=3)
    n = len(fake_fhir.requests)
    r = service.post(PV, with_server(body, fake_fhir, fhir_token, fake_fhir.at("static")))
    assert summaries(r) == full
    (page,) = since(fake_fhir, n)
    assert page["path"].endswith("/rtfr-page-2") and page["auth"] == f"Bearer {fhir_token}"


def page_one_of_the_report(fake):
    """RD17: the report's own page 2 (NW GMSA-coded BCR-ABL1 results and a trough, from its stubs) behind
    a page 1 that holds the three earlier results; CML and an imatinib order of the same patient."""
    fake.static["report-page-2"] = json.loads((FIXTURES / "conformance" / "prefetch-page2.json").read_text())
    ref = {"reference": "Patient/example"}
    loinc = {"coding": [{"system": "http://loinc.org", "code": "69380-4"}]}
    page1 = [
        {
            "resourceType": "Observation",
            "id": f"b{i}",
            "status": "final",
            "code": loinc,
            "subject": ref,
            "effectiveDateTime": day,
            "valueQuantity": {"value": v, "unit": "%", "system": "http://unitsofmeasure.org", "code": "%"},
        }
        for i, (day, v) in enumerate([("2025-04-14", 12), ("2025-07-14", 3.1), ("2026-01-12", 0.4)])
    ]
    order = copy.deepcopy(draft("renew-400"))
    order.update(status="active", subject=ref, authoredOn="2025-01-13")
    cml = {"resourceType": "Condition", "subject": ref, "code": {"text": "Chronic myeloid leukaemia"}}

    def searchset(*resources, link=None):
        out = {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": r} for r in resources]}
        return {**out, **({"link": [{"relation": "next", "url": link}]} if link else {})}

    prefetch = {
        "conditions": searchset(cml),
        "observations": searchset(*page1, link=f"{fake.at('static')}/report-page-2"),
        "medicationRequests": searchset(order),
        "medicationStatements": None,
        "goals": None,
    }
    context = {"userId": "Practitioner/demo", "patientId": "example"}
    return {
        "hook": "patient-view",
        "hookInstance": "d4a9a4c2-7f4f-4c61-9a51-0e5b0d1d5a77",
        "context": context,
        "prefetch": prefetch,
    }


def test_the_reports_paginated_prefetch_gives_the_card_of_the_latest_results(service, fake_fhir, fhir_token):
    body = page_one_of_the_report(fake_fhir)
    r = service.post(PV, with_server(body, fake_fhir, fhir_token, fake_fhir.at("static")))
    cards = check_response(r.json())
    assert "Latest BCR-ABL1 result: 2026-10-12" in cards[0]["detail"]
    assert cards[0]["summary"].startswith("Optimal response")  # not "Check adherence first" on 2026-01-12
    assert "Send BCR-ABL1 kinase-domain mutation analysis" not in json.dumps(cards)


def test_a_paginated_prefetch_without_fhir_server_is_412_saying_which_page(service, fake_fhir):
    body = page_one_of_the_report(fake_fhir)
    r = service.post(PV, body)
    assert r.status_code == 412
    assert "observations could not be read in full" in r.json()["error"] and "page 2" in r.json()["error"]


def test_a_next_link_to_another_server_is_never_followed(service, fake_fhir, fhir_token):
    body = page_one_of_the_report(fake_fhir)
    body["prefetch"]["observations"]["link"][0]["url"] = "http://127.0.0.2:9/fhir/Observation?page=2"
    r = service.post(PV, with_server(body, fake_fhir, fhir_token, fake_fhir.at("static")))
    assert r.status_code == 412 and "another server" in r.json()["error"]


# --- 2. 412, never 500, and one deadline -----------------------------------------------------------


def test_a_read_slower_than_the_deadline_is_412_within_the_deadline(tuned_service, fake_fhir, fhir_token):
    body = with_server(
        demo.request(bundle("tdm-umol"), prefetch=False), fake_fhir, fhir_token, fake_fhir.at("slow-3000")
    )
    t0 = time.monotonic()
    r = tuned_service.post(PV, body)
    elapsed = time.monotonic() - t0
    assert r.status_code == 412, r.text
    assert "deadline (1 s)" in r.json()["error"]
    assert elapsed < 1.8  # the deadline is 1 s (a read may take 2 s)


def test_reads_run_in_parallel(tuned_service, fake_fhir, fhir_token):
    """Five templates at 0.4 s a read: one after another 2 s, past the 1 s deadline (412); in parallel within it."""
    body = with_server(
        demo.request(bundle("tdm-umol"), prefetch=False), fake_fhir, fhir_token, fake_fhir.at("slow-400")
    )
    t0 = time.monotonic()
    r = tuned_service.post(PV, body)
    assert r.status_code == 200, r.text
    assert len(check_response(r.json())) == 2 and time.monotonic() - t0 < 1.8


def test_a_jwks_url_that_hangs_is_503_with_a_logged_reason_never_500(slow_keys_service, keys):
    token = keys.token(slow_keys_service.url + PV)
    t0 = time.monotonic()
    r = requests.post(
        slow_keys_service.url + PV,
        json=demo.request(bundle("tdm-umol")),
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert r.status_code == 503 and r.headers["Retry-After"] == "5" and time.monotonic() - t0 < 3
    assert "JWK Set URL could not be read (TimeoutError)" in slow_keys_service.log.read_text()


# --- 5. optional data is optional ------------------------------------------------------------------


def test_an_optional_search_the_server_rejects_drops_that_kind_not_the_call(service, fake_fhir, fhir_token):
    base = fake_fhir.at("reject-Goal+MedicationStatement")
    body = with_server(demo.request(bundle("reduction-tfr"), prefetch=False), fake_fhir, fhir_token, base)
    r = service.post(PV, body)
    cards = check_response(r.json())
    assert r.status_code == 200 and len(cards) == 2
    assert "The goals (Goal) could not be read (the FHIR server answered 400)." in cards[0]["detail"]
    assert "imatinib statements (MedicationStatement) could not be read" in cards[0]["detail"]


def test_a_partial_prefetch_without_fhir_server_drops_only_optional_kinds(service):
    body = demo.request(bundle("tdm-umol"))
    del body["prefetch"]["goals"]
    cards = check_response(service.post(PV, body).json())
    assert len(cards) == 2 and "The goals (Goal) could not be read (no fhirServer was given" in cards[0]["detail"]
    del body["prefetch"]["observations"]
    assert service.post(PV, body).status_code == 412  # results are not optional


def test_a_required_search_the_server_rejects_is_412(service, fake_fhir, fhir_token):
    body = with_server(
        demo.request(bundle("tdm-umol"), prefetch=False), fake_fhir, fhir_token, fake_fhir.at("reject-Observation")
    )
    r = service.post(PV, body)
    assert r.status_code == 412 and r.json()["error"] == "observations could not be read: the FHIR server answered 400"


# --- 3. no silent empty answers ---------------------------------------------------------------------


def outcome_bundle(severity):
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": "too-costly", "diagnostics": "search too costly"}],
    }


def test_an_operation_outcome_in_prefetch_gets_one_info_card(service):
    body = demo.request(bundle("tdm-umol"))
    body["prefetch"]["conditions"] = outcome_bundle("error")
    (card,) = check_response(service.post(PV, body).json())
    assert card["indicator"] == "info" and "nothing was assessed" in card["summary"]
    assert "an OperationOutcome instead of the data (error: search too costly)" in card["detail"]


def test_a_warning_operation_outcome_in_a_searchset_is_said_on_the_card(service):
    body = demo.request(bundle("tdm-umol"))
    entry = {"resource": outcome_bundle("warning"), "search": {"mode": "outcome"}}
    body["prefetch"]["observations"]["entry"].append(entry)
    cards = check_response(service.post(PV, body).json())
    assert (
        len(cards) == 2 and "The EHR's answer for observations notes: warning: search too costly" in cards[0]["detail"]
    )


def test_a_fhir_server_answering_a_search_with_an_operation_outcome_is_said(service, fake_fhir, fhir_token):
    body = demo.request(bundle("tdm-umol"))
    del body["prefetch"]["conditions"]
    with_server(body, fake_fhir, fhir_token, fake_fhir.at("outcome-Condition"))
    (card,) = check_response(service.post(PV, body).json())
    assert card["indicator"] == "info" and "(Condition): an OperationOutcome instead of the data" in card["detail"]


def test_neither_cml_nor_imatinib_readable_is_412(service):
    body = demo.request(bundle("tdm-umol"))
    body["prefetch"]["conditions"] = body["prefetch"]["medicationRequests"] = outcome_bundle("error")
    r = service.post(PV, body)
    assert r.status_code == 412 and r.json()["error"].startswith("the record could not be read")


def by_reference(body, ref="Medication/gleevec-400"):
    for e in body["prefetch"]["medicationRequests"]["entry"]:
        e["resource"].pop("medicationCodeableConcept")
        e["resource"]["medicationReference"] = {"reference": ref}
    return body


def test_a_medication_by_reference_is_read_from_the_fhir_server(service, fake_fhir, fhir_token):
    fake_fhir.static["Medication/gleevec-400"] = {
        "resourceType": "Medication",
        "id": "gleevec-400",
        "code": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "404589"}]},
    }
    body = by_reference(demo.request(bundle("tdm-umol")))
    n = len(fake_fhir.requests)
    cards = check_response(service.post(PV, with_server(body, fake_fhir, fhir_token, fake_fhir.at("static"))).json())
    assert len(cards) == 2 and [r["path"].rsplit("/", 2)[-2:] for r in since(fake_fhir, n)] == [
        ["Medication", "gleevec-400"]
    ]
    (card,) = check_response(service.post(PV, by_reference(demo.request(bundle("tdm-umol")))).json())
    assert card["indicator"] == "info" and "names its medication only as Medication/gleevec-400" in card["detail"]


def test_a_draft_written_like_the_hook_librarys_r4_example_is_checked(service):
    stu3_shaped = draft("escalate-800")
    instruction = stu3_shaped["dosageInstruction"][0]
    instruction["doseQuantity"] = instruction.pop("doseAndRate")[0]["doseQuantity"]  # as in order-sign.md
    (card,) = check_response(service.post(SIGN, demo.request(bundle("tdm-umol"), "order-sign", stu3_shaped)).json())
    assert card["summary"] == "Imatinib 800 mg/day ordered; the rules suggest 600 mg/day."
    assert "suggestions" not in card and "doseQuantity directly on Dosage (the STU3 shape)" in card["detail"]


@pytest.mark.parametrize(
    "change, why",
    [
        (lambda d: d["dosageInstruction"][0]["timing"]["repeat"].update(frequency=0), "not a valid FHIR R4"),
        (lambda d: d["dosageInstruction"][0]["doseAndRate"][0]["doseQuantity"].update(value=-400), "-400 mg"),
        (lambda d: d["dosageInstruction"][0]["doseAndRate"][0]["doseQuantity"].update(value=1e20), "out of range"),
        (lambda d: d["dosageInstruction"][0].update(timing="BID"), "not a valid FHIR R4 MedicationRequest"),
    ],
    ids=["frequency 0", "negative dose", "1e20 mg", "not R4"],
)
def test_an_imatinib_draft_that_cannot_be_checked_says_so(service, change, why):
    bad = draft("escalate-800")
    change(bad)
    (card,) = check_response(service.post(SIGN, demo.request(bundle("tdm-umol"), "order-sign", bad)).json())
    assert card["indicator"] == "warning" and card["summary"].startswith("Imatinib order not checked against the rules")
    assert why in card["detail"]


# --- 9. "keep the current dose" keeps the current regimen -------------------------------------------


def test_keep_the_current_dose_keeps_the_current_schedule_and_product(service):
    bid = draft("escalate-800")  # 400 mg twice daily of Gleevec 400 mg, for a patient on imatinib 400 mg once daily
    bid["subject"]["reference"] = "Patient/p-regain"
    bid["medicationCodeableConcept"] = {
        "coding": [
            {
                "system": "http://www.nlm.nih.gov/research/umls/rxnorm",
                "code": "404589",
                "display": "Gleevec 400 MG Oral Tablet",
            }
        ]
    }
    (card,) = check_response(
        service.post(SIGN, demo.request(bundle("mmr-lost-and-regained"), "order-sign", bid)).json()
    )
    (keep,) = card["suggestions"]
    assert keep["label"] == "Keep the current 400 mg/day"
    resource = keep["actions"][0]["resource"]
    instruction = resource["dosageInstruction"][0]
    assert instruction["doseAndRate"][0]["doseQuantity"]["value"] == 400
    assert instruction["timing"]["repeat"] == {"frequency": 1, "period": 1, "periodUnit": "d"}
    assert instruction["text"] == "400 mg once daily"
    current = next(
        e["resource"]
        for e in bundle("mmr-lost-and-regained")["entry"]
        if e["resource"]["resourceType"] == "MedicationRequest" and e["resource"]["status"] == "active"
    )
    assert resource["medicationCodeableConcept"] == current["medicationCodeableConcept"]
    assert "400 mg once daily" in keep["actions"][0]["description"]


# --- 10. CORS ----------------------------------------------------------------------------------------


def test_cors_answers_the_allowed_origin_only(tuned_service, service):
    preflight = {
        "Origin": CORS_ORIGIN,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    }
    r = requests.options(tuned_service.url + PV, headers=preflight, timeout=10)
    assert r.status_code == 204 and r.headers["Access-Control-Allow-Origin"] == CORS_ORIGIN
    assert "POST" in r.headers["Access-Control-Allow-Methods"]
    assert "Authorization" in r.headers["Access-Control-Allow-Headers"]
    r = requests.post(
        tuned_service.url + PV, json=demo.request(bundle("tdm-umol")), headers={"Origin": CORS_ORIGIN}, timeout=10
    )
    assert r.status_code == 200 and r.headers["Access-Control-Allow-Origin"] == CORS_ORIGIN
    r = requests.options(tuned_service.url + PV, headers={**preflight, "Origin": "https://evil.example"}, timeout=10)
    assert r.status_code == 403 and "Access-Control-Allow-Origin" not in r.headers
    r = requests.options(service.url + PV, headers=preflight, timeout=10)  # off by default
    assert r.status_code == 405 and "Access-Control-Allow-Origin" not in r.headers


# --- 11. bad input is 400, and the token stays on fhirServer ----------------------------------------


def test_a_body_nested_too_deep_is_400(service):
    deep = "[" * 100_000 + "]" * 100_000
    r = requests.post(service.url + PV, data=deep, headers={"Content-Type": "application/json"}, timeout=30)
    assert r.status_code == 400
    body = demo.request(bundle("tdm-umol"))
    body["padding"] = json.loads("[" * 70 + "]" * 70)
    assert service.post(PV, body).status_code == 400


@pytest.mark.parametrize(
    "path, hook, change",
    [
        (SIGN, "order-sign", lambda c: c.update(draftOrders=[c["draftOrders"]])),
        (SIGN, "order-sign", lambda c: c.pop("draftOrders")),
        (SELECT, "order-select", lambda c: c.update(selections="MedicationRequest/draft-escalate-800")),
    ],
    ids=["draftOrders a list", "draftOrders missing", "selections a string"],
)
def test_order_hook_context_that_is_not_cds_hooks_is_400(service, path, hook, change):
    body = demo.request(bundle("tdm-umol"), hook, draft("escalate-800"))
    change(body["context"])
    r = service.post(path, body)
    assert r.status_code == 400 and "context." in r.json()["error"]


def test_a_redirect_to_another_server_is_not_followed(service, fake_fhir, fhir_token):
    body = with_server(
        demo.request(bundle("tdm-umol"), prefetch=False), fake_fhir, fhir_token, fake_fhir.at("redirect")
    )
    n = len(fake_fhir.requests)
    r = service.post(PV, body)
    assert r.status_code == 412 and "redirected to another server" in r.json()["error"]
    assert all(q["path"].startswith("/x/redirect/") for q in since(fake_fhir, n))  # localhost never contacted


def test_an_answer_over_the_size_cap_is_412(service, fake_fhir, fhir_token):
    body = with_server(demo.request(bundle("tdm-umol"), prefetch=False), fake_fhir, fhir_token, fake_fhir.at("huge"))
    r = service.post(PV, body)
    assert r.status_code == 412 and "larger than 8 MB" in r.json()["error"]


def test_the_log_holds_no_patient_values_from_the_new_paths(service, fake_fhir, fhir_token):
    body = demo.request(bundle("tdm-umol"))
    body["prefetch"]["conditions"] = outcome_bundle("error")
    service.post(PV, body)
    log = service.log.read_text()
    for value in ("p-tdm", "search too costly", "740.4", "Patient/"):
        assert value not in log, value


def test_an_imatinib_draft_on_an_unreadable_record_gets_the_info_card_not_412(service):
    body = demo.request(bundle("tdm-umol"), "order-sign", draft("escalate-800"))
    body["prefetch"]["conditions"] = body["prefetch"]["medicationRequests"] = outcome_bundle("error")
    (card,) = check_response(service.post(SIGN, body).json())
    assert card["indicator"] == "info" and "A draft imatinib order is under review." in card["detail"]
    other = copy.deepcopy(body)
    other["context"]["draftOrders"]["entry"][0]["resource"]["medicationCodeableConcept"] = {"text": "amoxicillin"}
    assert check_response(service.post(SIGN, other).json()) == []

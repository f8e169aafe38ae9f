"""The record as EHRs and laboratories write it (conformance report, defects 3, 4 and 8): RxNorm brand and
ingredient codes, Medications by reference, Synthea's ``urn:uuid:`` and versioned references, genomic
variants in mCODE / genomics-reporting form, BCR-ABL1 units, zeros and "undetectable". Each either reads
as it should or gets a card saying what could not be read: never a silent empty answer, and never an
assessment on an older result when the newest could not be read."""

import datetime as dt

import pytest
from cds_spec import check_card

from cds.case import case_from_chart
from cds.fhir import RXNORM_IMATINIB, read_chart
from cds.services import Call, patient_view

TODAY = dt.date(2026, 11, 27)
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
UCUM = "http://unitsofmeasure.org"


def view(resources, pid="p1", unread=None):
    rc = case_from_chart(read_chart(resources, pid, unread) if unread else read_chart(resources, pid), TODAY)
    cards = patient_view(Call("imatinib-patient-view", rc, {"patientId": pid}, "http://chat.example.test/"))
    for card in cards:
        check_card(card)
    return rc, cards


def subject(pid="p1"):
    return {"reference": f"Patient/{pid}"}


def condition(pid="p1", **over):
    return {
        "resourceType": "Condition",
        "subject": subject(pid),
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "92818009"}]},
        "stage": [{"summary": {"text": "chronic phase"}}],
        **over,
    }


def order(medication=None, pid="p1", start="2020-01-06", **over):
    return {
        "resourceType": "MedicationRequest",
        "status": "active",
        "intent": "order",
        "subject": subject(pid),
        **(medication or {"medicationCodeableConcept": {"text": "imatinib"}}),
        "dosageInstruction": [
            {
                "timing": {
                    "repeat": {"frequency": 1, "period": 1, "periodUnit": "d", "boundsPeriod": {"start": start}}
                },
                "doseAndRate": [{"doseQuantity": {"value": 400, "unit": "mg", "system": UCUM, "code": "mg"}}],
            }
        ],
        **over,
    }


def result(day, pid="p1", **value):
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "69380-4"}]},
        "subject": subject(pid),
        "effectiveDateTime": day,
        **value,
    }


def pct(day, value, unit="%", code=None, **more):
    q = {"value": value, "unit": unit, **({"system": UCUM, "code": code} if code else {})}
    return result(day, valueQuantity=q, **more)


SERIES = [pct("2025-07-07", 0.05, code="%"), pct("2026-01-05", 0.03, code="%")]


# --- imatinib as EHRs code it (defect 3) ----------------------------------------------------------


@pytest.mark.parametrize("code", sorted(RXNORM_IMATINIB))
def test_every_rxnorm_code_of_imatinib_is_read_without_any_text(code):
    coded = {"medicationCodeableConcept": {"coding": [{"system": RXNORM, "code": code}]}}
    rc, cards = view([condition(), order(coded), *SERIES])
    assert rc.applies and rc.fields["dose_mg"] == 400
    assert cards and cards[0]["summary"].startswith("Optimal response")


def test_the_rxnorm_list_holds_the_ingredient_and_the_brand():
    # ingredient (IN), imatinib 100/400 mg tablets (SCD), Gleevec 100/400 mg tablets (SBD)
    assert set(RXNORM_IMATINIB) == {"282388", "403878", "403879", "404588", "404589"}


def test_a_medication_named_by_an_unreadable_reference_gets_a_card_saying_so():
    by_reference = {"medicationReference": {"reference": "Medication/m-unknown"}}
    rc, cards = view([condition(), order(by_reference), *SERIES])
    (card,) = cards
    assert rc.blocked and card["indicator"] == "info"
    assert (
        card["summary"] == "Imatinib decision support: part of the record could not be read, so nothing was assessed."
    )
    assert "names its medication only as Medication/m-unknown, which could not be read" in card["detail"]


def test_a_medication_read_by_reference_or_by_its_ingredient_is_imatinib():
    medication = {
        "resourceType": "Medication",
        "id": "m1",
        "ingredient": [{"itemCodeableConcept": {"coding": [{"system": RXNORM, "code": "282388"}]}}],
    }
    by_reference = {"medicationReference": {"reference": "Medication/m1"}}
    rc, cards = view([condition(), order(by_reference), medication, *SERIES])
    assert rc.applies and [c["indicator"] for c in cards] == ["info", "info"]


def test_synthea_urn_uuid_and_versioned_references_are_this_patients():
    pid = "8f3c2d0e-2b8a-4a7e-9f5b-6a7f0c1d2e3f"
    urn = {"reference": f"urn:uuid:{pid}"}
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": f"urn:uuid:{pid}", "resource": {"resourceType": "Patient", "id": pid}},
            {"resource": condition(pid, subject=urn)},
            {"resource": order(pid=pid, subject=urn)},
            {"resource": {**SERIES[0], "subject": urn}},
            {"resource": {**SERIES[1], "subject": {"reference": f"Patient/{pid}/_history/3"}}},
        ],
    }
    rc, cards = view([bundle], pid)
    assert rc.applies and rc.fields["bcr_abl1_is"] == 0.03 and len(rc.rows) == 2
    assert not any("another patient" in a for a in rc.assumptions)


def test_a_bundle_fullurl_that_is_not_the_patient_id_is_resolved():
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": "urn:uuid:0000-patient", "resource": {"resourceType": "Patient", "id": "p1"}},
            {"resource": condition(subject={"reference": "urn:uuid:0000-patient"})},
            {"resource": order(subject={"reference": "urn:uuid:0000-patient"})},
            *({"resource": r} for r in SERIES),
        ],
    }
    rc, _ = view([bundle])
    assert rc.applies and rc.fields["bcr_abl1_is"] == 0.03


def test_a_patient_named_by_identifier_only_is_said_not_called_another_patient():
    by_identifier = {"identifier": {"system": "urn:oid:2.16.840.1.113883.4.1", "value": "000-00-0000"}}
    rc, _ = view([condition(), order(), *SERIES, {**pct("2026-06-01", 0.02), "subject": by_identifier}])
    assert any("name their patient by an identifier only" in a for a in rc.assumptions)
    assert not any("another patient" in a for a in rc.assumptions)


def test_an_operation_outcome_in_place_of_the_conditions_is_an_info_card():
    unread = {"Condition": "an OperationOutcome instead of the data (error: too-costly)"}
    rc, cards = view([order(), *SERIES], unread=unread)
    (card,) = cards
    assert card["indicator"] == "info" and "too-costly" in card["detail"]
    assert "the CML diagnosis and phase (Condition)" in card["detail"]
    assert "Imatinib 400 mg once daily since 2020-01-06." in card["detail"]  # what was read


def test_results_the_ehr_could_not_give_block_the_assessment():
    rc, cards = view([condition(), order()], unread={"Observation": "page 2: an OperationOutcome (error: timeout)"})
    (card,) = cards
    assert rc.blocked and "nothing was assessed" in card["summary"] and "page 2" in card["detail"]


def test_a_record_without_imatinib_stays_silent_even_when_conditions_are_unreadable():
    other = order({"medicationCodeableConcept": {"text": "atorvastatin"}})
    _, cards = view([other, *SERIES], unread={"Condition": "an OperationOutcome instead of the data"})
    assert cards == []


def test_neither_cml_nor_imatinib_readable_is_undecidable():
    unread = {"Condition": "OperationOutcome", "MedicationRequest": "OperationOutcome"}
    rc = case_from_chart(read_chart(SERIES, "p1", unread), TODAY)
    assert rc.undecidable and not rc.applies and len(rc.blocked) == 2


def test_an_unreadable_optional_kind_is_said_on_the_card():
    _, cards = view([condition(), order(), *SERIES], unread={"Goal": "the FHIR server answered 400"})
    assert cards and "The goals (Goal) could not be read (the FHIR server answered 400)." in cards[0]["detail"]


# --- genomic variants as FHIR writes them (defect 4) ----------------------------------------------


def variant(*components, value="LA9633-4"):
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "69548-6"}]},
        "subject": subject(),
        "effectiveDateTime": "2026-03-02",
        "valueCodeableConcept": {"coding": [{"system": "http://loinc.org", "code": value}]},
        "component": list(components),
    }


def component(code, system, value, display=None):
    coding = {"system": system, "code": value, **({"display": display} if display else {})}
    return {
        "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
        "valueCodeableConcept": {"coding": [coding]},
    }


HGNC, HGVS = "http://www.genenames.org/geneId", "http://varnomen.hgvs.org"
FUSION_GENES = [component("48018-6", HGNC, "HGNC:1014", "BCR"), component("48018-6", HGNC, "HGNC:76", "ABL1")]
FAILING = [pct("2025-04-07", 15, code="%"), pct("2025-07-07", 9, code="%"), pct("2026-02-09", 4.2, code="%")]


def test_a_variant_with_only_its_dna_change_is_a_detected_mutation_not_a_request_for_analysis():
    # HL7 mCODE genomic-variant-fusion: BCR/ABL1, Present, NM_005157.6:c.1076T>G (which is p.Phe359Cys)
    dna = component("48004-6", HGVS, "NM_005157.6:c.1076T>G")
    rc, cards = view([condition(), order(start="2025-01-06"), *FAILING, variant(*FUSION_GENES, dna)])
    (card,) = cards
    assert rc.unnamed_variant is not None and "mutations" not in rc.fields
    assert card["indicator"] == "warning"
    assert card["summary"].startswith("An ABL1 mutation is reported but not named")
    assert "NM_005157.6:c.1076T>G" in card["detail"] and "counts as failure at any time" in card["detail"]
    assert "mutation analysis" not in card["summary"].lower()
    assert "Send BCR-ABL1 kinase-domain mutation analysis" not in card["detail"]


def test_the_protein_change_written_beside_the_dna_change_names_the_mutation():
    # as the mCODE example itself writes it: display "NM_005157.6(ABL1):c.1076T>G (p.Phe359Cys)"
    dna = component("48004-6", HGVS, "NM_005157.6(ABL1):c.1076T>G", "NM_005157.6(ABL1):c.1076T>G (p.Phe359Cys)")
    rc, cards = view([condition(), order(start="2025-01-06"), *FAILING, variant(*FUSION_GENES, dna)])
    assert rc.fields["mutations"] == ["F359C"]
    assert cards[0]["summary"] == "Switch TKI guided by the mutation profile (F359C)."


@pytest.mark.parametrize("protein", ["p.Phe359Cys", "NP_005148.2:p.(Phe359Cys)", "p.F359C"])
def test_a_protein_hgvs_names_the_mutation(protein):
    aa = component("48005-3", HGVS, protein)
    rc, _ = view([condition(), order(start="2025-01-06"), *FAILING, variant(component("48018-6", HGNC, "HGNC:76"), aa)])
    assert rc.fields["mutations"] == ["F359C"]


# --- BCR-ABL1 as laboratories send it (defect 8) ---------------------------------------------------


@pytest.mark.parametrize("unit", ["% (IS)", "%IS", "% IS", "%(IS)", "%"])
def test_percent_on_the_international_scale_however_the_unit_is_written(unit):
    rc, _ = view([condition(), order(), pct("2026-01-05", 0.008, unit=unit)])
    assert rc.fields["bcr_abl1_is"] == 0.008


def test_a_ratio_is_not_a_percentage_and_says_what_it_would_be():
    rc, _ = view([condition(), order(), *SERIES[:1], pct("2026-01-05", 0.0008, unit="ratio", code="1")])
    assert rc.latest_unread is not None and "would be 0.08 %" in rc.latest_unread[1]


@pytest.mark.parametrize(
    "value",
    [
        {"valueQuantity": {"value": 0, "unit": "%", "system": UCUM, "code": "%"}},
        {"valueString": "0.000"},
        {"valueString": "undetectable"},
        {"valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": "260415000"}]}},
    ],
    ids=["0 %", "0.000", "undetectable", "SNOMED not detected"],
)
def test_zero_or_undetectable_without_sensitivity_is_asked_about_not_read_as_zero(value):
    rc, cards = view([condition(), order(), *SERIES, result("2026-10-12", **value)])
    assert rc.fields.get("bcr_abl1_is") is None and rc.fields.get("dmr_months") is None
    assert rc.latest_unread[0] == dt.date(2026, 10, 12)
    card = cards[0]
    assert (
        card["summary"] == "The latest BCR-ABL1 result (2026-10-12) could not be read: not assessed on older results."
    )
    assert card["indicator"] == "warning"
    assert "which MR level did the laboratory reach (MR4, MR4.5, MR5)?" in card["detail"]


@pytest.mark.parametrize(
    "value",
    [
        {"valueString": "undetectable, MR4.5"},
        {"valueString": "not detected (< 0.0032 %)"},
        {"valueQuantity": {"value": 0, "unit": "%"}, "note": [{"text": "Undetectable; assay sensitivity MR4.5"}]},
    ],
    ids=["undetectable, MR4.5", "< 0.0032 %", "0 % with a note"],
)
def test_undetectable_with_its_sensitivity_is_that_levels_bound(value):
    rc, _ = view([condition(), order(), *SERIES, result("2026-10-12", **value)])
    assert rc.fields["bcr_abl1_is"] == 0.0032 and rc.latest_unread is None
    assert any("undetectable at the stated sensitivity" in a for a in rc.assumptions)


def test_a_series_of_zeros_never_stays_optimal_on_an_old_result():
    # RD07c-e: 12 results coded 0 % over 5.5 years after one readable result of 2020
    zeros = [pct(f"{2021 + i // 2}-{1 + 6 * (i % 2):02d}-04", 0, code="%") for i in range(12)]
    rc, cards = view([condition(), order(start="2019-07-01"), pct("2020-01-06", 0.05, code="%"), *zeros])
    assert "bcr_abl1_is" not in rc.fields and "dmr_months" not in rc.fields
    assert cards[0]["indicator"] == "warning" and not cards[0]["summary"].startswith("Optimal")
    assert "no older result stands in" in cards[0]["detail"].lower()


def test_the_labs_reason_for_no_value_is_shown():
    absent = {"dataAbsentReason": {"text": "INVALID [Too high ABL transcript]"}}
    rc, _ = view([condition(), order(), *SERIES, result("2026-10-12", **absent)])
    assert "has no value (INVALID [Too high ABL transcript])" in rc.latest_unread[1]


def test_an_older_unreadable_result_does_not_stop_the_assessment():
    rc, cards = view([condition(), order(), result("2025-01-06", valueString="undetectable"), *SERIES])
    assert rc.fields["bcr_abl1_is"] == 0.03 and rc.latest_unread is None
    assert cards[0]["summary"].startswith("Optimal response")


def test_a_missing_result_is_not_called_a_missing_start_date():
    _, cards = view([condition(), order()])
    assert "imatinib start date" not in cards[0]["summary"]
    assert "missing BCR-ABL1 result (% IS)" in cards[0]["summary"]


def test_a_record_naming_its_patient_by_identifier_only_is_not_silently_empty():
    by_identifier = {"subject": {"identifier": {"system": "urn:oid:2.16.840.1.113883.4.1", "value": "000-00-0000"}}}
    rc = case_from_chart(read_chart([{**condition(), **by_identifier}, {**order(), **by_identifier}], "p1"), TODAY)
    assert rc.undecidable and "1 Condition resource(s) name their patient by an identifier only" in rc.blocked

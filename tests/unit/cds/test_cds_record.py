"""FHIR R4 → PatientCase: what is read, how durations are computed from the series, and what is left out
(missing, ambiguous or contradictory) with the reason stated instead of a guess."""

import copy
import datetime as dt

import pytest
from cds_harness import bundle
from fhir.resources import construct_fhir_element

from cds.case import case_from_chart, sustained
from cds.fhir import Level, read_chart, read_dose
from cds.services import Call, patient_view
from knowledge.normalize import normalize

TODAY = dt.date(2026, 11, 27)


def case(resources, patient="p1"):
    return case_from_chart(read_chart(resources, patient), TODAY)


def of(name):
    b = bundle(name)
    pid = next(e["resource"]["id"] for e in b["entry"] if e["resource"]["resourceType"] == "Patient")
    return case([b], pid)


def condition(stage=None, pid="p1"):
    c = {"resourceType": "Condition", "subject": {"reference": f"Patient/{pid}"}, "code": {"text": "CML"}}
    if stage:
        c["stage"] = [{"summary": {"text": stage}}]
    return c


def med(start, per_dose=400, per_day=1, status="active", end=None, pid="p1"):
    bounds = {"start": start, **({"end": end} if end else {})}
    return {
        "resourceType": "MedicationRequest",
        "status": status,
        "intent": "order",
        "subject": {"reference": f"Patient/{pid}"},
        "medicationCodeableConcept": {"text": "Imatinib"},
        "dosageInstruction": [
            {
                "timing": {"repeat": {"frequency": per_day, "period": 1, "periodUnit": "d", "boundsPeriod": bounds}},
                "doseAndRate": [{"doseQuantity": {"value": per_dose, "unit": "mg"}}],
            }
        ],
    }


def obs(code, day, quantity=None, pid="p1", status="final", **value):
    o = {
        "resourceType": "Observation",
        "status": status,
        "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
        "subject": {"reference": f"Patient/{pid}"},
        "effectiveDateTime": day,
    }
    if quantity is not None:
        o["valueQuantity"] = quantity
    o.update(value)
    return o


def bcr(day, value, unit="%", pid="p1", **q):
    return obs("69380-4", day, {"value": value, "unit": unit, **q}, pid=pid)


def variant(day, present, aa=None):
    o = obs(
        "69548-6",
        day,
        valueCodeableConcept={
            "coding": [{"system": "http://loinc.org", "code": "LA9633-4" if present else "LA9634-2"}]
        },
    )
    o["component"] = [
        {
            "code": {"coding": [{"system": "http://loinc.org", "code": "48018-6"}]},
            "valueCodeableConcept": {"text": "ABL1"},
        }
    ]
    if aa:
        o["component"].append(
            {"code": {"coding": [{"system": "http://loinc.org", "code": "48005-3"}]}, "valueString": aa}
        )
    return o


BASE = [condition("chronic phase"), med("2020-01-06")]


def test_durations_of_the_reduction_patient():
    rc = of("reduction-tfr")
    f = rc.fields
    assert (f["months_on_tki"], f["mmr_months"], f["dmr_months"], f["bcr_abl1_is"]) == (76.0, 63.8, 51.8, 0.004)
    assert (f["dose_mg"], f["dosing"], f["adherence_pct"], f["goal"], f["phase"]) == (
        400,
        "once_daily",
        98,
        "tfr",
        "chronic",
    )
    assert any("may have begun earlier, between tests" in a for a in rc.assumptions)


def test_mmr_broken_and_regained_counts_the_unbroken_run_only():
    f = of("mmr-lost-and-regained").fields
    assert f["mmr_months"] == 7.6 and f["dmr_months"] == 0.0


def test_sustained_run():
    days = [dt.date(2024, m, 1) for m in range(1, 8)]
    levels = [Level(d, v, "") for d, v in zip(days, [0.05, 0.08, 0.2, 0.1, 0.09, 0.009, 0.05], strict=True)]
    assert sustained(levels, 0.1) == (3.0, levels[3], 4)  # 0.1 is in MMR (≤); the 0.2 breaks the run
    assert sustained(levels[:3], 0.1) == (0.0, None, 0)  # latest above: 0 months
    assert sustained(levels[:1], 0.1) == (0.0, levels[0], 1)  # one result: no duration yet


def test_umol_per_litre_goes_through_the_normaliser():
    rc = of("tdm-umol")
    assert rc.fields["trough_ng_ml"] == normalize("trough_ng_ml", "1.5 µmol/L").value == 740.4
    assert rc.fields["hours_since_dose"] == 24  # LOINC 103609-4, the 24-hour post-dose level
    assert rc.fields["days_at_current_dose"] == 374


def test_each_result_stands_against_the_milestones_of_its_own_time():
    rows = of("response-warning").rows
    assert [(r.months, r.pct, r.zone) for r in rows] == [
        (3.0, 8, "optimal"),
        (6.1, 2.4, "warning"),
        (12.2, 0.6, "warning"),
    ]
    assert rows[0].day == dt.date(2025, 12, 15)  # the 48 % of 2025-09-10, before imatinib, is a baseline


def test_post_reduction_reads_the_dose_before():
    f = of("post-reduction-mmr-lost").fields
    assert (f["dose_mg"], f["on_reduced_dose"], f["standard_dose_mg"]) == (200, True, 400)


def test_mutations_from_mcode_genomic_variants():
    assert of("mutation-t315i").fields["mutations"] == ["T315I"]  # NP_005148.2:p.(Thr315Ile)
    assert of("workup-failure").fields["mutations"] == []  # ABL1 analysis: Absent


def test_no_cml_or_no_active_imatinib_does_not_apply():
    assert not of("gist-not-cml").applies
    assert not case([condition(), med("2020-01-06", status="completed")]).applies


def test_missing_values_are_missing():
    rc = of("missing-data")
    assert rc.applies and rc.fields == {}
    assert "An imatinib MedicationStatement has a dose that cannot be read (no dose quantity)." in rc.assumptions


@pytest.mark.parametrize(
    "dosage, expected",
    [
        ({"timing": {"repeat": {"frequency": 2, "period": 1, "periodUnit": "d"}}, "mg": 400}, (800, "twice_daily")),
        ({"timing": {"code": {"coding": [{"code": "BID"}]}}, "mg": 300}, (600, "twice_daily")),
        ({"timing": {"code": {"coding": [{"code": "QD"}]}}, "mg": 400}, (400, "once_daily")),
        ({"timing": {"repeat": {"frequency": 1, "period": 24, "periodUnit": "h"}}, "mg": 600}, (600, "once_daily")),
        ({"timing": {"repeat": {"frequency": 1, "period": 2, "periodUnit": "d"}}, "mg": 400}, (None, None)),
        ({"timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "wk"}}, "mg": 400}, (None, None)),
        ({"mg": 400}, (None, None)),  # no schedule: how many a day is unknown
    ],
)
def test_daily_dose_from_dose_and_schedule(dosage, expected):
    raw = {"timing": dosage.get("timing"), "doseAndRate": [{"doseQuantity": {"value": dosage["mg"], "unit": "mg"}}]}
    d = construct_fhir_element("Dosage", {k: v for k, v in raw.items() if v})
    dose = read_dose([d])
    assert (dose.daily_mg, dose.dosing) == expected
    assert (dose.problem is None) == (expected[0] is not None)


def test_a_dose_not_in_mg_is_not_read():
    d = construct_fhir_element("Dosage", {"doseAndRate": [{"doseQuantity": {"value": 1, "unit": "tablet"}}]})
    assert read_dose([d]).problem == "dose unit 'tablet' is not mg"


def test_contradictions_are_stated_and_resolved_only_to_the_cautious_side():
    rc = case(
        [
            condition("chronic phase"),
            condition("accelerated phase"),
            med("2020-01-06"),
            bcr("2026-01-05", 0.05),
            bcr("2026-01-05", 0.2),
        ]
    )
    assert rc.fields["phase"] == "accelerated" and rc.fields["bcr_abl1_is"] == 0.2
    assert any("more than one phase (chronic, accelerated)" in a for a in rc.assumptions)
    assert any("Two BCR-ABL1 results on 2026-01-05" in a for a in rc.assumptions)


def test_two_active_orders_with_different_doses_leave_the_dose_out():
    rc = case([*BASE, med("2021-01-04", per_dose=600), bcr("2026-01-05", 0.05)])
    assert "dose_mg" not in rc.fields
    assert any("different doses (400 mg/day, 600 mg/day)" in a for a in rc.assumptions)


def test_mutation_found_then_not_found_is_contradictory():
    rc = case([*BASE, bcr("2026-01-05", 2), variant("2025-06-02", True, "p.Glu255Lys"), variant("2026-01-12", False)])
    assert "mutations" not in rc.fields
    assert any("earlier analysis found E255K" in a for a in rc.assumptions)
    unreadable = case([*BASE, bcr("2026-01-05", 2), variant("2026-01-12", True, "c.944C>T")])
    assert "mutations" not in unreadable.fields


def test_results_that_are_not_percent_is_or_final_are_left_out():
    rc = case(
        [
            *BASE,
            bcr("2025-01-06", 0.0008, unit="{ratio}"),
            obs("69380-4", "2025-07-07", {"value": 0.5, "unit": "%"}, status="preliminary"),
            bcr("2026-01-05", 0.0032, comparator="<"),
            obs("69380-4", "2026-02-02", valueString="MR4.5"),
            bcr("2026-03-02", 0.05, pid="someone-else"),
        ]
    )
    assert [(r.day.isoformat(), r.pct) for r in rc.rows] == [("2026-01-05", 0.0032), ("2026-02-02", 0.0032)]
    text = " ".join(rc.assumptions)
    assert "is a ratio (0.0008), not a percentage: as a percentage it would be 0.08 %" in text
    assert "status 'preliminary' was left out" in text
    assert "taken as 0.0032 %, its upper bound" in text and "another patient were left out" in text


def test_adherence_only_as_a_percentage():
    coded = obs("71799-1", "2026-01-05", valueCodeableConcept={"text": "Complies with drug therapy"})
    rc = case([*BASE, bcr("2026-01-05", 0.05), coded])
    assert "adherence_pct" not in rc.fields
    assert any("not as a percentage of doses taken" in a for a in rc.assumptions)
    assert case([*BASE, obs("71799-1", "2026-01-05", {"value": 93, "unit": "%"})]).fields["adherence_pct"] == 93


def test_a_trough_before_the_current_dose_is_not_used():
    trough = obs("57844-3", "2020-06-01", {"value": 1100, "unit": "ng/mL"})
    rc = case([condition(), med("2018-01-08", status="completed"), med("2020-01-06", per_dose=600), trough])
    assert rc.fields["trough_ng_ml"] == 1100 and rc.fields["days_at_current_dose"] == 147
    later = case([condition(), med("2020-01-06"), med("2021-01-04", per_dose=600), trough])
    assert "trough_ng_ml" not in later.fields and any("predates the current dose" in a for a in later.assumptions)


def test_out_of_range_values_are_left_out_and_named():
    rc = case([*BASE, bcr("2026-01-05", 2000)])
    assert "bcr_abl1_is" not in rc.fields
    assert any(a.startswith("bcr abl1 is left out:") for a in rc.assumptions)


def test_unreadable_resources_are_counted_not_half_read():
    bad = copy.deepcopy(bcr("2026-01-05", 0.05))
    bad["valueQuantity"]["value"] = "a lot"
    rc = case([*BASE, bad])
    assert "bcr_abl1_is" not in rc.fields
    assert "1 Observation resource(s) could not be read as FHIR R4 and were left out." in rc.assumptions


def test_a_month_only_date_is_stated():
    rc = case([condition(), med("2020-01"), bcr("2026-01-05", 0.05)])
    assert rc.fields["months_on_tki"] == 72.1
    assert any("given to the month only: taken as 2020-01-01" in a for a in rc.assumptions)


def test_after_a_reduction_only_a_result_on_the_reduced_dose_counts():
    resources = [
        condition("chronic phase"),
        med("2018-01-08", status="completed", end="2026-09-30"),
        med("2026-10-05", per_dose=200),
        bcr("2026-09-28", 0.005),
    ]
    rc = case(resources)
    assert rc.fields["on_reduced_dose"] is True and rc.fields["bcr_abl1_is"] == 0.005
    assert "bcr_abl1_is" not in rc.fields_for("post_reduction") and rc.fields_for("response") == rc.fields
    assert any("predates the reduced dose (since 2026-10-05)" in a for a in rc.assumptions)
    (card,) = patient_view(Call("imatinib-patient-view", rc, {"patientId": "p1"}, "http://chat.example.test/"))
    assert "MMR held" not in card["summary"] and "**Still needed:** BCR-ABL1 result (% IS)." in card["detail"]
    later = case(resources + [bcr("2026-11-16", 0.006)])
    assert later.fields_for("post_reduction")["bcr_abl1_is"] == 0.006

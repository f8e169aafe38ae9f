"""Generates cases.jsonl from decision-spec v1.1 alone (run: python make_cases.py).

Changed for spec v1.2 (each change marked "v1.2:" beside it): MR4 longer than MMR is a conflict now, so the
reduction cases keep MR4 within MMR; POST-1 without the standard dose has no target (no silent 400).
"""

import json
import pathlib

ALL = [
    "continue_current_dose",
    "reduce_dose",
    "not_candidate_for_reduction",
    "escalate_dose",
    "check_adherence",
    "measure_trough",
    "repeat_trough",
    "mutation_analysis",
    "switch_tki",
    "resume_standard_dose",
    "intensify_monitoring",
    "repeat_pcr",
    "consider_tfr",
    "reduce_dose_for_toxicity",
    "review_drug_interactions",
    "refer_specialist",
]
ONLY_REFER = [c for c in ALL if c != "refer_specialist"]
DOSECH = ["escalate_dose", "reduce_dose", "reduce_dose_for_toxicity"]
cases = []


def add(prefix, assessment, inp, why, **expect):
    cid = f"IC{len(cases) + 1:03d}"  # prefix only documents the section
    cases.append({"id": cid, "input": {"assessment": assessment, **inp}, "expect": {**expect, "why": why}})


# ---------------- RESP ----------------
R = lambda inp, why, **e: add("IR", "response", inp, why, **e)
R(
    {"months_on_tki": 2.99, "bcr_abl1_is": 50},
    "RESP-0: m<3 -> too_early, repeat_pcr",
    response_status="too_early",
    codes_required=["repeat_pcr"],
    rules_required=["RESP-0"],
    codes_forbidden=["escalate_dose", "switch_tki"],
)
R(
    {"months_on_tki": 3, "bcr_abl1_is": 10},
    "RESP-3: 3<=m<6, <=10 % optimal -> continue; missing phase = chronic (assumption)",
    response_status="optimal",
    codes_required=["continue_current_dose"],
    rules_required=["RESP-3"],
    codes_forbidden=["refer_specialist", "escalate_dose", "switch_tki"],
    assumptions_nonempty=True,
)
R(
    {"months_on_tki": 3, "bcr_abl1_is": 10.01},
    "RESP-3: >10 % unconfirmed -> warning; warning actions check_adherence, mutation_analysis (not tested), repeat_pcr",
    response_status="warning",
    rules_required=["RESP-3"],
    codes_required=["check_adherence", "mutation_analysis", "repeat_pcr"],
    codes_forbidden=["escalate_dose", "switch_tki"],
)
R(
    {"months_on_tki": 4, "bcr_abl1_is": 10.01, "response_confirmed": True},
    "RESP-3: >10 % confirmed -> failure -> work-up (WORKUP-1/2/3: adherence unknown, no trough, mutations null) in seed order",
    response_status="failure",
    rules_required=["RESP-3"],
    codes_required=["check_adherence", "measure_trough", "mutation_analysis"],
    in_order=["check_adherence", "measure_trough", "mutation_analysis"],
    codes_forbidden=["escalate_dose", "switch_tki"],
)
R(
    {"months_on_tki": 5.99, "bcr_abl1_is": 5},
    "RESP-3 applies for m<6: 5 % <= 10 % optimal",
    response_status="optimal",
    rules_required=["RESP-3"],
    codes_required=["continue_current_dose"],
)
R(
    {"months_on_tki": 6, "bcr_abl1_is": 5},
    "RESP-6 from m=6: >1 to <=10 % warning",
    response_status="warning",
    rules_required=["RESP-6"],
    codes_required=["check_adherence", "repeat_pcr"],
    codes_forbidden=["escalate_dose", "continue_current_dose"],
)
R(
    {"months_on_tki": 8, "bcr_abl1_is": 1},
    "RESP-6: <=1 % optimal (inclusive)",
    response_status="optimal",
    rules_required=["RESP-6"],
    codes_required=["continue_current_dose"],
    codes_forbidden=["escalate_dose", "switch_tki", "mutation_analysis"],
)
R(
    {"months_on_tki": 8, "bcr_abl1_is": 1.01},
    "RESP-6: >1 % -> warning",
    response_status="warning",
    rules_required=["RESP-6"],
    codes_required=["check_adherence", "mutation_analysis", "repeat_pcr"],
)
R(
    {"months_on_tki": 8, "bcr_abl1_is": 10},
    "RESP-6: <=10 % still warning (inclusive)",
    response_status="warning",
    rules_required=["RESP-6"],
    codes_required=["repeat_pcr"],
)
R(
    {"months_on_tki": 8, "bcr_abl1_is": 10.01},
    "RESP-6: >10 % failure -> work-up codes (adherence unknown, no trough, mutations null)",
    response_status="failure",
    rules_required=["RESP-6"],
    codes_required=["check_adherence", "measure_trough", "mutation_analysis"],
    codes_forbidden=["escalate_dose"],
)
R(
    {"months_on_tki": 11.99, "bcr_abl1_is": 0.5},
    "RESP-6 still applies for m<12: 0.5 % <= 1 % optimal",
    response_status="optimal",
    rules_required=["RESP-6"],
    codes_required=["continue_current_dose"],
)
R(
    {"months_on_tki": 12, "bcr_abl1_is": 0.5},
    "RESP-12 from m=12: >0.1 to <=1 % warning",
    response_status="warning",
    rules_required=["RESP-12"],
    codes_required=["repeat_pcr"],
    codes_forbidden=["continue_current_dose"],
)
R(
    {"months_on_tki": 18, "bcr_abl1_is": 0.1},
    "RESP-12: <=0.1 % optimal (inclusive)",
    response_status="optimal",
    rules_required=["RESP-12"],
    codes_required=["continue_current_dose"],
)
R(
    {"months_on_tki": 18, "bcr_abl1_is": 0.101},
    "RESP-12: >0.1 % warning",
    response_status="warning",
    rules_required=["RESP-12"],
    codes_required=["check_adherence", "repeat_pcr"],
)
R(
    {"months_on_tki": 18, "bcr_abl1_is": 1},
    "RESP-12: <=1 % still warning (inclusive)",
    response_status="warning",
    rules_required=["RESP-12"],
    codes_required=["repeat_pcr"],
)
R(
    {
        "months_on_tki": 18,
        "bcr_abl1_is": 1.01,
        "adherence_pct": 95,
        "trough_ng_ml": 800,
        "days_at_current_dose": 10,
        "hours_since_dose": 24,
        "dosing": "once_daily",
        "mutations": [],
        "dose_mg": 400,
    },
    "RESP-12 >1 % failure -> work-up codes; WORKUP-5 adherence>90, trough<1000, mutations [] -> escalate 400->600",
    response_status="failure",
    rules_required=["RESP-12"],
    codes_required=["escalate_dose"],
    targets={"escalate_dose": 600},
    codes_forbidden=["switch_tki", "mutation_analysis", "measure_trough"],
)
R(
    {"months_on_tki": 2, "bcr_abl1_is": 0.05, "mutations": ["T315I"]},
    "RESP-MUT overrides RESP-0 -> failure; precedence: detected mutation -> switch_tki per MUT (T315I: ponatinib, asciminib)",
    response_status="failure",
    rules_required=["RESP-MUT"],
    codes_required=["switch_tki"],
    options_include={"switch_tki": ["ponatinib", "asciminib"]},
    avoid_include={"switch_tki": ["dasatinib", "nilotinib", "bosutinib"]},
    codes_forbidden=["escalate_dose", "continue_current_dose"],
)
R(
    {"months_on_tki": 24, "bcr_abl1_is": 0.05, "mutations": ["p.Tyr253His"], "adherence_pct": 60, "dose_mg": 400},
    "RESP-MUT at an optimal level -> failure; switch_tki whatever the adherence (Y253H row); WORKUP-1 check_adherence (<=90)",
    response_status="failure",
    rules_required=["RESP-MUT"],
    codes_required=["switch_tki", "check_adherence"],
    options_include={"switch_tki": ["dasatinib", "bosutinib", "ponatinib"]},
    avoid_include={"switch_tki": ["nilotinib"]},
    codes_forbidden=["escalate_dose", "continue_current_dose"],
)
R(
    {"response_status": "warning"},
    "Precedence: clinician's response_status used (months/bcr not both given) -> RESP-GIVEN, echoed; warning actions",
    response_status="warning",
    rules_required=["RESP-GIVEN"],
    codes_required=["check_adherence", "repeat_pcr"],
    codes_forbidden=["escalate_dose"],
)
R(
    {"response_status": "failure", "months_on_tki": 8},
    "Only months given -> clinician's failure used: RESP-GIVEN, echoed; failure -> work-up codes",
    response_status="failure",
    rules_required=["RESP-GIVEN"],
    codes_required=["check_adherence", "measure_trough", "mutation_analysis"],
    codes_forbidden=["escalate_dose"],
)
R(
    {"response_status": "failure", "months_on_tki": 8, "bcr_abl1_is": 0.5},
    "response_status is used only when months and bcr are not both given: RESP-6 computes optimal",
    response_status="optimal",
    rules_required=["RESP-6"],
    codes_required=["continue_current_dose"],
    codes_forbidden=["escalate_dose", "switch_tki"],
)
R(
    {},
    "RESP needs months_on_tki, bcr_abl1_is: named missing, status not guessed; rules_fired never empty",
    response_status=None,
    missing_include=["months_on_tki", "bcr_abl1_is"],
    codes_forbidden=["continue_current_dose", "escalate_dose", "switch_tki"],
)
R(
    {"months_on_tki": 8, "bcr_abl1_is": 2, "mutations": [], "drug_interaction_concern": True, "adherence_pct": 95},
    "RESP-6 warning: review_drug_interactions when flagged, repeat_pcr; mutation_analysis only when not tested (mutations [])",
    response_status="warning",
    codes_required=["review_drug_interactions", "repeat_pcr"],
    codes_forbidden=["mutation_analysis", "escalate_dose", "switch_tki"],
)
R(
    {"months_on_tki": 8, "bcr_abl1_is": 0.5, "trough_ng_ml": 1200},
    "Precedence: trough of unknown timing -> missing timing fields listed in every assessment + assumption",
    response_status="optimal",
    codes_required=["continue_current_dose"],
    missing_include=["days_at_current_dose", "hours_since_dose"],
    assumptions_nonempty=True,
)
R(
    {"phase": "accelerated", "months_on_tki": 18, "bcr_abl1_is": 5},
    "Scope: accelerated phase -> only refer_specialist",
    codes_required=["refer_specialist"],
    codes_forbidden=ONLY_REFER,
)

# ---------------- WORKUP ----------------
W = lambda inp, why, **e: add("IW", "suboptimal_workup", inp, why, **e)
OK_T = {"days_at_current_dose": 10, "hours_since_dose": 24, "dosing": "once_daily"}
W(
    {"dose_mg": 400},
    "WORKUP-1/2/3: adherence unknown, no trough, mutations null; order adherence -> exposure -> mutations",
    rules_required=["WORKUP-1", "WORKUP-2", "WORKUP-3"],
    codes_required=["check_adherence", "measure_trough", "mutation_analysis"],
    in_order=["check_adherence", "measure_trough", "mutation_analysis"],
    codes_forbidden=["escalate_dose", "switch_tki"],
)
W(
    {"adherence_pct": 90, "trough_ng_ml": 800, "mutations": [], "dose_mg": 400, **OK_T},
    "WORKUP-1: adherence <=90 (boundary) -> check_adherence, no escalation; no exposure switch",
    rules_required=["WORKUP-1"],
    codes_required=["check_adherence"],
    codes_forbidden=["escalate_dose", "switch_tki"],
)
W(
    {"adherence_pct": 90.1, "trough_ng_ml": 800, "mutations": [], "dose_mg": 400, **OK_T},
    "WORKUP-5: adherence >90, trough <1000, mutations [] -> escalate 400->600; WORKUP-1 does not fire",
    rules_required=["WORKUP-5"],
    codes_required=["escalate_dose"],
    targets={"escalate_dose": 600},
    codes_forbidden=["switch_tki", "check_adherence", "measure_trough", "mutation_analysis"],
)
W(
    {"adherence_pct": 95, "trough_ng_ml": 999, "mutations": [], "dose_mg": 600, **OK_T},
    "WORKUP-5: trough 999 <1000 -> escalate 600->800",
    rules_required=["WORKUP-5"],
    codes_required=["escalate_dose"],
    targets={"escalate_dose": 800},
    codes_forbidden=["switch_tki"],
)
W(
    {
        "adherence_pct": 95,
        "trough_ng_ml": 999,
        "mutations": [],
        "dose_mg": 800,
        "days_at_current_dose": 10,
        "hours_since_dose": 12,
        "dosing": "twice_daily",
    },
    "WORKUP-5: at 800 -> switch_tki with options dasatinib, nilotinib, bosutinib; never escalate beside switch",
    rules_required=["WORKUP-5"],
    codes_required=["switch_tki"],
    options_include={"switch_tki": ["dasatinib", "nilotinib", "bosutinib"]},
    codes_forbidden=DOSECH,
)
W(
    {"adherence_pct": 95, "trough_ng_ml": 1000, "mutations": [], "dose_mg": 400, **OK_T},
    "WORKUP-6: adherence >90, trough >=1000 (boundary), no mutation -> switch_tki; no escalation",
    rules_required=["WORKUP-6"],
    codes_required=["switch_tki"],
    codes_forbidden=DOSECH,
)
W(
    {"adherence_pct": 95, "trough_ng_ml": 800, "mutations": None, "dose_mg": 400, **OK_T},
    "WORKUP-3 mutations null -> mutation_analysis; WORKUP-5 needs mutations == [] (TDM-LOW: no escalation yet)",
    rules_required=["WORKUP-3"],
    codes_required=["mutation_analysis"],
    codes_forbidden=["escalate_dose", "switch_tki"],
)
W(
    {"trough_ng_ml": 1500, "mutations": [], "dose_mg": 400, **OK_T},
    "Adherence first: unknown adherence = unconfirmed -> check_adherence; no exposure-based switch (WORKUP-6) and no escalation",
    rules_required=["WORKUP-1"],
    codes_required=["check_adherence"],
    codes_forbidden=["switch_tki", "escalate_dose"],
)
W(
    {"adherence_pct": 70, "trough_ng_ml": 700, "mutations": ["E255K"], "dose_mg": 400, **OK_T},
    "WORKUP-4: detected mutation -> switch_tki per MUT (E255K row) whatever the adherence; never escalate; WORKUP-1 check_adherence",
    rules_required=["WORKUP-4"],
    codes_required=["switch_tki", "check_adherence"],
    options_include={"switch_tki": ["dasatinib", "bosutinib", "ponatinib"]},
    avoid_include={"switch_tki": ["nilotinib"]},
    codes_forbidden=DOSECH,
)
W(
    {"mutations": ["T315I"], "dose_mg": 400},
    "WORKUP-4 / precedence: mutation switch stands with unknown adherence (T315I row)",
    rules_required=["WORKUP-4"],
    codes_required=["switch_tki"],
    options_include={"switch_tki": ["ponatinib", "asciminib"]},
    avoid_include={"switch_tki": ["dasatinib", "nilotinib", "bosutinib"]},
    codes_forbidden=DOSECH,
)
W(
    {"adherence_pct": 95, "mutations": [], "dose_mg": 400, "drug_interaction_concern": True},
    "WORKUP-2 no trough -> measure_trough; WORKUP-7 -> review_drug_interactions; no level so WORKUP-5/6 cannot fire",
    rules_required=["WORKUP-2", "WORKUP-7"],
    codes_required=["measure_trough", "review_drug_interactions"],
    codes_forbidden=["escalate_dose", "switch_tki"],
)
W(
    {"adherence_pct": 95, "trough_ng_ml": 800, "mutations": [], "dose_mg": 400},
    "Precedence: unknown-timing trough is used (WORKUP-5 escalate 400->600) but timing fields go to missing_inputs + assumption",
    codes_required=["escalate_dose"],
    targets={"escalate_dose": 600},
    missing_include=["days_at_current_dose", "hours_since_dose"],
    assumptions_nonempty=True,
)
W(
    {"phase": "blast", "adherence_pct": 95, "trough_ng_ml": 800, "mutations": [], "dose_mg": 400, **OK_T},
    "Scope: blast phase -> only refer_specialist",
    codes_required=["refer_specialist"],
    codes_forbidden=ONLY_REFER,
)

# ---------------- TDM ----------------
T = lambda inp, why, **e: add("IT", "tdm", inp, why, **e)
LOW = {"trough_ng_ml": 700, "response_status": "failure", "adherence_pct": 95, "mutations": [], "dose_mg": 400}
T(
    {**LOW, "days_at_current_dose": 4.9, "hours_since_dose": 24, "dosing": "once_daily"},
    "TDM-SS: days <5 -> repeat_trough, no dose-changing code from its level",
    rules_required=["TDM-SS"],
    codes_required=["repeat_trough"],
    codes_forbidden=["escalate_dose", "switch_tki", "reduce_dose_for_toxicity"],
)
T(
    {**LOW, "days_at_current_dose": 5, "hours_since_dose": 24, "dosing": "once_daily"},
    "days 5 is steady state; TDM-LOW + suboptimal + adherence >90 + mutations [] -> escalate 400->600; RESP-GIVEN echoed",
    response_status="failure",
    rules_required=["TDM-LOW", "RESP-GIVEN"],
    codes_required=["escalate_dose"],
    targets={"escalate_dose": 600},
    codes_forbidden=["repeat_trough", "switch_tki"],
)
for h, ok in [(20.9, False), (21, True), (27, True), (27.1, False)]:
    inp = {**LOW, "days_at_current_dose": 10, "hours_since_dose": h, "dosing": "once_daily"}
    if ok:
        T(
            inp,
            f"TDM-TIME once daily window 21-27 h inclusive: {h} h valid -> TDM-LOW escalate 400->600",
            rules_required=["TDM-LOW"],
            codes_required=["escalate_dose"],
            targets={"escalate_dose": 600},
            codes_forbidden=["repeat_trough"],
        )
    else:
        T(
            inp,
            f"TDM-TIME once daily: {h} h outside 21-27 h -> repeat_trough, no dose change from the level",
            rules_required=["TDM-TIME"],
            codes_required=["repeat_trough"],
            codes_forbidden=["escalate_dose", "switch_tki"],
        )
for h, ok in [(8.9, False), (9, True), (15, True), (15.1, False)]:
    inp = {**LOW, "dose_mg": 600, "days_at_current_dose": 10, "hours_since_dose": h, "dosing": "twice_daily"}
    if ok:
        T(
            inp,
            f"TDM-TIME twice daily window 9-15 h inclusive: {h} h valid -> TDM-LOW escalate 600->800",
            rules_required=["TDM-LOW"],
            codes_required=["escalate_dose"],
            targets={"escalate_dose": 800},
            codes_forbidden=["repeat_trough"],
        )
    else:
        T(
            inp,
            f"TDM-TIME twice daily: {h} h outside 9-15 h -> repeat_trough, no dose change from the level",
            rules_required=["TDM-TIME"],
            codes_required=["repeat_trough"],
            codes_forbidden=["escalate_dose", "switch_tki"],
        )
T(
    {**LOW, "adherence_pct": 90, **OK_T},
    "TDM-ADH: adherence 90 not confirmed (>90 needed) -> check_adherence, no escalation",
    rules_required=["TDM-ADH"],
    codes_required=["check_adherence"],
    codes_forbidden=["escalate_dose", "switch_tki"],
)
T(
    {
        "trough_ng_ml": 999,
        "response_status": "optimal",
        "adherence_pct": 95,
        "dose_mg": 400,
        "drug_interaction_concern": True,
        **OK_T,
    },
    "TDM-LOW-OK: trough <1000 + optimal -> continue_current_dose (TDM alone does not change a responder's dose); TDM-DDI",
    rules_required=["TDM-LOW-OK", "TDM-DDI"],
    codes_required=["continue_current_dose", "review_drug_interactions"],
    codes_forbidden=["escalate_dose", "switch_tki"],
)
T(
    {"trough_ng_ml": 1000, "response_status": "optimal", "ae_grade": 2, "adherence_pct": 95, "dose_mg": 400, **OK_T},
    "TDM-OK-RESP: trough >=1000, optimal, ae_grade 2 <3 -> continue; TDM-TOX needs ae_grade >=3",
    rules_required=["TDM-OK-RESP"],
    codes_required=["continue_current_dose"],
    codes_forbidden=["reduce_dose_for_toxicity", "switch_tki", "escalate_dose"],
)
T(
    {"trough_ng_ml": 1000, "response_status": "warning", "adherence_pct": 95, "mutations": [], "dose_mg": 400, **OK_T},
    "TDM-OK: trough >=1000 (boundary), suboptimal, adherence confirmed, tested -> switch_tki; RESP-GIVEN echoed",
    response_status="warning",
    rules_required=["TDM-OK", "RESP-GIVEN"],
    codes_required=["switch_tki"],
    codes_forbidden=DOSECH,
)
T(
    {"trough_ng_ml": 1500, "response_status": "warning", "mutations": [], "dose_mg": 400, **OK_T},
    "v1.1 TDM-OK waits for confirmed adherence; unknown = unconfirmed -> check_adherence, no switch, no escalation",
    rules_required=["TDM-ADH"],
    codes_required=["check_adherence"],
    codes_forbidden=["switch_tki", "escalate_dose"],
)
T(
    {
        "trough_ng_ml": 1500,
        "response_status": "failure",
        "adherence_pct": 90,
        "mutations": ["T315I"],
        "dose_mg": 400,
        **OK_T,
    },
    "Precedence: detected mutation -> switch_tki (T315I row) even with unconfirmed adherence; TDM-ADH check_adherence",
    codes_required=["switch_tki", "check_adherence"],
    options_include={"switch_tki": ["ponatinib", "asciminib"]},
    codes_forbidden=DOSECH,
)
T(
    {"trough_ng_ml": 1000, "response_status": "optimal", "ae_grade": 3, "adherence_pct": 95, "dose_mg": 400, **OK_T},
    "TDM-TOX: ae_grade >=3 and trough >=1000 -> reduce_dose_for_toxicity 400->300",
    rules_required=["TDM-TOX"],
    codes_required=["reduce_dose_for_toxicity"],
    targets={"reduce_dose_for_toxicity": 300},
    codes_forbidden=["escalate_dose", "switch_tki"],
)
T(
    {
        "trough_ng_ml": 3000,
        "response_status": "optimal",
        "ae_grade": 3,
        "adherence_pct": 95,
        "dose_mg": 800,
        "days_at_current_dose": 10,
        "hours_since_dose": 12,
        "dosing": "twice_daily",
    },
    "TDM-TOX: 800 -> 600 one step down",
    rules_required=["TDM-TOX"],
    codes_required=["reduce_dose_for_toxicity"],
    targets={"reduce_dose_for_toxicity": 600},
    codes_forbidden=["escalate_dose", "switch_tki"],
)
T(
    {"trough_ng_ml": 2000, "response_status": "optimal", "ae_grade": 4, "adherence_pct": 95, "dose_mg": 600, **OK_T},
    "TDM-TOX: 600 -> 400 one step down",
    rules_required=["TDM-TOX"],
    codes_required=["reduce_dose_for_toxicity"],
    targets={"reduce_dose_for_toxicity": 400},
    codes_forbidden=["escalate_dose", "switch_tki"],
)
T(
    {**LOW, "trough_ng_ml": 800, "ae_grade": 3, **OK_T},
    "TDM-TOX: ae_grade >=3, trough <1000 -> switch_tki (intolerance); toxicity before efficacy: escalate_dose never appears",
    rules_required=["TDM-TOX"],
    codes_required=["switch_tki"],
    codes_forbidden=DOSECH,
)
T(
    {**LOW, "trough_ng_ml": 1500, "ae_grade": 3, **OK_T},
    "TDM-OK (suboptimal, adherence>90, mutations [], trough>=1000) -> switch_tki; precedence: switch leaves out reduce_dose_for_toxicity",
    codes_required=["switch_tki"],
    codes_forbidden=DOSECH,
)
T(
    {
        "trough_ng_ml": 2000,
        "response_status": "optimal",
        "ae_grade": 3,
        "adherence_pct": 95,
        "mutations": ["T315I"],
        "dose_mg": 400,
        **OK_T,
    },
    "Precedence: mutation -> switch_tki whatever the toxicity; switch leaves out reduce_dose_for_toxicity",
    codes_required=["switch_tki"],
    options_include={"switch_tki": ["ponatinib", "asciminib"]},
    codes_forbidden=DOSECH,
)
T(
    {**LOW, "mutations": ["T315I"], "days_at_current_dose": 3, "hours_since_dose": 24, "dosing": "once_daily"},
    "Precedence: invalid sample (TDM-SS) still gets repeat_trough but never hides a mutation -> switch_tki too",
    rules_required=["TDM-SS"],
    codes_required=["repeat_trough", "switch_tki"],
    options_include={"switch_tki": ["ponatinib"]},
    codes_forbidden=DOSECH,
)
T(
    {"trough_ng_ml": 1200, "response_status": "optimal", "adherence_pct": 95, "dose_mg": 400},
    "Precedence: trough of unknown timing is used (TDM-OK-RESP continue) but both timing fields are missing + assumption",
    codes_required=["continue_current_dose"],
    missing_include=["days_at_current_dose", "hours_since_dose"],
    assumptions_nonempty=True,
    codes_forbidden=["repeat_trough"],
)
T(
    {
        "trough_ng_ml": 800,
        "months_on_tki": 12,
        "bcr_abl1_is": 0.5,
        "adherence_pct": 95,
        "mutations": [],
        "dose_mg": 600,
        **OK_T,
    },
    "TDM response from RESP-12 (0.5 % at 12 mo = warning) -> TDM-LOW escalate 600->800; response_status filled",
    response_status="warning",
    rules_required=["TDM-LOW"],
    codes_required=["escalate_dose"],
    targets={"escalate_dose": 800},
)
T(
    {"phase": "accelerated", **LOW, **OK_T},
    "Scope: accelerated -> only refer_specialist",
    codes_required=["refer_specialist"],
    codes_forbidden=ONLY_REFER,
)

# ---------------- RED ----------------
D = lambda inp, why, **e: add("ID", "dose_reduction", inp, why, **e)
BASE = {
    "phase": "chronic",
    "dose_mg": 400,
    "bcr_abl1_is": 0.005,
    "mmr_months": 36,  # v1.2: MMR at least as long as MR4 (dmr_months > mmr_months is a conflict); was 24
    "dmr_months": 20,
    "months_on_tki": 48,
    "mutations": [],
    "prior_tki_failure": False,
    "adherence_pct": 95,
    "ae_grade": 1,
    "goal": "tolerability",
    "ddpcr_mr45": True,
}
ELIG = dict(codes_required=["reduce_dose", "intensify_monitoring"], codes_forbidden=["not_candidate_for_reduction"])
D(
    BASE,
    "RED-7 eligible 400 -> 200 with options 300 mg; RED-RISK info (<=0.01, ddPCR true); RED-MON intensify_monitoring",
    rules_required=["RED-7"],
    targets={"reduce_dose": 200},
    options_include={"reduce_dose": ["300 mg"]},
    indicators={"reduce_dose": "info"},
    codes_required=["reduce_dose", "intensify_monitoring"],
    codes_forbidden=["not_candidate_for_reduction", "check_adherence", "switch_tki"],
)
D(
    {**BASE, "bcr_abl1_is": 0.1},
    "RED-1 needs >0.1, so 0.1 is in MMR: eligible; RED-RISK warning (>0.01)",
    targets={"reduce_dose": 200},
    indicators={"reduce_dose": "warning"},
    **ELIG,
)
D(
    {**BASE, "bcr_abl1_is": 0.101},
    "RED-1: >0.1 -> not_candidate, wins over an inconsistent mmr_months 24",
    rules_required=["RED-1"],
    codes_required=["not_candidate_for_reduction"],
    codes_forbidden=["reduce_dose"],
)
D(
    {**BASE, "mmr_months": 12, "dmr_months": 10},  # v1.2: MR4 within MMR (was dmr_months 20)
    "RED-2 needs mmr_months <12; 12 is eligible",
    targets={"reduce_dose": 200},
    **ELIG,
)
D(
    {**BASE, "mmr_months": 11.9},
    "RED-2: mmr_months <12 -> not_candidate",
    rules_required=["RED-2"],
    codes_required=["not_candidate_for_reduction"],
    codes_forbidden=["reduce_dose"],
)
D({**BASE, "months_on_tki": 36}, "RED-3 needs months_on_tki <36; 36 is eligible", targets={"reduce_dose": 200}, **ELIG)
D(
    {**BASE, "months_on_tki": 35.9},
    "RED-3: months_on_tki <36 -> not_candidate",
    rules_required=["RED-3"],
    codes_required=["not_candidate_for_reduction"],
    codes_forbidden=["reduce_dose"],
)
D(
    {**BASE, "mutations": ["T315I"]},
    "RED-4 detected mutation -> not_candidate; precedence: switch_tki in every assessment that knows of it",
    rules_required=["RED-4"],
    codes_required=["not_candidate_for_reduction", "switch_tki"],
    options_include={"switch_tki": ["ponatinib"]},
    codes_forbidden=DOSECH,
)
D(
    {k: v for k, v in BASE.items() if k != "adherence_pct"},
    "RED-5: unknown adherence = not confirmed -> check_adherence, no reduce_dose until it is",
    rules_required=["RED-5"],
    codes_required=["check_adherence"],
    codes_forbidden=["reduce_dose"],
)
D(
    {**BASE, "goal": None, "ae_grade": 1},
    "RED-6: ae_grade <2 and no goal -> continue_current_dose, no reduction",
    rules_required=["RED-6"],
    codes_required=["continue_current_dose"],
    codes_forbidden=["reduce_dose"],
)
D(
    {**BASE, "goal": None, "ae_grade": 2},
    "RED-6 indication: ae_grade 2 (>=2) -> eligible, 400 -> 200",
    targets={"reduce_dose": 200},
    **ELIG,
)
D({**BASE, "dose_mg": 600}, "RED-7: 600 -> 400", rules_required=["RED-7"], targets={"reduce_dose": 400}, **ELIG)
D(
    {**BASE, "dose_mg": 300, "goal": "tfr", "months_on_tki": 72, "dmr_months": 30},
    "RED-7: <=300 already reduced -> continue_current_dose, and consider_tfr as RED-TFR holds (72>60, 30>24)",
    rules_required=["RED-TFR"],
    codes_required=["continue_current_dose", "consider_tfr"],
    codes_forbidden=["reduce_dose"],
)
D(
    {**BASE, "ddpcr_mr45": False},
    "RED-RISK: ddpcr_mr45 false -> reduce_dose indicator warning",
    targets={"reduce_dose": 200},
    indicators={"reduce_dose": "warning"},
    **ELIG,
)
D(
    {**BASE, "goal": "tfr", "months_on_tki": 60, "dmr_months": 30},
    "RED-TFR needs months_on_tki >60 (ELN 'more than'); 60 -> no consider_tfr",
    codes_required=["reduce_dose", "intensify_monitoring"],
    codes_forbidden=["consider_tfr", "not_candidate_for_reduction"],
)
D(
    {**BASE, "goal": "tfr", "months_on_tki": 60.1, "dmr_months": 30},
    "RED-TFR: 60.1 >60 and 30 >24 -> also consider_tfr (with reduce_dose)",
    rules_required=["RED-TFR"],
    codes_required=["reduce_dose", "consider_tfr", "intensify_monitoring"],
)
D(
    {**BASE, "goal": "tfr", "months_on_tki": 72, "dmr_months": 24},
    "RED-TFR needs dmr_months >24; 24 -> no consider_tfr",
    codes_required=["reduce_dose"],
    codes_forbidden=["consider_tfr"],
)
D(
    {**BASE, "goal": "tfr", "months_on_tki": 72, "dmr_months": 24.1},
    "RED-TFR: dmr 24.1 >24 -> consider_tfr",
    rules_required=["RED-TFR"],
    codes_required=["reduce_dose", "consider_tfr"],
)
D(
    {"dose_mg": 400},
    "Never guess: RED-1/2/3 inputs missing -> named in missing_inputs; no reduce_dose",
    missing_include=["bcr_abl1_is", "mmr_months", "months_on_tki"],
    codes_forbidden=["reduce_dose"],
)
D(
    {**BASE, "phase": "accelerated"},
    "RED-SCOPE: phase not chronic -> only refer_specialist",
    rules_required=["RED-SCOPE"],
    codes_required=["refer_specialist"],
    codes_forbidden=ONLY_REFER,
)
D(
    {**BASE, "trough_ng_ml": 1200},
    "Precedence: a trough of unknown timing -> timing fields missing in every assessment",
    missing_include=["days_at_current_dose", "hours_since_dose"],
    assumptions_nonempty=True,
    codes_required=["reduce_dose"],
)

# ---------------- POST ----------------
P = lambda inp, why, **e: add("IP", "post_reduction", inp, why, **e)
P(
    {"on_reduced_dose": True, "dose_mg": 200, "standard_dose_mg": 400, "bcr_abl1_is": 0.11},
    "POST-1: on reduced dose and >0.1 -> resume_standard_dose to 400 + intensify_monitoring",
    rules_required=["POST-1"],
    codes_required=["resume_standard_dose", "intensify_monitoring"],
    targets={"resume_standard_dose": 400},
    codes_forbidden=["continue_current_dose"],
)
P(
    {"on_reduced_dose": True, "dose_mg": 200, "standard_dose_mg": 400, "bcr_abl1_is": 0.1},
    "POST-2: <=0.1 (inclusive) -> continue_current_dose",
    rules_required=["POST-2"],
    codes_required=["continue_current_dose"],
    codes_forbidden=["resume_standard_dose"],
)
P(
    {"on_reduced_dose": True, "dose_mg": 300, "bcr_abl1_is": 0.2},
    "POST-1 with standard_dose_mg missing -> named missing, no target (v1.2: no silent 400; was target 400)",
    rules_required=["POST-1"],
    codes_required=["resume_standard_dose"],
    targets={"resume_standard_dose": None},
    missing_include=["standard_dose_mg"],
)
P(
    {"on_reduced_dose": True, "dose_mg": 200, "standard_dose_mg": 400, "bcr_abl1_is": 0.5, "mutations": ["T315I"]},
    "Precedence: detected mutation -> switch_tki in every assessment that knows of it; no dose change beside it (resume_standard_dose left open)",
    codes_required=["switch_tki"],
    options_include={"switch_tki": ["ponatinib", "asciminib"]},
    codes_forbidden=DOSECH,
)

# ---------------- MUT ----------------
M = lambda inp, why, **e: add("IM", "mutation", inp, why, **e)
M(
    {"mutations": ["T315I"], "adherence_pct": 50, "dose_mg": 400},
    "MUT T315I row; mutation switch whatever the adherence; never escalate",
    codes_required=["switch_tki"],
    options_include={"switch_tki": ["ponatinib", "asciminib"]},
    avoid_include={"switch_tki": ["imatinib escalation", "dasatinib", "nilotinib", "bosutinib"]},
    codes_forbidden=DOSECH,
)
M(
    {"mutations": ["p.Thr315Ile", "V299L"]},
    "Normalisation p.Thr315Ile = T315I; several: intersect {ponatinib,asciminib}&{nilotinib,ponatinib} = ponatinib, union avoids",
    codes_required=["switch_tki"],
    options_include={"switch_tki": ["ponatinib"]},
    options_exclude={"switch_tki": ["asciminib", "nilotinib"]},
    avoid_include={"switch_tki": ["dasatinib", "nilotinib", "bosutinib"]},
)
M(
    {"mutations": ["V299L"]},
    "MUT V299L row",
    codes_required=["switch_tki"],
    options_include={"switch_tki": ["nilotinib", "ponatinib"]},
    avoid_include={"switch_tki": ["dasatinib", "bosutinib"]},
)
M(
    {"mutations": ["p.Phe317Leu"]},
    "Normalisation p.Phe317Leu = F317L; F317L row",
    codes_required=["switch_tki"],
    options_include={"switch_tki": ["nilotinib", "bosutinib", "ponatinib"]},
    avoid_include={"switch_tki": ["dasatinib"]},
    options_exclude={"switch_tki": ["dasatinib"]},
)
M(
    {"mutations": ["y253h"]},
    "Case-insensitive y253h = Y253H row",
    codes_required=["switch_tki"],
    options_include={"switch_tki": ["dasatinib", "bosutinib", "ponatinib"]},
    avoid_include={"switch_tki": ["nilotinib"]},
    options_exclude={"switch_tki": ["nilotinib"]},
)
M(
    {"mutations": ["Phe359Val"]},
    "Three-letter Phe359Val = F359V (Y253H/E255/F359 row)",
    codes_required=["switch_tki"],
    options_include={"switch_tki": ["dasatinib", "bosutinib", "ponatinib"]},
    avoid_include={"switch_tki": ["nilotinib"]},
)
M(
    {"mutations": ["M244V"]},
    "MUT 'any other' row: dasatinib, nilotinib, bosutinib + refer_specialist; avoid imatinib escalation",
    codes_required=["switch_tki", "refer_specialist"],
    options_include={"switch_tki": ["dasatinib", "nilotinib", "bosutinib"]},
    avoid_include={"switch_tki": ["imatinib escalation"]},
)
M(
    {"mutations": ["Y253H", "F317L"]},
    "Several: intersect -> bosutinib, ponatinib; union avoids nilotinib + dasatinib",
    codes_required=["switch_tki"],
    options_include={"switch_tki": ["bosutinib", "ponatinib"]},
    options_exclude={"switch_tki": ["dasatinib", "nilotinib"]},
    avoid_include={"switch_tki": ["nilotinib", "dasatinib"]},
)
M(
    {"mutations": ["T315I", "M244V"]},
    "Several: {ponatinib,asciminib} & {dasatinib,nilotinib,bosutinib} empty -> refer_specialist (switch_tki left open)",
    codes_required=["refer_specialist"],
    codes_forbidden=["escalate_dose"],
)
M({"mutations": ["foo"]}, "A string that is not a mutation name is rejected (exit 2 / errors)", rejected=True)
M(
    {"phase": "accelerated", "mutations": ["T315I"]},
    "Scope: accelerated -> only refer_specialist; precedence says mutation -> switch_tki in every assessment, so switch_tki left open (conflict)",
    codes_required=["refer_specialist"],
    codes_forbidden=[c for c in ONLY_REFER if c != "switch_tki"],
)

assert len(cases) == 100, len(cases)
out = pathlib.Path(__file__).with_name("cases.jsonl")
out.write_text("".join(json.dumps(c) + "\n" for c in cases))
print(len(cases), "cases ->", out)

"""What the forms ask for each value, naming the expected form and unit (UI text, not clinical facts)."""
from typing import Dict

QUESTIONS: Dict[str, str] = {
    "bcr_abl1_is": "What is the latest BCR-ABL1 level on the International Scale? "
                   "(e.g. 0.008 %, MR4.5, or a log reduction such as 3.5 log)",
    "months_on_tki": "How long has the patient been on imatinib? (e.g. 5 years, 18 months, a year and a half)",
    "mmr_months": "For how long has the patient been in MMR without a break? (e.g. 30 months)",
    "dmr_months": "For how long has the patient been in MR4 or deeper? (e.g. 26 months; 'skip' if unknown)",
    "dose_mg": "What is the current imatinib dose? (e.g. 400 mg daily, 400 mg bid; 100–800 mg/day)",
    "standard_dose_mg": "What was the dose before the reduction (the standard dose)? (e.g. 400 mg)",
    "adherence_pct": "How adherent is the patient? (a percentage of doses taken, e.g. 95 %, "
                     "'misses 2 doses a week' or 'never misses'; 'skip' if unknown)",
    "ae_grade": "What is the worst current adverse event, as a CTCAE grade 0–4? (e.g. grade 2 oedema, 'none')",
    "goal": "Why is a reduction considered: adverse events (tolerability), a step toward treatment-free "
            "remission (TFR), or neither?",
    "prior_tki_failure": "Has the patient ever had resistance or failure on a TKI? (yes / no)",
    "trough_ng_ml": "What is the imatinib trough level, with its unit? (e.g. 850 ng/mL, 2.1 µmol/L; "
                    "'none yet' if no level was measured)",
    "hours_since_dose": "How many hours after the last dose was the sample drawn? (e.g. 24 h)",
    "days_at_current_dose": "How many days had the patient been on the current dose when the sample was drawn? "
                            "(e.g. 10 days)",
    "mutations": "Result of BCR-ABL1 kinase-domain mutation testing? (e.g. T315I, 'none found', or 'not tested')",
    "drug_interaction_concern": "Is a drug interaction suspected (e.g. a CYP3A4 inhibitor or inducer)? (yes / no)",
    "ddpcr_mr45": "Did ddPCR at the planned reduction show MR4.5? (yes / no / not done)",
    "response_confirmed": "Was the latest result confirmed by a repeat test? (yes / no)",
    "phase": "Which phase is the CML in? (chronic, accelerated or blast)",
    "dosing": "Is imatinib taken once or twice daily?",
    "response_status": "How would you classify the response: optimal, warning or failure?",
}

LABELS: Dict[str, str] = {
    "bcr_abl1_is": "BCR-ABL1 (% IS)", "months_on_tki": "time on imatinib (months)",
    "mmr_months": "duration of MMR (months)", "dmr_months": "duration of MR4 (months)",
    "dose_mg": "current dose (mg/day)", "standard_dose_mg": "standard dose (mg/day)",
    "adherence_pct": "adherence (%)", "ae_grade": "adverse-event grade", "goal": "goal of reduction",
    "prior_tki_failure": "earlier TKI failure", "trough_ng_ml": "trough (ng/mL)",
    "hours_since_dose": "hours after the dose", "days_at_current_dose": "days on the current dose",
    "mutations": "mutations", "drug_interaction_concern": "drug-interaction concern",
    "ddpcr_mr45": "ddPCR MR4.5", "response_confirmed": "confirmed by repeat test", "phase": "phase",
    "dosing": "dosing schedule", "response_status": "response classification",
}

SKIP_HINT = ("I still could not read that. You can say 'skip' to leave this value unknown (the assessment "
             "will name it as missing) or 'stop' to leave the assessment.")

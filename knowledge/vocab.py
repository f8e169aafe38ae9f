"""Closed vocabularies of the decision spec (section 2 and 3), shared by models and rules."""

from __future__ import annotations

RULE_SET_VERSION = "2026.3"

ASSESSMENTS = (
    "response",
    "dose_reduction",
    "tdm",
    "suboptimal_workup",
    "mutation",
    "post_reduction",
)

CODES = (
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
    "interrupt_for_toxicity",
    "review_drug_interactions",
    "refer_specialist",
)

# codes that may carry target_dose_mg (spec section 2: only when the dose it starts from was given)
DOSE_CODES = ("escalate_dose", "reduce_dose", "resume_standard_dose", "reduce_dose_for_toxicity")

INDICATORS = ("info", "warning", "critical")
RESPONSE_STATUSES = ("optimal", "warning", "failure", "too_early")
PHASES = ("chronic", "accelerated", "blast")
DOSINGS = ("once_daily", "twice_daily")
GOALS = ("tolerability", "tfr")

DISCLAIMER = (
    "Decision support for clinicians only: not a substitute for clinical judgement. "
    "Check every recommendation against the patient's full record and current guidelines."
)

# how a clinician names each input when the assistant says what it still needs ("I still need the
# BCR-ABL1 level and the time on imatinib"), never the field name
FIELD_NAMES = {
    "phase": "the CML phase",
    "dose_mg": "the current imatinib dose",
    "months_on_tki": "the time on imatinib",
    "bcr_abl1_is": "the latest BCR-ABL1 level (% IS)",
    "mmr_months": "how long MMR has lasted",
    "dmr_months": "how long MR4 has lasted",
    "ddpcr_mr45": "the ddPCR MR4.5 result",
    "trough_ng_ml": "the trough level",
    "hours_since_dose": "the hours between the last dose and the sample",
    "dosing": "the dosing schedule",
    "days_at_current_dose": "the days on the current dose before the sample",
    "adherence_pct": "the adherence",
    "mutations": "the kinase-domain mutation result",
    "ae_grade": "the worst adverse-event grade",
    "goal": "the goal of a reduction",
    "on_reduced_dose": "whether the dose was reduced",
    "standard_dose_mg": "the dose before the reduction",
    "prior_tki_failure": "any earlier TKI failure",
    "drug_interaction_concern": "whether a drug interaction is suspected",
    "response_confirmed": "whether the result was confirmed",
    "response_status": "the response classification",
}


def field_names(fields) -> str:
    """ "the trough level, the time on imatinib and the latest BCR-ABL1 level (% IS)"."""
    names = [FIELD_NAMES.get(f, f.replace("_", " ")) for f in fields]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]

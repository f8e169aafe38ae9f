"""Closed vocabularies of the decision spec (section 2 and 3), shared by models and rules."""

from __future__ import annotations

RULE_SET_VERSION = "2026.2"

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
    "review_drug_interactions",
    "refer_specialist",
)

# codes that carry target_dose_mg (spec section 2)
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

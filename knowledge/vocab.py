"""Closed vocabularies of the decision spec (section 2 and 3), shared by models and rules."""

from __future__ import annotations

from .fields import FIELDS

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

# codes that are a test to do next (a PCR, a trough, a mutation analysis): a note's "Next test" line
TEST_CODES = ("repeat_pcr", "intensify_monitoring", "measure_trough", "repeat_trough", "mutation_analysis")

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
# BCR-ABL1 level and the time on imatinib"), never the field name (knowledge/fields.py)
FIELD_NAMES = {name: f.phrase for name, f in FIELDS.items()}


def field_names(fields) -> str:
    """ "the trough level, the time on imatinib and the latest BCR-ABL1 level (% IS)"."""
    names = [FIELD_NAMES.get(f, f.replace("_", " ")) for f in fields]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def short_name(field: str) -> str:
    """A field's short label on a card ("trough level"), its name with spaces when it is no input field."""
    return FIELDS[field].short if field in FIELDS else field.replace("_", " ")

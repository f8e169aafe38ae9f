"""Which values each form asks for (needed) and which it also accepts when given (optional).

The domain's ``required_slots`` of each form is ``needed + optional`` (so mapping conditions
cover every value a clinician may volunteer); the validator asks only for what is needed and
still missing. ``tests/test_domain.py`` keeps domain.yml in step with this table.
"""
from typing import Dict, List, Tuple

FORMS: Dict[str, Tuple[str, List[str], List[str]]] = {
    # form name: (assessment, needed, optional)
    "response_form": ("response", ["months_on_tki", "bcr_abl1_is"],
                      ["response_confirmed", "mutations", "adherence_pct", "trough_ng_ml", "dose_mg",
                       "drug_interaction_concern", "phase"]),
    "dose_reduction_form": ("dose_reduction",
                            ["bcr_abl1_is", "mmr_months", "months_on_tki", "dose_mg", "adherence_pct",
                             "ae_grade", "goal", "prior_tki_failure"],
                            ["dmr_months", "ddpcr_mr45", "mutations", "phase"]),
    "tdm_form": ("tdm",
                 ["trough_ng_ml", "hours_since_dose", "days_at_current_dose", "dose_mg", "adherence_pct",
                  "ae_grade", "months_on_tki", "bcr_abl1_is"],
                 ["mutations", "dosing", "drug_interaction_concern", "response_status", "phase"]),
    "workup_form": ("suboptimal_workup",
                    ["months_on_tki", "bcr_abl1_is", "adherence_pct", "trough_ng_ml", "mutations", "dose_mg"],
                    ["drug_interaction_concern", "response_confirmed", "days_at_current_dose",
                     "hours_since_dose", "dosing", "response_status", "phase"]),
    "mutation_form": ("mutation", ["mutations"], ["phase"]),
    "post_reduction_form": ("post_reduction", ["bcr_abl1_is", "standard_dose_mg"],
                            ["dose_mg", "mutations", "phase"]),
}

CLINICAL_SLOTS: List[str] = []
for _a, _n, _o in FORMS.values():
    CLINICAL_SLOTS += [s for s in _n + _o if s not in CLINICAL_SLOTS]

# answers that leave a value unknown on purpose; the decision module then treats it as missing
UNKNOWN = "unknown"

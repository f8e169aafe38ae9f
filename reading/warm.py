"""Build, before the first clinician's message, what reading one would otherwise build on it: the extractor's
spaCy pipeline, and the regular expressions that the reader and the normaliser compile on first use (about
0.2 s on a fresh process, measured as the first case's turn in bench.bench_rest). Called at start by the Rasa
server (``bot/custom/fix_warm_start.py``) and the action server (``actions/server.py``)."""

from __future__ import annotations

import time

from knowledge.normalize import NormalizationError, normalize

from .answers import answer
from .context import in_context
from .reader import entities

# messages of every kind, with a value of every field between them
MESSAGES = (
    "pt on imatinib 400 mg od for 5 yrs, BCR-ABL 0.008 % IS, MMR 30 months, MR4 for 2 yrs, grade 2 oedema, "
    "adherence 95 %, no mutations, wants a lower dose for TFR; ddPCR MR4.5",
    "trough 2.1 µmol/L drawn 24 h after the dose, 10 days at 600 mg bd, on clarithromycin, failure at 12 months",
    "reduced from 400 to 200 six months ago, PCR now 0.2 %, was 0.01 % before; T315I? back to 400?",
    "last dose 21:00, level drawn 09:00 next day, 1,150 ng/mL, misses 2 doses a week",
    "what is the trough target for imatinib?",
    "actually it was 0.05 not 0.5",
    "thanks, bye",
)
SAMPLES = {  # one text each input field's normaliser reads (spec section 1)
    "dose_mg": "400 mg",
    "months_on_tki": "5 years",
    "bcr_abl1_is": "0.008 %",
    "mmr_months": "30 months",
    "dmr_months": "2 years",
    "ddpcr_mr45": "yes",
    "trough_ng_ml": "1,150 ng/mL",
    "hours_since_dose": "24 h",
    "dosing": "once daily",
    "days_at_current_dose": "10 days",
    "adherence_pct": "misses 2 doses a week",
    "mutations": "T315I",
    "ae_grade": "grade 2",
    "goal": "tolerability",
    "on_reduced_dose": "yes",
    "standard_dose_mg": "400",
    "prior_tki_failure": "no",
    "drug_interaction_concern": "no",
    "response_confirmed": "yes",
    "response_status": "warning",
    "phase": "chronic",
}


def warm_up() -> float:
    """Read the messages above and each field's sample once; returns the seconds it took."""
    start = time.monotonic()
    for text in MESSAGES:
        r, _ = entities(text)
        in_context(r, asked="adherence_pct", known={})
    for field, sample in SAMPLES.items():
        for reader in (normalize, answer):
            try:
                reader(field, sample)
            except NormalizationError:
                pass
    return time.monotonic() - start

"""Plain-words explanations of rule ids, for the assistant's "why?" answers."""
from __future__ import annotations

from typing import List

RULES = {
    "SCOPE": "The phase is accelerated or blast: these rules cover chronic phase only, so the patient is referred [eln-2020].",
    "RED-SCOPE": "The phase is not chronic: dose reduction is not assessed outside chronic phase; refer [eln-2020].",
    "RESP-0": "Less than 3 months on imatinib: too early to classify the response; the first milestone is at 3 months [eln-2020].",
    "RESP-3": "At 3–6 months the milestone is BCR-ABL1 ≤ 10 % IS (above 10 % is a warning, or failure once confirmed) [eln-2020].",
    "RESP-6": "At 6–12 months: ≤ 1 % is optimal, above 1 % to 10 % a warning, above 10 % failure [eln-2020].",
    "RESP-12": "From 12 months: ≤ 0.1 % (MMR) is optimal, above 0.1 % to 1 % a warning, above 1 % failure [eln-2020].",
    "RESP-MUT": "A BCR-ABL1 kinase-domain mutation counts as failure at any time [eln-2020].",
    "WORKUP-1": "Adherence is 90 % or less, or unknown: it is checked first, and the dose is not escalated until adherence is confirmed [marin-2010] [seed-6].",
    "WORKUP-2": "No trough level yet: exposure is measured next [seed-6].",
    "WORKUP-3": "Mutations have not been tested: mutation analysis is requested [soverini-2011].",
    "WORKUP-4": "A resistance mutation was found: the TKI is switched according to the mutation, never escalated [branford-2009] [soverini-2011].",
    "WORKUP-5": "Adherence is confirmed, the trough is below 1000 ng/mL and no mutation was found: the dose is escalated one step (400 → 600 → 800 mg) [seed-2] [seed-5].",
    "WORKUP-6": "Adherence is confirmed and the trough is at least 1000 ng/mL: exposure is adequate, so a different TKI is needed [seed-5] [seed-2].",
    "WORKUP-7": "A drug interaction is suspected: interacting medicines are reviewed [seed-6].",
    "TDM-SS": "Fewer than 5 days on the current dose: the sample is not at steady state and must be repeated [seed-6].",
    "TDM-TIME": "The sample was not drawn in the trough window (21–27 h after a once-daily dose, 9–15 h after a twice-daily dose; an operational convention): repeat it [seed-6].",
    "TDM-ADH": "Adherence is not confirmed: a low level may reflect missed doses, so adherence is checked before any escalation [marin-2010].",
    "TDM-LOW": "Trough below 1000 ng/mL with a suboptimal response: escalation is considered once adherence is confirmed and mutations are excluded [seed-5] [seed-6].",
    "TDM-LOW-OK": "Trough below 1000 ng/mL but the response is optimal: a level alone does not change a responder's dose [seed-6].",
    "TDM-OK": "Trough at least 1000 ng/mL with a suboptimal response: exposure is adequate, so mutation analysis and a TKI switch follow [seed-5] [seed-2].",
    "TDM-OK-RESP": "Trough at least 1000 ng/mL with an optimal response and no severe toxicity: continue [seed-5].",
    "TDM-TOX": "Grade 3–4 toxicity: with a trough of at least 1000 ng/mL the dose is reduced one step; with a lower trough the toxicity is not explained by exposure and the TKI is switched. No validated upper limit exists [seed-6] [zhuang-2018].",
    "TDM-DDI": "A drug interaction is suspected: interacting medicines are reviewed [seed-6].",
    "RED-1": "BCR-ABL1 is above 0.1 %: the patient is not in MMR, so not a candidate for reduction [seed-1].",
    "RED-2": "MMR has lasted less than 12 months: reduction needs a stable MMR for at least 12 months (better 1–2 years) [seed-3] [clark-2017].",
    "RED-3": "Less than 3 years of therapy: reduction needs at least 3 years on TKI [clark-2017].",
    "RED-4": "A resistance mutation or an earlier TKI failure excludes reduction [clark-2017].",
    "RED-5": "Adherence is not confirmed (> 90 %): it is checked before any reduction [marin-2010].",
    "RED-6": "No indication: reduction is for significant adverse events or as a step toward TFR [seed-1].",
    "RED-7": "All criteria are met: the dose is reduced (400 → 200 mg, or 300 mg; 600/800 → 400 mg) [seed-1] [clark-2017].",
    "RED-RISK": "Higher risk after reduction: not in MR4, or ddPCR did not show MR4.5, so the recommendation carries a warning [clark-2017] [seed-3].",
    "RED-MON": "Every reduction comes with RQ-PCR every 4–6 weeks for the first 6–12 months [seed-1] [seed-4].",
    "RED-TFR": "The goal is TFR, with at least 5 years of TKI and 2 years of MR4: a TFR attempt can be considered [eln-2020].",
    "POST-1": "On a reduced dose BCR-ABL1 rose above 0.1 % (loss of MMR): resume the standard dose and test monthly [seed-1] [clark-2017].",
    "POST-2": "On a reduced dose MMR is held: continue, testing every 4–6 weeks [seed-1].",
    "MUT": "The TKI is chosen from the mutation table: options shared by every mutation, avoiding drugs any of them resists [branford-2009].",
}


def explain(rule_ids: List[str]) -> List[str]:
    """One plain sentence per rule id (unknown ids are named, never dropped)."""
    return [f"{r}: {RULES.get(r, 'no description available for this rule')}" for r in rule_ids]

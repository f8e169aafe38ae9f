"""FAQ content for the imatinib dose-optimisation assistant.

Each :class:`Topic` answers one question a haematologist or pharmacist is likely to ask. A topic
is a short list of :class:`Statement` objects; every statement carries the source keys (from
``knowledge.sources.SOURCES``) that support exactly that statement. Facts and numbers come only
from ``shared/evidence.md`` and the Smolecule summary document; the wording is our own. Statements built on
facts that the evidence brief marks *(unverified)* have ``unverified=True`` so that the renderer
can show a caveat. Where the checked evidence is silent, the statement says so.

Every topic id becomes the Rasa retrieval intent ``faq/<id>`` (see ``bot/data/nlu/faq.yml``).

Standard library only; Python 3.10 compatible.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Tuple

from .thresholds import (
    ADHERENCE_CONFIRMED_ABOVE_PCT,
    CONFIRM_WITHIN,
    ESCALATION_STEPS_MG,
    MILESTONES,
    MIN_BLOOD_ML,
    MMR_PCT,
    MONITOR_AFTER_REDUCTION,
    MR4_PCT,
    MR5_PCT,
    MR45_PCT,
    NCCN_TFR_DMR_MONTHS,
    NCCN_TFR_THERAPY_MONTHS,
    RED_BETTER_MMR,
    RED_MIN_MMR_MONTHS,
    RED_MIN_THERAPY_MONTHS,
    STANDARD_DOSE_MG,
    STEADY_STATE_DAYS_USUAL,
    TFR_DMR_MORE_THAN_MONTHS,
    TFR_THERAPY_MORE_THAN_MONTHS,
    TROUGH_TARGET,
    TROUGH_WINDOWS_H,
    num,
    years,
)

__all__ = ["Statement", "Topic", "TOPICS", "get_topic", "topic_ids"]


@dataclass(frozen=True)
class Statement:
    text: str  # one or two sentences, plain markdown, our own words
    citations: Tuple[str, ...]  # >= 1 key of knowledge.sources.SOURCES
    unverified: bool = False  # True for facts evidence.md marks *(unverified)*


@dataclass(frozen=True)
class Topic:
    id: str  # snake_case ascii, unique; Rasa retrieval intent faq/<id>
    title: str  # <= 40 characters, used on buttons
    question: str  # canonical clinician question
    statements: Tuple[Statement, ...]  # 2-6, in reading order
    keywords: Tuple[str, ...]  # search terms, abbreviations, synonyms


def _s(text: str, *citations: str, unverified: bool = False) -> Statement:
    return Statement(text=text, citations=tuple(citations), unverified=unverified)


# Every threshold of the rule set that a statement states is built from knowledge.thresholds, so
# that the FAQ follows a change of a constant. Study results (medians, percentages of patients,
# the doses a trial compared) stay literal. The FAQ writes percentages without a space ("0.1%"),
# as it writes the study percentages around them. Some statements report the study a rule took its
# threshold from (DESTINY's entry criteria for RED-2/RED-3, Marin's 90% adherence cut-off): they
# follow the constant too, so if a constant moves away from that study's value, reword them.


def _pc(value: float) -> str:
    """A percentage threshold in the FAQ's style: 0.1%, 90%."""
    return f"{num(value)}%"


def _mo(months: float) -> str:
    return f"{num(months)} months"


def _pm(dosing: str) -> str:
    """A trough window as centre ± half-width: 24 ± 3 h."""
    lo, hi = TROUGH_WINDOWS_H[dosing]
    return f"{num((lo + hi) / 2)} ± {num((hi - lo) / 2)} h"


_M3, _M6, _M12 = MILESTONES  # ELN 2020 milestones at 3, 6 and 12 months
_STD, _ESC1, _ESC2 = STANDARD_DOSE_MG, ESCALATION_STEPS_MG[1], ESCALATION_STEPS_MG[2]  # 400, 600, 800
_ADH = _pc(ADHERENCE_CONFIRMED_ABOVE_PCT)  # 90%; Marin's cut-off is the rule's

# A 2025 ELN update exists (checked from its abstract only): say so wherever milestone failure leads
# to an action; the numbers stay ELN 2020's.
_ELN_2025 = (
    "ELN published updated recommendations in 2025 (Apperley et al.); their abstract says "
    "the former advice to change TKI after a failed molecular milestone now allows more for "
    "the individual patient's circumstances."
)


TOPICS: Tuple[Topic, ...] = (
    # ------------------------------------------------------------------ dose reduction
    Topic(
        id="reduction_goals",
        title="Why reduce the imatinib dose",
        question="What is the aim of lowering the imatinib dose in a patient who is responding well?",
        statements=(
            _s(
                "For a patient with a good molecular response, a lower imatinib dose is meant to "
                "lessen long-term adverse events and improve quality of life without giving up the "
                "molecular response.",
                "seed-1",
            ),
            _s(
                "De-escalation can also be used as an intermediate step before stopping treatment "
                "altogether, i.e. on the way to treatment-free remission (TFR).",
                "seed-1",
                "clark-2017",
            ),
            _s(
                "Tolerability gains have been shown: adverse events improved during the half-dose year "
                "in DESTINY, and toxicity improved in 62% of patients moved from 400 mg to 300 mg by "
                "Cervantes et al.",
                "clark-2017",
                "cervantes-2017",
            ),
            _s(
                "For toxicity, the 2025 ELN abstract favours a lower dose over a switch of drug.",
                "eln-2025",
            ),
        ),
        keywords=(
            "dose reduction",
            "de-escalation",
            "dose lowering",
            "goal",
            "aim",
            "rationale",
            "quality of life",
            "QoL",
            "adverse events",
            "AE",
            "tolerability",
            "TFR",
        ),
    ),
    Topic(
        id="reduction_candidates",
        title="Who qualifies for dose reduction",
        question="Which patients are candidates for imatinib dose reduction?",
        statements=(
            _s(
                "The Smolecule summary reserves reduction for patients in stable major molecular response "
                f"(MMR, BCR-ABL1 IS ≤ {_pc(MMR_PCT)}) who either have adverse events that impair quality "
                "of life or are preparing for treatment-free remission.",
                "seed-1",
            ),
            _s(
                f"DESTINY admitted patients after at least {years(RED_MIN_THERAPY_MONTHS)} of TKI therapy "
                f"with at least {_mo(RED_MIN_MMR_MONTHS)} of stable MMR, documented by three PCR results.",
                "clark-2017",
            ),
            _s(
                "The Smolecule summary describes reduction as generally safe once MMR has been held for at least "
                f"{RED_BETTER_MMR}.",
                "seed-1",
                "seed-3",
            ),
            _s(
                f"Depth of response matters: patients in sustained MR4 (BCR-ABL1 IS ≤ {_pc(MR4_PCT)}) "
                "relapsed far less often after de-escalation than those in MMR only.",
                "clark-2017",
                "clark-2019",
            ),
        ),
        keywords=(
            "eligibility",
            "candidate",
            "criteria",
            "who qualifies",
            "selection",
            "stable MMR",
            "DESTINY entry",
            "before MMR",
            "without MMR",
            "not in MMR",
            "reached MMR",
            "yet in MMR",
            "achieved MMR",
            "in MMR for",
            "in MMR since",
            "de-escalation",
            "dose reduction",
            "half dose",
        ),
    ),
    Topic(
        id="reduction_evidence",
        title="Evidence for dose reduction",
        question="What is the clinical evidence behind imatinib dose reduction?",
        statements=(
            _s(
                "**DESTINY** halved the TKI dose for 12 months (imatinib 200 mg daily). Molecular "
                f"recurrence (two consecutive BCR-ABL1 IS results > {_pc(MMR_PCT)}) occurred in 3/121 "
                "(2.5%) of the MR4 cohort and 9/48 (18.8%) of the MMR-only cohort.",
                "clark-2017",
            ),
            _s(
                "The final DESTINY analysis gave a 3-year recurrence-free survival of 72% in the MR4 "
                "cohort against 36% in the MMR-only cohort.",
                "clark-2019",
            ),
            _s(
                "**Cervantes et al.** moved 43 patients in sustained deep molecular response from "
                "400 mg to 300 mg: no patient lost MMR during a median follow-up of 1.6 years, and "
                "toxicity improved in 62%.",
                "cervantes-2017",
            ),
            _s(
                "**Michel et al.** reduced 800 mg to 400 mg after MMR and reported a 3-year molecular "
                "relapse-free survival of 88%.",
                "michel-2019",
            ),
            _s(
                "**Claudiani et al.** did not reduce the dose: in patients who stayed on standard-dose "
                "TKI, MR4 sustained for 12 months was followed by loss of MR3 in 0% at 1 year and 2.6% "
                "at 5 years, compared with 4.4% and 25.4% when only MR3 had been sustained.",
                "claudiani-2019",
            ),
            _s(
                "It shows how stable deep responses are on standard dose and says nothing about relapse "
                "after de-escalation.",
                "claudiani-2019",
            ),
        ),
        keywords=(
            "DESTINY",
            "Clark",
            "Cervantes",
            "Michel",
            "Claudiani",
            "trial",
            "study",
            "data",
            "de-escalation",
            "dose reduction",
            "half dose",
            "recurrence-free survival",
            "RFS",
        ),
    ),
    Topic(
        id="reduction_risks",
        title="Risks of dose reduction",
        question="What are the risks of reducing the imatinib dose?",
        statements=(
            _s(
                "The main risk is molecular recurrence, meaning loss of MMR; DESTINY defined it as "
                f"two consecutive BCR-ABL1 IS results > {_pc(MMR_PCT)}.",
                "seed-1",
                "seed-3",
                "clark-2017",
            ),
            _s(
                "The risk depends on depth of response: at 12 months recurrence was 18.8% with MMR only "
                "versus 2.5% with MR4, and 3-year recurrence-free survival was 36% versus 72%.",
                "clark-2017",
                "clark-2019",
            ),
            _s(
                "According to the Smolecule summary, keeping MMR and going on to reach MR4 do not appear to suffer, "
                "but holding an existing MR4 may be less likely on the lower dose.",
                "seed-3",
            ),
            _s(
                "Recurrence proved reversible in DESTINY: every patient who relapsed regained MMR within "
                "4 months after the full dose was restarted.",
                "clark-2017",
            ),
            _s(
                "The Smolecule summary, for its part, says that most patients get MMR back once the standard dose is "
                "resumed.",
                "seed-1",
            ),
            _s(
                "The Smolecule summary also links failure to reach MR4.5 by ddPCR at the time of reduction with a "
                "higher chance of losing MMR or MR4; no primary paper confirming this was found.",
                "seed-3",
            ),
        ),
        keywords=(
            "risk",
            "downside",
            "harm",
            "relapse",
            "molecular recurrence",
            "loss of MMR",
            "loss of MR4",
            "safety",
            "de-escalation",
            "dose reduction",
        ),
    ),
    # ------------------------------------------------------------------ dose escalation
    Topic(
        id="escalation_goals",
        title="Why escalate the imatinib dose",
        question="What is the purpose of increasing the imatinib dose?",
        statements=(
            _s(
                "Raising the dose aims to overcome relative resistance when the response is "
                "suboptimal or treatment has failed.",
                "seed-2",
            ),
            _s(
                f"From the standard {_STD} mg, escalation is usually to {_ESC1} mg or {_ESC2} mg daily "
                "(one series also escalated 300 mg to 600 mg).",
                "seed-2",
                "kantarjian-2003",
            ),
            _s(
                f"Where a trough level is available, a value < {TROUGH_TARGET} supports escalation once "
                "adherence has been checked and resistance mutations have been excluded.",
                "seed-5",
                "seed-6",
            ),
        ),
        keywords=(
            "dose escalation",
            "dose increase",
            "up-titration",
            "relative resistance",
            "goal",
            "rationale",
            "600 mg",
            "800 mg",
            "suboptimal response",
            "failure",
        ),
    ),
    Topic(
        id="escalation_candidates",
        title="Who is a candidate for escalation",
        question="In which clinical situations should imatinib dose escalation be considered?",
        statements=(
            _s(
                "The Smolecule summary considers escalation for a suboptimal response or treatment failure as "
                "defined by the ELN milestones.",
                "seed-2",
                "eln-2020",
            ),
            _s(
                "The Smolecule summary also mentions BCR-ABL1 mutations that stay sensitive to higher imatinib doses, "
                "but neither the Smolecule summary nor the checked evidence names which mutations these are.",
                "seed-2",
            ),
            _s(
                "Confirm adherence and, where possible, measure a trough first: the Smolecule summary favours "
                f"escalation when the trough is < {TROUGH_TARGET} and no resistance mutation is found.",
                "seed-5",
                "seed-6",
                "seed-2",
            ),
            _s(
                "A detected resistance mutation counts as failure under ELN 2020 and, per the ELN "
                "mutation recommendations, calls for a change of therapy.",
                "eln-2020",
                "soverini-2011",
            ),
            _s(
                "Escalation works far better after cytogenetic than after haematological failure (CCyR 52% vs 5%).",
                "jabbour-2009",
            ),
            _s(_ELN_2025 + " The assistant still judges failure by the ELN 2020 milestones.", "eln-2025"),
        ),
        keywords=(
            "escalation",
            "dose increase",
            "indication",
            "candidate",
            "who",
            "when",
            "suboptimal response",
            "warning",
            "failure",
            "ELN",
            "resistance",
        ),
    ),
    Topic(
        id="escalation_evidence",
        title="Evidence for dose escalation",
        question="What evidence supports escalating imatinib after inadequate response?",
        statements=(
            _s(
                "**Kantarjian et al.** escalated 54 patients from 400 mg to 800 mg (or 300 mg to "
                "600 mg): 65% regained a haematological response and 56% of those with cytogenetic "
                "resistance responded.",
                "kantarjian-2003",
            ),
            _s(
                "**Jabbour et al.** reported CCyR in 40% of 84 escalated patients: 52% after "
                "cytogenetic failure but only 5% after haematological failure.",
                "jabbour-2009",
            ),
            _s(
                "The Smolecule summary states that escalation can give durable responses after cytogenetic failure "
                "on the standard dose.",
                "seed-2",
                "jabbour-2009",
            ),
            _s(
                "In OPTIM-imatinib, raising the dose to reach the consensus trough target "
                f"(≥ {TROUGH_TARGET}) produced higher molecular response rates.",
                "optim",
                "clarke-2021",
            ),
        ),
        keywords=(
            "Kantarjian",
            "Jabbour",
            "OPTIM",
            "escalation data",
            "400 to 800",
            "cytogenetic failure",
            "haematological failure",
            "CCyR",
            "study",
            "trial",
        ),
    ),
    Topic(
        id="high_dose_upfront",
        title="High-dose imatinib up front",
        question="Should imatinib be started at 600–800 mg rather than the standard dose?",
        statements=(
            _s(
                "The Smolecule summary claims that starting at 600–800 mg can give faster and deeper responses.",
                "seed-2",
            ),
            _s(
                "In high-risk patients randomised to 800 mg or 400 mg first line, CCyR at 1 year was "
                "64% versus 58%, a difference that was not significant.",
                "baccarani-2009",
            ),
            _s(
                "High-dose induction may therefore speed up the response, but it has not been shown "
                "to be clearly better than the standard dose.",
                "baccarani-2009",
                "seed-2",
            ),
            _s(
                "Exposure and toxicity rise with dose: median troughs in TOPS were 1935 ng/mL at 600 mg "
                "and 2690 ng/mL at 800 mg, and higher levels were associated with more oedema, rash, "
                "myalgia, diarrhoea and grade 3/4 neutropenia.",
                "guilhot-2012",
            ),
        ),
        keywords=(
            "high dose",
            "front-line",
            "first line",
            "upfront",
            "induction",
            "800 mg",
            "600 mg",
            "Baccarani",
            "TOPS",
            "starting dose",
            "high-risk",
        ),
    ),
    # ------------------------------------------------------------------ molecular monitoring
    Topic(
        id="international_scale",
        title="International Scale (IS)",
        question="What is the International Scale for BCR-ABL1?",
        statements=(
            _s(
                "BCR-ABL1 transcript levels are expressed as a percentage on the International Scale "
                "(IS), and the ELN 2020 response milestones are all written in IS percentages.",
                "seed-4",
                "eln-2020",
            ),
            _s(
                f"On the IS, MMR (≤ {_pc(MMR_PCT)}) corresponds to a reduction of at least 3 logs from "
                f"baseline; MR4 (≤ {_pc(MR4_PCT)}), MR4.5 (≤ {_pc(MR45_PCT)}) and "
                f"MR5 (≤ {_pc(MR5_PCT)}) mark 4, 4.5 and 5 logs.",
                "seed-4",
                "cross-2015",
            ),
            _s(
                "The checked evidence does not describe how a laboratory aligns its assay with the IS, "
                "so that question is outside this knowledge base.",
                "seed-4",
            ),
        ),
        keywords=(
            "IS",
            "International Scale",
            "BCR-ABL1 IS",
            "percent",
            "log reduction",
            "standardisation",
            "harmonisation",
            "conversion factor",
        ),
    ),
    Topic(
        id="rq_pcr",
        title="RQ-PCR for BCR-ABL1",
        question="How is molecular response measured in CML on imatinib?",
        statements=(
            _s(
                "Molecular response is followed by real-time quantitative PCR (RQ-PCR) for BCR-ABL1 "
                "transcripts in peripheral blood, with results reported on the IS.",
                "seed-4",
            ),
            _s(
                "Undetectable results are scored by the ABL1 control count: at least 10,000 ABL1 copies "
                "are needed to call MR4, 32,000 for MR4.5 and 100,000 for MR5.",
                "cross-2015",
            ),
            _s(
                "The ELN 2020 milestones and TFR criteria are expressed as BCR-ABL1 IS levels, i.e. as RQ-PCR results.",
                "eln-2020",
            ),
            _s(
                "At very low transcript levels the Smolecule summary proposes ddPCR as a more sensitive option.",
                "seed-3",
            ),
        ),
        keywords=(
            "RQ-PCR",
            "qPCR",
            "RT-qPCR",
            "quantitative PCR",
            "real-time PCR",
            "PCR",
            "BCR-ABL1 transcript",
            "ABL1 copies",
            "control gene",
            "molecular monitoring",
        ),
    ),
    Topic(
        id="blood_sample_volume",
        title="Blood sample for BCR-ABL1 PCR",
        question="How much blood is needed for BCR-ABL1 monitoring and how fast must it reach the lab?",
        statements=(
            _s(
                f"The Smolecule summary recommends at least {MIN_BLOOD_ML} mL of peripheral blood for RQ-PCR to "
                "achieve "
                "good sensitivity; this volume is taken from the Smolecule summary's monitoring reference and was not "
                "independently verified.",
                "seed-4",
            ),
            _s(
                "The checked evidence sets no time limit for getting the sample to the laboratory, and "
                "gives neither the tube type nor storage conditions; follow the local laboratory's "
                "instructions for all three.",
                "seed-4",
            ),
        ),
        keywords=(
            "blood volume",
            "10 mL",
            "sample",
            "tube",
            "peripheral blood",
            "transport",
            "shipping",
            "sample handling",
            "PCR sample",
            "mls",
            "millilitres",
            "milliliters",
            "how much blood",
        ),
    ),
    Topic(
        id="mmr_definition",
        title="Major molecular response (MMR)",
        question="What is a major molecular response (MMR)?",
        statements=(
            _s(
                f"MMR, also written MR3, means BCR-ABL1 IS ≤ {_pc(MMR_PCT)}, i.e. at least a 3-log "
                "reduction from baseline.",
                "seed-4",
            ),
            _s(
                f"Under ELN 2020, BCR-ABL1 IS ≤ {_pc(_M12.optimal_max)} is the optimal response from "
                f"{_mo(_M12.from_months)} onwards.",
                "eln-2020",
            ),
            _s(
                f"Stable MMR for at least {_mo(RED_MIN_MMR_MONTHS)} was the minimum for entry to DESTINY; "
                f"loss of MMR there meant two consecutive results > {_pc(MMR_PCT)} and led back to the "
                "full dose.",
                "clark-2017",
            ),
        ),
        keywords=(
            "MMR",
            "MR3",
            "major molecular response",
            "0.1%",
            "3-log",
            "3 log reduction",
            "loss of MMR",
            "molecular response",
        ),
    ),
    Topic(
        id="mr4_definition",
        title="Deep molecular response MR4",
        question="What does MR4 mean?",
        statements=(
            _s(
                f"MR4 is BCR-ABL1 IS ≤ {_pc(MR4_PCT)}, a reduction of at least 4 logs; the Smolecule summary calls "
                "this "
                "deep molecular response (DMR).",
                "seed-1",
                "cross-2015",
            ),
            _s(
                "When BCR-ABL1 is undetectable, MR4 can only be called if the sample contains at least "
                "10,000 ABL1 control copies.",
                "cross-2015",
            ),
            _s(
                "MR4 before de-escalation was associated with fewer recurrences in DESTINY "
                "(2.5% vs 18.8% with MMR only at 12 months).",
                "clark-2017",
            ),
            _s(
                "Sustained MR4 is required before stopping: more than "
                f"{years(TFR_DMR_MORE_THAN_MONTHS)} under ELN 2020 and at least "
                f"{years(NCCN_TFR_DMR_MONTHS)} of stable MR4 under NCCN.",
                "eln-2020",
                "nccn-2020",
            ),
        ),
        keywords=(
            "MR4",
            "DMR",
            "deep molecular response",
            "0.01%",
            "4-log",
            "4 log reduction",
            "10,000 ABL1",
            "10000 ABL1 copies",
        ),
    ),
    Topic(
        id="mr45_definition",
        title="Deep molecular response MR4.5",
        question="What does MR4.5 mean?",
        statements=(
            _s(f"MR4.5 is BCR-ABL1 IS ≤ {_pc(MR45_PCT)}, a reduction of at least 4.5 logs.", "cross-2015", "seed-3"),
            _s("If BCR-ABL1 is undetectable, MR4.5 requires at least 32,000 ABL1 control copies.", "cross-2015"),
            _s(
                "The Smolecule summary suggests checking for MR4.5 by ddPCR when a dose reduction is planned; the "
                "ddPCR topics explain how far that claim is supported.",
                "seed-3",
            ),
        ),
        keywords=(
            "MR4.5",
            "MR 4.5",
            "0.0032%",
            "4.5-log",
            "4.5 log reduction",
            "32,000 ABL1",
            "deep molecular response",
            "DMR",
        ),
    ),
    Topic(
        id="mr5_definition",
        title="Deep molecular response MR5",
        question="What does MR5 mean?",
        statements=(
            _s(
                f"MR5 is BCR-ABL1 IS ≤ {_pc(MR5_PCT)}, a 5-log reduction; an undetectable result counts as "
                "MR5 only with at least 100,000 ABL1 control copies.",
                "cross-2015",
            ),
            _s(
                "None of the checked criteria for dose reduction or TFR requires MR5: they rest on MMR and MR4.",
                "eln-2020",
                "nccn-2020",
                "clark-2017",
            ),
        ),
        keywords=(
            "MR5",
            "0.001%",
            "5-log",
            "5 log reduction",
            "100,000 ABL1",
            "deep molecular response",
            "undetectable",
        ),
    ),
    Topic(
        id="monitoring_after_reduction",
        title="Monitoring after dose reduction",
        question="How often should BCR-ABL1 be checked after the imatinib dose is reduced?",
        statements=(
            _s(
                "The Smolecule summary advises closer molecular monitoring on the lower dose, for example "
                f"{MONITOR_AFTER_REDUCTION}.",
                "seed-1",
            ),
            _s("In DESTINY, PCR was repeated at 1–2-monthly intervals during de-escalation.", "clark-2017"),
            _s(
                f"Use RQ-PCR on the IS; loss of MMR (two consecutive BCR-ABL1 IS results > {_pc(MMR_PCT)}) "
                "means going back to the full dose.",
                "seed-4",
                "clark-2017",
            ),
            _s("The checked evidence does not set an interval beyond the first year on a reduced dose.", "seed-1"),
        ),
        keywords=(
            "monitoring frequency",
            "PCR schedule",
            "how often",
            "4-6 weeks",
            "after de-escalation",
            "reduced dose",
            "follow-up",
            "surveillance",
        ),
    ),
    Topic(
        id="ddpcr_basics",
        title="What ddPCR is",
        question="What is digital droplet PCR (ddPCR)?",
        statements=(
            _s(
                "Digital droplet PCR (ddPCR) is presented in the Smolecule summary as a more sensitive and precise "
                "way of quantifying BCR-ABL1 transcripts, above all at very low levels such as MR4.5.",
                "seed-3",
            ),
            _s(
                "Routine monitoring, and the thresholds in ELN 2020, are based on RQ-PCR reported on the IS.",
                "seed-4",
                "eln-2020",
            ),
            _s(
                "None of the sources here is a primary study of ddPCR in CML, so no performance figures are given.",
                "seed-3",
            ),
        ),
        keywords=(
            "ddPCR",
            "digital PCR",
            "droplet digital PCR",
            "digital droplet PCR",
            "dPCR",
            "sensitivity",
            "precision",
            "low-level disease",
        ),
    ),
    Topic(
        id="ddpcr_predictive",
        title="ddPCR before dose reduction",
        question="Does MR4.5 by ddPCR predict who will keep their response after dose reduction?",
        statements=(
            _s(
                "The Smolecule summary proposes testing for MR4.5 by ddPCR at the time a reduction is planned.",
                "seed-3",
            ),
            _s(
                "In the Smolecule summary's account, patients who are not in MR4.5 on ddPCR are significantly more "
                "likely to lose MMR or MR4 once the dose is lowered, while those in ddPCR MR4.5 more "
                "often keep their response.",
                "seed-3",
            ),
            _s(
                "This rests on the Smolecule summary alone: no primary paper supporting it was found when the "
                "evidence was checked, so it should not be used as a stand-alone selection rule.",
                "seed-3",
            ),
            _s(
                "The predictors confirmed in the checked de-escalation trial (DESTINY) are depth and "
                "duration of response on RQ-PCR, namely sustained MR4 rather than MMR only.",
                "clark-2017",
            ),
            _s(
                "On standard dose, without any reduction, sustained MR4 was likewise a more stable "
                "response than MR3 alone.",
                "claudiani-2019",
            ),
        ),
        keywords=(
            "ddPCR",
            "MR4.5",
            "predictor",
            "prediction",
            "biomarker",
            "patient selection",
            "before reduction",
            "de-escalation",
            "relapse risk",
        ),
    ),
    # ------------------------------------------------------------------ therapeutic drug monitoring
    Topic(
        id="tdm_overview",
        title="Therapeutic drug monitoring (TDM)",
        question="What is imatinib TDM and why is it used?",
        statements=(
            _s(
                "Imatinib TDM means measuring the plasma drug level, normally as a trough, and using "
                "it to guide the dose.",
                "seed-6",
                "clarke-2021",
            ),
            _s(
                "It is used because plasma levels differ widely between patients on the same dose; "
                "day-29 troughs in IRIS were 979 ± 530 ng/mL.",
                "seed-5",
                "seed-6",
                "larson-2008",
            ),
            _s(
                f"Trough levels track response, and the IATDMCT consensus sets a target trough > {TROUGH_TARGET}.",
                "seed-5",
                "clarke-2021",
            ),
        ),
        keywords=(
            "TDM",
            "therapeutic drug monitoring",
            "plasma level",
            "drug level",
            "blood level",
            "imatinib level",
            "concentration",
            "exposure",
            "PK",
            "pharmacokinetics",
            "inter-patient variability",
        ),
    ),
    Topic(
        id="trough_sampling",
        title="When to draw a trough level",
        question="When should the blood sample for an imatinib trough level be taken?",
        statements=(
            _s("A trough is drawn immediately before the next scheduled dose.", "seed-6"),
            _s(
                f"Sample only at steady state, which needs at least {STEADY_STATE_DAYS_USUAL} on an "
                "unchanged dose taken regularly.",
                "seed-6",
            ),
            _s(
                "For once-daily dosing this falls about 24 h after the last dose. The tolerance window "
                f"the assistant applies ({_pm('once_daily')} once daily, {_pm('twice_daily')} twice daily) "
                "is an operational convention, not taken from a checked source.",
                "seed-6",
                unverified=True,
            ),
        ),
        keywords=(
            "trough",
            "Cmin",
            "pre-dose",
            "predose",
            "sample timing",
            "when to draw",
            "blood draw",
            "24 h",
            "level timing",
            "C0",
        ),
    ),
    Topic(
        id="steady_state",
        title="Steady state before TDM",
        question="How long after starting or changing imatinib is steady state reached?",
        statements=(
            _s(
                f"Imatinib takes {STEADY_STATE_DAYS_USUAL} of regular, unchanged dosing to reach steady "
                "state, so a trough should not be drawn before then.",
                "seed-6",
            ),
            _s(
                "The same applies after a dose change: allow "
                f"{STEADY_STATE_DAYS_USUAL} of regular dosing at the current dose before sampling, and "
                "repeat a sample taken too early.",
                "seed-6",
            ),
            _s(
                "The trough–response analyses of IRIS and TOPS used day-29 samples, well after steady state.",
                "larson-2008",
                "guilhot-2012",
            ),
        ),
        keywords=(
            "steady state",
            "5-7 days",
            "days on dose",
            "dose change",
            "washout",
            "accumulation",
            "timing",
            "new dose",
            "too early",
            "too soon",
            "how soon",
            "wait before",
        ),
    ),
    Topic(
        id="lc_ms_ms",
        title="LC-MS/MS assay",
        question="Which assay should be used to measure imatinib plasma levels?",
        statements=(
            _s(
                "Imatinib is measured by liquid chromatography with tandem mass spectrometry "
                "(LC-MS/MS), chosen for its sensitivity and specificity.",
                "seed-6",
            ),
            _s(
                "The IATDMCT consensus names LC-MS/MS as the reference method; the checked evidence "
                "does not compare it with other assay types.",
                "clarke-2021",
            ),
        ),
        keywords=(
            "LC-MS/MS",
            "LCMS",
            "mass spectrometry",
            "tandem mass spec",
            "HPLC",
            "assay",
            "laboratory method",
            "analytical method",
            "IATDMCT",
        ),
    ),
    Topic(
        id="trough_threshold",
        title=f"Trough target of {TROUGH_TARGET}",
        question="What trough imatinib level is associated with response?",
        statements=(
            _s(
                f"A trough above about {TROUGH_TARGET} goes with higher rates of CCyR and MMR, and the IATDMCT "
                f"consensus adopts > {TROUGH_TARGET} as the target; the rules here count a level of exactly "
                f"{TROUGH_TARGET} as adequate.",
                "seed-5",
                "seed-6",
                "clarke-2021",
            ),
            _s(
                "It matches the cut-off found by **Picard et al.**: 1002 ng/mL best separated "
                "patients with and without MMR (ROC AUC 0.775), with median troughs of 1350 vs "
                "885 ng/mL.",
                "picard-2007",
            ),
            _s("In IRIS, day-29 troughs were higher in patients who reached CCyR (1009 vs 812 ng/mL).", "larson-2008"),
            _s("In TOPS, a day-29 trough < 1165 ng/mL was associated with lower MMR and CCyR rates.", "guilhot-2012"),
            _s(
                "In OPTIM-imatinib, raising the dose until the trough reached this target gave higher "
                "molecular response rates.",
                "optim",
            ),
        ),
        keywords=(
            "1000 ng/mL",
            "threshold",
            "cut-off",
            "cutoff",
            "target",
            "therapeutic range",
            "Picard",
            "1002",
            "trough target",
            "trough",
            "predicts response",
            "associated with response",
            "OPTIM",
            "IRIS",
            "TOPS",
        ),
    ),
    Topic(
        id="tdm_indications",
        title="When TDM helps",
        question="In which situations is imatinib TDM useful?",
        statements=(
            _s(
                "The Smolecule summary lists four: suboptimal response, severe or unusual toxicity, suspected "
                "drug–drug interactions, and doubts about adherence.",
                "seed-5",
                "seed-6",
            ),
            _s(
                f"Suboptimal response with a trough < {TROUGH_TARGET}: consider escalation once adherence is "
                "confirmed and no resistance mutation is present.",
                "seed-5",
                "seed-6",
                "seed-2",
            ),
            _s(
                "Toxicity with a supratherapeutic level: a dose reduction may help control the adverse events.",
                "seed-6",
            ),
            _s(
                "No validated upper limit for imatinib plasma concentration has been established; the "
                "study behind this statement was in GIST, not CML.",
                "zhuang-2018",
            ),
        ),
        keywords=(
            "TDM indication",
            "when to order",
            "suboptimal response",
            "toxicity",
            "drug interaction",
            "DDI",
            "adherence",
            "compliance",
            "who needs TDM",
        ),
    ),
    Topic(
        id="exposure_toxicity",
        title="High imatinib levels and toxicity",
        question="Are higher imatinib plasma levels linked with more side effects?",
        statements=(
            _s(
                "In IRIS, fluid retention, rash, myalgia and anaemia were commoner at higher trough levels.",
                "larson-2008",
            ),
            _s(
                "In TOPS, oedema, rash, myalgia, diarrhoea and grade 3/4 neutropenia were associated "
                "with higher levels.",
                "guilhot-2012",
            ),
            _s(
                "The Smolecule summary suggests a dose reduction when toxicity comes with a supratherapeutic level.",
                "seed-6",
            ),
            _s(
                "No upper concentration limit has been validated; that conclusion comes from a GIST "
                "cohort, and the checked evidence gives no CML-specific ceiling either.",
                "zhuang-2018",
            ),
            _s(
                "For a severe adverse reaction the imatinib label says to hold the drug until it settles and then "
                "restart one step lower (400 → 300, 600 → 400, 800 → 600 mg/day); severe neutropenia or "
                "thrombocytopenia in chronic phase has its own count thresholds for stopping and restarting.",
                "gleevec-label",
            ),
            _s(
                "The 2025 ELN abstract prefers lowering the dose to changing the drug when toxicity is the problem.",
                "eln-2025",
            ),
        ),
        keywords=(
            "toxicity",
            "side effects",
            "adverse events",
            "upper limit",
            "supratherapeutic",
            "high level",
            "oedema",
            "neutropenia",
            "myalgia",
            "rash",
            "exposure-toxicity",
        ),
    ),
    Topic(
        id="drug_interactions",
        title="Drug interactions and TDM",
        question="How should suspected drug interactions with imatinib be handled?",
        statements=(
            _s(
                "The Smolecule summary lists a suspected drug–drug interaction as one of the reasons to measure a "
                "trough level.",
                "seed-5",
                "seed-6",
            ),
            _s(
                "The checked evidence does not list specific interacting drugs or dose adjustments for "
                "them; use a drug-interaction reference and check the trough at steady state.",
                "seed-6",
            ),
        ),
        keywords=(
            "drug interaction",
            "DDI",
            "CYP3A4",
            "inhibitor",
            "inducer",
            "co-medication",
            "comedication",
            "interacting drug",
            "polypharmacy",
            "herbal remedy",
            "St John's wort",
            "grapefruit",
            "azole antifungal",
            "macrolide antibiotic",
            "rifampicin",
            "clarithromycin",
            "carbamazepine",
            "phenytoin",
        ),
    ),
    # ------------------------------------------------------------------ the Smolecule summary's three FAQ questions
    Topic(
        id="suboptimal_response_workup",
        title="Work-up of suboptimal response",
        question="What should I do if a patient has a suboptimal response to standard-dose imatinib?",
        statements=(
            _s(
                "Look for the cause: adherence first, then drug exposure by TDM; kinase-domain mutation analysis "
                "does not wait for them: it is sent on failure or a warning response, at once.",
                "seed-6",
                "seed-5",
                "soverini-2011",
            ),
            _s(
                f"**Adherence** is a leading cause: adherence ≤ {_ADH} was associated with a 6-year MMR "
                f"rate of 28.4% against 94.5% above {_ADH}.",
                "seed-6",
                "marin-2010",
            ),
            _s(
                f"**TDM**: with a trough < {TROUGH_TARGET}, consider increasing the dose to {_ESC1} mg or "
                f"{_ESC2} mg daily.",
                "seed-5",
                "seed-6",
                "seed-2",
            ),
            _s(
                "**Mutations**: if a kinase-domain mutation is found, change to a TKI chosen by the "
                "mutation profile rather than escalating (the Smolecule summary says a second-generation TKI; "
                "with T315I, both nilotinib and dasatinib respond poorly).",
                "seed-2",
                "soverini-2011",
                "branford-2009",
            ),
            _s(
                "Whether a response is suboptimal is judged against the ELN 2020 milestones (warning or failure).",
                "eln-2020",
            ),
            _s(_ELN_2025 + " The milestone values used here remain ELN 2020's.", "eln-2025"),
        ),
        keywords=(
            "suboptimal response",
            "warning",
            "failure",
            "resistance",
            "work-up",
            "workup",
            "not responding",
            "adherence",
            "TDM",
            "mutation analysis",
            "algorithm",
        ),
    ),
    Topic(
        id="reduction_safety",
        title="Is dose reduction safe?",
        question="When is it safe to reduce the imatinib dose, and what are the risks?",
        statements=(
            _s(
                "The Smolecule summary considers reduction generally safe once stable MMR has lasted at least "
                f"{RED_BETTER_MMR}.",
                "seed-1",
                "seed-3",
            ),
            _s(
                f"In DESTINY (≥ {years(RED_MIN_THERAPY_MONTHS)} of TKI, ≥ {_mo(RED_MIN_MMR_MONTHS)} of "
                "stable MMR) recurrence on half dose at 12 months was 2.5% in MR4 and 18.8% in MMR only.",
                "clark-2017",
            ),
            _s(
                "The main risk is loss of MMR, but according to the Smolecule summary most patients regain it when "
                "the standard dose is restarted.",
                "seed-1",
            ),
            _s(
                "In DESTINY every patient who relapsed was back in MMR within 4 months of restarting the full dose.",
                "clark-2017",
            ),
            _s(
                "MMR maintenance does not seem compromised, whereas keeping MR4 may be less likely after reduction.",
                "seed-3",
            ),
            _s(f"Plan closer monitoring, for example {MONITOR_AFTER_REDUCTION}.", "seed-1"),
        ),
        keywords=(
            "safe",
            "safety",
            "dose reduction",
            "de-escalation",
            "risk",
            "when",
            "how safe",
            "loss of MMR",
            "DESTINY",
        ),
    ),
    Topic(
        id="ddpcr_dose_optimisation",
        title="How ddPCR helps dose optimisation",
        question="How can newer technologies such as ddPCR improve imatinib dose optimisation?",
        statements=(
            _s(
                "The Smolecule summary presents ddPCR as a more sensitive and precise measure of BCR-ABL1 at very "
                "low disease levels such as MR4.5.",
                "seed-3",
            ),
            _s(
                "Its proposed role is predictive: patients in MR4.5 by ddPCR are said to be more likely "
                "to keep their response after reduction, which would sharpen patient selection.",
                "seed-3",
            ),
            _s(
                "No primary study supporting this was found; the de-escalation trials checked here "
                "selected patients by RQ-PCR depth (MR4 vs MMR only) and duration of response.",
                "seed-3",
                "clark-2017",
                "cervantes-2017",
            ),
        ),
        keywords=(
            "ddPCR",
            "new technology",
            "advantage",
            "benefit",
            "dose optimisation",
            "dose optimization",
            "sensitivity",
            "ddPCR vs RQ-PCR",
        ),
    ),
    # ------------------------------------------------------------------ TFR and re-escalation
    Topic(
        id="treatment_free_remission",
        title="Treatment-free remission (TFR)",
        question="When can imatinib be stopped, and how should patients be monitored afterwards?",
        statements=(
            _s(
                "ELN 2020 minimal criteria: TKI given first line (or second line only for "
                f"intolerance), more than {years(TFR_THERAPY_MORE_THAN_MONTHS)} of therapy (more than 4 "
                "for a second-generation TKI), DMR (≥ MR4) for more than "
                f"{years(TFR_DMR_MORE_THAN_MONTHS)}, "
                "no previous failure, and a typical BCR-ABL1 transcript.",
                "eln-2020",
            ),
            _s(
                f"NCCN asks for at least {years(NCCN_TFR_THERAPY_MONTHS)} of TKI therapy and stable MR4 "
                f"for at least {years(NCCN_TFR_DMR_MONTHS)}.",
                "nccn-2020",
            ),
            _s(
                "After stopping, ELN 2020 advises molecular monitoring monthly in months 1–6, every "
                "2 months in months 7–12, and every 3 months thereafter.",
                "eln-2020",
            ),
            _s(
                "Dose reduction can serve as a step towards TFR, as in DESTINY's de-escalation before discontinuation.",
                "seed-1",
                "clark-2017",
            ),
            _s(
                "Check the restart trigger after stopping in the guideline itself: the sources checked here give "
                "one only for the de-escalation phase (loss of MMR leads back to full dose), not for after "
                "stopping.",
                "clark-2017",
            ),
            _s(
                "The 2025 ELN abstract reports that the data on stopping treatment have matured; its criteria were "
                "not checked here, so the ELN 2020 criteria above are the ones used.",
                "eln-2025",
            ),
        ),
        keywords=(
            "TFR",
            "treatment-free remission",
            "stopping",
            "discontinuation",
            "stop TKI",
            "drug holiday",
            "ELN criteria",
            "NCCN criteria",
            "monitoring after stopping",
        ),
    ),
    Topic(
        id="regaining_mmr",
        title="Regaining MMR after resuming dose",
        question="If MMR is lost on a reduced dose, will the patient regain it on the full dose?",
        statements=(
            _s(
                "In DESTINY, every patient whose disease recurred on half dose was back in MMR no later "
                "than 4 months after the full dose was reinstated.",
                "clark-2017",
            ),
            _s(
                "The Smolecule summary likewise states that most patients regain MMR once the standard dose is "
                "restarted.",
                "seed-1",
            ),
            _s(
                f"Recurrence meant two consecutive BCR-ABL1 IS results > {_pc(MMR_PCT)}; that finding is the "
                "signal to resume the standard dose.",
                "clark-2017",
            ),
            _s(
                "The numbers behind this are small: by 12 months there had been 3 recurrences in the "
                "MR4 cohort and 9 in the MMR-only cohort.",
                "clark-2017",
            ),
        ),
        keywords=(
            "regain MMR",
            "recapture",
            "re-escalation",
            "resume full dose",
            "back to 400",
            "loss of MMR",
            "molecular recurrence",
            "salvage",
        ),
    ),
    # ------------------------------------------------------------------ further topics
    Topic(
        id="adherence",
        title="Adherence to imatinib",
        question="How much does adherence affect response to imatinib?",
        statements=(
            _s(
                f"In patients in CCyR on imatinib, adherence ≤ {_ADH} gave a 6-year MMR rate of 28.4% "
                f"against 94.5% above {_ADH}, and no molecular response was seen at ≤ 80%.",
                "marin-2010",
            ),
            _s("Adherence ≤ 85% was linked with a 26.8% two-year loss of CCyR, compared with 1.5%.", "ibrahim-2011"),
            _s(
                "Non-adherence is common: in ADAGIO about one third of patients were non-adherent and "
                "only 14.2% took every dose.",
                "noens-2009",
            ),
            _s(
                "The Smolecule summary names poor adherence as a major driver of inadequate response, so check it "
                "before acting on a low trough or escalating.",
                "seed-6",
                "seed-5",
            ),
        ),
        keywords=(
            "adherence",
            "compliance",
            "missed doses",
            "non-adherence",
            "ADAGIO",
            "Marin",
            "Ibrahim",
            "pill count",
            "persistence",
        ),
    ),
    Topic(
        id="mutation_testing",
        title="BCR-ABL1 mutation testing",
        question="When should BCR-ABL1 kinase-domain mutation analysis be done?",
        statements=(
            _s(
                "ELN recommends kinase-domain mutation analysis on treatment failure or a warning response.",
                "soverini-2011",
            ),
            _s("A detected resistance mutation counts as failure under ELN 2020 at any time point.", "eln-2020"),
            _s(
                "Finding a mutation should prompt a switch of therapy, to a TKI matched to the mutation profile.",
                "soverini-2011",
                "seed-2",
            ),
            _s(
                "In the Smolecule summary's work-up, mutation analysis follows the adherence check and TDM.",
                "seed-2",
                "seed-6",
            ),
        ),
        keywords=(
            "mutation analysis",
            "kinase domain",
            "KD mutation",
            "sequencing",
            "resistance",
            "Sanger",
            "NGS",
            "ABL1 mutation",
            "when to test",
        ),
    ),
    Topic(
        id="mutation_tki_choice",
        title="Choosing a TKI by mutation",
        question="Which TKI should be chosen for a given BCR-ABL1 mutation?",
        statements=(
            _s(
                "**Nilotinib** is a poor choice for Y253H, E255K/V and F359V/C, which show little response to it.",
                "branford-2009",
            ),
            _s("**Dasatinib** is a poor choice for V299L, T315A and F317L/I/V/C.", "branford-2009"),
            _s("**T315I** shows a poor response to both nilotinib and dasatinib.", "branford-2009"),
            _s(
                "For T315I, ponatinib or asciminib is reported as the current guideline standard; this "
                "has not been checked against the guideline table.",
                "branford-2009",
                unverified=True,
            ),
            _s("The checked evidence does not cover bosutinib sensitivity by mutation.", "branford-2009"),
        ),
        keywords=(
            "T315I",
            "ponatinib",
            "asciminib",
            "nilotinib",
            "dasatinib",
            "bosutinib",
            "second-generation TKI",
            "2G TKI",
            "switch TKI",
            "mutation profile",
            "F317L",
            "Y253H",
            "E255K",
            "V299L",
        ),
    ),
    Topic(
        id="eln_milestones",
        title="ELN 2020 response milestones",
        question="What are the ELN 2020 molecular response milestones?",
        statements=(
            _s(
                f"**{_mo(_M3.from_months)}**: optimal ≤ {_pc(_M3.optimal_max)}; warning "
                f"> {_pc(_M3.optimal_max)}; failure when > {_pc(_M3.optimal_max)} is confirmed within "
                f"{CONFIRM_WITHIN}.",
                "eln-2020",
            ),
            _s(
                f"**{_mo(_M6.from_months)}**: optimal ≤ {_pc(_M6.optimal_max)}; warning "
                f"> {num(_M6.optimal_max)}–{_pc(_M6.warning_max)}; failure > {_pc(_M6.warning_max)}.",
                "eln-2020",
            ),
            _s(
                f"**{_mo(_M12.from_months)} and later**: optimal ≤ {_pc(_M12.optimal_max)}; warning "
                f"> {num(_M12.optimal_max)}–{_pc(_M12.warning_max)}; failure > {_pc(_M12.warning_max)}. "
                "A resistance mutation means failure at any time.",
                "eln-2020",
            ),
            _s(
                "NCCN uses the labels TKI-sensitive, possible resistance and resistant instead of "
                "optimal, warning and failure.",
                "nccn-2020",
            ),
            _s(
                _ELN_2025 + " The figures above are still ELN 2020's, as the 2025 milestone values have "
                "not been checked for this assistant.",
                "eln-2025",
            ),
        ),
        keywords=(
            "ELN",
            "ELN 2020",
            "milestones",
            "optimal",
            "warning",
            "failure",
            "response criteria",
            "3 months",
            "6 months",
            "12 months",
            "NCCN",
            "TKI-sensitive",
        ),
    ),
)


_BY_ID: Dict[str, Topic] = {t.id: t for t in TOPICS}


def get_topic(topic_id: str) -> Topic:
    """The topic with id ``topic_id``; ``KeyError`` naming the known ids otherwise."""
    try:
        return _BY_ID[topic_id]
    except KeyError:
        raise KeyError(f"unknown FAQ topic {topic_id!r}; known topic ids: {', '.join(sorted(_BY_ID))}") from None


def topic_ids() -> Tuple[str, ...]:
    """All topic ids, in the order of ``TOPICS``."""
    return tuple(t.id for t in TOPICS)

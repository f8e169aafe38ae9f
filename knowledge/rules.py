"""The rule set of ``shared/decision-spec.md`` section 3, as pure functions.

``assess(case, assessment)`` returns an :class:`~knowledge.models.Assessment`. Each rule that
decides something reports its id in ``rules_fired``; recommendations come in the order a
clinician acts; every recommendation cites keys of the sources registry. Choices the spec
leaves open are stated in ``assumptions`` and listed in ``knowledge/ASSUMPTIONS.md``.
"""
from __future__ import annotations

from typing import List, Optional, Sequence

from . import mutations as mut
from .models import Assessment, PatientCase, Recommendation
from .vocab import ASSESSMENTS, RULE_SET_VERSION

TROUGH_TARGET = 1000.0  # ng/mL: trough above ~1000 ng/mL goes with better response [seed-5, picard-2007]
ADHERENCE_CONFIRMED_ABOVE = 90.0  # % of doses: > 90 confirmed [marin-2010]
STEADY_STATE_DAYS = 5.0  # consistent dosing before a trough is valid [seed-6]
WINDOWS = {"once_daily": (21.0, 27.0), "twice_daily": (9.0, 15.0)}  # hours after the dose (operational)
ESCALATION_STEPS = (400, 600, 800)
TOXICITY_STEPS = {800: 600, 600: 400, 400: 300}
SWITCH_AFTER_MAX_DOSE = ["dasatinib", "nilotinib", "bosutinib"]

WINDOW_ASSUMPTION = ("Trough window taken as 21–27 h after a once-daily dose (24 ± 3 h) and 9–15 h after a "
                     "twice-daily dose: an operational convention, not a validated limit (unverified).")


class _Builder:
    """Collects one assessment's output; keeps every list in first-added order, without repeats."""

    def __init__(self, case: PatientCase, assessment: str):
        self.case = case
        self.assessment = assessment
        self.recs: List[Recommendation] = []
        self.rules: List[str] = []
        self.missing: List[str] = []
        self.assumptions: List[str] = []
        self.status: Optional[str] = None

    def fire(self, *rule_ids: str) -> None:
        for r in rule_ids:
            if r not in self.rules:
                self.rules.append(r)

    def need(self, *fields: str) -> None:
        for f in fields:
            if f not in self.missing:
                self.missing.append(f)

    def assume(self, text: str) -> None:
        if text not in self.assumptions:
            self.assumptions.append(text)

    def has(self, code: str) -> bool:
        return any(r.code == code for r in self.recs)

    def add(self, code: str, summary: str, indicator: str, detail: str, citations: Sequence[str],
            target_dose_mg: Optional[int] = None, options: Sequence[str] = (),
            avoid: Sequence[str] = ()) -> None:
        if self.has(code):
            return
        self.recs.append(Recommendation(
            code=code, summary=summary, indicator=indicator, detail=detail,
            target_dose_mg=target_dose_mg, options=list(options), avoid=list(avoid),
            citations=list(citations)))

    def result(self) -> Assessment:
        return Assessment(
            rule_set_version=RULE_SET_VERSION, assessment=self.assessment,
            response_status=self.status, recommendations=self.recs,
            missing_inputs=self.missing, assumptions=self.assumptions, rules_fired=self.rules)


# ---------------------------------------------------------------------------------------------
# facts about the case


def _detected(case: PatientCase) -> List[str]:
    return list(case.mutations or [])


def _adherence_confirmed(case: PatientCase) -> bool:
    return case.adherence_pct is not None and case.adherence_pct > ADHERENCE_CONFIRMED_ABOVE


def _dose(b: _Builder, purpose: str) -> int:
    """The current dose; when missing, the standard 400 mg/day, stated and listed as missing."""
    if b.case.dose_mg is not None:
        return b.case.dose_mg
    b.need("dose_mg")
    b.assume(f"Current dose not given: taken as the standard 400 mg/day for {purpose}.")
    return 400


def _fmt(v: float) -> str:
    return f"{v:g}"


# ---------------------------------------------------------------------------------------------
# recommendations used by several assessments (one place for each text)


def _rec_check_adherence(b: _Builder) -> None:
    a = b.case.adherence_pct
    known = "not known" if a is None else f"{_fmt(a)} %"
    b.add("check_adherence",
          "Check adherence first: no dose escalation until more than 90 % of doses are confirmed taken.",
          "warning",
          f"Reported adherence is {known}. Adherence of 90 % or less goes with far lower rates of major "
          f"molecular response (6-year MMR 28.4 % vs 94.5 %) [marin-2010], and non-adherence is common "
          f"(about one patient in three) [noens-2009]. Poor adherence is a leading cause of suboptimal "
          f"response and should be addressed before any dose change [seed-6].",
          ["marin-2010", "noens-2009", "seed-6"])


def _rec_ddi(b: _Builder) -> None:
    b.add("review_drug_interactions",
          "Review interacting drugs (CYP3A4 inhibitors and inducers) that may change imatinib exposure.",
          "warning",
          "A suspected drug–drug interaction is one of the situations in which imatinib exposure should be "
          "reviewed and a trough level can help [seed-6] [seed-5].",
          ["seed-6", "seed-5"])


def _rec_mutation_analysis(b: _Builder) -> None:
    b.add("mutation_analysis",
          "Send BCR-ABL1 kinase-domain mutation analysis.",
          "warning",
          "Mutation testing is recommended on failure or a warning response; a detected mutation means a "
          "change of therapy, and the mutation profile guides the choice of TKI [soverini-2011] [seed-2]. "
          "A resistance mutation counts as failure at any time [eln-2020].",
          ["soverini-2011", "seed-2", "eln-2020"])


def _rec_measure_trough(b: _Builder) -> None:
    b.add("measure_trough",
          "Measure an imatinib trough level at steady state (just before the next dose, after 5–7 days).",
          "info",
          "Exposure varies widely between patients; a trough above about 1000 ng/mL goes with better "
          "cytogenetic and molecular response [seed-5] [picard-2007]. Sample at steady state, just before "
          "the next dose, and measure by LC-MS/MS [seed-6] [clarke-2021].",
          ["seed-5", "picard-2007", "seed-6", "clarke-2021"])


def _rec_switch_for_mutations(b: _Builder, detected: List[str]) -> None:
    choice = mut.choose(detected)
    names = ", ".join(detected)
    cites = ["branford-2009", "soverini-2011", "seed-2"]
    detail = (f"Detected mutation(s): {names}. A resistance mutation means failure and a change of TKI, "
              f"never imatinib dose escalation [eln-2020] [soverini-2011]. ")
    if choice.options:
        detail += f"Options that keep activity against all of them: {', '.join(choice.options)}. "
    else:
        detail += "No single TKI in the table covers all of them. "
    if choice.avoid:
        detail += f"Avoid: {', '.join(choice.avoid)} [branford-2009]. "
    if "T315I" in detected:
        detail += ("T315I responds poorly to both nilotinib and dasatinib [branford-2009]; ponatinib or "
                   "asciminib is the current guideline choice (the exact guideline table is unverified "
                   "in our evidence brief). ")
        b.assume("Ponatinib/asciminib for T315I follows the spec's table; the evidence brief marks the "
                 "guideline source for it as unverified, so only branford-2009 is cited for T315I.")
    b.add("switch_tki",
          f"Switch TKI guided by the mutation profile ({names[:60]}).",
          "critical", detail.strip(), ["eln-2020"] + cites, options=choice.options, avoid=choice.avoid)
    if choice.refer:
        why = ("a mutation outside the table (" + ", ".join(choice.unlisted) + ")" if choice.unlisted
               else "no TKI covers every detected mutation")
        b.add("refer_specialist",
              "Discuss with a CML specialist centre: mutation profile needs expert review.",
              "critical",
              f"Referral because of {why}; the table's default options for other mutations are "
              f"dasatinib, nilotinib or bosutinib, chosen with expert advice [soverini-2011] [seed-2].",
              ["soverini-2011", "seed-2"])


def _rec_switch_adequate_exposure(b: _Builder, trough: float) -> None:
    detected = _detected(b.case)
    if detected:
        _rec_switch_for_mutations(b, detected)
        return
    tested = b.case.mutations is not None
    b.add("switch_tki",
          "Exposure is adequate yet response is inadequate: switch to another TKI.",
          "critical",
          f"Trough {_fmt(trough)} ng/mL is at or above 1000 ng/mL, so more imatinib is unlikely to help "
          f"[seed-5] [seed-6]. Switch to a second-generation TKI [seed-2] [eln-2020]"
          + ("." if tested else "; choose it once the mutation result is known [soverini-2011]."),
          ["seed-5", "seed-6", "seed-2", "eln-2020"] + ([] if tested else ["soverini-2011"]),
          options=SWITCH_AFTER_MAX_DOSE)


def _escalate_or_switch(b: _Builder, trough: Optional[float]) -> None:
    """WORKUP-5 / TDM-LOW: adherence confirmed, trough < 1000, no mutation → one step up."""
    dose = _dose(b, "the escalation step")
    level = f"trough {_fmt(trough)} ng/mL is below 1000 ng/mL" if trough is not None else "exposure is low"
    if dose >= 800:
        b.add("switch_tki",
              "At 800 mg/day with low exposure and no mutation: switch to a second-generation TKI.",
              "critical",
              f"The maximum imatinib dose of 800 mg/day has been reached and the {level}; switch to "
              f"dasatinib, nilotinib or bosutinib [seed-2] [eln-2020].",
              ["seed-2", "eln-2020"], options=SWITCH_AFTER_MAX_DOSE)
        return
    target = next(s for s in ESCALATION_STEPS if s > dose)
    if dose not in ESCALATION_STEPS:
        b.assume(f"{dose} mg/day is not a standard step: escalation goes to the next standard step, {target} mg/day.")
    b.add("escalate_dose",
          f"Escalate imatinib from {dose} to {target} mg/day; repeat the trough at steady state.",
          "warning",
          f"Adherence is confirmed, no mutation was found and the {level} [seed-5] [seed-6]. "
          f"Escalation to 600–800 mg/day can recover response after suboptimal response [seed-2]: in one "
          f"series 65 % regained a haematological response and 56 % of cytogenetic resistance responded "
          f"[kantarjian-2003]; after cytogenetic failure 52 % reached CCyR [jabbour-2009]. Raising the dose "
          f"to reach at least 1000 ng/mL gave higher molecular response in OPTIM-imatinib [optim].",
          ["seed-2", "seed-5", "seed-6", "kantarjian-2003", "jabbour-2009", "optim"],
          target_dose_mg=target)


def _rec_refer_out_of_scope(b: _Builder, rule_id: str) -> None:
    b.fire(rule_id)
    b.add("refer_specialist",
          f"{b.case.phase.capitalize()} phase is outside this tool: refer to a CML specialist centre.",
          "critical",
          "These rules cover chronic-phase CML on imatinib only. Accelerated and blast phase need "
          "specialist management under the full guideline [eln-2020].",
          ["eln-2020"])


# ---------------------------------------------------------------------------------------------
# response (RESP)


def _classify(b: _Builder, need_inputs: bool = True) -> Optional[str]:
    """RESP: the response status, from mutations, from months + level, or as the clinician gave it."""
    c = b.case
    if _detected(c):
        b.fire("RESP-MUT")
        b.status = "failure"
        return "failure"
    m, lvl = c.months_on_tki, c.bcr_abl1_is
    if m is None or lvl is None:
        if c.response_status is not None:
            b.assume(f"Response taken as '{c.response_status}', the clinician's classification "
                     f"(months on therapy and BCR-ABL1 not both given).")
            b.status = c.response_status
            return c.response_status
        if need_inputs:
            b.need(*[f for f, v in (("months_on_tki", m), ("bcr_abl1_is", lvl)) if v is None])
        return None
    if lvl > 100:
        b.assume(f"BCR-ABL1 {_fmt(lvl)} % IS is above 100 %: unusual, check the laboratory report.")
    if m < 3:
        b.fire("RESP-0")
        status = "too_early"
    elif m < 6:
        b.fire("RESP-3")
        if lvl <= 10:
            status = "optimal"
        else:
            status = "failure" if c.response_confirmed else "warning"
            if not c.response_confirmed:
                b.assume("Above 10 % at 3 months counts as failure only once confirmed by a repeat test "
                         "within 1–3 months; not confirmed here, so warning.")
    elif m < 12:
        b.fire("RESP-6")
        status = "optimal" if lvl <= 1 else "warning" if lvl <= 10 else "failure"
    else:
        b.fire("RESP-12")
        status = "optimal" if lvl <= 0.1 else "warning" if lvl <= 1 else "failure"
    if c.response_status is not None and c.response_status != status:
        b.assume(f"The given classification '{c.response_status}' differs from the ELN 2020 milestone "
                 f"result '{status}', which is used.")
    b.status = status
    return status


def _milestone_text(b: _Builder) -> str:
    c = b.case
    if c.months_on_tki is None or c.bcr_abl1_is is None:
        return ""
    return f"BCR-ABL1 {_fmt(c.bcr_abl1_is)} % IS at {_fmt(c.months_on_tki)} months"


def _response(b: _Builder) -> None:
    status = _classify(b)
    if status is None:
        return
    where = _milestone_text(b)
    if status == "too_early":
        b.add("repeat_pcr", "Too early to classify response: repeat BCR-ABL1 RQ-PCR at 3 months.", "info",
              f"{where}: the first ELN 2020 milestone is at 3 months [eln-2020].", ["eln-2020"])
    elif status == "optimal":
        b.add("continue_current_dose", "Optimal response: continue the current dose and routine monitoring.",
              "info", f"{where or 'Response'} meets the ELN 2020 milestone for an optimal response [eln-2020].",
              ["eln-2020"])
    elif status == "warning":
        _rec_check_adherence(b)
        if b.case.drug_interaction_concern:
            _rec_ddi(b)
        if b.case.mutations is None:
            _rec_mutation_analysis(b)
        b.add("repeat_pcr", "Warning response: repeat BCR-ABL1 RQ-PCR within 1–3 months.", "warning",
              f"{where or 'The response'} falls in the ELN 2020 warning zone: the response needs closer "
              f"follow-up, and the result decides whether a change of therapy is needed [eln-2020].",
              ["eln-2020"])
    else:
        _workup_steps(b)


# ---------------------------------------------------------------------------------------------
# trough validity (TDM-SS, TDM-TIME)


def _sample_valid(b: _Builder) -> bool:
    c = b.case
    reasons = []
    if c.days_at_current_dose is None:
        b.need("days_at_current_dose")
        b.assume("Days on the current dose not given: the sample is assumed to be at steady state.")
    elif c.days_at_current_dose < STEADY_STATE_DAYS:
        b.fire("TDM-SS")
        reasons.append(f"only {_fmt(c.days_at_current_dose)} days on the current dose (steady state needs "
                       f"5–7 days of consistent dosing)")
    if c.hours_since_dose is None:
        b.need("hours_since_dose")
        b.assume("Time since the last dose not given: the sample is assumed to be a true trough.")
    else:
        dosing = c.dosing
        if dosing is None:
            dosing = "twice_daily" if c.dose_mg == 800 else "once_daily"
            b.assume(f"Dosing schedule not given: taken as {dosing.replace('_', ' ')}"
                     + (" (800 mg/day is usually 400 mg twice daily)." if dosing == "twice_daily" else "."))
        lo, hi = WINDOWS[dosing]
        b.assume(WINDOW_ASSUMPTION)
        if not lo <= c.hours_since_dose <= hi:
            b.fire("TDM-TIME")
            reasons.append(f"drawn {_fmt(c.hours_since_dose)} h after a {dosing.replace('_', '-')} dose, "
                           f"outside the {lo:g}–{hi:g} h trough window: not a trough sample")
    if not reasons:
        return True
    level = f"The reported level ({_fmt(c.trough_ng_ml)} ng/mL) cannot guide the dose: " if c.trough_ng_ml is not None else ""
    b.add("repeat_trough",
          "Repeat the trough: sample just before the next dose after at least 5–7 days of consistent dosing.",
          "warning",
          level + "; ".join(reasons) + ". A valid trough is drawn just before the next dose at steady "
          "state [seed-6].",
          ["seed-6"])
    return False


# ---------------------------------------------------------------------------------------------
# WORKUP


def _workup_steps(b: _Builder) -> None:
    c = b.case
    detected = _detected(c)
    adherent = _adherence_confirmed(c)
    if not adherent:
        b.fire("WORKUP-1")
        _rec_check_adherence(b)
    if c.drug_interaction_concern:
        b.fire("WORKUP-7")
        _rec_ddi(b)
    if detected:
        b.fire("WORKUP-4")
        _rec_switch_for_mutations(b, detected)
        return
    trough = c.trough_ng_ml
    if trough is not None and (c.days_at_current_dose is not None or c.hours_since_dose is not None):
        if not _sample_valid(b):
            trough = None  # an invalid sample decides nothing
    elif trough is None:
        b.fire("WORKUP-2")
        _rec_measure_trough(b)
    if c.mutations is None:
        b.fire("WORKUP-3")
        _rec_mutation_analysis(b)
    if not adherent or trough is None:
        return
    if trough < TROUGH_TARGET:
        if c.mutations == []:
            b.fire("WORKUP-5")
            _escalate_or_switch(b, trough)
    else:
        b.fire("WORKUP-6")
        _rec_switch_adequate_exposure(b, trough)


def _workup(b: _Builder) -> None:
    status = _classify(b, need_inputs=False)
    if status == "optimal":
        b.assume("The response is optimal by ELN 2020 milestones: no work-up for suboptimal response is needed.")
        _response(b)
        return
    if status == "too_early":
        _response(b)
        return
    if status is None:
        b.assume("Response not classified here (no months on therapy + BCR-ABL1, no classification given): "
                 "the work-up is run as requested for a suboptimal response.")
    _workup_steps(b)


# ---------------------------------------------------------------------------------------------
# TDM


def _tdm(b: _Builder) -> None:
    c = b.case
    if c.trough_ng_ml is None:
        b.need("trough_ng_ml")
        return
    trough = c.trough_ng_ml
    valid = _sample_valid(b)
    if c.days_at_current_dose is not None and c.days_at_current_dose < STEADY_STATE_DAYS:
        b.assume(f"Level reported with a caveat: {_fmt(trough)} ng/mL before steady state underestimates exposure.")
    status = _classify(b)
    if not _adherence_confirmed(c):
        b.fire("TDM-ADH")
        _rec_check_adherence(b)
    if c.drug_interaction_concern:
        b.fire("TDM-DDI")
        _rec_ddi(b)
    suboptimal = status in ("warning", "failure")
    if not valid:
        if suboptimal and c.mutations is None:
            _rec_mutation_analysis(b)
        if (c.ae_grade or 0) >= 3:
            b.assume("Grade ≥ 3 toxicity: manage it clinically now; the invalid sample cannot show whether "
                     "exposure explains it.")
        return
    toxic = c.ae_grade is not None and c.ae_grade >= 3
    if c.ae_grade is None:
        b.assume("Adverse-event grade not given: no severe (grade ≥ 3) toxicity assumed.")
    if toxic:
        b.fire("TDM-TOX")
        if trough >= TROUGH_TARGET:
            dose = _dose(b, "the toxicity step")
            target = TOXICITY_STEPS.get(dose) or next((TOXICITY_STEPS[s] for s in (800, 600, 400) if s < dose), None)
            if dose not in TOXICITY_STEPS and target is not None:
                b.assume(f"{dose} mg/day is not a standard step: the next lower step, {target} mg/day, is used.")
            if target is None:
                b.assume(f"{dose} mg/day is already at or below 300 mg/day: the rule set has no lower step.")
                b.add("switch_tki", "Severe toxicity at the lowest dose step: switch TKI for intolerance.",
                      "critical",
                      f"Grade {c.ae_grade} toxicity at {dose} mg/day; no lower imatinib step is defined, so "
                      f"change to another TKI [seed-2] [eln-2020].", ["seed-2", "eln-2020"],
                      options=SWITCH_AFTER_MAX_DOSE)
            else:
                b.add("reduce_dose_for_toxicity",
                      f"Grade {c.ae_grade} toxicity with trough {_fmt(trough)} ng/mL: reduce {dose} to {target} mg/day.",
                      "critical",
                      f"A high trough may explain severe toxicity, and a dose reduction can help [seed-6]; "
                      f"higher levels go with more grade 3/4 neutropenia, rash, diarrhoea, myalgia and oedema "
                      f"[guilhot-2012] [larson-2008]. Re-check the trough at steady state and keep it at or "
                      f"above 1000 ng/mL [seed-5]. No validated upper limit of imatinib concentration has "
                      f"been established [zhuang-2018].",
                      ["seed-6", "guilhot-2012", "larson-2008", "seed-5", "zhuang-2018"],
                      target_dose_mg=target)
        else:
            b.add("switch_tki", "Severe toxicity not explained by exposure: switch TKI for intolerance.",
                  "critical",
                  f"Grade {c.ae_grade} toxicity with a trough of {_fmt(trough)} ng/mL (below 1000 ng/mL): "
                  f"lowering the dose would also lower an already modest exposure [seed-5] [seed-6]; change to "
                  f"another TKI for intolerance [seed-2]. No validated upper trough limit exists [zhuang-2018].",
                  ["seed-5", "seed-6", "seed-2", "zhuang-2018"], options=SWITCH_AFTER_MAX_DOSE)
    if status is None:
        b.assume("Without a response status the level cannot be judged against efficacy: give months on "
                 "therapy and BCR-ABL1, or the response classification.")
        return
    if status == "too_early":
        _response(b)
        return
    detected = _detected(c)
    if trough < TROUGH_TARGET:
        if suboptimal:
            b.fire("TDM-LOW")
            if detected:
                b.fire("WORKUP-4")
                _rec_switch_for_mutations(b, detected)
            elif c.mutations is None:
                _rec_mutation_analysis(b)
            elif _adherence_confirmed(c) and not toxic:
                _escalate_or_switch(b, trough)
        elif not toxic:
            b.fire("TDM-LOW-OK")
            b.add("continue_current_dose",
                  "Optimal response despite a trough below 1000 ng/mL: continue the current dose.", "info",
                  f"Trough {_fmt(trough)} ng/mL with an optimal response: a level alone does not change the "
                  f"dose of a patient who is responding [eln-2020] [seed-6].",
                  ["eln-2020", "seed-6"])
    else:
        if suboptimal:
            b.fire("TDM-OK")
            if c.mutations is None:
                _rec_mutation_analysis(b)
            _rec_switch_adequate_exposure(b, trough)
        elif not toxic:
            b.fire("TDM-OK-RESP")
            b.add("continue_current_dose",
                  "Adequate exposure and optimal response: continue the current dose.", "info",
                  f"Trough {_fmt(trough)} ng/mL is at or above the 1000 ng/mL target [seed-5] [picard-2007] "
                  f"and the response is optimal [eln-2020].",
                  ["seed-5", "picard-2007", "eln-2020"])


# ---------------------------------------------------------------------------------------------
# RED


def _reduction(b: _Builder) -> None:
    c = b.case
    reasons: List[str] = []
    if c.bcr_abl1_is is None:
        b.need("bcr_abl1_is")
    elif c.bcr_abl1_is > 0.1:
        b.fire("RED-1")
        reasons.append(f"BCR-ABL1 {_fmt(c.bcr_abl1_is)} % IS is above 0.1 %: not in MMR")
        if c.mmr_months is not None and c.mmr_months >= 12:
            b.assume("The current level above 0.1 % outweighs the reported MMR duration.")
    if c.mmr_months is None:
        if not reasons:
            b.need("mmr_months")
    elif c.mmr_months < 12:
        b.fire("RED-2")
        reasons.append(f"MMR sustained for {_fmt(c.mmr_months)} months; at least 12 months (better 1–2 years) is needed")
    if c.months_on_tki is None:
        b.need("months_on_tki")
    elif c.months_on_tki < 36:
        b.fire("RED-3")
        reasons.append(f"{_fmt(c.months_on_tki)} months on therapy; at least 3 years is needed")
    detected = _detected(c)
    if detected or c.prior_tki_failure:
        b.fire("RED-4")
        reasons.append("a resistance mutation (" + ", ".join(detected) + ")" if detected
                       else "an earlier TKI failure")
    if c.prior_tki_failure is None and not detected:
        b.assume("No earlier TKI failure assumed (not given).")
    if c.mmr_months is not None and c.months_on_tki is not None and c.mmr_months > c.months_on_tki:
        b.assume("MMR duration exceeds the time on imatinib: please check both values.")
    if reasons:
        b.add("not_candidate_for_reduction", "Not a candidate for dose reduction now.", "info",
              "Dose reduction needs a stable MMR for at least 12 months (better 1–2 years) after at least "
              "3 years of therapy, with no resistance [seed-1] [seed-3] [clark-2017]. Here: "
              + "; ".join(reasons) + ".",
              ["seed-1", "seed-3", "clark-2017"])
        return
    if b.missing:
        b.assume("Eligibility for reduction cannot be judged until the missing values are given.")
        return
    if not _adherence_confirmed(c):
        b.fire("RED-5")
        _rec_check_adherence(b)
    ae = c.ae_grade
    if ae is None:
        b.assume("Adverse-event grade not given: no significant adverse event assumed.")
    indicated = (ae is not None and ae >= 2) or c.goal in ("tfr", "tolerability")
    if not indicated:
        b.fire("RED-6")
        b.add("continue_current_dose", "Eligible but no indication for reduction: continue the current dose.",
              "info",
              "Reduction is meant for significant adverse events (grade ≥ 2 or affecting quality of life) or as "
              "a step toward treatment-free remission [seed-1].",
              ["seed-1"])
        return
    if not _adherence_confirmed(c):
        b.assume("Reduction is reconsidered once adherence above 90 % is confirmed.")
        return
    dose = _dose(b, "the reduction step")
    b.fire("RED-7")
    tfr = _tfr_ready(b)
    if dose < 400:
        if dose > 300:
            b.assume(f"{dose} mg/day is below the standard 400 mg/day: treated as already reduced.")
        b.add("continue_current_dose", f"Already on a reduced dose ({dose} mg/day): continue it.", "info",
              "Reduced doses such as 300 mg/day kept molecular responses in patients in sustained deep "
              "response [cervantes-2017]; keep the post-reduction monitoring schedule [seed-1].",
              ["cervantes-2017", "seed-1"])
    else:
        target, options = (200, ["300 mg"]) if dose == 400 else (400, [])
        risky = (c.bcr_abl1_is is not None and c.bcr_abl1_is > 0.01) or c.ddpcr_mr45 is False
        if risky:
            b.fire("RED-RISK")
        risk = []
        if c.bcr_abl1_is is not None and c.bcr_abl1_is > 0.01:
            risk.append(f"in MMR but not MR4 ({_fmt(c.bcr_abl1_is)} % IS): in DESTINY 18.8 % of MMR-only "
                        f"patients had molecular recurrence within 12 months vs 2.5 % in MR4 [clark-2017], and "
                        f"3-year recurrence-free survival was 36 % vs 72 % [clark-2019]")
        if c.ddpcr_mr45 is False:
            risk.append("ddPCR did not show MR4.5: failure to reach MR4.5 by ddPCR goes with a higher risk of "
                        "losing MMR or MR4 after reduction (the seed's statement; no primary paper "
                        "found) [seed-3]")
        detail = (f"Reduce from {dose} to {target} mg/day"
                  + (" (half dose, as in DESTINY; 300 mg/day is an alternative)" if dose == 400 else "")
                  + ". MMR maintenance is not compromised by reduction, though MR4 maintenance may be [seed-3]. "
                  + ("Half-dose imatinib (200 mg) for 12 months was studied in DESTINY [clark-2017]; 400 → 300 mg "
                     "in sustained deep response kept MMR in all 43 patients [cervantes-2017]. " if dose == 400 else
                     "Reduction from 800 to 400 mg after MMR gave 88 % 3-year molecular relapse-free survival "
                     "[michel-2019]. ")
                  + ("Higher risk: " + "; ".join(risk) + "." if risk else ""))
        cites = ["seed-1", "seed-3", "clark-2017"] + (["cervantes-2017"] if dose == 400 else ["michel-2019"])
        if c.bcr_abl1_is is not None and c.bcr_abl1_is > 0.01:
            cites.append("clark-2019")
        b.add("reduce_dose", f"Candidate for reduction: {dose} → {target} mg/day"
              + (" (or 300 mg)" if dose == 400 else "") + ", with closer monitoring.",
              "warning" if risky else "info", detail.strip(), cites,
              target_dose_mg=target, options=options)
        b.fire("RED-MON")
        b.add("intensify_monitoring",
              "RQ-PCR on the IS every 4–6 weeks for the first 6–12 months after reduction (≥ 10 mL blood).",
              "info",
              "Monitor BCR-ABL1 by RQ-PCR on the International Scale every 4–6 weeks for the first 6–12 months "
              "[seed-1], from at least 10 mL of peripheral blood [seed-4]. On loss of MMR (two consecutive "
              "results above 0.1 %) resume the standard dose: in DESTINY every patient who lost MMR regained "
              "it within 4 months [clark-2017].",
              ["seed-1", "seed-4", "clark-2017"])
    if tfr:
        b.fire("RED-TFR")
        b.add("consider_tfr", "Treatment-free remission criteria are met: consider a TFR attempt.", "info",
              "TFR needs more than 5 years of TKI and deep molecular response (MR4 or deeper) for more than 2 "
              "years with no earlier failure [eln-2020] (NCCN: at least 3 years of TKI and MR4 for 2 years "
              "[nccn-2020]). After stopping, monitor monthly in months 1–6, every 2 months in months 7–12, "
              "then every 3 months [eln-2020].",
              ["eln-2020", "nccn-2020"])


def _tfr_ready(b: _Builder) -> bool:
    c = b.case
    if c.goal != "tfr":
        return False
    if c.dmr_months is None:
        b.need("dmr_months")
        return False
    if c.bcr_abl1_is is not None and c.bcr_abl1_is > 0.01 and c.dmr_months >= 24:
        b.assume("A current level above 0.01 % is not MR4: the reported MR4 duration is not used for TFR.")
        return False
    return c.months_on_tki is not None and c.months_on_tki >= 60 and c.dmr_months >= 24


# ---------------------------------------------------------------------------------------------
# POST


def _post_reduction(b: _Builder) -> None:
    c = b.case
    reduced = c.on_reduced_dose
    if reduced is None and c.dose_mg is not None and c.dose_mg < c.standard_dose_mg:
        reduced = True
        b.assume(f"On a reduced dose inferred from {c.dose_mg} mg/day below the standard {c.standard_dose_mg} mg/day.")
    if reduced is None:
        b.need("on_reduced_dose")
    if c.bcr_abl1_is is None:
        b.need("bcr_abl1_is")
    if reduced is False:
        b.assume("The patient is not on a reduced dose: the post-reduction rules do not apply; use the "
                 "response assessment.")
        return
    if reduced is None or c.bcr_abl1_is is None:
        return
    detected = _detected(c)
    if detected:
        _classify(b)
        b.fire("WORKUP-4")
        _rec_switch_for_mutations(b, detected)
        return
    if c.bcr_abl1_is > 0.1:
        b.fire("POST-1")
        std = c.standard_dose_mg
        b.add("resume_standard_dose",
              f"MMR lost on the reduced dose: resume the standard {std} mg/day.", "warning",
              f"BCR-ABL1 {_fmt(c.bcr_abl1_is)} % IS is above 0.1 %. Resuming the standard dose is advised; most "
              f"patients regain MMR [seed-1], and in DESTINY all who lost MMR regained it within 4 months "
              f"[clark-2017]. DESTINY defined loss as two consecutive results above 0.1 % [clark-2017].",
              ["seed-1", "clark-2017"], target_dose_mg=std)
        b.add("intensify_monitoring", "Monthly BCR-ABL1 RQ-PCR until MMR is regained.", "info",
              "Check BCR-ABL1 on the IS monthly after resuming the standard dose to confirm that MMR returns "
              "[seed-1] [clark-2017].",
              ["seed-1", "clark-2017"])
    else:
        b.fire("POST-2")
        b.add("continue_current_dose",
              "MMR held on the reduced dose: continue it, with RQ-PCR every 4–6 weeks in the first 6–12 months.",
              "info",
              f"BCR-ABL1 {_fmt(c.bcr_abl1_is)} % IS is at or below 0.1 % (MMR). Keep the reduced dose and test "
              f"every 4–6 weeks for the first 6–12 months after reduction [seed-1] [seed-4].",
              ["seed-1", "seed-4"])


# ---------------------------------------------------------------------------------------------
# MUT


def _mutation(b: _Builder) -> None:
    c = b.case
    if c.mutations is None:
        b.need("mutations")
        b.fire("WORKUP-3")
        _rec_mutation_analysis(b)
        return
    detected = _detected(c)
    if not detected:
        b.assume("No kinase-domain mutation was found: the mutation table does not apply; the choice of "
                 "treatment follows the response assessment.")
        return
    _classify(b, need_inputs=False)
    b.fire("MUT")
    _rec_switch_for_mutations(b, detected)


# ---------------------------------------------------------------------------------------------

_HANDLERS = {
    "response": _response,
    "dose_reduction": _reduction,
    "tdm": _tdm,
    "suboptimal_workup": _workup,
    "mutation": _mutation,
    "post_reduction": _post_reduction,
}


def assess(case: PatientCase, assessment: str) -> Assessment:
    """Run one assessment of the spec on a validated case. Deterministic; no I/O."""
    if assessment not in _HANDLERS:
        raise ValueError(f"unknown assessment {assessment!r}: expected one of {', '.join(ASSESSMENTS)}")
    b = _Builder(case, assessment)
    if case.phase is None:
        b.assume("Phase not given: taken as chronic phase.")
    elif case.phase != "chronic":
        _rec_refer_out_of_scope(b, "RED-SCOPE" if assessment == "dose_reduction" else "SCOPE")
        return b.result()
    _HANDLERS[assessment](b)
    return b.result()

"""The rule engine: a rule is one unit, an assessment is an ordered list of steps.

A :class:`Rule` holds its id, its condition (``when``), what it recommends (``then``) and its
plain-words explanation with inline source keys. A :class:`Step` reads inputs (names what is
missing, states assumptions) and fires nothing. :func:`run` applies the steps of one assessment in
order to a :class:`Context`, then the precedence section of the spec (``precedence.resolve``), in
one place, and builds the :class:`~knowledge.models.Assessment`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, List, Optional, Sequence, Tuple

from .. import thresholds as T
from ..models import Assessment, AssumedInput, Conflict, PatientCase, Recommendation
from ..vocab import RULE_SET_VERSION

_KEY = re.compile(r"\[([a-z0-9]+(?:-[a-z0-9]+)*)\]")


@dataclass
class Draft:
    """A recommendation being built. ``basis`` and ``follows`` serve precedence only."""

    code: str
    summary: str
    indicator: str
    detail: str
    citations: Tuple[str, ...]
    target_dose_mg: Optional[int] = None
    options: Tuple[str, ...] = ()
    avoid: Tuple[str, ...] = ()
    basis: str = ""  # why a switch_tki is given: mutation, exposure, max_dose, intolerance, no_lower_step
    follows: str = ""  # a code this one only accompanies (dropped with it)
    rests_on: Tuple[str, ...] = ()  # input fields the decision rests on (held back when they conflict)

    def recommendation(self) -> Recommendation:
        # Drafts come from this package's own code; their contract (codes, citations in the
        # registry, summary length, target_dose_mg) is checked by tests/cases/test_properties.py on
        # every path, so the pydantic validators are not run again per call.
        return Recommendation.construct(
            code=self.code,
            summary=self.summary,
            indicator=self.indicator,
            detail=self.detail,
            target_dose_mg=self.target_dose_mg,
            options=list(self.options),
            avoid=list(self.avoid),
            citations=list(self.citations),
        )


class Context:
    """One case being assessed: the facts the rules read, and what they have decided so far."""

    def __init__(self, case: PatientCase, assessment: str):
        self.case = case
        self.assessment = assessment
        self.status: Optional[str] = None  # response status, set by the RESP rules
        self.drafts: List[Draft] = []
        self.fired: List[str] = []
        self.missing: List[str] = []
        self.assumptions: List[str] = []
        self.assumed_inputs: List[AssumedInput] = []
        self.detected: List[str] = list(case.mutations or [])
        self.adherent = case.adherence_pct is not None and case.adherence_pct > T.ADHERENCE_CONFIRMED_ABOVE_PCT
        self.conflicts: List[Conflict] = []  # found once, before the rules (precedence.find_conflicts)
        self.contested: set = set()  # the fields named in a conflict

    # --- recording
    def fire(self, rule_id: str) -> None:
        if rule_id not in self.fired:
            self.fired.append(rule_id)

    def need(self, *fields: str) -> None:
        for f in fields:
            if f not in self.missing:
                self.missing.append(f)

    def assume(self, text: str, fills: Optional[Tuple[str, str]] = None) -> None:
        """States an assumption; ``fills`` = (field, value taken) when it stands in for an input not given."""
        if text not in self.assumptions:
            self.assumptions.append(text)
        if fills and fills[0] not in {a.field for a in self.assumed_inputs}:
            self.assumed_inputs.append(AssumedInput(field=fills[0], value=fills[1], why=text))

    def add(self, draft: Draft) -> None:
        if not self.has(draft.code):
            self.drafts.append(draft)

    def has(self, code: str) -> bool:
        return any(d.code == code for d in self.drafts)

    def get(self, code: str) -> Optional[Draft]:
        return next((d for d in self.drafts if d.code == code), None)

    # --- facts about the case
    def given(self, field: str) -> bool:
        """The input is known (a BCR-ABL1 of 0 is not: it is "undetectable" without its sensitivity)."""
        if field == "bcr_abl1_is":
            return self.level is not None
        return getattr(self.case, field) is not None

    @property
    def level(self) -> Optional[float]:
        """The latest BCR-ABL1 (% IS); a 0 is "undetectable" without its sensitivity, so no level (spec v1.2)."""
        level = self.case.bcr_abl1_is
        return None if level == 0 else level

    @property
    def months(self) -> Optional[float]:
        return self.case.months_on_tki

    @property
    def milestone_data(self) -> bool:
        """Months and level both known, and the months not contradicted by another value."""
        return self.months is not None and self.level is not None and "months_on_tki" not in self.contested

    @property
    def severe(self) -> bool:
        """A current grade ≥ 3 adverse event (TOX)."""
        return self.case.ae_grade is not None and self.case.ae_grade >= T.SEVERE_AE_GRADE

    @property
    def suboptimal(self) -> bool:
        return self.status in ("warning", "failure")

    @property
    def dosing(self) -> str:
        """The schedule given, else 800 mg/day as twice daily (spec) and anything else as once daily."""
        if self.case.dosing:
            return self.case.dosing
        return "twice_daily" if self.case.dose_mg == T.MAX_DOSE_MG else "once_daily"

    @property
    def before_steady_state(self) -> bool:
        days = self.case.days_at_current_dose
        return days is not None and days < T.STEADY_STATE_DAYS

    @property
    def outside_window(self) -> bool:
        hours = self.case.hours_since_dose
        if hours is None:
            return False
        lo, hi = T.TROUGH_WINDOWS_H[self.dosing]
        return not lo <= hours <= hi

    @property
    def implausible_trough(self) -> bool:
        """Below 100 or above 10,000 ng/mL: queried, not acted on (spec v1.2, an operational convention)."""
        t = self.case.trough_ng_ml
        return t is not None and not T.TROUGH_IMPLAUSIBLE_BELOW_NG_ML <= t <= T.TROUGH_IMPLAUSIBLE_ABOVE_NG_ML

    @property
    def usable_trough(self) -> Optional[float]:
        """The trough a rule may act on: none when the sample is not valid (TDM-SS, TDM-TIME) or implausible."""
        if self.case.trough_ng_ml is None or self.before_steady_state or self.outside_window:
            return None
        if self.implausible_trough:
            return None
        return self.case.trough_ng_ml

    @property
    def low_trough(self) -> bool:
        return self.usable_trough is not None and self.usable_trough < T.TROUGH_TARGET_NG_ML

    @property
    def adequate_trough(self) -> bool:
        return self.usable_trough is not None and self.usable_trough >= T.TROUGH_TARGET_NG_ML

    @property
    def investigating(self) -> bool:
        """The question is why the response falls short (or which TKI a mutation allows)."""
        if self.assessment == "response":
            return self.status == "failure"
        if self.assessment == "suboptimal_workup":
            return self.status not in ("optimal", "too_early")
        if self.assessment == "tdm":
            return self.suboptimal
        return self.assessment == "mutation"

    @property
    def in_workup(self) -> bool:
        """The suboptimal-response work-up runs (its own assessment, or a failure in ``response``)."""
        return self.investigating and self.assessment in ("response", "suboptimal_workup")

    def dose(self, purpose: str) -> Optional[int]:
        """The current dose, or None: a missing dose is named as missing and no target is built on a guess
        (spec v1.2); the step is then said relative to the dose ("400 → 600 or 600 → 800")."""
        if self.case.dose_mg is not None:
            return self.case.dose_mg
        self.need("dose_mg")
        self.assume(
            f"Current dose not given: {purpose} is said as a step, without a target dose.",
            fills=("dose_mg", "not given: no target dose"),
        )
        return None


@dataclass(frozen=True)
class Rule:
    id: str
    explain: str  # plain words for "why?", with inline source keys
    when: Callable[[Context], bool]
    then: Callable[[Context], Iterable[Draft]] = field(default=lambda c: ())

    @property
    def citations(self) -> List[str]:
        return _KEY.findall(self.explain)

    def apply(self, c: Context) -> None:
        if self.when(c):
            c.fire(self.id)
            for draft in self.then(c) or ():
                c.add(draft)


@dataclass(frozen=True)
class Step:
    """Reads inputs for the rules that follow: lists what is missing, states assumptions."""

    do: Callable[[Context], None]

    def apply(self, c: Context) -> None:
        self.do(c)


def needs(*fields: str, when: Callable[[Context], bool] = lambda c: True) -> Step:
    def do(c: Context) -> None:
        if when(c):
            c.need(*(f for f in fields if not c.given(f)))

    return Step(do)


def note(
    text: Callable[[Context], str], when: Callable[[Context], bool], fills: Optional[Tuple[str, str]] = None
) -> Step:
    def do(c: Context) -> None:
        if when(c):
            c.assume(text(c), fills)

    return Step(do)


def run(c: Context, steps: Sequence, resolve: Callable[[Context], None]) -> Assessment:
    for step in steps:
        step.apply(c)
    resolve(c)
    return Assessment.construct(
        rule_set_version=RULE_SET_VERSION,
        assessment=c.assessment,
        response_status=c.status or c.case.response_status,
        recommendations=[d.recommendation() for d in c.drafts],
        missing_inputs=c.missing,
        conflicts=c.conflicts,
        assumptions=c.assumptions,
        rules_fired=c.fired,
        assumed_inputs=c.assumed_inputs,
    )

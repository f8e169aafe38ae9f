"""Read a patient's FHIR R4 resources into the facts the decision module needs.

Every resource is parsed with ``fhir.resources`` (6.5.0: its models are FHIR 4.3.0, R4B, which differs
from R4 only in modules not read here); a resource that does not validate is left out and
counted, never half-read. What is read, and how:

| fact | FHIR | codes |
|---|---|---|
| CML | ``Condition.code`` | SNOMED CT 92818009; ICD-10 C92.1; ICD-10-CM C92.10–C92.12; or the words |
| phase | ``Condition.stage.summary`` (text or display) | read by ``knowledge.normalize`` ("chronic phase") |
| BCR-ABL1 % IS | ``Observation`` | LOINC 69380-4, ``valueQuantity`` in %, or ``valueString`` ("MR4.5") |
| imatinib level | ``Observation`` | LOINC 57844-3 or 103609-4 (24 h after the dose); any unit the normaliser reads |
| adherence | ``Observation`` | LOINC 71799-1 when given as a percentage (a coded answer is not one) |
| mutations | mCODE GenomicVariant ``Observation`` | LOINC 69548-6: gene ABL1, amino-acid change, Present/Absent |
| imatinib courses | ``MedicationRequest``, ``MedicationStatement`` | RxNorm 403878, 403879 or the name; dose, dates |
| goal | ``Goal.description`` | "treatment-free remission", "side effects": read by ``knowledge.normalize`` |

Values in text (a level in µmol/L, "MR4.5", a phase, a goal) go through ``knowledge.normalize``, the
same reader as the chat's. Nothing here guesses: what is missing, ambiguous or contradictory is left
out and said in ``Chart.notes``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Tuple

from fhir.resources import construct_fhir_element
from pydantic import ValidationError

from knowledge import mutations as mut
from knowledge.normalize import NormalizationError, normalize

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
ICD10 = ("http://hl7.org/fhir/sid/icd-10", "http://hl7.org/fhir/sid/icd-10-cm")
UCUM = "http://unitsofmeasure.org"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"

BCR_ABL1_IS = "69380-4"
IMATINIB_LEVEL = "57844-3"
IMATINIB_TROUGH_24H = "103609-4"
ADHERENCE = "71799-1"
GENOMIC_VARIANT = "69548-6"
GENE_STUDIED = "48018-6"
AMINO_ACID_CHANGE = "48005-3"
PRESENT, ABSENT = "LA9633-4", "LA9634-2"
SNOMED_CML = "92818009"
ICD10_CML = ("C92.1", "C92.10", "C92.11", "C92.12")
RXNORM_IMATINIB = ("403878", "403879")  # imatinib 100 mg / 400 mg oral tablet (SCD)
OBSERVATION_CODES = (BCR_ABL1_IS, IMATINIB_LEVEL, IMATINIB_TROUGH_24H, ADHERENCE, GENOMIC_VARIANT)

RESULT_STATUSES = ("final", "amended", "corrected")
ORDER_STATUSES = ("active", "on-hold", "completed", "stopped")  # draft: the order being checked
STATEMENT_STATUSES = ("active", "on-hold", "completed", "stopped")
HOURS_24H_TROUGH = 24.0
_PER_DAY = {"d": 1.0, "h": 1 / 24.0, "wk": 7.0}
_TIMING_CODES = {"QD": 1, "BID": 2}
_IMATINIB_WORDS = re.compile(r"\b(imatinib|gleevec|glivec)\b", re.I)
_CML_WORDS = re.compile(r"chronic myel(?:oid|ogenous) leuk[a]?emia|\bCML\b", re.I)


# --- small readers ---------------------------------------------------------------------------


def texts(concept: Any) -> List[str]:
    """The words of a CodeableConcept: its text and every coding's display."""
    if concept is None:
        return []
    out = [concept.text] if concept.text else []
    out += [c.display for c in concept.coding or [] if c.display]
    return out


def has_code(concept: Any, system: Any, codes: Iterable[str]) -> bool:
    systems = (system,) if isinstance(system, str) else tuple(system)
    return concept is not None and any(c.system in systems and c.code in tuple(codes) for c in concept.coding or [])


def day_of(value: Any) -> Tuple[Optional[dt.date], Optional[str]]:
    """A FHIR date/dateTime as a day, or None with the reason (a year alone is too imprecise)."""
    if value is None:
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    m = re.fullmatch(r"(\d{4})-(\d{2})", str(value))
    if m:
        day = dt.date(int(m.group(1)), int(m.group(2)), 1)
        return day, f"the date {value} is given to the month only: taken as {day.isoformat()}"
    return None, f"the date {value} is too imprecise to count from"


def number(value: Any) -> float:
    return float(value)


def component_values(obs: Any, code: str) -> List[str]:
    """The codes and words of an Observation's components with this LOINC code."""
    out: List[str] = []
    for comp in obs.component or []:
        if has_code(comp.code, LOINC, (code,)):
            concept = comp.valueCodeableConcept
            out += [c.code for c in (concept.coding or [] if concept else []) if c.code] + texts(concept)
            out += [comp.valueString] if comp.valueString else []
    return out


# --- what is read ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    """One BCR-ABL1 result on the IS."""

    day: dt.date
    pct: float
    shown: str  # as reported, e.g. "< 0.0032 %"


@dataclass(frozen=True)
class Trough:
    day: dt.date
    ng_ml: float
    shown: str  # as reported, e.g. "2.1 umol/L"
    hours: Optional[float]  # after the dose, when the code says it
    notes: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Dose:
    daily_mg: Optional[int]
    per_day: Optional[int]  # administrations a day
    problem: Optional[str] = None  # why the dose could not be read

    @property
    def dosing(self) -> Optional[str]:
        return {1: "once_daily", 2: "twice_daily"}.get(self.per_day)

    def words(self) -> str:
        if self.daily_mg is None:
            return "dose not readable"
        if self.per_day == 2:
            return f"{self.daily_mg // 2} mg twice daily ({self.daily_mg} mg/day)"
        return f"{self.daily_mg} mg once daily" if self.per_day == 1 else f"{self.daily_mg} mg/day"


@dataclass(frozen=True)
class Course:
    """One imatinib order or statement: a dose over a period."""

    kind: str  # "MedicationRequest" or "MedicationStatement"
    status: str
    start: Optional[dt.date]
    end: Optional[dt.date]
    dose: Dose
    reasons: Tuple[str, ...] = ()  # words of reasonCode

    @property
    def active(self) -> bool:
        return self.status == "active"


@dataclass
class Chart:
    """The facts read from one patient's resources, and what was left out or assumed."""

    cml: bool = False
    phases: List[str] = field(default_factory=list)
    courses: List[Course] = field(default_factory=list)
    levels: List[Level] = field(default_factory=list)
    troughs: List[Trough] = field(default_factory=list)
    adherence: List[Tuple[dt.date, float]] = field(default_factory=list)
    variants: List[Tuple[dt.date, Optional[str], bool]] = field(default_factory=list)  # day, name, present
    goals: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


# --- dose of a Dosage ---------------------------------------------------------------------------


def read_dose(dosages: Iterable[Any]) -> Dose:
    """The total daily dose in mg of the first Dosage, from its dose quantity and its timing."""
    dosages = list(dosages or [])
    if not dosages:
        return Dose(None, None, "no dosage instruction")
    d = dosages[0]
    quantity = next((r.doseQuantity for r in d.doseAndRate or [] if r.doseQuantity is not None), None)
    if quantity is None or quantity.value is None:
        return Dose(None, None, "no dose quantity")
    unit = (quantity.code or quantity.unit or "").strip()
    if unit not in ("mg", "g"):
        return Dose(None, None, f"dose unit {unit or 'missing'!r} is not mg")
    mg = number(quantity.value) * (1000 if unit == "g" else 1)
    per_day = None
    timing = d.timing
    if timing is not None and timing.repeat is not None and timing.repeat.frequency is not None:
        r = timing.repeat
        days = _PER_DAY.get(r.periodUnit or "")
        if days is None or not r.period:
            return Dose(None, None, f"schedule period {r.period} {r.periodUnit} is not per day")
        per_day_f = r.frequency / (number(r.period) * days)
        if per_day_f.is_integer():
            per_day = int(per_day_f)
    elif timing is not None and timing.code is not None:
        per_day = next((n for c in timing.code.coding or [] for k, n in _TIMING_CODES.items() if c.code == k), None)
    if per_day is None:
        return Dose(None, None, "the schedule does not say how many doses a day")
    daily = mg * per_day
    if not daily.is_integer():
        return Dose(None, per_day, f"{daily:g} mg/day is not a whole number of mg")
    return Dose(int(daily), per_day)


# --- the chart ------------------------------------------------------------------------------------


def _resources(raw: Iterable[Any]) -> Iterable[Dict[str, Any]]:
    for item in raw:
        if not isinstance(item, dict):
            continue
        if item.get("resourceType") == "Bundle":
            yield from _resources(e.get("resource") for e in item.get("entry") or [] if isinstance(e, dict))
        else:
            yield item


def of_patient(resource: Any, patient_id: Optional[str]) -> bool:
    """The resource's subject (or patient) is this patient (any resource, when no patient is named)."""
    ref = getattr(resource, "subject", None) or getattr(resource, "patient", None)
    if patient_id is None:
        return True
    return ref is not None and (ref.reference or "").endswith(f"Patient/{patient_id}")


class _Reader:
    def __init__(self, patient_id: Optional[str]):
        self.patient_id = patient_id
        self.chart = Chart()
        self.medications: Dict[str, Any] = {}
        self.unreadable: Dict[str, int] = {}
        self.other_patient = 0

    def parse(self, raw: Iterable[Any]) -> List[Any]:
        parsed = []
        for item in _resources(raw):
            kind = item.get("resourceType")
            if kind not in READERS and kind != "Medication":
                continue
            try:
                resource = construct_fhir_element(kind, item)
            except (ValidationError, ValueError, TypeError, LookupError):
                self.unreadable[kind] = self.unreadable.get(kind, 0) + 1
                continue
            if kind == "Medication":
                self.medications[f"Medication/{resource.id}"] = resource
                continue
            if not of_patient(resource, self.patient_id):
                self.other_patient += 1
                continue
            parsed.append(resource)
        return parsed

    def read(self, raw: Iterable[Any]) -> Chart:
        for resource in self.parse(raw):
            READERS[resource.resource_type](self, resource)
        c = self.chart
        for kind, n in sorted(self.unreadable.items()):
            c.note(f"{n} {kind} resource(s) could not be read as FHIR R4 and were left out.")
        if self.other_patient:
            c.note(f"{self.other_patient} resource(s) of another patient were left out.")
        c.levels.sort(key=lambda v: v.day)
        c.troughs.sort(key=lambda t: t.day)
        c.adherence.sort()
        c.courses.sort(key=lambda k: k.start or dt.date.min)
        return c

    # --- Condition
    def condition(self, cond: Any) -> None:
        if has_code(cond.verificationStatus, CONDITION_VERIFICATION, ("refuted", "entered-in-error")):
            return
        words = " ".join(texts(cond.code))
        if not (
            has_code(cond.code, SNOMED, (SNOMED_CML,))
            or has_code(cond.code, ICD10, ICD10_CML)
            or _CML_WORDS.search(words)
        ):
            return
        self.chart.cml = True
        for stage in cond.stage or []:
            for text in texts(stage.summary):
                try:
                    phase = normalize("phase", text).value
                except NormalizationError:
                    self.chart.note(f"CML stage {text!r} is not a phase the rules read (chronic, accelerated, blast).")
                    continue
                if phase not in self.chart.phases:
                    self.chart.phases.append(phase)

    # --- Observation
    def observation(self, obs: Any) -> None:
        code = next((c.code for c in obs.code.coding or [] if c.system == LOINC and c.code in OBSERVATION_CODES), None)
        if code is None:
            return
        label = {BCR_ABL1_IS: "BCR-ABL1", ADHERENCE: "adherence", GENOMIC_VARIANT: "mutation analysis"}.get(
            code, "imatinib level"
        )
        if obs.status not in RESULT_STATUSES:
            self.chart.note(f"A {label} result with status '{obs.status}' was left out (only final results are read).")
            return
        day, why = day_of(obs.effectiveDateTime or (obs.effectivePeriod.start if obs.effectivePeriod else None))
        if day is None:
            self.chart.note(f"A {label} result without a usable date was left out" + (f" ({why})." if why else "."))
            return
        if why:
            self.chart.note(f"{label}: {why}.")
        if code == BCR_ABL1_IS:
            self._level(obs, day)
        elif code in (IMATINIB_LEVEL, IMATINIB_TROUGH_24H):
            self._trough(obs, day, code)
        elif code == ADHERENCE:
            self._adherence(obs, day)
        else:
            self._variant(obs, day)

    def _level(self, obs: Any, day: dt.date) -> None:
        q = obs.valueQuantity
        if q is not None and q.value is not None:
            unit = (q.code or q.unit or "").strip()
            if unit != "%":
                self.chart.note(
                    f"The BCR-ABL1 result of {day} is in {unit or 'no unit'!r}, not in % IS: left out (ask the "
                    f"laboratory for the percentage)."
                )
                return
            value = number(q.value)
            shown = f"{q.comparator or ''} {value:g} %".strip()
            if q.comparator in ("<", "<="):
                self.chart.note(f"The BCR-ABL1 result of {day} ({shown}) is taken as {value:g} %, its upper bound.")
            elif q.comparator in (">", ">="):
                self.chart.note(f"The BCR-ABL1 result of {day} ({shown}) is taken as {value:g} %, its lower bound.")
            self.chart.levels.append(Level(day, value, shown))
            return
        if obs.valueString:
            try:
                read = normalize("bcr_abl1_is", obs.valueString)
            except NormalizationError as exc:
                self.chart.note(f"The BCR-ABL1 result of {day} could not be read ({exc.message}): left out.")
                return
            for a in read.assumptions:
                self.chart.note(f"BCR-ABL1 result of {day}: {a}.")
            self.chart.levels.append(Level(day, read.value, obs.valueString.strip()))
            return
        self.chart.note(f"The BCR-ABL1 result of {day} has no value: left out.")

    def _trough(self, obs: Any, day: dt.date, code: str) -> None:
        q = obs.valueQuantity
        if q is None or q.value is None:
            self.chart.note(f"The imatinib level of {day} has no value: left out.")
            return
        shown = f"{number(q.value):g} {(q.unit or q.code or '').strip()}".strip()
        try:
            read = normalize("trough_ng_ml", shown)
        except NormalizationError as exc:
            self.chart.note(f"The imatinib level of {day} could not be read ({exc.message}): left out.")
            return
        hours = HOURS_24H_TROUGH if code == IMATINIB_TROUGH_24H else None
        notes = tuple(read.assumptions)
        if hours is not None:
            notes += (f"drawn {hours:g} h after the dose (LOINC {IMATINIB_TROUGH_24H}: a 24-hour post-dose level)",)
        self.chart.troughs.append(Trough(day, round(read.value, 2), shown, hours, notes))

    def _adherence(self, obs: Any, day: dt.date) -> None:
        q = obs.valueQuantity
        if q is not None and q.value is not None and (q.code or q.unit or "").strip() == "%":
            self.chart.adherence.append((day, number(q.value)))
            return
        words = ", ".join(texts(obs.valueCodeableConcept)) or obs.valueString or "no value"
        self.chart.note(
            f"Adherence of {day} is recorded as '{words}', not as a percentage of doses taken: not counted as "
            f"confirmed."
        )

    def _variant(self, obs: Any, day: dt.date) -> None:
        genes = component_values(obs, GENE_STUDIED)
        if not any("ABL1" in g.upper() or g.upper() == "HGNC:76" for g in genes):
            return  # another gene: not a BCR-ABL1 kinase-domain result
        value = obs.valueCodeableConcept
        present = has_code(value, LOINC, (PRESENT,)) or any(t.lower() == "present" for t in texts(value))
        absent = has_code(value, LOINC, (ABSENT,)) or any(t.lower() == "absent" for t in texts(value))
        if not present and not absent:
            self.chart.note(f"The mutation analysis of {day} says neither present nor absent: left out.")
            return
        if absent:
            self.chart.variants.append((day, None, False))
            return
        changes = component_values(obs, AMINO_ACID_CHANGE)
        name = None
        for change in changes:
            protein = re.sub(r"[()]", "", change.split(":")[-1])
            try:
                name = mut.normalize_mutation(protein)
                break
            except ValueError:
                continue
        if name is None:
            self.chart.note(
                f"An ABL1 variant reported present on {day} could not be read as a kinase-domain substitution "
                f"({', '.join(changes) or 'no amino-acid change given'}): check the report."
            )
        self.chart.variants.append((day, name, True))

    # --- medication
    def _medication_words(self, resource: Any) -> Tuple[Any, List[str]]:
        concept = resource.medicationCodeableConcept
        if concept is None and resource.medicationReference is not None:
            ref = resource.medicationReference.reference or ""
            contained = {f"#{r.id}": r for r in resource.contained or [] if r.resource_type == "Medication"}
            med = contained.get(ref) or next((m for k, m in self.medications.items() if ref.endswith(k)), None)
            concept = med.code if med is not None else None
            extra = [resource.medicationReference.display] if resource.medicationReference.display else []
            return concept, texts(concept) + extra
        return concept, texts(concept)

    def is_imatinib(self, resource: Any) -> bool:
        concept, words = self._medication_words(resource)
        return has_code(concept, RXNORM, RXNORM_IMATINIB) or any(_IMATINIB_WORDS.search(w) for w in words)

    def medication_request(self, req: Any) -> None:
        if req.status not in ORDER_STATUSES or not self.is_imatinib(req):
            return
        bounds = _bounds(req.dosageInstruction)
        start, why = day_of(bounds.start if bounds and bounds.start else req.authoredOn)
        end, _ = day_of(bounds.end if bounds else None)
        self._course("MedicationRequest", req, start, end, why, read_dose(req.dosageInstruction))

    def medication_statement(self, st: Any) -> None:
        if st.status not in STATEMENT_STATUSES or not self.is_imatinib(st):
            return
        period = st.effectivePeriod
        start, why = day_of(period.start if period else st.effectiveDateTime)
        end, _ = day_of(period.end if period else None)
        self._course("MedicationStatement", st, start, end, why, read_dose(st.dosage))

    def _course(self, kind: str, res: Any, start, end, why: Optional[str], dose: Dose) -> None:
        if why:
            self.chart.note(f"Imatinib {dose.words()}: {why}.")
        if dose.problem:
            self.chart.note(f"An imatinib {kind} has a dose that cannot be read ({dose.problem}).")
        reasons = tuple(t for concept in res.reasonCode or [] for t in texts(concept))
        self.chart.courses.append(Course(kind, res.status, start, end, dose, reasons))

    # --- Goal
    def goal(self, goal: Any) -> None:
        if goal.lifecycleStatus not in ("active", "accepted"):
            return
        for text in texts(goal.description):
            try:
                value = normalize("goal", text).value
            except NormalizationError:
                continue
            if value and value not in self.chart.goals:
                self.chart.goals.append(value)


def _bounds(dosages: Iterable[Any]) -> Any:
    for d in dosages or []:
        if d.timing is not None and d.timing.repeat is not None and d.timing.repeat.boundsPeriod is not None:
            return d.timing.repeat.boundsPeriod
    return None


READERS = {
    "Condition": _Reader.condition,
    "Observation": _Reader.observation,
    "MedicationRequest": _Reader.medication_request,
    "MedicationStatement": _Reader.medication_statement,
    "Goal": _Reader.goal,
}


def read_chart(resources: Iterable[Any], patient_id: Optional[str] = None) -> Chart:
    """The facts of one patient's resources (Bundles are opened); resources of another patient are left out."""
    return _Reader(patient_id).read(resources)


def parse_order(raw: Dict[str, Any], medications: Iterable[Any] = ()) -> Tuple[Optional[Any], bool]:
    """A draft MedicationRequest parsed, and whether it orders imatinib (``medications``: Medication dicts)."""
    reader = _Reader(None)
    reader.parse(list(medications))
    try:
        req = construct_fhir_element("MedicationRequest", raw)
    except (ValidationError, ValueError, TypeError, LookupError):
        return None, False
    return req, reader.is_imatinib(req)

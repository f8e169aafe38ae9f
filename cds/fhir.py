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
| mutations | genomic variant ``Observation`` | LOINC 69548-6: gene ABL1, p.HGVS (a c.HGVS alone is said), Present |
| imatinib courses | ``MedicationRequest``, ``MedicationStatement`` | RxNorm ``RXNORM_IMATINIB`` or the name |
| goal | ``Goal.description`` | "treatment-free remission", "side effects": read by ``knowledge.normalize`` |

Values in text (a level in µmol/L, "MR4.5", a phase, a goal) go through ``knowledge.normalize``, the
same reader as the chat's. Nothing here guesses: what is missing, ambiguous or contradictory is left
out and said in ``Chart.notes``; what could not be read at all (a resource that is not R4, a
medication named only by an unreadable reference, a resource kind the EHR could not give) is kept in
``Chart.unparsed`` / ``Chart.unresolved`` / ``Chart.unread``, so that ``cds.case`` can tell "not
applicable" from "could not tell".

BCR-ABL1 as laboratories send it (decision spec v1.2, section 5): ``%``, ``% (IS)``, ``%IS`` are the
percentage on the IS; a ratio is not a percentage (asked for, so left out and said); ``0 %``,
"undetectable" or "not detected" is read as its sensitivity's bound when the result states it
("undetectable, MR4.5", "< 0.0032 %", in the value or a note) and is otherwise left out with the
question (which MR level did the laboratory reach?), never read as a true 0. (``knowledge.normalize``
still reads a bare ``0 %`` as 0; the result of zero is caught here first.)
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Tuple

from fhir.resources import construct_fhir_element
from pydantic import ValidationError

from knowledge import normalize_mutation, out_of_range
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
AMINO_ACID_CHANGE = "48005-3"  # p.HGVS
DNA_CHANGE = "48004-6"  # c.HGVS
GENOMIC_DNA_CHANGE = "81290-9"  # g.HGVS
VARIATION_CODE = "81252-9"  # e.g. ClinVar
PRESENT, ABSENT = "LA9633-4", "LA9634-2"
SNOMED_CML = "92818009"
ICD10_CML = ("C92.1", "C92.10", "C92.11", "C92.12")
# Every RxNorm code read as imatinib: the one list (README, "From FHIR to the case"). Checked against
# public RxNorm data: openFDA's NDC directory maps the generic imatinib tablets to 403878 and 403879
# (a 400-mg-only product to 403879 alone) and Novartis's Gleevec tablets (NDC 0078-0401, 0078-0649)
# to 403878, 403879, 404588 and 404589; 282388 is the ingredient (the VICC therapy normaliser and
# DGIdb give rxcui:282388 for "imatinib"). The strength is read from the dose, never from the code.
RXNORM_IMATINIB = {
    "282388": "imatinib (ingredient, IN)",
    "403878": "imatinib 100 MG Oral Tablet (SCD)",
    "403879": "imatinib 400 MG Oral Tablet (SCD)",
    "404588": "Gleevec 100 MG Oral Tablet (SBD)",
    "404589": "Gleevec 400 MG Oral Tablet (SBD)",
}
OBSERVATION_CODES = (BCR_ABL1_IS, IMATINIB_LEVEL, IMATINIB_TROUGH_24H, ADHERENCE, GENOMIC_VARIANT)

RESULT_STATUSES = ("final", "amended", "corrected")
ORDER_STATUSES = ("active", "on-hold", "completed", "stopped")  # draft: the order being checked
STATEMENT_STATUSES = ("active", "on-hold", "completed", "stopped")
HOURS_24H_TROUGH = 24.0
_PER_DAY = {"d": 1.0, "h": 1 / 24.0, "wk": 7.0}
_TIMING_CODES = {"QD": 1, "BID": 2}
_IMATINIB_WORDS = re.compile(r"\b(imatinib|gleevec|glivec)\b", re.I)
SNOMED_NOT_DETECTED = "260415000"
_PERCENT_UNIT = re.compile(r"^(?:%|percent)\s*(?:[(\[{]?\s*IS\s*[)\]}]?)?$", re.I)
_RATIO_UNIT = re.compile(r"^(?:1|\{ratio\}|ratio|\{?ratio\s*\(?IS\)?\}?)$", re.I)
_UNDETECTED = re.compile(r"undetect|not\s+detected|none\s+detected|\bnegative\b|\bND\b", re.I)
_ZERO = re.compile(r"^\s*0+(?:[.,]0*)?\s*(?:%\s*(?:[(\[{]?\s*IS\s*[)\]}]?)?)?\s*$", re.I)
_MR_WORD = re.compile(r"\b(MR\s*4[.,]5|MR\s*4|MR\s*5|MR\s*3|MMR)\b", re.I)
_BOUND = re.compile(
    r"(?:<|≤|<=|below|sensitivity(?:\s+of)?|limit of detection(?:\s+of)?|LOD)\s*(\d+(?:[.,]\d+)?(?:e-?\d+)?)\s*%", re.I
)
_PROTEIN = re.compile(r"p\.\(?([A-Za-z]{1,3}\d{1,4}[A-Za-z]{1,3})\)?")
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
    product: Optional[Dict[str, Any]] = None  # medicationCodeableConcept as FHIR JSON, when coded

    @property
    def active(self) -> bool:
        return self.status == "active"


@dataclass(frozen=True)
class Variant:
    """One ABL1 kinase-domain analysis: a named substitution, found or not, or a variant not named."""

    day: dt.date
    name: Optional[str]  # "T315I"; None when none was found, or when the variant could not be named
    present: bool
    described: str = ""  # how the record writes an unnamed variant (its DNA change), for the card


@dataclass
class Chart:
    """The facts read from one patient's resources, and what was left out, assumed or not readable."""

    cml: bool = False
    phases: List[str] = field(default_factory=list)
    courses: List[Course] = field(default_factory=list)
    levels: List[Level] = field(default_factory=list)
    unread_levels: List[Tuple[dt.date, str]] = field(default_factory=list)  # BCR-ABL1 results not read, why
    troughs: List[Trough] = field(default_factory=list)
    adherence: List[Tuple[dt.date, float]] = field(default_factory=list)
    variants: List[Variant] = field(default_factory=list)
    goals: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)
    unread: Dict[str, str] = field(default_factory=dict)  # resource type the EHR could not give → why
    unparsed: Dict[str, int] = field(default_factory=dict)  # resource type → how many were not FHIR R4
    unresolved: List[str] = field(default_factory=list)  # active orders whose medication could not be read
    unmatched: Dict[str, int] = field(default_factory=dict)  # type → how many name their patient by identifier only

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def unknown(self, *kinds: str) -> List[str]:
        """Why resources of these kinds may be missing from the chart (none: every one was read)."""
        out = [f"{KIND_WORDS.get(k, k)}: {self.unread[k]}" for k in kinds if k in self.unread]
        out += [
            f"{self.unparsed[k]} {k} resource(s) could not be read as FHIR R4" for k in kinds if self.unparsed.get(k)
        ]
        out += [
            f"{self.unmatched[k]} {k} resource(s) name their patient by an identifier only"
            for k in kinds
            if self.unmatched.get(k)
        ]
        return out


KIND_WORDS = {
    "Condition": "the CML diagnosis and phase (Condition)",
    "Observation": "the results (Observation: BCR-ABL1, imatinib levels, adherence, mutation analyses)",
    "MedicationRequest": "the imatinib orders (MedicationRequest)",
    "MedicationStatement": "the imatinib statements (MedicationStatement)",
    "Goal": "the goals (Goal)",
}


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
    if mg <= 0:
        return Dose(None, None, f"a dose of {mg:g} mg is not a dose")
    per_day = None
    timing = d.timing
    if timing is not None and timing.repeat is not None and timing.repeat.frequency is not None:
        r = timing.repeat
        days = _PER_DAY.get(r.periodUnit or "")
        if days is None or not r.period or number(r.period) <= 0:
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
    problem = out_of_range("dose_mg", daily)
    if problem:
        return Dose(None, per_day, f"a total of {problem}")
    return Dose(int(daily), per_day)


def r4_dosage(raw: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """A MedicationRequest/Statement written with ``doseQuantity`` directly on ``Dosage`` (the STU3
    shape, as in the CDS Hooks library's own "Example (R4)" of order-sign), rewritten as R4
    ``doseAndRate``; None when it has no such dosage."""
    key = "dosageInstruction" if raw.get("resourceType") == "MedicationRequest" else "dosage"
    dosages = raw.get(key)
    if not isinstance(dosages, list) or not any(
        isinstance(d, dict) and ("doseQuantity" in d or "doseRange" in d) for d in dosages
    ):
        return None
    fixed = copy.deepcopy(raw)
    for d in fixed[key]:
        if isinstance(d, dict) and ("doseQuantity" in d or "doseRange" in d):
            rate = {k: d.pop(k) for k in ("doseQuantity", "doseRange") if k in d}
            d.setdefault("doseAndRate", []).insert(0, rate)
    return fixed


def parse(kind: str, raw: Dict[str, Any]) -> Tuple[Optional[Any], Optional[str]]:
    """A resource parsed as FHIR R4 (or None), and a note when it was read from the STU3 dosage shape."""
    try:
        return construct_fhir_element(kind, raw), None
    except (ValidationError, ValueError, TypeError, LookupError, RecursionError):
        pass
    fixed = r4_dosage(raw) if kind in ("MedicationRequest", "MedicationStatement") else None
    if fixed is not None:
        try:
            return construct_fhir_element(kind, fixed), "doseQuantity directly on Dosage (the STU3 shape)"
        except (ValidationError, ValueError, TypeError, LookupError, RecursionError):
            pass
    return None, None


# --- the chart ------------------------------------------------------------------------------------


def _resources(raw: Iterable[Any], urls: Dict[str, str]) -> Iterable[Dict[str, Any]]:
    """Every resource of ``raw`` (Bundles opened); ``urls`` collects each entry's fullUrl → Type/id."""
    for item in raw:
        if not isinstance(item, dict):
            continue
        if item.get("resourceType") == "Bundle":
            for e in item.get("entry") or []:
                if not isinstance(e, dict) or not isinstance(e.get("resource"), dict):
                    continue
                r = e["resource"]
                if isinstance(e.get("fullUrl"), str) and isinstance(r.get("id"), str):
                    urls[e["fullUrl"]] = f"{r.get('resourceType')}/{r['id']}"
                yield from _resources([r], urls)
        else:
            yield item


def reference_to(ref: Optional[str], urls: Optional[Dict[str, str]] = None) -> str:
    """A reference as ``Type/id``: a Bundle's ``urn:uuid:`` fullUrl resolved, a version (``/_history/n``)
    and a server base removed."""
    ref = (ref or "").strip()
    if urls and ref in urls:
        return urls[ref]
    ref = re.sub(r"/_history/[^/]+$", "", ref)
    m = re.search(r"([A-Za-z]+/[A-Za-z0-9\-.]{1,64})$", ref)
    return m.group(1) if m else ref


def of_patient(resource: Any, patient_id: Optional[str], urls: Optional[Dict[str, str]] = None) -> bool:
    """The resource's subject (or patient) is this patient (any resource, when no patient is named): by
    reference, absolute, versioned or a ``urn:uuid:`` fullUrl of the Bundle (Synthea's)."""
    ref = getattr(resource, "subject", None) or getattr(resource, "patient", None)
    if patient_id is None:
        return True
    if ref is None or not ref.reference:
        return False
    if ref.reference.strip() == f"urn:uuid:{patient_id}":
        return True
    return reference_to(ref.reference, urls) == f"Patient/{patient_id}"


def _names_no_patient(resource: Any) -> bool:
    ref = getattr(resource, "subject", None) or getattr(resource, "patient", None)
    return ref is not None and not ref.reference and ref.identifier is not None


class _Reader:
    def __init__(self, patient_id: Optional[str]):
        self.patient_id = patient_id
        self.chart = Chart()
        self.medications: Dict[str, Any] = {}
        self.urls: Dict[str, str] = {}
        self.other_patient = 0
        self.stu3_dosage = 0

    def parse(self, raw: Iterable[Any]) -> List[Any]:
        parsed = []
        items = list(_resources(raw, self.urls))
        for item in items:
            kind = item.get("resourceType")
            if kind not in READERS and kind != "Medication":
                continue
            resource, shape = parse(kind, item)
            if resource is None:
                self.chart.unparsed[kind] = self.chart.unparsed.get(kind, 0) + 1
                continue
            self.stu3_dosage += bool(shape)
            if kind == "Medication":
                self.medications[f"Medication/{resource.id}"] = resource
                continue
            if not of_patient(resource, self.patient_id, self.urls):
                if _names_no_patient(resource):
                    self.chart.unmatched[kind] = self.chart.unmatched.get(kind, 0) + 1
                else:
                    self.other_patient += 1
                continue
            parsed.append(resource)
        return parsed

    def read(self, raw: Iterable[Any], unread: Optional[Dict[str, str]] = None) -> Chart:
        c = self.chart
        c.unread = dict(unread or {})
        for resource in self.parse(raw):
            READERS[resource.resource_type](self, resource)
        for kind, n in sorted(c.unparsed.items()):
            c.note(f"{n} {kind} resource(s) could not be read as FHIR R4 and were left out.")
        if self.stu3_dosage:
            c.note(
                f"{self.stu3_dosage} imatinib record(s) write doseQuantity directly on Dosage (the STU3 shape): "
                f"read as R4 doseAndRate."
            )
        if self.other_patient:
            c.note(f"{self.other_patient} resource(s) of another patient were left out.")
        if c.unmatched:
            c.note(
                f"{sum(c.unmatched.values())} resource(s) name their patient by an identifier only, which cannot be "
                f"matched to this patient: left out."
            )
        for kind in ("MedicationStatement", "Goal"):
            if kind in c.unread:
                c.note(f"{KIND_WORDS[kind][0].upper()}{KIND_WORDS[kind][1:]} could not be read ({c.unread[kind]}).")
        c.levels.sort(key=lambda v: v.day)
        c.unread_levels.sort()
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

    def _unread_level(self, day: dt.date, why: str) -> None:
        self.chart.unread_levels.append((day, why))
        self.chart.note(f"The BCR-ABL1 result of {day} {why}: left out.")

    def _level(self, obs: Any, day: dt.date) -> None:
        q = obs.valueQuantity
        if q is not None and q.value is not None:
            value = number(q.value)
            unit = (q.unit or q.code or "").strip()
            percent = q.code == "%" if q.system == UCUM and q.code else bool(_PERCENT_UNIT.match(unit))
            if not percent:
                if _RATIO_UNIT.match(unit) or (q.system == UCUM and q.code in ("1", "{ratio}")):
                    why = (
                        f"is a ratio ({value:g}), not a percentage: as a percentage it would be {value * 100:g} %; "
                        f"ask the laboratory for the result in % IS"
                    )
                else:
                    why = f"is in {unit or 'no unit'!r}, not in % IS (ask the laboratory for the percentage)"
                self._unread_level(day, why)
                return
            if value == 0 and not q.comparator:
                self._undetectable(obs, day, "0 %")
                return
            shown = f"{q.comparator or ''} {value:g} %".strip()
            if q.comparator in ("<", "<="):
                self.chart.note(f"The BCR-ABL1 result of {day} ({shown}) is taken as {value:g} %, its upper bound.")
            elif q.comparator in (">", ">="):
                self.chart.note(f"The BCR-ABL1 result of {day} ({shown}) is taken as {value:g} %, its lower bound.")
            self.chart.levels.append(Level(day, value, shown))
            return
        words = " ".join(texts(obs.valueCodeableConcept))
        if has_code(obs.valueCodeableConcept, SNOMED, (SNOMED_NOT_DETECTED,)):
            words = (words + " not detected").strip()
        text = (obs.valueString or words or "").strip()
        if text:
            if _UNDETECTED.search(text) or _ZERO.match(text):
                self._undetectable(obs, day, text)
                return
            try:
                read = normalize("bcr_abl1_is", text)
            except NormalizationError as exc:
                self._unread_level(day, f"could not be read ({exc.message})")
                return
            for a in read.assumptions:
                self.chart.note(f"BCR-ABL1 result of {day}: {a}.")
            self.chart.levels.append(Level(day, read.value, text))
            return
        absent = ", ".join(texts(obs.dataAbsentReason))
        self._unread_level(day, f"has no value ({absent})" if absent else "has no value")

    def _undetectable(self, obs: Any, day: dt.date, shown: str) -> None:
        """A result of zero or "undetectable": the bound of the sensitivity the result states, else unread."""
        said = " ".join([obs.valueString or "", *texts(obs.valueCodeableConcept), *(n.text for n in obs.note or [])])
        mr, bound = _MR_WORD.search(said), _BOUND.search(said)
        sensitivity = f"< {bound.group(1)} %" if bound else (mr.group(1).replace(" ", "") if mr else None)
        if sensitivity is None:
            self._unread_level(
                day,
                f"is {shown!r}, which laboratories also write for 'undetectable', and gives no sensitivity: which "
                f"MR level did the laboratory reach (MR4, MR4.5, MR5)? Not read as a value",
            )
            return
        try:
            read = normalize("bcr_abl1_is", sensitivity)
        except NormalizationError as exc:
            self._unread_level(day, f"is {shown!r} with a sensitivity that could not be read ({exc.message})")
            return
        self.chart.note(
            f"The BCR-ABL1 result of {day} ({shown}) is undetectable at the stated sensitivity ({sensitivity}): "
            f"taken as {read.value:g} %, its bound."
        )
        self.chart.levels.append(Level(day, read.value, f"undetectable ({sensitivity})"))

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
        if not any(re.search(r"\bABL1\b", g.upper()) or g.upper() == "HGNC:76" for g in genes):
            return  # another gene: not a BCR-ABL1 kinase-domain result
        value = obs.valueCodeableConcept
        present = has_code(value, LOINC, (PRESENT,)) or any(t.lower() == "present" for t in texts(value))
        absent = has_code(value, LOINC, (ABSENT,)) or any(t.lower() == "absent" for t in texts(value))
        if not present and not absent:
            self.chart.note(f"The mutation analysis of {day} says neither present nor absent: left out.")
            return
        if absent:
            self.chart.variants.append(Variant(day, None, False))
            return
        changes = component_values(obs, AMINO_ACID_CHANGE)
        dna = [v for code in (DNA_CHANGE, GENOMIC_DNA_CHANGE, VARIATION_CODE) for v in component_values(obs, code)]
        name = None
        for change in changes + dna:  # a p.HGVS, or one written beside a DNA change: "c.1076T>G (p.Phe359Cys)"
            m = _PROTEIN.search(change)
            candidates = [m.group(1)] if m else []
            if change in changes:
                candidates.append(re.sub(r"[()]", "", change.split(":")[-1]))
            for candidate in candidates:
                try:
                    name = normalize_mutation(candidate)
                    break
                except ValueError:
                    continue
            if name:
                break
        if name is None:
            described = "; ".join(dict.fromkeys(changes + dna)) or "no amino-acid or DNA change given"
            self.chart.note(
                f"An ABL1 variant reported present on {day} could not be named as a kinase-domain substitution "
                f"({described}): the protein change (p.HGVS) is needed."
            )
            self.chart.variants.append(Variant(day, None, True, described))
            return
        self.chart.variants.append(Variant(day, name, True))

    # --- medication
    def medication_of(self, resource: Any) -> Tuple[List[Any], List[str], Optional[str]]:
        """The medication's concepts (its code and ingredients) and words, and the reference that could
        not be read when the medication is named only by it."""
        concept = resource.medicationCodeableConcept
        if concept is not None or resource.medicationReference is None:
            return [concept], texts(concept), None
        ref = resource.medicationReference.reference or ""
        contained = {f"#{r.id}": r for r in resource.contained or [] if r.resource_type == "Medication"}
        med = contained.get(ref) or self.medications.get(reference_to(ref, self.urls))
        concepts = [med.code] + [i.itemCodeableConcept for i in med.ingredient or []] if med is not None else []
        words = [w for c in concepts for w in texts(c)]
        display = resource.medicationReference.display
        words += [display] if display else []
        return concepts, words, (ref or "a reference without a target") if med is None and not display else None

    def is_imatinib(self, resource: Any) -> bool:
        concepts, words, _ = self.medication_of(resource)
        return any(has_code(c, RXNORM, RXNORM_IMATINIB) for c in concepts) or any(
            _IMATINIB_WORDS.search(w) for w in words
        )

    def _unresolved(self, kind: str, res: Any) -> None:
        _, _, ref = self.medication_of(res)
        if ref is None:
            return
        if res.status in ("active", "on-hold"):
            self.chart.unresolved.append(
                f"an {res.status} {kind} names its medication only as {ref}, which could not be read"
            )
        else:
            self.chart.note(
                f"A {res.status} {kind} names its medication only as {ref}, which could not be read: if it was "
                f"imatinib, the time on imatinib may be longer."
            )

    def medication_request(self, req: Any) -> None:
        if req.status not in ORDER_STATUSES:
            return
        if not self.is_imatinib(req):
            self._unresolved("MedicationRequest", req)
            return
        bounds = _bounds(req.dosageInstruction)
        start, why = day_of(bounds.start if bounds and bounds.start else req.authoredOn)
        end, _ = day_of(bounds.end if bounds else None)
        self._course("MedicationRequest", req, start, end, why, read_dose(req.dosageInstruction))

    def medication_statement(self, st: Any) -> None:
        if st.status not in STATEMENT_STATUSES:
            return
        if not self.is_imatinib(st):
            self._unresolved("MedicationStatement", st)
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
        concept = res.medicationCodeableConcept
        product = concept.dict() if concept is not None and concept.coding else None
        self.chart.courses.append(Course(kind, res.status, start, end, dose, reasons, product))

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


def read_chart(
    resources: Iterable[Any], patient_id: Optional[str] = None, unread: Optional[Dict[str, str]] = None
) -> Chart:
    """The facts of one patient's resources (Bundles are opened); resources of another patient are left out.
    ``unread``: the resource types the EHR could not give, and why (``cds.fetch.Gathered.unread``)."""
    return _Reader(patient_id).read(resources, unread)


@dataclass(frozen=True)
class Draft:
    """A draft MedicationRequest of an order hook, parsed."""

    resource: Optional[Any]  # None: not FHIR R4
    medication: str  # "imatinib", "other" or "unknown" (named only by a reference that could not be read)
    note: Optional[str] = None  # how it was read, or why it could not be


def parse_order(raw: Dict[str, Any], medications: Iterable[Any] = ()) -> Draft:
    """A draft MedicationRequest parsed, and whether it orders imatinib (``medications``: Medication dicts)."""
    reader = _Reader(None)
    reader.parse(list(medications))
    req, shape = parse("MedicationRequest", raw)
    if req is None:
        words = json.dumps(raw.get("medicationCodeableConcept") or raw.get("medicationReference") or {})
        imatinib = bool(_IMATINIB_WORDS.search(words)) or any(f'"{c}"' in words for c in RXNORM_IMATINIB)
        return Draft(None, "imatinib" if imatinib else "other", "it is not a valid FHIR R4 MedicationRequest")
    if reader.is_imatinib(req):
        return Draft(req, "imatinib", f"written with {shape}: read as R4 doseAndRate" if shape else None)
    _, _, ref = reader.medication_of(req)
    if ref is not None:
        return Draft(req, "unknown", f"its medication is named only as {ref}, which could not be read")
    return Draft(req, "other")

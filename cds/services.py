"""The CDS services: what each hook asks of the record, which assessments it runs, and its cards.

**patient-view** (``imatinib-patient-view``): for a patient with CML and an active imatinib course,
the assessment that fits where the patient stands, as a clinician would pick it:

1. accelerated or blast phase → ``response`` (which refers: out of scope);
2. a detected kinase-domain mutation → ``mutation`` (the mutation decides, spec precedence);
3. on a reduced dose → ``post_reduction``;
4. otherwise the milestones: failure → ``suboptimal_workup`` (the work-up the response assessment
   would include); else ``response``, and, when the response is optimal and BCR-ABL1 is at or below
   MMR, ``dose_reduction`` too (eligibility, and TFR when the record's goal is TFR);
5. a trough measured on the current dose → ``tdm`` as well (except beside a work-up, which reads it).

**order-select / order-sign** (``imatinib-order-select``, ``imatinib-order-sign``): each draft imatinib
``MedicationRequest`` (for order-select, the selected ones) is a proposed daily dose, compared with
the current dose from the record: a higher dose is checked by ``suboptimal_workup`` (or, back to the
dose before a reduction, ``post_reduction``), a lower one by ``dose_reduction`` (the order's
``reasonCode`` gives the goal: "side effects", "treatment-free remission"). When the rules name a
dose, an order that matches gets an info card; one that does not gets a card whose suggestions
update the draft to the rules' dose (``selectionBehavior: at-most-one``); a change the rules do not
support gets a warning with the reasons and, unless a switch or a referral is advised, a suggestion
to keep the current dose (the current order's regimen and product, not the draft's schedule). A
renewal at the same dose gets a card only when the record calls for a switch, a referral or a dose
change.

Nothing unreadable is answered with silence: a record that could not be read enough to assess gets
one info card saying what could not be read (``cards.unreadable_card``), an ABL1 variant reported
present but not named gets ``cards.variant_card``, a newest BCR-ABL1 result that could not be read
puts its date in the summary (warning) instead of an assessment on an older result, and an imatinib
draft that is not R4 gets a card saying it was not checked.
"""

from __future__ import annotations

import copy
import logging
import re
import uuid
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Tuple

from fhir.resources import construct_fhir_element
from pydantic import ValidationError

from audit import WRITER
from knowledge import Assessment, assess_request
from knowledge import thresholds as T
from knowledge.normalize import NormalizationError, normalize

from . import cards as C
from .case import RecordCase
from .chat import dose_words, link
from .fetch import BadRequest
from .fhir import (
    ICD10,
    ICD10_CML,
    LOINC,
    OBSERVATION_CODES,
    SNOMED,
    SNOMED_CML,
    UCUM,
    Course,
    Dose,
    parse_order,
    read_dose,
    reference_to,
    texts,
)

logger = logging.getLogger(__name__)

_PATIENT = "{{context.patientId}}"
PREFETCH = {
    "conditions": f"Condition?patient={_PATIENT}&code="
    + ",".join([f"{SNOMED}|{SNOMED_CML}"] + [f"{s}|{c}" for s in ICD10 for c in ICD10_CML]),
    "observations": f"Observation?patient={_PATIENT}&code=" + ",".join(f"{LOINC}|{c}" for c in OBSERVATION_CODES),
    "medicationRequests": f"MedicationRequest?patient={_PATIENT}",
    "medicationStatements": f"MedicationStatement?patient={_PATIENT}",
    "goals": f"Goal?patient={_PATIENT}",
}
OPTIONAL = ("medicationStatements", "goals")  # a card can be given without them (and says so)
USAGE = (
    "For clinicians caring for adults with chronic myeloid leukaemia on imatinib. Reads the CML Condition, "
    "BCR-ABL1 (LOINC 69380-4, % IS), imatinib levels (57844-3, 103609-4), adherence (71799-1, as %), "
    "mCODE genomic variants (69548-6), imatinib MedicationRequest/MedicationStatement and Goal. "
    "Decision support only: not a substitute for clinical judgement."
)
CHANGE_CODES = ("switch_tki", "refer_specialist", "escalate_dose", "reduce_dose_for_toxicity", "resume_standard_dose")


@dataclass(frozen=True)
class Service:
    id: str
    hook: str
    title: str
    description: str
    run: Callable[..., List[Dict[str, Any]]]

    def discovery(self) -> Dict[str, Any]:
        return {
            "hook": self.hook,
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "prefetch": PREFETCH,
            "usageRequirements": USAGE,
        }


@dataclass
class Call:
    """What a service call gives the handlers."""

    service_id: str
    rc: RecordCase
    context: Dict[str, Any]
    chat_url: str


def assess(name: str, fields: Dict[str, Any]) -> Optional[Assessment]:
    result, errors = assess_request({**fields, "assessment": name})
    if errors:  # the case was validated when it was read; log the fields only, never values
        logger.error("assessment %s refused the case: %s", name, ", ".join(e["field"] for e in errors))
    return result


def record(call: Call, card: Dict[str, Any], a: Assessment, fields: Dict[str, Any]) -> None:
    """The audit row of a card: keyed by the card's uuid (hashed), as feedback refers to it."""
    WRITER.submit(card["uuid"], f"cds-hooks/{call.service_id}", fields, a.dict())


def make_card(call: Call, name: str, a: Assessment, fields: Dict[str, Any], **kw: Any) -> Optional[Dict[str, Any]]:
    card = C.card(name, a, call.rc, fields, [link(call.chat_url, name, fields)], **kw)
    if card is not None:
        record(call, card, a, fields)
    return card


# --- patient-view ---------------------------------------------------------------------------------


def plan(fields: Dict[str, Any]) -> List[str]:
    """The assessments for a patient, in the order of the cards (see the module docstring)."""
    if fields.get("phase") in ("accelerated", "blast"):
        return ["response"]
    if fields.get("mutations"):
        return ["mutation"]
    if fields.get("on_reduced_dose"):
        out = ["post_reduction"]
    else:
        response = assess("response", fields)
        status = response.response_status if response else None
        if status == "failure":
            out = ["suboptimal_workup"]
        else:
            out = ["response"]
            level = fields.get("bcr_abl1_is")
            if status == "optimal" and level is not None and level <= T.MMR_PCT:
                out.append("dose_reduction")
    if "trough_ng_ml" in fields and out[0] != "suboptimal_workup":
        out.append("tdm")
    return out


def unread_latest(rc: RecordCase, a: Assessment) -> Dict[str, Any]:
    """A card whose BCR-ABL1 result is missing because the newest one could not be read says so first."""
    if rc.latest_unread is None or "bcr_abl1_is" not in a.missing_inputs:
        return {}
    day, why = rc.latest_unread
    return {
        "summary": f"The latest BCR-ABL1 result ({day}) could not be read: not assessed on older results.",
        "indicator": "warning",
        "lead": f"The latest BCR-ABL1 result ({day}) {why}. No older result stands in for it.",
    }


def not_assessed(call: Call, lead: Optional[str] = None) -> Optional[Dict[str, Any]]:
    """The card of a record that cannot be assessed as it is (see the module docstring), or None."""
    if call.rc.blocked:
        return C.unreadable_card(call.rc, lead)
    if call.rc.applies and call.rc.unnamed_variant is not None:
        return C.variant_card(call.rc, lead)
    return None


def patient_view(call: Call) -> List[Dict[str, Any]]:
    card = not_assessed(call)
    if card is not None or not call.rc.applies:
        return [card] if card else []
    out = []
    for name in plan(call.rc.fields):
        fields = call.rc.fields_for(name)
        a = assess(name, fields)
        card = a and make_card(call, name, a, fields, **unread_latest(call.rc, a))
        if card:
            out.append(card)
    return out


# --- order-select / order-sign ---------------------------------------------------------------------


def check_context(hook: str, context: Dict[str, Any]) -> None:
    """The order hooks' REQUIRED context (hook library 1.0): ``draftOrders`` a Bundle, and for
    order-select ``selections`` a list of references."""
    if hook not in ("order-select", "order-sign"):
        return
    drafts = context.get("draftOrders")
    if not isinstance(drafts, dict) or drafts.get("resourceType") != "Bundle":
        raise BadRequest("context.draftOrders must be a FHIR Bundle of the draft orders")
    if not isinstance(drafts.get("entry", []), list):
        raise BadRequest("context.draftOrders.entry must be a list")
    selections = context.get("selections")
    if hook == "order-select" and (not isinstance(selections, list) or not all(isinstance(x, str) for x in selections)):
        raise BadRequest("context.selections must be a list of references such as MedicationRequest/123")


def draft_orders(context: Dict[str, Any], selected_only: bool) -> List[Tuple[Dict[str, Any], List[Dict[str, Any]]]]:
    """The draft MedicationRequests of ``context.draftOrders`` (selected ones for order-select)."""
    entries = [e.get("resource") for e in (context.get("draftOrders") or {}).get("entry") or [] if isinstance(e, dict)]
    entries = [r for r in entries if isinstance(r, dict)]
    meds = [r for r in entries if r.get("resourceType") == "Medication"]
    orders = [r for r in entries if r.get("resourceType") == "MedicationRequest"]
    if selected_only:
        chosen = {s for s in context.get("selections") or [] if isinstance(s, str)}
        orders = [r for r in orders if f"MedicationRequest/{r.get('id')}" in chosen]
    return [(r, meds) for r in orders]


def _option_doses(options: List[str]) -> List[int]:
    return [int(m.group(1)) for o in options for m in [re.fullmatch(r"(\d+) mg", o.strip())] if m]


def _valid(resource: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    try:
        construct_fhir_element("MedicationRequest", resource)
    except (ValidationError, ValueError, TypeError):
        return None
    return resource


def _with_dose(raw: Dict[str, Any], dose: Dose, daily: int) -> Optional[Dict[str, Any]]:
    """The draft order in its entirety with a new total daily dose (same schedule), or None."""
    if not dose.per_day or daily % dose.per_day:
        return None
    per_dose = daily // dose.per_day
    new = copy.deepcopy(raw)
    instruction = new["dosageInstruction"][0]
    for rate in instruction.get("doseAndRate") or []:
        if "doseQuantity" in rate:
            quantity = {"value": per_dose, "unit": "mg", "system": UCUM, "code": "mg"}
            rate["doseQuantity"] = {**rate["doseQuantity"], **quantity}
            break
    if "text" in instruction:
        instruction["text"] = f"{per_dose} mg " + ("twice daily" if dose.per_day == 2 else "once daily")
    return _valid(new)


def _current_regimen(raw: Dict[str, Any], current: Course) -> Optional[Dict[str, Any]]:
    """The draft order in its entirety with the current order's regimen (dose per administration and
    doses a day, the draft's start kept) and, when the current order is coded, its product: "keep the
    current dose" must not become a schedule or a strength that was never prescribed."""
    dose = current.dose
    if not dose.daily_mg or not dose.per_day or dose.daily_mg % dose.per_day:
        return None
    per_dose = dose.daily_mg // dose.per_day
    new = copy.deepcopy(raw)
    instruction = new["dosageInstruction"][0]
    quantity = {"value": per_dose, "unit": "mg", "system": UCUM, "code": "mg"}
    rates = instruction.get("doseAndRate") or []
    rate = next((r for r in rates if "doseQuantity" in r), None)
    if rate is None:
        return None
    rate["doseQuantity"] = {**rate["doseQuantity"], **quantity}
    timing = instruction.get("timing") or {}
    bounds = {k: v for k, v in (timing.get("repeat") or {}).items() if k.startswith("bounds")}
    instruction["timing"] = {"repeat": {**bounds, "frequency": dose.per_day, "period": 1, "periodUnit": "d"}}
    if "text" in instruction:
        instruction["text"] = f"{per_dose} mg " + ("twice daily" if dose.per_day == 2 else "once daily")
    if current.product:
        new.pop("medicationReference", None)
        new["medicationCodeableConcept"] = current.product
    return _valid(new)


def suggestion(label: str, recommended: bool, resource: Optional[Dict[str, Any]], description: str):
    if resource is None:
        return None
    return {
        "label": label,
        "uuid": str(uuid.uuid4()),
        "isRecommended": recommended,
        "actions": [{"type": "update", "description": description, "resource": resource}],
    }


def change_to(raw: Dict[str, Any], dose: Dose, daily: int, recommended: bool) -> Optional[Dict[str, Any]]:
    words = dose_words(daily, dose.dosing)
    description = (
        f"Change the draft imatinib order to {words} (the draft's schedule; check that the product ordered comes "
        f"in this strength)."
    )
    return suggestion(f"Change the order to {daily} mg/day", recommended, _with_dose(raw, dose, daily), description)


def keep_current(raw: Dict[str, Any], current: Course) -> Optional[Dict[str, Any]]:
    words = dose_words(current.dose.daily_mg, current.dose.dosing)
    product = texts_of(current.product)
    description = f"Change the draft imatinib order back to the current regimen, {words}" + (
        f", {product} (the current order's product)." if product else " (the current order's schedule)."
    )
    label = f"Keep the current {current.dose.daily_mg} mg/day"
    return suggestion(label, True, _current_regimen(raw, current), description)


def texts_of(concept: Optional[Dict[str, Any]]) -> str:
    if not concept:
        return ""
    return concept.get("text") or next((c.get("display") for c in concept.get("coding") or [] if c.get("display")), "")


def _goal_of(req: Any) -> Optional[str]:
    for concept in req.reasonCode or []:
        for text in texts(concept):
            try:
                value = normalize("goal", text).value
            except NormalizationError:
                continue
            if value:
                return value
    return None


def _not_checked(call: Call, fields: Dict[str, Any], why: str) -> Optional[Dict[str, Any]]:
    a = assess("response", fields)
    summary = f"Imatinib order not checked against the rules: {why}."
    lead = f"The dose change could not be checked: {why}."
    return a and make_card(call, "response", a, fields, summary=summary, indicator="warning", lead=lead)


def order_card(call: Call, raw: Dict[str, Any], meds: List[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    draft = parse_order(raw, meds)
    rc = call.rc
    req = draft.resource
    if draft.medication == "other" or not (rc.applies or rc.blocked):
        return None  # not an imatinib order, or not a patient on imatinib for CML: nothing to check
    subject = (raw.get("subject") or {}).get("reference") if isinstance(raw.get("subject"), dict) else None
    if subject is not None and reference_to(str(subject)) != f"Patient/{call.context.get('patientId')}":
        return None  # another patient's order
    card = not_assessed(call, "A draft imatinib order is under review.")
    if card is not None:
        return card
    fields = {**rc.fields}
    if req is None or draft.medication == "unknown":
        return _not_checked(call, fields, f"the draft order could not be read ({draft.note})")
    proposed = read_dose(req.dosageInstruction)
    current = rc.fields.get("dose_mg")
    goal = _goal_of(req)
    fields = {**rc.fields, **({"goal": goal} if goal else {})}
    if proposed.daily_mg is None or current is None:
        why = proposed.problem if proposed.daily_mg is None else "the current dose is not readable from the record"
        return _not_checked(call, fields, why)
    new = proposed.daily_mg
    change = f"imatinib {current} → {new} mg/day"
    shape = f" The draft is {draft.note}; no update of it is offered." if draft.note else ""
    if new == current:
        name = plan(fields)[0]
        fields = {**rc.fields_for(name), **({"goal": goal} if goal else {})}
        a = assess(name, fields)
        if a is None or not any(r.code in CHANGE_CODES for r in a.recommendations):
            return None
        lead = f"This order renews imatinib at {current} mg/day, while the record calls for a change.{shape}"
        return make_card(call, name, a, fields, lead=lead)
    if new > current:
        back = rc.fields.get("on_reduced_dose") and new <= rc.fields.get("standard_dose_mg", T.STANDARD_DOSE_MG)
        name = "post_reduction" if back else "suboptimal_workup"
    else:
        name = "dose_reduction"
    fields = {**rc.fields_for(name), **({"goal": goal} if goal else {})}
    a = assess(name, fields)
    if a is None:
        return None
    lead = f"Order under review: {change}.{shape}"
    if rc.latest_unread is not None:
        lead += f" The latest BCR-ABL1 result ({rc.latest_unread[0]}) could not be read: it {rc.latest_unread[1]}."
    dosed = [r for r in a.recommendations if r.target_dose_mg is not None]
    if dosed:
        rec = dosed[0]
        allowed = [rec.target_dose_mg] + _option_doses(rec.options)
        if new in allowed:
            return make_card(call, name, a, fields, lead=lead + " It agrees with the rules.")
        summary = f"Imatinib {new} mg/day ordered; the rules suggest {rec.target_dose_mg} mg/day."
        kept = [] if draft.note else [change_to(raw, proposed, d, i == 0) for i, d in enumerate(allowed)]
        kept = [k for k in kept if k]
        return make_card(call, name, a, fields, summary=summary, indicator="warning", lead=lead, suggestions=kept)
    keep = None
    if not draft.note and not any(r.code in ("switch_tki", "refer_specialist") for r in a.recommendations):
        keep = keep_current(raw, rc.current)
    summary = f"The rules do not support {change} now"
    why = f"{summary}: {a.recommendations[0].summary}" if a.recommendations else ""
    summary = why if 0 < len(why) < C.SUMMARY_LIMIT else f"{summary}; see the reasons."
    keep_list = [keep] if keep else None
    return make_card(call, name, a, fields, summary=summary, indicator="warning", lead=lead, suggestions=keep_list)


def orders(call: Call, selected_only: bool) -> List[Dict[str, Any]]:
    out = []
    for raw, meds in draft_orders(call.context, selected_only):
        card = order_card(call, raw, meds)
        if card:
            out.append(card)
    return out


_ALL = (
    Service(
        "imatinib-patient-view",
        "patient-view",
        "Imatinib in CML: response, work-up, dose reduction and TFR",
        "From the chart's BCR-ABL1 series, imatinib orders, levels and mutation results: where the patient "
        "stands against the ELN 2020 milestones, the next steps of a suboptimal response, eligibility for "
        "dose reduction and treatment-free remission, and the trough level, each with its sources.",
        patient_view,
    ),
    Service(
        "imatinib-order-select",
        "order-select",
        "Imatinib dose change check (order-select)",
        "Checks a selected imatinib MedicationRequest's daily dose against the rules for escalation, "
        "reduction and resumption, and suggests the rules' dose when it differs.",
        lambda call: orders(call, selected_only=True),
    ),
    Service(
        "imatinib-order-sign",
        "order-sign",
        "Imatinib dose change check (order-sign)",
        "Checks each draft imatinib MedicationRequest's daily dose against the rules for escalation, "
        "reduction and resumption before signing, and suggests the rules' dose when it differs.",
        lambda call: orders(call, selected_only=False),
    ),
)
SERVICES: Dict[str, Service] = {s.id: s for s in _ALL}

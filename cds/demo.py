"""The FHIR searches of the prefetch templates, run on a Bundle: demo requests and the tests' fake server.

Supports exactly what ``cds.services.PREFETCH`` asks: ``Type/id`` reads and ``Type?patient=…&code=…``
searches (``code`` a comma-separated list of ``system|code`` or ``code``), answered as a searchset.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any, Dict, List, Optional
from urllib.parse import parse_qs, unquote

from .fetch import render
from .services import PREFETCH

CODE_ELEMENT = {
    "Observation": "code",
    "Condition": "code",
    "MedicationRequest": "medicationCodeableConcept",
    "MedicationStatement": "medicationCodeableConcept",
}


def resources(bundle: Dict[str, Any]) -> List[Dict[str, Any]]:
    return [e["resource"] for e in bundle.get("entry") or [] if isinstance(e, dict) and "resource" in e]


def _codes_match(resource: Dict[str, Any], wanted: List[str]) -> bool:
    concept = resource.get(CODE_ELEMENT.get(resource["resourceType"], "code")) or {}
    for coding in concept.get("coding") or []:
        for w in wanted:
            system, _, code = w.rpartition("|")
            if coding.get("code") == code and (not system or coding.get("system") == system):
                return True
    return False


def search(bundle: Dict[str, Any], query: str) -> Optional[Dict[str, Any]]:
    """The answer a FHIR server would give to one read or search of the templates."""
    path, _, qs = unquote(query).partition("?")
    if not qs:
        kind, _, rid = path.partition("/")
        return next((r for r in resources(bundle) if r["resourceType"] == kind and r.get("id") == rid), None)
    params = {k: v[0] for k, v in parse_qs(qs).items()}
    patient = f"Patient/{params.get('patient', '')}"
    wanted = [c for c in params.get("code", "").split(",") if c]
    found = [
        r
        for r in resources(bundle)
        if r["resourceType"] == path
        and (r.get("subject") or r.get("patient") or {}).get("reference", "").endswith(patient)
        and (not wanted or _codes_match(r, wanted))
    ]
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(found),
        "entry": [{"resource": r} for r in found],
    }


def patient_id(bundle: Dict[str, Any]) -> str:
    return next(r["id"] for r in resources(bundle) if r["resourceType"] == "Patient")


def request(
    bundle: Dict[str, Any],
    hook: str = "patient-view",
    draft: Optional[Dict[str, Any]] = None,
    prefetch: bool = True,
) -> Dict[str, Any]:
    """A CDS Hooks request for the bundle's patient, its prefetch answered from the bundle."""
    context: Dict[str, Any] = {"userId": "Practitioner/demo", "patientId": patient_id(bundle)}
    if hook in ("order-select", "order-sign"):
        context["draftOrders"] = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": draft}]}
        if hook == "order-select":
            context["selections"] = [f"MedicationRequest/{draft['id']}"]
    body: Dict[str, Any] = {"hook": hook, "hookInstance": str(uuid.uuid4()), "context": context}
    if prefetch:
        body["prefetch"] = {key: search(bundle, render(t, context)) for key, t in PREFETCH.items()}
    return body


def load(path: str) -> Dict[str, Any]:
    return json.loads(Path(path).read_text())

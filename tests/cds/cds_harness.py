"""What the CDS Hooks tests share: the synthetic patients (FHIR R4 Bundles in tests/fixtures/fhir)."""

import json
from pathlib import Path
from typing import Any, Dict, List

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "fhir"


def bundle(name: str) -> Dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def bundles() -> List[str]:
    return sorted(p.stem for p in FIXTURES.glob("*.json"))

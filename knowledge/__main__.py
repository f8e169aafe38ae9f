"""Command-line interface, the module's public contract.

    python -m knowledge assess FILE|-        Assessment JSON on stdout, exit 0
    python -m knowledge normalize FIELD TEXT {"field", "value", "assumptions"} on stdout, exit 0
    python -m knowledge demo                 one worked assessment, rendered

Invalid input or arguments: exit 2 and {"errors": [{"field", "message"}]} on stderr, nothing on stdout.
(The audit trail's commands are ``python -m audit``: storage lives beside the actions.)
"""

from __future__ import annotations

import json
import sys
from typing import List, Optional

from .cli import Parser, fail


def _assess(path: str) -> int:
    from .api import assess_request

    try:
        if path == "-":
            raw = sys.stdin.read()
        else:
            with open(path, encoding="utf-8") as fh:
                raw = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        return fail([{"field": "FILE", "message": f"cannot read {path!r}: {exc.__class__.__name__}"}])
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        return fail([{"field": "__root__", "message": f"invalid JSON: {str(exc)[:200]}"}])
    result, errors = assess_request(data)
    if errors:
        return fail(errors)
    sys.stdout.write(result.json() + "\n")
    return 0


def _normalize(field: str, text: str) -> int:
    from .normalize import NormalizationError, normalize

    try:
        value = normalize(field, text)
    except NormalizationError as exc:
        return fail([exc.as_dict()])
    sys.stdout.write(json.dumps(value.as_dict()) + "\n")
    return 0


def _demo() -> int:
    from .api import assess_request
    from .card import build
    from .fields import ASSESSMENT_NAMES

    case = {
        "assessment": "dose_reduction",
        "phase": "chronic",
        "dose_mg": 400,
        "months_on_tki": 60,
        "bcr_abl1_is": 0.008,
        "mmr_months": 30,
        "adherence_pct": 98,
        "ae_grade": 2,
        "goal": "tolerability",
        "mutations": [],
        "prior_tki_failure": False,
    }
    print("Example case:", json.dumps(case))
    result, _ = assess_request(case)
    print(build(result, case, card_id="demo", title=ASSESSMENT_NAMES[result.assessment].title).text)
    return 0


def parser() -> Parser:
    p = Parser(prog="python -m knowledge", description="The decision module's command line.")
    commands = p.add_subparsers(dest="command", required=True, metavar="assess|normalize|demo")
    assess = commands.add_parser("assess", help='assess a PatientCase JSON (with "assessment")')
    assess.add_argument("file", metavar="FILE", help="a JSON file, or - for standard input")
    norm = commands.add_parser("normalize", help="read one clinician-written value")
    norm.add_argument("field", metavar="FIELD")
    norm.add_argument("text", metavar="TEXT")
    commands.add_parser("demo", help="one worked assessment")
    return p


def main(argv: Optional[List[str]] = None) -> int:
    args = parser().parse_args(sys.argv[1:] if argv is None else argv)
    try:
        if args.command == "assess":
            return _assess(args.file)
        if args.command == "normalize":
            return _normalize(args.field, args.text)
        return _demo()
    except Exception as exc:  # last line of defence: a JSON error, never a traceback
        return fail([{"field": "__root__", "message": f"internal error: {exc.__class__.__name__}"}])


if __name__ == "__main__":
    sys.exit(main())

"""Command-line interface, the module's public contract.

    python -m knowledge assess FILE|-        Assessment JSON on stdout, exit 0
    python -m knowledge normalize FIELD TEXT {"field", "value", "assumptions"} on stdout, exit 0
    python -m knowledge audit export [--since DATE] [--format csv|json] [--db PATH ...]
    python -m knowledge audit purge --days N [--db PATH]

Invalid input: exit 2 and {"errors": [{"field", "message"}]} on stderr, nothing on stdout.
"""
from __future__ import annotations

import json
import sys
from typing import List, Optional

USAGE = ("usage: python -m knowledge assess FILE|-\n"
         "       python -m knowledge normalize FIELD TEXT\n"
         "       python -m knowledge demo\n"
         "       python -m knowledge audit export [--since DATE] [--format csv|json] [--db PATH ...]\n"
         "       python -m knowledge audit purge --days N [--db PATH]")


def _fail(errors, code: int = 2) -> int:
    sys.stderr.write(json.dumps({"errors": errors}) + "\n")
    return code


def _assess(path: str) -> int:
    from .api import assess_request

    try:
        if path == "-":
            raw = sys.stdin.read()
        else:
            with open(path, encoding="utf-8") as fh:
                raw = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        return _fail([{"field": "FILE", "message": f"cannot read {path!r}: {exc.__class__.__name__}"}])
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        return _fail([{"field": "__root__", "message": f"invalid JSON: {str(exc)[:200]}"}])
    result, errors = assess_request(data)
    if errors:
        return _fail(errors)
    sys.stdout.write(result.json() + "\n")
    return 0


def _normalize(field: str, text: str) -> int:
    from .normalize import NormalizationError, normalize

    try:
        value = normalize(field, text)
    except NormalizationError as exc:
        return _fail([exc.as_dict()])
    sys.stdout.write(json.dumps(value.as_dict()) + "\n")
    return 0


def _demo() -> int:
    from .api import assess_request
    from .render import render_assessment

    case = {"assessment": "dose_reduction", "phase": "chronic", "dose_mg": 400, "months_on_tki": 60,
            "bcr_abl1_is": 0.008, "mmr_months": 30, "adherence_pct": 98, "ae_grade": 2,
            "goal": "tolerability", "mutations": [], "prior_tki_failure": False}
    print("Example case:", json.dumps(case))
    result, _ = assess_request(case)
    print(render_assessment(result))
    return 0


def _audit(args: List[str]) -> int:
    from pathlib import Path

    from .audit import AuditLog, default_path, export, parse_since

    if not args or args[0] not in ("export", "purge"):
        return _fail([{"field": "arguments", "message": "expected 'audit export' or 'audit purge --days N'"}])
    command, options, dbs = args[0], {}, []
    allowed = {"export": {"--since", "--format", "--db"}, "purge": {"--days", "--db"}}[command]
    rest = args[1:]
    while rest:
        if rest[0] not in allowed or len(rest) < 2:
            return _fail([{"field": rest[0], "message": f"expected one of {', '.join(sorted(allowed))} "
                                                        "followed by a value"}])
        if rest[0] == "--db":  # export merges several databases (one per machine)
            dbs.append(Path(rest[1]))
        else:
            options[rest[0]] = rest[1]
        rest = rest[2:]
    for path in dbs or [default_path()]:  # reading never creates an empty database
        if not path.exists():
            return _fail([{"field": "--db", "message": f"no audit database at {path}"}])
    if command == "purge" and len(dbs) > 1:
        return _fail([{"field": "--db", "message": "purge takes one database"}])
    db = dbs[0] if dbs else None
    if command == "purge":
        try:
            days = float(options["--days"])
            if not 0 <= days < 100000:
                raise ValueError
        except (KeyError, ValueError):
            return _fail([{"field": "--days", "message": "expected a number of days, 0 or more"}])
        removed = AuditLog(db).purge(days)
        sys.stdout.write(json.dumps({"audit_rows_removed": removed}) + "\n")
        return 0
    fmt = options.get("--format", "csv")
    if fmt not in ("csv", "json"):
        return _fail([{"field": "--format", "message": "expected csv or json"}])
    since = None
    if "--since" in options:
        try:
            since = parse_since(options["--since"])
        except ValueError as exc:
            return _fail([{"field": "--since", "message": str(exc)}])
    rows = [row for path in (dbs or [None]) for row in AuditLog(path).rows(since)]
    if len(dbs) > 1:  # ids are per database: order by time, then database, then id
        rows.sort(key=lambda r: r["recorded_at"])
    sys.stdout.write(export(rows, fmt))
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        if len(args) == 2 and args[0] == "assess":
            return _assess(args[1])
        if len(args) == 3 and args[0] == "normalize":
            return _normalize(args[1], args[2])
        if len(args) == 1 and args[0] == "demo":
            return _demo()
        if args and args[0] == "audit":
            return _audit(args[1:])
        sys.stderr.write(USAGE + "\n")
        return _fail([{"field": "arguments", "message": "expected 'assess FILE|-' or 'normalize FIELD TEXT'"}])
    except Exception as exc:  # last line of defence: a JSON error, never a traceback
        return _fail([{"field": "__root__", "message": f"internal error: {exc.__class__.__name__}"}], 2)


if __name__ == "__main__":
    sys.exit(main())

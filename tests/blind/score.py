"""Score readings against a labelled set, in process, with the scoring of ../shared/eval/check_reading.py
(kind, value precision, value recall, out of scope), plus the answers and corrections read in a form's context.
A labelled series of dated results is scored as one value, point by point, wherever the writer put it (in
`values` or beside them; check_reading.py does not score series).

    python tests/blind/score.py SET.json [SET.json ...] [--failures N] [--by-class] [--by-stage]

Used on the blind development sets (tests/blind/dev/); a held-out set is scored by the same script
and reported in figures only (never tuned on, sentence by sentence).
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the project root, when run as a script
from typing import Any, Dict, List


def same(exp: Any, got: Any, tol=None) -> bool:
    """check_reading.py's comparison."""
    if isinstance(exp, dict):
        if not isinstance(got, dict) or got.get("bound") != exp["bound"]:
            return False
        exp, got = exp["value"], got.get("value")
    elif isinstance(got, dict):
        if "bound" in got:
            return False
        got = got.get("value")
    if isinstance(exp, (int, float)) and isinstance(got, (int, float)) and not isinstance(got, bool):
        return abs(exp - got) <= (tol if tol is not None else max(0.011, abs(exp) * 0.005))
    if isinstance(exp, list) and isinstance(got, list):
        return sorted(map(str.upper, map(str, exp))) == sorted(map(str.upper, map(str, got)))
    return str(exp).lower() == str(got).lower()


def same_series(exp: Any, got: Any, tol=None) -> bool:
    """A labelled series ([{"months", "bcr_abl1_is"}]) and the reading's, point by point (an older reading wrote
    each level as "value")."""
    if not isinstance(exp, list) or not isinstance(got, list) or len(exp) != len(got):
        return False
    for e, g in zip(exp, got, strict=True):
        level = g.get("bcr_abl1_is", g.get("value"))
        if not same(e.get("bcr_abl1_is"), level, tol) or not same(e.get("months"), g.get("months"), 0.5):
            return False
    return True


def reading_of(case: Dict[str, Any]) -> Dict[str, Any]:
    from reading import read
    from reading.context import in_context

    r = read(case["text"])
    ctx = case.get("context")
    if ctx:
        known = ctx.get("values_so_far") or ctx.get("filled") or {}  # round 2, writer b: "filled"
        r = in_context(r, asked=ctx.get("asked"), known=known)
    return r.as_json()


def _matches(f: str, exp: Any, got: Any, tol: Dict[str, Any]) -> bool:
    return same_series(exp, got, tol.get("bcr_abl1_is")) if f == "series" else same(exp, got, tol.get(f))


def _values(c: Dict[str, Any], r: Dict[str, Any], fails: List[str]):
    """(expected, found, stated, wrong) of one case's values, its failures appended to ``fails``."""
    expected = found = stated = wrong = 0
    amb = set(c.get("ambiguous", []))
    tol = c.get("tolerance") or {}
    labels = dict(c.get("values") or {})
    if c.get("series"):
        labels.setdefault("series", c["series"])  # the brief leaves it to the writer: in values or beside them
    vals = dict(r.get("values") or {})
    if r.get("series"):
        vals["series"] = r["series"]
    for f, exp in labels.items():
        expected += 1
        if f in vals and _matches(f, exp, vals[f], tol):
            found += 1
        else:
            fails.append(f"{c['id']}: missed {f}={exp!r} (got {json.dumps(vals.get(f))[:60]}): {c['text']!r}")
    for f, got in vals.items():
        if f in amb or (f == "series" and f not in labels):
            continue  # a series the writer did not label is not scored (the older sets label none)
        stated += 1
        if f in c.get("not_values", []) or (f in labels and not _matches(f, labels[f], got, tol)):
            wrong += 1
            fails.append(f"{c['id']}: stated {f}={json.dumps(got)[:60]} ({c['text']!r})")
    return expected, found, stated, wrong


def score(cases: List[Dict[str, Any]], failures: int = 0, by_class: bool = False) -> Dict[str, Any]:
    fails: List[str] = []
    kinds_ok = stated = wrong = expected = found = oos = oos_ok = 0
    per_class: Dict[str, List[int]] = collections.defaultdict(lambda: [0, 0])
    for c in cases:
        r = reading_of(c)
        ok = r.get("kind") == c["kind"] or (c["kind"] == "out_of_scope" and r.get("kind") == "command")
        kinds_ok += ok
        cls = "/".join(str(c.get("class", "?")).split("/")[:2])
        per_class[cls][0] += ok
        per_class[cls][1] += 1
        if not ok:
            fails.append(f"{c['id']}: kind {r.get('kind')} != {c['kind']}: {c['text']!r}")
        if c["kind"] == "out_of_scope":
            oos += 1
            oos_ok += ok
        e, f_, st, w = _values(c, r, fails)
        expected, found, stated, wrong = expected + e, found + f_, stated + st, wrong + w
    n = len(cases)
    out = {
        "n": n,
        "kind": kinds_ok / n if n else 1.0,
        "precision": 1 - wrong / stated if stated else 1.0,
        "wrong": wrong,
        "stated": stated,
        "recall": found / expected if expected else 1.0,
        "found": found,
        "expected": expected,
        "oos": f"{oos_ok}/{oos}",
    }
    for f in fails[:failures]:
        print(f)
    if by_class:
        for k, (a, b) in sorted(per_class.items()):
            print(f"  {k:40s} {a}/{b}")
    return out


_VALUE_KINDS = ("case", "answer", "correction")


def miss_stage(case: Dict[str, Any], field: str, r: Dict[str, Any]) -> str:
    """Where the reading lost a labelled value it did not state rightly: the speech act kept no value, another value
    was stated, it was asked about, set aside (with the reason), or not found at all. Names only: no message text,
    so a held-out set can be looked at this way in aggregate."""
    if case["kind"] in _VALUE_KINDS and r.get("kind") not in _VALUE_KINDS:
        return f"speech act: {r.get('kind')}"
    if field in (r.get("values") or {}) or (field == "series" and r.get("series")):
        return "another value stated"
    if any(a.get("field") == field for a in r.get("ambiguous") or []):
        return "asked about"
    why = next((n.get("why", "") for n in r.get("not_values") or [] if n.get("field") == field), None)
    if why is not None:
        return f"set aside: {why.split('(')[0].strip()}"
    return "not found"


def stages(cases: List[Dict[str, Any]]) -> "collections.Counter[str]":
    """The count of missed values by stage (``miss_stage``), for a set."""
    out: "collections.Counter[str]" = collections.Counter()
    for c in cases:
        r = reading_of(c)
        fails: List[str] = []
        _values(c, r, fails)
        for line in fails:
            if ": missed " in line:
                field = line.split(": missed ", 1)[1].split("=", 1)[0]
                out[miss_stage(c, field, r)] += 1
    return out


def by_field(cases: List[Dict[str, Any]]) -> Dict[str, "collections.Counter[str]"]:
    """Counts only, for a held-out set: wrong values stated by field, missed values by field and stage, and the
    speech acts confused (labelled -> read). No message text."""
    wrong: "collections.Counter[str]" = collections.Counter()
    missed: "collections.Counter[str]" = collections.Counter()
    kinds: "collections.Counter[str]" = collections.Counter()
    for c in cases:
        r = reading_of(c)
        if r.get("kind") != c["kind"] and not (c["kind"] == "out_of_scope" and r.get("kind") == "command"):
            kinds[f"{c['kind']} -> {r.get('kind')}"] += 1
        fails: List[str] = []
        _values(c, r, fails)
        for line in fails:
            if ": stated " in line:
                wrong[line.split(": stated ", 1)[1].split("=", 1)[0]] += 1
            elif ": missed " in line:
                field = line.split(": missed ", 1)[1].split("=", 1)[0]
                missed[f"{field}: {miss_stage(c, field, r)}"] += 1
    return {"wrong": wrong, "missed": missed, "kinds": kinds}


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("sets", nargs="+")
    p.add_argument("--failures", type=int, default=0)
    p.add_argument("--by-class", action="store_true")
    p.add_argument("--by-stage", action="store_true", help="missed values by where they were lost (counts only)")
    p.add_argument("--by-field", action="store_true", help="wrong and missed values by field, kinds confused (counts)")
    a = p.parse_args(argv)
    for h in ("tensorflow", "torch"):
        sys.modules.setdefault(h, None)
    cases = [c for s in a.sets for c in json.loads(Path(s).read_text())]
    s = score(cases, a.failures, a.by_class)
    if a.by_stage:
        for stage, n in stages(cases).most_common():
            print(f"  missed, {stage}: {n}")
    if a.by_field:
        for name, counts in by_field(cases).items():
            for key, n in counts.most_common():
                print(f"  {name}, {key}: {n}")
    print(
        f"reading: kind {s['kind']:.3f} ({s['n']}), value precision {s['precision']:.3f} ({s['wrong']} wrong of "
        f"{s['stated']}), recall {s['recall']:.3f} ({s['found']}/{s['expected']}), out of scope {s['oos']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

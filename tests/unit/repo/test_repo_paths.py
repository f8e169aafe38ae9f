"""Every project file that the code, the docs or the tests name by its path exists (no comment points at a
file that was renamed or never written)."""

import re
import subprocess

from helpers import ROOT

TOP = "actions|audit|bot|bench|cds|dialogue|harness|knowledge|reading|scripts|tests|web|docs"
NAMED = re.compile(rf"(?<![\w./-])((?:{TOP})/[\w/.-]*\w\.(?:py|sh|js|css|html|md|yml|yaml|json|jsonl))\b")
GENERATED = ("tests/reference/",)  # copies of ../shared, whose own paths are the shared folder's


def _tracked():
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [p for p in out.splitlines() if p.endswith((".py", ".sh", ".js", ".md", ".yml", ".toml", "Makefile"))]


def test_every_named_project_path_exists():
    missing = []
    for rel in _tracked():
        if rel.startswith(GENERATED):
            continue
        text = (ROOT / rel).read_text(encoding="utf-8", errors="replace")
        for m in NAMED.finditer(text):
            path = m.group(1)
            if not (ROOT / path).exists():
                missing.append(f"{rel}: {path}")
    assert not missing, "\n".join(missing)

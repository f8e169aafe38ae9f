"""The packages' layers, read from their imports (AST, no import executed): arrows point one way, down.

    knowledge            the decision module, sources, FAQ content: imports nothing of the project
    reading              reading a message: knowledge
    dialogue, audit      the form table; the audit store: knowledge, reading
    bot, actions, cds    the adapters (Rasa server, action server, CDS Hooks): the packages above, never
                         each other
    harness              servers and load for tests and benchmarks: anything

A test that fails names the file and the import that points the wrong way.
"""

import ast
from pathlib import Path

import pytest
from helpers import ROOT

PROJECT = {"knowledge", "reading", "dialogue", "audit", "bot", "actions", "cds", "harness"}
ALLOWED = {
    "knowledge": set(),
    "reading": {"knowledge"},
    "dialogue": {"knowledge", "reading"},
    "audit": {"knowledge"},
    "bot": {"knowledge", "reading", "dialogue", "audit"},
    "actions": {"knowledge", "reading", "dialogue", "audit"},
    "cds": {"knowledge", "reading", "audit"},
}


def project_imports(path: Path):
    """(line, top-level project package) of every import in ``path``, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = path.relative_to(ROOT).parts[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                if top in PROJECT:
                    yield node.lineno, top
        elif isinstance(node, ast.ImportFrom):
            top = own if node.level else (node.module or "").split(".")[0]
            if top in PROJECT:
                yield node.lineno, top


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_a_package_imports_only_the_layers_below_it(package):
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {top}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for line, top in project_imports(path)
        if top != package and top not in ALLOWED[package]
    ]
    assert not wrong, "\n".join(wrong)


def test_the_layers_have_no_cycle():
    seen, order = set(), []

    def visit(p, stack):
        assert p not in stack, f"cycle: {' -> '.join(stack + [p])}"
        if p not in seen:
            seen.add(p)
            for q in sorted(ALLOWED.get(p, ())):
                visit(q, stack + [p])
            order.append(p)

    for p in sorted(ALLOWED):
        visit(p, [])


def test_the_check_would_catch_an_adapter_importing_another(tmp_path, monkeypatch):
    fake = ROOT / "bot" / "_layer_probe.py"
    fake.write_text("import actions.assessment\n", encoding="utf-8")
    try:
        assert [top for _, top in project_imports(fake)] == ["actions"]
        with pytest.raises(AssertionError, match="imports actions"):
            test_a_package_imports_only_the_layers_below_it("bot")
    finally:
        fake.unlink()

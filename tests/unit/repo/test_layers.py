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


# the decision module's public face: every other package reaches it through these (knowledge/__init__.py)
ENTRY_POINTS = {
    "knowledge",
    "knowledge.normalize",
    "knowledge.card",
    "knowledge.faq",
    "knowledge.audit",
    "knowledge.cli",
}
OUTSIDE = ("reading", "dialogue", "audit", "bot", "actions", "cds", "harness", "bench", "scripts")


def knowledge_entries(path: Path):
    """(line, the module of ``knowledge`` reached) for every import of ``knowledge`` in ``path``; a name of the
    package that is one of its modules (``from knowledge import faq``) reaches that module."""
    import knowledge

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "knowledge":
                    yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").split(".")[0] == "knowledge":
            for alias in node.names:
                if node.module == "knowledge" and (ROOT / "knowledge" / f"{alias.name}.py").exists():
                    if alias.name in knowledge.__all__:
                        yield node.lineno, "knowledge"  # a namespace the package offers (thresholds, mutations)
                    else:
                        yield node.lineno, f"knowledge.{alias.name}"
                elif node.module == "knowledge" and alias.name not in knowledge.__all__:
                    yield node.lineno, f"knowledge ({alias.name}: not in knowledge.__all__)"
                else:
                    yield node.lineno, node.module


def test_knowledge_is_used_through_at_most_six_entry_points():
    assert len(ENTRY_POINTS) <= 6
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {entry}"
        for package in OUTSIDE
        for path in sorted((ROOT / package).rglob("*.py"))
        for line, entry in knowledge_entries(path)
        if entry not in ENTRY_POINTS
    ]
    assert not wrong, "\n".join(wrong)


def test_the_entry_point_check_would_catch_a_module_reached_directly():
    fake = ROOT / "bot" / "_entry_probe.py"
    fake.write_text("from knowledge.rules import assess\nfrom knowledge import sources\n", encoding="utf-8")
    try:
        assert [e for _, e in knowledge_entries(fake)] == ["knowledge.rules", "knowledge.sources"]
        with pytest.raises(AssertionError, match="_entry_probe.py:1 imports knowledge.rules"):
            test_knowledge_is_used_through_at_most_six_entry_points()
    finally:
        fake.unlink()

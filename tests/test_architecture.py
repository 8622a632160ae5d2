"""The import graph has no circle and no layer imports a layer above it (docs/architecture.md)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

import import_graph  # type: ignore[import-not-found]


def test_no_module_circle() -> None:
    assert import_graph.module_cycles(import_graph.graph()) == []


def test_no_layer_imports_upward() -> None:
    assert import_graph.upward(import_graph.graph()) == []


def test_every_module_is_in_a_layer() -> None:
    unplaced = [
        m for m in import_graph.graph() if import_graph.layer_of(m) >= len(import_graph.LAYERS)
    ]
    assert unplaced == []


def test_the_checks_find_a_circle_and_an_upward_import() -> None:
    edges = {
        "nelm.web.a": {"nelm.web.b"},
        "nelm.web.b": {"nelm.web.a"},
        "nelm.engine.x": {"nelm.cli.main"},
        "nelm.cli.main": set(),
    }
    assert import_graph.module_cycles(edges) == [["nelm.web.a", "nelm.web.b"]]
    assert import_graph.upward(edges) == [("nelm.engine.x", "nelm.cli.main")]


def test_the_condition_language_is_knowledge_and_its_interpreter_engine() -> None:
    edges = import_graph.graph()
    assert "nelm.engine.conditions" not in edges["nelm.knowledge.loader"]
    assert "nelm.knowledge.conditions" in edges["nelm.engine.conditions"]


def test_every_core_module_has_a_test_file() -> None:
    """A module of the core (foundation to evidence) is imported by a test file or has a
    test file named after it."""
    import ast

    tests = Path(__file__).resolve().parent
    edges = import_graph.graph()
    evidence = [name for name, _ in import_graph.LAYERS].index("evidence")
    core = [
        m
        for m in edges
        if import_graph.layer_of(m) <= evidence and not import_graph._is_package_init(m, edges)
    ]
    imported: set[str] = set()
    names: set[str] = set()
    for path in tests.rglob("test_*.py"):
        names.add(path.stem.removeprefix("test_"))
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
                imported.update(f"{node.module}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                imported.update(a.name for a in node.names)
    untested = [m for m in core if m not in imported and m.rsplit(".", 1)[-1] not in names]
    assert untested == [], f"core modules without a test file: {untested}"


def test_the_page_lists_the_layers_the_check_enforces() -> None:
    # docs/architecture.md's table is what a reader goes by: each layer of the check, in
    # its order, with every package or module the check puts in it.
    page = (Path(__file__).resolve().parents[1] / "docs" / "architecture.md").read_text("utf-8")
    rows = [line.split("|")[1:3] for line in page.splitlines() if line.startswith("| ")]
    listed = [(name.strip(), set(re.findall(r"`([\w.]+)`", mods))) for name, mods in rows[1:]]
    for (layer, modules), (name, shown) in zip(import_graph.LAYERS, listed, strict=False):
        assert name == layer
        # the package's own __init__ and entry point are no layer's content; a package is
        # listed by itself or by its sub-packages (nelm.interop by nelm.interop.cds_hooks)
        for module in set(modules) - {"nelm", "nelm.__main__"}:
            assert any(s == module or s.startswith(f"{module}.") for s in shown), (layer, module)
    assert [name for name, _ in listed] == [name for name, _ in import_graph.LAYERS]

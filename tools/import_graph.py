"""The import graph of the nelm package: its layers, and any circle or upward import.

Every ``import`` and ``from … import`` of every module under ``src/nelm`` counts, also the
ones inside functions (a late import still ties two modules together) and the ones under
``if TYPE_CHECKING:`` (a type is a dependency too). Run it to print the layer of each
package and every problem; ``tests/test_architecture.py`` runs the same checks.

    python tools/import_graph.py
    python tools/import_graph.py --draw docs/img/layers.svg    # the picture in the docs
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

# The layers, lowest first. A module may import its own layer and the layers below it,
# never one above. Within the adapters, no package imports another adapter except through
# the exceptions listed in ALLOWED (an adapter that hosts another: the web application
# mounts the CDS service, the command line starts the web server and the cohort runner).
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("foundation", ("nelm.errors", "nelm.text", "nelm.vocabulary", "nelm.yaml_data")),
    ("case", ("nelm.case",)),
    ("knowledge", ("nelm.knowledge",)),
    ("engine", ("nelm.engine",)),
    ("evidence", ("nelm.evidence",)),
    ("translation", ("nelm.interop.fhir",)),
    (
        "application",
        ("nelm.service", "nelm.report.view", "nelm.report.known_range", "nelm.report.gives"),
    ),
    (
        "adapters",
        (
            "nelm.report",
            "nelm.interop",
            "nelm.cohort",
            "nelm.store",
            "nelm.web",
            "nelm.cli",
            "nelm.__main__",
            "nelm",
        ),
    ),
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports(path: Path, known: set[str]) -> Iterator[str]:
    """The nelm modules ``path`` imports (a ``from pkg import mod`` names ``pkg.mod``)."""
    module = module_name(path)
    tree = ast.parse(path.read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("nelm"):
                    yield alias.name
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node, path.name == "__init__.py")
            if not target.startswith("nelm"):
                continue
            for alias in node.names:
                child = f"{target}.{alias.name}"
                yield child if child in known else target


def graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in (SRC / "nelm").rglob("*.py") if "migrations" not in p.parts}
    known = set(files)
    return {m: {t for t in imports(p, known) if t in known and t != m} for m, p in files.items()}


def layer_of(module: str) -> int:
    best, best_len = len(LAYERS), -1
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_len:
                best, best_len = index, len(prefix)
    return best


def cycles(edges: Mapping[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def _is_package_init(module: str, edges: Mapping[str, set[str]]) -> bool:
    return any(other.startswith(module + ".") for other in edges)


def upward(edges: Mapping[str, set[str]]) -> list[tuple[str, str]]:
    """Imports from a lower layer into a higher one."""
    return sorted(
        (source, target)
        for source, targets in edges.items()
        for target in targets
        if layer_of(target) > layer_of(source)
    )


def module_cycles(edges: Mapping[str, set[str]]) -> list[list[str]]:
    """Circles between modules, ignoring the edge from a package's ``__init__`` to its own
    modules (re-exporting a package's names is not a circle of meaning)."""
    trimmed = {
        m: {t for t in ts if not (_is_package_init(m, edges) and t.startswith(m + "."))}
        for m, ts in edges.items()
    }
    return cycles(trimmed)


def main() -> int:
    edges = graph()
    for name, prefixes in LAYERS:
        print(f"{name}: {', '.join(prefixes)}")
    problems = 0
    for component in module_cycles(edges):
        problems += 1
        print("circle:", " ↔ ".join(component))
    for source, target in upward(edges):
        problems += 1
        print(
            f"upward: {source} ({LAYERS[layer_of(source)][0]}) imports {target} "
            f"({LAYERS[layer_of(target)][0]})"
        )
    print(
        f"{len(edges)} modules, {sum(len(t) for t in edges.values())} imports, "
        f"{problems} problem(s)"
    )
    return 1 if problems else 0


def draw(target: Path) -> None:
    """The layers as a picture (docs/img/layers.svg): one band per layer, lowest at the
    bottom, each with its packages and how many imports leave it for each lower layer."""
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: small, searchable
    matplotlib.rcParams["svg.hashsalt"] = "nelm-layers"
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyBboxPatch

    edges = graph()
    counts: dict[tuple[int, int], int] = {}
    for source, targets in edges.items():
        for t in targets:
            a, b = layer_of(source), layer_of(t)
            if a != b:
                counts[(a, b)] = counts.get((a, b), 0) + 1
    notes = {
        "foundation": "errors, and the words every renderer shows (vocabulary.yaml)",
        "case": "case fields as data, parsing, validation",
        "knowledge": "rules as YAML, the condition language, the loader's checks",
        "engine": "derived facts, the condition interpreter, option status, the plan",
        "evidence": "study records, selection, pooling, survival: one call per question",
        "translation": "FHIR R4 Bundle → case document",
        "application": "assess a document (service); one view of an assessment",
        "adapters": "CLI · web pages and REST API · CDS Hooks · reports · cohorts · store",
    }
    fig = Figure(figsize=(9, 0.75 * len(LAYERS) + 0.8))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 9)
    ax.set_ylim(0, 0.75 * len(LAYERS) + 0.8)
    ax.axis("off")
    for index, (name, prefixes) in enumerate(LAYERS):
        y = 0.3 + 0.75 * index
        ax.add_patch(
            FancyBboxPatch(
                (0.3, y),
                8.4,
                0.55,
                boxstyle="round,pad=0.02",
                facecolor="#e8f0fa" if index < 5 else "#fdf1e1",
                edgecolor="#335",
            )
        )
        ax.text(0.45, y + 0.36, name, fontsize=11, fontweight="bold", va="center")
        ax.text(2.1, y + 0.36, notes.get(name, ""), fontsize=9, va="center")
        shown = ", ".join(p.removeprefix("nelm.") for p in prefixes if p != "nelm")
        ax.text(2.1, y + 0.13, shown, fontsize=8, va="center", color="#555", family="monospace")
        down = sum(c for (a, _), c in counts.items() if a == index)
        if index and down:
            ax.annotate(
                "",
                xy=(8.35, y - 0.18),
                xytext=(8.35, y + 0.02),
                arrowprops={"arrowstyle": "->", "color": "#335"},
            )
            ax.text(
                8.25,
                y - 0.09,
                f"{down} imports down",
                fontsize=7,
                ha="right",
                va="center",
                color="#335",
            )
    ax.text(
        0.3,
        0.75 * len(LAYERS) + 0.45,
        "nelm: layers, lowest at the bottom; a module "
        "imports only its own layer and the layers below",
        fontsize=10,
    )
    fig.savefig(
        target,
        format=target.suffix.lstrip("."),
        metadata={"Date": None} if target.suffix == ".svg" else None,
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--draw":
        draw(Path(sys.argv[2]))
    else:
        raise SystemExit(main())

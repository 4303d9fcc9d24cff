"""The import rules of docs/explanation/architecture.md, checked on the source.

Every ``import accord.X`` (at module level or inside a function: a lazy import is
still a dependency) is read from the syntax tree of every module under
``src/accord`` and checked against the table of which layer may import which.
The few known departures are listed by module so that a new one fails here and
removing one means deleting its line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src" / "accord"

# layer -> the layers it may import (besides itself)
ALLOWED: dict[str, set[str]] = {
    "_repr": set(),
    "errors": set(),
    "model": {"errors"},
    "space": {"model", "errors"},
    "io": {"model", "space", "errors"},
    "analysis": {"space", "model", "errors"},
    "forecast": {"analysis", "space", "model", "errors"},
    "evidence": {"io", "model", "errors"},
    "protocols": {"analysis", "io", "space", "model", "errors"},
    "views": {"analysis", "forecast", "evidence", "protocols", "io", "space", "model", "errors"},
    "report": {"views", "analysis", "forecast", "evidence", "protocols", "io", "space", "model",
               "errors"},
    "server": {"report", "views", "analysis", "forecast", "evidence", "protocols", "io", "space",
               "model", "errors", "accord"},
    "cli": {"server", "report", "views", "analysis", "forecast", "evidence", "protocols", "io",
            "space", "model", "errors", "accord"},
    "__main__": {"cli"},
    # the package facade re-exports the public API lazily
    "accord": {"analysis", "forecast", "evidence", "io", "model", "space", "errors", "report",
               "views", "protocols"},
}

# the short-repr helper imports nothing from accord, so every layer may use it
for _layer_name, _allowed in ALLOWED.items():
    if _layer_name != "_repr":
        _allowed.add("_repr")

# (importing module, imported layer): known departures, each tracked in architecture.md
KNOWN: set[tuple[str, str]] = set()  # none left: io/ktab and io/deu3 build model types now


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SOURCE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "accord"
    return parts[1]


def _imports(path: Path, module: str, *, members: bool = False) -> set[str]:
    """What ``module`` imports of accord; with ``members``, ``from X import y`` also counts ``X.y``
    (``from accord.io import genius`` imports the module ``accord.io.genius``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            found.add(name)
            if members:
                found.update(f"{name}.{alias.name}" for alias in node.names)
    return {name for name in found if name == "accord" or name.startswith("accord.")}


def _edges() -> set[tuple[str, str]]:
    edges = set()
    for path in sorted(SOURCE.rglob("*.py")):
        module = _module_name(path)
        source_layer = _layer(module)
        for imported in _imports(path, module):
            target_layer = _layer(imported)
            if target_layer != source_layer:
                edges.add((module, target_layer))
    return edges


def test_every_import_follows_the_layers() -> None:
    unexpected = sorted(
        f"{module} imports accord.{layer}"
        for module, layer in _edges()
        if layer not in ALLOWED[_layer(module)] and (module, layer) not in KNOWN
    )
    assert not unexpected, "imports against docs/explanation/architecture.md:\n" + "\n".join(unexpected)


def test_known_departures_still_exist() -> None:
    # A fixed departure must leave the list, so that it cannot come back unnoticed.
    edges = _edges()
    stale = sorted(f"{module} -> {layer}" for module, layer in KNOWN if (module, layer) not in edges)
    assert not stale, "fixed departures still listed in KNOWN: " + ", ".join(stale)


def test_nothing_imports_the_command_line() -> None:
    offenders = sorted(module for module, layer in _edges()
                       if layer == "cli" and _layer(module) not in {"cli", "__main__"})
    assert not offenders, offenders


@pytest.mark.parametrize("layer", sorted(set(ALLOWED) - {"accord", "__main__"}))
def test_every_layer_exists(layer: str) -> None:
    # A renamed package would make its row of ALLOWED vacuous.
    assert (SOURCE / layer).is_dir() or (SOURCE / f"{layer}.py").is_file()


# Import circles between modules (lazy imports count: a circle hidden in a function is still
# two modules that cannot be understood apart). Each is tracked in architecture.md.
KNOWN_CYCLES: set[tuple[str, ...]] = set()


def _module_imports(path: Path, module: str) -> set[str]:
    """The accord modules that ``module`` imports, at module level or inside a function."""
    return {name for name in _imports(path, module, members=True) if name.startswith("accord.")}


def _module_graph() -> dict[str, set[str]]:
    modules = {_module_name(path): path for path in sorted(SOURCE.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        graph[module] = {name for name in _module_imports(path, module)
                         if name in modules and name != module}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def test_the_cycle_finder_finds_a_circle() -> None:
    # a check that could not fail would prove nothing
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def _graph_without_package_inits() -> dict[str, set[str]]:
    # A package's __init__ re-exporting its modules is not a circle of design, so the
    # edges from a package's members into its own __init__ are left out.
    graph = _module_graph()
    return {module: {t for t in targets if not module.startswith(t + ".")}
            for module, targets in graph.items()}


def test_the_module_import_graph_has_no_new_cycle() -> None:
    cycles = [tuple(c) for c in _cycles(_graph_without_package_inits())]
    new = [c for c in cycles if c not in KNOWN_CYCLES]
    assert not new, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in new)


def test_known_cycles_still_exist() -> None:
    cycles = {tuple(c) for c in _cycles(_graph_without_package_inits())}
    stale = sorted(KNOWN_CYCLES - cycles)
    assert not stale, f"fixed cycles still listed in KNOWN_CYCLES: {stale}"


@pytest.mark.parametrize("cycle", [
    ("accord.io.genius", "accord.io.genius_web"),
    ("accord.model.nonlinear", "accord.space"),
    ("accord.cli.report_cmds", "accord.cli.scenario_cmds"),
    ("accord.analysis.kernels", "accord.analysis.pareto"),
    ("accord.report.forecast", "accord.report.html"),
])
def test_the_removed_circles_stay_removed(cycle: tuple[str, ...]) -> None:
    components = _cycles(_graph_without_package_inits())
    assert not any(set(cycle) <= set(c) for c in components), cycle

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

# (importing module, imported layer): known departures, each tracked in architecture.md
KNOWN: set[tuple[str, str]] = {
    ("accord.io.ktab", "forecast"),
    ("accord.io.deu3", "forecast"),
    ("accord.model.nonlinear", "analysis"),
    ("accord.model.nonlinear", "space"),
}


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


def _imports(path: Path, module: str) -> set[str]:
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

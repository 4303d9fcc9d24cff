"""The examples in the docstrings run, so that the API reference cannot show a wrong one.

Every module under ``src/accord`` with a ``>>>`` example is collected (a new
module with examples joins without a change here).  The examples read files by
paths relative to the repository, so they run from its root.
"""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "accord"


def _modules_with_examples() -> list[str]:
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        if ">>>" in path.read_text(encoding="utf-8"):
            parts = list(path.relative_to(SOURCE.parent).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found.append(".".join(parts))
    return found


MODULES = _modules_with_examples()

#: Modules whose examples are known to be wrong today, each with the reason; strict, so that
#: a fixed one must leave this list.
KNOWN_WRONG: dict[str, str] = {
}


def test_the_api_modules_have_examples() -> None:
    # the collection must not come back empty (that would pass vacuously)
    for module in ("accord.space", "accord.errors", "accord.analysis.evaluate",
                   "accord.analysis.diff", "accord.analysis.pareto"):
        assert module in MODULES, module


@pytest.mark.parametrize("name", [
    pytest.param(name, marks=pytest.mark.xfail(reason=KNOWN_WRONG[name], strict=True))
    if name in KNOWN_WRONG else name for name in MODULES])
def test_the_examples_run(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
                             report=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"

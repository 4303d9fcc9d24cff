"""docs/reference/python-api.md is what docs/gen_python_api.py writes from the docstrings."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_python_api", ROOT / "docs" / "gen_python_api.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_page_matches_the_docstrings() -> None:
    generator = _generator()
    committed = generator.PAGE.read_text(encoding="utf-8")
    assert committed == generator.render(), (
        "docs/reference/python-api.md is stale: run "
        "PYTHONPATH=src python docs/gen_python_api.py")


def test_the_page_covers_every_export_with_its_sections() -> None:
    import accord

    page = (ROOT / "docs" / "reference" / "python-api.md").read_text(encoding="utf-8")
    for name in accord._EXPORTS:
        assert f"### `{name}`" in page, name
    evaluate = page[page.index("### `evaluate_texts`"):page.index("### `feasibility`")]
    for section in ("**Parameters**", "**Returns**", "**Raises**", "**Examples**", "```python"):
        assert section in evaluate, section
    assert "`UnknownIdError`" in evaluate


def test_the_generator_renders_numpydoc_sections() -> None:
    generator = _generator()
    text = generator._markdown("Do it.\n\nParameters\n----------\nx\n    The thing.\n\n"
                               "Examples\n--------\n>>> 1 + 1\n2\n")
    assert "**Parameters**\n- `x` — The thing." in text
    assert "```python\n>>> 1 + 1\n2\n```" in text

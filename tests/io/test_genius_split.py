"""io/genius is split into reading, writing and what both share; the public names stay put."""

from __future__ import annotations

import ast
from pathlib import Path

import accord
from accord import errors
from accord.io import genius, genius_common, genius_web, genius_write

SOURCE = Path(__file__).resolve().parents[2] / "src" / "accord" / "io"


def _imported(module: str) -> set[str]:
    tree = ast.parse((SOURCE / f"{module}.py").read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_old_names_still_import_from_genius() -> None:
    assert genius.save_folder is genius_write.save_folder
    assert genius.genius_documents is genius_write.genius_documents
    assert genius.slugify is genius_common.slugify
    assert genius.validate_document is genius_common.validate_document
    assert genius.ExportError is errors.ExportError is accord.ExportError
    assert accord.save_genius is genius_write.save_folder
    assert accord.load_genius is genius.load_folder


def test_the_writer_and_the_web_reader_do_not_import_the_xml_reader() -> None:
    # the circle genius <-> genius_web is gone: the web reader takes the shared names
    # from genius_common, as the writer does
    for module in ("genius_web", "genius_write", "genius_common"):
        assert "accord.io.genius" not in _imported(module), module
        assert not any(name.startswith("accord.io.genius.") for name in _imported(module)), module
    assert "accord.io.genius_write" not in _imported("genius_common")


def test_export_error_is_an_accord_error() -> None:
    assert issubclass(errors.ExportError, errors.AccordError)


def test_the_shared_id_maker() -> None:
    taken: set[str] = set()
    assert genius_common.unique("a", taken) == "a"
    assert genius_common.unique("a", taken) == "a-2"
    assert genius_common.slugify("Über Preis!", "x") == "Uber-Preis"
    assert genius_common.slugify("!!!", "fallback") == "fallback"


def test_a_written_folder_reads_back_through_the_split_modules(tmp_path: Path) -> None:
    scenario = accord.load(Path(__file__).resolve().parents[2] / "examples" / "job-offer.toml")
    written = genius_write.genius_documents(scenario, drop_red_lines=True)
    for name, text in written.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    back = genius.load_folder(tmp_path)
    assert [i.id for i in back.issues] == [i.id for i in scenario.issues]
    assert genius_web.load_folder.__module__ == "accord.io.genius_web"

"""The plain-XML fast path of the GENIUS reader builds the tree the guarded parser builds.

The guarded parser (defusedxml, the pure-Python expat driver) is the oracle: on
every GENIUS file of the shared data, and on synthetic bodies, both give the same
elements, attributes and text; what the fast path declines (``<!``, too deep,
malformed) reaches the guarded parser and gets its message.
"""

from __future__ import annotations

import os
from pathlib import Path
from xml.etree.ElementTree import Element

import pytest

from accord.errors import ScenarioError
from accord.io import genius_xml as gx
from accord.io.files import read_bytes


def _shape(element: Element) -> tuple[object, ...]:
    return (element.tag, sorted(element.attrib.items()), (element.text or "").strip(),
            (element.tail or "").strip(), [_shape(child) for child in element])


def _shared_xml_files() -> list[Path]:
    root = Path(os.environ.get("ACCORD_SHARED", Path(__file__).resolve().parents[3] / "shared"))
    folder = root / "data" / "genius" / "anac"
    return sorted(folder.rglob("*.xml"))[::7] if folder.is_dir() else []


@pytest.mark.skipif(not _shared_xml_files(), reason="the GENIUS data (../shared/data/genius) is absent")
def test_the_fast_path_builds_the_guarded_tree_on_the_anac_files() -> None:
    checked = 0
    for file in _shared_xml_files():
        data = read_bytes(file, what="a GENIUS XML file", limit=gx.MAX_XML_BYTES)
        if file.name.lower() == "pareto.xml" or gx.foreign_root_of(data) is not None:
            continue   # not read as GENIUS XML (the folder reader skips these)
        fast = gx.parse_xml_bytes(data, file.name)
        guarded = gx._parse_guarded(fast.body, file.name, fast.prefix_lines)
        assert _shape(fast.root) == _shape(guarded.root), file
        checked += 1
    assert checked > 10


@pytest.mark.parametrize("body", [
    '<a x="1"><b y="2">text</b><c/></a>',
    '<utility_space><objective name="o &amp; p"><issue index="1" name="i"/></objective></utility_space>',
    "<a>" + "<b>" * 50 + "</b>" * 50 + "</a>",
])
def test_plain_bodies_parse_alike(body: str) -> None:
    assert _shape(gx._parse(body, "f.xml", 0).root) == _shape(gx._parse_guarded(body, "f.xml", 0).root)


def _message(body: str, parse: object) -> str:
    with pytest.raises(ScenarioError) as error:
        parse(body, "f.xml", 3)  # type: ignore[operator]
    return str(error.value)


@pytest.mark.parametrize("body", [
    "<a>" * (gx.MAX_DEPTH + 1) + "</a>" * (gx.MAX_DEPTH + 1),     # too deep
    "<a><b></a>",                                                  # mismatched
    "<a>",                                                         # truncated
    '<a><!DOCTYPE x [<!ENTITY e "boom">]></a>',                    # a DTD inside
])
def test_what_the_fast_path_declines_gets_the_guarded_message(body: str) -> None:
    assert gx._parse_plain(body) is None or "<!" in body
    assert _message(body, gx._parse) == _message(body, gx._parse_guarded)

"""Pathological but cheap foreign files (issue 10, class 2): answered at once, never read whole.

The big inputs are generated here; before the fix the leading-construct scan of
the GENIUS reader backtracked quadratically (20 kB took 1.6 s, so 200 kB took
minutes), ``/>`` inside an attribute value fooled the nesting-depth guard (then
a RecursionError), and a 2 GiB sparse ``.xml`` in a folder was read whole.
The time bounds are generous hang guards, not benchmarks: the fixed reader
answers each in a few hundredths of a second.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from accord.errors import ScenarioError
from accord.io import files, genius
from accord.io import genius_xml as gx
from tests.cli.helpers import run_cli

HOSTILE = Path(__file__).resolve().parent / "hostile_xml"
MALFORMED = Path(__file__).resolve().parents[1] / "data" / "malformed"
BOUND = 5.0  # seconds; the fixed code takes < 0.1 s, the old one minutes to hours


def domain_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "domain"
    folder.mkdir()
    (folder / "domain.xml").write_bytes((HOSTILE / "domain.xml").read_bytes())
    for n in (1, 2):
        (folder / f"profile-{n}.xml").write_bytes((HOSTILE / "profile_ok.xml").read_bytes())
    return folder


def timed(call: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    try:
        result = call()
    except ScenarioError as error:
        result = error
    return time.perf_counter() - started, result


_UNCLOSED = {
    "bang": "<!" + "a" * 2_000_000,
    "bang-bracket": "<!" + "a" * 1_000_000 + "[" + "b" * 1_000_000,
    "doctype-subset": "<!DOCTYPE x [" + "<!ENTITY " * 200_000,
    "comment": "<!--" + "a" * 2_000_000,
    "instruction": "<?xml " + "a" * 2_000_000,
}


@pytest.mark.parametrize("kind", sorted(_UNCLOSED))
def test_an_unclosed_leading_construct_is_answered_at_once(tmp_path: Path, kind: str) -> None:
    file = tmp_path / f"{kind}.xml"
    file.write_text(_UNCLOSED[kind], encoding="utf-8")
    seconds, result = timed(lambda: gx.read_xml(file))
    assert seconds < BOUND
    assert isinstance(result, ScenarioError), result
    assert result.problems[0].file == str(file)
    seconds, _ = timed(lambda: gx.foreign_root(file))
    assert seconds < BOUND


@pytest.mark.parametrize("content", [
    "<!" + "x" * 200_000,                                           # never closes
    "<log>" + "<entry time='1' text='a=\"b\"'/>" * 6_000 + "</log>",  # another program's XML
    "<?xml version='1.0'?><!-- a log --><results>" + "<r a='1'/>" * 20_000 + "</results>",
])
def test_a_200_kb_foreign_xml_in_a_domain_folder(tmp_path: Path, content: str) -> None:
    folder = domain_folder(tmp_path)
    (folder / "notes.xml").write_text(content, encoding="utf-8")
    seconds, result = timed(lambda: genius.read_folder(folder))
    assert seconds < BOUND
    if isinstance(result, ScenarioError):       # unreadable: reported by name, not a hang
        assert [p.file for p in result.problems] == [str(folder / "notes.xml")]
    else:                                       # another program's XML: skipped
        assert isinstance(result, genius.GeniusFolder) and "notes.xml" in result.skipped
    run = run_cli("check", str(folder))
    assert run.code in (0, 2) and "Traceback" not in run.stderr and "internal error" not in run.stderr


def test_the_unclosed_bang_regression_file(tmp_path: Path) -> None:
    seed = (MALFORMED / "io-2-unclosed-bang.xml").read_text(encoding="utf-8")
    big = tmp_path / "profile-3.xml"
    big.write_text(seed + seed[2:] * (200_000 // len(seed)), encoding="utf-8")
    seconds, result = timed(lambda: gx.read_xml(big))
    assert seconds < BOUND and isinstance(result, ScenarioError)
    assert "malformed XML" in result.problems[0].message


def test_the_leading_scan_still_skips_and_refuses_what_it_did() -> None:
    skip = gx._skip_leading
    text = '<?xml version="1.0"?>\n<!-- c -->\n<!DOCTYPE utility_space>\n<utility_space/>'
    assert text[skip(text)[0]:] == "<utility_space/>"
    assert "declares entities" in skip('<!DOCTYPE x [<!ENTITY a "b">]><x/>')[1]
    assert "external resource" in skip('<!DOCTYPE x SYSTEM "http://h/x.dtd"><x/>')[1]
    assert skip("<![CDATA[x]]><r/>") == (len("<![CDATA[x]]>"), "")
    assert skip("<!" + "a" * 50) == (0, "")  # unclosed: left to the parser to report


def _depth_bypass(levels: int) -> str:
    # Each <a x="/>"> opens an element; the '/>' inside the value closes nothing.
    return "<utility_space>" + '<a x="/>">' * levels + "</a>" * levels + "</utility_space>"


def test_slash_gt_in_an_attribute_does_not_fool_the_depth_guard(tmp_path: Path) -> None:
    file = tmp_path / "deep.xml"
    file.write_text(_depth_bypass(200_000), encoding="utf-8")
    seconds, result = timed(lambda: gx.read_xml(file))
    assert seconds < BOUND
    assert isinstance(result, ScenarioError)
    assert result.problems[0].message.startswith("elements are nested more than 100 levels deep")
    folder = domain_folder(tmp_path)
    (folder / "profile-3.xml").write_bytes(file.read_bytes())
    run = run_cli("check", str(folder))
    assert run.code == 2 and "nested more than 100 levels deep" in run.stderr, run.stderr


def test_the_depth_bypass_regression_file() -> None:
    with pytest.raises(ScenarioError) as caught:
        gx.read_xml(MALFORMED / "io-2-depth-bypass.xml")
    error = caught.value
    assert error.problems[0].path == "line 1"
    assert "nested more than 100 levels deep" in error.problems[0].message


def test_exactly_the_depth_limit_is_read(tmp_path: Path) -> None:
    levels = gx.MAX_DEPTH - 1  # plus the root
    file = tmp_path / "ok.xml"
    file.write_text(_depth_bypass(levels), encoding="utf-8")
    assert gx.read_xml(file).root.tag == "utility_space"
    file.write_text(_depth_bypass(levels + 1), encoding="utf-8")
    with pytest.raises(ScenarioError, match="nested more than 100"):
        gx.read_xml(file)


def test_a_sparse_2_gib_xml_in_a_folder_is_refused_unread(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    folder = domain_folder(tmp_path)
    big = folder / "big.xml"
    with open(big, "wb") as handle:
        handle.truncate(2 * 2**30)
    read: dict[int, int] = {}
    real_read = os.read

    def counting_read(fd: int, count: int) -> bytes:
        data = real_read(fd, count)
        read[fd] = read.get(fd, 0) + len(data)
        return data

    monkeypatch.setattr(files.os, "read", counting_read)
    seconds, result = timed(lambda: genius.read_folder(folder))
    assert seconds < BOUND
    assert isinstance(result, ScenarioError)
    assert [str(p) for p in result.problems] == [
        f"{big}: is 2048.0 MiB; a GENIUS XML file is at most 32 MiB here — is this the right file?"]
    assert sum(read.values()) < 10_000  # the three small files, nothing of the big one


def test_a_pipe_in_a_domain_folder_does_not_block(tmp_path: Path) -> None:
    folder = domain_folder(tmp_path)
    os.mkfifo(folder / "profile-3.xml")
    seconds, result = timed(lambda: genius.read_folder(folder))
    assert seconds < BOUND and isinstance(result, genius.GeniusFolder)  # not a regular file: not a profile
    assert len(result.profiles) == 2 and result.skipped == ("profile-3.xml (not a regular file)",)


def test_utf16_xml_is_named_utf16() -> None:
    with pytest.raises(ScenarioError) as caught:
        gx.read_xml(MALFORMED / "io-10-utf16be-profile.xml")
    error = caught.value
    assert "is UTF-16 text; GENIUS reads its XML files as UTF-8" in error.problems[0].message

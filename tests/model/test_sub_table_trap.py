"""Defect 11: a key written below a TOML sub-table header is explained, not read as an issue."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.errors import ScenarioError
from accord.io.scenario_file import load

JOB = Path(__file__).resolve().parents[2] / "examples" / "job-offer.toml"


def _problems(tmp_path: Path, text: str) -> list[tuple[str, str]]:
    path = tmp_path / "trap.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load(path)
    return [(p.path, p.message) for p in caught.value.problems]


def test_notes_and_date_below_positions_get_one_hint_each(tmp_path: Path) -> None:
    source = JOB.read_text(encoding="utf-8")
    end = source.index('bonus = "none"') + len('bonus = "none"\n')
    problems = _problems(tmp_path, source[:end] + 'notes = "first offer"\ndate = 2026-03-03\n'
                         + source[end:])
    # before: four problems, "unknown issue 'notes'" among them, and no word of where it belongs
    assert [path for path, _ in problems] == ["texts.offer.positions.notes",
                                              "texts.offer.positions.date"]
    for (_, message), key in zip(problems, ("notes", "date"), strict=True):
        assert f"{key!r} is a key of the text, not an issue" in message
        assert f"write {key} = … above [texts.positions]" in message
        assert "unknown issue" not in message


def test_reservation_below_weights_gets_the_hint(tmp_path: Path) -> None:
    source = JOB.read_text(encoding="utf-8")
    start = source.index("[preferences.dana.weights]")
    end = source.index("\n", start) + 1
    problems = _problems(tmp_path, source[:end] + "discount = 0.9\n" + source[end:])
    assert len(problems) == 1
    path, message = problems[0]
    assert path == "preferences.dana.weights.discount"
    assert "key of the party's preferences, not an issue" in message
    assert "[preferences.dana.weights]" in message


def test_a_real_unknown_issue_keeps_its_did_you_mean(tmp_path: Path) -> None:
    source = JOB.read_text(encoding="utf-8")
    problems = _problems(tmp_path, source.replace('salary = "100k"', 'salry = "100k"', 1))
    assert any("unknown issue 'salry'" in m and "did you mean 'salary'" in m for _, m in problems)


def test_an_unhashable_issue_id_does_not_break_the_hint(tmp_path: Path) -> None:
    # found by the fuzzer: an issue id that is a table must be reported, not crash the hint
    source = JOB.read_text(encoding="utf-8")
    problems = _problems(tmp_path, source.replace('id = "salary"', 'id = { a = 1 }', 1))
    assert problems and all(isinstance(message, str) for _, message in problems)

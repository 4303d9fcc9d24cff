"""The native file format: lossless round trips, JSON twin, atomic and careful writes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import ScenarioError
from accord.io.scenario_file import dumps_json, dumps_toml, json_schema, load, loads, save
from accord.model import Scenario
from tests.scenario_strategies import scenarios

_EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"
#: The scenario examples: the tutorial's and every example folder's scenario.toml.
EXAMPLES = [_EXAMPLES_DIR / "job-offer.toml", *sorted(_EXAMPLES_DIR.glob("*/scenario.toml"))]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_round_trip_through_toml_and_json(path: Path, tmp_path: Path) -> None:
    original = load(path)
    assert loads(dumps_toml(original)) == original
    assert loads(dumps_json(original), format="json") == original
    saved = save(original, tmp_path / "copy.toml")
    assert load(saved) == original
    saved_json = save(original, tmp_path / "copy.json")
    assert load(saved_json) == original


@settings(max_examples=60, deadline=None)
@given(scenarios())
def test_random_scenarios_round_trip(scenario: Scenario) -> None:
    assert loads(dumps_toml(scenario)) == scenario
    assert loads(dumps_json(scenario), format="json") == scenario


_awkward_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40
)


@settings(max_examples=200, deadline=None)
@given(title=_awkward_text, label=_awkward_text, quote=_awkward_text)
def test_any_text_survives_the_toml_writer(title: str, label: str, quote: str,
                                           ) -> None:
    document = {
        "scenario": {"title": title},
        "parties": [{"id": "a", "name": "A", "role": "principal"}],
        "issues": [{"id": "x.y", "title": "t", "options": [{"id": "o", "label": label}]}],
        "preferences": {"a": {"weights": {"x.y": 1.0}, "values": {"x.y": {"o": 0.5}}}},
        "statements": [{"speaker": "a", "date": "2025-11-30", "quote": quote}],
    }
    scenario = Scenario.model_validate(document)
    assert loads(dumps_toml(scenario)) == scenario


def test_estimates_are_always_written(job_offer_path: Path) -> None:
    text = dumps_toml(load(job_offer_path))
    assert text.count("estimate = true") == 2
    assert "reservation = 0.55" in text


def test_save_refuses_to_overwrite(job_offer_path: Path, tmp_path: Path) -> None:
    scenario = load(job_offer_path)
    target = tmp_path / "mine.toml"
    target.write_text("precious")
    with pytest.raises(FileExistsError):
        save(scenario, target)
    assert target.read_text() == "precious"
    save(scenario, target, overwrite=True)
    assert load(target) == scenario
    assert [p.name for p in tmp_path.iterdir()] == ["mine.toml"]  # no temporary left behind
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()  # as a plain open() would make it


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_json_schema_accepts_the_examples(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for path in EXAMPLES:
        document = json.loads(dumps_json(load(path)))
        errors = list(validator.iter_errors(document))
        assert not errors, (path, errors[:3])


def test_json_schema_rejects_a_wrong_role() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(json_schema())
    document = {"scenario": {"title": "x"},
                "parties": [{"id": "a", "name": "A", "role": "king"}],
                "issues": [{"id": "i", "title": "I", "options": [{"id": "o", "label": "O"}]}]}
    assert list(validator.iter_errors(document))


def test_the_fast_toml_parser_reads_every_file_as_tomllib_does() -> None:
    # Large scenario files are parsed by rtoml, the rest by tomllib: both must agree on every
    # TOML file in the repository (those tomllib refuses fall back to it, so only accepted
    # documents need to match).
    import tomllib

    from accord.io.scenario_file import _fast_toml

    root = Path(__file__).resolve().parents[2]
    files = sorted([*root.glob("examples/**/*.toml"), *root.glob("tests/data/**/*.toml")])
    assert len(files) > 40
    for file in files:
        text = file.read_text(encoding="utf-8", errors="replace")
        try:
            expected = tomllib.loads(text)
        except (tomllib.TOMLDecodeError, ValueError, RecursionError):
            continue
        fast = _fast_toml(text)
        assert fast is None or fast == expected, file


def test_a_large_scenario_reads_the_same_through_either_parser(tmp_path: Path) -> None:
    import tomllib

    from accord.io import scenario_file

    text = (_EXAMPLES_DIR / "peace-plan-2025" / "scenario.toml").read_text(encoding="utf-8")
    padded = "# " + "x" * (scenario_file._FAST_TOML_BYTES + 10) + "\n" + text
    path = tmp_path / "big.toml"
    path.write_text(padded, encoding="utf-8")
    assert scenario_file.read_document(path) == tomllib.loads(text)
    # a broken large file still gets tomllib's line and column
    path.write_text(padded + "\nbroken = \n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="line"):
        scenario_file.load(path)

"""Every malformed input gives exit status 2, one precise message per problem, and no traceback.

The corpus in tests/data/malformed/ holds variations of examples/job-offer.toml,
each with one mistake; the cases below add files that are broken as files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.errors import ScenarioError
from accord.io.scenario_file import load
from tests.cli.helpers import run_cli

CORPUS = Path(__file__).resolve().parent.parent / "data" / "malformed"

#: file stem -> (key path the message must name, words the message must contain)
EXPECTED: dict[str, tuple[str, str]] = {
    "author_unknown": ("texts.counter.author", "unknown party 'dan' (did you mean 'dana'?)"),
    "bad_date": ("texts.counter.date", "expected an ISO date"),
    "delegate_dates_reversed": ("parties.northwind.delegates[1].until", "before starting"),
    "duplicate_issue_id": ("issues.remote.id", "duplicate id 'remote'"),
    "duplicate_option_id": ("issues.vacation.options.20d.id", "duplicate option id '20d'"),
    "duplicate_party_id": ("parties.dana.id", "duplicate id 'dana'"),
    "every_option_red_line": ("preferences.dana.red_lines.remote", "every option of this issue"),
    "impossible_date": ("scenario.as_of", "expected an ISO date"),
    "invalid_id_with_space": ("sources[1].id", "invalid id 'interview notes'"),
    "invalid_toml_duplicate_key": ("line 39, column 17", "defined twice"),
    "invalid_toml_unclosed_array": ("line 71, column 1", "unclosed array"),
    "invalid_toml_unquoted_string": ("line 20, column 8", "strings need quotes"),
    "meeting_unknown_participant": ("meetings[1].participants[2]", "did you mean 'agency'?"),
    "meeting_unknown_text": ("meetings[1].texts[1]", "did you mean 'counter'?"),
    "missing_option_value": ("preferences.dana.values.vacation", "no value for option '30d'"),
    "missing_title": ("issues.salary", "missing required key 'title'"),
    "missing_values_for_weighted_issue": ("preferences.northwind.values", "issue 'bonus' has a weight"),
    "must_accept_unknown": ("scenario.must_accept[2]", "did you mean 'northwind'?"),
    "must_accept_without_preferences": ("preferences", "'agency' must accept a deal"),
    "no_options": ("issues.bonus.options", "at least 1 entry"),
    "options_not_a_list": ("issues.vacation.options", "expected an array"),
    "parent_cycle": ("texts.offer.parent", "cycle: offer → revised → counter → offer"),
    "parent_missing": ("texts.counter.parent", "unknown text 'ofer' (did you mean 'offer'?)"),
    "preferences_without_weights": ("preferences.northwind", "missing [weights]"),
    "red_line_unknown_issue": ("preferences.dana.red_lines.remot", "did you mean 'remote'?"),
    "red_line_unknown_option": ("preferences.dana.red_lines.remote[1]", "did you mean 'office'?"),
    "reservation_above_one": ("preferences.dana.reservation", "between 0 and 1, got 55"),
    "settled_point_disputed": ("settled[1].points[1]", "plan point 5 is listed as settled"),
    "statement_unknown_source": ("statements[1].source", "did you mean 'interview-notes'?"),
    "statement_unknown_speaker": ("statements[1].speaker", "did you mean 'northwind'?"),
    "text_position_unknown_issue": ("texts.counter.positions.bonuses", "did you mean 'bonus'?"),
    "unknown_issue_in_weights": ("preferences.dana.weights.salry", "did you mean 'salary'?"),
    "unknown_key": ("preferences.northwind", "unknown key 'reservaton' (did you mean 'reservation'?)"),
    "unknown_option_in_text": ("texts.revised.positions.salary", "unknown option '110K' for issue 'salary' (did you mean '110k'?)"),
    "unknown_option_in_values": ("preferences.dana.values.remote", "unknown option 'offise' for issue 'remote' (did you mean 'office'?)"),
    "unknown_party_in_preferences": ("preferences.northwnd", "did you mean 'northwind'?"),
    "unknown_role": ("parties.agency.role", "did you mean 'mediator'?"),
    "unknown_status": ("texts.revised.status", "did you mean 'draft'?"),
    "unknown_top_level_table": ("(top level)", "unknown key 'meeting' (did you mean 'meetings'?)"),
    "value_above_one": ("preferences.dana.values.salary.120k", "between 0 and 1, got 1.5"),
    "value_negative": ("preferences.dana.values.remote.hybrid", "between 0 and 1, got -0.6"),
    "value_not_a_number": ("preferences.dana.values.vacation.25d", "expected a number, got 'high'"),
    "weight_negative": ("preferences.northwind.weights.start", "positive number, got -0.2"),
    "weight_zero": ("preferences.dana.weights.bonus", "positive number, got 0"),
    # issue 10, model classes: no coercion (3), semantic holes (4), sizes (5), plain words (10)
    "model-3-datetime-for-date": ("scenario.as_of", "got the date and time 2026-03-20T10:00:00+02:00"),
    "model-3-reservation-string": ("preferences.dana.reservation", "expected a number, got '0.55'"),
    "model-3-estimate-number": ("preferences.dana.estimate", "expected true or false, got 1"),
    "model-3-point-float": ("issues.salary.points[1]", "expected a whole number, got 1.0"),
    "model-3-weight-true": ("preferences.dana.weights.salary", "expected a number, got true"),
    "model-3-date-zero": ("texts.counter.date", "expected an ISO date such as 2025-11-20, got 0"),
    "model-3-huge-integer": ("line 95", "a number with thousands of digits"),
    "model-4-must-accept-empty": ("scenario.must_accept", "is empty, so no one would need to accept"),
    "model-4-must-accept-twice": ("scenario.must_accept[3]", "'dana' is listed twice in must_accept"),
    "model-4-red-line-option-array": ("preferences.dana.red_lines.remote[1].option",
                                      "expected a string (in quotes), got an array"),
    "model-4-red-line-option-table": ("preferences.dana.red_lines.remote[1].option",
                                      "expected a string (in quotes), got a table"),
    "model-4-source-twice": ("texts.offer.sources[2]", "'interview-notes' is listed twice"),
    "model-5-title-too-long": ("scenario.title", "is 1,500 characters; at most 1,000 characters"),
    "model-10-meeting-datetime": ("meetings[1].date", "got the date and time 2026-03-10T14:00:00"),
}

#: JSON files of the corpus (JSON has no comments, so they are not variations with a header).
EXPECTED_JSON: dict[str, tuple[str, str]] = {
    "model-3-json-key-twice": ("issues.salary.title", "key 'title' is given more than once"),
}

#: Other helpers' regression files carry these prefixes and are checked by their own tests.
_OTHER_PREFIXES = ("io-", "cli-", "fuzz-")


def test_corpus_and_expectations_match() -> None:
    stems = {p.stem for p in CORPUS.glob("*.toml") if not p.stem.startswith(_OTHER_PREFIXES)}
    assert stems == set(EXPECTED)
    json_stems = {p.stem for p in CORPUS.glob("*.json") if not p.stem.startswith(_OTHER_PREFIXES)}
    assert json_stems == set(EXPECTED_JSON)
    assert len(stems) >= 30


def _assert_clean_failure(path: Path, where: str, words: str) -> None:
    result = run_cli("check", str(path))
    assert result.exception is None, result.exception
    assert result.code == 2, (result.code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    expected = f"{path}: {where}: " if where else f"{path}: "
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert any(expected in line and words in line for line in lines), result.stderr


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_malformed_file_is_refused_precisely(stem: str) -> None:
    where, words = EXPECTED[stem]
    _assert_clean_failure(CORPUS / f"{stem}.toml", where, words)


@pytest.mark.parametrize("stem", sorted(EXPECTED_JSON))
def test_malformed_json_file_is_refused_precisely(stem: str) -> None:
    where, words = EXPECTED_JSON[stem]
    _assert_clean_failure(CORPUS / f"{stem}.json", where, words)


@pytest.mark.parametrize("name", sorted([f"{s}.toml" for s in EXPECTED]
                                        + [f"{s}.json" for s in EXPECTED_JSON]))
def test_library_raises_scenario_error_with_the_same_problem(name: str) -> None:
    where, words = {**EXPECTED, **EXPECTED_JSON}[name.rsplit(".", 1)[0]]
    with pytest.raises(ScenarioError) as caught:
        load(CORPUS / name)
    assert any(p.path == where and words in p.message for p in caught.value.problems), [
        str(p) for p in caught.value.problems]
    # Messages are in the file's words: no Python reprs or pydantic type names.
    for problem in caught.value.problems:
        assert "datetime." not in problem.message and "Input should" not in problem.message


def test_all_problems_are_reported_at_once(tmp_path: Path, job_offer_path: Path) -> None:
    text = job_offer_path.read_text()
    text = text.replace('role = "mediator"', 'role = "mediater"')
    text = text.replace("120k = 1.0", "120k = 2.0")
    text = text.replace('parent = "offer"', 'parent = "ofer"')
    broken = tmp_path / "three.toml"
    broken.write_text(text)
    with pytest.raises(ScenarioError) as caught:
        load(broken)
    paths = {p.path for p in caught.value.problems}
    assert {"parties.agency.role", "preferences.dana.values.salary.120k", "texts.counter.parent"} <= paths
    result = run_cli("check", str(broken))
    assert result.code == 2 and "3 problems found." in result.stderr


# -- files that are broken as files ----------------------------------------------


def _garbage(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    cases: dict[str, tuple[Path, str]] = {}
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    cases["empty"] = (empty, "is empty")
    blank = tmp_path / "blank.toml"
    blank.write_text("\n   \n\t\n")
    cases["blank"] = (blank, "is empty")
    binary = tmp_path / "garbage.toml"
    binary.write_bytes(bytes(range(256)) * 40)
    cases["binary"] = (binary, "binary file")
    latin = tmp_path / "latin1.toml"
    latin.write_bytes('[scenario]\ntitle = "Caf\xe9"\n'.encode("latin-1"))
    cases["not utf-8"] = (latin, "not valid UTF-8")
    big = tmp_path / "big.toml"
    big.write_text("x" * (17 * 1024 * 1024))
    cases["too big"] = (big, "MiB")
    several_mb = tmp_path / "several-mb.toml"
    # under the 2 MiB cap, over the size that rtoml parses: its refusal goes to tomllib
    several_mb.write_text(("# padding line\n" * 120_000) + "this is not toml\n")
    cases["several MB of near-TOML"] = (several_mb, "invalid TOML")
    folder = tmp_path / "folder"
    folder.mkdir()
    cases["directory"] = (folder, "directory")
    cases["missing"] = (tmp_path / "nope.toml", "no such file")
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"scenario": {"title": "x"},, }')
    cases["invalid JSON"] = (bad_json, "invalid JSON")
    array_json = tmp_path / "array.json"
    array_json.write_text("[1, 2, 3]")
    cases["JSON array"] = (array_json, "expected a table of keys")
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    cases["deeply nested JSON"] = (deep, "")
    toml_only_scalars = tmp_path / "scalars.toml"
    toml_only_scalars.write_text('title = "no tables"\n')
    cases["no tables"] = (toml_only_scalars, "missing required key")
    return cases


def test_broken_files_give_exit_2_and_a_message(tmp_path: Path) -> None:
    for name, (path, words) in _garbage(tmp_path).items():
        result = run_cli("check", str(path))
        assert result.exception is None, (name, result.exception)
        assert result.code == 2, (name, result.code, result.stderr)
        assert "Traceback" not in result.stderr, name
        assert str(path) in result.stderr and words in result.stderr, (name, result.stderr)


def test_check_json_lists_problems(tmp_path: Path) -> None:
    result = run_cli("check", str(CORPUS / "unknown_role.toml"), "--json")
    assert result.code == 2
    data = json.loads(result.stdout)
    assert data["valid"] is False
    assert data["problems"][0]["path"] == "parties.agency.role"

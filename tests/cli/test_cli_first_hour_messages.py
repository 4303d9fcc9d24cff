"""Issue 11, a new user's first hour: a GENIUS file given as a scenario, an unknown option, an
unterminated TOML string, and a GENIUS folder given to commands that cannot use one as it is —
each told in one line that names what to do instead (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import run_cli

ROOT = Path(__file__).resolve().parents[2]
JOB = ROOT / "examples" / "job-offer.toml"


@pytest.fixture
def genius_folder(tmp_path: Path) -> Path:
    """A bilateral GENIUS domain folder: the job offer exported (GENIUS has no red lines)."""
    folder = tmp_path / "genius"
    done = run_cli("export", "genius", JOB, "-o", folder, "--drop-red-lines")
    assert done.code == 0, done.stderr
    return folder


def _one_line(run_stderr: str) -> str:
    lines = run_stderr.strip().splitlines()
    assert len(lines) == 1, run_stderr
    return lines[0]


@pytest.mark.parametrize("command", ["check", "evaluate", "solve", "frontier"])
def test_a_genius_xml_file_given_as_a_scenario_names_its_folder(genius_folder: Path,
                                                                command: str) -> None:
    profile = genius_folder / "dana.xml"
    run = run_cli(command, profile)
    assert run.code == 2
    line = _one_line(run.stderr)
    assert f"{profile}: is a GENIUS profile file, not a scenario" in line
    assert f"pass the folder that holds the domain and its profiles instead ({genius_folder})" \
        in line and "invalid TOML" not in line


def test_forecast_given_a_genius_file_names_its_folder(genius_folder: Path) -> None:
    # forecast reads an .xml as KTAB; a GENIUS file gets the same advice as elsewhere
    run = run_cli("forecast", genius_folder / "dana.xml", "-n", "0")
    assert run.code == 2
    line = _one_line(run.stderr)
    assert "is a GENIUS profile file, not a KTAB scenario" in line and f"({genius_folder})" in line


def test_a_genius_domain_file_is_named_a_domain(genius_folder: Path) -> None:
    (domain,) = genius_folder.glob("*-domain.xml")
    run = run_cli("solve", domain, "--json")
    assert run.code == 2
    error = json.loads(run.stdout)["error"]
    assert error["file"] == str(domain)
    assert error["message"].startswith("is a GENIUS domain file, not a scenario")
    assert f"accord import genius {genius_folder}" in error["message"]


@pytest.mark.parametrize(("document", "kind"), [
    ({"name": "d", "issuesValues": {"a": {"values": ["x", "y"]}}}, "GeniusWeb domain"),
    ({"LinearAdditiveUtilitySpace": {"domain": {}, "name": "p"}}, "GeniusWeb profile"),
])
def test_a_geniusweb_json_file_is_recognised(tmp_path: Path, document: dict[str, object],
                                             kind: str) -> None:
    path = tmp_path / "file.json"
    path.write_text(json.dumps(document))
    run = run_cli("check", path)
    assert run.code == 2
    line = _one_line(run.stderr)
    assert f"{path}: is a {kind} file, not a scenario" in line and f"({tmp_path})" in line


def test_a_scenario_in_json_is_still_read_as_one(tmp_path: Path) -> None:
    # A scenario that happens to have a GeniusWeb-like key is still a scenario (its own errors).
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"scenario": {"id": "x"}, "issuesValues": {}}))
    run = run_cli("check", path)
    assert run.code == 2 and "GeniusWeb" not in run.stderr and "issuesValues" in run.stderr


@pytest.mark.parametrize(("command", "given", "expected"), [
    ("amend", "--k", "Did you mean '-k'?"),      # the short option of that letter, written long
    ("amend", "--jsn", "Did you mean '--json'?"),
    ("solve", "--frob", None),                   # was "Possible options: --force"
    ("solve", "--bogus", None),
])
def test_an_unknown_option_suggests_only_a_close_one(command: str, given: str,
                                                     expected: str | None) -> None:
    run = run_cli(command, JOB, given, "3")
    assert run.code == 2 and run.stdout == ""
    line = _one_line(run.stderr)
    assert line.startswith(f"error: No such option: {given}") and "-h for help" in line
    assert "Possible options" not in line
    if expected is None:
        assert "Did you mean" not in line, line
    else:
        assert expected in line
        as_json = run_cli(command, JOB, given, "3", "--json")
        assert expected in json.loads(as_json.stdout)["error"]["message"]


@pytest.mark.parametrize(("text", "line", "column", "ends"), [
    ('title = "x\n', 1, 9, "on that line"),
    ('[scenario]\nid = "a"\ntitle = "x\\"y # not a comment\n', 3, 9, "on that line"),
    ("[scenario]\nid = 'a\nb = 'c'\n", 2, 6, "on that line"),
    ('title = "x', 1, 9, "on that line"),
    ("# it's \"quoted\" here\nid = 'a\n", 2, 6, "on that line"),
])
def test_an_unterminated_toml_string_names_its_opening_quote(tmp_path: Path, text: str, line: int,
                                                             column: int, ends: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    run = run_cli("check", path)
    assert run.code == 2
    message = _one_line(run.stderr)
    assert message.startswith(f"error: {path}: line {line}, column {column}: invalid TOML: "
                              f"unterminated string: the quote opened at line {line}, column "
                              f"{column} is not closed {ends}"), message
    assert "illegal character" not in message.lower()


def test_a_multiline_string_left_open_keeps_tomllib_s_words(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('title = """x\n')
    run = run_cli("check", path)
    assert run.code == 2 and "invalid TOML: unterminated string" in run.stderr
    assert "quote opened" not in run.stderr


def test_sensitivity_on_a_genius_folder_names_the_import_command(genius_folder: Path) -> None:
    run = run_cli("sensitivity", genius_folder, "-n", "16")
    assert run.code == 2
    line = _one_line(run.stderr)
    assert f"accord import genius {genius_folder} -o scenario.toml" in line
    assert "a GENIUS domain gives every weight and value as one number" in line


def test_simulate_on_a_genius_folder_names_the_protocols_that_need_no_start(
        genius_folder: Path) -> None:
    run = run_cli("simulate", genius_folder)
    assert run.code == 2
    line = _one_line(run.stderr)
    assert "shuttle diplomacy starts from a text" in line
    assert "--protocol mediate or --protocol alternate need no start" in line
    # and what it names works
    for protocol in ("mediate", "alternate"):
        named = run_cli("simulate", genius_folder, "--protocol", protocol, "--json")
        assert named.code == 0, named.stderr


def test_a_large_frontier_plot_says_what_it_draws_only_to_a_terminal(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import accord.cli.analysis_cmds as commands

    monkeypatch.setattr(commands, "PLOT_NOTE_PACKAGES", 1)  # the job offer's frontier is small
    chart = tmp_path / "f.svg"
    quiet = run_cli("frontier", JOB, "--plot", chart)
    assert quiet.code == 0 and "drawing the frontier" not in quiet.stderr
    monkeypatch.setattr("accord.cli.common.stderr_is_terminal", lambda: True)
    told = run_cli("frontier", JOB, "--plot", chart, "--force")
    assert told.code == 0, told.stderr
    assert "drawing the frontier of " in told.stderr and f"packages to {chart}…" in told.stderr

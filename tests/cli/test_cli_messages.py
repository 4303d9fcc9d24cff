"""Issue 11, items 8 and 11: the options every drawing command shares, and inputs a command
cannot use told in words (one line, exit 2, the file named)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import run_cli

ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP = ROOT / "examples" / "peace-plan-2025" / "scenario.toml"
JOB = ROOT / "examples" / "job-offer.toml"

PLOTTING = [
    ("evaluate", str(JOB)),
    ("frontier", str(JOB)),
    ("solve", str(JOB)),
    ("chance", str(FLAGSHIP), "-n", "100"),
]


@pytest.mark.parametrize("command", PLOTTING, ids=[c[0] for c in PLOTTING])
def test_plot_refuses_an_existing_file_unless_forced(tmp_path: Path, command: tuple[str, ...]) -> None:
    chart = tmp_path / "mine.svg"
    chart.write_text("mine")
    refused = run_cli(*command, "--plot", chart)
    assert refused.code == 2
    assert f"{chart}: --plot: already exists; pass --force to replace it" in refused.stderr
    assert chart.read_text() == "mine"
    forced = run_cli(*command, "--plot", chart, "--force")
    assert forced.code == 0, forced.stderr
    assert "<svg" in chart.read_text()


def test_every_refusal_to_replace_a_file_has_one_wording(tmp_path: Path) -> None:
    existing = tmp_path / "taken"
    existing.write_text("mine")
    wording = "already exists; pass --force to replace it, or choose another name"
    for args in (("simulate", FLAGSHIP, "--trace", existing),
                 ("report", JOB, "-o", existing.with_suffix(".html")),
                 ("chart", JOB, "stance", "-o", existing.with_suffix(".png"))):
        Path(args[-1]).write_text("mine")
        run = run_cli(*args)
        assert run.code == 2 and wording in run.stderr, (args, run.stderr)
        assert Path(args[-1]).read_text() == "mine"


def test_compact_without_json_is_refused_with_a_message() -> None:
    run = run_cli("frontier", JOB, "--compact")
    assert run.code == 2 and run.stdout == ""
    assert "--compact is a form of the JSON output; give --json with it" in run.stderr


def test_sensitivity_takes_k_like_amend_and_improve() -> None:
    short = run_cli("sensitivity", FLAGSHIP, "-n", "16", "-k", "2")
    long = run_cli("sensitivity", FLAGSHIP, "-n", "16", "--top", "2")
    more = run_cli("sensitivity", FLAGSHIP, "-n", "16", "-k", "3")
    assert short.code == 0 and more.code == 0, short.stderr
    assert short.stdout == long.stdout != more.stdout


@pytest.fixture
def genius_folder(tmp_path: Path) -> Path:
    """A bilateral GENIUS domain folder: the job offer exported (GENIUS has no red lines)."""
    folder = tmp_path / "genius"
    done = run_cli("export", "genius", JOB, "-o", folder, "--drop-red-lines")
    assert done.code == 0, done.stderr
    return folder


def test_evaluate_on_a_genius_folder_says_why_in_words(genius_folder: Path) -> None:
    run = run_cli("evaluate", genius_folder)
    assert run.code == 2
    assert f"{genius_folder}: a GENIUS domain holds the parties' preferences but no texts" \
        in run.stderr
    assert "accord solve" in run.stderr and "[[texts]]" not in run.stderr


def test_chance_on_a_genius_folder_points_to_any_package(genius_folder: Path) -> None:
    run = run_cli("chance", genius_folder, "-n", "50")
    assert run.code == 0, run.stderr
    assert "--any-package" in run.stdout


def test_forecast_skips_the_smp_on_a_bilateral_domain_with_a_reason(genius_folder: Path) -> None:
    run = run_cli("forecast", genius_folder, "-n", "0", "--json")
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert len(data["notes"]) == 1 and "the SMP is skipped" in data["notes"][0]
    assert "takes 3 to 250 parties" in data["notes"][0] and "has 2" in data["notes"][0]
    people = run_cli("forecast", genius_folder, "-n", "0")
    assert people.code == 0 and people.stderr.count("\n") == 1 and "SMP is skipped" in people.stderr
    # Asked for by name, the SMP that cannot run is an error, not a silent skip.
    named = run_cli("forecast", genius_folder, "-n", "0", "-m", "smp")
    assert named.code == 2 and "takes 3 to 250" in named.stderr


def test_divide_on_a_negotiation_scenario_says_what_it_needs() -> None:
    run = run_cli("divide", JOB)
    assert run.code == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert f"{JOB}: is a negotiation scenario" in lines[0] and "[[items]]" in lines[0]


USAGE_ERRORS = [
    (("frontier", str(JOB), "--limit", "0"), "Invalid value for '--limit': expected 1 to 100,000",
     "--limit"),
    (("frontier", str(JOB), "--epsilon", "2"), "Invalid value for '--epsilon'", "--epsilon"),
    (("chance", str(JOB), "-n", "abc"), "Invalid value for '--samples' / '-n': expected a whole number",
     "--samples"),
    (("frontier", str(JOB), "--epsilon", "x"), "Invalid value for '--epsilon': expected a number",
     "--epsilon"),
    (("solve", str(JOB), "--bogus"), "No such option: --bogus", "--bogus"),
    (("frontier",), "Missing argument 'FILE'", "FILE"),
    (("fronteir", str(JOB)), "Did you mean 'frontier'?", None),
]


@pytest.mark.parametrize(("args", "message", "place"), USAGE_ERRORS,
                         ids=[" ".join(a[0][:1] + a[0][2:3]) for a in USAGE_ERRORS])
def test_a_usage_error_is_one_line_and_exit_2(args: tuple[str, ...], message: str,
                                              place: str | None) -> None:
    run = run_cli(*args)
    assert run.code == 2 and run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], run.stderr
    assert "-h for help" in lines[0] and "Usage:" not in run.stderr
    as_json = run_cli(*args, "--json")
    assert as_json.code == 2
    error = json.loads(as_json.stdout)["error"]
    assert message in error["message"] and error["place"] == place


def test_a_command_s_own_usage_error_names_its_option_in_json() -> None:
    for args, place in ((("amend", str(JOB), "-t", "offer,counter"), "--text"),
                        (("sensitivity", str(FLAGSHIP), "--method", "anova"), "--method"),
                        (("frontier", str(JOB), "-p", "agency"), "--parties")):
        run = run_cli(*args, "--json")
        assert run.code == 2, args
        assert json.loads(run.stdout)["error"]["place"] == place, args


def _commands() -> list[tuple[str, ...]]:
    from accord.cli import app

    names = [(c.name or c.callback.__name__.replace("_", "-"),) for c in app.registered_commands
             if c.callback is not None]
    for group in app.registered_groups:
        assert group.typer_instance is not None
        group_name = group.name or group.typer_instance.info.name
        names += [(str(group_name), c.name or "") for c in group.typer_instance.registered_commands]
    return names


@pytest.mark.parametrize("command", _commands(), ids=" ".join)
def test_help_names_what_each_option_takes(command: tuple[str, ...]) -> None:
    run = run_cli(*command, "-h")
    assert run.code == 0, run.stderr
    options = run.stdout.split("Options:", 1)[1]
    for noise in ("<str>", "<int>", "<float>", "<path>", " TEXT ", " INTEGER ", "list["):
        assert noise not in options, (command, noise, options)


def test_demo_on_a_one_text_scenario_counts_in_words(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    full = JOB.read_text(encoding="utf-8")
    second = full.index("[[texts]]", full.index("[[texts]]") + 1)
    Path("one.toml").write_text(full[:second], encoding="utf-8")
    run = run_cli("demo", "one.toml")
    assert run.code == 0, run.stderr
    assert "one.toml: 3 parties, 5 disputed issues, 1 version of the text." in run.stdout

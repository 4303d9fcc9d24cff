"""One convention for multi-valued options: repeated or comma-separated, on every command.

The table below lists every command × multi-valued option.  For each row the
repeated form (``-p a -p b``) and the comma form (``-p a,b``) must give the
same answer, and that answer must differ from giving the first value alone —
so a command that silently dropped the second value, or read ``a,b`` as one
unknown id, fails here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.helpers import run_cli

ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP = ROOT / "examples" / "peace-plan-2025" / "scenario.toml"
JOB = ROOT / "examples" / "job-offer.toml"

#: (command and fixed arguments, the option, its values: all but the last must be a valid
#: answer on their own).  The output compared is the
#: JSON on stdout, or the file written (for the commands that only draw).
TABLE: list[tuple[tuple[str, ...], str, tuple[str, ...]]] = [
    (("evaluate", str(JOB)), "--text", ("offer", "counter")),
    (("evaluate", str(JOB)), "-t", ("offer", "revised")),
    (("frontier", str(JOB)), "--parties", ("dana", "northwind")),
    (("solve", str(JOB)), "-p", ("dana", "northwind")),
    (("chance", str(FLAGSHIP), "-n", "200"), "--text", ("plan-28", "plan-20")),
    (("sensitivity", str(FLAGSHIP), "-n", "16", "-k", "3"), "--text", ("plan-28", "plan-20")),
    (("robust", str(JOB), "-n", "32"), "--text", ("offer", "counter")),
    (("simulate", str(FLAGSHIP), "--protocol", "shuttle", "--rounds", "2"), "--order", ("ua", "ru")),
    (("simulate", str(FLAGSHIP), "--protocol", "alternate", "--rounds", "20",
      "--strategies", "boulware"), "--parties", ("ua", "ru", "us")),
    (("simulate", str(FLAGSHIP), "--protocol", "alternate", "--rounds", "20",
      "-p", "ua,ru"), "--strategies", ("conceder", "boulware")),
    (("simulate", str(JOB), "--protocol", "mediate", "--proposals", "60"),
     "--voters", ("annealer", "hill-climber")),
    (("forecast", str(JOB), "-n", "0"), "-m", ("compromise", "median")),
    (("forecast", str(JOB), "-n", "0"), "--model", ("nash", "median", "compromise")),
]

#: Commands that only draw: the file written is compared.
DRAWN: list[tuple[tuple[str, ...], str, tuple[str, str]]] = [
    (("chart", str(FLAGSHIP), "frontier"), "-p", ("ua", "ru")),
    (("chart", str(JOB), "frontier"), "--parties", ("dana", "northwind")),
    (("chart", str(JOB), "frontier"), "--party", ("northwind", "dana")),
]

#: Options that take one id: a comma-separated pair is refused with a sentence, not read
#: as one unknown id or silently as the last one.
SINGLE: list[tuple[str, ...]] = [
    ("frontier", str(JOB), "--text", "offer,counter"),
    ("solve", str(JOB), "-t", "offer,counter"),
    ("amend", str(JOB), "--text", "offer,counter"),
    ("improve", str(JOB), "--text", "offer", "--text", "counter"),
    ("diff", str(JOB), "--lineage", "offer,revised"),
    ("report", str(JOB), "--text", "offer,counter"),
    ("chart", str(JOB), "stance", "-o", "x.svg", "-t", "offer,counter"),
    ("simulate", str(JOB), "--start", "offer", "--start", "counter"),
]


def _json(args: tuple[str, ...]) -> object:
    run = run_cli(*args, "--json")
    assert run.code == 0, (args, run.stderr)
    data = json.loads(run.stdout)
    if isinstance(data, dict):
        data.pop("seconds", None)  # a timing, not part of the answer
    return data


@pytest.mark.parametrize(("command", "option", "values"), TABLE,
                         ids=[f"{row[0][0]} {row[1]}" for row in TABLE])
def test_repeated_and_comma_separated_give_the_same_answer(
        command: tuple[str, ...], option: str, values: tuple[str, ...]) -> None:
    repeated = _json((*command, *(part for value in values for part in (option, value))))
    comma = _json((*command, option, ",".join(values)))
    spaced = _json((*command, option, " , ".join(f" {value}" for value in values) + ","))
    fewer = _json((*command, option, ",".join(values[:-1])))
    assert repeated == comma == spaced
    assert comma != fewer, "the last value made no difference: was it read at all?"


@pytest.mark.parametrize(("command", "option", "values"), DRAWN,
                         ids=[f"{row[0][0]} {row[1]}" for row in DRAWN])
def test_drawing_commands_follow_the_convention(tmp_path: Path, command: tuple[str, ...],
                                                option: str, values: tuple[str, str]) -> None:
    first, second = values
    repeated = run_cli(*command, option, first, option, second, "-o", tmp_path / "a.svg")
    comma = run_cli(*command, option, f"{first},{second}", "-o", tmp_path / "b.svg")
    assert repeated.code == 0 and comma.code == 0, (repeated.stderr, comma.stderr)
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()


@pytest.mark.parametrize("args", SINGLE, ids=[" ".join(a[:1] + a[2:3]) for a in SINGLE])
def test_an_option_that_takes_one_id_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             args: tuple[str, ...]) -> None:
    monkeypatch.chdir(tmp_path)
    run = run_cli(*args)
    assert run.code == 2
    assert "takes one id, got 2: offer, " in run.stderr, run.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_id_in_a_comma_list_names_the_file_and_the_option() -> None:
    run = run_cli("frontier", str(JOB), "-p", "dana,nortwind", "--json")
    assert run.code == 2
    error = json.loads(run.stdout)["error"]
    assert error["file"] == str(JOB) and error["place"] == "--parties"
    assert "unknown party 'nortwind' (did you mean 'northwind'?)" in error["message"]


def test_a_misspelt_kind_gets_a_did_you_mean() -> None:
    for args, option, hint in (
            (("sensitivity", str(FLAGSHIP), "--method", "sobl"), "--method", "'sobol'"),
            (("simulate", str(FLAGSHIP), "--protocol", "shutle"), "--protocol", "'shuttle'"),
            (("simulate", str(FLAGSHIP), "--protocol", "alternate", "--strategies", "bulware,linear"),
             "--strategies", "'boulware'"),
            (("forecast", str(JOB), "-m", "median,nsh"), "--model", "'nash'")):
        run = run_cli(*args)
        assert run.code == 2, args
        assert f"{option}: " in run.stderr and f"did you mean {hint}?" in run.stderr, run.stderr


def test_chart_parties_comma_separated_and_repeated_draw_the_same(tmp_path: Path) -> None:
    comma = run_cli("chart", str(FLAGSHIP), "frontier", "-p", "ua,ru", "-o", str(tmp_path / "a.svg"))
    repeated = run_cli("chart", str(FLAGSHIP), "frontier", "-p", "ua", "-p", "ru",
                       "-o", str(tmp_path / "b.svg"))
    assert comma.code == 0 and repeated.code == 0, (comma.stderr, repeated.stderr)
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()


def test_json_usage_error_is_json_on_stdout() -> None:
    done = subprocess.run([sys.executable, "-m", "accord", "frontier", str(FLAGSHIP), "--bogus",
                           "--json"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    error = json.loads(done.stdout)["error"]
    assert "--bogus" in error["message"] and error["file"] is None


def test_import_genius_profiles_repeated_or_comma_separated(tmp_path: Path) -> None:
    folder = tmp_path / "domain"
    assert run_cli("export", "genius", JOB, "-o", folder, "--drop-red-lines").code == 0
    (domain,) = folder.glob("*domain*.xml")
    dana, northwind = folder / "dana.xml", folder / "northwind.xml"
    repeated = run_cli("import", "genius", domain, "-p", dana, "-p", northwind, "--json")
    comma = run_cli("import", "genius", domain, "-p", f"{dana},{northwind}", "--json")
    alone = run_cli("import", "genius", domain, "-p", dana, "--json")
    assert repeated.code == 0 and comma.code == 0, (repeated.stderr, comma.stderr)
    assert json.loads(repeated.stdout) == json.loads(comma.stdout)
    assert alone.code != 0 or json.loads(alone.stdout) != json.loads(comma.stdout)
    # A profile whose own file name holds a comma is one file, not two.
    odd = folder / "dana,kim.xml"
    odd.write_bytes(dana.read_bytes())
    whole = run_cli("import", "genius", domain, "-p", odd, "-p", northwind, "--json")
    assert whole.code == 0, whole.stderr
    assert [p["id"] for p in json.loads(whole.stdout)["parties"]][1] == "northwind"

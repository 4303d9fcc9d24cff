"""Issue 11: the views of chance, robust, sensitivity and simulate as a person and a script read them.

Each test names the defect it guards against; the oracle is the definition
(a probability of k successes in n samples is exactly k/n; closing an open
point is not a change; an agreement comes with its text).
"""

from __future__ import annotations

import io
import json
import re
from fractions import Fraction
from pathlib import Path

import pytest

from tests.cli.helpers import run_cli


def _words(text: str) -> str:
    return " ".join(text.split())


def _is_count_over(value: float, samples: int) -> bool:
    """``value`` is exactly some k/samples as a float (no rounding to 6 decimals on the way)."""
    k = round(value * samples)
    return value == k / samples


def test_chance_json_keeps_full_precision(peace_plan_path: Path) -> None:
    # 7 samples: every probability is k/7, which 6 decimals cannot write (1/7 = 0.142857142…).
    run = run_cli("chance", peace_plan_path, "-n", "7", "--any-package", "--json")
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert _is_count_over(data["p_any_package"], 7)
    assert 0 < data["p_any_package"] < 1
    assert Fraction(data["p_any_package"]).limit_denominator(7).denominator in (1, 7)
    for text in data["texts"]:
        assert _is_count_over(text["p_all"], 7)
        for party in text["parties"].values():
            assert _is_count_over(party["p_accept"], 7)


def test_robust_and_tornado_json_keep_full_precision(peace_plan_path: Path) -> None:
    run = run_cli("robust", peace_plan_path, "-n", "7", "--json")
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert _is_count_over(data["p_all"], 7) and 0 < data["p_all"] < 1
    assert round(data["p_all"], 6) != data["p_all"]
    run = run_cli("sensitivity", peace_plan_path, "-n", "7", "--json")
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    values = [data["base"]["any-package"]] + [p for e in data["estimates"]
                                              for p in (*e["p_low"].values(), *e["p_high"].values())]
    assert all(_is_count_over(v, 7) for v in values)
    assert any(round(v, 6) != v for v in values)


def test_robust_json_does_not_count_closing_an_open_point_as_a_change(peace_plan_path: Path) -> None:
    # plan-20 leaves donetsk, recognition and znpp open (the scenario file says so).
    run = run_cli("robust", peace_plan_path, "-n", "300", "--text", "plan-20", "--json")
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert "closing an open point is not a change" in data["convention"]
    (amendment,) = data["amendments"]
    assert {c["issue"] for c in amendment["closed"]} == {"donetsk", "recognition", "znpp"}
    assert amendment["change_count"] == len(amendment["changes"])
    assert all(change["from"] is not None for change in amendment["changes"])
    changed = {c["issue"] for c in amendment["changes"]}
    assert not changed & {"donetsk", "recognition", "znpp"}
    # the amended text differs from plan-20 exactly at the changes and the closures
    from accord.io.scenario_file import load

    plan = next(t for t in load(peace_plan_path).texts if t.id == "plan-20")
    differs = {i for i, o in amendment["positions"].items() if plan.positions.get(i) != o}
    assert differs == changed | {"donetsk", "recognition", "znpp"}
    # the same step counts in the text: k changes, never counting the three closures
    assert amendment["steps"][0]["changes"] == 0


def test_people_read_label_and_id(peace_plan_path: Path) -> None:
    robust = _words(run_cli("robust", peace_plan_path, "-n", "300", "-t", "plan-20").stdout)
    assert "Ukraine (ua) and Russia (ru)" in robust
    assert "The part of Donetsk region still held by Ukraine (donetsk)" in robust
    assert "(free-economic-zone)" in robust and "20-point framework (plan-20)" in robust
    sensitivity = _words(run_cli("sensitivity", peace_plan_path, "-n", "64").stdout)
    assert "28-point plan (plan-28)" in sensitivity and "plan-28" in sensitivity
    # each estimate shown, in words: party, point and option by label and id
    assert "ua reservation: the reservation value of Ukraine (ua)" in sensitivity
    assert ("the value Russia (ru) puts on Ukraine withdraws; area becomes a demilitarised free "
            "economic zone (free-economic-zone) for The part of Donetsk region still held by "
            "Ukraine (donetsk)") in sensitivity
    simulate = _words(run_cli("simulate", peace_plan_path).stdout)
    assert "Ukraine (ua) and Russia (ru)" in simulate
    assert "28-point plan (plan-28)" in simulate and "Amnesty (amnesty)" in simulate


def test_shuttle_agreement_prints_the_agreed_text(job_offer_path: Path) -> None:
    run = run_cli("simulate", job_offer_path, "--json")
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["agreement"] is True
    assert data["agreed_text"] == data["versions"][-1]["positions"]
    assert None not in data["agreed_text"].values() and len(data["agreed_text"]) == 5
    text = run_cli("simulate", job_offer_path).stdout
    assert "the agreed text" in text
    for issue, option in data["agreed_text"].items():
        assert re.search(rf"\({re.escape(issue)}\)\s*│[^\n]*\({re.escape(option)}\)", text), issue


def test_shuttle_without_agreement_has_no_agreed_text(peace_plan_path: Path) -> None:
    data = json.loads(run_cli("simulate", peace_plan_path, "--json").stdout)
    assert data["agreement"] is False and data["agreed_text"] is None


def test_one_meeting_is_one_meeting(job_offer_path: Path) -> None:
    run = run_cli("simulate", job_offer_path, "--order", "dana", "--rounds", "1", "--no-close")
    assert run.code == 0, run.stderr
    assert "(1 meeting)" in run.stdout and "1 meetings" not in run.stdout


def _without_texts(tmp_path: Path, job_offer_path: Path) -> Path:
    """The job offer without its texts (and the meetings about them), as a GENIUS domain comes."""
    from accord.io.scenario_file import load, save

    scenario = load(job_offer_path)
    path = tmp_path / "no-texts.toml"
    save(scenario.model_copy(update={"texts": [], "meetings": []}), path)
    return path


def test_no_texts_gives_a_sentence_not_an_empty_table(tmp_path: Path, job_offer_path: Path) -> None:
    path = _without_texts(tmp_path, job_offer_path)
    assert run_cli("check", path).code == 0
    chance = run_cli("chance", path, "-n", "50")
    assert chance.code == 0, chance.stderr
    assert "┏" not in chance.stdout and "has no texts" in chance.stdout
    robust = run_cli("robust", path, "-n", "50")
    assert robust.code == 0, robust.stderr
    assert "The texts on the same samples: ." not in robust.stdout
    assert "no text to compare it with" in robust.stdout
    data = json.loads(run_cli("chance", path, "-n", "50", "--json").stdout)
    assert data["texts"] == [] and any("no texts" in note for note in data["notes"])


def test_genius_folder_chance_and_robust_read_well(genius_data: Path) -> None:
    folder = genius_data / "anac" / "y2010" / "EnglandZimbabwe"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    chance = run_cli("chance", folder, "-n", "50")
    assert chance.code == 0 and "┏" not in chance.stdout and "has no texts" in chance.stdout
    robust = run_cli("robust", folder, "-n", "50")
    assert robust.code == 0 and "The texts on the same samples: ." not in robust.stdout


def test_install_hints_name_the_checkout_install(peace_plan_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from accord.analysis import sensitivity

    monkeypatch.setattr(sensitivity, "salib_available", lambda: False)
    run = run_cli("sensitivity", peace_plan_path, "--method", "sobol", "-n", "64", "--json")
    note = json.loads(run.stdout)["notes"][0]
    assert "pip install -e '.[sensitivity]'" in note and "accord[" not in note
    run = run_cli("report", peace_plan_path, "--sobol", "-o", "x.html")
    assert run.code == 2 and "pip install -e '.[sensitivity]'" in run.stderr
    cli = Path(__file__).parents[2] / "src" / "accord" / "cli"
    for module in ("chance_cmds.py", "report_cmds.py", "protocol_cmds.py", "server_cmds.py"):
        assert "'accord[" not in (cli / module).read_text(encoding="utf-8"), module


def test_chart_without_output_says_what_is_expected(job_offer_path: Path) -> None:
    run = run_cli("chart", job_offer_path, "frontier")
    assert run.code == 2
    assert "-o/--output FILE" in run.stderr and "for example: accord chart" in run.stderr
    assert "Missing option" not in run.stderr and "Usage:" not in run.stderr


# ---------------------------------------------------------------------------
# the sensitivity progress bar


class _Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[int, int]] = []


def _terminal(monkeypatch, tty: bool) -> io.StringIO:  # type: ignore[no-untyped-def]
    from rich.console import Console

    from accord.cli import chance_cmds

    buffer = io.StringIO()
    fake = Console(file=buffer, force_terminal=tty, width=100)
    monkeypatch.setattr(chance_cmds, "error_console", lambda: fake)
    return buffer


def _spy_tornado(monkeypatch) -> _Recorder:  # type: ignore[no-untyped-def]
    from accord.analysis import sensitivity

    recorder = _Recorder()
    real = sensitivity.tornado

    def spy(*args, progress=None, **kwargs):  # type: ignore[no-untyped-def]
        recorder.given = progress  # type: ignore[attr-defined]

        def wrapped(done: int, total: int) -> None:
            recorder.calls.append((done, total))
            progress(done, total)

        return real(*args, progress=None if progress is None else wrapped, **kwargs)

    monkeypatch.setattr(sensitivity, "tornado", spy)
    return recorder


def test_sensitivity_shows_a_bar_in_a_terminal_for_long_runs(peace_plan_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    buffer = _terminal(monkeypatch, tty=True)
    recorder = _spy_tornado(monkeypatch)
    # 9 estimates: 1,200 × 19 = 22,800 sample-runs, above the 20,000 threshold
    run = run_cli("sensitivity", peace_plan_path, "-n", "1200")
    assert run.code == 0, run.stderr
    assert recorder.calls and recorder.calls[-1] == (1200 * 19, 1200 * 19)
    assert "tornado" in buffer.getvalue()


def test_sensitivity_shows_no_bar_off_a_terminal_short_runs_or_json(peace_plan_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    recorder = _spy_tornado(monkeypatch)
    buffer = _terminal(monkeypatch, tty=False)
    assert run_cli("sensitivity", peace_plan_path, "-n", "1200").code == 0
    assert recorder.given is None and buffer.getvalue() == ""  # type: ignore[attr-defined]
    buffer = _terminal(monkeypatch, tty=True)
    assert run_cli("sensitivity", peace_plan_path, "-n", "1200", "--json").code == 0
    assert recorder.given is None and buffer.getvalue() == ""  # type: ignore[attr-defined]
    assert run_cli("sensitivity", peace_plan_path, "-n", "1000").code == 0   # 19,000 runs
    assert recorder.given is None and buffer.getvalue() == ""  # type: ignore[attr-defined]

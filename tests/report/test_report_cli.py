"""`accord report`, `accord chart` and the demo's report step, in-process."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.helpers import run_cli
from tests.report.pngcheck import png_size


def test_report_writes_the_file_and_never_overwrites(tmp_path: Path, job_offer_path: Path) -> None:
    output = tmp_path / "job.html"
    run = run_cli("report", job_offer_path, "-o", output)
    assert run.code == 0, run.stderr
    assert output.read_text().startswith("<!DOCTYPE html>")
    assert str(output) in run.stdout
    output.write_text("mine")
    again = run_cli("report", job_offer_path, "-o", output)
    assert again.code == 2
    assert "already exists" in again.stderr and "--force" in again.stderr
    assert output.read_text() == "mine"
    forced = run_cli("report", job_offer_path, "-o", output, "--force", "--json")
    assert forced.code == 0
    assert '"bytes"' in forced.stdout
    assert output.read_text() != "mine"


@pytest.mark.parametrize(("args", "message"), [
    (["--text", "ofer"], "did you mean 'offer'"),
    (["--party", "dan", "--party", "northwind"], "did you mean 'dana'"),
    (["--party", "dana"], "at least two different parties"),
    (["-o", "report.pdf"], "ending in .html"),
    (["-o", "no/such/folder/r.html"], "does not exist"),
])
def test_report_bad_options(tmp_path: Path, job_offer_path: Path, monkeypatch: pytest.MonkeyPatch,
                            args: list[str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    run = run_cli("report", job_offer_path, *args)
    assert run.code == 2
    assert message in run.stderr
    assert "Traceback" not in run.stderr
    assert list(tmp_path.iterdir()) == []


def test_report_of_a_missing_file(tmp_path: Path) -> None:
    run = run_cli("report", tmp_path / "nope.toml", "-o", tmp_path / "r.html")
    assert run.code == 2
    assert "nope.toml" in run.stderr


def test_chart_command_writes_png_and_svg(tmp_path: Path, job_offer_path: Path) -> None:
    png = run_cli("chart", job_offer_path, "frontier", "-o", tmp_path / "f.png")
    assert png.code == 0, png.stderr
    assert png_size((tmp_path / "f.png").read_bytes()) == (440, 400)
    svg = run_cli("chart", job_offer_path, "stance", "--text", "revised", "--plot",
                  tmp_path / "s.svg")
    assert svg.code == 0, svg.stderr
    assert "<svg" in (tmp_path / "s.svg").read_text()


@pytest.mark.parametrize(("args", "message"), [
    (["fronteir", "-o", "x.png"], "did you mean 'frontier'"),
    (["stance", "-o", "x.gif"], ".png or .svg"),
    (["frontier", "-p", "dana", "-p", "agency", "-o", "x.png"], "with preferences are: dana"),
])
def test_chart_bad_options(tmp_path: Path, job_offer_path: Path, monkeypatch: pytest.MonkeyPatch,
                           args: list[str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    run = run_cli("chart", job_offer_path, *args)
    assert run.code == 2
    assert message in run.stderr
    assert list(tmp_path.iterdir()) == []


def test_demo_ends_with_a_report_and_never_replaces_a_users_file(
        tmp_path: Path, peace_plan_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    first = run_cli("demo", peace_plan_path)
    assert first.code == 0, first.stderr
    written = tmp_path / "build" / "report.html"
    assert str(written) in first.stdout.replace("\n", "")
    assert "nothing was replaced" in " ".join(first.stdout.split())
    assert "US peace plan" in written.read_text()
    # Its own earlier report is replaced, and the demo says so; a user's file in its place is not.
    again = run_cli("demo", peace_plan_path)
    assert again.code == 0
    assert "replaced the report an earlier demo wrote there" in " ".join(again.stdout.split())
    assert sorted(p.name for p in written.parent.iterdir()) == ["report.html"]
    written.write_text("mine")
    third = run_cli("demo", peace_plan_path)
    assert third.code == 0
    assert written.read_text() == "mine"
    assert "US peace plan" in (written.parent / "report-2.html").read_text()
    assert "report-2.html" in third.stdout.replace("\n", "")
    assert "nothing was replaced" in " ".join(third.stdout.split())


def test_chart_frontier_takes_exactly_two_parties(tmp_path: Path, peace_plan_path: Path) -> None:
    run = run_cli("chart", peace_plan_path, "frontier", "-p", "us", "-p", "ua", "-p", "ru",
                  "-o", tmp_path / "f.png")
    assert run.code == 2
    assert "give --party twice" in run.stderr
    ok = run_cli("chart", peace_plan_path, "frontier", "-p", "us", "-p", "ru", "-o", tmp_path / "f.png")
    assert ok.code == 0, ok.stderr

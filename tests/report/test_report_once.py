"""One report computes each shared result once, and its prose names no internal module."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from accord.io.scenario_file import load
from accord.report.html import ReportOptions, build_report
from accord.space import compile_scenario


def _visible(page: str) -> str:
    body = re.sub(r"<script.*?</script>", " ", page[page.index("<body"):], flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_the_report_samples_the_deal_chances_and_the_tornado_once(
        peace_plan_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.analysis import sensitivity, uncertainty

    calls = {"deal_chances": 0, "tornado": 0}
    for module, name in ((uncertainty, "deal_chances"), (sensitivity, "tornado")):
        original = getattr(module, name)

        def counted(*args: object, _original: object = original, _name: str = name,
                    **kwargs: object) -> object:
            calls[_name] += 1
            return _original(*args, **kwargs)  # type: ignore[operator]

        monkeypatch.setattr(module, name, counted)
    scenario = load(peace_plan_path)
    build_report(scenario, compile_scenario(scenario))
    assert calls == {"deal_chances": 1, "tornado": 1}


def test_the_report_prose_names_no_internal_module(peace_plan_path: Path) -> None:
    from accord.analysis.sensitivity import salib_available

    scenario = load(peace_plan_path)
    space = compile_scenario(scenario)
    options = ReportOptions(sobol=salib_available())
    text = _visible(build_report(scenario, space, options))
    assert "accord.analysis" not in text and "Computed by" not in text


def test_the_sobol_hint_says_how_to_install_from_a_checkout(
        peace_plan_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.analysis import sensitivity

    monkeypatch.setattr(sensitivity, "salib_available", lambda: False)
    scenario = load(peace_plan_path)
    text = _visible(build_report(scenario, compile_scenario(scenario), ReportOptions(sobol=True)))
    assert "needs SALib: from the accord checkout, pip install -e '.[sensitivity]'" in text
    assert "accord[sensitivity]" not in text


def test_the_robust_package_and_sobol_read_as_percentages(peace_plan_path: Path) -> None:
    from accord.analysis.robust import robust_package
    from accord.analysis.uncertainty import build_model
    from accord.report.html import CHANCE_SEED, ROBUST_SAMPLES
    from accord.views.numbers import percent

    scenario = load(peace_plan_path)
    space = compile_scenario(scenario)
    text = _visible(build_report(scenario, space))
    robust = robust_package(build_model(scenario, space), samples=ROBUST_SAMPLES, seed=CHANCE_SEED)
    low, high = robust.interval
    assert f"P(deal) = {percent(robust.p_all)} (95%: {percent(low)} to {percent(high)})" in text


def test_the_demo_and_its_report_sample_once_and_agree(
        peace_plan_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The demo's deal-chances section and the report it writes read one ReportData.
    from typer.testing import CliRunner

    from accord.analysis import robust, sensitivity, uncertainty
    from accord.cli import app

    calls = {"deal_chances": 0, "tornado": 0, "robust_package": 0}
    for module, name in ((uncertainty, "deal_chances"), (sensitivity, "tornado"),
                         (robust, "robust_package")):
        original = getattr(module, name)

        def counted(*args: object, _original: object = original, _name: str = name,
                    **kwargs: object) -> object:
            calls[_name] += 1
            return _original(*args, **kwargs)  # type: ignore[operator]

        monkeypatch.setattr(module, name, counted)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "200")
    result = CliRunner().invoke(app, ["demo", str(peace_plan_path)])
    assert result.exit_code == 0, result.output
    assert calls == {"deal_chances": 1, "tornado": 1, "robust_package": 1}
    terminal = re.sub(r"\s+", " ", result.output)
    report = _visible((tmp_path / "build" / "report.html").read_text())
    headline = re.search(r"exists\) = (\d+\.\d%) of ([\d,]+) samples", terminal)
    assert headline is not None, terminal
    assert f"P(some acceptable package) = {headline[1]} of {headline[2]} samples" in report
    robust_p = re.search(r"robust package found .* P = (\d+\.\d%) of ([\d,]+) samples", terminal)
    assert robust_p is not None
    assert f"P(deal) = {robust_p[1]}" in report

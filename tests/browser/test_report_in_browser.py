"""The HTML report in a real browser: headless Chromium, network off, from a file on disk.

Chromium is Debian's package; the session fixture installs it when it is
missing (as root, with apt-get) and skips with the reason only when that fails.
A full-page screenshot of each report is saved under ``test-artifacts/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.io.scenario_file import load
from accord.report.html import build_report
from accord.space import compile_scenario
from tests.browser.cdp import Browser, find_or_install_chromium
from tests.conftest import ROOT

ARTIFACTS = ROOT / "test-artifacts"

# Per chart: how many drawn SVG marks (paths, rects, text, …) it holds, and whether it
# reached the "rendered" state set by the report's drawing script.
CHART_STATE = """
Array.from(document.querySelectorAll('div.chart[data-chart]')).map(function (node) {
  return {
    name: node.getAttribute('data-chart'),
    section: node.closest('section').id,
    rendered: node.getAttribute('data-rendered'),
    marks: node.querySelectorAll('svg g.mark-rect path, svg g.mark-symbol path, svg g.mark-line path, '
                                 + 'svg g.mark-rule line, svg g.mark-text text, svg g.mark-rect path').length,
    width: node.getBoundingClientRect().width,
    height: node.getBoundingClientRect().height
  };
})
"""

CHART_SECTIONS = {"versions", "stance", "convergence", "frontier", "forecast", "events"}


@pytest.fixture(scope="module")
def chromium() -> str:
    path, reason = find_or_install_chromium()
    if path is None:
        pytest.skip(reason)
    return path


@pytest.fixture(scope="module")
def browser(chromium: str):  # type: ignore[no-untyped-def]
    instance = Browser(chromium)
    yield instance
    instance.close()


@pytest.mark.parametrize("example", ["peace-plan-2025/scenario.toml", "job-offer.toml"])
def test_report_renders_offline_without_errors(browser: Browser, tmp_path: Path,
                                               example: str) -> None:
    scenario = load(ROOT / "examples" / example)
    report = tmp_path / "report.html"
    report.write_text(build_report(scenario, compile_scenario(scenario)), encoding="utf-8")

    session, record = browser.open_offline(
        report.as_uri(), ready="document.body && document.body.hasAttribute('data-charts-done')")

    # The only request is the file itself: nothing from the network, nothing failed.
    assert record.requests == [report.as_uri()], record.requests
    assert record.failed == []
    assert record.console_errors == []
    assert record.exceptions == []
    assert record.log_errors == []

    charts = browser.evaluate(session, CHART_STATE)
    # The flagship has estimate ranges, so it also draws deal chances; the job offer has none.
    # (chances and the sensitivity tornado); the job offer has none.
    expected = CHART_SECTIONS | ({"uncertainty"} if example.startswith("peace") else set())
    assert {c["section"] for c in charts} == expected
    for chart in charts:
        assert chart["rendered"] == "true", chart
        assert chart["marks"] >= 5, chart
        assert chart["width"] > 200 and chart["height"] > 100, chart
    # Every section of the document is there, including the honest "not available" notes.
    sections = browser.evaluate(session, "Array.from(document.querySelectorAll('section')).map(s => s.id)")
    assert sections == ["overview", "versions", "stance", "convergence", "frontier", "amendment",
                        "uncertainty", "forecast", "events"]
    # The frontier draws the bargaining solutions (named in its legend); the amendment
    # section shows the feasibility and amendment tables.
    legend = browser.evaluate(session, "Array.from(document.querySelectorAll("
                                       "'#frontier svg text')).map(t => t.textContent).join('|')")
    assert "Nash" in legend and "utilitarian" in legend, legend
    rows = browser.evaluate(session, "document.querySelectorAll('#amendment table tbody tr').length")
    assert rows >= 3

    shot = browser.screenshot(session, ARTIFACTS / f"report-{example.split('/')[0].removesuffix('.toml')}.png")
    assert shot.stat().st_size > 50_000


def test_a_failing_chart_is_reported_as_a_console_error(browser: Browser, tmp_path: Path,
                                                         job_offer_path: Path) -> None:
    """The checks above can fail: a broken chart specification shows up as a console error."""
    scenario = load(job_offer_path)
    page = build_report(scenario, compile_scenario(scenario))
    start = page.index('<script type="application/json" id="spec-stance">')
    end = page.index("</script>", start)
    broken = page[:start] + '<script type="application/json" id="spec-stance">{"marks": 3}' + page[end:]
    report = tmp_path / "broken.html"
    report.write_text(broken, encoding="utf-8")
    _, record = browser.open_offline(
        report.as_uri(), ready="document.body && document.body.hasAttribute('data-charts-done')"
        " || document.querySelector('[data-rendered=error]') !== null")
    assert record.console_errors or record.exceptions

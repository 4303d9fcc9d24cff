"""The HTML report: generated for both examples, self-contained, escaped, every section present."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from accord.io.scenario_file import load
from accord.model import Scenario
from accord.report.html import ReportOptions, build_report
from accord.space import compile_scenario
from accord.views.numbers import percent, shown

# Attributes through which a browser fetches something on its own.
_LOADING_ATTRIBUTES = {"src", "srcset", "data", "poster", "background", "action", "formaction",
                       "manifest", "ping", "xlink:href"}


class _References(HTMLParser):
    """Collects what a page would load: resource attributes, <link>s, CSS, and inline JSON/script text."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self.styles: list[str] = []
        self.specs: dict[str, str] = {}
        self.scripts: list[str] = []
        self._in: tuple[str, dict[str, str | None]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if value and (name in _LOADING_ATTRIBUTES or (tag in ("link", "base") and name == "href")):
                self.loads.append(f"<{tag} {name}={value}>")
            if name == "style" and value:
                self.styles.append(value)
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.loads.append("meta refresh")
        if tag in ("style", "script"):
            self._in = (tag, values)

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in is None:
            return
        tag, attrs = self._in
        if tag == "style":
            self.styles.append(data)
        elif attrs.get("type") == "application/json":
            self.specs[str(attrs.get("id"))] = data
        else:
            self.scripts.append(data)


def tiny_scenario() -> Scenario:
    """Two parties, two points; the text picks a's red line on x and leaves y open.

    Labels carry markup, to check that the report escapes them.
    """
    return Scenario.model_validate({
        "scenario": {"title": "Tiny <b>test</b> & co", "must_accept": ["a", "b"]},
        "parties": [{"id": "a", "name": "Alpha </script><script>alert(1)</script>",
                     "role": "principal"},
                    {"id": "b", "name": "Beta", "role": "principal"}],
        "issues": [
            {"id": "x", "title": "X", "options": [{"id": "x0", "label": "zero"},
                                                  {"id": "x1", "label": "one <i>"}]},
            {"id": "y", "title": "Y", "options": [{"id": "y0", "label": "zero"},
                                                  {"id": "y1", "label": "one"}]},
        ],
        "preferences": {
            "a": {"weights": {"x": 1, "y": 1}, "values": {"x": {"x0": 1, "x1": 0},
                                                          "y": {"y0": 1, "y1": 0}},
                  "red_lines": {"x": ["x1"]}, "reservation": 0.2},
            "b": {"weights": {"x": 1, "y": 1}, "values": {"x": {"x0": 0, "x1": 1},
                                                          "y": {"y0": 0, "y1": 1}},
                  "red_lines": {"y": ["y0"]}, "reservation": 0.2},
        },
        "texts": [{"id": "t1", "title": "First", "positions": {"x": "x1"}}],
    })


@pytest.fixture(scope="module")
def reports(job_offer_path: Path, peace_plan_path: Path) -> dict[str, str]:
    pages = {}
    for name, path in (("job-offer", job_offer_path), ("peace-plan", peace_plan_path)):
        scenario = load(path)
        pages[name] = build_report(scenario, compile_scenario(scenario))
    return pages


@pytest.mark.parametrize("name", ["job-offer", "peace-plan"])
def test_report_loads_nothing_from_the_network(reports: dict[str, str], name: str) -> None:
    page = reports[name]
    found = _References()
    found.feed(page)
    assert found.loads == []  # no src=, no <link href>, no srcset… of any kind
    for css in found.styles:
        assert "url(" not in css and "@import" not in css
    # The chart data and the page's own script name no web address at all.
    for spec in found.specs.values():
        assert not re.search(r"https?://", spec)
    runtime, draw = found.scripts
    assert not re.search(r"https?://", draw)
    assert "actions: false" in draw  # vega-embed's menu (links to the online editor) is off
    # The inlined runtime mentions addresses only as XML namespaces and in its unused menu.
    addresses = set(re.findall(r"https?://[^\s\"'`)]+", runtime))
    assert addresses <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink",
                         "http://www.w3.org/2000/xmlns/", "https://vega.github.io/editor/",
                         "https://vega.github.io/schema/vega/v6.json",
                         "https://github.com/vega/vega-lite/issues/2415",
                         "https://vega.github.io/schema/vega-lite/v6.4.0.json",
                         "https://vega.github.io/schema/vega-lite/v6.json"}, addresses
    # Nothing is loaded from the outside by policy either.
    assert "default-src 'none'" in page


def test_report_of_the_flagship_has_every_section(reports: dict[str, str]) -> None:
    page = reports["peace-plan"]
    sections = re.findall(r'<section id="([a-z-]+)"', page)
    assert sections == ["overview", "versions", "stance", "convergence", "frontier", "amendment",
                        "uncertainty", "forecast", "events"]
    charts = re.findall(r'data-chart="([a-z0-9-]+)"', page)
    assert charts == ["versions", "stance", "convergence", "frontier-ua-ru", "chances",
                      "sensitivity", "forecast", "events"]
    for chart in charts:
        spec = re.search(rf'<script type="application/json" id="spec-{chart}">(.*?)</script>',
                         page, re.S)
        assert spec is not None
        compiled = json.loads(spec.group(1))
        assert "marks" in compiled and "layer" not in compiled  # compiled to Vega in Python
    # What a reader needs without the scenario file: names, titles, sources, the estimates.
    for words in ("Ukraine", "Russia", "28-point plan", "20-point framework", "Hvylya",
                  "Estimated:", "Where the numbers come from", "Smallest amendment to"):
        assert words in page, words
    assert len(page.encode()) < 2_000_000


def test_report_escapes_the_scenario_text() -> None:
    scenario = tiny_scenario()
    page = build_report(scenario, compile_scenario(scenario))
    assert "<b>test</b>" not in page
    assert "Tiny &lt;b&gt;test&lt;/b&gt; &amp; co" in page
    assert "<script>alert(1)</script>" not in page
    assert page.count("</script>") == page.count("<script")


def test_report_options_choose_the_text_and_parties(peace_plan_path: Path) -> None:
    scenario = load(peace_plan_path)
    space = compile_scenario(scenario)
    page = build_report(scenario, space, ReportOptions(
        text=space.text_index("plan-28"), parties=(space.party_index("us"), space.party_index("ua"),
                                                    space.party_index("ru"))))
    assert "Stance map: 28-point plan" in page
    assert re.findall(r'data-chart="(frontier-[a-z-]+)"', page) == [
        "frontier-us-ua", "frontier-us-ru", "frontier-ua-ru"]


def _section(page: str, name: str) -> str:
    start = page.index(f'<section id="{name}">')
    return page[start:page.index("</section>", start)]


def _text_of(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))


def test_flagship_frontier_section_shows_the_analysis_engine_results(
        reports: dict[str, str], peace_plan_path: Path) -> None:
    from accord.analysis.bargaining import bargaining_solutions
    from accord.analysis.pareto import pareto_frontier

    space = compile_scenario(load(peace_plan_path))
    pair = [space.party_index("ua"), space.party_index("ru")]
    frontier = pareto_frontier(space, pair, acceptable_only=True, one_per_vector=True)
    solutions = bargaining_solutions(space, frontier)
    text = _text_of(_section(reports["peace-plan"], "frontier"))
    assert f"{frontier.n_vectors:,} distinct utility vectors, exact" in text
    for solution, name in zip(solutions.all(), ("Nash", "Kalai–Smorodinsky", "egalitarian",
                                                "utilitarian"), strict=True):
        assert solution.row is not None
        ua, ru = frontier.utilities[solution.row]
        assert re.search(rf"{name} .*?{shown(ua)} .*?{shown(ru)}", text), name
    spec = re.search(r'id="spec-frontier-ua-ru">(.*?)</script>', reports["peace-plan"], re.S)
    assert spec is not None
    for name in ("Nash", "Kalai–Smorodinsky", "utilitarian"):
        assert name in json.loads(spec.group(1)).__repr__()


def test_flagship_amendment_section_matches_amend_and_feasibility(
        reports: dict[str, str], peace_plan_path: Path) -> None:
    from accord.analysis.amend import amend
    from accord.analysis.feasibility import feasibility

    scenario = load(peace_plan_path)
    space = compile_scenario(scenario)
    text = _text_of(_section(reports["peace-plan"], "amendment"))
    feasible = feasibility(space)
    assert feasible.feasible and "Yes." in text
    assert shown(feasible.margin, sign=True) in text
    result = amend(space, space.text_index("plan-20"), k=3)
    assert result.best is not None
    assert f"Changing {len(result.best.changes)} agreed points" in text
    for issue in result.best.changes:
        assert scenario.issues[issue].title in text
    assert f"{result.efficient_count:,} efficient amendments" in text


def test_flagship_uncertainty_section_has_sensitivity_and_the_robust_package(
        reports: dict[str, str], peace_plan_path: Path) -> None:
    from accord.analysis.robust import robust_package
    from accord.analysis.sensitivity import salib_available
    from accord.analysis.uncertainty import build_model
    from accord.report.html import CHANCE_SEED, ROBUST_SAMPLES

    section = _section(reports["peace-plan"], "uncertainty")
    text = _text_of(section)
    assert 'data-chart="sensitivity"' in section
    scenario = load(peace_plan_path)
    robust = robust_package(build_model(scenario, compile_scenario(scenario)),
                            samples=ROBUST_SAMPLES, seed=CHANCE_SEED)
    assert f"P(deal) = {percent(robust.p_all)}" in text
    # Sobol indices only on request (SALib's import alone costs ~0.5 s).
    assert "Sobol indices for" not in text and "--sobol" in text
    if salib_available():
        page = build_report(scenario, compile_scenario(scenario), ReportOptions(sobol=True))
        assert "Sobol indices for P(some acceptable package)" in _text_of(
            _section(page, "uncertainty"))


def test_job_offer_report_without_ranges_says_what_is_missing(reports: dict[str, str]) -> None:
    text = _text_of(_section(reports["job-offer"], "uncertainty"))
    assert "no uncertain estimates" in text


def test_flagship_forecast_section(reports: dict[str, str]) -> None:
    section = _text_of(_section(reports["peace-plan"], "forecast"))
    for words in ("Capabilities (estimates)", "Estimate. Russia holds", "Point by point",
                  "Which version the forecast sits closest to", "The part of Donetsk region",
                  "compromise", "smp", "closest"):
        assert words in section, words


def test_many_parties_draw_the_first_few_pairs_and_skip_the_smp() -> None:
    # 260 parties that must accept: every pair would be 33,670 panels, and the SMP takes at
    # most 250 actors; the report draws the first six parties' 15 pairs and says so.
    from accord.io.scenario_file import loads
    from accord.report.html import MAX_FRONTIER_PANEL_PARTIES
    from tests.adversarial.corpus import _big_scenario, write_toml

    scenario = loads(write_toml(_big_scenario(3, 3, parties=260)))
    page = build_report(scenario, compile_scenario(scenario))
    panels = re.findall(r'data-chart="(frontier-[a-z0-9-]+)"', page)
    assert len(panels) == MAX_FRONTIER_PANEL_PARTIES * (MAX_FRONTIER_PANEL_PARTIES - 1) // 2
    assert "The frontier is over 260 parties; the panels show the pairs of the first 6" in page
    assert 'id="forecast"' in page

"""The report's document: sections and chart specifications collected, then one HTML page written."""

from __future__ import annotations

import json
from typing import Any

from accord.model import Scenario
from accord.report import charts
from accord.report.fragments import escape
from accord.report.style import CSP, CSS, DRAW_JS

__all__ = ["SECTIONS", "Page", "json_for_script"]


class Page:
    """Collects sections and chart specifications, then writes the document."""

    def __init__(self) -> None:
        self.sections: list[str] = []
        self.specs: dict[str, dict[str, Any]] = {}

    def add(self, section: str) -> None:
        self.sections.append(section)

    def chart(self, name: str, chart: Any, caption: str) -> str:
        spec = charts.chart_to_vega(chart)
        # "$schema" is only an identifier (embed's mode is given), and the page names no address.
        spec.pop("$schema", None)
        self.specs[name] = spec
        return (f'<figure class="chart-figure"><div class="chart" data-chart="{escape(name)}" '
                f'id="chart-{escape(name)}"></div><figcaption>{caption}</figcaption></figure>')

    def render(self, scenario: Scenario, footer: str) -> str:
        specs = "\n".join(
            f'<script type="application/json" id="spec-{escape(name)}">{json_for_script(spec)}</script>'
            for name, spec in self.specs.items())
        runtime = charts.vega_runtime_js().replace("</script", "<\\/script")
        title = escape(scenario.title)
        as_of = f" — as of {scenario.scenario.as_of.isoformat()}" if scenario.scenario.as_of else ""
        description = f"<p class=lead>{escape(scenario.scenario.description)}</p>" if \
            scenario.scenario.description else ""
        nav = "".join(f'<a href="#{sid}">{escape(name)}</a>' for sid, name in SECTIONS)
        return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="generator" content="accord">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<title>{title}</title>
<style>{CSS}</style></head>
<body>
<header><h1>{title}</h1><p class=meta>accord report{escape(as_of)}</p>{description}
<nav>{nav}</nav></header>
<main>
{"".join(self.sections)}
</main>
{footer}
{specs}
<script>{runtime}</script>
<script>{DRAW_JS}</script>
</body></html>
"""


SECTIONS = (
    ("overview", "Overview"),
    ("versions", "Versions"),
    ("stance", "Stance map"),
    ("convergence", "Convergence"),
    ("frontier", "Frontier"),
    ("amendment", "Amendment & feasibility"),
    ("uncertainty", "Deal chances"),
    ("forecast", "Forecast"),
    ("events", "Statements & meetings"),
)


def json_for_script(data: Any) -> str:
    """JSON safe inside a ``<script>`` element (no ``</script>`` or ``<!--`` can end it early)."""
    from accord.views.safe import json_safe

    return json_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":"))
                     .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


# Draw every chart with the inlined Vega runtime; record success on the element so that a

"""The report's deal-chances section: chances under the estimate ranges, the tornado,
optional Sobol indices and the most robust package."""

from __future__ import annotations

import numpy as np

from accord.report.data import (
    CHANCE_SAMPLES,
    CHANCE_SEED,
    SOBOL_BASE_SAMPLES,
    ReportData,
    default_text,
    sensitivity_rows,
)
from accord.report.figures import chart_for
from accord.report.fragments import escape, package_words
from accord.report.page import Page
from accord.views.numbers import percent, sampled, shown

__all__ = ["chances_section"]


def chances_section(data: ReportData, page: Page) -> str:
    """Deal chances under the estimate ranges, which estimates matter, the most robust package."""
    scenario, space, options = data.scenario, data.space, data.options
    try:
        chart = chart_for("chances", scenario, space, data=data)
    except ValueError as error:
        return f"""<section id="uncertainty"><h2>Deal chances</h2>
<p class=note>Not drawn: {escape(error)}.</p></section>"""
    figure = page.chart("chances", chart,
                        "Each estimate given as a range in the scenario is drawn at random; a bar "
                        "is the share of draws in which the party surely accepts the version "
                        "(however its open points close); “deal”: every party that must accept "
                        "does.")
    parts = [f'<section id="uncertainty"><h2>Deal chances</h2>{_chance_words(data)}'
             f'{figure}']
    if space.must_accept.any():
        tornado_figure = page.chart(
            "sensitivity", chart_for("sensitivity", scenario, space, data=data),
            "Each bar: the probability with one estimate pinned at the low end of its range "
            "(a red line with a probability: absent) and at the high end (present), every "
            "other estimate still drawn at random, on common random numbers. Dashed: every "
            "estimate varying. One-at-a-time: interactions between estimates are not shown.")
        parts.append(f"<h3>Which estimates matter</h3>{tornado_figure}"
                     f"{_tornado_table(data)}")
        parts.append(_sobol_block(data) if options.sobol else
                     "<p class=small>Variance-based (Sobol) indices, which also see interactions "
                     "between estimates, are left out of this report for speed: "
                     "<code>accord report FILE --sobol</code> includes them, "
                     "<code>accord sensitivity FILE --method sobol</code> prints them.</p>")
        parts.append(_robust_block(data))
    parts.append("</section>")
    return "".join(parts)


def _chance_words(data: ReportData) -> str:
    """The chart's numbers in words and a table, so that a printout carries them."""
    labels, result = data.labels, data.chances
    assert result is not None   # the chances chart was drawn from it
    lead = (f"<p>Each estimate given as a range was drawn at random in {CHANCE_SAMPLES:,} samples (seed "
            f"{CHANCE_SEED}).")
    if result.p_any_package is not None:
        low, high = result.any_package_interval or (result.p_any_package, result.p_any_package)
        lead += (f" <b>P(some acceptable package) = "
                 f"{sampled(result.p_any_package, result.samples)}</b> "
                 f"(95%: {_pct_interval(low, high)}).")
    lead += "</p>"
    rows = []
    for chance in result.texts:
        t = chance.text
        cells = "".join(
            f"<li>{escape(labels.party_named(c.party))}: "
            f"{percent(c.p_accept)} "
            f"(95%: {_pct_interval(*c.interval)})</li>" for c in chance.parties)
        rows.append(f"<tr><td>{escape(labels.text_named(t))}</td>"
                    f"<td class=num>{percent(chance.p_all)} (95%: {_pct_interval(*chance.interval)})"
                    f"</td><td class=small><ul>{cells}</ul></td></tr>")
    return (lead + "<table><thead><tr><th>text</th><th>P(all must-accept parties accept)</th>"
            f"<th>each party</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _pct_interval(low: float, high: float) -> str:
    return percent(low) if percent(low) == percent(high) else f"{percent(low)} to {percent(high)}"


def _tornado_table(data: ReportData) -> str:
    found = sensitivity_rows(data.scenario, data.space, data=data)
    if found is None:
        return ""
    target, base, rows = found
    body = "".join(f"<tr><td>{escape(r['estimate'])}</td><td class=num>{percent(r['low'])}</td>"
                   f"<td class=num>{percent(r['high'])}</td></tr>" for r in rows)
    return (f"<p>P({escape(target)}) = {percent(base)} with every estimate varying.</p>"
            "<table><thead><tr><th>estimate</th><th>pinned low</th><th>pinned high</th></tr>"
            f"</thead><tbody>{body}</tbody></table>")


def _sobol_block(data: ReportData) -> str:
    from accord.analysis.sensitivity import salib_available, sobol_indices

    space = data.space

    if not salib_available():
        return ("<p class=small>Variance-based (Sobol) indices are left out: computing them "
                "needs SALib: from the accord checkout, "
                "<code>pip install -e '.[sensitivity]'</code>, then "
                "<code>accord sensitivity FILE --method sobol</code>.</p>")
    assert data.model is not None
    result = sobol_indices(data.model, data.order, base_samples=SOBOL_BASE_SAMPLES,
                           seed=CHANCE_SEED)
    names = [f"deal on {space.text_ids[t]}" for t in result.texts] + ["some acceptable package"]
    k = int(np.argmax([max((e.total[j] for e in result.effects), default=0.0)
                       for j in range(len(result.p))]))
    effects = sorted(result.effects, key=lambda e: (-e.total[k], e.estimate))[:8]
    rows = "".join(
        f"<tr><td>{escape(e.label)}</td><td class=num>{shown(e.first[k], 2)} ± "
        f"{shown(e.first_conf[k], 2)}</td><td class=num>{shown(e.total[k], 2)} ± "
        f"{shown(e.total_conf[k], 2)}</td></tr>" for e in effects)
    return (f"<p>Sobol indices for P({escape(names[k])}) = {percent(result.p[k])} ({result.runs:,} runs, "
            f"seed {result.seed}): <i>first order</i> is the share of the uncertainty about the "
            f"outcome that knowing the estimate alone would remove; <i>total</i> adds its "
            f"interactions with the others (95% intervals by bootstrap; estimated with SALib "
            f"from a Saltelli design of the estimate ranges).</p>"
            f"<table><thead><tr><th>estimate</th><th>first order</th><th>total</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def _robust_block(data: ReportData) -> str:
    space, labels = data.space, data.labels
    result = data.robust
    assert result is not None
    latest = default_text(data.scenario)
    reference = None if latest is None else space.texts[latest]
    low, high = result.interval
    return (f"<h3>The most robust package</h3><p>Of the packages searched ({escape(result.candidates)}; "
            f"{result.evaluated:,} evaluated), the one most likely to be accepted by every party that "
            f"must accept, on {result.samples:,} common samples (seed {result.seed}): "
            f"<b>P(deal) = {percent(result.p_all)}</b> (95%: {_pct_interval(low, high)}). "
            + (f"It differs from <code>{escape(labels.text(latest))}</code> on: " if latest is not None
               else "Its options: ")
            + f"{escape(package_words(labels, reference, result.package))}. "
            f"Search: {escape(result.method)}; "
            f"<code>accord robust FILE</code> prints the same with more samples.</p>")



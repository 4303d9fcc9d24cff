"""Small pieces of the report's HTML that several sections share (escaping, bars, words)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import numpy as np

from accord.model import Scenario
from accord.views.labels import Labels
from accord.views.numbers import shown

__all__ = ["bar", "escape", "interval_words", "package_words", "source_words", "sources_words",
           "verdict_cell"]


def escape(value: object) -> str:
    """User text as HTML text: markup escaped, control codes and lone surrogates shown as escapes."""
    from accord.views.safe import printable

    return html.escape(printable(str(value)), quote=True)


def verdict_cell(acceptable: bool | None) -> str:
    """A party's verdict on a text as a coloured word: accepts, rejects or open."""
    word, css = {True: ("accepts", "yes"), False: ("rejects", "no"), None: ("open", "open")}[acceptable]
    return f'<span class="verdict {css}">{word}</span>'


def bar(low: float, high: float, reservation: float) -> str:
    """A small inline utility bar: solid to the low end, shaded to the high end, a tick at the reservation.

    The percentages are CSS widths, not numbers a person reads, so they are not
    rounded by :mod:`accord.views.numbers`.
    """
    return (f'<span class=bar><span class=lo style="width:{100 * low:.1f}%"></span>'
            f'<span class=hi style="left:{100 * low:.1f}%;width:{100 * max(0.0, high - low):.1f}%"></span>'
            f'<span class=res style="left:{100 * reservation:.1f}%"></span></span>')


def interval_words(low: float, high: float) -> str:
    """A utility interval for a person: one number when its ends round alike."""
    lo, hi = shown(low, 2), shown(high, 2)
    return lo if lo == hi else f"{lo}–{hi}"


def package_words(labels: Labels, reference: np.ndarray | None, package: np.ndarray) -> str:
    """The package's options, only where they differ from ``reference`` (all when there is none)."""
    issues: list[int] = list(range(labels.space.n_issues))
    if reference is not None:
        issues = [i for i in issues if int(reference[i]) != int(package[i])]
        if not issues:
            return "the latest text itself"
    return "; ".join(f"{labels.issue_title(i)}: {labels.option_label(i, int(package[i]))}"
                     for i in issues)


def source_words(source: Any) -> str:
    """A source as a reader cites it: title, publisher, date."""
    parts = [source.title]
    if source.publisher:
        parts.append(source.publisher)
    if source.date:
        parts.append(source.date.isoformat())
    return ", ".join(parts)


def sources_words(scenario: Scenario, ids: Sequence[str | None]) -> str:
    """The scenario's sources of ``ids``, cited; an id the scenario does not list is shown as is."""
    known = {s.id: s for s in scenario.sources}
    return "; ".join(source_words(known[i]) if i in known else str(i) for i in ids if i)



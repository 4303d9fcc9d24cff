"""Small rich cells shared by the views: verdicts, utility bars, probability bars."""

from __future__ import annotations

from rich.text import Text

from accord.views.numbers import interval, percent

__all__ = ["probability_cell", "utility_bar", "utility_cell", "verdict_text"]

BAR_WIDTH = 20


def verdict_text(acceptable: bool | None) -> Text:
    if acceptable is True:
        return Text("accepts", style="bold green")
    if acceptable is False:
        return Text("rejects", style="bold red")
    return Text("open", style="bold yellow")


def _bar(low: float, high: float, width: int, mark: float | None = None) -> Text:
    """Solid to ``low``, shaded to ``high``, empty after (all on 0–1); ``│`` at ``mark`` if given."""
    def cell(x: float) -> int:
        return max(0, min(width, round(x * width)))

    lo, hi = cell(low), cell(high)
    at = None if mark is None else min(width - 1, cell(mark))
    bar = Text()
    for k in range(width):
        if k == at:
            bar.append("│", style="bold")
        elif k < lo:
            bar.append("█", style="cyan")
        elif k < hi:
            bar.append("▒", style="cyan")
        else:
            bar.append("░", style="grey50")
    return bar


def utility_bar(low: float, high: float, reservation: float, width: int = BAR_WIDTH) -> Text:
    """``████▒▒░░│░░`` : solid up to the low end, shaded to the high end, ``│`` at the reservation value."""
    return _bar(low, high, width, reservation)


def utility_cell(low: float, high: float, reservation: float, width: int = 10) -> Text:
    """``0.57 ███▒│░░`` : the utility (interval) and a small bar; green when it surely reaches
    ``reservation``, red when it cannot, yellow when it depends on open points."""
    words = interval(low, high)
    style = "green" if low >= reservation - 1e-9 else ("red" if high < reservation - 1e-9
                                                        else "yellow")
    return Text.assemble((words, style), " ", utility_bar(low, high, reservation, width))


def probability_cell(p: float, low: float, high: float, width: int = 10) -> Text:
    """``47% ████▒░░░░░`` : solid to the 95% interval's low end, shaded to its high end.

    Green when the whole interval is at or above one half (a deal is more likely than
    not), red when it is below, yellow when the interval straddles one half.
    """
    style = "green" if low >= 0.5 else ("red" if high < 0.5 else "yellow")
    return Text.assemble((percent(p), style), " ", _bar(low, high, width))

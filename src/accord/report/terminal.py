"""Terminal tables (rich) for scenarios, evaluations and diffs.

Colour says acceptable (green), not acceptable (red) or open (yellow); a small
bar shows each utility against the reservation value.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from accord.analysis.diff import ChangeKind, TextDiff
from accord.analysis.evaluate import PartyVerdict, TextEvaluation
from accord.model import Scenario
from accord.views.labels import Labels
from accord.views.texts import diff_summary, reason_message
from accord.space import UNRESOLVED

__all__ = ["diff_view", "evaluation_view", "probability_cell", "scenario_view", "utility_bar",
           "utility_cell", "verdict_text"]

BAR_WIDTH = 20


def verdict_text(acceptable: bool | None) -> Text:
    if acceptable is True:
        return Text("accepts", style="bold green")
    if acceptable is False:
        return Text("rejects", style="bold red")
    return Text("open", style="bold yellow")


def utility_bar(low: float, high: float, reservation: float, width: int = BAR_WIDTH) -> Text:
    """``████▒▒░░│░░`` : solid up to the low end, shaded to the high end, ``│`` at the reservation value."""
    def cell(x: float) -> int:
        return max(0, min(width, round(x * width)))

    lo, hi, mark = cell(low), cell(high), min(width - 1, cell(reservation))
    bar = Text()
    for k in range(width):
        if k == mark:
            bar.append("│", style="bold")
        elif k < lo:
            bar.append("█", style="cyan")
        elif k < hi:
            bar.append("▒", style="cyan")
        else:
            bar.append("░", style="grey50")
    return bar


def utility_cell(low: float, high: float, reservation: float, width: int = 10) -> Text:
    """``0.57 ███▒│░░`` : the utility (interval) and a small bar; green when it surely reaches
    ``reservation``, red when it cannot, yellow when it depends on open points."""
    words = f"{low:.3f}" if abs(high - low) < 5e-4 else f"{low:.3f}–{high:.3f}"
    style = "green" if low >= reservation - 1e-9 else ("red" if high < reservation - 1e-9
                                                        else "yellow")
    return Text.assemble((words, style), " ", utility_bar(low, high, reservation, width))


def probability_cell(p: float, low: float, high: float, width: int = 10) -> Text:
    """``47% ████▒░░░░░`` : solid to the 95% interval's low end, shaded to its high end.

    Green when the whole interval is at or above one half (a deal is more likely than
    not), red when it is below, yellow when the interval straddles one half.
    """
    style = "green" if low >= 0.5 else ("red" if high < 0.5 else "yellow")
    bar = Text()
    lo, hi = (max(0, min(width, round(x * width))) for x in (low, high))
    for k in range(width):
        if k < lo:
            bar.append("█", style="cyan")
        elif k < hi:
            bar.append("▒", style="cyan")
        else:
            bar.append("░", style="grey50")
    return Text.assemble((f"{100 * p:.1f}%", style), " ", bar)


def _utility(verdict: PartyVerdict) -> str:
    low, high = verdict.utility
    return f"{low:.2f}" if abs(high - low) < 5e-4 else f"{low:.2f}–{high:.2f}"


def evaluation_view(evaluations: Sequence[TextEvaluation], labels: Labels) -> RenderableType:
    """One table per text: each party's utility, verdict and reasons, then the blockers."""
    space = labels.space
    parts: list[RenderableType] = []
    for evaluation in evaluations:
        deal = {True: ("a deal: every party that must accept does", "green"),
                False: ("no deal: a party that must accept rejects it", "red"),
                None: ("undecided: depends on the open points", "yellow")}[evaluation.deal]
        opened = [labels.issue_title(i) for i in evaluation.open_points]
        title = Text.assemble((labels.text_title(evaluation.text), "bold"),
                              f"  [{labels.text(evaluation.text)}]")
        table = Table(title=title, title_justify="left", expand=False)
        table.add_column("party")
        table.add_column("must accept", justify="center")
        table.add_column("utility", justify="right")
        table.add_column("utility vs reservation │", no_wrap=True)
        table.add_column("verdict")
        notes = Text()
        for verdict in evaluation.parties:
            p = verdict.party
            table.add_row(
                labels.party_name(p),
                "yes" if space.must_accept[p] else "",
                _utility(verdict),
                utility_bar(*verdict.utility, float(space.reservation[p])),
                verdict_text(verdict.acceptable),
            )
            why = [reason_message(r, labels, p, partial=bool(opened)) for r in verdict.reasons]
            if verdict.blockers is not None and verdict.acceptable is not True:
                found = verdict.blockers
                if found.smallest_fix:
                    moves = "; ".join(
                        f"{labels.issue_title(g.issue)} → {labels.option_label(g.issue, g.option)}"
                        for g in found.smallest_fix)
                    why.append(f"smallest fix ({len(found.smallest_fix)} "
                               f"point{'s' if len(found.smallest_fix) > 1 else ''}): {moves}")
                elif not found.achievable:
                    why.append(f"no change can reach its reservation value "
                               f"(best possible {found.best_utility:.2f})")
            if why:
                notes.append(f"  {labels.party_name(p)} ", style="bold")
                notes.append_text(verdict_text(verdict.acceptable))
                notes.append(": " + "; ".join(why) + "\n")
        parts.append(table)
        if opened:
            parts.append(Text(f"  open points: {', '.join(opened)}", style="yellow"))
        if notes:
            parts.append(notes)
        parts.append(Text(f"  {deal[0]}\n", style=f"bold {deal[1]}"))
    return Group(*parts)


def diff_view(diffs: Sequence[TextDiff], labels: Labels) -> RenderableType:
    """A table of point changes and utility moves for each diff."""
    space = labels.space
    parts: list[RenderableType] = []
    for diff in diffs:
        title = Text.assemble(("From ", ""), (labels.text_title(diff.before), "bold"),
                              (" to ", ""), (labels.text_title(diff.after), "bold"))
        changes = Table(title=title, title_justify="left", expand=False)
        changes.add_column("point")
        changes.add_column("change")
        changes.add_column("from", overflow="fold", max_width=40)
        changes.add_column("to", overflow="fold", max_width=40)
        style = {ChangeKind.CHANGED: "cyan", ChangeKind.OPENED: "yellow", ChangeKind.CLOSED: "green"}
        for change in diff.changes:
            changes.add_row(
                labels.issue_title(change.issue),
                Text(change.kind.value, style=style[change.kind]),
                labels.option_label(change.issue, change.before) if change.before != UNRESOLVED else "(open)",
                labels.option_label(change.issue, change.after) if change.after != UNRESOLVED else "(open)",
            )
        if not diff.changes:
            changes.add_row("(none)", "", "", "")
        moves = Table(expand=False, box=None, padding=(0, 2))
        moves.add_column("party")
        moves.add_column("before", justify="right")
        moves.add_column("after", justify="right")
        moves.add_column("change", justify="right")
        for p in range(space.n_parties):
            gain = float(diff.gain[p])
            colour = "green" if gain > 0.005 else "red" if gain < -0.005 else "grey50"
            moves.add_row(labels.party_name(p), _interval(diff.utility_before[p]),
                          _interval(diff.utility_after[p]), Text(f"{gain:+.2f}", style=colour))
        parts.extend([changes, moves, Text(diff_summary(diff, labels), style="italic"), Text("")])
    return Group(*parts)


def _interval(bounds: Sequence[float]) -> str:
    low, high = float(bounds[0]), float(bounds[1])
    return f"{low:.2f}" if abs(high - low) < 5e-4 else f"{low:.2f}–{high:.2f}"


def scenario_view(scenario: Scenario) -> RenderableType:
    """Parties, issues with their options, settled points and texts."""
    parts: list[RenderableType] = [Text(scenario.title, style="bold underline")]
    if scenario.scenario.description:
        parts.append(Text(scenario.scenario.description))
    must = set(scenario.must_accept)

    parties = Table(title="Parties", title_justify="left")
    for column in ("id", "name", "role", "must accept", "preferences", "delegates"):
        parties.add_column(column, overflow="fold")
    for party in scenario.parties:
        prefs = scenario.preferences.get(party.id)
        pref_text = "—" if prefs is None else (
            _reservation_text(prefs.reservation) + (" (estimate)" if prefs.estimate else ""))
        delegates = "; ".join(
            d.name + (f" ({d.since or '…'} – {d.until or '…'})" if d.since or d.until else "")
            for d in party.delegates)
        parties.add_row(party.id, party.name, party.role.value, "yes" if party.id in must else "",
                        pref_text, delegates)
    parts.append(parties)

    issues = Table(title="Issues and options", title_justify="left", show_lines=True)
    issues.add_column("issue", overflow="fold", max_width=28)
    issues.add_column("points")
    issues.add_column("options", overflow="fold")
    for issue in scenario.issues:
        options = "\n".join(f"{n}. {o.label} [{o.id}]" for n, o in enumerate(issue.options, 1))
        issues.add_row(f"{issue.title}\n[{issue.id}]", ", ".join(map(str, issue.points)), options)
    parts.append(issues)

    if scenario.settled:
        settled = Table(title="Settled points", title_justify="left")
        settled.add_column("points")
        settled.add_column("summary", overflow="fold")
        for point in scenario.settled:
            settled.add_row(", ".join(map(str, point.points)), point.summary)
        parts.append(settled)

    if scenario.texts:
        texts = Table(title="Texts (versions)", title_justify="left")
        for column in ("id", "title", "date", "author", "parent", "status", "open points"):
            texts.add_column(column, overflow="fold")
        for text in scenario.texts:
            open_points = [i.id for i in scenario.issues if i.id not in text.positions]
            texts.add_row(text.id, text.title, str(text.date or ""), text.author or "",
                          text.parent or "", text.status.value, ", ".join(open_points) or "none")
        parts.append(texts)
    extras = []
    if scenario.statements:
        extras.append(f"{len(scenario.statements)} statements")
    if scenario.meetings:
        extras.append(f"{len(scenario.meetings)} meetings")
    if scenario.sources:
        extras.append(f"{len(scenario.sources)} sources")
    if extras:
        parts.append(Text("Also recorded: " + ", ".join(extras) + ".", style="italic"))
    return Group(*parts)


def _reservation_text(reservation: object) -> str:
    """``reservation 0.55``, or for a range its mean and bounds (accord.model.uncertain)."""
    from accord.model.uncertain import is_uncertain, point_estimate

    if is_uncertain(reservation):
        low, high = reservation.low, reservation.high  # type: ignore[attr-defined]
        return f"reservation {point_estimate(reservation):.2f} (mean of {low:g}–{high:g})"  # type: ignore[arg-type]
    return f"reservation {float(reservation):.2f}"  # type: ignore[arg-type]


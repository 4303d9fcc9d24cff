"""Views of text evaluations and diffs: index-based results in the user's ids and labels.

Each ``*_to_dict`` function gives the JSON-able form that ``--json`` prints, so
that everything the command line shows is available from Python too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from accord.analysis.diff import ChangeKind, TextDiff
from accord.analysis.evaluate import (
    Blockers,
    Conflict,
    PartyVerdict,
    PointGain,
    Reason,
    ReasonKind,
    TextEvaluation,
)
from accord.space import UNRESOLVED
from accord.views.labels import Labels
from accord.views.numbers import exact, interval, shown

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import RenderableType

__all__ = ["conflict_message", "diff_summary", "diff_to_dict", "evaluation_to_dict", "reason_message"]


def _number(value: float) -> float | None:
    # Machine output carries full precision; only what a person reads is rounded.
    return exact(value)


def reason_message(reason: Reason, labels: Labels, party: int, *, partial: bool = False) -> str:
    """The reason in words; ``partial`` says the text has open points."""
    r = labels.space.reservation[party]
    if reason.kind is ReasonKind.RED_LINE:
        assert reason.issue is not None and reason.option is not None
        return (f"red line: {labels.issue_title(reason.issue)} = "
                f"{labels.option_label(reason.issue, reason.option)}")
    if reason.kind is ReasonKind.OPEN_RED_LINE:
        assert reason.issue is not None and reason.option is not None
        return (f"open point {labels.issue_title(reason.issue)} could close on a red line: "
                f"{labels.option_label(reason.issue, reason.option)}")
    if reason.kind is ReasonKind.NO_ACCEPTABLE_OPTION:
        assert reason.issue is not None
        return f"every option of open point {labels.issue_title(reason.issue)} is a red line"
    if reason.kind is ReasonKind.BELOW_RESERVATION:
        at_best = "at best " if partial else ""
        return (f"utility {at_best}{shown(reason.utility)} is {shown(reason.shortfall)} below "
                f"its reservation value {shown(r, 2)}")
    if reason.kind in (ReasonKind.PACKAGE_DEAL, ReasonKind.OPEN_PACKAGE_DEAL):
        assert reason.issue is not None and reason.option is not None
        assert reason.other_issue is not None and reason.other_option is not None
        pair = (f"{labels.issue_title(reason.issue)} = "
                f"{labels.option_label(reason.issue, reason.option)} together with "
                f"{labels.issue_title(reason.other_issue)} = "
                f"{labels.option_label(reason.other_issue, reason.other_option)}")
        if reason.kind is ReasonKind.PACKAGE_DEAL:
            return f"package deal refused: {pair}"
        return f"open points could close on a refused package: {pair}"
    if reason.kind is ReasonKind.NO_ACCEPTABLE_COMPLETION:
        return ("every way the open points could close sets a red line or a refused package")
    if reason.kind is ReasonKind.MAY_FALL_BELOW_RESERVATION:
        return (f"utility may fall to {shown(reason.utility)}, {shown(reason.shortfall)} below its "
                f"reservation value {shown(r, 2)}, depending on how open points close")
    raise AssertionError(reason.kind)


def _reason_dict(reason: Reason, labels: Labels, party: int, partial: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "kind": reason.kind.value,
        "message": reason_message(reason, labels, party, partial=partial),
    }
    if reason.issue is not None:
        entry["issue"] = labels.issue(reason.issue)
    if reason.option is not None and reason.issue is not None:
        entry["option"] = labels.option(reason.issue, reason.option)
    if reason.other_issue is not None and reason.other_option is not None:
        entry["with_issue"] = labels.issue(reason.other_issue)
        entry["with_option"] = labels.option(reason.other_issue, reason.other_option)
    if reason.utility is not None:
        entry["utility"] = _number(reason.utility)
    if reason.shortfall is not None:
        entry["shortfall"] = _number(reason.shortfall)
    return entry


def _blockers_dict(found: Blockers, labels: Labels) -> dict[str, Any]:
    def move(g: PointGain) -> dict[str, Any]:
        return {
            "issue": labels.issue(g.issue),
            "from": labels.option(g.issue, g.current),
            "to": labels.option(g.issue, g.option),
            "gain": _number(g.gain),
            "required": g.required,
            "red_line_of": [labels.party(q) for q in g.red_line_of],
        }

    return {
        "ranking": [move(g) for g in found.ranking],
        "smallest_fix": [move(g) for g in found.smallest_fix],
        "achievable": found.achievable,
        "best_utility": _number(found.best_utility),
        "conflicts": [{"party": labels.party(c.party),
                       "red_lines": [labels.issue(i) for i in c.red_lines],
                       "below_reservation": c.below_reservation,
                       "utility": [_number(u) for u in c.utility],
                       "message": conflict_message(c, labels)} for c in found.conflicts],
    }


def conflict_message(conflict: Conflict, labels: Labels) -> str:
    """Why a fix would cost another party its acceptance, in words.

    ``Russia (ru) would then reject the text: it sets NATO membership on one of
    its red lines``.
    """
    why = []
    if conflict.red_lines:
        points = [labels.issue_title(i) for i in conflict.red_lines]
        why.append(f"it sets {_listed(points)} on one of its red lines" if len(points) == 1
                   else f"it sets {_listed(points)} on its red lines")
    if conflict.below_reservation:
        low, high = conflict.utility
        value = shown(low) if shown(low) == shown(high) else f"{shown(low)}–{shown(high)}"
        why.append(f"its utility would fall below its reservation value "
                   f"{shown(float(labels.space.reservation[conflict.party]), 2)} (to {value})")
    return f"{labels.party_named(conflict.party)} would then reject the text: " + " and ".join(why)


def _listed(items: Sequence[str]) -> str:
    from accord.views.packages import names_of

    return names_of(list(items))


def _verdict_dict(verdict: PartyVerdict, labels: Labels, partial: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "utility": [_number(verdict.utility[0]), _number(verdict.utility[1])],
        "acceptable": verdict.acceptable,
        "reasons": [_reason_dict(r, labels, verdict.party, partial) for r in verdict.reasons],
        "reservation": _number(labels.space.reservation[verdict.party]),
        "must_accept": bool(labels.space.must_accept[verdict.party]),
    }
    if verdict.blockers is not None:
        entry["blockers"] = _blockers_dict(verdict.blockers, labels)
    return entry


def evaluation_to_dict(evaluation: TextEvaluation, labels: Labels) -> dict[str, Any]:
    """One text's evaluation in the ``accord evaluate --json`` contract."""
    space = labels.space
    return {
        "id": labels.text(evaluation.text),
        "title": labels.text_title(evaluation.text),
        "open_points": [labels.issue(i) for i in evaluation.open_points],
        "deal": evaluation.deal,
        "parties": {
            space.party_ids[v.party]: _verdict_dict(v, labels, bool(evaluation.open_points))
            for v in evaluation.parties
        },
    }


def diff_to_dict(diff: TextDiff, labels: Labels) -> dict[str, Any]:
    space = labels.space
    return {
        "from": labels.text(diff.before),
        "to": labels.text(diff.after),
        "changes": [
            {
                "issue": labels.issue(c.issue),
                "kind": c.kind.value,
                "from": labels.option(c.issue, c.before),
                "to": labels.option(c.issue, c.after),
                "from_label": None if c.before == UNRESOLVED else labels.option_label(c.issue, c.before),
                "to_label": None if c.after == UNRESOLVED else labels.option_label(c.issue, c.after),
            }
            for c in diff.changes
        ],
        "parties": {
            space.party_ids[p]: {
                "before": [_number(x) for x in diff.utility_before[p]],
                "after": [_number(x) for x in diff.utility_after[p]],
                "gain": _number(diff.gain[p]),
            }
            for p in range(space.n_parties)
        },
        "summary": diff_summary(diff, labels),
    }


def diff_summary(diff: TextDiff, labels: Labels) -> str:
    """One line: what moved and who gains and who loses."""
    counts = {kind: sum(1 for c in diff.changes if c.kind is kind) for kind in ChangeKind}
    moved = ", ".join(f"{n} {kind.value}" for kind, n in counts.items() if n) or "no points changed"
    gainers = [f"{labels.party(p)} {shown(diff.gain[p], 2, sign=True)}" for p in diff.gainers()]
    losers = [f"{labels.party(p)} {shown(diff.gain[p], 2)}" for p in diff.losers()]
    parts = [moved]
    if gainers:
        parts.append("gains: " + ", ".join(gainers))
    if losers:
        parts.append("losses: " + ", ".join(losers))
    if not gainers and not losers:
        parts.append("no party's utility moves by more than 0.005")
    return "; ".join(parts)


def _utility(verdict: PartyVerdict) -> str:
    low, high = verdict.utility
    return interval(low, high, 2)


def evaluation_view(evaluations: Sequence[TextEvaluation], labels: Labels) -> RenderableType:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from accord.views.cells import utility_bar, verdict_text

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
                labels.party_named(p),
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
                        + (f" (a red line of {_listed([labels.party_named(q) for q in g.red_line_of])})"
                           if g.red_line_of else "")
                        for g in found.smallest_fix)
                    why.append(f"smallest fix ({len(found.smallest_fix)} "
                               f"point{'s' if len(found.smallest_fix) > 1 else ''}): {moves}")
                    why.extend(f"with that fix, {conflict_message(c, labels)}"
                               for c in found.conflicts)
                elif not found.achievable:
                    why.append(f"no change can reach its reservation value "
                               f"(best possible {shown(found.best_utility, 2)})")
            if why:
                notes.append(f"  {labels.party_named(p)} ", style="bold")
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
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

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
                labels.issue_named(change.issue),
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
            moves.add_row(labels.party_named(p), _interval(diff.utility_before[p]),
                          _interval(diff.utility_after[p]), Text(shown(gain, 2, sign=True), style=colour))
        parts.extend([changes, moves, Text(diff_summary(diff, labels), style="italic"), Text("")])
    return Group(*parts)


def _interval(bounds: Sequence[float]) -> str:
    low, high = float(bounds[0]), float(bounds[1])
    return interval(low, high, 2)

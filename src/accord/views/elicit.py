"""Views of the preference-elicitation results: the live preview, a pairwise question, a fit.

Each result has a ``*_to_dict`` (full precision, for the service's pages and
``--json``) and a ``render_*`` (rich renderables, for people);
:func:`preview_summary` is the preview as the one sentence a form shows under
the sliders ("With these, you would accept … and reject …, because of …").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from accord.analysis.evaluate import PartyVerdict, ReasonKind
from accord.views.labels import Labels
from accord.views.numbers import exact, shown
from accord.views.packages import names_of, plural, positions
from accord.views.texts import reason_message

if TYPE_CHECKING:
    from rich.console import RenderableType

    from accord.analysis.elicit import ChoiceFit, Preview, Question

__all__ = [
    "PROMPT",
    "fit_to_dict",
    "point_name",
    "preview_summary",
    "preview_to_dict",
    "question_to_dict",
    "render_fit",
    "render_preview",
    "render_question",
]

#: What a pairwise question asks.
PROMPT = "Which of these two packages would you rather have?"

_VERDICT = {True: "accept", False: "reject", None: "undecided"}


def point_name(labels: Labels, i: int) -> str:
    """``point 21 (Territory)``, ``points 5, 7 (Sanctions)``, or the title alone for an unnumbered issue."""
    points = labels.scenario.issues[i].points
    title = labels.issue_title(i)
    if not points:
        return title
    numbers = ", ".join(str(n) for n in points)
    return f"{'point' if len(points) == 1 else 'points'} {numbers} ({title})"


def _because(verdict: PartyVerdict) -> list[tuple[int, str]]:
    """The points a verdict hinges on, and why: red lines first, then the smallest fix."""
    found: dict[int, str] = {}
    for reason in verdict.reasons:
        if reason.kind in (ReasonKind.RED_LINE, ReasonKind.NO_ACCEPTABLE_OPTION) \
                and reason.issue is not None:
            found.setdefault(reason.issue, "red line")
        elif reason.kind is ReasonKind.OPEN_RED_LINE and reason.issue is not None:
            found.setdefault(reason.issue, "could close on a red line")
    short = any(r.kind in (ReasonKind.BELOW_RESERVATION, ReasonKind.MAY_FALL_BELOW_RESERVATION)
                for r in verdict.reasons)
    if short and verdict.blockers is not None:
        moves = verdict.blockers.smallest_fix or verdict.blockers.ranking[:1]
        for move in moves:
            found.setdefault(move.issue, "below your walk-away point")
    return list(found.items())


def _text_name(labels: Labels, t: int) -> str:
    return str(labels.text(t))


def preview_summary(result: Preview, labels: Labels) -> str:
    """The preview in one or two sentences, naming texts by id and points by number and title.

    For example: "With these, you would accept plan-20 and reject plan-28, because
    of point 21 (Territory)."
    """
    clauses = []
    if result.accepted:
        clauses.append("accept " + names_of([_text_name(labels, t) for t in result.accepted]))
    if result.rejected:
        clauses.append("reject " + names_of([_text_name(labels, t) for t in result.rejected]))
    if not clauses and not result.undecided:
        return "There is no version of the text to preview yet."
    sentences = []
    if clauses:
        reasons = []
        for t, verdict in zip(result.texts, result.verdicts, strict=True):
            if verdict.acceptable is False:
                points = [point_name(labels, i) for i, _ in _because(verdict)]
                if points:
                    reasons.append((t, points))
        tail = ""
        if len(reasons) == 1 and len(result.rejected) == 1:
            tail = f", because of {names_of(reasons[0][1])}"
        elif reasons:
            tail = "; " + "; ".join(f"{_text_name(labels, t)} because of {names_of(points)}"
                                    for t, points in reasons)
        # "accept a, and reject b and c": the comma keeps the two lists apart
        joint = ", and " if len(clauses) == 2 and " and " in clauses[1] else " and "
        sentences.append(f"With these, you would {joint.join(clauses)}{tail}.")
    if result.undecided:
        names = names_of([_text_name(labels, t) for t in result.undecided])
        its = "its" if len(result.undecided) == 1 else "their"
        sentences.append(f"Whether you would accept {names} depends on how {its} open points close.")
    return " ".join(sentences)


def _verdict_dict(verdict: PartyVerdict, t: int, labels: Labels, draft: Labels,
                  partial: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": labels.text(t),
        "title": labels.text_title(t),
        "utility": [exact(verdict.utility[0]), exact(verdict.utility[1])],
        "acceptable": verdict.acceptable,
        "verdict": _VERDICT[verdict.acceptable],
        "because": [{"issue": labels.issue(i), "point": point_name(labels, i), "why": why}
                    for i, why in _because(verdict)],
        "reasons": [reason_message(r, draft, verdict.party, partial=partial)
                    for r in verdict.reasons],
    }
    if verdict.blockers is not None:
        entry["smallest_fix"] = [
            {"issue": labels.issue(g.issue), "point": point_name(labels, g.issue),
             "from": labels.option(g.issue, g.current), "to": labels.option(g.issue, g.option),
             "gain": exact(g.gain)}
            for g in verdict.blockers.smallest_fix]
        entry["achievable"] = verdict.blockers.achievable
    return entry


def preview_to_dict(result: Preview, labels: Labels) -> dict[str, Any]:
    """The preview: the draft's verdict, utility and blockers for each text, and the summary sentence."""
    draft = Labels(labels.scenario, result.space)
    p = result.party
    return {
        "party": labels.party(p),
        "reservation": exact(result.space.reservation[p]),
        "summary": preview_summary(result, labels),
        "accepted": [labels.text(t) for t in result.accepted],
        "rejected": [labels.text(t) for t in result.rejected],
        "undecided": [labels.text(t) for t in result.undecided],
        "texts": [_verdict_dict(v, t, labels, draft, bool((result.space.texts[t] < 0).any()))
                  for t, v in zip(result.texts, result.verdicts, strict=True)],
    }


def render_preview(result: Preview, labels: Labels) -> RenderableType:
    """The summary sentence, then one row per text: utility, verdict, and the points it hinges on."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    p = result.party
    table = Table(expand=False)
    for column in ("version", "utility", "verdict", "because of"):
        table.add_column(column, justify="right" if column == "utility" else "left",
                         overflow="fold")
    style = {True: "green", False: "red", None: "yellow"}
    for t, verdict in zip(result.texts, result.verdicts, strict=True):
        low, high = verdict.utility
        utility = shown(low) if shown(low) == shown(high) else f"{shown(low)}–{shown(high)}"
        table.add_row(labels.text_named(t), utility,
                      Text(_VERDICT[verdict.acceptable], style=style[verdict.acceptable]),
                      "; ".join(f"{point_name(labels, i)}: {why}" for i, why in _because(verdict)))
    return Group(Text(preview_summary(result, labels), style="bold"), table,
                 Text(f"Walk-away point (reservation value): "
                      f"{shown(result.space.reservation[p], 2)}", style="italic"))


def _option(labels: Labels, i: int, o: int) -> dict[str, Any]:
    return {"id": labels.option(i, o), "label": labels.option_label(i, o)}


def question_to_dict(result: Question, labels: Labels) -> dict[str, Any]:
    """The question: the two packages in full, and the points on which they differ."""
    differing = set(result.differing)
    return {
        "party": labels.party(result.party),
        "number": result.number,
        "prompt": PROMPT,
        "differing": [
            {"issue": labels.issue(i), "point": point_name(labels, i),
             "first": _option(labels, i, int(result.first[i])),
             "second": _option(labels, i, int(result.second[i]))}
            for i in result.differing],
        "same": [{"issue": labels.issue(i), "point": point_name(labels, i),
                  "option": _option(labels, i, int(result.first[i]))}
                 for i in range(labels.space.n_issues) if i not in differing],
        "first": positions(labels, result.first),
        "second": positions(labels, result.second),
        "predicted": exact(result.predicted),
    }


def render_question(result: Question, labels: Labels) -> RenderableType:
    """The differing points side by side (A and B), and what both packages share."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"Question {result.number}: {PROMPT}", title_justify="left", expand=False)
    table.add_column("point", overflow="fold")
    table.add_column("package A", overflow="fold")
    table.add_column("package B", overflow="fold")
    for i in result.differing:
        table.add_row(point_name(labels, i), labels.option_label(i, int(result.first[i])),
                      labels.option_label(i, int(result.second[i])))
    same = [i for i in range(labels.space.n_issues) if i not in set(result.differing)]
    rest = Text(f"Both packages are the same on the other {plural(len(same), 'point')}: "
                + "; ".join(f"{labels.issue_title(i)}: {labels.option_label(i, int(result.first[i]))}"
                            for i in same) + "." if same else "", style="grey50")
    return Group(table, rest)


def fit_to_dict(result: ChoiceFit, labels: Labels) -> dict[str, Any]:
    """The fitted weights and values, the answers used, and the answers the fit does not explain."""
    space = labels.space
    order = sorted(range(space.n_issues), key=lambda i: (-result.weights[i], i))
    return {
        "party": labels.party(result.party),
        "used": result.used,
        "violations": result.violations,
        "violated": list(result.violated),
        "consistency": exact(result.consistency),
        "weights": {labels.issue(i): exact(result.weights[i]) for i in range(space.n_issues)},
        "values": {labels.issue(i): {labels.option(i, o): exact(result.values[i, o])
                                     for o in range(int(space.n_options[i]))}
                   for i in range(space.n_issues)},
        "importance_order": [labels.issue(i) for i in order if result.weights[i] > 0],
        "margins": [exact(m) for m in result.margins],
        "summary": _fit_summary(result),
    }


def _fit_summary(result: ChoiceFit) -> str:
    if not result.used:
        return "No answers yet."
    explained = result.used - result.violations
    text = f"The fitted weights explain {explained} of your {plural(result.used, 'answer')}"
    if result.violations:
        text += (f"; {plural(result.violations, 'answer')} "
                 f"{'contradicts' if result.violations == 1 else 'contradict'} the others "
                 "(no single set of weights explains them all)")
    return text + "."


def render_fit(result: ChoiceFit, labels: Labels) -> RenderableType:
    """One row per point, most important first: its weight and its options by value."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    space = labels.space
    table = Table(title="What your answers say", title_justify="left", expand=False)
    table.add_column("point", overflow="fold")
    table.add_column("weight", justify="right")
    table.add_column("options, best first (value 0–1)", overflow="fold")
    order: Sequence[int] = sorted(range(space.n_issues), key=lambda i: (-result.weights[i], i))
    for i in order:
        n = int(space.n_options[i])
        options = sorted(range(n), key=lambda o: (-result.values[i, o], o))
        described = ("(no answer varied this point)" if result.weights[i] <= 0 else
                     "; ".join(f"{labels.option_label(i, o)} {shown(result.values[i, o], 2)}"
                               for o in options))
        table.add_row(point_name(labels, i), shown(result.weights[i], 2), described)
    return Group(Text(_fit_summary(result), style="bold"), table)

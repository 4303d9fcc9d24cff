"""Simulated negotiations (:mod:`accord.protocols.simulate`) for people and machines.

One ``*_to_dict`` / ``render_*`` pair per protocol: the shuttle
(:class:`~accord.protocols.simulate.ShuttleRun`), single-text mediation
(:class:`~accord.protocols.simulate.MediationRun`) and alternating offers
(:class:`~accord.protocols.simulate.AlternatingRun`).  Machine output keeps
full precision and ids; a person reads every party, point and option by label
and id, and an agreement always comes with the agreed text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from accord.space import UNRESOLVED
from accord.views.numbers import exact, plural, shown
from accord.views.packages import names_of, positions

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table

    from accord.protocols.simulate import AlternatingRun, MediationRun, ShuttleRun
    from accord.space import IntArray
    from accord.views.labels import Labels

__all__ = ["alternating_to_dict", "mediation_to_dict", "render_alternating", "render_mediation",
           "render_shuttle", "shuttle_to_dict", "text_table"]


def _by_party(labels: Labels, values: Any) -> dict[str, float | None]:
    return {labels.party(p): exact(float(v)) for p, v in enumerate(values)}


def text_table(labels: Labels, package: IntArray, title: str) -> Table:
    """A text point by point, label and id: what an agreement says."""
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    table.add_column("point", overflow="fold")
    table.add_column("option", overflow="fold")
    for i, o in enumerate(package):
        table.add_row(labels.issue_named(i), labels.option_named(i, int(o)))
    return table


def _utilities_line(labels: Labels, utilities: Any) -> str:
    return "Utilities: " + ", ".join(f"{labels.party_named(p)} {shown(u)}"
                                     for p, u in enumerate(utilities)) + "."


# ---------------------------------------------------------------------------
# shuttle


def shuttle_to_dict(run: ShuttleRun, labels: Labels) -> dict[str, Any]:
    """Every version (who was met, what changed, what opened), the agreed text, the comparison."""
    space = labels.space
    result = run.result
    agreed = run.agreed
    return {
        "protocol": "shuttle",
        "start": labels.text(run.start),
        "order": [labels.party(p) for p in run.order],
        "max_asks": run.max_asks,
        "bracket": run.bracket,
        "seed": run.seed,
        "meetings": run.meetings,
        "agreement": result.agreement,
        "agreed_text": None if agreed is None else positions(labels, agreed),
        "closed_at_summit": result.closed,
        "versions": [
            {"version": v,
             "met": labels.party(result.visited[v]) if result.visited[v] >= 0 else None,
             "changed": [labels.issue(i) for i in result.granted[v]],
             "bracketed": [labels.issue(i) for i in result.bracketed[v]],
             "open": [labels.issue(int(i))
                      for i in np.flatnonzero(result.versions[v] == UNRESOLVED)],
             "positions": positions(labels, result.versions[v]),
             "best_case_utilities": _by_party(labels, run.best_case[v])}
            for v in range(len(result.versions))],
        "comparison": [
            {"text": labels.text(m.text), "points": space.n_issues,
             "resolved_points": len(m.resolved),
             "matches_all_points": list(m.matches_all),
             "matches_resolved_points": list(m.matches), "best_version": m.best_version,
             "point_by_point": [
                 {"issue": labels.issue(i),
                  "real": labels.option(i, int(space.texts[m.text][i])),
                  "simulated": labels.option(i, int(result.versions[m.best_version][i])),
                  "match": bool(space.texts[m.text][i] == result.versions[m.best_version][i])}
                 for i in range(space.n_issues)]}
            for m in run.comparison],
    }


def render_shuttle(run: ShuttleRun, labels: Labels) -> RenderableType:
    """The versions with utilities and matches, the agreed text, then point by point per text."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    space = labels.space
    result = run.result
    parts: list[RenderableType] = [Text(
        f"Shuttle from {labels.text_named(run.start)}, meeting "
        f"{names_of([labels.party_named(p) for p in run.order])} "
        f"({plural(run.meetings, 'meeting')}{', then a closing summit' if result.closed else ''}).")]
    versions = Table(title="Versions (utilities: each party's best case over open points; "
                           "matches: same option, or open in both)", title_justify="left")
    versions.add_column("#", justify="right", no_wrap=True)
    versions.add_column("met", no_wrap=True)
    for p in range(space.n_parties):
        versions.add_column(labels.party(p), justify="right", no_wrap=True)
    for m in run.comparison:
        versions.add_column(f"= {labels.text(m.text)}", justify="right", overflow="fold")
    versions.add_column("changed; opened", overflow="fold", ratio=1)
    for v in range(len(result.versions)):
        met = (labels.party(result.visited[v]) if result.visited[v] >= 0
               else ("-" if v == 0 else "summit"))
        opened = (("; opened " + ", ".join(labels.issue(i) for i in result.bracketed[v]))
                  if result.bracketed[v] else "")
        versions.add_row(str(v), met, *(shown(u, 2) for u in run.best_case[v]),
                         *(f"{m.matches_all[v]}/{space.n_issues}" for m in run.comparison),
                         ", ".join(labels.issue(i) for i in result.granted[v]) + opened)
    parts.append(versions)
    key = ["Parties: " + ", ".join(labels.party_named(p) for p in range(space.n_parties)) + "."]
    if run.comparison:
        key.append("Texts: " + ", ".join(labels.text_named(m.text) for m in run.comparison) + ".")
    parts.append(Text("  " + " ".join(key)))
    for m in run.comparison:
        best = result.versions[m.best_version]
        real = space.texts[m.text]
        table = Table(title=f"Point by point: version {m.best_version} against "
                            f"{labels.text_named(m.text)}: "
                            f"{m.matches_all[m.best_version]}/{space.n_issues} points match "
                            f"({m.matches[m.best_version]}/{len(m.resolved)} of the points it "
                            "settles)", title_justify="left")
        table.add_column("point", overflow="fold")
        table.add_column("")
        table.add_column("real", overflow="fold")
        table.add_column("simulated", overflow="fold")
        for i in range(space.n_issues):
            match = bool(real[i] == best[i])
            table.add_row(labels.issue_named(i), "=" if match else "≠",
                          labels.option_named(i, int(real[i])),
                          labels.option_named(i, int(best[i])),
                          style=None if match else "yellow")
        parts.append(table)
    agreed = run.agreed
    if agreed is not None:
        parts.append(text_table(labels, agreed, f"Agreement: the agreed text (version "
                                                f"{len(result.versions) - 1})"))
    else:
        parts.append(Text("No agreement: the final version is not complete and acceptable to "
                          "every party that must accept."))
    return Group(*parts)


# ---------------------------------------------------------------------------
# single-text mediation


def mediation_to_dict(run: MediationRun, labels: Labels) -> dict[str, Any]:
    """The final text, its utilities, how many proposals were accepted."""
    result = run.result
    return {"protocol": "mediate", "mediator": run.mediator, "voters": list(run.voters),
            "seed": run.seed, "proposals": result.proposals, "accepted": result.accepted,
            "agreement": result.agreement,
            "agreed_text": positions(labels, result.text) if result.agreement else None,
            "positions": positions(labels, result.text),
            "utilities": _by_party(labels, run.utilities),
            "discounted_utilities": _by_party(labels, run.discounted_utilities)}


def render_mediation(run: MediationRun, labels: Labels) -> RenderableType:
    """The final text point by point (label and id), the utilities, agreement or not."""
    from rich.console import Group
    from rich.text import Text

    result = run.result
    head = Text(f"Mediation ({run.mediator} mediator; voters {', '.join(sorted(set(run.voters)))}; "
                f"seed {run.seed}): {result.accepted:,} of "
                f"{plural(result.proposals, 'proposal')} accepted.")
    title = ("Agreement: the agreed text" if result.agreement
             else "No agreement: the final text (not acceptable to every party that must accept)")
    return Group(head, text_table(labels, result.text, title),
                 Text(_utilities_line(labels, run.utilities)))


# ---------------------------------------------------------------------------
# alternating offers


def alternating_to_dict(run: AlternatingRun, labels: Labels) -> dict[str, Any]:
    """The agreement (or who walked away), utilities, GENIUS's metrics."""
    result = run.result
    return {"protocol": "alternate",
            "negotiators": [labels.party(p) for p in result.negotiators],
            "strategies": list(result.strategies), "seed": run.seed,
            "deadline_rounds": run.deadline, "agreement": result.agreement,
            "rounds": result.rounds, "progress": exact(result.progress),
            "walked_away": (labels.party(result.walked_away)
                            if result.walked_away is not None else None),
            "agreed_text": positions(labels, result.text) if result.text is not None else None,
            "positions": positions(labels, result.text) if result.text is not None else None,
            "utilities": _by_party(labels, run.utilities),
            "discounted_utilities": _by_party(labels, result.discounted_utilities),
            "metrics": run.metrics.as_dict(),
            "genius_metrics": run.genius.as_dict()}


def render_alternating(run: AlternatingRun, labels: Labels) -> RenderableType:
    """Who negotiated how, the agreed text (label and id) or why none, utilities, distances."""
    from rich.console import Group
    from rich.text import Text

    result = run.result
    who = ", ".join(f"{labels.party_named(p)} {k}"
                    for p, k in zip(result.negotiators, result.strategies, strict=True))
    parts: list[RenderableType] = [Text(f"Alternating offers ({who}; deadline "
                                        f"{plural(run.deadline, 'round')}; seed {run.seed}).")]
    if result.text is not None:
        parts.append(text_table(labels, result.text,
                                f"Agreement in round {result.rounds} (t = "
                                f"{shown(result.progress)}): the agreed text"))
    else:
        why = (f"{labels.party_named(result.walked_away)} walked away"
               if result.walked_away is not None else "deadline reached")
        parts.append(Text(f"No agreement ({why}); every party gets its reservation value."))
    parts.append(Text(_utilities_line(labels, run.utilities)))
    for value, label in ((run.metrics.distance_to_frontier, "distance to the Pareto frontier"),
                         (run.metrics.distance_to_nash, "distance to the Nash point")):
        parts.append(Text(f"{label}: " + ("n/a (domain too large)" if value is None
                                          else shown(value, 4)) + "."))
    return Group(*parts)

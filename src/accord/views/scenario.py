"""What `accord show` prints: parties, issues and options, settled points and texts, label and id."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from accord.model import Scenario
from accord.views.numbers import plural, shown

__all__ = ["scenario_view"]


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
            open_points = [f"{i.title} ({i.id})" for i in scenario.issues
                           if i.id not in text.positions]
            texts.add_row(text.id, text.title, str(text.date or ""), text.author or "",
                          text.parent or "", text.status.value, ", ".join(open_points) or "none")
        parts.append(texts)
    extras = []
    if scenario.statements:
        extras.append(plural(len(scenario.statements), "statement"))
    if scenario.meetings:
        extras.append(plural(len(scenario.meetings), "meeting"))
    if scenario.sources:
        extras.append(plural(len(scenario.sources), "source"))
    if extras:
        parts.append(Text("Also recorded: " + ", ".join(extras) + ".", style="italic"))
    return Group(*parts)


def _reservation_text(reservation: object) -> str:
    """``reservation 0.55``, or for a range its mean and bounds (accord.model.uncertain)."""
    from accord.model.uncertain import is_uncertain, point_estimate

    if is_uncertain(reservation):
        low, high = reservation.low, reservation.high  # type: ignore[attr-defined]
        return f"reservation {shown(point_estimate(reservation), 2)} (mean of {low:g}–{high:g})"  # type: ignore[arg-type]
    return f"reservation {shown(float(reservation), 2)}"  # type: ignore[arg-type]

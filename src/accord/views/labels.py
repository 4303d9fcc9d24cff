"""The ids and labels of a compiled scenario, for every view of a result.

Results hold indices; a person reads labels and ids.  :class:`Labels` is the
one place that maps one to the other, shared by the command line, the report
and the service.
"""

from __future__ import annotations

from accord.model import Scenario
from accord.space import UNRESOLVED, Space

__all__ = ["Labels", "named"]


def named(label: str | None, ident: str | None) -> str:
    """What a person reads for a thing with a label and an id: ``Label (id)``.

    The one format of every view.  When the label is missing or is the id itself
    (a GENIUS party, an option whose label is its id) it is printed once, so
    that ``Maker (Maker)`` never appears.

    >>> named("Ukraine", "ua"), named("Maker", "Maker"), named(None, "plan-20"), named("(open)", None)
    ('Ukraine (ua)', 'Maker', 'plan-20', '(open)')
    """
    if ident is None:
        return label or ""
    if not label or label.strip() == ident:
        return ident
    return f"{label} ({ident})"


class Labels:
    """Ids and human labels for a compiled scenario."""

    def __init__(self, scenario: Scenario, space: Space) -> None:
        self.scenario = scenario
        self.space = space
        self._party_names = {p.id: p.name for p in scenario.parties}

    def party(self, p: int) -> str:
        return self.space.party_ids[p]

    def party_name(self, p: int) -> str:
        return self._party_names.get(self.space.party_ids[p], self.space.party_ids[p])

    def issue(self, i: int) -> str:
        return self.space.issue_ids[i]

    def issue_title(self, i: int) -> str:
        return self.scenario.issues[i].title

    def option(self, i: int, o: int) -> str | None:
        return None if o == UNRESOLVED else self.space.option_ids[i][o]

    def option_label(self, i: int, o: int) -> str:
        return "(open)" if o == UNRESOLVED else self.scenario.issues[i].options[o].label

    def text(self, t: int | None) -> str | None:
        return None if t is None else self.space.text_ids[t]

    def text_title(self, t: int | None) -> str:
        return "(package)" if t is None else self.scenario.texts[t].title

    # What a person reads: label and id, in the one format of :func:`named`.

    def party_named(self, p: int) -> str:
        """``Ukraine (ua)``."""
        return named(self.party_name(p), self.party(p))

    def issue_named(self, i: int) -> str:
        """``Security guarantees (guarantees)``."""
        return named(self.issue_title(i), self.issue(i))

    def option_named(self, i: int, o: int) -> str:
        """``Option label (option-id)``, or ``(open)``."""
        return named(self.option_label(i, o), self.option(i, o))

    def text_named(self, t: int | None) -> str:
        """``28-point plan (plan-28)``; ``(package)`` for a package that is no text."""
        return named(self.text_title(t), self.text(t))

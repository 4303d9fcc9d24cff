"""The ids and labels of a compiled scenario, for every view of a result.

Results hold indices; a person reads labels and ids.  :class:`Labels` is the
one place that maps one to the other, shared by the command line, the report
and the service.
"""

from __future__ import annotations

from accord.model import Scenario
from accord.space import UNRESOLVED, Space

__all__ = ["Labels"]


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

"""What a negotiation *is*, in the user's words.

The classes mirror the scenario file one to one (see
``docs/reference/scenario-format.md``), so that the JSON Schema printed by
``accord schema`` is the schema of the file, and load → save → load gives an
equal model.  Structural checks (types, ranges, unknown keys) live here;
checks that need the whole scenario (does this option exist? do the parents
form a cycle?) live in :mod:`accord.model.validate`, which reports every
problem at once.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from pydantic import Field, PrivateAttr

from accord.model.evidence import Meeting, Source, Statement
from accord.model.nonlinear import NonlinearUtility
from accord.model.suggest import did_you_mean
from accord.model.terms import MAX_LINKS, ConditionalRedLine, Interaction
from accord.model.types import Date, Finite, Flag, Identifier, Label, PlanPoint, Prose
from accord.model.types import Strict as _Strict
from accord.model.uncertain import RedLineEntry, UncertainFraction, UncertainWeight

__all__ = [
    "Capability",
    "Delegate",
    "Issue",
    "Option",
    "Party",
    "Preferences",
    "Role",
    "Scenario",
    "ScenarioInfo",
    "SettledPoint",
    "Text",
    "TextStatus",
]


class Role(StrEnum):
    """What a party does in the process.

    Only principals must accept by default; a mediator's and backers' preferences
    inform the analysis but do not veto unless ``must_accept`` says so.
    """

    MEDIATOR = "mediator"
    PRINCIPAL = "principal"
    BACKER = "backer"
    OBSERVER = "observer"


class TextStatus(StrEnum):
    PROPOSAL = "proposal"
    DRAFT = "draft"
    AGREED = "agreed"
    REJECTED = "rejected"


class Delegate(_Strict):
    """A person who spoke or negotiated for a party, with the dates they served."""

    name: Label
    title: Label | None = None
    since: Date | None = None
    until: Date | None = None


class Capability(_Strict):
    """How much weight a party carries in deciding the outcome (used by ``accord forecast``).

    Only ratios between parties matter.  Usually an estimate, so it says what it
    rests on; ``value`` may be a range like any weight.
    """

    value: UncertainWeight
    estimate: Flag = True
    basis: Prose | None = None


class Party(_Strict):
    id: Identifier
    name: Label
    role: Role
    description: Prose | None = None
    delegates: list[Delegate] = Field(default_factory=list)
    # Other names reports use for the party ("the Kremlin", "Kyiv"): `accord ingest` resolves them.
    aliases: list[Label] = Field(default_factory=list)
    capability: Capability | None = None


class Option(_Strict):
    id: Identifier
    label: Label
    description: Prose | None = None
    # Where the option lies on the issue's 0–100 line for forecasts; default: evenly
    # spaced in option order (first 0, last 100).
    position: Finite | None = Field(default=None, ge=0.0, le=100.0)


class Issue(_Strict):
    """One disputed point (or group of plan points) and the options on the table."""

    id: Identifier
    title: Label
    points: list[PlanPoint] = Field(default_factory=list)
    description: Prose | None = None
    options: list[Option] = Field(min_length=1)

    def option_index(self, option_id: str) -> int:
        for index, option in enumerate(self.options):
            if option.id == option_id:
                return index
        raise KeyError(option_id)


class SettledPoint(_Strict):
    """Plan points that no party disputes, kept so that a text can be read whole."""

    points: list[PlanPoint] = Field(min_length=1)
    summary: Prose


class Preferences(_Strict):
    """One party's (usually estimated) preferences.

    ``u_p(x) = Σ_i w_i · v_i(x_i) + Σ_t value_t · [x meets term t]`` with the
    weights normalised to sum to 1 when the scenario is compiled; issues without
    a weight do not matter to the party.  ``terms`` (interaction terms) and
    ``requires``/``excludes`` (conditional red lines) are described in
    :mod:`accord.model.terms`.
    """

    estimate: Flag = True
    basis: Prose | None = None
    # Each number may be a distribution (accord.model.uncertain); point analyses use its mean.
    reservation: UncertainFraction = 0.0
    weights: dict[Identifier, UncertainWeight] = Field(default_factory=dict)
    values: dict[Identifier, dict[Identifier, UncertainFraction]] = Field(default_factory=dict)
    red_lines: dict[Identifier, list[RedLineEntry]] = Field(default_factory=dict)
    # Package deals: an option only together with (requires) or never with (excludes) others.
    requires: list[ConditionalRedLine] = Field(default_factory=list, max_length=MAX_LINKS)
    excludes: list[ConditionalRedLine] = Field(default_factory=list, max_length=MAX_LINKS)
    # Interaction terms: a bonus or penalty when points take given options together.
    terms: list[Interaction] = Field(default_factory=list, max_length=MAX_LINKS)
    # GENIUS discount factor d in (0, 1]: a deal at normalised time t is worth u·d^t (1 = none).
    discount: Finite = Field(default=1.0, gt=0.0, le=1.0)
    # A utility outside the additive contract, kept exactly (accord.model.nonlinear);
    # additive analyses refuse a party that has one.
    nonlinear: NonlinearUtility | None = None


class Text(_Strict):
    """A version of the negotiating text.  Issues missing from ``positions`` are unresolved."""

    id: Identifier
    title: Label
    date: Date | None = None
    author: Identifier | None = None
    parent: Identifier | None = None
    status: TextStatus = TextStatus.PROPOSAL
    notes: Prose | None = None
    sources: list[Identifier] = Field(default_factory=list)
    positions: dict[Identifier, Identifier] = Field(default_factory=dict)


class ScenarioInfo(_Strict):
    title: Label
    description: Prose | None = None
    as_of: Date | None = None
    must_accept: list[Identifier] | None = Field(
        default=None,
        description="Parties whose acceptance a deal needs; default: every principal.",
    )


class Scenario(_Strict):
    """A whole negotiation: who, over what, what they want, and the texts so far."""

    scenario: ScenarioInfo
    sources: list[Source] = Field(default_factory=list)
    parties: list[Party] = Field(min_length=1)
    issues: list[Issue] = Field(min_length=1)
    settled: list[SettledPoint] = Field(default_factory=list)
    preferences: dict[Identifier, Preferences] = Field(default_factory=dict)
    texts: list[Text] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list)
    meetings: list[Meeting] = Field(default_factory=list)

    # -- look-ups by id: an index per list, rebuilt when the list has changed --

    _index: dict[str, tuple[int, int, dict[str, int]]] = PrivateAttr(default_factory=dict)

    @property
    def title(self) -> str:
        return self.scenario.title

    @property
    def must_accept(self) -> list[str]:
        """The parties whose acceptance a deal needs (default: every principal)."""
        if self.scenario.must_accept is not None:
            return list(self.scenario.must_accept)
        return [p.id for p in self.parties if p.role is Role.PRINCIPAL]

    def party(self, party_id: str) -> Party:
        return self._find(self.parties, party_id, "party")

    def issue(self, issue_id: str) -> Issue:
        return self._find(self.issues, issue_id, "issue")

    def text(self, text_id: str) -> Text:
        return self._find(self.texts, text_id, "text")

    def lineage(self, text_id: str) -> list[Text]:
        """The text and its ancestors, oldest first.

        One index look-up per step; a cycle (which validation refuses, but a
        model changed in code could hold) raises ``ValueError`` instead of looping.
        """
        chain = [self.text(text_id)]
        seen = {text_id}
        while chain[-1].parent is not None:
            parent = chain[-1].parent
            if parent in seen:
                raise ValueError(f"text parents form a cycle through {parent!r}")
            seen.add(parent)
            chain.append(self.text(parent))
        return chain[::-1]

    def _find(self, items: list[_Item], item_id: str, kind: str) -> _Item:
        cached = self._index.get(kind)
        if cached is None or cached[0] != id(items) or cached[1] != len(items):
            cached = (id(items), len(items), {})
            for position, item in enumerate(items):
                cached[2].setdefault(item.id, position)
            self._index[kind] = cached
        found = cached[2].get(item_id)
        if found is not None and items[found].id == item_id:
            return items[found]
        for item in items:  # the list was changed in place since the index was built
            if item.id == item_id:
                self._index.pop(kind, None)
                return item
        known = [item.id for item in items]
        raise KeyError(f"unknown {kind} {item_id!r}{did_you_mean(item_id, known)}")


_Item = TypeVar("_Item", Party, Issue, Text)


"""The public record a scenario cites: sources, statements and meetings."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from accord.model.types import Date, Identifier, Label, Prose
from accord.model.types import Strict as _Strict

__all__ = ["Meeting", "Source", "Stance", "Statement"]


class Source(_Strict):
    """A publication that facts in the scenario rest on; cited by ``id`` elsewhere."""

    id: Identifier
    title: Label
    publisher: Label | None = None
    date: Date | None = None
    url: Prose | None = None


class Stance(StrEnum):
    """What a statement says about the points it concerns (see ``docs/explanation/evidence.md``)."""

    RULES_OUT = "rules-out"
    INSISTS_ON = "insists-on"
    ACCEPTS = "accepts"
    PROGRESS = "progress"
    DIFFICULTY = "difficulty"


class Statement(_Strict):
    """Something a party's representative said in public, with its source."""

    speaker: Identifier = Field(description="The party the speaker represents.")
    person: Label | None = None
    date: Date
    channel: Label | None = Field(default=None, description="Where it was said: press, X, Facebook…")
    place: Label | None = None
    quote: Prose
    source: Identifier | None = None
    issues: list[Identifier] = Field(default_factory=list)
    # Added by `accord ingest` (or by hand); all optional, so older files stay valid.
    stance: Stance | None = Field(
        default=None, description="What the quote says about its issues: rules-out, insists-on, "
                                  "accepts (an option), or progress, difficulty (in general).")
    options: list[Identifier] = Field(
        default_factory=list, description="The options the stance is about, each an option of one "
                                          "of `issues`.")
    evidence: Prose | None = Field(
        default=None, description="The passage of the source the quote was read from.")


class Meeting(_Strict):
    """A round of talks: who met where, and which texts were on the table."""

    date: Date
    end_date: Date | None = None
    place: Label
    participants: list[Identifier] = Field(min_length=1)
    people: list[Label] = Field(default_factory=list)
    texts: list[Identifier] = Field(default_factory=list)
    summary: Prose | None = None
    sources: list[Identifier] = Field(default_factory=list)

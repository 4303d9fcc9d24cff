"""The public record a scenario cites: sources, statements and meetings."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from accord.model.types import Identifier
from accord.model.types import Strict as _Strict

__all__ = ["Meeting", "Source", "Statement"]


class Source(_Strict):
    """A publication that facts in the scenario rest on; cited by ``id`` elsewhere."""

    id: Identifier
    title: str
    publisher: str | None = None
    date: dt.date | None = None
    url: str | None = None


class Statement(_Strict):
    """Something a party's representative said in public, with its source."""

    speaker: Identifier = Field(description="The party the speaker represents.")
    person: str | None = None
    date: dt.date
    channel: str | None = Field(default=None, description="Where it was said: press, X, Facebook…")
    place: str | None = None
    quote: str
    source: Identifier | None = None
    issues: list[Identifier] = Field(default_factory=list)


class Meeting(_Strict):
    """A round of talks: who met where, and which texts were on the table."""

    date: dt.date
    end_date: dt.date | None = None
    place: str
    participants: list[Identifier] = Field(min_length=1)
    people: list[str] = Field(default_factory=list)
    texts: list[Identifier] = Field(default_factory=list)
    summary: str | None = None
    sources: list[Identifier] = Field(default_factory=list)

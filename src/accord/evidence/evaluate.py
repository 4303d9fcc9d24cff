"""Scoring a reading of articles against hand labels: precision, recall and accuracies.

A labelled quotation is found when the reader reports a quotation with the same
words (compared without case, accents, the kind of quote mark or apostrophe, and
a closing comma or full stop).  Precision is the share of reported quotations
that are labelled ones; recall the share of labelled ones reported.  Speaker,
channel and date accuracy are over the quotations found: a label of ``""``
("nobody is named", "the article does not say") is matched by the reader saying
nothing.  Party and person accuracy are over the found quotations whose label
gives them (articles on a scenario), and compare what ``--write`` would record —
the statement's party and person, nothing when it is refused — not the words
the article uses.  Every field is scored, and every disagreement listed, so a
quotation wrong in two ways counts twice.  The labels' format is described in
``tests/data/articles/README.md``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from accord.evidence.propose import Proposals
from accord.evidence.words import fold, normalise_quote

__all__ = ["FIELDS", "Score", "Scored", "normalise_quote", "normalise_speaker", "predictions",
           "score_article", "total"]

#: The fields scored on each found quotation; ``party`` and ``person`` only where labelled.
FIELDS = ("speaker", "channel", "date", "party", "person")


@dataclass(frozen=True)
class Scored:
    """One disagreement: a labelled quotation missed, a reported one not labelled (``spurious``),
    or a field of a found one that differs."""

    text: str
    found: bool
    field: str = ""        # "missed", "spurious", or the field that disagreed ("speaker", …)
    expected: str = ""
    got: str = ""


@dataclass(frozen=True)
class Score:
    """Counts behind the rates (so that sets of articles add up)."""

    gold: int
    predicted: int
    matched: int
    speaker: int
    channel: int
    date: int
    party: int
    party_total: int
    person: int = 0
    person_total: int = 0
    misses: tuple[Scored, ...] = ()

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    def rate(self, field: str) -> float:
        if field in ("party", "person"):
            labelled = getattr(self, f"{field}_total")
            return getattr(self, field) / labelled if labelled else float("nan")
        return getattr(self, field) / self.matched if self.matched else float("nan")


def predictions(proposals: Proposals) -> list[dict[str, Any]]:
    """What a reading reports for each quotation, in the form :func:`score_article` takes.

    With a scenario, ``party`` and ``person`` are those of the statement the quotation is part
    of, as ``--write`` would record them (empty when the statement is refused).
    """
    recorded: dict[int, tuple[str, str]] = {}
    for proposal in proposals.statements:
        statement = proposal.statement
        for index in proposal.quotations:
            recorded[index] = (statement.speaker, statement.person or "") if statement else ("", "")
    rows = []
    for index, quotation in enumerate(proposals.extraction.quotations):
        row: dict[str, Any] = {"text": quotation.text, "speaker": quotation.speaker,
                               "channel": quotation.channel, "date": quotation.date}
        if proposals.scenario_given:
            row["party"], row["person"] = recorded.get(index, ("", ""))
        rows.append(row)
    return rows


def normalise_speaker(name: str | None) -> str:
    if not name:
        return ""
    return re.sub(r"^(?:the|a|an)\s+", "", fold(name).strip())


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"\w+", normalise_quote(text)))


def score_article(gold: Sequence[Mapping[str, Any]], predicted: Sequence[Mapping[str, Any]]) -> Score:
    """Score one article: ``gold`` are the label tables, ``predicted`` dicts with the same keys
    (``text``, ``speaker``, ``channel``, ``date``, and ``party``, ``person`` where labelled)."""
    unused = list(range(len(predicted)))
    pairs: list[tuple[Mapping[str, Any], Mapping[str, Any] | None]] = []
    for label in gold:
        wanted = normalise_quote(label["text"])
        choice = next((i for i in unused if normalise_quote(predicted[i]["text"]) == wanted), None)
        if choice is None:  # the same quote with a word more or less at an edge
            tokens = _tokens(label["text"])
            for i in unused:
                other = _tokens(predicted[i]["text"])
                if tokens and other and len(tokens & other) / len(tokens | other) >= 0.8:
                    choice = i
                    break
        if choice is not None:
            unused.remove(choice)
        pairs.append((label, predicted[choice] if choice is not None else None))
    counts = dict.fromkeys(("speaker", "channel", "date", "party", "party_total", "person", "person_total"),
                           0)
    misses: list[Scored] = []
    for label, guess in pairs:
        if guess is None:
            misses.append(Scored(label["text"], False, "missed"))
            continue
        checks = [("speaker", normalise_speaker(label.get("speaker")),
                   normalise_speaker(guess.get("speaker"))),
                  ("channel", label.get("channel") or "", guess.get("channel") or ""),
                  ("date", _iso(label.get("date")), _iso(guess.get("date")))]
        for field in ("party", "person"):
            if field in label:
                counts[f"{field}_total"] += 1
                checks.append((field, fold(label.get(field) or ""), fold(guess.get(field) or "")))
        for field, expected, got in checks:
            if expected == got:
                counts[field] += 1
            else:
                misses.append(Scored(label["text"], True, field, expected, got))
    for i in unused:
        misses.append(Scored(predicted[i]["text"], False, "spurious"))
    return Score(gold=len(gold), predicted=len(predicted), matched=sum(1 for _, g in pairs if g is not None),
                 misses=tuple(misses), **counts)


def _iso(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value or "")


def total(scores: Iterable[Score]) -> Score:
    """The scores of several articles as one (rates over all their quotations)."""
    items = list(scores)
    fields = ("gold", "predicted", "matched", "speaker", "channel", "date", "party", "party_total",
              "person", "person_total")
    sums = {f: sum(getattr(s, f) for s in items) for f in fields}
    return Score(**sums, misses=tuple(m for s in items for m in s.misses))

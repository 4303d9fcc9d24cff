"""Scoring a reading of articles against hand labels: precision, recall and accuracies.

A labelled quotation is found when the reader reports a quotation with the same
words (compared without case, accents, the kind of quote mark or apostrophe, and
a closing comma or full stop).  Precision is the share of reported quotations
that are labelled ones; recall the share of labelled ones reported.  Speaker,
channel, date and party accuracy are over the quotations found: a label of ``""``
("nobody is named", "the article does not say") is matched by the reader saying
nothing.  The labels' format is described in ``tests/data/articles/README.md``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from accord.evidence.people import fold

__all__ = ["Score", "Scored", "normalise_quote", "normalise_speaker", "score_article", "total"]


@dataclass(frozen=True)
class Scored:
    """One labelled or reported quotation and what became of it."""

    text: str
    found: bool
    field: str = ""        # the first field that disagreed ("speaker", "channel", …), "" if none
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
    misses: tuple[Scored, ...] = ()

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    def rate(self, field: str) -> float:
        if field == "party":
            return self.party / self.party_total if self.party_total else float("nan")
        return getattr(self, field) / self.matched if self.matched else float("nan")


def normalise_quote(text: str) -> str:
    words = fold(text).replace("“", '"').replace("”", '"').replace("‘", "'")
    words = re.sub(r"\s+", " ", words).strip()
    return re.sub(r"[\s,.;:]+$", "", words)


def normalise_speaker(name: str | None) -> str:
    if not name:
        return ""
    return re.sub(r"^(?:the|a|an)\s+", "", fold(name).strip())


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"\w+", normalise_quote(text)))


def score_article(gold: Sequence[Mapping[str, Any]], predicted: Sequence[Mapping[str, Any]]) -> Score:
    """Score one article: ``gold`` are the label tables, ``predicted`` dicts with the same keys
    (``text``, ``speaker``, ``channel``, ``date``, optionally ``party``)."""
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
    counts = {"speaker": 0, "channel": 0, "date": 0, "party": 0, "party_total": 0}
    misses: list[Scored] = []
    for label, guess in pairs:
        if guess is None:
            misses.append(Scored(label["text"], False, "missed"))
            continue
        first_wrong: tuple[str, str, str] | None = None
        checks = [("speaker", normalise_speaker(label.get("speaker")),
                   normalise_speaker(guess.get("speaker"))),
                  ("channel", label.get("channel") or "", guess.get("channel") or ""),
                  ("date", _iso(label.get("date")), _iso(guess.get("date")))]
        if "party" in label:
            counts["party_total"] += 1
            checks.append(("party", label.get("party") or "", guess.get("party") or ""))
        for field, expected, got in checks:
            if expected == got:
                counts[field] += 1
            elif first_wrong is None:
                first_wrong = (field, expected, got)
        if first_wrong:
            misses.append(Scored(label["text"], True, *first_wrong))
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
    fields = ("gold", "predicted", "matched", "speaker", "channel", "date", "party", "party_total")
    sums = {f: sum(getattr(s, f) for s in items) for f in fields}
    return Score(**sums, misses=tuple(m for s in items for m in s.misses))

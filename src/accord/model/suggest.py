"""“Did you mean …?” for misspelt identifiers, with a bounded amount of work.

Scoring a candidate costs a string alignment, so a file with thousands of
misspelt references to thousands of ids would otherwise take minutes.  Two
bounds keep it cheap: one look-up scores at most :data:`MAX_SCORED` candidates
(a larger pool is first narrowed to the ids that share the word's first letter
and roughly its length, and if that is still too many no suggestion is made),
and a :class:`Suggester` shared by one validation stops suggesting once it has
looked at :data:`WORK_BUDGET` candidates in all.  A suggestion is a courtesy;
the message is complete without it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["CUTOFF", "MAX_SCORED", "WORK_BUDGET", "Suggester", "closest", "did_you_mean"]

#: How similar a candidate must be (difflib ratio, 0..1) to be suggested.
CUTOFF = 0.6
#: At most this many candidates are scored for one word.
MAX_SCORED = 300
#: At most this many candidates are looked at by one :class:`Suggester` (one validation).
WORK_BUDGET = 200_000
#: Words longer than this get no suggestion (ids are at most 64 characters).
MAX_WORD = 80


def _score(word_l: str, candidate: str) -> float:
    """Similarity of ``word_l`` to ``candidate`` or to the start of it (ids are often abbreviated)."""
    cand_l = candidate.lower()
    whole = difflib.SequenceMatcher(None, word_l, cand_l).ratio()
    head = difflib.SequenceMatcher(None, word_l, cand_l[: len(word_l) + 1]).ratio()
    # A truncated id ('genva' for 'geneva-framework') counts almost as much as a typo of the whole.
    score = max(whole, 0.95 * head) if len(word_l) >= 3 else whole
    if word_l[:1] == cand_l[:1]:
        score += 0.05  # typos rarely hit the first letter
    return score


def _narrow(word_l: str, pool: list[str]) -> list[str]:
    """At most MAX_SCORED plausible candidates, or none when the pool cannot be narrowed enough."""
    if len(pool) <= MAX_SCORED:
        return pool
    first = word_l[:1]
    pool = [c for c in pool if c[:1].lower() == first]
    if len(pool) > MAX_SCORED:
        pool = [c for c in pool if abs(len(c) - len(word_l)) <= 2]
    return pool if len(pool) <= MAX_SCORED else []


class Suggester:
    """Did-you-mean look-ups that share one work budget (use one per validation)."""

    def __init__(self, budget: int = WORK_BUDGET) -> None:
        self.budget = budget

    def closest(self, word: str, candidates: Iterable[str]) -> str | None:
        """The candidate most similar to ``word``, if any is similar enough (and work is left)."""
        if self.budget <= 0 or len(word) > MAX_WORD:
            return None
        pool = [c for c in candidates if isinstance(c, str) and c != word]
        self.budget -= len(pool)
        word_l = word.lower()
        pool = _narrow(word_l, pool)
        self.budget -= 10 * len(pool)  # scoring costs far more than looking
        scored = sorted(((_score(word_l, c), c) for c in pool), key=lambda sc: (-sc[0], sc[1]))
        if scored and scored[0][0] >= CUTOFF:
            return scored[0][1]
        return None

    def did_you_mean(self, word: object, candidates: Iterable[str]) -> str:
        """`` (did you mean 'x'?)`` or the empty string."""
        if not isinstance(word, str):
            return ""
        match = self.closest(word, candidates)
        return f" (did you mean {match!r}?)" if match else ""


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate most similar to ``word``, if any is similar enough."""
    return Suggester().closest(word, candidates)


def did_you_mean(word: object, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` or the empty string."""
    return Suggester().did_you_mean(word, candidates)

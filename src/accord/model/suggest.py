"""“Did you mean …?” for misspelt identifiers."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

#: How similar a candidate must be (difflib ratio, 0..1) to be suggested.
CUTOFF = 0.6


def _score(word: str, candidate: str) -> float:
    """Similarity of ``word`` to ``candidate`` or to the start of it (ids are often abbreviated)."""
    word_l, cand_l = word.lower(), candidate.lower()
    whole = difflib.SequenceMatcher(None, word_l, cand_l).ratio()
    head = difflib.SequenceMatcher(None, word_l, cand_l[: len(word_l) + 1]).ratio()
    # A truncated id ('genva' for 'geneva-framework') counts almost as much as a typo of the whole.
    score = max(whole, 0.95 * head) if len(word_l) >= 3 else whole
    if word_l[:1] == cand_l[:1]:
        score += 0.05  # typos rarely hit the first letter
    return score


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate most similar to ``word``, if any is similar enough."""
    pool = [c for c in candidates if isinstance(c, str) and c != word]
    scored = sorted(((_score(word, c), c) for c in pool), key=lambda sc: (-sc[0], sc[1]))
    if scored and scored[0][0] >= CUTOFF:
        return scored[0][1]
    return None


def did_you_mean(word: object, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` or the empty string."""
    if not isinstance(word, str):
        return ""
    match = closest(word, candidates)
    return f" (did you mean {match!r}?)" if match else ""

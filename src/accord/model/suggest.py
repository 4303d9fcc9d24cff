"""“Did you mean …?” for misspelt identifiers."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate most similar to ``word``, if any is similar enough."""
    pool = [c for c in candidates if isinstance(c, str)]
    matches = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if not matches:
        lowered = {c.lower(): c for c in pool}
        if word.lower() in lowered:
            return lowered[word.lower()]
        return None
    return matches[0]


def did_you_mean(word: object, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` or the empty string."""
    if not isinstance(word, str):
        return ""
    match = closest(word, candidates)
    return f" (did you mean {match!r}?)" if match else ""

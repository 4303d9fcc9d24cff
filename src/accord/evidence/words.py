"""Comparing words the way a reader does: without case, accents or the kind of apostrophe.

Every module of :mod:`accord.evidence` compares names, titles and quotes through
:func:`fold`, and quotes through :func:`normalise_quote` (the scorer and the
duplicate check of ``--write`` both need "the same words").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["fold", "normalise_quote"]


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without accents and with one kind of apostrophe, for comparisons.

    Cached: the same names and titles are folded many times in one article.

    >>> fold("Zelenskyy’s Café")
    "zelenskyy's cafe"
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.replace("’", "'").casefold()


def normalise_quote(text: str) -> str:
    """A quote's words for comparison: folded, one kind of quote mark, spaces collapsed, and
    no closing comma or full stop.

    >>> normalise_quote("“So much  work remains,”")
    '"so much work remains,"'
    >>> normalise_quote("So much work remains.")
    'so much work remains'
    """
    words = fold(text).replace("“", '"').replace("”", '"').replace("‘", "'")
    words = re.sub(r"\s+", " ", words).strip()
    return re.sub(r"[\s,.;:]+$", "", words)

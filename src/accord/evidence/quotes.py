"""Quotation marks and sentences in one paragraph of a report.

Wire copy marks direct speech with double quotes, curly (“…”) or straight
("…"), and nests single quotes inside them; British copy uses single curly
quotes (‘…’) as the outer marks, and a paragraph may mix both (a word in ‘…’
outside any “…” is a quotation of its own).  A quotation that runs on into the next
paragraph is left open at the paragraph's end and reopened at the start of the
next one (the wire convention), so an unclosed quote ends with its paragraph.

Sentences are found with the quotations masked, so that a full stop inside a
quote does not end the sentence that attributes it — except where the quote
itself ends a sentence (``… "very productive." The chancellor …``).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

__all__ = ["QuoteSpan", "Sentence", "curl_single_quotes", "find_quotes", "mask_quotes", "sentences"]

_OPEN = "“„‟«"
_CLOSE = "”»"
_STRAIGHT = '"'
_WORD = re.compile(r"[\w’'-]+")
_DOUBLE_MARKS = re.compile(f"[{_OPEN}{_CLOSE}{_STRAIGHT}]")
_SINGLE_MARKS = re.compile("[‘’]")


@dataclass(frozen=True)
class QuoteSpan:
    """One quotation in a paragraph: ``start``/``end`` are the offsets of its marks (end exclusive)."""

    start: int
    end: int
    text: str          # the words between the marks, without a closing comma or full stop
    closed: bool       # False when the quote runs on into the next paragraph

    @property
    def words(self) -> int:
        return len(_WORD.findall(self.text))


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int


def find_quotes(paragraph: str) -> list[QuoteSpan]:
    """Every outermost quotation in ``paragraph``, in order, nicknames left out."""
    spans = _double_quotes(paragraph)
    # Single curly quotes outside every double-quoted span are quotations too (‘serious’ in a
    # paragraph that also has “…”); inside one they are nested and belong to it.
    starts = [d.start for d in spans]   # in order, never overlapping: a bisection finds the one
    singles = [s for s in _single_quotes(paragraph)
               if not (index := bisect.bisect_right(starts, s.start)) or spans[index - 1].end <= s.start]
    if singles:
        spans = sorted([*spans, *singles], key=lambda s: s.start)
    return [s for s in spans if s.text and not _is_nickname(paragraph, s)]


def _double_quotes(paragraph: str) -> list[QuoteSpan]:
    spans: list[QuoteSpan] = []
    opened: int | None = None
    for mark in _DOUBLE_MARKS.finditer(paragraph):  # only the marks, not every character
        index, char = mark.start(), mark.group(0)
        if char in _OPEN:
            if opened is not None:
                # An opening mark while open: the previous quote was never closed (a typo, or a
                # quote running on); end it before this mark rather than swallowing the rest.
                spans.append(_span(paragraph, opened, index, closed=False))
            opened = index
        elif char in _CLOSE:
            if opened is not None:
                spans.append(_span(paragraph, opened, index + 1, closed=True))
                opened = None
        elif char == _STRAIGHT:
            if opened is None:
                opened = index
            elif _can_close(paragraph, index):
                spans.append(_span(paragraph, opened, index + 1, closed=True))
                opened = None
    if opened is not None:
        spans.append(_span(paragraph, opened, len(paragraph), closed=False))
    return spans


_STRAIGHT_SINGLE = re.compile("'")


def curl_single_quotes(paragraph: str) -> str:
    """``paragraph`` with the straight single marks that pair as quotation marks curled (‘…’).

    British copy typed on a plain keyboard ('a formula everybody can live with', a headline's
    'insulting') uses the apostrophe key for its quotation marks.  Outside double quotes, a
    mark that opens a word (after a space, a bracket or a dash) and a later one that closes a
    word are read as ‘…’; a mark inside a word (Kyiv's, don't) is an apostrophe, and so is one
    with no partner in the paragraph (a decade, '90s; a plural possessive, the farmers' union).
    A closing mark after an *s* and before another word (the farmers' union) closes only when
    no later mark can.  Offsets are kept (one character for one), so spans found in the result
    are spans of the original.
    """
    if "'" not in paragraph:
        return paragraph
    doubles = _double_quotes(paragraph)
    chars = list(paragraph)
    opened: int | None = None
    possessive: int | None = None  # a closing candidate that may be a plural possessive
    for mark in _STRAIGHT_SINGLE.finditer(paragraph):
        index = mark.start()
        if any(d.start < index < d.end for d in doubles):
            continue  # nested inside a double quote: it belongs to that quote
        before = paragraph[index - 1] if index else " "
        after = paragraph[index + 1] if index + 1 < len(paragraph) else " "
        rest = paragraph[index + 1: index + 4]
        if opened is None:
            if (before.isspace() or before in "([—–-") and after.isalnum() \
                    and not re.fullmatch(r"\d\ds", rest):
                opened = index
            continue
        if before.isspace() or after.isalnum():
            continue
        if before == "s" and after == " " and paragraph[index + 2: index + 3].isalpha():
            possessive = index if possessive is None else possessive
            continue
        chars[opened], chars[index] = "‘", "’"
        opened = possessive = None
    if opened is not None and possessive is not None:
        chars[opened], chars[possessive] = "‘", "’"
    return "".join(chars)


def _can_close(paragraph: str, index: int) -> bool:
    # A straight mark closes unless it is plainly an opening one (preceded by a space and
    # followed by a letter: a new quote although the previous one was left open).
    before = paragraph[index - 1] if index else " "
    after = paragraph[index + 1] if index + 1 < len(paragraph) else " "
    return not (before.isspace() and after.isalnum())


def _single_quotes(paragraph: str) -> list[QuoteSpan]:
    # ‘ opens only at the start of a word; ’ closes only at the end of one and not inside a
    # word (Ukraine’s, don’t), so apostrophes are never taken for quotation marks.
    spans: list[QuoteSpan] = []
    opened: int | None = None
    for mark in _SINGLE_MARKS.finditer(paragraph):
        index, char = mark.start(), mark.group(0)
        before = paragraph[index - 1] if index else " "
        after = paragraph[index + 1] if index + 1 < len(paragraph) else " "
        if char == "‘" and (before.isspace() or before in "([—–-") and not after.isspace():
            opened = index
        elif char == "’" and opened is not None and not after.isalnum() and not before.isspace():
            spans.append(_span(paragraph, opened, index + 1, closed=True))
            opened = None
    return spans


def _span(paragraph: str, start: int, end: int, *, closed: bool) -> QuoteSpan:
    inner = paragraph[start + 1 : end - 1 if closed else end]
    text = inner.strip().rstrip(",;:").rstrip()
    # A closing full stop belongs to the sentence, not the quote (a quoted "?" or "!" is kept).
    if text.endswith(".") and not text.endswith("..."):
        text = text[:-1].rstrip()
    return QuoteSpan(start=start, end=end, text=text, closed=closed)


_NAME_WINDOW = 80  # characters: longer than any name part


def _is_nickname(paragraph: str, span: QuoteSpan) -> bool:
    """Tomás “El Viejo” Aranda: capitalised words in quotes between two parts of a name."""
    if span.words > 3 or not all(w[:1].isupper() for w in span.text.split()):
        return False
    # Only the words next to the quote matter: a bounded window keeps this linear in the
    # paragraph (a search anchored at the end of the whole prefix is quadratic over many quotes).
    before = re.search(r"([A-Z][\w’'-]+)\s+$", paragraph[max(0, span.start - _NAME_WINDOW): span.start])
    after = re.match(r"\s+([A-Z][\w’'-]+)", paragraph[span.end: span.end + _NAME_WINDOW])
    return bool(before and after)


def mask_quotes(paragraph: str, spans: list[QuoteSpan]) -> str:
    """``paragraph`` with every quotation's content replaced by spaces (offsets kept)."""
    chars = list(paragraph)
    for span in spans:
        for index in range(span.start + 1, span.end - (1 if span.closed else 0)):
            chars[index] = " "
    return "".join(chars)


# Words that end with a full stop without ending a sentence.
_ABBREVIATIONS = frozenset([
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "sgt", "capt", "adm", "gov", "sen",
    "rep", "rev", "st", "jr", "sr", "no", "vs", "etc", "inc", "ltd", "co", "corp", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues",
    "wed", "thu", "thurs", "fri", "sat", "sun", "fla", "calif"
])


def sentences(paragraph: str, spans: list[QuoteSpan]) -> list[Sentence]:
    """The sentences of ``paragraph``; a sentence never ends inside a quotation."""
    masked = mask_quotes(paragraph, spans)
    cuts = [0]
    for match in re.finditer(r"[.?!]+[”\"’)]*(?=\s+[\"“‘(A-Z0-9])", masked):
        end = match.end()
        # The word before the stop (a short window: searching the whole prefix would be quadratic).
        word = re.search(r"([\w.]+)[.?!]+[”\"’)]*$", masked[max(0, end - 80): end])
        token = (word.group(1) if word else "").lower().rstrip(".")
        if match.group(0).startswith(".") and (token in _ABBREVIATIONS or (re.fullmatch(r"(\w\.)*\w", token)
                                               and len(token.replace(".", "")) <= 2
                                               and not token.isdigit())):  # "on June 2." ends one
            continue  # "U.S. envoy", "Nov. 28", "Gen. Mahmoud"
        cuts.append(end)
    # A quote whose words end a sentence ends the attributing sentence too (… "constructive." The …).
    for span in spans:
        if span.closed and re.search(r"[.?!]\s*$", paragraph[span.start + 1 : span.end - 1]) \
                and re.match(r"\s+[A-Z“\"]", paragraph[span.end :]):
            cuts.append(span.end)
    cuts = sorted(set(cuts))
    found = []
    for start, end in zip(cuts, [*cuts[1:], len(paragraph)], strict=True):
        while start < end and paragraph[start].isspace():
            start += 1
        if start < end:
            found.append(Sentence(start, end))
    return found

"""Dates in a report: the article's own date, and the relative dates resolved against it.

Conventions (those of wire copy, documented in ``docs/explanation/evidence.md``):

* a weekday ("on Monday", "late on Tuesday", "Sunday evening") is the latest such
  day on or before the article's date;
* "today" is the article's date, "yesterday" the day before;
* "last week" is the Monday of the week before the article's week, "this week" the
  Monday of its week, "last month" the first day of the month before, "earlier this month"
  the first day of the month;
* a day and month ("on April 9", "Nov. 28", "2 December") take the article's year,
  or the year before when that would put them more than a week after the article;
* a possessive ("last week's attacks") dates an event, not the words said about it;
* "that evening", "on the same day", "afterwards" ("the next day": one more) take the day
  an earlier sentence of the same paragraph named (the reader, not this module, knows it).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["SAME_DAY", "DateMention", "article_date", "find_dates", "resolve"]

#: Words that date something by the day the sentences before it name ("that evening", "on the same
#: day", "afterwards"); group 1 is set for the day after ("the next day").
SAME_DAY = re.compile(r"\b(?:that (?:day|evening|night|morning|afternoon)|(?:on )?the same day|"
                      r"later that day|afterwards|(the (?:next|following) (?:day|morning)))\b", re.IGNORECASE)

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
             "sunday": 6}
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December" \
         r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    ("month-day", re.compile(rf"\b({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b")),
    ("day-month", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})(?:,?\s+(\d{{4}}))?\b")),
    ("weekday", re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")),
    ("relative", re.compile(r"\b(yesterday|today|last week|this week|last month|earlier this week|"
                            r"earlier this month)\b", re.IGNORECASE)),
)


@dataclass(frozen=True)
class DateMention:
    """A date expression in a text: where it is, what it says, and the date it names."""

    start: int
    end: int
    words: str
    kind: str
    day: dt.date | None   # None when it needs an article date that is not known


def find_dates(text: str, reference: dt.date | None, *, possessive: bool = False) -> list[DateMention]:
    """Every date expression in ``text``, resolved against ``reference`` (the article's date).

    A possessive ("last week's attacks", "Monday's talks") dates the thing it qualifies, not the
    words around it: it is left out unless ``possessive`` (the meeting reader wants "Monday's talks").
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if not possessive and text.startswith(("'s", "’s"), match.end()):
                continue
            # ``taken`` holds non-overlapping spans in order: only the neighbours can overlap.
            at = bisect.bisect_left(taken, (match.start(), match.end()))
            if (at and taken[at - 1][1] > match.start()) or (at < len(taken) and taken[at][0] < match.end()):
                continue
            if kind == "month-day" and match.group(1).lower().rstrip(".") == "may" \
                    and not match.group(3) and not re.match(r"May\s+\d", match.group(0)):
                continue
            taken.insert(at, (match.start(), match.end()))
            found.append(DateMention(match.start(), match.end(), match.group(0), kind,
                                     _resolve_match(kind, match, reference)))
    return sorted(found, key=lambda d: d.start)


def resolve(words: str, reference: dt.date | None) -> dt.date | None:
    """The date ``words`` name ("on Monday", "Nov. 28", "2025-11-30"), or None."""
    found = find_dates(words, reference)
    return found[0].day if found else None


def _resolve_match(kind: str, match: re.Match[str], reference: dt.date | None) -> dt.date | None:
    try:
        if kind == "iso":
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if kind in ("month-day", "day-month"):
            month_word, day = (match.group(1), match.group(2)) if kind == "month-day" \
                else (match.group(2), match.group(1))
            month = _MONTHS[month_word.lower().rstrip(".")]
            if match.group(3):
                return dt.date(int(match.group(3)), month, int(day))
            if reference is None:
                return None
            candidate = dt.date(reference.year, month, int(day))
            if candidate > reference + dt.timedelta(days=7):
                candidate = dt.date(reference.year - 1, month, int(day))
            return candidate
    except ValueError:
        return None  # "February 30": not a date
    if reference is None:
        return None
    if kind == "weekday":
        back = (reference.weekday() - _WEEKDAYS[match.group(1).lower()]) % 7
        return reference - dt.timedelta(days=back)
    words = match.group(1).lower()
    monday = reference - dt.timedelta(days=reference.weekday())
    if words == "today":
        return reference
    if words == "yesterday":
        return reference - dt.timedelta(days=1)
    if words == "last week":
        return monday - dt.timedelta(days=7)
    if words in ("this week", "earlier this week"):
        return monday
    if words == "earlier this month":
        return reference.replace(day=1)
    first = reference.replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)  # last month


def article_date(paragraphs: tuple[str, ...] | list[str]) -> dt.date | None:
    """The date a plain-text article gives itself: a full date in its dateline or first lines."""
    head = " ".join(paragraphs[:2])[:400]
    for mention in find_dates(head, None):
        if mention.day is not None and mention.kind in ("iso", "month-day", "day-month"):
            return mention.day
    return None

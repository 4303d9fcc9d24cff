"""Quotation marks, sentences and dates: hand-worked cases."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.evidence.dates import article_date, find_dates, resolve
from accord.evidence.quotes import find_quotes, sentences


def texts(paragraph: str) -> list[str]:
    return [q.text for q in find_quotes(paragraph)]


def test_straight_and_curly_marks_and_the_closing_comma() -> None:
    assert texts('"So much work remains," he said. "But we are close."') == [
        "So much work remains", "But we are close"]
    assert texts("“So much work remains,” he said. “But we are close.”") == [
        "So much work remains", "But we are close"]


def test_question_and_exclamation_marks_stay_with_the_quote() -> None:
    assert texts('"Why now?" she asked.') == ["Why now?"]


def test_nested_single_quotes_belong_to_the_outer_quote() -> None:
    assert texts("“He told me ‘never’, and I believed him,” she said.") == [
        "He told me ‘never’, and I believed him"]


def test_apostrophes_are_not_quotation_marks() -> None:
    assert texts("Ukraine’s envoy said the talks didn’t fail.") == []


def test_british_single_quotes_when_there_are_no_double_ones() -> None:
    assert texts("The minister called it ‘a serious step’ and Kyiv’s allies agreed.") == [
        "a serious step"]


def test_a_quote_running_on_into_the_next_paragraph_is_left_open() -> None:
    [span] = find_quotes('She added: "We will not stop.')
    assert span.text == "We will not stop" and not span.closed


def test_a_nickname_between_names_is_not_a_quotation() -> None:
    assert texts("Rebel commander Tomás “El Viejo” Aranda spoke first.") == []


def test_sentences_do_not_end_inside_quotes_or_after_abbreviations() -> None:
    paragraph = ('"It is a tactic. We are here," said Gen. Idris Mahmoud of the U.S. team on Nov. 28. '
                 '"Next," he said.')
    found = [paragraph[s.start:s.end] for s in sentences(paragraph, find_quotes(paragraph))]
    assert found == ['"It is a tactic. We are here," said Gen. Idris Mahmoud of the U.S. team on Nov. 28.',
                     '"Next," he said.']


def test_a_quote_ending_its_sentence_ends_the_reporting_sentence() -> None:
    paragraph = 'Merz said the talks were "constructive." The chancellor called it "remarkable."'
    found = [paragraph[s.start:s.end] for s in sentences(paragraph, find_quotes(paragraph))]
    assert len(found) == 2 and found[1].startswith("The chancellor")


THURSDAY = dt.date(2025, 11, 27)  # a Thursday


@pytest.mark.parametrize(("words", "expected"), [
    ("on Thursday", THURSDAY),                       # the article's own weekday: that day
    ("on Monday", dt.date(2025, 11, 24)),
    ("late on Friday", dt.date(2025, 11, 21)),       # a weekday is never after the article
    ("yesterday", dt.date(2025, 11, 26)),
    ("today", THURSDAY),
    ("last week", dt.date(2025, 11, 17)),            # the Monday of the week before
    ("earlier this week", dt.date(2025, 11, 24)),
    ("last month", dt.date(2025, 10, 1)),
    ("on Nov. 20", dt.date(2025, 11, 20)),
    ("on 2 December", dt.date(2025, 12, 2)),         # within a week ahead: this year
    ("on December 30", dt.date(2024, 12, 30)),       # more than a week ahead: last year
    ("on March 3, 2024", dt.date(2024, 3, 3)),
    ("on 2025-01-06", dt.date(2025, 1, 6)),
])
def test_relative_dates(words: str, expected: dt.date) -> None:
    assert resolve(words, THURSDAY) == expected


def test_impossible_dates_and_unknown_references() -> None:
    assert resolve("on February 30", THURSDAY) is None
    assert resolve("on Monday", None) is None
    assert find_dates("They may 5 times", THURSDAY) == []


def test_article_date_from_the_dateline() -> None:
    assert article_date(["GENEVA, Nov 23, 2025 (Wire) - Talks."]) == dt.date(2025, 11, 23)
    assert article_date(["KYIV, 28 December 2025 — Talks."]) == dt.date(2025, 12, 28)
    assert article_date(["LONDON, Dec 15 (Wire) - no year"]) is None

"""Channels as wire copy words them: telling an outlet by name, a video posted on a platform, a
post on a platform outside the vocabulary, a letter; and the day of a lead that names two.  Phrases written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.evidence.channels import find_channel
from accord.evidence.extract import extract
from accord.io.article import parse_article


@pytest.mark.parametrize(("clause", "channel"), [
    # telling one outlet by name is an interview with it
    ("she told Deutschlandfunk radio on Monday", "interview"),
    ("the mayor told Radio Sur", "interview"),
    ("he told the radio station Onda Verde that", "interview"),
    ("she told CNN TV late on Friday", "interview"),
    # a medium without an outlet stays the medium
    ("he said on state television", "television"),
    ("she said on national radio", "radio"),
    ("speaking on state TV", "television"),
    # a video is a video wherever it is posted
    ("he said in a video posted on his Telegram channel", "video"),
    ("she said in a short video shared on Facebook", "video"),
    ("he wrote on Facebook", "Facebook"),
    # a platform outside the vocabulary is a website
    ("she wrote in a post on LinkedIn", "website"),
    ("he said on Instagram", "website"),
    ("she wrote on her blog", "website"),
    # a letter is a written statement
    ("set out in a letter to both governments", "statement"),
    ("in an open letter to the council", "statement"),
])
def test_channel_phrasings(clause: str, channel: str) -> None:
    assert find_channel(clause) == channel


@pytest.mark.parametrize("clause", ["the letter of the treaty", "said the radio was off",
                                    "a video game company"])
def test_words_that_name_no_channel(clause: str) -> None:
    assert find_channel(clause) is None


# -- the day of the lead -------------------------------------------------------------------

THURSDAY = dt.date(2026, 3, 5)


def lead_dates(lead: str) -> list[dt.date | None]:
    text = lead + '\n\n"We are not coming back," union negotiator Ilse Rama told reporters.'
    article = parse_article(text.encode(), name="t.txt", html=False)
    return [q.date for q in extract(article, date=THURSDAY).quotations]


@pytest.mark.parametrize("lead", [
    "Talks on the ferry contract broke down yesterday over night shifts, the crew union said on Thursday.",
    "Talks broke down on Monday, the crew union said Thursday.",
    "The crew union said on Thursday that talks had broken down on Monday.",
    "After talks broke down on Tuesday, the crew union told reporters late on Thursday it would strike.",
])
def test_the_lead_day_is_the_day_its_verb_of_speaking_names(lead: str) -> None:
    assert lead_dates(lead) == [THURSDAY]


def test_a_lead_with_one_date_keeps_it() -> None:
    assert lead_dates("Talks on the ferry contract broke down on Monday over night shifts.") == \
        [dt.date(2026, 3, 2)]


@pytest.mark.parametrize("clause", ["the commission said in the letter that", "said in its letter"])
def test_the_letter_named_before_is_a_statement(clause: str) -> None:
    assert find_channel(clause) == "statement"


@pytest.mark.parametrize("clause", ["she told lawmakers on Wednesday", "he told a parliamentary committee",
                                    "she told the senate committee"])
def test_speaking_to_a_chamber_is_a_speech(clause: str) -> None:
    assert find_channel(clause) == "speech"

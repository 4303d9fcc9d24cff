"""Channels as wire copy words them: telling an outlet by name, a video posted on a platform, a
post on a platform outside the vocabulary, a letter.  Phrases written for these tests."""

from __future__ import annotations

import pytest

from accord.evidence.channels import find_channel


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

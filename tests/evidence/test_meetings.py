"""Meetings: who met (only the verb's subject and object), where and when; planned ones marked."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.evidence.propose import ingest
from accord.io.article import parse_article
from accord.io.scenario_file import load

DAY = dt.date(2025, 12, 4)  # a Thursday


@pytest.fixture(scope="module")
def flagship(peace_plan_path):
    return load(peace_plan_path)


def meetings(text: str, scenario=None, day: dt.date | None = DAY):
    return ingest(parse_article(text.encode(), name="t.txt", html=False), scenario, date=day).meetings


def test_participants_are_those_who_met_not_every_name_in_the_sentence(flagship) -> None:
    text = ('Special envoy Steve Witkoff met Ukrainian negotiator Rustem Umerov in Geneva on '
            'Wednesday for talks on the guarantees, a day after the Moscow round.')
    [meeting] = meetings(text, flagship)
    assert (meeting.participants, meeting.people) == (("us", "ua"), ("Steve Witkoff", "Rustem Umerov"))
    assert (meeting.place, meeting.date, meeting.status) == ("Geneva", dt.date(2025, 12, 3), "new")


def test_a_meeting_sentence_with_a_quote_is_read(flagship) -> None:
    text = ('Russian President Vladimir Putin received U.S. special envoy Steve Witkoff and Jared Kushner '
            'at the Kremlin on Tuesday for talks that aide Yuri Ushakov called "useful".')
    [meeting] = meetings(text, flagship)
    assert meeting.participants == ("ru", "us")
    assert meeting.people == ("Vladimir Putin", "Steve Witkoff", "Jared Kushner")
    assert (meeting.place, meeting.date) == ("Kremlin", dt.date(2025, 12, 2))


@pytest.mark.parametrize("sentence", [
    "The envoys will meet Ukrainian negotiator Rustem Umerov in Geneva on Monday.",
    "Diplomats expect progress when the delegations meet in Geneva.",
    "Witkoff is due to meet Rustem Umerov in Miami next week.",
])
def test_a_future_meeting_is_planned_and_never_written(flagship, sentence: str) -> None:
    [meeting] = meetings(sentence, flagship)
    assert meeting.planned and meeting.status == "planned" and meeting.meeting is None


def test_a_delegate_not_serving_that_day_does_not_count(flagship) -> None:
    # Umerov is Ukraine's negotiator only from 29 November: on the 24th he spoke for no party.
    [meeting] = meetings("Steve Witkoff met Rustem Umerov in Miami on Nov. 24.", flagship)
    assert meeting.status == "refused" and "only one party" in (meeting.refused or "")


def test_a_vague_day_is_refused(flagship) -> None:
    [meeting] = meetings("Steve Witkoff met Volodymyr Zelenskyy in Miami last week.", flagship)
    assert meeting.status == "refused" and "vague" in (meeting.refused or "")


def test_a_meeting_in_a_relative_clause_is_not_proposed(flagship) -> None:
    text = 'Rustem Umerov, who met Steve Witkoff in Miami on Monday, said it was "useful".'
    assert meetings(text, flagship) == ()


def test_talks_between_two_parties(flagship) -> None:
    [meeting] = meetings("Talks between Russia and Ukraine resumed in Istanbul on Tuesday.", flagship)
    assert (meeting.participants, meeting.place, meeting.status) == (("ru", "ua"), "Istanbul", "new")


def test_without_a_scenario_the_people_are_as_written() -> None:
    [meeting] = meetings("Foreign Minister Ana Ruiz met envoy Ivo Tal in Oslo on Monday.")
    assert (meeting.people, meeting.status, meeting.meeting) == (("Ana Ruiz", "Ivo Tal"), "read", None)

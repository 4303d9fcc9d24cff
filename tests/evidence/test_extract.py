"""Who said what: each construction of the issue on sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.errors import ScenarioError
from accord.evidence import extract as extract_module
from accord.evidence.extract import extract
from accord.evidence.propose import attribute, ingest
from accord.io.article import parse_article
from accord.io.scenario_file import load

DAY = dt.date(2025, 12, 3)  # a Wednesday


def read(text: str, day: dt.date | None = DAY):
    return extract(parse_article(text.encode(), name="t.txt", html=False), date=day)


def who(text: str) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in read(text).quotations]


def test_split_quote_around_its_attribution() -> None:
    got = read('"The door is open," envoy Mara Lind told reporters on Monday. "But not for long."')
    assert [(q.text, q.speaker, q.channel, q.date) for q in got.quotations] == [
        ("The door is open", "Mara Lind", "press", dt.date(2025, 12, 1)),
        ("But not for long", "Mara Lind", "press", dt.date(2025, 12, 1))]
    assert got.quotations[1].how == "continues"


def test_inverted_attribution_and_apposition() -> None:
    assert who('"No deal yet," said Omar Siddiq, the chief mediator.') == [("No deal yet", "Omar Siddiq")]
    assert who('Omar Siddiq, the chief mediator, said the gap was "narrowing".') == [
        ("narrowing", "Omar Siddiq")]


def test_quote_inside_a_sentence_and_scare_quotes() -> None:
    got = read('Foreign Minister Ana Ruiz called the offer "unserious" and a "provocation".')
    assert [(q.text, q.kind, q.speaker) for q in got.quotations] == [
        ("unserious", "scare", "Ana Ruiz"), ("provocation", "scare", "Ana Ruiz")]


def test_a_so_called_scare_quote_has_no_speaker() -> None:
    assert who('Leaders of the so-called "contact group" met on Monday.') == [("contact group", None)]


def test_pronoun_takes_the_subject_of_the_sentence_before() -> None:
    text = ('Defence Minister Pavel Kern met his counterpart Ilse Brandt on Tuesday. '
            '"We are not there," he said.')
    assert who(text) == [("We are not there", "Pavel Kern")]


def test_title_and_surname_references_point_back() -> None:
    text = ('Chief negotiator Lena Olsen arrived in Oslo on Monday.\n\n'
            'The negotiator said the text was "not ready".\n\n'
            '"We need more time," Olsen said.')
    assert who(text) == [("not ready", "Lena Olsen"), ("We need more time", "Lena Olsen")]


def test_a_description_before_the_person_is_introduced_is_resolved_later() -> None:
    text = ('Talks ended with the UN mediator saying the sides were "close".\n\n'
            '"Close is not done," said Erik Moe, the UN special envoy.')
    assert who(text) == [("close", "Erik Moe"), ("Close is not done", "Erik Moe")]


def test_possessive_descriptions() -> None:
    text = ('Jan Vos, the premier\'s chief of staff, flew in on Monday.\n\n'
            'The premier\'s chief of staff said the plan was "dead".')
    assert who(text) == [("dead", "Jan Vos")]


def test_organisations_and_the_references_to_them() -> None:
    text = ('The Northern Alliance rebels rejected the plan on Monday.\n\n'
            'The group said in a statement that it would "never disarm".\n\n'
            'The Kremlin said it was "not surprised".')
    got = read(text).quotations
    assert [(q.speaker, q.speaker_kind, q.channel) for q in got] == [
        ("Northern Alliance", "organisation", "statement"), ("Kremlin", "organisation", None)]


@pytest.mark.parametrize(("phrase", "channel"), [
    ("said in a post on X", "X"), ("wrote on Facebook", "Facebook"), ("said on Telegram", "Telegram"),
    ("told reporters", "press"), ("told a news conference", "press"),
    ("said in a statement", "statement"), ("told Radio Nord in an interview", "interview"),
    ("said on state television", "television"), ("said in a video address", "video"),
    ("said in a speech", "speech"), ("said", None),
])
def test_channels(phrase: str, channel: str | None) -> None:
    [quotation] = read(f'Minister Ana Ruiz {phrase} that the plan was "dead".').quotations
    assert quotation.channel == channel


def test_on_board_air_force_one_is_a_place_and_the_press() -> None:
    [quotation] = read('On board Air Force One, President Dan Cole told reporters it was "close".').quotations
    assert (quotation.speaker, quotation.channel, quotation.place) == ("Dan Cole", "press", "Air Force One")


def test_a_date_in_a_relative_clause_is_not_the_day_of_the_quote() -> None:
    [quotation] = read('Ana Ruiz, who met the envoys last week, called the talks "frank".').quotations
    assert quotation.date == DAY


def test_the_day_of_the_lead_is_the_default() -> None:
    text = 'ROME - Envoys met on Monday.\n\n"It went well," said Ana Ruiz.'
    [quotation] = read(text).quotations
    assert quotation.date == dt.date(2025, 12, 1)


def test_without_an_article_date_relative_dates_stay_unknown() -> None:
    [quotation] = read('"It went well," Ana Ruiz said on Monday.', day=None).quotations
    assert quotation.date is None


def test_too_many_quotations_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract_module, "MAX_QUOTATIONS", 3)
    with pytest.raises(ScenarioError, match="has 4 quotations; an article has at most 3"):
        read('"a," "b," "c," "d," she said.')


# -- with a scenario: delegates, titles and their dates ------------------------------------

@pytest.fixture(scope="module")
def flagship(peace_plan_path):
    return load(peace_plan_path)


@pytest.mark.parametrize(("day", "person"), [(dt.date(2025, 11, 25), "Andriy Yermak"),
                                             (dt.date(2025, 12, 1), "Rustem Umerov")])
def test_a_title_resolves_to_the_delegate_serving_that_day(flagship, day, person) -> None:
    text = 'Ukraine\'s chief negotiator said the talks were "useful".'
    proposals = ingest(parse_article(text.encode(), name="t.txt", html=False), flagship, date=day)
    [statement] = proposals.statements
    assert (statement.party, statement.person) == ("ua", person)


def test_nationality_and_title_pick_the_delegate(flagship) -> None:
    text = ('The Russian president said the plan "could work".\n\n'
            'The U.S. president said it was "close".')
    proposals = ingest(parse_article(text.encode(), name="t.txt", html=False), flagship, date=DAY)
    assert [(p.party, p.person) for p in proposals.statements] == [
        ("ru", "Vladimir Putin"), ("us", "Donald Trump")]


def test_seats_of_government_and_spelling_variants(flagship) -> None:
    text = ('The Kremlin said the talks were "useful".\n\n'
            'President Volodymyr Zelensky said they were "hard".')
    proposals = ingest(parse_article(text.encode(), name="t.txt", html=False), flagship, date=DAY)
    assert [(p.party, p.person) for p in proposals.statements] == [
        ("ru", None), ("ua", "Volodymyr Zelenskyy")]


def test_what_cannot_be_attributed_is_refused_with_the_reason(flagship) -> None:
    text = 'Mediator Hana Ito of Japan said it was "a start".'
    proposals = ingest(parse_article(text.encode(), name="t.txt", html=False), flagship, date=DAY)
    [statement] = proposals.statements
    assert statement.statement is None
    assert "Hana Ito is not a delegate of any party" in (statement.refused or "")
    quotation = proposals.extraction.quotations[0]
    assert attribute(quotation, flagship)[0] is None

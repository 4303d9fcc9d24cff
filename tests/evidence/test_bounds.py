"""Bounded, linear work: counted, not timed.

The reader's costly steps are lookups in the register of people (the review found them
quadratic: every lookup folded every known name) and string folding.  Both are counted —
``Register.steps`` (entities examined) and the calls of :func:`accord.evidence.words.fold` —
on generated articles of n and 2n paragraphs: doubling the article must about double the work
(a quadratic reader would quadruple it).  Counts are deterministic, so the test cannot flake.
"""

from __future__ import annotations

import datetime as dt
import string

import pytest

from accord.errors import ScenarioError
from accord.evidence import extract as extract_module
from accord.evidence import people, position
from accord.evidence.extract import extract
from accord.evidence.people import Register
from accord.evidence.words import fold
from accord.io.article import parse_article


def _name(number: int) -> str:
    """A distinct capitalised word for each number ("Bab", "Bac", …), never a real word."""
    letters = []
    for _ in range(3):
        number, digit = divmod(number, 26)
        letters.append(string.ascii_lowercase[digit])
    return "Q" + "".join(letters)


def _article(paragraphs: int) -> str:
    """Each paragraph introduces two new people, a meeting, a quote by surname and a description."""
    parts = []
    for n in range(paragraphs):
        first, second = f"Ana {_name(2 * n)}", f"Ivo {_name(2 * n + 1)}"
        parts.append(f'Foreign Minister {first} met envoy {second} in Geneva on Monday. '
                     f'"Round {n} went well," {first.split()[1]} told reporters. '
                     f'The minister said it was "fine", and the envoy called it "useful".')
    return "GENEVA, Dec. 3, 2025 - " + "\n\n".join(parts)


def _work(paragraphs: int, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int, int]:
    registers: list[Register] = []

    class Counting(Register):
        def __init__(self) -> None:
            super().__init__()
            registers.append(self)

    monkeypatch.setattr(extract_module, "Register", Counting)
    fold.cache_clear()
    article = parse_article(_article(paragraphs).encode(), name="generated.txt", html=False)
    result = extract(article)
    info = fold.cache_info()
    assert len(result.quotations) == 3 * paragraphs
    [register] = registers
    return register.steps, info.hits + info.misses, len(result.quotations)


def test_doubling_the_article_doubles_the_work(monkeypatch: pytest.MonkeyPatch) -> None:
    # 120 paragraphs name 240 people: past the RECENT window, where the work per lookup is flat.
    steps, folds, quotations = _work(120, monkeypatch)
    steps2, folds2, _ = _work(240, monkeypatch)
    assert steps > 100 and folds > 100  # the counters count something
    # Each quotation costs at most a few windows of RECENT entities, however long the article.
    assert steps2 <= 2 * quotations * 4 * people.RECENT
    assert steps2 / steps < 2.3, (steps, steps2)
    assert folds2 / folds < 2.3, (folds, folds2)


def test_the_descriptions_resolve_in_the_generated_article(monkeypatch: pytest.MonkeyPatch) -> None:
    """The counted article is read correctly: the work is the real work, not a short cut."""
    article = parse_article(_article(3).encode(), name="generated.txt", html=False)
    speakers = [q.speaker for q in extract(article).quotations]
    assert speakers == [f"{who} {_name(n)}" for k in range(3)
                        for who, n in (("Ana", 2 * k), ("Ana", 2 * k), ("Ivo", 2 * k + 1))]


def test_a_description_looks_back_only_so_far(monkeypatch: pytest.MonkeyPatch) -> None:
    """ "the minister" is compared with the RECENT people mentioned last, not everyone."""
    monkeypatch.setattr(people, "RECENT", 2)
    register = Register()
    register.person("Ana Ruiz", ["Foreign Minister"])
    register.person("Ivo Tal", ["envoy"])
    register.person("Eva Moe", ["envoy"])
    assert register.describe("the minister") is None
    register.mention(register.by_name("Ruiz"))  # mentioned again: recent again
    assert register.describe("the minister").name == "Ana Ruiz"


def test_an_article_naming_too_many_people_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(people, "MAX_ENTITIES", 10)
    article = parse_article(_article(6).encode(), name="crowd.txt", html=False)
    with pytest.raises(ScenarioError, match="names more than 10 people and organisations"):
        extract(article, date=dt.date(2025, 12, 3))


def test_a_statement_reads_at_most_max_cues(monkeypatch: pytest.MonkeyPatch) -> None:
    """Thousands of cues in one quote: the reading stops at MAX_CUES (and still gives a stance)."""
    calls = []
    real = position._pieces

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(position, "_pieces", counting)
    quote = " ".join(["we must"] * 5000)
    assert position.position_of(quote, None, [], None).stance.value == "insists-on"
    assert len(calls) == position.MAX_CUES


def test_fifty_thousand_quotations_are_counted_and_refused_at_once() -> None:
    # The nickname check once searched the whole paragraph before each quote: 50,000 quotes
    # in one paragraph took minutes.  It now looks at the words next to the quote only.
    from accord.evidence.quotes import find_quotes
    from accord.io.article import parse_article

    paragraph = "“Yes,” said Kim. " * 50_000
    assert len(find_quotes(paragraph)) == 50_000
    assert find_quotes("Tomás “El Viejo” Aranda said “no”.")[-1].text == "no"
    assert len(find_quotes("Tomás “El Viejo” Aranda said “no”.")) == 1
    article = parse_article(("LONDON, 3 March 2025 — " + paragraph).encode(), name="big.txt")
    with pytest.raises(ScenarioError, match="has 50,000 quotations; an article has at most 2,000"):
        extract(article)

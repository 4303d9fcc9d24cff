"""The reader's quality on the hand-labelled articles meets the issue's goals (the scores are
those `benchmarks/bench_ingest.py` prints), and the scorer itself is checked by hand."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from accord.evidence.evaluate import predictions, score_article, total
from accord.evidence.propose import ingest
from accord.io.article import read_article
from accord.io.scenario_file import load

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "articles"


def scores(folder: str, flagship):
    found = []
    for path in sorted((ARTICLES / folder).iterdir()):
        if path.suffix not in (".txt", ".html"):
            continue
        labels = tomllib.loads(path.with_suffix(".toml").read_text(encoding="utf-8"))
        scenario = flagship if labels.get("scenario") == "flagship" else None
        proposals = ingest(read_article(path), scenario,
                           date=None if labels["date_in_text"] else labels["article_date"])
        found.append(score_article(labels["quotes"], predictions(proposals)))
    return total(found)


@pytest.mark.parametrize("folder", ["dev", "heldout"])
def test_the_goals_are_met(folder: str, peace_plan_path) -> None:
    overall = scores(folder, load(peace_plan_path))
    assert overall.gold >= (80 if folder == "dev" else 25)
    assert overall.recall >= 0.95
    assert overall.precision >= 0.9
    assert overall.rate("speaker") >= 0.9


def test_every_article_is_labelled_and_the_set_is_large_enough() -> None:
    dev = [p for p in (ARTICLES / "dev").iterdir() if p.suffix in (".txt", ".html")]
    held = [p for p in (ARTICLES / "heldout").iterdir() if p.suffix in (".txt", ".html")]
    assert len(dev) + len(held) >= 15 and len(held) >= 5
    for path in dev + held:
        labels = tomllib.loads(path.with_suffix(".toml").read_text(encoding="utf-8"))
        assert isinstance(labels["article_date"], dt.date) and labels["quotes"]


def test_the_scorer_on_a_hand_worked_example() -> None:
    gold = [{"text": "So much work remains", "speaker": "Marco Rubio", "channel": "press",
             "date": dt.date(2025, 11, 30), "party": "us", "person": "Marco Rubio"},
            {"text": "frugal", "speaker": "", "channel": "", "date": dt.date(2025, 11, 30)},
            {"text": "missed", "speaker": "X", "channel": "", "date": dt.date(2025, 11, 30)}]
    predicted = [{"text": "So much work remains,", "speaker": "marco rubio", "channel": "press",
                  "date": dt.date(2025, 11, 30), "party": "us", "person": ""},
                 {"text": "“frugal”", "speaker": None, "channel": "X", "date": dt.date(2025, 11, 29)},
                 {"text": "spurious", "speaker": "Y", "channel": None, "date": None}]
    score = score_article(gold, predicted)
    assert (score.gold, score.predicted, score.matched) == (3, 3, 2)
    assert score.precision == pytest.approx(2 / 3) and score.recall == pytest.approx(2 / 3)
    assert (score.speaker, score.channel, score.date) == (2, 1, 1)
    assert (score.party, score.party_total, score.person, score.person_total) == (1, 1, 0, 1)
    # Every disagreeing field is listed, not only the first: "frugal" is wrong twice.
    assert sorted((m.text, m.field) for m in score.misses) == [
        ("So much work remains", "person"), ("frugal", "channel"), ("frugal", "date"),
        ("missed", "missed"), ("spurious", "spurious")]


def test_predictions_record_what_write_would(peace_plan_path) -> None:
    """Party and person are the statement's (a refused one records nothing), not the words."""
    from accord.io.article import parse_article

    text = ('The minister said it was "fine".\n\n'
            '"We are close," Secretary of State Marco Rubio told reporters.')
    proposals = ingest(parse_article(text.encode(), name="t.txt", html=False), load(peace_plan_path),
                       date=dt.date(2025, 12, 3))
    rows = predictions(proposals)
    assert [(r["speaker"], r["party"], r["person"]) for r in rows] == [
        ("The minister", "", ""), ("Marco Rubio", "us", "Marco Rubio")]


# The sets written by independent evaluators, at the level last measured on each (a regression
# guard, not a goal: fresh3 was unseen when scored and is below the 0.9 goal; see its README).
MEASURED = {"review": 0.99, "fresh": 0.99, "fresh2": 0.98, "fresh3": 0.84}


@pytest.mark.parametrize("folder", sorted(MEASURED))
def test_the_independent_sets_do_not_regress(folder: str, peace_plan_path) -> None:
    overall = scores(folder, load(peace_plan_path))
    assert overall.recall >= 0.99 and overall.precision >= 0.98
    assert overall.rate("speaker") >= MEASURED[folder], overall.rate("speaker")

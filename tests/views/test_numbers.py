"""The one number formatter: one percentage format, one plural helper."""

from __future__ import annotations

from pathlib import Path

from accord.views.numbers import percent, plural


def test_zero_and_one_read_alike() -> None:
    # "0%" next to "100.0%" read as two formats in one column (issue 11)
    assert percent(0.0) == "0.0%" and percent(1.0) == "100.0%"
    assert percent(1.08e-19) == "0.0%" and percent(-1e-15) == "0.0%"
    assert percent(0.5) == "50.0%" and percent(0.7264) == "72.6%"


def test_rare_is_never_shown_as_impossible_or_certain() -> None:
    assert percent(0.00037) == "0.037%" and percent(0.99963) == "99.963%"
    assert percent(0.9999996) != "100.0%" and percent(4e-7) != "0.0%"


def test_probability_cell_uses_the_same_format() -> None:
    from accord.views.cells import probability_cell

    assert probability_cell(0.0, 0.0, 0.002).plain.startswith("0.0% ")


def test_plural_lives_in_numbers_only() -> None:
    views = Path(__file__).parents[2] / "src" / "accord" / "views"
    defining = [p.name for p in views.glob("*.py") if "def plural(" in p.read_text(encoding="utf-8")]
    assert defining == ["numbers.py"]
    assert plural(1, "meeting") == "1 meeting" and plural(1_000, "statement") == "1,000 statements"


def test_tournament_config_error_is_one_class_exported_from_accord() -> None:
    import accord
    from accord.errors import AccordError, TournamentConfigError
    from accord.protocols.tournament import TournamentConfigError as old_name

    assert accord.TournamentConfigError is TournamentConfigError is old_name
    assert issubclass(TournamentConfigError, AccordError)
    assert "TournamentConfigError" in __import__("accord.errors").errors.__all__

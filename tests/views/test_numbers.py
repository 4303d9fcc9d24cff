"""The one number formatter: one percentage format, one plural helper."""

from __future__ import annotations

from pathlib import Path

from accord.views.numbers import percent, plural, shown


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


def test_intervals_settings_and_estimates_by_hand() -> None:
    from accord.views.numbers import interval, sampled, shown, significant

    assert interval(0.2912, 0.6899, 2) == "0.29–0.69"
    assert interval(0.2912, 0.2949, 2) == "0.29"      # no spread at the digits shown
    assert interval(-1e-19, 1e-19) == "0"
    assert significant(28.317) == "28.3" and significant(0.0652) == "0.0652"
    assert significant(-3e-14) == "0" and shown(-0.004, 2, sign=True) == "0"
    assert sampled(0.7264, 10_000) == "72.6% of 10,000 samples"
    assert sampled(1.0, 1) == "100.0% of 1 sample"


def test_the_text_views_format_numbers_through_numbers_only() -> None:
    # The evaluate and diff views had their own :.2f/:.3f formats: "0.29–0.29", "-0.00".
    import re

    views = Path(__file__).parents[2] / "src" / "accord" / "views"
    own_format = re.compile(r"\{[^{}]*:[+]?\.\d[fg]\}")
    found = [f"{name}:{n}" for name in ("texts.py", "sensitivity.py", "scenario.py", "chance.py",
                                        "solutions.py", "frontier.py", "packages.py", "robust.py")
             for n, line in enumerate((views / name).read_text().splitlines(), 1)
             if own_format.search(line)]
    assert not found, found


def test_a_diff_of_no_spread_reads_one_number(job_offer_path) -> None:  # type: ignore[no-untyped-def]
    from rich.console import Console

    from accord.analysis.diff import diff_texts
    from accord.io.scenario_file import load
    from accord.space import compile_scenario
    from accord.views.labels import Labels
    from accord.views.texts import diff_view

    scenario = load(job_offer_path)
    space = compile_scenario(scenario)
    console = Console(width=300, record=True, color_system=None)
    console.print(diff_view([diff_texts(space, "offer", "counter")], Labels(scenario, space)))
    out = console.export_text()
    utilities = space.utilities(space.texts[:2])
    # By hand: both texts are complete, so each party's utility is one number before and after.
    for p in range(space.n_parties):
        assert f"{utilities[0, p]:.2f}–" not in out
        assert shown(float(utilities[1, p] - utilities[0, p]), 2, sign=True) in out

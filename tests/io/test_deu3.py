"""The DEU III table: its traps handled, its published baseline reproduced, bad cells named."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from accord.errors import ScenarioError
from accord.forecast.compromise import compromise_positions
from accord.io.deu3 import DEU3_ACTORS, parse_deu3, read_deu3

HEADER = "\t".join(["prnrnmc", "isnrnmc", "prnr", "prname", "isnr", "type", "council", "proc",
                    "counvte", "proccde", "issues", "intro", "finact",
                    *(f"p{a}" for a in DEU3_ACTORS), *(f"s{a}" for a in DEU3_ACTORS), "rp", "out"])


def _row(issue: str, positions: dict[str, str], saliences: dict[str, str], out: str,
         rp: str = "") -> str:
    return "\t".join(["1", "1", issue.split("i")[0], "x", issue, "Reg", "Agri", "COD", "QMV", "3",
                      "1", "", "", *(positions.get(a, "") for a in DEU3_ACTORS),
                      *(saliences.get(a, "") for a in DEU3_ACTORS), rp, out])


def test_small_table_and_its_rules() -> None:
    gdp = "\t".join([""] * 13 + ["4.1"] * 30 + [""] * 32)
    text = "\n".join([
        HEADER, gdp,
        _row("d01i1", {"com": "100", "de": "0", "fr": "50"}, {"com": "80", "de": "", "fr": "20"}, "60"),
        _row("d01i2", {"com": "0"}, {"com": "50"}, ""),
        _row("a02i1", {"ep": "30", "it": "70"}, {"ep": "10", "it": "30"}, "40", rp="0"),
    ]) + "\n"
    table = parse_deu3(text.encode(), "t.tsv")
    assert [i.issue for i in table.issues] == ["d01i1", "a02i1"]
    assert table.skipped == ("d01i2",)
    assert table.gdp["de"] == 4.1 and len(table.gdp) == 30
    first = table.issues[0]
    assert first.saliences["de"] == 0.0          # an empty salience counts as 0
    assert first.proposal == "d01" and table.issues[1].reference_point == 0.0
    positions, saliences, _outcomes, _ = table.arrays()
    forecast = compromise_positions(positions, saliences)
    np.testing.assert_allclose(forecast, [(100 * 80 + 50 * 20) / 100, (30 * 10 + 70 * 30) / 40])


def test_bad_cells_are_named() -> None:
    text = "\n".join([HEADER, _row("d01i1", {"com": "120"}, {"com": "x"}, "50")]) + "\n"
    with pytest.raises(ScenarioError) as caught:
        parse_deu3(text.encode(), "bad.tsv")
    messages = [str(p) for p in caught.value.problems]
    assert messages[0] == "bad.tsv: line 2, column 14 (pcom): '120' is not a number from 0 to 100"
    assert "column 44 (scom)" in messages[1]
    with pytest.raises(ScenarioError, match="lacks the column"):
        parse_deu3(b"a\tb\n1\t2\n", "short.tsv")
    with pytest.raises(ScenarioError, match="is empty"):
        parse_deu3(b"", "empty.tsv")


@pytest.mark.shared_data
def test_shared_table_counts_and_published_baseline(deu3_path: Path) -> None:
    table = read_deu3(deu3_path)
    # README: 353 issues with an outcome (11 empty), the GDP line is not an issue.
    assert len(table.issues) == 353 and len(table.skipped) == 11
    assert "d05214i3" in table.skipped and "d160397i1" in table.skipped
    assert table.gdp["de"] == 4.1 and table.gdp["mt"] == 0.02
    # 141 proposal ids, 137 of them with an outcome; the split ERDF proposal is one here.
    assert len({i.proposal for i in table.issues}) == 136
    assert {i.proposal for i in table.issues if i.issue.startswith("d04167")} == {"d04167"}
    positions, saliences, outcomes, reference = table.arrays()
    errors = np.abs(compromise_positions(positions, saliences) - outcomes)
    # README: "MAE = 23.6808 … over 353 issues"; median absolute error 18.51.
    assert round(float(errors.mean()), 4) == 23.6808
    assert round(float(np.median(errors)), 2) == 18.51
    assert int(np.isfinite(reference).sum()) == 253  # issues with both rp and out


def test_backtest_command_on_a_small_table_and_a_broken_one(tmp_path: Path) -> None:
    import json

    from tests.cli.helpers import run_cli

    rows = [HEADER]
    rng = np.random.default_rng(0)
    for k in range(12):
        positions = {a: str(float(rng.choice([0, 50, 100]))) for a in DEU3_ACTORS[:6]}
        saliences = {a: str(float(rng.choice([20, 50, 80]))) for a in DEU3_ACTORS[:6]}
        rows.append(_row(f"d{k // 2:02d}i{k % 2 + 1}", positions, saliences, str(float(rng.integers(0, 101)))))
    good = tmp_path / "small.tsv"
    good.write_text("\n".join(rows) + "\n")
    run = run_cli("backtest", good, "--folds", "3", "--bootstrap", "50", "--json",
                  "--model", "nash", "--model", "median")
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["issues"] == 12 and data["proposals"] == 6 and data["folds"] == 3
    assert [m["model"] for m in data["models"]] == ["compromise", "median", "nash"]
    too_many = run_cli("backtest", good, "--folds", "7")
    assert too_many.code == 2 and "only 6 proposals" in too_many.stderr
    bad = tmp_path / "bad.tsv"
    bad.write_text("\n".join([HEADER, _row("d01i1", {"com": "abc"}, {"com": "50"}, "50")]) + "\n")
    broken = run_cli("backtest", bad)
    assert broken.code == 2 and "line 2, column 14 (pcom): 'abc' is not a number" in broken.stderr
    unknown = run_cli("backtest", good, "--model", "smpp")
    assert unknown.code == 2 and "did you mean 'smp'" in unknown.stderr

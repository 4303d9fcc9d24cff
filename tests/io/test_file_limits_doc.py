"""The "File limits" table of docs/reference/cli.md states the caps the readers enforce."""

from __future__ import annotations

import re
from pathlib import Path

from accord.io import article, deu3, genius_web, ktab, scenario_file
from accord.io import genius_xml as gx
from accord.protocols import adjusted_winner, tournament

DOC = Path(__file__).resolve().parents[2] / "docs" / "reference" / "cli.md"

CAPS = {
    "scenario": scenario_file.MAX_FILE_BYTES,
    "GENIUS XML": gx.MAX_XML_BYTES,
    "GeniusWeb JSON": genius_web.MAX_JSON_BYTES,
    "article": article.MAX_ARTICLE_BYTES,
    "KTAB scenario": ktab.MAX_KTAB_BYTES,
    "DEU III table": deu3.MAX_DEU3_BYTES,
    "table of points": adjusted_winner.MAX_TABLE_BYTES,
    "tournament configuration": tournament.MAX_CONFIG_BYTES,
}


def test_the_documented_caps_are_the_enforced_ones() -> None:
    section = DOC.read_text(encoding="utf-8").split("## File limits", 1)[1]
    rows = re.findall(r"^\s*\| ([^|]+?) \| [^|]+ \| (\d+) MiB(?: each)? \|$", section, re.MULTILINE)
    documented = {}
    for label, mib in rows:
        key = next(k for k in CAPS if label.startswith(k))
        documented[key] = int(mib) * 2**20
    assert documented == CAPS
    assert f"{gx.MAX_DEPTH} elements deep" in section

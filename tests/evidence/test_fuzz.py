"""Any text gives proposals or one clear ScenarioError, never a crash (hypothesis, against the
flagship so that attribution, linking and positions all run)."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.errors import ScenarioError
from accord.evidence.propose import ingest
from accord.io.article import parse_article
from accord.io.scenario_file import load

# Pieces of wire copy in any order: names, titles, possessives, verbs, quote marks, clauses.
TOKENS = st.sampled_from([
    "Vladimir Putin", "Putin", "the minister", "The Ukrainian president", "Ukraine's", "chief negotiator",
    "a senior official", "the Kremlin", "Kyiv", "U.S.", "US", "said", "told reporters", "called",
    "described as", "according to", "which she called", "who met", "led by", "met", "received",
    "will meet", "talks between", "in Geneva", "at the Kremlin", "on Monday", "last week's", "Nov. 28",
    "never accept", "only with", "without", "unless", "otherwise", "must", "not negotiable", "by force",
    '"', "“", "”", "‘", "’", ",", ".", ";", ":", "—", "\n\n", "and", "but that", "of", "the", "a",
    "Donetsk", "withdrawal", "free economic zone", "he", "she", "later", "both sides", "so-called",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(TOKENS, min_size=1, max_size=60))
def test_any_text_is_read_or_refused_clearly(peace_plan_path, tokens: list[str]) -> None:
    text = " ".join(tokens)
    try:
        article = parse_article(text.encode(), name="fuzz.txt", html=False)
        proposals = ingest(article, _flagship(peace_plan_path), date=dt.date(2025, 12, 3))
    except ScenarioError:
        return
    for proposal in proposals.statements:
        assert proposal.status in ("new", "present", "refused")
        if proposal.statement is not None:
            assert proposal.party is not None and proposal.refused is None


_CACHE: dict[str, object] = {}


def _flagship(path):
    if "flagship" not in _CACHE:
        _CACHE["flagship"] = load(path)
    return _CACHE["flagship"]

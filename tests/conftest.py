"""Shared fixtures: the project's examples and the read-only reference data in ../shared."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# On CI (CI=true) property tests draw a fixed sequence of examples, so a run is
# reproducible; on a developer's machine they explore new examples every run.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
GENIUS_DATA = SHARED / "data" / "genius"


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture(scope="session")
def job_offer_path() -> Path:
    return EXAMPLES / "job-offer.toml"


@pytest.fixture(scope="session")
def peace_plan_path() -> Path:
    return EXAMPLES / "peace-plan-2025" / "scenario.toml"


@pytest.fixture(scope="session")
def genius_data() -> Path:
    """The ANAC/GENIUS domains, read in place; tests skip when ../shared is absent."""
    if not GENIUS_DATA.is_dir():
        pytest.skip(f"GENIUS reference data not found at {GENIUS_DATA} (../shared is absent)")
    return GENIUS_DATA

KTAB_DATA = SHARED / "data" / "ktab"
DEU3_DATA = SHARED / "data" / "deu3"


@pytest.fixture(scope="session")
def ktab_data() -> Path:
    """KTAB's SMP examples and reference runs, read in place; tests skip when ../shared is absent."""
    if not KTAB_DATA.is_dir():
        pytest.skip(f"KTAB reference data not found at {KTAB_DATA} (../shared is absent)")
    return KTAB_DATA


@pytest.fixture(scope="session")
def deu3_path() -> Path:
    """The DEU III table, read in place; tests skip when ../shared is absent."""
    path = DEU3_DATA / "deu3.tsv"
    if not path.is_file():
        pytest.skip(f"DEU III data not found at {path} (../shared is absent)")
    return path

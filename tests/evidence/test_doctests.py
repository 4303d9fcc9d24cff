"""The examples in the evidence modules' docstrings are run (they are documentation that can fail)."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize("module", ["accord.evidence.words", "accord.evidence.nations",
                                    "accord.evidence.people"])
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0

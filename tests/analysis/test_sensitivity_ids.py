"""`tornado` and `sobol_indices` take their texts by id or index, through the Space's resolver."""

from __future__ import annotations

import pytest

from accord.analysis.sensitivity import salib_available, sobol_indices, tornado
from accord.errors import UnknownIdError
from tests.analysis.test_sensitivity import small_model


def test_tornado_reads_text_ids_as_the_same_texts_as_their_indices() -> None:
    model = small_model()
    by_index = tornado(model, [2, 0], samples=256, seed=3)
    assert tornado(model, ["t3", "t1"], samples=256, seed=3) == by_index
    assert tornado(model, ["t3", 0], samples=256, seed=3) == by_index
    assert by_index.texts == (2, 0)
    assert tornado(model, "t2", samples=64, seed=1).texts == (1,)
    assert tornado(model, texts=None, samples=64, seed=1).texts == (0, 1, 2)


def test_tornado_names_an_unknown_text() -> None:
    with pytest.raises(UnknownIdError, match="t4"):
        tornado(small_model(), ["t4"], samples=16)


@pytest.mark.skipif(not salib_available(), reason="needs SALib")
def test_sobol_indices_read_text_ids() -> None:
    model = small_model()
    by_id = sobol_indices(model, ["t3"], base_samples=64, seed=0, resamples=10)
    assert by_id.texts == (2,)
    assert by_id.p == sobol_indices(model, [2], base_samples=64, seed=0, resamples=10).p

"""The facade re-exports every public name, lazily."""

from __future__ import annotations

import subprocess
import sys

import accord


def test_every_exported_name_resolves() -> None:
    for name in accord.__all__:
        assert getattr(accord, name) is not None, name


def test_importing_accord_is_light() -> None:
    code = "import sys, accord; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False"


def test_unknown_name_is_an_attribute_error() -> None:
    try:
        accord.no_such_thing  # noqa: B018
    except AttributeError as error:
        assert "no_such_thing" in str(error)
    else:
        raise AssertionError("expected AttributeError")


def test_all_lists_exactly_the_exports() -> None:
    assert set(accord.__all__) == set(accord._EXPORTS) | {"__version__"}

"""Short ``repr`` for result objects, so that a result printed at a prompt fits on a line.

A dataclass's generated ``repr`` prints every array and every nested result
in full: ``repr(evaluate_texts(space))`` on the flagship scenario was 13 kB.  A
person at a prompt wants to know *what* a result is — which text, how many
parties, whether it is a deal — and reads the details through its attributes
or a view (:mod:`accord.views`).  This module imports nothing from accord, so
every layer may use it.

Examples
--------
>>> from dataclasses import dataclass
>>> import numpy as np
>>> @short_repr
... @dataclass(frozen=True)
... class Result:
...     text: int
...     utilities: np.ndarray
...     parties: tuple[int, ...]
>>> Result(3, np.zeros((4, 2)), tuple(range(10)))
Result(text=3, utilities=array(4×2), parties=(10 items))
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

__all__ = ["MAX_ITEMS", "MAX_TEXT", "describe", "format_repr", "short_repr"]

#: Sequences with more items than this are shown as a count.
MAX_ITEMS = 6
#: Strings longer than this are cut, with an ellipsis.
MAX_TEXT = 40

T = TypeVar("T")


def describe(value: Any) -> str:
    """One short token for ``value``: arrays by shape, long sequences by count, numbers rounded.

    Examples
    --------
    >>> describe(0.123456789), describe((1, 2)), describe(list(range(10))), describe("x" * 50)[-3:]
    ('0.1235', '(1, 2)', '[10 items]', "x…'")
    """
    shape = getattr(value, "shape", None)
    if isinstance(shape, tuple) and hasattr(value, "dtype"):
        return "array(" + "×".join(str(n) for n in shape) + ")" if shape else describe(value.item())
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, str):
        return repr(value if len(value) <= MAX_TEXT else value[: MAX_TEXT - 1] + "…")
    if isinstance(value, (tuple, list)):
        if len(value) > MAX_ITEMS or any(dataclasses.is_dataclass(v) for v in value):
            open_, close = ("(", ")") if isinstance(value, tuple) else ("[", "]")
            noun = "item" if len(value) == 1 else "items"
            return f"{open_}{len(value)} {noun}{close}"
        inner = ", ".join(describe(v) for v in value)
        return f"({inner},)" if isinstance(value, tuple) and len(value) == 1 else (
            f"({inner})" if isinstance(value, tuple) else f"[{inner}]")
    if isinstance(value, Mapping):
        return f"{{{len(value)} entries}}" if len(value) != 1 else "{1 entry}"
    if dataclasses.is_dataclass(value):
        return f"{type(value).__name__}(…)"
    text = repr(value)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def format_repr(obj: object, fields: Mapping[str, Any]) -> str:
    """``Name(key=token, …)`` with each value through :func:`describe`."""
    inner = ", ".join(f"{key}={describe(value)}" for key, value in fields.items())
    return f"{type(obj).__name__}({inner})"


def short_repr(cls: type[T] | None = None, *, fields: tuple[str, ...] | None = None,
               extra: Callable[[Any], Mapping[str, Any]] | None = None) -> Any:
    """Class decorator: give a dataclass a one-line ``repr``.

    Parameters
    ----------
    cls
        The dataclass (when used as a bare ``@short_repr``).
    fields
        The fields to show, in order (default: every field that is part of the
        generated ``repr``).
    extra
        A function returning further ``name: value`` pairs (e.g. a count) shown
        after the fields.

    Returns
    -------
    type
        The same class with ``__repr__`` replaced.
    """

    def decorate(klass: type[T]) -> type[T]:
        names = fields if fields is not None else tuple(
            f.name for f in dataclasses.fields(klass) if f.repr)  # type: ignore[arg-type]

        def __repr__(self: Any) -> str:
            shown = {name: getattr(self, name) for name in names}
            if extra is not None:
                shown.update(extra(self))
            return format_repr(self, shown)

        klass.__repr__ = __repr__  # type: ignore[method-assign]
        return klass

    return decorate(cls) if cls is not None else decorate

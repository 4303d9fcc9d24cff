"""The one number formatter: full precision for machines, consistent rounding for people.

Machine output (``--json``, the service, the report's data) carries every
number at full precision and turns a non-finite value into ``null``; only what
a person reads is rounded, and it is rounded the same way everywhere: a value
that rounds to zero is shown as ``0`` (never ``-0.000`` or ``1.08e-19``), and
a spread whose ends round to the same number is shown as that one number.

>>> exact(0.1 + 0.2)
0.30000000000000004
>>> exact(float("nan")) is None
True
>>> shown(-0.20751), shown(1.08e-19), shown(-1e-9)
('-0.208', '0', '0')
>>> percent(0.7264), percent(0.0), percent(1.0), percent(1e-19)
('72.6%', '0.0%', '100.0%', '0.0%')
>>> percent(0.00037), percent(0.99963)
('0.037%', '99.963%')
>>> spread(-0.2075, -0.2075, -0.2075, digits=2)
'-0.21'
>>> spread(0.1, 0.25, 0.5)
'0.250 (0.100 to 0.500)'
>>> sampled(0.7264, 10_000)
'72.6% of 10,000 samples'
>>> interval(0.2912, 0.6899, 2), interval(0.5, 0.5004, 2), significant(28.317), significant(1e-19)
('0.29–0.69', '0.50', '28.3', '0')
"""

from __future__ import annotations

import math

__all__ = ["exact", "interval", "percent", "plural", "sampled", "shown", "significant", "spread"]

#: What a person reads when a number is missing or not finite.
MISSING = "—"


def exact(value: float | int | None) -> float | None:
    """``value`` as a float at full precision for machine output; ``None`` if missing or not finite."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def shown(value: float | int | None, digits: int = 3, *, sign: bool = False) -> str:
    """``value`` rounded to ``digits`` decimals for a person; ``sign`` prefixes ``+`` to a gain.

    A value that rounds to zero is ``0`` whatever its sign, so that float noise
    never reads as a number of its own.
    """
    if value is None or not math.isfinite(float(value)):
        return MISSING
    value = float(value)
    if abs(value) < 0.5 * 10.0 ** -digits:
        return "0"
    text = f"{value:.{digits}f}"
    return f"+{text}" if sign and value > 0 else text


def percent(probability: float | None, digits: int = 1) -> str:
    """A probability as a percentage for a person, always with ``digits`` decimals.

    ``0.7264`` -> ``72.6%``; zero is ``0.0%`` as one is ``100.0%``, so that the
    two ends of a column read alike.  A probability within 0.1% of 0 or 1 (but
    neither) gets the digits it needs (``0.037%``, ``99.963%``): a rare outcome
    is never shown as impossible or certain.
    Noise within 1e-12 of 0 or 1 (an interval bound computed in floating
    point) is 0 or 1.
    """
    if probability is None or not math.isfinite(float(probability)):
        return MISSING
    p = float(probability)
    if abs(p) < 1e-12 or abs(1.0 - p) < 1e-12:
        p = float(round(p))
    value = 100.0 * p
    tail = 10.0 ** -(digits + 2)   # 0.1% at one decimal: below it, a rounded figure misleads
    if 0.0 < p < tail:
        text = f"{value:.2g}"                          # 0.00037 -> 0.037%
    elif 1.0 - tail < p < 1.0:
        more = digits + 2                              # 0.99963 -> 99.963%
        while float(f"{value:.{more}f}") == 100.0 and more < 12:
            more += 1
        text = f"{value:.{more}f}"
    else:
        text = f"{value:.{digits}f}"
    return f"{text}%"


def sampled(probability: float | None, samples: int, digits: int = 1) -> str:
    """A Monte Carlo estimate with the count it rests on: ``72.6% of 10,000 samples``.

    An estimated probability is shown with its sample count wherever a person
    reads it, so that 72.6% of 256 samples is not taken for 72.6% of 10,000.
    """
    return f"{percent(probability, digits)} of {plural(samples, 'sample')}"


def plural(n: int, word: str, many: str | None = None) -> str:
    """``n`` and ``word``, in the plural unless ``n`` is one: ``1 meeting``, ``1,234 packages``.

    >>> plural(1, "open point"), plural(0, "change"), plural(2, "party", "parties")
    ('1 open point', '0 changes', '2 parties')
    """
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def interval(low: float | None, high: float | None, digits: int = 3) -> str:
    """``low–high`` for a person, or one number when the two ends round alike."""
    a, b = shown(low, digits), shown(high, digits)
    return a if a == b else f"{a}–{b}"


def significant(value: float | None, digits: int = 3) -> str:
    """``value`` to ``digits`` significant digits (an estimate's setting: 0.582, 15.7, 0.065).

    Float noise at zero is ``0``, as in :func:`shown`.
    """
    if value is None or not math.isfinite(float(value)):
        return MISSING
    value = float(value)
    return "0" if abs(value) < 5e-13 else f"{value:.{digits}g}"


def spread(low: float | None, middle: float | None, high: float | None, digits: int = 3) -> str:
    """A middle value and its range, or one number when the range rounds to a point."""
    ends = {shown(low, digits), shown(middle, digits), shown(high, digits)}
    if len(ends) == 1:
        return shown(middle, digits)
    return f"{shown(middle, digits)} ({shown(low, digits)} to {shown(high, digits)})"

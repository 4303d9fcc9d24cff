"""Field types shared by every model class.

The model is strict: a value of the wrong type is refused, never converted.  The
one conversion allowed is a whole number where a number is expected (``1`` for
``1.0``); ``true`` is never a number, ``"0.55"`` is never a number, ``1.0`` is not
a whole number and ``0`` is not a date.  A date is a TOML date (``2025-11-20``)
or, in JSON, which has no date type, the string ``"2025-11-20"``; a date with a
time of day is refused rather than silently cut to its day.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

__all__ = [
    "MAX_LABEL",
    "MAX_PROSE",
    "MAX_WHOLE",
    "Date",
    "Finite",
    "Flag",
    "Fraction01",
    "Identifier",
    "Label",
    "PlanPoint",
    "PositiveWeight",
    "Prose",
    "Strict",
    "Whole",
]

#: Identifiers are short, stable, machine-friendly names used as keys in the file.
Identifier = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=64, strict=True),
]
#: The longest title, name or label (characters): one line of a table or a heading.
MAX_LABEL = 1_000
#: The longest free text (description, notes, quote, evidence passage), in characters.
MAX_PROSE = 100_000
#: A title, name or label: printed in tables and headings, so kept to a line or two.
Label = Annotated[str, StringConstraints(max_length=MAX_LABEL, strict=True)]
#: A description, note, quote or passage.
Prose = Annotated[str, StringConstraints(max_length=MAX_PROSE, strict=True)]
#: The largest whole number (plan points, hyper-rectangle bounds): far beyond any real use.
MAX_WHOLE = 10**9
#: A finite number; a whole number is accepted for it, ``true``/``false`` and strings are not.
Finite = Annotated[float, Field(strict=True, allow_inf_nan=False)]
Fraction01 = Annotated[float, Field(strict=True, ge=0.0, le=1.0, allow_inf_nan=False)]
PositiveWeight = Annotated[float, Field(strict=True, gt=0.0, allow_inf_nan=False)]
#: A whole number: ``1.0``, ``"1"`` and ``true`` are refused.
Whole = Annotated[int, Field(strict=True, ge=-MAX_WHOLE, le=MAX_WHOLE)]
PlanPoint = Annotated[int, Field(strict=True, ge=1, le=MAX_WHOLE)]
#: ``true`` or ``false`` only (not ``1``, not ``"yes"``).
Flag = Annotated[bool, Field(strict=True)]

_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _calendar_date(value: Any) -> Any:
    # type() rather than isinstance(): a datetime *is* a date to Python, but cutting
    # its time off silently would be a coercion (and comparing one with a date raises).
    if type(value) is dt.date:
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError("date_type", "expected a date")


#: A calendar day: a TOML date, or an ISO ``YYYY-MM-DD`` string (JSON has no date type).
Date = Annotated[dt.date, BeforeValidator(_calendar_date)]


class Strict(BaseModel):
    """Unknown keys are errors: a misspelt key must not be silently ignored."""

    model_config = ConfigDict(extra="forbid", validate_default=True)

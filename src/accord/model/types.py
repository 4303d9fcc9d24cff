"""Field types shared by every model class."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

#: Identifiers are short, stable, machine-friendly names used as keys in the file.
Identifier = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=64),
]
Fraction01 = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
PositiveWeight = Annotated[float, Field(gt=0.0, allow_inf_nan=False)]
PlanPoint = Annotated[int, Field(ge=1)]


class Strict(BaseModel):
    """Unknown keys are errors: a misspelt key must not be silently ignored."""

    model_config = ConfigDict(extra="forbid", validate_default=True)

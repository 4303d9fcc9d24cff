"""What reading and writing GENIUS files share: ids made from GENIUS names, and validation.

Both the XML reader (:mod:`accord.io.genius`), the GeniusWeb JSON reader
(:mod:`accord.io.genius_web`) and the writer (:mod:`accord.io.genius_write`)
turn GENIUS names into accord ids the same way, so that an exported folder
reads back to the same ids; keeping that here lets the three modules import it
without importing each other.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from accord.errors import ScenarioError
from accord.model import nonlinear
from accord.model.scenario import Scenario
from accord.model.validate import scenario_from_document

__all__ = ["ID_MAX", "slugify", "unique", "validate_document"]

_IDENTIFIER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
#: The longest id accord makes from a GENIUS name.
ID_MAX = 64
_ID_MAX = ID_MAX


_MINUS_DIGIT = re.compile(r"^-(?=\d)")
_NUMBER = re.compile(r"[-\d.eE+]+")
_NOT_ID = re.compile(r"[^A-Za-z0-9_.-]+")
_DASHES = re.compile(r"-{2,}")
_LEADING = re.compile(r"^[^A-Za-z0-9]+")
_TRAILING_DASHES = re.compile(r"(?<=[A-Za-z0-9])-+$")


def slugify(text: str, fallback: str) -> str:
    """A valid accord id for a GENIUS name: unchanged when already valid, else a readable slug."""
    if _IDENTIFIER.match(text) and len(text) <= _ID_MAX:
        return text
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().strip()
    ascii_text = _MINUS_DIGIT.sub("minus", ascii_text)
    ascii_text = ascii_text.replace("+", "plus") if _NUMBER.fullmatch(ascii_text) else ascii_text
    slug = _NOT_ID.sub("-", ascii_text)
    slug = _DASHES.sub("-", slug)
    slug = _LEADING.sub("", slug)
    slug = _TRAILING_DASHES.sub("", slug)
    slug = slug[:_ID_MAX]
    return slug if slug else fallback


def unique(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``, … : the first not in ``taken`` (which gains it)."""
    candidate = base
    counter = 2
    while candidate in taken:
        suffix = f"-{counter}"
        candidate = base[: _ID_MAX - len(suffix)] + suffix
        counter += 1
    taken.add(candidate)
    return candidate


def validate_document(document: dict[str, Any], file: str) -> Scenario:
    """Validate an imported document like a scenario file, allowing hyper-rectangle parties.

    accord's reference check asks every party for weights; a party whose
    utility is a :class:`~accord.model.nonlinear.HyperRectangleUtility` has
    none, so that one problem is set aside for such parties.
    """
    exempt = {f"preferences.{party_id}" for party_id, prefs in document["preferences"].items()
              if prefs.get("nonlinear", {}).get("kind") == "hyperrectangles"}
    problems = nonlinear.check_references(document, file)
    try:
        scenario = scenario_from_document(document, file)
    except ScenarioError as error:
        problems.extend(p for p in error.problems
                        if not (p.path in exempt and p.message.startswith("missing [weights]")))
        if problems:
            raise ScenarioError(problems) from None
        return Scenario.model_validate(document)
    if problems:
        raise ScenarioError(problems)
    return scenario

"""Where the benchmarks find NegMAS and the shared data (no machine paths: options, variables, defaults).

* NegMAS's interpreter: ``--negmas-python``, else ``$NEGMAS_PYTHON``, else
  ``../negmas-env/bin/python`` beside the checkout (docs/how-to/compare-with-negmas.md).
* The shared data folder: ``--data``, else ``$ACCORD_SHARED``, else ``../shared``
  beside the checkout (the project's read-only data folder).
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def default_negmas_python() -> Path:
    return Path(os.environ.get("NEGMAS_PYTHON", ROOT.parent / "negmas-env" / "bin" / "python"))


def default_shared() -> Path:
    return Path(os.environ.get("ACCORD_SHARED", ROOT.parent / "shared"))

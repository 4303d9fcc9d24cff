"""The most work a protocol run or a tournament may ask for.

Each bound keeps one run, or one tournament, within minutes and well under a
gigabyte on a small machine (measured on the job-offer example: 100,000
mediation proposals take about 30 s, 10,000 alternating-offer rounds 3 s).
The command line and the tournament configuration refuse anything outside them
with a message naming the option or key and the range; docs/reference/cli.md
lists them under "Limits".
"""

from __future__ import annotations

from typing import Any

__all__ = ["MAX_ASKS", "MAX_PROPOSALS", "MAX_ROUNDS", "MAX_RUNS", "MAX_SEEDS", "SEED_MAX", "shown"]

#: Rounds of alternating offers (the deadline) or of shuttle meetings.
MAX_ROUNDS = 100_000
#: Proposals a single-text mediator makes.
MAX_PROPOSALS = 1_000_000
#: Changes a party asks for at one shuttle meeting.
MAX_ASKS = 1_000
#: Seeds in one tournament (a count, or the length of a list).
MAX_SEEDS = 10_000
#: Runs in one tournament: protocols × scenarios × strategy profiles × seeds.
MAX_RUNS = 1_000_000
#: Random seeds are whole numbers from 0 to 2**32 - 1.
SEED_MAX = 2**32 - 1


def shown(value: Any) -> str:
    """A value from a divide table or a tournament configuration as the user wrote it in TOML:
    never a Python repr, never huge (a number of thousands of digits is not printed)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"' if len(value) <= 40 else f'"{value[:40]}…"'
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        if len(value) > 10:
            return f"an array of {len(value):,} values"
        return "[" + ", ".join(shown(item) for item in value) + "]"
    if isinstance(value, int) and value.bit_length() > 100:
        # bit_length, not str(): Python refuses to convert thousands of digits
        return f"a number of about {int(value.bit_length() * 0.30103) + 1:,} digits"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)

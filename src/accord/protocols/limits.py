"""The most work a protocol run or a tournament may ask for.

Each bound keeps one run, or one tournament, within minutes and well under a
gigabyte on a small machine (measured on the job-offer example: 100,000
mediation proposals take about 30 s, 10,000 alternating-offer rounds 3 s).
The command line and the tournament configuration refuse anything outside them
with a message naming the option or key and the range; docs/reference/cli.md
lists them under "Limits".
"""

from __future__ import annotations

__all__ = ["MAX_ASKS", "MAX_PROPOSALS", "MAX_ROUNDS", "MAX_RUNS", "MAX_SEEDS", "SEED_MAX"]

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

"""The thread schedule of KTAB's 2017-05-30 smpExample reference run, as its log recorded it.

KTAB forms each actor's bargain list and resolves the actors' bargains in
parallel threads, so the order of both depends on timing; the stochastic run
draws one random number per actor in resolution order and picks a bargain by
its cumulative position in the list.  The log
(``examples/smp/doc/20170530_ref-smpExample.txt`` in KTAB's repository, MIT
licence) prints, per state, "Bargains involving actor k: [id, i:j]…" and the
order of "Doing scalarPCE for the … bargains of actor k".  Those two facts,
transcribed below, are all that is needed to replay the run exactly.

Format per state: ``state | actor 0's list | … | actor 4's list | resolution order``;
a list is ``initiator:receiver`` pairs, ``k:k`` being actor k's status quo.
"""

from __future__ import annotations

from accord.forecast import ThreadSchedule

_LOG = """
0|0:0 2:0 0:4|1:1 1:2|2:2 4:2 3:2 2:0 1:2|3:3 3:2|4:4 4:2 0:4|0 1 2 3 4
1|0:0 3:0 0:2|1:1 1:2|2:2 2:3 4:2 0:2 1:2|3:3 3:0 2:3|4:4 4:2|0 1 2 3 4
2|0:0 1:0 0:2 2:0 4:0|1:1 1:0|2:2 0:2 2:0 3:2|3:3 3:2|4:4 4:0|0 1 2 3 4
3|0:0 3:0 0:2|1:1 1:2|2:2 1:2 2:3 4:2 0:2|3:3 3:0 2:3|4:4 4:2|0 1 2 3 4
4|0:0 0:2 3:0|1:1 1:2|2:2 2:3 0:2 4:2 1:2|3:3 2:3 3:0|4:4 4:2|1 0 2 3 4
5|0:0 1:0 0:2|1:1 1:0 2:1|2:2 2:1 3:2 4:2 0:2|3:3 3:2|4:4 4:2|1 0 2 3 4
6|0:0 0:2 1:0|1:1 2:1 1:0|2:2 0:2 2:1 3:2 4:2|3:3 3:2|4:4 4:2|0 1 2 3 4
7|0:0 3:0|1:1 1:4|2:2 4:2|3:3 3:0|4:4 1:4 4:2|0 1 2 3 4
8|0:0 0:4|1:1 1:2 4:1|2:2 1:2 2:4|3:3 3:4|4:4 0:4 2:4 3:4 4:1|1 4 2 3 0
9|0:0 0:2 1:0|1:1 2:1 1:0 4:1|2:2 2:1 0:2|3:3 3:4|4:4 4:1 3:4|0 1 2 3 4
10|0:0 0:4|1:1 1:4|2:2 4:2 2:4 3:2|3:3 3:2|4:4 1:4 0:4 4:2 2:4|0 1 2 3 4
11|0:0 2:0 0:4|1:1 1:4|2:2 3:2 2:0 4:2|3:3 3:2|4:4 0:4 1:4 4:2|1 0 2 3 4
12|0:0 0:4|1:1 1:2|2:2 1:2 2:4|3:3 3:4|4:4 0:4 2:4 3:4|0 1 2 3 4
13|0:0 0:4|1:1 1:3|2:2 2:4|3:3 3:4 1:3|4:4 0:4 3:4 2:4|1 0 2 3 4
"""


def smp_example_schedule() -> ThreadSchedule:
    lists: dict[tuple[int, int], list[tuple[int, int]]] = {}
    order: dict[int, list[int]] = {}
    for line in _LOG.strip().splitlines():
        parts = line.split("|")
        state = int(parts[0])
        for actor, segment in enumerate(parts[1:6]):
            lists[(state, actor)] = [(int(a), int(b)) for a, b in
                                     (pair.split(":") for pair in segment.split())]
        order[state] = [int(a) for a in parts[6].split()]
    return ThreadSchedule(lists, order)

"""A statement's position on the options it concerns: each cue scoped to the clause it governs.

:func:`position_of` is the one reading of a statement that ``accord ingest``
proposes and ``accord evidence`` checks, so the two always agree on the same
words.  A cue of :mod:`accord.evidence.stance` found in the speaker's own words
(inside the quotation marks; a reporting verb such as "rejected" counts too)
governs the rest of its clause — the words after it ("will never accept *a
withdrawal*"), or the words before it when nothing follows ("*sanctions
relief* was not negotiable").  Within that scope a condition marker splits
off what the speaker demands: "never accept a zone *without an equal Russian
pull-back*", "must come *only with* an equal pull-back", "*unless* …", "*as long
as* …".  The condition is *insisted on*, whatever the cue: rejecting "A without
B" demands B, it does not rule B out.  A clause opening with "otherwise" or
"or else" reaches back to the clause before ("the fighting stops only once
Ukraine withdraws; otherwise … *by force*").

Each scoped piece is matched to the options of the statement's issues
(:meth:`accord.evidence.linking.Linker.option_for`: the option its words name
clearly, or none).  The statement's stance is the strongest stance that names
an option (rules out, then insists on, then accepts), with the options named
under it; an option named both as ruled out and as a condition is not ruled
out.  When no piece names an option the stance is the strongest cue found,
with no option.  The model keeps one stance per statement: a statement that
rules out one option and insists on another records the first (the other is
in its evidence, for the reader).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from accord.evidence.linking import Linker, terms
from accord.evidence.stance import CUES, REPORTING, STRENGTH
from accord.model import Stance

__all__ = ["MAX_CUES", "Position", "position_of"]

#: At most this many cues of one statement are read (a statement has a handful): the bound on
#: the work one reading does.
MAX_CUES = 100

_OPTION_STANCES = (Stance.RULES_OUT, Stance.INSISTS_ON, Stance.ACCEPTS)
# Where one clause ends and the next begins: a cue governs only its own clause.
_CLAUSE = re.compile(r";|[.?!](?=\s)|,\s*(?:but|while|whereas|although|though)\b|\s(?:but|and) that\b|"
                     r"\s[—–]\s")
# What the speaker makes a condition: insisted on, whatever the cue before it.
_CONDITION = re.compile(r"\b(?:without|unless|only (?:with|if|once|when|after)|except|provided(?: that)?|"
                        r"as long as|so long as|on condition that|in exchange for)\b", re.IGNORECASE)
# A reporting clause after the words reported ("…, the minister said in a statement").
_REPORTING_CLAUSE = re.compile(r",\s*(?:[\w’'.-]+\s+){0,6}?(?:said|says|added|told|wrote|stated|insisted|"
                               r"warned|noted|according to)\b")
_BACK = re.compile(r"^\W*(?:otherwise|or else|if not)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Position:
    """What a statement says: its stance, and the options of its issues it is about."""

    stance: Stance | None
    options: tuple[str, ...] = ()


def position_of(quote: str, evidence: str | None, issues: Sequence[str], linker: Linker | None,
                *, stance: Stance | None = None) -> Position:
    """The stance of a statement and the options it concerns.

    Parameters
    ----------
    quote
        The statement's quote (fragments joined by " … ").
    evidence
        The passage the quote was read from, if known: it gives the words a short quote is
        about ('would "never accept" a demilitarised zone without …').
    issues
        The statement's issues: options are looked for only among theirs.
    linker
        The scenario's :class:`~accord.evidence.linking.Linker` (None: no options).
    stance
        The statement's own stance, if the file gives one: the options are then those named
        under that stance.
    """
    text, quoted = _text(quote, evidence)
    cues = _cues(text, quoted)
    if not cues:
        return Position(stance, ())
    clauses = _clauses(text)
    named: dict[Stance, list[str]] = {}
    for cue_stance, start, end in cues:
        for piece_stance, piece in _pieces(text, clauses, cue_stance, start, end):
            if linker is None:
                continue
            for issue in issues:
                option = linker.option_for(issue, piece)
                if option:
                    named.setdefault(piece_stance, [])
                    if option not in named[piece_stance]:
                        named[piece_stance].append(option)
    conditions = set(named.get(Stance.INSISTS_ON, [])) | set(named.get(Stance.ACCEPTS, []))
    if Stance.RULES_OUT in named:
        named[Stance.RULES_OUT] = [o for o in named[Stance.RULES_OUT] if o not in conditions]
    if stance is not None:
        return Position(stance, tuple(named.get(stance, ())))
    for candidate in _OPTION_STANCES:
        if named.get(candidate):
            return Position(candidate, tuple(named[candidate]))
    strongest = min((c[0] for c in cues), key=STRENGTH.index)
    return Position(strongest, ())


def _text(quote: str, evidence: str | None) -> tuple[str, list[tuple[int, int]]]:
    """The text to read and the spans of it that are the speaker's own words."""
    fragments = [f.strip() for f in re.split(r"\s*(?:…|\.\.\.)\s*", quote) if f.strip()]
    if evidence:
        spans = []
        at = 0
        for fragment in fragments:
            found = evidence.find(fragment, at)
            if found < 0:
                found = evidence.find(fragment)
            if found < 0:
                break
            spans.append((found, found + len(fragment)))
            at = found + len(fragment)
        else:
            return evidence, spans
    text = " … ".join(fragments)
    return text, [(0, len(text))]


def _cues(text: str, quoted: list[tuple[int, int]]) -> list[tuple[Stance, int, int]]:
    """Every cue in the speaker's words (and the reporting verbs outside them), the stronger of
    two overlapping ones kept ("will not accept" is no "accept")."""
    found: list[tuple[Stance, int, int]] = []
    for start, end in quoted:
        for cue_stance, pattern in CUES:
            for match in pattern.finditer(text, start, end):
                found.append((cue_stance, match.start(), match.end()))
    for cue_stance, pattern in REPORTING:
        for match in pattern.finditer(text):
            if not any(s <= match.start() < e for s, e in quoted):
                found.append((cue_stance, match.start(), match.end()))
    found.sort(key=lambda c: (STRENGTH.index(c[0]), c[1]))
    del found[MAX_CUES:]
    kept: list[tuple[Stance, int, int]] = []
    for cue in found:
        if not any(cue[1] < other[2] and other[1] < cue[2] for other in kept):
            kept.append(cue)
    return sorted(kept, key=lambda c: c[1])


def _clauses(text: str) -> list[tuple[int, int]]:
    cuts = [0, *(m.start() for m in _CLAUSE.finditer(text)), len(text)]
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]


def _pieces(text: str, clauses: list[tuple[int, int]], cue: Stance, start: int, end: int
            ) -> list[tuple[Stance, str]]:
    """The words a cue governs, as (stance, words) pieces: its scope, and any condition in it."""
    index = max(0, bisect.bisect_right([a for a, _ in clauses], start) - 1)
    clause_start, clause_end = clauses[index]
    after = text[end:clause_end]
    reporting = _REPORTING_CLAUSE.search(after)
    if reporting:
        after = after[: reporting.start()]  # "…, the minister said": the reporter's words
    before = text[clause_start:start]
    pieces: list[tuple[Stance, str]] = []
    scope = after if terms(after) else before
    condition = _CONDITION.search(scope)
    if condition:
        pieces.append((cue, scope[: condition.start()]))
        pieces.append((Stance.INSISTS_ON, scope[condition.end():]))
    else:
        pieces.append((cue, scope))
    if _BACK.match(text[clause_start:clause_end].lstrip(" ;,.")) and index:
        # "…; otherwise we will take it by force": the clause before says what is demanded.
        previous = text[clauses[index - 1][0]:clauses[index - 1][1]]
        condition = _CONDITION.search(previous)
        pieces.append((cue, previous[condition.end():] if condition else previous))
    return [(s, p) for s, p in pieces if p.strip()]

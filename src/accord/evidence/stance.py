"""What a quotation says about the points it concerns: a stance, read from cue phrases.

Five stances (:class:`accord.model.Stance`): the speaker *rules out* an option
("never", "will not accept", "no legal or moral right"), *insists on* one
("must", "only if", "by force", "not negotiable"), *accepts* one ("ready to", "could be the
basis", "can live with"), or speaks of *progress* ("constructive", "90%
agreed") or *difficulty* ("tough issues", "not found") in general.  The quote
decides; the sentence around it counts only through the reporting verb
("rejected", "insisted").  When several cues appear the strongest wins, in the
order above.  Which option a cue is about is read by :mod:`accord.evidence.position`,
which scopes each cue to its clause.  Lexicon-based stance detection is crude
(see Mohammad et al., "SemEval-2016 Task 6: Detecting Stance in Tweets"); every
stance is a proposal to be read, and the evidence span is kept next to it for
that reason.
"""

from __future__ import annotations

import re

from accord.evidence.words import fold
from accord.model import Stance

__all__ = ["CUES", "REPORTING", "STRENGTH", "stance_of"]

#: The cue phrases of each stance, strongest stance first.
CUES: tuple[tuple[Stance, re.Pattern[str]], ...] = (
    (Stance.RULES_OUT, re.compile(
        r"\bnever\b|\bwill not (?:accept|agree|sign|cede|give|trade|allow|tolerate|negotiate|write)|"
        r"\bwon't (?:accept|agree|sign|cede|give|allow)|\bcannot accept\b|\bcan't accept\b|"
        r"\bnot (?:going to )?accept\b|\bunacceptable\b|\bout of the question\b|\bno (?:legal or moral )?"
        r"right\b|\bred line\b|\brefuse[sd]?\b|\breject(?:s|ed)?\b|\bnot (?:trade|cede|sign)\b|"
        r"\bno intention\b|\bno concessions?\b")),
    (Stance.INSISTS_ON, re.compile(
        r"\bmust\b|\bonly if\b|\bonly once\b|\bonly when\b|\bonly with\b|\bonly after\b|\binsists?\b|"
        r"\bdemands?\b|\bnon-negotiable\b|\bnot (?:up for )?negotiable\b|\bnot up for negotiation\b|"
        r"\bby force\b|\bhave to\b|\bhas to\b|\bneeds? to\b|\bunless\b|\bfirst, not last\b")),
    (Stance.ACCEPTS, re.compile(
        r"\bready to\b|\bwilling to\b|\bcould accept\b|\bcan accept\b|\bcan live with\b|"
        r"(?<!un)(?<!not )\bacceptable\b|\bagree to\b|\bbasis\b|\bopen to\b|\bin principle\b")),
    (Stance.DIFFICULTY, re.compile(
        r"\btough\b|\bdifficult\b|\bhard(?:est)?\b|\bwork remains\b|\bnot (?:yet )?(?:been )?found\b|"
        r"\bno compromise\b|\bnot there yet\b|\bgap\b|\bstall|\bfailure\b|\bnot helpful\b|\bobstacle|"
        r"\bstanding in the way\b|\bdeadlock|\bimpasse\b|\bfar (?:apart|on)\b|\bmissed opportunity\b")),
    (Stance.PROGRESS, re.compile(
        r"\bprogress\b|\bconstructive\b|\bproductive\b|\bgood chance\b|\bagreed\b|\bcloser?\b|"
        r"\bwithin reach\b|\bpositive\b|\bstep\b|\bmoved forward\b|\bbreakthrough\b|\bencouraged\b|"
        r"\b\d{2}\s?(?:%|percent\b)|\buseful\b")),
)
#: Reporting verbs outside the quote that give the speaker's stance ("Kyiv rejected the plan").
REPORTING = ((Stance.RULES_OUT, re.compile(r"\b(?:rejected|ruled out|dismissed|refused)\b")),
              (Stance.INSISTS_ON, re.compile(r"\b(?:insisted|demanded)\b")))
#: The stances from strongest to weakest: when cues disagree, the first wins.
STRENGTH = (Stance.RULES_OUT, Stance.INSISTS_ON, Stance.ACCEPTS, Stance.DIFFICULTY, Stance.PROGRESS)


def stance_of(quote: str, context: str = "") -> Stance | None:
    """The stance of ``quote``; ``context`` (the reporting sentence) adds only its verb."""
    text = fold(quote)
    for stance, pattern in CUES:
        if pattern.search(text):
            return stance
    reported = fold(context)
    for stance, pattern in REPORTING:
        if pattern.search(reported):
            return stance
    return None

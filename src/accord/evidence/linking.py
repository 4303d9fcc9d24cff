"""Which points of a scenario a quotation concerns: lexical matching with a score.

Each issue is described by its title, description, plan points and its
options' labels and descriptions.  A quotation (and, at half weight, the
sentence that reports it) is compared with each description word by word
after light stemming, each shared word weighted by its inverse document
frequency over the issues (Spärck Jones, "A statistical interpretation of term
specificity", J. Documentation 1972), so that a word every issue uses counts
for little.  ``point 21`` in the text links to the issues covering plan point
21 outright.  Issues scoring below :data:`THRESHOLD` are not linked: nothing is
better than a guess.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from accord.evidence.people import fold
from accord.model import Issue, Scenario

__all__ = ["THRESHOLD", "IssueMatch", "Linker"]

#: The least score for which an issue is linked (a distinctive shared word scores ~1.5-2.5).
THRESHOLD = 2.0
#: The least score for an option of a linked issue to be named.
OPTION_THRESHOLD = 1.0

_STOP = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers him his how i if in into is it its itself just me more most my no
nor not now of off on once only or other our out over own same she should so some such than that
the their them then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your said says told one two three
any every still would yet us new also whether without within part parts only its it's we're
there's must may might shall next last week month year years day today talks deal peace plan
text point points issue issues side sides party parties option options version
""".split())


@dataclass(frozen=True)
class IssueMatch:
    """An issue a quotation concerns, how strongly, and the option it names if any."""

    issue: str
    score: float
    option: str | None = None
    option_score: float = 0.0


def _stem(word: str) -> str:
    for suffix in ("ations", "ation", "ments", "ment", "ities", "ity", "ing", "ies", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + ("y" if suffix in ("ies", "ities") else "")
    return word


def terms(text: str) -> list[str]:
    """The content words of ``text``, folded and stemmed."""
    words = re.findall(r"[a-z0-9]+(?:[-'][a-z0-9]+)*", fold(text))
    return [_stem(w) for w in words if w not in _STOP and len(w) > 2 and not w.isdigit()]


class Linker:
    """Match texts to the issues and options of one scenario."""

    def __init__(self, scenario: Scenario) -> None:
        self.issues = list(scenario.issues)
        self.issue_terms: dict[str, Counter[str]] = {}
        self.option_terms: dict[str, dict[str, set[str]]] = {}
        for issue in self.issues:
            self.issue_terms[issue.id] = Counter(terms(_describe(issue)))
            self.option_terms[issue.id] = {
                o.id: set(terms(" ".join(x for x in (o.label, o.description or "", o.id.replace("-", " "))
                                         if x)))
                for o in issue.options}
        documents = len(self.issues) or 1
        frequency: Counter[str] = Counter()
        for counter in self.issue_terms.values():
            frequency.update(set(counter))
        self.idf = {t: math.log(1 + documents / df) for t, df in frequency.items()}

    def link(self, quote: str, context: str = "") -> list[IssueMatch]:
        """The issues ``quote`` (reported in ``context``) concerns, best first."""
        weights: dict[str, float] = {}
        for term in terms(context):
            weights[term] = max(weights.get(term, 0.0), 0.5)
        for term in terms(quote):
            weights[term] = 1.0
        pinned = {int(n) for n in re.findall(r"\bpoints?\s+(\d{1,3})\b", fold(f"{quote} {context}"))}
        found = []
        for issue in self.issues:
            shared = [t for t in weights if t in self.issue_terms[issue.id]]
            score = sum(weights[t] * self.idf[t] for t in shared)
            if pinned & set(issue.points):
                score += 2 * THRESHOLD
            if score < THRESHOLD:
                continue
            option, option_score = self._option(issue, weights)
            found.append(IssueMatch(issue.id, round(score, 3), option, round(option_score, 3)))
        return sorted(found, key=lambda m: -m.score)

    def _option(self, issue: Issue, weights: dict[str, float]) -> tuple[str | None, float]:
        scored = []
        for option_id, words in self.option_terms[issue.id].items():
            shared = [t for t in weights if t in words]
            scored.append((sum(weights[t] * self.idf.get(t, 1.0) for t in shared), option_id))
        scored.sort(reverse=True)
        if not scored or scored[0][0] < OPTION_THRESHOLD:
            return None, 0.0
        if len(scored) > 1 and scored[1][0] >= 0.8 * scored[0][0]:
            return None, 0.0  # two options fit about as well: name neither
        return scored[0][1], scored[0][0]


def _describe(issue: Issue) -> str:
    parts = [issue.title, issue.description or "", issue.id.replace("-", " ")]
    for option in issue.options:
        parts.extend((option.label, option.description or ""))
    return " ".join(parts)

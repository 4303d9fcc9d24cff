"""Which points of a scenario a quotation concerns: lexical matching with a score.

Each issue is described by its title, description, plan points and its
options' labels and descriptions.  A quotation (and, at half weight, the
sentence that reports it) is compared with each description word by word
after light stemming, each shared word weighted by its inverse document
frequency over the issues (Spärck Jones, "A statistical interpretation of term
specificity", J. Documentation 1972), so that a word every issue uses counts
for little.  ``point 21`` in the text links to the issues covering plan point
21 outright.  Issues scoring below :data:`THRESHOLD`, or below :data:`RELATIVE` times the best
issue's score, are not linked: nothing is better than a guess.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from accord.evidence.words import fold
from accord.model import Issue, Scenario

__all__ = ["THRESHOLD", "IssueMatch", "Linker"]

#: The least score for which an issue is linked (a distinctive word of the quote scores ~2-3, one
#: of the reporting sentence half that).
THRESHOLD = 1.2
#: An issue is linked only if it scores at least this share of the best issue's score: the words
#: a better match explains are weak evidence for a second one.
RELATIVE = 0.5
#: The least score for an option of a linked issue to be named.
OPTION_THRESHOLD = 1.0

_STOP = frozenset([
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
    "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few",
    "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him",
    "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more",
    "most", "my", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other",
    "our", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that",
    "the", "their", "them", "then", "there", "these", "they", "this", "those", "through", "to",
    "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which",
    "while", "who", "whom", "why", "will", "with", "would", "you", "your", "said", "says", "told",
    "any", "every", "still", "would", "yet", "us", "new", "also", "whether", "without", "within",
    "part", "parts", "only", "its", "it's", "we're", "there's", "must", "may", "might", "shall",
    "next", "last", "week", "month", "year", "years", "day", "today", "talks", "deal", "peace",
    "plan", "text", "point", "points", "issue", "issues", "side", "sides", "party", "parties",
    "option", "options", "version", "framework", "work", "left", "right", "remain", "remains",
    "way", "matter", "country", "countries", "government", "leader", "leaders", "make", "made",
    "take", "took", "give", "gave", "get", "got", "come", "came", "want", "wants", "need", "needs",
    "chance", "could"
])


@dataclass(frozen=True)
class IssueMatch:
    """An issue a quotation concerns, how strongly, and the option it names if any."""

    issue: str
    score: float
    option: str | None = None
    option_score: float = 0.0


@lru_cache(maxsize=16384)
def _stem(word: str) -> str:
    """A light suffix stripper: enough to meet "guarantees" with "guarantee", "stops" with "stop"."""
    if re.search(r"(?:ss|us|is)$", word):
        return word
    for suffix in ("ations", "ation", "ments", "ment", "ities", "ity", "ing", "ies", "ed", "al",
                   "ses", "xes", "zes", "ches", "shes", "s"):
        # "-al" only on long words: "withdrawal" meets "withdraw", "legal" stays "legal".
        if word.endswith(suffix) and len(word) - len(suffix) >= (6 if suffix == "al" else 3):
            stem = word[: -len(suffix)] + ("y" if suffix in ("ies", "ities") else "")
            if suffix in ("ses", "xes", "zes", "ches", "shes"):
                stem = word[:-2]
            return _undouble(stem)
    return _undouble(word)


def _undouble(stem: str) -> str:
    # stopped → stopp → stop, and fill → fil too, so that both forms meet.
    if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "aeiouys":
        return stem[:-1]
    return stem


def negated(text: str) -> set[str]:
    """The terms ``text`` negates: those after "no", "not", "never", "without", "non-" up to a
    punctuation mark ("No withdrawal: the line …" → {"withdraw"})."""
    found: set[str] = set()
    for match in re.finditer(r"\b(?:no|not|never|without|non)\b[- ]+([^,.;:()]{1,40})", fold(text)):
        found.update(terms(match.group(1))[:3])
    return found


def terms(text: str) -> list[str]:
    """The content words of ``text``, folded and stemmed."""
    words = re.findall(r"[a-z0-9]+(?:[-'][a-z0-9]+)*", fold(text).replace("'s ", " "))
    return [_stem(w) for w in words if w not in _STOP and len(w) > 2 and not w.isdigit()]


class Linker:
    """Match texts to the issues and options of one scenario."""

    def __init__(self, scenario: Scenario) -> None:
        self.issues = list(scenario.issues)
        # The parties' own names are in every issue's story: they link nothing.
        self.ignored = {t for p in scenario.parties for text in (p.name, p.id, *p.aliases)
                        for t in terms(text)}
        self.ignored |= {_stem(w) for w in ("russian", "ukrainian", "american", "european")}
        # Nor do the delegates' names, or days and months (sources cited in descriptions).
        self.ignored |= {t for p in scenario.parties for d in p.delegates for t in terms(d.name)}
        self.ignored |= {_stem(w) for w in ("monday", "tuesday", "wednesday", "thursday", "friday",
                                             "saturday", "sunday", "january", "february", "march",
                                             "april", "june", "july", "august", "september",
                                             "october", "november", "december")}
        self.issue_terms: dict[str, Counter[str]] = {}
        self.title_terms: dict[str, set[str]] = {}
        self.option_terms: dict[str, dict[str, set[str]]] = {}
        self.label_terms: dict[str, dict[str, set[str]]] = {}
        self.negated_terms: dict[str, dict[str, set[str]]] = {}
        for issue in self.issues:
            self.issue_terms[issue.id] = Counter(t for t in terms(_describe(issue)) if t not in self.ignored)
            self.title_terms[issue.id] = set(terms(issue.title)) - self.ignored
            self.label_terms[issue.id] = {o.id: set(terms(o.label)) for o in issue.options}
            # "No withdrawal: the line …" is about there being none: "a withdrawal" does not name it.
            self.negated_terms[issue.id] = {
                o.id: negated(o.label) | negated(o.id.replace("-", " ")) for o in issue.options}
            self.option_terms[issue.id] = {
                o.id: set(terms(" ".join(x for x in (o.label, o.description or "", o.id.replace("-", " "))
                                         if x))) - self.negated_terms[issue.id][o.id]
                for o in issue.options}
        documents = len(self.issues) or 1
        frequency: Counter[str] = Counter()
        for counter in self.issue_terms.values():
            frequency.update(set(counter))
        self.idf = {t: math.log(1 + documents / df) for t, df in frequency.items()}

    def link(self, quote: str, context: str = "", *, ignore: str = "") -> list[IssueMatch]:
        """The issues ``quote`` (reported in ``context``) concerns, best first; the words of
        ``ignore`` (who the speaker is: "foreign policy aide") count only inside the quote."""
        weights = self._weights(quote, context)
        quoted = set(terms(quote))
        for term in terms(ignore):
            if term not in quoted:
                weights.pop(term, None)
        pinned = {int(n) for n in re.findall(r"\bpoints?\s+(\d{1,3})\b", fold(f"{quote} {context}"))}
        found = []
        for issue in self.issues:
            shared = [t for t in weights if t in self.issue_terms[issue.id]]
            score = sum(weights[t] * self.idf[t] for t in shared)
            # One shared word links only when it is in the issue's title ("amnesty", "NATO"):
            # a single word from a long description ("work") is too weak a sign.
            strong = len(shared) >= 2 or any(t in self.title_terms[issue.id] for t in shared)
            if pinned & set(issue.points):
                score, strong = score + 2 * THRESHOLD, True
            if score < THRESHOLD or not strong:
                continue
            option, option_score = self._option(issue, weights)
            found.append(IssueMatch(issue.id, round(score, 3), option, round(option_score, 3)))
        found.sort(key=lambda m: -m.score)
        return [m for m in found if m.score >= RELATIVE * found[0].score]

    def option_for(self, issue_id: str, quote: str, context: str = "") -> str | None:
        """The option of ``issue_id`` that ``quote`` (in ``context``) names, if one clearly does."""
        issue = next((i for i in self.issues if i.id == issue_id), None)
        if issue is None:
            return None
        return self._option(issue, self._weights(quote, context))[0]

    def _weights(self, quote: str, context: str) -> dict[str, float]:
        weights: dict[str, float] = {}
        for term in terms(context):
            weights[term] = max(weights.get(term, 0.0), 0.5)
        for term in terms(quote):
            weights[term] = 1.0
        return weights

    def _option(self, issue: Issue, weights: dict[str, float]) -> tuple[str | None, float]:
        scored = []
        options = self.option_terms[issue.id]
        # Words every option uses ("fill the reservoir …") tell the options apart no better than none.
        common = set.intersection(*options.values()) if len(options) > 1 else set()
        for option_id, words in options.items():
            if any(t in self.negated_terms[issue.id][option_id] for t in weights):
                continue  # the words name what this option says there will be none of
            shared = [t for t in weights if t in words and t not in common]
            # As for issues: one word names an option only when it is in the option's label.
            if len(shared) < 2 and not any(t in self.label_terms[issue.id][option_id] for t in shared):
                continue
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

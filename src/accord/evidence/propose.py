"""From quotations to proposed statements and meetings of a scenario.

:func:`ingest` reads an article and returns :class:`Proposals`: one
:class:`ProposedStatement` per speaker and occasion (consecutive quotations of
one speaker, on one day and channel, within adjacent paragraphs, joined with
" … " as the flagship's statements are), each tied to a party of the scenario
(:func:`attribute`), to the points it concerns (:mod:`accord.evidence.linking`)
and with a stance (:mod:`accord.evidence.stance`); and one
:class:`ProposedMeeting` per meeting reported.  A proposal that cannot become a
valid model object says why (``refused``), and one already in the scenario is
marked ``duplicate``; :func:`additions` gives what ``--write`` adds.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from accord.errors import ScenarioError
from accord.evidence.evaluate import normalise_quote
from accord.evidence.extract import Extraction, MeetingMention, Quotation, extract
from accord.evidence.linking import IssueMatch, Linker
from accord.evidence.people import fold
from accord.evidence.stance import stance_of
from accord.io.article import Article
from accord.model import Delegate, Meeting, Party, Scenario, Source, Stance, Statement
from accord.model.suggest import did_you_mean

__all__ = ["Proposals", "ProposedMeeting", "ProposedStatement", "additions", "attribute", "ingest"]

# Other names of common capitals, seats of government and demonyms, for parties named after
# countries: "the Kremlin said" is Russia.  A scenario adds its own with `aliases`.
_COUNTRY_WORDS: dict[str, tuple[str, ...]] = {
    "russia": ("russian", "kremlin", "moscow"),
    "ukraine": ("ukrainian", "kyiv", "kiev", "bankova"),
    "united states": ("us", "u.s.", "american", "washington", "white house", "state department",
                      "pentagon"),
    "united kingdom": ("uk", "britain", "british", "london", "downing street"),
    "france": ("french", "paris", "elysee"),
    "germany": ("german", "berlin"),
    "china": ("chinese", "beijing"),
    "european union": ("eu", "brussels", "european commission"),
    "turkey": ("turkish", "ankara"),
    "qatar": ("qatari", "doha"),
    "israel": ("israeli", "jerusalem"),
    "iran": ("iranian", "tehran"),
    "india": ("indian", "new delhi"),
    "pakistan": ("pakistani", "islamabad"),
    "poland": ("polish", "warsaw"),
    "norway": ("norwegian", "oslo"),
}


@dataclass(frozen=True)
class ProposedStatement:
    """A statement ``accord ingest`` proposes, with what it rests on.

    ``statement`` is the model object to add (None when ``refused`` says why it cannot be).
    """

    quotations: tuple[int, ...]
    quote: str
    speaker: str | None
    party: str | None
    person: str | None
    date: dt.date | None
    channel: str | None
    place: str | None
    evidence: str
    issues: tuple[IssueMatch, ...]
    stance: Stance | None
    options: tuple[str, ...]
    statement: Statement | None
    refused: str | None
    duplicate: bool = False


@dataclass(frozen=True)
class ProposedMeeting:
    """A meeting the article reports, as a proposed ``[[meetings]]`` entry."""

    sentence: str
    date: dt.date | None
    place: str
    participants: tuple[str, ...]
    people: tuple[str, ...]
    meeting: Meeting | None
    refused: str | None
    duplicate: bool = False


@dataclass(frozen=True)
class Proposals:
    """What one article proposes for one scenario (or, without a scenario, what it says)."""

    extraction: Extraction
    statements: tuple[ProposedStatement, ...]
    meetings: tuple[ProposedMeeting, ...]
    source: Source | None
    new_source: bool
    scenario_given: bool


def ingest(article: Article, scenario: Scenario | None = None, *, date: dt.date | None = None,
           source: str | None = None) -> Proposals:
    """Read ``article`` and propose statements and meetings for ``scenario``.

    Parameters
    ----------
    article
        From :func:`accord.io.article.read_article`.
    scenario
        The scenario the statements are for; without one, speakers stay named people.
    date
        The article's date, when the file does not give it (it wins over the file's).
    source
        A source id of the scenario, or the article's address (a new source is proposed).

    Raises
    ------
    ScenarioError
        ``source`` names no source of the scenario and is not an address.
    """
    known = _known_people(scenario) if scenario is not None else []
    extraction = extract(article, date=date, known_people=known)
    chosen, new_source = _source(article, extraction, scenario, source)
    statements = _statements(extraction, scenario, chosen)
    meetings = tuple(_meeting(m, extraction, scenario, chosen) for m in extraction.meetings)
    return Proposals(extraction=extraction, statements=statements, meetings=meetings, source=chosen,
                     new_source=new_source, scenario_given=scenario is not None)


def additions(proposals: Proposals) -> tuple[list[Source], list[Statement], list[Meeting]]:
    """What ``--write`` adds: the new source (if any), and every statement and meeting that is
    neither refused nor already in the scenario."""
    statements = [p.statement for p in proposals.statements
                  if p.statement is not None and not p.duplicate]
    meetings = [m.meeting for m in proposals.meetings if m.meeting is not None and not m.duplicate]
    sources = [proposals.source] if proposals.new_source and proposals.source and (statements or meetings) \
        else []
    return sources, statements, meetings


# -- parties and people --------------------------------------------------------------------

def _demonyms(party: Party) -> list[str]:
    words = [fold(party.name), fold(party.id), *(fold(a) for a in party.aliases)]
    for country, others in _COUNTRY_WORDS.items():
        if country in fold(party.name) or any(country == fold(a) for a in party.aliases):
            words.extend(others)
    return [w for w in words if w]


def _known_people(scenario: Scenario) -> list[tuple[str, list[str]]]:
    people = []
    for party in scenario.parties:
        demonym = next((w for w in _demonyms(party)[2:] if re.fullmatch(r"[a-z]+(?:an|ian|ese|ish|ch)", w)),
                       None)
        for delegate in party.delegates:
            title = delegate.title or ""
            roles = [f"{demonym.capitalize()} {title}".strip() if demonym else title] if title else []
            people.append((delegate.name, roles))
    return people


def _mentions(text: str, word: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(word)}(?![\w])", text) is not None


def _party_of_words(scenario: Scenario, text: str) -> Party | None:
    words = fold(text)
    found = [p for p in scenario.parties if any(_mentions(words, w) for w in _demonyms(p))]
    return found[0] if len(found) == 1 else None


def _delegate_by_name(scenario: Scenario, name: str) -> tuple[Party, Delegate] | None:
    wanted = fold(name).split()
    best: tuple[float, Party, Delegate] | None = None
    for party in scenario.parties:
        for delegate in party.delegates:
            have = fold(delegate.name).split()
            if have == wanted:
                return party, delegate
            surname = difflib.SequenceMatcher(None, have[-1], wanted[-1]).ratio()
            first_ok = len(wanted) == 1 or wanted[0][0] == have[0][0]
            if surname >= 0.85 and first_ok and (best is None or surname > best[0]):
                best = (surname, party, delegate)
    return (best[1], best[2]) if best else None


def _serving(delegate: Delegate, day: dt.date | None) -> bool:
    if day is None:
        return True
    return (delegate.since is None or delegate.since <= day) \
        and (delegate.until is None or day <= delegate.until)


def _delegate_by_title(scenario: Scenario, description: str, day: dt.date | None
                       ) -> tuple[Party, Delegate] | None:
    """ "the Ukrainian president", "Ukraine's chief negotiator": a delegate whose title fits, on the day."""
    words = set(re.findall(r"[\w-]+", fold(description).replace("'s", ""))) - {"the", "a", "an", "of"}
    party = _party_of_words(scenario, description)
    candidates = []
    for each in scenario.parties if party is None else [party]:
        for delegate in each.delegates:
            title = set(re.findall(r"[\w-]+", fold(delegate.title or ""))) - {"of", "the"}
            if title and title <= words and _serving(delegate, day):
                candidates.append((each, delegate))
    return candidates[0] if len(candidates) == 1 else None


def attribute(quotation: Quotation, scenario: Scenario) -> tuple[str | None, str | None, str | None]:
    """The party and person a quotation's speaker is, or why not: ``(party, person, reason)``."""
    speaker = quotation.speaker
    if not speaker:
        return None, None, "nobody is named as saying it"
    if quotation.speaker_kind == "person":
        found = _delegate_by_name(scenario, speaker)
        if found:
            return found[0].id, found[1].name, None
        party = _party_of_words(scenario, " ".join(quotation.roles))
        if party:
            return party.id, speaker, None
        return None, speaker, (f"{speaker} is not a delegate of any party, and nothing the article says "
                               "about them names one (add them to a party's delegates)")
    by_title = _delegate_by_title(scenario, speaker, quotation.date)
    if by_title:
        return by_title[0].id, by_title[1].name, None
    party = _party_of_words(scenario, speaker)
    if party:
        return party.id, None, None
    return None, None, (f"{speaker!r} names no party of the scenario (add it to a party's aliases)")


# -- statements ----------------------------------------------------------------------------

def _statements(extraction: Extraction, scenario: Scenario | None, source: Source | None
                ) -> tuple[ProposedStatement, ...]:
    linker = Linker(scenario) if scenario is not None else None
    groups: list[list[int]] = []
    for index, quotation in enumerate(extraction.quotations):
        if groups:
            last = extraction.quotations[groups[-1][-1]]
            # One attribution, one statement: quotes of one sentence, and the second half of a
            # quote split around its attribution ("…," X said. "But …"), go together.
            same_sentence = quotation.paragraph == last.paragraph and quotation.sentence == last.sentence
            occasion = quotation.speaker == last.speaker and quotation.date == last.date \
                and quotation.channel == last.channel and quotation.paragraph - last.paragraph <= 1
            if quotation.speaker and occasion and (same_sentence or quotation.how == "continues"):
                groups[-1].append(index)
                continue
        groups.append([index])
    proposals = []
    for group in groups:
        quotations = [extraction.quotations[i] for i in group]
        first = quotations[0]
        quote = " … ".join(q.text for q in quotations)
        evidence = " ".join(dict.fromkeys(q.sentence for q in quotations))
        party = person = refused = None
        if scenario is not None:
            party, person, refused = attribute(first, scenario)
        elif not first.speaker:
            refused = "nobody is named as saying it"
        if first.date is None and refused is None:
            refused = "the article's date is not known (give it with --date)"
        who = " ".join([first.speaker or "", *first.roles])
        issues = tuple(linker.link(quote, evidence, ignore=who)) if linker else ()
        stance = stance_of(quote, evidence)
        options: tuple[str, ...] = ()
        if stance in (Stance.RULES_OUT, Stance.INSISTS_ON, Stance.ACCEPTS):
            options = tuple(m.option for m in issues if m.option)
        statement = None
        if scenario is not None and refused is None and party is not None and first.date is not None:
            statement = Statement(
                speaker=party, person=person, date=first.date, channel=first.channel,
                place=first.place, quote=quote, source=source.id if source else None,
                issues=[m.issue for m in issues], stance=stance, options=list(options),
                evidence=evidence)
        duplicate = statement is not None and scenario is not None and _already(statement, scenario)
        proposals.append(ProposedStatement(
            quotations=tuple(group), quote=quote, speaker=first.speaker, party=party,
            person=person or (first.speaker if first.speaker_kind == "person" else None),
            date=first.date, channel=first.channel, place=first.place, evidence=evidence,
            issues=issues, stance=stance, options=options, statement=statement, refused=refused,
            duplicate=duplicate))
    return tuple(proposals)


def _fragments(quote: str) -> set[str]:
    return {normalise_quote(part) for part in re.split(r"\s*(?:…|\.\.\.)\s*", quote) if part.strip()}


def _already(statement: Statement, scenario: Scenario) -> bool:
    """Already in the file: same party and day, and the same words (or all of them within it)."""
    mine = _fragments(statement.quote)
    for other in scenario.statements:
        if other.speaker == statement.speaker and other.date == statement.date:
            theirs = _fragments(other.quote)
            if mine <= theirs or theirs <= mine:
                return True
    return False


# -- meetings ------------------------------------------------------------------------------

def _meeting(mention: MeetingMention, extraction: Extraction, scenario: Scenario | None,
             source: Source | None) -> ProposedMeeting:
    day = mention.date or extraction.date
    participants: list[str] = []
    people: list[str] = []
    if scenario is not None:
        for name in mention.people:
            found = _delegate_by_name(scenario, name)
            if found:
                participants.append(found[0].id)
                people.append(found[1].name)
        for name in mention.names:
            party = _party_of_words(scenario, name)
            if party:
                participants.append(party.id)
    participants = list(dict.fromkeys(participants))
    refused = None
    if scenario is None:
        refused = "no scenario given"
    elif not participants:
        refused = "names no party of the scenario"
    elif day is None:
        refused = "the article's date is not known (give it with --date)"
    meeting = None
    if refused is None and day is not None:
        meeting = Meeting(date=day, place=mention.place, participants=participants,
                          people=list(dict.fromkeys(people)), summary=mention.sentence,
                          sources=[source.id] if source else [])
    duplicate = meeting is not None and scenario is not None and any(
        m.date <= meeting.date <= (m.end_date or m.date) and
        (fold(m.place) in fold(meeting.place) or fold(meeting.place) in fold(m.place))
        for m in scenario.meetings)
    return ProposedMeeting(sentence=mention.sentence, date=day, place=mention.place,
                           participants=tuple(participants), people=tuple(dict.fromkeys(people)),
                           meeting=meeting, refused=refused, duplicate=duplicate)


# -- the source ----------------------------------------------------------------------------

def _source(article: Article, extraction: Extraction, scenario: Scenario | None, given: str | None
            ) -> tuple[Source | None, bool]:
    known = {s.id: s for s in scenario.sources} if scenario is not None else {}
    url = given if given and re.match(r"[a-z][a-z0-9+.-]*://", given) else None
    if given and not url:
        if given in known:
            return known[given], False
        if scenario is not None:
            raise ScenarioError.single("--source", "", f"unknown source {given!r}"
                                       f"{did_you_mean(given, list(known))}; give a source id of the "
                                       "scenario or the article's address (https://…)")
    url = url or article.url
    for source in known.values():
        if url and source.url == url:
            return source, False
    stem = re.sub(r"[^A-Za-z0-9]+", "-", article.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]).strip("-")
    base = (stem or "article")[:48].lower()
    identifier, n = base, 2
    while identifier in known:
        identifier, n = f"{base}-{n}", n + 1
    publisher = re.sub(r"^www\.", "", url.split("/")[2]) if url and url.count("/") >= 2 else None
    return Source(id=identifier, title=article.title or extraction.name.rsplit("/", 1)[-1],
                  publisher=publisher, date=extraction.date, url=url), True


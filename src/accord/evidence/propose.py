"""From quotations to proposed statements and meetings of a scenario.

:func:`ingest` reads an article and returns :class:`Proposals`: one
:class:`ProposedStatement` per speaker and occasion (consecutive quotations of
one speaker, on one day and channel, within adjacent paragraphs, joined with
" … " as the flagship's statements are), each tied to a party of the scenario
(:func:`attribute`), to the points it concerns (:mod:`accord.evidence.linking`)
and with a stance and options (:func:`accord.evidence.position.position_of`, the
reading ``accord evidence`` uses too); and one :class:`ProposedMeeting` per
meeting reported.  Each proposal has a :data:`STATUSES` word: ``new`` (``--write``
adds it), ``present`` (already in the scenario), ``refused`` (with the reason),
``planned`` (a meeting still to come) or ``read`` (no scenario was given).

Attribution never guesses.  A named speaker is matched to a party's
``delegates`` by name, and only while the delegate serves (``since``/``until``);
an unnamed one ("the Ukrainian president", "Ukraine's chief negotiator") only
when the words name exactly one party and exactly one of its delegates serving
that day has a title that fits; "the minister" alone, "a senior diplomat", "the
former negotiator" are refused with the reason.  The article's own register
resolves "the minister" to the minister it introduced before; a scenario never
supplies a person the article did not name.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, replace

from accord.errors import ScenarioError
from accord.evidence.extract import Extraction, MeetingMention, Quotation, extract
from accord.evidence.linking import IssueMatch, Linker
from accord.evidence.nations import demonyms_of, nations_in, words_of
from accord.evidence.people import COLLECTIVE
from accord.evidence.position import position_of
from accord.evidence.words import fold, normalise_quote
from accord.io.article import Article
from accord.model import Delegate, Meeting, Party, Scenario, Source, Stance, Statement
from accord.model.suggest import did_you_mean

__all__ = ["STATUSES", "Proposals", "ProposedMeeting", "ProposedStatement", "additions", "attribute",
           "ingest", "party_words"]

#: The status words of a proposal (stable: the JSON form uses them).
STATUSES = ("new", "present", "refused", "planned", "read")

# Words of a description that say nothing about which delegate is meant.
_FILLERS = frozenset({"the", "a", "an", "of", "new", "current", "top", "senior", "own", "country's",
                      "its", "their", "his", "her"})
_TITLE_SYNONYMS = {"mediator": "envoy", "spokeswoman": "spokesman", "spokesperson": "spokesman",
                   "aide": "adviser", "advisor": "adviser", "premier": "prime"}
# Heads of a description that name an office-holder who may speak for a party anonymously.
_SPOKESPEOPLE = frozenset({"spokesman", "spokeswoman", "spokesperson"})
# Dates too vague to be a meeting's day ("last week" is a Monday only by convention).
_VAGUE = frozenset({"last week", "this week", "earlier this week", "last month"})


@dataclass(frozen=True)
class ProposedStatement:
    """A statement ``accord ingest`` proposes, with what it rests on.

    ``statement`` is the model object to add (None when ``refused`` says why it cannot be, or
    when no scenario was given); ``status`` is one of :data:`STATUSES`.
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

    @property
    def status(self) -> str:
        if self.refused:
            return "refused"
        if self.duplicate:
            return "present"
        return "new" if self.statement is not None else "read"


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
    planned: bool = False
    groups: tuple[str, ...] = ()   # who met, as the article words it

    @property
    def status(self) -> str:
        if self.planned:
            return "planned"
        if self.refused:
            return "refused"
        if self.duplicate:
            return "present"
        return "new" if self.meeting is not None else "read"


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
           date_wins: bool = False, source: str | None = None) -> Proposals:
    """Read ``article`` and propose statements and meetings for ``scenario``.

    Parameters
    ----------
    article
        From :func:`accord.io.article.read_article`.
    scenario
        The scenario the statements are for; without one, speakers stay named people.
    date
        The article's date, used when the file does not give one.
    date_wins
        Use ``date`` even when the file gives its own date.
    source
        A source id of the scenario, or the article's address (a new source is proposed).

    Raises
    ------
    ScenarioError
        ``source`` names no source of the scenario and is not an address, or is empty.
    """
    extraction = extract(article, date=date, date_wins=date_wins)
    chosen, new_source = _source(article, extraction, scenario, source)
    statements = _statements(extraction, scenario, chosen)
    meetings = tuple(_meeting(m, extraction, scenario, chosen) for m in extraction.meetings)
    has_additions = any(p.status == "new" for p in statements) or any(m.status == "new" for m in meetings)
    return Proposals(extraction=extraction, statements=statements, meetings=meetings, source=chosen,
                     new_source=new_source and has_additions, scenario_given=scenario is not None)


def additions(proposals: Proposals) -> tuple[list[Source], list[Statement], list[Meeting]]:
    """What ``--write`` adds: the new source (if any), and every statement and meeting that is
    neither refused, planned nor already in the scenario."""
    statements = [p.statement for p in proposals.statements if p.statement is not None and p.status == "new"]
    meetings = [m.meeting for m in proposals.meetings if m.meeting is not None and m.status == "new"]
    sources = [proposals.source] if proposals.new_source and proposals.source and (statements or meetings) \
        else []
    return sources, statements, meetings


# -- parties and people --------------------------------------------------------------------

def party_words(party: Party) -> list[str]:
    """The words that name ``party`` in a report: its name, id and aliases, and for a party named
    after a country every word of :mod:`accord.evidence.nations` for it ("the Kremlin" is Russia),
    or the likely demonyms of an invented one ("Velmora" → "Velmoran")."""
    own = [party.name, *party.aliases]
    words = [fold(party.name), fold(party.id), *(fold(a) for a in party.aliases)]
    for text in own:
        codes = nations_in(text, shapes=False)
        for code in codes:
            words.extend(words_of(code))
        if not codes and re.fullmatch(r"[A-Z][a-z]{2,}", text):
            words.extend(demonyms_of(text))  # an invented country: "Velmora" → "velmoran"
    return [w for w in dict.fromkeys(words) if w]


def _mention_at(text: str, word: str) -> int | None:
    found = re.search(rf"(?<![\w.]){re.escape(word)}(?![\w])", text)
    return found.start() if found else None


def _parties_named(scenario: Scenario, text: str) -> list[Party]:
    """The parties ``text`` names, in the order it names them; initials and short ids only in
    capitals ("US", never "us")."""
    words = fold(text)
    found: list[tuple[int, int, Party]] = []
    for order, party in enumerate(scenario.parties):
        places = [_mention_at(text, w.upper()) if len(w.replace(".", "")) <= 3 else _mention_at(words, w)
                  for w in party_words(party)]
        first = min((p for p in places if p is not None), default=None)
        if first is not None:
            found.append((first, order, party))
    return [party for _, _, party in sorted(found, key=lambda f: (f[0], f[1]))]


def _party_of_words(scenario: Scenario, text: str) -> Party | None:
    found = _parties_named(scenario, text)
    return found[0] if len(found) == 1 else None


def _delegate_by_name(scenario: Scenario, name: str) -> tuple[Party, Delegate] | None:
    """The delegate a name is: the same words, or a surname within a small edit distance
    (Zelensky/Zelenskyy) and the same first initial; None when two fit equally well."""
    wanted = fold(name).split()
    if not wanted:
        return None
    scored: list[tuple[float, Party, Delegate]] = []
    for party in scenario.parties:
        for delegate in party.delegates:
            have = fold(delegate.name).split()
            if have == wanted:
                return party, delegate
            surname = difflib.SequenceMatcher(None, have[-1], wanted[-1]).ratio()
            first_ok = len(wanted) == 1 or wanted[0][0] == have[0][0]
            if surname >= 0.85 and first_ok:
                scored.append((surname, party, delegate))
    scored.sort(key=lambda s: -s[0])
    if not scored or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1], scored[0][2]


def _serving(delegate: Delegate, day: dt.date | None) -> bool:
    if day is None:
        return True
    return (delegate.since is None or delegate.since <= day) \
        and (delegate.until is None or day <= delegate.until)


def _term(delegate: Delegate) -> str:
    if delegate.since and delegate.until:
        return f"from {delegate.since} to {delegate.until}"
    return f"since {delegate.since}" if delegate.since else f"until {delegate.until}"


def _role_words(text: str) -> list[str]:
    words = re.findall(r"[\w.-]+", fold(text).replace("'s", " "))
    return [_TITLE_SYNONYMS.get(w.strip("."), w.strip(".")) for w in words]


def _by_description(scenario: Scenario, description: str, day: dt.date | None
                    ) -> tuple[str | None, str | None, str | None]:
    """ "the Ukrainian president", "Ukraine's chief negotiator", "the French president": the
    (party, person, reason) of an unnamed speaker.

    The words must name the party (its name, a demonym, its seat), or a nation that a delegate's
    title names ("President of France"); then exactly one delegate serving that day must have a
    title with the description's head and every other word of it.
    """
    words = _role_words(description)
    if "former" in words or "ex" in words:
        return None, None, f"{description!r} no longer speaks for a party"
    parties = _parties_named(scenario, description)
    said = nations_in(description)
    if len(parties) > 1:
        return None, None, f"{description!r} could be {' or '.join(p.id for p in parties)}"
    named = {w for p in parties for w in _role_words(" ".join(x for x in party_words(p) if " " not in x))}
    wanted = [w for w in words if w not in _FILLERS and w not in named and not nations_in(w, shapes=False)]
    head = wanted[-1] if wanted else ""
    if "of" in words and words.index("of") > 0:  # "the secretary of state": the head is "secretary"
        before = [w for w in words[: words.index("of")] if w in wanted]
        head = before[-1] if before else head
    if not parties and not said:
        return None, None, (f"{description!r} does not say whose it is, and the article names nobody "
                            "for it (a scenario never supplies the person)")
    if words and words[0] in ("a", "an"):
        # An anonymous source speaks for its party only as its spokesperson.
        if parties and head in _SPOKESPEOPLE:
            return parties[0].id, None, None
        return None, None, (f"{description!r} is an anonymous source: it may not speak for a party "
                            "(add the statement by hand if it does)")
    if parties and (not head or head in COLLECTIVE or head.rstrip("s") in COLLECTIVE):
        return parties[0].id, None, None  # "the Russian foreign ministry", "Kyiv"
    fits: list[tuple[Party, Delegate]] = []
    former: list[tuple[Party, Delegate]] = []
    for party in scenario.parties:
        for delegate in party.delegates:
            title_text = delegate.title or ""
            # The delegate is the party's, or their title names the nation the words name.
            if party not in parties and not (said and said <= nations_in(title_text)):
                continue
            title = [w for w in _role_words(title_text)
                     if w not in ("of", "the", "a", "an") and not nations_in(w, shapes=False)]
            if head in title and all(w in title for w in wanted):
                (fits if _serving(delegate, day) else former).append((party, delegate))
    if len(fits) == 1:
        return fits[0][0].id, fits[0][1].name, None
    if len(fits) > 1:
        return None, None, (f"{description!r} fits {len(fits)} delegates "
                            f"({', '.join(f'{d.name} of {p.id}' for p, d in fits)}): the article does "
                            "not say which")
    if former:
        return None, None, (f"{description!r} fits {', '.join(d.name for _, d in former)}, "
                            f"who {'was' if len(former) == 1 else 'were'} not serving on {day}")
    if parties:
        return parties[0].id, None, None  # the party's, by someone the scenario does not list
    return None, None, f"{description!r} names no party of the scenario (add it to a party's aliases)"


def _lead(quotation: Quotation, scenario: Scenario, described: str
          ) -> tuple[str | None, str | None, str | None]:
    """A lead's description named only by the next paragraph: written only when the scenario
    agrees — the named person is the delegate the description itself picks out."""
    named = replace(quotation, how="named", described_as=None)
    by_name = attribute(named, scenario)
    by_words = _by_description(scenario, described, quotation.date)
    if by_name[2] is None and by_words[2] is None and by_name[:2] == by_words[:2]:
        return by_name
    return None, None, (f"the lead calls the speaker {described!r} and the next paragraph names "
                        f"{quotation.speaker}; the scenario does not confirm they are the same")


def attribute(quotation: Quotation, scenario: Scenario) -> tuple[str | None, str | None, str | None]:
    """The party and person a quotation's speaker is, or why not: ``(party, person, reason)``."""
    speaker = quotation.speaker
    day = quotation.date
    if not speaker:
        return None, None, "nobody is named as saying it"
    if quotation.how == "lead" and quotation.described_as:
        return _lead(quotation, scenario, quotation.described_as)
    single = re.fullmatch(r"[A-Z][\w’'-]+", speaker) is not None
    if quotation.speaker_kind == "person" or (quotation.speaker_kind == "organisation" and single):
        found = _delegate_by_name(scenario, speaker)
        if found:
            party, delegate = found
            if not _serving(delegate, day):
                return None, delegate.name, (f"{delegate.name} is a delegate of {party.id} only "
                                             f"{_term(delegate)}, and this was said on {day}")
            return party.id, delegate.name, None
    if quotation.speaker_kind == "person":
        roles = " ".join(quotation.roles)
        if "former" in _role_words(roles):
            return None, speaker, f"{speaker} is described as a former office-holder: not a party's voice"
        of_roles = _party_of_words(scenario, roles)
        if of_roles:
            return of_roles.id, speaker, None
        return None, speaker, (f"{speaker} is not a delegate of any party, and nothing the article says "
                               "about them names one (add them to a party's delegates)")
    if quotation.speaker_kind == "organisation":
        named = _party_of_words(scenario, speaker)
        if named:
            return named.id, None, None
        return None, None, f"{speaker!r} names no party of the scenario (add it to a party's aliases)"
    return _by_description(scenario, speaker, day)


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
            if first.date is None and refused is None:
                refused = "the article's date is not known (give it with --date)"
        who = " ".join([first.speaker or "", *first.roles])
        issues = tuple(linker.link(quote, evidence, ignore=who)) if linker else ()
        position = position_of(quote, evidence, [m.issue for m in issues], linker)
        statement = None
        if scenario is not None and refused is None and party is not None and first.date is not None:
            statement = Statement(
                speaker=party, person=person, date=first.date, channel=first.channel,
                place=first.place, quote=quote, source=source.id if source else None,
                issues=[m.issue for m in issues], stance=position.stance, options=list(position.options),
                evidence=evidence)
        duplicate = statement is not None and scenario is not None and _already(statement, scenario)
        proposals.append(ProposedStatement(
            quotations=tuple(group), quote=quote, speaker=first.speaker, party=party,
            person=person if scenario is not None else (first.speaker if first.speaker_kind == "person"
                                                          else None),
            date=first.date, channel=first.channel, place=first.place, evidence=evidence,
            issues=issues, stance=position.stance, options=position.options, statement=statement,
            refused=refused, duplicate=duplicate))
    return tuple(proposals)


def _fragments(quote: str) -> set[str]:
    return {normalise_quote(part) for part in re.split(r"\s*(?:…|\.\.\.)\s*", quote) if part.strip()}


def _already(statement: Statement, scenario: Scenario) -> bool:
    """Already in the file: the same party on the same day said every fragment of these words
    (a statement with a fragment the file lacks is new, even when it repeats one it has)."""
    mine = _fragments(statement.quote)
    for other in scenario.statements:
        if other.speaker == statement.speaker and other.date == statement.date \
                and mine <= _fragments(other.quote):
            return True
    return False


# -- meetings ------------------------------------------------------------------------------

def _meeting(mention: MeetingMention, extraction: Extraction, scenario: Scenario | None,
             source: Source | None) -> ProposedMeeting:
    day = mention.date
    participants: list[str] = []
    people: list[str] = []
    if scenario is not None:
        for name in mention.people:
            found = _delegate_by_name(scenario, name)
            if found and _serving(found[1], day):
                participants.append(found[0].id)
                people.append(found[1].name)
        # Parties named in the participants' own words ("U.S. envoys"), not elsewhere in the
        # sentence ("a day after the Moscow round").
        for group in mention.groups:
            for party in _parties_named(scenario, group):
                participants.append(party.id)
    participants = list(dict.fromkeys(participants))
    refused = None
    if scenario is None:
        pass  # read only: nothing to tie it to
    elif not participants:
        refused = "names no party of the scenario among those who met"
    elif len(participants) < 2:
        refused = f"names only one party of the scenario ({participants[0]}) among those who met"
    elif day is None:
        refused = "the sentence does not say when" if extraction.date else \
            "the article's date is not known (give it with --date)"
    elif mention.date_words and fold(mention.date_words) in _VAGUE:
        refused = f"the day is vague ({mention.date_words!r})"
    meeting = None
    if scenario is not None and refused is None and day is not None and not mention.planned:
        meeting = Meeting(date=day, place=mention.place, participants=participants,
                          people=list(dict.fromkeys(people)), summary=mention.sentence,
                          sources=[source.id] if source else [])
    duplicate = meeting is not None and scenario is not None and any(
        m.date <= meeting.date <= (m.end_date or m.date) and
        (fold(m.place) in fold(meeting.place) or fold(meeting.place) in fold(m.place))
        for m in scenario.meetings)
    return ProposedMeeting(sentence=mention.sentence, date=day, place=mention.place,
                           participants=tuple(participants),
                           people=tuple(dict.fromkeys(people)) if scenario is not None else mention.people,
                           meeting=meeting, refused=refused, duplicate=duplicate, planned=mention.planned,
                           groups=mention.groups)


# -- the source ----------------------------------------------------------------------------

def _source(article: Article, extraction: Extraction, scenario: Scenario | None, given: str | None
            ) -> tuple[Source | None, bool]:
    """The source the statements cite: one the scenario has (by id, by address, or the same
    article read before: same title and date), else a new one."""
    if given is not None and not given.strip():
        raise ScenarioError.single("--source", "", "is empty; give a source id of the scenario or the "
                                                   "article's address (https://…)")
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
    title = article.title or extraction.name.rsplit("/", 1)[-1]
    for source in known.values():
        if url and source.url == url:
            return source, False
        if not url and not source.url and source.title == title and source.date == extraction.date:
            return source, False  # the same file read again: the source it gave the first time
    stem = re.sub(r"[^A-Za-z0-9]+", "-", article.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]).strip("-")
    base = (stem or "article")[:48].lower()
    identifier, n = base, 2
    while identifier in known:
        identifier, n = f"{base}-{n}", n + 1
    publisher = re.sub(r"^www\.", "", url.split("/")[2]) if url and url.count("/") >= 2 else None
    return Source(id=identifier, title=title, publisher=publisher, date=extraction.date, url=url), True

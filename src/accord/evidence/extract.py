"""Who said what, where and when: the rule-based reading of one report.

The reader goes through the article once, sentence by sentence, keeping a
:class:`~accord.evidence.people.Register` of the people and organisations
mentioned.  For each quotation it finds the verb of speaking that attributes
it — after the quote when the quote opens the sentence (``"…," X said``),
otherwise the nearest before it (``X called the talks "very constructive"``)
— and reads the speaker from the words next to that verb: a name, a pronoun,
a description or an organisation, resolved as :mod:`accord.evidence.people`
says.  The subject of the verb is the nearest noun phrase before it, so that in
``talks that Kremlin aide Yuri Ushakov described as "businesslike"`` and
``…, which she called "a miracle"`` the speaker is the one inside the
relative clause, not the sentence's subject.

A quote with no verb of its own continues the quote before it only when its
sentence is nothing but quotation (``"…," X said. "But …"``); a quote of the
next paragraph continues one only when that quote was left open at the end of
its paragraph (the wire convention for a quote running on).  Anything else —
``"A farce," read a banner`` — has no speaker: a quote is never attributed
across paragraphs without an explicit reference.

The channel and the date come from the words around the verb, and from a
closing reporting clause (``…, the Kremlin said in a readout``); when they say
nothing, a later quote by the same speaker in the same or the next paragraph
keeps the earlier one's occasion, and a date falls back to the day of the
article's lead, then to the article's own date.  A lead that describes its
speaker ("Ukraine's chief negotiator told reporters …") and names a new person
as the subject of the next paragraph is read as naming that person (the
"delayed identification" lead of wire style).

Meetings are read from main clauses with a verb of meeting ("met", "received",
"hosted", "held talks with", "talks between … and …"): the participants are the
subject and the object of that verb only, and a meeting in the future ("will
meet", "when the delegations meet", "the next round") is marked *planned*.

This is a heuristic reader in the tradition of quotation-attribution systems
(e.g. Pareti et al., "Automatically detecting and attributing indirect
quotations", EMNLP 2013; O'Keefe et al., "A sequence labelling approach to
quote attribution", EMNLP 2012), written for the constructions of wire copy;
its accuracy on hand-labelled sets is measured by ``benchmarks/bench_ingest.py``.
Its work is linear in the article: every step looks at a bounded window
(:data:`WINDOW` characters around a verb, :data:`_LOOKBACK` quotations back,
:data:`~accord.evidence.people.RECENT` people back).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field, replace

from accord.errors import ScenarioError
from accord.evidence import channels, dates
from accord.evidence.nations import nation_of, nations_in
from accord.evidence.people import (
    COLLECTIVE,
    PRONOUNS,
    Entity,
    Register,
    TooManyNames,
    known_nation,
    names_in,
    organisations_in,
    split_noun_phrase,
)
from accord.evidence.quotes import QuoteSpan, curl_single_quotes, find_quotes, mask_quotes, sentences
from accord.evidence.words import fold
from accord.io.article import Article

__all__ = ["MAX_QUOTATIONS", "WINDOW", "Extraction", "MeetingMention", "Quotation", "extract"]

#: Quotes of at most this many words inside a sentence are "scare quotes".
SCARE_WORDS = 2
#: An article with more quotations than this is refused (a long report has a few dozen): the
#: documented bound on the work one `accord ingest` does.
MAX_QUOTATIONS = 2000
#: How many characters either side of a verb of speaking the speaker and occasion are read from
#: (a speaker phrase is a few words; the bound keeps a sentence of many quotes linear).
WINDOW = 300
#: How many quotations back a quote looks for the same speaker's occasion (bounds the work).
_LOOKBACK = 50

_SPEECH = re.compile(
    r"(?<![-\w])(said|says|say|told|tells|added|adds|wrote|writes|posted|stated|declared|warned|warns|"
    r"insisted|insists|argued|noted|stressed|explained|announced|asked|replied|responded|called|calls|"
    r"described|describes|termed|dubbed|accused|accuses|urged|tweeted|confirmed|vowed|pledged|"
    r"promised|acknowledged|admitted|complained|cautioned|predicted|rejected|dismissed|hailed|"
    r"welcomed|praised|criticised|criticized|denounced|condemned|shouted|retorted|quipped|joked|remarked|"
    r"conceded|recalled|countered|maintained|emphasised|emphasized|reiterated|claimed|lamented|"
    r"saying|adding|writing|calling|"
    r"describing|accusing|urging|warning|telling|insisting|[Aa]ccording to|"
    # "who read a statement on its behalf:", "read out a message": reading out is saying (a
    # banner that "read" something says nothing)
    r"read(?=\s+(?:out\b|(?:a|an|the|his|her|its|their)\s+(?:[\w-]+\s+)?(?:statement|declaration|"
    r"message|communiqu[eé]|letter|text)\b)))\b")
_PARTICIPLES = frozenset({"saying", "adding", "writing", "calling", "describing", "accusing", "urging",
                          "warning", "telling", "insisting"})
_AUXILIARIES = frozenset([
    "is", "was", "were", "are", "be", "been", "has", "have", "had", "will", "would", "can", "could",
    "may", "might", "must", "should", "shall", "did", "does", "do", "hit", "met", "made", "broke",
    "held", "left", "took", "gave", "came", "went", "put", "set", "won", "lost", "sent", "kept",
    "spoke", "began", "ran", "got", "sat", "struck", "drew", "stood", "flew", "sought", "brought", "saw",
    "threw", "chose"
])
_NOT_VERBS = frozenset({"armed", "based", "united", "detailed", "limited", "elected", "proposed",
                        "divided", "advanced", "red", "need", "speed", "bed", "shed", "hundred"})
_OPENERS = frozenset([
    "in", "on", "at", "after", "before", "asked", "speaking", "despite", "meanwhile", "however",
    "but", "later", "earlier", "separately", "yet", "also", "aboard", "still", "under", "according",
    "during", "while", "following", "amid", "since", "with", "without", "as", "when", "if"
])
# A comma part that says when, not who: "Last week, the group said", "Late on Tuesday, she …".
_GIVEN_NAME = re.compile(r",\s*(?:who\s+(?:gave|identified)\s+(?:his|her|their|himself|herself)?\s*"
                         r"(?:name\s+)?(?:only\s+)?as|identified\s+only\s+as|known\s+only\s+as|"
                         r"who\s+(?:uses|goes\s+by|went\s+by|used)\s+(?:the\s+)?(?:name|nom\s+de\s+guerre)?)\s+"
                         r"((?:[A-Z][\w’'-]+\s*){1,4}),\s*$")
# Conjunctions that open a new clause inside a comma part: "…, though the Forum said".
_CONJUNCTIONS = frozenset({"though", "although", "while", "whereas", "because", "but",
                           # "…, after Nordavia's fisheries minister accused Skarre of …": a
                           # subordinate clause's subject is the speaker of its verb
                           "after", "before", "once", "until"})
# "…, President Donald Trump's son-in-law": a possessive role after a name is an apposition.
_POSSESSIVE_ROLE = re.compile(r"^(?:[A-Z][\w’'.-]*\s+){0,3}[A-Z][\w’'-]*(?:’s|'s)(?: [a-z-]+){1,3}\.?$")
_DETERMINERS_RE = re.compile(r"^(?:a|an|the)\s+", re.IGNORECASE)
_TIME_PHRASE = re.compile(r"(?:last|this|next|late|early|earlier|later)\b(?:\s+(?:on\s+)?[\w-]+){0,3}$",
                          re.IGNORECASE)
_RELATIVE = frozenset({"who", "which", "whose", "whom", "where", "when", "that"})
# Descriptions that are people's roles (so not organisations) when nobody can be found for them.
_PERSON_HEADS = frozenset([
    "minister", "president", "official", "officials", "diplomat", "diplomats", "spokesman",
    "spokeswoman", "spokesperson", "mediator", "envoy", "negotiator", "commissioner", "chancellor",
    "general", "leader", "aide", "adviser", "chief", "secretary", "ambassador", "representative",
    "delegate", "source", "sources", "commander", "premier", "king", "queen", "head", "chair"
])
#: How many paragraphs from the top a dateline is looked for in (a page's header comes first).
_DATELINE_REACH = 12
_DATELINE = re.compile(
    r"^(?P<city>[A-ZÀ-Þ][A-ZÀ-Þ.'’ -]+?(?:, [A-Z][a-z]+\.?)?)"
    r"(?:,\s*(?:[A-Z][a-z]+\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]+)(?:,\s*\d{4})?)?"
    r"\s*(?:\([^)]{1,40}\))?\s*[-–—]+\s+")
# Words after a subject that are not part of it: "Laurberg later called …", "He again said …".
_ADVERBS = frozenset({
    "later", "also", "again", "then", "too", "earlier", "today", "yesterday", "separately", "meanwhile",
    "however", "himself", "herself", "themselves", "itself", "instead", "only", "alone", "still", "now",
    "repeatedly", "once", "twice", "first", "finally", "already", "publicly", "privately", "reportedly",
    "bluntly", "simply", "quickly", "flatly", "angrily", "openly"})
# A subject phrase starting with one of these names no one in particular ("both sides said").
_QUANTIFIERS = frozenset({"both", "all", "each", "every", "neither", "either", "many", "some", "several",
                          "most", "few", "various", "numerous"})
# An organisation written as a description then its name: "Russia's space agency Roscosmos".
_NAMED_BODY = re.compile(r"(?P<role>(?:[A-Z][\w.’'-]*\s+){0,3}?(?:[A-Z][\w.’'-]*(?:'s|’s)\s+)?"
                         r"(?:(?!(?:and|or|of|for|with|in|at|on|to|by|from|between|than)\s)[a-z][\w-]*\s+){1,3})"
                         r"(?P<name>[A-Z][\w.’'&-]*(?:\s+[A-Z][\w.’'&-]*){0,3})")
# "one of them", "one of the two", "one of the officials": a member of a group named before.
_MEMBER = re.compile(r"(?:one|another|either|neither)\s+of\s+(?P<rest>them|those|these|(?:the|these|those)"
                     r"(?:\s+[\w-]+){1,2})\s*$")
# "Its foreign ministry", "their embassy": a body of whoever the sentence before was about.
_ITS_BODY = re.compile(r"(?:[Ii]ts|[Tt]heir)\s+((?:[a-z-]+\s+){0,3}(?:ministry|government|embassy|"
                       r"delegation|cabinet|presidency|parliament|secretariat|office|agency|army|military))")
_HIS_BODY = re.compile(r"(?:[Hh]is|[Hh]er)\s+((?:[a-z-]+\s+)?(?:office|ministry|government|campaign|party|"
                       r"cabinet|administration|delegation))")
# "at a joint news conference with Dravonian Foreign Minister Tereza Hollan": who else spoke there.
_JOINT = re.compile(r"\bjoint\s+(?:news|press)\s+conference\s+with\s+([^,;.“\"]{3,120})")
_SAME_OCCASION = re.compile(r"\b(?:on|in|at|during|told|to)\s+the\s+same\s+(?:programme|program|broadcast|"
                            r"show|interview|briefing|news conference|press conference|call)\b")
_NUMBERS = frozenset({"two", "three", "four", "five", "six", "several"})
_SINGULAR = {"people": "person", "men": "man", "women": "woman"}
# A group introduced as a speaker: "Two officials", "Several diplomats", "Three people familiar …".
_GROUP = re.compile(r"(?:two|three|four|five|six|several|some|a few|a group of|a number of)\s+[\w-]+")
# A group as the subject of a verb of speaking in a sentence without quotes ("…, two Western
# diplomats said on Friday"): "one of them" and "the diplomat" point back to it later.
_GROUP_SPEAKING = re.compile(r"(?:^|[,;]\s*|\s)((?:[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]ix|[Ss]everal|"
                             r"[Aa] few)\s+(?:[\w’'-]+\s+){0,3}?[a-z][\w-]*s)\s+(?:[a-z]+\s+)?"
                             r"(?:said|say|told|tell|added|warned|confirmed)\b")
_MEETING = re.compile(
    r"\b(?P<verb>met(?: with)?|meets?(?: with)?|received|hosted|visited|held talks with|"
    r"(?:[Tt]alks|[Nn]egotiations) between)\b")
_PLANNED = re.compile(
    r"\b(?:will|would|to|shall|is due to|are due to|expected to|plans? to|planned to|could|may|might)"
    r"\s+(?:\w+\s+)?(?:meet|hold talks|host|visit|open|resume)\b|\bwhen\b[^,;]{0,60}\bmeet\b|"
    r"\b(?:next|a new|another|further) round\b|\bno date\b")
# Where a participant phrase ends: a preposition of place, time or purpose, or a clause.
_PHRASE_END = re.compile(r"\s(?:in|at|on|for|after|before|during|to|over|under|until|since|when|while|"
                         r"but|as|outside|near|amid|despite|without|ahead of|on the sidelines)\s|[;:]|$")
# A body's common noun after its name is part of the name ("the Pravec Energy Charter secretariat").
_BODY_NOUNS = frozenset({"secretariat", "ministry", "commission", "council", "committee", "agency",
                         "authority", "embassy"})
_ORG_RUN = re.compile(r"\b((?:[A-Z][\w’'-]+\s+){0,4}[A-Z][\w’'-]+)\s+"
                      r"(rebels|militia|group|party|alliance|movement|government|army|delegation|"
                      # "the Pravec Energy Charter secretariat": a named body with a common noun
                      r"secretariat|ministry|commission|council|committee|agency|authority|embassy)\b")


@dataclass(frozen=True)
class Quotation:
    """One quotation in the article and what the reader made of it.

    ``speaker`` is a person's full name, an organisation's name, or a description
    nobody could be found for ("U.S. official"); None when nobody is named.
    ``how`` says how the speaker was found: ``named``, ``surname``, ``pronoun``,
    ``description``, ``anonymous`` (an unnamed speaker introduced before: "the official"),
    ``organisation``, ``continues`` (the quote before it), ``lead``
    (a lead's description named in the next paragraph) or ``none``.
    """

    text: str
    kind: str
    paragraph: int
    start: int
    end: int
    sentence: str
    speaker: str | None
    speaker_kind: str | None
    how: str
    roles: tuple[str, ...] = ()
    channel: str | None = None
    place: str | None = None
    date: dt.date | None = None
    date_words: str | None = None
    described_as: str | None = None   # the lead's description, when ``how`` is "lead"


@dataclass(frozen=True)
class MeetingMention:
    """A meeting the article reports: who met where and when (names as written).

    ``people`` are the people named as meeting, ``groups`` the noun phrases of the
    participants (the subject and object of the verb of meeting: "U.S. special envoy
    Steve Witkoff and Jared Kushner"), ``planned`` whether it lies in the future.
    """

    date: dt.date | None
    date_words: str | None
    place: str
    people: tuple[str, ...]
    groups: tuple[str, ...]
    sentence: str
    paragraph: int
    planned: bool = False


@dataclass(frozen=True)
class Extraction:
    """Everything read from one article.

    ``date`` is the date the reading used; ``stated_date`` the one the article itself
    gives (HTML metadata or dateline), if any; ``date_from`` says which ``date`` is.
    """

    name: str
    paragraphs: tuple[str, ...]
    date: dt.date | None
    date_from: str | None
    place: str | None
    title: str | None
    url: str | None
    quotations: tuple[Quotation, ...]
    meetings: tuple[MeetingMention, ...]
    people: tuple[tuple[str, tuple[str, ...]], ...] = ()
    stated_date: dt.date | None = None


@dataclass
class _Draft:
    span: QuoteSpan
    paragraph: int
    sentence: str
    kind: str
    quote_only: bool = False
    speaker: Entity | None = None
    speaker_text: str | None = None
    speaker_kind: str | None = None
    how: str = "none"
    attributed: bool = False
    channel: str | None = None
    place: str | None = None
    date: dt.date | None = None
    date_words: str | None = None
    description: str | None = None
    forced_none: bool = False
    extra: dict[str, str] = field(default_factory=dict)


def extract(article: Article, *, date: dt.date | None = None, date_wins: bool = False) -> Extraction:
    """Read every quotation, its speaker, channel and date, and the meetings in ``article``.

    The reading depends on the article alone: a scenario's delegates are matched to the
    speakers afterwards (:func:`accord.evidence.propose.attribute`), never used to guess who an
    unnamed "minister" is.

    Parameters
    ----------
    article
        The article, as :func:`accord.io.article.read_article` gives it.
    date
        The article's date when the file does not give it (``--date``).
    date_wins
        Use ``date`` even when the file gives its own (``--override-date``).

    Raises
    ------
    ScenarioError
        The article has more than :data:`MAX_QUOTATIONS` quotations or names more than
        :data:`~accord.evidence.people.MAX_ENTITIES` people and organisations.
    """
    # A cookie or consent banner is the site talking, not the report ("Click “OK” to continue"):
    # the HTML reader drops hidden elements it can see; this catches the ones it cannot.
    paragraphs = [curl_single_quotes(p) for p in article.paragraphs if not _is_boilerplate(p)]
    place = None
    # The dateline opens the report's first paragraph, which a web page puts after its headline,
    # byline and captions: the first of the opening paragraphs that starts with one.
    opening = next((n for n, p in enumerate(paragraphs[:_DATELINE_REACH]) if _DATELINE.match(p)), 0)
    if paragraphs:
        match = _DATELINE.match(paragraphs[opening])
        if match:
            place = match.group("city").strip().title()
    stated, stated_from = article.date, "HTML metadata"
    if stated is None:
        stated, stated_from = dates.article_date(paragraphs), "dateline"
    article_day: dt.date | None
    if date is not None and (date_wins or stated is None):
        article_day, date_from = date, "given"
    elif stated is not None:
        article_day, date_from = stated, stated_from
    else:
        article_day, date_from = None, None
    if paragraphs:
        match = _DATELINE.match(paragraphs[opening])
        if match:
            paragraphs[opening] = paragraphs[opening][match.end():]

    count = sum(len(find_quotes(p)) for p in paragraphs)
    if count > MAX_QUOTATIONS:
        raise ScenarioError.single(article.name, "", f"has {count:,} quotations; an article has at most "
                                                     f"{MAX_QUOTATIONS:,} here — is this one report?")
    register = Register()
    reader = _Reader(register, article_day)
    drafts: list[_Draft] = []
    meetings: list[MeetingMention] = []
    # The paragraphs before the dateline are the headline and the byline: the report, and its
    # lead, start at the dateline.  The headline's quotes repeat the report's (resolved below).
    headline, body = paragraphs[:opening], paragraphs[opening:]
    headline_drafts: list[_Draft] = []
    try:
        for number, paragraph in enumerate(headline):
            # Numbered far before the report, so that no lead rule and no quote running on into
            # the next paragraph applies; renumbered below.
            found, _ = reader.paragraph(_HEADLINE_NUMBER + number, paragraph, headline_drafts)
            for draft in found:
                draft.paragraph = number
            headline_drafts.extend(found)
        for number, paragraph in enumerate(body):
            found, met = reader.paragraph(number, paragraph, drafts)
            drafts.extend(found)
            meetings.extend(met)
            if number == 0 and reader.lead_date is None and not opening:
                lead = _without_relative_clauses(paragraph)
                mentions = [m for m in dates.find_dates(lead, article_day) if m.day is not None]
                if mentions:
                    reader.lead_date = _lead_day(lead, mentions)
                    reader.lead_said_on = _said_on(lead, mentions) is not None
        _resolve_late(drafts, reader)
    except TooManyNames as error:
        raise ScenarioError.single(article.name, "", f"{error}; an article names at most that many here "
                                                     "— is this one report?") from None
    _fill_occasions(drafts, reader.lead_date or article_day)
    meetings = [m if m.date is not None or m.paragraph else replace(m, date=reader.lead_date)
                for m in meetings]
    if opening:
        for draft in drafts:
            draft.paragraph += opening
        meetings = [replace(m, paragraph=m.paragraph + opening) for m in meetings]
        _resolve_headline(headline_drafts, drafts)
        _fill_occasions(headline_drafts, reader.lead_date or article_day)
        drafts = headline_drafts + drafts
    quotations = tuple(_freeze(d) for d in drafts)
    people = tuple((e.name, tuple(e.roles)) for e in register.entities if e.kind == "person")
    return Extraction(name=article.name, paragraphs=tuple(paragraphs), date=article_day,
                      date_from=date_from, place=place, title=article.title, url=article.url,
                      quotations=quotations, meetings=tuple(meetings), people=people,
                      stated_date=stated)


_BANNER = re.compile(r"\b(?:cookies?|consent|GDPR)\b", re.IGNORECASE)
_BANNER_ACTION = re.compile(r"\b(?:accept|agree|click|tap|manage|settings|preferences|privacy policy|"
                            r"continue browsing|opt out)\b", re.IGNORECASE)


def _is_boilerplate(paragraph: str) -> bool:
    """A short paragraph about cookies or consent that asks the reader to act: a site's banner."""
    return len(paragraph) <= 400 and bool(_BANNER.search(paragraph)) \
        and bool(_BANNER_ACTION.search(paragraph)) and not _SPEECH.search(paragraph)  # a banner says nothing


def _resolve_late(drafts: list[_Draft], reader: _Reader) -> None:
    """Descriptions read before the person was introduced ("the mediator … Amara Osei, the envoy"),
    and a lead's description named as the next paragraph's subject."""
    register = reader.register
    for draft in drafts:
        if draft.speaker is not None or not draft.description or draft.forced_none:
            continue
        later = register.describe(draft.description)
        if later is not None:
            draft.speaker, draft.how, draft.speaker_kind = later, "description", later.kind
            continue
        named = reader.first_subjects.get(1)
        if draft.paragraph == 0 and named is not None and reader.introduced.get(id(named)) == 1 \
                and _fits_lead(draft.description, named):
            # Not added to the person's roles: the identification is the reader's inference, and a
            # role would let it decide the party of everything else the person says.
            draft.speaker, draft.how, draft.speaker_kind = named, "lead", "person"
    # A lead's words take the channel of the next paragraph's opening sentence by the same speaker
    # ("X said on Thursday …" ¶ "X told reporters in Kyiv …"): wire copy names the occasion of the
    # lead's words there, not again in the lead.
    opening = reader.first_occasion.get(1)
    for draft in drafts:
        # (Not for a description matched to a person by their roles, "the AU mediator saying …"
        # ¶ "Amara Osei, the AU special envoy, told reporters": a summary of the talks' end, whose
        # occasion the dev set labels as unnamed.)
        # A named speaker whose lead dates the saying itself ("union leader X said on Friday")
        # reports an occasion of its own; one that does not ("a step X called "…"") sums up the
        # words the next paragraph reports.
        if draft.paragraph != 0 or draft.channel is not None or draft.speaker is None \
                or draft.how == "description" or (draft.how != "lead" and reader.lead_said_on):
            continue
        if opening is not None and opening[0] is draft.speaker:
            draft.channel = opening[1]
    # "…I will listen more than I speak. ¶ "And then …," she said": a quote left open at the end
    # of its paragraph runs on into the quote that opens the next one, and is that speaker's.
    for index, draft in enumerate(drafts[:-1]):
        after = drafts[index + 1]
        if draft.attributed or draft.forced_none or draft.span.closed or not draft.quote_only \
                or draft.speaker is not None or draft.speaker_text is not None:
            continue
        if after.paragraph == draft.paragraph + 1 and after.span.start == 0 and after.kind == "full" \
                and (after.speaker is not None or after.speaker_text is not None):
            draft.speaker, draft.speaker_text = after.speaker, after.speaker_text
            draft.speaker_kind, draft.how = after.speaker_kind, "continues"
            draft.channel = draft.channel or after.channel
            if draft.date is None:
                draft.date, draft.date_words = after.date, after.date_words
    # The quotes that continue one resolved late take its speaker too.
    for index, draft in enumerate(drafts):
        if draft.how == "continues" and draft.speaker is None and index:
            source = next((d for d in reversed(drafts[max(0, index - _LOOKBACK):index])
                           if d.how != "continues"), None)
            if source is not None and source.speaker is not None and source.paragraph >= draft.paragraph - 1:
                draft.speaker, draft.speaker_kind = source.speaker, source.speaker_kind


_HEADLINE_NUMBER = -1_000_000


def _resolve_headline(headline: list[_Draft], body: list[_Draft]) -> None:
    """A headline's quotation repeats words the report quotes: unless the headline names its
    speaker by a proper name ("'A week away', Petrania says"), the speaker and the day are those
    of the first quotation of the report that holds the same words ("Rebels call draft 'a
    trap'" → the Front that called it "a trap" in the body); the headline names no channel."""
    for draft in headline:
        if draft.forced_none:
            continue
        phrase = draft.extra.get("phrase", "").strip(" ,")
        if draft.speaker is not None and phrase and _proper(phrase):
            continue
        words = _comparable(draft.span.text)
        if not words:
            continue
        source = next((b for b in body if words in _comparable(b.span.text)
                       and (b.speaker is not None or b.speaker_text is not None)), None)
        if source is None:
            continue
        draft.speaker, draft.speaker_text = source.speaker, source.speaker_text
        draft.speaker_kind, draft.how = source.speaker_kind, "headline"
        draft.date, draft.date_words = source.date, source.date_words
        draft.channel = draft.place = None


def _comparable(text: str) -> str:
    """Words folded, without punctuation or the kind of quote mark, for finding the same words."""
    return " ".join(re.findall(r"\w+", fold(text)))


def _fits_lead(description: str, person: Entity) -> bool:
    """Whether a lead's definite description ("Ukraine's chief negotiator") may be ``person``: a
    person's role, and no nationality of theirs that contradicts it."""
    words = fold(description).split()
    if not words or words[0] in ("a", "an") or words[-1].rstrip("s") not in _PERSON_HEADS:
        return False
    # Titled already ("Secretary of State Marco Rubio"): the description must be that title.  An
    # apposition ("Rustem Umerov, the secretary of the Security Council,") names another post the
    # person holds, which a lead's description ("Ukraine's chief negotiator") need not repeat.
    titles = [r for r in person.roles if not _DETERMINERS_RE.match(r)]
    roles = {w for r in titles for w in re.findall(r"[\w’'.-]+", fold(r))}
    if roles and words[-1].rstrip("s") not in roles and words[-1] not in roles:
        return False
    theirs = person.nationalities()
    said = nations_in(description)
    return not theirs or not said or bool(theirs & said)


def _freeze(draft: _Draft) -> Quotation:
    entity = draft.speaker
    speaker = entity.name if entity is not None else draft.speaker_text
    return Quotation(
        text=draft.span.text, kind=draft.kind, paragraph=draft.paragraph, start=draft.span.start,
        end=draft.span.end, sentence=draft.sentence, speaker=speaker,
        speaker_kind=entity.kind if entity is not None else draft.speaker_kind, how=draft.how,
        roles=tuple(entity.roles) if entity is not None else (), channel=draft.channel,
        place=draft.place, date=draft.date, date_words=draft.date_words,
        described_as=draft.description if draft.how == "lead" else None)


# People who speak for someone else, or whom reports keep anonymous: "the spokesman said" after
# the minister spoke is another person, so these never point back to the person in focus.
_OTHER_VOICES = frozenset({"spokesman", "spokeswoman", "spokesperson", "official", "source", "diplomat",
                           "person", "aide", "adviser", "advisor", "delegate", "representative",
                           "negotiators", "officials", "sources", "diplomats", "people", "lawyer"})
# Offices a report states when it names someone: "the minister" for a person not called a minister
# is someone else (the minister of the country), so an office never points to the person in focus.
_OFFICES = frozenset({"minister", "president", "secretary", "chancellor", "premier", "king", "queen",
                      "ambassador", "commissioner", "general", "governor", "mayor", "envoy", "mediator",
                      "senator", "judge", "commander", "chair", "chairman", "chairwoman", "prince",
                      "emir", "sheikh", "speaker"})


# Words that say who someone is or was, not which office they hold now: "the veteran diplomat",
# "the former general", "the rebel commander" describe the person just named (the elegant
# variation of wire copy), even when the noun is an office or a voice for others.
_EPITHET = re.compile(r"^the\s+(?:[\w-]+\s+)?(?:veteran|former|retired|seasoned|longtime|long-serving|"
                      r"onetime|one-time|ex-\w+|rebel|exiled|ousted|outgoing|career)\b")


def _personal_head(head: str) -> bool:
    """Whether a description's last word names a person's role or occupation ("leader",
    "banker", "economist", "politician"), not a body or a thing, nor a voice for someone else."""
    if head in _OTHER_VOICES or head in _OFFICES or head in COLLECTIVE or head.endswith("s"):
        return False
    return head in _PERSON_HEADS or bool(re.fullmatch(r"[a-z]{3,}(?:er|or|ist|ian|man|woman)", head))


def _lead_day(lead: str, mentions: list[dates.DateMention]) -> dt.date | None:
    """The day of the lead's own reporting: the date a verb of speaking governs ("talks collapsed
    yesterday …, the union said on Tuesday" → Tuesday), else the first date it names.  Only the
    words between the verb and the date (a few, no comma) tie them: "said on Tuesday", "told
    reporters late on Tuesday"."""
    governed = _said_on(lead, mentions)
    return governed.day if governed is not None else mentions[0].day


def _said_on(lead: str, mentions: list[dates.DateMention]) -> dates.DateMention | None:
    """The date a verb of speaking of the lead governs ("said on Tuesday"), or None."""
    for mention in mentions:
        for verb in _SPEECH.finditer(lead, max(0, mention.start - 60), mention.start):
            between = lead[verb.end():mention.start]
            if "," not in between and len(between.split()) <= 4 and not re.search(r"[“”\"]", between):
                return mention
    return None


def _fill_occasions(drafts: list[_Draft], default: dt.date | None) -> None:
    """Same speaker, same occasion: a quote without its own channel or date keeps the one before."""
    for index, draft in enumerate(drafts):
        previous = None
        for earlier in reversed(drafts[max(0, index - _LOOKBACK):index]):
            if draft.paragraph - earlier.paragraph > 1:
                break
            if _same_speaker(earlier, draft):
                previous = earlier
                break
        if previous is not None and "relative" in previous.extra and "relative" not in draft.extra:
            previous = None  # 'Venn, who had called it "fantasy" last week, said …': another occasion
        if previous is not None and re.search(r"\bseparately\b|\bin a separate\b", draft.sentence):
            previous = None  # "The minister said separately …": a new occasion
        if previous is not None:
            # A quote dated on its own ("She said Wednesday …") is a new occasion, and so is one in a
            # new paragraph unless it is a whole quote ("X told reporters …" ¶ "…," X said.):
            # the occasion of the one before is not carried to it.
            # "The ministry added that …", "asked on the same programme": the words go on from the
            # same occasion, in a new paragraph too.
            scene = previous.paragraph == draft.paragraph or draft.how in ("continues", "lead") \
                or previous.how == "lead" \
                or draft.kind == "full" or draft.extra.get("verb") in ("added", "adds", "adding") \
                or bool(_SAME_OCCASION.search(draft.sentence))
            if draft.channel is None and scene and (draft.date is None or draft.how == "continues"):
                draft.channel = previous.channel
            if draft.place is None and scene:
                draft.place = previous.place
            if draft.date is None and scene:
                draft.date, draft.date_words = previous.date, previous.date_words
        if draft.date is None and draft.channel == "interview":
            # "In an interview with the daily Courier published on Wednesday, X said …" … "X told the
            # Courier": the same speaker's interview is one interview, dated by its publication.
            interview = next((e for e in reversed(drafts[max(0, index - _LOOKBACK):index])
                              if e.channel == "interview" and _same_speaker(e, draft) and e.date is not None
                              and e.date_words != "the article's lead"), None)
            if interview is not None:
                draft.date, draft.date_words = interview.date, interview.date_words
        if draft.date is None:
            draft.date = default
            draft.date_words = "the article's lead" if default else None


def _same_speaker(a: _Draft, b: _Draft) -> bool:
    if a.speaker is not None or b.speaker is not None:
        return a.speaker is b.speaker
    return a.speaker_text is not None and a.speaker_text == b.speaker_text


class _Reader:
    def __init__(self, register: Register, article_day: dt.date | None) -> None:
        self.register = register
        self.day = article_day
        self.lead_date: dt.date | None = None
        # Whether the lead dates a verb of speaking itself ("the union said on Friday").
        self.lead_said_on = False
        self.paragraph_number = 0
        # Channels named for an entity in a sentence without quotes, and the paragraph.
        self.occasions: dict[int, tuple[str, int]] = {}
        # People a speaker shared a named occasion with ("a joint news conference with Y").
        self.joint: dict[int, tuple[str, int]] = {}
        # The named person who is the subject of each paragraph's first sentence, and the
        # paragraph each person was first named in (for a lead's delayed identification).
        self.first_subjects: dict[int, Entity] = {}
        # The subject of each paragraph's first sentence and the channel that sentence names.
        self.first_occasion: dict[int, tuple[Entity, str]] = {}
        self.introduced: dict[int, int] = {}
        self.sentence_subject: Entity | None = None
        # The last day a sentence of this paragraph named (for "that evening", "the same day").
        self.scene_date: dt.date | None = None
        # Unnamed speakers introduced with an indefinite description: (text, head, paragraph).
        self.anonymous: list[tuple[str, str, int]] = []
        # Unnamed groups introduced as speakers ("Two officials …"): (text, paragraph).
        self.groups: list[tuple[str, int]] = []
        self.focus_alone = False
        # The lead's descriptions of speakers nobody was found for ("Nordavia's fisheries minister").
        self.lead_descriptions: list[str] = []
        # The sentence before, masked (its subject is the owner of "Its foreign ministry").
        self.previous_clause = ""
        # A paragraph ending in a colon: (its number, its subject, the channel it names).
        self.introduces: tuple[int, Entity, str | None] | None = None

    def paragraph(self, number: int, text: str, earlier: list[_Draft]
                  ) -> tuple[list[_Draft], list[MeetingMention]]:
        self.paragraph_number = number
        self.scene_date = None
        spans = find_quotes(text)
        masked = mask_quotes(text, spans)
        # Nicknames in quotes ("Tomás “El Viejo” Aranda") are part of a name, not speech.
        masked = re.sub(r"(?<=[A-Za-z] )[“\"][A-Z][\w ]{0,30}[”\"](?= [A-Z])",
                        lambda m: " " * len(m.group(0)), masked)
        drafts: list[_Draft] = []
        meetings: list[MeetingMention] = []
        starts = [s.start for s in spans]
        for position, sentence in enumerate(sentences(text, spans)):
            clause = masked[sentence.start:sentence.end]
            words = text[sentence.start:sentence.end]
            first = bisect.bisect_left(starts, sentence.start)
            inside = spans[first:bisect.bisect_left(starts, sentence.end)]
            self._register_names(clause)
            self.sentence_subject = None
            if inside:
                # The subject named in this sentence (not a pronoun), for a pronoun later in it.
                head = self._main_subject(clause)
                if not re.match(r"\W*(?:he|she|they|it|we)\b", head, re.IGNORECASE):
                    self.sentence_subject = self._resolve(head)[0]
            verbs = _Verbs(list(_SPEECH.finditer(clause)), [s.end - sentence.start for s in inside])
            # The clause is masked: letters left in it are words outside the quotations.
            quote_only = not re.search(r"[^\W\d_]", clause)
            for span in inside:
                draft = self._quote(number, span, sentence.start, clause, words, verbs)
                draft.quote_only = quote_only
                drafts.append(draft)
            if not inside:
                self._note_occasion(clause, drafts or earlier[-1:])
                for group in _GROUP_SPEAKING.finditer(clause):
                    self.groups.append((group.group(1), number))
                    del self.groups[:-_LOOKBACK]
            meeting = self._meeting(number, clause, words)
            if meeting:
                meetings.append(meeting)
            subject = self._update_subject(clause, drafts, bool(inside))
            if not inside and subject is not None and clause.rstrip().endswith(":") \
                    and sentence.end >= len(text.rstrip()):
                # "In a written note …, Voss set out his view:" ¶ "…": a paragraph ending in a
                # colon introduces the quotation that makes up the next one.
                self.introduces = (number, subject, channels.find_channel(clause))
            named = [m.day for m in dates.find_dates(_without_relative_clauses(clause), self.day)
                     if m.day is not None]
            if named and not _PLANNED.search(clause):  # "will meet again on June 2" is no scene
                self.scene_date = named[-1]
            if position == 0 and subject is not None and subject.kind == "person":
                self.first_subjects[number] = subject
            self.previous_clause = clause
            if position == 0 and number == 1:
                speaker = subject or (drafts[0].speaker if drafts else None)
                said = channels.find_channel(clause) or next(
                    (d.channel for d in drafts if d.channel and d.speaker is speaker), None)
                if speaker is not None and said:
                    self.first_occasion[number] = (speaker, said)
        self._continue(number, text, drafts, earlier)
        return drafts, meetings

    def _continue(self, number: int, text: str, drafts: list[_Draft], earlier: list[_Draft]) -> None:
        """Quotes with no verb of their own, in a sentence of nothing but quotation: the one before
        in the paragraph, else the next; the first of a paragraph continues the last quote of the
        paragraph before only when that one was left open (a quote running on)."""
        for index, draft in enumerate(drafts):
            if draft.attributed or draft.forced_none or not draft.quote_only:
                continue
            window = drafts[max(0, index - _LOOKBACK):index]
            source = next((d for d in reversed(window) if d.attributed or d.how == "continues"), None)
            if source is None:
                source = next((d for d in drafts[index + 1:index + 1 + _LOOKBACK] if d.attributed), None)
            if source is None and index == 0 and earlier and earlier[-1].paragraph == number - 1 \
                    and not earlier[-1].span.closed and text.lstrip()[:1] in "“\"‘":
                source = earlier[-1]
            if source is None and index == 0 and text.lstrip()[:1] in "“\"‘" \
                    and self.introduces is not None and self.introduces[0] == number - 1:
                # "…, Voss set out his view:" ¶ "…": the speaker the colon introduced.
                _, who, channel = self.introduces
                draft.speaker, draft.speaker_kind, draft.how = who, who.kind, "continues"
                draft.channel = draft.channel or channel
                continue
            if source is None and index == 0 and all(d.quote_only for d in drafts) and earlier \
                    and earlier[-1].paragraph == number - 1 and earlier[-1].span.closed \
                    and earlier[-1].kind == "full" and earlier[-1].speaker is not None \
                    and (earlier[-1].attributed or earlier[-1].how == "continues"):
                # "“…,” she said at a rally. “…”" ¶ "“Those days are over.”": a paragraph of
                # nothing but a quotation goes on with the speaker who just spoke (wire style).
                source = earlier[-1]
            if source is not None:
                draft.speaker, draft.speaker_text = source.speaker, source.speaker_text
                draft.speaker_kind, draft.how = source.speaker_kind, "continues"
                draft.description = source.description

    # -- the people of a sentence --

    def _register_names(self, clause: str) -> None:
        segments = [s.strip() for s in clause.split(",")]
        previous: Entity | None = None
        for index, segment in enumerate(segments):
            if not segment:
                continue
            for match in _ORG_RUN.finditer(segment):
                name = re.sub(r"^(?:The|A|An|Its|Their|His|Her)\b\s*", "", match.group(1))
                single = bool(name) and " " not in name and not self.register.by_name(name)
                if name and (name.endswith(("'s", "’s")) or single or match.group(2) in _BODY_NOUNS):
                    # "Kerrany's delegation", "the Icelandic army": one organisation, not the adjective
                    name = f"{name} {match.group(2)}"
                # (A run before the body's noun is no person: "the Pravec Energy Charter secretariat".)
                if name and not split_noun_phrase(f"{name} {match.group(2)}")[0]:
                    self.register.organisation(name, [match.group(2)])
            for name in organisations_in(segment):
                self.register.organisation(name)
            found = names_in(segment)
            if not found and re.fullmatch(r"[A-Z][\w’'-]+", segment):
                # "Kushner, Trump's son-in-law, told …": an apposition after a known surname.
                known = self.register.by_name(segment)
                if known is not None and index + 1 < len(segments):
                    known = self._by_surname(segment, segments[index + 1]) or known
                if known is not None and known.kind == "person":
                    found = [(known.name, [])]
            for number, (name, roles) in enumerate(found):
                # Appositions: "Ruth Bekele" between "water minister," and ", who …" or ", the envoy,"
                # (before the first name of a part, after the last one).
                bare = segment.rstrip(".")  # "…, its ambassador, Pavel Nyberg." ends the sentence
                if number == 0 and (bare == name or bare == name.split()[-1]
                                    or (bare.endswith(name) and not roles)):
                    before = segments[index - 1] if index else ""
                    if before and not _is_description(before):
                        # "… was represented by its ambassador, Pavel Nyberg": the apposition is
                        # the noun phrase that ends the part before, from its determiner on.
                        if trailing := _trailing_description(before):
                            roles = [*roles, trailing]
                    elif before and not before.isdigit():
                        roles = [*roles, before]
                after = segments[index + 1] if index + 1 < len(segments) else ""
                ends_here = number == len(found) - 1 and segment.rstrip().endswith(name.split()[-1])
                if ends_here and re.fullmatch(r"\d{1,3}", after):
                    # "Jane Doe, 64, a former banker, said": the age, then perhaps the apposition.
                    roles = [*roles, after]
                    after = segments[index + 2] if index + 2 < len(segments) else ""
                if ends_here and after and (
                        (_is_description(after) and after.split()[0].lower() in ("the", "a", "an"))
                        or _POSSESSIVE_ROLE.match(after)):
                    roles = [*roles, after.rstrip(".")]
                if previous is None and index and any(re.search(r"\bcounterparts?\b", r) for r in roles) \
                        and self.register.last_subject is not None \
                        and self.register.last_subject.kind == "person":
                    # "Her counterpart from Norvania, Lars Okonkwo-Hale, replied": the counterpart
                    # of the person the sentence before was about.
                    previous = self.register.last_subject
                if previous is not None and any(re.search(r"\bcounterparts?\b", r) for r in roles):
                    # "Uruguay's transport minister, Ana Ruiz, and her Brazilian counterpart, Rui
                    # Lopes": a counterpart holds the same office — "the Brazilian minister".
                    office = _office_of(previous)
                    if office:
                        roles = [*roles, *(re.sub(r"\bcounterparts?\b", office, r) for r in roles
                                           if re.search(r"\bcounterparts?\b", r))]
                entity = self.register.person(name, roles)
                self.introduced.setdefault(id(entity), self.paragraph_number)
                previous = entity

    def _by_surname(self, surname: str, apposition: str) -> Entity | None:
        """Which of the people sharing ``surname`` an apposition means ("Horvath, the Kareth
        minister," when the article has two Horvaths): the one whose roles hold every word of
        it, or None when not exactly one does."""
        wanted = {w for w in re.findall(r"[\w’'-]+", fold(apposition)) if w not in ("the", "a", "an")}
        if not wanted:
            return None
        fits = [e for e in self.register.recent("person")
                if fold(e.name).split()[-1] == fold(surname) and wanted <= e.role_words()]
        return fits[0] if len(fits) == 1 else None

    def _update_subject(self, clause: str, drafts: list[_Draft], quoted: bool) -> Entity | None:
        subject, described = self._resolve(self._main_subject(clause))[:2]
        if subject is None and quoted and drafts and drafts[-1].speaker is not None:
            subject = drafts[-1].speaker  # "…," said X: X is who the next "he" is
        elif subject is None and (described or (quoted and drafts and drafts[-1].speaker_text)):
            # "An economist at Nordbank said …": an unnamed speaker is in focus now, not the
            # person before, so "the economist" cannot fall back to them.
            self.focus_alone = False
        if subject is not None:
            self.register.last_subject = subject
            # Others named in the sentence, leaving out places ("a rally outside City Hall").
            plain = _without_relative_clauses(clause)
            others = {name for name, _ in names_in(plain)
                      if not re.search(rf"\b(?:in|at|outside|inside|near|from)\s+(?:the\s+)?"
                                       rf"{re.escape(name)}", plain)} - {subject.name}
            self.focus_alone = not any(self.register.by_name(n) is not subject for n in others)
        if not quoted and subject is not None:
            # "The rebels confirmed the truce on Telegram." — the occasion of what they say next.
            channel = channels.find_channel(clause)
            if channel:
                self.occasions[id(subject)] = (channel, self.paragraph_number)
        return subject

    # -- one quotation --

    def _quote(self, number: int, span: QuoteSpan, offset: int, clause: str, words: str,
               verbs: _Verbs) -> _Draft:
        start, end = span.start - offset, span.end - offset
        at_start = not clause[:start].strip(" “\"‘")
        kind = "full" if at_start or clause[:start].rstrip().endswith(":") else (
            "scare" if span.words <= SCARE_WORDS else "partial")
        draft = _Draft(span=span, paragraph=number, sentence=words.strip(), kind=kind)
        if re.search(r"\bso-called\s*$", clause[max(0, start - 20):start]):
            draft.forced_none = True  # the so-called "frugal" group: nobody is quoted
            return draft
        if kind != "full" and _in_question(clause[max(0, start - WINDOW):start]):
            # "Robles, asked whether a “blackout” was possible, said": the question's word, the
            # reporter's, not the speaker's.
            draft.forced_none = True
            return draft
        left, right = verbs.before(start), verbs.after(end)
        if left is not None and left.group(1).lower() == "according to" \
                and not clause[left.end():start].strip():
            # 'shared out according to "a formula nobody loves", X said': a source is named after
            # "according to", never quoted; the quote is the thing shared out by, and the
            # verb that attributes it is the one after (or none).
            left = None
        if left is not None and not at_start:
            left = _reporting_verb(clause, left, verbs)
        verb = right if at_start or left is None else left
        if verb is None:
            return draft
        if verb is right and not at_start and kind != "full" \
                and not clause[end:verb.start()].strip(" ,”\"’") \
                and not (verb.group(1).lower() == "according to"
                         and re.fullmatch(r"[^,;:]*", clause[verb.end():])):
            # 'The net contributors, known as the "Net Five", said …': a quote inside the subject
            # names something; the verb after it is the subject's, not the quote's.  (But '…
            # "within days," according to X.' closing the sentence is X's, while 'The "term",
            # according to X, includes …' is still the subject's name for something.)
            return draft
        draft.attributed = True
        draft.extra["verb"] = verb.group(1).lower()
        if re.search(r",\s*(?:who|which)\b[^,]*$", clause[:start]):
            draft.extra["relative"] = "yes"  # the quote is inside a relative clause about someone
        phrase = self._speaker_phrase(clause, verb, start, end, verbs)
        draft.extra["phrase"] = phrase
        document = _DOCUMENT.match(phrase.strip(" ,"))
        if document is not None and document.group(1).lower() in _UNSIGNED:
            # "The draft, a copy of which was seen by Wire, calls for "…"": a text nobody has
            # put their name to says nothing in anyone's voice.
            draft.forced_none, draft.attributed = True, False
            return draft
        entity, text, kind_of, how = self._resolve(phrase)
        draft.speaker, draft.speaker_text, draft.speaker_kind, draft.how = entity, text, kind_of, how
        if entity is None and kind_of == "description" and how != "anonymous":
            draft.description = _TIME_TAIL.sub("", phrase.strip(" ,"))  # not "… on Tuesday"
            if number == 0:
                self.lead_descriptions.append(draft.description)
        # The occasion: the words around the verb, not those inside what was reported.
        raw = words[start:end].rstrip("”\"’'")
        around = _occasion_text(clause, verb, start, end, verbs,
                                set_off=raw.endswith(",") or words[end:end + 1] == ",")
        draft.channel = channels.find_channel(around)
        if document is None and verb.start() < start:
            document = _DOCUMENT.match(clause.strip(" “\"‘"))  # the sentence's own subject
            if document is not None and document.group(1).lower() in _UNSIGNED:
                document = None  # ("The text was agreed on Friday, X said": no channel)
        if draft.channel is None and document is not None:
            # "The letter, signed by the committee's chair, …, said": the words came in writing.
            draft.channel = "statement"
        if draft.channel is None and entity is not None and id(entity) in self.occasions:
            channel, paragraph = self.occasions[id(entity)]
            if number == paragraph:  # the same scene: a new paragraph is a new occasion
                draft.channel = channel
        if draft.channel is None and draft.date is None and entity is not None and id(entity) in self.joint:
            # "…," X said at a joint news conference with Y. ¶ "Y said …": Y spoke there too.
            channel, paragraph = self.joint[id(entity)]
            if number - paragraph <= 1:
                draft.channel = channel
        draft.place = channels.find_place(around)
        if draft.channel is not None:
            joint = _JOINT.search(around)
            if joint is not None:
                for name, _ in names_in(joint.group(1)):
                    other = self.register.by_name(name)
                    if other is not None and other is not entity:
                        self.joint[id(other)] = (draft.channel, number)
        mention = _first_date(around, self.day)
        if mention is not None:
            draft.date, draft.date_words = mention.day, mention.words
        elif self.scene_date is not None and (same := dates.SAME_DAY.search(around)):
            # "said in his nightly address that evening": the day the paragraph named before.
            later = dt.timedelta(days=1 if same.group(1) else 0)
            draft.date, draft.date_words = self.scene_date + later, same.group(0)
        return draft

    def _speaker_phrase(self, clause: str, verb: re.Match[str], start: int, end: int,
                        verbs: _Verbs) -> str:
        word = verb.group(1)
        if word.lower() == "according to":  # "…, according to the foreign ministry": what follows names it
            after = clause[verb.end(): verb.end() + WINDOW]
            stop = re.search(r"[,;:.“\"]", after)
            return after[: stop.start()] if stop else after
        if verb.start() >= end:  # "…," X said  /  "…," said X
            between = clause[end:verb.start()]
            if between.strip(" ,"):
                return between[-WINDOW:]
            after = clause[verb.end(): verb.end() + WINDOW]
            stop = re.search(r"[“\"]|\bthat\b", after)
            return after[: stop.start()] if stop else after
        # The verb comes before the quote.
        clause_start = verbs.quote_end_before(verb.start())
        if 0 < clause_start <= verb.start() and not clause[clause_start:verb.start()].strip(" ,”\"’") \
                and not re.search(r"[^\W\d_]", clause[:clause_start]):
            # "…," said Amina Diallo, the envoy, "but …": the speaker is named between the halves.
            return clause[verb.end():start]
        if clause_start and (_in_relative_clause(clause[max(0, verb.start() - WINDOW):verb.start()])
                             or _in_question(clause[max(0, clause_start - WINDOW):clause_start])):
            # 'Venn, who had called the demands "fantasy" last week, said …': the quote before
            # is inside a relative clause about the subject, which comes before it.
            clause_start = 0
        before = clause[max(clause_start, verb.start() - WINDOW):verb.start()]
        stripped = before.rstrip()
        if word == "saying" and re.search(r"\b(?:was|were|is|are|has been|had been)\s+quoted\b[^.;“\"]{0,80}"
                                          r"\bas\s*$", stripped):
            # "Vogt was quoted by the Harbour Times as saying": the passive's subject said it.
            return self._main_subject(clause[:max(clause_start, verb.start() - WINDOW) + len(before)])
        if word in _PARTICIPLES and stripped.endswith(","):
            # "…, the Council, which mediates, said in a statement, calling the mood "…"": the
            # subject of the verb the participle hangs on, when there is one.
            main = verbs.before(verb.start() - 1)
            if main is not None and main.group(1) not in _PARTICIPLES and main.end() <= verb.start() - 1 \
                    and main.group(1).lower() != "according to":
                return self._speaker_phrase(clause, main, start, end, verbs)
        if re.search(r"(?:^|\s)(?:and|but)$", stripped) or (word in _PARTICIPLES and stripped.endswith(",")) \
                or (not stripped.strip(" ,") and clause_start > 0):
            return self._main_subject(clause)
        if word in _PARTICIPLES:
            # "with the mediator saying …": the words just before, back to a preposition.
            tokens = stripped.split()
            kept: list[str] = []
            for token in reversed(tokens):
                if token.lower() in ("with", "and", "as", "after", "while", "by") or token.endswith(","):
                    break
                kept.append(token)
            return " ".join(reversed(kept))
        return _nearest_subject(before)

    def _main_subject(self, clause: str) -> str:
        head = clause[:WINDOW]
        # "Asked by a reporter whether …, Ibsen smiled", "In a written note to …, seen by Wire,
        # Voss set out …": an opening aside or adverbial, up to its comma, is not the subject.
        while (comma := head.find(",")) > 0 and (
                _is_aside(head[:comma]) or re.match(r"\s*(?:In|On|At|During|After|Before|Later|Earlier)\s+"
                                                    r"(?:a|an|the|his|her|its|their)\b", head[:comma])
                or (re.match(r"\s*[a-z]+ed\s+by\b", head[:comma]))):
            head = head[comma + 1:]
        found = list(re.finditer(r"[\w’'-]+", head))
        words = [m.group(0) for m in found]
        verbs = [m.start() for n, m in enumerate(found)
                 if _verb_like(m.group(0)) and not _modifies_source(words, n)]
        return head[: verbs[0]] if verbs else head

    def _resolve(self, phrase: str) -> tuple[Entity | None, str | None, str | None, str]:
        """The entity a subject phrase names: (entity, text when no entity, kind, how)."""
        parts = _noun_phrases(phrase)
        if not parts:
            return None, None, None, "none"
        for part in parts:
            name, roles = split_noun_phrase(part)
            if name is not None:
                # (A bare number is an age, read with the name it follows in _register_names.)
                extra = [p for p in parts if p != part and _is_description(p) and not p.isdigit()]
                entity = self.register.person(name, [*roles, *extra])
                self.introduced.setdefault(id(entity), self.paragraph_number)
                return entity, None, "person", "named"
        if len(parts) >= 2 and _is_description(parts[0]) and _with_list(parts) == parts[0] \
                and re.match(r"(?:the|a|an|two|three|four|both)\s|[A-Z][\w’'-]*(?:’s|'s)\s", parts[0],
                             re.IGNORECASE):
            # "The pipeline's operator, Northway Transit AG, said", "A shipping industry group,
            # the Varn Owners' Association, said", "The group's chair, Belcastro, which …": a
            # description, then its name — the name is the speaker (a known one, else a body:
            # a person's name was read above).
            for part in parts[1:]:
                named = re.sub(r"^(?:the|a|an)\s+", "", part, flags=re.IGNORECASE).strip()
                if named[:1].isupper() and _proper(named) and fold(named) not in PRONOUNS \
                        and not _TIME_LEAD.match(f"{named} X"):
                    known = self.register.by_name(named)
                    if known is not None:
                        return self.register.mention(known), None, known.kind, "surname"
                    entity = self.register.organisation(named, [parts[0]])
                    return entity, None, "organisation", "organisation"
        first = _with_list(parts)
        owned = _ITS_BODY.fullmatch(first.strip())
        if owned is not None:
            # "Essaly, the smaller of the two, was more guarded. Its foreign ministry said": the
            # body of the place or organisation the sentence before was about.
            owner = re.match(r"(?:The\s+)?((?:[A-Z][\w’'-]+\s+){0,3}?[A-Z][\w’'-]+?)(?:’s|'s)?(?=[\s,]|$)",
                             self._main_subject(self.previous_clause).strip())
            known = self.register.by_name(owner.group(1)) if owner else None
            if owner is not None and (known is None or known.kind != "person") \
                    and fold(owner.group(1)) not in PRONOUNS:
                entity = self.register.organisation(f"{owner.group(1)}’s {owned.group(1)}")
                return entity, None, "organisation", "organisation"
        personal = _HIS_BODY.fullmatch(first.strip())
        if personal is not None:
            # "Petar Kovač … signed without speaking. His office later released a statement": the
            # office of the person the sentence before was about, a body that speaks for them.
            owner = self.register.last_subject
            if owner is None or owner.kind != "person":
                owner = next(iter(self.register.recent("person")), None)
            if owner is not None:
                entity = self.register.organisation(f"{owner.name}’s {personal.group(1)}")
                return entity, None, "organisation", "organisation"
        bare = re.sub(r"^(?:the|a|an)\s+", "", first, flags=re.IGNORECASE).strip()
        folded = fold(bare)
        tokens = folded.split()
        member = _MEMBER.match(folded)
        if member is not None:
            # "Two officials who declined to be named said … “…,” one of them said": one of the
            # group just introduced speaks for it, whatever word points back ("them", "those",
            # "the two", "the officials").
            group = self._group_for(member.group("rest"))
            if group is not None:
                return None, group, "description", "anonymous"
        if not tokens or tokens[0] in _QUANTIFIERS or re.match(r"the (?:two|three|four) ", fold(first)):
            return None, None, None, "none"  # "both sides said": nobody in particular
        if tokens[0] in PRONOUNS:  # "he", "he again", "she also"
            # "X said …, which she called …": the sentence's own subject, else the one before.
            subject = self.sentence_subject or self.register.last_subject
            if tokens[0] in ("he", "she") and (subject is None or subject.kind != "person"):
                # "The United States would not …, she said": "he" and "she" are people, never
                # the country or agency the sentence is about; the person mentioned last.
                subject = next(iter(self.register.recent("person")), None)
            if subject is not None:
                return self.register.mention(subject), None, subject.kind, "pronoun"
            return None, None, None, "none"
        lead_word = re.match(r"([A-Z][\w’'-]+)\s+[a-z]", first.strip())  # no "a", "the" before it
        if lead_word:
            # "Brenner struck a softer tone …": a known surname followed by its verb.
            known = self.register.by_name(lead_word.group(1))
            if known is not None and known.kind == "person":
                return self.register.mention(known), None, "person", "surname"
        if re.fullmatch(r"[A-Z][\w’'-]+", bare):
            known = self.register.by_name(bare)
            if known is not None and len(parts) > 1:
                known = self._by_surname(bare, parts[1]) or known
            if known is not None:
                return self.register.mention(known), None, "person", "surname"
        definite = re.match(r"(?:the\s|[A-Z][\w’'-]*(?:’s|'s)\s)", first, flags=re.IGNORECASE)
        if definite and re.fullmatch(r"[A-Z][a-z]+", bare):
            # "the Norwegian told reporters": a demonym alone is the person of that nationality.
            national = self.register.by_nationality(bare)
            if national is None and (code := known_nation(bare)) is not None:
                # Nobody's roles give that nationality: wire copy names a nationality only of the
                # person in focus ("Sean Brady … the Irishman said") — taken when one person
                # alone is in focus and their roles give no other nationality.
                focus = self._focus()
                if focus is not None and not (focus.nationalities() - {code}):
                    national = focus
            if national is not None:
                return self.register.mention(national), None, "person", "description"
        head = tokens[-1]
        indefinite = re.match(r"(?:a|an)\s", first, flags=re.IGNORECASE)
        if definite and not indefinite:
            # "the minister", "the group": the best fit; any other description only as an exact
            # role ("the premier's chief of staff"), so that "the Kremlin" stays the Kremlin.
            loose = head in _PERSON_HEADS or head in COLLECTIVE or head.rstrip("s") in COLLECTIVE
            described = self.register.describe(first, exact=not loose)
            if described is not None:
                return self.register.mention(described), None, described.kind, "description"
            aged = self._by_age(first)
            if aged is not None:
                return self.register.mention(aged), None, "person", "description"
        if definite and not indefinite and fold(first).startswith("the ") and self.paragraph_number == 1:
            # "… after Nordavia's fisheries minister accused …" ¶ "Halvard Brekke told a news
            # conference … "…," the minister said": the lead's description, named as the
            # paragraph's subject, is who the same office points back to.
            named = self.first_subjects.get(1)
            if named is not None and self._focus() is named and any(
                    fold(d).split()[-1:] == [head] and _fits_lead(d, named) for d in self.lead_descriptions):
                return self.register.mention(named), None, "person", "description"
        if definite and not indefinite and (head in _PERSON_HEADS or head in _SOURCE_NOUNS
                                            or _personal_head(head)):
            # "A Veressan official … the official said": the unnamed speaker introduced just before.
            earlier = self._anonymous_for(head)
            if earlier is not None:
                return None, earlier, "description", "anonymous"
            if not head.endswith("s"):
                # "Two Western diplomats said … The diplomat added": one of the group, who speaks
                # for it, when no single speaker of that kind was introduced.
                plural = {v: k for k, v in _SINGULAR.items()}.get(head, f"{head}s")
                group = self._group_for(f"the {plural}")
                if group is not None:
                    return None, group, "description", "anonymous"
        if definite and not indefinite and fold(first).startswith("the ") and (
                _personal_head(head) or (_EPITHET.search(fold(first)) and not head.endswith("s"))):
            # "Carla Diaz, who chairs the teachers' federation, … the union leader said", "the
            # former banker said": a new description of the one person in focus, when it fits
            # nobody by its words and its nationality is not another one's.
            fits = self.register.describe(first)  # "the former banker": whoever the article called so
            if fits is not None and fits.kind == "person":
                return self.register.mention(fits), None, "person", "description"
            focus = self._focus()
            nations = {known_nation(w) or nation_of(w) for w in first.split()[1:] if w[:1].isupper()} - {None}
            if focus is not None and (not focus.nationalities() or nations <= focus.nationalities()):
                return self.register.mention(focus), None, "person", "description"
        if (head in _PERSON_HEADS and not head.endswith("s")) or indefinite:
            text = re.sub(r"^(?:one|another)\s+(?!of\b)", "", first.strip(), flags=re.IGNORECASE)
            # "A Barqi mediator who spoke on condition of anonymity": the speaker, not the clause.
            text = re.sub(r"\s+(?:who|that|whose)$", "", text)
            if indefinite or text != first.strip():
                # "A person briefed on the bid": its noun is "person", before what it knows.
                core = _description_head(tokens)
                self.anonymous.append((text, core, self.paragraph_number))
                del self.anonymous[:-_LOOKBACK]
            return None, text, "description", "description"
        group_words = first.split()
        while group_words and fold(group_words[-1]) in _RELATIVE:
            group_words.pop()  # "Two officials who …": the main subject ends at the relative clause
        if _GROUP.match(folded) and len(group_words) >= 2 and group_words[-1].endswith("s") \
                and not _proper(bare):
            self.groups.append((" ".join(group_words), self.paragraph_number))
            del self.groups[:-_LOOKBACK]
        named = _NAMED_BODY.fullmatch(bare)
        if named is not None and fold(named.group("name")) not in PRONOUNS \
                and not re.search(r"(?:'s|’s)$", bare):
            # "Russia's space agency Roscosmos", "the U.N. refugee agency UNHCR": a description,
            # then the body's own name — the name is the organisation, the rest its role.
            entity = self.register.organisation(named.group("name"), [named.group("role").strip()])
            return entity, None, "organisation", "organisation"
        if not _proper(bare) and (head not in COLLECTIVE or re.search(
                r"\b(?:between|and|with|from|over|after|before|on|in|at)\b", bare)):
            # "Talks between the government and the front", "Pravati officials": no organisation.
            return None, first.strip(), "description", "description"
        entity = self.register.organisation(bare)
        return entity, None, "organisation", "organisation"

    def _by_age(self, description: str) -> Entity | None:
        """Who "the 64-year-old" (or "the 64-year-old German") is: the recent person the article
        gave that age ("Jane Doe, 64,"), else the person in focus — the last subject, as long as
        no other age is known for them.  Wire copy uses an age only of someone just named, so an
        age is never an organisation and never a new person."""
        found = re.search(r"\b(\d{1,3})-year-old\b", description)
        if found is None:
            return None
        age = int(found.group(1))
        for entity in self.register.recent("person"):
            if age in entity.ages:
                return entity
        last = self._focus()
        return last if last is not None and not last.ages else None

    def _focus(self) -> Entity | None:
        """The person in focus: the subject of the sentence before, when that sentence named no
        one else (outside a relative clause about them), so a back-reference that fits nobody
        by its words ("the Irishman", "the 64-year-old") can only mean them."""
        last = self.register.last_subject
        if last is None or last.kind != "person" or not self.focus_alone:
            return None
        return last

    def _group_for(self, rest: str) -> str | None:
        """The unnamed group ("Two officials who declined to be named") introduced in this
        paragraph or the one before that "one of ``rest``" points back to: any group for
        "them"/"those"/"the two", else the one whose words include the noun ``rest`` ends with."""
        noun = rest.split()[-1] if rest.split() else ""
        any_group = noun in ("them", "those", "these") or noun in _NUMBERS
        for text, paragraph in reversed(self.groups):
            if self.paragraph_number - paragraph > 1:
                return None
            words = fold(text).split()
            if any_group or noun in words or _SINGULAR.get(noun, noun) in words:
                return text
        return None

    def _anonymous_for(self, head: str) -> str | None:
        """The unnamed speaker with this head noun introduced in this paragraph or the one before
        ("A senior Qadiri official, who asked not to be named, …"), the latest first."""
        for text, its_head, paragraph in reversed(self.anonymous):
            if self.paragraph_number - paragraph > 1:
                return None
            if its_head == head:
                return _DETERMINERS_RE.sub("", text)
        return None

    def _note_occasion(self, clause: str, drafts: list[_Draft]) -> None:
        """ "He spoke to reporters outside the hall.": the occasion of the quote just before."""
        if not drafts or not re.match(r"\s*(?:He|She|They)\b", clause):
            return
        last = drafts[-1]
        if last.channel is None and last.speaker is self.register.last_subject:
            last.channel = channels.find_channel(clause[:WINDOW])

    # -- meetings --

    def _meeting(self, number: int, clause: str, words: str) -> MeetingMention | None:
        """A meeting a main clause reports: its participants are the verb's subject and object."""
        main = _without_relative_clauses(clause)
        found = _MEETING.search(main)
        if not found:
            return None
        verb = found.group("verb")
        after = main[found.end(): found.end() + WINDOW]
        if verb.endswith("between"):
            # "talks between the government of Tenga and the Mbari Liberation Front resumed …"
            stop = re.search(r"\s(?:resumed|opened|ended|began|broke|collapsed|stalled|were|was|have|"
                             r"had|will|would|are|is|in|at|on)\b|[,;:]", after)
            groups = [after[: stop.start()] if stop else after]
        else:
            subject = _nearest_subject(main[max(0, found.start() - WINDOW): found.start()])
            stop = _PHRASE_END.search(after)
            groups = [subject, after[: stop.start()] if stop else after]
        groups = [g.strip(" ,") for g in groups if g.strip(" ,")]
        if not groups:
            return None
        people: list[str] = []
        for group in groups:
            for part in re.split(r",| and | with ", group):
                name, _ = split_noun_phrase(part)
                if name is None and re.fullmatch(r"\s*[A-Z][\w’'-]+\s*", part):
                    known = self.register.by_name(part.strip())
                    name = known.name if known is not None and known.kind == "person" else None
                if name:
                    entity = self.register.by_name(name)
                    name = entity.name if entity else name
                    if name not in people:
                        people.append(name)
        where = re.search(r"\bin (?:the )?((?:[A-Z][\w’'-]+)(?:[ -][A-Z][\w’'-]+)*)", main[found.start():]) \
            or re.search(r"\bat (?:the )?((?:[A-Z][\w’'-]+)(?:[ -][A-Z][\w’'-]+)*)", main[found.start():])
        if not where:
            return None
        mentions = [m for m in dates.find_dates(main[:WINDOW * 2], self.day, possessive=True)
                    if m.day is not None]
        mention = mentions[0] if mentions else None
        later = mention is not None and mention.day is not None and self.day is not None \
            and mention.day > self.day
        planned = verb.startswith("meet") or bool(_PLANNED.search(main)) or later
        return MeetingMention(date=mention.day if mention else None,
                              date_words=mention.words if mention else None, place=where.group(1),
                              people=tuple(people), groups=tuple(groups), sentence=words.strip(),
                              paragraph=number, planned=planned)


@dataclass
class _Verbs:
    """The verbs of speaking of one sentence and where its quotations end, searched by bisection
    (a sentence of many quotes costs a logarithm per quote, not a scan)."""

    matches: list[re.Match[str]]
    quote_ends: list[int]

    def __post_init__(self) -> None:
        self.starts = [m.start() for m in self.matches]
        self.ends = [m.end() for m in self.matches]

    def before(self, offset: int) -> re.Match[str] | None:
        """The last verb ending at or before ``offset``."""
        index = bisect.bisect_right(self.ends, offset)
        return self.matches[index - 1] if index else None

    def after(self, offset: int) -> re.Match[str] | None:
        """The first verb starting at or after ``offset``."""
        index = bisect.bisect_left(self.starts, offset)
        return self.matches[index] if index < len(self.matches) else None

    def quote_end_before(self, offset: int) -> int:
        """Where the last quotation ending at or before ``offset`` ends (0 if none)."""
        index = bisect.bisect_right(self.quote_ends, offset)
        return self.quote_ends[index - 1] if index else 0


def _office_of(person: Entity) -> str | None:
    """The office a person's roles name ("Uruguay's transport minister" → "minister"), the last
    word of the first role ending in a word of office, or None."""
    for role in person.roles:
        words = re.findall(r"[\w’'-]+", role)
        if words and fold(words[-1]) in _PERSON_HEADS and fold(words[-1]) not in ("official", "source"):
            return fold(words[-1])
    return None


def _in_question(before: str) -> bool:
    """Whether the words before a point are inside a question put to the speaker, as an aside
    ("…, asked whether a", "Asked about the", "…, pressed on whether the")."""
    part = before[before.rfind(",") + 1:] if "," in before else before
    return bool(re.match(r"\s*(?:when\s+)?(?:asked|pressed|questioned)\s+(?:[\w’'-]+\s+){0,6}?"
                         r"(?:whether|if|about|why|how|what|on)\b", part, re.IGNORECASE))


def _reporting_verb(clause: str, verb: re.Match[str], verbs: _Verbs) -> re.Match[str]:
    """The verb whose speaker a quote after ``verb`` belongs to: ``verb`` itself, unless it sits in
    the that-clause of an earlier verb of speaking ("El-Tayeb said … and that the ministry had
    promised a protocol “by June”": the words are El-Tayeb's report).  One step back, no more:
    the report of a report of a report is still the nearest outer speaker's."""
    outer = verbs.before(verb.start())
    if outer is None or outer.group(1) in _PARTICIPLES or outer.group(1).lower() == "according to" \
            or verb.group(1) in _PARTICIPLES or verb.group(1).lower() == "according to":
        return verb
    between = clause[outer.end():verb.start()]
    # A new clause with its own subject ("…, while the association warned", "…, and its
    # spokesman wrote") is no longer the report; "… and that the ministry had promised" still is.
    if re.search(r"\bthat\b", between) and not re.search(
            r"[;:]|,\s*(?:and|but|while|whereas|although|though|yet|or)\s+(?!that\b)", between):
        return outer
    return verb


def _proper(phrase: str) -> bool:
    """Whether a phrase is a name: every word capitalised but the small ones ("Bank of England")."""
    return all(w[:1].isupper() or w in ("of", "the", "and", "for", "de", "la", "du", "al", "&")
               for w in phrase.split())


def _verb_like(word: str) -> bool:
    if word != word.lower():
        return False
    if word in _AUXILIARIES or _SPEECH.fullmatch(word):
        return True
    return len(word) > 4 and word.endswith("ed") and "-" not in word and word not in _NOT_VERBS


def _nearest_subject(before: str) -> str:
    """The subject of a verb from the words before it: back to the nearest relative word or verb
    in the last comma part ("talks that Kremlin aide Yuri Ushakov" → "Kremlin aide Yuri Ushakov";
    ", which she" → "she"), with relative clauses about someone ("Ana Ruiz, who met the envoys,")
    left out first; a relative pronoun that is itself the subject ("Aldridge, who has") points to
    the words before it.  Without a boundary the whole phrase is kept, for its appositions."""
    # "A spokesman for the group, who gave his name only as Abu Tariq, said": the name is the speaker.
    named = _GIVEN_NAME.search(before)
    if named:
        return named.group(1)
    # "The bank's board, he wrote, would meet …": a parenthetical pronoun is the speaker.
    aside = re.search(r",\s*(he|she|they|we)\s*$", before, re.IGNORECASE)
    if aside:
        return aside.group(1)
    # "The agency welcomed what its spokeswoman, Amina Farouk, called …": a free relative —
    # the subject of the verb is the phrase after "what", appositions and all.
    free = re.search(r"\bwhat\s+((?:[^\s“”\"]+\s*){1,12}?)\s*$", before)
    if free and _noun_phrases(free.group(1)) \
            and not any(_verb_like(t.strip(",")) for t in free.group(1).split()):
        return free.group(1)
    plain = _without_relative_clauses(before)
    # "Aasen, asked whether she would …, said": an aside between subject and verb is left out.
    while True:
        cut = plain.rstrip(" ,").rfind(",")
        if cut < 0 or not _is_aside(plain[cut + 1:]):
            break
        plain = plain[:cut + 1]
    last_comma = plain.rstrip(" ,").rfind(",")
    # "A council aide who was not cleared to talk said", "The negotiator who led the last round
    # said": a relative clause without commas is about the subject, which comes before it.
    bound = re.search(r"\s(?:who|whose)\s", plain[last_comma + 1:])
    if bound is not None and _noun_phrases(plain[last_comma + 1: last_comma + 1 + bound.start()]):
        plain = plain[: last_comma + 1 + bound.start()]
    tokens = list(re.finditer(r"\S+", plain[last_comma + 1:]))
    offset = last_comma + 1
    # "a process the chancellor called …", "the deal its president signed": a relative clause
    # with no relative word (a contact clause) — a noun phrase "a/the + noun" straight before a
    # determiner opens it, and the determiner's phrase is the subject of the verb.
    for index in range(len(tokens) - 2, 0, -1):
        word, before_word = tokens[index].group(0), tokens[index - 1].group(0)
        if word in _CONTACT_DETERMINERS and re.fullmatch(r"[a-z]{3,}", before_word) and index >= 2 \
                and tokens[index - 2].group(0).lower() in ("a", "an", "the", "this", "one", "another") \
                and before_word not in _NOT_CONTACT and not _verb_like(before_word):
            rest = plain[offset + tokens[index].start():]
            if _noun_phrases(rest) and not any(_verb_like(t.group(0).strip(",;:")) for t in tokens[index:]):
                return rest
            break
    if last_comma > 0 and any(_verb_like(t.strip(",;:")) for t in plain[:last_comma].split()) \
            and not _SPEECH.search(plain[:last_comma]):
        # "Negotiators ended the talks on Wednesday, the Council said": a clause with its own
        # verb before the last comma part, which is then the subject of this one (not inside
        # reported speech: "said the section, a valley claimed by both, …").
        rest = plain[offset:]
        opens = (bool(tokens) and tokens[0].group(0)[:1].isupper()) \
            or bool(re.match(r"\s*(?:the|a|an)\s", rest)) or bool(names_in(rest))
        if opens and _noun_phrases(rest) and not any(_verb_like(t.group(0).strip(",;:")) for t in tokens):
            return rest
    for index in range(len(tokens) - 1, -1, -1):
        token = tokens[index].group(0).strip(",;:")
        lowered = token.lower()
        relative = lowered in ("that", "which", "who", "whom", "what")
        if lowered in _CONJUNCTIONS and index < len(tokens) - 1:
            rest = plain[offset + tokens[index].end():]
            if _noun_phrases(rest):
                return rest
        if relative or (index < len(tokens) - 1 and _verb_like(token)):
            rest = plain[offset + tokens[index].end():]
            if _noun_phrases(rest):
                return rest
            if relative and lowered in ("who", "that", "which"):
                head = plain[: offset + tokens[index].start()]
                antecedent = head.rstrip(" ,")
                antecedent = antecedent[antecedent.rfind(",") + 1:]
                closing = re.match(r"\s*(?:said|says|added|wrote|told\s+\w+)\s+(.+)$", antecedent)
                if index == 0 and closing and _noun_phrases(closing.group(1)):
                    # "…, said the Electoral Commission, which called the timetable "…"": the
                    # relative's antecedent is the closing verb's subject, just before it.
                    return closing.group(1)
                last_part = antecedent.strip()
                clause_before = head[: head.rfind(last_part)] if last_part else ""
                if lowered == "who" and last_part and names_in(last_part) and _VERB_IN.search(clause_before):
                    # "…, was represented by its spokesman, Dragan Leko, who read …": "who" is the
                    # name just before it, not the subject of the clause that names them.
                    return last_part
                return head
            break
    return plain


# A document as the subject of a verb of speaking: "The letter, signed by …, said", "The draft calls for".
_DOCUMENT = re.compile(r"(?:the|a|an|its|his|her|their)\s+(?:[a-z-]+\s+)?(letter|statement|communiqu[eé]|"
                       r"memo|note|declaration|readout|draft|text|document|proposal|plan)\b(?!\s+\w+\s+(?:of|by))",
                       re.IGNORECASE)
# Documents with no author to speak for: their words are nobody's.
_UNSIGNED = frozenset({"draft", "text", "document", "proposal", "plan"})
_VERB_IN = re.compile(r"\b(?:is|was|were|are|has|have|had|been)\b")
_CONTACT_DETERMINERS = frozenset({"the", "a", "an", "its", "his", "her", "their"})
# Words before a determiner that do not end a noun phrase (prepositions, conjunctions, adverbs).
_NOT_CONTACT = frozenset({"of", "for", "from", "with", "without", "about", "against", "and", "but", "or",
                          "while", "whereas", "after", "before", "since", "until", "when", "where", "as",
                          "than", "then", "into", "onto", "over", "under", "between", "among", "across",
                          "through", "during", "by", "via", "per", "like", "unlike", "also", "only", "even",
                          "not", "all", "both", "once", "later", "earlier", "today", "yesterday", "tonight",
                          "meanwhile", "instead", "however", "now", "here", "there", "why", "how", "what",
                          "that", "which", "who", "whom", "whose", "said", "says", "told", "tells", "the"})


_LISTED = re.compile(r"[A-Z][\w’'-]+(?:\s+(?:and|or)\s+[A-Z][\w’'-]+)?")


_TIME_LEAD = re.compile(r"^(?:(?:earlier|later)\s+(?:this|last|that)\s+(?:week|month|year|morning|afternoon|"
                        r"evening|day)|(?:last|this)\s+(?:week|month|year)|(?:on\s+)?(?:Monday|Tuesday|"
                        r"Wednesday|Thursday|Friday|Saturday|Sunday)|yesterday|today)\s+"
                        r"(?=(?:he|she|they|we|it)\b|(?-i:[A-Z]))", re.IGNORECASE)


_TIME_TAIL = re.compile(r"\s+(?:(?:late|early)\s+)?(?:on\s+)?(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|"
                        r"Saturday|Sunday)(?:\s+(?:night|morning|evening|afternoon))?|yesterday|today|"
                        r"(?:last|this)\s+(?:week|month|year))\s*$")


def _with_list(parts: list[str]) -> str:
    """The first noun phrase, with the list of names its "of" opens ("the leaders of Britain",
    "France and Germany" → "the leaders of Britain, France and Germany"): the commas of a list
    are not those of an apposition."""
    first = parts[0]
    if len(parts) < 2 or not re.search(r"\bof\s+(?:the\s+)?[A-Z][\w’'-]+$", first):
        return first
    for end in range(1, len(parts)):
        if not _LISTED.fullmatch(parts[end]):
            return first
        if re.search(r"\s(?:and|or)\s", parts[end]):
            return ", ".join(parts[: end + 1])
    return first


def _is_aside(part: str) -> bool:
    """A comma part that is an aside about the speaker, not a noun phrase: "asked whether …",
    "speaking on condition of anonymity", "Pressed on the timing"."""
    tokens = part.strip(" ,").split()
    if not tokens:
        return False
    first = tokens[0].lower()
    return first in ("asked", "speaking", "pressed", "questioned", "interviewed", "reached", "contacted",
                     "responding", "answering", "addressing", "writing", "according") \
        or (first.endswith("ing") and tokens[0][0].islower()) \
        or bool(re.match(r"[A-Za-z]+ed\s+(?:on|about|whether|if|what|why|how|by|for|over)\b", part.strip()))


def _noun_phrases(phrase: str) -> list[str]:
    """The noun phrases of a subject: comma parts, without clauses, openers, "led by …" or what
    follows a verb, and without the adverbs after it ("Laurberg later")."""
    parts: list[str] = []
    for raw in phrase.split(","):
        part = re.sub(r"^(?:and|but|or|while|whereas)\s+", "", raw.strip(" “”\"‘’:;—–-"))
        # "Earlier this month she had called …": a time phrase before the subject, no comma.
        part = _TIME_LEAD.sub("", part)
        # "that its prime minister on Tuesday called …": and one after it.
        part = _TIME_TAIL.sub("", part)
        if not part:
            continue
        tokens = part.split()
        first = tokens[0]
        if first.lower() in _RELATIVE:
            continue
        if first.lower() in _OPENERS or (first.endswith("ing") and first[0].islower()) \
                or _TIME_PHRASE.match(part) or _is_aside(part):
            continue
        if len(tokens) > 1 and tokens[1] == "by" and first[0].islower():
            continue  # "led by the deputy prime minister", "backed by Qatar": about someone else
        cut = next((i for i, t in enumerate(tokens) if _verb_like(t.strip(".,;:"))
                    and not _modifies_source(tokens, i)), None)
        if cut is not None:
            tokens = tokens[:cut]
        while tokens and tokens[-1].lower().strip(".,;:") in _ADVERBS:
            tokens.pop()
        if tokens and len(tokens[-1]) > 3 and tokens[-1].endswith(".") and tokens[-1].count(".") == 1:
            tokens[-1] = tokens[-1][:-1]  # "… said Omar Siddiq." — the sentence's full stop
        if tokens:
            parts.append(" ".join(tokens))
        if cut is not None:
            break
    return parts


# Unnamed sources, described by what they know: "a person briefed on the bid".
_SOURCE_NOUNS = frozenset({"person", "people", "official", "officials", "source", "sources", "diplomat",
                           "diplomats", "executive", "executives", "banker", "bankers", "lawyer"})


def _description_head(tokens: list[str]) -> str:
    """The noun of a description, before what follows it ("person briefed on the bid" → person,
    "official familiar with the talks" → official, "senior envoy" → envoy)."""
    for index, token in enumerate(tokens[1:], start=1):
        if token in ("with", "on", "about", "in", "at", "for", "to", "by", "from", "of", "close", "familiar",
                     "who") \
                or (token.endswith("ed") and token not in _SOURCE_NOUNS):
            return tokens[index - 1]
    return tokens[-1]


def _modifies_source(tokens: list[str], index: int) -> bool:
    """Whether the word at ``index`` is a participle describing an unnamed source, not a verb
    ("A person briefed on its bid said", "officials involved in the review said")."""
    word = tokens[index].lower().strip(".,;:")
    return 0 < index < len(tokens) - 1 and word.endswith("ed") \
        and tokens[index - 1].lower() in _SOURCE_NOUNS \
        and tokens[index + 1].lower() in ("on", "with", "about", "in", "to", "by", "into")


def _trailing_description(text: str) -> str:
    """The longest description that ends ``text`` and opens with a determiner or a possessor
    ("The talks are chaired by a retired judge" → "a retired judge"; "According to the
    committee's regional director" → "the committee's regional director"), or ""."""
    for match in re.finditer(r"(?:^|\s)((?:the|a|an|its|his|her|their)\s|[A-Z][\w’'-]*(?:’s|'s)\s)", text):
        tail = text[match.start(1):]
        tokens = tail.split()
        # An -ed word inside the phrase is an adjective ("a retired judge"), not a verb.
        if len(tokens) <= 6 and not any(t in _AUXILIARIES or _SPEECH.fullmatch(t) for t in tokens) \
                and not any(_verb_like(t) for t in tokens[-1:]) \
                and not re.search(r"\b(?:by|to|with|from|for|as|at|in|on|of|and|or|that|which|who)\s", tail):
            return tail
    return ""


def _is_description(text: str) -> bool:
    tokens = text.split()
    return 0 < len(tokens) <= 9 and not any(_verb_like(t) for t in tokens) \
        and tokens[0].lower() not in _RELATIVE and tokens[0].lower() not in _OPENERS


def _occasion_text(clause: str, verb: re.Match[str], start: int, end: int, verbs: _Verbs, *,
                   set_off: bool = False) -> str:
    """The words that say how and when the quote was said: around the verb, not in the report,
    and not in another clause of the sentence ("X said in a statement …, while Y warned …").
    ``set_off``: a comma closes the quote, so a phrase after it is no longer the report's."""
    if verb.start() >= end:
        before = clause[end:verb.start()][-WINDOW:]
        after = clause[verb.end(): verb.end() + WINDOW]
    else:
        floor = max(verbs.quote_end_before(verb.start()), verb.start() - WINDOW, 0)
        earlier = verbs.before(verb.start() - 1)
        wide = clause[max(0, verb.start() - WINDOW): verb.start()]
        if floor and _in_relative_clause(wide):
            # The quote and verb before are in a relative clause ("…, who had called it "…" in a
            # video last week, said"): its occasion is not this verb's.
            before = _without_relative_clauses(wide)
        elif floor and _in_question(clause[max(0, floor - WINDOW):floor]):
            # "X, asked at the weekly news conference whether a "…" was possible, said:": the
            # question was put on this occasion, so its words say where.
            before = wide
        else:
            if earlier is not None and earlier.end() <= verb.start() - 1:
                # From the verb before: "told reporters …, calling it "…"" shares its occasion.
                floor = max(floor, earlier.start())
            before = clause[floor: verb.start()]
        boundary = list(re.finditer(r";|,?\s\b(?:while|whereas|but|although|though)\b", before))
        if boundary:
            before = before[boundary[-1].end():]
        after = clause[verb.end(): start][:WINDOW]
    stop = re.search(r"\bthat\b(?!\s+(?:day|evening|night|morning|afternoon|week)\b)|[“\"]", after)
    after = after[: stop.start()] if stop else after
    # ("… said that the assets would stay frozen "until …," in a joint statement issued …": after
    # the comma that closes the report, the phrase is the saying's again.)
    if verb.start() < end and (set_off or not re.search(r"\bthat\b", clause[verb.end():start])):
        # "called the text "a template" in a post on X on Thursday": the words straight after the
        # quote say how and when, when they are a phrase of place, time or manner.
        rest = clause[end: end + WINDOW]
        phrase = re.match(r"[\s,”\"’]*(?:in|on|at|during|via|through|aboard|on board)\b[^“\";]*", rest)
        if phrase:
            text = phrase.group(0)
            cut = re.search(r",?\s\b(?:but|and|while|whereas|that|who|which|if|because|as)\b|[.!?]\s*$|,",
                            text)
            after = f"{after} {text[: cut.start()] if cut else text}"
    before = _without_relative_clauses(before)
    tail = clause[end:][-WINDOW:] if verb.start() < end else ""
    # "…", according to a readout: the tail names the channel when it adds no verb of its own;
    # "…, the Kremlin said in a readout": a closing reporting clause names the channel it came by.
    source = re.match(r'[\s,”"’]*according to\b([^,;]*)', tail)
    closing = re.search(r",\s*(?:the\s+|a\s+|an\s+)?[\w’'. -]{1,60}?\s"
                        r"(?:said|says|added|reported|wrote|stated)\b([^,;“\"]*)[.!?]?\s*$", tail)
    if source and not _SPEECH.search(source.group(1)):
        tail = source.group(1)
    elif closing:
        tail = closing.group(1)
    else:
        tail = ""
    return " ".join((before, clause[verb.start():verb.end()], after, tail))


def _in_relative_clause(before: str) -> bool:
    """Whether every quotation mark in ``before`` lies in a relative clause that ends before
    its end ('Venn, who had called it "fantasy", said')."""
    return bool(re.search(r"[“”\"]", before)) and not re.search(r"[“”\"]", _without_relative_clauses(before))


def _without_relative_clauses(text: str) -> str:
    """Relative clauses ("…, who met both men last week, …") describe someone, not the occasion."""
    return re.sub(r",\s*(?:who|which|whose)\b[^,]*,", ",", text)


def _first_date(text: str, day: dt.date | None) -> dates.DateMention | None:
    found = [m for m in dates.find_dates(text, day) if m.day is not None]
    return found[0] if found else None

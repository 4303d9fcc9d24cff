"""Who said what, where and when: the rule-based reading of one report.

The reader goes through the article once, sentence by sentence, keeping a
:class:`~accord.evidence.people.Register` of the people and organisations
mentioned.  For each quotation it finds the verb of speaking that attributes
it — after the quote when the quote opens the sentence (``"…," X said``),
otherwise the nearest before it (``X called the talks "very constructive"``)
— and reads the speaker from the words next to that verb: a name, a pronoun,
a description or an organisation, resolved as :mod:`accord.evidence.people`
says.  A quote with no verb in its sentence continues the quote before it in
the paragraph (``"…," X said. "But …"``), or the paragraph before (a quote
running on).  The channel and the date come from the words around the verb;
when they say nothing, a later quote by the same speaker in the same or the
next paragraph keeps the earlier one's occasion, and a date falls back to the
day of the article's lead, then to the article's own date.

This is a heuristic reader in the tradition of quotation-attribution systems
(e.g. Pareti et al., "Automatically detecting and attributing indirect
quotations", EMNLP 2013; O'Keefe et al., "A sequence labelling approach to
quote attribution", EMNLP 2012), written for the constructions of wire copy;
its accuracy on a hand-labelled set is measured by ``benchmarks/bench_ingest.py``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from accord.errors import ScenarioError
from accord.evidence import channels, dates
from accord.evidence.people import COLLECTIVE, PRONOUNS, Entity, Register, fold, names_in, split_noun_phrase
from accord.evidence.quotes import QuoteSpan, find_quotes, mask_quotes, sentences
from accord.io.article import Article

__all__ = ["Extraction", "MeetingMention", "Quotation", "extract"]

#: Quotes of at most this many words inside a sentence are "scare quotes".
SCARE_WORDS = 2
#: An article with more quotations than this is refused (a long report has a few dozen): the
#: documented bound on the work one `accord ingest` does.
MAX_QUOTATIONS = 2000
#: How many quotations back a quote looks for the same speaker's occasion (bounds the work).
_LOOKBACK = 50

_SPEECH = re.compile(
    r"(?<![-\w])(said|says|say|told|tells|added|adds|wrote|writes|posted|stated|declared|warned|warns|"
    r"insisted|insists|argued|noted|stressed|explained|announced|asked|replied|responded|called|calls|"
    r"described|describes|termed|dubbed|accused|accuses|urged|tweeted|confirmed|vowed|pledged|"
    r"promised|acknowledged|admitted|complained|cautioned|predicted|rejected|dismissed|hailed|"
    r"welcomed|praised|criticised|criticized|denounced|condemned|saying|adding|writing|calling|"
    r"describing|accusing|urging|warning|telling|insisting|according to)\b")
_PARTICIPLES = frozenset({"saying", "adding", "writing", "calling", "describing", "accusing", "urging",
                          "warning", "telling", "insisting"})
_AUXILIARIES = frozenset([
    "is", "was", "were", "are", "be", "been", "has", "have", "had", "will", "would", "can", "could",
    "may", "might", "must", "should", "shall", "did", "does", "do", "hit", "met", "made", "broke",
    "held", "left", "took", "gave", "came", "went", "put", "set", "won", "lost", "sent", "kept",
    "spoke", "began", "ran", "got", "sat"
])
_NOT_VERBS = frozenset({"armed", "based", "united", "detailed", "limited", "elected", "proposed",
                        "divided", "advanced", "red", "need", "speed", "bed", "shed", "hundred"})
_OPENERS = frozenset([
    "in", "on", "at", "after", "before", "asked", "speaking", "despite", "meanwhile", "however",
    "but", "later", "earlier", "separately", "yet", "also", "aboard", "still", "under", "according",
    "during", "while", "following", "amid", "since", "with", "without", "as", "when", "if"
])
_RELATIVE = frozenset({"who", "which", "whose", "whom", "where", "when", "that"})
# Descriptions that are people's roles (so not organisations) when nobody can be found for them.
_PERSON_HEADS = frozenset([
    "minister", "president", "official", "officials", "diplomat", "diplomats", "spokesman",
    "spokeswoman", "spokesperson", "mediator", "envoy", "negotiator", "commissioner", "chancellor",
    "general", "leader", "aide", "adviser", "chief", "secretary", "ambassador", "representative",
    "delegate", "source", "sources", "commander", "premier", "king", "queen", "head", "chair"
])
_DATELINE = re.compile(
    r"^(?P<city>[A-ZÀ-Þ][A-ZÀ-Þ.'’ -]+?(?:, [A-Z][a-z]+\.?)?)"
    r"(?:,\s*(?:[A-Z][a-z]+\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]+)(?:,\s*\d{4})?)?"
    r"\s*(?:\([^)]{1,40}\))?\s*[-–—]+\s+")
_ORG_RUN = re.compile(r"\b((?:[A-Z][\w’'-]+\s+){0,4}[A-Z][\w’'-]+)\s+"
                      r"(rebels|militia|group|party|alliance|movement|government|army|delegation)\b")


@dataclass(frozen=True)
class Quotation:
    """One quotation in the article and what the reader made of it.

    ``speaker`` is a person's full name, an organisation's name, or a description
    nobody could be found for ("U.S. official"); None when nobody is named.
    ``how`` says how the speaker was found: ``named``, ``surname``, ``pronoun``,
    ``description``, ``organisation``, ``continues`` (the quote before it) or ``none``.
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


@dataclass(frozen=True)
class MeetingMention:
    """A meeting the article reports: who met where and when (names as written)."""

    date: dt.date | None
    place: str
    people: tuple[str, ...]
    names: tuple[str, ...]
    sentence: str
    paragraph: int


@dataclass(frozen=True)
class Extraction:
    """Everything read from one article."""

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


@dataclass
class _Draft:
    span: QuoteSpan
    paragraph: int
    sentence: str
    kind: str
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


def extract(article: Article, *, date: dt.date | None = None,
            known_people: Sequence[tuple[str, Sequence[str]]] = ()) -> Extraction:
    """Read every quotation, its speaker, channel and date, and the meetings in ``article``.

    Parameters
    ----------
    article
        The article, as :func:`accord.io.article.read_article` gives it.
    date
        The article's date when the file does not give it (``--date``); it wins over the file's.
    known_people
        People the reader should know before it starts (a scenario's delegates): a name and
        the words that describe them ("Ukrainian President").
    """
    paragraphs = list(article.paragraphs)
    place = None
    if paragraphs:
        match = _DATELINE.match(paragraphs[0])
        if match:
            place = match.group("city").strip().title()
    date_from = None
    article_day = date
    if article_day is not None:
        date_from = "given"
    elif article.date is not None:
        article_day, date_from = article.date, "HTML metadata"
    else:
        article_day = dates.article_date(paragraphs)
        date_from = "dateline" if article_day else None
    if paragraphs:
        match = _DATELINE.match(paragraphs[0])
        if match:
            paragraphs[0] = paragraphs[0][match.end():]

    count = sum(len(find_quotes(p)) for p in paragraphs)
    if count > MAX_QUOTATIONS:
        raise ScenarioError.single(article.name, "", f"has {count:,} quotations; an article has at most "
                                                     f"{MAX_QUOTATIONS:,} here — is this one report?")
    register = Register()
    for name, roles in known_people:
        entity = register.person(name, list(roles))
        entity.last_seen = 0  # known beforehand: never "the most recent mention"
    register.clock = 0

    reader = _Reader(register, article_day)
    drafts: list[_Draft] = []
    meetings: list[MeetingMention] = []
    for number, paragraph in enumerate(paragraphs):
        found, met = reader.paragraph(number, paragraph, drafts)
        drafts.extend(found)
        meetings.extend(met)
        if number == 0 and reader.lead_date is None:
            lead = _without_relative_clauses(paragraph)
            mentions = [m for m in dates.find_dates(lead, article_day) if m.day is not None]
            if mentions:
                reader.lead_date = mentions[0].day
    # Descriptions read before the person was introduced ("the mediator … Amara Osei, the envoy").
    for draft in drafts:
        if draft.speaker is None and draft.description and not draft.forced_none:
            later = register.describe(draft.description)
            if later is not None:
                draft.speaker, draft.how, draft.speaker_kind = later, "description", later.kind
    _fill_occasions(drafts, reader.lead_date or article_day)
    quotations = tuple(_freeze(d) for d in drafts)
    people = tuple((e.name, tuple(e.roles)) for e in register.entities if e.kind == "person")
    return Extraction(name=article.name, paragraphs=tuple(paragraphs), date=article_day,
                      date_from=date_from, place=place, title=article.title, url=article.url,
                      quotations=quotations, meetings=tuple(meetings), people=people)


def _freeze(draft: _Draft) -> Quotation:
    entity = draft.speaker
    speaker = entity.name if entity is not None else draft.speaker_text
    return Quotation(
        text=draft.span.text, kind=draft.kind, paragraph=draft.paragraph, start=draft.span.start,
        end=draft.span.end, sentence=draft.sentence, speaker=speaker,
        speaker_kind=entity.kind if entity is not None else draft.speaker_kind, how=draft.how,
        roles=tuple(entity.roles) if entity is not None else (), channel=draft.channel,
        place=draft.place, date=draft.date, date_words=draft.date_words)


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
        if previous is not None:
            if draft.channel is None:
                draft.channel = previous.channel
            if draft.place is None:
                draft.place = previous.place
            if draft.date is None:
                draft.date, draft.date_words = previous.date, previous.date_words
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
        self.paragraph_number = 0
        # Channels named for an entity in a sentence without quotes, and the paragraph.
        self.occasions: dict[int, tuple[str, int]] = {}

    def paragraph(self, number: int, text: str, earlier: list[_Draft]
                  ) -> tuple[list[_Draft], list[MeetingMention]]:
        self.paragraph_number = number
        spans = find_quotes(text)
        masked = mask_quotes(text, spans)
        # Nicknames in quotes ("Tomás “El Viejo” Aranda") are part of a name, not speech.
        masked = re.sub(r"(?<=[A-Za-z] )[“\"][A-Z][\w ]{0,30}[”\"](?= [A-Z])",
                        lambda m: " " * len(m.group(0)), masked)
        masked = re.sub(r"  +", lambda m: " " * len(m.group(0)), masked)
        drafts: list[_Draft] = []
        meetings: list[MeetingMention] = []
        starts = [s.start for s in spans]
        for sentence in sentences(text, spans):
            clause = masked[sentence.start:sentence.end]
            words = text[sentence.start:sentence.end]
            first = bisect.bisect_left(starts, sentence.start)
            inside = spans[first:bisect.bisect_left(starts, sentence.end)]
            self._register_names(clause)
            for span in inside:
                drafts.append(self._quote(number, span, sentence.start, clause, words, inside))
            if not inside:
                self._note_occasion(clause, drafts or earlier[-1:])
                meeting = self._meeting(number, clause, words)
                if meeting:
                    meetings.append(meeting)
            self._update_subject(clause, drafts, bool(inside))
        # Quotes with no verb of their own: the one before in the paragraph, else the next, else
        # the last quote of the paragraph before (a quote running on).
        for index, draft in enumerate(drafts):
            if draft.attributed or draft.forced_none:
                continue
            window = drafts[max(0, index - _LOOKBACK):index]
            source = next((d for d in reversed(window) if d.attributed or d.how == "continues"), None)
            if source is None:
                source = next((d for d in drafts[index + 1:index + 1 + _LOOKBACK] if d.attributed), None)
            if source is None and index == 0 and earlier and earlier[-1].paragraph == number - 1 \
                    and text.lstrip()[:1] in "“\"‘":
                source = earlier[-1]
            if source is not None:
                draft.speaker, draft.speaker_text = source.speaker, source.speaker_text
                draft.speaker_kind, draft.how = source.speaker_kind, "continues"
                draft.description = source.description
        return drafts, meetings

    # -- the people of a sentence --

    def _register_names(self, clause: str) -> None:
        segments = [s.strip() for s in clause.split(",")]
        for index, segment in enumerate(segments):
            if not segment:
                continue
            for match in _ORG_RUN.finditer(segment):
                name = re.sub(r"^(?:The|A|An|Its|Their|His|Her)\b\s*", "", match.group(1))
                if name and not split_noun_phrase(name)[0]:
                    self.register.organisation(name, [match.group(2)])
            found = names_in(segment)
            for number, (name, roles) in enumerate(found):
                # Appositions: "Ruth Bekele" between "water minister," and ", who …" or ", the envoy,"
                # (before the first name of a part, after the last one).
                if number == 0 and (segment == name or (segment.endswith(name) and not roles)):
                    before = segments[index - 1] if index else ""
                    if before and _is_description(before):
                        roles = [*roles, before]
                after = segments[index + 1] if index + 1 < len(segments) else ""
                if number == len(found) - 1 and segment.rstrip().endswith(name.split()[-1]) and after and (
                        (_is_description(after) and after.split()[0].lower() in ("the", "a", "an"))
                        or re.match(r"^[A-Z][\w’'-]*(?:’s|'s) [a-z-]+$", after)):
                    roles = [*roles, after]
                self.register.person(name, roles)

    def _update_subject(self, clause: str, drafts: list[_Draft], quoted: bool) -> None:
        subject = self._resolve(self._main_subject(clause))[0]
        if subject is None and quoted and drafts and drafts[-1].speaker is not None:
            subject = drafts[-1].speaker  # "…," said X: X is who the next "he" is
        if subject is not None:
            self.register.last_subject = subject
        if not quoted and subject is not None:
            # "The rebels confirmed the truce on Telegram." — the occasion of what they say next.
            channel = channels.find_channel(clause)
            if channel:
                self.occasions[id(subject)] = (channel, self.paragraph_number)

    # -- one quotation --

    def _quote(self, number: int, span: QuoteSpan, offset: int, clause: str, words: str,
               inside: list[QuoteSpan]) -> _Draft:
        start, end = span.start - offset, span.end - offset
        at_start = not clause[:start].strip(" “\"‘")
        kind = "full" if at_start or clause[:start].rstrip().endswith(":") else (
            "scare" if span.words <= SCARE_WORDS else "partial")
        draft = _Draft(span=span, paragraph=number, sentence=words.strip(), kind=kind)
        if re.search(r"\bso-called\s*$", clause[:start]):
            draft.forced_none = True  # the so-called "frugal" group: nobody is quoted
            return draft
        verbs = list(_SPEECH.finditer(clause))
        left = [v for v in verbs if v.end() <= start]
        right = [v for v in verbs if v.start() >= end]
        verb = (right[0] if right else None) if at_start or not left else left[-1]
        if verb is None:
            return draft
        draft.attributed = True
        phrase, how_hint = self._speaker_phrase(clause, verb, start, end, inside, offset)
        entity, text, kind_of, how = self._resolve(phrase)
        draft.speaker, draft.speaker_text, draft.speaker_kind = entity, text, kind_of
        draft.how = how_hint or how
        if entity is None and kind_of == "description":
            draft.description = phrase
        # The occasion: the words around the verb, not those inside what was reported.
        around = _occasion_text(clause, verb, start, end)
        draft.channel = channels.find_channel(around)
        if draft.channel is None and entity is not None and id(entity) in self.occasions:
            channel, paragraph = self.occasions[id(entity)]
            if number - paragraph <= 1:
                draft.channel = channel
        draft.place = channels.find_place(around)
        mention = _first_date(around, self.day)
        if mention is not None:
            draft.date, draft.date_words = mention.day, mention.words
        return draft

    def _speaker_phrase(self, clause: str, verb: re.Match[str], start: int, end: int,
                        inside: list[QuoteSpan], offset: int) -> tuple[str, str | None]:
        word = verb.group(1)
        if verb.start() >= end:  # "…," X said  /  "…," said X
            between = clause[end:verb.start()]
            if between.strip(" ,"):
                return between, None
            after = clause[verb.end():]
            stop = re.search(r"[“\"]|\bthat\b", after)
            return (after[: stop.start()] if stop else after), None
        # The verb comes before the quote.
        quote_ends = [s.end - offset for s in inside if s.end - offset <= verb.start()]
        clause_start = max(quote_ends, default=0)
        before = clause[clause_start:verb.start()]
        stripped = before.rstrip()
        if re.search(r"(?:^|\s)(?:and|but)$", stripped) or (word in _PARTICIPLES and stripped.endswith(",")) \
                or (not stripped.strip(" ,") and clause_start > 0):
            return self._main_subject(clause), None
        if word in _PARTICIPLES:
            # "with the mediator saying …": the words just before, back to a preposition.
            tokens = stripped.split()
            kept: list[str] = []
            for token in reversed(tokens):
                if token.lower() in ("with", "and", "as", "after", "while", "by") or token.endswith(","):
                    break
                kept.append(token)
            return " ".join(reversed(kept)), None
        return before, None

    def _main_subject(self, clause: str) -> str:
        verbs = [m.start() for m in re.finditer(r"[\w’'-]+", clause) if _verb_like(m.group(0))]
        return clause[: verbs[0]] if verbs else clause

    def _resolve(self, phrase: str) -> tuple[Entity | None, str | None, str | None, str]:
        """The entity a subject phrase names: (entity, text when no entity, kind, how)."""
        parts = _noun_phrases(phrase)
        if not parts:
            return None, None, None, "none"
        for part in parts:
            name, roles = split_noun_phrase(part)
            if name is not None:
                extra = [p for p in parts if p != part and _is_description(p)]
                entity = self.register.person(name, [*roles, *extra])
                return entity, None, "person", "named"
        first = parts[0]
        bare = re.sub(r"^(?:the|a|an)\s+", "", first, flags=re.IGNORECASE).strip()
        folded = fold(bare)
        if folded.split()[:1] and folded.split()[0] in PRONOUNS:  # "he", "he again", "she also"
            subject = self.register.last_subject
            if subject is not None:
                return self.register.mention(subject), None, subject.kind, "pronoun"
            return None, None, None, "none"
        if re.fullmatch(r"[A-Z][\w’'-]+", bare):
            known = self.register.by_name(bare)
            if known is not None:
                return self.register.mention(known), None, "person", "surname"
        definite = re.match(r"(?:the\s|[A-Z][\w’'-]*(?:’s|'s)\s)", first, flags=re.IGNORECASE)
        head = fold(bare).split()[-1] if bare else ""
        indefinite = re.match(r"(?:a|an)\s", first, flags=re.IGNORECASE)
        if definite and not indefinite:
            # "the minister", "the group": the best fit; any other description only as an exact
            # role ("the premier's chief of staff"), so that "the Kremlin" stays the Kremlin.
            loose = head in _PERSON_HEADS or head in COLLECTIVE or head.rstrip("s") in COLLECTIVE
            described = self.register.describe(first, exact=not loose)
            if described is not None:
                return self.register.mention(described), None, described.kind, "description"
        if (head in _PERSON_HEADS and not head.endswith("s")) or indefinite:
            return None, bare, "description", "description"
        if not bare or (bare[0].islower() and head not in COLLECTIVE):
            return None, bare or None, "description", "description"
        entity = self.register.organisation(bare)
        return entity, None, "organisation", "organisation"

    def _note_occasion(self, clause: str, drafts: list[_Draft]) -> None:
        """ "He spoke to reporters outside the hall.": the occasion of the quote just before."""
        if not drafts or not re.match(r"\s*(?:He|She|They)\b", clause):
            return
        last = drafts[-1]
        if last.channel is None and last.speaker is self.register.last_subject:
            last.channel = channels.find_channel(clause)

    def _meeting(self, number: int, clause: str, words: str) -> MeetingMention | None:
        if not re.search(r"\b(?:met|meet|meets|received|hosted|held talks|talks with|talks in|"
                         r"round of talks|visited)\b", clause):
            return None
        # "in Geneva" names the place better than "at the Kremlin".
        where = re.search(r"\bin (?:the )?((?:[A-Z][\w’'-]+)(?:[ -][A-Z][\w’'-]+)*)", clause) \
            or re.search(r"\bat (?:the )?((?:[A-Z][\w’'-]+)(?:[ -][A-Z][\w’'-]+)*)", clause)
        if not where:
            return None
        people: list[str] = []
        for segment in re.split(r",| and | with | received | met | hosted ", clause):
            name, _ = split_noun_phrase(segment)
            if name and name not in people:
                entity = self.register.by_name(name)
                people.append(entity.name if entity else name)
        mention = _first_date(clause, self.day)
        capitalised = tuple(dict.fromkeys(re.findall(r"\b[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*", clause)))
        return MeetingMention(date=mention.day if mention else None, place=where.group(1),
                              people=tuple(people), names=capitalised, sentence=words.strip(),
                              paragraph=number)


def _verb_like(word: str) -> bool:
    if word != word.lower():
        return False
    if word in _AUXILIARIES or _SPEECH.fullmatch(word):
        return True
    return len(word) > 4 and word.endswith("ed") and "-" not in word and word not in _NOT_VERBS


def _noun_phrases(phrase: str) -> list[str]:
    """The noun phrases of a subject: comma parts, without clauses, openers or what follows a verb."""
    parts: list[str] = []
    for raw in phrase.split(","):
        part = raw.strip(" “”\"‘’:;—–-")
        if not part:
            continue
        tokens = part.split()
        first = tokens[0]
        if first.lower() in _RELATIVE:
            continue
        if first.lower() in _OPENERS or (first.endswith("ing") and first[0].islower()):
            continue
        cut = next((i for i, t in enumerate(tokens) if _verb_like(t.strip(".,;:"))), None)
        if cut is not None:
            if cut:
                parts.append(" ".join(tokens[:cut]))
            break
        parts.append(part)
    return parts


def _is_description(text: str) -> bool:
    tokens = text.split()
    return 0 < len(tokens) <= 9 and not any(_verb_like(t) for t in tokens) \
        and tokens[0].lower() not in _RELATIVE and tokens[0].lower() not in _OPENERS


def _occasion_text(clause: str, verb: re.Match[str], start: int, end: int) -> str:
    """The words that say how and when the quote was said: around the verb, not in the report."""
    if verb.start() >= end:
        before = clause[end:verb.start()]
        after = clause[verb.end():]
    else:
        before = clause[: verb.start()]
        after = clause[verb.end(): start]
    stop = re.search(r"\bthat\b|[“\"]", after)
    after = after[: stop.start()] if stop else after
    before = _without_relative_clauses(before)
    tail = clause[end:] if verb.start() < end else ""
    # "…", according to a readout: the tail names the channel when it adds no verb of its own.
    source = re.match(r'[\s,”"’]*according to\b([^,;]*)', tail)
    tail = source.group(1) if source and not _SPEECH.search(source.group(1)) else ""
    return " ".join((before, clause[verb.start():verb.end()], after, tail))


def _without_relative_clauses(text: str) -> str:
    """Relative clauses ("…, who met both men last week, …") describe someone, not the occasion."""
    return re.sub(r",\s*(?:who|which|whose)\b[^,]*,", ",", text)


def _first_date(text: str, day: dt.date | None) -> dates.DateMention | None:
    found = [m for m in dates.find_dates(text, day) if m.day is not None]
    return found[0] if found else None


def with_date(extraction: Extraction, day: dt.date) -> Extraction:
    """``extraction`` as if read with ``day`` as the article's date (for tests and re-runs)."""
    return replace(extraction, date=day)

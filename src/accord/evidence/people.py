"""Who is who in one report: names, titles and the references that point back to them.

The register is filled as the article is read, sentence by sentence.  A person
enters with their full name and whatever describes them where they are
introduced — titles before the name ("Secretary of State Marco Rubio"),
appositions around it ("Jared Kushner, Trump's son-in-law,", also after a
surname: "Kushner, Trump's son-in-law,"), a possessive role ("Karimi's deputy,
Leila Sadeghi,"; "Tenga's Interior Minister Paul Mwangi-Sorel").  Later
references are resolved against it:

* a surname alone ("Rubio said") → the person of that surname mentioned last;
* a pronoun ("he said") → the subject of the sentence before it, the usual
  reading of wire copy;
* a description ("the minister", "the Ukrainian president", "Trump's
  son-in-law") → the most recently mentioned person it fits: its head noun must
  be among the person's role words (envoy and mediator count as one), each
  other word too, and a nationality must not contradict theirs;
* an organisation ("the Kremlin", "the ministry", "the front") → itself, or the
  most recent organisation the description fits; one word that starts a named
  organisation ("Atlantica" after "Atlantica Airways") → that organisation.

An age given in an apposition ("Jane Doe, 64,") is kept apart from the roles
(:attr:`Entity.ages`), for "the 64-year-old"; the reader
(:mod:`accord.evidence.extract`) also resolves ages, demonyms and new
descriptions against the one person in focus when nobody fits by their words.

Bounded work: names are folded once and indexed (full name, surname, first and
last name), so a lookup costs the same however many people the article names;
a description is compared with the :data:`RECENT` people (or organisations)
mentioned last — a reference points back a few sentences, not to the start of
a long report; and an article naming more than :data:`MAX_ENTITIES` people and
organisations is refused (:class:`TooManyNames`).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field

from accord.evidence.nations import demonyms_of, is_demonym, nation_of
from accord.evidence.words import fold

__all__ = ["COLLECTIVE", "MAX_ENTITIES", "PRONOUNS", "RECENT", "Entity", "Register", "TooManyNames",
           "known_nation", "names_in", "organisations_in", "split_noun_phrase"]

#: People and organisations one article may name (a long report names a few dozen).
MAX_ENTITIES = 5000
#: A description ("the minister") is compared with this many of the people mentioned last.
RECENT = 64


class TooManyNames(ValueError):
    """The article names more than :data:`MAX_ENTITIES` people and organisations."""


# Words that describe an office, not a person; stripped from the front of a capitalised run.
TITLE_WORDS = frozenset([
    "president", "vice-president", "prime", "deputy", "minister", "ministers", "secretary",
    "secretary-general", "state", "chancellor", "general", "gen", "lieutenant", "colonel", "col",
    "major", "admiral", "commander", "chief", "envoy", "special", "senior", "spokesman",
    "spokeswoman", "spokesperson", "commissioner", "leader", "ambassador", "mediator", "negotiator",
    "head", "chair", "chairman", "chairwoman", "speaker", "king", "queen", "prince", "princess",
    "sheikh", "emir", "mayor", "governor", "sen", "rep", "gov", "mr", "mrs", "ms", "dr", "foreign",
    "defence", "defense", "interior", "finance", "economy", "economic", "trade", "justice",
    "energy", "water", "fisheries", "farm", "agriculture", "information", "health", "education",
    "security", "national", "foreign-policy", "policy", "aide", "adviser", "advisor", "formateur",
    "rebel", "army", "representative", "delegate", "high", "united", "nations", "un", "eu", "us",
    "u.s.", "nato", "au", "official", "officials", "top", "lead", "director", "chief-of-staff",
    "judge", "justice", "opposition", "former", "acting", "interim", "supreme", "first",
    "senator", "congressman", "congresswoman", "councillor", "councilor", "councilman",
    "councilwoman", "assemblyman", "assemblywoman", "lawmaker", "legislator", "mp", "mep",
    "executive", "ceo", "coordinator", "rapporteur", "superintendent", "inspector",
    # ranks and offices that precede a name like the ones above ("Commodore Rafael Ibsen",
    # "Harbour Master Celine Ong-Petersen", "Rear Admiral …", "Brigadier …", "Professor …")
    "commodore", "captain", "capt", "brigadier", "brig", "marshal", "field", "sergeant", "sgt", "lt",
    "rear", "vice", "harbour", "harbor", "master", "port", "professor", "prof", "premier", "sir", "dame",
    "archbishop", "bishop", "cardinal", "imam", "rabbi", "prosecutor", "attorney", "ombudsman",
    "magistrate", "auditor", "registrar", "president-elect", "secretary-designate"
])

# Words that mark a capitalised run as an organisation or a place, not a person.
ORG_WORDS = frozenset([
    "coast", "front", "guard", "alliance", "party", "council", "union", "bank", "agency",
    "ministry", "commission", "army", "force", "forces", "nations", "states", "kingdom", "republic",
    "market", "club", "house", "department", "office", "mission", "fund", "organization",
    "organisation", "group", "committee", "parliament", "assembly", "court", "sea", "river", "gulf",
    "ocean", "north", "south", "east", "west", "northern", "southern", "eastern", "western",
    "upper", "lower", "lowland", "highland", "islands", "island", "kremlin", "capitol",
    "government", "cabinet", "delegation", "bloc", "federation", "league", "movement", "brigade",
    "brigades", "corps", "navy", "one", "airport", "hotel", "palace", "centre", "center",
    "university", "institute", "street", "square", "avenue", "road",
    "times", "post", "news", "agency", "radio", "television", "tv", "daily", "today", "gazette",
    "herald", "tribune", "courier", "journal", "chronicle", "telegraph", "observer", "monitor",
    "press", "workers", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december"
])

# The last word of an organisation's name ("Mbari Liberation Front", "the Green Union").
ORG_HEADS = frozenset({
    "front", "union", "league", "alliance", "party", "council", "bloc", "compact", "movement",
    "coalition", "federation", "commission", "committee", "secretariat", "ministry", "government", "forum",
    "army", "forces", "brigades", "agency", "parliament", "assembly", "delegation", "group", "office",
    "militia", "rebels", "congress", "senate", "cabinet", "administration", "department", "navy",
    "police", "embassy", "presidency", "military",
    # companies and public bodies: "Atlantica Airways", "the Harbour Authority"
    "airways", "airlines", "holdings", "corporation", "company", "authority", "association",
    # a company's legal form: "Northway Transit AG", "Harlen Shipping Ltd"
    "ag", "gmbh", "plc", "ltd", "inc", "llc", "nv", "bv", "asa", "sa", "spa", "oyj"})
# No person's name has one of these words ("the Andes Compact" is an organisation).
_NOT_NAMES = ORG_WORDS | ORG_HEADS
# Collective nouns that refer back to an organisation ("the group said", "the front said").
COLLECTIVE = ORG_HEADS | frozenset({"rebels", "militia"})
_SYNONYMS = {"mediator": "envoy", "spokeswoman": "spokesman", "spokesperson": "spokesman",
             "negotiator": "negotiator", "aide": "adviser", "advisor": "adviser"}
PRONOUNS = frozenset({"he", "she", "they", "it", "we"})
_PARTICLES = frozenset({"de", "van", "von", "der", "den", "da", "das", "dos", "du", "la", "le", "al",
                        "el", "bin", "ibn", "del", "di", "ter"})
# A particle joined to the name it belongs to: "al-Tareen", "el-Masri", "d'Aubigny", "bin-Zayed".
_PREFIXED_PARTICLE = re.compile(r"(?:al|el|ad|ar|as|ash|at|az|an|bin|ibn|abu|ben|bint|d|de|da|del|di|"
                                r"du|dos|van|von|ter)[-'’][A-ZÀ-ÖØ-Þ][\w’'.-]*")
# The common noun of an outlet, just before its name.
_OUTLET_BEFORE = re.compile(r"\b(?:newspaper|daily|weekly|magazine|broadcaster|station|channel|network|"
                            r"news agency|outlet|paper|website|programme|program|show|tabloid)\s+$")
_DETERMINERS = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
# Capitalised at the start of a sentence, but never part of a name: "The", "In Kyiv", "After …".
_LEADING = frozenset({
    "the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their", "our", "in", "on",
    "at", "after", "before", "for", "from", "with", "by", "as", "when", "while", "but", "and", "if",
    "of", "to", "under", "during", "since", "asked", "speaking", "meanwhile", "however", "later",
    "earlier", "separately", "yet", "also", "aboard", "still", "according", "despite", "amid",
    "following", "without", "both", "neither", "officials", "diplomats"})

_AGE = re.compile(r"\d{1,3}-year-old")
_AGE_IN = re.compile(r"\b(\d{1,3})-year-old\b")
# An apposition that is only an age: "Andrés Villalta, 52, joined them".
_AGE_ONLY = re.compile(r"(\d{1,3})")
# A body's name that goes on after "of": "Court of", "Bank of", "Ministry of the".
_OF_BODY = re.compile(r"\b([A-Z][\w’'-]+)\s+of\s+(?:the\s+)?$")
_BODY_OF = re.compile(r"\b((?:[A-Z][\w’'-]+\s+){0,3}?([A-Z][\w’'-]+))\s+of\s+(?:the\s+)?"
                      r"[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,3}")
_NAME_TOKEN = re.compile(r"[A-ZÀ-ÖØ-Þ][\w’'.-]*")
_POSSESSIVE = ("'s", "’s")


@dataclass(eq=False)
class Entity:
    """A person or an organisation the article mentions (compared by identity)."""

    name: str
    kind: str                     # "person" or "organisation"
    roles: list[str] = field(default_factory=list)
    last_seen: int = 0
    #: Ages the article gives ("Jane Doe, 64," or "the 64-year-old Jane Doe"), for "the 64-year-old".
    ages: set[int] = field(default_factory=set)
    _words: set[str] | None = field(default=None, repr=False)
    _nations: set[str] | None = field(default=None, repr=False)

    def add_role(self, role: str) -> None:
        if role and (age := _AGE_ONLY.fullmatch(role.strip())):
            self.ages.add(int(age.group(1)))  # "Jane Doe, 64,": an age, not a role
            return
        for found in _AGE_IN.finditer(role or ""):
            self.ages.add(int(found.group(1)))
        if role and role not in self.roles:
            self.roles.append(role)
            self._words = self._nations = None

    def role_words(self) -> set[str]:
        """The words of the entity's roles, folded, with synonyms made one (computed once)."""
        if self._words is None:
            words: set[str] = set()
            for role in self.roles:
                for word in re.findall(r"[\w’'.-]+", fold(role)):
                    word = word.removesuffix("'s").strip(".")
                    words.add(_SYNONYMS.get(word, word))
            self._words = words
        return self._words

    def nationalities(self) -> set[str]:
        """The nations the entity's roles name ("Russian President" → ru), computed once."""
        if self._nations is None:
            found = set()
            for role in self.roles:
                for word in re.findall(r"[\w.’'-]+", role):
                    word = word.removesuffix("'s").removesuffix("’s")
                    if word[:1].isupper() and (named := nation_of(word)) is not None:
                        found.add(named)
            self._nations = found
        return self._nations


def split_noun_phrase(text: str) -> tuple[str | None, list[str]]:
    """The (first) person name in a capitalised phrase and the words before it that describe them.

    >>> split_noun_phrase("EU trade commissioner Lena Marques")
    ('Lena Marques', ['EU trade commissioner'])
    >>> split_noun_phrase("the Kremlin")
    (None, [])
    """
    found = names_in(text)
    return found[0] if found else (None, [])


def _runs(text: str) -> list[tuple[list[re.Match[str]], bool]]:
    """Runs of capitalised tokens (particles inside), each marked True when it is a possessor
    ("Tenga's", "the Northern Compact's"): a possessive ends its run."""
    runs: list[tuple[list[re.Match[str]], bool]] = []
    current: list[re.Match[str]] = []
    for token in re.finditer(r"[^\s,;:()“”\"]+", text):
        word = token.group(0)
        if _NAME_TOKEN.fullmatch(word) or (current and word.lower() in _PARTICLES) \
                or _PREFIXED_PARTICLE.fullmatch(word):
            if not current and fold(word) in _LEADING:
                continue
            current.append(token)
            if word.endswith(_POSSESSIVE):
                runs.append((current, True))
                current = []
        else:
            if current:
                runs.append((current, False))
            current = []
    if current:
        runs.append((current, False))
    return runs


def names_in(text: str) -> list[tuple[str, list[str]]]:
    """Every person name in ``text``, each with the title words just before it.

    >>> names_in("Tenga's Interior Minister Paul Mwangi-Sorel met Ana Ruiz")
    [('Paul Mwangi-Sorel', ["Tenga's Interior Minister"]), ('Ana Ruiz', [])]
    >>> names_in("An Almaran government spokesman")
    []
    """
    found: list[tuple[str, list[str]]] = []
    previous_end = 0
    for run, possessor in _runs(text):
        while run and run[-1].group(0).lower() in _PARTICLES:
            run.pop()
        if possessor or not run:
            continue  # a possessor ("Karimi's deputy"), not the phrase's head
        if _OUTLET_BEFORE.search(text[max(0, run[0].start() - 40):run[0].start()]):
            continue  # "the newspaper Velmark Today", "the broadcaster Ana TV": an outlet's name
        if (body := _OF_BODY.search(text[:run[0].start()])) and fold(body.group(1)) in _NOT_NAMES:
            continue  # "the Permanent Court of Maritime Arbitration": the rest of a body's name
        words = [t.group(0) for t in run]
        # Strip titles and nationalities from the front: "German Chancellor Friedrich Merz".
        # A run straight before a title word describes someone ("The Greek Karsiot negotiator").
        following = text[run[-1].end():].split()
        next_word = fold(following[0]).strip(".,") if following else ""
        if following and following[0][0].islower() and (next_word in TITLE_WORDS or next_word in COLLECTIVE):
            continue
        if following and re.fullmatch(r"\d+", following[0].strip(".,")):
            continue  # "Transit Workers Local 412 President …": a numbered body, not a person

        start, titled = 0, False
        while start < len(words) - 1:
            word = fold(words[start]).strip(".")
            if word in TITLE_WORDS or word in {"of", "the"}:
                titled = titled or word in TITLE_WORDS
                start += 1
            elif is_demonym(words[start]) and len(words) - start > 2:
                start += 1
            else:
                break
        name_words = words[start:]
        # A title inside the run ends the office before the name: "European Council President |
        # Elena Rossi", "Coral Bloc Chair | Luana Kealoha".
        last_title = max((n for n, w in enumerate(name_words[:-1]) if fold(w).strip(".") in TITLE_WORDS),
                         default=-1)
        if last_title >= 0 and len(name_words) - last_title - 1 >= 2 and not any(
                fold(w).removesuffix("'s").strip(".'") in ORG_WORDS for w in name_words[last_title + 1:]):
            start += last_title + 1
            name_words = words[start:]
            titled = True
        if not (2 <= len(name_words) <= 4 or (len(name_words) == 1 and titled)):
            continue
        if any(fold(w).removesuffix("'s").strip(".'") in _NOT_NAMES for w in name_words) \
                or fold(name_words[0]) in TITLE_WORDS or any(w.isupper() and len(w) > 1 for w in name_words):
            continue
        last = name_words[-1]
        if len(last) > 3 and last.endswith(".") and last.count(".") == 1:
            name_words = [*name_words[:-1], last[:-1]]  # "… envoy Rosa Tamm." — the full stop
        name = " ".join(name_words)
        head = text[previous_end: run[start].start()].strip(" ,")
        if re.search(r"(?:^|\s)(?:and|with|received|met|of|from|to|by)$", head) or not head:
            head = re.sub(r"^.*\b(?:and|with|received|met|of|from|to|by)\s+", "", head) if head else ""
            head = "" if head in ("and", "with", "received", "met", "of", "from", "to", "by") else head
        head = re.sub(r"^(?:and|or|with|of|from|to|by|received|met|its|his|her|their)\s+", "", head)
        # "The former defender told the radio station Cadena Norte": what the subject did is not
        # what the object is — the role starts after the verb.
        head = re.sub(r"^.*\b(?:told|tells|telling|said|says|asked|called|urged|warned|thanked|phoned|"
                      r"visited|replaced|succeeded|accused|criticised|criticized|praised|joined|named|"
                      r"appointed|hosted|invited)\s+", "", head)
        head = _DETERMINERS.sub("", head)
        found.append((name, [head] if head else []))
        previous_end = run[-1].end()
    return found


def organisations_in(text: str) -> list[str]:
    """Organisations named by a capitalised run ending in an organisation word.

    >>> organisations_in("Talks between Tenga and the Mbari Liberation Front, and the Coral Bloc's chair")
    ['Mbari Liberation Front', 'Coral Bloc']
    """
    found = []
    for run, _ in _runs(text):
        words = [t.group(0) for t in run]
        if words:
            words[-1] = words[-1].removesuffix("'s").removesuffix("’s")
        if 2 <= len(words) <= 6 and fold(words[-1]) in ORG_HEADS and fold(words[0]) not in TITLE_WORDS:
            found.append(" ".join(words))
    # "the Permanent Court of Maritime Arbitration", "the Bank of England": a body's word, "of", a name.
    for match in _BODY_OF.finditer(text):
        words = match.group(0).split()
        while words and fold(words[0]) in _LEADING:
            words.pop(0)
        if fold(match.group(2)) in ORG_WORDS | ORG_HEADS and words:
            found.append(" ".join(words).removesuffix("'s").removesuffix("’s"))
    return found


class Register:
    """The people and organisations of one article, and which were mentioned last.

    ``steps`` counts the entities examined by lookups: the measure of work the tests
    check grows linearly with the article.
    """

    def __init__(self) -> None:
        self.entities: list[Entity] = []
        self.clock = 0
        self.last_subject: Entity | None = None
        self.steps = 0
        self._full: dict[tuple[str, ...], Entity] = {}
        self._first_last: dict[tuple[str, str], Entity] = {}
        self._surname: dict[str, Entity] = {}          # the last-mentioned person of each surname
        self._orgs: dict[str, Entity] = {}
        self._org_first: dict[str, Entity] = {}     # the latest organisation of each first word
        self._recent: dict[str, OrderedDict[int, Entity]] = {"person": OrderedDict(),
                                                             "organisation": OrderedDict()}

    def _touch(self, entity: Entity) -> Entity:
        self.clock += 1
        entity.last_seen = self.clock
        recent = self._recent[entity.kind]
        recent[id(entity)] = entity
        recent.move_to_end(id(entity))
        if entity.kind == "person":
            self._surname[fold(entity.name).split()[-1]] = entity
        return entity

    def _new(self, name: str, kind: str) -> Entity:
        if len(self.entities) >= MAX_ENTITIES:
            raise TooManyNames(f"names more than {MAX_ENTITIES:,} people and organisations")
        entity = Entity(name=name, kind=kind)
        self.entities.append(entity)
        return entity

    def person(self, name: str, roles: list[str] | None = None) -> Entity:
        """The person ``name`` (a new one, or the one already known by that full name or surname)."""
        found = self.by_name(name)
        if found is None:
            found = self._new(name, "person")
            words = tuple(fold(name).split())
            self._full[words] = found
            if len(words) > 1:
                self._first_last.setdefault((words[0], words[-1]), found)
        for role in roles or []:
            found.add_role(role)
        return self._touch(found)

    def organisation(self, name: str, roles: list[str] | None = None) -> Entity:
        name = _DETERMINERS.sub("", name.strip())
        key = fold(name)
        found = self._orgs.get(key)
        if found is None and " " not in key:
            # "Atlantica Airways … Atlantica said": one word is the short form of the latest
            # organisation whose name starts with it.
            found = self._org_first.get(key)
        if found is None:
            found = self._orgs[key] = self._new(name, "organisation")
            if " " in key:
                self._org_first[key.split()[0]] = found
        for role in roles or []:
            found.add_role(role)
        return self._touch(found)

    def by_name(self, name: str) -> Entity | None:
        """A known person by full name, by surname (the one mentioned last), or by first name and
        surname without a middle part."""
        self.steps += 1
        wanted = tuple(fold(name).split())
        if not wanted:
            return None
        if wanted in self._full:
            return self._full[wanted]
        if len(wanted) == 1:
            return self._surname.get(wanted[0])
        return self._first_last.get((wanted[0], wanted[-1]))

    def mention(self, entity: Entity) -> Entity:
        return self._touch(entity)

    def recent(self, kind: str) -> Iterator[Entity]:
        """The :data:`RECENT` entities of ``kind`` mentioned last, the latest first."""
        for count, entity in enumerate(reversed(self._recent[kind].values())):
            if count >= RECENT:
                return
            self.steps += 1
            yield entity

    def describe(self, description: str, *, exact: bool = False) -> Entity | None:
        """The entity a description ("the minister", "Trump's son-in-law") most likely refers to."""
        words = [w.removesuffix("'s") if not w.endswith("'s") or "-" in w else w
                 for w in re.findall(r"[\w’'.-]+", fold(_DETERMINERS.sub("", description)))]
        if not words:
            return None
        head = _SYNONYMS.get(words[-1].strip("."), words[-1].strip("."))
        # An age ("the 58-year-old envoy") describes the person but is never among their titles.
        modifiers = [w.strip(".") for w in words[:-1] if not _AGE.fullmatch(w.strip("."))]
        if head in COLLECTIVE or (head.endswith("s") and head[:-1] in COLLECTIVE):
            return self._collective(head, modifiers)
        whole = " ".join(words)
        candidates = list(self.recent("person"))
        for entity in candidates:
            # "Trump's son-in-law" is the role "President Donald Trump's son-in-law" too.
            if any((r := fold(_DETERMINERS.sub("", role))) == whole or r.endswith(f" {whole}")
                   for role in entity.roles):
                return entity
        if exact:
            return None
        for entity in candidates:
            role_words = entity.role_words()
            if head not in role_words:
                continue
            unfit = [m for m in modifiers if not _modifier_fits(m, role_words, entity)]
            # "African Union mediator" against "AU special envoy": the initials count.
            if not unfit or "".join(m[0] for m in unfit) in role_words:
                return entity
        return None

    def _collective(self, head: str, modifiers: list[str]) -> Entity | None:
        singular = head[:-1] if head.endswith("s") and head[:-1] in COLLECTIVE else head
        organisations = list(self.recent("organisation"))
        for entity in organisations:
            words = set(re.findall(r"[\w’'-]+", fold(entity.name))) | entity.role_words()
            if (head in words or singular in words) and all(m in words for m in modifiers):
                return entity
        if singular in ("group", "rebels", "militia", "movement") and organisations:
            return organisations[0]
        return None

    def by_nationality(self, demonym: str) -> Entity | None:
        """The person mentioned last whose roles give the nationality ``demonym`` names ("the
        Norwegian" → "Norwegian diplomat Anders Lien"), or None."""
        code = nation_of(demonym) if is_demonym(demonym) else None
        folded = fold(demonym)
        # A demonym that is a noun ("the Icelander", "the Dane"): the adjective's first letters.
        stem = _NOUN_DEMONYMS.get(folded) or (folded[:-2] if folded.endswith("er") and len(folded) > 6
                                              else folded[:-3] if folded.endswith("man") and len(folded) > 6
                                              else None)
        for entity in self.recent("person"):
            if (code is not None and code in entity.nationalities()) or any(
                    _names_country(folded, word) or (stem is not None and word.startswith(stem))
                    for word in entity.role_words()):
                return entity
        return None


# Demonyms that are nouns, and the start of the adjective they go with ("the Dane", "Danish").
_NOUN_DEMONYMS = {"dane": "danish", "swede": "swedish", "finn": "finnish", "pole": "polish",
                  "briton": "british", "brit": "british", "scot": "scottish", "turk": "turkish",
                  "spaniard": "spanish", "swiss": "swiss", "greek": "greek", "czech": "czech"}


def known_nation(word: str) -> str | None:
    """The code of the nation a demonym of the table names, adjective or noun ("Irish",
    "Irishman", "Frenchwoman", "Dane"), or None (also for a word that only looks like one)."""
    folded = fold(word)
    for form in (word, word.removesuffix("man"), word.removesuffix("woman"),
                 (_NOUN_DEMONYMS.get(folded) or "").capitalize()):
        if len(form) > 2 and is_demonym(form) and (code := nation_of(form)) is not None \
                and code != fold(form).rstrip("."):
            return code
    return None


def _names_country(demonym: str, word: str) -> bool:
    """Whether ``demonym`` (folded) is a likely demonym of the country ``word`` ("karveshi" of
    "karvesh", from "Karvesh's president")."""
    return len(word) >= 4 and demonym != word and demonym in demonyms_of(word)


def _modifier_fits(modifier: str, role_words: set[str], entity: Entity) -> bool:
    if modifier in role_words or any(_names_country(modifier, word) for word in role_words):
        return True
    named = nation_of(modifier.capitalize())
    if named is not None:
        # A nationality: fits when the person's roles give none or the same one.
        theirs = entity.nationalities()
        return not theirs or named in theirs
    return False

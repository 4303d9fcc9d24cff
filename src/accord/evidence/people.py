"""Who is who in one report: names, titles and the references that point back to them.

The register is filled as the article is read, sentence by sentence.  A person
enters with their full name and whatever describes them where they are
introduced — titles before the name ("Secretary of State Marco Rubio"),
appositions around it ("Jared Kushner, Trump's son-in-law,"), a possessive
role ("Karimi's deputy, Leila Sadeghi,").  Later references are resolved
against it:

* a surname alone ("Rubio said") → the person of that surname;
* a pronoun ("he said") → the subject of the sentence before it, the usual
  reading of wire copy;
* a description ("the minister", "the Ukrainian president", "Trump's
  son-in-law") → the most recently mentioned person it fits: its head noun must
  be among the person's role words (envoy and mediator count as one), each
  other word too, and a nationality must not contradict theirs;
* an organisation ("the Kremlin", "the ministry", "the group") → itself, or the
  most recent organisation the description fits.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

__all__ = ["Entity", "Register", "split_noun_phrase"]

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
    "judge", "justice", "opposition", "former", "acting", "interim", "supreme", "first"
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
    "university", "institute", "times", "post", "news", "agency", "radio", "television", "tv",
    "press", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december"
])

# Collective nouns that refer back to an organisation ("the group said").
COLLECTIVE = frozenset({"group", "rebels", "militia", "ministry", "government", "delegation", "party",
                        "alliance", "agency", "commission", "council", "bloc", "union", "movement",
                        "office", "department", "cabinet", "administration", "coalition", "army"})
_SYNONYMS = {"mediator": "envoy", "spokeswoman": "spokesman", "spokesperson": "spokesman",
             "negotiator": "negotiator", "aide": "adviser", "advisor": "adviser"}
PRONOUNS = frozenset({"he", "she", "they", "it", "we"})
_PARTICLES = frozenset({"de", "van", "von", "der", "den", "da", "das", "dos", "du", "la", "le", "al",
                        "el", "bin", "ibn", "del", "di", "ter"})
_DETERMINERS = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)

_NAME_TOKEN = re.compile(r"[A-ZÀ-ÖØ-Þ][\w’'.-]*")


def fold(text: str) -> str:
    """Lower case without accents and with one kind of apostrophe, for comparisons."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.replace("’", "'").casefold()


_DEMONYMS = frozenset([
    "qatari", "saudi", "iraqi", "israeli", "pakistani", "omani", "emirati", "kuwaiti", "yemeni",
    "bangladeshi", "somali", "thai", "swiss", "french", "dutch", "greek", "czech", "danish",
    "polish", "british", "irish", "scottish", "welsh", "spanish", "finnish", "swedish", "turkish",
    "kurdish", "uzbek", "tajik", "kazakh", "kyrgyz", "afghan", "congolese", "chinese", "japanese",
    "portuguese", "lebanese", "sudanese", "maltese", "us", "u.s", "uk", "eu", "un", "au", "nato"
])


# Words that name the same nationality ("the U.S. president" is the American President).
_NATIONS = (("us", "u.s", "usa", "american", "america", "united states"),
            ("uk", "british", "britain", "english"),
            ("russian", "russia"), ("ukrainian", "ukraine"), ("french", "france"), ("german", "germany"),
            ("eu", "european", "europe"), ("chinese", "china"), ("turkish", "turkey"), ("polish", "poland"),
            ("un", "united nations"), ("au", "african union"), ("italian", "italy"), ("spanish", "spain"))
_NATION = {word: group[0] for group in _NATIONS for word in group}


def nation(word: str) -> str | None:
    """The nationality a word names, in one spelling (``U.S.``, ``American`` → ``us``), if any."""
    bare = fold(word).strip(".").replace(".", "")
    if bare in _NATION:
        return _NATION[bare]
    if _is_demonym(word):
        return bare
    return None


def _is_demonym(word: str) -> bool:
    bare = fold(word).rstrip(".")
    return bare in _DEMONYMS or bool(re.fullmatch(r"[A-Z][a-z]+(?:an|ian|ese)", word.rstrip(".")))


@dataclass
class Entity:
    """A person or an organisation the article mentions."""

    name: str
    kind: str                     # "person" or "organisation"
    roles: list[str] = field(default_factory=list)
    last_seen: int = 0

    def role_words(self) -> set[str]:
        words: set[str] = set()
        for role in self.roles:
            for word in re.findall(r"[\w’'.-]+", fold(role)):
                word = word.removesuffix("'s").strip(".")
                words.add(_SYNONYMS.get(word, word))
        return words

    def nationalities(self) -> set[str]:
        found = set()
        for role in self.roles:
            for word in re.findall(r"[\w.’'-]+", role):
                if word[:1].isupper() and (named := nation(word)) is not None:
                    found.add(named)
        return found


def split_noun_phrase(text: str) -> tuple[str | None, list[str]]:
    """The (first) person name in a capitalised phrase and the words before it that describe them.

    ``"EU trade commissioner Lena Marques"`` → ``("Lena Marques", ["EU trade commissioner"])``;
    a phrase without a name gives ``(None, [])``.
    """
    found = names_in(text)
    return found[0] if found else (None, [])


def names_in(text: str) -> list[tuple[str, list[str]]]:
    """Every person name in ``text``, each with the title words just before it."""
    tokens = list(re.finditer(r"[^\s,]+", text))
    runs: list[list[re.Match[str]]] = []
    current: list[re.Match[str]] = []
    for token in tokens:
        word = token.group(0)
        if _NAME_TOKEN.fullmatch(word) or (current and word.lower() in _PARTICLES):
            current.append(token)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    found: list[tuple[str, list[str]]] = []
    previous_end = 0
    for run in runs:
        while run and run[-1].group(0).lower() in _PARTICLES:
            run.pop()
        words = [t.group(0) for t in run]
        if words and words[-1].endswith(("'s", "’s")):
            continue  # a possessor ("Karimi's deputy"), not the phrase's head
        # Strip titles and nationalities from the front: "German Chancellor Friedrich Merz".
        # A run straight before a title word describes someone ("The Greek Karsiot negotiator").
        following = text[run[-1].end():].split()
        if following and fold(following[0]).strip(".,") in TITLE_WORDS and following[0][0].islower():
            continue
        start, titled = 0, False
        while start < len(words) - 1:
            word = fold(words[start]).strip(".")
            if word in TITLE_WORDS or word in {"of", "the"}:
                titled = titled or word in TITLE_WORDS
                start += 1
            elif _is_demonym(words[start]) and len(words) - start > 2:
                start += 1
            else:
                break
        name_words = words[start:]
        if not (2 <= len(name_words) <= 4 or (len(name_words) == 1 and titled)):
            continue
        if any(fold(w).strip(".'’s") in ORG_WORDS for w in name_words) \
                or fold(name_words[0]) in TITLE_WORDS or any(w.isupper() and len(w) > 1 for w in name_words):
            continue
        name = " ".join(name_words)
        head = text[previous_end: run[start].start()].strip(" ,")
        if re.search(r"(?:^|\s)(?:and|with|received|met|of|from|to|by)$", head) or not head:
            head = re.sub(r"^.*\b(?:and|with|received|met|of|from|to|by)\s+", "", head) if head else ""
            head = "" if head in ("and", "with", "received", "met", "of", "from", "to", "by") else head
        found.append((name, [head] if head else []))
        previous_end = run[-1].end()
    return found


class Register:
    """The people and organisations of one article, in the order they were last mentioned."""

    def __init__(self) -> None:
        self.entities: list[Entity] = []
        self.clock = 0
        self.last_subject: Entity | None = None

    def _touch(self, entity: Entity) -> Entity:
        self.clock += 1
        entity.last_seen = self.clock
        return entity

    def person(self, name: str, roles: list[str] | None = None) -> Entity:
        """The person ``name`` (a new one, or the one already known by that full name or surname)."""
        found = self.by_name(name)
        if found is None:
            found = Entity(name=name, kind="person")
            self.entities.append(found)
        for role in roles or []:
            if role and role not in found.roles:
                found.roles.append(role)
        return self._touch(found)

    def organisation(self, name: str, roles: list[str] | None = None) -> Entity:
        name = _DETERMINERS.sub("", name.strip())
        found = next((e for e in self.entities if e.kind == "organisation" and fold(e.name) == fold(name)),
                     None)
        if found is None:
            found = Entity(name=name, kind="organisation")
            self.entities.append(found)
        for role in roles or []:
            if role not in found.roles:
                found.roles.append(role)
        return self._touch(found)

    def by_name(self, name: str) -> Entity | None:
        """A known person by full name, by surname, or by first name and surname without a middle part."""
        wanted = fold(name).split()
        if not wanted:
            return None
        people = [e for e in self.entities if e.kind == "person"]
        for entity in people:
            if fold(entity.name).split() == wanted:
                return entity
        if len(wanted) == 1:
            matches = [e for e in people if fold(e.name).split()[-1] == wanted[0]]
            return max(matches, key=lambda e: e.last_seen) if matches else None
        for entity in people:
            have = fold(entity.name).split()
            if have[-1] == wanted[-1] and have[0] == wanted[0]:
                return entity
        return None

    def mention(self, entity: Entity) -> Entity:
        return self._touch(entity)

    def describe(self, description: str, *, exact: bool = False) -> Entity | None:
        """The entity a description ("the minister", "Trump's son-in-law") most likely refers to."""
        words = [w.removesuffix("'s") if not w.endswith("'s") or "-" in w else w
                 for w in re.findall(r"[\w’'.-]+", fold(_DETERMINERS.sub("", description)))]
        if not words:
            return None
        head = _SYNONYMS.get(words[-1].strip("."), words[-1].strip("."))
        modifiers = [w.strip(".") for w in words[:-1]]
        if head in COLLECTIVE or (head.endswith("s") and head[:-1] in COLLECTIVE):
            return self._collective(head, modifiers)
        whole = " ".join(words)
        candidates = sorted((e for e in self.entities if e.kind == "person"),
                            key=lambda e: -e.last_seen)
        for entity in candidates:
            if any(fold(_DETERMINERS.sub("", role)) == whole for role in entity.roles):
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
        organisations = sorted((e for e in self.entities if e.kind == "organisation"),
                               key=lambda e: -e.last_seen)
        for entity in organisations:
            words = set(re.findall(r"[\w’'-]+", fold(entity.name))) | entity.role_words()
            if (head in words or singular in words) and all(m in words for m in modifiers):
                return entity
        if singular in ("group", "rebels", "militia", "movement") and organisations:
            return organisations[0]
        return None


def _modifier_fits(modifier: str, role_words: set[str], entity: Entity) -> bool:
    if modifier in role_words:
        return True
    named = nation(modifier.capitalize())
    if named is not None:
        # A nationality: fits when the person's roles give none or the same one.
        theirs = entity.nationalities()
        return not theirs or named in theirs
    return False

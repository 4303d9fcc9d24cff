"""The one table of countries and unions: names, demonyms, initials and seats of government.

Three readers need it: the register (is "the Ukrainian president" the same
nationality as "President Volodymyr Zelenskyy"?), the party matcher ("the
Kremlin said" is Russia) and the meeting reader.  Each entry gives a nation's
code and the words that name it; :func:`nation_of` maps one word or phrase to
a code, :func:`nations_in` finds every nation a text names.

For a country not in the table, a capitalised word ending like a demonym
("Velmoran", "Almaran", "Marrenlandese") is its own nationality (the word
folded), and :func:`demonyms_of` guesses the demonyms of an invented country's
name ("Velmora" → "velmoran") so that a scenario need not list them; a
scenario's party ``aliases`` add anything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from accord.evidence.words import fold

__all__ = ["NATIONS", "Nation", "demonyms_of", "is_demonym", "nation_of", "nations_in", "words_of"]


@dataclass(frozen=True)
class Nation:
    """One country or union and the words that name it (all folded)."""

    code: str
    names: tuple[str, ...]
    demonyms: tuple[str, ...] = ()
    initials: tuple[str, ...] = ()
    seats: tuple[str, ...] = ()   # capitals and seats of government: "the Kremlin said"

    def words(self) -> tuple[str, ...]:
        return (*self.names, *self.demonyms, *self.initials, *self.seats)


NATIONS: tuple[Nation, ...] = (
    Nation("us", ("united states", "united states of america", "america"), ("american",),
           ("us", "u.s.", "usa", "u.s.a."), ("washington", "white house", "state department", "pentagon")),
    Nation("uk", ("united kingdom", "britain", "great britain", "england"), ("british", "english"),
           ("uk", "u.k."), ("london", "downing street")),
    Nation("ru", ("russia", "russian federation"), ("russian",), (), ("moscow", "kremlin")),
    Nation("ua", ("ukraine",), ("ukrainian",), (), ("kyiv", "kiev", "bankova")),
    Nation("fr", ("france",), ("french",), (), ("paris", "elysee")),
    Nation("de", ("germany",), ("german",), (), ("berlin",)),
    Nation("it", ("italy",), ("italian",), (), ("rome",)),
    Nation("es", ("spain",), ("spanish",), (), ("madrid",)),
    Nation("pl", ("poland",), ("polish",), (), ("warsaw",)),
    Nation("hu", ("hungary",), ("hungarian",), (), ("budapest",)),
    Nation("nl", ("netherlands", "holland"), ("dutch",), (), ("the hague",)),
    Nation("ch", ("switzerland",), ("swiss",), (), ("bern",)),
    Nation("no", ("norway",), ("norwegian",), (), ("oslo",)),
    Nation("by", ("belarus",), ("belarusian",), (), ("minsk",)),
    Nation("tr", ("turkey", "turkiye"), ("turkish",), (), ("ankara",)),
    Nation("cn", ("china",), ("chinese",), (), ("beijing",)),
    Nation("jp", ("japan",), ("japanese",), (), ("tokyo",)),
    Nation("in", ("india",), ("indian",), (), ("new delhi",)),
    Nation("pk", ("pakistan",), ("pakistani",), (), ("islamabad",)),
    Nation("qa", ("qatar",), ("qatari",), (), ("doha",)),
    Nation("sa", ("saudi arabia",), ("saudi",), (), ("riyadh",)),
    Nation("ae", ("united arab emirates",), ("emirati",), ("uae",), ("abu dhabi",)),
    Nation("il", ("israel",), ("israeli",), (), ("jerusalem",)),
    Nation("ir", ("iran",), ("iranian",), (), ("tehran",)),
    Nation("eg", ("egypt",), ("egyptian",), (), ("cairo",)),
    Nation("gr", ("greece",), ("greek",), (), ("athens",)),
    Nation("cz", ("czech republic", "czechia"), ("czech",), (), ("prague",)),
    Nation("dk", ("denmark",), ("danish",), (), ("copenhagen",)),
    Nation("se", ("sweden",), ("swedish",), (), ("stockholm",)),
    Nation("fi", ("finland",), ("finnish",), (), ("helsinki",)),
    Nation("ie", ("ireland",), ("irish",), (), ("dublin",)),
    Nation("pt", ("portugal",), ("portuguese",), (), ("lisbon",)),
    Nation("mt", ("malta",), ("maltese",), (), ("valletta",)),
    Nation("scot", ("scotland",), ("scottish",), (), ("edinburgh",)),
    Nation("wales", ("wales",), ("welsh",), (), ("cardiff",)),
    Nation("lb", ("lebanon",), ("lebanese",), (), ("beirut",)),
    Nation("iq", ("iraq",), ("iraqi",), (), ("baghdad",)),
    Nation("om", ("oman",), ("omani",), (), ("muscat",)),
    Nation("kw", ("kuwait",), ("kuwaiti",), (), ()),
    Nation("ye", ("yemen",), ("yemeni",), (), ("sanaa",)),
    Nation("kurd", ("kurdistan",), ("kurdish",), (), ("erbil",)),
    Nation("af", ("afghanistan",), ("afghan",), (), ("kabul",)),
    Nation("uz", ("uzbekistan",), ("uzbek",), (), ("tashkent",)),
    Nation("tj", ("tajikistan",), ("tajik",), (), ("dushanbe",)),
    Nation("kz", ("kazakhstan",), ("kazakh",), (), ("astana",)),
    Nation("kg", ("kyrgyzstan",), ("kyrgyz",), (), ("bishkek",)),
    Nation("bd", ("bangladesh",), ("bangladeshi",), (), ("dhaka",)),
    Nation("th", ("thailand",), ("thai",), (), ("bangkok",)),
    Nation("so", ("somalia",), ("somali",), (), ("mogadishu",)),
    Nation("sd", ("sudan",), ("sudanese",), (), ("khartoum",)),
    Nation("cd", ("congo", "democratic republic of congo"), ("congolese",), (), ("kinshasa",)),
    Nation("eu", ("european union", "europe"), ("european",), ("eu",), ("brussels", "european commission")),
    Nation("un", ("united nations",), (), ("un", "u.n."), ()),
    Nation("au", ("african union",), (), ("au",), ()),
    Nation("nato", ("nato",), (), (), ()),
)

_CODE: dict[str, str] = {word: nation.code for nation in NATIONS for word in nation.words()}
# Initials match only as capitals in the text ("US", "U.S."), never the pronoun "us".
_INITIAL_FORMS = sorted({i.upper() for n in NATIONS for i in n.initials}, key=len, reverse=True)
_INITIALS = re.compile(r"(?<![\w.])(" + "|".join(re.escape(f) for f in _INITIAL_FORMS) + r")(?![\w])")
_INITIAL_CODE = {i.upper(): n.code for n in NATIONS for i in n.initials}
_WORDS = {word: code for word, code in _CODE.items()
          if not any(word == i for n in NATIONS for i in n.initials)}
_BY_CODE: dict[str, Nation] = {nation.code: nation for nation in NATIONS}
# Longest phrases first, so that "united states" wins over "states" and "new delhi" over "new".
_PHRASES = re.compile(
    r"(?<![\w.])(" + "|".join(re.escape(w) for w in sorted(_WORDS, key=len, reverse=True)) + r")(?![\w])")
# "Velmoran", "Marrenlandese" — but not "Spokesman", "Chairman" or "Woman".
_DEMONYM_SHAPE = re.compile(r"[A-Z][a-z]+(?<!m)an|[A-Z][a-z]+ese")


def nation_of(word: str) -> str | None:
    """The code of the nation one word or phrase names (``U.S.``, ``American``, ``the Kremlin`` →
    ``us``, ``us``, ``ru``), a demonym-shaped word's own folded form, or None.

    >>> nation_of("U.S."), nation_of("Ukrainian"), nation_of("Velmoran"), nation_of("minister")
    ('us', 'ua', 'velmoran', None)
    """
    bare = fold(word).strip()
    bare = re.sub(r"^the\s+", "", bare)
    if bare in _CODE:
        return _CODE[bare]
    undotted = bare.rstrip(".")
    if undotted in _CODE:
        return _CODE[undotted]
    if bare.replace(".", "") in _CODE and word[:1].isupper():  # "U.S" as a folded modifier: us
        return _CODE[bare.replace(".", "")]
    if is_demonym(word):
        return undotted
    return None


def is_demonym(word: str) -> bool:
    """Whether a capitalised word reads as a nationality ("Qatari", "Velmoran", "U.S.")."""
    folded = fold(word)
    bare = folded.rstrip(".")
    code = _CODE.get(folded) or _CODE.get(bare)
    if code is not None:
        nation = _BY_CODE[code]
        return bare in nation.demonyms or folded in nation.initials or bare in nation.initials
    return bool(_DEMONYM_SHAPE.fullmatch(word.rstrip(".")))


@lru_cache(maxsize=4096)
def nations_in(text: str, *, shapes: bool = True) -> frozenset[str]:
    """Every nation ``text`` names, by any of its words ("the U.S. envoy in Moscow" → us, ru);
    with ``shapes``, a capitalised word shaped like a demonym ("Velmoran") names its own."""
    folded = fold(text)
    found = {_WORDS[m.group(1)] for m in _PHRASES.finditer(folded)}
    found.update(_INITIAL_CODE[m.group(1)] for m in _INITIALS.finditer(text))
    if shapes:
        found.update(fold(w) for w in re.findall(r"[A-Z][a-z]+", text) if _DEMONYM_SHAPE.fullmatch(w)
                     and fold(w) not in _CODE)
    return frozenset(found)


def words_of(code: str) -> tuple[str, ...]:
    """All the words that name the nation ``code`` (empty for a code not in the table)."""
    nation = _BY_CODE.get(code)
    return nation.words() if nation else ()


def demonyms_of(name: str) -> tuple[str, ...]:
    """Likely demonyms of a one-word country name not in the table.

    >>> demonyms_of("Velmora"), demonyms_of("Kerrany")
    (('velmoran', 'velmorian', 'velmorese'), ('kerranyan', 'kerranian', 'kerranese'))
    """
    word = fold(name).strip()
    if not re.fullmatch(r"[a-z]{3,}", word):
        return ()
    stem = word[:-1] if word[-1] in "aeiouy" else word
    guesses = [f"{word}n" if word[-1] == "a" else f"{word}an", f"{stem}ian", f"{stem}ese"]
    if word[-1] not in "aeiouy":
        guesses.append(f"{word}i")  # "Karvesh" → "karveshi", as "Qatar" → "Qatari"
    return tuple(dict.fromkeys(guesses))

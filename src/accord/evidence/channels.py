"""Where something was said: the channel ("in a post on X", "told reporters") and the place.

Channels are a small fixed vocabulary, so that statements from different
reports compare: ``X``, ``Facebook``, ``Telegram``, ``website``, ``interview``,
``video``, ``radio``, ``television``, ``statement``, ``press``, ``speech``.  When a phrase
names two (``told BBC radio in an interview``), the more specific wins: a
platform, then an interview, a video, radio or television (a "broadcaster" is
television), a statement, the press, a speech.
"""

from __future__ import annotations

import re

__all__ = ["CHANNELS", "find_channel", "find_place"]

# In priority order: the first that matches names the channel.
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "in a video posted on Facebook": what was said is a video, wherever it was posted.
    ("video", re.compile(r"\bvideo (?:address|message|statement)\b|\bin an? (?:\w+ ){0,2}video\b",
                         re.IGNORECASE)),
    ("X", re.compile(r"\b(?:on|to) X\b|\bpost(?:ed|ing)? on X\b|\bon Twitter\b|\btweet(?:ed|s)?\b")),
    ("Facebook", re.compile(r"\bFacebook\b")),
    ("Telegram", re.compile(r"\bTelegram\b")),
    # A platform outside the vocabulary ("a post on LinkedIn", "her blog") is a website.
    ("website", re.compile(r"\bon (?:its|his|her|their|the) (?:official )?website\b|"
                           r"\bon (?:LinkedIn|Instagram|Threads|Bluesky|TikTok|Substack|Mastodon)\b|"
                           r"\b(?:its|his|her|their) blog\b", re.IGNORECASE)),
    # "told the Morgenbladet newspaper", "told the daily Estrand Post": an interview with the press.
    # "told the Morgenbladet newspaper", "told RTÉ radio", "told the radio station Onda Sur":
    # telling one outlet by name is an interview ("on state television" stays television).
    # (The outlet's own name is capitalised: "told reporters on his daily call" names no daily.)
    ("interview", re.compile(r"\binterview\b|\b(?:told|telling|speaking to|spoke to|talking to)\s+"
                             r"(?:the\s+)?(?-i:(?:[A-Z][\w’'-]*\s+){0,3})"
                             r"(?:daily|weekly|newspaper|magazine|news agency|paper)\b", re.IGNORECASE)),
    # "told the Seruvian Times", "told the Courier": a newspaper by its name.
    ("interview", re.compile(r"\b(?:told|telling)\s+the\s+(?:[A-Z][\w’'-]*\s+){0,3}(?:Times|Post|Herald|"
                             r"Gazette|Tribune|Journal|Courier|Telegraph|Globe|Chronicle|Observer|Zeitung|"
                             r"Dagblad|Monitor|Express|Standard|Guardian|Independent)\b")),
    ("interview", re.compile(r"\b(?:told|telling|speaking to)\s+(?:the\s+)?(?:(?:radio|television|TV)\s+"
                             r"(?:station|channel|network)\s+[A-Z]|(?:Radio|Television|TV)\s+[A-Z]|(?:[A-Z][\w’'.-]*\s+){1,3}"
                             r"(?:radio|Radio|TV|television|Television)\b)")),
    ("radio", re.compile(r"\b(?:on|to|told)\s+(?:the\s+)?(?:state|national|public|[A-Z]\w*)\s+radio\b|"
                         r"\bradio (?:station|interview|address)\b", re.IGNORECASE)),
    # "told the state broadcaster": a broadcaster is a television channel unless it says radio.
    ("television", re.compile(r"\btelevision\b|\btelevised\b|\bstate TV\b|\bon TV\b|\btold [A-Z]\w* TV\b|"
                              r"\bbroadcaster\b")),
    # "in a letter to both carriers", "in a written note to lawmakers": a written statement.
    ("statement", re.compile(r"\bstatement\b|\breadout\b|"
                             r"\b(?:e-?mailed|written) (?:comments?|reply|response)\b|"
                             r"\bcommuniqu[eé]\b|\bpress release\b|"
                             r"\bin (?:a|an|the|its|his|her|their) (?:\w+ )?(?:letter|note|memo)\b|"
                             r"\b(?:letter|note|memo) to\b",
                             re.IGNORECASE)),
    ("press", re.compile(r"\b(?:told|telling|to|briefed|briefing|addressing)\s+(?:the\s+)?(?:a\s+)?"
                         r"(?:joint\s+)?(?:reporters|journalists|the press|press|media|correspondents)\b|"
                         r"\b(?:news|press)\s+(?:conference|briefing)\b|"
                         r"\bbriefing\b|\bon board Air Force One\b|\baboard Air Force One\b|"
                         # "Asked by reporters whether …", "to laughter from journalists"
                         r"\basked\s+(?:the\s+)?(?:reporters|journalists|correspondents)\b|"
                         r"\b(?:asked|pressed|questioned) by (?:a |an |the )?"
                         r"(?:reporters?|journalists?|correspondents?)\b|"
                         r"\b(?:from|among) (?:the )?(?:reporters|journalists|correspondents)\b",
                         re.IGNORECASE)),
    ("speech", re.compile(r"\b(?:in|during|gave) (?:a|his|her|their) (?:\w+ )?(?:speech|address)\b|"
                          r"\baddress(?:ed|ing)?\s+(?:the\s+)?(?:parliament|lawmakers|nation|senate|chamber|assembly|"
                          r"plenary|delegates|delegations|rally|crowd|summit)\b|"
                          # "told lawmakers", "told a parliamentary committee", "told the Bundestag",
                          # "told a rally": speaking to a chamber or a crowd, not to the press
                          r"\b(?:told|telling|addressed|addressing)\s+(?:the\s+|a\s+|an\s+)?"
                          r"(?:(?-i:[A-Z][\w’'-]*)\s+)?(?:parliament|lawmakers|legislators|MPs|deputies|"
                          r"senators|(?:parliamentary |senate |congressional )?(?:committee|hearing)|"
                          r"(?-i:Bundestag|Knesset|Duma|Storting|Riksdag|Sejm|Congress|Senate)|rally|crowd|"
                          r"supporters|(?:party )?congress|convention|plenary|(?:general )?assembly|"
                          r"audience|(?:assembled |visiting )?(?:delegations|delegates)|summit)\b|"
                          # "said at a rally in Port Kalva", "speaking at a campaign rally"
                          r"\b(?:at|to) (?:a|an|the) (?:\w+ )?(?:rally|plenary session|plenary)\b|"
                          # "he said in the same debate": words said in a chamber's debate
                          r"\bin (?:the|a|this|that) (?:same |parliamentary )?debate\b",
                          re.IGNORECASE)),
)

#: The channels accord names, most specific first.
CHANNELS: tuple[str, ...] = tuple(dict.fromkeys(name for name, _ in _RULES))

_PLACE = re.compile(
    r"\b(?:[Oo]n board|[Aa]board) ((?:the )?[A-Z][\w’'-]*(?: [A-Z0-9][\w’'-]*)*)"
    r"|\b(?:(?:reporters|journalists|speech) in|(?:conference|briefing|summit|talks|meeting) (?:in|at)) "
    r"((?:the )?[A-Z][\w’'-]*(?:[ -][A-Z][\w’'-]*)*(?:, [A-Z][\w’'.-]*(?: [A-Z][\w’'-]*)*)?)")


# "said the statement had been drafted …", "told reporters the statement was …": a statement the
# words are about (the reported clause's subject), not the channel they came by.
_ABOUT_STATEMENT = re.compile(r"\b((?:said|says|told\s+\w+|telling\s+\w+))\s+(?:that\s+)?"
                              r"(?:the|this|that|its|their)\s+(?:joint\s+)?statement\b(?!\s+(?:said|says|read)\b)")


def find_channel(clause: str) -> str | None:
    """The channel a clause names (``told reporters`` → ``press``), or None."""
    clause = _ABOUT_STATEMENT.sub(r"\1", clause)
    for name, pattern in _RULES:
        if pattern.search(clause):
            return name
    return None


def find_place(clause: str) -> str | None:
    """The place a clause names for the words said (``aboard Air Force One``, ``told reporters in
    Moscow``)."""
    match = _PLACE.search(clause)
    if not match:
        return None
    place = (match.group(1) or match.group(2)).strip()
    return re.sub(r"^the ", "", place)

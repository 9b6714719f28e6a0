"""Is this a person's name? The rules both paths use on bylines and name-shaped lines.

The text-dump rules (bylines, lines that are only a name) and the HTML rules (a byline
element's text, a CMS account name) keep their own vocabularies: merging them changes
outputs, so that is a quality change to make on purpose, not in a refactoring.
"""

from __future__ import annotations

import re
import string

from . import phrases
from .stopwords import ALL_STOPWORDS

# Byline words, by language. "Par"/"Di" are also ordinary words, so the name after them must
# look like a name (capitalised words), which _clean_name checks.
_BYLINE_WORDS = (
    "by|written by|posted by|published by|words by|story by|text by|reported by|"  # English
    "von|geschrieben von|autor|autorin|"  # German
    "par|écrit par|auteur|"  # French
    "por|escrito por|autor|redacción|texto|"  # Spanish, Portuguese
    "di|scritto da|autore|a cura di|"  # Italian
    "door|geschreven door|"  # Dutch
    "av|af|skrevet af|skrivet av|"  # Scandinavian
    "author|authors|reporter|writer"
)
_BYLINE_FIRST_WORDS = frozenset(phrase.split()[0] for phrase in _BYLINE_WORDS.split("|"))
# What may stand before a byline word ("// By X", "— Von X").
_LEADING_MARKS = string.punctuation + " •·–—»«“”‘’"
_BYLINE = re.compile(rf"^[\W_]*(?:{_BYLINE_WORDS})\s*[:：]?\s+(?P<name>\S.*)$", re.I)
_BYLINE_WORD_ONLY = re.compile(rf"^[\W_]*(?:{_BYLINE_WORDS})\s*[:：]?$", re.I)
# "Posted on 2 May 2024 by Dafydd Price", "Text: X", a byline after a date on one line.
_BY_INSIDE = re.compile(
    r"(?:^|\s)(?:by|von|par|por|door)\s+(?P<name>[A-ZÀ-ÖØ-ÞĀ-Ž][\w.'’-]*"
    r"(?:\s+(?:[A-ZÀ-ÖØ-ÞĀ-Ž][\w.'’-]*|de|da|van|von|der|del|dos|di|le|la|y|e|and|und|et)){1,4})"
)
_BY_WORDS = (" by ", " von ", " par ", " por ", " door ")
# What comes before such a "by": a date or a word for publishing (a headline such as
# "Harbour Wins Cup by Seven Points" has neither).
_BY_INSIDE_LEAD = re.compile(
    r"\d|\b(?:posted|published|written|updated|story|words|text|report|"
    r"veröffentlicht|publié|publicado|pubblicato)\b",
    re.I,
)
# CJK bylines: "作者：X", "记者 X".
_CJK_BYLINE = re.compile(r"(?:作者|记者|撰文|文)[:：]\s*(?P<name>[\u4e00-\u9fff]{2,4})")
# Where a name in a byline stops: a handle, a date, a separator, a role after a comma.
_NAME_END = re.compile(
    r"\s+@|\s*[|•·–—]\s*|\s+-\s+|\s+\d|\d|,\s*(?:\d|updated|published|staff|senior|reporter|correspondent|editor|"
    r"writer|contributor|columnist|am|pm|ma|phd|md)|\s+(?:on|am|le|el|em|il|op|in|for|für|pour|para|per)\s+|"
    r"\s*\(|\s{2,}|\s+(?:updated|published|posted|last)\b",
    re.I,
)
# "Provided by X", "Distributed by X": the publisher of a syndicated story, not its author.
_PROVIDED_BY = re.compile(r"\b(?:provided|distributed|powered|sponsored|presented|supported|brought to you) by\b", re.I)
# (Not a comma: "Port Ellen, 3 May 2024" is a place and a date.)
# Separators led by spaces start only where the run of spaces does ("(?<!\s)"): tried from
# inside the run, each would rescan the rest of it.
_NAME_DATE_SEPARATOR = re.compile(r"(?<!\s)\s+[-–—|•·]\s+")
# Job titles that CJK pages put where the author's name goes.
_CJK_ROLES = frozenset({"责任编辑", "编辑", "记者", "作者", "来源"})
_NAME_WORD = re.compile(r"^(?:[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’.-]*|[a-z]{1,3}|&|and|y|e|und|et)$")
# Words a name is never made of: roles, sections and furniture that follow "by" on pages.
_NOT_NAME_WORDS = frozenset(
    (
        "staff",
        "reporter",
        "reporters",
        "correspondent",
        "editor",
        "editors",
        "writer",
        "contributor",
        "columnist",
        "team",
        "desk",
        "news",
        "contents",
        "table",
        "topic",
        "topics",
        "category",
        "categories",
        "admin",
        "administrator",
        "agency",
        "agencies",
        "wire",
        "press",
        "associated",
        "the",
        "a",
        "an",
        "this",
        "that",
        "our",
        "your",
        "his",
        "her",
        "their",
        "taboola",
        "outbrain",
        "revcontent",
        "zergnet",  # "by Taboola": the sponsored-links widgets
        # A dateline's words ("Published Monday", "Updated Friday")
        "published",
        "updated",
        "posted",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        # Capitalised menu and widget headings of two or three words ("More Stories", "First Look",
        # "Top Links") that the shape of a name lets through
        "any",
        "all",
        "some",
        "every",
        "more",
        "most",
        "other",
        "related",
        "first",
        "second",
        "third",
        "next",
        "last",
        "new",
        "top",
        "best",
        "latest",
        "popular",
        "featured",
        "sites",
        "site",
        "links",
        "posts",
        "stories",
        "articles",
        "comments",
        "home",
        "menu",
        "read",
        "view",
        "focus",
        "archive",
        "archives",
        "full",
        "monthly",
    )
)

_DIGIT = re.compile(r"\d")


def _clean_name(raw: str) -> str | None:
    """The person named at the start of a byline's text, or ``None`` if it is not a name.

    >>> _clean_name("Tom Marsh @tommarsh March 3, 2021: 10:15 AM ET")
    'Tom Marsh'
    >>> _clean_name("Brenda Goodman, MA")
    'Brenda Goodman'
    >>> _clean_name("the end of the year") is None
    True
    """
    match = _NAME_END.search(raw)
    name = (raw[: match.start()] if match else raw).strip(" ,;:|-–—/")
    words = name.split()
    if not 1 <= len(words) <= 6 or not words[0][:1].isupper() or len(name) > 60:
        return None
    if not all(_NAME_WORD.match(word) for word in words):
        return None
    if any(word.casefold().strip(".") in _NOT_NAME_WORDS for word in words):
        return None
    if phrases.WHOLE_LINE.get(phrases.phrase_key(name)) is not None:
        return None
    return " ".join(words)


_PERSON_WORD = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-Ž][a-zß-öø-ÿā-ž'’.-]+|[A-Z]\.|[a-z]{2,3}")


def _looks_like_person(line: str) -> bool:
    """A line that is only a person's name: two to four capitalised words, no digits.

    >>> _looks_like_person("Ruth Kellaway")
    True
    >>> _looks_like_person("Most Popular"), _looks_like_person("Powered by Quillpress")
    (False, False)
    """
    if len(line) > 40 or not 1 <= line.count(" ") <= 3 or not line[:1].isupper() or line.endswith(("...", "…")):
        return False  # the quick checks first: most lines are ruled out here
    if " by " in line and _PROVIDED_BY.search(line):
        return False  # "Powered by Wordpress"
    words = line.split()
    if not 2 <= len(words) <= 4 or _DIGIT.search(line):
        return False
    if not all(_PERSON_WORD.fullmatch(word) for word in words) or sum(word[:1].isupper() for word in words) < 2:
        return False
    if phrases.WHOLE_LINE.get(phrases.phrase_key(line)) is not None:
        return False
    # Short function words ("dan", "van", "de") are also parts of names.
    return not any(
        (len(word) > 3 and word.casefold() in ALL_STOPWORDS) or word.casefold() in _NOT_NAME_WORDS for word in words
    )


def _looks_like_name(rest: str) -> bool:
    """Is the rest of a "By ..." line a short run of names?

    >>> _looks_like_name("Ruth Kellaway")
    True
    >>> _looks_like_name("the end of the year, prices rose")
    False
    """
    words = rest.split()
    if not words or len(words) > 8 or not words[0][:1].isupper():
        return False
    capitals = sum(1 for word in words if word[:1].isupper())
    return capitals * 2 >= len(words)


# Account words that CMSs fill in when nobody is named.
NOT_NAMES = frozenset(
    {
        "admin",
        "administrator",
        "webmaster",
        "root",
        "guest",
        "anonymous",
        "unknown",
        "user",
        "author",
        "editor",
        "staff",
        "null",
        "none",
        "undefined",
        "n/a",
    }
)
# Lower-case words allowed inside a name or between names.
_BYLINE_NAME_PARTICLES = frozenset(
    {
        "and",
        "und",
        "y",
        "e",
        "et",
        "&",
        "de",
        "da",
        "do",
        "dos",
        "das",
        "del",
        "della",
        "di",
        "du",
        "van",
        "von",
        "der",
        "den",
        "ter",
        "la",
        "le",
        "bin",
        "ibn",
        "al",
        "el",
    }
)
# Characters no byline name holds.
_NOT_IN_NAME = re.compile(r"[\d:;!?*#|/@<>{}\[\]=+]")
_NAME_SPLIT = re.compile(r"(?<!\s)(?:\s*,\s*|\s+(?:and|und|y|et|&)\s+)")
# One word with a capital after a small letter is a user name ("DictatorMao"), not a byline.
_CAMEL_CASE = re.compile(r"^\S*[a-z][A-Z]\S*$")


def _starts_with_byline_word(line: str) -> bool:
    """Does the line open with a byline word ("By", "Von", "Autor:")? A set lookup that
    spares most lines the byline expressions."""
    return line.lstrip(_LEADING_MARKS).split(" ", 1)[0].rstrip(":：").casefold() in _BYLINE_FIRST_WORDS

"""The site's name of a text dump: split off a title line ("Headline — The Island Courier"),
or stated by the page's own furniture (its "About X" links, its copyright line).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from normaliser.meta.stopwords import ALL_STOPWORDS

from . import settings
from .header import CJK, CREDIT_WORDS, WORD, title_length

# Separators between a headline and the site's name in a title line.
# Separators that may start with spaces start only where a run of spaces does ("(?<!\s)"):
# tried from inside the run, each would rescan the rest of it.
_PREFIX_SEPARATOR = re.compile(r"(?<!\s)\s*[|｜»]")
_SEPARATOR_CHARS = "|–—·»:~-_｜"
_SECTION_SEPARATOR = re.compile(r"(?<!\s)\s*[|｜»]\s*")
_TITLE_SEPARATOR = re.compile(r"(?<!\s)(?:\s+[|–—·»:~]\s+|\s+-\s+|\s*[_｜|]\s*|\s+::\s+)")
# Articles may open a site's name ("The Island Courier"); other function words may not.
_ARTICLES = frozenset(
    ("the", "a", "la", "le", "les", "el", "los", "las", "der", "die", "das", "il", "lo", "de", "het", "o", "os")
)

# Links by which a site names itself, in its menus and footer. (A name may open with a
# lower-case letter before a capital: "About eHow".)
_SELF_REFERENCE = re.compile(
    r"^(?i:about|advertise with|advertise on|advertising on|contact|subscribe to|support|welcome to|"
    r"über|kontakt|à propos de|acerca de|sobre)\s+"
    r"(?P<name>(?:[A-Z]|[a-z]+[A-Z])[\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3})$"
)
_SELF_REFERENCE_INITIALS = frozenset("AaCcSsWwÜüKkÀà")
# What follows "About" or "Contact" without being a site's name.
_NOT_SITE_NAMES = frozenset(
    (
        "us",
        "me",
        "the",
        "this",
        "our",
        "site",
        "page",
        "author",
        "authors",
        "cookies",
        "ads",
        "notice",
        "about",
        "information",
        "policy",
        "statement",
        "info",
    )
)
_ROMAN_YEAR = re.compile(r"M{1,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_YEARS = r"(?:19|20)\d{2}(?:\s*[-–]\s*(?:(?:19|20)\d{2})?)?"
# "© 2021 The Island Courier", "Copyright 1996-2006, Courier Media, Inc.": the owner after
# the sign and the years, up to a sentence's end, a bar or a comma (a dot inside a word, as
# in "Courier.com" or "S.Paulo", does not end it).
# At most four signs in a row: "+" would rescan a run of them from each of its signs.
_COPYRIGHT_NAME = re.compile(
    rf"(?:(?:©|\(c\)|copyright)\s*){{1,4}}(?:{_YEARS}\s*[,:]?\s*)?(?P<name>[^.|,©]+(?:\.(?=\w)[^.|,©]*)*)",
    re.I,
)
# "Courier.com © 2021 Island Media", "Island Courier, 2018-2021 ©": the site's own name
# before the sign (the company after it is the publisher).
# Matched from the line's start; the look-behind keeps a search from trying every word.
_COPYRIGHT_LEAD = re.compile(rf"(?<![\w&'’ .-])(?P<name>[^\W\d_][\w&'’ -]*?(?:\.\w[\w'’-]*)*)\s*,?\s*(?:{_YEARS}\s*)?©")
# The company after "©" is the publisher, not always the site; its legal form is dropped.
_LEGAL_FORM = re.compile(
    r"\b(all rights? reserved|alle rechte|tous droits|todos los derechos|inc|ltd|llc|gmbh|"
    r"ag|s\.?a|plc|corp|corporation|limited|co)\b.*$",
    re.I,
)
# A site's address as its name: "Courier.com" is "Courier" (and what follows the address is
# no part of the name: "Courier.com Terms of Use").
_DOMAIN_END = re.compile(r"(?<=\w)\.(?:com|net|org|info|biz|co|[a-z]{2})(?:\.[a-z]{2})?(?!\w)", re.I)
# Lower-case words that may stand inside a company's or a site's name.
_NAME_PARTICLES = frozenset(
    (
        "&",
        "of",
        "the",
        "and",
        "for",
        "on",
        "de",
        "da",
        "do",
        "des",
        "du",
        "di",
        "del",
        "la",
        "le",
        "van",
        "von",
        "der",
        "für",
        "y",
        "e",
        "et",
        "und",
    )
)


def split_site_name(line: str) -> tuple[str, str | None]:
    """A title line's headline and the site name after a separator, if any. A name before
    the headline ("Local | Ferry fares…") is the section's, not the site's: it is dropped.

    >>> split_site_name("Ferry fares rise again this spring — The Island Courier")
    ('Ferry fares rise again this spring', 'The Island Courier')
    >>> split_site_name("Ferry Fares — What the New Timetable Means for Commuters")
    ('Ferry Fares — What the New Timetable Means for Commuters', None)
    >>> split_site_name("Local | Ferry fares rise again this spring")
    ('Ferry fares rise again this spring', None)
    """
    if not any(char in line for char in _SEPARATOR_CHARS):
        return line, None  # most lines: no need for the regular expression
    parts = _TITLE_SEPARATOR.split(line)
    if len(parts) < 2:
        return line, None
    site = parts[-1]
    headline = line[: line.rfind(site)].strip(" |–—·»:~_｜-")
    if looks_like_site(site) and _headline_sized(headline):
        return headline, site.strip()
    if _PREFIX_SEPARATOR.match(line[len(parts[0]) :]):
        # Sections before the headline ("Home » Local » Headline") only after bars or
        # guillemets: with a dash, the first part is as likely the headline's own first half.
        sections = _SECTION_SEPARATOR.split(line)
        headline = sections[-1].strip()
        if all(looks_like_site(part) for part in sections[:-1]) and _headline_sized(headline):
            return headline, None
    return line, None


def _headline_sized(text: str) -> bool:
    """Is what is left of a title line once a site's or section's name is split off still a
    headline: three words, two of them words of three letters or more ("Harbour 2.0" is the
    headline's first half, not a headline)?

    >>> _headline_sized("Harbour Gazette 2.0"), _headline_sized("Harbour 2.0")
    (True, False)
    """
    if CJK.search(text):
        return title_length(text) >= 3
    words = WORD.findall(text)
    return len(words) >= 3 and sum(1 for word in words if len(word) >= 3 and not word.isdigit()) >= 2


def looks_like_site(text: str) -> bool:
    """Is the text shaped as a site's or a section's name: a few capitalised words?"""
    words = text.split()
    if not words or len(WORD.findall(text)) > settings.METADATA.max_site_words:
        return False
    if all("\u4e00" <= char <= "\u9fff" for char in text.strip()):
        return len(text.strip()) <= 8  # Chinese site and channel names are short runs of characters
    if words[0].casefold() in ALL_STOPWORDS and words[0].casefold() not in _ARTICLES:
        return False  # "… — And Why It Matters": the headline's second half
    return all(
        word[:1].isupper() or word[:1].isdigit() or word in ("&", "-", "de", "of", "the", "en", "and") or "." in word
        for word in words
    )


def find_site_name(lines: Sequence[str]) -> str | None:
    """The site's name as the page's own furniture states it: named by two of its links
    ("About Ars", "Advertise with Ars"), or by one of them and the copyright line; failing
    that, the name the copyright line gives ("Courier.com © 2021 Island Media", "© 2021 The
    Island Courier")."""
    edge = settings.METADATA.edge_lines
    named = _self_references([*lines[:edge], *lines[-edge:]] if len(lines) > 2 * edge else lines)
    owner = _copyright_owner(lines[-settings.METADATA.footer_lines :], lines[:edge])
    for name, count in sorted(named.items(), key=lambda item: -item[1]):
        if count >= 2 or (owner is not None and (name in owner or owner in name)):
            return name
    return owner


def _self_references(edges: Sequence[str]) -> dict[str, int]:
    """The names the page's links call the site by ("About Ars"), with how often each is used."""
    named: dict[str, int] = {}
    for line in edges:
        if line[:1] in _SELF_REFERENCE_INITIALS and len(line) < 60 and (match := _SELF_REFERENCE.match(line)):
            name = match.group("name")
            if name.casefold() not in _NOT_SITE_NAMES and all(word[:1].isupper() for word in name.split()[1:]):
                named[name] = named.get(name, 0) + 1
    return named


def _before_domain_end(name: str) -> str:
    """A name up to the end of a site's address in it: "Courier.com Terms" -> "Courier"."""
    end = _DOMAIN_END.search(name) if "." in name else None
    return name[: end.start()] if end else name


def _copyright_owner(footer: Sequence[str], header: Sequence[str]) -> str | None:
    """The name a copyright line in the footer gives: the site's before the sign, else the
    owner's after it."""
    for line in reversed(footer):
        if len(line) > settings.METADATA.max_copyright_line or not (
            "©" in line or "opyright" in line or "(c)" in line or "(C)" in line
        ):
            continue
        name = _name_before_sign(line, header)
        if name is None:
            name = _name_after_sign(line)
        if name is not None:
            return name
    return None


def _name_before_sign(line: str, header: Sequence[str]) -> str | None:
    """The site's own name before a copyright sign near the line's start ("Courier.com © 2021
    Island Media"). A lower-case name ("courier ©") counts only if the page's header shows it
    alone on a line, as its logo."""
    sign = line.find("©", 0, settings.METADATA.max_copyright_lead)
    if sign > 0 and (lead := _COPYRIGHT_LEAD.fullmatch(line, 0, sign + 1)):
        name = _before_domain_end(lead.group("name")).strip(" -")
        if not any(word in name.casefold() for word in (*CREDIT_WORDS, "copyright")) and (
            looks_like_site(name) or (" " not in name and name in header)
        ):
            return name
    return None


def _name_after_sign(line: str) -> str | None:
    """The owner a copyright line names after the sign and the years, without its legal form
    ("© 2021 Island Media, Inc." -> "Island Media")."""
    match = _COPYRIGHT_NAME.search(line)
    if not match:
        return None
    name = _LEGAL_FORM.sub("", _before_domain_end(match.group("name"))).strip(" -–—:;")
    if name.casefold() in _NOT_SITE_NAMES or _ROMAN_YEAR.fullmatch(name):
        return None  # "Copyright Notice", "© MMVI"
    words = name.split()
    if (
        1 <= len(words) <= settings.METADATA.max_site_words
        and words[0][:1].isupper()
        and all(word[:1].isupper() or word in _NAME_PARTICLES for word in words)
    ):
        return name
    return None

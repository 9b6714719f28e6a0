"""Title, author, date and site name of a text dump, read from the lines around the article.

A dump has no ``<title>`` or ``<meta>`` tags, so everything comes from what the page shows:
the headline above the article (often once more in a breadcrumb, a share prompt or with the
site's name after a separator), a byline, a dateline and the copyright footer. Every value is
one the page states; where it states none, the field stays ``None`` (nothing is guessed from
the current date, a relative date such as "2 hours ago", or the URL).

Only a window of lines is read: the header above the article (where the boilerplate model
puts its first line, and above the first run of long article lines, since the model's first
kept line is sometimes a stray one) and the page's last lines for the copyright footer, so
the cost stays a small share of cleaning a page.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from . import phrases
from .page import PageMetadata
from .stopwords import ALL_STOPWORDS, STOPWORDS

_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")

# Separators between a headline and the site's name in a title line.
_PREFIX_SEPARATOR = re.compile(r"\s*[|｜»]")
_SEPARATOR_CHARS = "|–—·»:~-_｜"
_SECTION_SEPARATOR = re.compile(r"\s*[|｜»]\s*")
_TITLE_SEPARATOR = re.compile(r"\s+[|–—·»:~]\s+|\s+-\s+|\s*[_｜|]\s*|\s+::\s+")

# How far above the article the headline may sit, in non-blank lines. On the dev pages it
# sits at most 12 lines above the first article line (median 4), but some pages put a photo
# gallery, a table of contents or a share bar of 20-35 lines in between.
_TITLE_LINES_ABOVE = 40
# Lines of the article's start that may still be the headline (the model often keeps it).
_TITLE_LINES_INSIDE = 3
# A run of article lines is "the body" when it holds this many lines of this many words;
# the model's first kept line is sometimes a stray caption or teaser far above the body.
_BODY_RUN = 3
_BODY_LINE_WORDS = 12
# The byline sits within this many non-blank lines under the headline (the dev pages put
# share buttons, a standfirst and a picture caption in between; one puts 14 share buttons),
# or above it (a name with "3 min read" under it, over the headline).
_BYLINE_LINES_BELOW = 20
_BYLINE_LINES_ABOVE = 16
# A bare name (no "By") is taken for the author only this close under the headline.
_NAME_LINES_BELOW = 6
# The dateline sits closer: dates further down are in captions, teasers and comments.
_DATE_LINES_BELOW = 13
_DATE_LINES_ABOVE = 2
# Headlines on the dev pages run 3-16 words; longer lines are penalised per extra word.
_LONG_TITLE_WORDS = 16
_MAX_TITLE_WORDS = 30
# A one-word line near an article is a menu item or a section's name.
_MIN_TITLE_WORDS = 2
# A line of this many words that ends as a sentence is a paragraph.
_PARAGRAPH_WORDS = 20
# Articles may open a site's name ("The Island Courier"); other function words may not.
_ARTICLES = frozenset(("the", "a", "la", "le", "les", "el", "los", "las", "der", "die", "das", "il", "lo", "de", "het",
                       "o", "os"))
# A site name after a headline is short: at most this many words.
_MAX_SITE_WORDS = 5
# Only so much of the article is read for the words a headline shares with it.
_ARTICLE_CHARS = 2000
# The copyright footer is among the page's last lines.
_FOOTER_LINES = 100
# A copyright line may run on with a notice ("© 2021 Island Media. No part of this page…").
_MAX_COPYRIGHT_LINE = 300
_MIN_TITLE_SCORE = 1.0
_CLOSERS = "'\"’”»)]"
_SENTENCE_END = frozenset(".。:,;")
# Lines scored in full as headlines: the best by their overlap with the article and
# closeness to it (on the dev pages the headline ranks at most 5th by that measure).
_TITLE_SHORTLIST = 8
_BULLETS = frozenset("+•*·►▪-–—#|></(")

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
_BY_INSIDE = re.compile(r"(?:^|\s)(?:by|von|par|por|door)\s+(?P<name>[A-ZÀ-ÖØ-ÞĀ-Ž][\w.'’-]*"
                        r"(?:\s+(?:[A-ZÀ-ÖØ-ÞĀ-Ž][\w.'’-]*|de|da|van|von|der|del|dos|di|le|la|y|e|and|und|et)){1,4})")
_BY_WORDS = (" by ", " von ", " par ", " por ", " door ")
# What comes before such a "by": a date or a word for publishing (a headline such as
# "Harbour Wins Cup by Seven Points" has neither).
_BY_INSIDE_LEAD = re.compile(r"\d|\b(?:posted|published|written|updated|story|words|text|report|"
                             r"veröffentlicht|publié|publicado|pubblicato)\b", re.I)
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
_NAME_DATE_SEPARATOR = re.compile(r"\s+[-–—|•·]\s+")
# Job titles that CJK pages put where the author's name goes.
_CJK_ROLES = frozenset({"责任编辑", "编辑", "记者", "作者", "来源"})
_NAME_WORD = re.compile(r"^(?:[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’.-]*|[a-z]{1,3}|&|and|y|e|und|et)$")
# Words a name is never made of: roles, sections and furniture that follow "by" on pages.
_NOT_NAME_WORDS = frozenset((
    "staff", "reporter", "reporters", "correspondent", "editor", "editors", "writer", "contributor", "columnist",
    "team", "desk", "news", "contents", "table", "topic", "topics", "category", "categories", "admin",
    "administrator", "agency", "agencies", "wire", "press", "associated",
    "the", "a", "an", "this", "that", "our", "your", "his", "her", "their",
    "taboola", "outbrain", "revcontent", "zergnet",  # "by Taboola": the sponsored-links widgets
    # A dateline's words ("Published Monday", "Updated Friday")
    "published", "updated", "posted", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    # Capitalised menu and widget headings of two or three words ("More Stories", "First Look",
    # "Top Links") that the shape of a name lets through
    "any", "all", "some", "every", "more", "most", "other", "related", "first", "second", "third", "next", "last",
    "new", "top", "best", "latest", "popular", "featured", "sites", "site", "links", "posts", "stories",
    "articles", "comments", "home", "menu", "read", "view", "focus", "archive", "archives", "full", "monthly",
))
# "3 min read", "Updated" and the like under a headline: signs that the line above is one.
_UNDER_HEADLINE = re.compile(r"^\d+\s*(?:min|minute|minutes|mins)\b|^(?:updated|published|posted|veröffentlicht|"
                             r"publié|publicado|pubblicato|aktualisiert|mis à jour|actualizado|atualizado)\b|"
                             # the time since publication: "1 day ago", "vor 2 Stunden", "il y a 3 heures"
                             r"^\d+\s+\w+\s+ago$|^(?:vor|il y a|hace|há)\s+\d+\s+\w+$", re.I)

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate((
    "january jan januar jänner janvier enero janeiro gennaio gen januari januar stycznia",
    "february feb febr februar février fevrier febrero fevereiro fev febbraio februari",
    "march mar märz maerz mars marzo março marco maart mrt",
    "april apr avril abril aprile abr",
    "may mai mayo maio maggio mei",
    "june jun juni juin junio junho giugno",
    "july jul juli juillet julio julho luglio",
    "august aug août aout agosto augustus ago",
    "september sep sept septembre septiembre setembro set settembre",
    "october oct oktober octobre octubre outubro out ottobre okt",
    "november nov novembre noviembre novembro",
    "december dec dezember décembre decembre diciembre dezembro dez dicembre dic",
), start=1):
    for _name in _names.split():
        _MONTHS[_name] = _number
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_YEAR = r"(?P<y>(?:19|20)\d{2})"
_YEAR_ANYWHERE = re.compile(r"(?:19|20)\d\d")
# A time after a date: "12:46", "8:00am", "9:41 a.m.", "08h05".
_TIME = re.compile(r"^(?:[,T]|\s|às|at|um|à|a las|alle|om|kl\.?|-|\|)*(?P<h>[0-2]?\d)[:h](?P<min>[0-5]\d)"
                   r"(?::(?P<s>[0-5]\d))?\s*(?P<ampm>[ap]\.?m\.?)?", re.I)
_DATE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"(?<!\d)(?:{_YEAR})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})(?!\d)"), "ymd"),
    (re.compile(rf"(?<!\d){_YEAR}年(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})日"), "ymd"),
    (re.compile(rf"(?<!\w)(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\.?(?:\s*de)?[\s.-]*(?P<mon>{_MONTH})\b\.?(?:\s*de)?"
                rf"[\s.,-]*{_YEAR}(?!\d)", re.I), "dmy-name"),
    (re.compile(rf"\b(?P<mon>{_MONTH})\b\.?\s*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}(?!\d)", re.I),
     "mdy-name"),
    (re.compile(rf"(?<![\d.])(?P<a>\d{{1,2}})([./])(?P<b>\d{{1,2}})\2{_YEAR}(?![\d.])"), "numeric"),
)
# A date in such a line is about something else than the article's publication.
_NOT_PUBLICATION = re.compile(r"\b(copyright|born|died|since|founded|established|event|deadline|expires?|"
                              r"geboren|gestorben|né|née|nacido|nato)\b|©", re.I)

# Links by which a site names itself, in its menus and footer. (A name may open with a
# lower-case letter before a capital: "About eHow".)
_SELF_REFERENCE = re.compile(
    r"^(?i:about|advertise with|advertise on|advertising on|contact|subscribe to|support|welcome to|"
    r"über|kontakt|à propos de|acerca de|sobre)\s+"
    r"(?P<name>(?:[A-Z]|[a-z]+[A-Z])[\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3})$")
_SELF_REFERENCE_INITIALS = frozenset("AaCcSsWwÜüKkÀà")
# What follows "About" or "Contact" without being a site's name.
_NOT_SITE_NAMES = frozenset(("us", "me", "the", "this", "our", "site", "page", "author", "authors", "cookies", "ads",
                             "notice", "about", "information", "policy", "statement", "info"))
_ROMAN_YEAR = re.compile(r"M{1,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
# The self-referencing links are in the first and last lines of a page (menus, footer).
_EDGE_LINES = 80
_YEARS = r"(?:19|20)\d{2}(?:\s*[-–]\s*(?:(?:19|20)\d{2})?)?"
# "© 2021 The Island Courier", "Copyright 1996-2006, Courier Media, Inc.": the owner after
# the sign and the years, up to a sentence's end, a bar or a comma (a dot inside a word, as
# in "Courier.com" or "S.Paulo", does not end it).
_COPYRIGHT_NAME = re.compile(
    rf"(?:(?:©|\(c\)|copyright)\s*)+(?:{_YEARS}\s*[,:]?\s*)?(?P<name>[^.|,©]+(?:\.(?=\w)[^.|,©]*)*)",
    re.I,
)
# "Courier.com © 2021 Island Media", "Island Courier, 2018-2021 ©": the site's own name
# before the sign (the company after it is the publisher).
_COPYRIGHT_LEAD = re.compile(rf"(?P<name>[^\W\d_][\w&'’ -]*?(?:\.\w[\w'’-]*)*)\s*,?\s*(?:{_YEARS}\s*)?©")
# (within this many characters of the line's start)
_MAX_LEAD = 60
# The company after "©" is the publisher, not always the site; its legal form is dropped.
_LEGAL_FORM = re.compile(r"\b(all rights? reserved|alle rechte|tous droits|todos los derechos|inc|ltd|llc|gmbh|"
                         r"ag|s\.?a|plc|corp|corporation|limited|co)\b.*$", re.I)
# A site's address as its name: "Courier.com" is "Courier" (and what follows the address is
# no part of the name: "Courier.com Terms of Use").
_DOMAIN_END = re.compile(r"(?<=\w)\.(?:com|net|org|info|biz|co|[a-z]{2})(?:\.[a-z]{2})?(?!\w)", re.I)
# Lower-case words that may stand inside a company's or a site's name.
_NAME_PARTICLES = frozenset(("&", "of", "the", "and", "for", "on", "de", "da", "do", "des", "du", "di", "del", "la",
                             "le", "van", "von", "der", "für", "y", "e", "et", "und"))


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
    if _looks_like_site(site) and _headline_sized(headline):
        return headline, site.strip()
    if _PREFIX_SEPARATOR.match(line[len(parts[0]):]):
        # Sections before the headline ("Home » Local » Headline") only after bars or
        # guillemets: with a dash, the first part is as likely the headline's own first half.
        sections = _SECTION_SEPARATOR.split(line)
        headline = sections[-1].strip()
        if all(_looks_like_site(part) for part in sections[:-1]) and _headline_sized(headline):
            return headline, None
    return line, None


def _title_length(text: str) -> int:
    """Words in a line, counting two CJK characters as one word."""
    cjk = len(_CJK.findall(text))
    return cjk // 2 if cjk else len(_WORD.findall(text))


def _headline_sized(text: str) -> bool:
    """Is what is left of a title line once a site's or section's name is split off still a
    headline: three words, two of them words of three letters or more ("Harbour 2.0" is the
    headline's first half, not a headline)?

    >>> _headline_sized("Harbour Gazette 2.0"), _headline_sized("Harbour 2.0")
    (True, False)
    """
    if _CJK.search(text):
        return _title_length(text) >= 3
    words = _WORD.findall(text)
    return len(words) >= 3 and sum(1 for word in words if len(word) >= 3 and not word.isdigit()) >= 2


def _looks_like_site(text: str) -> bool:
    words = text.split()
    if not words or len(_WORD.findall(text)) > _MAX_SITE_WORDS:
        return False
    if all("\u4e00" <= char <= "\u9fff" for char in text.strip()):
        return len(text.strip()) <= 8  # Chinese site and channel names are short runs of characters
    if words[0].casefold() in ALL_STOPWORDS and words[0].casefold() not in _ARTICLES:
        return False  # "… — And Why It Matters": the headline's second half
    return all(word[:1].isupper() or word[:1].isdigit() or word in ("&", "-", "de", "of", "the", "en", "and")
               or "." in word for word in words)


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
    return not any((len(word) > 3 and word.casefold() in ALL_STOPWORDS) or word.casefold() in _NOT_NAME_WORDS
                   for word in words)


def parse_date(text: str, language: str | None = None) -> str | None:
    """The first calendar date a line states, as ``YYYY-MM-DD`` (with ``THH:MM`` when the
    line gives the time right after it). Relative dates ("2 hours ago", "today") are not
    dates: nothing is worked out from the current time.

    >>> parse_date("Monday 14 March 2022")
    '2022-03-14'
    >>> parse_date("by Tom Marsh March 3, 2021: 10:15 AM ET")
    '2021-03-03'
    >>> parse_date("4 de mayo de 2020 9:00")
    '2020-05-04T09:00'
    >>> parse_date("Updated 2021-07-09 08:30")
    '2021-07-09T08:30'
    >>> parse_date("posted on June 3, 2019, at 9:41 a.m.")
    '2019-06-03T09:41'
    >>> parse_date("14.mar.2020 às 08h05")
    '2020-03-14T08:05'
    >>> parse_date("Updated 2 hours ago") is None
    True
    >>> parse_date("It cost 12 dollars") is None
    True
    """
    if not _YEAR_ANYWHERE.search(text):
        return None  # every pattern has a four-digit year; most lines have none
    for pattern, kind in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            year = int(match.group("y"))
            if kind == "numeric":
                first, second = int(match.group("a")), int(match.group("b"))
                # Month first only where the page is in English and the numbers allow it.
                month_first = language in (None, "en") and first <= 12
                month, day = (first, second) if month_first else (second, first)
            else:
                day = int(match.group("d"))
                month = int(match.group("m")) if kind == "ymd" else _MONTHS[match.group("mon").casefold()]
            if 1 <= month <= 12 and 1 <= day <= 31:
                return f"{year:04d}-{month:02d}-{day:02d}" + _time_after(text[match.end():])
    return None


def _time_after(text: str) -> str:
    match = _TIME.match(text)
    if not match:
        return ""
    hour, minute = int(match.group("h")), int(match.group("min"))
    ampm = (match.group("ampm") or "").casefold()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    return f"T{hour:02d}:{minute:02d}" if hour < 24 else ""


def _body_start(lines: Sequence[str], article: Sequence[int]) -> int:
    """The first article line that opens a run of long lines: the body of the article."""
    run = 0
    for position, i in enumerate(article):
        line = lines[i]
        if line.count(" ") + 1 >= _BODY_LINE_WORDS or (len(line) >= 40 and len(_CJK.findall(line, 0, 40)) >= 20):
            run += 1
            if run >= _BODY_RUN:
                return article[position - run + 1]
        else:
            run = 0
    return article[0]


# Kinds of line that sit next to a headline and share its words, but are not one.
# A picture's credit or caption: never a headline, though it shares the article's words.
# (Matched against the casefolded line: much faster than a case-insensitive expression.)
_CREDIT_START = re.compile(r"(?:credit|photo|foto|bild|image|picture)s?\b|credit(?=[a-z])")
_CREDIT_INSIDE = re.compile(
    r"\((?:credit|photo|image|foto|bild|picture)\b|"
    r"\b(?:photo|photograph|image|picture|illustration|video|foto|bild)s?\s+(?:by|von|de|di|par|por)\b|"
    r"\b(?:getty images|ap photo|photo credit|photo illustration|illustration by|shutterstock|istock)\b"
)
_CREDIT_WORDS = ("credit", "photo", "foto", "bild", "image", "picture", "illustration", "video", "getty",
                 "shutterstock", "istock")


def _is_credit(line: str) -> bool:
    """Is the line a picture's credit or caption ("Photo by X", "(Credit: X)", "CreditX")?

    >>> _is_credit("The pier after the storm (Photo: Ada Lovelace)"), _is_credit("CreditAda Lovelace")
    (True, True)
    >>> _is_credit("Council backs sea wall rebuild"), _is_credit("Credited with the rebuild")
    (False, False)
    """
    lowered = line.casefold()
    if not any(word in lowered for word in _CREDIT_WORDS):
        return False
    if _CREDIT_START.match(lowered):
        # "Credit" glued to what follows is a credit only before a capital ("CreditAda").
        return not lowered.startswith("credit") or not line[6:7].isalpha() or line[6:7].isupper()
    return _CREDIT_INSIDE.search(lowered) is not None


# Two sentences run together by the dump (a caption and its credit: "...at the harbour
# wall.Ada Lovelace / Harbour Gazette"), or a credit after a slash.
_RUN_TOGETHER = re.compile(r"[a-z]\.[A-Z][a-z]|\s/\s*[A-Z][\w ]*$")
# A quotation from the article used as a standfirst: "“It will take two years,” X said".
_QUOTE_LEAD = re.compile(r"^[\"“„«‘'].*[,.!?][\"”“»’']\s*(?:\w+\s+){0,6}(?:said|says|told|sagte|a dit|dijo|disse)\b",
                         re.I)
# A teaser cut short, or a sentence followed by another in the same line.
_TEASER = re.compile(r"(?:\.\.\.|…)\s*$|[a-z]{2}[.!?]\s+[A-Z]")
# An abbreviation at the end of a headline ("N.Y.C.", "U.S.") is not the end of a sentence.
_ABBREVIATION_END = re.compile(r"(?:\b[A-Z]\.){2,}$|\b(?:Inc|Ltd|Co|Jr|Sr|St|Dr|vs)\.$")

# Weights of the headline score, set by hand on the dev pages (the Readability cases' gold
# titles and, for the news pages without gold metadata, the HTML's <h1> and <title>): the
# words shared with the article matter most; then what sits under the line (a byline or a
# date right under a headline is its strongest sign); then the kinds of line that share a
# headline's words without being one (a standfirst, a caption, a quotation, a teaser).
_W_OVERLAP = 2.0
_W_NEAR = 0.5  # closeness to the article, halved at four lines away
_W_REPEATED = 0.4  # shown twice: a breadcrumb, a sticky header or a share prompt repeats it
_W_SITE = 0.5  # the site's name after a separator
_W_MARK_NEXT = 0.8  # a byline, date or author's name on the next line
_W_MARK_NEAR = 0.4  # ... or within the next three lines
_W_TITLE_CASE = 0.2
_W_FOLLOWS_PROSE = -0.6  # right under a line that already shares the article's words: a standfirst
_W_RUN_TOGETHER = -0.8
_W_QUOTE = -0.8
_W_TEASER = -0.6
_W_UPPER = -0.5
_W_PERSON = -1.0
_W_LOWER_START = -0.5
_W_LONG_WORD = -0.1  # per word beyond _LONG_TITLE_WORDS
_W_HEADLINE_LENGTH = 0.3  # five to sixteen words, as most headlines
_W_UNDER_BYLINE = -1.0  # under "By", "Author:" or a name: the byline's name or role, or a line under the byline
_W_TWO_WORDS = -0.3  # a section, a button or a name more often than a headline
_W_AFTER_PARAGRAPH = -0.6  # right under a paragraph: a subheading inside the article
# Words are compared by their first five letters, so that "rebuilding" in a headline
# meets "rebuilt" in the article (a crude stem that costs nothing).
_STEM = 5
# The stems of a line's words of three letters or more.
_STEMS = re.compile(rf"\b(\w{{3,{_STEM}}})\w*")

# A line shares the article's words "strongly" at this overlap (see _Page.overlap).
_STRONG_OVERLAP = 0.5


@cache
def _stopword_stems(language: str | None) -> frozenset[str]:
    return frozenset(word[:_STEM] for word in STOPWORDS.get(language or "", ALL_STOPWORDS))


@dataclass(frozen=True)
class _Page:
    """What scoring a candidate headline needs, computed once a page (or once a line)."""

    lines: Sequence[str]
    article_words: frozenset[str]
    article_head: str
    window_text: str
    stopwords: frozenset[str]
    _marks: dict[int, bool] = field(default_factory=dict)
    _overlaps: dict[int, float] = field(default_factory=dict)
    _text: list[str] = field(default_factory=list)

    def text(self) -> str:
        """The whole page as one string (made on first use: most pages never need it)."""
        if not self._text:
            self._text.append("\n".join(self.lines))
        return self._text[0]

    def marks(self, index: int) -> bool:
        """Is the line one that goes under a headline: a byline, a date, a name, "3 min read"?"""
        found = self._marks.get(index)
        if found is None:
            text = self.lines[index]
            found = self._marks[index] = bool(
                (_starts_with_byline_word(text) and (_BYLINE.match(text) or _BYLINE_WORD_ONLY.match(text)))
                or _UNDER_HEADLINE.match(text)
                or _looks_like_person(text) or (len(text) < 60 and parse_date(text)))
        return found

    def overlap(self, index: int) -> float:
        """The share of a line's content words found in the article's opening, 0 to 1; a line
        of fewer than four content words (a section name, a person) overlaps by chance, so
        its share counts in proportion."""
        found = self._overlaps.get(index)
        if found is None:
            text = self.lines[index]
            chars = _CJK.findall(text)
            if chars:
                found = sum(1 for char in chars if char in self.article_head) / len(chars)
            else:
                content = set(_STEMS.findall(text.casefold())) - self.stopwords
                found = (len(content & self.article_words) / len(content) * min(1.0, len(content) / 4)
                         if content else 0.0)
            self._overlaps[index] = found
        return found


def _nonblank_above(lines: Sequence[str], index: int, count: int) -> list[int]:
    """Up to ``count`` non-blank lines above ``index``, nearest first."""
    # Dumps alternate text and blank lines: three times as many lines nearly always hold
    # enough, read in one comprehension; the loop is for longer runs of blank lines.
    stop = max(-1, index - 1 - 3 * count)
    found = [i for i in range(index - 1, stop, -1) if lines[i]]
    i = stop
    while len(found) < count and i >= 0:
        if lines[i]:
            found.append(i)
        i -= 1
    return found[:count]


def _nonblank_below(lines: Sequence[str], index: int, count: int) -> list[int]:
    """Up to ``count`` non-blank lines below ``index``, nearest first."""
    end = len(lines)
    stop = min(end, index + 1 + 3 * count)
    found = [i for i in range(index + 1, stop) if lines[i]]
    i = stop
    while len(found) < count and i < end:
        if lines[i]:
            found.append(i)
        i += 1
    return found[:count]


def _candidates(lines: Sequence[str], anchors: Sequence[int], above: int) -> dict[int, int]:
    """Lines up to ``above`` non-blank lines above each anchor (and its first lines) that
    could be a headline, with their distance to it in non-blank lines."""
    found: dict[int, int] = {}
    for anchor in anchors:
        near = [(distance, i) for distance, i in enumerate(_nonblank_above(lines, anchor, above))]
        if anchor == anchors[0]:
            # The model may keep the headline as the article's first lines; the body (a run
            # of long lines) has no headline inside it.
            near += [(0, anchor)] + [(0, i) for i in _nonblank_below(lines, anchor, _TITLE_LINES_INSIDE - 1)]
        for distance, index in near:
            if index not in found and not _could_be_headline(lines, index):
                continue
            found[index] = min(distance, found.get(index, distance))
    return found


def _is_paragraph(line: str) -> bool:
    """A line of running text: long, and ending as a sentence does."""
    return line.count(" ") >= _PARAGRAPH_WORDS and line.rstrip(_CLOSERS)[-1:] in ".!?。"


def _could_be_headline(lines: Sequence[str], index: int) -> bool:
    """The quick checks (no regular expressions) that rule out most lines near an article:
    a single word (a menu item), a paragraph, a list item, a sentence, a label ending in a
    colon, a hard-wrapped sentence continued on the next line."""
    line = lines[index]
    if len(line) > 300 or line[0] in _BULLETS:
        return False
    if line.count(" ") < _MIN_TITLE_WORDS - 1:
        return bool(_CJK.search(line))
    bare = line.rstrip(_CLOSERS)
    if bare[-1:] in _SENTENCE_END and not bare.endswith("..") and not _ABBREVIATION_END.search(bare[-12:]):
        return False
    following = lines[index + 1] if index + 1 < len(lines) else ""
    return not following[:1].islower()


@dataclass(frozen=True)
class _Candidate:
    index: int
    headline: str
    site: str | None
    #: The score from the line alone; context can add at most _MAX_CONTEXT_BONUS to it.
    score: float


# The most the context of a line (what is above and under it, and repeats of it) can add.
_MAX_CONTEXT_BONUS = _W_REPEATED + _W_MARK_NEXT


def _line_score(page: _Page, index: int, distance: int) -> _Candidate | None:
    """How much a line looks like a headline by itself, or ``None`` if it cannot be one."""
    line = page.lines[index]
    cjk = bool(_CJK.search(line))
    headline, site = split_site_name(line)
    words = _WORD.findall(headline)
    length = len(_CJK.findall(headline)) // 2 if cjk else len(words)
    if not 2 <= length <= _MAX_TITLE_WORDS:
        return None
    if not cjk and sum(1 for word in words if len(word) >= 3 and not word.isdigit()) < 2:
        return None
    if phrases.WHOLE_LINE.get(phrases.phrase_key(headline)) is not None or phrases.LINE_START.match(
            headline.casefold()):
        return None
    if length <= 8 and parse_date(headline) is not None:
        return None
    if _is_credit(headline):
        return None
    score = _W_OVERLAP * page.overlap(index) + _W_NEAR / (1.0 + distance / 4.0)
    if site is not None:
        score += _W_SITE
    if 5 <= length <= _LONG_TITLE_WORDS:
        score += _W_HEADLINE_LENGTH
    elif length == 2:
        score += _W_TWO_WORDS
    if ("." in headline or "/" in headline) and _RUN_TOGETHER.search(headline):
        score += _W_RUN_TOGETHER
    if _QUOTE_LEAD.match(headline):
        score += _W_QUOTE
    if ("." in headline or "…" in headline or "!" in headline or "?" in headline) and _TEASER.search(headline):
        score += _W_TEASER
    if not cjk and length >= 3 and sum(1 for word in words if word[:1].isupper()) * 2 >= length:
        score += _W_TITLE_CASE
    if headline.isupper():
        score += _W_UPPER
    if headline[:1].islower():
        score += _W_LOWER_START
    if length > _LONG_TITLE_WORDS:
        score += _W_LONG_WORD * (length - _LONG_TITLE_WORDS)
    return _Candidate(index, headline, site, score)


def _context_score(page: _Page, candidate: _Candidate) -> float:
    """What the lines around a candidate say about it: a byline or date under it, a
    standfirst or byline above it, the same line elsewhere on the page."""
    lines, index = page.lines, candidate.index
    score = candidate.score
    if page.window_text.count(candidate.headline) > 1 or page.text().count(lines[index]) > 1:
        score += _W_REPEATED
    above_three = _nonblank_above(lines, index, 3)
    above = above_three[:2]
    follows_prose = any(page.overlap(i) >= _STRONG_OVERLAP and _title_length(lines[i]) >= 5
                        and candidate.headline not in lines[i]
                        for i in above)  # (a breadcrumb ending in the headline is no standfirst)
    if follows_prose:
        score += _W_FOLLOWS_PROSE
    below = _nonblank_below(lines, index, 3)
    if below and page.marks(below[0]):
        score += _W_MARK_NEXT
    elif not follows_prose and any(page.marks(i) for i in below[1:]):
        # (a byline or date a few lines under a standfirst is its headline's, above it)
        score += _W_MARK_NEAR
    if above and _is_paragraph(lines[above[0]]):
        score += _W_AFTER_PARAGRAPH
    # Right under "By", "Author:" or a name: the byline's name or role (a role is short; a
    # longer line under a name, as a headline under its author's, is not penalised). Two or
    # three lines under "By X": an agency's name, a wire slug (the headline is above the byline).
    over = lines[above[0]] if above else ""
    if ((_starts_with_byline_word(over) and (_BYLINE_WORD_ONLY.match(over) or _BYLINE.match(over)))
            or (_looks_like_person(over) and _title_length(candidate.headline) < 5)
            or any(_is_byline(lines[i]) for i in above_three[1:])):
        score += _W_UNDER_BYLINE
    if _looks_like_person(candidate.headline) and not (below and _is_byline(lines[below[0]])):
        score += _W_PERSON  # (a name is not what stands over "By" and another name)
    return score


def _is_byline(line: str) -> bool:
    """Does the line open with a byline word and a name ("By Ada Lovelace", "Written by X")?"""
    return _starts_with_byline_word(line) and (match := _BYLINE.match(line)) is not None and _clean_name(
        match.group("name")) is not None


def _best_title(page: _Page, found: dict[int, int]) -> _Candidate | None:
    """The best headline among ``found`` (line index -> distance to the article), if any
    scores _MIN_TITLE_SCORE."""
    near = sorted(found.items(),
                  key=lambda item: -(_W_OVERLAP * page.overlap(item[0]) + _W_NEAR / (1.0 + item[1] / 4.0)))
    shaped = [candidate for index, distance in near[:_TITLE_SHORTLIST]
              if (candidate := _line_score(page, index, distance)) is not None]
    # Best first by the line's own score, so that the context (the costlier part) is read
    # only for lines that could still win.
    shaped.sort(key=lambda candidate: (-candidate.score, candidate.index))
    best: tuple[float, _Candidate] | None = None
    for candidate in shaped:
        floor = best[0] if best is not None else _MIN_TITLE_SCORE
        if candidate.score + _MAX_CONTEXT_BONUS < floor:
            break
        score = _context_score(page, candidate)
        if score >= floor and (best is None or score > best[0]):
            best = (score, candidate)
    return best[1] if best is not None else None


def find_metadata(lines: Sequence[str], article: Sequence[int],
                  language: str | None = None) -> tuple[PageMetadata, frozenset[int]]:
    """Metadata of a page, given its lines and the indices of the lines kept as its article,
    and the indices of the lines that show the title (with or without the site's name):
    the title goes to the metadata, not the article. The language is the caller's to set."""
    if not article:
        return PageMetadata(), frozenset()
    body = _body_start(lines, article)
    anchors = sorted({article[0], body})
    head = "\n".join(lines[i] for i in article[:200] if i >= body)[:_ARTICLE_CHARS]
    page = _Page(
        lines=lines,
        article_words=frozenset(_STEMS.findall(head.casefold())),
        article_head=head,
        # About as many lines as the headline window holds non-blank ones (most dumps
        # alternate text and blank lines), for spotting a headline shown twice.
        window_text="\n".join(lines[max(0, anchors[0] - 3 * _TITLE_LINES_ABOVE): anchors[-1] + 1]),
        stopwords=_stopword_stems(language),
    )
    best = _best_title(page, _candidates(lines, anchors, _TITLE_LINES_ABOVE))
    title = site_name = None
    title_lines: set[int] = set()
    title_index = article[0]
    if best is not None:
        title_index, title, site_name = best.index, best.headline, best.site
        title_lines = _title_lines(lines, title_index, title, site_name, article[0], page.window_text)
    author = published = None
    # The byline and date are read around the headline, or around an earlier showing of it
    # (a page may show the headline in a sticky header and again over the article).
    for index in [title_index, *(i for i in title_lines if i < title_index)]:
        above = _nonblank_above(lines, index, _BYLINE_LINES_ABOVE)[::-1]
        below = _nonblank_below(lines, index, _BYLINE_LINES_BELOW)
        author = author or _find_author(lines, [*above, index, *below], index)
        published = published or _find_date(lines, [*above[-_DATE_LINES_ABOVE:], index, *below[:_DATE_LINES_BELOW]],
                                             language)
        if author and published:
            break
    page_metadata = PageMetadata(title=title, author=author, published=published,
                                 site_name=site_name or _site_name(lines))
    return page_metadata, frozenset(title_lines)


def _title_lines(lines: Sequence[str], title_index: int, title: str, site_name: str | None, start: int,
                 window_text: str) -> set[int]:
    """The lines that show the title as a title: with the site's name, more than once, or
    above the article. A headline the article itself opens with and that occurs nowhere else
    stays in the article."""
    full = lines[title_index]
    repeated = window_text.count(title) > 1
    found: set[int] = set()
    # Only the page's header is searched: a copy of the headline further down (in a share
    # prompt or a list of related stories) is dropped as what it is.
    lo, hi = max(0, title_index - 3 * _TITLE_LINES_ABOVE), max(start, title_index) + 3 * _TITLE_LINES_INSIDE
    for i in [i for i in range(lo, min(hi, len(lines))) if lines[i] in (full, title)]:
        if repeated or i < start or (lines[i] == full and site_name is not None):
            found.add(i)
    return found


def _find_author(lines: Sequence[str], header: Sequence[int], title_index: int) -> str | None:
    """The author a byline near the headline names: "By X", "Von X", "X - 16 April 2015",
    a name above "3 min read"; failing those, a name alone on its line just under the
    headline (next to the date, or right under the headline)."""
    position = header.index(title_index)
    names: list[tuple[int, str]] = []  # bare names, by how likely they are the author
    for k, i in enumerate(header):
        line = lines[i]
        if len(line) > 160:
            continue
        name = _byline_name(line) if " " in line else None
        if name is None and k + 1 < len(header) and _starts_with_byline_word(line) and _BYLINE_WORD_ONLY.match(line):
            name = _clean_name(lines[header[k + 1]])
        if name is not None:
            if _is_credit(line) or _PROVIDED_BY.search(line):
                continue  # a picture's credit or a syndication note names no author
            return name
        if _looks_like_person(line) and not _PROVIDED_BY.search(line):
            under = lines[header[k + 1]] if k + 1 < len(header) else ""
            over = lines[header[k - 1]] if k > 0 else ""
            if _UNDER_HEADLINE.match(under):
                names.append((0, line))  # "Ada Lovelace" over "4 min read"
            elif position < k <= position + _NAME_LINES_BELOW:
                if _is_dateline(under) or _is_dateline(over):
                    names.append((1, line))
                elif k == position + 1:
                    names.append((2, line))  # a section's name sits there too, alone
    return min(names)[1] if names else None


def _is_dateline(line: str) -> bool:
    return len(line) < 60 and (_UNDER_HEADLINE.match(line) is not None or parse_date(line) is not None)


def _starts_with_byline_word(line: str) -> bool:
    """Does the line open with a byline word ("By", "Von", "Autor:")? A set lookup that
    spares most lines the byline expressions."""
    return line.lstrip(_LEADING_MARKS).split(" ", 1)[0].rstrip(":：").casefold() in _BYLINE_FIRST_WORDS


def _byline_name(line: str) -> str | None:
    """The name in a byline line, or ``None`` if the line is none."""
    match = _BYLINE.match(line) if _starts_with_byline_word(line) else None
    if match and (name := _clean_name(match.group("name"))):
        return name
    lowered = f" {line.casefold()} "
    inside = _BY_INSIDE.search(line) if any(word in lowered for word in _BY_WORDS) else None
    if (inside and len(line.split()) <= 14 and _BY_INSIDE_LEAD.search(line, 0, inside.start() + 1)
            and (name := _clean_name(inside.group("name")))):
        return name
    if "：" in line or ":" in line:
        cjk = _CJK_BYLINE.search(line)
        if cjk and cjk.group("name") not in _CJK_ROLES:
            return cjk.group("name")
    if _YEAR_ANYWHERE.search(line):
        # "Ada Lovelace - Apr 16, 2015 8:02 pm UTC": a name, a separator, a date.
        parts = _NAME_DATE_SEPARATOR.split(line, maxsplit=1)
        if len(parts) == 2 and _looks_like_person(parts[0]) and parse_date(parts[1]):
            return parts[0]
    return None


def _find_date(lines: Sequence[str], header: Sequence[int], language: str | None) -> str | None:
    for i in header:
        line = lines[i]
        if (len(line) > 200 or line.count(" ") > 20 or not _YEAR_ANYWHERE.search(line)
                or _NOT_PUBLICATION.search(line)):
            continue
        found = parse_date(line, language)
        if found:
            return found
    return None


def _site_name(lines: Sequence[str]) -> str | None:
    """The site's name as the page's own furniture states it: named by two of its links
    ("About Ars", "Advertise with Ars"), or by one of them and the copyright line; failing
    that, the name the copyright line gives ("Courier.com © 2021 Island Media", "© 2021 The
    Island Courier")."""
    edges = [*lines[:_EDGE_LINES], *lines[-_EDGE_LINES:]] if len(lines) > 2 * _EDGE_LINES else list(lines)
    named: dict[str, int] = {}
    for line in edges:
        if line[:1] in _SELF_REFERENCE_INITIALS and len(line) < 60 and (match := _SELF_REFERENCE.match(line)):
            name = match.group("name")
            if name.casefold() not in _NOT_SITE_NAMES and all(word[:1].isupper() for word in name.split()[1:]):
                named[name] = named.get(name, 0) + 1
    owner = _copyright_owner(lines[-_FOOTER_LINES:], lines[:_EDGE_LINES])
    for name, count in sorted(named.items(), key=lambda item: -item[1]):
        if count >= 2 or (owner is not None and (name in owner or owner in name)):
            return name
    return owner


def _before_domain_end(name: str) -> str:
    """A name up to the end of a site's address in it: "Courier.com Terms" -> "Courier"."""
    end = _DOMAIN_END.search(name) if "." in name else None
    return name[: end.start()] if end else name


def _copyright_owner(footer: Sequence[str], header: Sequence[str]) -> str | None:
    """The name a copyright line in the footer gives: the site's before the sign, else the
    owner's after it. A lower-case name before the sign ("courier ©") counts only if the
    page's header shows it alone on a line, as its logo."""
    for line in reversed(footer):
        if len(line) > _MAX_COPYRIGHT_LINE or not ("©" in line or "opyright" in line or "(c)" in line or "(C)" in line):
            continue
        sign = line.find("©", 0, _MAX_LEAD)
        if sign > 0 and (lead := _COPYRIGHT_LEAD.fullmatch(line, 0, sign + 1)):
            name = _before_domain_end(lead.group("name")).strip(" -")
            if (not any(word in name.casefold() for word in (*_CREDIT_WORDS, "copyright"))
                    and (_looks_like_site(name) or (" " not in name and name in header))):
                return name
        match = _COPYRIGHT_NAME.search(line)
        if not match:
            continue
        name = _LEGAL_FORM.sub("", _before_domain_end(match.group("name"))).strip(" -–—:;")
        if name.casefold() in _NOT_SITE_NAMES or _ROMAN_YEAR.fullmatch(name):
            continue  # "Copyright Notice", "© MMVI"
        words = name.split()
        if 1 <= len(words) <= _MAX_SITE_WORDS and words[0][:1].isupper() and all(
                word[:1].isupper() or word in _NAME_PARTICLES for word in words):
            return name
    return None

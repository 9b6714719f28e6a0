"""Title, author, date and site name of a text dump, read from the lines around the article.

A dump has no ``<title>`` or ``<meta>`` tags, so everything comes from what the page shows:
the headline just above the article (often once more in a breadcrumb or with the site's
name after a separator), a byline, a dateline and the copyright footer. Every value is one
the page states; where it states none, the field stays ``None`` (nothing is guessed from
the current date or the URL).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from . import phrases
from .stopwords import ALL_STOPWORDS, STOPWORDS

_WORD = re.compile(r"\w+")
# Separators between a headline and the site's name in a title line.
_PREFIX_SEPARATOR = re.compile(r"\s*[|｜»]")
_TITLE_SEPARATOR = re.compile(r"\s+[|–—·»:~]\s+|\s+-\s+|\s*[_｜]\s*|\s+::\s+")
# Lines this far above the article's first line are still its header (headline, byline,
# dateline, share buttons, a picture and its caption); set from the dev pages, where the
# headline sits at most 12 lines above (median 4).
_HEADER_LINES = 16
# The headline's words mostly recur in the article; measured on the dev pages' titles, the
# content words of real headlines recur 50-100%, those of menu items rarely.
_MIN_TITLE_SCORE = 1.0
# The headline sits at most this many non-blank lines above the article's first line on the
# dev pages (most within 12; a few pages put a picture gallery or share bar in between).
_TITLE_LINES_ABOVE = 30
_CLOSERS = "'\"’”»)]"
_BULLETS = frozenset("+•*·►▪-–—#|>")
# Headlines in the dev pages run 3-16 words; longer lines are penalised per extra word.
_LONG_TITLE_WORDS = 16
# A site name after a headline is short: at most this many words.
_MAX_SITE_WORDS = 5

_BYLINE = re.compile(
    r"^(?:by|written by|posted by|words by|story by|text by|von|par|por|di|door|av|af|autor|author|auteur|"
    r"autore|texto|text|redacción)\s*:?\s*(?P<name>.*)$",
    re.I,
)
_BYLINE_WORD_ONLY = re.compile(r"^(?:by|von|par|por|di|door|av|af|autor|author|auteur|autore)\s*:?$", re.I)
_BY_INSIDE = re.compile(r"\b(?:by|von|par|por)\s+(?P<name>[A-ZÀ-ÖØ-Þ][\w.'’-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w.'’-]*){1,3})")
# Where a name in a byline stops: a handle, a date, a separator, a role after a comma.
_NAME_END = re.compile(r"\s+@|\s+[|•·–—-]\s+|\s+\d|,\s*(?:\d|updated|published|staff|senior|reporter|correspondent|"
                       r"editor|writer|contributor|columnist|am|pm)|\s+(?:on|am|le|el|em|il)\s+\w+\s+\d|\s*\(|\s{2,}",
                       re.I)
_NAME_WORD = re.compile(r"^(?:[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’.-]*|[a-z]{1,3}|&|and|y|e|und|et)$")

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate((
    "january jan januar janvier enero janeiro gennaio gen januari",
    "february feb februar février fevrier febrero fevereiro fev febbraio februari",
    "march mar märz maerz mars marzo março marco maart",
    "april apr avril abril aprile",
    "may mai mayo maio maggio mei",
    "june jun juni juin junio junho giugno",
    "july jul juli juillet julio julho luglio",
    "august aug août aout agosto augustus ago",
    "september sep sept septembre septiembre setembro set settembre",
    "october oct oktober octobre octubre outubro out ottobre okt",
    "november nov novembre noviembre novembro",
    "december dec dezember décembre decembre diciembre dezembro dez dicembre",
), start=1):
    for _name in _names.split():
        _MONTHS[_name] = _number
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b"), "ymd"),
    (re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th|\.)?(?:\s+de)?[\s.-]+(?P<mon>{_MONTH})\.?(?:\s+de)?[\s.,-]+"
                r"(?P<y>(?:19|20)\d{2})\b", re.I), "dmy-name"),
    (re.compile(rf"\b(?P<mon>{_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{{2}})\b", re.I),
     "mdy-name"),
    (re.compile(r"\b(?P<a>\d{1,2})([./])(?P<b>\d{1,2})\2(?P<y>(?:19|20)\d{2})\b"), "numeric"),
)
# Words that make a date relative or about something else than publication.
_NOT_PUBLICATION = re.compile(r"\b(copyright|©|born|died|since|founded|established|event|deadline|expires?)\b", re.I)


@dataclass(frozen=True)
class TextMetadata:
    title: str | None = None
    author: str | None = None
    published: str | None = None
    site_name: str | None = None
    #: Indices of lines that are the title (with or without the site's name): the title
    #: goes to the metadata, not the article.
    title_lines: frozenset[int] = field(default_factory=frozenset)


def _content_words(text: str, stopwords: frozenset[str]) -> set[str]:
    return {word for word in (w.casefold() for w in _WORD.findall(text)) if len(word) > 2 and word not in stopwords}


def split_site_name(line: str) -> tuple[str, str | None]:
    """A title line's headline and the site name after (or before) a separator, if any.

    >>> split_site_name("Ferry fares rise again this spring — The Island Courier")
    ('Ferry fares rise again this spring', 'The Island Courier')
    >>> split_site_name("Ferry Fares — What the New Timetable Means for Commuters")
    ('Ferry Fares — What the New Timetable Means for Commuters', None)
    >>> split_site_name("Local | Ferry fares rise again this spring")
    ('Ferry fares rise again this spring', 'Local')
    """
    parts = _TITLE_SEPARATOR.split(line)
    if len(parts) < 2:
        return line, None
    prefix_separator = _PREFIX_SEPARATOR.match(line[len(parts[0]):])
    candidates = [(parts[-1], line[: line.rfind(parts[-1])])]
    if prefix_separator:
        # A name before the headline only after a bar or guillemet ("Section | Headline"):
        # with a dash, the first part is as likely the headline's own first half.
        candidates.append((parts[0], line[len(parts[0]):]))
    for site, rest in candidates:
        headline = re.sub(r"^\s*(?:[|–—·»:~_｜-]|::)\s*|\s*(?:[|–—·»:~_｜-]|::)\s*$", "", rest).strip()
        if _looks_like_site(site) and len(_WORD.findall(headline)) >= 3:
            return headline, site.strip()
    return line, None


def _looks_like_site(text: str) -> bool:
    words = text.split()
    if not words or len(_WORD.findall(text)) > _MAX_SITE_WORDS:
        return False
    if all("\u4e00" <= char <= "\u9fff" for char in text.strip()):
        return True  # Chinese site names after "_" are short runs of characters
    return all(word[:1].isupper() or word[:1].isdigit() or word in ("&", "-", "de", "of", "the", "en")
               or "." in word for word in words)


def _clean_name(raw: str) -> str | None:
    """The person named at the start of a byline's text, or ``None`` if it is not a name.

    >>> _clean_name("Tom Marsh @tommarsh March 3, 2021: 10:15 AM ET")
    'Tom Marsh'
    >>> _clean_name("the end of the year") is None
    True
    """
    match = _NAME_END.search(raw)
    name = (raw[: match.start()] if match else raw).strip(" ,;:|-–—")
    words = name.split()
    if not 1 <= len(words) <= 6 or not words[0][:1].isupper():
        return None
    if not all(_NAME_WORD.match(word) for word in words):
        return None
    return name


def _looks_like_person(line: str) -> bool:
    """A line that is only a person's name: two to four capitalised words, no digits.

    >>> _looks_like_person("Ruth Kellaway")
    True
    >>> _looks_like_person("Most Popular")
    False
    """
    words = line.split()
    if not 2 <= len(words) <= 4 or any(char.isdigit() for char in line) or len(line) > 40:
        return False
    if phrases.WHOLE_LINE.get(phrases.phrase_key(line)) is not None:
        return False
    lowered = [word.casefold() for word in words]
    if any(word in ALL_STOPWORDS and len(word) > 3 for word in lowered):
        return False
    return all(re.fullmatch(r"[A-ZÀ-ÖØ-ÞĀ-Ž][a-zß-öø-ÿā-ž'’.-]+|[A-Z]\.|[a-z]{2,3}", word) for word in words) and \
        sum(1 for word in words if word[:1].isupper()) >= 2


def parse_date(text: str, language: str | None = None) -> str | None:
    """The first calendar date a line states, as ``YYYY-MM-DD``.

    >>> parse_date("Monday 14 March 2022")
    '2022-03-14'
    >>> parse_date("by Tom Marsh March 3, 2021: 10:15 AM ET")
    '2021-03-03'
    >>> parse_date("4 de mayo de 2020 9:00")
    '2020-05-04'
    >>> parse_date("Updated 2021-07-09 08:30")
    '2021-07-09'
    >>> parse_date("It cost 12 dollars") is None
    True
    """
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
                return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def _title_candidates(lines: Sequence[str], start: int) -> list[int]:
    """Indices of non-blank lines in the header above the article and its first two lines."""
    before = [i for i in range(start - 1, -1, -1) if lines[i]][:_TITLE_LINES_ABOVE]
    after = [i for i in range(start, len(lines)) if lines[i]][:2]
    return sorted(before) + after


def _title_score(line: str, distance: int, next_line: str, article_words: set[str], article_text: str,
                 page_text: str, stopwords: frozenset[str]) -> tuple[float, str, str | None]:
    """How much a line looks like the page's headline, and the headline and site name in it.

    The weights were set by hand on the dev pages' gold titles: overlap with the article's
    words matters most, then the signs of a title (repeated on the page, the site's name
    after it, a byline or date under it), then closeness to the article.
    """
    headline, site = split_site_name(line)
    words = _WORD.findall(headline)
    cjk = sum(1 for char in headline if "\u3040" <= char <= "\u9fff")
    length = len(words) if not cjk else cjk // 2
    bare = headline.rstrip(_CLOSERS)
    if not 2 <= length <= 30 or (bare.endswith(".") and not bare.endswith("..")) or headline[:1] in _BULLETS:
        return 0.0, headline, site
    if not cjk and sum(1 for word in words if len(word) >= 3 and not word.isdigit()) < 2:
        return 0.0, headline, site
    lower = headline.casefold()
    if phrases.WHOLE_LINE.get(phrases.phrase_key(headline)) is not None or phrases.LINE_START.match(lower):
        return 0.0, headline, site
    if parse_date(headline) is not None and length <= 8:
        return 0.0, headline, site
    content = _content_words(headline, stopwords)
    if cjk:
        overlap = sum(1 for char in headline if char in article_text[: 10_000]) / max(1, len(headline))
    else:
        # A one- or two-word line (a section name, a person) overlaps by chance: credit
        # overlap in full only from four content words up.
        overlap = len(content & article_words) / len(content) * min(1.0, len(content) / 4) if content else 0.0
    score = 2.0 * overlap + 0.6 / (1.0 + distance / 4.0)
    if page_text.count(headline) > 1:
        score += 0.5
    if site is not None:
        score += 0.5
    if next_line and (_BYLINE.match(next_line) or _BYLINE_WORD_ONLY.match(next_line)
                      or _looks_like_person(next_line) or (len(next_line) < 60 and parse_date(next_line))):
        score += 0.4
    if length >= 3 and sum(1 for word in words if word[:1].isupper()) * 2 >= length:
        score += 0.2
    if headline.isupper():
        score -= 0.5
    if _looks_like_person(headline):
        score -= 1.0
    if headline[:1].islower():
        score -= 0.5
    if length > _LONG_TITLE_WORDS:
        # Headlines are short; a long line without a full stop is more likely a standfirst.
        score -= 0.1 * (length - _LONG_TITLE_WORDS)
    return score, headline, site


def find_metadata(lines: Sequence[str], article: Sequence[int], language: str | None = None) -> TextMetadata:
    """Metadata of a page, given its lines and the indices of the lines kept as its article."""
    if not article:
        return TextMetadata()
    start = article[0]
    stopwords = STOPWORDS.get(language or "", ALL_STOPWORDS)
    article_text = "\n".join(lines[i] for i in article[:200])
    article_words = _content_words(article_text, stopwords)
    page_text = "\n".join(lines)
    candidates = _title_candidates(lines, start)
    best: tuple[float, int, str, str | None] | None = None
    for position, i in enumerate(candidates):
        distance = abs(sum(1 for j in candidates if (i < j < start) or (start <= j < i)))
        next_line = lines[candidates[position + 1]] if position + 1 < len(candidates) else ""
        score, headline, site = _title_score(lines[i], distance, next_line, article_words, article_text, page_text,
                                             stopwords)
        if score >= _MIN_TITLE_SCORE and (best is None or score > best[0]):
            best = (score, i, headline, site)
    title = site_name = None
    title_lines: set[int] = set()
    title_index = start
    if best is not None:
        _, title_index, title, site_name = best
        full = lines[title_index]
        # The title line goes to the metadata when the page shows it as a title: with the
        # site's name, more than once, or above the article. A headline the article itself
        # opens with and that occurs nowhere else stays in the article.
        repeated = sum(1 for line in lines if title in line) > 1
        for i, line in enumerate(lines):
            shown_as_title = line == full and (site_name is not None or repeated or i < start)
            if shown_as_title or (line == title and i != title_index and (repeated or i < start)):
                title_lines.add(i)
    header = [i for i in range(max(0, title_index - 2), len(lines)) if lines[i]][: _HEADER_LINES + 4]
    header = [i for i in header if i <= max(start, title_index) + 3]
    return TextMetadata(
        title=title,
        author=_find_author(lines, header, title_index),
        published=_find_date(lines, header, language),
        site_name=site_name or _site_from_footer(lines),
        title_lines=frozenset(title_lines),
    )


def _find_author(lines: Sequence[str], header: Sequence[int], title_index: int) -> str | None:
    for position, i in enumerate(header):
        line = lines[i]
        if len(line) > 160:
            continue
        match = _BYLINE.match(line)
        if match:
            name = _clean_name(match.group("name"))
            if name:
                return name
        if _BYLINE_WORD_ONLY.match(line) and position + 1 < len(header):
            name = _clean_name(lines[header[position + 1]])
            if name:
                return name
        inside = _BY_INSIDE.search(line)
        if inside and len(line.split()) <= 14:
            name = _clean_name(inside.group("name"))
            if name:
                return name
    # A name alone on the line right under the headline.
    following = [i for i in header if i > title_index][:2]
    for i in following:
        if _looks_like_person(lines[i]):
            return lines[i]
    return None


def _find_date(lines: Sequence[str], header: Sequence[int], language: str | None) -> str | None:
    for i in header:
        line = lines[i]
        if len(_WORD.findall(line)) > 16 or _NOT_PUBLICATION.search(line):
            continue
        found = parse_date(line, language)
        if found:
            return found
    return None


_COPYRIGHT_NAME = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:(?:19|20)\d{2}(?:\s*[-–]\s*(?:(?:19|20)\d{2})?)?\s*)?(?P<name>[^.|,©]+)",
    re.I,
)


def _site_from_footer(lines: Sequence[str]) -> str | None:
    """The owner a copyright line names, e.g. "© 2021 The Island Courier"."""
    for line in reversed(lines[-60:]):
        if len(line) > 120:
            continue
        match = _COPYRIGHT_NAME.search(line)
        if not match:
            continue
        name = re.sub(r"\b(all rights? reserved|inc|ltd|llc|gmbh|s\.?a|plc)\b.*$", "", match.group("name"),
                      flags=re.I).strip(" -–—:;")
        words = name.split()
        if 1 <= len(words) <= _MAX_SITE_WORDS and all(word[:1].isupper() or word in ("&", "of", "the")
                                                       for word in words):
            return name
    return None

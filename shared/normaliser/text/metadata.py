"""Title, author, date and site name of a text dump, read from the lines around the article.

A dump has no ``<title>`` or ``<meta>`` tags, so everything comes from what the page shows:
the headline above the article (often once more in a breadcrumb, a share prompt or with the
site's name after a separator), a byline, a dateline and the copyright footer. Every value is
one the page states; where it states none, the field stays ``None`` (nothing is guessed from
the current date, a relative date such as "2 hours ago", or the URL).

Only a window of lines is read: the header above the article (where the boilerplate model
puts its first line, and above the first run of long article lines, since the model's first
kept line is sometimes a stray one) and the page's last lines for the copyright footer, so
the cost stays a small share of cleaning a page. The header's lines are found in
:mod:`.header`, the headline chosen in :mod:`.title`, the site's name read in
:mod:`.site_name`; the byline and the dateline are read here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from normaliser.meta.dates import _YEAR_ANYWHERE, parse_date
from normaliser.meta.names import (
    _BY_INSIDE,
    _BY_INSIDE_LEAD,
    _BY_WORDS,
    _BYLINE,
    _BYLINE_WORD_ONLY,
    _CJK_BYLINE,
    _CJK_ROLES,
    _NAME_DATE_SEPARATOR,
    _PROVIDED_BY,
    _clean_name,
    _looks_like_person,
    _starts_with_byline_word,
)
from normaliser.page import PageMetadata

from . import settings
from .header import UNDER_HEADLINE, is_credit, nonblank_above, nonblank_below
from .site_name import find_site_name
from .title import best_headline, read_header

# A date in such a line is about something else than the article's publication.
_NOT_PUBLICATION = re.compile(
    r"\b(copyright|born|died|since|founded|established|event|deadline|expires?|"
    r"geboren|gestorben|né|née|nacido|nato)\b|©",
    re.I,
)


def find_metadata(
    lines: Sequence[str], article: Sequence[int], language: str | None = None
) -> tuple[PageMetadata, frozenset[int]]:
    """Metadata of a page, given its lines and the indices of the lines kept as its article,
    and the indices of the lines that show the title (with or without the site's name):
    the title goes to the metadata, not the article. The language is the caller's to set."""
    if not article:
        return PageMetadata(), frozenset()
    header = read_header(lines, article, language)
    best = best_headline(header)
    title = site_name = None
    title_lines: set[int] = set()
    title_index = article[0]
    if best is not None:
        title_index, title, site_name = best.index, best.headline, best.site
        title_lines = _title_lines(lines, title_index, title, site_name, article[0], header.window_text)
    # The byline and date are read around the headline, or around an earlier showing of it
    # (a page may show the headline in a sticky header and again over the article).
    author, published = _byline_and_date(lines, [title_index, *(i for i in title_lines if i < title_index)], language)
    page_metadata = PageMetadata(
        title=title, author=author, published=published, site_name=site_name or find_site_name(lines)
    )
    return page_metadata, frozenset(title_lines)


def _title_lines(
    lines: Sequence[str], title_index: int, title: str, site_name: str | None, start: int, window_text: str
) -> set[int]:
    """The lines that show the title as a title: with the site's name, more than once, or
    above the article. A headline the article itself opens with and that occurs nowhere else
    stays in the article."""
    full = lines[title_index]
    repeated = window_text.count(title) > 1
    found: set[int] = set()
    # Only the page's header is searched: a copy of the headline further down (in a share
    # prompt or a list of related stories) is dropped as what it is.
    lo = max(0, title_index - 3 * settings.METADATA.title_lines_above)
    hi = max(start, title_index) + 3 * settings.METADATA.title_lines_inside
    for i in [i for i in range(lo, min(hi, len(lines))) if lines[i] in (full, title)]:
        if repeated or i < start or (lines[i] == full and site_name is not None):
            found.add(i)
    return found


def _byline_and_date(
    lines: Sequence[str], title_indices: Sequence[int], language: str | None
) -> tuple[str | None, str | None]:
    """The author and the publication date stated around the first of ``title_indices`` that
    has them, each read on its own."""
    config = settings.METADATA
    author = published = None
    for index in title_indices:
        above = nonblank_above(lines, index, config.byline_lines_above)[::-1]
        below = nonblank_below(lines, index, config.byline_lines_below)
        author = author or _find_author(lines, [*above, index, *below], index)
        published = published or _find_date(
            lines, [*above[-config.date_lines_above :], index, *below[: config.date_lines_below]], language
        )
        if author and published:
            break
    return author, published


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
            if is_credit(line) or _PROVIDED_BY.search(line):
                continue  # a picture's credit or a syndication note names no author
            return name
        if _looks_like_person(line) and not _PROVIDED_BY.search(line):
            rank = _bare_name_rank(lines, header, k, position)
            if rank is not None:
                names.append((rank, line))
    return min(names)[1] if names else None


def _bare_name_rank(lines: Sequence[str], header: Sequence[int], k: int, position: int) -> int | None:
    """How likely a name alone on the line ``header[k]`` is the author (0 most likely), given
    the headline at ``header[position]``; ``None`` if it is not."""
    under = lines[header[k + 1]] if k + 1 < len(header) else ""
    over = lines[header[k - 1]] if k > 0 else ""
    if UNDER_HEADLINE.match(under):
        return 0  # "Ada Lovelace" over "4 min read"
    if not position < k <= position + settings.METADATA.name_lines_below:
        return None
    if _is_dateline(under) or _is_dateline(over):
        return 1
    return 2 if k == position + 1 else None  # a section's name sits there too, alone


def _is_dateline(line: str) -> bool:
    return len(line) < 60 and (UNDER_HEADLINE.match(line) is not None or parse_date(line) is not None)


def _byline_name(line: str) -> str | None:
    """The name in a byline line, or ``None`` if the line is none."""
    match = _BYLINE.match(line) if _starts_with_byline_word(line) else None
    if match and (name := _clean_name(match.group("name"))):
        return name
    lowered = f" {line.casefold()} "
    inside = _BY_INSIDE.search(line) if any(word in lowered for word in _BY_WORDS) else None
    if (
        inside
        and len(line.split()) <= 14
        and _BY_INSIDE_LEAD.search(line, 0, inside.start() + 1)
        and (name := _clean_name(inside.group("name")))
    ):
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
        if len(line) > 200 or line.count(" ") > 20 or not _YEAR_ANYWHERE.search(line) or _NOT_PUBLICATION.search(line):
            continue
        found = parse_date(line, language)
        if found:
            return found
    return None

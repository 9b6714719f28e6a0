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

from .title import (
    _ARTICLE_CHARS,
    _BYLINE_LINES_ABOVE,
    _BYLINE_LINES_BELOW,
    _CREDIT_WORDS,
    _DATE_LINES_ABOVE,
    _DATE_LINES_BELOW,
    _FOOTER_LINES,
    _MAX_COPYRIGHT_LINE,
    _MAX_SITE_WORDS,
    _NAME_LINES_BELOW,
    _STEMS,
    _TITLE_LINES_ABOVE,
    _TITLE_LINES_INSIDE,
    _UNDER_HEADLINE,
    _best_title,
    _body_start,
    _candidates,
    _is_credit,
    _looks_like_site,
    _nonblank_above,
    _nonblank_below,
    _Page,
    _stopword_stems,
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
# At most four signs in a row: "+" would rescan a run of them from each of its signs.
_COPYRIGHT_NAME = re.compile(
    rf"(?:(?:©|\(c\)|copyright)\s*){{1,4}}(?:{_YEARS}\s*[,:]?\s*)?(?P<name>[^.|,©]+(?:\.(?=\w)[^.|,©]*)*)",
    re.I,
)
# "Courier.com © 2021 Island Media", "Island Courier, 2018-2021 ©": the site's own name
# before the sign (the company after it is the publisher).
# Matched from the line's start; the look-behind keeps a search from trying every word.
_COPYRIGHT_LEAD = re.compile(rf"(?<![\w&'’ .-])(?P<name>[^\W\d_][\w&'’ -]*?(?:\.\w[\w'’-]*)*)\s*,?\s*(?:{_YEARS}\s*)?©")
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

"""What an HTML page says about itself: title, author, date, site name and language.

Read from the parsed page before anything is dropped, in order of how deliberate the source is:
JSON-LD and ``<meta>`` tags (written for machines) before visible elements (``<title>``,
``<h1>``, bylines). A field the page does not state stays ``None``: nothing is guessed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from normaliser.meta.dates import parse_date
from normaliser.page import PageMetadata

from .byline import (
    _OTHER_CONTENT_TAGS,
    _URL,
    MAX_DATE_CHARS,
    _author,
    _beside_heading,
    _byline,
    _byline_near_heading,
    _clean,
    _short_text,
    _visible_text,
)

# JSON-LD types that describe the page's main item (schema.org CreativeWork family members
# that pages use for articles); a WebSite/Organization node only gives the site name.
ARTICLE_TYPES = frozenset(
    [
        "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
        "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "techarticle", "scholarlyarticle",
        "socialmediaposting", "liveblogposting", "webpage", "itempage", "aboutpage", "qapage", "faqpage", "report",
        "review", "recipe", "howto", "creativework", "medicalwebpage", "collectionpage", "discussionforumposting"
    ]
)
PAGE_TYPES = frozenset({"webpage", "collectionpage", "itempage", "aboutpage"})
SITE_TYPES = frozenset({"website", "newsmediaorganization", "organization"})

# <meta> keys read for each field, most specific first (Open Graph, Twitter cards, Dublin Core,
# Parse.ly and the common CMS names seen on news sites).
TITLE_KEYS = ("og:title", "twitter:title", "dc.title", "dcterms.title", "parsely-title", "sailthru.title", "title")
AUTHOR_KEYS = (
    "author", "article:author", "og:article:author", "dc.creator", "dcterms.creator", "parsely-author",
    "sailthru.author", "byl",
)
DATE_KEYS = (
    "article:published_time", "og:article:published_time", "datepublished", "date", "dc.date", "dc.date.issued",
    "dcterms.created", "dcterms.date", "parsely-pub-date", "sailthru.date", "pubdate", "publishdate",
    "article.published", "published_time", "publish-date", "citation_publication_date",
)

# Separators between an article title and the site name in <title> ("Story - Site", "Site | Story").
# "(?<!\s)": a separator starts where a run of spaces does, not from inside it (quadratic).
_TITLE_SEPARATOR = re.compile(r"(?<!\s)(\s+[|\-–—»·•:/\\]\s+|\s+::\s+|\s*[|»·•]\s*)")
# What is left after cutting a site name must be at least this many words to be a title
# (Readability's rule of thumb for the same decision; it fits our pages), and a part of at
# most SITE_MAX_WORDS words at the end is taken for the site or section name.
MIN_TITLE_WORDS = 5
SITE_MAX_WORDS = 4
# ISO 8601 dates as pages write them: a date, optionally a time and a zone.
_ISO_DATE = re.compile(
    r"^\s*(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})?)?"
)
# Where pages put a visible byline, most explicit first: HTML's rel=author links, schema.org
# microdata (the author's name property, else the author element), then elements whose
# class or id names a byline or an author (BYLINE_CLASS); each in document order, outside
# other content (_in_other_content), and taken only if its text looks like a name
# (_looks_like_byline). One query finds them all.


_LANG = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$")


def read_meta_tags(tree: LexborHTMLParser) -> dict[str, str]:
    """``<meta>`` tags by lowercased name/property/itemprop; the first of each key wins."""
    tags: dict[str, str] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        content = attrs.get("content")
        if not content or not content.strip():
            continue
        for key_attr in ("property", "name", "itemprop", "http-equiv"):
            key = attrs.get(key_attr)
            if key:
                tags.setdefault(key.strip().lower(), content.strip())
    return tags


# A JSON-LD script wrapped in a CDATA section (an XHTML habit): "<![CDATA[ {...} ]]>".
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")


def _json_ld_nodes(tree: LexborHTMLParser) -> Iterator[dict[str, Any]]:
    for script in tree.css('script[type="application/ld+json"]'):
        text = script.text(deep=True) or ""
        if "<![CDATA[" in text:
            text = _CDATA.sub("", text)
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):  # broken JSON-LD is common; it is a hint, never required
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(reversed(graph))


def _types(item: dict[str, Any]) -> set[str]:
    kind = item.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


# Lists inside lists deeper than this hold no author worth reading (and a page could nest
# them a thousand deep to exhaust the stack).
MAX_JSON_LD_DEPTH = 8


def _names(value: Any, nodes: dict[str, dict[str, Any]] | None = None, depth: int = 0) -> list[str]:
    """Names from a JSON-LD person/organization value (a string, an object or a list); with
    ``nodes``, only the names that a reference ``{"@id": ...}`` points to elsewhere on the page."""
    if isinstance(value, list):
        if depth >= MAX_JSON_LD_DEPTH:
            return []
        return [name for item in value for name in _names(item, nodes, depth + 1)]
    if isinstance(value, dict):
        if nodes is not None:
            reference = value.get("@id") if "name" not in value else None
            value = nodes.get(reference, {}) if isinstance(reference, str) else {}
        name = _clean(value.get("name"))
        return [name] if name else []
    name = _clean(value) if nodes is None else None
    return [name] if name and not _URL.match(name) else []


def _json_ld(tree: LexborHTMLParser) -> dict[str, str]:
    """Title, author, date and site name from JSON-LD; the first article node wins, a WebPage
    node (which describes the page, not the story on it) only fills what no article states."""
    story: dict[str, str] = {}
    page: dict[str, str] = {}
    items = list(_json_ld_nodes(tree))
    nodes = {item["@id"]: item for item in items if isinstance(item.get("@id"), str) and "name" in item}
    for item in items:
        types = _types(item)
        if types & ARTICLE_TYPES:
            found = page if types <= PAGE_TYPES else story
            for key, field in (("headline", "title"), ("name", "title_name"), ("datePublished", "published")):
                value = _clean(item.get(key))
                if value:
                    found.setdefault(field, value)
            for field, references in (("author", None), ("author_reference", nodes)):
                authors = [name for name in _names(item.get("author") or item.get("creator"), references)
                           if _author(name)]
                if authors:
                    found.setdefault(field, ", ".join(dict.fromkeys(authors)))
            publisher = _names(item.get("publisher"))
            if publisher:
                found.setdefault("site_name", publisher[0])
        elif types & SITE_TYPES:
            name = _clean(item.get("name"))
            if name:
                page.setdefault("site_name_fallback", name)
    return page | story


def split_site_from_title(title: str, site_name: str | None = None) -> str:
    """Strip the site's name from a ``<title>``: a short last part ("Story - Site"), or a part
    at either end that is the site's stated name. A title whose last part is long, or whose
    rest would be too short to be a title, stays whole.

    >>> split_site_from_title("Rain expected all week in the north | Daily Planet")
    'Rain expected all week in the north'
    >>> split_site_from_title("Home - Acme")
    'Home - Acme'
    >>> split_site_from_title("On Recent Events - Jane Q. Public ( jqp )")
    'On Recent Events - Jane Q. Public ( jqp )'
    """
    pieces = _TITLE_SEPARATOR.split(title)
    if len(pieces) < 3:
        return title
    first, last = pieces[0].strip(), pieces[-1].strip()
    head, tail = "".join(pieces[:-2]).strip(), "".join(pieces[2:]).strip()
    site = site_name.casefold() if site_name else None
    if site and last.casefold() == site and head:
        return head
    if site and first.casefold() == site and tail:
        return tail
    if len(last.split()) <= SITE_MAX_WORDS and len(head.split()) >= MIN_TITLE_WORDS:
        return head
    return title


def _letters(text: str) -> str:
    """Letters and digits only, casefolded: a heading and a title differ in punctuation,
    spacing and case ("WEEKEND CODING AGENT", "Weekend Coding Agent")."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _end_runs(title: str) -> Iterator[str]:
    """Each run of a title's separated parts that starts or ends it, longest first:
    "A | B | C" gives "A | B", "B | C", "A", "C". A run that ends the title is left out when
    it is shorter than the parts before it: titles name the site last ("Story - Site"), so
    a short last part is the site's name even where a heading repeats it (a logo in <h1>).

    >>> list(_end_runs("A long story told | Site"))
    ['A long story told']
    >>> list(_end_runs("Site | A long story told"))
    ['Site', 'A long story told']
    """
    pieces = _TITLE_SEPARATOR.split(title)
    for keep in range(len(pieces) // 2, 0, -1):
        head, tail = "".join(pieces[: 2 * keep - 1]).strip(), "".join(pieces[len(pieces) - 2 * keep + 1:]).strip()
        yield head
        if len(_letters(tail)) >= len(_letters("".join(pieces[: len(pieces) - 2 * keep]))):
            yield tail


def heading_in_title(headings: list[str], titles: list[str]) -> tuple[str, bool] | None:
    """The stated title that the page's own heading (``<h1>``) repeats, and whether it repeats
    the title whole: the first heading that reads as a title, or as a title without the parts
    before or after a separator (those parts are the site's or section's name), in spite of
    case, spacing and punctuation. Where several read so, the one written as the heading is.

    >>> heading_in_title(["Kayaks"], ["Kayaks | Example Outfitters"])
    ('Kayaks', False)
    >>> heading_in_title(["Crónica de la semana"], ["Crónica de la semana - Diario Ejemplo"])
    ('Crónica de la semana', False)
    >>> heading_in_title(["WEEKEND CODING AGENT"], ["Weekend Coding Agent"])
    ('Weekend Coding Agent', True)
    >>> heading_in_title(["Example News"], ["Rain expected all week"]) is None
    True
    """
    for heading in headings:
        wanted = _letters(heading)
        if not wanted:
            continue
        wholes = [title for title in titles if _letters(title) == wanted]
        parts = [run for title in titles for run in _end_runs(title) if _letters(run) == wanted]
        bare = heading.replace(" ", "")
        exact = next((title for title in wholes + parts if title.replace(" ", "") == bare), None)
        if exact is not None:
            return exact, exact in wholes
        if wholes or parts:
            return (wholes[0], True) if wholes else (parts[0], False)
    return None


def _site_part(part: str, names: list[str]) -> bool:
    """Is this part of a title one of the site's names (its stated name or its domain's)?"""
    letters = _letters(part)
    return bool(letters) and any(letters == name for name in names)


def strip_site_name(title: str, names: list[str]) -> str:
    """The title without parts at either end that are the site's name, as long as a part
    remains.

    >>> strip_site_name("Ferry fares rise | Island Courier", ["islandcourier"])
    'Ferry fares rise'
    >>> strip_site_name("Island Courier", ["islandcourier"])
    'Island Courier'
    """
    pieces = _TITLE_SEPARATOR.split(title)
    while len(pieces) >= 3 and _site_part(pieces[-1], names):
        pieces = pieces[:-2]
    while len(pieces) >= 3 and _site_part(pieces[0], names):
        pieces = pieces[2:]
    return "".join(pieces).strip()


def _date_near_heading(tree: LexborHTMLParser, language: str | None) -> str | None:
    """The first date in a short line beside the page's heading, in any of the languages
    the text-dump date reader knows."""
    for nodes in _beside_heading(tree, "time, p, span, div, li, small"):
        for node in nodes:
            text = _short_text(node, MAX_DATE_CHARS) or ""
            if len(text) <= MAX_DATE_CHARS and (date := parse_date(text, language)):
                return normalise_date(date)
    return None


def normalise_date(value: str | None) -> str | None:
    """An ISO 8601 date or date-time as stated, or ``None`` when the value is not one.

    >>> normalise_date("2015-07-24T05:36:09+01:00")
    '2015-07-24T05:36:09+01:00'
    >>> normalise_date("2019-11-19 10:00")
    '2019-11-19T10:00'
    >>> normalise_date("yesterday") is None
    True
    """
    if not value:
        return None
    match = _ISO_DATE.match(value)
    if not match:
        return None
    day, time, zone = match.groups()
    if not 1 <= int(day[5:7]) <= 12 or not 1 <= int(day[8:10]) <= 31:
        return None
    if not time:
        return day
    if zone and zone != "Z" and ":" not in zone:
        zone = zone[:3] + ":" + zone[3:]
    return f"{day}T{time}{zone or ''}"


def normalise_language(value: str | None) -> str | None:
    """The primary language subtag, lowercased ("en-US" -> "en").

    >>> normalise_language("pt-BR")
    'pt'
    >>> normalise_language("x") is None
    True
    """
    match = _LANG.match(value or "")
    return match.group(1).lower() if match else None


# <meta> keys that state the site's name besides og:site_name.
SITE_NAME_KEYS = ("og:site_name", "application-name", "apple-mobile-web-app-title", "twitter:site")
# How many of the page's <h1> (or <h2>) elements are compared with its stated titles.
MAX_TITLE_HEADINGS = 3
# A heading longer than this (characters) is no headline: an <h1> left unclosed holds the
# page (the longest gold titles of the corpus are about 230 characters).
MAX_TITLE_CHARS = 300
_HOST = re.compile(r"^\s*(?:https?:)?//(?:www\d*\.)?([^/:?#\s]+)", re.I)


def _site_names(tree: LexborHTMLParser, meta: dict[str, str], ld: dict[str, str]) -> list[str]:
    """The site's names, as letters: stated in JSON-LD or <meta>, and its host name from the
    page's canonical or Open Graph URL, whole ("example.com") and without its suffix."""
    names = [ld.get("site_name"), ld.get("site_name_fallback"), *(meta.get(key) for key in SITE_NAME_KEYS)]
    canonical = tree.css_first('link[rel~="canonical"]')
    for url in (meta.get("og:url"), canonical.attributes.get("href") if canonical is not None else None):
        match = _HOST.match(url or "")
        if match:
            host = match.group(1)
            names += [host, host.rsplit(".", 1)[0]]
    return [letters for name in names if name and (letters := _letters(name.lstrip("@")))]


_HOME_URL = re.compile(r"^\s*(?:(?:https?:)?//[^/]+)?/?(?:[a-z]{2}(?:[-_][a-z]{2})?/?)?(?:index\.\w+)?\s*$", re.I)


def _names_the_site(node: LexborNode, names: list[str]) -> bool:
    """Is this heading the site's name rather than the page's: a link to the home page (or
    inside one), in a footer, navigation or aside, or the site's stated name?"""
    if _letters(node.text()) in names:
        return True
    links = node.css("a")
    current: LexborNode | None = node.parent
    while current is not None and current.tag not in ("body", "html"):
        if current.tag in _OTHER_CONTENT_TAGS:
            return True
        if current.tag == "a":
            links.append(current)
        current = current.parent
    for link in links:
        attrs = link.attributes
        if "home" in (attrs.get("rel") or "").split() or _HOME_URL.match(attrs.get("href") or "#"):
            return True
    return False


# Markup that a <title> never holds unless it was left unclosed and swallowed the page.
_UNCLOSED_TITLE = re.compile(r"<(?:/title|/head|body|meta|link|script|style)\b", re.I)


def _headings(tree: LexborHTMLParser, tag: str, names: list[str]) -> list[str]:
    """The text of the page's first headings of a level that do not name the site."""
    return [text for node in tree.css(tag)[:MAX_TITLE_HEADINGS]
            if not _names_the_site(node, names) and (text := _short_text(node, MAX_TITLE_CHARS))]


def _title(tree: LexborHTMLParser, meta: dict[str, str], ld: dict[str, str], site_name: str | None) -> str | None:
    """The page's headline. Where the page's own heading (``<h1>``, else ``<h2>``) agrees
    with one of its stated titles (JSON-LD, <meta>, <title>), that title, cut to the
    heading's part; else the first stated title (JSON-LD, then <meta>, then <title>);
    without the site's name either way. A page that states no title gets its ``<h1>``."""
    stated = [title for title in (ld.get("title"), ld.get("title_name"), *(meta.get(k) for k in TITLE_KEYS)) if title]
    head_title = _visible_text(tree.css_first("title"))
    if head_title:
        # An unclosed <title> holds the rest of the page as text: its title ends at the first tag.
        head_title = _UNCLOSED_TITLE.split(head_title, 1)[0].strip() or None
    sources = list(dict.fromkeys(stated + ([head_title] if head_title else [])))
    names = _site_names(tree, meta, ld)
    headings = _headings(tree, "h1", names)
    # A page without a usable <h1> (page builders style an <h2> as the headline) has its
    # <h2>s compared; they confirm a stated title but never stand in for a missing one.
    agreed = heading_in_title(headings or _headings(tree, "h2", names), sources)
    if agreed is not None and not agreed[1]:
        return agreed[0]
    title = agreed[0] if agreed is not None else stated[0] if stated else head_title
    if not title:
        return headings[0] if headings else None
    return split_site_from_title(strip_site_name(title, names), site_name)


def read_metadata(tree: LexborHTMLParser) -> PageMetadata:
    """Metadata of a parsed page (call before the page's scripts are stripped)."""
    meta = read_meta_tags(tree)
    ld = _json_ld(tree)

    site_name = ld.get("site_name") or meta.get("og:site_name") or ld.get("site_name_fallback")
    site_name = _clean(site_name)

    title = _title(tree, meta, ld, site_name)

    author = _author(ld.get("author")) or next((a for k in AUTHOR_KEYS if (a := _author(meta.get(k)))), None)
    if not author:
        author = _byline(tree) or _byline_near_heading(tree)
    if not author:
        # A reference from the article to a Person node elsewhere in the graph (how WordPress
        # SEO plugins state the account that posted): taken last, as a page's byline or
        # author tag names the writer where the two differ.
        author = _author(ld.get("author_reference"))

    published = normalise_date(ld.get("published")) or next(
        (d for k in DATE_KEYS if (d := normalise_date(meta.get(k)))), None
    )
    if not published:
        # Microdata marks the article's own date; a bare <time> may be any date on the page,
        # so it comes last.
        for selector in ('[itemprop="datePublished"]', "time[pubdate]", "time[datetime]"):
            node = tree.css_first(selector)
            if node is not None:
                attrs = node.attributes
                published = normalise_date(attrs.get("datetime") or attrs.get("content"))
                if published:
                    break

    root = tree.css_first("html")
    language = normalise_language(root.attributes.get("lang") if root is not None else None)
    language = language or normalise_language(meta.get("content-language") or meta.get("og:locale"))
    if not published:
        # A date the page shows beside its heading, written for readers ("Dec. 19, 2025",
        # "4 de mayo de 2020"): read last, as the tags above state the date on purpose.
        published = _date_near_heading(tree, language)

    return PageMetadata(
        title=_clean(title), author=author, published=published, site_name=site_name, language=language
    )

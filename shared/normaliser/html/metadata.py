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

from selectolax.lexbor import LexborHTMLParser

from normaliser.meta.dates import parse_date
from normaliser.page import PageMetadata

from . import settings
from .byline import _URL, _author, _beside_heading, _byline, _byline_near_heading, _clean, _short_text
from .title import choose_title

# JSON-LD types that describe the page's main item (schema.org CreativeWork family members
# that pages use for articles); a WebSite/Organization node only gives the site name.
ARTICLE_TYPES = frozenset(
    [
        "article",
        "newsarticle",
        "blogposting",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "techarticle",
        "scholarlyarticle",
        "socialmediaposting",
        "liveblogposting",
        "webpage",
        "itempage",
        "aboutpage",
        "qapage",
        "faqpage",
        "report",
        "review",
        "recipe",
        "howto",
        "creativework",
        "medicalwebpage",
        "collectionpage",
        "discussionforumposting",
    ]
)
PAGE_TYPES = frozenset({"webpage", "collectionpage", "itempage", "aboutpage"})
SITE_TYPES = frozenset({"website", "newsmediaorganization", "organization"})

# <meta> keys read for each field, most specific first (Open Graph, Twitter cards, Dublin Core,
# Parse.ly and the common CMS names seen on news sites).
AUTHOR_KEYS = (
    "author",
    "article:author",
    "og:article:author",
    "dc.creator",
    "dcterms.creator",
    "parsely-author",
    "sailthru.author",
    "byl",
)
DATE_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "dcterms.date",
    "parsely-pub-date",
    "sailthru.date",
    "pubdate",
    "publishdate",
    "article.published",
    "published_time",
    "publish-date",
    "citation_publication_date",
)

# ISO 8601 dates as pages write them: a date, optionally a time and a zone.
_ISO_DATE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})?)?")

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


def _names(value: Any, nodes: dict[str, dict[str, Any]] | None = None, depth: int = 0) -> list[str]:
    """Names from a JSON-LD person/organization value (a string, an object or a list); with
    ``nodes``, only the names that a reference ``{"@id": ...}`` points to elsewhere on the page."""
    if isinstance(value, list):
        if depth >= settings.METADATA.max_json_ld_depth:
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
                authors = [
                    name for name in _names(item.get("author") or item.get("creator"), references) if _author(name)
                ]
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


def _date_near_heading(tree: LexborHTMLParser, language: str | None) -> str | None:
    """The first date in a short line beside the page's heading, in any of the languages
    the text-dump date reader knows."""
    limit = settings.METADATA.max_date_chars
    for nodes in _beside_heading(tree, "time, p, span, div, li, small"):
        for node in nodes:
            text = _short_text(node, limit) or ""
            if len(text) <= limit and (date := parse_date(text, language)):
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


def read_metadata(tree: LexborHTMLParser) -> PageMetadata:
    """Metadata of a parsed page (call before the page's scripts are stripped)."""
    meta = read_meta_tags(tree)
    ld = _json_ld(tree)

    site_name = ld.get("site_name") or meta.get("og:site_name") or ld.get("site_name_fallback")
    site_name = _clean(site_name)

    title = choose_title(tree, meta, ld, site_name)

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

    return PageMetadata(title=_clean(title), author=author, published=published, site_name=site_name, language=language)

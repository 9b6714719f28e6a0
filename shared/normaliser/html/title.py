"""The page's headline: the title it states (JSON-LD, ``<meta>``, ``<title>``) that its own
heading repeats, without the site's name.

Titles name the site as well as the story ("Story - Site", "Site | Story"); the page's
``<h1>`` shows which part is the story's, and the site's names (stated, or its host's) which
part is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from selectolax.lexbor import LexborHTMLParser, LexborNode

from . import settings
from .byline import _OTHER_CONTENT_TAGS, _short_text, _visible_text

# <meta> keys that state the page's title, most specific first (Open Graph, Twitter cards,
# Dublin Core, Parse.ly and the common CMS names seen on news sites).
TITLE_KEYS = ("og:title", "twitter:title", "dc.title", "dcterms.title", "parsely-title", "sailthru.title", "title")
# Separators between an article title and the site name in <title> ("Story - Site", "Site | Story").
# "(?<!\s)": a separator starts where a run of spaces does, not from inside it (quadratic).
_TITLE_SEPARATOR = re.compile(r"(?<!\s)(\s+[|\-–—»·•:/\\]\s+|\s+::\s+|\s*[|»·•]\s*)")


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
    config = settings.METADATA
    if len(last.split()) <= config.site_max_words and len(head.split()) >= config.min_title_words:
        return head
    return title


def letters_only(text: str) -> str:
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
        head, tail = "".join(pieces[: 2 * keep - 1]).strip(), "".join(pieces[len(pieces) - 2 * keep + 1 :]).strip()
        yield head
        if len(letters_only(tail)) >= len(letters_only("".join(pieces[: len(pieces) - 2 * keep]))):
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
        wanted = letters_only(heading)
        if not wanted:
            continue
        wholes = [title for title in titles if letters_only(title) == wanted]
        parts = [run for title in titles for run in _end_runs(title) if letters_only(run) == wanted]
        bare = heading.replace(" ", "")
        exact = next((title for title in wholes + parts if title.replace(" ", "") == bare), None)
        if exact is not None:
            return exact, exact in wholes
        if wholes or parts:
            return (wholes[0], True) if wholes else (parts[0], False)
    return None


def _site_part(part: str, names: list[str]) -> bool:
    """Is this part of a title one of the site's names (its stated name or its domain's)?"""
    letters = letters_only(part)
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


# <meta> keys that state the site's name besides og:site_name.
SITE_NAME_KEYS = ("og:site_name", "application-name", "apple-mobile-web-app-title", "twitter:site")
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
    return [letters for name in names if name and (letters := letters_only(name.lstrip("@")))]


_HOME_URL = re.compile(r"^\s*(?:(?:https?:)?//[^/]+)?/?(?:[a-z]{2}(?:[-_][a-z]{2})?/?)?(?:index\.\w+)?\s*$", re.I)


def _names_the_site(node: LexborNode, names: list[str]) -> bool:
    """Is this heading the site's name rather than the page's: a link to the home page (or
    inside one), in a footer, navigation or aside, or the site's stated name?"""
    if letters_only(node.text()) in names:
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
    config = settings.METADATA
    return [
        text
        for node in tree.css(tag)[: config.max_title_headings]
        if not _names_the_site(node, names) and (text := _short_text(node, config.max_title_chars))
    ]


def choose_title(tree: LexborHTMLParser, meta: dict[str, str], ld: dict[str, str], site_name: str | None) -> str | None:
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

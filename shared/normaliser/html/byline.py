"""The author of an HTML page from its visible byline elements, and the rules for what an
author value may be (no URL, handle or CMS placeholder)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from normaliser.meta.dates import _ENGLISH_MONTHS
from normaliser.meta.names import _BYLINE_NAME_PARTICLES, _CAMEL_CASE, _NAME_SPLIT, _NOT_IN_NAME, NOT_NAMES

from . import settings

# Where pages put a visible byline, most explicit first: HTML's rel=author links, schema.org
# microdata (the author's name property, else the author element), then elements whose
# class or id names a byline or an author (BYLINE_CLASS); each in document order, outside
# other content (_in_other_content), and taken only if its text looks like a name
# (_looks_like_byline). One query finds them all.
BYLINE_NODES = (
    '[rel~="author"], [itemprop~="author"], [class*="byline" i], [class*="author" i], [id*="byline" i], '
    '[id*="author" i]'
)
# A class or id word that ends in byline/author, optionally followed by "name": "byline",
# "pb-byline", "article__author", "c-meta__byline", "author-name", "articleAuthor",
# "byline__name"; not "author-bio", "byline-date", "authorization".
BYLINE_CLASS = re.compile(r"(?:^|[-_]|(?<=[a-z])(?=[AB]))(?:[Bb]y-?[Ll]ine|[Aa]uthor)s?(?:[-_]*[Nn]ame)?$")
# Elements never read as a byline: whole-page containers (a body class "single-author"),
# forms and embedded content. Nor is anything in <aside>, <nav>, <footer>, or in a comment
# thread, a sidebar or a list of related stories (a class or id word of the element or an
# ancestor below <body> that starts or ends with comment(s), sidebar or related: "comment-list",
# "sidebar-item", "related-posts", "right-sidebar"; not "content-sidebar-wrap", which holds
# the article too): the names there are readers' or other stories'.
_NOT_BYLINE_TAGS = frozenset(
    {
        "html",
        "body",
        "main",
        "article",
        "form",
        "input",
        "textarea",
        "select",
        "option",
        "button",
        "img",
        "link",
        "meta",
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "iframe",
    }
)
_OTHER_CONTENT_TAGS = frozenset({"aside", "nav", "footer"})
_OTHER_CONTENT = re.compile(r"(?:^|\s)(?:comment|sidebar|related)|[-_](?:comments?|sidebar|related)(?:$|\s)", re.I)
# What follows the name in a byline: " - Apr 16, 2015", " • 8h", " | Staff writer",
# " @ 9:51 PM", " @janedoe", " Edited by ...", ", photos by ...".
# "(?:\s*,)?\s+", not "\s*,?\s+" (two runs of spaces that could split a run any way), and
# only from where a run of spaces starts: both were polynomial on long runs.
_BYLINE_TAIL = re.compile(
    r"(?<!\s)(?:\s+[-–—•|·/@]\s+|(?:\s*,)?\s+@(?=\w)"
    r"|(?:\s*,)?\s+(?i:(?:edited|photos?|photographs?|pictures?|illustrations?|video|graphics?)\s+by"
    r"|additional reporting)\b)"
)


_BYLINE_DATE = re.compile(
    r"(?<![\s,])[\s,]+(?:(?:on|at|am|le|el|il|em)\s+)?"
    rf"(?:\d|(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|(?:{_ENGLISH_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})",
    re.I,
)
_URL = re.compile(r"^\s*(?:https?:)?//|^\s*www\.", re.I)
_EMAIL = re.compile(r"^\S+@[^\s@]+\.\w+$")  # no "@" after the last: "\S+@\S+" tries every pair of them
# "By" before a name, in English or (when a name of two words or more follows, as "Di" or
# "Von" can begin a name) in another language.
_BY_PREFIX = re.compile(r"^\s*(?:(?:posted|written|words|story|text|reported)\s+)?by(?:\s+|$)", re.I)
_FOREIGN_BY_PREFIX = re.compile(r"^\s*(?:von|par|por|di|door|av|af)\s+(?=\S+\s+\S)", re.I)
# Leading punctuation of a byline ("// posted by", "# posted by", "| Name").
_BYLINE_LEAD = re.compile(r"^[^\w(]+")


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    # Attribute values and JSON strings arrive unescaped once; pages often escape them twice.
    text = _SPACES.sub(" ", html.unescape(value) if "&" in value else value).strip()
    return text or None


def _is_handle(value: str) -> bool:
    """One word that is an account or address, not a name: digits or underscores in it
    ("jdoe84", "CC7567", "j_doe"), or letters with case and no capital ("jdoe", "kevin-r",
    "example.com").

    >>> [_is_handle(v) for v in ("jdoe84", "kevin-r", "Reuters", "CBSNews", "肖春芳", "Jane Doe")]
    [True, True, False, False, False, False]
    """
    if " " in value:
        return False
    if "_" in value or any(c.isdigit() for c in value):
        return True
    return any(c.islower() for c in value) and not any(c.isupper() for c in value)


def _strip_by(value: str) -> str:
    """A byline without its "By".

    >>> [_strip_by(v) for v in ("By Jane Doe", "posted by Jane", "Von Jane Doe", "Di Wu", "Byron Ames")]
    ['Jane Doe', 'Jane', 'Jane Doe', 'Di Wu', 'Byron Ames']
    """
    return _FOREIGN_BY_PREFIX.sub("", _BY_PREFIX.sub("", value)).strip()


def _author(value: str | None) -> str | None:
    """An author as a page's metadata states it, or ``None`` when the value is no name: a URL,
    an address, a social handle or account name, a CMS placeholder ("admin"), no letters."""
    value = _clean(value)
    if value:
        value = _strip_by(value)
    if (
        not value
        or _URL.match(value)
        or value.startswith("@")
        or _EMAIL.match(value)
        or _is_handle(value)
        or value.casefold() in NOT_NAMES
        or not any(c.isalpha() for c in value)
    ):
        return None
    return value


def _looks_like_byline(text: str) -> bool:
    """Could this visible text be a byline's names? Short, no digits or markup characters,
    every word capitalised (or a particle such as "de", "van", "and"; scripts without case
    pass), no name of more than ``max_name_words`` words (``settings.METADATA``).

    >>> [_looks_like_byline(t) for t in ("Jane Doe", "JANE DOE and Li Wei", "Ana de la Cruz, Example News")]
    [True, True, True]
    >>> [_looks_like_byline(t) for t in ("View my profile", "Updated: 2 May", "Jane Doe Example News Staff Reporter")]
    [False, False, False]
    """
    config = settings.METADATA
    if not 2 <= len(text) <= config.max_byline_chars or _NOT_IN_NAME.search(text) or _CAMEL_CASE.match(text):
        return False
    for part in _NAME_SPLIT.split(text):
        words = 0
        for word in part.split():
            word = word.strip("()\"'.,")
            if not word or word.casefold() in _BYLINE_NAME_PARTICLES:
                continue
            if word[0].islower():
                return False
            words += 1
        if words > config.max_name_words:
            return False
    return True


def _byline_text(node: LexborNode) -> str | None:
    """The name in an element's text: leading punctuation and "By" cut, and what follows the
    name (a date, a role after a dash, a handle)."""
    text = _visible_text(node)
    if not text or len(text) > 4 * settings.METADATA.max_byline_chars:
        return None
    text = _BYLINE_TAIL.split(_BYLINE_LEAD.sub("", text), 1)[0]
    text = _strip_by(_BYLINE_DATE.split(text, 1)[0]).strip(" ,")
    return _author(text) if _looks_like_byline(text) else None


def _in_other_content(node: LexborNode) -> bool:
    """Is the element (or an ancestor) a comment thread, a sidebar or related stories?"""
    current: LexborNode | None = node
    while current is not None and current.tag not in ("body", "html"):
        if current.tag in _OTHER_CONTENT_TAGS:
            return True
        attrs = current.attributes
        if _OTHER_CONTENT.search(f"{attrs.get('class') or ''} {attrs.get('id') or ''}"):
            return True
        current = current.parent
    return False


def _byline(tree: LexborHTMLParser) -> str | None:
    """The author named in a visible byline: the first of the page's author links and
    microdata, else of its byline and author elements, that is not in a comment thread, a
    sidebar or related stories and whose text is a name once cut before the date or role
    that follows it."""
    nodes = tree.css(BYLINE_NODES)
    cap = settings.METADATA.max_byline_candidates
    # Capped like the class-named candidates below: each is searched and read whole, so
    # nested author elements would otherwise cost the square of their number.
    marked = [node for node in nodes if "author" in (node.attributes.get("itemprop") or "").split()]
    marked = marked[:cap]
    explicit = [node for node in nodes if "author" in (node.attributes.get("rel") or "").split()]
    explicit = explicit[:cap]
    explicit += [name for node in marked for name in node.css('[itemprop="name"]')][:cap] + marked
    for node in explicit:
        if not _in_other_content(node) and (author := _byline_text(node)) is not None:
            return author
    seen = 0
    for node in nodes:
        if node.tag in _NOT_BYLINE_TAGS:
            continue
        attrs = node.attributes
        words = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".split()
        if not any(BYLINE_CLASS.search(word) for word in words):
            continue
        seen += 1
        if seen > cap:
            break
        if not _in_other_content(node) and (author := _byline_text(node)) is not None:
            return author
    return None


_SPACES = re.compile(r"\s+")


def _visible_text(node: LexborNode | None) -> str | None:
    return _clean(node.text(separator=" ")) if node is not None else None


def _inside(node: LexborNode, ancestor: LexborNode) -> bool:
    current = node.parent
    while current is not None:
        if current == ancestor:
            return True
        current = current.parent
    return False


def _beside_heading(tree: LexborHTMLParser, selector: str) -> Iterator[list[LexborNode]]:
    """The elements beside the page's first heading that is not in other content, in
    document order: those in its parent, then those in its grandparent (never the whole
    <body>), where a headline's byline and date sit whatever their classes are called."""
    heading = next((node for node in tree.css("h1") if not _in_other_content(node)), None)
    container = heading.parent if heading is not None else None
    for _ in range(2):
        if container is None or container.tag in ("body", "html"):
            return
        yield container.css(selector)[: settings.METADATA.max_near_heading_nodes]
        container = container.parent


def _byline_near_heading(tree: LexborHTMLParser) -> str | None:
    """The name in a line beside the page's heading that opens with "By" (or its word in
    another language); of nested such lines, the innermost (its parent may add a role or
    "Published")."""
    limit = settings.METADATA.max_byline_chars
    for nodes in _beside_heading(tree, "p, span, div, address, li, small"):
        found: tuple[LexborNode, str] | None = None
        for node in nodes:
            if found is not None and not _inside(node, found[0]):
                break
            text = _short_text(node, limit) or ""
            if len(text) <= limit and (_BY_PREFIX.match(text) or _FOREIGN_BY_PREFIX.match(text)):
                author = _byline_text(node)
                if author:
                    found = (node, author)
        if found is not None:
            return found[1]
    return None


def _short_text(node: LexborNode, limit: int) -> str | None:
    """An element's text, or where that is longer than ``limit`` its own text without its
    children's: an element left unclosed holds the rest of the page."""
    text = _visible_text(node)
    return text if text is None or len(text) <= limit else _clean(node.text(deep=False))

"""Markup before it is parsed: refuse shapes that would make parsing quadratic, and close a
``<title>`` that is never closed (else the whole page would read as its title)."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from normaliser.errors import RejectedInput

from . import settings

_TITLE_OPEN = re.compile(r"<title\b[^>]*>", re.I)
_TITLE_CLOSE = re.compile(r"</title", re.I)


def close_runaway_title(html: str) -> str:
    """Close a ``<title>`` that is never closed at the first tag after it. A parser reads an
    unclosed title's content as text up to the end of the file, so the page would have no
    body at all; browsers show such pages, and their readers see the article.

    >>> close_runaway_title("<title>Ferry news</head><body><p>Text.</p>")
    '<title>Ferry news</title></head><body><p>Text.</p>'
    """
    opening = _TITLE_OPEN.search(html)
    if opening is None or _TITLE_CLOSE.search(html, opening.end()):
        return html
    end = html.find("<", opening.end())
    return html if end < 0 else html[:end] + "</title>" + html[end:]


# Only a tag this long can hold as many attributes as the limit allows (``settings.MARKUP``),
# so only such tags are counted.
_LONG_TAG = re.compile(r"<[a-zA-Z][^<>]{8192,}>")
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
_SPACE_RUN = re.compile(r"\s+")
_CONTAINERS = "div|span|section|article|table|tr|td|ul|ol|blockquote|font|a|b|i|em|strong"
_CONTAINER_OPEN = re.compile(rf"<(?:{_CONTAINERS})\b", re.I)
_CONTAINER_CLOSE = re.compile(rf"</(?:{_CONTAINERS})\b", re.I)


def check_markup(html: str) -> None:
    """Reject markup whose shape would make parsing quadratic: a tag of more than
    ``max_tag_attributes`` attributes, or more than ``max_unclosed_elements`` container
    elements opened and never closed (elements nested that deep; ``settings.MARKUP``).

    >>> check_markup("<div>" * 4_000)
    Traceback (most recent call last):
    ...
    normaliser.errors.RejectedInput: markup-too-complex: 4000 container elements opened and never closed (limit 3000)
    """
    limits = settings.MARKUP
    for tag in _LONG_TAG.finditer(html):
        attributes = sum(1 for _ in _SPACE_RUN.finditer(_QUOTED.sub("", tag.group())))
        if attributes > limits.max_tag_attributes:
            raise RejectedInput(
                "markup-too-complex", f"a tag of {attributes} attributes (limit {limits.max_tag_attributes})"
            )
    unclosed = sum(1 for _ in _CONTAINER_OPEN.finditer(html)) - sum(1 for _ in _CONTAINER_CLOSE.finditer(html))
    if unclosed > limits.max_unclosed_elements:
        raise RejectedInput(
            "markup-too-complex",
            f"{unclosed} container elements opened and never closed (limit {limits.max_unclosed_elements})",
        )


def parse(html: str) -> LexborHTMLParser:
    """The page's DOM, once its markup is known to parse in linear time and a runaway title
    is closed."""
    check_markup(html)
    return LexborHTMLParser(close_runaway_title(html))

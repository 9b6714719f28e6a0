"""Article extraction from HTML (PLACEHOLDER: to be replaced, keep the API)."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from .page import Extraction


def clean_html(html: str) -> Extraction:
    tree = HTMLParser(html)
    body = tree.body
    text = body.text(separator="\n") if body is not None else ""
    return Extraction(paragraphs=tuple(line.strip() for line in text.split("\n") if line.strip()))


def visible_text(html: str) -> list[str]:
    tree = HTMLParser(html)
    body = tree.body
    text = body.text(separator="\n") if body is not None else ""
    return [line.strip() for line in text.split("\n") if line.strip()]

"""Is a page HTML or a text dump? Decided from the override, the key, the content type, then
the bytes themselves."""

from __future__ import annotations

import re

from normaliser.config import Format

_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx", ".jsp")
_TEXT_SUFFIXES = (".txt", ".text", ".md")
_COMPRESSION_SUFFIXES = (".gz", ".gzip", ".z", ".zz", ".deflate")
# Markup that only HTML starts with; checked on the first few KB after any BOM/whitespace.
_HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<\?xml[^>]*>\s*<(!doctype\s+)?html|<!--)", re.I)
# A tag ends before the next "<" too: "[^>]*" would rescan the rest of a page of unclosed tags
# from each of them.
_HTML_TAGS = re.compile(rb"</?(html|head|body|div|p|span|a|meta|title|script|br|table|li)\b[^<>]*>", re.I)


def strip_compression_suffix(key: str) -> str:
    """``page.html.gz`` is an HTML page.

    >>> strip_compression_suffix("a/page.html.gz")
    'a/page.html'
    """
    lower = key.lower()
    for suffix in _COMPRESSION_SUFFIXES:
        if lower.endswith(suffix):
            return key[: -len(suffix)]
    return key


def detect_format(head: bytes, *, key: str = "", content_type: str | None = None, override: Format = "auto") -> str:
    """``"html"`` or ``"text"``.

    >>> detect_format(b"<!DOCTYPE html><p>x</p>")
    'html'
    >>> detect_format(b"Just words.", key="x.txt")
    'text'
    """
    if override != "auto":
        return override
    name = strip_compression_suffix(key).lower()
    if name.endswith(_HTML_SUFFIXES):
        return "html"
    if name.endswith(_TEXT_SUFFIXES):
        return "text"
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type in ("text/html", "application/xhtml+xml"):
        return "html"
    if media_type == "text/plain":
        return "text"
    sample = head[:4096].lstrip(b"\xef\xbb\xbf").replace(b"\x00", b"")
    if _HTML_START.match(sample) or len(_HTML_TAGS.findall(sample)) >= 3:
        return "html"
    return "text"

"""Data types passed between the steps of the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PageMetadata:
    """What the page says about itself. ``None`` where the page does not state it."""

    title: str | None = None
    author: str | None = None
    published: str | None = None
    site_name: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class RemovedLine:
    """A line dropped from the page, why, and where it stood.

    ``index`` counts the page's lines as the cleaner judged them, kept and removed alike, from
    0 (a text dump's non-blank lines; an HTML page's lines of text, block by block), so the
    kept lines fill the other positions in order and the page can be shown as it was.
    """

    text: str
    reason: str
    index: int = -1


@dataclass(frozen=True)
class Extraction:
    """The article found on a page: its paragraphs in order, what was dropped, its metadata."""

    paragraphs: tuple[str, ...]
    removed: tuple[RemovedLine, ...] = ()
    metadata: PageMetadata = field(default_factory=PageMetadata)

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
    """A line (or block) dropped from the page, and why."""

    text: str
    reason: str


@dataclass(frozen=True)
class Extraction:
    """The article found on a page: its paragraphs in order, what was dropped, its metadata."""

    paragraphs: tuple[str, ...]
    removed: tuple[RemovedLine, ...] = ()
    metadata: PageMetadata = field(default_factory=PageMetadata)

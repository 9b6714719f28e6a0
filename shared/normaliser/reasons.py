"""The registries of reasons: why a page was not normalised, and why a line was removed.

Both are string-valued enums, so a member is its slug wherever a string goes (the JSON
record, log lines, the ``Reason`` metric dimension) and the bytes written stay the slugs.
A slug is part of the output contract (README): add a member here before any code emits it.
:class:`~normaliser.errors.RejectedInput` refuses a reason that is not a :class:`Reason`, and
the pipeline refuses a removed line whose reason is not a :class:`Removal`, so a slug that
is not registered fails loudly in the tests instead of reaching a record.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """What became of a page."""

    NORMALISED = "normalised"
    REJECTED = "rejected"  # the input cannot be normalised (``reason`` says why); retrying cannot help
    FAILED = "failed"  # a bug of ours; recorded, since retrying cannot help either


class Reason(StrEnum):
    """Why a page was rejected (or failed): the record's ``reason``."""

    EMPTY = "empty"
    BINARY = "binary"
    TOO_LARGE = "too-large"
    DECOMPRESSED_TOO_LARGE = "decompressed-too-large"
    CORRUPT_COMPRESSION = "corrupt-compression"
    LINE_TOO_LONG = "line-too-long"
    NO_ARTICLE = "no-article"
    TIME_LIMIT = "time-limit"
    MEMORY_LIMIT = "memory-limit"
    NOT_FOUND = "not-found"  # the object was gone before it could be read (the handler)
    MARKUP_TOO_COMPLEX = "markup-too-complex"  # markup shaped to make parsing quadratic
    INTERNAL_ERROR = "internal-error"  # status ``failed`` only


class Removal(StrEnum):
    """Why a line was removed from a page: ``removed[].reason`` in the record.

    Text dumps name furniture by the phrase kinds of :mod:`normaliser.meta.phrases` (the
    first block) or by where the line sat; HTML pages by the furniture hints and tags of
    :mod:`normaliser.html.extract` or by the block's shape. Kinds both paths share are one
    member.
    """

    # Furniture phrase kinds (meta/phrases.py KINDS reads them), also text-model feature names.
    NAVIGATION = "navigation"
    SHARE = "share-prompt"
    COMMENTS_WIDGET = "comments-widget"
    RELATED = "related-links"
    ACCOUNT = "account-prompt"
    LEGAL = "legal-footer"
    ADVERTISING = "advertising"
    SOURCE = "source-link"
    WIDGET = "widget-heading"
    MEDIA_CREDIT = "media-credit"
    BYLINE = "byline"
    DATELINE = "dateline"
    # Text dumps: the line's shape or place (text/boilerplate.py).
    BREADCRUMB = "breadcrumb"
    LINK_TRAIL = "link-trail"
    REPEATED_LINE = "repeated-line"
    BEFORE_ARTICLE = "before-article"
    WITHIN_ARTICLE = "within-article"
    AFTER_ARTICLE = "after-article"
    NO_ARTICLE = "no-article"
    TITLE = "title"
    # HTML: the furniture an element's tag, role, class or id names (html/extract.py).
    COMMENTS = "comments"
    FOOTER = "footer"
    HEADER = "header"
    SIDEBAR = "sidebar"
    ADVERTISEMENT = "advertisement"
    SUBSCRIPTION = "subscription-prompt"
    # HTML: the block's shape or place.
    LINK_LIST = "link-list"
    INTERFACE_PROMPT = "interface-prompt"
    OUTSIDE_CONSENSUS = "outside-consensus"  # left out by the extraction the peers agreed on
    OUTSIDE_ARTICLE = "outside-article"

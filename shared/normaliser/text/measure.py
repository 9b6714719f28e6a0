"""Measurements of the lines of a text dump (:func:`measure_lines`), read by the model's features.

A text dump is a page's visible lines in order, blank lines where the page had block
breaks. Each distinct non-blank line is measured once (length, how much it reads like prose,
punctuation, furniture phrases); what depends on the rest of the page (repeats, position,
hard-wrapped paragraphs) is measured by :mod:`normaliser.text.compiled`. Everything here is
language-neutral except the function-word tables and phrase lists, which cover many
languages.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter

from normaliser.meta import phrases
from normaliser.meta.dates import _DATE_LIKE
from normaliser.meta.names import _looks_like_name
from normaliser.meta.stopwords import PARTICLES
from normaliser.reasons import Removal

_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
# Sentence-final punctuation, possibly followed by closing quotes or brackets.
# An address's parts hold no "@" and it starts where a token does: "\S+@\S+" would try
# every split of a run of "@" from every start (cubic on a line of them).
_URL = re.compile(r"https?://|www\.|\.(com|org|net|html?|php)\b|(?<![^\s@])[^\s@]+@[^\s@]+\.\w+|(^|\s)@\w+", re.I)
# Separators between the items of a breadcrumb or an inline menu.
_SEPARATOR = re.compile(r"\s[|»›>/·•]\s|\s?[|»›·•]\s?|\s[-–—]\s")
_SEPARATOR_CHARS = frozenset("|»›>/·•-–—")
_BULLET_START = re.compile(r"^([•·*▪►»›-]|\d{1,2}[.)]\s)")


# A comment's header line: "Jane says:", "Jane wrote:".
_SAYS = re.compile(
    r"\b(says|said|wrote|writes|sagt|schreibt|dit|écrit|dice|dijo|escribió|disse|escreveu|"
    r"scrive)\s*:?\s*$",
    re.I,
)


# Lines at least this long (in words) count as prose-sized in neighbourhood features; ten
# words is a short sentence, and menus and headings rarely reach it.
PROSE_WORDS = 10
# Function-word share above which a line reads like prose; running text in the languages of
# stopwords.py measured 0.35-0.55, headlines 0.1-0.3, menus near 0.
PROSE_STOP_SHARE = 0.25

_WORD_BINS = (0, 1, 2, 3, 4, 6, 9, 14, 24, 49)
_SHARE_BINS = (0.0, 0.1, 0.2, 0.3, 0.45)
_POSITION_BINS = (0.05, 0.15, 0.3, 0.5, 0.7, 0.85, 0.95)
_COUNT_BINS = (0, 1, 2, 3, 5, 10, 20)
# Headings that, once past the first prose line, start what follows an article: a related-
# stories widget ("You may also like", "More stories") or a sidebar one ("Recent Posts",
# "Tags"). The lines below the first such heading are "after-related" (stage 1); the sidebar
# headings count too, since what follows them is as little the article (docs/RESULTS.md).
_RELATED_HEADINGS = frozenset({Removal.RELATED, Removal.WIDGET})
_COMMENT_HEADINGS = frozenset({Removal.COMMENTS_WIDGET})


def _bin(edges: Sequence[float], value: float) -> int:
    """Index of the first edge that ``value`` does not exceed (``len(edges)`` past the last).

    >>> _bin((0, 1, 2), 1.5)
    2
    >>> _bin((0, 1, 2), 1)
    1
    """
    return bisect_left(edges, value)


@dataclass(slots=True)
class LineShape:
    """What a non-blank line shows on its own (see :func:`measure_line`)."""

    words: int  # \w+ runs, a CJK character counting half a word
    tokens: int  # \w+ runs, as the scorer counts them
    stop_share: float
    title_share: float  # share of words that start with a capital
    digit_share: float
    sentence_end: bool
    ellipsis_end: bool
    colon_end: bool
    lower_start: bool
    bullet_start: bool
    all_caps: bool
    has_url: bool
    separators: int
    date_like: bool
    kind: str | None  # phrase kind from phrases.py
    strength: str  # "whole", "start", "anywhere" or ""
    says: bool  # a comment's header: "Name says:"
    stopword_end: bool  # ends with a function word, so the sentence goes on


_CLOSERS = "'\"’”»)]"
_SENTENCE_FINAL = frozenset(".!?。！？…:;")
_CJK_FIRST = "\u3040"  # no character of _CJK comes before this one
_BULLET_FIRST = frozenset("•·*▪►»›-")  # or a digit
_FIRST = itemgetter(0)
# In ASCII, \w is letters, digits and "_"; the table keeps those (and newlines, and every
# byte of a non-ASCII character) and makes every other byte a space.
_ASCII_NON_WORD_TO_SPACE = bytes(
    code if code >= 128 or code == 10 or chr(code).isalnum() or code == 95 else 32 for code in range(256)
)
_PHRASE_FIRST_WORDS = frozenset(key.split()[0] for key in phrases.WHOLE_LINE if key)


def measure_lines(texts: Sequence[str], stopwords: frozenset[str]) -> list[LineShape]:
    """:func:`measure_line` of each of ``texts`` (lines without newlines), faster.

    The words of the ASCII lines come from one bytes translation of all the lines (word
    characters kept, the rest made spaces) and a split, instead of a regex per line.
    """
    mapped = (
        "\n".join(texts)
        .encode("utf-8", "surrogatepass")
        .translate(_ASCII_NON_WORD_TO_SPACE)
        .decode("utf-8", "surrogatepass")
        .split("\n")
    )
    if len(mapped) != len(texts):
        return [measure_line(text, stopwords) for text in texts]
    return [
        measure_line(text, stopwords, words.split() if words.isascii() else None)
        for text, words in zip(texts, mapped, strict=True)
    ]


def measure_line(text: str, stopwords: frozenset[str], found: list[str] | None = None) -> LineShape:
    """The measurements of a line that do not depend on the rest of the page. ``found``: the
    line's ``\\w+`` runs, when the caller has them."""
    # Written for speed (it runs on every distinct line of every page): C-level map() over
    # the words instead of generator expressions, and cheap tests before each regex.
    if found is None:
        found = _WORD.findall(text)
    tokens = len(found)
    lower = text.lower()
    lowered = list(map(str.lower, found))
    ascii_line = text.isascii()
    cjk = 0 if ascii_line or max(text) < _CJK_FIRST else len(_CJK.findall(text))
    if cjk:
        particles = sum(1 for char in text if char in PARTICLES)
        words = max(tokens, cjk // 2 + tokens - 1) if tokens else cjk // 2
        # A particle per 8-10 characters is running Chinese or Japanese; scale to the
        # function-word share of prose in spaced languages.
        stop_share = min(1.0, 4.0 * particles / cjk)
    else:
        words = tokens
        stop_share = sum(map(stopwords.__contains__, lowered)) / tokens if tokens else 0.0
    if tokens:
        digits = sum(map(str.isdigit, found))
        letters = tokens - digits
        # Capitalisation tells headings and names from prose; forty words are enough to tell.
        title_share = (sum(map(str.isupper, map(_FIRST, found[:40]))) / min(letters, 40)) if letters else 0.0
        digit_share = digits / tokens
        stopword_end = lowered[-1] in stopwords
    else:
        digits, title_share, digit_share, stopword_end = 0, 0.0, 0.0, False
    stripped = text.rstrip(_CLOSERS)
    kind, strength = _kind(text, lower, words, lowered if ascii_line else None)
    short = words <= 12
    return LineShape(
        words,
        tokens,
        stop_share,
        title_share,
        digit_share,
        stripped[-1:] in _SENTENCE_FINAL,
        stripped.endswith(("...", "…")),
        text.endswith(":"),
        text[:1].islower(),
        (text[:1] in _BULLET_FIRST or text[:1].isdigit()) and bool(_BULLET_START.match(text)),
        len(text) > 3 and text.isupper(),
        (
            "@" in lower
            or "http" in lower
            or "www" in lower
            or ".com" in lower
            or ".org" in lower
            or ".net" in lower
            or ".htm" in lower
            or ".php" in lower
        )
        and bool(_URL.search(text)),
        len(_SEPARATOR.findall(text)) if words <= 40 and not _SEPARATOR_CHARS.isdisjoint(text) else 0,
        short and digits > 0 and bool(_DATE_LIKE.search(text)),
        kind,
        strength,
        words <= 10 and bool(_SAYS.search(text[-16:])),
        stopword_end,
    )


def _kind(text: str, lower: str, words: int, lowered: Sequence[str] | None) -> tuple[str | None, str]:
    """The line's furniture kind and how it matched. ``lowered``: the line's words in lower
    case when the line is ASCII (they then decide cheaply what cannot match)."""
    # An ASCII line whose first word is plain letters has it first in its phrase key, so a
    # first word no phrase starts with rules the lookup out.
    if words <= phrases.WHOLE_LINE_MAX_WORDS and (
        lowered is None or not lowered or not lowered[0].isalpha() or lowered[0] in _PHRASE_FIRST_WORDS
    ):
        kind = phrases.WHOLE_LINE.get(phrases.phrase_key(text))
        if kind is not None:
            return kind, "whole"
    match = phrases.LINE_START.match(lower)
    if match is not None and match.lastgroup is not None:
        kind = phrases.LINE_START_KIND[match.lastgroup]
        short_enough = kind not in phrases.NEEDS_SHORT_LINE or words <= 12
        if short_enough and (kind != Removal.BYLINE or _looks_like_name(text[match.end() :])):
            return kind, "start"
    if (
        words <= 30
        and ("©" in text or not phrases.ANYWHERE_HINTS.isdisjoint(_WORD.findall(lower) if lowered is None else lowered))
        and phrases.ANYWHERE.search(lower)
    ):
        return Removal.LEGAL, "anywhere"
    return None, ""

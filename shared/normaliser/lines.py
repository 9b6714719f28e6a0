"""Measurements of the lines of a text dump, and the features the boilerplate model reads.

A text dump is a page's visible lines in order, blank lines where the page had block
breaks. :func:`measure_page` measures each non-blank line once (length, how much it reads
like prose, punctuation, furniture phrases, repeats, where it sits); :func:`line_features`
and :func:`context_features` turn those measurements into the sparse features of the two
model stages in :mod:`normaliser.boilerplate`. Everything here is language-neutral except
the function-word tables and phrase lists, which cover many languages.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from operator import itemgetter
from typing import Any, NamedTuple

from . import phrases
from .stopwords import ALL_STOPWORDS, PARTICLES, STOPWORDS


class Features(NamedTuple):
    """A line's features: the names of those that are on, and those that carry a value."""

    flags: list[str]
    values: list[tuple[str, float]]


_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
# Sentence-final punctuation, possibly followed by closing quotes or brackets.
_URL = re.compile(r"https?://|www\.|\.(com|org|net|html?|php)\b|\S+@\S+\.\w+|(^|\s)@\w+", re.I)
# Separators between the items of a breadcrumb or an inline menu.
_SEPARATOR = re.compile(r"\s[|»›>/·•]\s|\s?[|»›·•]\s?|\s[-–—]\s")
_SEPARATOR_CHARS = frozenset("|»›>/·•-–—")
_BULLET_START = re.compile(r"^([•·*▪►»›-]|\d{1,2}[.)]\s)")
_DATE_LIKE = re.compile(
    r"\b(\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|(19|20)\d{2}|\d{1,2}:\d{2}|"
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|januar|februar|märz|mai|juni|juli|oktober|dezember|"
    r"janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|"
    r"abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|janeiro|fevereiro|março|maio|"
    r"junho|julho|setembro|outubro|novembro|dezembro|am|pm|gmt|utc|est|edt|pst|pdt|cet|cest|bst)\b",
    re.I,
)
# A comment's header line: "Jane says:", "Jane wrote:".
_SAYS = re.compile(r"\b(says|said|wrote|writes|sagt|schreibt|dit|écrit|dice|dijo|escribió|disse|escreveu|"
                   r"scrive)\s*:?\s*$",
                   re.I)
# A name after a byline word: up to five capitalised words, initials or particles.
_NAME = re.compile(r"^([A-ZÀ-ÖØ-ÞĀ-Ž][\w'’.-]*|[a-z]{1,3}|&|and|und|et|y|e)(\s|$)")

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
# "Tags"). The lines below the first such heading are "after-related" (stage 1); RELATED
# alone scored CV F1 0.9256, with WIDGET 0.9268, against 0.9241 without the flag.
_RELATED_HEADINGS = frozenset({phrases.RELATED, phrases.WIDGET})
_COMMENT_HEADINGS = frozenset({phrases.COMMENTS})


def _bin(edges: Sequence[float], value: float) -> int:
    """Index of the first edge that ``value`` does not exceed (``len(edges)`` past the last).

    >>> _bin((0, 1, 2), 1.5)
    2
    >>> _bin((0, 1, 2), 1)
    1
    """
    return bisect_left(edges, value)


@dataclass(slots=True)
class LineStats:
    """What a non-blank line looks like, measured once per page."""

    index: int  # position among the page's lines, blanks included
    text: str
    # What the line alone shows (see measure_line), in this order:
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
    # What the line shows on this page:
    repeats: int = 1  # how many lines of the page read the same
    first_repeat: bool = True  # first of its repeats
    position: float = 0.0  # share of the page's characters before the line
    # A paragraph hard-wrapped over several lines is measured as one "unit" too.
    unit: int = 0
    unit_lines: int = 1
    unit_words: int = 0
    unit_stop_share: float = 0.0
    prose: bool = False


LineShape = tuple[int, int, float, float, float, bool, bool, bool, bool, bool, bool, bool, int, bool, str | None,
                  str, bool, bool]
_CLOSERS = "'\"’”»)]"
_SENTENCE_FINAL = frozenset(".!?。！？…:;")
_CJK_FIRST = "\u3040"  # no character of _CJK comes before this one
_BULLET_FIRST = frozenset("•·*▪►»›-")  # or a digit
_FIRST = itemgetter(0)
# In ASCII, \w is letters, digits and "_"; the table keeps those (and newlines, and every
# byte of a non-ASCII character) and makes every other byte a space.
_ASCII_NON_WORD_TO_SPACE = bytes(
    code if code >= 128 or code == 10 or chr(code).isalnum() or code == 95 else 32 for code in range(256))
_PHRASE_FIRST_WORDS = frozenset(key.split()[0] for key in phrases.WHOLE_LINE if key)


def measure_lines(texts: Sequence[str], stopwords: frozenset[str]) -> list[LineShape]:
    """:func:`measure_line` of each of ``texts`` (lines without newlines), faster.

    The words of the ASCII lines come from one bytes translation of all the lines (word
    characters kept, the rest made spaces) and a split, instead of a regex per line.
    """
    mapped = "\n".join(texts).encode("utf-8", "surrogatepass").translate(_ASCII_NON_WORD_TO_SPACE).decode(
        "utf-8", "surrogatepass").split("\n")
    if len(mapped) != len(texts):
        return [measure_line(text, stopwords) for text in texts]
    return [measure_line(text, stopwords, words.split() if words.isascii() else None)
            for text, words in zip(texts, mapped, strict=True)]


def measure_line(text: str, stopwords: frozenset[str], found: list[str] | None = None) -> LineShape:
    """The measurements of a line that do not depend on the rest of the page, in the order
    of :class:`LineStats`' fields from ``words`` to ``stopword_end``. ``found``: the line's
    ``\\w+`` runs, when the caller has them."""
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
    return (
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
        ("@" in lower or "http" in lower or "www" in lower or ".com" in lower or ".org" in lower or ".net" in lower
         or ".htm" in lower or ".php" in lower) and bool(_URL.search(text)),
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
            lowered is None or not lowered or not lowered[0].isalpha() or lowered[0] in _PHRASE_FIRST_WORDS):
        kind = phrases.WHOLE_LINE.get(phrases.phrase_key(text))
        if kind is not None:
            return kind, "whole"
    match = phrases.LINE_START.match(lower)
    if match is not None and match.lastgroup is not None:
        kind = phrases.LINE_START_KIND[match.lastgroup]
        short_enough = kind not in phrases.NEEDS_SHORT_LINE or words <= 12
        if short_enough and (kind != phrases.BYLINE or _looks_like_name(text[match.end():])):
            return kind, "start"
    if words <= 30 and ("©" in text or not phrases.ANYWHERE_HINTS.isdisjoint(
            _WORD.findall(lower) if lowered is None else lowered)) and \
            phrases.ANYWHERE.search(lower):
        return phrases.LEGAL, "anywhere"
    return None, ""


def _looks_like_name(rest: str) -> bool:
    """Is the rest of a "By ..." line a short run of names?

    >>> _looks_like_name("Ruth Kellaway")
    True
    >>> _looks_like_name("the end of the year, prices rose")
    False
    """
    words = rest.split()
    if not words or len(words) > 8 or not words[0][:1].isupper():
        return False
    capitals = sum(1 for word in words if word[:1].isupper())
    return capitals * 2 >= len(words)


def measure_page(lines: Sequence[str], language: str | None = None,
                 cache: dict[str, LineShape] | None = None) -> list[LineStats]:
    """Measure every non-blank line of a page (``lines`` as split on newlines).

    Blank lines are skipped and nothing depends on them: dumps differ in where they put
    blank lines, and the article a cleaner returns has none, so cleaning it again must see
    the same page it saw the first time. ``cache`` keeps :func:`measure_line`'s results for
    the next call on the same page.
    """
    stopwords = STOPWORDS.get(language or "", ALL_STOPWORDS)
    shapes = {} if cache is None else cache
    counts = Counter(line.lower() for line in lines if line)
    seen: set[str] = set()
    stats: list[LineStats] = []
    chars_before = 0
    total_chars = sum(len(line) + 1 for line in lines if line) or 1
    for index, text in enumerate(lines):
        if not text:
            continue
        shape = shapes.get(text)
        if shape is None:
            shape = shapes[text] = measure_line(text, stopwords)
        key = text.lower()
        line = LineStats(index, text, *shape, repeats=counts[key], first_repeat=key not in seen,
                         position=chars_before / total_chars)
        seen.add(key)
        stats.append(line)
        chars_before += len(text) + 1
    _measure_units(stats)
    return stats


def _continues(previous: LineStats, line: LineStats) -> bool:
    """Does ``line`` carry on the sentence ``previous`` broke off (a hard-wrapped paragraph)?"""
    if previous.sentence_end or previous.colon_end or not previous.tokens or line.bullet_start:
        return False
    return line.lower_start or previous.stopword_end or previous.text.endswith((",", "-", "–", "&"))


def _measure_units(stats: list[LineStats]) -> None:
    unit = 0
    for k, line in enumerate(stats):
        if k and not _continues(stats[k - 1], line):
            unit += 1
        line.unit = unit
    start = 0
    for k in range(1, len(stats) + 1):
        if k == len(stats) or stats[k].unit != stats[start].unit:
            members = stats[start:k]
            words = sum(line.words for line in members)
            stop_share = sum(line.stop_share * line.words for line in members) / words if words else 0.0
            for line in members:
                line.unit_lines = len(members)
                line.unit_words = words
                line.unit_stop_share = stop_share
                line.prose = words >= PROSE_WORDS and stop_share >= PROSE_STOP_SHARE
            start = k


# Feature names are built once: formatting strings per line would dominate the run time.
_WORD_NAMES = tuple(f"words:{i}" for i in range(len(_WORD_BINS) + 1))
_STOP_NAMES = tuple(f"stop:{i}" for i in range(len(_SHARE_BINS) + 1))
_TITLE_NAMES = tuple(f"title:{i}" for i in range(len(_SHARE_BINS) + 1))
_SHORT_STOP_NAMES = tuple(tuple(f"words:{w}*stop:{s}" for s in range(len(_SHARE_BINS) + 1)) for w in range(5))
_END_NAMES = tuple(tuple(f"words:{w}*end:{e}" for e in ("sentence", "none")) for w in range(len(_WORD_BINS) + 1))
_POSITION_NAMES = tuple(f"position:{i}" for i in range(len(_POSITION_BINS) + 1))
_REPEAT_NAMES = tuple(f"repeats:{i}" for i in range(4))
_UNIT_WORD_NAMES = tuple(f"unit-words:{i}" for i in range(len(_WORD_BINS) + 1))
_UNIT_STOP_NAMES = tuple(f"unit-stop:{i}" for i in range(len(_SHARE_BINS) + 1))
_THREAD_NAMES = tuple(f"thread:{i}" for i in range(4))
_KIND_NAMES = {(kind, strength): f"kind:{kind}:{strength}" for kind in phrases.KINDS
               for strength in ("whole", "start", "anywhere")}
_KIND_SHORT_NAMES = {kind: f"kind:{kind}*short" for kind in phrases.KINDS}
_PROSE_DISTANCE_NAMES = tuple(f"prose-distance:{i}" for i in range(len(_COUNT_BINS) + 1))
_SHORT_RUN_NAMES = tuple(f"short-run:{i}" for i in range(len(_COUNT_BINS) + 1))
_NEIGHBOUR_NAMES = {
    side: tuple(f"{side}-words:{i}" for i in range(len(_WORD_BINS) + 1)) for side in ("prev", "next")
}


def _short_runs(stats: Sequence[LineStats]) -> list[int]:
    """Length of the run of consecutive short lines (under five words) each line is in."""
    runs = [0] * len(stats)
    start = 0
    for i in range(len(stats) + 1):
        if i == len(stats) or stats[i].words >= 5:
            for j in range(start, i):
                runs[j] = i - start
            start = i + 1
    return runs


def _prose_distances(stats: Sequence[LineStats]) -> list[int]:
    """Lines to the nearest prose line (0 for a prose line itself; large where there is none)."""
    far = 10**6
    distance = [far] * len(stats)
    last = -far
    for i, line in enumerate(stats):
        if line.prose:
            last = i
        distance[i] = i - last
    last = far * 2
    for i in range(len(stats) - 1, -1, -1):
        if stats[i].prose:
            last = i
        distance[i] = min(distance[i], last - i)
    return distance


def _window_means(values: Sequence[float], radius: int) -> list[float]:
    """Mean of ``values`` over ``i-radius .. i+radius`` (clipped at the ends), self included.

    >>> _window_means([1.0, 0.0, 0.0, 1.0], 1)
    [0.5, 0.3333333333333333, 0.3333333333333333, 0.5]
    """
    n = len(values)
    prefix = [0.0, *accumulate(values)]
    width = 2 * radius + 1
    if n <= width:
        lows = [max(0, i - radius) for i in range(n)]
        highs = [min(n, i + radius + 1) for i in range(n)]
        return [(prefix[high] - prefix[low]) / (high - low) for low, high in zip(lows, highs, strict=True)]
    # Away from the ends every window is full: the same differences of prefix sums, without
    # the clipping.
    head = [(prefix[i + radius + 1] - prefix[0]) / (i + radius + 1) for i in range(radius)]
    middle = [(high - low) / width for low, high in zip(prefix[:n - 2 * radius], prefix[width:], strict=True)]
    tail = [(prefix[n] - prefix[i - radius]) / (n - i + radius) for i in range(n - radius, n)]
    return [*head, *middle, *tail]


@dataclass(frozen=True, slots=True)
class PageContext:
    """Page-level measurements shared by every line's features."""

    short_runs: list[int]
    prose_distances: list[int]
    prose_near: list[float]  # share of prose lines within 3 lines
    prose_around: list[float]  # share of prose lines within 10 lines
    log_words_near: list[float]
    prose_share: float  # share of the page's lines that are prose
    line_count: int
    thread_near: list[float]  # comment headers (dates, "X says:") within 5 lines
    after_comments: list[bool]  # below a comment widget that follows the first prose
    after_related: list[bool]  # below a related-stories or widget heading that follows the first prose


def page_context(stats: Sequence[LineStats]) -> PageContext:
    prose = [1.0 if line.prose else 0.0 for line in stats]
    log_words = [math.log1p(line.words) / 5.0 for line in stats]
    thread = [1.0 if line.says or (line.date_like and line.words <= 8) else 0.0 for line in stats]
    first_prose = next((i for i, line in enumerate(stats) if line.prose), len(stats))
    kinds = [line.kind for line in stats]
    return PageContext(
        thread_near=_window_means(thread, 5),
        after_comments=_below_first(kinds, first_prose + 1, _COMMENT_HEADINGS),
        after_related=_below_first(kinds, first_prose + 1, _RELATED_HEADINGS),
        short_runs=_short_runs(stats),
        prose_distances=_prose_distances(stats),
        prose_near=_window_means(prose, 3),
        prose_around=_window_means(prose, 10),
        log_words_near=_window_means(log_words, 3),
        prose_share=sum(prose) / len(prose) if prose else 0.0,
        line_count=len(stats),
    )


def line_features(stats: Sequence[LineStats], context: PageContext, i: int) -> Features:
    """Features of line ``i`` from its own text and its neighbourhood (model stage 1)."""
    line = stats[i]
    word_bin = bisect_left(_WORD_BINS, line.words)
    stop_bin = bisect_left(_SHARE_BINS, line.stop_share)
    flags = [
        "bias",
        _WORD_NAMES[word_bin],
        _END_NAMES[word_bin][0 if line.sentence_end else 1],
        _POSITION_NAMES[bisect_left(_POSITION_BINS, line.position)],
        _REPEAT_NAMES[min(line.repeats, 3)],
        _PROSE_DISTANCE_NAMES[bisect_left(_COUNT_BINS, context.prose_distances[i])],
        _SHORT_RUN_NAMES[bisect_left(_COUNT_BINS, context.short_runs[i])],
    ]
    values = [
        ("log-words", math.log1p(line.words) / 5.0),
        ("prose-near", context.prose_near[i]),
        ("prose-around", context.prose_around[i]),
        ("log-words-near", context.log_words_near[i]),
        ("page-prose-share", context.prose_share),
        ("position", line.position),
    ]
    append = flags.append
    if line.words >= 4:
        append(_STOP_NAMES[stop_bin])
        append(_TITLE_NAMES[bisect_left(_SHARE_BINS, line.title_share)])
    if word_bin < 5:
        append(_SHORT_STOP_NAMES[word_bin][stop_bin])
    if line.kind is not None:
        append(_KIND_NAMES[line.kind, line.strength])
        if line.words <= 6:
            append(_KIND_SHORT_NAMES[line.kind])
    if line.repeats > 1 and not line.first_repeat:
        append("repeat-later")
    if line.unit_lines > 1:
        append(_UNIT_WORD_NAMES[bisect_left(_WORD_BINS, line.unit_words)])
        if line.unit_words >= 4:
            append(_UNIT_STOP_NAMES[bisect_left(_SHARE_BINS, line.unit_stop_share)])
    thread = context.thread_near[i]
    if thread:
        append(_THREAD_NAMES[min(3, int(thread * 11))])
    if context.after_comments[i]:
        append("after-comments")
    if context.after_related[i]:
        append("after-related")
    if line.ellipsis_end:
        append("ellipsis-end")
    if line.colon_end:
        append("colon-end")
    if line.lower_start:
        append("lower-start")
    if line.bullet_start:
        append("bullet-start")
    if line.all_caps:
        append("all-caps")
    if line.has_url:
        append("url")
    if line.date_like:
        append("date-like")
    if line.prose:
        append("prose")
    if line.says:
        append("says")
    if line.separators:
        append("separators:1" if line.separators == 1 else "separators:2+")
    if line.digit_share >= 0.3:
        append("digits")
    if i > 0:
        neighbour = stats[i - 1]
        append(_NEIGHBOUR_NAMES["prev"][bisect_left(_WORD_BINS, neighbour.words)])
        if neighbour.prose:
            append("prev-prose")
        if neighbour.kind is not None:
            append("prev-furniture")
    else:
        append("prev-edge")
    if i + 1 < len(stats):
        neighbour = stats[i + 1]
        append(_NEIGHBOUR_NAMES["next"][bisect_left(_WORD_BINS, neighbour.words)])
        if neighbour.prose:
            append("next-prose")
        if neighbour.kind is not None:
            append("next-furniture")
    else:
        append("next-edge")
    return Features(flags, values)


# Stage 2 reads stage 1's scores around each line.
_SCORE_BINS = (-4.0, -2.0, -1.0, 0.0, 1.0, 2.0, 4.0)
_SCORE_NAMES = tuple(f"score:{i}" for i in range(len(_SCORE_BINS) + 1))
# Share of the page's words in prose paragraphs: listings and link pages sit low, articles
# high; the bins let the model keep more of a page without a clear article.
_PAGE_KIND_BINS = (0.2, 0.4, 0.6, 0.8)
_PAGE_KIND_NAMES = tuple(tuple(f"page:{k}*score:{s}" for s in range(len(_SCORE_BINS) + 1))
                         for k in range(len(_PAGE_KIND_BINS) + 1))
_REGION_DISTANCE_NAMES = tuple(f"region-distance:{i}" for i in range(len(_COUNT_BINS) + 1))
_WINDOW_NAMES = {radius: tuple(f"window{radius}:{i}" for i in range(6)) for radius in (1, 3, 10)}


def main_region(weights: Sequence[float]) -> tuple[int, int]:
    """The run ``[start, end)`` with the largest total weight (Kadane); ``(0, 0)`` if none is positive.

    >>> main_region([-1, 2, -0.5, 3, -4, 1])
    (1, 4)
    """
    best, best_start, best_end = 0.0, 0, 0
    total, start = 0.0, 0
    for i, weight in enumerate(weights):
        if total <= 0:
            total, start = 0.0, i
        total += weight
        if total > best:
            best, best_start, best_end = total, start, i + 1
    return best_start, best_end


@dataclass(frozen=True, slots=True)
class ScoreContext:
    """Stage 1's scores seen from each line: smoothed, and the page's main region."""

    probabilities: list[float]
    windows: dict[int, list[float]]
    region: tuple[int, int]
    kept_share: float
    unit_logits: list[float]  # mean stage-1 logit of each line's unit
    page_kind: int  # how much of the page is prose, in bins (a page type)


def score_context(stats: Sequence[LineStats], logits: Sequence[float]) -> ScoreContext:
    probabilities = [1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))) for z in logits]
    # Weigh lines by their length so a long paragraph outweighs a run of menu items; the
    # square root keeps one very long line from swallowing a page.
    weights = [(p - 0.5) * math.sqrt(1 + line.words) for p, line in zip(probabilities, stats, strict=True)]
    unit_logits = list(logits)
    start = 0
    for k in range(1, len(stats) + 1):
        if k == len(stats) or stats[k].unit != stats[start].unit:
            if k - start > 1:
                mean = sum(logits[start:k]) / (k - start)
                unit_logits[start:k] = [mean] * (k - start)
            start = k
    words = sum(line.words for line in stats) or 1
    prose_words = sum(line.words for line in stats if line.prose)
    return ScoreContext(
        unit_logits=unit_logits,
        page_kind=_bin(_PAGE_KIND_BINS, prose_words / words),
        probabilities=probabilities,
        windows={radius: _window_means(probabilities, radius) for radius in (1, 3, 10)},
        region=main_region(weights),
        kept_share=sum(1 for p in probabilities if p >= 0.5) / len(probabilities) if probabilities else 0.0,
    )


def context_features(stats: Sequence[LineStats], scores: ScoreContext, logits: Sequence[float], i: int) -> Features:
    """Features of line ``i`` from stage 1's verdicts on it and its neighbours (model stage 2)."""
    start, end = scores.region
    distance = start - i if i < start else (i - end + 1 if i >= end else 0)
    score_bin = bisect_left(_SCORE_BINS, logits[i])
    line = stats[i]
    flags = [
        "bias",
        _SCORE_NAMES[score_bin],
        _PAGE_KIND_NAMES[scores.page_kind][score_bin],
        _REGION_DISTANCE_NAMES[bisect_left(_COUNT_BINS, distance)],
        _WINDOW_NAMES[1][min(5, int(scores.windows[1][i] * 5))],
        _WINDOW_NAMES[3][min(5, int(scores.windows[3][i] * 5))],
        _WINDOW_NAMES[10][min(5, int(scores.windows[10][i] * 5))],
        _WORD_NAMES[bisect_left(_WORD_BINS, line.words)],
    ]
    values = [
        ("logit", max(-8.0, min(8.0, logits[i])) / 4.0),
        ("unit-logit", max(-8.0, min(8.0, scores.unit_logits[i])) / 4.0),
        ("kept-share", scores.kept_share),
    ]
    if start <= i < end:
        flags.append("in-region")
        values.append(("region-offset", (i - start) / max(1, end - start)))
    elif i < start:
        flags.append("before-region")
    else:
        flags.append("after-region")
    if i > 0:
        values.append(("prev-p", scores.probabilities[i - 1]))
    if i + 1 < len(stats):
        values.append(("next-p", scores.probabilities[i + 1]))
    if line.kind is not None:
        flags.append(_KIND_NAMES[line.kind, line.strength])
    if line.repeats > 1:
        flags.append("repeated")
    return Features(flags, values)


# ---------------------------------------------------------------------------------------
# The fast path. line_features and context_features above define the features by name (the
# training tool reads them); scoring a page through them costs a list of names and a dict
# lookup per feature per line, most of the cleaner's run time. CompiledModel folds the same
# weights into tables indexed by bin and sums a line's logit directly: everything that
# depends on the line's text alone is summed once per distinct line (LineRecord), the rest
# once per line and round. tests/unit/test_boilerplate.py checks both give the same logits.

#: A measured line: measure_line's shape, then what the compiled model derives from it once
#: (see CompiledModel.record for the fields after the shape).
LineRecord = tuple[Any, ...]

# Indices into a LineRecord.
REC_WORDS, REC_TOKENS, REC_STOP, REC_KIND, REC_SAYS, REC_DATE = 0, 1, 2, 14, 16, 13
REC_SEPARATORS = 12
(REC_OWN1, REC_AS_PREV, REC_AS_NEXT, REC_OWN2, REC_SQRT, REC_LOG, REC_LOWER, REC_AFTER, REC_BEFORE,
 REC_LEN) = range(18, 28)


class CompiledModel:
    """Both stages' weights as flat tables, for scoring whole pages quickly."""

    def __init__(self, line: Mapping[str, float], context: Mapping[str, float]) -> None:
        def table(weights: Mapping[str, float], names: Sequence[str]) -> list[float]:
            return [weights.get(name, 0.0) for name in names]

        w1, w2 = line, context
        self._w1, self._w2 = w1, w2
        #: Line text -> its record, filled by the cleaner (records depend on text and weights).
        self.records: dict[str, LineRecord] = {}
        self.word = table(w1, _WORD_NAMES)
        self.end = [table(w1, names) for names in _END_NAMES]
        self.stop = table(w1, _STOP_NAMES)
        self.title = table(w1, _TITLE_NAMES)
        self.short_stop = [table(w1, names) for names in _SHORT_STOP_NAMES]
        self.position = table(w1, _POSITION_NAMES)
        self.repeat = table(w1, _REPEAT_NAMES)
        self.prose_distance = table(w1, _PROSE_DISTANCE_NAMES)
        self.short_run = table(w1, _SHORT_RUN_NAMES)
        self.unit_word = table(w1, _UNIT_WORD_NAMES)
        self.unit_stop = table(w1, _UNIT_STOP_NAMES)
        # Indexed by int(share * 11), up to 11 for a share of 1 (the bins stop at 3).
        self.thread = [*table(w1, _THREAD_NAMES), *[w1.get(_THREAD_NAMES[3], 0.0)] * 8]
        self.prev_word = table(w1, _NEIGHBOUR_NAMES["prev"])
        self.next_word = table(w1, _NEIGHBOUR_NAMES["next"])
        self.score = table(w2, _SCORE_NAMES)
        self.page_kind = [table(w2, names) for names in _PAGE_KIND_NAMES]
        self.region_distance = table(w2, _REGION_DISTANCE_NAMES)
        # Indexed by int(mean * 5): 5 for a mean of 1, one spare slot for rounding above 1.
        self.windows = [[*table(w2, _WINDOW_NAMES[radius]), w2.get(_WINDOW_NAMES[radius][5], 0.0)]
                        for radius in (1, 3, 10)]
        self.word2 = table(w2, _WORD_NAMES)
        # What the line alone weighs, by word bin (and sentence end, for stage 1).
        bias = w1.get("bias", 0.0)
        self.own_by_words = [[bias + self.word[b] + self.end[b][e] for e in (0, 1)] for b in range(len(_WORD_BINS) + 1)]
        self.log_words = w1.get("log-words", 0.0)
        self.own2_by_words = [w2.get("bias", 0.0) + weight for weight in self.word2]
        self.kind1 = {key: w1.get(name, 0.0) for key, name in _KIND_NAMES.items()}
        self.kind2 = {key: w2.get(name, 0.0) for key, name in _KIND_NAMES.items()}
        self.kind_short = {kind: w1.get(name, 0.0) for kind, name in _KIND_SHORT_NAMES.items()}
        self.prev_furniture, self.next_furniture = w1.get("prev-furniture", 0.0), w1.get("next-furniture", 0.0)
        self.flags = [w1.get(name, 0.0) for name in ("ellipsis-end", "colon-end", "lower-start", "bullet-start",
                                                      "all-caps", "url", "date-like", "says", "digits",
                                                      "separators:1", "separators:2+")]

    def record(self, text: str, shape: LineShape) -> LineRecord:
        """``shape`` and what the model derives from the line alone: its stage 1 and 2
        partial logits, its contributions to its neighbours' stage 1 logits, and the values
        the page-level measures need."""
        (words, tokens, stop_share, title_share, digit_share, sentence_end, ellipsis_end, colon_end, lower_start,
         bullet_start, all_caps, has_url, separators, date_like, kind, strength, says, stopword_end) = shape
        word_bin = bisect_left(_WORD_BINS, words)
        stop_bin = bisect_left(_SHARE_BINS, stop_share)
        log_words = math.log1p(words) / 5.0
        own1 = self.own_by_words[word_bin][0 if sentence_end else 1] + self.log_words * log_words
        if words >= 4:
            own1 += self.stop[stop_bin] + self.title[bisect_left(_SHARE_BINS, title_share)]
        if word_bin < 5:
            own1 += self.short_stop[word_bin][stop_bin]
        own2 = self.own2_by_words[word_bin]
        as_prev = self.prev_word[word_bin]
        as_next = self.next_word[word_bin]
        if kind is not None:
            own1 += self.kind1[kind, strength]
            own2 += self.kind2[kind, strength]
            if words <= 6:
                own1 += self.kind_short[kind]
            as_prev += self.prev_furniture
            as_next += self.next_furniture
        flags = self.flags
        if ellipsis_end:
            own1 += flags[0]
        if colon_end:
            own1 += flags[1]
        if lower_start:
            own1 += flags[2]
        if bullet_start:
            own1 += flags[3]
        if all_caps:
            own1 += flags[4]
        if has_url:
            own1 += flags[5]
        if date_like:
            own1 += flags[6]
        if says:
            own1 += flags[7]
        if digit_share >= 0.3:
            own1 += flags[8]
        if separators:
            own1 += flags[9] if separators == 1 else flags[10]
        # How the line joins the next one into a unit (see _continues): 0 never, 2 always
        # when the next line can continue, 1 only when the next line starts in lower case.
        after = 0 if sentence_end or colon_end or not tokens else (
            2 if stopword_end or text.endswith((",", "-", "–", "&")) else 1)
        before = 0 if bullet_start else (2 if lower_start else 1)
        return (*shape, own1, as_prev, as_next, own2, math.sqrt(1 + words), log_words, text.lower(),
                after, before, len(text) + 1)

    def logits(self, records: Sequence[LineRecord]) -> tuple[list[float], list[int]]:
        """Stage 2 logits of a page's non-blank lines, and how often each line occurs."""
        n = len(records)
        if not n:
            return [], []
        w1, w2 = self._w1, self._w2
        columns = list(zip(*records, strict=True))
        words = columns[REC_WORDS]
        stop_shares = columns[REC_STOP]
        lowers = columns[REC_LOWER]
        counts = Counter(lowers)
        repeats = [counts[key] for key in lowers]
        seen: set[str] = set()
        later = []
        for key in lowers:
            later.append(key in seen)
            seen.add(key)
        total_chars = sum(columns[REC_LEN]) or 1
        positions = [before / total_chars for before in accumulate(columns[REC_LEN], initial=0)][:n]

        # Units (hard-wrapped paragraphs), as _measure_units.
        units = [0] * n
        unit = 0
        afters, befores = columns[REC_AFTER], columns[REC_BEFORE]
        for k in range(1, n):
            if afters[k - 1] * befores[k] < 2:
                unit += 1
            units[k] = unit
        unit_lines = [1] * n
        unit_words = list(words)
        unit_stops = [0.0] * n
        prose = [False] * n
        start = 0
        for k in range(1, n + 1):
            if k == n or units[k] != units[start]:
                if k - start == 1:
                    count = words[start]
                    share = stop_shares[start] * count / count if count else 0.0
                    unit_stops[start] = share
                    prose[start] = count >= PROSE_WORDS and share >= PROSE_STOP_SHARE
                else:
                    count = sum(words[start:k])
                    members = zip(stop_shares[start:k], words[start:k], strict=True)
                    share = sum(s * c for s, c in members) / count if count else 0.0
                    is_prose = count >= PROSE_WORDS and share >= PROSE_STOP_SHARE
                    for j in range(start, k):
                        unit_lines[j] = k - start
                        unit_words[j] = count
                        unit_stops[j] = share
                        prose[j] = is_prose
                start = k

        # Page context, as page_context.
        prose_values = [1.0 if p else 0.0 for p in prose]
        says, dates, kinds = columns[REC_SAYS], columns[REC_DATE], columns[REC_KIND]
        thread = [1.0 if s or (d and c <= 8) else 0.0 for s, d, c in zip(says, dates, words, strict=True)]
        first_prose = prose.index(True) if True in prose else n
        after_comments = _below_first(kinds, first_prose + 1, _COMMENT_HEADINGS)
        after_related = _below_first(kinds, first_prose + 1, _RELATED_HEADINGS)
        short_runs = _short_run_lengths(words)
        distances = _prose_distance_list(prose)
        prose_near = _window_means(prose_values, 3)
        prose_around = _window_means(prose_values, 10)
        log_near = _window_means(columns[REC_LOG], 3)
        thread_near = _window_means(thread, 5)
        prose_share = sum(prose_values) / n

        w_prose_near, w_prose_around = w1.get("prose-near", 0.0), w1.get("prose-around", 0.0)
        w_log_near, w_position = w1.get("log-words-near", 0.0), w1.get("position", 0.0)
        w_prose, w_later, w_after = w1.get("prose", 0.0), w1.get("repeat-later", 0.0), w1.get("after-comments", 0.0)
        w_prev_prose, w_next_prose = w1.get("prev-prose", 0.0), w1.get("next-prose", 0.0)
        w_related = w1.get("after-related", 0.0)
        page_term = w1.get("page-prose-share", 0.0) * prose_share
        position_table, repeat_table = self.position, self.repeat
        distance_table, run_table = self.prose_distance, self.short_run
        own1, as_prev, as_next = columns[REC_OWN1], columns[REC_AS_PREV], columns[REC_AS_NEXT]
        thread_table = self.thread
        # Neighbours' contributions, shifted into place; the page's ends have their own.
        w_prev_edge, w_next_edge = w1.get("prev-edge", 0.0), w1.get("next-edge", 0.0)
        from_prev = [w_prev_edge, *[a + w_prev_prose if p else a for a, p in zip(as_prev, prose, strict=True)][:-1]]
        from_next = [*[a + w_next_prose if p else a for a, p in zip(as_next, prose, strict=True)][1:], w_next_edge]
        first = [
            o + page_term + position_table[bisect_left(_POSITION_BINS, pos)] + w_position * pos
            + repeat_table[r if r < 3 else 3] + distance_table[bisect_left(_COUNT_BINS, d)]
            + run_table[bisect_left(_COUNT_BINS, sr)] + w_prose_near * pn + w_prose_around * pa + w_log_near * ln
            + fp + fn
            for o, pos, r, d, sr, pn, pa, ln, fp, fn in zip(
                own1, positions, repeats, distances, short_runs, prose_near, prose_around, log_near, from_prev,
                from_next, strict=True)
        ]
        # The features most lines lack, added where they are on.
        for i in range(n):
            if later[i]:
                first[i] += w_later
            if unit_lines[i] > 1:
                first[i] += self.unit_word[bisect_left(_WORD_BINS, unit_words[i])]
                if unit_words[i] >= 4:
                    first[i] += self.unit_stop[bisect_left(_SHARE_BINS, unit_stops[i])]
            if prose[i]:
                first[i] += w_prose
            if thread_near[i]:
                first[i] += thread_table[int(thread_near[i] * 11)]
            if after_comments[i]:
                first[i] += w_after
            if after_related[i]:
                first[i] += w_related

        # Stage 2, as score_context and context_features.
        exp = math.exp
        probabilities = [1.0 / (1.0 + exp(-(z if -30.0 <= z <= 30.0 else (30.0 if z > 30.0 else -30.0))))
                         for z in first]
        roots = columns[REC_SQRT]
        region_start, region_end = main_region([(p - 0.5) * r for p, r in zip(probabilities, roots, strict=True)])
        unit_logits = list(first)
        start = 0
        for k in range(1, n + 1):
            if k == n or units[k] != units[start]:
                if k - start > 1:
                    mean = sum(first[start:k]) / (k - start)
                    unit_logits[start:k] = [mean] * (k - start)
                start = k
        total_words = sum(words) or 1
        prose_words = sum(c for c, p in zip(words, prose, strict=True) if p)
        kind_table = self.page_kind[_bin(_PAGE_KIND_BINS, prose_words / total_words)]
        kept_share = sum(1 for p in probabilities if p >= 0.5) / n
        window1, window3, window10 = (_window_means(probabilities, radius) for radius in (1, 3, 10))
        table1, table3, table10 = self.windows
        score_table, distance2 = self.score, self.region_distance
        w_logit, w_unit = w2.get("logit", 0.0), w2.get("unit-logit", 0.0)
        w_in, w_offset = w2.get("in-region", 0.0), w2.get("region-offset", 0.0)
        w_before, w_after_region = w2.get("before-region", 0.0), w2.get("after-region", 0.0)
        w_prev_p, w_next_p, w_repeated = w2.get("prev-p", 0.0), w2.get("next-p", 0.0), w2.get("repeated", 0.0)
        shared = w2.get("kept-share", 0.0) * kept_share
        own2 = columns[REC_OWN2]
        span = max(1, region_end - region_start)
        region_terms = [
            *[w_before + distance2[bisect_left(_COUNT_BINS, region_start - i)] for i in range(region_start)],
            *[w_in + w_offset * ((i - region_start) / span) + distance2[0] for i in range(region_start, region_end)],
            *[w_after_region + distance2[bisect_left(_COUNT_BINS, i - region_end + 1)] for i in range(region_end, n)],
        ]
        from_prev_p = [0.0, *[w_prev_p * p for p in probabilities[:-1]]]
        from_next_p = [*[w_next_p * p for p in probabilities[1:]], 0.0]
        second = [
            o + shared + rt + score_table[bisect_left(_SCORE_BINS, z1)] + kind_table[bisect_left(_SCORE_BINS, z1)]
            + table1[int(m1 * 5)] + table3[int(m3 * 5)] + table10[int(m10 * 5)]
            + w_logit * ((z1 if -8.0 <= z1 <= 8.0 else (8.0 if z1 > 8.0 else -8.0)) / 4.0)
            + w_unit * ((u if -8.0 <= u <= 8.0 else (8.0 if u > 8.0 else -8.0)) / 4.0)
            + fp + fn + (w_repeated if r > 1 else 0.0)
            for o, rt, z1, u, m1, m3, m10, fp, fn, r in zip(
                own2, region_terms, first, unit_logits, window1, window3, window10, from_prev_p, from_next_p, repeats,
                strict=True)
        ]
        return second, repeats


def _below_first(kinds: Sequence[str | None], start: int, wanted: Collection[str]) -> list[bool]:
    """Per line, is it below the first line from ``start`` on whose phrase kind is wanted?"""
    n = len(kinds)
    for k in range(start, n):
        if kinds[k] in wanted:
            return [False] * (k + 1) + [True] * (n - k - 1)
    return [False] * n


def _short_run_lengths(words: Sequence[int]) -> list[int]:
    """As _short_runs, from the lines' word counts."""
    n = len(words)
    runs = [0] * n
    start = 0
    for i in range(n + 1):
        if i == n or words[i] >= 5:
            if i > start:
                runs[start:i] = [i - start] * (i - start)
            start = i + 1
    return runs


def _prose_distance_list(prose: Sequence[bool]) -> list[int]:
    """As _prose_distances, from the lines' prose flags."""
    far = 10**6
    n = len(prose)
    distance = [far] * n
    last = -far
    for i in range(n):
        if prose[i]:
            last = i
        distance[i] = i - last
    last = far * 2
    for i in range(n - 1, -1, -1):
        if prose[i]:
            last = i
        if last - i < distance[i]:
            distance[i] = last - i
    return distance

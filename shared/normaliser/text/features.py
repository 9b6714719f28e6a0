"""The named features of the boilerplate model's two stages, from measured lines.

:func:`line_features` (stage 1) and :func:`context_features` (stage 2) are what training
reads (tools/train_boilerplate.py); :mod:`normaliser.text.compiled` folds the same weights
into tables for scoring.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import NamedTuple

from normaliser.meta import phrases

from .measure import (
    _COMMENT_HEADINGS,
    _COUNT_BINS,
    _POSITION_BINS,
    _RELATED_HEADINGS,
    _SHARE_BINS,
    _WORD_BINS,
    LineStats,
    _bin,
)


class Features(NamedTuple):
    """A line's features: the names of those that are on, and those that carry a value."""

    flags: list[str]
    values: list[tuple[str, float]]


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


def _below_first(kinds: Sequence[str | None], start: int, wanted: Collection[str]) -> list[bool]:
    """Per line, is it below the first line from ``start`` on whose phrase kind is wanted?"""
    n = len(kinds)
    for k in range(start, n):
        if kinds[k] in wanted:
            return [False] * (k + 1) + [True] * (n - k - 1)
    return [False] * n

"""A text dump's lines as the model reads them: each distinct line's record, and what each
line shows on its page whatever the weights (repeats, position, hard-wrapped paragraph,
prose around it). :mod:`normaliser.text.compiled` scores from these."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import accumulate
from operator import attrgetter
from typing import Generic, TypeVar

from .features import FeatureVector
from .measure import _COMMENT_HEADINGS, _RELATED_HEADINGS, PROSE_STOP_SHARE, PROSE_WORDS, LineShape

#: A weight: a number when scoring, a feature vector when training.
W = TypeVar("W", float, FeatureVector)


@dataclass(slots=True)
class LineRecord(Generic[W]):
    """A measured line and what the model derives from it once (its text and the weights alone)."""

    shape: LineShape
    own1: W  # stage 1 partial logit: the line alone
    as_prev: W  # its part of the next line's stage 1 logit
    as_next: W  # its part of the previous line's stage 1 logit
    own2: W  # stage 2 partial logit: the line alone
    sqrt_words: float
    log_words: float
    lower: str
    # How the line joins the next one into a unit (a hard-wrapped paragraph): 0 never, 2
    # always when the next line can continue, 1 only when the next line starts in lower case.
    after: int
    before: int  # how the line continues the previous one: 0 never, 1 if after is 2, 2 if after is 1 or 2
    length: int  # characters, with the newline


@dataclass(slots=True)
class PageMeasures:
    """What each line shows on its page, whatever the weights."""

    words: list[int]
    repeats: list[int]  # how many lines of the page read the same
    later: list[bool]  # a repeat below the first
    positions: list[float]  # share of the page's characters before the line
    units: list[int]  # the hard-wrapped paragraph each line is in
    unit_lines: list[int]
    unit_words: list[int]
    unit_stops: list[float]
    prose: list[bool]  # its unit reads as prose
    thread_near: list[float]  # comment headers (dates, "X says:") within 5 lines
    after_comments: list[bool]  # below a comment widget that follows the first prose
    after_related: list[bool]  # below a related-stories or widget heading that follows the first prose
    short_runs: list[int]
    prose_distances: list[int]
    prose_near: list[float]  # share of prose lines within 3 lines
    prose_around: list[float]  # share of prose lines within 10 lines
    log_words_near: list[float]
    prose_share: float  # share of the page's lines that are prose


def page_measures(records: Sequence[LineRecord[W]]) -> PageMeasures:
    """What each of a page's lines shows on the page (its repeats, position, paragraph and
    neighbourhood), from the lines' records."""
    n = len(records)
    shapes = list(map(attrgetter("shape"), records))
    words: list[int] = list(map(attrgetter("words"), shapes))
    lowers: list[str] = list(map(attrgetter("lower"), records))
    counts = Counter(lowers)
    seen: set[str] = set()
    later = []
    for key in lowers:
        later.append(key in seen)
        seen.add(key)
    lengths: list[int] = list(map(attrgetter("length"), records))
    total_chars = sum(lengths) or 1
    units = _units(list(map(attrgetter("after"), records)), list(map(attrgetter("before"), records)))
    stop_shares: list[float] = list(map(attrgetter("stop_share"), shapes))
    unit_lines, unit_words, unit_stops, prose = _unit_measures(units, words, stop_shares)
    prose_values = [1.0 if p else 0.0 for p in prose]
    first_prose = prose.index(True) if True in prose else n
    kinds: list[str | None] = list(map(attrgetter("kind"), shapes))
    return PageMeasures(
        words=words,
        repeats=[counts[key] for key in lowers],
        later=later,
        positions=[before / total_chars for before in accumulate(lengths, initial=0)][:n],
        units=units,
        unit_lines=unit_lines,
        unit_words=unit_words,
        unit_stops=unit_stops,
        prose=prose,
        thread_near=window_means([1.0 if s.says or (s.date_like and s.words <= 8) else 0.0 for s in shapes], 5),
        after_comments=_below_first(kinds, first_prose + 1, _COMMENT_HEADINGS),
        after_related=_below_first(kinds, first_prose + 1, _RELATED_HEADINGS),
        short_runs=_short_runs(words),
        prose_distances=_prose_distances(prose),
        prose_near=window_means(prose_values, 3),
        prose_around=window_means(prose_values, 10),
        log_words_near=window_means(list(map(attrgetter("log_words"), records)), 3),
        prose_share=sum(prose_values) / n if n else 0.0,
    )


def _units(afters: Sequence[int], befores: Sequence[int]) -> list[int]:
    """The hard-wrapped paragraph each line is in: a line carries on the previous one's
    sentence when the previous line can go on and this one can continue it."""
    n = len(afters)
    units = [0] * n
    unit = 0
    for k in range(1, n):
        if afters[k - 1] * befores[k] < 2:
            unit += 1
        units[k] = unit
    return units


def _unit_measures(
    units: Sequence[int], words: Sequence[int], stop_shares: Sequence[float]
) -> tuple[list[int], list[int], list[float], list[bool]]:
    """Per line, its unit's lines, words and function-word share, and whether the unit is prose."""
    n = len(units)
    unit_lines = [1] * n
    unit_words = list(words)
    unit_stops = [0.0] * n
    prose = [False] * n
    start = 0
    for k in range(1, n + 1):
        if k == n or units[k] != units[start]:
            if k - start == 1:  # most units: a line alone
                count = words[start]
                share = stop_shares[start] * count / count if count else 0.0
                unit_stops[start] = share
                prose[start] = count >= PROSE_WORDS and share >= PROSE_STOP_SHARE
            else:
                count = sum(words[start:k])
                members = zip(stop_shares[start:k], words[start:k], strict=True)
                share = sum(s * c for s, c in members) / count if count else 0.0
                is_prose = count >= PROSE_WORDS and share >= PROSE_STOP_SHARE
                unit_lines[start:k] = [k - start] * (k - start)
                unit_words[start:k] = [count] * (k - start)
                unit_stops[start:k] = [share] * (k - start)
                prose[start:k] = [is_prose] * (k - start)
            start = k
    return unit_lines, unit_words, unit_stops, prose


def window_means(values: Sequence[float], radius: int) -> list[float]:
    """Mean of ``values`` over ``i-radius .. i+radius`` (clipped at the ends), self included.

    >>> window_means([1.0, 0.0, 0.0, 1.0], 1)
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
    middle = [(high - low) / width for low, high in zip(prefix[: n - 2 * radius], prefix[width:], strict=True)]
    tail = [(prefix[n] - prefix[i - radius]) / (n - i + radius) for i in range(n - radius, n)]
    return [*head, *middle, *tail]


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


def _below_first(kinds: Sequence[str | None], start: int, wanted: Collection[str]) -> list[bool]:
    """Per line, is it below the first line from ``start`` on whose phrase kind is wanted?"""
    n = len(kinds)
    for k in range(start, n):
        if kinds[k] in wanted:
            return [False] * (k + 1) + [True] * (n - k - 1)
    return [False] * n


def _short_runs(words: Sequence[int]) -> list[int]:
    """Length of the run of consecutive short lines (under five words) each line is in."""
    n = len(words)
    runs = [0] * n
    start = 0
    for i in range(n + 1):
        if i == n or words[i] >= 5:
            if i > start:
                runs[start:i] = [i - start] * (i - start)
            start = i + 1
    return runs


def _prose_distances(prose: Sequence[bool]) -> list[int]:
    """Lines to the nearest prose line (0 for a prose line itself; large where there is none)."""
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

"""The boilerplate model's features and scoring: the one definition of both.

:class:`CompiledModel` folds each stage's weights into tables indexed by bin and sums a
line's logit directly: everything that depends on the line's text alone is summed once per
distinct line (:class:`LineRecord`), the rest once per line and round. Scoring is written
for speed (a dict lookup per feature per line would be most of the cleaner's run time).

A weight is whatever the lookup given to the model returns for a feature's name: a float
when cleaning (the shipped weights), a :class:`~normaliser.text.features.FeatureVector` when
training (the name itself), so that training reads each line's named features from exactly
the code that scores it (see :data:`SYMBOLIC`).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from itertools import accumulate, compress
from operator import attrgetter
from typing import Generic, TypeVar

from .features import (
    END_NAMES,
    FLAG_NAMES,
    KIND_NAMES,
    KIND_SHORT_NAMES,
    NEIGHBOUR_NAMES,
    PAGE_KIND_BINS,
    PAGE_KIND_NAMES,
    POSITION_NAMES,
    PROSE_DISTANCE_NAMES,
    REGION_DISTANCE_NAMES,
    REPEAT_NAMES,
    SCORE_BINS,
    SCORE_NAMES,
    SHORT_RUN_NAMES,
    SHORT_STOP_NAMES,
    STOP_NAMES,
    THREAD_NAMES,
    TITLE_NAMES,
    UNIT_STOP_NAMES,
    UNIT_WORD_NAMES,
    WINDOW_NAMES,
    WORD_NAMES,
    FeatureVector,
)
from .measure import (
    _COMMENT_HEADINGS,
    _COUNT_BINS,
    _POSITION_BINS,
    _RELATED_HEADINGS,
    _SHARE_BINS,
    _WORD_BINS,
    PROSE_STOP_SHARE,
    PROSE_WORDS,
    LineShape,
    _bin,
)

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


class CompiledModel(Generic[W]):
    """Both stages' weights as flat tables, for scoring whole pages quickly.

    ``line`` and ``context`` give the weight of a feature name in stage 1 and 2."""

    # Declared here: mypy checks the methods once per kind of weight, and infers no
    # attribute types that way.
    _w1: Callable[[str], W]
    _w2: Callable[[str], W]
    records: dict[str, LineRecord[W]]
    word: list[W]
    end: list[list[W]]
    stop: list[W]
    title: list[W]
    short_stop: list[list[W]]
    position: list[W]
    repeat: list[W]
    prose_distance: list[W]
    short_run: list[W]
    unit_word: list[W]
    unit_stop: list[W]
    thread: list[W]
    prev_word: list[W]
    next_word: list[W]
    score: list[W]
    page_kind: list[list[W]]
    region_distance: list[W]
    windows: list[list[W]]
    word2: list[W]
    own_by_words: list[list[W]]
    log_words: W
    own2_by_words: list[W]
    kind1: dict[tuple[str, str], W]
    kind2: dict[tuple[str, str], W]
    kind_short: dict[str, W]
    prev_furniture: W
    next_furniture: W
    flags: list[W]

    def __init__(self, line: Callable[[str], W], context: Callable[[str], W]) -> None:
        w1, w2 = line, context
        self._w1, self._w2 = w1, w2
        #: Line text -> its record, filled by the cleaner (records depend on text and weights).
        self.records = {}
        self.word = _table(w1, WORD_NAMES)
        self.end = [_table(w1, names) for names in END_NAMES]
        self.stop = _table(w1, STOP_NAMES)
        self.title = _table(w1, TITLE_NAMES)
        self.short_stop = [_table(w1, names) for names in SHORT_STOP_NAMES]
        self.position = _table(w1, POSITION_NAMES)
        self.repeat = _table(w1, REPEAT_NAMES)
        self.prose_distance = _table(w1, PROSE_DISTANCE_NAMES)
        self.short_run = _table(w1, SHORT_RUN_NAMES)
        self.unit_word = _table(w1, UNIT_WORD_NAMES)
        self.unit_stop = _table(w1, UNIT_STOP_NAMES)
        # Indexed by int(share * 11), up to 11 for a share of 1 (the bins stop at 3).
        self.thread = _table(w1, THREAD_NAMES) + _table(w1, THREAD_NAMES[3:]) * 8
        self.prev_word = _table(w1, NEIGHBOUR_NAMES["prev"])
        self.next_word = _table(w1, NEIGHBOUR_NAMES["next"])
        self.score = _table(w2, SCORE_NAMES)
        self.page_kind = [_table(w2, names) for names in PAGE_KIND_NAMES]
        self.region_distance = _table(w2, REGION_DISTANCE_NAMES)
        # Indexed by int(mean * 5): 5 for a mean of 1, one spare slot for rounding above 1.
        self.windows = [_table(w2, names) + _table(w2, names[5:]) for names in (WINDOW_NAMES[r] for r in (1, 3, 10))]
        self.word2 = _table(w2, WORD_NAMES)
        # What the line alone weighs, by word bin (and sentence end, for stage 1).
        bias = w1("bias")
        self.own_by_words = [[bias + self.word[b] + self.end[b][e] for e in (0, 1)] for b in range(len(_WORD_BINS) + 1)]
        self.log_words = w1("log-words")
        self.own2_by_words = [w2("bias") + weight for weight in self.word2]
        self.kind1 = {key: w1(name) for key, name in KIND_NAMES.items()}
        self.kind2 = {key: w2(name) for key, name in KIND_NAMES.items()}
        self.kind_short = {kind: w1(name) for kind, name in KIND_SHORT_NAMES.items()}
        self.prev_furniture, self.next_furniture = w1("prev-furniture"), w1("next-furniture")
        self.flags = _table(w1, FLAG_NAMES)

    def record(self, text: str, shape: LineShape) -> LineRecord[W]:
        """``shape`` and what the model derives from the line alone: its stage 1 and 2
        partial logits, its contributions to its neighbours' stage 1 logits, and the values
        the page-level measures need."""
        words, kind = shape.words, shape.kind
        word_bin = bisect_left(_WORD_BINS, words)
        log_words = math.log1p(words) / 5.0
        own1 = self._own1(shape, word_bin, log_words)
        own2 = self.own2_by_words[word_bin]
        as_prev = self.prev_word[word_bin]
        as_next = self.next_word[word_bin]
        if kind is not None:
            own2 += self.kind2[kind, shape.strength]
            as_prev += self.prev_furniture
            as_next += self.next_furniture
        after = (
            0
            if shape.sentence_end or shape.colon_end or not shape.tokens
            else (2 if shape.stopword_end or text.endswith((",", "-", "–", "&")) else 1)
        )
        before = 0 if shape.bullet_start else (2 if shape.lower_start else 1)
        return LineRecord(
            shape,
            own1,
            as_prev,
            as_next,
            own2,
            math.sqrt(1 + words),
            log_words,
            text.lower(),
            after,
            before,
            len(text) + 1,
        )

    def _own1(self, shape: LineShape, word_bin: int, log_words: float) -> W:
        """Stage 1's partial logit of a line alone: its length, shares, phrase and flags."""
        words, kind = shape.words, shape.kind
        stop_bin = bisect_left(_SHARE_BINS, shape.stop_share)
        own1 = self.own_by_words[word_bin][0 if shape.sentence_end else 1] + self.log_words * log_words
        if words >= 4:
            own1 += self.stop[stop_bin] + self.title[bisect_left(_SHARE_BINS, shape.title_share)]
        if word_bin < 5:
            own1 += self.short_stop[word_bin][stop_bin]
        if kind is not None:
            own1 += self.kind1[kind, shape.strength]
            if words <= 6:
                own1 += self.kind_short[kind]
        return self._with_flags(own1, shape)

    def _with_flags(self, own1: W, shape: LineShape) -> W:
        """``own1`` with the weights of the line's flags that are on, in FLAG_NAMES order."""
        separators = shape.separators
        on = (
            shape.ellipsis_end,
            shape.colon_end,
            shape.lower_start,
            shape.bullet_start,
            shape.all_caps,
            shape.has_url,
            shape.date_like,
            shape.says,
            shape.digit_share >= 0.3,
            separators == 1,
            separators >= 2,
        )
        for weight in compress(self.flags, on):
            own1 += weight
        return own1

    def logits(self: CompiledModel[float], records: Sequence[LineRecord[float]]) -> tuple[list[float], list[int]]:
        """Stage 2 logits of a page's non-blank lines, and how often each line occurs."""
        page = page_measures(records)
        return self.stage2(records, page, self.stage1(records, page)), page.repeats

    def stage1(self, records: Sequence[LineRecord[W]], page: PageMeasures) -> list[W]:
        """Stage 1's logit of each line: the line's own shape and its neighbourhood."""
        if not records:
            return []
        w1 = self._w1
        w_prose_near, w_prose_around = w1("prose-near"), w1("prose-around")
        w_log_near, w_position = w1("log-words-near"), w1("position")
        w_prev_prose, w_next_prose = w1("prev-prose"), w1("next-prose")
        page_term = w1("page-prose-share") * page.prose_share
        position_table, repeat_table = self.position, self.repeat
        distance_table, run_table = self.prose_distance, self.short_run
        prose = page.prose
        # Neighbours' contributions, shifted into place; the page's ends have their own.
        as_prev: list[W] = [r.as_prev + w_prev_prose if p else r.as_prev for r, p in zip(records, prose, strict=True)]
        as_next: list[W] = [r.as_next + w_next_prose if p else r.as_next for r, p in zip(records, prose, strict=True)]
        from_prev = [w1("prev-edge"), *as_prev[:-1]]
        from_next = [*as_next[1:], w1("next-edge")]
        first = [
            r.own1
            + page_term
            + position_table[bisect_left(_POSITION_BINS, pos)]
            + w_position * pos
            + repeat_table[k if k < 3 else 3]
            + distance_table[bisect_left(_COUNT_BINS, d)]
            + run_table[bisect_left(_COUNT_BINS, sr)]
            + w_prose_near * pn
            + w_prose_around * pa
            + w_log_near * ln
            + fp
            + fn
            for r, pos, k, d, sr, pn, pa, ln, fp, fn in zip(
                records,
                page.positions,
                page.repeats,
                page.prose_distances,
                page.short_runs,
                page.prose_near,
                page.prose_around,
                page.log_words_near,
                from_prev,
                from_next,
                strict=True,
            )
        ]
        return self._with_rare_features(first, page)

    def _with_rare_features(self, first: list[W], page: PageMeasures) -> list[W]:
        """``first`` with the stage 1 features most lines lack, added where they are on."""
        w1 = self._w1
        w_later, w_prose = w1("repeat-later"), w1("prose")
        w_after, w_related = w1("after-comments"), w1("after-related")
        thread_table = self.thread
        unit_words, thread_near = page.unit_words, page.thread_near
        for i, (later, lines, prose, after, related) in enumerate(
            zip(page.later, page.unit_lines, page.prose, page.after_comments, page.after_related, strict=True)
        ):
            if later:
                first[i] += w_later
            if lines > 1:
                first[i] += self.unit_word[bisect_left(_WORD_BINS, unit_words[i])]
                if unit_words[i] >= 4:
                    first[i] += self.unit_stop[bisect_left(_SHARE_BINS, page.unit_stops[i])]
            if prose:
                first[i] += w_prose
            if thread_near[i]:
                first[i] += thread_table[int(thread_near[i] * 11)]
            if after:
                first[i] += w_after
            if related:
                first[i] += w_related
        return first

    def stage2(self, records: Sequence[LineRecord[W]], page: PageMeasures, first: Sequence[float]) -> list[W]:
        """Stage 2's logit of each line: stage 1's logits ``first`` around it and the page's
        main article region."""
        if not records:
            return []
        w2 = self._w2
        n = len(records)
        exp = math.exp
        probabilities = [
            1.0 / (1.0 + exp(-(z if -30.0 <= z <= 30.0 else (30.0 if z > 30.0 else -30.0)))) for z in first
        ]
        # Weigh lines by their length so a long paragraph outweighs a run of menu items; the
        # square root keeps one very long line from swallowing a page.
        region_start, region_end = main_region(
            [(p - 0.5) * r.sqrt_words for p, r in zip(probabilities, records, strict=True)]
        )
        unit_logits = _unit_means(first, page.units)
        words = page.words
        total_words = sum(words) or 1
        prose_words = sum(c for c, p in zip(words, page.prose, strict=True) if p)
        kind_table = self.page_kind[_bin(PAGE_KIND_BINS, prose_words / total_words)]
        window1, window3, window10 = (window_means(probabilities, radius) for radius in (1, 3, 10))
        table1, table3, table10 = self.windows
        score_table = self.score
        w_logit, w_unit = w2("logit"), w2("unit-logit")
        w_prev_p, w_next_p, w_repeated = w2("prev-p"), w2("next-p"), w2("repeated")
        shared = w2("kept-share") * (sum(1 for p in probabilities if p >= 0.5) / n)
        region_terms = self._region_terms(region_start, region_end, n)
        prev_p: list[W] = [w_prev_p * p for p in probabilities[:-1]]
        next_p: list[W] = [w_next_p * p for p in probabilities[1:]]
        from_prev_p = [0.0, *prev_p]
        from_next_p = [*next_p, 0.0]
        return [
            r.own2
            + shared
            + rt
            + score_table[bisect_left(SCORE_BINS, z1)]
            + kind_table[bisect_left(SCORE_BINS, z1)]
            + table1[int(m1 * 5)]
            + table3[int(m3 * 5)]
            + table10[int(m10 * 5)]
            + w_logit * ((z1 if -8.0 <= z1 <= 8.0 else (8.0 if z1 > 8.0 else -8.0)) / 4.0)
            + w_unit * ((u if -8.0 <= u <= 8.0 else (8.0 if u > 8.0 else -8.0)) / 4.0)
            + fp
            + fn
            + (w_repeated if k > 1 else 0.0)
            for r, rt, z1, u, m1, m3, m10, fp, fn, k in zip(
                records,
                region_terms,
                first,
                unit_logits,
                window1,
                window3,
                window10,
                from_prev_p,
                from_next_p,
                page.repeats,
                strict=True,
            )
        ]

    def _region_terms(self, start: int, end: int, n: int) -> list[W]:
        """Each line's stage 2 weight for where it sits against the main region ``[start, end)``."""
        w2, distance2 = self._w2, self.region_distance
        w_in, w_offset = w2("in-region"), w2("region-offset")
        w_before, w_after = w2("before-region"), w2("after-region")
        span = max(1, end - start)
        before = [w_before + distance2[bisect_left(_COUNT_BINS, start - i)] for i in range(start)]
        inside = [w_in + w_offset * ((i - start) / span) + distance2[0] for i in range(start, end)]
        after = [w_after + distance2[bisect_left(_COUNT_BINS, i - end + 1)] for i in range(end, n)]
        return before + inside + after


def _table(weight: Callable[[str], W], names: Sequence[str]) -> list[W]:
    return [weight(name) for name in names]


#: The model whose every weight is its feature's name: its logits are each line's named
#: features (what training reads).
SYMBOLIC: CompiledModel[FeatureVector] = CompiledModel(FeatureVector.of, FeatureVector.of)


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


def _unit_means(logits: Sequence[float], units: Sequence[int]) -> list[float]:
    """Each line's mean logit over its unit."""
    n = len(logits)
    means = list(logits)
    start = 0
    for k in range(1, n + 1):
        if k == n or units[k] != units[start]:
            if k - start > 1:
                mean = sum(logits[start:k]) / (k - start)
                means[start:k] = [mean] * (k - start)
            start = k
    return means


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

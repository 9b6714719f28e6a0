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
from collections.abc import Callable, Sequence
from itertools import compress
from typing import Generic

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
    _COUNT_BINS,
    _POSITION_BINS,
    _SHARE_BINS,
    _WORD_BINS,
    LineShape,
    _bin,
)
from .page_measures import LineRecord, PageMeasures, W, main_region, page_measures, window_means


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

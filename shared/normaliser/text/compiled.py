"""The boilerplate model's fast scoring path: weights folded into tables indexed by bin."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import accumulate
from typing import Any

from .features import (
    _END_NAMES,
    _KIND_NAMES,
    _KIND_SHORT_NAMES,
    _NEIGHBOUR_NAMES,
    _PAGE_KIND_BINS,
    _PAGE_KIND_NAMES,
    _POSITION_NAMES,
    _PROSE_DISTANCE_NAMES,
    _REGION_DISTANCE_NAMES,
    _REPEAT_NAMES,
    _SCORE_BINS,
    _SCORE_NAMES,
    _SHORT_RUN_NAMES,
    _SHORT_STOP_NAMES,
    _STOP_NAMES,
    _THREAD_NAMES,
    _TITLE_NAMES,
    _UNIT_STOP_NAMES,
    _UNIT_WORD_NAMES,
    _WINDOW_NAMES,
    _WORD_NAMES,
    _below_first,
    _window_means,
    main_region,
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

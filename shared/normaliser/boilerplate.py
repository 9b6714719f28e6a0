"""Boilerplate removal for text dumps: which lines of a page are the article.

A text dump is every visible line of a page, menus and footers included. Each non-blank line
is scored by a small two-stage linear model shipped with the package
(``data/boilerplate_model.json``, rebuilt by ``tools/train_boilerplate.py`` from the dev
corpus):

1. *line* stage: the line's own shape (length, function-word share, punctuation, furniture
   phrases from :mod:`normaliser.phrases`, repeats) and its neighbourhood;
2. *context* stage: stage 1's verdicts around the line and the page's main article region
   (the run of lines with the largest total score).

A page has an article when some line's stage-2 logit is above the model's threshold. Those
lines are kept, and with them, decided for the page as a whole (:func:`expected_f1_keep`),
the lines that raise the expected F1 of the page's words: none on a page the model is sure
of, the likelier doubtful lines on an uncertain one (a listing, a comment thread).

Pages are scored through :class:`~normaliser.lines.CompiledModel`, the same weights folded
into tables (the named features are what training reads). Lines the model keeps are the
article; the page's title line goes to the metadata; every other line is recorded with the
reason it was dropped. Cleaning is idempotent: the steps
are repeated until they keep every line they are given (or would drop only a few doubtful
lines, which then stay: see _settled) or the lines left are article-shaped (no furniture
phrase, no link trail, no run of more than three lines that are not sentences: see
_looks_like_article). Each test reads only the lines it is given, so it holds again on the
output, and cleaning an already clean article changes nothing.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from itertools import compress
from pathlib import Path
from typing import Any

from .language import guess_language
from .lines import (
    REC_KIND,
    REC_SEPARATORS,
    REC_TOKENS,
    REC_WORDS,
    CompiledModel,
    Features,
    LineRecord,
    LineStats,
    context_features,
    line_features,
    measure_lines,
    page_context,
    score_context,
)
from .page import Extraction, PageMetadata, RemovedLine
from .stopwords import ALL_STOPWORDS
from .textmeta import find_metadata

MODEL_PATH = Path(__file__).with_name("data") / "boilerplate_model.json"

# Repeating the model on its own output converges in two or three rounds on most pages
# (2.0 rounds a page on the dev corpus, a few eroding pages more); the cap only guards
# against a pathological page, since every round but the last removes at least one line.
_MAX_ROUNDS = 50
# A trail of links that starts at the site's home is a breadcrumb.
_BREADCRUMB_START = re.compile(r"(home|start|startseite|accueil|inicio|início|home ?page|you are here)\b", re.I)
# A line of fewer words is not taken for a sentence by the article-shape check (furniture
# such as "Read more." or "Thanks!" ends with punctuation too).
_MIN_SENTENCE_WORDS = 6
# The article-shape check (_looks_like_article) allows at most this many lines in a row
# that are not sentences (headings, captions, short lists). 3 cut the rounds from 2.59 to
# 2.31 a page with CV F1 unchanged (2 gave 2.37, 4 and 6 cost F1; docs/RESULTS.md).
_MAX_PLAIN_RUN = 3
# A round that would drop only this share of the lines or less, each above this logit,
# drops nothing (see _settled): 2% and -1.0 took the rounds from 2.31 to 2.07 a page and
# the cleaner from 2.85 to 2.61 ms a page (lines already measured), CV F1 within 0.0006.
_SETTLED_SHARE = 0.02
_SETTLED_LOGIT = -1.0
# When the model keeps no line of a page, its best-scoring sentence is kept with the
# neighbours whose logit is within this margin of it (2 is a factor of e^2, about 7, in odds).
_FALLBACK_MARGIN = 2.0
# Records of measured lines kept between pages (about 0.5 KB each: 10 MB at most).
_MAX_REMEMBERED_LINES = 20_000
# Cap on the steps of expected_f1_keep's search; it stops after two to five on real pages.
_MAX_CUT_STEPS = 30
# fill_gaps decides runs of at least this many dropped lines; shorter gaps inside the article
# (a caption, an advertising label, a share line) stay decided line by line. Three scored
# better than one or two on all three training seeds tried (docs/RESULTS.md).
_MIN_GAP_LINES = 3


class _Weights(dict[str, float]):
    """Feature weights; a feature the model never saw weighs nothing."""

    def __missing__(self, name: str) -> float:
        return 0.0


class LinearModel:
    """Logistic regression over named sparse features."""

    def __init__(self, weights: dict[str, float]) -> None:
        self.weights = _Weights(weights)

    def logit(self, features: Features) -> float:
        weights = self.weights
        return sum(map(weights.__getitem__, features.flags)) + sum(
            weights[name] * value for name, value in features.values)


@dataclass(frozen=True)
class BoilerplateModel:
    line: LinearModel
    context: LinearModel
    # A page has an article when some line's logit is above this; without a decoding, the
    # lines above it are the article.
    threshold: float = 0.0
    # (scale, offset): which lines below the threshold join the article, by expected F1 with
    # the probabilities sigmoid(scale * logit + offset) (see expected_f1_keep); both are
    # chosen by cross-validation in the training tool.
    decoding: tuple[float, float] | None = None
    # With a decoding: a run of dropped lines between two kept lines joins the article when
    # its mean logit, weighted by the lines' words, is above this (see fill_gaps); chosen by
    # cross-validation in the training tool. None leaves gaps alone.
    gap: float | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BoilerplateModel:
        decoding = data.get("decoding")
        gap = data.get("gap")
        return cls(LinearModel(dict(data["line"])), LinearModel(dict(data["context"])), float(data["threshold"]),
                   None if decoding is None else (float(decoding["scale"]), float(decoding["offset"])),
                   None if gap is None else float(gap))

    @cached_property
    def compiled(self) -> CompiledModel:
        """Both stages as flat tables, for scoring pages (same logits as :func:`line_logits`)."""
        return CompiledModel(self.line.weights, self.context.weights)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"threshold": self.threshold, "line": self.line.weights, "context": self.context.weights}
        if self.decoding is not None:
            data["decoding"] = {"scale": self.decoding[0], "offset": self.decoding[1]}
        if self.gap is not None:
            data["gap"] = self.gap
        return data


@lru_cache(maxsize=1)
def shipped_model() -> BoilerplateModel:
    """The model that ships in the package (loaded once per process)."""
    return BoilerplateModel.from_json(json.loads(MODEL_PATH.read_text(encoding="utf-8")))


def line_logits(stats: Sequence[LineStats], model: BoilerplateModel) -> tuple[list[float], list[float]]:
    """Stage 1 and stage 2 logits (positive: article) for every measured line."""
    context = page_context(stats)
    first = [model.line.logit(line_features(stats, context, i)) for i in range(len(stats))]
    scores = score_context(stats, first)
    second = [model.context.logit(context_features(stats, scores, first, i)) for i in range(len(stats))]
    return first, second


def expected_f1_keep(logits: Sequence[float], weights: Sequence[float], scale: float, offset: float,
                     threshold: float) -> list[bool]:
    """Which lines to keep for the best expected F1 of the page's words, keeping at least
    the lines whose logit is above ``threshold``.

    A line is article with probability ``p = sigmoid(scale * logit + offset)`` and holds
    ``weight`` words. Keeping a set S of lines scores, in expectation, about
    ``F(S) = 2 * sum(p * w over S) / (sum(w over S) + sum(p * w over all lines))``; the best
    S adds to the lines above the threshold exactly the lines with ``p > F*/2``, F* being
    its own score. So a page the model is sure of keeps just the lines above the threshold,
    and an uncertain page (a listing, a comment thread) adds its likelier lines. F* is found
    by Dinkelbach's iteration: each step keeps the lines above half the last score, which
    scores no lower, and the search stops when the score stops rising (a few passes).

    >>> expected_f1_keep([4.0, 4.0, -1.0, -6.0], [10, 10, 10, 10], 1.0, 0.0, 0.0)
    [True, True, False, False]
    >>> expected_f1_keep([1.0, -0.5, -0.5, -6.0], [10, 10, 10, 10], 1.0, 0.0, 0.0)
    [True, True, True, False]
    """
    exp = math.exp
    probabilities = [1.0 / (1.0 + exp(-(x if -30.0 <= x <= 30.0 else (30.0 if x > 30.0 else -30.0))))
                     for x in [scale * z + offset for z in logits]]
    above = [z > threshold for z in logits]
    masses = [p * w for p, w in zip(probabilities, weights, strict=True)]
    expected = sum(masses)  # the article's expected size in words
    cut = best_cut = 0.5
    if expected > 0:
        best = -1.0
        for _ in range(_MAX_CUT_STEPS):
            on = [a or p > cut for a, p in zip(above, probabilities, strict=True)]
            score = 2.0 * sum(compress(masses, on)) / (sum(compress(weights, on)) + expected)
            if score <= best:
                break
            best, best_cut = score, cut
            cut = score / 2.0
    return [a or p > best_cut for a, p in zip(above, probabilities, strict=True)]


def fill_gaps(keep: Sequence[bool], logits: Sequence[float], weights: Sequence[float], gap: float,
              min_lines: int = _MIN_GAP_LINES) -> list[bool]:
    """``keep`` with each run of at least ``min_lines`` dropped lines that lies between two
    kept lines kept whole when its mean logit, each line weighted by ``weights``, is above ``gap``.

    Lines are decided one by one; a listing, a table or a comment thread inside the article
    (short lines of alike shape, each doubtful alone) is decided as a whole: the run joins
    when it is, on the whole, nearly as likely article as the lines around it. Runs before
    the first kept line and after the last are left alone (there, the same rule costs more
    precision than it gains recall: docs/RESULTS.md).

    >>> fill_gaps([True, False, False, False, True, False], [3.0, -1.0, -1.0, -3.0, 2.0, -1.0],
    ...           [1, 4, 4, 2, 1, 1], -2.0)
    [True, True, True, True, True, False]
    >>> fill_gaps([True, False, False, False, True], [3.0, -1.0, -3.0, -3.0, 2.0], [1, 1, 4, 4, 1], -2.0)
    [True, False, False, False, True]
    """
    out = list(keep)
    n = len(out)
    i = 0
    while i < n and not out[i]:
        i += 1  # before the first kept line
    while i < n:
        if keep[i]:
            i += 1
            continue
        j = i
        while j < n and not keep[j]:
            j += 1
        if j == n:
            break  # after the last kept line
        total = sum(weights[i:j])
        if j - i >= min_lines and sum(z * w for z, w in zip(logits[i:j], weights[i:j], strict=True)) > gap * total:
            out[i:j] = [True] * (j - i)
        i = j
    return out


@dataclass(frozen=True)
class _Round:
    """One pass of the model over some lines: which it keeps and why it drops the rest."""

    kept: list[int]  # line indices
    removed: dict[int, str]  # line index -> reason
    # The kept lines the model is confident of (logit above the threshold), where the
    # metadata is looked for: the lines the expected-F1 choice adds may be furniture around
    # the headline.
    confident: list[int]


def _reason(text: str, record: LineRecord, repeats: int, position: str) -> str:
    """Why a dropped line was dropped: its furniture kind when it has one, else where it sat."""
    kind = record[REC_KIND]
    if kind is not None:
        return str(kind)
    if record[REC_SEPARATORS] >= 2 and record[REC_WORDS] <= 30:
        return "breadcrumb" if _BREADCRUMB_START.match(text) else "link-trail"
    if repeats > 1:
        return "repeated-line"
    return position


def _records(lines: Sequence[str], indices: Sequence[int], model: BoilerplateModel) -> list[LineRecord]:
    """The measured lines. A line's record depends on its text and the model alone, so the
    model keeps the records it made: a line is measured once per process, not once per page
    (menus and footers repeat on every page of a site, and a warm Lambda sees many)."""
    compiled = model.compiled
    cache = compiled.records
    new = [text for text in dict.fromkeys(lines[i] for i in indices) if text not in cache]
    if new:
        # Lines are measured against every language's function words, not the page's
        # guessed language: the guess can change once boilerplate is gone, and cleaning
        # must not.
        for text, shape in zip(new, measure_lines(new, ALL_STOPWORDS), strict=True):
            cache[text] = compiled.record(text, shape)
    return [cache[lines[i]] for i in indices]


def _one_round(lines: Sequence[str], indices: Sequence[int], records: Sequence[LineRecord],
               model: BoilerplateModel) -> _Round:
    if not records:
        return _Round([], {}, [])
    logits, repeats = model.compiled.logits(records)
    threshold = model.threshold
    n = len(records)
    above = _with_layout([z > threshold for z in logits], records)
    confident = None
    if model.decoding is None or True not in above:
        keep = above
    else:
        # The page has an article; which doubtful lines join it is decided for the page as a whole.
        tokens = [record[REC_TOKENS] for record in records]
        keep = _with_layout(expected_f1_keep(logits, tokens, *model.decoding, threshold), records)
        if model.gap is not None:
            # A line without words counts as one word in its run's mean.
            keep = _with_layout(fill_gaps(keep, logits, [max(1, t) for t in tokens], model.gap), records)
        confident = [index for index, on in zip(indices, above, strict=True) if on]
    if True not in keep:
        # Never empty a page that has prose: keep its best-scoring sentence (a line of a few
        # words without a furniture phrase) and the neighbours that score nearly as well, the
        # likeliest article; its best line may be a fragment ("12 results") far from any
        # sentence. A page without one sentence (menus, bylines and counters only) has no
        # article: it comes back empty and the pipeline rejects it with reason "no-article".
        sentences = [i for i in range(n) if _is_wordy_plain(records[i])]
        if not sentences:
            return _Round([], {index: _reason(lines[index], records[i], repeats[i], "no-article")
                               for i, index in enumerate(indices)}, [])
        best = max(sentences, key=lambda i: (logits[i], records[i][REC_WORDS]))
        low = high = best
        while low > 0 and logits[low - 1] >= logits[best] - _FALLBACK_MARGIN:
            low -= 1
        while high < n - 1 and logits[high + 1] >= logits[best] - _FALLBACK_MARGIN:
            high += 1
        keep = [False] * n
        keep[low:high + 1] = [True] * (high + 1 - low)
    if _settled(keep, logits):
        keep = [True] * n
    first_kept = keep.index(True)
    last_kept = n - 1 - keep[::-1].index(True)
    removed = {}
    kept = []
    for i, index in enumerate(indices):
        if keep[i]:
            kept.append(index)
        else:
            position = "before-article" if i < first_kept else ("after-article" if i > last_kept else "within-article")
            removed[index] = _reason(lines[index], records[i], repeats[i], position)
    return _Round(kept, removed, kept if confident is None else confident)


def _settled(keep: Sequence[bool], logits: Sequence[float]) -> bool:
    """Would the model drop only a few doubtful lines: at most ``_SETTLED_SHARE`` of them,
    each with a logit above ``_SETTLED_LOGIT``? Such lines are left in place and the lines are
    taken as they are. Repeating the model on its own output otherwise erodes some long pages
    a few lines a round (each round's context lowering the scores at the edges of what is
    left), for many rounds, without a clear gain (docs/RESULTS.md)."""
    dropped = [z for z, on in zip(logits, keep, strict=True) if not on]
    return 0 < len(dropped) <= _SETTLED_SHARE * len(keep) and min(dropped) > _SETTLED_LOGIT


def _with_layout(keep: list[bool], records: Sequence[LineRecord]) -> list[bool]:
    """``keep`` with the lines without word characters (a rule, a lone bullet) kept only
    between two kept lines: they add no words, but they are part of the article's layout there."""
    n = len(keep)
    for i, record in enumerate(records):
        if record[REC_TOKENS] == 0:
            keep[i] = 0 < i < n - 1 and keep[i - 1] and keep[i + 1]
    return keep


def _is_wordy_plain(record: LineRecord) -> bool:
    """Has the line the words of a sentence and no furniture phrase (punctuation aside)?"""
    return record[REC_WORDS] >= _MIN_SENTENCE_WORDS and record[REC_KIND] is None


def _is_sentence(record: LineRecord) -> bool:
    """Is the line a sentence of a few words with no furniture phrase in it?"""
    _, _, _, _, _, sentence_end, _, colon_end, *_ = record[:18]
    return sentence_end and not colon_end and _is_wordy_plain(record)


def _looks_like_article(records: Sequence[LineRecord]) -> bool:
    """Is every line article-shaped? No line holds a furniture phrase or a trail of links,
    and the lines that are not sentences (a heading, a caption, a short list) come in runs of
    at most ``_MAX_PLAIN_RUN`` between sentences. Menus, link lists and footers fail this."""
    run = 0
    for record in records:
        if _is_sentence(record):
            run = 0
            continue
        if record[REC_KIND] is not None or record[REC_SEPARATORS] >= 2:
            return False
        run += 1
        if run > _MAX_PLAIN_RUN:
            return False
    return True


def strip_boilerplate(text: str, model: BoilerplateModel | None = None) -> Extraction:
    """The article lines of a text dump, the removed lines with reasons, and the metadata."""
    model = model or shipped_model()
    lines = text.split("\n")
    language = guess_language(text)
    indices = [i for i, line in enumerate(lines) if line]
    reasons: dict[int, str] = {}
    metadata: tuple[PageMetadata, frozenset[int]] | None = None
    for _ in range(_MAX_ROUNDS):
        records = _records(lines, indices, model)
        if _looks_like_article(records):
            # Nothing here looks like furniture (see _looks_like_article). Such a text is
            # already an article (the clean text of one, typically) and keeps every line.
            # A page's own output often is: it is then not scored again just to find that
            # the model removes nothing, and a page whose kept region erodes round after
            # round stops once what is left has the shape of an article.
            break
        step = _one_round(lines, indices, records, model)
        reasons.update(step.removed)
        indices = step.kept
        if metadata is None:
            # Metadata is read once, from the whole page and the first verdict on where the
            # article is (the lines the model is confident of): the headline and byline sit
            # just above it.
            metadata = find_metadata(lines, step.confident, language)
        if not step.removed:
            break
    page_metadata, title_lines = metadata or find_metadata(lines, indices, language)
    if len(model.compiled.records) > _MAX_REMEMBERED_LINES:
        model.compiled.records.clear()  # bounded between pages; simpler than an LRU
    kept = set(indices)
    for index in title_lines:
        # The title line is named as such, but only among the lines the model dropped:
        # a headline the model kept is part of the article, and leaving it there keeps
        # cleaning idempotent (the clean text has no duplicate or suffixed title to find).
        if index not in kept:
            reasons[index] = "title"
    # Positions among the non-blank lines (the lines judged), not in ``lines``: the kept
    # article has no blank lines, so only these positions let a reader interleave the two.
    position = {index: n for n, index in enumerate(i for i, line in enumerate(lines) if line)}
    removed = tuple(RemovedLine(lines[i], reasons[i], position[i]) for i in sorted(reasons) if i not in kept)
    return Extraction(
        paragraphs=tuple(lines[i] for i in indices),
        removed=removed,
        metadata=replace(page_metadata, language=language),
    )


def clean_text_dump(text: str) -> Extraction:
    """Boilerplate removal and metadata for a whitespace-normalised text dump."""
    return strip_boilerplate(text)


"""Boilerplate removal for text dumps: which lines of a page are the article.

A text dump is every visible line of a page, menus and footers included. Each non-blank line
is scored by a small two-stage linear model shipped with the package
(``data/boilerplate_model.json``, rebuilt by ``tools/train_boilerplate.py`` from the dev
corpus):

1. *line* stage: the line's own shape (length, function-word share, punctuation, furniture
   phrases from :mod:`normaliser.meta.phrases`, repeats) and its neighbourhood;
2. *context* stage: stage 1's verdicts around the line and the page's main article region
   (the run of lines with the largest total score).

A page has an article when some line's stage-2 logit is above the model's threshold. Those
lines are kept, and with them, decided for the page as a whole (:func:`expected_f1_keep`),
the lines that raise the expected F1 of the page's words: none on a page the model is sure
of, the likelier doubtful lines on an uncertain one (a listing, a comment thread).

Pages are scored through :class:`~normaliser.text.compiled.CompiledModel`, the same weights folded
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

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from normaliser.meta.stopwords import ALL_STOPWORDS
from normaliser.page import Extraction, PageMetadata, RemovedLine

from .compiled import REC_KIND, REC_SEPARATORS, REC_TOKENS, REC_WORDS, LineRecord
from .language import guess_language
from .measure import measure_lines
from .metadata import find_metadata
from .model import BoilerplateModel, expected_f1_keep, fill_gaps, shipped_model

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


@dataclass(frozen=True)
class CleanerLimits:
    """Bounds on what the cleaner keeps between pages (tests swap ``LIMITS`` for a smaller one)."""

    # Records of measured lines kept between pages, in a process that cleans many pages:
    # only lines of up to 200 characters (the menus and footers that repeat across a site's
    # pages), at most 20,000 of them: with their records, about 30 MB at the very most.
    max_remembered_lines: int = 20_000
    max_remembered_chars: int = 200


LIMITS = CleanerLimits()


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
    page_only: dict[str, LineRecord] = {}  # long lines: prose, measured but not remembered
    new = [text for text in dict.fromkeys(lines[i] for i in indices) if text not in cache]
    if new:
        # Lines are measured against every language's function words, not the page's
        # guessed language: the guess can change once boilerplate is gone, and cleaning
        # must not.
        for text, shape in zip(new, measure_lines(new, ALL_STOPWORDS), strict=True):
            (cache if len(text) <= LIMITS.max_remembered_chars else page_only)[text] = compiled.record(text, shape)
    return [page_only.get(lines[i]) or cache[lines[i]] for i in indices]


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
    if len(model.compiled.records) > LIMITS.max_remembered_lines:
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

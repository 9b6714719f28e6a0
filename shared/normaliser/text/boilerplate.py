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

Pages are scored through :class:`~normaliser.text.compiled.CompiledModel`, the weights folded
into tables (training reads the named features from the same code). Lines the model keeps are the
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

from .language import guess_language
from .measure import measure_lines
from .metadata import find_metadata
from .model import BoilerplateModel, expected_f1_keep, fill_gaps, shipped_model
from .page_measures import LineRecord

# A trail of links that starts at the site's home is a breadcrumb.
_BREADCRUMB_START = re.compile(r"(home|start|startseite|accueil|inicio|início|home ?page|you are here)\b", re.I)


@dataclass(frozen=True)
class CleanerConfig:
    """The cleaner's tuning: how it repeats the model, what it takes for an article, and
    what it keeps between pages."""

    # Repeating the model on its own output converges in a few rounds; the cap only guards
    # against a pathological page, since every round but the last removes at least one line.
    max_rounds: int = 50
    # The article-shape check (_looks_like_article) allows at most this many lines in a row
    # that are not sentences (headings, captions, short lists): fewer rounds a page at the
    # same F1, where fewer lines cost rounds and more cost F1 (docs/RESULTS.md).
    max_plain_run: int = 3
    # A round that would drop only this share of the lines or less, each above this logit,
    # drops nothing (see _settled): fewer rounds and a faster cleaner at the same F1
    # (docs/RESULTS.md).
    settled_share: float = 0.02
    settled_logit: float = -1.0
    # When the model keeps no line of a page, its best-scoring sentence is kept with the
    # neighbours whose logit is within this margin of it (2 is a factor of e^2, about 7, in odds).
    fallback_margin: float = 2.0
    # A line of fewer words is not taken for a sentence by the article-shape check (furniture
    # such as "Read more." or "Thanks!" ends with punctuation too).
    min_sentence_words: int = 6
    # Records of measured lines kept between pages, in a process that cleans many pages:
    # only lines of up to max_remembered_chars (the menus and footers that repeat across a
    # site's pages), at most max_remembered_lines of them, which bounds their memory.
    max_remembered_lines: int = 20_000
    max_remembered_chars: int = 200


CLEANER = CleanerConfig()


@dataclass(frozen=True)
class _Round:
    """One pass of the model over some lines: which it keeps and why it drops the rest."""

    kept: list[int]  # line indices
    removed: dict[int, str]  # line index -> reason
    # The kept lines the model is confident of (logit above the threshold), where the
    # metadata is looked for: the lines the expected-F1 choice adds may be furniture around
    # the headline.
    confident: list[int]


def _reason(text: str, record: LineRecord[float], repeats: int, position: str) -> str:
    """Why a dropped line was dropped: its furniture kind when it has one, else where it sat."""
    shape = record.shape
    if shape.kind is not None:
        return shape.kind
    if shape.separators >= 2 and shape.words <= 30:
        return "breadcrumb" if _BREADCRUMB_START.match(text) else "link-trail"
    if repeats > 1:
        return "repeated-line"
    return position


def _records(
    lines: Sequence[str], indices: Sequence[int], model: BoilerplateModel, config: CleanerConfig
) -> list[LineRecord[float]]:
    """The measured lines. A line's record depends on its text and the model alone, so the
    model keeps the records it made: a line is measured once per process, not once per page
    (menus and footers repeat on every page of a site, and a warm Lambda sees many)."""
    compiled = model.compiled
    cache = compiled.records
    page_only: dict[str, LineRecord[float]] = {}  # long lines: prose, measured but not remembered
    new = [text for text in dict.fromkeys(lines[i] for i in indices) if text not in cache]
    if new:
        # Lines are measured against every language's function words, not the page's
        # guessed language: the guess can change once boilerplate is gone, and cleaning
        # must not.
        for text, shape in zip(new, measure_lines(new, ALL_STOPWORDS), strict=True):
            (cache if len(text) <= config.max_remembered_chars else page_only)[text] = compiled.record(text, shape)
    return [page_only.get(lines[i]) or cache[lines[i]] for i in indices]


def _one_round(
    lines: Sequence[str],
    indices: Sequence[int],
    records: Sequence[LineRecord[float]],
    model: BoilerplateModel,
    config: CleanerConfig,
) -> _Round:
    if not records:
        return _Round([], {}, [])
    logits, repeats = model.compiled.logits(records)
    keep, confident = _decide(indices, records, logits, model)
    if True not in keep:
        fallback = _fallback(records, logits, config)
        if fallback is None:
            return _Round(
                [],
                {index: _reason(lines[index], records[i], repeats[i], "no-article") for i, index in enumerate(indices)},
                [],
            )
        keep = fallback
    if _settled(keep, logits, config):
        keep = [True] * len(keep)
    first_kept = keep.index(True)
    last_kept = len(keep) - 1 - keep[::-1].index(True)
    removed = {}
    kept = []
    for i, index in enumerate(indices):
        if keep[i]:
            kept.append(index)
        else:
            position = "before-article" if i < first_kept else ("after-article" if i > last_kept else "within-article")
            removed[index] = _reason(lines[index], records[i], repeats[i], position)
    return _Round(kept, removed, kept if confident is None else confident)


def _decide(
    indices: Sequence[int], records: Sequence[LineRecord[float]], logits: Sequence[float], model: BoilerplateModel
) -> tuple[list[bool], list[int] | None]:
    """Which lines the model keeps, and, when it decodes, the kept lines it is confident of
    (None: all the kept lines)."""
    threshold = model.threshold
    above = _with_layout([z > threshold for z in logits], records)
    if model.decoding is None or True not in above:
        return above, None
    # The page has an article; which doubtful lines join it is decided for the page as a whole.
    tokens = [record.shape.tokens for record in records]
    keep = _with_layout(expected_f1_keep(logits, tokens, *model.decoding, threshold), records)
    if model.gap is not None:
        # A line without words counts as one word in its run's mean.
        keep = _with_layout(fill_gaps(keep, logits, [max(1, t) for t in tokens], model.gap), records)
    return keep, [index for index, on in zip(indices, above, strict=True) if on]


def _fallback(
    records: Sequence[LineRecord[float]], logits: Sequence[float], config: CleanerConfig
) -> list[bool] | None:
    """What a page the model keeps nothing of keeps; None when it has no article.

    Never empty a page that has prose: keep its best-scoring sentence (a line of a few words
    without a furniture phrase) and the neighbours that score nearly as well, the likeliest
    article; its best line may be a fragment ("12 results") far from any sentence. A page
    without one sentence (menus, bylines and counters only) has no article: it comes back
    empty and the pipeline rejects it with reason "no-article"."""
    n = len(records)
    sentences = [i for i in range(n) if _is_wordy_plain(records[i], config)]
    if not sentences:
        return None
    best = max(sentences, key=lambda i: (logits[i], records[i].shape.words))
    floor = logits[best] - config.fallback_margin
    low = high = best
    while low > 0 and logits[low - 1] >= floor:
        low -= 1
    while high < n - 1 and logits[high + 1] >= floor:
        high += 1
    keep = [False] * n
    keep[low : high + 1] = [True] * (high + 1 - low)
    return keep


def _settled(keep: Sequence[bool], logits: Sequence[float], config: CleanerConfig) -> bool:
    """Would the model drop only a few doubtful lines: at most ``config.settled_share`` of
    them, each with a logit above ``config.settled_logit``? Such lines are left in place and
    the lines are taken as they are. Repeating the model on its own output otherwise erodes
    some long pages a few lines a round (each round's context lowering the scores at the
    edges of what is left), for many rounds, without a clear gain (docs/RESULTS.md)."""
    dropped = [z for z, on in zip(logits, keep, strict=True) if not on]
    return 0 < len(dropped) <= config.settled_share * len(keep) and min(dropped) > config.settled_logit


def _with_layout(keep: list[bool], records: Sequence[LineRecord[float]]) -> list[bool]:
    """``keep`` with the lines without word characters (a rule, a lone bullet) kept only
    between two kept lines: they add no words, but they are part of the article's layout there."""
    n = len(keep)
    for i, record in enumerate(records):
        if record.shape.tokens == 0:
            keep[i] = 0 < i < n - 1 and keep[i - 1] and keep[i + 1]
    return keep


def _is_wordy_plain(record: LineRecord[float], config: CleanerConfig) -> bool:
    """Has the line the words of a sentence and no furniture phrase (punctuation aside)?"""
    return record.shape.words >= config.min_sentence_words and record.shape.kind is None


def _is_sentence(record: LineRecord[float], config: CleanerConfig) -> bool:
    """Is the line a sentence of a few words with no furniture phrase in it?"""
    shape = record.shape
    return shape.sentence_end and not shape.colon_end and _is_wordy_plain(record, config)


def _looks_like_article(records: Sequence[LineRecord[float]], config: CleanerConfig) -> bool:
    """Is every line article-shaped? No line holds a furniture phrase or a trail of links,
    and the lines that are not sentences (a heading, a caption, a short list) come in runs of
    at most ``config.max_plain_run`` between sentences. Menus, link lists and footers fail this."""
    run = 0
    for record in records:
        if _is_sentence(record, config):
            run = 0
            continue
        if record.shape.kind is not None or record.shape.separators >= 2:
            return False
        run += 1
        if run > config.max_plain_run:
            return False
    return True


def strip_boilerplate(text: str, model: BoilerplateModel | None = None, config: CleanerConfig = CLEANER) -> Extraction:
    """The article lines of a text dump, the removed lines with reasons, and the metadata."""
    model = model or shipped_model()
    lines = text.split("\n")
    language = guess_language(text)
    indices, reasons, metadata = _clean(lines, language, model, config)
    page_metadata, title_lines = metadata or find_metadata(lines, indices, language)
    if len(model.compiled.records) > config.max_remembered_lines:
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


def _clean(
    lines: Sequence[str], language: str | None, model: BoilerplateModel, config: CleanerConfig
) -> tuple[list[int], dict[int, str], tuple[PageMetadata, frozenset[int]] | None]:
    """The model's rounds over a page: the lines kept, why each dropped line was dropped,
    and the metadata read after the first round (None when no round ran)."""
    indices = [i for i, line in enumerate(lines) if line]
    reasons: dict[int, str] = {}
    metadata: tuple[PageMetadata, frozenset[int]] | None = None
    for _ in range(config.max_rounds):
        records = _records(lines, indices, model, config)
        if _looks_like_article(records, config):
            # Nothing here looks like furniture (see _looks_like_article). Such a text is
            # already an article (the clean text of one, typically) and keeps every line.
            # A page's own output often is: it is then not scored again just to find that
            # the model removes nothing, and a page whose kept region erodes round after
            # round stops once what is left has the shape of an article.
            break
        step = _one_round(lines, indices, records, model, config)
        reasons.update(step.removed)
        indices = step.kept
        if metadata is None:
            # Metadata is read once, from the whole page and the first verdict on where the
            # article is (the lines the model is confident of): the headline and byline sit
            # just above it.
            metadata = find_metadata(lines, step.confident, language)
        if not step.removed:
            break
    return indices, reasons, metadata


def clean_text_dump(text: str, config: CleanerConfig = CLEANER) -> Extraction:
    """Boilerplate removal and metadata for a whitespace-normalised text dump."""
    return strip_boilerplate(text, config=config)

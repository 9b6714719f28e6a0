"""The headline of a text dump, chosen among the lines above the article.

A dump has no ``<title>`` tag: the headline is the line above the article that shares its
words (often shown once more in a breadcrumb, a share prompt or with the site's name after
a separator). Candidates (:func:`normaliser.text.header.candidates`) are scored by
hand-set weights (:class:`normaliser.text.settings.HeadlineWeights`), first by the line
alone (:func:`_line_score`), then by the lines around it (:func:`_context_score`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from normaliser.meta import phrases
from normaliser.meta.dates import parse_date
from normaliser.meta.names import _BYLINE, _BYLINE_WORD_ONLY, _clean_name, _looks_like_person, _starts_with_byline_word
from normaliser.meta.stopwords import ALL_STOPWORDS, STOPWORDS

from . import settings
from .header import (
    CJK,
    UNDER_HEADLINE,
    WORD,
    body_start,
    candidates,
    could_be_headline,
    is_body_line,
    is_credit,
    is_paragraph,
    nonblank_above,
    nonblank_below,
    title_length,
)
from .site_name import split_site_name

# Two sentences run together by the dump (a caption and its credit: "...at the harbour
# wall.Ada Lovelace / Harbour Gazette"), or a credit after a slash.
_RUN_TOGETHER = re.compile(r"[a-z]\.[A-Z][a-z]|\s/\s*[A-Z][\w ]*$")
# A quotation from the article used as a standfirst: "“It will take two years,” X said".
_QUOTE_LEAD = re.compile(
    r"^[\"“„«‘'].*[,.!?][\"”“»’']\s*(?:\w+\s+){0,6}(?:said|says|told|sagte|a dit|dijo|disse)\b", re.I
)
# A teaser cut short, or a sentence followed by another in the same line.
_TEASER = re.compile(r"(?:\.\.\.|…)\s*$|[a-z]{2}[.!?]\s+[A-Z]")
# The separators of a byline or dateline's parts ("Ada Lovelace · Courier · Posted: 3 May").
# A separator starts only where a run of spaces does ("(?<!\s)"): tried from inside the run,
# it would rescan the rest of it.
_DATELINE_PARTS = re.compile(r"(?<!\s)\s+[·|•]\s+")

# Words are compared by their first five letters, so that "rebuilding" in a headline
# meets "rebuilt" in the article (a crude stem that costs nothing). A fact of the regular
# expression below, not a setting.
_STEM = 5
# The stems of a line's words of three letters or more.
_STEMS = re.compile(rf"\b(\w{{3,{_STEM}}})\w*")


@cache
def _stopword_stems(language: str | None) -> frozenset[str]:
    return frozenset(word[:_STEM] for word in STOPWORDS.get(language or "", ALL_STOPWORDS))


@dataclass(frozen=True)
class PageHeader:
    """What scoring a candidate headline needs, computed once a page (or once a line)."""

    lines: Sequence[str]
    #: Where the headline is looked for above: the first article line and the body's start.
    anchors: tuple[int, ...]
    article_words: frozenset[str]
    article_head: str
    window_text: str
    stopwords: frozenset[str]
    #: The article's first line of running text, if any: a line under it is inside the article.
    first_prose: int | None
    _marks: dict[int, bool] = field(default_factory=dict)
    _overlaps: dict[int, float] = field(default_factory=dict)
    _text: list[str] = field(default_factory=list)

    def text(self) -> str:
        """The whole page as one string (made on first use: most pages never need it)."""
        if not self._text:
            self._text.append("\n".join(self.lines))
        return self._text[0]

    def marks(self, index: int) -> bool:
        """Is the line one that goes under a headline: a byline, a date, a name, "3 min read"?"""
        found = self._marks.get(index)
        if found is None:
            text = self.lines[index]
            found = self._marks[index] = bool(
                (_starts_with_byline_word(text) and (_BYLINE.match(text) or _BYLINE_WORD_ONLY.match(text)))
                or UNDER_HEADLINE.match(text)
                or _looks_like_person(text)
                or (len(text) < 60 and parse_date(text))
            )
        return found

    def overlap(self, index: int) -> float:
        """The share of a line's content words found in the article's opening, 0 to 1; a line
        of fewer than four content words (a section name, a person) overlaps by chance, so
        its share counts in proportion."""
        found = self._overlaps.get(index)
        if found is None:
            text = self.lines[index]
            chars = CJK.findall(text)
            if chars:
                found = sum(1 for char in chars if char in self.article_head) / len(chars)
            else:
                content = set(_STEMS.findall(text.casefold())) - self.stopwords
                found = (
                    len(content & self.article_words) / len(content) * min(1.0, len(content) / 4) if content else 0.0
                )
            self._overlaps[index] = found
        return found


def read_header(lines: Sequence[str], article: Sequence[int], language: str | None) -> PageHeader:
    """The header of a page with article lines ``article`` (not empty), ready for scoring."""
    body = body_start(lines, article)
    anchors = tuple(sorted({article[0], body}))
    head = "\n".join(lines[i] for i in article[:200] if i >= body)[: settings.METADATA.article_chars]
    return PageHeader(
        lines=lines,
        anchors=anchors,
        article_words=frozenset(_STEMS.findall(head.casefold())),
        article_head=head,
        # About as many lines as the headline window holds non-blank ones (most dumps
        # alternate text and blank lines), for spotting a headline shown twice.
        window_text="\n".join(lines[max(0, anchors[0] - 3 * settings.METADATA.title_lines_above) : anchors[-1] + 1]),
        stopwords=_stopword_stems(language),
        first_prose=next((i for i in article[:200] if is_body_line(lines[i])), None),
    )


@dataclass(frozen=True)
class HeadlineCandidate:
    index: int
    headline: str
    site: str | None
    #: The score from the line alone; context can add at most ``max_context_bonus`` to it.
    score: float


def best_headline(header: PageHeader) -> HeadlineCandidate | None:
    """The best headline among the header's candidates, if any scores ``min_score``."""
    found = candidates(header.lines, header.anchors)
    near = sorted(found.items(), key=lambda item: -_closeness_score(header, *item))
    shaped = [
        candidate
        for index, distance in near[: settings.METADATA.title_shortlist]
        if (candidate := _line_score(header, index, distance)) is not None
    ]
    # Best first by the line's own score, so that the context (the costlier part) is read
    # only for lines that could still win.
    shaped.sort(key=lambda candidate: (-candidate.score, candidate.index))
    best: tuple[float, HeadlineCandidate] | None = None
    for candidate in shaped:
        floor = best[0] if best is not None else settings.WEIGHTS.min_score
        if candidate.score + settings.WEIGHTS.max_context_bonus < floor:
            break
        score = _context_score(header, candidate)
        if score >= floor and (best is None or score > best[0]):
            best = (score, candidate)
    return best[1] if best is not None else None


def _closeness_score(header: PageHeader, index: int, distance: int) -> float:
    """The words a line shares with the article, and how close above it the line sits."""
    weights = settings.WEIGHTS
    return weights.overlap * header.overlap(index) + weights.near / (1.0 + distance / 4.0)


def _line_score(header: PageHeader, index: int, distance: int) -> HeadlineCandidate | None:
    """How much a line looks like a headline by itself, or ``None`` if it cannot be one."""
    line = header.lines[index]
    cjk = bool(CJK.search(line))
    headline, site = split_site_name(line)
    words = WORD.findall(headline)
    length = len(CJK.findall(headline)) // 2 if cjk else len(words)
    if not _may_be_headline(headline, words, length, cjk) or _is_dateline(line):
        return None
    score = _closeness_score(header, index, distance)
    if site is not None:
        score += settings.WEIGHTS.site
    score = _add_length_score(score, length)
    score = _add_wording_score(score, headline, words, length, cjk)
    if length > settings.METADATA.long_title_words:
        score += settings.WEIGHTS.long_word * (length - settings.METADATA.long_title_words)
    return HeadlineCandidate(index, headline, site, score)


def _may_be_headline(headline: str, words: Sequence[str], length: int, cjk: bool) -> bool:
    """Can the line (its site's name split off) be a headline at all: a few words, not
    furniture, not a date, not a picture's credit?"""
    if not 2 <= length <= settings.METADATA.max_title_words:
        return False
    if not cjk and sum(1 for word in words if len(word) >= 3 and not word.isdigit()) < 2:
        return False
    if phrases.WHOLE_LINE.get(phrases.phrase_key(headline)) is not None or phrases.LINE_START.match(
        headline.casefold()
    ):
        return False
    if length <= settings.METADATA.max_date_words and parse_date(headline) is not None:
        return False
    return not is_credit(headline)


def _is_dateline(line: str) -> bool:
    """Is the line a byline or dateline of parts, one of them a date or "Updated"? Such a
    line shares the article's words (its author, its section) and sits right over it.

    >>> _is_dateline("Ada Lovelace · Island Courier · Posted: May 3, 2024 8:25 AM")
    True
    >>> _is_dateline("Ferry fares rise again | What the new timetable means")
    False
    """
    if ("·" not in line and "|" not in line and "•" not in line) or not _DATELINE_PARTS.search(line):
        return False
    return any(
        title_length(part) <= settings.METADATA.max_date_words
        and (UNDER_HEADLINE.match(part) or parse_date(part) is not None)
        for part in _DATELINE_PARTS.split(line)
    )


def _add_length_score(score: float, length: int) -> float:
    """``score`` with the weight of a headline's usual length, or of a two-word line."""
    if 5 <= length <= settings.METADATA.long_title_words:
        return score + settings.WEIGHTS.headline_length
    if length == 2:
        return score + settings.WEIGHTS.two_words
    return score


def _add_wording_score(score: float, headline: str, words: Sequence[str], length: int, cjk: bool) -> float:
    """``score`` with the weights of how the line is written: run together, a quotation, a
    teaser, title case, capitals, a lower-case start."""
    weights = settings.WEIGHTS
    if ("." in headline or "/" in headline) and _RUN_TOGETHER.search(headline):
        score += weights.run_together
    if _QUOTE_LEAD.match(headline):
        score += weights.quote
    if ("." in headline or "…" in headline or "!" in headline or "?" in headline) and _TEASER.search(headline):
        score += weights.teaser
    if not cjk and length >= 3 and sum(1 for word in words if word[:1].isupper()) * 2 >= length:
        score += weights.title_case
    if headline.isupper():
        score += weights.upper
    if headline[:1].islower():
        score += weights.lower_start
    return score


def _context_score(header: PageHeader, candidate: HeadlineCandidate) -> float:
    """What the lines around a candidate say about it: a byline or date under it, a
    standfirst or byline above it, the same line elsewhere on the page."""
    weights = settings.WEIGHTS
    lines, index = header.lines, candidate.index
    score = candidate.score
    if header.window_text.count(candidate.headline) > 1 or header.text().count(lines[index]) > 1:
        score += weights.repeated
    above_three = nonblank_above(lines, index, 3)
    above = above_three[:2]
    follows_prose = any(
        header.overlap(i) >= weights.strong_overlap
        and title_length(lines[i]) >= 5
        and candidate.headline not in lines[i]
        for i in above
    )  # (a breadcrumb ending in the headline is no standfirst)
    if follows_prose:
        score += weights.follows_prose
    below = nonblank_below(lines, index, 3)
    if below and header.marks(below[0]):
        score += weights.mark_next
    elif not follows_prose and any(header.marks(i) for i in below[1:]):
        # (a byline or date a few lines under a standfirst is its headline's, above it)
        score += weights.mark_near
    if above and is_paragraph(lines[above[0]]):
        score += weights.after_paragraph
    if header.first_prose is not None and index > header.first_prose:
        score += weights.below_prose
    if _in_list(header, above, below):
        score += weights.list_item
    # Right under "By", "Author:" or a name: the byline's name or role (a role is short; a
    # longer line under a name, as a headline under its author's, is not penalised). Two or
    # three lines under "By X": an agency's name, a wire slug (the headline is above the byline).
    over = lines[above[0]] if above else ""
    if (
        (_starts_with_byline_word(over) and (_BYLINE_WORD_ONLY.match(over) or _BYLINE.match(over)))
        or (_looks_like_person(over) and title_length(candidate.headline) < 5)
        or any(_is_byline(lines[i]) for i in above_three[1:])
    ):
        score += weights.under_byline
    if (
        _looks_like_person(candidate.headline)
        and not (below and _is_byline(lines[below[0]]))
        and header.overlap(index) < weights.subject_overlap
    ):
        score += weights.person  # (a name is not what stands over "By" and another name)
    return score


def _in_list(header: PageHeader, above: Sequence[int], below: Sequence[int]) -> bool:
    """Is the line between entries of a list: one right above, one right under and a third
    next to either?"""
    return (
        bool(above and below)
        and _is_list_entry(header, above[0])
        and _is_list_entry(header, below[0])
        and any(_is_list_entry(header, near[1]) for near in (above, below) if len(near) > 1)
    )


def _is_list_entry(header: PageHeader, index: int) -> bool:
    """Could the line be an entry of a list about the article's subject (a table of contents,
    related pages): shaped as a headline could be, no byline or date, sharing the article's words?"""
    return could_be_headline(header.lines, index) and not header.marks(index) and header.overlap(index) > 0


def _is_byline(line: str) -> bool:
    """Does the line open with a byline word and a name ("By Ada Lovelace", "Written by X")?"""
    return (
        _starts_with_byline_word(line)
        and (match := _BYLINE.match(line)) is not None
        and _clean_name(match.group("name")) is not None
    )

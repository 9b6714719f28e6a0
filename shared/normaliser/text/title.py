"""The headline of a text dump, read from the lines above the article.

A dump has no ``<title>`` tag: the headline is the line above the article that shares its
words (often shown once more in a breadcrumb, a share prompt or with the site's name after
a separator). Candidates are scored by hand-set weights; see :func:`_line_score`.
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

_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")

# Separators between a headline and the site's name in a title line.
# Separators that may start with spaces start only where a run of spaces does ("(?<!\s)"):
# tried from inside the run, each would rescan the rest of it.
_PREFIX_SEPARATOR = re.compile(r"(?<!\s)\s*[|｜»]")
_SEPARATOR_CHARS = "|–—·»:~-_｜"
_SECTION_SEPARATOR = re.compile(r"(?<!\s)\s*[|｜»]\s*")
_TITLE_SEPARATOR = re.compile(r"(?<!\s)(?:\s+[|–—·»:~]\s+|\s+-\s+|\s*[_｜|]\s*|\s+::\s+)")

# How far above the article the headline may sit, in non-blank lines. On the dev pages it
# sits at most 12 lines above the first article line (median 4), but some pages put a photo
# gallery, a table of contents or a share bar of 20-35 lines in between.
_TITLE_LINES_ABOVE = 40
# Lines of the article's start that may still be the headline (the model often keeps it).
_TITLE_LINES_INSIDE = 3
# A run of article lines is "the body" when it holds this many lines of this many words;
# the model's first kept line is sometimes a stray caption or teaser far above the body.
_BODY_RUN = 3
_BODY_LINE_WORDS = 12
# The byline sits within this many non-blank lines under the headline (the dev pages put
# share buttons, a standfirst and a picture caption in between; one puts 14 share buttons),
# or above it (a name with "3 min read" under it, over the headline).
_BYLINE_LINES_BELOW = 20
_BYLINE_LINES_ABOVE = 16
# A bare name (no "By") is taken for the author only this close under the headline.
_NAME_LINES_BELOW = 6
# The dateline sits closer: dates further down are in captions, teasers and comments.
_DATE_LINES_BELOW = 13
_DATE_LINES_ABOVE = 2
# Headlines on the dev pages run 3-16 words; longer lines are penalised per extra word.
_LONG_TITLE_WORDS = 16
_MAX_TITLE_WORDS = 30
# A one-word line near an article is a menu item or a section's name.
_MIN_TITLE_WORDS = 2
# A line of this many words that ends as a sentence is a paragraph.
_PARAGRAPH_WORDS = 20
# Articles may open a site's name ("The Island Courier"); other function words may not.
_ARTICLES = frozenset(("the", "a", "la", "le", "les", "el", "los", "las", "der", "die", "das", "il", "lo", "de", "het",
                       "o", "os"))
# A site name after a headline is short: at most this many words.
_MAX_SITE_WORDS = 5
# Only so much of the article is read for the words a headline shares with it.
_ARTICLE_CHARS = 2000
# The copyright footer is among the page's last lines.
_FOOTER_LINES = 100
# A copyright line may run on with a notice ("© 2021 Island Media. No part of this page…").
_MAX_COPYRIGHT_LINE = 300
_MIN_TITLE_SCORE = 1.0
_CLOSERS = "'\"’”»)]"
_SENTENCE_END = frozenset(".。:,;")
# Lines scored in full as headlines: the best by their overlap with the article and
# closeness to it (on the dev pages the headline ranks at most 5th by that measure).
_TITLE_SHORTLIST = 8
_BULLETS = frozenset("+•*·►▪-–—#|></(")


# "3 min read", "Updated" and the like under a headline: signs that the line above is one.
_UNDER_HEADLINE = re.compile(r"^\d+\s*(?:min|minute|minutes|mins)\b|^(?:updated|published|posted|veröffentlicht|"
                             r"publié|publicado|pubblicato|aktualisiert|mis à jour|actualizado|atualizado)\b|"
                             # the time since publication: "1 day ago", "vor 2 Stunden", "il y a 3 heures"
                             r"^\d+\s+\w+\s+ago$|^(?:vor|il y a|hace|há)\s+\d+\s+\w+$", re.I)


def split_site_name(line: str) -> tuple[str, str | None]:
    """A title line's headline and the site name after a separator, if any. A name before
    the headline ("Local | Ferry fares…") is the section's, not the site's: it is dropped.

    >>> split_site_name("Ferry fares rise again this spring — The Island Courier")
    ('Ferry fares rise again this spring', 'The Island Courier')
    >>> split_site_name("Ferry Fares — What the New Timetable Means for Commuters")
    ('Ferry Fares — What the New Timetable Means for Commuters', None)
    >>> split_site_name("Local | Ferry fares rise again this spring")
    ('Ferry fares rise again this spring', None)
    """
    if not any(char in line for char in _SEPARATOR_CHARS):
        return line, None  # most lines: no need for the regular expression
    parts = _TITLE_SEPARATOR.split(line)
    if len(parts) < 2:
        return line, None
    site = parts[-1]
    headline = line[: line.rfind(site)].strip(" |–—·»:~_｜-")
    if _looks_like_site(site) and _headline_sized(headline):
        return headline, site.strip()
    if _PREFIX_SEPARATOR.match(line[len(parts[0]):]):
        # Sections before the headline ("Home » Local » Headline") only after bars or
        # guillemets: with a dash, the first part is as likely the headline's own first half.
        sections = _SECTION_SEPARATOR.split(line)
        headline = sections[-1].strip()
        if all(_looks_like_site(part) for part in sections[:-1]) and _headline_sized(headline):
            return headline, None
    return line, None


def _title_length(text: str) -> int:
    """Words in a line, counting two CJK characters as one word."""
    cjk = len(_CJK.findall(text))
    return cjk // 2 if cjk else len(_WORD.findall(text))


def _headline_sized(text: str) -> bool:
    """Is what is left of a title line once a site's or section's name is split off still a
    headline: three words, two of them words of three letters or more ("Harbour 2.0" is the
    headline's first half, not a headline)?

    >>> _headline_sized("Harbour Gazette 2.0"), _headline_sized("Harbour 2.0")
    (True, False)
    """
    if _CJK.search(text):
        return _title_length(text) >= 3
    words = _WORD.findall(text)
    return len(words) >= 3 and sum(1 for word in words if len(word) >= 3 and not word.isdigit()) >= 2


def _looks_like_site(text: str) -> bool:
    words = text.split()
    if not words or len(_WORD.findall(text)) > _MAX_SITE_WORDS:
        return False
    if all("\u4e00" <= char <= "\u9fff" for char in text.strip()):
        return len(text.strip()) <= 8  # Chinese site and channel names are short runs of characters
    if words[0].casefold() in ALL_STOPWORDS and words[0].casefold() not in _ARTICLES:
        return False  # "… — And Why It Matters": the headline's second half
    return all(word[:1].isupper() or word[:1].isdigit() or word in ("&", "-", "de", "of", "the", "en", "and")
               or "." in word for word in words)


def _body_start(lines: Sequence[str], article: Sequence[int]) -> int:
    """The first article line that opens a run of long lines: the body of the article."""
    run = 0
    for position, i in enumerate(article):
        line = lines[i]
        if line.count(" ") + 1 >= _BODY_LINE_WORDS or (len(line) >= 40 and len(_CJK.findall(line, 0, 40)) >= 20):
            run += 1
            if run >= _BODY_RUN:
                return article[position - run + 1]
        else:
            run = 0
    return article[0]


# Kinds of line that sit next to a headline and share its words, but are not one.
# A picture's credit or caption: never a headline, though it shares the article's words.
# (Matched against the casefolded line: much faster than a case-insensitive expression.)
_CREDIT_START = re.compile(r"(?:credit|photo|foto|bild|image|picture)s?\b|credit(?=[a-z])")
_CREDIT_INSIDE = re.compile(
    r"\((?:credit|photo|image|foto|bild|picture)\b|"
    r"\b(?:photo|photograph|image|picture|illustration|video|foto|bild)s?\s+(?:by|von|de|di|par|por)\b|"
    r"\b(?:getty images|ap photo|photo credit|photo illustration|illustration by|shutterstock|istock)\b"
)
_CREDIT_WORDS = ("credit", "photo", "foto", "bild", "image", "picture", "illustration", "video", "getty",
                 "shutterstock", "istock")


def _is_credit(line: str) -> bool:
    """Is the line a picture's credit or caption ("Photo by X", "(Credit: X)", "CreditX")?

    >>> _is_credit("The pier after the storm (Photo: Ada Lovelace)"), _is_credit("CreditAda Lovelace")
    (True, True)
    >>> _is_credit("Council backs sea wall rebuild"), _is_credit("Credited with the rebuild")
    (False, False)
    """
    lowered = line.casefold()
    if not any(word in lowered for word in _CREDIT_WORDS):
        return False
    if _CREDIT_START.match(lowered):
        # "Credit" glued to what follows is a credit only before a capital ("CreditAda").
        return not lowered.startswith("credit") or not line[6:7].isalpha() or line[6:7].isupper()
    return _CREDIT_INSIDE.search(lowered) is not None


# Two sentences run together by the dump (a caption and its credit: "...at the harbour
# wall.Ada Lovelace / Harbour Gazette"), or a credit after a slash.
_RUN_TOGETHER = re.compile(r"[a-z]\.[A-Z][a-z]|\s/\s*[A-Z][\w ]*$")
# A quotation from the article used as a standfirst: "“It will take two years,” X said".
_QUOTE_LEAD = re.compile(r"^[\"“„«‘'].*[,.!?][\"”“»’']\s*(?:\w+\s+){0,6}(?:said|says|told|sagte|a dit|dijo|disse)\b",
                         re.I)
# A teaser cut short, or a sentence followed by another in the same line.
_TEASER = re.compile(r"(?:\.\.\.|…)\s*$|[a-z]{2}[.!?]\s+[A-Z]")
# An abbreviation at the end of a headline ("N.Y.C.", "U.S.") is not the end of a sentence.
_ABBREVIATION_END = re.compile(r"(?:\b[A-Z]\.){2,}$|\b(?:Inc|Ltd|Co|Jr|Sr|St|Dr|vs)\.$")

# Weights of the headline score, set by hand on the dev pages (the Readability cases' gold
# titles and, for the news pages without gold metadata, the HTML's <h1> and <title>): the
# words shared with the article matter most; then what sits under the line (a byline or a
# date right under a headline is its strongest sign); then the kinds of line that share a
# headline's words without being one (a standfirst, a caption, a quotation, a teaser).
_W_OVERLAP = 2.0
_W_NEAR = 0.5  # closeness to the article, halved at four lines away
_W_REPEATED = 0.4  # shown twice: a breadcrumb, a sticky header or a share prompt repeats it
_W_SITE = 0.5  # the site's name after a separator
_W_MARK_NEXT = 0.8  # a byline, date or author's name on the next line
_W_MARK_NEAR = 0.4  # ... or within the next three lines
_W_TITLE_CASE = 0.2
_W_FOLLOWS_PROSE = -0.6  # right under a line that already shares the article's words: a standfirst
_W_RUN_TOGETHER = -0.8
_W_QUOTE = -0.8
_W_TEASER = -0.6
_W_UPPER = -0.5
_W_PERSON = -1.0
_W_LOWER_START = -0.5
_W_LONG_WORD = -0.1  # per word beyond _LONG_TITLE_WORDS
_W_HEADLINE_LENGTH = 0.3  # five to sixteen words, as most headlines
_W_UNDER_BYLINE = -1.0  # under "By", "Author:" or a name: the byline's name or role, or a line under the byline
_W_TWO_WORDS = -0.3  # a section, a button or a name more often than a headline
_W_AFTER_PARAGRAPH = -0.6  # right under a paragraph: a subheading inside the article
# Words are compared by their first five letters, so that "rebuilding" in a headline
# meets "rebuilt" in the article (a crude stem that costs nothing).
_STEM = 5
# The stems of a line's words of three letters or more.
_STEMS = re.compile(rf"\b(\w{{3,{_STEM}}})\w*")

# A line shares the article's words "strongly" at this overlap (see _Page.overlap).
_STRONG_OVERLAP = 0.5


@cache
def _stopword_stems(language: str | None) -> frozenset[str]:
    return frozenset(word[:_STEM] for word in STOPWORDS.get(language or "", ALL_STOPWORDS))


@dataclass(frozen=True)
class _Page:
    """What scoring a candidate headline needs, computed once a page (or once a line)."""

    lines: Sequence[str]
    article_words: frozenset[str]
    article_head: str
    window_text: str
    stopwords: frozenset[str]
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
                or _UNDER_HEADLINE.match(text)
                or _looks_like_person(text) or (len(text) < 60 and parse_date(text)))
        return found

    def overlap(self, index: int) -> float:
        """The share of a line's content words found in the article's opening, 0 to 1; a line
        of fewer than four content words (a section name, a person) overlaps by chance, so
        its share counts in proportion."""
        found = self._overlaps.get(index)
        if found is None:
            text = self.lines[index]
            chars = _CJK.findall(text)
            if chars:
                found = sum(1 for char in chars if char in self.article_head) / len(chars)
            else:
                content = set(_STEMS.findall(text.casefold())) - self.stopwords
                found = (len(content & self.article_words) / len(content) * min(1.0, len(content) / 4)
                         if content else 0.0)
            self._overlaps[index] = found
        return found


def _nonblank_above(lines: Sequence[str], index: int, count: int) -> list[int]:
    """Up to ``count`` non-blank lines above ``index``, nearest first."""
    # Dumps alternate text and blank lines: three times as many lines nearly always hold
    # enough, read in one comprehension; the loop is for longer runs of blank lines.
    stop = max(-1, index - 1 - 3 * count)
    found = [i for i in range(index - 1, stop, -1) if lines[i]]
    i = stop
    while len(found) < count and i >= 0:
        if lines[i]:
            found.append(i)
        i -= 1
    return found[:count]


def _nonblank_below(lines: Sequence[str], index: int, count: int) -> list[int]:
    """Up to ``count`` non-blank lines below ``index``, nearest first."""
    end = len(lines)
    stop = min(end, index + 1 + 3 * count)
    found = [i for i in range(index + 1, stop) if lines[i]]
    i = stop
    while len(found) < count and i < end:
        if lines[i]:
            found.append(i)
        i += 1
    return found[:count]


def _candidates(lines: Sequence[str], anchors: Sequence[int], above: int) -> dict[int, int]:
    """Lines up to ``above`` non-blank lines above each anchor (and its first lines) that
    could be a headline, with their distance to it in non-blank lines."""
    found: dict[int, int] = {}
    for anchor in anchors:
        near = [(distance, i) for distance, i in enumerate(_nonblank_above(lines, anchor, above))]
        if anchor == anchors[0]:
            # The model may keep the headline as the article's first lines; the body (a run
            # of long lines) has no headline inside it.
            near += [(0, anchor)] + [(0, i) for i in _nonblank_below(lines, anchor, _TITLE_LINES_INSIDE - 1)]
        for distance, index in near:
            if index not in found and not _could_be_headline(lines, index):
                continue
            found[index] = min(distance, found.get(index, distance))
    return found


def _is_paragraph(line: str) -> bool:
    """A line of running text: long, and ending as a sentence does."""
    return line.count(" ") >= _PARAGRAPH_WORDS and line.rstrip(_CLOSERS)[-1:] in ".!?。"


def _could_be_headline(lines: Sequence[str], index: int) -> bool:
    """The quick checks (no regular expressions) that rule out most lines near an article:
    a single word (a menu item), a paragraph, a list item, a sentence, a label ending in a
    colon, a hard-wrapped sentence continued on the next line."""
    line = lines[index]
    if len(line) > 300 or line[0] in _BULLETS:
        return False
    if line.count(" ") < _MIN_TITLE_WORDS - 1:
        return bool(_CJK.search(line))
    bare = line.rstrip(_CLOSERS)
    if bare[-1:] in _SENTENCE_END and not bare.endswith("..") and not _ABBREVIATION_END.search(bare[-12:]):
        return False
    following = lines[index + 1] if index + 1 < len(lines) else ""
    return not following[:1].islower()


@dataclass(frozen=True)
class _Candidate:
    index: int
    headline: str
    site: str | None
    #: The score from the line alone; context can add at most _MAX_CONTEXT_BONUS to it.
    score: float


# The most the context of a line (what is above and under it, and repeats of it) can add.
_MAX_CONTEXT_BONUS = _W_REPEATED + _W_MARK_NEXT


def _line_score(page: _Page, index: int, distance: int) -> _Candidate | None:
    """How much a line looks like a headline by itself, or ``None`` if it cannot be one."""
    line = page.lines[index]
    cjk = bool(_CJK.search(line))
    headline, site = split_site_name(line)
    words = _WORD.findall(headline)
    length = len(_CJK.findall(headline)) // 2 if cjk else len(words)
    if not 2 <= length <= _MAX_TITLE_WORDS:
        return None
    if not cjk and sum(1 for word in words if len(word) >= 3 and not word.isdigit()) < 2:
        return None
    if phrases.WHOLE_LINE.get(phrases.phrase_key(headline)) is not None or phrases.LINE_START.match(
            headline.casefold()):
        return None
    if length <= 8 and parse_date(headline) is not None:
        return None
    if _is_credit(headline):
        return None
    score = _W_OVERLAP * page.overlap(index) + _W_NEAR / (1.0 + distance / 4.0)
    if site is not None:
        score += _W_SITE
    if 5 <= length <= _LONG_TITLE_WORDS:
        score += _W_HEADLINE_LENGTH
    elif length == 2:
        score += _W_TWO_WORDS
    if ("." in headline or "/" in headline) and _RUN_TOGETHER.search(headline):
        score += _W_RUN_TOGETHER
    if _QUOTE_LEAD.match(headline):
        score += _W_QUOTE
    if ("." in headline or "…" in headline or "!" in headline or "?" in headline) and _TEASER.search(headline):
        score += _W_TEASER
    if not cjk and length >= 3 and sum(1 for word in words if word[:1].isupper()) * 2 >= length:
        score += _W_TITLE_CASE
    if headline.isupper():
        score += _W_UPPER
    if headline[:1].islower():
        score += _W_LOWER_START
    if length > _LONG_TITLE_WORDS:
        score += _W_LONG_WORD * (length - _LONG_TITLE_WORDS)
    return _Candidate(index, headline, site, score)


def _context_score(page: _Page, candidate: _Candidate) -> float:
    """What the lines around a candidate say about it: a byline or date under it, a
    standfirst or byline above it, the same line elsewhere on the page."""
    lines, index = page.lines, candidate.index
    score = candidate.score
    if page.window_text.count(candidate.headline) > 1 or page.text().count(lines[index]) > 1:
        score += _W_REPEATED
    above_three = _nonblank_above(lines, index, 3)
    above = above_three[:2]
    follows_prose = any(page.overlap(i) >= _STRONG_OVERLAP and _title_length(lines[i]) >= 5
                        and candidate.headline not in lines[i]
                        for i in above)  # (a breadcrumb ending in the headline is no standfirst)
    if follows_prose:
        score += _W_FOLLOWS_PROSE
    below = _nonblank_below(lines, index, 3)
    if below and page.marks(below[0]):
        score += _W_MARK_NEXT
    elif not follows_prose and any(page.marks(i) for i in below[1:]):
        # (a byline or date a few lines under a standfirst is its headline's, above it)
        score += _W_MARK_NEAR
    if above and _is_paragraph(lines[above[0]]):
        score += _W_AFTER_PARAGRAPH
    # Right under "By", "Author:" or a name: the byline's name or role (a role is short; a
    # longer line under a name, as a headline under its author's, is not penalised). Two or
    # three lines under "By X": an agency's name, a wire slug (the headline is above the byline).
    over = lines[above[0]] if above else ""
    if ((_starts_with_byline_word(over) and (_BYLINE_WORD_ONLY.match(over) or _BYLINE.match(over)))
            or (_looks_like_person(over) and _title_length(candidate.headline) < 5)
            or any(_is_byline(lines[i]) for i in above_three[1:])):
        score += _W_UNDER_BYLINE
    if _looks_like_person(candidate.headline) and not (below and _is_byline(lines[below[0]])):
        score += _W_PERSON  # (a name is not what stands over "By" and another name)
    return score


def _is_byline(line: str) -> bool:
    """Does the line open with a byline word and a name ("By Ada Lovelace", "Written by X")?"""
    return _starts_with_byline_word(line) and (match := _BYLINE.match(line)) is not None and _clean_name(
        match.group("name")) is not None


def _best_title(page: _Page, found: dict[int, int]) -> _Candidate | None:
    """The best headline among ``found`` (line index -> distance to the article), if any
    scores _MIN_TITLE_SCORE."""
    near = sorted(found.items(),
                  key=lambda item: -(_W_OVERLAP * page.overlap(item[0]) + _W_NEAR / (1.0 + item[1] / 4.0)))
    shaped = [candidate for index, distance in near[:_TITLE_SHORTLIST]
              if (candidate := _line_score(page, index, distance)) is not None]
    # Best first by the line's own score, so that the context (the costlier part) is read
    # only for lines that could still win.
    shaped.sort(key=lambda candidate: (-candidate.score, candidate.index))
    best: tuple[float, _Candidate] | None = None
    for candidate in shaped:
        floor = best[0] if best is not None else _MIN_TITLE_SCORE
        if candidate.score + _MAX_CONTEXT_BONUS < floor:
            break
        score = _context_score(page, candidate)
        if score >= floor and (best is None or score > best[0]):
            best = (score, candidate)
    return best[1] if best is not None else None

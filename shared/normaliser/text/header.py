"""The header of a text dump: where the article's body starts, the lines above it, and which
of them could be a headline (the quick checks), a picture's credit or a line that goes under
a headline ("3 min read", "Updated").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from . import settings

WORD = re.compile(r"\w+")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")

_CLOSERS = "'\"’”»)]"
_SENTENCE_END = frozenset(".。:,;")
_BULLETS = frozenset("+•*·►▪-–—#|></(")
# An abbreviation at the end of a headline ("N.Y.C.", "U.S.") is not the end of a sentence.
_ABBREVIATION_END = re.compile(r"(?:\b[A-Z]\.){2,}$|\b(?:Inc|Ltd|Co|Jr|Sr|St|Dr|vs)\.$")

# "3 min read", "Updated" and the like under a headline: signs that the line above is one.
UNDER_HEADLINE = re.compile(
    r"^\d+\s*(?:min|minute|minutes|mins)\b|^(?:updated|published|posted|veröffentlicht|"
    r"publié|publicado|pubblicato|aktualisiert|mis à jour|actualizado|atualizado)\b|"
    # the time since publication: "1 day ago", "vor 2 Stunden", "il y a 3 heures"
    r"^\d+\s+\w+\s+ago$|^(?:vor|il y a|hace|há)\s+\d+\s+\w+$",
    re.I,
)

# A picture's credit or caption: never a headline, though it shares the article's words.
# (Matched against the casefolded line: much faster than a case-insensitive expression.)
_CREDIT_START = re.compile(r"(?:credit|photo|foto|bild|image|picture)s?\b|credit(?=[a-z])")
_CREDIT_INSIDE = re.compile(
    r"\((?:credit|photo|image|foto|bild|picture)\b|"
    r"\b(?:photo|photograph|photography|image|picture|illustration|video|foto|bild)s?\s+(?:by|von|de|di|par|por)\b|"
    r"\b(?:getty images|ap photo|photo credit|photo illustration|illustration by|shutterstock|istock)\b"
)
CREDIT_WORDS = (
    "credit",
    "photo",
    "foto",
    "bild",
    "image",
    "picture",
    "illustration",
    "video",
    "getty",
    "shutterstock",
    "istock",
)


def title_length(text: str) -> int:
    """Words in a line, counting two CJK characters as one word."""
    cjk = len(CJK.findall(text))
    return cjk // 2 if cjk else len(WORD.findall(text))


def is_credit(line: str) -> bool:
    """Is the line a picture's credit or caption ("Photo by X", "(Credit: X)", "CreditX")?

    >>> is_credit("The pier after the storm (Photo: Ada Lovelace)"), is_credit("CreditAda Lovelace")
    (True, True)
    >>> is_credit("Council backs sea wall rebuild"), is_credit("Credited with the rebuild")
    (False, False)
    """
    lowered = line.casefold()
    if not any(word in lowered for word in CREDIT_WORDS):
        return False
    if _CREDIT_START.match(lowered):
        # "Credit" glued to what follows is a credit only before a capital ("CreditAda").
        return not lowered.startswith("credit") or not line[6:7].isalpha() or line[6:7].isupper()
    return _CREDIT_INSIDE.search(lowered) is not None


def is_body_line(line: str) -> bool:
    """A line as long as the body's: ``body_line_words`` words, or twenty CJK characters in its
    first forty."""
    return line.count(" ") + 1 >= settings.METADATA.body_line_words or (
        len(line) >= 40 and len(CJK.findall(line, 0, 40)) >= 20
    )


def body_start(lines: Sequence[str], article: Sequence[int]) -> int:
    """The first article line that opens a run of long lines: the body of the article."""
    run = 0
    for position, i in enumerate(article):
        if is_body_line(lines[i]):
            run += 1
            if run >= settings.METADATA.body_run:
                return article[position - run + 1]
        else:
            run = 0
    return article[0]


def nonblank_above(lines: Sequence[str], index: int, count: int) -> list[int]:
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


def nonblank_below(lines: Sequence[str], index: int, count: int) -> list[int]:
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


def candidates(lines: Sequence[str], anchors: Sequence[int]) -> dict[int, int]:
    """Lines up to ``title_lines_above`` non-blank lines above each anchor (and its first
    lines) that could be a headline, with their distance to it in non-blank lines."""
    found: dict[int, int] = {}
    for anchor in anchors:
        near = list(enumerate(nonblank_above(lines, anchor, settings.METADATA.title_lines_above)))
        if anchor == anchors[0]:
            # The model may keep the headline as the article's first lines; the body (a run
            # of long lines) has no headline inside it.
            inside = nonblank_below(lines, anchor, settings.METADATA.title_lines_inside - 1)
            near += [(0, anchor)] + [(0, i) for i in inside]
        for distance, index in near:
            if index not in found and not could_be_headline(lines, index):
                continue
            found[index] = min(distance, found.get(index, distance))
    return found


def is_paragraph(line: str) -> bool:
    """A line of running text: long, and ending as a sentence does."""
    return line.count(" ") >= settings.METADATA.paragraph_words and line.rstrip(_CLOSERS)[-1:] in ".!?。"


def could_be_headline(lines: Sequence[str], index: int) -> bool:
    """The quick checks (no regular expressions) that rule out most lines near an article:
    a single word (a menu item), a paragraph, a list item, a sentence, a label ending in a
    colon, a hard-wrapped sentence continued on the next line."""
    line = lines[index]
    if len(line) > 300 or line[0] in _BULLETS:
        return False
    if line.count(" ") < settings.METADATA.min_title_words - 1:
        return bool(CJK.search(line))
    bare = line.rstrip(_CLOSERS)
    if bare[-1:] in _SENTENCE_END and not bare.endswith("..") and not _ABBREVIATION_END.search(bare[-12:]):
        return False
    following = lines[index + 1] if index + 1 < len(lines) else ""
    return not following[:1].islower()

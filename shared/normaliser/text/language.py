"""Which language is a text written in? A guess from scripts and function-word profiles.

Only a guess for pages that do not state their language; ``None`` when the evidence is thin
or two languages score too close to call.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from normaliser.meta.stopwords import STOPWORDS


@dataclass(frozen=True)
class LanguageGuess:
    """How much text the guess reads and how strong the evidence must be (tests swap
    ``GUESS`` with ``dataclasses.replace``)."""

    # Only the text's start is read: the verdict is stable after a few hundred words, and
    # reading no more keeps the guess cheap on very long pages; scripts show in fewer.
    sample_chars: int = 8_000
    script_sample_chars: int = 3_000
    # At least this many function-word hits, at least this share of the words, and this lead
    # over the runner-up: below that the guess is a coin toss. Set by hand on short samples:
    # eight hits is about two sentences of running prose.
    min_hits: int = 8
    min_share: float = 0.08
    min_lead: float = 1.25
    # Japanese mixes kana into Han text (at least this share of it); a few kana in Chinese
    # text are quotations.
    kana_share: float = 0.1
    # Arabic-script text with at least this share of the letters Persian adds is Persian.
    persian_share: float = 0.01


GUESS = LanguageGuess()

_WORD = re.compile(r"[^\W\d_]+")
# Scripts that identify a language (or a small family) on their own.
_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("kana", re.compile(r"[\u3040-\u30ff]")),
    ("han", re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")),
    ("ko", re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
    ("cyrillic", re.compile(r"[\u0400-\u04ff]")),
)
# Function word -> the languages it is one of.
_LANGUAGES_OF: dict[str, tuple[str, ...]] = {}
for _lang, _words in STOPWORDS.items():
    for _word in _words:
        _LANGUAGES_OF[_word] = (*_LANGUAGES_OF.get(_word, ()), _lang)
# ASCII bytes that are not letters become spaces; the bytes of other characters stay.
_ASCII_NON_LETTER_TO_SPACE = bytes(code if code >= 128 or chr(code).isalpha() else 32 for code in range(256))
_NOT_ASCII_LETTER = bytes(b for b in range(128) if not chr(b).isalpha())
_LETTER = re.compile(r"[^\W\d_]")
# Letters Persian adds to the Arabic alphabet; a text using them is Persian, not Arabic.
_PERSIAN = re.compile(r"[پچژگ]")


def _script_language(sample: str) -> str | None:
    """The language a non-Latin script gives away, when such letters are most of the text.

    >>> _script_language("東京は日本の首都です。")
    'ja'
    >>> _script_language("Plain English words.") is None
    True
    """
    # Every script counted below is outside ASCII: when the ASCII letters alone outnumber
    # twice the other characters, no script can be most of the letters (the usual case of
    # a Latin-script page with a few curly quotes or accents), and counting is skipped.
    ascii_only = sample.encode("ascii", "ignore")
    if (len(sample) - len(ascii_only)) * 2 < len(ascii_only.translate(None, _NOT_ASCII_LETTER)):
        return None
    letters = len(_LETTER.findall(sample))
    if not letters:
        return None
    counts = {name: len(pattern.findall(sample)) for name, pattern in _SCRIPTS}
    cjk = counts["kana"] + counts["han"]
    if cjk * 2 >= letters:
        return "ja" if counts["kana"] >= GUESS.kana_share * cjk else "zh"
    name, count = max(((n, c) for n, c in counts.items() if n not in ("kana", "han")), key=lambda item: item[1])
    if count * 2 < letters:
        return None
    if name == "ar" and len(_PERSIAN.findall(sample)) >= GUESS.persian_share * count:
        return "fa"
    return None if name == "cyrillic" else name


def _letter_runs(text: str) -> list[str]:
    """``_WORD.findall(text)``, faster: ASCII non-letters split every run, so one bytes
    translation turns them into spaces, and only the pieces with other characters in them
    need the regex.

    >>> _letter_runs("It’s 4pm—l'été, x_y.")
    ['It', 's', 'pm', 'l', 'été', 'x', 'y']
    """
    pieces = (
        text.encode("utf-8", "surrogatepass")
        .translate(_ASCII_NON_LETTER_TO_SPACE)
        .decode("utf-8", "surrogatepass")
        .split()
    )
    if text.isascii():
        return pieces
    runs: list[str] = []
    for piece in pieces:
        if piece.isascii():
            runs.append(piece)
        else:
            runs.extend(_WORD.findall(piece))
    return runs


def guess_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or ``None`` when unsure.

    >>> guess_language("The cat sat on the mat and it was happy with the way that the day went.")
    'en'
    >>> guess_language("Der Hund ist nicht in dem Haus, weil er mit den Kindern auf der Wiese spielt.")
    'de'
    >>> guess_language("Home | News | Sport") is None
    True
    """
    sample = text[: GUESS.sample_chars]
    if not sample.isascii():
        by_script = _script_language(sample[: GUESS.script_sample_chars])
        if by_script is not None:
            return by_script
    # Count each distinct spelling once, then fold case: the same totals as folding every
    # word, at a fraction of the cost.
    spellings = Counter(_letter_runs(sample))
    if not spellings:
        return None
    totals = dict.fromkeys(STOPWORDS, 0)
    for spelling, count in spellings.items():
        for lang in _LANGUAGES_OF.get(spelling.casefold(), ()):
            totals[lang] += count
    scores = sorted(((total, lang) for lang, total in totals.items()), reverse=True)
    words = spellings.total()
    (best, lang), (second, _) = scores[0], scores[1]
    if best < GUESS.min_hits or best < GUESS.min_share * words or best < GUESS.min_lead * second:
        return None
    return lang

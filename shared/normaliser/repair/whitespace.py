"""Whitespace normalisation: Unicode spaces, trailing padding, padding lines, blank-line runs.

Pure text-to-text steps; each is idempotent.
"""

from __future__ import annotations

import re
import unicodedata

# Every Unicode space separator (Zs) plus tab, folded to a plain space. Zero-width spaces
# and BOMs inside text are dropped: they are invisible padding, never content. Replaced one
# character at a time: a substring test and str.replace are several times faster than one
# regex scan with a character class, and most pages hold one or two of these at most.
_SPACE_CHARS = "\t\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
_INVISIBLE_CHARS = "\u200b\ufeff"
_OTHER_NEWLINE_CHARS = "\u2028\u2029\u0085\x0b\x0c"
# Patterns that start with a literal are found by a fast scan for it (" {2,}" is slower).
_RUNS_OF_SPACES = re.compile(r"  +")
_BLANK_RUNS = re.compile(r"\n\n\n+")


def _replace_each(text: str, chars: str, replacement: str) -> str:
    for char in chars:
        if char in text:
            text = text.replace(char, replacement)
    return text


def normalise_newlines(text: str) -> str:
    r"""CRLF, CR and Unicode line/paragraph separators become LF.

    >>> normalise_newlines("a\r\nb\rc\u2028d")
    'a\nb\nc\nd'
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _replace_each(text, _OTHER_NEWLINE_CHARS, "\n")


def _fold_spaces(text: str) -> str:
    text = _replace_each(_replace_each(text, _INVISIBLE_CHARS, ""), _SPACE_CHARS, " ")
    return _RUNS_OF_SPACES.sub(" ", text) if "  " in text else text


def normalise_line(line: str) -> str:
    """Fold Unicode spaces, collapse space runs, strip padding at both ends.

    >>> normalise_line("\\u00a0 Hello\\u2009 world.\\u00a0 ")
    'Hello world.'
    """
    return _fold_spaces(line).strip()


def normalise_whitespace(text: str) -> str:
    """NFC, LF newlines, padded lines trimmed, space-only lines emptied, at most one blank
    line in a row, no blank lines at either end.

    >>> normalise_whitespace("  Title \\r\\n\\r\\n\\r\\n\\u00a0\\u00a0\\nBody.\\u00a0 \\n\\n")
    'Title\\n\\nBody.'
    """
    # normalise_line on every line, with the folding done on the whole text at once (a few
    # scans of the page instead of a few regex calls a line).
    # NFC after the zero-width characters are gone: one between a letter and its mark
    # would otherwise keep the two from composing.
    text = unicodedata.normalize("NFC", _fold_spaces(normalise_newlines(text)))
    text = "\n".join(map(str.strip, text.split("\n")))
    return _BLANK_RUNS.sub("\n\n", text).strip("\n")

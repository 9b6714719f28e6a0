"""Whitespace normalisation: Unicode spaces, trailing padding, padding lines, blank-line runs.

Pure text-to-text steps; each is idempotent.
"""

from __future__ import annotations

import re
import unicodedata

# Every Unicode space separator (Zs) plus tab, folded to a plain space. Zero-width spaces
# and BOMs inside text are dropped: they are invisible padding, never content.
_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile(r"[\u200b\ufeff]")
_RUNS_OF_SPACES = re.compile(r" {2,}")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\u0085\x0b\x0c]")
_BLANK_RUNS = re.compile(r"\n{3,}")


def normalise_newlines(text: str) -> str:
    r"""CRLF, CR and Unicode line/paragraph separators become LF.

    >>> normalise_newlines("a\r\nb\rc\u2028d")
    'a\nb\nc\nd'
    """
    return _NEWLINES.sub("\n", text)


def normalise_line(line: str) -> str:
    """Fold Unicode spaces, collapse space runs, strip padding at both ends.

    >>> normalise_line("\\u00a0 Hello\\u2009 world.\\u00a0 ")
    'Hello world.'
    """
    line = _INVISIBLE.sub("", line)
    line = _SPACES.sub(" ", line)
    return _RUNS_OF_SPACES.sub(" ", line).strip()


def normalise_whitespace(text: str) -> str:
    """NFC, LF newlines, padded lines trimmed, space-only lines emptied, at most one blank
    line in a row, no blank lines at either end.

    >>> normalise_whitespace("  Title \\r\\n\\r\\n\\r\\n\\u00a0\\u00a0\\nBody.\\u00a0 \\n\\n")
    'Title\\n\\nBody.'
    """
    text = unicodedata.normalize("NFC", normalise_newlines(text))
    lines = [normalise_line(line) for line in text.split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n")

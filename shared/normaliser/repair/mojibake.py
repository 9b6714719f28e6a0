"""Mojibake and glitch repair: exactly what ``ftfy.fix_text`` gives with our configuration,
at a fraction of its cost.

ftfy fixes text one line at a time, and most lines of a real page need nothing. A line can
only change if it holds a character that one of ftfy's fixers acts on or that its mojibake
heuristic (``ftfy.badness``) looks for, or if it is not in NFC. :data:`_SUSPECT` lists
those characters, less the common typography (curly quotes, dashes, Cyrillic, Greek...)
that ftfy's heuristic can only flag in combination with another listed character. One
regex scan of the page finds the lines that hold one; only those go to ftfy, each exactly
as ``fix_text`` would pass it. The unit tests check the list against ftfy's own tables and
regex, and compare the result with ``ftfy.fix_text`` on generated text.

ftfy itself (slow to import) is loaded only when a page has a suspicious line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import ftfy

__all__ = ["LIMITS", "Repair", "RepairLimits", "ftfy_config", "repair_text"]


@dataclass(frozen=True)
class Repair:
    text: str
    fixes: tuple[str, ...] = ()
    mojibake_repaired: bool = False


# ftfy's settings, pinned on purpose (ftfy's defaults restyle text):
# - uncurl_quotes=False: curly quotes are the publisher's typography, not a glitch.
# - fix_character_width=False: full-width forms are normal in CJK text (，：（）) and
#   folding them would restyle Chinese and Japanese punctuation.
# - fix_latin_ligatures=True: ﬁ and ﬂ in page text come from copying out of PDFs; they are
#   rendering, not typography a publisher chose, and they break words for search.
# - unescape_html="auto": entities (&amp; &eacute;) are decoded unless the text holds a
#   "<" (then it may be markup, and ftfy leaves entities alone from that line on).
# - everything else as ftfy's defaults: mojibake repair (UTF-8 read as windows-1252,
#   MacRoman... once or more), C1 controls, line breaks, surrogates, terminal escapes,
#   control characters, NFC.
_SETTINGS: dict[str, Any] = {
    "unescape_html": "auto",
    "uncurl_quotes": False,
    "fix_character_width": False,
    "fix_latin_ligatures": True,
    "normalization": "NFC",
}
# ftfy.fix_text cuts lines longer than this into pieces (its max_decode_length default): a
# fact about ftfy to match, not a knob.
_MAX_SEGMENT = 1_000_000

# Characters of ftfy's mojibake heuristic, by Unicode block (the tests check that every
# character in ftfy.badness.BADNESS_RE is inside): Latin-1 and Latin Extended, spacing
# modifiers, Greek, Cyrillic, general punctuation, currency, letterlike symbols, maths,
# box drawing, Apple's logo, the fi/fl ligatures, U+FFFD.
_MOJIBAKE_BLOCKS = (
    "\x80-\u024f\u02c6-\u02dd\u0384-\u045f\u0490\u0491\u2013-\u2044\u20a7\u20ac\u2116\u2122\u2202-\u2265"
    "\u2310\u2500-\u25ca\uf8ff\ufb00-\ufb06\ufffd"
)
# Common characters of those blocks that cannot make a line "bad" on their own nor in any
# combination among themselves (the tests prove it against every branch of ftfy's regex):
# typography, and the Greek and Cyrillic alphabets less the few capitals (Β Γ Ξ Ο, В Г Р
# С, Ђ) that ftfy's Windows-125x mojibake patterns start from. Chosen so that an English,
# Russian or Greek page with curly quotes and dashes needs no ftfy at all.
_SAFE_TYPOGRAPHY = "\xa0©«®°·»–—‘’‚“”„•…‹›™ÒÓÔÕÖÚÛòôõöøùúûŐ"
_SAFE_GREEK = "\u0386\u0388-\u038a\u038c\u038e\u038f\u0391\u0394-\u039d\u03a0-\u03a9\u03ac-\u03c9"
_SAFE_CYRILLIC = "\u0401\u0403-\u0411\u0414-\u041f\u0422-\u045f"
# What ftfy's other fixers act on: C0 controls (but tab, LF, FF), CR and Unicode line
# breaks, surrogates, the invisible controls it removes (U+206A-206F, BOM, U+FFF9-FFFC).
_FIXER_CHARS = "\x00-\x08\x0b\x0d-\x1f\x7f\u2028\u2029\ud800-\udfff\u206a-\u206f\ufeff\ufff9-\ufffc"


def _char_class(ranges: str, minus: str = "") -> str:
    """A regex character class of the characters in ``ranges`` (``a-z`` style) not in ``minus``."""

    def expand(spec: str) -> set[int]:
        chars: set[int] = set()
        for match in re.finditer(r"(.)-(.)|(.)", spec, re.S):
            low, high, single = match.groups()
            chars.update(range(ord(low), ord(high) + 1) if single is None else [ord(single)])
        return chars

    codes = sorted(expand(ranges) - expand(minus))
    runs: list[list[int]] = []
    for code in codes:
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return "".join(
        re.escape(chr(low)) if low == high else f"{re.escape(chr(low))}-{re.escape(chr(high))}" for low, high in runs
    )


_SUSPECT_CHARS = _char_class(_MOJIBAKE_BLOCKS + _FIXER_CHARS, minus=_SAFE_TYPOGRAPHY + _SAFE_GREEK + _SAFE_CYRILLIC)
# With HTML unescaping active an entity is suspect too (ftfy's own pattern for one,
# ftfy.chardata.HTML_ENTITY_RE; a bare "&" is left alone); ftfy turns unescaping off at the
# first "<".
_SUSPECT = re.compile(f"[{_SUSPECT_CHARS}]")
_SUSPECT_OR_ENTITY = re.compile(f"&#?[0-9A-Za-z]{{1,24}};|[{_SUSPECT_CHARS}]")


@cache
def _ftfy() -> tuple[Any, Any, Any]:
    """ftfy, our configuration, and the same with HTML unescaping off."""
    import ftfy as ftfy_module  # deferred: an import most pages never need

    config = ftfy_module.TextFixerConfig(**_SETTINGS, explain=True)
    return ftfy_module, config, config._replace(unescape_html=False)


def ftfy_config() -> ftfy.TextFixerConfig:
    """The ftfy configuration :func:`repair_text` applies (for comparing with ftfy)."""
    config: ftfy.TextFixerConfig = _ftfy()[1]
    return config


@dataclass(frozen=True)
class RepairLimits:
    """How far :func:`repair_text` goes (tests swap ``LIMITS`` for another)."""

    # ftfy is not idempotent when a repair creates a line break (mojibake of U+2028, a bare
    # CR): the next pass judges the new lines apart and may find more. Two passes settle
    # every case the property tests find; the third is a margin.
    max_passes: int = 3


LIMITS = RepairLimits()


def repair_text(text: str, *, unescape_entities: bool = True) -> Repair:
    """ftfy's repairs (:func:`repair_once`) until the text stops changing, so that repairing
    a repaired text changes nothing. One pass (one fast scan) for text that needs none.
    ``unescape_entities=False`` for text whose entities were decoded already (by an HTML
    parser): decoding them again would turn a page's literal "&lt;" into "<".
    """
    result = repair_once(text, unescape_entities=unescape_entities)
    fixes, mojibake = list(result.fixes), result.mojibake_repaired
    for _ in range(LIMITS.max_passes - 1):
        if result.text == text:
            break
        text, result = result.text, repair_once(result.text, unescape_entities=unescape_entities)
        fixes += [fix for fix in result.fixes if fix not in fixes]
        mojibake = mojibake or result.mojibake_repaired
    return Repair(result.text, tuple(fixes), mojibake)


def repair_once(text: str, *, unescape_entities: bool = True) -> Repair:
    """Repair mojibake, C1 controls, HTML entities, line breaks; NFC. Equals
    ``ftfy.fix_text(text, ftfy_config())``, plus a record of the fixes made.

    >>> repair_once("The Mustang’s “pony” is 1½ years old.").fixes
    ()
    >>> repaired = repair_once("CafÃ© &amp; crÃ¨me\\nfine")
    >>> repaired.text, repaired.mojibake_repaired
    ('Café & crème\\nfine', True)
    >>> repaired.fixes
    ('unescape_html → encode latin-1 → decode utf-8 (1 line)',)
    """
    length = len(text)
    first_lt = text.find("<")
    # ftfy stops unescaping entities from the segment holding the first "<" on.
    entities_until = _segment_start(text, first_lt) if first_lt >= 0 else length
    if not unescape_entities:
        entities_until = 0
    check_nfc = not unicodedata.is_normalized("NFC", text)
    pieces: list[str] = []
    plans: dict[str, int] = {}
    mojibake = False
    pos = 0
    while pos < length:
        start = _next_suspect_segment(text, pos, entities_until, check_nfc)
        if start < 0:
            pieces.append(text[pos:])
            break
        end = _segment_end(text, start)
        pieces.append(text[pos:start])
        ftfy_module, config, no_entities = _ftfy()
        fixed, steps = ftfy_module.fix_and_explain(text[start:end], config if start < entities_until else no_entities)
        pieces.append(fixed)
        if steps:
            plan = " → ".join(
                parameter if action in ("apply", "transcode") else f"{action} {parameter}"
                for action, parameter in steps
            )
            plans[plan] = plans.get(plan, 0) + 1
            mojibake = mojibake or any(
                action in ("encode", "decode") or parameter == "decode_inconsistent_utf8" for action, parameter in steps
            )
        pos = end
    fixes = tuple(f"{plan} ({count} line{'s' if count > 1 else ''})" for plan, count in plans.items())
    return Repair("".join(pieces), fixes, mojibake)


def _next_suspect_segment(text: str, pos: int, entities_until: int, check_nfc: bool) -> int:
    """Start of the first segment at or after ``pos`` that ftfy might change, or -1."""
    if check_nfc:
        # Rare (decomposed accents): look at each segment in turn.
        while pos < len(text):
            end = _segment_end(text, pos)
            segment = text[pos:end]
            pattern = _SUSPECT_OR_ENTITY if pos < entities_until else _SUSPECT
            if pattern.search(segment) or not unicodedata.is_normalized("NFC", segment):
                return pos
            pos = end
        return -1
    if pos < entities_until:
        found = _SUSPECT_OR_ENTITY.search(text, pos, entities_until)
        if found:
            return _segment_start(text, found.start())
        pos = entities_until
    found = _SUSPECT.search(text, pos)
    return _segment_start(text, found.start()) if found else -1


def _segment_start(text: str, index: int) -> int:
    """Where ftfy.fix_text's segment holding ``text[index]`` starts: at a line start, or
    every _MAX_SEGMENT characters along a longer line."""
    line_start = text.rfind("\n", 0, index) + 1
    return line_start + (index - line_start) // _MAX_SEGMENT * _MAX_SEGMENT


def _segment_end(text: str, start: int) -> int:
    newline = text.find("\n", start, start + _MAX_SEGMENT)
    return newline + 1 if newline >= 0 else min(len(text), start + _MAX_SEGMENT)

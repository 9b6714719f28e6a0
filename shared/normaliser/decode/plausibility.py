"""How plausible a reading of bytes is as text: :func:`implausibility` scores what looks like
mojibake, so that detection (:mod:`.detection`) can take the least implausible reading.

Only non-ASCII characters differ between readings, so each feature below looks at non-ASCII
characters and their neighbours. Weights are per character (or per match) and were tuned on
the dev corpus gold texts re-encoded in each candidate and on the sample sentences of
tests/unit/cases/legacy_sentences.json: the undecodable and control weights must outweigh
every plausible-text feature, the script and case features separate single-byte encodings of
different alphabets, the CJK features separate the East Asian double-byte encodings (which
share byte ranges). The weights stay beside their patterns (rather than in
:mod:`.settings`): together they define the score, and they are all multiples of 0.25, which
:func:`reading_score` relies on.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from functools import cache

from .labels import _NON_ASCII

__all__ = ["FEATURES", "UNDECODABLE_WEIGHT", "implausibility", "reading_score"]

_LATIN_NA = "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_SCRIPTS = {
    "latin": "a-zA-Z" + _LATIN_NA,
    "greek": "\u0386\u0388-\u03ce",
    "cyrillic": "\u0400-\u04ff",
    "hebrew": "\u05d0-\u05ea",
    "arabic": "\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff",
    "thai": "\u0e01-\u0e5b",
    # Kana and Han write one language; full-width Latin letters and digits belong to CJK text.
    "cjk": "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a",
    "hangul": "\uac00-\ud7a3\u3131-\u318e",
}
_LETTERS = "".join(_SCRIPTS.values())
_THAI = _SCRIPTS["thai"]
_NON_LATIN = "".join(letters for name, letters in _SCRIPTS.items() if name != "latin")
_SMALL_ALPHABETS = "".join(_SCRIPTS[name] for name in ("greek", "cyrillic", "hebrew", "arabic", "thai"))
# Capitals and small letters of the alphabets with case. A capital right after a small
# letter (motionĄXits, оЯХБЕР) is a wrong reading; so is text mostly in capitals (koi8-r
# read as windows-1251 swaps the cases).
_CASED = [chr(code) for code in (*range(0xC0, 0x250), *range(0x386, 0x3CF), *range(0x400, 0x460))]
_UPPER = "".join(char for char in _CASED if char.isupper())
_LOWER = "".join(char for char in _CASED if char.islower())
# Punctuation and symbols that real text uses; other non-ASCII symbols cost a little.
_COMMON_SYMBOLS = "\u00a0¡¿«»‹›‘’‚“”„–—…•·°©®™€£¥§¶±×÷′″\u3000、。〈〉《》「」『』【】〔〕〜・！（），．：；？～"
# Inside a word (between letters) only these non-ASCII marks occur: apostrophes, the
# Catalan middle dot, dashes, the ellipsis.
_IN_WORD_MARKS = "’‘·—–…‐‑"
# Non-ASCII punctuation and symbols.
# Spacing modifier letters (ˇ ˆ ˘) and enclosed or squared numbers (㈢ ①) are letters or
# numbers to Unicode but symbols in every wrong reading that produces them.
_ODD_LETTERS = "[\u02b0-\u02ff\u2460-\u24ff\u3200-\u33ff]"
# Combining marks are not word characters to the regex engine, but they are part of words
# (Thai vowels and tone marks, Hebrew points, Arabic vowel marks, combining accents).
_MARKS = "\u0300-\u036f\u0591-\u05c7\u064b-\u065f\u0670\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
_SYMBOL = f"[^\\w\\s\x00-\x7f{_MARKS}{_IN_WORD_MARKS}]|{_ODD_LETTERS}"
# Letters no modern orthography in wide use needs (Latin ligatures, kra, long s, Latin
# Extended-B; Greek ΐ ΰ, which windows-1253 puts where Hebrew and Arabic have common
# letters): readings full of them are wrong.
_RARE_LETTERS = "ĲĳĸĿŀŉſ\u0180-\u024fΐΰ"

# The patterns start with the character class of their first character wherever they can,
# with any look-behind after it (``[X](?<![L][X])`` rather than ``(?<![L])[X]``): the regex
# engine then skips ahead to the next possible first character instead of trying every
# position, which makes them several times faster and finds the same matches.
_IMPLAUSIBLE: tuple[tuple[float, str, re.Pattern[str]], ...] = (
    (8.0, "control, private-use or replacement character", re.compile("[\x80-\x9f\ue000-\uf8ff\ufffd]")),
    (3.0, "half-width katakana", re.compile("[\uff61-\uff9f]")),
    (
        3.0,
        "letters of two scripts side by side",
        re.compile(
            f"[{_SCRIPTS['latin']}][{_NON_LATIN}]|[{_NON_LATIN}](?:"
            + "|".join(
                f"(?<=[{letters}])[{''.join(other for other in _SCRIPTS.values() if other != letters)}]"
                for name, letters in _SCRIPTS.items()
                if name != "latin"
            )
            + ")"
        ),
    ),
    (
        2.0,
        "symbol inside a word",
        re.compile(f"[^\x00-\x7f](?<=[{_LETTERS}](?:{_SYMBOL}))(?:{_SYMBOL})*(?=[{_LETTERS}])"),
    ),
    (
        1.5,
        "two symbols side by side",
        re.compile(f"[^\x00-\x7f](?:(?<=[\xa1-\xbf])(?=[^\\s\x00-\x7f])|(?<={_SYMBOL})(?=[\xa1-\xbf]))"),
    ),
    (
        1.0,
        "short run of Thai (Thai does not space its words)",
        re.compile(f"[{_THAI}](?<![{_LETTERS}][{_THAI}])[{_THAI}]{{0,2}}(?![{_LETTERS}])"),
    ),
    (
        1.0,
        "lone letter of another alphabet",
        re.compile(f"[{_SMALL_ALPHABETS}](?<![{_LETTERS}][{_SMALL_ALPHABETS}])(?![{_LETTERS}])"),
    ),
    (1.5, "rare letter", re.compile(f"[{_RARE_LETTERS}]")),
    (
        3.0,
        "combining mark on a letter of another script",
        re.compile(
            "[\u0591-\u05c7](?<![\u05d0-\u05ea\u0591-\u05c7][\u0591-\u05c7])"
            "|[\u064b-\u065f](?<![\u0620-\u065f][\u064b-\u065f])"
            "|[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e](?<![\u0e01-\u0e4e][\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])"
        ),
    ),
    (1.0, "small letter then a capital", re.compile(f"[a-z{_LOWER}][{_UPPER}]")),
    (1.0, "inverted mark not before a word", re.compile("[¡¿](?![\\w\"'“‘«])")),
    (0.25, "capital letter (text is mostly in small letters)", re.compile(f"[{_UPPER}]")),
    (1.0, "sign glued to the start of a word", re.compile(f"[©®™°±](?=[{_LETTERS}])")),
    (
        1.0,
        "uncommon symbol",
        re.compile(f"[^\x00-\x7f](?<=[^\\w\\s{_MARKS}{_COMMON_SYMBOLS}{_IN_WORD_MARKS}]|{_ODD_LETTERS})"),
    ),
    (
        1.0,
        "Cyrillic word without a vowel",
        re.compile(
            "[б-дж-йк-нп-тф-щъь](?<![\u0400-\u04ff][б-дж-йк-нп-тф-щъь])[б-дж-йк-нп-тф-щъь]{2,}(?![\u0400-\u04ff])"
        ),
    ),
    (1.5, "isolated Hangul letter", re.compile("[\u3131-\u318e]")),
    (0.5, "Hangul run without a space (Korean spaces its words)", re.compile("[\uac00-\ud7a3]{9,}")),
    (
        1.0,
        "lone CJK character between ASCII characters",
        re.compile(f"[{_SCRIPTS['cjk']}](?<=[\x00-\x7f][{_SCRIPTS['cjk']}])(?=[\x00-\x7f])"),
    ),
    (
        0.5,
        "short CJK run between spaces (Chinese and Japanese do not space words)",
        re.compile(f"[{_SCRIPTS['cjk']}](?<=\\s[{_SCRIPTS['cjk']}])[{_SCRIPTS['cjk']}]{{0,3}}(?=\\s)"),
    ),
)
# The accented letters of the main Latin-script languages of the web (lower case). A
# reading whose accented letters no single language uses together (Danish ø beside Czech
# š) is a wrong reading of a Central European or Baltic text, or the reverse.
_LATIN_ALPHABETS = (
    "àâæçéèêëîïôœùûüÿ",  # French
    "äöüß",
    "áéíñóúü",
    "áâãàçéêíóôõú",
    "àèéìíîòóùú",
    "éëïöüèáó",  # German, Spanish, Portuguese, Italian, Dutch
    "áðéíóúýþæö",
    "æøåé",
    "åäöé",  # Icelandic, Danish and Norwegian, Swedish and Finnish
    "ąćęłńóśźż",
    "áčďéěíňóřšťúůýžäĺľôŕ",
    "áéíóöőúüű",  # Polish, Czech and Slovak, Hungarian
    "ăâîșțşţ",
    "čćđšž",
    "çğıöşüâî",
    "ąčęėįšųūžāēģīķļņōŗ",  # Romanian, Croatian etc., Turkish, Baltic
    "àçéèíïòóúü",  # Catalan
)
_LATIN_ALPHABET_SETS = tuple(frozenset(alphabet) for alphabet in _LATIN_ALPHABETS)
_FOREIGN_LETTER_WEIGHT = 1.0
_ACCENTED_LATIN = re.compile(f"[{_LATIN_NA}]")
# A whole word with an accented letter (a match can only start where a word starts: with the
# look-behind the engine does not try every later position of an unaccented word).
_LATIN_WORD = re.compile(f"(?<![a-zA-Z{_LATIN_NA}])[a-zA-Z]*+[{_LATIN_NA}][a-zA-Z{_LATIN_NA}]*+")
# The letters whose lower case is an accented Latin letter: those of _LATIN_NA and three
# more (Å ⱾⱿ).
_ACCENTED_LATIN_ANY_CASE = re.compile(f"[{_LATIN_NA}\u212b\u2c7e\u2c7f]")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile("[\u3040-\u30ff]")
_HANGUL_SYLLABLE = re.compile("[\uac00-\ud7a3]")
_MOSTLY_ACCENTED_WEIGHT = 1.5
_RARE_CJK_WEIGHT = 1.5
UNDECODABLE_WEIGHT = 8.0

# Every feature of the score, cheapest and most telling first, so that a losing reading is
# usually given up after the first few (see reading_score). Each feature has a gate: a class of
# characters one of which every match contains; a text without any skips the feature (most
# readings hold only one or two scripts, so most gates are shut). ``None``: no gate.
_IMPLAUSIBLE_GATES: dict[str, str | None] = {
    "control, private-use or replacement character": "[\x80-\x9f\ue000-\uf8ff\ufffd]",
    "half-width katakana": "[\uff61-\uff9f]",
    "letters of two scripts side by side": f"[{_NON_LATIN}]",
    "symbol inside a word": _SYMBOL,
    "two symbols side by side": "[\xa1-\xbf]",
    "short run of Thai (Thai does not space its words)": f"[{_THAI}]",
    "lone letter of another alphabet": f"[{_SMALL_ALPHABETS}]",
    "rare letter": f"[{_RARE_LETTERS}]",
    "combining mark on a letter of another script": "[\u0591-\u05c7\u064b-\u065f\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]",
    "small letter then a capital": f"[{_UPPER}]",
    "inverted mark not before a word": "[¡¿]",
    "¡ or ¿ that no ! or ? closes (Spanish pairs them)": "[¡¿]",
    "capital letter (text is mostly in small letters)": f"[{_UPPER}]",
    "sign glued to the start of a word": "[©®™°±]",
    "uncommon symbol": None,
    "Cyrillic word without a vowel": "[б-дж-йк-нп-тф-щъь]",
    "isolated Hangul letter": "[\u3131-\u318e]",
    "Hangul run without a space (Korean spaces its words)": "[\uac00-\ud7a3]",
    "lone CJK character between ASCII characters": f"[{_SCRIPTS['cjk']}]",
    "short CJK run between spaces (Chinese and Japanese do not space words)": f"[{_SCRIPTS['cjk']}]",
}
# Order of evaluation: cheap features that wrong readings trip often first, dear ones last
# (costs measured on every candidate's reading of the dev pages that need detection).
_EVALUATION_ORDER = (
    "control, private-use or replacement character",
    "uncommon symbol",
    "rare letter",
    "capital letter (text is mostly in small letters)",
    "foreign letters",
    "half-width katakana",
    "sign glued to the start of a word",
    "inverted mark not before a word",
    "¡ or ¿ that no ! or ? closes (Spanish pairs them)",
    "isolated Hangul letter",
    "rare CJK",
    "small letter then a capital",
    "Hangul run without a space (Korean spaces its words)",
    "two symbols side by side",
    "Cyrillic word without a vowel",
    "mostly accented word",
    "lone letter of another alphabet",
    "short run of Thai (Thai does not space its words)",
    "lone CJK character between ASCII characters",
    "short CJK run between spaces (Chinese and Japanese do not space words)",
    "symbol inside a word",
    "letters of two scripts side by side",
    "combining mark on a letter of another script",
)


def _features() -> tuple[tuple[float, Callable[[str], int], re.Pattern[str] | None], ...]:
    table: dict[str, tuple[float, Callable[[str], int], str | None]] = {
        why: (weight, _matched_length(pattern), _IMPLAUSIBLE_GATES[why]) for weight, why, pattern in _IMPLAUSIBLE
    }
    table["foreign letters"] = (_FOREIGN_LETTER_WEIGHT, _foreign_letters, _ACCENTED_LATIN_ANY_CASE.pattern)
    table["mostly accented word"] = (_MOSTLY_ACCENTED_WEIGHT, _mostly_accented, f"[{_LATIN_NA}]")
    table[_UNPAIRED_INVERTED] = (1.0, _unpaired_inverted_marks, _IMPLAUSIBLE_GATES[_UNPAIRED_INVERTED])
    table["rare CJK"] = (_RARE_CJK_WEIGHT, _rare_cjk, "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7a3]")
    assert sorted(table) == sorted(_EVALUATION_ORDER)
    return tuple(
        (weight, count, None if gate is None else re.compile(gate))
        for weight, count, gate in (table[why] for why in _EVALUATION_ORDER)
    )


def implausibility(text: str) -> float:
    """How much ``text`` looks like a wrong decoding (0 for plain text).

    >>> implausibility("Привет, мир") < implausibility("Ïðèâåò, ìèð")
    True
    >>> implausibility("don’t") < implausibility("don¡¯t")
    True
    """
    return reading_score(text, 0, math.inf)


def reading_score(text: str, undecodable: int, ceiling: float) -> float:
    """``implausibility(text)`` plus the cost of ``undecodable`` bytes, or, as soon as the
    running sum passes ``ceiling``, that partial sum (a reading that bad has lost already).

    Every feature adds a non-negative multiple of 0.25 (the weights are multiples of 0.25),
    so the sums are exact in floating point whatever the order: a partial sum is a lower bound
    of the full score, and the full score does not depend on the order of the features.
    """
    score = UNDECODABLE_WEIGHT * undecodable
    if score > ceiling:
        return score
    present = "".join(set(text))  # each character once: the gates below scan this, not the text
    for weight, count, gate in FEATURES:
        if gate is None or gate.search(present):
            found = count(text)
            if found:
                score += weight * found
                if score > ceiling:
                    return score
    return score


def _matched_length(pattern: re.Pattern[str]) -> Callable[[str], int]:
    def count(text: str) -> int:
        return sum(map(len, pattern.findall(text)))

    return count


_UNPAIRED_INVERTED = "¡ or ¿ that no ! or ? closes (Spanish pairs them)"


def _unpaired_inverted_marks(text: str) -> int:
    """¡ and ¿ with no ! or ? after them on their line: those after the line's last one.
    (A look-ahead to the end of the line from every mark would be quadratic.)

    >>> _unpaired_inverted_marks("¡Hola! ¿Qué tal? ¡")
    1
    """
    found = 0
    for line in text.split("\n"):
        found += line.count("¡", line.rfind("!") + 1) + line.count("¿", line.rfind("?") + 1)
    return found


def _mostly_accented(text: str) -> int:
    """Accented letters in words of three letters or more that are mostly accented."""
    found = 0
    for word in _LATIN_WORD.findall(text):
        accented = len(_NON_ASCII.findall(word))
        if len(word) >= 3 and 2 * accented > len(word):
            found += accented
    return found


def _foreign_letters(text: str) -> int:
    """Accented Latin letters outside the alphabet of the language that explains most of them."""
    letters = _ACCENTED_LATIN.findall("".join(_ACCENTED_LATIN_ANY_CASE.findall(text)).lower())
    if not letters:
        return 0
    counts = Counter(letters)
    explained = max(sum(counts[char] for char in alphabet) for alphabet in _LATIN_ALPHABET_SETS)
    return len(letters) - explained


def _rare_cjk(text: str) -> int:
    """Han characters outside the first (frequent) level of the national standards, and
    Hangul syllables outside KS X 1001's 2,350 common ones."""
    han = _HAN.findall(text)
    rare = 0
    if han:
        common = _common_kanji() if _KANA.search(text) else _common_hanzi()
        rare += sum(1 for char in han if char not in common)
    hangul = _HANGUL_SYLLABLE.findall(text)
    if hangul:
        common_hangul = _common_hangul()
        rare += sum(1 for char in hangul if char not in common_hangul)
    return rare


def _double_byte_block(codec: str, leads: range, trails: range) -> frozenset[str]:
    block = bytes(byte for lead in leads for trail in trails for byte in (lead, trail))
    return frozenset(block.decode(codec, "ignore"))


@cache
def _common_hanzi() -> frozenset[str]:
    # GB 2312 level 1 (3,755 characters, rows 16-55) and Big5 level 1 (5,401, A440-C67E).
    return _double_byte_block("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF)) | _double_byte_block(
        "big5", range(0xA4, 0xC7), range(0x40, 0xFF)
    )


@cache
def _common_kanji() -> frozenset[str]:
    # JIS X 0208 level 1 (2,965 characters, EUC-JP rows 16-47).
    return _double_byte_block("euc_jp", range(0xB0, 0xD0), range(0xA1, 0xFF))


@cache
def _common_hangul() -> frozenset[str]:
    return _double_byte_block("euc_kr", range(0xB0, 0xC9), range(0xA1, 0xFF))


FEATURES = _features()

"""Bytes to text, deciding the encoding from all the evidence in a fixed order.

1. A byte order mark (it beats every label, as in browsers).
2. A UTF-16 pattern of NUL bytes (UTF-16 text without a BOM).
3. Declared labels: the S3 object's Content-Type charset, then (HTML only) a ``<meta>``
   charset or an XML declaration in the first few KB (``DecodeConfig.prescan_bytes``).
   Labels are read with the WHATWG rules that browsers use (``latin1``, ``iso-8859-1`` and
   ``ascii`` mean windows-1252, ``utf8`` means UTF-8); labels nobody knows (``0``,
   ``iso-1252``) are ignored with a note.
   Strict UTF-8 validity beats a contradicting legacy label, and a label that the bytes
   contradict (a "UTF-8" page that is not UTF-8) is set aside for the next evidence.
4. Valid UTF-8 (the common case: one strict decode, no detector).
5. Detection: every candidate encoding decodes the non-ASCII lines, each result is scored
   for how implausible it looks as text (:mod:`.plausibility`), the least implausible wins.
   Scoring stops for a candidate as soon as it cannot be among the two best (the winner and
   the runner-up the evidence names): the same decision as scoring them all, at a fraction of
   the cost. Pages with hundreds of KB of non-ASCII lines are first scored on the start of
   their text, which decides when one reading wins it clearly.
   charset-normalizer is consulted only when no candidate reads well, and its reading is kept
   only if it scores better.

Decoding never raises: bytes the chosen encoding does not define become U+FFFD and are
counted in ``undecodable``. ``method`` says which rule decided and ``evidence`` says why,
in words, for the page's metadata.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import settings
from .detection import _detect, _non_ascii_lines, _readings
from .labels import (
    _ATTRIBUTE,
    _BOMS,
    _CHARSET_IN_CONTENT,
    _COMMENT,
    _META,
    _NON_ASCII,
    _UTF8_MIXED,
    _XML_DECLARATION,
    _decode,
    _utf8_counts,
    resolve_label,
)
from .plausibility import implausibility, reading_score


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    method: str
    declared: str | None = None
    evidence: tuple[str, ...] = ()
    undecodable: int = 0


def decode_bytes(data: bytes, *, content_type_charset: str | None = None, is_html: bool = False) -> DecodedText:
    """Decode ``data``, recording which evidence decided and why. Never raises.

    >>> decode_bytes("café".encode("utf-8"), content_type_charset="iso-8859-1").encoding
    'utf-8'
    >>> decode_bytes("café".encode("cp1252"), content_type_charset="latin1").method
    'content-type'
    """
    evidence: list[str] = []
    for bom, name in _BOMS:
        if data.startswith(bom):
            text, bad = _decode(data[len(bom) :], name)
            evidence.append(f"byte order mark for {name}")
            return DecodedText(text, name, "bom", content_type_charset, tuple(evidence), bad)

    labels = _declared_labels(data, content_type_charset, is_html, evidence)
    declared = labels[0][2] if labels else None

    utf16 = _utf16_without_bom(data)
    if utf16:
        evidence.append(f"NUL bytes in every other position: {utf16} without a byte order mark")
        text, bad = _decode(data, utf16)
        return DecodedText(text, utf16, "utf-16-pattern", declared, tuple(evidence), bad)
    utf16 = _utf16_text_without_bom(data)
    if utf16:
        evidence.append(
            f"control bytes no 8-bit text has, and a plausible reading as {utf16} (CJK text without a byte order mark)"
        )
        text, bad = _decode(data, utf16)
        return DecodedText(text, utf16, "utf-16-pattern", declared, tuple(evidence), bad)

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _valid_utf8(text, data.isascii(), labels, declared, evidence)

    for method, name, label in labels:
        decoded = _try_label(data, method, name, label, evidence)
        if decoded:
            return DecodedText(decoded[0], decoded[1], method, declared, tuple(evidence), decoded[2])
    name, text, bad = _detect(data, evidence)
    return DecodedText(text, name, "detector", declared, tuple(evidence), bad)


# --- evidence gathering ---------------------------------------------------------------------


def _declared_labels(
    data: bytes, content_type_charset: str | None, is_html: bool, evidence: list[str]
) -> list[tuple[str, str, str]]:
    """Known labels in order of authority as (method, encoding, label as written)."""
    found: list[tuple[str, str | None]] = []
    if content_type_charset is not None:
        found.append(("content-type", content_type_charset))
    head = data[: settings.DECODE.prescan_bytes]
    xml = _XML_DECLARATION.match(head)
    if xml:
        found.append(("xml-declaration", xml.group(1).decode("ascii", "replace")))
    if is_html:
        found.append(("meta", _meta_charset(head)))
    labels = []
    for method, label in found:
        if label is None:
            continue
        name = resolve_label(label)
        if name is None:
            evidence.append(f"{method} label {label!r} is not a known encoding label: ignored")
        elif method != "content-type" and name.startswith("utf-16"):
            # A label readable as ASCII cannot be in UTF-16; browsers read it as UTF-8.
            evidence.append(f"{method} label {label!r} read as utf-8 (a UTF-16 page could not say so in ASCII)")
            labels.append((method, "utf-8", label))
        else:
            labels.append((method, name, label))
    return labels


def _meta_charset(head: bytes) -> str | None:
    """The charset of the first ``<meta>`` that declares one (outside comments).

    >>> _meta_charset(b'<!-- <meta charset="koi8-r"> --><META HTTP-EQUIV="content-type" '
    ...               b'content="text/html; charset=Shift_JIS">')
    'Shift_JIS'
    """
    for tag in _META.finditer(_COMMENT.sub(b"", head)):
        attributes: dict[bytes, bytes] = {
            name.lower(): value.strip(b"\"'") for name, value in _ATTRIBUTE.findall(tag.group(0)[5:])
        }
        if attributes.get(b"charset"):
            return attributes[b"charset"].decode("ascii", "replace")
        if attributes.get(b"http-equiv", b"").lower() == b"content-type":
            match = _CHARSET_IN_CONTENT.search(attributes.get(b"content", b""))
            if match:
                return match.group(1).decode("ascii", "replace")
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    config = settings.DECODE
    sample = data[: config.prescan_bytes]
    units = len(sample) // 2
    if units < 8:
        return None
    even, odd = sample[0::2].count(0) / units, sample[1::2].count(0) / units
    if odd >= config.utf16_nul_share and even <= config.utf16_other_side_max:
        return "utf-16le"
    if even >= config.utf16_nul_share and odd <= config.utf16_other_side_max:
        return "utf-16be"
    return None


def _has_ascii_units(data: bytes, name: str) -> bool:
    """Does the data, read in ``name`` (a UTF-16), hold an ASCII character in its first units?"""
    sample = data[: settings.DECODE.prescan_bytes // 2 * 2]
    high = sample[1::2] if name == "utf-16le" else sample[0::2]
    return 0 in high or len(sample) < 64


def _utf16_text_without_bom(data: bytes) -> str | None:
    """UTF-16 holding few ASCII characters (Chinese, Japanese, Korean text), which has no NUL
    pattern but many bytes in the C0 control range, which no 8-bit text has: the byte order
    whose reading is plausible text, if one is."""
    config = settings.DECODE
    sample = data[: config.prescan_bytes // 2 * 2]
    if len(data) % 2 or len(sample) < 64:
        return None
    controls = sum(sample.count(byte) for byte in range(32) if byte not in (9, 10, 13))
    if controls < config.control_byte_share * len(sample):
        return None
    readings = []
    for name in ("utf-16le", "utf-16be"):
        text = sample.decode(name, "replace")
        if text.count("\ufffd") > 1 or any(ord(char) < 32 and char not in "\t\n\r" for char in text):
            continue
        readings.append((implausibility(text) / len(text), name))
    best = min(readings, default=None)
    return best[1] if best and best[0] < config.utf16_reading_max else None


def _valid_utf8(
    text: str, is_ascii: bool, labels: list[tuple[str, str, str]], declared: str | None, evidence: list[str]
) -> DecodedText:
    if is_ascii:
        # Every ASCII-compatible label reads ASCII the same way; report the declared one.
        method, name = (labels[0][0], labels[0][1]) if labels else ("ascii", "utf-8")
        if name.startswith("utf-16") or name == "iso-2022-jp":
            method, name = "ascii", "utf-8"
        evidence.append("only ASCII bytes")
        return DecodedText(text, name, method, declared, tuple(evidence), 0)
    for method, name, label in labels:
        if name == "utf-8":
            evidence.append(f"{method} label {label!r} and the bytes are valid UTF-8")
            return DecodedText(text, "utf-8", method, declared, tuple(evidence), 0)
        evidence.append(f"{method} label {label!r} ({name}) contradicted: the bytes are valid UTF-8")
    evidence.append("valid UTF-8 with non-ASCII characters")
    return DecodedText(text, "utf-8", "utf-8-valid", declared, tuple(evidence), 0)


def _try_label(data: bytes, method: str, name: str, label: str, evidence: list[str]) -> tuple[str, str, int] | None:
    """Decode with a declared encoding unless the bytes contradict it (they are not UTF-8)."""
    if name == "utf-8":
        valid, invalid = _utf8_counts(data)
        if valid >= settings.DECODE.utf8_valid_per_invalid * invalid:
            text, bad = _decode(data, _UTF8_MIXED)
            evidence.append(f"{method} label {label!r}; {invalid} stray non-UTF-8 bytes read as windows-1252")
            return text, "utf-8", bad
        evidence.append(f"{method} label {label!r} contradicted: {invalid} bytes are not UTF-8")
        return None
    if name.startswith("utf-16") and len(data) % 2:
        evidence.append(f"{method} label {label!r} contradicted: odd number of bytes")
        return None
    if name.startswith("utf-16") and not _has_ascii_units(data, name):
        # UTF-16 text always has some ASCII (spaces, line breaks, markup): a zero byte in the
        # high half of a unit. Bytes of an 8-bit page have none, whatever a header says.
        evidence.append(f"{method} label {label!r} contradicted: not one ASCII character in {name}")
        return None
    text, bad = _decode(data, name)
    if bad and name != "windows-1252":  # windows-1252 leaves 5 bytes undefined; real pages use them
        evidence.append(f"{method} label {label!r} contradicted: {bad} bytes undefined in {name}")
        return None
    # A label can name the wrong legacy encoding (a CMS default): when its reading looks
    # like mojibake and another reads at least twice as well, the label is set aside.
    sample = _non_ascii_lines(data)
    declared_text, declared_bad = _decode(sample, name)
    declared_score = reading_score(declared_text, declared_bad, math.inf)
    if declared_score > settings.DECODE.bad_label_reading * len(_NON_ASCII.findall(declared_text)):
        # Only a reading under half the label's score sets the label aside: look for no other.
        better = _readings(sample, 1, below=declared_score / 2)
        if better:
            best_score, _rank, best, _text = better[0]
            evidence.append(
                f"{method} label {label!r} contradicted: its reading scores {declared_score:.1f} "
                f"implausibility, {best} {best_score:.1f}"
            )
            return None
    evidence.append(f"{method} label {label!r} means {name}")
    return text, name, bad

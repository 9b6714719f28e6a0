"""The tuning knobs of decoding, one frozen object per concern. The code reads the module's
default instances (``DECODE``, ``COMPRESSION``) when it runs, so a test swaps one for a
``dataclasses.replace`` of it. Facts (label tables, codecs, file signatures) stay beside the
code that uses them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DecodeConfig:
    """How the decoder weighs its evidence (see decoder.py for the order)."""

    # WHATWG prescans 1024 bytes for a <meta> charset; pages with long <head> scripts put the
    # meta later, so we look a little further (the brief's 4 KB). The UTF-16 sniffs look at
    # as many bytes.
    prescan_bytes: int = 4096
    # Share of UTF-16 code units whose high byte is NUL in Latin-script UTF-16 text is high
    # (most characters are ASCII); in 8-bit text NULs are near absent. These two leave wide
    # margins on both sides.
    utf16_nul_share: float = 0.3
    utf16_other_side_max: float = 0.02
    # Share of C0 control bytes (but tab, LF, CR) above which bytes are no 8-bit text.
    control_byte_share: float = 0.02
    # A reading of UTF-16 is taken when its implausibility per character is under this (real
    # CJK text scores near 0; the other byte order, or 8-bit bytes paired up, score far higher).
    utf16_reading_max: float = 0.5
    # A UTF-8 page may carry a few stray windows-1252 bytes (a pasted fragment). With at least
    # this many valid multi-byte characters per invalid byte it is read as UTF-8 and only the
    # strays as windows-1252; below it the page goes to detection (where that reading competes).
    utf8_valid_per_invalid: int = 4
    # Detection scores the non-ASCII lines up to this many bytes, and never more than
    # ``max_detection_bytes`` of them (one line can hold megabytes).
    detection_sample_bytes: int = 64 * 1024
    max_detection_bytes: int = 256 * 1024
    # Pages whose non-ASCII lines run past the sample size (one line of minified HTML can hold
    # hundreds of KB) are first scored on this many bytes of their text, and that reading
    # stands if it wins clearly: the runner-up scores at least ``clear_win_ratio`` times the
    # winner plus ``clear_win_margin`` (two undecodable bytes). Set so that the dev pages and
    # their re-encodings in every candidate decide as on the whole sample.
    first_sample_bytes: int = 16 * 1024
    clear_win_ratio: float = 2.0
    clear_win_margin: float = 16.0
    # Past this implausibility per non-ASCII character no candidate reads well: ask
    # charset-normalizer, which knows more encodings, and take its reading if it scores better.
    poor_reading: float = 0.5
    # A declared label's reading is questioned only past this implausibility per non-ASCII
    # character (and set aside only for a reading under half its score): pages do use odd
    # bytes (a windows-1251 page with 0x9E as a Wingdings bullet), and the label is the
    # publisher's word.
    bad_label_reading: float = 2.0


DECODE = DecodeConfig()


@dataclass(frozen=True)
class CompressionLimits:
    """How decompression streams its input, and what it refuses."""

    # Compressed input is fed to zlib a slice of this size at a time, so what zlib copies as
    # ``unused_data`` after a stream's end is at most one slice.
    feed_bytes: int = 64 * 1024
    # Real multi-member streams (concatenated files, BGZF's 64 KiB blocks) have a few hundred
    # members at most within the size limit; tens of thousands of them is a denial of service.
    max_gzip_members: int = 10_000


COMPRESSION = CompressionLimits()

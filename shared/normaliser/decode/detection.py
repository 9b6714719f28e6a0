"""Encoding detection: every candidate reads the bytes, the reading that looks least like
mojibake wins (see :mod:`.plausibility`)."""

from __future__ import annotations

import math
import re

from . import settings
from .labels import _CANDIDATES, _CODECS, _NON_ASCII, _UTF8_MIXED, _decode, _utf8_counts, resolve_label
from .plausibility import UNDECODABLE_WEIGHT, implausibility, reading_score


def _non_ascii_lines(data: bytes) -> bytes:
    """The lines holding non-ASCII bytes, up to a sample size: ASCII reads the same in every
    candidate. Splitting at LF is safe: no candidate uses byte 0x0A inside a character."""
    config = settings.DECODE
    lines, size = [], 0
    for line in data.split(b"\n"):
        if not line.isascii():
            lines.append(line)
            size += len(line) + 1
            if size >= config.detection_sample_bytes:
                break
    # Every candidate decodes and scores the sample: bounded, so that one line of megabytes
    # (minified markup, or bytes no reading explains) costs no more than this much text.
    return _first_bytes(b"\n".join(lines), config.max_detection_bytes)


def _detect(data: bytes, evidence: list[str]) -> tuple[str, str, int]:
    config = settings.DECODE
    sample, where = _non_ascii_lines(data), ""
    # A page of a few long lines (minified HTML) can hold megabytes of non-ASCII lines. Its
    # first pieces of text decide when one reading wins them clearly; otherwise the whole
    # sample is scored.
    if len(sample) > config.detection_sample_bytes:
        first = _first_sample(sample)
        readings = _readings(first, 2)
        if _clear_win(readings):
            sample, where = first, f" in {len(first)} bytes of text"
    if not where:
        readings = _readings(sample, 2)  # the winner and the runner-up named in the evidence
    score, _rank, name, _text = readings[0]
    non_ascii = len(_NON_ASCII.findall(readings[0][3])) or 1
    if score / non_ascii > config.poor_reading:
        name, score = _ask_detector(sample, name, score, evidence)
    runner_up = next(reading for reading in readings if reading[2] != name)
    evidence.append(
        f"detected {'utf-8 with stray windows-1252 bytes' if name == _UTF8_MIXED else name}: implausibility "
        f"{score:.1f} over {non_ascii} non-ASCII characters{where}; next best {runner_up[2]} {runner_up[0]:.1f}"
    )
    text, bad = _decode(data, name)
    return ("utf-8" if name == _UTF8_MIXED else name), text, bad


def _first_sample(sample: bytes) -> bytes:
    """The first pieces of ``sample`` between line breaks and tag brackets that hold non-ASCII
    bytes (the page's text rather than its scripts and markup), up to the configured
    ``first_sample_bytes``. No candidate uses the bytes LF, < or > inside a multi-byte
    character."""
    limit = settings.DECODE.first_sample_bytes
    pieces, size = [], 0
    for piece in _PIECE_BREAK.split(sample):
        if not piece.isascii():
            pieces.append(piece)
            size += len(piece) + 1
            if size >= limit:
                break
    return _first_bytes(b"\n".join(pieces), limit)


_PIECE_BREAK = re.compile(rb"[\n<>]")


def _first_bytes(sample: bytes, size: int) -> bytes:
    """The start of ``sample``, cut before a byte under 0x40: no candidate uses those bytes
    inside a multi-byte character (trail bytes start at 0x40), so no character is split."""
    if len(sample) <= size:
        return sample
    cut = max(sample.rfind(bytes([byte]), 0, size) for byte in b" \n\t\"'=;,.:/")
    return sample[:cut] if cut > 0 else sample[:size]


def _clear_win(readings: list[tuple[float, int, str, str]]) -> bool:
    """Whether the winner of a first sample is far enough ahead to stand for the whole page
    (and reads well enough that charset-normalizer will not be asked)."""
    config = settings.DECODE
    (best, _rank, _name, text), (runner_up, *_rest) = readings
    reads_well = best <= config.poor_reading * len(_NON_ASCII.findall(text))
    return reads_well and runner_up >= config.clear_win_ratio * best + config.clear_win_margin


def _readings(sample: bytes, keep: int, below: float = math.inf) -> list[tuple[float, int, str, str]]:
    """The ``keep`` best candidate readings of ``sample`` that score under ``below``, as
    (implausibility, rank, name, text), best first: the same as scoring every candidate and
    sorting, but a candidate is given up as soon as its partial score shows it cannot make
    the list (see reading_score), which spares most of the scoring."""
    valid, _invalid = _utf8_counts(sample)
    names = ([_UTF8_MIXED] if valid else []) + list(_CANDIDATES)
    decoded = []
    for rank, name in enumerate(names):
        text, bad = _decode(sample, name)
        decoded.append((bad, rank, name, text))
    decoded.sort()
    best: list[tuple[float, int, str, str]] = []
    for bad, rank, name, text in decoded:  # fewest undecodable bytes first: the likely winners
        ceiling = best[-1][0] if len(best) == keep else below
        score = reading_score(text, bad, ceiling)
        if score <= ceiling and score < below:
            best = sorted([*best, (score, rank, name, text)])[:keep]
    return best


def _ask_detector(sample: bytes, name: str, score: float, evidence: list[str]) -> tuple[str, float]:
    from charset_normalizer import from_bytes  # loaded only for the rare page that needs it

    match = from_bytes(sample).best()
    whatwg = resolve_label(match.encoding.replace("_", "-")) if match else None
    if match is None or whatwg is None or whatwg not in _CODECS:
        evidence.append(f"no candidate reads well; charset-normalizer has no usable guess ({match and match.encoding})")
        return name, score
    text, bad = _decode(sample, whatwg)
    theirs = implausibility(text) + UNDECODABLE_WEIGHT * bad
    if theirs < score:
        evidence.append(f"no candidate reads well; charset-normalizer's {whatwg} reads better ({theirs:.1f})")
        return whatwg, theirs
    evidence.append(f"no candidate reads well; charset-normalizer's {whatwg} reads no better ({theirs:.1f})")
    return name, score

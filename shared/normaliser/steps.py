"""The steps of the pipeline: named functions of one shape, each taking the :class:`Work` so
far and moving it on (or raising RejectedInput), in the order of the lists ``COMMON_STEPS``,
then ``HTML_STEPS`` or ``TEXT_STEPS``. :func:`run_steps` runs a list, checking the cooperative
time limit between every two steps and noting what each did. Each step calls into the
sub-package of its stage."""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace

from .config import NormaliserConfig
from .decode.compression import decompress
from .decode.decoder import decode_bytes
from .decode.formats import detect_format
from .errors import RejectedInput
from .guard import Deadline, check_line_lengths, check_size
from .html.ensemble import is_doubtful, second_opinion
from .html.extract import clean_html, visible_text
from .page import Extraction, PageMetadata
from .reasons import Reason
from .record import SourceObject, StepRun, Trace
from .repair.mojibake import repair_text
from .repair.whitespace import normalise_line, normalise_newlines, normalise_whitespace
from .text.boilerplate import clean_text_dump

# Control characters that never occur in text (all C0 but tab, LF, CR, FF).
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class BinaryCheck:
    """What marks a page as binary data rather than text."""

    # Pages with more than this share of control characters are binary; fewer are stray
    # bytes and are dropped.
    control_share: float = 0.02
    # File signatures of formats that are never pages.
    magic: tuple[tuple[bytes, str], ...] = (
        (b"\x89PNG", "png"),
        (b"\xff\xd8\xff", "jpeg"),
        (b"GIF8", "gif"),
        (b"%PDF", "pdf"),
        (b"PK\x03\x04", "zip"),
        (b"RIFF", "riff"),
        (b"\x7fELF", "elf"),
        (b"BZh", "bzip2"),
        (b"\xfd7zXZ", "xz"),
        (b"7z\xbc\xaf", "7z"),
        (b"\x00\x00\x00", "iso-media"),
        (b"OggS", "ogg"),
        (b"ID3", "mp3"),
        (b"wOFF", "woff"),
    )


BINARY = BinaryCheck()


@dataclass
class Work:
    """What flows from step to step: the bytes, then the text, then the article."""

    source: SourceObject
    config: NormaliserConfig
    trace: Trace
    data: bytes
    deadline: Deadline
    text: str | None = None
    extraction: Extraction | None = None

    def size(self) -> tuple[int, str]:
        if self.extraction is not None:
            return len(self.extraction.paragraphs), "lines"
        if self.text is not None:
            return len(self.text), "characters"
        return len(self.data), "bytes"

    def current_text(self) -> str:
        assert self.text is not None, "a step that reads text runs after decode"
        return self.text

    def current_extraction(self) -> Extraction:
        assert self.extraction is not None, "a step that reads the article runs after the extraction"
        return self.extraction


def drop_control_characters(text: str) -> tuple[str, int]:
    """Remove stray C0 controls; reject text that is mostly controls (binary data).

    >>> drop_control_characters("A longer page of text, with one stray\\x00 NUL byte in the middle.")
    ('A longer page of text, with one stray NUL byte in the middle.', 1)
    """
    if not _CONTROL_CHARS.search(text):  # the common case: one scan, no list
        return text, 0
    found = len(_CONTROL_CHARS.findall(text))
    if found > BINARY.control_share * len(text):
        raise RejectedInput(Reason.BINARY, f"{found} control characters in {len(text)}: not text")
    return _CONTROL_CHARS.sub("", text), found


def reject_binary_signature(data: bytes) -> None:
    for magic, kind in BINARY.magic:
        if data.startswith(magic):
            raise RejectedInput(Reason.BINARY, f"starts like a {kind} file, not a page")


def _tidy(paragraphs: tuple[str, ...] | list[str]) -> list[str]:
    return [line for line in (normalise_line(p) for p in paragraphs) if line]


def _repair(text: str, trace: Trace, *, unescape_entities: bool = True) -> str:
    # Line breaks first: ftfy judges mojibake line by line, and a bare CR would otherwise
    # join two lines for the first pass and split them for the next (not idempotent).
    trace.repair = repair_text(normalise_newlines(text), unescape_entities=unescape_entities)
    return trace.repair.text


def _repair_metadata(metadata: PageMetadata) -> PageMetadata:
    fields = {
        name: (normalise_line(repair_text(value).text) or None) if value else value
        for name, value in asdict(metadata).items()
    }
    return PageMetadata(**fields)


def _charset(content_type: str | None) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type or "", re.I)
    return match.group(1) if match else None


# The steps. A step reads ``work.text`` only after ``decode``, and the article only after
# the extraction (``extraction`` or ``boilerplate``).


def _check_size(work: Work) -> None:
    if not work.data:
        raise RejectedInput(Reason.EMPTY, "the object has no bytes")
    check_size(len(work.data), work.config.max_input_bytes, "the object")


def _decompress(work: Work) -> None:
    source, trace = work.source, work.trace
    work.data, trace.compression = decompress(
        work.data, content_encoding=source.content_encoding, key=source.key, limit=work.config.max_decompressed_bytes
    )
    if not work.data.strip():
        raise RejectedInput(Reason.EMPTY, "no content after decompression" if trace.compression else "only whitespace")


def _binary_signature(work: Work) -> None:
    reject_binary_signature(work.data)


def _detect_format(work: Work) -> None:
    source = work.source
    work.trace.format = detect_format(
        work.data, key=source.key, content_type=source.content_type, override=work.config.format
    )


def _decode(work: Work) -> None:
    work.trace.decoded = decode_bytes(
        work.data, content_type_charset=_charset(work.source.content_type), is_html=work.trace.format == "html"
    )
    work.text = work.trace.decoded.text


def _control_characters(work: Work) -> None:
    work.text, work.trace.control_chars_removed = drop_control_characters(work.current_text())


def _html_extraction(work: Work) -> None:
    text = work.current_text()
    work.extraction = (
        Extraction(paragraphs=tuple(visible_text(text))) if work.config.keep_boilerplate else clean_html(text)
    )
    work.trace.lines_in = len(work.extraction.paragraphs) + len(work.extraction.removed)


def _second_opinion(work: Work) -> None:
    """On a page whose extraction looks doubtful, what trafilatura and readability-lxml keep
    (see html/ensemble.py); the time limit is checked before each of them runs."""
    extraction = work.current_extraction()
    if work.config.peer_extractors and not work.config.keep_boilerplate and is_doubtful(extraction):
        work.extraction, _ = second_opinion(work.current_text(), extraction, before_each=work.deadline.check)


def _html_repair(work: Work) -> None:
    extraction = work.current_extraction()
    # The parser decoded the page's entities once; ftfy must not decode them again.
    text = _repair("\n".join(extraction.paragraphs), work.trace, unescape_entities=False)
    paragraphs = _tidy(text.split("\n"))
    check_line_lengths(paragraphs, work.config.max_line_chars)
    work.extraction = Extraction(tuple(paragraphs), extraction.removed, _repair_metadata(extraction.metadata))


def _text_repair(work: Work) -> None:
    work.text = normalise_whitespace(_repair(work.current_text(), work.trace))
    lines = work.text.split("\n")
    check_line_lengths(lines, work.config.max_line_chars)
    work.trace.lines_in = sum(1 for line in lines if line)


def _text_boilerplate(work: Work) -> None:
    text = work.current_text()
    if work.config.keep_boilerplate:
        work.extraction = Extraction(paragraphs=tuple(text.split("\n")))
    else:
        # Its lines are already normalised (normalise_whitespace) and non-blank: no final tidy.
        work.extraction = clean_text_dump(text)


# C1 controls (what is left of them after repair) and the bidirectional overrides and
# isolates, which can reorder what a reader sees: never article text.
_FORMAT_CONTROLS = re.compile("[\x80-\x9f\u202a-\u202e\u2066-\u2069]")


def _finish(work: Work) -> None:
    """The last step, on the article's lines: format controls dropped (counted with the
    other control characters) and NFC, which an earlier removal may have undone (a mark
    that followed a removed zero-width character now follows a letter)."""
    extraction, trace = work.current_extraction(), work.trace
    paragraphs = []
    for line in extraction.paragraphs:
        if _FORMAT_CONTROLS.search(line):
            trace.control_chars_removed += len(_FORMAT_CONTROLS.findall(line))
            line = normalise_line(_FORMAT_CONTROLS.sub("", line))
            if not line:
                continue
        paragraphs.append(line if unicodedata.is_normalized("NFC", line) else unicodedata.normalize("NFC", line))
    work.extraction = replace(extraction, paragraphs=tuple(paragraphs))


Step = Callable[[Work], None]

# Every page: bytes to clean text.
COMMON_STEPS: tuple[tuple[str, Step], ...] = (
    ("size", _check_size),
    ("decompress", _decompress),
    ("binary-signature", _binary_signature),
    ("format", _detect_format),
    ("decode", _decode),
    ("control-characters", _control_characters),
)
# Then, by format: text to the article.
HTML_STEPS: tuple[tuple[str, Step], ...] = (
    ("extraction", _html_extraction),
    ("second-opinion", _second_opinion),
    ("repair", _html_repair),
    ("finish", _finish),
)
TEXT_STEPS: tuple[tuple[str, Step], ...] = (
    ("repair", _text_repair),
    ("boilerplate", _text_boilerplate),
    ("finish", _finish),
)


def run_steps(work: Work, steps: tuple[tuple[str, Step], ...]) -> None:
    """Run ``steps`` in order on ``work``, noting each run in ``work.trace.steps``."""
    trace = work.trace
    for name, step in steps:
        if trace.steps:  # the cooperative time limit, between every two steps
            work.deadline.check(name)
        size_in, _ = work.size()
        started = time.perf_counter()
        step(work)
        size_out, unit = work.size()
        trace.steps.append(StepRun(name, time.perf_counter() - started, size_in, size_out, unit))

"""The pipeline: raw object bytes to a normalised article and its metadata record.

The steps are named functions in lists (``COMMON_STEPS``, then ``HTML_STEPS`` or
``TEXT_STEPS``), run in order by :func:`_run_steps`, which checks the cooperative time limit
between every two of them and notes what each did (``NormalisedPage.steps``). Each step calls
into the sub-package of its stage; this module only sequences them and assembles the record
(:class:`PageRecord`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import TypedDict

from . import PIPELINE_VERSION
from .config import NormaliserConfig
from .decode.compression import decompress
from .decode.decoder import DecodedText, decode_bytes
from .decode.formats import detect_format
from .errors import RejectedInput
from .guard import Deadline, check_line_lengths, check_size
from .html.ensemble import is_doubtful, load_peers, second_opinion
from .html.extract import clean_html, visible_text
from .isolation import can_isolate, run_isolated
from .page import Extraction, PageMetadata, RemovedLine
from .reasons import Reason, Removal, Status
from .repair.mojibake import Repair, repair_text
from .repair.whitespace import normalise_line, normalise_newlines, normalise_whitespace
from .text.boilerplate import clean_text_dump

logger = logging.getLogger(__name__)

DEFAULT_CONFIG = NormaliserConfig()

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
        (b"\x89PNG", "png"), (b"\xff\xd8\xff", "jpeg"), (b"GIF8", "gif"), (b"%PDF", "pdf"), (b"PK\x03\x04", "zip"),
        (b"RIFF", "riff"), (b"\x7fELF", "elf"), (b"BZh", "bzip2"), (b"\xfd7zXZ", "xz"), (b"7z\xbc\xaf", "7z"),
        (b"\x00\x00\x00", "iso-media"), (b"OggS", "ogg"), (b"ID3", "mp3"), (b"wOFF", "woff"),
    )


BINARY = BinaryCheck()


@dataclass(frozen=True)
class SourceObject:
    """Where the raw bytes came from (S3 or a file); recorded in the metadata."""

    key: str
    bucket: str | None = None
    version_id: str | None = None
    etag: str | None = None
    size: int | None = None
    content_type: str | None = None
    content_encoding: str | None = None


@dataclass(frozen=True)
class OutputLocation:
    bucket: str | None
    text_key: str
    metadata_key: str


@dataclass(frozen=True)
class StepRun:
    """What one step did to one page: its name, how long it took, and the size of what it
    was given and what it passed on (``unit``: bytes, characters or lines)."""

    name: str
    seconds: float
    size_in: int
    size_out: int
    unit: str

    @property
    def changed(self) -> bool:
        return self.size_in != self.size_out


@dataclass(frozen=True)
class NormalisedPage:
    """The result for one object. ``text`` is ``None`` unless ``status == "normalised"``.

    ``steps`` says what each step did and how long it took; it is for profiling and
    debugging, not part of the record (``metadata``), and not compared."""

    status: Status
    metadata: PageRecord
    text: str | None = None
    steps: tuple[StepRun, ...] = field(default=(), compare=False)

    @property
    def reason(self) -> str | None:
        return self.metadata["reason"]

    @property
    def removed_lines(self) -> int:
        return len(self.metadata["removed"])

    @property
    def repaired(self) -> bool:
        return bool(self.metadata["encoding"]["mojibake_repaired"])

    def text_bytes(self) -> bytes:
        return (self.text or "").encode("utf-8")

    def metadata_bytes(self) -> bytes:
        # Compact: an indented dump would take the pure-Python encoder, 5-7% of a page's time.
        return (json.dumps(self.metadata, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


@dataclass
class _Trace:
    """What the steps found, filled in as they run (so a rejection still reports it)."""

    format: str | None = None
    compression: str | None = None
    decoded: DecodedText | None = None
    repair: Repair | None = None
    control_chars_removed: int = 0
    lines_in: int = 0
    steps: list[StepRun] = field(default_factory=list)


@dataclass
class _Work:
    """What flows from step to step: the bytes, then the text, then the article."""

    source: SourceObject
    config: NormaliserConfig
    trace: _Trace
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


def _repair(text: str, trace: _Trace, *, unescape_entities: bool = True) -> str:
    # Line breaks first: ftfy judges mojibake line by line, and a bare CR would otherwise
    # join two lines for the first pass and split them for the next (not idempotent).
    trace.repair = repair_text(normalise_newlines(text), unescape_entities=unescape_entities)
    return trace.repair.text


# The steps. Each takes the work so far and moves it on (or raises RejectedInput); the
# step lists below give their order. A step reads ``work.text`` only after ``decode``.


def _check_size(work: _Work) -> None:
    if not work.data:
        raise RejectedInput(Reason.EMPTY, "the object has no bytes")
    check_size(len(work.data), work.config.max_input_bytes, "the object")


def _decompress(work: _Work) -> None:
    source, trace = work.source, work.trace
    work.data, trace.compression = decompress(
        work.data, content_encoding=source.content_encoding, key=source.key, limit=work.config.max_decompressed_bytes
    )
    if not work.data.strip():
        raise RejectedInput(Reason.EMPTY, "no content after decompression" if trace.compression else "only whitespace")


def _binary_signature(work: _Work) -> None:
    reject_binary_signature(work.data)


def _detect_format(work: _Work) -> None:
    source = work.source
    work.trace.format = detect_format(work.data, key=source.key, content_type=source.content_type,
                                      override=work.config.format)


def _decode(work: _Work) -> None:
    work.trace.decoded = decode_bytes(
        work.data, content_type_charset=_charset(work.source.content_type), is_html=work.trace.format == "html"
    )
    work.text = work.trace.decoded.text


def _control_characters(work: _Work) -> None:
    work.text, work.trace.control_chars_removed = drop_control_characters(_text(work))


def _html_extraction(work: _Work) -> None:
    text = _text(work)
    work.extraction = (Extraction(paragraphs=tuple(visible_text(text))) if work.config.keep_boilerplate
                       else clean_html(text))
    work.trace.lines_in = len(work.extraction.paragraphs) + len(work.extraction.removed)


def _second_opinion(work: _Work) -> None:
    """On a page whose extraction looks doubtful, what trafilatura and readability-lxml keep
    (see html/ensemble.py); the time limit is checked before each of them runs."""
    extraction = _extraction(work)
    if work.config.peer_extractors and not work.config.keep_boilerplate and is_doubtful(extraction):
        work.extraction, _ = second_opinion(_text(work), extraction, before_each=work.deadline.check)


def _html_repair(work: _Work) -> None:
    extraction = _extraction(work)
    # The parser decoded the page's entities once; ftfy must not decode them again.
    text = _repair("\n".join(extraction.paragraphs), work.trace, unescape_entities=False)
    paragraphs = _tidy(text.split("\n"))
    check_line_lengths(paragraphs, work.config.max_line_chars)
    work.extraction = Extraction(tuple(paragraphs), extraction.removed, _repair_metadata(extraction.metadata))


def _text_repair(work: _Work) -> None:
    work.text = normalise_whitespace(_repair(_text(work), work.trace))
    lines = work.text.split("\n")
    check_line_lengths(lines, work.config.max_line_chars)
    work.trace.lines_in = sum(1 for line in lines if line)


def _text_boilerplate(work: _Work) -> None:
    text = _text(work)
    if work.config.keep_boilerplate:
        work.extraction = Extraction(paragraphs=tuple(text.split("\n")))
    else:
        # Its lines are already normalised (normalise_whitespace) and non-blank: no final tidy.
        work.extraction = clean_text_dump(text)


# C1 controls (what is left of them after repair) and the bidirectional overrides and
# isolates, which can reorder what a reader sees: never article text.
_FORMAT_CONTROLS = re.compile("[\x80-\x9f\u202a-\u202e\u2066-\u2069]")


def _finish(work: _Work) -> None:
    """The last step, on the article's lines: format controls dropped (counted with the
    other control characters) and NFC, which an earlier removal may have undone (a mark
    that followed a removed zero-width character now follows a letter)."""
    extraction, trace = _extraction(work), work.trace
    paragraphs = []
    for line in extraction.paragraphs:
        if _FORMAT_CONTROLS.search(line):
            trace.control_chars_removed += len(_FORMAT_CONTROLS.findall(line))
            line = normalise_line(_FORMAT_CONTROLS.sub("", line))
            if not line:
                continue
        paragraphs.append(line if unicodedata.is_normalized("NFC", line) else unicodedata.normalize("NFC", line))
    work.extraction = replace(extraction, paragraphs=tuple(paragraphs))


def _text(work: _Work) -> str:
    assert work.text is not None, "a step that reads text runs after decode"
    return work.text


def _extraction(work: _Work) -> Extraction:
    assert work.extraction is not None, "a step that reads the article runs after the extraction"
    return work.extraction


Step = Callable[[_Work], None]

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


def _run_steps(work: _Work, steps: tuple[tuple[str, Step], ...], deadline: Deadline) -> None:
    trace = work.trace
    for name, step in steps:
        if trace.steps:  # the cooperative time limit, between every two steps
            deadline.check(name)
        size_in, _ = work.size()
        started = time.perf_counter()
        step(work)
        size_out, unit = work.size()
        trace.steps.append(StepRun(name, time.perf_counter() - started, size_in, size_out, unit))


def _extract(data: bytes, source: SourceObject, config: NormaliserConfig, trace: _Trace) -> Extraction:
    deadline = Deadline(config.max_seconds_per_page)
    work = _Work(source, config, trace, data, deadline)
    _run_steps(work, COMMON_STEPS, deadline)
    _run_steps(work, HTML_STEPS if trace.format == "html" else TEXT_STEPS, deadline)
    return _extraction(work)


def _repair_metadata(metadata: PageMetadata) -> PageMetadata:
    fields = {name: (normalise_line(repair_text(value).text) or None) if value else value
              for name, value in asdict(metadata).items()}
    return PageMetadata(**fields)


def _charset(content_type: str | None) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type or "", re.I)
    return match.group(1) if match else None


def normalise_page(
    data: bytes, source: SourceObject, output: OutputLocation, config: NormaliserConfig = DEFAULT_CONFIG
) -> NormalisedPage:
    """Normalise one raw object. Never raises: a page that cannot be normalised comes back
    with ``status="rejected"`` (bad input) or ``"failed"`` (a bug) and a ``reason``."""
    trace = _Trace()
    try:
        extraction = _extract(data, source, config, trace)
        if not extraction.paragraphs:
            record = _record(source, output, trace, status=Status.REJECTED, reason=Reason.NO_ARTICLE,
                             data_size=len(data), detail="no line of the page looks like article text",
                             extraction=extraction)
            return NormalisedPage(Status.REJECTED, record, steps=tuple(trace.steps))
        text = "\n".join(extraction.paragraphs) + "\n"
        record = _record(source, output, trace, status=Status.NORMALISED, extraction=extraction, text=text,
                         data_size=len(data))
    except RejectedInput as exc:
        record = _record(source, output, trace, status=Status.REJECTED, reason=exc.reason, detail=exc.detail,
                         data_size=len(data))
        return NormalisedPage(Status.REJECTED, record, steps=tuple(trace.steps))
    except Exception as exc:  # a bug of ours, not bad input: recorded, since retrying cannot help
        logger.exception("normaliser failed on %s", source.key)
        record = _record(source, output, trace, status=Status.FAILED, reason=Reason.INTERNAL_ERROR,
                         detail=f"{type(exc).__name__}: {exc}", data_size=len(data))
        return NormalisedPage(Status.FAILED, record, steps=tuple(trace.steps))
    return NormalisedPage(Status.NORMALISED, record, text=text, steps=tuple(trace.steps))


def normalise_page_bounded(
    data: bytes, source: SourceObject, output: OutputLocation, config: NormaliserConfig = DEFAULT_CONFIG
) -> NormalisedPage:
    """:func:`normalise_page` under hard bounds: in a forked child killed past
    ``max_seconds_per_page`` (plus a second, so the cooperative deadline answers first when it
    can) and capped at ``max_page_memory_bytes``; past either, the page is rejected with
    ``time-limit`` or ``memory-limit``. Runs in-process when ``config.isolate`` is off or the
    platform cannot fork."""
    if not (config.isolate and can_isolate()):
        return normalise_page(data, source, output, config)
    outcome = run_isolated(lambda: normalise_page(data, source, output, config),
                           seconds=config.max_seconds_per_page + 1, memory_bytes=config.max_page_memory_bytes)
    if outcome.value is not None:
        if config.peer_extractors and outcome.value.metadata["format"] == "html":
            # What a child imports is lost with it: the parent loads the HTML peers once, so
            # that later children inherit them (only processes that see HTML pay for them).
            load_peers()
        return outcome.value
    if outcome.limit == Reason.TIME_LIMIT:
        detail = f"{outcome.detail}; raise MAX_SECONDS_PER_PAGE to allow it"
        return reject_page(source, output, RejectedInput(Reason.TIME_LIMIT, detail), data_size=len(data))
    if outcome.limit == Reason.MEMORY_LIMIT:
        detail = f"{outcome.detail} ({config.max_page_memory_bytes} bytes); raise MAX_PAGE_MEMORY_BYTES to allow it"
        return reject_page(source, output, RejectedInput(Reason.MEMORY_LIMIT, detail), data_size=len(data))
    logger.error("normaliser process failed on %s: %s", source.key, outcome.error)
    record = _record(source, output, _Trace(), status=Status.FAILED, reason=Reason.INTERNAL_ERROR,
                     detail=outcome.error or "unknown", data_size=len(data))
    return NormalisedPage(Status.FAILED, record)


def reject_page(source: SourceObject, output: OutputLocation, rejection: RejectedInput,
                data_size: int | None = None) -> NormalisedPage:
    """The record for an object that was never read (gone, or over the size limit), or whose
    processing was stopped (``data_size``: the bytes it had)."""
    record = _record(source, output, _Trace(), status=Status.REJECTED, reason=rejection.reason,
                     detail=rejection.detail, data_size=source.size or 0 if data_size is None else data_size)
    return NormalisedPage(Status.REJECTED, record)


# The record: what is written as the page's metadata JSON, key for key in this order.


class SourceRecord(TypedDict):
    bucket: str | None
    key: str
    version_id: str | None
    etag: str | None
    size: int
    content_type: str | None


class OutputRecord(TypedDict):
    bucket: str | None
    text_key: str | None
    metadata_key: str


class EncodingRecord(TypedDict):
    compression: str | None
    detected: str | None
    method: str | None
    declared: str | None
    evidence: list[str]
    undecodable_bytes: int
    control_characters_removed: int
    mojibake_repaired: bool
    fixes: list[str]


class RemovedRecord(TypedDict):
    text: str
    reason: str  # a Removal
    index: int


class StatsRecord(TypedDict):
    bytes_in: int
    bytes_out: int
    lines_in: int
    lines_out: int
    lines_removed: int


class PageRecord(TypedDict):
    status: str  # a Status
    reason: str | None  # a Reason
    detail: str | None
    title: str | None
    author: str | None
    published: str | None
    site_name: str | None
    language: str | None
    format: str | None
    source: SourceRecord
    output: OutputRecord
    encoding: EncodingRecord
    removed: list[RemovedRecord]
    stats: StatsRecord
    pipeline_version: str
    text_sha256: str | None


def _removed(line: RemovedLine) -> RemovedRecord:
    # Removal() refuses a reason that is not registered (reasons.py): the page fails loudly.
    return {"text": line.text, "reason": Removal(line.reason).value, "index": line.index}


def _record(
    source: SourceObject,
    output: OutputLocation,
    trace: _Trace,
    *,
    status: Status,
    data_size: int,
    reason: Reason | None = None,
    detail: str | None = None,
    extraction: Extraction | None = None,
    text: str | None = None,
) -> PageRecord:
    meta = extraction.metadata if extraction else PageMetadata()
    text_bytes = text.encode("utf-8") if text is not None else b""
    decoded, repair = trace.decoded, trace.repair
    return {
        # Plain strings, not the enums: the record is data, pickled and compared as such.
        "status": status.value,
        "reason": reason.value if reason is not None else None,
        "detail": detail,
        "title": meta.title,
        "author": meta.author,
        "published": meta.published,
        "site_name": meta.site_name,
        "language": meta.language,
        "format": trace.format,
        "source": {
            "bucket": source.bucket,
            "key": source.key,
            "version_id": source.version_id,
            "etag": source.etag,
            "size": source.size if source.size is not None else data_size,
            "content_type": source.content_type,
        },
        "output": {
            "bucket": output.bucket,
            "text_key": output.text_key if text is not None else None,
            "metadata_key": output.metadata_key,
        },
        "encoding": {
            "compression": trace.compression,
            "detected": decoded.encoding if decoded else None,
            "method": decoded.method if decoded else None,
            "declared": decoded.declared if decoded else None,
            "evidence": list(decoded.evidence) if decoded else [],
            "undecodable_bytes": decoded.undecodable if decoded else 0,
            "control_characters_removed": trace.control_chars_removed,
            "mojibake_repaired": bool(repair and repair.mojibake_repaired),
            "fixes": list(repair.fixes) if repair else [],
        },
        "removed": [_removed(line) for line in extraction.removed] if extraction else [],
        "stats": {
            "bytes_in": data_size,
            "bytes_out": len(text_bytes),
            "lines_in": trace.lines_in,
            "lines_out": len(extraction.paragraphs) if extraction else 0,
            "lines_removed": len(extraction.removed) if extraction else 0,
        },
        "pipeline_version": PIPELINE_VERSION,
        "text_sha256": hashlib.sha256(text_bytes).hexdigest() if text is not None else None,
    }

"""The pipeline: raw object bytes to a normalised article and its metadata record.

Steps, in order: size guard, decompress, detect format, decode, reject binary, repair,
whitespace, extract the article (or keep every line), final tidy. Each step is a small
function in its own module; this module only sequences them and assembles the record.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
from dataclasses import asdict, dataclass, replace
from typing import Any

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
from .page import Extraction, PageMetadata
from .repair.mojibake import Repair, repair_text
from .repair.whitespace import normalise_line, normalise_newlines, normalise_whitespace
from .text.boilerplate import clean_text_dump

logger = logging.getLogger(__name__)

DEFAULT_CONFIG = NormaliserConfig()

# Control characters that never occur in text (all C0 but tab, LF, CR, FF). Pages with more
# than this share of them are binary; fewer are stray bytes and are dropped.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BINARY_CONTROL_SHARE = 0.02
_BINARY_MAGIC = {
    b"\x89PNG": "png", b"\xff\xd8\xff": "jpeg", b"GIF8": "gif", b"%PDF": "pdf", b"PK\x03\x04": "zip",
    b"RIFF": "riff", b"\x7fELF": "elf", b"BZh": "bzip2", b"\xfd7zXZ": "xz", b"7z\xbc\xaf": "7z",
    b"\x00\x00\x00": "iso-media", b"OggS": "ogg", b"ID3": "mp3", b"wOFF": "woff",
}


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
class NormalisedPage:
    """The result for one object. ``text`` is ``None`` unless ``status == "normalised"``."""

    status: str
    metadata: dict[str, Any]
    text: str | None = None

    @property
    def reason(self) -> str | None:
        reason: str | None = self.metadata["reason"]
        return reason

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


def drop_control_characters(text: str) -> tuple[str, int]:
    """Remove stray C0 controls; reject text that is mostly controls (binary data).

    >>> drop_control_characters("A longer page of text, with one stray\\x00 NUL byte in the middle.")
    ('A longer page of text, with one stray NUL byte in the middle.', 1)
    """
    if not _CONTROL_CHARS.search(text):  # the common case: one scan, no list
        return text, 0
    found = len(_CONTROL_CHARS.findall(text))
    if found > _BINARY_CONTROL_SHARE * len(text):
        raise RejectedInput("binary", f"{found} control characters in {len(text)}: not text")
    return _CONTROL_CHARS.sub("", text), found


def reject_binary_signature(data: bytes) -> None:
    for magic, kind in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise RejectedInput("binary", f"starts like a {kind} file, not a page")


def _tidy(paragraphs: tuple[str, ...] | list[str]) -> list[str]:
    return [line for line in (normalise_line(p) for p in paragraphs) if line]


def _repair(text: str, trace: _Trace, *, unescape_entities: bool = True) -> str:
    # Line breaks first: ftfy judges mojibake line by line, and a bare CR would otherwise
    # join two lines for the first pass and split them for the next (not idempotent).
    trace.repair = repair_text(normalise_newlines(text), unescape_entities=unescape_entities)
    return trace.repair.text


def _extract(data: bytes, source: SourceObject, config: NormaliserConfig, trace: _Trace) -> Extraction:
    deadline = Deadline(config.max_seconds_per_page)
    if not data:
        raise RejectedInput("empty", "the object has no bytes")
    check_size(len(data), config.max_input_bytes, "the object")
    data, trace.compression = decompress(
        data, content_encoding=source.content_encoding, key=source.key, limit=config.max_decompressed_bytes
    )
    if not data.strip():
        raise RejectedInput("empty", "no content after decompression" if trace.compression else "only whitespace")
    reject_binary_signature(data)
    trace.format = detect_format(data, key=source.key, content_type=source.content_type, override=config.format)
    trace.decoded = decode_bytes(
        data, content_type_charset=_charset(source.content_type), is_html=trace.format == "html"
    )
    text, trace.control_chars_removed = drop_control_characters(trace.decoded.text)
    deadline.check("extraction")
    if trace.format == "html":
        if config.keep_boilerplate:
            extraction = Extraction(paragraphs=tuple(visible_text(text)))
        else:
            extraction = clean_html(text)
            if config.peer_extractors and is_doubtful(extraction):
                extraction, _ = second_opinion(text, extraction, before_each=deadline.check)
        trace.lines_in = len(extraction.paragraphs) + len(extraction.removed)
        deadline.check("repair")
        # The parser decoded the page's entities once; ftfy must not decode them again.
        paragraphs = _tidy(_repair("\n".join(extraction.paragraphs), trace, unescape_entities=False).split("\n"))
        check_line_lengths(paragraphs, config.max_line_chars)
        return Extraction(tuple(paragraphs), extraction.removed, _repair_metadata(extraction.metadata))
    text = normalise_whitespace(_repair(text, trace))
    lines = text.split("\n")
    check_line_lengths(lines, config.max_line_chars)
    trace.lines_in = sum(1 for line in lines if line)
    deadline.check("boilerplate")
    if config.keep_boilerplate:
        return Extraction(paragraphs=tuple(lines))
    # Its lines are already normalised (normalise_whitespace) and non-blank: no final tidy.
    return clean_text_dump(text)


# C1 controls (what is left of them after repair) and the bidirectional overrides and
# isolates, which can reorder what a reader sees: never article text.
_FORMAT_CONTROLS = re.compile("[\x80-\x9f\u202a-\u202e\u2066-\u2069]")


def _finish(extraction: Extraction, trace: _Trace) -> Extraction:
    """The last step, on the article's lines: format controls dropped (counted with the
    other control characters) and NFC, which an earlier removal may have undone (a mark
    that followed a removed zero-width character now follows a letter)."""
    paragraphs = []
    for line in extraction.paragraphs:
        if _FORMAT_CONTROLS.search(line):
            trace.control_chars_removed += len(_FORMAT_CONTROLS.findall(line))
            line = normalise_line(_FORMAT_CONTROLS.sub("", line))
            if not line:
                continue
        paragraphs.append(line if unicodedata.is_normalized("NFC", line) else unicodedata.normalize("NFC", line))
    return replace(extraction, paragraphs=tuple(paragraphs))


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
        extraction = _finish(_extract(data, source, config, trace), trace)
        if not extraction.paragraphs:
            record = _record(source, output, trace, status="rejected", reason="no-article", data_size=len(data),
                             detail="no line of the page looks like article text", extraction=extraction)
            return NormalisedPage("rejected", record)
    except RejectedInput as exc:
        record = _record(source, output, trace, status="rejected", reason=exc.reason, detail=exc.detail,
                         data_size=len(data))
        return NormalisedPage("rejected", record)
    except Exception as exc:  # a bug of ours, not bad input: recorded, since retrying cannot help
        logger.exception("normaliser failed on %s", source.key)
        record = _record(source, output, trace, status="failed", reason="internal-error",
                         detail=f"{type(exc).__name__}: {exc}", data_size=len(data))
        return NormalisedPage("failed", record)
    text = "\n".join(extraction.paragraphs) + "\n"
    record = _record(source, output, trace, status="normalised", extraction=extraction, text=text,
                     data_size=len(data))
    return NormalisedPage("normalised", record, text=text)


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
    if outcome.limit == "time-limit":
        detail = f"{outcome.detail}; raise MAX_SECONDS_PER_PAGE to allow it"
        return reject_page(source, output, RejectedInput("time-limit", detail), data_size=len(data))
    if outcome.limit == "memory-limit":
        detail = f"{outcome.detail} ({config.max_page_memory_bytes} bytes); raise MAX_PAGE_MEMORY_BYTES to allow it"
        return reject_page(source, output, RejectedInput("memory-limit", detail), data_size=len(data))
    logger.error("normaliser process failed on %s: %s", source.key, outcome.error)
    record = _record(source, output, _Trace(), status="failed", reason="internal-error",
                     detail=outcome.error or "unknown", data_size=len(data))
    return NormalisedPage("failed", record)


def reject_page(source: SourceObject, output: OutputLocation, rejection: RejectedInput,
                data_size: int | None = None) -> NormalisedPage:
    """The record for an object that was never read (gone, or over the size limit), or whose
    processing was stopped (``data_size``: the bytes it had)."""
    record = _record(source, output, _Trace(), status="rejected", reason=rejection.reason,
                     detail=rejection.detail, data_size=source.size or 0 if data_size is None else data_size)
    return NormalisedPage("rejected", record)


def _record(
    source: SourceObject,
    output: OutputLocation,
    trace: _Trace,
    *,
    status: str,
    data_size: int,
    reason: str | None = None,
    detail: str | None = None,
    extraction: Extraction | None = None,
    text: str | None = None,
) -> dict[str, Any]:
    meta = extraction.metadata if extraction else PageMetadata()
    text_bytes = text.encode("utf-8") if text is not None else b""
    decoded, repair = trace.decoded, trace.repair
    return {
        "status": status,
        "reason": reason,
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
        "removed": [{"text": line.text, "reason": line.reason, "index": line.index} for line in extraction.removed]
        if extraction else [],
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

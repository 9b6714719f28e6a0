"""What the pipeline produces for one object: the page's record (its metadata JSON, built by
:func:`build_record` from the :class:`Trace` the steps fill in), and the
:class:`NormalisedPage` that carries it with the article text."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import TypedDict

from . import PIPELINE_VERSION
from .decode.decoder import DecodedText
from .page import Extraction, PageMetadata, RemovedLine
from .reasons import Reason, Removal, Status
from .repair.mojibake import Repair


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


@dataclass
class Trace:
    """What the steps found, filled in as they run (so a rejection still reports it)."""

    format: str | None = None
    compression: str | None = None
    decoded: DecodedText | None = None
    repair: Repair | None = None
    control_chars_removed: int = 0
    lines_in: int = 0
    steps: list[StepRun] = field(default_factory=list)


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
        # Compact: an indented dump would take the pure-Python encoder, which is slow.
        return (json.dumps(self.metadata, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _removed(line: RemovedLine) -> RemovedRecord:
    # Removal() refuses a reason that is not registered (reasons.py): the page fails loudly.
    return {"text": line.text, "reason": Removal(line.reason).value, "index": line.index}


def build_record(
    source: SourceObject,
    output: OutputLocation,
    trace: Trace,
    *,
    status: Status,
    data_size: int,
    reason: Reason | None = None,
    detail: str | None = None,
    extraction: Extraction | None = None,
    text: str | None = None,
) -> PageRecord:
    """The page's record from what the steps found (``trace``) and how the page ended."""
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

"""The two buckets, as the handler sees them. All S3 calls live here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

# Error codes S3 returns for an object that is gone (deleted before we read it).
_MISSING = {"NoSuchKey", "404", "NotFound", "NoSuchVersion"}


class ObjectMissing(Exception):
    """The raw object no longer exists."""


@dataclass(frozen=True)
class RawObject:
    """A raw page as read from S3. ``data`` is ``None`` when the object was over the size
    limit and its body was deliberately not read."""

    bucket: str
    key: str
    size: int
    etag: str | None
    version_id: str | None
    content_type: str | None
    content_encoding: str | None
    data: bytes | None


class RawBucket:
    """Read-only access to the bucket users drop pages into."""

    def __init__(self, client: Any) -> None:
        self._s3 = client

    def read(self, bucket: str, key: str, *, limit: int) -> RawObject:
        """The current version of the object. A body larger than ``limit`` is not read."""
        try:
            response = self._s3.get_object(Bucket=bucket, Key=key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _MISSING:
                raise ObjectMissing(f"s3://{bucket}/{key} does not exist (deleted before it was read?)") from exc
            raise
        body = response["Body"]
        size = int(response.get("ContentLength", 0))
        try:
            # Read at most one byte past the limit, so a size that lies cannot exhaust memory.
            data = body.read(limit + 1) if size <= limit else None
        finally:
            body.close()
        if data is not None and len(data) > limit:
            size, data = len(data), None
        return RawObject(
            bucket=bucket,
            key=key,
            size=size,
            etag=(response.get("ETag") or "").strip('"') or None,
            version_id=response.get("VersionId"),
            content_type=response.get("ContentType"),
            content_encoding=response.get("ContentEncoding"),
            data=data,
        )


# S3 user metadata on each metadata object, so a duplicate delivery can be recognised with
# one HEAD request instead of reading the record.
TAG_SOURCE_ETAG = "source-etag"
TAG_PIPELINE_VERSION = "pipeline-version"


class RecordConflict(Exception):
    """Another run wrote the page's record after this run read it: this run's view is stale."""


@dataclass(frozen=True)
class RecordState:
    """The metadata record as it stands: its own ETag (for a conditional overwrite) and the
    source ETag and pipeline version it was made from."""

    etag: str
    source_etag: str | None
    pipeline_version: str | None


# S3's answers to a conditional write whose condition no longer holds: the record changed
# (412), was deleted (404 on If-Match), or another conditional write is under way (409).
_CONFLICT = {"PreconditionFailed", "412", "ConditionalRequestConflict", "409", *_MISSING}


class CleanBucket:
    """Write access to the bucket that receives articles and metadata records."""

    def __init__(self, client: Any, name: str) -> None:
        self._s3 = client
        self.name = name

    def current_record(self, metadata_key: str) -> RecordState | None:
        """The existing record's ETag, and the source ETag and pipeline version it was made from."""
        try:
            response = self._s3.head_object(Bucket=self.name, Key=metadata_key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _MISSING:
                return None
            raise
        tags = response.get("Metadata") or {}
        return RecordState(response["ETag"], tags.get(TAG_SOURCE_ETAG) or None, tags.get(TAG_PIPELINE_VERSION))

    def write_text(self, key: str, body: bytes) -> None:
        self._s3.put_object(Bucket=self.name, Key=key, Body=body, ContentType="text/plain; charset=utf-8")

    def delete_text(self, key: str) -> None:
        """Remove an article that no longer has a source (S3 answers success when there is none)."""
        self._s3.delete_object(Bucket=self.name, Key=key)

    def write_metadata(
        self, key: str, body: bytes, *, source_etag: str | None, pipeline_version: str, replaces: RecordState | None
    ) -> None:
        """Write the record only over the one this run read (``replaces``; ``None``: only if
        there is none yet), with S3's conditional writes; raise :class:`RecordConflict` when
        another run wrote it meanwhile."""
        condition = {"IfMatch": replaces.etag} if replaces else {"IfNoneMatch": "*"}
        try:
            self._s3.put_object(
                Bucket=self.name,
                Key=key,
                Body=body,
                ContentType="application/json",
                Metadata={TAG_SOURCE_ETAG: source_etag or "", TAG_PIPELINE_VERSION: pipeline_version},
                **condition,
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _CONFLICT:
                raise RecordConflict(f"s3://{self.name}/{key} changed while this run worked") from exc
            raise

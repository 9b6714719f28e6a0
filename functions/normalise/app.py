"""Lambda handler: AWS glue only. Types the event, reads each raw object, calls the
normaliser library, writes the article and then its metadata record (the commit), logs and
counts. Every text decision lives in the ``normaliser`` layer."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import boto3
from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.metrics.functions import is_metrics_disabled
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes import SQSRecord
from aws_lambda_powertools.utilities.data_classes.s3_batch_operation_event import (
    S3BatchOperationEvent,
    S3BatchOperationResponse,
)
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.config import Config

import metrics_names as names
from events import (
    MalformedEvent,
    ObjectRef,
    event_kind,
    objects_in_eventbridge,
    objects_in_message,
    objects_in_notification,
)
from normaliser import PIPELINE_VERSION
from normaliser.config import NormaliserConfig
from normaliser.errors import RejectedInput
from normaliser.guard import too_large
from normaliser.keys import OutputKeys, output_keys
from storage import CleanBucket, ObjectMissing, RawBucket, RecordConflict, RecordState

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

    from normaliser.pipeline import NormalisedPage

logger = Logger()
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "TextNormaliser"))
batch = BatchProcessor(event_type=EventType.SQS)


@dataclass(frozen=True)
class HandlerLimits:
    """How hard one invocation tries before handing a message back to SQS."""

    # A run that finds its record rewritten by another run starts over on the current version
    # of the object; more conflicts than this in a row leave the message to SQS's retry.
    max_attempts: int = 3
    # Time a page may need at worst (the per-page guard) plus room to write its outputs.
    write_margin_ms: int = 10_000


LIMITS = HandlerLimits()

# The environment is read once, at cold start.
CONFIG = NormaliserConfig(
    max_input_bytes=int(os.environ.get("MAX_INPUT_BYTES", NormaliserConfig.max_input_bytes)),
    max_decompressed_bytes=int(os.environ.get("MAX_INPUT_BYTES", NormaliserConfig.max_decompressed_bytes)),
    max_seconds_per_page=float(os.environ.get("MAX_SECONDS_PER_PAGE", NormaliserConfig.max_seconds_per_page)),
    max_page_memory_bytes=int(os.environ.get("MAX_PAGE_MEMORY_BYTES", NormaliserConfig.max_page_memory_bytes)),
    isolate=os.environ.get("ISOLATE_PAGES", "true").lower() != "false",
    # "false" keeps the HTML path to our extractor alone (trafilatura and readability-lxml never load).
    peer_extractors=os.environ.get("PEER_EXTRACTORS", "true").strip().lower() not in ("false", "0", "no", "off"),
)


@cache
def _s3() -> S3Client:
    # Created on first use, not at import: keeps cold starts light and lets tests set up moto first.
    # Standard retry mode retries throttling and 5xx with backoff before an error reaches us.
    return boto3.client("s3", config=Config(retries={"max_attempts": 5, "mode": "standard"}))


def raw_bucket() -> RawBucket:
    return RawBucket(_s3())


def clean_bucket() -> CleanBucket:
    return CleanBucket(_s3(), os.environ["CLEAN_BUCKET"])


def normalise_object(ref: ObjectRef) -> str:
    """Normalise one raw object into the clean bucket; returns the status recorded.
    Raises only for failures worth retrying (S3 unavailable, write refused).

    The newest upload wins: the record is written only over the record this run read (S3
    conditional writes). When another run wrote it meanwhile (a newer upload of the same key
    finished first), this run may have overwritten that run's article, so it starts over on
    the object as it now is, and writes outputs that match the newest version."""
    logger.append_keys(object_key=ref.key, bucket=ref.bucket)
    for attempt in range(1, LIMITS.max_attempts + 1):
        try:
            return _normalise_current(ref, skip_if_current=attempt == 1)
        except RecordConflict:
            logger.info(
                "another run wrote this page's record meanwhile; starting over on the current version",
                extra={"attempt": attempt},
            )
            metrics.add_metric(name=names.RECORD_CONFLICTS, unit=MetricUnit.Count, value=1)
    raise RecordConflict(f"the record of s3://{ref.bucket}/{ref.key} kept changing; the message will be retried")


def _normalise_current(ref: ObjectRef, *, skip_if_current: bool) -> str:
    # Imported on first use: decoding and the HTML parser would nearly double the import
    # time of the module, which invocations with nothing to normalise (test events) skip.
    from normaliser.pipeline import OutputLocation, SourceObject, normalise_page_bounded, reject_page

    started = time.perf_counter()
    clean = clean_bucket()
    keys = output_keys(ref.key)
    output = OutputLocation(clean.name, keys.text_key, keys.metadata_key)
    record = clean.current_record(keys.metadata_key)
    try:
        raw = raw_bucket().read(ref.bucket, ref.key, limit=CONFIG.max_input_bytes)
    except ObjectMissing as exc:
        gone = SourceObject(ref.key, ref.bucket, ref.version_id)
        page = reject_page(gone, output, RejectedInput("not-found", str(exc)))
        return _commit(clean, keys, page, None, record, started)
    if (
        skip_if_current
        and record
        and raw.etag
        and record.source_etag == raw.etag
        and record.pipeline_version == PIPELINE_VERSION
    ):
        logger.info("outputs already current for this object version; nothing to do", extra={"etag": raw.etag})
        metrics.add_metric(name=names.PAGES_SKIPPED_AS_DUPLICATE, unit=MetricUnit.Count, value=1)
        return "duplicate"
    source = SourceObject(
        raw.key, raw.bucket, raw.version_id, raw.etag, raw.size, raw.content_type, raw.content_encoding
    )
    if raw.data is None:
        page = reject_page(source, output, too_large(raw.size, CONFIG.max_input_bytes))
    else:
        page = normalise_page_bounded(raw.data, source, output, CONFIG)
    return _commit(clean, keys, page, raw.etag, record, started)


def _commit(
    clean: CleanBucket,
    keys: OutputKeys,
    page: NormalisedPage,
    etag: str | None,
    record: RecordState | None,
    started: float,
) -> str:
    """Write the text, then the metadata record: a record exists only for complete output.
    A page that is not normalised removes the article an earlier version of it left, so the
    text prefix never holds an article its record does not vouch for."""
    if page.text is not None:
        clean.write_text(keys.text_key, page.text_bytes())
    else:
        clean.delete_text(keys.text_key)
    clean.write_metadata(
        keys.metadata_key, page.metadata_bytes(), source_etag=etag, pipeline_version=PIPELINE_VERSION, replaces=record
    )
    _count(page, (time.perf_counter() - started) * 1000)
    return page.status


def _count(page: NormalisedPage, elapsed_ms: float) -> None:
    stats = page.metadata["stats"]
    summary = {
        "status": page.status,
        "reason": page.reason,
        "format": page.metadata["format"],
        "encoding": page.metadata["encoding"]["detected"],
        "lines_removed": page.removed_lines,
        "bytes_in": stats["bytes_in"],
        "bytes_out": stats["bytes_out"],
        "ms": round(elapsed_ms, 1),
    }
    if page.status == "normalised":
        logger.info("page normalised", extra=summary)
        metrics.add_metric(name=names.PAGES_NORMALISED, unit=MetricUnit.Count, value=1)
        metrics.add_metric(name=names.BYTES_OUT, unit=MetricUnit.Bytes, value=stats["bytes_out"])
        metrics.add_metric(name=names.LINES_REMOVED, unit=MetricUnit.Count, value=page.removed_lines)
        metrics.add_metric(name=names.ENCODINGS_REPAIRED, unit=MetricUnit.Count, value=int(page.repaired))
    elif page.status == "failed":
        logger.error("page failed in the normaliser; recorded, not retried", extra=summary)
        metrics.add_metric(name=names.PAGES_FAILED, unit=MetricUnit.Count, value=1)
    else:
        logger.warning("page rejected", extra=summary)
        metrics.add_metric(name=names.PAGES_REJECTED, unit=MetricUnit.Count, value=1)
        # A second, separate metric line with the reason as a dimension, for the dashboard.
        # single_metric prints even when metrics are disabled (Powertools 3.37): ask first.
        if not is_metrics_disabled():
            with single_metric(
                name=names.PAGES_REJECTED, unit=MetricUnit.Count, value=1, default_dimensions=metrics.default_dimensions
            ) as metric:
                metric.add_dimension(name=names.REASON_DIMENSION, value=page.reason or "unknown")
    metrics.add_metric(name=names.BYTES_IN, unit=MetricUnit.Bytes, value=stats["bytes_in"])
    metrics.add_metric(name=names.PROCESSING_TIME, unit=MetricUnit.Milliseconds, value=elapsed_ms)


def _process_objects(refs: list[ObjectRef]) -> None:
    for ref in refs:
        try:
            normalise_object(ref)
        except Exception:
            metrics.add_metric(name=names.PAGES_FAILED, unit=MetricUnit.Count, value=1)
            logger.exception("page failed; the event will be retried")
            raise
        finally:
            logger.remove_keys(["object_key", "bucket"])


class OutOfTime(RuntimeError):
    """Too little of the invocation is left to finish another page; the record is retried."""


def _sqs_record(record: SQSRecord, lambda_context: LambdaContext) -> None:
    if lambda_context.get_remaining_time_in_millis() < CONFIG.max_seconds_per_page * 1000 + LIMITS.write_margin_ms:
        # Better to hand the rest of the batch back than to let the whole invocation time out.
        raise OutOfTime("not enough time left in this invocation; the message will be retried")
    try:
        refs = objects_in_message(record.body)
    except MalformedEvent:
        # Retried like any failure, so it ends in the dead-letter queue where an alarm shows it.
        metrics.add_metric(name=names.EVENTS_MALFORMED, unit=MetricUnit.Count, value=1)
        logger.exception("malformed SQS message", extra={"message_id": record.message_id})
        raise
    _process_objects(refs)


def _batch_operations(event: dict[str, Any]) -> dict[str, Any]:
    job = S3BatchOperationEvent(event)
    response = S3BatchOperationResponse(job.invocation_schema_version, job.invocation_id, "PermanentFailure")
    task = job.task
    try:
        status = normalise_object(ObjectRef(task.s3_bucket, task.s3_key, task.s3_version_id))
        result = task.build_task_batch_response("Succeeded", status)
    except Exception as exc:  # the job's report lists it; Batch Operations retries temporary failures
        metrics.add_metric(name=names.PAGES_FAILED, unit=MetricUnit.Count, value=1)
        logger.exception("batch operations task failed")
        result = task.build_task_batch_response("TemporaryFailure", f"{type(exc).__name__}: {exc}")
    finally:
        logger.remove_keys(["object_key", "bucket"])
    response.add_result(result)
    return response.asdict()


Response = dict[str, Any] | PartialItemFailureResponse | None


@cache
def _traced_route() -> Callable[[dict[str, Any], LambdaContext], Response]:
    """The router wrapped by Powertools Tracer, which also patches boto3 so every S3 call is a
    subsegment. Built on the first invocation: the X-Ray SDK costs as much to import as boto3
    itself, and an init phase without it is half as long."""
    from aws_lambda_powertools import Tracer

    return Tracer().capture_lambda_handler(_route)


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> Response:
    return _traced_route()(event, context)


def _route(event: dict[str, Any], context: LambdaContext) -> Response:
    kind = event_kind(event)
    logger.append_keys(event_kind=kind)
    if kind == "sqs":
        return process_partial_response(event=event, record_handler=_sqs_record, processor=batch, context=context)
    if kind == "batch-operations":
        return _batch_operations(event)
    if kind == "s3":
        _process_objects(objects_in_notification(event))
    elif kind == "eventbridge":
        _process_objects(objects_in_eventbridge(event))
    else:
        metrics.add_metric(name=names.EVENTS_MALFORMED, unit=MetricUnit.Count, value=1)
        logger.error(
            "unknown event shape; expected SQS, S3, EventBridge or S3 Batch Operations",
            extra={"top_level_keys": sorted(event)[:20] if isinstance(event, dict) else type(event).__name__},
        )
        raise MalformedEvent("unknown event shape")
    return None

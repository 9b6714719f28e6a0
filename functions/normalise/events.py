"""Which objects an event is about. Events arrive in four shapes: SQS messages wrapping S3
notifications, plain S3 notifications, EventBridge "Object Created" events and S3 Batch
Operations jobs. Keys in all of them are URL-encoded ("a b+c" arrives as "a+b%2Bc"):
Powertools decodes EventBridge and Batch Operations keys, S3 notification keys we decode here
(``S3Object.key`` is still encoded)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import unquote_plus

from aws_lambda_powertools.utilities.data_classes import S3Event
from aws_lambda_powertools.utilities.data_classes.s3_event import S3EventBridgeNotificationEvent

EventKind = Literal["sqs", "s3", "eventbridge", "batch-operations", "unknown"]


class MalformedEvent(ValueError):
    """The event (or one SQS message) is not a shape this function handles."""


@dataclass(frozen=True)
class ObjectRef:
    bucket: str
    key: str
    version_id: str | None = None


def event_kind(event: Any) -> EventKind:
    if not isinstance(event, dict):
        return "unknown"
    if "invocationSchemaVersion" in event and "tasks" in event:
        return "batch-operations"
    if event.get("source") == "aws.s3" and "detail" in event:
        return "eventbridge"
    records = event.get("Records")
    if isinstance(records, list) and records and isinstance(records[0], dict):
        source = records[0].get("eventSource")
        if source == "aws:sqs":
            return "sqs"
        if source == "aws:s3":
            return "s3"
    return "unknown"


def objects_in_notification(notification: dict[str, Any]) -> list[ObjectRef]:
    """The created objects named by an S3 notification (``[]`` for ``s3:TestEvent``)."""
    if notification.get("Event") == "s3:TestEvent":
        return []
    try:
        return [
            ObjectRef(record.s3.bucket.name, unquote_plus(record.s3.get_object.key), record.s3.get_object.version_id)
            for record in S3Event(notification).records
            if record.event_name.startswith("ObjectCreated")
        ]
    except (KeyError, TypeError, AttributeError) as exc:
        raise MalformedEvent(f"not an S3 notification: missing {exc}") from exc


def objects_in_eventbridge(event: dict[str, Any]) -> list[ObjectRef]:
    notification = S3EventBridgeNotificationEvent(event)
    if notification.detail_type != "Object Created":
        return []
    try:
        detail = notification.detail
        return [ObjectRef(detail.bucket.name, detail.object.key, detail.object.get("version-id"))]
    except (KeyError, TypeError) as exc:
        raise MalformedEvent(f"not an S3 EventBridge event: missing {exc}") from exc


def objects_in_message(body: str) -> list[ObjectRef]:
    """The objects named by one SQS message body: an S3 or EventBridge notification, or a
    redriven on-failure record wrapping one."""
    try:
        payload = json.loads(body)
    except (TypeError, ValueError) as exc:
        raise MalformedEvent(f"SQS message body is not JSON: {exc}") from exc
    if not isinstance(payload, dict):
        raise MalformedEvent("SQS message body is not a JSON object")
    if isinstance(payload.get("requestPayload"), dict):
        # A failed direct invocation, as Lambda's on-failure destination records it in the
        # dead-letter queue; redriven to the pages queue, it is processed like the original.
        payload = payload["requestPayload"]
    if event_kind(payload) == "eventbridge":
        return objects_in_eventbridge(payload)
    if "Records" in payload or payload.get("Event") == "s3:TestEvent":
        return objects_in_notification(payload)
    raise MalformedEvent("SQS message is neither an S3 notification nor an EventBridge event")

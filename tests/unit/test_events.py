"""Event shapes: which objects each event names, with keys decoded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from events import MalformedEvent, ObjectRef, event_kind, objects_in_message, objects_in_notification

EVENTS = Path(__file__).resolve().parents[2] / "events"


def load(name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / name).read_text(encoding="utf-8"))
    return event


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("s3-put.json", "s3"),
        ("sqs-s3-put.json", "sqs"),
        ("eventbridge-object-created.json", "eventbridge"),
        ("batch-operations.json", "batch-operations"),
        ("batch-operations-v1.json", "batch-operations"),
    ],
)
def test_every_sample_event_is_recognised(name: str, kind: str) -> None:
    assert event_kind(load(name)) == kind


def test_notification_keys_are_url_decoded() -> None:
    assert objects_in_notification(load("s3-put-encoded-key.json")) == [
        ObjectRef("raw-pages", "news/2024/café menu + prices.txt")
    ]


def test_only_object_created_records_count() -> None:
    event = load("s3-put.json")
    event["Records"][0]["eventName"] = "ObjectRemoved:Delete"
    assert objects_in_notification(event) == []


def test_redriven_on_failure_record_is_unwrapped() -> None:
    record = {
        "version": "1.0",
        "requestContext": {"condition": "RetriesExhausted"},
        "requestPayload": load("s3-put.json"),
        "responsePayload": {"errorMessage": "boom"},
    }
    assert objects_in_message(json.dumps(record)) == [ObjectRef("raw-pages", "harbour-lights.txt")]


def test_eventbridge_inside_sqs_is_understood() -> None:
    assert objects_in_message(json.dumps(load("eventbridge-object-created.json"))) == [
        ObjectRef("raw-pages", "lahn-bridge.txt")
    ]


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '{"hello": "world"}', '{"Records": [{"s3": {}}]}'])
def test_malformed_messages_raise_malformed_event(body: str) -> None:
    with pytest.raises(MalformedEvent):
        objects_in_message(body)

"""The handler end to end under moto: every event shape, keys that need decoding, what is
written and in which order, and the outcome for objects that cannot be normalised."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from mypy_boto3_s3 import S3Client

import app
from conftest import CLEAN, RAW, FakeContext, load_event, read_json, read_text
from events import ObjectRef
from normaliser.keys import output_keys

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def drop(s3: S3Client, key: str, body: bytes, **extra: Any) -> None:
    s3.put_object(Bucket=RAW, Key=key, Body=body, **extra)


def clean_keys(s3: S3Client) -> list[str]:
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=CLEAN).get("Contents", []))


def test_s3_put_event_writes_article_and_metadata(s3: S3Client) -> None:
    drop(s3, "harbour-lights.txt", (SAMPLES / "harbour-lights.txt").read_bytes())
    assert app.lambda_handler(load_event("s3-put.json"), FakeContext()) is None
    keys = output_keys("harbour-lights.txt")
    record = read_json(s3, keys.metadata_key)
    text = read_text(s3, keys.text_key)
    assert record["status"] == "normalised"
    assert record["source"] == {
        "bucket": RAW,
        "key": "harbour-lights.txt",
        "version_id": None,
        "etag": record["source"]["etag"],
        "size": 1393,
        "content_type": "binary/octet-stream",
    }
    assert record["output"] == {"bucket": CLEAN, "text_key": keys.text_key, "metadata_key": keys.metadata_key}
    assert record["stats"]["bytes_out"] == len(text.encode("utf-8"))
    assert text.endswith("\n") and "\r" not in text and "\u00a0" not in text
    assert "A small fishing town has spent two winters" in text


def test_url_encoded_key_is_decoded_before_reading(s3: S3Client) -> None:
    key = "news/2024/café menu + prices.txt"
    drop(s3, key, (SAMPLES / "harbour-lights.txt").read_bytes())
    app.lambda_handler(load_event("s3-put-encoded-key.json"), FakeContext())
    assert read_json(s3, output_keys(key).metadata_key)["source"]["key"] == key


@pytest.mark.parametrize("key", ["a b.txt", "c++/notes+1.txt", "日本語/ページ.txt", "100%/x.txt", "../up.txt"])
def test_awkward_keys_round_trip_through_an_sqs_notification(s3: S3Client, key: str) -> None:
    from urllib.parse import quote_plus

    drop(s3, key, b"A plain sentence that is the whole article, with nothing else around it.\n")
    event = load_event("sqs-s3-put.json")
    notification = json.loads(event["Records"][0]["body"])
    notification["Records"][0]["s3"]["object"]["key"] = quote_plus(key, safe="/")
    event["Records"] = [dict(event["Records"][0], body=json.dumps(notification))]
    assert app.lambda_handler(event, FakeContext()) == {"batchItemFailures": []}
    keys = output_keys(key)
    assert keys.metadata_key.startswith("metadata/") and "/../" not in keys.metadata_key
    assert read_json(s3, keys.metadata_key)["source"]["key"] == key


def test_sqs_batch_processes_every_record(s3: S3Client) -> None:
    drop(s3, "harbour-lights.txt", (SAMPLES / "harbour-lights.txt").read_bytes())
    drop(s3, "village-rye.html", (SAMPLES / "village-rye.html").read_bytes())
    assert app.lambda_handler(load_event("sqs-s3-put.json"), FakeContext()) == {"batchItemFailures": []}
    assert read_json(s3, "metadata/village-rye.html.json")["format"] == "html"
    assert read_json(s3, "metadata/harbour-lights.txt.json")["format"] == "text"


def test_s3_test_event_is_skipped(s3: S3Client) -> None:
    assert app.lambda_handler(load_event("sqs-s3-test-event.json"), FakeContext()) == {"batchItemFailures": []}
    assert clean_keys(s3) == []


def test_poisoned_message_alone_is_reported_failed(s3: S3Client) -> None:
    drop(s3, "harbour-lights.txt", (SAMPLES / "harbour-lights.txt").read_bytes())
    drop(s3, "village-rye.html", (SAMPLES / "village-rye.html").read_bytes())
    event = load_event("sqs-s3-put.json")
    poison = dict(event["Records"][0], messageId="poison", body="{not json")
    event["Records"].insert(1, poison)
    assert app.lambda_handler(event, FakeContext()) == {"batchItemFailures": [{"itemIdentifier": "poison"}]}
    assert "metadata/village-rye.html.json" in clean_keys(s3)


def test_eventbridge_object_created(s3: S3Client) -> None:
    drop(s3, "lahn-bridge.txt", (SAMPLES / "lahn-bridge.txt").read_bytes())
    app.lambda_handler(load_event("eventbridge-object-created.json"), FakeContext())
    assert read_json(s3, "metadata/lahn-bridge.txt.json")["status"] == "normalised"


@pytest.mark.parametrize("event_file", ["batch-operations.json", "batch-operations-v1.json"])
def test_batch_operations_answers_with_the_result_schema(s3: S3Client, event_file: str) -> None:
    event = load_event(event_file)
    key = event["tasks"][0]["s3Key"]
    drop(s3, key, (SAMPLES / key).read_bytes())
    response = app.lambda_handler(event, FakeContext())
    assert response == {
        "invocationSchemaVersion": event["invocationSchemaVersion"],
        "treatMissingKeysAs": "PermanentFailure",
        "invocationId": event["invocationId"],
        "results": [{"taskId": event["tasks"][0]["taskId"], "resultCode": "Succeeded", "resultString": "normalised"}],
    }
    assert read_json(s3, output_keys(key).metadata_key)["encoding"]["compression"] == (
        "gzip" if key.endswith(".gz") else None
    )


def test_object_deleted_before_it_is_read_is_recorded(s3: S3Client) -> None:
    app.lambda_handler(load_event("s3-put.json"), FakeContext())
    record = read_json(s3, "metadata/harbour-lights.txt.json")
    assert (record["status"], record["reason"], record["output"]["text_key"]) == ("rejected", "not-found", None)
    assert clean_keys(s3) == ["metadata/harbour-lights.txt.json"]


def test_object_over_the_size_limit_is_rejected_unread(s3: S3Client, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    monkeypatch.setattr(app, "CONFIG", replace(app.CONFIG, max_input_bytes=100))
    drop(s3, "harbour-lights.txt", (SAMPLES / "harbour-lights.txt").read_bytes())
    app.lambda_handler(load_event("s3-put.json"), FakeContext())
    record = read_json(s3, "metadata/harbour-lights.txt.json")
    assert (record["status"], record["reason"], record["source"]["size"]) == ("rejected", "too-large", 1393)


def test_gzip_content_encoding_is_honoured(s3: S3Client) -> None:
    body = gzip.compress((SAMPLES / "harbour-lights.txt").read_bytes())
    drop(s3, "harbour-lights.txt", body, ContentEncoding="gzip")
    app.lambda_handler(load_event("s3-put.json"), FakeContext())
    assert read_json(s3, "metadata/harbour-lights.txt.json")["encoding"]["compression"] == "gzip"


def test_duplicate_delivery_writes_once_and_update_replaces(s3: S3Client) -> None:
    drop(s3, "harbour-lights.txt", (SAMPLES / "harbour-lights.txt").read_bytes())
    ref = ObjectRef(RAW, "harbour-lights.txt")
    assert app.normalise_object(ref) == "normalised"
    first = s3.head_object(Bucket=CLEAN, Key="metadata/harbour-lights.txt.json")["ETag"]
    assert app.normalise_object(ref) == "duplicate"
    drop(s3, "harbour-lights.txt", (SAMPLES / "lahn-bridge.txt").read_bytes())
    assert app.normalise_object(ref) == "normalised"
    assert s3.head_object(Bucket=CLEAN, Key="metadata/harbour-lights.txt.json")["ETag"] != first
    assert "Fahrradbrücke" in read_text(s3, "text/harbour-lights.txt.txt")


def test_a_page_replaced_by_a_bad_one_loses_its_article(s3: S3Client) -> None:
    drop(s3, "harbour-lights.txt", (SAMPLES / "harbour-lights.txt").read_bytes())
    ref = ObjectRef(RAW, "harbour-lights.txt")
    assert app.normalise_object(ref) == "normalised"
    assert clean_keys(s3) == ["metadata/harbour-lights.txt.json", "text/harbour-lights.txt.txt"]
    drop(s3, "harbour-lights.txt", b"\x89PNG\r\n\x1a\n" + bytes(64))
    assert app.normalise_object(ref) == "rejected"
    assert clean_keys(s3) == ["metadata/harbour-lights.txt.json"]
    record = read_json(s3, "metadata/harbour-lights.txt.json")
    assert (record["reason"], record["output"]["text_key"]) == ("binary", None)
    s3.delete_object(Bucket=RAW, Key="harbour-lights.txt")
    assert app.normalise_object(ref) == "rejected"  # gone before it was read: still no article
    assert read_json(s3, "metadata/harbour-lights.txt.json")["reason"] == "not-found"


def test_unknown_event_is_an_error(s3: S3Client) -> None:
    with pytest.raises(ValueError, match="unknown event shape"):
        app.lambda_handler({"hello": "world"}, FakeContext())


def test_metrics_and_logs_are_printed_as_json(
    s3: S3Client, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    # The logger bound its stream when the module was imported; point it at the capture.
    monkeypatch.setattr(app.logger.registered_handler, "stream", sys.stdout)
    drop(s3, "harbour-lights.txt", (SAMPLES / "harbour-lights.txt").read_bytes())
    capsys.readouterr()
    app.lambda_handler(load_event("s3-put.json"), FakeContext())
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    emf = [line for line in lines if "_aws" in line]
    names = {m["Name"] for line in emf for d in line["_aws"]["CloudWatchMetrics"] for m in d["Metrics"]}
    assert {"PagesNormalised", "BytesIn", "BytesOut", "LinesRemoved", "ProcessingTime"} <= names
    assert all(line["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "TextNormaliser" for line in emf)
    logs = [line for line in lines if line.get("message") == "page normalised"]
    assert logs and logs[0]["object_key"] == "harbour-lights.txt"
    assert "fishing town" not in json.dumps(lines)  # page content never reaches the logs


@pytest.mark.parametrize("disabled", [False, True])
def test_rejections_are_counted_by_reason_unless_metrics_are_disabled(
    s3: S3Client, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, disabled: bool
) -> None:
    if disabled:
        monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    drop(s3, "harbour-lights.txt", b"")
    capsys.readouterr()
    app.lambda_handler(load_event("s3-put.json"), FakeContext())
    emf = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith('{"_aws"')]
    by_reason = [line for line in emf if "Reason" in line]
    assert [line["Reason"] for line in by_reason] == ([] if disabled else ["empty"])
    assert (emf == []) == disabled

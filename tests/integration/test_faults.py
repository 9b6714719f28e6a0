"""Faults on the way: S3 errors on write, transient and permanent; a batch running out of
time; a poisoned message among good ones (see test_handler); the dead-letter queue."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from botocore.awsrequest import AWSPreparedRequest, AWSResponse, HTTPHeaders
from mypy_boto3_s3 import S3Client

import app
from conftest import CLEAN, RAW, FakeContext, load_event, read_json

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

_ERROR = b"""<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>{code}</Code><Message>injected by the test</Message><RequestId>T</RequestId></Error>"""


class FailingPuts:
    """A botocore hook answering the handler's PutObject calls with an S3 error."""

    def __init__(self, status: int, code: str, times: int) -> None:
        self.status, self.code, self.remaining, self.calls = status, code, times, 0

    def __call__(self, request: AWSPreparedRequest, **_: Any) -> AWSResponse | None:
        self.calls += 1
        if self.remaining <= 0:
            return None
        self.remaining -= 1
        body = _ERROR.replace(b"{code}", self.code.encode())
        headers = HTTPHeaders()
        headers["Content-Type"] = "application/xml"
        return AWSResponse(request.url, self.status, headers, _Raw(body))


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.body


def inject(hook: FailingPuts) -> None:
    # A before-send hook that returns a response stands in for the request; botocore-stubs
    # type every hook as returning None.
    app._s3().meta.events.register_first("before-send.s3.PutObject", hook)  # type: ignore[arg-type]


def drop_sample(s3: S3Client) -> None:
    s3.put_object(Bucket=RAW, Key="harbour-lights.txt", Body=(SAMPLES / "harbour-lights.txt").read_bytes())


def test_transient_write_failure_is_retried_and_leaves_complete_output(s3: S3Client) -> None:
    drop_sample(s3)
    hook = FailingPuts(503, "SlowDown", times=2)
    inject(hook)
    event = load_event("sqs-s3-put.json")
    event["Records"] = event["Records"][:1]
    assert app.lambda_handler(event, FakeContext()) == {"batchItemFailures": []}
    assert hook.remaining == 0 and hook.calls == 4  # two refused, then the text and the record
    record = read_json(s3, "metadata/harbour-lights.txt.json")
    assert record["status"] == "normalised"
    text = s3.get_object(Bucket=CLEAN, Key=record["output"]["text_key"])
    assert text["ContentLength"] == record["stats"]["bytes_out"]


def test_permanent_write_failure_fails_the_record_and_writes_no_metadata(s3: S3Client) -> None:
    drop_sample(s3)
    s3.put_object(Bucket=RAW, Key="village-rye.html", Body=(SAMPLES / "village-rye.html").read_bytes())
    event = load_event("sqs-s3-put.json")
    inject(FailingPuts(403, "AccessDenied", times=1))  # only the first page's first write is refused
    response = app.lambda_handler(event, FakeContext())
    assert response == {"batchItemFailures": [{"itemIdentifier": event["Records"][0]["messageId"]}]}
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=CLEAN).get("Contents", [])]
    assert "metadata/harbour-lights.txt.json" not in keys and "metadata/village-rye.html.json" in keys


def test_batch_near_its_timeout_hands_records_back(s3: S3Client) -> None:
    class ShortContext(FakeContext):
        def get_remaining_time_in_millis(self) -> int:
            return 5_000

    drop_sample(s3)
    with pytest.raises(BatchProcessingError):  # every record failed: Lambda retries them all
        app.lambda_handler(load_event("sqs-s3-put.json"), ShortContext())
    assert s3.list_objects_v2(Bucket=CLEAN).get("KeyCount") == 0

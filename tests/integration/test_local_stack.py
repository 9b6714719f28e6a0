"""The local path as a user runs it: template.yaml deployed into moto (server mode), the raw
bucket's notification to the deployed queue, the worker feeding the real handler as the
function's role with IAM enforced. Files are dropped with boto3 over HTTP, as the operator."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from mypy_boto3_s3 import S3Client
from mypy_boto3_sqs import SQSClient
from mypy_boto3_sqs.type_defs import MessageTypeDef

from conftest import wait_until
from local_stack import CLEAN_BUCKET, RAW_BUCKET, LocalStack

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"


def handler_client() -> S3Client:
    """The S3 client the handler uses (made with the function's role credentials)."""
    import app

    return app._s3()


def test_dropped_pages_come_out_of_the_clean_bucket(start_stack: Callable[..., LocalStack]) -> None:
    stack = start_stack()
    s3: S3Client = stack.client("s3")
    samples = sorted(SAMPLES.iterdir())
    for path in samples:
        s3.upload_file(str(path), RAW_BUCKET, f"drop/{path.name}")
    records = stack.wait_for_outputs([f"drop/{p.name}" for p in samples], timeout=60)
    assert sorted(records) == sorted(f"drop/{p.name}" for p in samples)
    for record in records.values():
        assert record["status"] == "normalised", record
        # The raw bucket is versioned (applied from the template after the stack was created).
        assert record["source"]["version_id"]
        text = s3.get_object(Bucket=CLEAN_BUCKET, Key=record["output"]["text_key"])["Body"].read()
        assert text.endswith(b"\n") and len(text) == record["stats"]["bytes_out"]
    assert stack.failed == 0


def test_awkward_keys_go_through_the_enforced_stack(start_stack: Callable[..., LocalStack]) -> None:
    """Keys that need encoding, signed by the operator and by the function's role (the
    local stack repairs moto's signature check for them; see local_deploy)."""
    stack = start_stack()
    s3: S3Client = stack.client("s3")
    keys = ["odd keys/a+b.txt", "100%/p.txt", "../up.txt", "日本語/ページ.txt", "x&y=z/q.txt"]
    for key in keys:
        s3.put_object(Bucket=RAW_BUCKET, Key=key, Body=b"A plain sentence that is the whole article, nothing else.\n")
    records = stack.wait_for_outputs(keys, timeout=30)
    assert sorted(r["source"]["key"] for r in records.values()) == sorted(keys)
    listed = [o["Key"] for o in s3.list_objects_v2(Bucket=CLEAN_BUCKET, Prefix="metadata/").get("Contents", [])]
    assert len(listed) == len(keys) and stack.failed == 0


def test_redelivered_notification_is_skipped_and_a_reupload_replaces(start_stack: Callable[..., LocalStack]) -> None:
    stack = start_stack()
    s3: S3Client = stack.client("s3")
    sqs: SQSClient = stack.client("sqs")
    puts: list[str] = []
    handler_client().meta.events.register("before-send.s3.PutObject", lambda request, **_: puts.append(request.url))
    s3.put_object(Bucket=RAW_BUCKET, Key="harbour.txt", Body=(SAMPLES / "harbour-lights.txt").read_bytes())
    assert stack.wait_for_outputs(["harbour.txt"], timeout=30)
    assert len(puts) == 2  # article, then record
    # S3 and SQS deliver at least once: the same notification again, as S3 would send it.
    notification = {
        "Records": [
            {
                "eventSource": "aws:s3",
                "eventName": "ObjectCreated:Put",
                "s3": {"bucket": {"name": RAW_BUCKET}, "object": {"key": "harbour.txt"}},
            }
        ]
    }
    handled = stack.processed
    sqs.send_message(QueueUrl=stack.queue_url, MessageBody=json.dumps(notification))
    assert wait_until(lambda: stack.processed > handled, timeout=30)
    assert len(puts) == 2  # one HEAD, nothing rewritten
    s3.put_object(Bucket=RAW_BUCKET, Key="harbour.txt", Body=(SAMPLES / "lahn-bridge.txt").read_bytes())
    assert wait_until(lambda: len(puts) == 4, timeout=30)
    text = s3.get_object(Bucket=CLEAN_BUCKET, Key="text/harbour.txt.txt")["Body"].read().decode("utf-8")
    assert "Fahrradbrücke" in text
    assert stack.failed == 0


def test_transient_write_failures_are_retried_to_complete_output(start_stack: Callable[..., LocalStack]) -> None:
    from test_faults import FailingPuts, inject

    stack = start_stack()
    hook = FailingPuts(503, "SlowDown", times=2)
    inject(hook)
    s3: S3Client = stack.client("s3")
    s3.put_object(Bucket=RAW_BUCKET, Key="harbour.txt", Body=(SAMPLES / "harbour-lights.txt").read_bytes())
    record = stack.wait_for_outputs(["harbour.txt"], timeout=30)["harbour.txt"]
    assert record["status"] == "normalised" and hook.remaining == 0
    text = s3.get_object(Bucket=CLEAN_BUCKET, Key=record["output"]["text_key"])
    assert text["ContentLength"] == record["stats"]["bytes_out"]
    assert stack.failed == 0


def test_page_that_cannot_be_written_ends_in_the_dead_letter_queue(start_stack: Callable[..., LocalStack]) -> None:
    from test_faults import FailingPuts, inject

    # The deployed queue hides a failed message for 750 s (six function timeouts); this test
    # overrides that to 1 s so the deployed redrive policy's five receives fit in seconds.
    stack = start_stack(visibility_timeout=1, log_level="ERROR")
    inject(FailingPuts(403, "AccessDenied", times=10**6))
    s3: S3Client = stack.client("s3")
    sqs: SQSClient = stack.client("sqs")
    s3.put_object(Bucket=RAW_BUCKET, Key="doomed.txt", Body=b"A page that will never be written out.\n")
    messages: list[MessageTypeDef] = []

    def dead_lettered() -> bool:
        messages.extend(sqs.receive_message(QueueUrl=stack.dead_letter_queue_url).get("Messages", []))
        return bool(messages)

    assert wait_until(dead_lettered, timeout=40)
    assert "doomed.txt" in messages[0]["Body"]
    redrive = json.loads(
        sqs.get_queue_attributes(QueueUrl=stack.queue_url, AttributeNames=["RedrivePolicy"])["Attributes"][
            "RedrivePolicy"
        ]
    )
    assert stack.failed >= int(redrive["maxReceiveCount"])
    assert s3.list_objects_v2(Bucket=CLEAN_BUCKET).get("KeyCount") == 0

"""The local path as a user runs it: moto in server mode, the S3 -> SQS notification, the
worker feeding the real handler. Files are dropped with boto3 over HTTP."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from local_stack import CLEAN_BUCKET, RAW_BUCKET, LocalStack, local_environment

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_dropped_pages_come_out_of_the_clean_bucket(monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()
    for name, value in local_environment("WARNING", f"http://127.0.0.1:{port}").items():
        monkeypatch.setenv(name, value)
    import app

    app._s3.cache_clear()
    samples = sorted((REPO / "samples").iterdir())
    try:
        with LocalStack(port=port) as stack:
            s3 = stack.client("s3")
            for path in samples:
                s3.upload_file(str(path), RAW_BUCKET, f"drop/{path.name}")
            records = stack.wait_for_outputs([f"drop/{p.name}" for p in samples], timeout=60)
            assert sorted(records) == sorted(f"drop/{p.name}" for p in samples)
            for record in records.values():
                assert record["status"] == "normalised", record
                text = s3.get_object(Bucket=CLEAN_BUCKET, Key=record["output"]["text_key"])["Body"].read()
                assert text.endswith(b"\n") and len(text) == record["stats"]["bytes_out"]
            assert stack.failed == 0
    finally:
        app._s3.cache_clear()


def test_page_that_cannot_be_written_ends_in_the_dead_letter_queue(monkeypatch: pytest.MonkeyPatch) -> None:
    from test_faults import FailingPuts

    port = free_port()
    for name, value in local_environment("CRITICAL", f"http://127.0.0.1:{port}").items():
        monkeypatch.setenv(name, value)
    import app

    app._s3.cache_clear()
    app._s3().meta.events.register_first("before-send.s3.PutObject", FailingPuts(403, "AccessDenied", times=10**6))
    try:
        with LocalStack(port=port, visibility_timeout=1, max_receives=2) as stack:
            s3, sqs = stack.client("s3"), stack.client("sqs")
            s3.put_object(Bucket=RAW_BUCKET, Key="doomed.txt", Body=b"A page that will never be written out.\n")
            messages: list[dict[str, str]] = []
            for _ in range(30):
                messages = sqs.receive_message(QueueUrl=stack.dead_letter_queue_url, WaitTimeSeconds=1).get(
                    "Messages", [])
                if messages:
                    break
            assert messages and "doomed.txt" in messages[0]["Body"]
            assert stack.failed >= 2
            assert s3.list_objects_v2(Bucket=CLEAN_BUCKET).get("KeyCount") == 0
    finally:
        app._s3.cache_clear()

"""The pipeline on this machine: moto in server mode as S3 and SQS, wired like the deployed
stack, and a worker that feeds the queue's messages to the real Lambda handler in-process.

    python tools/local_stack.py serve            # until Ctrl-C (make local)
    python tools/local_stack.py demo [--pages DIR]  # drop pages, print results, stop (make demo)

No AWS account and no Docker are needed; nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import threading
import time
import urllib.request
import uuid
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
HOST, PORT = "127.0.0.1", 4566
ENDPOINT = f"http://{HOST}:{PORT}"
RAW_BUCKET, CLEAN_BUCKET = "raw-pages", "clean-articles"
QUEUE, DEAD_LETTER_QUEUE = "pages-queue", "pages-dead-letter-queue"
REGION = "us-east-1"
# Locally a failed message comes back after 5 s and goes to the dead-letter queue on its
# third receive; the deployed queue waits longer (see template.yaml).
VISIBILITY_TIMEOUT, MAX_RECEIVES = 5, 3
DEMO_REPORT = REPO / "out" / "demo-report.html"  # git-ignored

Handler = Callable[[dict[str, Any], Any], Any]


def local_environment(log_level: str = "INFO", endpoint: str = ENDPOINT) -> dict[str, str]:
    """What the Lambda runtime and template.yaml would set, pointed at the local endpoint."""
    return {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ENDPOINT_URL": endpoint,
        "CLEAN_BUCKET": CLEAN_BUCKET,
        "POWERTOOLS_SERVICE_NAME": "text-normaliser",
        "POWERTOOLS_METRICS_NAMESPACE": "TextNormaliser",
        "POWERTOOLS_LOG_LEVEL": log_level,
        "POWERTOOLS_TRACE_DISABLED": "true",
        # EMF metric lines are for CloudWatch; locally they would drown the output.
        "POWERTOOLS_METRICS_DISABLED": "true",
    }


def configure_environment(log_level: str = "INFO") -> None:
    os.environ.update(local_environment(log_level))
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's per-request access log
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    for path in (REPO / "shared", REPO / "functions" / "normalise"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))


@dataclass
class _Context:
    """The parts of the Lambda context object that Powertools reads."""

    function_name: str = "normalise-local"
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = f"arn:aws:lambda:{REGION}:123456789012:function:normalise-local"
    aws_request_id: str = ""

    def get_remaining_time_in_millis(self) -> int:
        return 120_000


class LocalStack:
    """moto server + buckets + queue + notification wiring + a worker thread."""

    def __init__(self, handler: Handler | None = None, port: int = PORT, visibility_timeout: int = VISIBILITY_TIMEOUT,
                 max_receives: int = MAX_RECEIVES) -> None:
        from moto.server import ThreadedMotoServer

        self.endpoint = f"http://{HOST}:{port}"
        self._server = ThreadedMotoServer(ip_address=HOST, port=port, verbose=False)
        self._handler = handler
        self._visibility_timeout, self._max_receives = visibility_timeout, max_receives
        self._stop = threading.Event()
        self._worker: threading.Thread | None = None
        self.processed = 0
        self.failed = 0

    def __enter__(self) -> LocalStack:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def client(self, service: str) -> Any:
        import boto3

        return boto3.client(service, endpoint_url=self.endpoint, region_name=REGION)

    def start(self) -> None:
        self._server.start()
        # moto keeps its state per process: start from empty even if an earlier stack ran here.
        urllib.request.urlopen(urllib.request.Request(f"{self.endpoint}/moto-api/reset", method="POST")).close()
        s3, sqs = self.client("s3"), self.client("sqs")
        for bucket in (RAW_BUCKET, CLEAN_BUCKET):
            s3.create_bucket(Bucket=bucket)
        s3.put_bucket_versioning(Bucket=RAW_BUCKET, VersioningConfiguration={"Status": "Enabled"})
        dlq_url = sqs.create_queue(QueueName=DEAD_LETTER_QUEUE)["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        self.queue_url = sqs.create_queue(
            QueueName=QUEUE,
            Attributes={
                "VisibilityTimeout": str(self._visibility_timeout),
                "RedrivePolicy": json.dumps(
                    {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(self._max_receives)}
                ),
            },
        )["QueueUrl"]
        self.dead_letter_queue_url = dlq_url
        queue_arn = sqs.get_queue_attributes(QueueUrl=self.queue_url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        s3.put_bucket_notification_configuration(
            Bucket=RAW_BUCKET,
            NotificationConfiguration={
                "QueueConfigurations": [
                    {"Id": "raw-pages-created", "QueueArn": queue_arn, "Events": ["s3:ObjectCreated:*"]}
                ]
            },
        )
        if self._handler is None:
            from app import lambda_handler

            self._handler = lambda_handler
        self._worker = threading.Thread(target=self._work, name="sqs-worker", daemon=True)
        self._worker.start()

    def stop(self) -> None:
        self._stop.set()
        if self._worker:
            self._worker.join(timeout=10)
        self._server.stop()

    def _work(self) -> None:
        """Poll the queue as the Lambda SQS event source does and delete what succeeded."""
        sqs = self.client("sqs")
        arn = f"arn:aws:sqs:{REGION}:123456789012:{QUEUE}"
        while not self._stop.is_set():
            messages = sqs.receive_message(
                QueueUrl=self.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1, AttributeNames=["All"]
            ).get("Messages", [])
            if not messages:
                continue
            event = {"Records": [_lambda_record(m, arn) for m in messages]}
            try:
                assert self._handler is not None
                response = self._handler(event, _Context(aws_request_id=str(uuid.uuid4()))) or {}
                failed = {item["itemIdentifier"] for item in response.get("batchItemFailures", [])}
            except Exception as exc:  # the whole batch failed: every message comes back later
                print(f"batch of {len(messages)} failed: {exc}", file=sys.stderr)
                failed = {m["MessageId"] for m in messages}
            done = [m for m in messages if m["MessageId"] not in failed]
            if done:
                sqs.delete_message_batch(
                    QueueUrl=self.queue_url,
                    Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)],
                )
            self.processed += len(done)
            self.failed += len(failed)

    def wait_for_outputs(self, raw_keys: list[str], timeout: float) -> dict[str, dict[str, Any]]:
        """Metadata records for the given raw keys, once all exist (or when time is up)."""
        from normaliser.keys import output_keys

        s3, records = self.client("s3"), dict[str, dict[str, Any]]()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(records) < len(raw_keys):
            for key in raw_keys:
                if key in records:
                    continue
                try:
                    body = s3.get_object(Bucket=CLEAN_BUCKET, Key=output_keys(key).metadata_key)["Body"].read()
                    records[key] = json.loads(body)
                except s3.exceptions.NoSuchKey:
                    pass
            time.sleep(0.2)
        return records


def _lambda_record(message: dict[str, Any], arn: str) -> dict[str, Any]:
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        "messageAttributes": {},
        "md5OfBody": message.get("MD5OfBody", ""),
        "eventSource": "aws:sqs",
        "eventSourceARN": arn,
        "awsRegion": REGION,
    }


def serve() -> None:
    configure_environment("INFO")
    with LocalStack() as stack:
        print(f"Local pipeline ready. S3 and SQS at {stack.endpoint} (any access key works).")
        print(f"  raw bucket: s3://{RAW_BUCKET}   clean bucket: s3://{CLEAN_BUCKET}")
        print("Drop a page:")
        print(f"  AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x aws --endpoint-url {stack.endpoint} "
              f"--region {REGION} s3 cp samples/harbour-lights.txt s3://{RAW_BUCKET}/")
        print("Read the results:")
        print(f"  ... aws --endpoint-url {stack.endpoint} s3 cp s3://{CLEAN_BUCKET}/text/harbour-lights.txt.txt -")
        print("Ctrl-C stops it.", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print("\nstopping", file=sys.stderr)


def demo(pages: Path) -> int:
    configure_environment("WARNING")
    files = sorted(p for p in pages.iterdir() if p.is_file() and not p.name.startswith("."))
    if not files:
        print(f"no pages in {pages}: pass PAGES=DIR with at least one file", file=sys.stderr)
        return 2
    with LocalStack() as stack:
        s3 = stack.client("s3")
        for path in files:
            s3.upload_file(str(path), RAW_BUCKET, path.name)
        print(f"dropped {len(files)} page(s) from {pages} into s3://{RAW_BUCKET} at {stack.endpoint}", flush=True)
        records = stack.wait_for_outputs([p.name for p in files], timeout=60 + 2 * len(files))
        for path in files:
            record = records.get(path.name)
            print("=" * 78)
            if record is None:
                print(f"{path.name}: no output within the time limit (see the log above)")
                continue
            _print_result(s3, path.name, record)
        missing = len(files) - len(records)
        print("=" * 78)
        print(f"{len(records)} of {len(files)} page(s) accounted for in s3://{CLEAN_BUCKET}"
              + (f"; {missing} missing" if missing else ""))
        # The review report of these pages, read back from the clean bucket (tools/report.py).
        from report import pages_from_bucket, render_report

        DEMO_REPORT.parent.mkdir(exist_ok=True)
        DEMO_REPORT.write_text(render_report(pages_from_bucket(s3, CLEAN_BUCKET), f"Demo: {pages}"), encoding="utf-8")
        print(f"review report: {DEMO_REPORT}")
        return 1 if missing else 0


def _print_result(s3: Any, name: str, record: dict[str, Any]) -> None:
    enc, stats = record["encoding"], record["stats"]
    print(f"{name}  ->  s3://{CLEAN_BUCKET}/{record['output']['metadata_key']}")
    print(f"  status: {record['status']}" + (f" ({record['reason']}: {record['detail']})" if record["reason"] else ""))
    for field in ("title", "author", "published", "site_name", "language", "format"):
        print(f"  {field}: {record[field]}")
    print(f"  encoding: {enc['detected']} via {enc['method']}"
          + (f", compression {enc['compression']}" if enc["compression"] else "")
          + (", mojibake repaired" if enc["mojibake_repaired"] else ""))
    print(f"  lines: {stats['lines_in']} in, {stats['lines_out']} out, {stats['lines_removed']} removed; "
          f"bytes: {stats['bytes_in']} in, {stats['bytes_out']} out")
    for removed in record["removed"][:12]:
        print(f"    - [{removed['reason']}] {removed['text'][:70]}")
    if len(record["removed"]) > 12:
        print(f"    ... and {len(record['removed']) - 12} more")
    if record["output"]["text_key"]:
        text = s3.get_object(Bucket=CLEAN_BUCKET, Key=record["output"]["text_key"])["Body"].read().decode("utf-8")
        print(f"  article (s3://{CLEAN_BUCKET}/{record['output']['text_key']}):")
        for line in text.splitlines():
            print(f"  | {line}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="run the local pipeline until Ctrl-C")
    demo_parser = sub.add_parser("demo", help="drop pages, print each result, stop")
    demo_parser.add_argument("--pages", type=Path, default=REPO / "samples", help="folder of pages (default: samples/)")
    args = parser.parse_args()
    if args.command == "serve":
        serve()
        return 0
    return demo(args.pages)


if __name__ == "__main__":
    sys.exit(main())

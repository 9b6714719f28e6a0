"""The pipeline on this machine: template.yaml deployed into moto (server mode), IAM enforced,
and a worker that feeds the deployed queue's messages to the real Lambda handler in-process,
as the deployed event source mapping would (see tools/local_deploy.py for the deployment).

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

from local_deploy import (
    REGION,
    Credentials,
    Deployment,
    create_operator,
    deploy,
    function_credentials,
    load_template,
    repair_moto_signature_check,
    set_iam_enforcement,
)

REPO = Path(__file__).resolve().parents[1]
HOST, PORT = "127.0.0.1", 4566
ENDPOINT = f"http://{HOST}:{PORT}"
# Passed to the stack as its parameters, so the README's names are the deployed names.
RAW_BUCKET, CLEAN_BUCKET = "raw-pages", "clean-articles"
DEMO_REPORT = REPO / "out" / "demo-report.html"  # git-ignored

Handler = Callable[[dict[str, Any], Any], Any]

# Set for the handler on top of the deployed function's environment, as the Lambda runtime
# would (region, credentials) or because nothing local consumes them (X-Ray, EMF metric lines).
_RUNTIME_ENVIRONMENT = {
    "AWS_REGION": REGION,
    "AWS_DEFAULT_REGION": REGION,
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_DISABLED": "true",
}


def local_environment(log_level: str = "INFO", endpoint: str = ENDPOINT) -> dict[str, str]:
    """The function's environment as template.yaml declares it, plus the runtime's, for a
    handler run without a stack (``make bench``'s cold start). No request is made."""
    from local_deploy import Resolver

    template = load_template()
    parameters = {"RawBucketName": RAW_BUCKET, "CleanBucketName": CLEAN_BUCKET, "LogLevel": log_level}
    resolver = Resolver(
        template,
        parameters,
        {"CleanBucket": CLEAN_BUCKET, "RawBucket": RAW_BUCKET},
        lambda logical_id, attr: f"{logical_id}.{attr}",
    )
    variables = resolver.resolve(template["Resources"]["NormaliseFunction"]["Properties"]["Environment"]["Variables"])
    return {
        **{k: str(v) for k, v in variables.items()},
        **_RUNTIME_ENVIRONMENT,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_ENDPOINT_URL": endpoint,
    }


def configure_process() -> None:
    """Import path for the handler and the library; quiet moto's per-request access log."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    warnings.filterwarnings("ignore", message="Tried to parse .* not supported by moto")
    for path in (REPO / "shared", REPO / "functions" / "normalise"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))


@dataclass
class _Context:
    """The parts of the Lambda context object that Powertools and the handler read, from the
    deployed function: its name, ARN, memory and timeout."""

    function_name: str
    invoked_function_arn: str
    memory_limit_in_mb: int
    deadline: float
    aws_request_id: str
    function_version: str = "$LATEST"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - time.monotonic()) * 1000))


class LocalStack:
    """moto server + template.yaml deployed into it + IAM enforced + a worker thread.

    ``visibility_timeout`` overrides the deployed queue's (minutes, sized for Lambda's
    retries) for callers that need failed messages back within seconds; ``template`` replaces
    template.yaml's parsed content (the permission tests remove statements from it)."""

    def __init__(
        self,
        handler: Handler | None = None,
        port: int = PORT,
        *,
        visibility_timeout: int | None = None,
        template: dict[str, Any] | None = None,
        log_level: str = "INFO",
    ) -> None:
        from moto.server import ThreadedMotoServer

        self.endpoint = f"http://{HOST}:{port}"
        self._server = ThreadedMotoServer(ip_address=HOST, port=port, verbose=False)
        self._handler = handler
        self._visibility_timeout = visibility_timeout
        self._template = template
        self._log_level = log_level
        self._stop = threading.Event()
        self._worker: threading.Thread | None = None
        self._saved_environment: dict[str, str | None] = {}
        self.operator: Credentials | None = None
        self.deployment: Deployment | None = None
        self.processed = 0
        self.failed = 0

    def __enter__(self) -> LocalStack:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def client(self, service: str) -> Any:
        """A client for the operator (the person or test using the stack), not the function."""
        import boto3

        credentials = (
            self.operator.as_client_kwargs()
            if self.operator
            else {"aws_access_key_id": "setup", "aws_secret_access_key": "setup"}
        )
        # Any service by name (the stubs type clients by a literal name); callers annotate theirs.
        return boto3.client(service, endpoint_url=self.endpoint, region_name=REGION, **credentials)  # type: ignore[call-overload]

    @property
    def queue_url(self) -> str:
        assert self.deployment is not None
        return self.deployment.queue_url

    @property
    def dead_letter_queue_url(self) -> str:
        assert self.deployment is not None
        return self.deployment.dead_letter_queue_url

    def start(self) -> None:
        configure_process()
        repair_moto_signature_check()
        self._server.start()
        try:
            self._set_up()
        except BaseException:
            self._server.stop()
            raise
        self._worker = threading.Thread(target=self._work, name="sqs-worker", daemon=True)
        self._worker.start()

    def _set_up(self) -> None:
        # moto keeps its state per process: start from empty even if an earlier stack ran here.
        urllib.request.urlopen(urllib.request.Request(f"{self.endpoint}/moto-api/reset", method="POST")).close()
        set_iam_enforcement(self.endpoint, False)
        parameters = {"RawBucketName": RAW_BUCKET, "CleanBucketName": CLEAN_BUCKET, "LogLevel": self._log_level}
        self.deployment = deploy(self.client, self._template or load_template(), parameters)
        if self._visibility_timeout is not None:
            self.client("sqs").set_queue_attributes(
                QueueUrl=self.queue_url, Attributes={"VisibilityTimeout": str(self._visibility_timeout)}
            )
        function_role = function_credentials(self.client("sts"), self.deployment.function["Role"])
        self.operator = create_operator(self.client("iam"))
        self._enter_function_environment(function_role)
        set_iam_enforcement(self.endpoint, True)
        if self._handler is None:
            from app import lambda_handler

            self._handler = lambda_handler

    def _enter_function_environment(self, credentials: Credentials) -> None:
        """The process environment as Lambda would set it for the deployed function: its own
        variables, its role's session and the local endpoint. Restored by ``stop``."""
        import boto3

        assert self.deployment is not None
        variables = {k: str(v) for k, v in self.deployment.function.get("Environment", {}).get("Variables", {}).items()}
        variables.update(_RUNTIME_ENVIRONMENT)
        variables.update(
            AWS_ACCESS_KEY_ID=credentials.access_key_id,
            AWS_SECRET_ACCESS_KEY=credentials.secret_access_key,
            AWS_SESSION_TOKEN=credentials.session_token or "",
            AWS_ENDPOINT_URL=self.endpoint,
        )
        self._saved_environment = {name: os.environ.get(name) for name in variables}
        os.environ.update(variables)
        # The default session caches the first credentials it resolved; Lambda starts a fresh process.
        boto3.setup_default_session()
        self._clear_handler_client()

    def _leave_function_environment(self) -> None:
        import boto3

        for name, value in self._saved_environment.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._saved_environment = {}
        boto3.setup_default_session()
        self._clear_handler_client()

    @staticmethod
    def _clear_handler_client() -> None:
        if "app" in sys.modules:
            sys.modules["app"]._s3.cache_clear()

    def stop(self) -> None:
        self._stop.set()
        if self._worker:
            self._worker.join(timeout=10)
        # Enforcement is process-wide in moto: later in-process mocks (other tests) must not inherit it.
        try:
            set_iam_enforcement(self.endpoint, False)
        finally:
            self._leave_function_environment()
            self._server.stop()

    def _work(self) -> None:
        """Poll the queue as the deployed event source mapping would: its batch size, its
        response types; delete what succeeded. (The mapping's batching window is not waited
        for: a receive returns what is there, up to a batch.)"""
        assert self.deployment is not None and self._handler is not None
        mapping, function = self.deployment.event_source_mapping, self.deployment.function
        batch_size = int(mapping["BatchSize"])
        partial = "ReportBatchItemFailures" in mapping.get("FunctionResponseTypes", [])
        sqs = self.client("sqs")
        while not self._stop.is_set():
            messages = sqs.receive_message(
                QueueUrl=self.queue_url,
                MaxNumberOfMessages=min(batch_size, 10),
                WaitTimeSeconds=1,
                AttributeNames=["All"],
            ).get("Messages", [])
            if not messages:
                continue
            event = {"Records": [_lambda_record(m, mapping["EventSourceArn"]) for m in messages]}
            context = _Context(
                function["FunctionName"],
                function["FunctionArn"],
                int(function["MemorySize"]),
                time.monotonic() + int(function["Timeout"]),
                str(uuid.uuid4()),
            )
            try:
                response = self._handler(event, context) or {}
                # Without ReportBatchItemFailures, Lambda ignores the response: a return is success.
                reported = response.get("batchItemFailures", []) if partial else []
                failed = {item["itemIdentifier"] for item in reported}
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
    with LocalStack() as stack:
        assert stack.operator is not None and stack.deployment is not None
        key = stack.operator
        print(f"Local pipeline ready: template.yaml deployed at {stack.endpoint} (moto), IAM enforced.")
        print(f"  raw bucket: s3://{RAW_BUCKET}   clean bucket: s3://{CLEAN_BUCKET}")
        print(f"  function: {stack.deployment.function['FunctionName']} (runs in this process, as its role)")
        print("Credentials of the local operator (an IAM user allowed everything):")
        print(
            f"  export AWS_ACCESS_KEY_ID={key.access_key_id} AWS_SECRET_ACCESS_KEY={key.secret_access_key} "
            f"AWS_DEFAULT_REGION={REGION}"
        )
        print("Drop a page:")
        print(f"  aws --endpoint-url {stack.endpoint} s3 cp samples/harbour-lights.txt s3://{RAW_BUCKET}/")
        print("Read the results:")
        print(f"  aws --endpoint-url {stack.endpoint} s3 cp s3://{CLEAN_BUCKET}/text/harbour-lights.txt.txt -")
        print("Ctrl-C stops it.", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print("\nstopping", file=sys.stderr)


def demo(pages: Path) -> int:
    files = sorted(p for p in pages.iterdir() if p.is_file() and not p.name.startswith("."))
    if not files:
        print(f"no pages in {pages}: pass PAGES=DIR with at least one file", file=sys.stderr)
        return 2
    with LocalStack(log_level="WARNING") as stack:
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
        print(
            f"{len(records)} of {len(files)} page(s) accounted for in s3://{CLEAN_BUCKET}"
            + (f"; {missing} missing" if missing else "")
        )
        # The review report of these pages, read back from the clean bucket (tools/report.py).
        from normaliser.report import render_report
        from report import pages_from_bucket

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
    print(
        f"  encoding: {enc['detected']} via {enc['method']}"
        + (f", compression {enc['compression']}" if enc["compression"] else "")
        + (", mojibake repaired" if enc["mojibake_repaired"] else "")
    )
    print(
        f"  lines: {stats['lines_in']} in, {stats['lines_out']} out, {stats['lines_removed']} removed; "
        f"bytes: {stats['bytes_in']} in, {stats['bytes_out']} out"
    )
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

"""Load test of the local pipeline: drop thousands of pages at once into the local stack
(template.yaml deployed into moto, IAM enforced, the real handler as the function's role, as
``make local``) and check that every one is accounted for: a metadata record in the clean
bucket, or a message in the dead-letter queue.

    python tools/load_test.py [--pages 2000] [--timeout 600] [--corpus DIR] [--json FILE]

Pages are synthetic (tools/synthetic_pages.py: text dumps and HTML, some gzipped or in
windows-1252, plus one of each bad object), or drawn from the corpus' dev split with
``--corpus``. Prints throughput and the outcomes by status and reason; exits 1 if any
object is unaccounted for when the time is up. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import socket
import sys
import threading
import time
import warnings
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from corpus_cases import page_path, read_page
from local_deploy import REGION
from local_stack import CLEAN_BUCKET, HOST, RAW_BUCKET, Handler, LocalStack, local_environment
from synthetic_pages import DropObject, bad_objects, good_objects

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PAGES = 2000
# moto's SQS scans the whole queue on every receive, so the local stack slows as the queue
# grows: 2,000 pages take about 6 minutes on a 2-core machine.
DEFAULT_TIMEOUT = 900.0
# Corpus pages above this are left out, so a run's size stays bounded (the dev split's
# largest HTML page is about 0.9 MB).
MAX_CORPUS_PAGE_BYTES = 2 * 1024 * 1024
# The deployed queue hides a failed message for 750 s (six function timeouts); a run overrides
# it so a failed page is retried, and reaches the dead-letter queue, within the run.
VISIBILITY_TIMEOUT = 5
UPLOAD_THREADS = 8
POLL_SECONDS = 0.2
CHECK_SECONDS = 5.0


def free_port() -> int:
    """A TCP port nothing listens on now (never 4566, so a running ``make local`` is left alone)."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def prepare_process(port: int, log_level: str = "ERROR") -> None:
    """Environment and import path for an in-process stack on ``port``; before ``import app``."""
    os.environ.update(local_environment(log_level, f"http://{HOST}:{port}"))
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's per-request access log
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    for path in (REPO / "shared", REPO / "functions" / "normalise"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))


def corpus_objects(corpus: Path, count: int, *, text_only: bool = False) -> list[DropObject]:
    """``count`` pages from the corpus' dev split (raw.txt and the HTML), spread over its cases
    and reused under new keys when ``count`` exceeds them."""
    base = corpus / "dev" if (corpus / "dev").is_dir() else corpus
    formats = ("text",) if text_only else ("text", "html")
    files = [
        path
        for case in sorted(p for p in base.iterdir() if p.is_dir())
        for path in (page_path(case, fmt) for fmt in formats)
        if path is not None and path.stat().st_size <= MAX_CORPUS_PAGE_BYTES
    ]
    if not files:
        raise FileNotFoundError(f"no raw.txt/raw.html.gz pages under {base}")
    objects = []
    for i in range(count):
        path = files[i % len(files)]
        round_ = i // len(files)
        prefix = "corpus/" if round_ == 0 else f"corpus/r{round_ + 1}/"
        suffix = ".txt" if path.name == "raw.txt" else ".html"
        objects.append(DropObject(f"{prefix}{path.parent.name}{suffix}", read_page(path), f"corpus{suffix}"))
    return objects


def build_objects(
    count: int, *, corpus: Path | None = None, text_only: bool = False, bad: bool = True, seed: int = 0
) -> list[DropObject]:
    """The objects to drop: one of each bad object (when ``bad``) and good pages up to ``count``."""
    bad_ones = bad_objects(seed)[:count] if bad else []
    good_count = count - len(bad_ones)
    if corpus is not None:
        good = corpus_objects(corpus, good_count, text_only=text_only)
    else:
        good = good_objects(good_count, seed)
        if text_only:
            good = [o for o in good_objects(good_count * 2, seed) if not o.kind.startswith("html")][:good_count]
    # Bad objects spread through the drop, not all at the start, as they would arrive.
    objects = list(good)
    for i, obj in enumerate(bad_ones):
        objects.insert((i * len(objects)) // max(len(bad_ones), 1), obj)
    return objects


class _TimedHandler:
    """Wraps a handler and records when its last call returned: the end of the run is the
    last page handled, not the next poll of the clean bucket."""

    def __init__(self, handler: Handler) -> None:
        self._handler = handler
        self.last_return = 0.0

    def __call__(self, event: dict[str, Any], context: Any) -> Any:
        try:
            return self._handler(event, context)
        finally:
            self.last_return = time.monotonic()


def real_handler() -> Handler:
    """The Lambda handler, with its S3 client made anew for the current endpoint."""
    import app

    app._s3.cache_clear()
    handler: Handler = app.lambda_handler
    return handler


def copy_handler() -> Handler:
    """The baseline: a handler that only copies each object (GET raw, PUT clean), with the
    same SQS partial batch response. The copy goes where the record would, so the same
    accounting finds it."""
    import boto3

    from events import objects_in_message
    from normaliser.keys import output_keys

    clients: list[Any] = []

    def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
        # Made on first use, inside the stack: the function's role credentials and AWS_ENDPOINT_URL.
        if not clients:
            clients.append(boto3.client("s3", region_name=REGION))
        s3 = clients[0]
        failures = []
        for record in event["Records"]:
            try:
                for ref in objects_in_message(record["body"]):
                    body = s3.get_object(Bucket=ref.bucket, Key=ref.key)["Body"].read()
                    s3.put_object(Bucket=CLEAN_BUCKET, Key=output_keys(ref.key).metadata_key, Body=body)
            except Exception:  # reported per message, as the real handler does
                failures.append({"itemIdentifier": record["messageId"]})
        return {"batchItemFailures": failures}

    return handle


HANDLERS: dict[str, Callable[[], Handler]] = {"real": real_handler, "copy": copy_handler}


@dataclass
class LoadReport:
    handler: str
    pages: int
    bytes: int
    upload_seconds: float
    seconds: float  # from the first upload to the last page handled (or to the timeout)
    accounted: int
    records: int
    dead_letters: int
    retried_messages: int
    outcomes: dict[str, int] = field(default_factory=dict)  # "status/reason" -> count
    bad_object_outcomes: dict[str, str] = field(default_factory=dict)  # kind -> "status/reason"
    missing: list[str] = field(default_factory=list)

    @property
    def pages_per_second(self) -> float:
        return self.accounted / self.seconds if self.seconds else 0.0

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "pages_per_second": self.pages_per_second}


class Progress:
    """One line on stderr, only when stderr is a terminal."""

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled

    def show(self, message: str) -> None:
        if self.enabled:
            print(f"\r{message[:78]:<78}", end="", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.enabled:
            print("\r" + " " * 78 + "\r", end="", file=sys.stderr, flush=True)


def run_load(
    objects: list[DropObject],
    *,
    port: int,
    handler: str = "real",
    timeout: float = DEFAULT_TIMEOUT,
    progress: Progress | None = None,
) -> LoadReport:
    """Drop ``objects`` into a fresh local stack on ``port`` and wait until each is accounted
    for or ``timeout`` seconds have passed. The process must be prepared (``prepare_process``)."""
    from normaliser.keys import output_keys

    progress = progress or Progress(False)
    timed = _TimedHandler(HANDLERS[handler]())
    by_metadata_key = {output_keys(o.key).metadata_key: o.key for o in objects}
    if len(by_metadata_key) != len(objects):
        raise ValueError("two objects share a key")
    with LocalStack(handler=timed, port=port, visibility_timeout=VISIBILITY_TIMEOUT, log_level="ERROR") as stack:
        s3, sqs = stack.client("s3"), stack.client("sqs")
        started = time.monotonic()
        _upload(s3, objects, progress)
        uploaded = time.monotonic()
        recorded: set[str] = set()
        dead: set[str] = set()
        finished = None
        last_check = 0.0
        while time.monotonic() < started + timeout:
            # Listing the bucket competes with the worker for moto, so it is done when the
            # worker has handled as many messages as objects were dropped, or every few seconds
            # (for messages that end in the dead-letter queue instead).
            handled = stack.processed + stack.failed
            if handled >= len(objects) or time.monotonic() - last_check >= CHECK_SECONDS:
                last_check = time.monotonic()
                recorded.update(by_metadata_key[k] for k in _listed(s3, "metadata/") if k in by_metadata_key)
                dead.update(_dead_lettered(sqs, stack.dead_letter_queue_url))
                if len(recorded | dead) >= len(objects):
                    finished = timed.last_return
                    break
            progress.show(
                f"{len(recorded | dead)} of {len(objects)} accounted for, {handled} messages handled, "
                f"{time.monotonic() - started:.0f}s"
            )
            time.sleep(POLL_SECONDS)
        ended = finished if finished is not None else time.monotonic()
        progress.show("reading the records")
        outcomes = _outcomes(s3, {k: v for k, v in by_metadata_key.items() if v in recorded}, handler)
        retried = stack.failed
    progress.close()
    bad = {o.key: o.kind for o in objects if o.kind.startswith("bad:")}
    accounted_keys = recorded | dead
    return LoadReport(
        handler=handler,
        pages=len(objects),
        bytes=sum(len(o.body) for o in objects),
        upload_seconds=uploaded - started,
        seconds=ended - started,
        accounted=len(accounted_keys),
        records=len(recorded),
        dead_letters=len(dead - recorded),
        retried_messages=retried,
        outcomes=dict(Counter(outcomes.values()).most_common()),
        bad_object_outcomes={
            kind: outcomes.get(key, "dead-letter" if key in dead else "missing") for key, kind in bad.items()
        },
        missing=sorted(o.key for o in objects if o.key not in accounted_keys),
    )


def _upload(s3: Any, objects: list[DropObject], progress: Progress) -> None:
    done = 0
    lock = threading.Lock()

    def put(obj: DropObject) -> None:
        nonlocal done
        extra = {"ContentType": obj.content_type} if obj.content_type else {}
        if obj.content_encoding:
            extra["ContentEncoding"] = obj.content_encoding
        s3.put_object(Bucket=RAW_BUCKET, Key=obj.key, Body=obj.body, **extra)
        with lock:
            done += 1
            if done % 50 == 0:
                progress.show(f"dropped {done} of {len(objects)}")

    with ThreadPoolExecutor(UPLOAD_THREADS) as pool:
        list(pool.map(put, objects))  # list() re-raises the first upload error


def _listed(s3: Any, prefix: str) -> list[str]:
    keys: list[str] = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=CLEAN_BUCKET, Prefix=prefix):
        keys.extend(item["Key"] for item in page.get("Contents", []))
    return keys


def _dead_lettered(sqs: Any, queue_url: str) -> set[str]:
    """Raw keys named by messages in the dead-letter queue. The messages stay there, hidden
    from later polls for an hour (longer than any run)."""
    from events import MalformedEvent, objects_in_message

    keys: set[str] = set()
    while True:
        messages = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, VisibilityTimeout=3600, WaitTimeSeconds=0
        ).get("Messages", [])
        if not messages:
            return keys
        for message in messages:
            try:
                keys.update(ref.key for ref in objects_in_message(message["Body"]))
            except MalformedEvent:
                print("a dead-letter message names no object", file=sys.stderr)


def _outcomes(s3: Any, raw_keys_by_record: dict[str, str], handler: str) -> dict[str, str]:
    """``raw key -> "status/reason"`` from each metadata record."""
    if handler != "real":
        return dict.fromkeys(raw_keys_by_record.values(), "copied")

    def outcome(metadata_key: str) -> str:
        record = json.loads(s3.get_object(Bucket=CLEAN_BUCKET, Key=metadata_key)["Body"].read())
        return f"{record['status']}/{record['reason']}" if record.get("reason") else record["status"]

    with ThreadPoolExecutor(UPLOAD_THREADS) as pool:
        keys = list(raw_keys_by_record)
        return {raw_keys_by_record[k]: result for k, result in zip(keys, pool.map(outcome, keys), strict=True)}


def print_report(report: LoadReport) -> None:
    print(f"handler: {report.handler}")
    print(f"dropped: {report.pages} objects, {report.bytes / 1e6:.1f} MB, uploaded in {report.upload_seconds:.1f}s")
    print(
        f"accounted for: {report.accounted} of {report.pages} in {report.seconds:.1f}s "
        f"({report.records} with a metadata record, {report.dead_letters} only in the dead-letter queue)"
    )
    print(
        f"throughput: {report.pages_per_second:.1f} pages/s, "
        f"{report.bytes / 1e6 / report.seconds if report.seconds else 0:.2f} MB/s (first upload to last page)"
    )
    print(f"messages reported failed and retried: {report.retried_messages}")
    print("outcomes:")
    for outcome, count in report.outcomes.items():
        print(f"  {count:6d}  {outcome}")
    if report.bad_object_outcomes:
        print("bad objects:")
        for kind, outcome in report.bad_object_outcomes.items():
            print(f"  {kind:<22} {outcome}")
    if report.missing:
        print(f"UNACCOUNTED: {len(report.missing)} object(s), e.g. {', '.join(report.missing[:10])}")
    else:
        print("every object accounted for")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=DEFAULT_PAGES, help=f"objects to drop (default {DEFAULT_PAGES})")
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds to wait for every object to be accounted for (default {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument("--corpus", type=Path, help="draw the good pages from this corpus' dev split")
    parser.add_argument("--text-only", action="store_true", help="text dumps only, no HTML")
    parser.add_argument("--no-bad", action="store_true", help="leave out the bad objects")
    parser.add_argument(
        "--handler",
        choices=sorted(HANDLERS),
        default="real",
        help="real: the Lambda handler; copy: a handler that only copies (a baseline)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if args.pages < 1:
        parser.error("--pages must be at least 1")

    objects = build_objects(args.pages, corpus=args.corpus, text_only=args.text_only, bad=not args.no_bad)
    port = free_port()
    prepare_process(port)
    # The handler logs (and Powertools prints metric lines) on stdout; here stdout is the report.
    with contextlib.redirect_stdout(sys.stderr):
        report = run_load(objects, port=port, handler=args.handler, timeout=args.timeout, progress=Progress())
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report.as_json(), indent=2) + "\n", encoding="utf-8")
    return 1 if report.missing else 0


if __name__ == "__main__":
    sys.exit(main())

"""Re-process objects already in the raw bucket by queueing one S3-style notification per
object, exactly as the bucket would have sent it. Use after a pipeline upgrade, or to fill
the clean bucket for pages uploaded before the stack existed.

    python tools/backfill.py --raw-bucket RAW --queue-url URL [--prefix P] [--only-stale
        --clean-bucket CLEAN] [--endpoint-url http://127.0.0.1:4566]

With --only-stale, an object is queued only if its metadata record is missing or was made by
another pipeline version or from another ETag. The handler itself skips objects whose outputs
are current, so queueing too much costs a HEAD request per object, never a double write.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "shared"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "functions" / "normalise"))

from normaliser import PIPELINE_VERSION
from normaliser.keys import output_keys
from storage import TAG_PIPELINE_VERSION, TAG_SOURCE_ETAG


def raw_objects(s3: Any, bucket: str, prefix: str) -> Iterator[dict[str, Any]]:
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        yield from page.get("Contents", [])


def is_stale(s3: Any, clean_bucket: str, raw: dict[str, Any]) -> bool:
    try:
        head = s3.head_object(Bucket=clean_bucket, Key=output_keys(raw["Key"]).metadata_key)
    except s3.exceptions.ClientError:
        return True
    tags: dict[str, str] = head.get("Metadata", {})
    return tags.get(TAG_PIPELINE_VERSION) != PIPELINE_VERSION or tags.get(TAG_SOURCE_ETAG) != raw["ETag"].strip('"')


def notification(bucket: str, raw: dict[str, Any]) -> str:
    """The message S3 would have sent for this object (keys URL-encoded, as S3 does)."""
    return json.dumps(
        {
            "Records": [
                {
                    "eventVersion": "2.1",
                    "eventSource": "aws:s3",
                    "eventName": "ObjectCreated:Put",
                    "eventTime": raw["LastModified"].isoformat() if hasattr(raw["LastModified"], "isoformat") else "",
                    "s3": {
                        "s3SchemaVersion": "1.0",
                        "configurationId": "backfill",
                        "bucket": {"name": bucket},
                        "object": {
                            "key": quote_plus(raw["Key"], safe="/"),
                            "size": raw["Size"],
                            "eTag": raw["ETag"].strip('"'),
                        },
                    },
                }
            ]
        }
    )


def backfill(
    s3: Any, sqs: Any, *, raw_bucket: str, queue_url: str, prefix: str = "", clean_bucket: str | None = None
) -> tuple[int, int]:
    """Queue the raw objects (only the stale ones when ``clean_bucket`` is given).
    Returns (objects seen, messages queued)."""
    seen = queued = 0
    batch: list[dict[str, str]] = []
    for raw in raw_objects(s3, raw_bucket, prefix):
        seen += 1
        if clean_bucket and not is_stale(s3, clean_bucket, raw):
            continue
        batch.append({"Id": str(len(batch)), "MessageBody": notification(raw_bucket, raw)})
        if len(batch) == 10:
            queued += _send(sqs, queue_url, batch)
            batch = []
    if batch:
        queued += _send(sqs, queue_url, batch)
    return seen, queued


def _send(sqs: Any, queue_url: str, entries: list[dict[str, str]]) -> int:
    failed = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries).get("Failed", [])
    if failed:
        raise RuntimeError(f"{len(failed)} messages were refused by SQS: {failed[0].get('Message')}; run again")
    return len(entries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw-bucket", required=True)
    parser.add_argument("--queue-url", required=True, help="the stack's PagesQueueUrl output")
    parser.add_argument("--prefix", default="")
    parser.add_argument("--only-stale", action="store_true", help="skip objects whose outputs are current")
    parser.add_argument("--clean-bucket", help="needed with --only-stale")
    parser.add_argument("--endpoint-url", help="e.g. http://127.0.0.1:4566 for the local stack")
    args = parser.parse_args()
    if args.only_stale and not args.clean_bucket:
        parser.error("--only-stale needs --clean-bucket")
    import boto3

    s3 = boto3.client("s3", endpoint_url=args.endpoint_url)
    sqs = boto3.client("sqs", endpoint_url=args.endpoint_url)
    seen, queued = backfill(
        s3,
        sqs,
        raw_bucket=args.raw_bucket,
        queue_url=args.queue_url,
        prefix=args.prefix,
        clean_bucket=args.clean_bucket if args.only_stale else None,
    )
    print(f"{queued} of {seen} objects queued for normalisation", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

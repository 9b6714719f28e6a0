"""The backfill command queues what the handler then processes, and only what is stale."""

from __future__ import annotations

from typing import Any

import boto3
from mypy_boto3_s3 import S3Client
from mypy_boto3_sqs import SQSClient

import app
from backfill import backfill
from conftest import RAW, FakeContext


def _drain(sqs: SQSClient, queue_url: str) -> list[dict[str, Any]]:
    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
    return [
        {
            "messageId": m["MessageId"],
            "receiptHandle": m["ReceiptHandle"],
            "body": m["Body"],
            "attributes": {},
            "messageAttributes": {},
            "md5OfBody": m["MD5OfBody"],
            "eventSource": "aws:sqs",
            "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:pages",
            "awsRegion": "us-east-1",
        }
        for m in messages
    ]


def test_backfill_queues_every_object_then_only_stale_ones(s3: S3Client) -> None:
    sqs = boto3.client("sqs", region_name="us-east-1")
    queue_url = sqs.create_queue(QueueName="pages")["QueueUrl"]
    for key in ["a.txt", "dir/b c+d.txt", "é.txt"]:
        s3.put_object(Bucket=RAW, Key=key, Body=b"One sentence that is all there is to this page, and it is kept.\n")
    assert backfill(s3, sqs, raw_bucket=RAW, queue_url=queue_url) == (3, 3)
    records = _drain(sqs, queue_url)
    assert app.lambda_handler({"Records": records}, FakeContext()) == {"batchItemFailures": []}
    assert backfill(s3, sqs, raw_bucket=RAW, queue_url=queue_url, clean_bucket="clean-articles") == (3, 0)
    s3.put_object(Bucket=RAW, Key="a.txt", Body=b"A new version of the page, with other words in it.\n")
    assert backfill(s3, sqs, raw_bucket=RAW, queue_url=queue_url, clean_bucket="clean-articles") == (3, 1)

"""The real handler against moto's S3 (in-process), with the events from events/."""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from moto import mock_aws
from mypy_boto3_s3 import S3Client

if TYPE_CHECKING:
    from local_stack import LocalStack

EVENTS = Path(__file__).resolve().parents[2] / "events"
RAW, CLEAN = "raw-pages", "clean-articles"
# Before anything imports the handler: Powertools reads these when the module is loaded.
os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "text-normaliser")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "TextNormaliser")


@pytest.fixture(autouse=True)
def aws_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "CLEAN_BUCKET": CLEAN,
        "POWERTOOLS_SERVICE_NAME": "text-normaliser",
        "POWERTOOLS_METRICS_NAMESPACE": "TextNormaliser",
        "POWERTOOLS_TRACE_DISABLED": "true",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)


@pytest.fixture
def s3() -> Iterator[S3Client]:
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=RAW)
        client.create_bucket(Bucket=CLEAN)
        import app

        app._s3.cache_clear()  # the handler's client must be created inside the mock
        yield client
        app._s3.cache_clear()


def load_event(name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / name).read_text(encoding="utf-8"))
    return event


class FakeContext:
    function_name = "normalise"
    function_version = "$LATEST"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:normalise"
    aws_request_id = "52fdfc07-2182-154f-163f-5f0f9a621d72"

    def get_remaining_time_in_millis(self) -> int:
        return 60_000


def read_json(s3: S3Client, key: str) -> dict[str, Any]:
    record: dict[str, Any] = json.loads(s3.get_object(Bucket=CLEAN, Key=key)["Body"].read())
    return record


def read_text(s3: S3Client, key: str) -> str:
    return s3.get_object(Bucket=CLEAN, Key=key)["Body"].read().decode("utf-8")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def start_stack() -> Iterator[Callable[..., LocalStack]]:
    """Starts a LocalStack on a free port (so a running ``make local`` is left alone); stops it
    after the test whatever happens."""
    from local_stack import LocalStack

    stacks: list[LocalStack] = []

    def start(**kwargs: Any) -> LocalStack:
        stack = LocalStack(port=free_port(), log_level=kwargs.pop("log_level", "ERROR"), **kwargs)
        stack.start()
        stacks.append(stack)
        return stack

    yield start
    for stack in stacks:
        stack.stop()


def wait_until(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()

"""Two uploads of one key in quick succession: whatever order the runs finish in, the outputs
end up describing the version the raw bucket holds."""

from __future__ import annotations

from typing import Any

import pytest
from mypy_boto3_s3 import S3Client

import app
import normaliser.pipeline as pipeline
from conftest import RAW, read_json, read_text
from events import ObjectRef
from normaliser.keys import output_keys
from storage import RecordConflict

OLD = b"The first draft of the harbour story said the ferry would run twice a day all winter long.\n"
NEW = b"The corrected harbour story says the ferry will run three times a day from the first of March.\n"
KEYS = output_keys("story.txt")


def _current_etag(s3: S3Client) -> str:
    return str(s3.head_object(Bucket=RAW, Key="story.txt")["ETag"]).strip('"')


def test_an_older_upload_that_finishes_last_does_not_replace_the_newer_outputs(
    s3: S3Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pipeline.normalise_page_bounded
    calls: list[bytes] = []

    def newer_upload_overtakes(data: bytes, *args: Any) -> pipeline.NormalisedPage:
        calls.append(data)
        page = real(data, *args)
        if len(calls) == 1:
            # While the run for the first upload works, the key is uploaded again and that
            # upload's run completes first.
            s3.put_object(Bucket=RAW, Key="story.txt", Body=NEW)
            assert app.normalise_object(ObjectRef(RAW, "story.txt")) == "normalised"
        return page

    monkeypatch.setattr(pipeline, "normalise_page_bounded", newer_upload_overtakes)
    s3.put_object(Bucket=RAW, Key="story.txt", Body=OLD)
    assert app.normalise_object(ObjectRef(RAW, "story.txt")) == "normalised"

    assert calls == [OLD, NEW, NEW]  # the slower run noticed, and started over on the new version
    record = read_json(s3, KEYS.metadata_key)
    assert record["source"]["etag"] == _current_etag(s3)
    assert read_text(s3, KEYS.text_key) == NEW.decode()
    assert record["stats"]["bytes_out"] == len(NEW)


def test_a_run_whose_record_keeps_changing_hands_the_message_back(
    s3: S3Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pipeline.normalise_page_bounded
    writes: list[int] = []

    def record_rewritten_every_time(data: bytes, *args: Any) -> pipeline.NormalisedPage:
        writes.append(len(writes))
        s3.put_object(Bucket="clean-articles", Key=KEYS.metadata_key, Body=b"{}" * len(writes))
        return real(data, *args)

    monkeypatch.setattr(pipeline, "normalise_page_bounded", record_rewritten_every_time)
    s3.put_object(Bucket=RAW, Key="story.txt", Body=NEW)
    with pytest.raises(RecordConflict):
        app.normalise_object(ObjectRef(RAW, "story.txt"))
    assert len(writes) == 3


def test_a_rerun_of_the_current_version_is_still_skipped_as_a_duplicate(s3: S3Client) -> None:
    s3.put_object(Bucket=RAW, Key="story.txt", Body=NEW)
    assert app.normalise_object(ObjectRef(RAW, "story.txt")) == "normalised"
    assert app.normalise_object(ObjectRef(RAW, "story.txt")) == "duplicate"

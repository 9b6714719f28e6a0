"""Write the review report (one self-contained HTML file) for records already written.

    python tools/report.py --out report.html DIR
    python tools/report.py --out report.html --bucket CLEAN [--prefix P] [--endpoint-url http://127.0.0.1:4566]

DIR is a folder of metadata records (``*.json``, searched below it): the command line's
``--out`` folder, or a copy of the clean bucket. Each record's article is read from its
``output.text_key`` under DIR (or beside the record). With ``--bucket`` the records are read
from ``metadata/<prefix>...`` in the clean bucket and each article from ``text/<key>.txt``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "shared"))

from normaliser.keys import METADATA_PREFIX, output_keys
from normaliser.report import ReportPage, render_report

# Records are small: reading them is all waiting on S3, so a few requests at once.
_READERS = 8


class _Progress:
    """A counter on stderr, only on a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()

    def show(self, done: int) -> None:
        if self.enabled and done % 50 == 0:
            print(f"\r{done} records read", end="", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.enabled:
            print("\r", end="", file=sys.stderr)


def _name(record: dict[str, Any], fallback: str) -> str:
    return str((record.get("source") or {}).get("key") or fallback)


def pages_from_folder(folder: Path) -> Iterator[ReportPage]:
    """Every record below ``folder`` with its article, in path order."""
    progress = _Progress()
    for done, path in enumerate(sorted(folder.rglob("*.json")), 1):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            print(f"{path}: skipped, not a record: {exc}", file=sys.stderr)
            continue
        if not isinstance(record, dict) or "status" not in record:
            continue
        text = None
        text_key = (record.get("output") or {}).get("text_key")
        if text_key:
            for candidate in (folder / text_key, path.with_name(Path(text_key).name)):
                if candidate.is_file():
                    text = candidate.read_text(encoding="utf-8")
                    break
        progress.show(done)
        yield ReportPage(_name(record, path.name), record, text)
    progress.close()


def pages_from_bucket(s3: Any, bucket: str, prefix: str = "") -> list[ReportPage]:
    """Every record under ``metadata/<prefix>`` in the clean bucket, with its article."""
    keys = [
        item["Key"]
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=METADATA_PREFIX + prefix)
        for item in page.get("Contents", [])
        if item["Key"].endswith(".json")
    ]

    def read(key: str) -> ReportPage:
        record = json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
        name = _name(record, key)
        text = None
        if record.get("status") == "normalised":
            text_key = output_keys(name).text_key
            try:
                text = s3.get_object(Bucket=bucket, Key=text_key)["Body"].read().decode("utf-8")
            except s3.exceptions.NoSuchKey:
                print(f"s3://{bucket}/{text_key}: missing; the page is shown without its article", file=sys.stderr)
        return ReportPage(name, record, text)

    progress, pages = _Progress(), []
    with ThreadPoolExecutor(_READERS) as pool:
        for done, page in enumerate(pool.map(read, sorted(keys)), 1):
            pages.append(page)
            progress.show(done)
    progress.close()
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, help="folder of metadata records (or use --bucket)")
    parser.add_argument("--out", required=True, type=Path, help="the HTML file to write")
    parser.add_argument("--bucket", help="read the records from this clean bucket instead")
    parser.add_argument("--prefix", default="", help="only raw keys starting with this (with --bucket)")
    parser.add_argument("--endpoint-url", help="S3 endpoint, e.g. http://127.0.0.1:4566 for the local stack")
    parser.add_argument("--title", help="the report's title")
    args = parser.parse_args(argv)
    if (args.folder is None) == (args.bucket is None):
        parser.error("give either a FOLDER or --bucket")
    if args.bucket:
        import boto3

        s3 = boto3.client("s3", endpoint_url=args.endpoint_url)
        pages = pages_from_bucket(s3, args.bucket, args.prefix)
        title = args.title or f"Normaliser review: s3://{args.bucket}/{METADATA_PREFIX}{args.prefix}"
    else:
        if not args.folder.is_dir():
            parser.error(f"{args.folder} is not a folder")
        pages = list(pages_from_folder(args.folder))
        title = args.title or f"Normaliser review: {args.folder}"
    args.out.write_text(render_report(pages, title=title), encoding="utf-8")
    print(f"{len(pages)} page(s) in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""tools/report.py reads the records (and articles) from a folder or from the clean bucket."""

from __future__ import annotations

import json
from pathlib import Path

from mypy_boto3_s3 import S3Client

from conftest import CLEAN
from normaliser.__main__ import main as cli_main
from normaliser.keys import output_keys
from normaliser.pipeline import OutputLocation, SourceObject, normalise_page
from report import main as report_main
from report import pages_from_bucket, pages_from_folder

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def test_folder_of_command_line_outputs_gives_every_page_with_its_article(tmp_path: Path) -> None:
    cli_main(["--out", str(tmp_path / "out"), str(SAMPLES)])
    pages = list(pages_from_folder(tmp_path / "out"))
    assert sorted(page.name for page in pages) == sorted(path.name for path in SAMPLES.iterdir())
    for page in pages:
        assert page.text == (tmp_path / "out" / f"{page.name}.txt").read_text(encoding="utf-8")


def test_clean_bucket_gives_every_page_under_the_prefix_with_its_article(s3: S3Client, tmp_path: Path) -> None:
    for path in sorted(SAMPLES.iterdir()):
        for key in (f"news/{path.name}", f"other/{path.name}"):
            keys = output_keys(key)
            page = normalise_page(
                path.read_bytes(),
                SourceObject(key=key, bucket="raw-pages"),
                OutputLocation(CLEAN, keys.text_key, keys.metadata_key),
            )
            s3.put_object(Bucket=CLEAN, Key=keys.text_key, Body=page.text_bytes())
            s3.put_object(Bucket=CLEAN, Key=keys.metadata_key, Body=page.metadata_bytes())
    s3.put_object(
        Bucket=CLEAN,
        Key=output_keys("news/empty.txt").metadata_key,
        Body=normalise_page(b"", SourceObject(key="news/empty.txt"), OutputLocation(CLEAN, "t", "m")).metadata_bytes(),
    )
    pages = pages_from_bucket(s3, CLEAN, "news/")
    assert sorted(page.name for page in pages) == sorted(
        [f"news/{p.name}" for p in SAMPLES.iterdir()] + ["news/empty.txt"]
    )
    assert all((page.text is None) == (page.record["status"] != "normalised") for page in pages)
    report = tmp_path / "report.html"
    assert report_main(["--bucket", CLEAN, "--prefix", "news/", "--out", str(report)]) == 0
    html = report.read_text(encoding="utf-8")
    assert json.dumps("news/empty.txt") in html and json.dumps("other/harbour-lights.txt") not in html

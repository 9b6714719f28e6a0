"""The whole pipeline on bytes: encodings, compression and line endings never change the
article; bad input is rejected with a reason, never raised."""

from __future__ import annotations

import gzip
import os
from dataclasses import replace
from pathlib import Path

import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-windows-1252 codec)
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normaliser.config import NormaliserConfig
from normaliser.pipeline import DEFAULT_CONFIG, NormalisedPage, OutputLocation, SourceObject, normalise_page

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
OUTPUT = OutputLocation(None, "out.txt", "out.json")


def run(data: bytes, key: str = "page", config: NormaliserConfig = DEFAULT_CONFIG) -> NormalisedPage:
    return normalise_page(data, SourceObject(key=key), OUTPUT, config)


def encodings_of(text: str) -> dict[str, bytes]:
    """The same page as scrapers hand it to us."""
    utf8 = text.encode("utf-8")
    return {
        "utf-8": utf8,
        "utf-8 with BOM": b"\xef\xbb\xbf" + utf8,
        "windows-1252": text.encode("cp1252"),
        # How mojibake is made in the wild: UTF-8 bytes read as Windows-1252 by a decoder that
        # passes its five undefined bytes through (as browsers do), then saved as UTF-8.
        "utf-8 mojibake": utf8.decode("sloppy-windows-1252").encode("utf-8"),
        "utf-16": text.encode("utf-16"),
        "crlf": text.replace("\n", "\r\n").encode("utf-8"),
        "gzip": gzip.compress(utf8),
    }


def assert_same_article_in_every_encoding(text: str) -> str:
    expected = run(text.encode("utf-8"))
    assert expected.status == "normalised"
    for name, data in encodings_of(text).items():
        page = run(data)
        assert page.text == expected.text, name
        assert page.metadata["title"] == expected.metadata["title"], name
    return expected.text or ""


def test_own_sample_gives_the_same_article_in_every_encoding() -> None:
    text = (SAMPLES / "harbour-lights.txt").read_text(encoding="utf-8")
    article = assert_same_article_in_every_encoding(text)
    assert "A small fishing town" in article


def test_seed_page_gives_the_same_article_in_every_encoding(seed_bytes: bytes) -> None:
    assert_same_article_in_every_encoding(seed_bytes.decode("utf-8"))


def test_output_is_utf8_lf_one_paragraph_a_line_with_final_newline() -> None:
    page = run((SAMPLES / "village-rye.html").read_bytes(), key="village-rye.html")
    assert page.text is not None and page.text.endswith("\n") and not page.text.endswith("\n\n")
    assert "\r" not in page.text and "\n\n" not in page.text
    assert page.metadata["text_sha256"] and page.metadata["stats"]["bytes_out"] == len(page.text_bytes())


def test_keep_boilerplate_only_decodes_repairs_and_trims() -> None:
    data = (SAMPLES / "harbour-lights.txt").read_bytes()
    page = run(data, config=replace(NormaliserConfig(), keep_boilerplate=True))
    assert page.text is not None and "Share this article:" in page.text
    assert page.metadata["removed"] == []


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\n\t ", "empty"),
        (b"\x89PNG\r\n\x1a\n" + os.urandom(2000), "binary"),
        (b"%PDF-1.7\n" + os.urandom(2000), "binary"),
        (b"\x00\x01\x02\x03" * 500, "binary"),
        (gzip.compress(b"A sentence of text. " * 200)[:60], "corrupt-compression"),
        (gzip.compress(b"\x00" * (3 * 1024 * 1024)), "decompressed-too-large"),
        (b"word " * 300_000, "line-too-long"),
        (
            "Home\nNews\nSport\nContact us\nBy Jo Bloggs | 2 Comments\nShare this\nPrivacy | Terms\n"
            "\u00a9 2025 The Daily Example. All rights reserved.\n".encode(),
            "no-article",
        ),
    ],
    ids=["empty", "whitespace", "png", "pdf", "controls", "truncated-gzip", "gzip-bomb", "one-huge-line", "menus-only"],
)
def test_bad_input_is_rejected_with_a_reason(data: bytes, reason: str) -> None:
    config = NormaliserConfig(max_decompressed_bytes=2 * 1024 * 1024, max_line_chars=1024 * 1024)
    page = run(data, config=config)
    assert (page.status, page.metadata["reason"]) == ("rejected", reason)
    assert page.text is None and page.metadata["output"]["text_key"] is None
    assert page.metadata["detail"]


def test_object_over_the_size_limit_is_rejected() -> None:
    page = run(b"x" * 2000, config=NormaliserConfig(max_input_bytes=1000))
    assert (page.status, page.reason) == ("rejected", "too-large")


def test_stray_nul_bytes_are_dropped_and_counted() -> None:
    text = (SAMPLES / "harbour-lights.txt").read_text(encoding="utf-8")
    page = run(text.replace("fishing", "fish\x00ing").encode("utf-8"))
    assert page.status == "normalised" and "\x00" not in (page.text or "")
    assert page.metadata["encoding"]["control_characters_removed"] == 1


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    page = run(data)
    assert page.status in ("normalised", "rejected")
    assert page.metadata["status"] == page.status


def test_page_without_article_lists_every_line_it_removed() -> None:
    page = run(b"Home\nNews\nWeather\nSubscribe\nLog in\n")
    assert (page.status, page.reason) == ("rejected", "no-article")
    assert [line["text"] for line in page.metadata["removed"]] == ["Home", "News", "Weather", "Subscribe", "Log in"]

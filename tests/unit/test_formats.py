from __future__ import annotations

import pytest

from normaliser.decode.formats import detect_format


@pytest.mark.parametrize(
    ("head", "key", "content_type", "expected"),
    [
        (b"<!doctype html><html>", "", None, "html"),
        (b"\xef\xbb\xbf  <html lang=en>", "", None, "html"),
        (b"Plain words about <b> tags.", "", None, "text"),
        (b"Plain words", "page.html.gz", None, "html"),
        (b"<html>", "dump.txt", None, "text"),
        (b"words", "object", "text/html; charset=utf-8", "html"),
        (b"<div><p>a</p><p>b</p></div>", "object", None, "html"),
        (b"<\x00h\x00t\x00m\x00l\x00>\x00", "", None, "html"),
    ],
)
def test_format_is_detected_from_name_type_then_content(
    head: bytes, key: str, content_type: str | None, expected: str
) -> None:
    assert detect_format(head, key=key, content_type=content_type) == expected


def test_override_wins() -> None:
    assert detect_format(b"<html>", key="x.html", override="text") == "text"

"""Pages built to hurt: each shape that once ran for minutes, took gigabytes or slipped
through as text, as a regression test. Time is checked as a ratio (four times the input
may take about four times as long, see scaling.py), never as an absolute figure."""

from __future__ import annotations

import json
import random
import unicodedata
from functools import partial

from hypothesis import given, settings
from hypothesis import strategies as st
from scaling import GROWTH_LIMIT, best_seconds, growth

from normaliser.config import NormaliserConfig
from normaliser.html.settings import MARKUP
from normaliser.pipeline import NormalisedPage, OutputLocation, SourceObject, normalise_page
from normaliser.text import boilerplate
from normaliser.text.model import shipped_model

# In-process (the hard bounds are tested in test_isolation.py), our extractor alone.
CONFIG = NormaliserConfig(isolate=False, peer_extractors=False, max_seconds_per_page=600)
ARTICLE = "<p>" + "The ferry to the island will run three times a day from the first of March. " * 8 + "</p>"


def _run(
    data: bytes, key: str = "page.html", content_type: str | None = None, config: NormaliserConfig = CONFIG
) -> NormalisedPage:
    source = SourceObject(key=key, content_type=content_type)
    return normalise_page(data, source, OutputLocation(None, "t", "m"), config)


def _linear(make: object, size: int) -> None:
    assert callable(make)
    ratio = growth(lambda n: _run(make(n)), size)
    assert ratio < GROWTH_LIMIT, f"{ratio:.0f}x the time on 4x the input"


def test_a_line_of_at_signs_is_linear() -> None:
    _linear(lambda n: b"Some text here.\n" + b"@" * n + b"\n", 1_000)


def test_inverted_marks_in_a_declared_windows_1252_page_are_linear() -> None:
    _linear(lambda n: b"<meta charset=windows-1252><p>" + b"\xa1" * n + b"</p>", 4_000)


def test_nested_author_elements_are_linear() -> None:
    _linear(lambda n: b"<html><body>" + b'<div itemprop="author">' * n + b"Ann Lee" + ARTICLE.encode(), 200)


def test_random_high_bytes_are_linear() -> None:
    rnd = random.Random(1)
    noise = bytes(rnd.randrange(128, 256) for _ in range(400_000))
    _linear(lambda n: noise[:n], 20_000)


def test_a_tag_with_a_hundred_thousand_attributes_is_rejected_before_parsing() -> None:
    page = _run(b"<div " + b" ".join(b"a%d=1" % i for i in range(100_000)) + b">x</div>" + ARTICLE.encode())
    assert (page.status, page.reason) == ("rejected", "markup-too-complex")


def test_elements_nested_two_hundred_thousand_deep_are_rejected_before_parsing() -> None:
    page = _run(b"<div>" * 200_000 + ARTICLE.encode())
    assert (page.status, page.reason) == ("rejected", "markup-too-complex")


def test_markup_at_the_bounds_costs_no_more_than_an_ordinary_large_page() -> None:
    # The parser is quadratic in both shapes; the bounds keep the worst accepted page cheap.
    attributes = b"<div " + b" ".join(b"a%d=1" % i for i in range(MARKUP.max_tag_attributes - 1)) + b">x</div>"
    nested = b"<div>" * MARKUP.max_unclosed_elements
    ordinary = ARTICLE.encode() * 1_500  # about 900 KB of prose
    for hostile in (attributes, nested):
        page = hostile + ARTICLE.encode()
        assert _run(page).status == "normalised"
        assert best_seconds(partial(_run, page)) < 2 * best_seconds(lambda: _run(ordinary))


def test_the_line_memory_keeps_no_long_line() -> None:
    records = shipped_model().compiled.records
    records.clear()
    long_line = "A sentence of a long paragraph that goes on and on. " * 40
    boilerplate.clean_text_dump(f"Home\n{long_line}\nShort footer line")
    assert "Home" in records and long_line not in records
    assert all(len(text) <= boilerplate.CLEANER.max_remembered_chars for text in records)


def test_a_utf16_label_on_a_windows_1252_page_is_not_believed() -> None:
    page = _run(
        ("The café’s menu changed again this week. " * 30).encode("cp1252"), "p.txt", "text/plain; charset=utf-16"
    )
    assert page.metadata["encoding"]["detected"] == "windows-1252"
    assert "The café’s menu changed" in (page.text or "")


def test_utf16_chinese_without_a_byte_order_mark_is_read() -> None:
    text = "中华人民共和国位于东亚。北京是首都，上海是最大的城市。人们在这里生活和工作，学习和休息。\n" * 12
    for encoding in ("utf-16le", "utf-16be"):
        page = _run(text.encode(encoding), "zh.txt")
        assert page.status == "normalised" and page.metadata["encoding"]["detected"] == encoding
        assert "北京是首都" in (page.text or "")


def test_the_article_is_nfc_even_when_a_zero_width_character_sat_before_a_mark() -> None:
    page = _run(
        (
            "<p>Cafe\u200b\u0301 in the harbour town serves fish all year, "
            "and the ferry stops right outside its door.</p>"
        ).encode(),
        config=CONFIG,
    )
    assert page.text is not None and unicodedata.is_normalized("NFC", page.text)
    assert "Café" in page.text


def test_c1_controls_and_bidi_overrides_are_removed_and_counted() -> None:
    body = (
        "The ferry to the island will run three times a day\u202e from March, "
        "the harbour office said\u2066 on Monday\u2069 in a short note."
    )
    page = _run(f"<p>{body}</p>".encode())
    assert page.text is not None
    assert not any(char in page.text for char in "\u202e\u2066\u2069\x85")
    assert page.metadata["encoding"]["control_characters_removed"] == 3


def test_an_entity_is_unescaped_once() -> None:
    page = _run(
        b"<p>In HTML a less-than sign is written &amp;lt; and an ampersand &amp;amp; in the page's "
        b"source, as every guide to the markup says early on.</p>"
    )
    assert "&lt;" in (page.text or "") and "&amp;" in (page.text or "")


def test_json_ld_nested_a_thousand_deep_is_read_without_failing() -> None:
    author = "[" * 1000 + '{"name": "Ann Lee"}' + "]" * 1000
    ld = json.dumps({"@type": "NewsArticle", "headline": "Ferry news"})[:-1] + f', "author": {author}}}'
    page = _run(
        f'<html><head><script type="application/ld+json">{ld}</script></head><body>{ARTICLE}</body></html>'.encode()
    )
    assert page.status == "normalised"


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=3000))
def test_random_bytes_always_get_a_record_and_never_fail(data: bytes) -> None:
    page = _run(data, "fuzz.bin")
    assert page.status in ("normalised", "rejected") and page.metadata["status"] == page.status


_TAGS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<div>",
        "</div>",
        "<a href='x'>",
        "</a>",
        "<title>",
        "</title>",
        "<script>",
        "</script>",
        "<h1>",
        "</h1>",
        "<br>",
        "<!--",
        "-->",
        "<noscript>",
        '<div itemprop="author">',
        '<script type="application/ld+json">',
        "&amp;",
        "&lt;",
        "<meta charset=utf-16>",
        "<table><tr><td>",
    ]
)
_MARKUP = st.lists(st.one_of(_TAGS, st.text(max_size=40)), max_size=60).map("".join)


@settings(max_examples=60, deadline=None)
@given(_MARKUP)
def test_random_markup_always_gets_a_record_and_never_fails(markup: str) -> None:
    page = _run(markup.encode("utf-8", "surrogatepass"), "fuzz.html")
    assert page.status in ("normalised", "rejected") and page.metadata["status"] == page.status
    if page.text is not None:
        assert unicodedata.is_normalized("NFC", page.text)

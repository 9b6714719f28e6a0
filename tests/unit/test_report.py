"""The review report: removed lines come back in the page's order, and page text can never
become markup or script (the browser tests in tests/browser check the same in Chromium)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normaliser.__main__ import main as cli_main
from normaliser.config import NormaliserConfig
from normaliser.pipeline import DEFAULT_CONFIG, OutputLocation, SourceObject, normalise_page
from normaliser.repair.whitespace import normalise_whitespace
from normaliser.report import ReportPage, page_lines, render_report, summarise

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
OUTPUT = OutputLocation(None, "out.txt", "out.json")
KEEP_ALL = replace(NormaliserConfig(), keep_boilerplate=True)
HOSTILE_LINES = (
    "</script><script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    '"><svg onload=alert(3)>',
    "line\u2028separator\u2029paragraph <!-- comment",
    "&lt;b&gt;entity&amp; ]]> {{template}} ${js}",
)


def report_of(data: bytes, key: str) -> tuple[ReportPage, list[str]]:
    """The page as the report sees it, and every line of the page as the cleaner saw it."""
    page = normalise_page(data, SourceObject(key=key), OUTPUT)
    whole = normalise_page(data, SourceObject(key=key), OUTPUT, KEEP_ALL)
    return ReportPage(key, page.metadata, page.text), [line for line in (whole.text or "").split("\n") if line]


def test_every_sample_is_shown_in_its_original_line_order() -> None:
    for path in sorted(SAMPLES.iterdir()):
        page, lines = report_of(path.read_bytes(), path.name)
        assert page.record["removed"], path.name
        assert [text for _, text in page_lines(page.record, page.text)] == lines, path.name


def test_seed_page_is_shown_in_its_original_line_order(seed_bytes: bytes) -> None:
    page, lines = report_of(seed_bytes, "seed.txt")
    shown = page_lines(page.record, page.text)
    assert [text for _, text in shown] == lines
    assert [(reason, text) for reason, text in shown if reason] == [
        (line["reason"], line["text"]) for line in page.record["removed"]
    ]


_furniture = st.sampled_from(
    [
        "Home > News > World",
        "Share this",
        "Leave a Comment",
        "0 comments",
        "Menu",
        "© 2024 The Paper. All rights reserved.",
        "Related posts",
        "Subscribe",
    ]
)
_WORDS = [
    "the",
    "harbour",
    "town",
    "council",
    "said",
    "that",
    "boats",
    "and",
    "nets",
    "were",
    "mended",
    "by",
    "fishermen",
    "before",
    "winter",
    "storms",
    "came",
    "in",
    "from",
    "the",
    "north",
]
_sentence = st.lists(st.sampled_from(_WORDS), min_size=8, max_size=30).map(lambda w: " ".join(w).capitalize() + ".")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_furniture, _sentence, st.just("")), min_size=1, max_size=30))
def test_removed_positions_interleave_with_the_article_in_page_order(lines: list[str]) -> None:
    text = normalise_whitespace("\n".join(lines))
    page = normalise_page(text.encode("utf-8"), SourceObject(key="page.txt"), OUTPUT, DEFAULT_CONFIG)
    shown = [line for _, line in page_lines(page.metadata, page.text)]
    assert shown == [line for line in text.split("\n") if line]


def test_html_removed_positions_count_lines_not_blocks() -> None:
    html = (
        "<html><body><nav><a href=/>Home</a><br><a href=/n>News</a></nav><article><h1>Rye returns</h1>"
        "<p>Three bakeries in the valley have brought back a dark rye loaf that had not been sold since "
        "the fifties, working from a recipe card found in a parish archive.</p><p>The card called for a "
        "good handful of caraway and a starter fed for five days, the bakers said.</p></article>"
        "<footer>© 2025 Village Crier</footer></body></html>"
    ).encode()
    page, lines = report_of(html, "page.html")
    assert [(line["text"], line["index"]) for line in page.record["removed"]] == [
        ("Home", 0),
        ("News", 1),
        ("© 2025 Village Crier", 5),
    ]
    assert [text for _, text in page_lines(page.record, page.text)] == lines


def test_records_without_positions_show_removed_lines_after_the_article() -> None:
    record = {"removed": [{"text": "Menu", "reason": "navigation"}]}
    assert page_lines(record, "Body.\n") == [(None, "Body."), ("navigation", "Menu")]


def _hostile_page() -> ReportPage:
    text = "\n".join(HOSTILE_LINES) + "\n"
    record = {
        "status": "rejected",
        "reason": "<b>no-article</b>",
        "detail": "</script><script>alert(4)</script>",
        "title": '"><img src=x onerror=alert(5)>',
        "author": "<svg/onload=alert(6)>",
        "published": None,
        "site_name": "</style><script>alert(7)</script>",
        "language": "en",
        "format": "text",
        "encoding": {"detected": "<i>utf-8</i>", "method": "x", "evidence": ["</script>"], "mojibake_repaired": False},
        "stats": {"bytes_in": 1, "bytes_out": 0, "lines_in": 6, "lines_out": 5, "lines_removed": 1},
        "removed": [{"text": "<script>alert(8)</script>", "reason": '"><svg onload=alert(9)>', "index": 2}],
    }
    return ReportPage("</title><script>alert(10)</script>", record, text)


def test_hostile_page_text_stays_text_in_the_html() -> None:
    report = render_report([_hostile_page()], title="<script>alert(11)</script>")
    # The only elements are the report's own: two scripts (the data blob and ours), one style.
    assert len(re.findall(r"<script", report)) == 2
    assert len(re.findall(r"<style", report)) == 1
    assert not re.search(r"<(img|svg)\b", report)
    markup = [*HOSTILE_LINES[:4], "<b>no-article</b>", "<i>utf-8</i>", "<svg/onload", "<script>alert"]
    assert [text for text in markup if text in report] == []
    blob = re.search(r'<script type="application/json" id=report-data>(.*?)</script>', report, re.S)
    assert blob is not None
    assert not re.search(r"[<>&\u2028\u2029]", blob.group(1))
    data = json.loads(blob.group(1))
    assert [text for _, text in data["pages"][0]["lines"]][:2] == list(HOSTILE_LINES[:2])


def test_only_the_reports_own_script_may_run() -> None:
    report = render_report([_hostile_page()])
    script = re.findall(r"<script>(.*?)</script>", report, re.S)[-1]
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', report)
    assert policy is not None
    assert f"script-src 'sha256-{digest}'" in policy.group(1)
    assert "default-src 'none'" in policy.group(1)


def test_summary_counts_pages_lines_bytes_and_encodings() -> None:
    pages = [report_of(path.read_bytes(), path.name)[0] for path in sorted(SAMPLES.iterdir())]
    pages.append(ReportPage("empty.txt", normalise_page(b"", SourceObject(key="empty.txt"), OUTPUT).metadata))
    summary = summarise(pages)
    assert summary.by_status == {"normalised": len(pages) - 1, "rejected": 1}
    assert summary.by_rejection == {"empty": 1}
    assert sum(summary.removed_by_reason.values()) == sum(len(p.record["removed"]) for p in pages)
    assert summary.bytes_out == sum(len((p.text or "").encode()) for p in pages)
    assert sum(summary.encodings.values()) == len(pages) - 1


def test_command_line_writes_the_report(tmp_path: Path) -> None:
    report = tmp_path / "review.html"
    status = cli_main(["--out", str(tmp_path / "out"), "--report", str(report), str(SAMPLES)])
    assert status == 0
    html = report.read_text(encoding="utf-8")
    assert "Pages by status" in html
    for path in SAMPLES.iterdir():
        assert json.dumps(path.name) in html

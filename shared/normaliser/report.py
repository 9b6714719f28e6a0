"""The review report: one self-contained HTML file showing what the cleaner did to each page.

The summary (counts, a bar chart of removed lines by reason) is rendered here as escaped
HTML. The pages travel as one JSON blob that the page's own script turns into sections a
screen at a time, so a report of thousands of pages opens at once. Page text reaches the
document only as JSON (with ``<``, ``>`` and ``&`` escaped, so no ``</script>`` can end the
blob) and through ``textContent`` in the script; a Content-Security-Policy lets no other
script run and no request leave the file.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_ASSETS = Path(__file__).with_name("data")
# Sections rendered at once: a screen's worth, so even a long run stays quick to page through.
PAGES_PER_SCREEN = 20


@dataclass(frozen=True)
class ReportPage:
    """One page for the report: its name (raw key or file), its metadata record and, when it
    was normalised, its article text."""

    name: str
    record: Mapping[str, Any]
    text: str | None = None


def page_lines(record: Mapping[str, Any], text: str | None) -> list[tuple[str | None, str]]:
    """The page's lines in their original order: ``(None, line)`` for an article line,
    ``(reason, line)`` for a removed one.

    Removed lines carry their position among all the page's lines; the article's lines fill
    the other positions in order. Records written before positions were recorded list their
    removed lines after the article.

    >>> record = {"removed": [{"text": "Home > News", "reason": "breadcrumb", "index": 0},
    ...                       {"text": "Share this", "reason": "share-prompt", "index": 2}]}
    >>> page_lines(record, "Headline\\nBody.\\n")
    [('breadcrumb', 'Home > News'), (None, 'Headline'), ('share-prompt', 'Share this'), (None, 'Body.')]
    """
    kept = text.split("\n") if text else []
    if kept and kept[-1] == "":
        kept.pop()
    placed: dict[int, tuple[str, str]] = {}
    unplaced: list[tuple[str | None, str]] = []
    for line in record.get("removed") or []:
        index = line.get("index", -1)
        if isinstance(index, int) and index >= 0 and index not in placed:
            placed[index] = (str(line.get("reason")), str(line.get("text")))
        else:
            unplaced.append((str(line.get("reason")), str(line.get("text"))))
    lines: list[tuple[str | None, str]] = []
    next_kept = 0
    for position in range(len(kept) + len(placed)):
        if position in placed:
            lines.append(placed.pop(position))
        elif next_kept < len(kept):
            lines.append((None, kept[next_kept]))
            next_kept += 1
    # Positions past the end (a kept line that turned out empty after tidying) keep their order.
    lines.extend(placed[index] for index in sorted(placed))
    lines.extend((None, line) for line in kept[next_kept:])
    return lines + unplaced


@dataclass(frozen=True)
class Summary:
    pages: int
    by_status: Counter[str]
    by_rejection: Counter[str]
    removed_by_reason: Counter[str]
    bytes_in: int
    bytes_out: int
    repaired: int
    encodings: Counter[str]


def summarise(pages: Sequence[ReportPage]) -> Summary:
    """What the run did, over all pages.

    >>> page = ReportPage("a.txt", {"status": "rejected", "reason": "empty", "removed": [],
    ...                             "stats": {"bytes_in": 3, "bytes_out": 0}, "encoding": {}})
    >>> summarise([page]).by_rejection
    Counter({'empty': 1})
    """
    by_status: Counter[str] = Counter()
    by_rejection: Counter[str] = Counter()
    removed: Counter[str] = Counter()
    encodings: Counter[str] = Counter()
    bytes_in = bytes_out = repaired = 0
    for page in pages:
        record = page.record
        status = str(record.get("status"))
        by_status[status] += 1
        if status != "normalised":
            by_rejection[str(record.get("reason"))] += 1
        removed.update(str(line.get("reason")) for line in record.get("removed") or [])
        stats = record.get("stats") or {}
        bytes_in += int(stats.get("bytes_in") or 0)
        bytes_out += int(stats.get("bytes_out") or 0)
        encoding = record.get("encoding") or {}
        repaired += bool(encoding.get("mojibake_repaired"))
        if encoding.get("detected"):
            encodings[str(encoding["detected"])] += 1
    return Summary(len(pages), by_status, by_rejection, removed, bytes_in, bytes_out, repaired, encodings)


def _page_data(page: ReportPage, reason_ids: dict[str, int]) -> dict[str, Any]:
    record = page.record
    encoding = record.get("encoding") or {}
    lines = []
    for reason, text in page_lines(record, page.text):
        code = 0 if reason is None else reason_ids.setdefault(reason, len(reason_ids) + 1)
        lines.append([code, text])
    return {
        "name": page.name,
        "status": record.get("status"),
        "reason": record.get("reason"),
        "detail": record.get("detail"),
        "meta": [record.get(field) for field in ("title", "author", "published", "site_name", "language", "format")],
        "encoding": {
            field: encoding.get(field)
            for field in (
                "detected",
                "method",
                "declared",
                "evidence",
                "compression",
                "mojibake_repaired",
                "fixes",
                "undecodable_bytes",
                "control_characters_removed",
            )
        },
        "stats": record.get("stats") or {},
        "lines": lines,
    }


def _script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` left to end
    it or open a comment, and the two line separators JavaScript once treated as newlines
    escaped.

    >>> _script_json({"t": "</script><script>alert(1)</script>\\u2028"})
    '{"t":"\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e\\\\u2028"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return text


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _count_table(title: str, counts: Counter[str], kind: str) -> str:
    if not counts:
        return f"<h3>{_e(title)}</h3><p class=none>none</p>"
    rows = "".join(
        f'<tr><td><button type=button class=link data-{kind}="{_e(key)}">{_e(key)}</button></td>'
        f"<td class=num>{count:,}</td></tr>"
        for key, count in counts.most_common()
    )
    return f"<h3>{_e(title)}</h3><table>{rows}</table>"


def _bar_chart(counts: Counter[str]) -> str:
    """Removed lines by reason as CSS bars (widths relative to the largest)."""
    if not counts:
        return "<p class=none>no line was removed</p>"
    top = max(counts.values())
    rows = "".join(
        f'<div class=bar-row><button type=button class=link data-line-reason="{_e(reason)}">{_e(reason)}</button>'
        f'<span class=bar style="width:{100 * count / top:.1f}%"></span><span class=num>{count:,}</span></div>'
        for reason, count in counts.most_common()
    )
    return f'<div class=chart role=img aria-label="removed lines by reason">{rows}</div>'


def _summary_html(summary: Summary) -> str:
    ratio = f" ({summary.bytes_out / summary.bytes_in:.1%} of the input)" if summary.bytes_in else ""
    facts = (
        f"<p><b>{summary.pages:,}</b> pages; <b>{sum(summary.removed_by_reason.values()):,}</b> lines removed; "
        f"<b>{summary.bytes_in:,}</b> bytes in, <b>{summary.bytes_out:,}</b> bytes out{ratio}; "
        f"mojibake repaired on <b>{summary.repaired:,}</b> pages.</p>"
    )
    return (
        f"<section id=summary><h2>Summary</h2>{facts}<div class=grid>"
        f"<div>{_count_table('Pages by status', summary.by_status, 'status')}"
        f"{_count_table('Pages not normalised, by reason', summary.by_rejection, 'page-reason')}</div>"
        f"<div><h3>Removed lines by reason</h3>{_bar_chart(summary.removed_by_reason)}</div>"
        f"<div>{_count_table('Encodings detected', summary.encodings, 'encoding')}</div>"
        "</div></section>"
    )


def _asset(name: str) -> str:
    return (_ASSETS / name).read_text(encoding="utf-8")


def render_report(pages: Iterable[ReportPage], title: str = "Normaliser review") -> str:
    """The report as one HTML document (no external resource, no network request)."""
    pages = list(pages)
    reason_ids: dict[str, int] = {}
    data = [_page_data(page, reason_ids) for page in pages]
    payload = {"reasons": sorted(reason_ids, key=reason_ids.__getitem__), "pages": data, "perScreen": PAGES_PER_SCREEN}
    script = _asset("report.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    # Only our own script (by hash) runs; nothing is fetched, posted or framed.
    policy = (
        f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    return (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        '<meta name=viewport content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_asset('report.css')}</style></head><body>"
        f"<header><h1>{_e(title)}</h1></header><main>{_summary_html(summarise(pages))}"
        "<section id=pages><h2>Pages</h2><form id=filters></form>"
        "<nav id=pager></nav><table id=index></table><div id=sections></div><nav id=pager2></nav></section>"
        f'</main><script type="application/json" id=report-data>{_script_json(payload)}</script>'
        f"<script>{script}</script></body></html>\n"
    )

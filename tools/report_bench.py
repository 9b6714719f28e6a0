"""How big a review report of many pages is, and how fast headless Chromium opens it.

    python tools/report_bench.py [--corpus DIR] [--pages 5000] [--out out/report-bench.html]

Normalises the corpus's dev pages in both formats (real pages, real removed lines), repeats
them under new names up to --pages, writes the report and loads it in Debian's Chromium
(/usr/bin/chromium, see `make browser`) a few times: file size, time to render it in
Python, time until the first screen of pages is drawn, and the time a filter change and a
screen change take.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "shared"))

from corpus_cases import corpus_path, load_cases, run_pipeline
from normaliser.report import ReportPage, render_report

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def corpus_pages(corpus: Path, count: int) -> list[ReportPage]:
    tty = sys.stderr.isatty()
    distinct: list[ReportPage] = []
    for n, case in enumerate(load_cases(corpus), 1):
        for fmt in ("text", "html"):
            if case.page_path(fmt) is None:
                continue
            name = f"{case.dataset}/{case.case_id}.{fmt}"
            page = run_pipeline(case.page_bytes(fmt), name, fmt)
            distinct.append(ReportPage(name, page.metadata, page.text))
        if tty and n % 50 == 0:
            print(f"\r{len(distinct)} pages normalised", end="", file=sys.stderr, flush=True)
        if len(distinct) >= count:
            break
    if tty:
        print("\r", end="", file=sys.stderr)
    if not distinct:
        raise SystemExit(f"no corpus pages under {corpus}")
    return [
        ReportPage(
            f"{distinct[i % len(distinct)].name}#{i // len(distinct)}",
            distinct[i % len(distinct)].record,
            distinct[i % len(distinct)].text,
        )
        for i in range(count)
    ]


def measure_in_browser(report: Path, runs: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    loads, filters, screens = [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))  # noqa: B023 (used before the next loop)
            start = time.perf_counter()
            page.goto(report.as_uri())
            page.wait_for_selector("body[data-ready]")
            loads.append(time.perf_counter() - start)
            start = time.perf_counter()
            # The filter runs in the change event's handler, done when uncheck() returns.
            page.locator("#filters").get_by_label("normalised", exact=True).uncheck()
            filters.append(time.perf_counter() - start)
            page.locator("#filters").get_by_label("normalised", exact=True).check()
            start = time.perf_counter()
            page.locator("#pager button", has_text="next").click()
            page.wait_for_selector("#pager .where:has-text('pages 21–')")
            screens.append(time.perf_counter() - start)
            if errors:
                raise SystemExit(f"the report raised errors: {errors}")
            page.close()
        browser.close()
    return {
        "load": statistics.median(loads),
        "filter": statistics.median(filters),
        "screen": statistics.median(screens),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", help="corpus folder (default ../shared/corpus)")
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3, help="browser loads to take the median of")
    parser.add_argument("--out", type=Path, default=REPO / "out" / "report-bench.html")
    args = parser.parse_args()
    pages = corpus_pages(corpus_path(args.corpus), args.pages)
    start = time.perf_counter()
    html = render_report(pages, title=f"{len(pages)} corpus pages")
    rendered = time.perf_counter() - start
    args.out.parent.mkdir(exist_ok=True)
    args.out.write_text(html, encoding="utf-8")
    size = args.out.stat().st_size
    lines = sum(len(p.record["removed"]) + (p.text or "").count("\n") for p in pages)
    print(
        f"{len(pages)} pages, {lines:,} lines: {size / 2**20:.1f} MiB ({size / len(pages) / 1024:.1f} KiB a page), "
        f"rendered in {rendered:.2f} s; {args.out}"
    )
    times = measure_in_browser(args.out, args.runs)
    print(
        f"Chromium {args.runs} runs, median: first screen drawn {times['load']:.2f} s after navigation; "
        f"a filter change {times['filter'] * 1000:.0f} ms; the next screen {times['screen'] * 1000:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

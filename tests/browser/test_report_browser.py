"""The review report in headless Chromium: every removed line is shown with its reason, the
filters hide and show lines and pages, links cross screens, nothing logs an error or leaves
the file, and a hostile page cannot run script or add elements.

Chromium is Debian's package (``make browser`` installs it), driven by Playwright's client;
no browser is downloaded at run time."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from normaliser.pipeline import OutputLocation, SourceObject, normalise_page
from normaliser.report import PAGES_PER_SCREEN, ReportPage, render_report
from report_bench import FLAGS  # the container-safe, offline browser flags

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Dialog, Page

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))


def _unavailable(message: str) -> None:
    """Skip on a machine where Chromium cannot be installed; CI (``CI`` set) installs it
    through ``make test``, so there its absence fails."""
    if os.environ.get("CI"):
        pytest.fail(message + " (CI must run the browser tests)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        _unavailable(f"{CHROMIUM} not found: `make browser` installs Debian's chromium package (needs root)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright client is not installed: run `make venv`")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield launched
        launched.close()


@dataclass
class Visit:
    """A tab on a report, with what it logged, asked or fetched."""

    page: Page
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


# The `visit` fixture: opens a report file (at an optional #fragment) in a new tab.
OpenReport = Callable[..., Visit]


@pytest.fixture
def visit(browser: Browser) -> Iterator[OpenReport]:
    contexts: list[BrowserContext] = []

    def open_report(path: Path, fragment: str = "") -> Visit:
        context = browser.new_context(viewport={"width": 1100, "height": 900})
        contexts.append(context)
        tab = Visit(context.new_page())
        tab.page.on("console", lambda m: tab.errors.append(m.text) if m.type in ("error", "warning") else None)
        tab.page.on("pageerror", lambda e: tab.errors.append(str(e)))

        def dismiss(dialog: Dialog) -> None:
            tab.dialogs.append(dialog.message)
            dialog.dismiss()

        tab.page.on("dialog", dismiss)
        tab.page.on("request", lambda r: tab.requests.append(r.url))
        tab.page.goto(path.as_uri() + fragment)
        tab.page.wait_for_selector("body[data-ready]")
        return tab

    yield open_report
    for context in contexts:
        context.close()


REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
SCREENSHOT = REPO / "out" / "report-seed-section.png"  # git-ignored; look at it after a run


def normalised(data: bytes, name: str) -> ReportPage:
    page = normalise_page(data, SourceObject(key=name), OutputLocation(None, f"{name}.txt", f"{name}.json"))
    return ReportPage(name, page.metadata, page.text)


def sample_pages() -> list[ReportPage]:
    pages = [normalised(path.read_bytes(), path.name) for path in sorted(SAMPLES.iterdir())]
    return [*pages, normalised(b"", "empty.txt")]


def write(tmp_path: Path, pages: list[ReportPage]) -> Path:
    path = tmp_path / "report.html"
    path.write_text(render_report(pages), encoding="utf-8")
    return path


def assert_quiet(tab: Visit, report: Path) -> None:
    assert tab.errors == []
    assert tab.dialogs == []
    assert set(tab.requests) <= {report.as_uri()}, "the report fetched something"


def shown_lines(tab: Visit, number: int) -> list[tuple[str | None, str]]:
    """Every line of a page's section, as (reason or None, text), in the order shown."""
    items = tab.page.locator(f"#page-{number} ol.lines li").evaluate_all(
        "items => items.map(li => li.classList.contains('removed')"
        " ? [li.querySelector('.tag').textContent, li.querySelector('del').textContent] : [null, li.textContent])"
    )
    return [(reason, text) for reason, text in items]


def assert_each_removed_line_shown(tab: Visit, pages: list[ReportPage]) -> None:
    for number, page in enumerate(pages):
        tab.page.goto(tab.page.url.split("#")[0] + f"#page-{number}")
        tab.page.locator(f"#page-{number}").wait_for()
        shown = shown_lines(tab, number)
        removed = sorted(page.record["removed"], key=lambda line: line["index"])
        assert [(r, t) for r, t in shown if r is not None] == [(line["reason"], line["text"]) for line in removed]
        assert [t for r, t in shown if r is None] == (page.text or "").splitlines()


def test_sample_report_shows_every_removed_line_with_its_reason(tmp_path: Path, visit: OpenReport) -> None:
    pages = sample_pages()
    report = write(tmp_path, pages)
    tab = visit(report)
    assert_each_removed_line_shown(tab, pages)
    rejected = tab.page.locator(f"#page-{len(pages) - 1} .rejection")
    assert rejected.inner_text().startswith("empty: ")
    assert_quiet(tab, report)


def test_seed_report_shows_every_removed_line_and_is_screenshot(
    tmp_path: Path, visit: OpenReport, seed_bytes: bytes
) -> None:
    pages = [*sample_pages(), normalised(seed_bytes, "seed-page.txt")]
    report = write(tmp_path, pages)
    tab = visit(report)
    assert_each_removed_line_shown(tab, pages)
    seed = len(pages) - 1
    tab.page.goto(report.as_uri() + f"#page-{seed}")
    SCREENSHOT.parent.mkdir(exist_ok=True)
    # The sticky filter bar would cover the section's top in an element screenshot.
    tab.page.locator(f"#page-{seed}").screenshot(path=str(SCREENSHOT), style="#filters{position:static}")
    assert SCREENSHOT.stat().st_size > 10_000
    assert_quiet(tab, report)


def test_line_filter_hides_and_shows_lines_by_reason(tmp_path: Path, visit: OpenReport) -> None:
    pages = sample_pages()
    report = write(tmp_path, pages)
    tab = visit(report)
    reason = pages[0].record["removed"][0]["reason"]
    lines = tab.page.locator("ol.lines li")
    tagged = tab.page.locator("ol.lines li.removed", has=tab.page.locator(".tag", has_text=reason))
    total, with_reason = lines.count(), tagged.count()
    assert with_reason > 0
    toggle = tab.page.locator("#filters fieldset", has_text="Lines").get_by_label(reason, exact=True)
    toggle.uncheck()
    assert [tagged.nth(i).is_visible() for i in range(with_reason)] == [False] * with_reason
    assert sum(lines.nth(i).is_visible() for i in range(total)) == total - with_reason
    toggle.check()
    assert sum(lines.nth(i).is_visible() for i in range(total)) == total
    article = tab.page.locator("#filters fieldset", has_text="Lines").get_by_label("article", exact=True)
    article.uncheck()
    assert tab.page.locator('ol.lines li[data-r="0"]').first.is_hidden()
    assert tagged.first.is_visible()
    assert_quiet(tab, report)


def test_status_filter_and_summary_pick_pages(tmp_path: Path, visit: OpenReport) -> None:
    pages = sample_pages()
    report = write(tmp_path, pages)
    tab = visit(report)
    assert tab.page.locator("section.page").count() == len(pages)
    tab.page.locator("#filters").get_by_label("normalised", exact=True).uncheck()
    assert tab.page.locator("section.page").count() == 1
    assert "empty.txt" in tab.page.locator("section.page h3").inner_text()
    tab.page.locator("#filters").get_by_label("normalised", exact=True).check()
    assert tab.page.locator("section.page").count() == len(pages)
    # The summary's bar for a reason shows only the pages with such lines, and only those lines.
    reason = pages[0].record["removed"][0]["reason"]
    tab.page.locator("#summary button[data-line-reason]", has_text=reason).first.click()
    expected = sum(any(line["reason"] == reason for line in p.record["removed"]) for p in pages)
    assert tab.page.locator("section.page").count() == expected
    visible = tab.page.locator("ol.lines li:visible .tag").all_inner_texts()
    assert visible and set(visible) == {reason}
    assert_quiet(tab, report)


def test_links_cross_screens_of_a_long_report(tmp_path: Path, visit: OpenReport) -> None:
    from playwright.sync_api import expect  # waits for the report's script to draw the screen

    sample = sample_pages()[0]
    pages = [ReportPage(f"copy-{n:03d}.txt", sample.record, sample.text) for n in range(PAGES_PER_SCREEN * 2 + 5)]
    report = write(tmp_path, pages)
    tab = visit(report)
    expect(tab.page.locator("section.page")).to_have_count(PAGES_PER_SCREEN)
    last = len(pages) - 1
    tab.page.goto(report.as_uri() + f"#page-{last}")
    expect(tab.page.locator(f"#page-{last}")).to_be_visible()
    expect(tab.page.locator("#page-0")).to_have_count(0)
    tab.page.locator(f"#page-{last}").get_by_text("← previous page").click()
    expect(tab.page.locator(f"#page-{last - 1}")).to_be_visible()
    tab.page.goto(report.as_uri() + f"#page-{PAGES_PER_SCREEN - 1}")
    tab.page.locator(f"#page-{PAGES_PER_SCREEN - 1}").get_by_text("next page →").click()
    expect(tab.page.locator(f"#page-{PAGES_PER_SCREEN}")).to_be_visible()
    expect(tab.page.locator("#pager .where")).to_contain_text(f"pages {PAGES_PER_SCREEN + 1}–")
    assert_quiet(tab, report)


HOSTILE = [
    "</script><script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    '"><svg onload=alert(3)>',
    "line\u2028separator\u2029paragraph <!-- comment",
    "<style>body{display:none}</style><iframe src=javascript:alert(4)>",
]


@pytest.mark.parametrize("where", ["article", "removed", "metadata"])
def test_hostile_page_cannot_inject_markup_or_script(tmp_path: Path, visit: OpenReport, where: str) -> None:
    # A sample's record with the hostile lines as its article, its removed lines or its metadata.
    text = "\n".join(HOSTILE) + "\n"
    record = {**sample_pages()[0].record, "removed": []}
    page = ReportPage(HOSTILE[0], record, text)
    if where == "removed":
        record["removed"] = [{"text": line, "reason": HOSTILE[2], "index": n} for n, line in enumerate(HOSTILE)]
        page = ReportPage(HOSTILE[1], record, None)
    elif where == "metadata":
        record.update(
            status=HOSTILE[3],
            reason=HOSTILE[0],
            detail=HOSTILE[1],
            title=HOSTILE[2],
            author=HOSTILE[4],
            site_name=HOSTILE[0],
            encoding={**record["encoding"], "detected": HOSTILE[1]},
        )
        page = ReportPage(HOSTILE[4], record, page.text)
    report = write(tmp_path, [page])
    tab = visit(report, "#page-0")
    tab.page.wait_for_timeout(300)  # an onerror or onload would fire by now
    counts = tab.page.evaluate("""() => ({scripts: document.scripts.length,
        injected: document.querySelectorAll('img, svg, iframe, main style, #sections script').length,
        pwned: typeof window.__pwned})""")
    assert counts == {"scripts": 2, "injected": 0, "pwned": "undefined"}
    section = tab.page.locator("#page-0")
    assert section.is_visible()
    if where == "metadata":
        assert section.locator(".name").inner_text() == HOSTILE[4]
        assert section.locator(".rejection").inner_text() == f"{HOSTILE[0]}: {HOSTILE[1]}"
    else:
        assert [t for _, t in shown_lines(tab, 0)] == HOSTILE
    assert_quiet(tab, report)

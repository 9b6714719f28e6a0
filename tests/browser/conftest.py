"""Headless Chromium for the report's browser tests: Debian's package (``make browser``
installs it), driven by Playwright's client. No browser is downloaded at run time."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Flags that work in containers and keep the browser off the network. Playwright itself adds
# --headless and a fresh temporary --user-data-dir for each launch.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def _unavailable(message: str) -> None:
    """Skip on a machine where Chromium cannot be installed; CI (``CI`` set) installs it
    through ``make test``, so there its absence fails."""
    if os.environ.get("CI"):
        pytest.fail(message + " (CI must run the browser tests)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
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

    page: Any
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def visit(browser: Any) -> Iterator[Any]:
    contexts = []

    def open_report(path: Path, fragment: str = "") -> Visit:
        context = browser.new_context(viewport={"width": 1100, "height": 900})
        contexts.append(context)
        tab = Visit(context.new_page())
        tab.page.on("console", lambda m: tab.errors.append(m.text) if m.type in ("error", "warning") else None)
        tab.page.on("pageerror", lambda e: tab.errors.append(str(e)))
        tab.page.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
        tab.page.on("request", lambda r: tab.requests.append(r.url))
        tab.page.goto(path.as_uri() + fragment)
        tab.page.wait_for_selector("body[data-ready]")
        return tab

    yield open_report
    for context in contexts:
        context.close()

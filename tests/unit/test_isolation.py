"""Hard bounds: each page runs in a forked child that is killed past its time and capped in
memory, so no input can outlive the budget or exhaust the function, known or not."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import normaliser.pipeline as pipeline
from normaliser.__main__ import main as cli
from normaliser.config import NormaliserConfig
from normaliser.isolation import can_isolate, run_isolated
from normaliser.pipeline import OutputLocation, SourceObject, normalise_page_bounded

pytestmark = pytest.mark.skipif(not can_isolate(), reason="needs os.fork (POSIX)")

MIB = 1024 * 1024
ARTICLE = b"A plain sentence that is the whole article, with nothing else around it at all.\n"


def _hog() -> bytes:
    chunks = []
    while True:
        chunks.append(b"x" * (16 * MIB))


def _raise() -> None:
    raise ValueError("a bug in a step")


def test_work_that_finishes_returns_its_value() -> None:
    assert run_isolated(lambda: "done", seconds=10, memory_bytes=64 * MIB).value == "done"


def test_work_past_its_time_is_killed_and_reported() -> None:
    started = time.monotonic()
    outcome = run_isolated(lambda: time.sleep(30), seconds=0.5, memory_bytes=64 * MIB)
    assert outcome.limit == "time-limit" and outcome.value is None
    assert time.monotonic() - started < 10


def test_work_past_its_memory_is_stopped_and_reported() -> None:
    outcome = run_isolated(_hog, seconds=30, memory_bytes=128 * MIB)
    assert outcome.limit == "memory-limit"


def test_an_exception_in_the_work_is_reported_not_raised() -> None:
    outcome = run_isolated(_raise, seconds=10, memory_bytes=64 * MIB)
    assert outcome.error == "ValueError: a bug in a step"


def test_a_large_result_comes_back_whole() -> None:
    # Larger than a pipe's buffer: the parent must read while the child writes.
    assert run_isolated(lambda: "é" * (3 * MIB), seconds=30, memory_bytes=256 * MIB).value == "é" * (3 * MIB)


def _bounded(monkeypatch: pytest.MonkeyPatch, work: object, **config: object) -> pipeline.NormalisedPage:
    monkeypatch.setattr(pipeline, "normalise_page", work)
    return normalise_page_bounded(
        ARTICLE,
        SourceObject(key="page.txt"),
        OutputLocation(None, "t", "m"),
        NormaliserConfig(**config),  # type: ignore[arg-type]
    )


def test_a_page_that_runs_past_the_limit_is_rejected_with_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    page = _bounded(monkeypatch, lambda *args: time.sleep(60), max_seconds_per_page=0.2)
    assert (page.status, page.reason) == ("rejected", "time-limit")
    assert "MAX_SECONDS_PER_PAGE" in (page.metadata["detail"] or "")
    assert page.metadata["stats"]["bytes_in"] == len(ARTICLE)


def test_a_page_that_needs_too_much_memory_is_rejected_with_memory_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    page = _bounded(monkeypatch, lambda *args: _hog(), max_page_memory_bytes=128 * MIB)
    assert (page.status, page.reason) == ("rejected", "memory-limit")
    assert "MAX_PAGE_MEMORY_BYTES" in (page.metadata["detail"] or "")


def test_an_ordinary_page_comes_out_as_it_does_in_process() -> None:
    source, output = SourceObject(key="page.txt"), OutputLocation(None, "t", "m")
    bounded = normalise_page_bounded(ARTICLE, source, output, NormaliserConfig())
    direct = pipeline.normalise_page(ARTICLE, source, output, NormaliserConfig())
    assert bounded.status == "normalised"
    assert (bounded.text_bytes(), bounded.metadata_bytes()) == (direct.text_bytes(), direct.metadata_bytes())


def test_the_cli_records_a_stopped_page_and_goes_on_with_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = pipeline.normalise_page

    def slow_on_one(data: bytes, source: SourceObject, *args: object) -> pipeline.NormalisedPage:
        if source.key == "slow.txt":
            time.sleep(60)
        return real(data, source, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "normalise_page", slow_on_one)
    pages = tmp_path / "in"
    pages.mkdir()
    for name in ("a.txt", "slow.txt", "b.txt"):
        (pages / name).write_bytes(ARTICLE)
    assert cli(["--out", str(tmp_path / "out"), "--max-seconds-per-page", "0.2", str(pages)]) == 1
    assert "slow.txt: rejected: time-limit" in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "a.txt.json",
        "a.txt.txt",
        "b.txt.json",
        "b.txt.txt",
        "slow.txt.json",
    ]

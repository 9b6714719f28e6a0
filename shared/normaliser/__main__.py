"""Command line: normalise files the way the Lambda normalises objects.

    PYTHONPATH=shared python -m normaliser --out DIR [--format auto|text|html]
                                           [--keep-boilerplate] [--report FILE.html] [--no-peers]
                                           [--max-seconds-per-page S] [--max-page-memory-mb M]
                                           [--in-process] FILE_OR_DIR...

For every input FILE it writes ``DIR/<basename of FILE>.txt`` (the article, only when the
page was normalised) and ``DIR/<basename of FILE>.json`` (the metadata record). The text is
byte for byte what the Lambda writes; the record differs only in its ``source`` and
``output`` blocks. A directory argument stands for every file below it. Every file is
processed even when some fail; the exit status is 1 if any was rejected or failed. Each page
runs under the Lambda's hard bounds on time and memory (``--in-process`` turns them off).
``--report`` also writes the review report (see :mod:`normaliser.report`) for every page.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from .config import MIB, NormaliserConfig
from .pipeline import NormalisedPage, OutputLocation, SourceObject, normalise_page_bounded
from .report import ReportPage, render_report


def _inputs(arguments: Iterable[str]) -> Iterator[Path]:
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file())
        else:
            yield path


def normalise_file(path: Path, out_dir: Path, config: NormaliserConfig) -> NormalisedPage:
    """Normalise one file and write its outputs into ``out_dir``."""
    name = path.name
    output = OutputLocation(None, f"{name}.txt", f"{name}.json")
    page = normalise_page_bounded(path.read_bytes(), SourceObject(key=name), output, config)
    if page.text is not None:
        (out_dir / output.text_key).write_bytes(page.text_bytes())
    (out_dir / output.metadata_key).write_bytes(page.metadata_bytes())
    return page


class _Progress:
    """A one-line counter on stderr, only when stderr is a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()

    def show(self, done: int, failed: int) -> None:
        if self.enabled and (done % 25 == 0):
            print(f"\r{done} files, {failed} not normalised", end="", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.enabled:
            print("\r", end="", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m normaliser", description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="+", metavar="FILE", help="files (or directories of files) to normalise")
    parser.add_argument("--out", required=True, type=Path, help="directory for the .txt and .json outputs")
    parser.add_argument(
        "--format",
        choices=("auto", "text", "html"),
        default="auto",
        help="input format (default: detect from name and content)",
    )
    parser.add_argument(
        "--keep-boilerplate", action="store_true", help="only decode, repair mojibake and normalise whitespace"
    )
    parser.add_argument(
        "--report",
        type=Path,
        metavar="FILE.html",
        help="also write a review report of every page (one self-contained HTML file)",
    )
    defaults = NormaliserConfig()
    parser.add_argument(
        "--max-seconds-per-page",
        type=float,
        default=defaults.max_seconds_per_page,
        help="stop a page after this many seconds and record it as rejected (default: %(default)s)",
    )
    parser.add_argument(
        "--max-page-memory-mb",
        type=int,
        default=defaults.max_page_memory_bytes // MIB,
        help="memory a page may use beyond this process' own (default: %(default)s)",
    )
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="run each page in this process (for a debugger): the time limit is then only "
        "checked between steps and memory is not capped",
    )
    parser.add_argument(
        "--no-peers",
        action="store_true",
        help="HTML: our extractor alone, never trafilatura or readability-lxml on doubtful pages",
    )
    args = parser.parse_args(argv)
    config = replace(
        defaults,
        format=args.format,
        keep_boilerplate=args.keep_boilerplate,
        isolate=not args.in_process,
        max_seconds_per_page=args.max_seconds_per_page,
        max_page_memory_bytes=args.max_page_memory_mb * MIB,
        peer_extractors=not args.no_peers,
    )
    args.out.mkdir(parents=True, exist_ok=True)

    progress, seen = _Progress(), set[str]()
    reviewed: list[ReportPage] = []
    done = failed = 0
    for path in _inputs(args.inputs):
        done += 1
        try:
            if path.name in seen:
                raise ValueError(f"another input is also named {path.name}; run it with a different --out")
            seen.add(path.name)
            page = normalise_file(path, args.out, config)
            if args.report:
                reviewed.append(ReportPage(path.name, page.metadata, page.text))
            if page.status != "normalised":
                failed += 1
                print(f"{path}: {page.status}: {page.metadata['reason']}: {page.metadata['detail']}", file=sys.stderr)
        except (OSError, ValueError) as exc:
            failed += 1
            print(f"{path}: failed: {exc}", file=sys.stderr)
        progress.show(done, failed)
    progress.close()
    summary = f"{done - failed} of {done} files normalised into {args.out}"
    print(summary + (f"; {failed} not (see above)" if failed else ""), file=sys.stderr)
    if args.report:
        args.report.write_text(render_report(reviewed, title=f"Normaliser review: {args.out}"), encoding="utf-8")
        print(f"review report: {args.report}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

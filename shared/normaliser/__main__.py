"""Command line: normalise files the way the Lambda normalises objects.

    PYTHONPATH=shared python -m normaliser --out DIR [--format auto|text|html]
                                           [--keep-boilerplate] [--no-peers] FILE_OR_DIR...

For every input FILE it writes ``DIR/<basename of FILE>.txt`` (the article, only when the
page was normalised) and ``DIR/<basename of FILE>.json`` (the metadata record). The text is
byte for byte what the Lambda writes; the record differs only in its ``source`` and
``output`` blocks. A directory argument stands for every file below it. Every file is
processed even when some fail; the exit status is 1 if any was rejected or failed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from .config import NormaliserConfig
from .pipeline import NormalisedPage, OutputLocation, SourceObject, normalise_page


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
    page = normalise_page(path.read_bytes(), SourceObject(key=name), output, config)
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
    parser.add_argument("--format", choices=("auto", "text", "html"), default="auto",
                        help="input format (default: detect from name and content)")
    parser.add_argument("--keep-boilerplate", action="store_true",
                        help="only decode, repair mojibake and normalise whitespace")
    parser.add_argument("--no-peers", action="store_true",
                        help="HTML: our extractor alone, never trafilatura or readability-lxml on doubtful pages")
    args = parser.parse_args(argv)
    config = replace(NormaliserConfig(), format=args.format, keep_boilerplate=args.keep_boilerplate,
                     peer_extractors=not args.no_peers)
    args.out.mkdir(parents=True, exist_ok=True)

    progress, seen = _Progress(), set[str]()
    done = failed = 0
    for path in _inputs(args.inputs):
        done += 1
        try:
            if path.name in seen:
                raise ValueError(f"another input is also named {path.name}; run it with a different --out")
            seen.add(path.name)
            page = normalise_file(path, args.out, config)
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
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

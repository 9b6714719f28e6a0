"""Fingerprint what the pipeline writes, to prove a refactoring changed no output byte.

    PYTHONPATH=shared:tools .venv/bin/python tools/compare_outputs.py --out /tmp/before.json
    PYTHONPATH=shared:tools .venv/bin/python tools/compare_outputs.py --against /tmp/before.json

Runs the shipped pipeline (:func:`corpus_cases.run_pipeline`) over every corpus dev page in
both formats, the seed pages (``../shared/seed/*.txt``) and ``samples/*``, and records, per
page and format, the SHA-256 of the article bytes and of the metadata record bytes. With
``--against`` it compares with an earlier manifest and names every page whose output differs
(or that appears in only one of the two); the exit status is 1 when anything differs.

Keep manifests outside the repository: they describe one machine's corpus, not the code.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from corpus_cases import REPO, corpus_path, load_cases, run_pipeline


def _seed_dir() -> Path:
    shared = os.environ.get("NORMALISER_SHARED")
    return Path(shared) / "seed" if shared else REPO.parent / "shared" / "seed"


def _pages(corpus: Path) -> Iterator[tuple[str, str, bytes]]:
    """(name, format, bytes) of every page to fingerprint, in a fixed order."""
    if corpus.is_dir():
        for case in load_cases(corpus):
            for fmt in ("text", "html"):
                if case.page_path(fmt) is not None:
                    yield f"corpus/{case.case_id}", fmt, case.page_bytes(fmt)
    seed = _seed_dir()
    if seed.is_dir():
        for path in sorted(seed.glob("*.txt")):
            yield f"seed/{path.name}", "auto", path.read_bytes()
    for path in sorted((REPO / "samples").iterdir()):
        if path.is_file():
            yield f"samples/{path.name}", "auto", path.read_bytes()


def fingerprint(corpus: Path) -> dict[str, dict[str, str | None]]:
    """``{"name+format": {"text": sha256 or None, "metadata": sha256}}`` for every page."""
    manifest: dict[str, dict[str, str | None]] = {}
    tty = sys.stderr.isatty()
    started = time.perf_counter()
    for count, (name, fmt, data) in enumerate(_pages(corpus), 1):
        page = run_pipeline(data, Path(name).name, fmt)
        manifest[f"{name}+{fmt}"] = {
            "text": hashlib.sha256(page.text_bytes()).hexdigest() if page.text is not None else None,
            "metadata": hashlib.sha256(page.metadata_bytes()).hexdigest(),
        }
        if tty and count % 50 == 0:
            print(f"\r{count} pages, {time.perf_counter() - started:.0f} s", end="", file=sys.stderr, flush=True)
    if tty:
        print("\r", end="", file=sys.stderr)
    return manifest


def differences(before: dict[str, dict[str, str | None]], after: dict[str, dict[str, str | None]]) -> list[str]:
    """One line per page whose outputs differ, or that only one manifest has.

    >>> differences({"a+text": {"text": "1", "metadata": "2"}}, {"a+text": {"text": "1", "metadata": "3"}})
    ['a+text: metadata differs']
    """
    found = []
    for key in sorted(before.keys() | after.keys()):
        if key not in after:
            found.append(f"{key}: missing now")
        elif key not in before:
            found.append(f"{key}: new")
        else:
            changed = [part for part in ("text", "metadata") if before[key].get(part) != after[key].get(part)]
            if changed:
                found.append(f"{key}: {' and '.join(changed)} differs")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", help="corpus folder (default ../shared/corpus or $NORMALISER_CORPUS)")
    parser.add_argument("--out", type=Path, help="write the manifest here")
    parser.add_argument("--against", type=Path, help="compare with this earlier manifest")
    args = parser.parse_args(argv)
    # A page the pipeline fails on shows as a difference; its traceback would only bury the list.
    logging.disable(logging.ERROR)
    manifest = fingerprint(corpus_path(args.corpus))
    if args.out:
        args.out.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    if not args.against:
        print(f"{len(manifest)} outputs fingerprinted", file=sys.stderr)
        return 0
    before = json.loads(args.against.read_text(encoding="utf-8"))
    found = differences(before, manifest)
    for line in found:
        print(line)
    print(f"{len(manifest)} outputs compared with {len(before)}: {len(found)} differ", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())

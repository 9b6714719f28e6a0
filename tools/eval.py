"""Measure what ships: run the pipeline over a corpus and score it against the gold.

    PYTHONPATH=shared .venv/bin/python tools/eval.py [--corpus DIR] [--format both|text|html]
                                                    [--split dev] [--pred DIR] [--json FILE]

For each case, the text dump (``raw.txt``) goes through :func:`normaliser.pipeline.normalise_page`
with format ``text`` and the page (``raw.html.gz``, gunzipped) with format ``html``, exactly as the CLI and
the Lambda run them. Printed per format: bag-of-words precision, recall and F1 per dataset
(the same measure as ``../shared/corpus/score.py``; ``--pred`` writes the outputs so that
script can be run on them too), metadata accuracy against the ``gold_metadata`` of the cases
that have one (Readability, news-2023, WCXB), pages per second, and for text dumps how often
cleaning the output again changes it (it should never).

The corpus defaults to ``../shared/corpus`` beside the checkout, or ``$NORMALISER_CORPUS``.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import logging
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus_cases import Case, bag_of_words, by_dataset, corpus_path, load_cases, run_pipeline
from normaliser.decode.decoder import decode_bytes
from normaliser.text.boilerplate import clean_text_dump
from normaliser.text.language import guess_language

# Separators between a headline and a site name in a <title>; the gold titles come from
# <title> or og:title, which a text dump never shows, so a title equal to the gold minus its
# site part counts as right (the strict figure is printed too).
_TITLE_SEPARATORS = re.compile(r"\s+[|–—·»:~-]\s+|\s*[_｜]\s*")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def _norm(text: str | None) -> str:
    """Casefolded, quotes and dashes unified, whitespace collapsed.

    >>> _norm("  It’s  The—Title ")
    "it's the-title"
    """
    text = unicodedata.normalize("NFKC", text or "").translate(_QUOTES).casefold()
    return " ".join(text.split())


def title_matches(ours: str | None, gold: str | None, *, strict: bool = False) -> bool:
    """Is our title the gold one (or, unless strict, the gold one without its site part)?

    >>> title_matches("Ferry fares rise again", "Ferry fares rise again | Island Courier")
    True
    >>> title_matches("Island Courier", "Ferry fares rise again | Island Courier")
    False
    """
    mine, want = _norm(ours), _norm(gold)
    if not mine or not want:
        return False
    if mine == want or strict:
        return mine == want
    parts = [part.strip() for part in _TITLE_SEPARATORS.split(want)]
    longest = max(parts, key=len)
    return mine == longest or any(mine == " - ".join(parts[:k]) for k in range(1, len(parts)))


def _name(text: str | None) -> str:
    """A byline or site name reduced to its words: no leading "by", no punctuation, no "the"."""
    words = re.findall(r"\w+", _norm(text))
    while words and words[0] in ("by", "the", "von", "por", "par"):
        words = words[1:]
    return " ".join(words)


def name_matches(ours: str | None, gold: str | None) -> bool:
    """Same person or site: equal words, or one contains the other (gold bylines carry roles
    and links after the name).

    >>> name_matches("Tom Marsh", "By Tom Marsh")
    True
    >>> name_matches("Island Courier", "The Island Courier Company")
    True
    """
    mine, want = _name(ours), _name(gold)
    return bool(mine and want) and (mine == want or f" {mine} " in f" {want} " or f" {want} " in f" {mine} ")


def date_matches(ours: str | None, gold: str | None) -> bool:
    return bool(ours and gold) and str(ours)[:10] == str(gold)[:10]


@dataclass
class MetadataTally:
    """Per field: pages where the gold states it, how many we got right, and how many pages
    we stated it where the gold has nothing (not necessarily wrong: the gold comes from
    meta tags, a page can show a byline that its tags lack)."""

    stated: dict[str, int] = field(default_factory=dict)
    right: dict[str, int] = field(default_factory=dict)
    extra: dict[str, int] = field(default_factory=dict)
    strict_titles: int = 0

    def add(self, name: str, gold: object, ours: object, right: bool) -> None:
        if gold:
            self.stated[name] = self.stated.get(name, 0) + 1
            self.right[name] = self.right.get(name, 0) + int(right)
        elif ours:
            self.extra[name] = self.extra.get(name, 0) + 1


@dataclass
class FormatResult:
    rows: list[tuple[str, tuple[float, float, float]]] = field(default_factory=list)
    # The same scores keyed by the gold's language (see gold_language).
    language_rows: list[tuple[str, tuple[float, float, float]]] = field(default_factory=list)
    seconds: float = 0.0
    pages: int = 0
    rejected: list[str] = field(default_factory=list)
    unstable: list[str] = field(default_factory=list)
    metadata: MetadataTally = field(default_factory=MetadataTally)
    cases: list[dict[str, Any]] = field(default_factory=list)


# Each dataset names the same facts differently in its gold_metadata.
GOLD_KEYS = {
    "title": ("title",),
    "author": ("byline", "authors", "author"),
    "site_name": ("siteName",),
    "published": ("publishedTime", "date", "publish_date"),
}


def gold_field(gold: dict[str, Any], name: str) -> str | None:
    """The gold value of a record field, whatever the dataset calls it.

    >>> gold_field({"authors": "Ann Lee", "date": None}, "author")
    'Ann Lee'
    """
    return next((str(gold[key]) for key in GOLD_KEYS[name] if gold.get(key)), None)


def score_metadata(tally: MetadataTally, record: Mapping[str, Any], gold: dict[str, Any]) -> None:
    title = gold_field(gold, "title")
    tally.add("title", title, record.get("title"), title_matches(record.get("title"), title))
    if title_matches(record.get("title"), title, strict=True):
        tally.strict_titles += 1
    for name in ("author", "site_name"):
        want = gold_field(gold, name)
        tally.add(name, want, record.get(name), name_matches(record.get(name), want))
    published = gold_field(gold, "published")
    tally.add("published", published, record.get("published"), date_matches(record.get("published"), published))
    lang = (gold.get("lang") or "").split("-")[0].lower()
    tally.add("language", lang, record.get("language"), lang == (record.get("language") or "").lower())


Figures = dict[str, dict[str, float]]


def figures(rows: list[tuple[str, tuple[float, float, float]]]) -> Figures:
    """Per group (dataset or language), then ALL: pages, mean precision, recall and F1."""
    return {name: {"n": n, "p": p, "r": r, "f1": f} for name, n, p, r, f in by_dataset(rows)}


@functools.cache
def gold_language(gold: str) -> str:
    """The language of a gold text, as our guesser reads it (the corpus states none); ``?``
    when it is unsure. For telling whether non-English pages lose anything. Cached: every
    format and every peer asks it of the same golds."""
    return guess_language(gold) or "?"


def by_language(languages: Figures) -> str:
    """Mean F1 and page count per language, most pages first: ``en 0.871 (1203)  de ...``."""
    groups = [(name, f) for name, f in languages.items() if not name.startswith("ALL")]
    return "  ".join(
        f"{name} {f['f1']:.3f} ({f['n']:.0f})" for name, f in sorted(groups, key=lambda g: (-g[1]["n"], g[0]))
    )


def run_format(cases: Sequence[Case], fmt: str, pred: Path | None, progress: bool) -> FormatResult:
    result = FormatResult()
    for number, case in enumerate(cases, 1):
        if case.page_path(fmt) is None:
            continue
        data = case.page_bytes(fmt)
        started = time.perf_counter()
        page = run_pipeline(data, "raw.txt" if fmt == "text" else "raw.html", fmt)
        result.seconds += time.perf_counter() - started
        result.pages += 1
        text = page.text or ""
        if page.status != "normalised":
            result.rejected.append(f"{case.case_id}: {page.reason}")
        if fmt == "text" and text:
            again = "\n".join(clean_text_dump(text.rstrip("\n")).paragraphs) + "\n"
            if again != text:
                result.unstable.append(case.case_id)
        gold = case.gold
        score = bag_of_words(text, gold)
        result.rows.append((case.dataset, score))
        result.language_rows.append((gold_language(gold), score))
        result.cases.append(
            {
                "case_id": case.case_id,
                "dataset": case.dataset,
                "p": round(score[0], 4),
                "r": round(score[1], 4),
                "f1": round(score[2], 4),
            }
        )
        if case.gold_metadata:
            score_metadata(result.metadata, page.metadata, case.gold_metadata)
        if pred is not None:
            (pred / fmt).mkdir(parents=True, exist_ok=True)
            (pred / fmt / f"{case.case_id}.txt").write_text(text, encoding="utf-8")
        if progress:
            print(f"\r{fmt}: {number}/{len(cases)}", end="", file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)
    return result


def _trafilatura(data: bytes) -> str:
    import trafilatura

    return str(trafilatura.extract(data) or "")


def _readability(data: bytes) -> str:
    import lxml.html
    from readability import Document

    # It takes text (its own detection fails on bytes): decoded by our decoder, to its advantage.
    summary = Document(decode_bytes(data, is_html=True).text).summary(html_partial=True)
    return str(lxml.html.fromstring(summary).text_content()) if summary.strip() else ""


def _justext(data: bytes) -> str:
    import justext

    paragraphs = justext.justext(data, justext.get_stoplist("English"))
    return "\n".join(paragraph.text for paragraph in paragraphs if not paragraph.is_boilerplate)


# Extractors of the field, each with its defaults, given the page's bytes (its own decoding):
# name -> (module it needs, extract). Installed by requirements-bench.txt
# (`make eval-baselines`), never shipped.
BASELINES: dict[str, tuple[str, Callable[[bytes], str]]] = {
    "trafilatura": ("trafilatura", _trafilatura),
    "readability-lxml": ("readability", _readability),
    "jusText (English stoplist)": ("justext", _justext),
}


def baseline_figures(cases: Sequence[Case], progress: bool) -> dict[str, dict[str, Any]]:
    """The HTML extractors of the field on the same pages, scored the same way: per
    extractor, its figures by dataset and by the gold's language, and how many pages it
    raised on (scored as empty); ``{"installed": False}`` for one that is missing."""
    results: dict[str, dict[str, Any]] = {}
    logging.disable(logging.CRITICAL)  # their own warnings about odd pages
    try:
        for name, (module, extract) in BASELINES.items():
            installed = importlib.util.find_spec(module) is not None
            results[name] = _score_baseline(name, extract, cases, progress) if installed else {"installed": False}
    finally:
        logging.disable(logging.NOTSET)
    return results


def _score_baseline(
    name: str, extract: Callable[[bytes], str], cases: Sequence[Case], progress: bool
) -> dict[str, Any]:
    rows: list[tuple[str, tuple[float, float, float]]] = []
    language_rows: list[tuple[str, tuple[float, float, float]]] = []
    failures = 0
    for number, case in enumerate(cases, 1):
        try:
            text = extract(case.page_bytes("html"))
        except Exception:  # the extractor's own failure on a page: scored as empty output
            text, failures = "", failures + 1
        gold = case.gold
        score = bag_of_words(text, gold)
        rows.append((case.dataset, score))
        language_rows.append((gold_language(gold), score))
        if progress:
            print(f"\r{name}: {number}/{len(cases)}", end="", file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)
    return {"installed": True, "datasets": figures(rows), "languages": figures(language_rows), "raised": failures}


def baseline_report(results: Mapping[str, Mapping[str, Any]]) -> str:
    lines = ["baselines: other extractors on the same HTML pages (ALL cases; F1 per dataset)"]
    for name, result in results.items():
        if not result["installed"]:
            lines.append(f"  {name:<28} not installed: make eval-baselines installs it")
            continue
        datasets: Figures = result["datasets"]
        every = datasets["ALL (cases)"]
        per_dataset = "  ".join(
            f"{group} {f['f1']:.3f}" for group, f in datasets.items() if not group.startswith("ALL")
        )
        raised = f"  [{result['raised']} pages raised]" if result["raised"] else ""
        lines.append(
            f"  {name:<28} P {every['p']:.3f}  R {every['r']:.3f}  F1 {every['f1']:.3f}   ({per_dataset}){raised}"
        )
        lines.append(f"  {'':<28} by the gold's language: {by_language(result['languages'])}")
    return "\n".join(lines)


def format_report(fmt: str, result: FormatResult) -> str:
    lines = [
        f"format={fmt}  pages={result.pages}  {result.pages / result.seconds if result.seconds else 0:.0f} pages/s"
        f"  (pipeline only, one core)",
        f"{'dataset':<16}{'n':>5}{'P':>8}{'R':>8}{'F1':>8}",
    ]
    for name, n, precision, recall, f1 in by_dataset(result.rows):
        lines.append(f"{name:<16}{n:>5}{precision:>8.3f}{recall:>8.3f}{f1:>8.3f}")
    lines.append(f"F1 by the gold's language (guessed; pages): {by_language(figures(result.language_rows))}")
    tally = result.metadata
    if tally.stated:
        lines.append(f"metadata vs gold_metadata ({tally.stated.get('title', 0)} pages with a gold title):")
        for name in ("title", "author", "site_name", "published", "language"):
            stated, right = tally.stated.get(name, 0), tally.right.get(name, 0)
            share = f"{right / stated:.0%}" if stated else "-"
            lines.append(
                f"  {name:<10} right {right:>3}/{stated:<3} {share:>5}   stated where gold has none: "
                f"{tally.extra.get(name, 0)}"
            )
        lines.append(f"  title, exact match only: {tally.strict_titles}/{tally.stated.get('title', 0)}")
    if result.rejected:
        lines.append(f"rejected: {len(result.rejected)} ({', '.join(result.rejected[:5])})")
    if fmt == "text":
        lines.append(
            f"cleaning the output again changed it on {len(result.unstable)} pages"
            + (f" ({', '.join(result.unstable[:5])})" if result.unstable else "")
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", help="corpus folder (default: $NORMALISER_CORPUS or ../shared/corpus)")
    parser.add_argument("--split", default="dev")
    parser.add_argument("--format", choices=("both", "text", "html"), default="both")
    parser.add_argument("--dataset", action="append", help="only this dataset (repeatable)")
    parser.add_argument("--pred", type=Path, help="write outputs to PRED/<format>/<case>.txt for score.py")
    parser.add_argument("--json", type=Path, help="write the figures and per-case scores here")
    parser.add_argument(
        "--baselines",
        action="store_true",
        help="also score trafilatura, readability-lxml and jusText on the HTML pages",
    )
    args = parser.parse_args(argv)

    corpus = corpus_path(args.corpus)
    if not corpus.is_dir():
        print(f"corpus not found at {corpus}; pass --corpus or set NORMALISER_CORPUS", file=sys.stderr)
        return 2
    cases = [case for case in load_cases(corpus, args.split) if not args.dataset or case.dataset in args.dataset]
    if not cases:
        print(f"no cases under {corpus} (split {args.split})", file=sys.stderr)
        return 2
    progress = sys.stderr.isatty()
    formats = ("text", "html") if args.format == "both" else (args.format,)
    summary: dict[str, Any] = {"corpus": str(corpus), "split": args.split}
    for fmt in formats:
        result = run_format(cases, fmt, args.pred, progress)
        print(format_report(fmt, result))
        print()
        summary[fmt] = {
            "pages_per_second": result.pages / result.seconds if result.seconds else None,
            "datasets": figures(result.rows),
            "languages": figures(result.language_rows),
            "metadata": {
                "stated": result.metadata.stated,
                "right": result.metadata.right,
                "extra": result.metadata.extra,
            },
            "rejected": result.rejected,
            "unstable": result.unstable,
            "cases": result.cases,
        }
    if args.baselines:
        summary["baselines"] = baseline_figures(cases, progress)
        print(baseline_report(summary["baselines"]))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

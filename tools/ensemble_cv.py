"""Choose when the HTML path asks its peers (``normaliser.html.settings.PeerRule``), by
cross-validation and leave-one-dataset-out.

    PYTHONPATH=shared .venv/bin/python tools/ensemble_cv.py [--corpus DIR] [--cache FILE]

Runs, once per dev page, our HTML pipeline with the peers off, trafilatura and
readability-lxml as ``normaliser.html.ensemble`` calls them, and caches their lines (``--cache``,
default ``.cache/ensemble_outputs.jsonl``; delete it after changing an extractor). Then it
scores every rule of a small grid with ``normaliser.html.ensemble.decide`` itself against the
gold. Printed per dataset: each extractor alone, the medoid of the three on every page, the
rule chosen on all pages, the rule chosen without each dataset (leave-one-dataset-out) and
the rule chosen on four fifths of the pages, scored on the fifth left out (5-fold CV, pages
shuffled with a fixed seed), with the peers run per page (what the rule costs in speed).
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

from corpus_cases import REPO, Case, bag_of_words, corpus_path, load_cases, run_pipeline
from normaliser import decode_bytes
from normaliser.html.ensemble import PEERS, ask_peer, decide, medoid, tokens
from normaliser.html.settings import PeerRule

MIN_WORDS = (0, 100, 200, 400, 800, 10**9)
MIN_SHARE = (0.0, 0.2, 0.4, 0.6)
SETTLE = (0.7, 0.8, 0.9, 0.95)
OUTWEIGH = (1.5, 2.0, 3.0, 4.0, float("inf"))
FOLDS = 5


@dataclass
class Row:
    case_id: str
    dataset: str
    gold: str
    ours: list[str]
    kept: int
    seen: int
    peers: dict[str, list[str]]
    # Per (settle, outweigh): F1 of the page's output when doubtful, and peers asked.
    doubtful: dict[tuple[float, float], tuple[float, int]] = field(default_factory=dict)
    f1_ours: float = 0.0


class _Extracted(TypedDict):
    """One page's extraction, as cached (one JSON line per page)."""

    case_id: str
    ours: list[str]
    kept: int
    seen: int
    peers: dict[str, list[str]]


def collect(cases: Sequence[Case], cache: Path, progress: bool) -> list[Row]:
    done: dict[str, _Extracted] = {}
    if cache.is_file():
        for line in cache.read_text(encoding="utf-8").splitlines():
            cached: _Extracted = json.loads(line)
            done[cached["case_id"]] = cached
    cache.parent.mkdir(parents=True, exist_ok=True)
    logging.disable(logging.CRITICAL)
    with cache.open("a", encoding="utf-8") as out:
        for number, case in enumerate(cases, 1):
            if case.case_id in done:
                continue
            data = case.page_bytes("html")
            page = run_pipeline(data, "raw.html", "html", peer_extractors=False)
            ours = (page.text or "").splitlines()
            kept = len(tokens(page.text or ""))
            seen = kept + sum(len(tokens(line["text"])) for line in page.metadata["removed"])
            html = decode_bytes(data, is_html=True).text
            peers = {name: lines for name, _ in PEERS if (lines := ask_peer(name, html)) is not None}
            item: _Extracted = {"case_id": case.case_id, "ours": ours, "kept": kept, "seen": seen, "peers": peers}
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
            out.flush()
            done[case.case_id] = item
            if progress:
                print(f"\rextracting {number}/{len(cases)}", end="", file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)
    rows = []
    for case in cases:
        item = done[case.case_id]
        row = Row(case.case_id, case.dataset, case.gold, item["ours"], item["kept"], item["seen"], item["peers"])
        prepare(row, case.gold)
        rows.append(row)
    return rows


def _recording(peers: dict[str, list[str]], asked: list[str]) -> Callable[[str], list[str] | None]:
    """A peer lookup in the cache that notes which peers were asked."""

    def ask(name: str) -> list[str] | None:
        asked.append(name)
        return peers.get(name) or None  # as ask_peer: a peer that found nothing has no say

    return ask


def prepare(row: Row, gold: str) -> None:
    """Score the page's output under every (settle, outweigh) pair once: the doubt test is
    the only part of a rule that differs between the others."""
    row.f1_ours = bag_of_words("\n".join(row.ours), gold)[2]
    for settle, outweigh in itertools.product(SETTLE, OUTWEIGH):
        asked: list[str] = []
        winner, lines = decide(row.ours, _recording(row.peers, asked), PeerRule(settle=settle, outweigh=outweigh))
        f1 = row.f1_ours if winner == "ours" else bag_of_words("\n".join(lines), gold)[2]
        row.doubtful[settle, outweigh] = (f1, len(asked))


def score(rows: Sequence[Row], rule: PeerRule) -> tuple[float, float]:
    """Mean F1 and mean peers asked per page under ``rule``."""
    total = asked = 0.0
    for row in rows:
        if row.kept < rule.min_words or (row.seen and row.kept < rule.min_share * row.seen):
            f1, ran = row.doubtful[rule.settle, rule.outweigh]
        else:
            f1, ran = row.f1_ours, 0
        total += f1
        asked += ran
    return total / len(rows), asked / len(rows)


GRID = [
    PeerRule(*values) for values in itertools.product(MIN_WORDS, MIN_SHARE, SETTLE, OUTWEIGH) if values[0] or values[1]
]


def best(rows: Sequence[Row]) -> PeerRule:
    """The rule of the grid with the highest mean F1 (to 4 places), then the fewest peers run."""

    def key(rule: PeerRule) -> tuple[float, float]:
        f1, asked = score(rows, rule)
        return round(f1, 4), -asked

    return max(GRID, key=key)


def _short(rule: PeerRule) -> str:
    return f"({rule.min_words}, {rule.min_share}, {rule.settle}, {rule.outweigh})"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus")
    parser.add_argument("--cache", type=Path, default=REPO / ".cache" / "ensemble_outputs.jsonl")
    args = parser.parse_args(argv)
    cases = load_cases(corpus_path(args.corpus), "dev")
    rows = collect(cases, args.cache, sys.stderr.isatty())
    datasets = sorted({row.dataset for row in rows})
    by_set = {name: [row for row in rows if row.dataset == name] for name in datasets}
    print(f"{'':<40}" + "".join(f"{name[:11]:>12}" for name in datasets) + f"{'ALL':>8}{'peers/page':>11}")

    def show(label: str, per_page: dict[str, tuple[float, float]]) -> None:
        means = []
        for name in datasets:
            values = [per_page[row.case_id][0] for row in by_set[name]]
            means.append(f"{sum(values) / len(values):>12.3f}")
        f1 = sum(v[0] for v in per_page.values()) / len(per_page)
        ran = sum(v[1] for v in per_page.values()) / len(per_page)
        print(f"{label:<40}{''.join(means)}{f1:>8.3f}{ran:>11.2f}")

    for name in ("ours", *[peer for peer, _ in PEERS]):
        show(
            name,
            {
                row.case_id: (
                    bag_of_words("\n".join(row.ours if name == "ours" else row.peers.get(name, [])), row.gold)[2],
                    0.0,
                )
                for row in rows
            },
        )
    medoids = {}
    for row in rows:
        candidates = [row.ours, *row.peers.values()]
        lines = candidates[medoid(candidates)] if len(candidates) == 3 else row.ours
        medoids[row.case_id] = (bag_of_words("\n".join(lines), row.gold)[2], float(len(row.peers)))
    show("medoid on every page", medoids)
    chosen = best(rows)
    show(f"chosen on all {_short(chosen)}", {row.case_id: score([row], chosen) for row in rows})
    lodo: dict[str, tuple[float, float]] = {}
    for held in datasets:
        rule = best([row for row in rows if row.dataset != held])
        print(f"  chosen without {held}: {_short(rule)}", file=sys.stderr)
        lodo.update({row.case_id: score([row], rule) for row in by_set[held]})
    show("leave-one-dataset-out", lodo)
    order = rows[:]
    random.Random(0).shuffle(order)
    folds: dict[str, tuple[float, float]] = {}
    for k in range(FOLDS):
        held_rows = order[k::FOLDS]
        rule = best([row for j in range(FOLDS) if j != k for row in order[j::FOLDS]])
        print(f"  chosen without fold {k}: {_short(rule)}", file=sys.stderr)
        folds.update({row.case_id: score([row], rule) for row in held_rows})
    show(f"{FOLDS}-fold cross-validation", folds)
    return 0


if __name__ == "__main__":
    sys.exit(main())

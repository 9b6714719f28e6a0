"""Train the text-dump boilerplate model and write shared/normaliser/data/boilerplate_model.json.

    PYTHONPATH=shared .venv/bin/python tools/train_boilerplate.py [--corpus DIR] [--folds 5] [--dry-run]

Labels come from the corpus gold: a line of the dump is article when at least half of its
words align, in order, with the gold text. The model has two logistic-regression stages
(see normaliser.text.model); stage 2 is trained on stage 1's out-of-fold scores so that it
learns from scores as noisy as the ones it will see on new pages.

Before writing the model the tool reports a cross-validated estimate: pages are split into
folds (by a hash of the case id), and every page is cleaned by a model that never saw it,
stage 1 and stage 2 included (nested folds). ``--by-dataset`` also holds out each dataset in
turn, a harder test of how the model carries over to kinds of sites it has not seen.

How a page's logits become its article is chosen by the same cross-validation, among
candidates: a plain logit threshold (``--thresholds``), or the lines above logit 0 plus the
doubtful lines the page-level expected-F1 choice adds
(normaliser.text.model.expected_f1_keep, with a probability scale and offset from
``--scales`` x ``--offsets``), each with or without filling the gaps of the kept region: a
run of dropped lines between two kept lines joins when its mean logit, weighted by words, is
above one of ``--gaps`` (normaliser.text.model.fill_gaps). The candidate with the best CV
mean F1 is kept and recorded in the model file; ``--recall-floor cleaneval:0.95`` limits the
choice to candidates whose CV mean recall on a dataset reaches a floor (issue 3's floor for
general pages; its cost in F1 and the choice's instability across folds are in
docs/RESULTS.md). Since that choice sees every fold, the tool also reports the
choice cross-validated: each fold cleaned with the candidate chosen the same way on the
other folds.
Pure Python on purpose: the layer ships no numpy. On the 1,627-page dev split training is
slow (docs/RESULTS.md has the times): ``--by-dataset`` runs both splits' held-out groups in
one pool of ``--workers`` processes, and a shorter list of candidate decisions saves the time
of scoring each on every held-out page.

The features are defined once, by the code that scores pages
(normaliser.text.compiled.CompiledModel): training runs that code with symbolic weights
(normaliser.text.compiled.SYMBOLIC), each weight the name of its feature, and reads each
line's named features (normaliser.text.features.FeatureVector) from it.

The model file records its provenance: the command line, the tool's version
(``TOOL_VERSION``), the git commit, a sha256 of the corpus (of its manifest.json, or of its
dev split's file list and sizes when it has none) and the page counts. ``--pages N`` trains
on N of the dev pages only, to try the tool quickly (``make train TRAIN_ARGS="--pages 20
--no-cv --dry-run"``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import multiprocessing
import random
import shlex
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from corpus_cases import Case, bag_of_words, by_dataset, corpus_path, dump_text, label_lines, load_cases
from normaliser.meta.stopwords import ALL_STOPWORDS
from normaliser.text.boilerplate import strip_boilerplate
from normaliser.text.compiled import SYMBOLIC
from normaliser.text.features import FeatureVector
from normaliser.text.measure import measure_lines
from normaliser.text.model import MODEL_PATH, BoilerplateModel, Weights
from normaliser.text.page_measures import LineRecord, PageMeasures, page_measures

#: Recorded in the model file's provenance; raise it when a change to the tool changes what
#: it writes from the same corpus and arguments.
TOOL_VERSION = "2"

# A line is article when at least this share of its words align with the gold.
_ARTICLE_SHARE = 0.5
# Training settings, chosen by cross-validated F1 on the dev split (see docs/RESULTS.md).
_EPOCHS = 8
_LEARNING_RATE = 0.1
_L2 = 1e-5
_SEED = 20240601
# Share of a line's training weight that follows its word count (the rest is even across
# the page's lines), chosen by cross-validated F1 (docs/RESULTS.md).
_TOKEN_WEIGHT = 0.85


@dataclass
class Page:
    case: Case
    text: str
    records: list[LineRecord[FeatureVector]]  # the non-blank lines, as the symbolic model records them
    measures: PageMeasures
    labels: list[int]
    weights: list[float]

    def line_features(self) -> list[FeatureVector]:
        """Each line's stage 1 features."""
        return SYMBOLIC.stage1(self.records, self.measures)

    def context_features(self, first: Sequence[float]) -> list[FeatureVector]:
        """Each line's stage 2 features, given stage 1's logits ``first``."""
        return SYMBOLIC.stage2(self.records, self.measures, first)


def prepare(case: Case) -> Page:
    text = dump_text(case)
    # The lines the cleaner judges: the non-blank ones, measured as it measures them.
    lines = [line for line in text.split("\n") if line]
    records = [
        SYMBOLIC.record(line, shape) for line, shape in zip(lines, measure_lines(lines, ALL_STOPWORDS), strict=True)
    ]
    shares = label_lines(lines, case.gold)
    labels = [1 if share is not None and share >= _ARTICLE_SHARE else 0 for share in shares]
    # The score is a per-page mean of word-level F1: weigh each page equally, and within a
    # page weigh a line mostly by its share of the words, a little evenly, so that long
    # paragraphs matter most but runs of one-word menu items still count.
    tokens = [record.shape.tokens for record in records]
    total_tokens = sum(tokens) or 1
    weights = [
        0.0 if share is None else 100.0 * (_TOKEN_WEIGHT * count / total_tokens + (1 - _TOKEN_WEIGHT) / len(records))
        for count, share in zip(tokens, shares, strict=True)
    ]
    return Page(case, text, records, page_measures(records), labels, weights)


Sample = tuple[list[int], list[float], int, float]


class Vocabulary:
    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.names: list[str] = []

    def encode(self, features: FeatureVector) -> tuple[list[int], list[float]]:
        ids, values = [], []
        for name, value in features.items():
            if name not in self.index:
                self.index[name] = len(self.names)
                self.names.append(name)
            ids.append(self.index[name])
            values.append(value)
        return ids, values


def train_logistic(samples: Sequence[Sample], size: int, seed: int = _SEED) -> list[float]:
    """Logistic regression by AdaGrad with an L2 penalty, on sparse samples."""
    weights = [0.0] * size
    squares = [1e-8] * size
    order = list(range(len(samples)))
    rng = random.Random(seed)
    for _ in range(_EPOCHS):
        rng.shuffle(order)
        for k in order:
            ids, values, label, weight = samples[k]
            if not weight:
                continue
            z = sum(weights[j] * v for j, v in zip(ids, values, strict=True))
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            gradient = (p - label) * weight
            for j, v in zip(ids, values, strict=True):
                g = gradient * v + _L2 * weights[j]
                squares[j] += g * g
                weights[j] -= _LEARNING_RATE * g / math.sqrt(squares[j])
    return weights


def to_model(vocabulary: Vocabulary, weights: Sequence[float]) -> Weights:
    return {
        name: round(weights[i], 4)
        for i, name in enumerate(vocabulary.names)
        if i < len(weights) and abs(weights[i]) >= 1e-4
    }


def stage1_samples(pages: Sequence[Page], vocabulary: Vocabulary) -> list[list[Sample]]:
    out = []
    for page in pages:
        rows = []
        for features, label, weight in zip(page.line_features(), page.labels, page.weights, strict=True):
            ids, values = vocabulary.encode(features)
            rows.append((ids, values, label, weight))
        out.append(rows)
    return out


def stage2_samples(pages: Sequence[Page], logits: Sequence[Sequence[float]], vocabulary: Vocabulary) -> list[Sample]:
    rows = []
    for page, first in zip(pages, logits, strict=True):
        for features, label, weight in zip(page.context_features(first), page.labels, page.weights, strict=True):
            ids, values = vocabulary.encode(features)
            rows.append((ids, values, label, weight))
    return rows


def fold_of(case_id: str, folds: int) -> int:
    return int(hashlib.sha256(case_id.encode()).hexdigest(), 16) % folds


def train(pages: Sequence[Page], folds: int) -> BoilerplateModel:
    """Both stages on ``pages``; stage 2 from stage 1's out-of-fold scores on them."""
    vocabulary = Vocabulary()
    samples = stage1_samples(pages, vocabulary)
    assignment = [fold_of(page.case.case_id, folds) for page in pages]
    logits: list[list[float]] = [[] for _ in pages]
    for fold in range(folds):
        weights = train_logistic(
            [s for rows, f in zip(samples, assignment, strict=True) if f != fold for s in rows], len(vocabulary.names)
        )
        model = to_model(vocabulary, weights)
        for k, page in enumerate(pages):
            if assignment[k] == fold:
                logits[k] = [features.logit(model) for features in page.line_features()]
    line_model = to_model(vocabulary, train_logistic([s for rows in samples for s in rows], len(vocabulary.names)))
    context_vocabulary = Vocabulary()
    second = stage2_samples(pages, logits, context_vocabulary)
    context_model = to_model(context_vocabulary, train_logistic(second, len(context_vocabulary.names)))
    return BoilerplateModel(line_model, context_model, 0.0)


Scores = list[tuple[str, tuple[float, float, float]]]
# A dataset whose mean recall the chosen decision must keep, and the floor.
RecallFloor = tuple[str, float]
# How logits become the article: (threshold, None, None) keeps the lines above the threshold;
# (threshold, (scale, offset), gap) adds the lines the expected-F1 choice adds, then, unless
# gap is None, the runs of dropped lines between kept lines whose mean logit is above gap.
Decision = tuple[float, tuple[float, float] | None, float | None]


def describe(decision: Decision) -> str:
    threshold, decoding, gap = decision
    if decoding is None:
        return f"threshold {threshold:+.2f}"
    text = f"threshold {threshold:+.2f} and expected F1, scale {decoding[0]:.2f} offset {decoding[1]:+.2f}"
    return text if gap is None else f"{text}, gaps above {gap:+.2f}"


def evaluate(pages: Sequence[Page], model: BoilerplateModel, decision: Decision) -> Scores:
    tuned = BoilerplateModel(model.line, model.context, *decision)
    return [
        (page.case.dataset, bag_of_words("\n".join(strip_boilerplate(page.text, tuned).paragraphs), page.case.gold))
        for page in pages
    ]


_POOL_PAGES: Sequence[Page] = ()


def _held_out(job: tuple[object, str, int, tuple[Decision, ...]]) -> dict[Decision, Scores]:
    """Train without one group of pages and score that group (runs in a worker process)."""
    group, split, folds, decisions = job
    pages = _POOL_PAGES

    def held(page: Page) -> bool:
        key = page.case.dataset if split == "dataset" else fold_of("outer:" + page.case.case_id, folds)
        return key == group

    started = time.monotonic()
    model = train([page for page in pages if not held(page)], folds)
    test_pages = [page for page in pages if held(page)]
    scores = {decision: evaluate(test_pages, model, decision) for decision in decisions}
    print(f"  held out {group}: {len(test_pages)} pages, {time.monotonic() - started:.0f}s", file=sys.stderr)
    return scores


def cross_validate(
    pages: Sequence[Page], folds: int, decisions: Sequence[Decision], split: str = "fold", workers: int = 2
) -> dict[Decision, list[Scores]]:
    """Every page scored by a model trained without it (stage 1 and 2), per decision; the
    scores of each held-out group apart."""
    return cross_validate_splits(pages, folds, decisions, (split,), workers)[split]


def cross_validate_splits(
    pages: Sequence[Page], folds: int, decisions: Sequence[Decision], splits: Sequence[str], workers: int = 2
) -> dict[str, dict[Decision, list[Scores]]]:
    """:func:`cross_validate` for several splits (``fold``, ``dataset``) in one pool of workers:
    run one split after the other, the workers idle while the last group of each split trains
    alone, and on the full dev split one group trains for many minutes (docs/RESULTS.md)."""
    global _POOL_PAGES
    _POOL_PAGES = pages  # forked workers share the prepared pages instead of pickling them
    jobs = []
    for split in splits:
        groups: list[object] = (
            [*sorted({page.case.dataset for page in pages})] if split == "dataset" else [*range(folds)]
        )
        jobs += [(group, split, folds, tuple(decisions)) for group in groups]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        parts = pool.map(_held_out, jobs, chunksize=1)
    return {
        split: {
            decision: [part[decision] for job, part in zip(jobs, parts, strict=True) if job[1] == split]
            for decision in decisions
        }
        for split in splits
    }


def pooled(parts: Sequence[Scores]) -> Scores:
    return [row for part in parts for row in part]


def best_decision(results: dict[Decision, list[Scores]], floor: RecallFloor, skip: int | None = None) -> Decision:
    """The decision with the best CV mean F1 among those that keep the floor's dataset's mean
    recall at the floor (all decisions, when none does), on every fold but ``skip``."""

    def rows(decision: Decision) -> Scores:
        return pooled([part for k, part in enumerate(results[decision]) if k != skip])

    dataset, minimum = floor
    meeting = [d for d in results if mean_recall(rows(d), dataset) >= minimum] or list(results)
    return max(meeting, key=lambda d: mean_f1(rows(d)))


def chosen_elsewhere(results: dict[Decision, list[Scores]], floor: RecallFloor) -> Scores:
    """Each fold's scores under the decision chosen (``best_decision``) on the other folds."""
    rows: Scores = []
    for fold in range(len(next(iter(results.values())))):
        rows.extend(results[best_decision(results, floor, skip=fold)][fold])
    return rows


def report(title: str, rows: Scores) -> str:
    lines = [title, f"{'dataset':<16}{'n':>5}{'P':>8}{'R':>8}{'F1':>8}"]
    for name, n, precision, recall, f1 in by_dataset(rows):
        lines.append(f"{name:<16}{n:>5}{precision:>8.3f}{recall:>8.3f}{f1:>8.3f}")
    return "\n".join(lines)


def mean_f1(rows: Scores) -> float:
    return sum(score[2] for _, score in rows) / len(rows) if rows else 0.0


def mean_recall(rows: Scores, dataset: str) -> float:
    """Mean recall over one dataset's pages (1.0 when there are none: no floor to keep)."""
    recalls = [score[1] for name, score in rows if name == dataset]
    return sum(recalls) / len(recalls) if recalls else 1.0


def sample_cases(cases: Sequence[Case], count: int) -> list[Case]:
    """``count`` of ``cases``, evenly spread over the list (so over its datasets too).

    >>> [case.case_id for case in sample_cases([Case(str(i), "d", Path(), {}) for i in range(10)], 3)]
    ['0', '3', '6']
    """
    step = max(1, len(cases) // count)
    return list(cases[::step][:count])


def corpus_digest(corpus: Path) -> dict[str, str]:
    """A sha256 that changes when the corpus does: of its manifest.json, or, for a corpus
    without one, of its dev split's file list and sizes."""
    manifest = corpus / "manifest.json"
    if manifest.is_file():
        return {"sha256": hashlib.sha256(manifest.read_bytes()).hexdigest(), "of": "manifest.json"}
    root = corpus / "dev" if (corpus / "dev").is_dir() else corpus
    listing = "".join(
        f"{path.relative_to(root).as_posix()}\t{path.stat().st_size}\n"
        for path in sorted(root.rglob("*"))
        if path.is_file()
    )
    return {"sha256": hashlib.sha256(listing.encode()).hexdigest(), "of": "the dev split's file list and sizes"}


def git_commit() -> str | None:
    """The checkout's commit, marked ``+dirty`` when the tracked files differ from it
    (None outside a git checkout)."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=Path(__file__).parent, capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        commit = git("rev-parse", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return None
    return commit + ("+dirty" if dirty else "")


def provenance(argv: Sequence[str], corpus: Path, pages: Sequence[Page]) -> dict[str, object]:
    """How the model was made, for its file: enough to make it again."""
    datasets: dict[str, int] = {}
    for page in pages:
        datasets[page.case.dataset] = datasets.get(page.case.dataset, 0) + 1
    return {
        "command": shlex.join(["tools/train_boilerplate.py", *argv]),
        "tool_version": TOOL_VERSION,
        "git_commit": git_commit(),
        "corpus": corpus_digest(corpus),
        "pages": {
            "dev": len(pages),
            "lines": sum(len(page.records) for page in pages),
            "per_dataset": dict(sorted(datasets.items())),
        },
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", help="corpus folder (default: $NORMALISER_CORPUS or ../shared/corpus)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument(
        "--thresholds", default="-0.5,0.0,0.5", help="candidate plain logit thresholds, comma-separated"
    )
    parser.add_argument(
        "--scales",
        default="0.3,0.35,0.4,0.5,0.75",
        help="candidate probability scales of the expected-F1 choice, comma-separated",
    )
    parser.add_argument(
        "--offsets",
        default="-1.25,-1.0,-0.75,-0.5",
        help="candidate probability offsets of the expected-F1 choice, comma-separated",
    )
    parser.add_argument(
        "--gaps",
        default="none,-3.0,-2.5,-2.0,-1.5",
        help="candidate mean logits above which a run of dropped lines between kept lines "
        "joins ('none': never), comma-separated",
    )
    parser.add_argument(
        "--recall-floor",
        default="none",
        help="DATASET:RECALL, e.g. cleaneval:0.95: choose the best CV F1 among the decisions "
        "whose CV mean recall on DATASET reaches RECALL; 'none' (default): the best CV F1",
    )
    parser.add_argument("--by-dataset", action="store_true", help="also hold out each dataset in turn")
    parser.add_argument("--workers", type=int, default=2, help="processes training held-out groups at once")
    parser.add_argument("--no-cv", action="store_true", help="skip cross-validation (plain threshold 0)")
    parser.add_argument("--dry-run", action="store_true", help="do not write the model file")
    parser.add_argument("--pages", type=int, help="train on this many of the dev pages only (to try the tool)")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)

    corpus = corpus_path(args.corpus)
    cases = load_cases(corpus, "dev")
    if args.pages:
        cases = sample_cases(cases, args.pages)
    if not cases:
        print(f"no cases under {corpus}", file=sys.stderr)
        return 1
    started = time.monotonic()
    pages = [prepare(case) for case in cases]
    print(
        f"prepared {len(pages)} pages, {sum(len(p.records) for p in pages)} lines in {time.monotonic() - started:.0f}s",
        file=sys.stderr,
    )

    def floats(text: str) -> list[float]:
        return [float(value) for value in text.split(",") if value]

    gaps = [None if value.strip() == "none" else float(value) for value in args.gaps.split(",") if value]
    decisions: list[Decision] = [(t, None, None) for t in floats(args.thresholds)]
    decisions += [
        (0.0, (scale, offset), gap) for scale in floats(args.scales) for offset in floats(args.offsets) for gap in gaps
    ]
    decision: Decision = (0.0, None, None)
    floor: RecallFloor = ("", 0.0)
    if args.recall_floor != "none":
        dataset, _, minimum = args.recall_floor.rpartition(":")
        floor = (dataset, float(minimum))
    cv_summary: dict[str, object] = {}
    if not args.no_cv:
        # Leave-one-dataset-out scores every candidate too, so that both splits share one pool;
        # its figures are reported for the decision the folds choose.
        splits = cross_validate_splits(
            pages, args.folds, decisions, ("fold", "dataset") if args.by_dataset else ("fold",), args.workers
        )
        results = splits["fold"]
        means = {d: mean_f1(pooled(results[d])) for d in decisions}
        for d in sorted(decisions, key=means.__getitem__, reverse=True):
            recall = f", {floor[0]} recall {mean_recall(pooled(results[d]), floor[0]):.4f}" if floor[0] else ""
            print(f"{describe(d)}: CV mean F1 {means[d]:.4f}{recall}")
        decision = best_decision(results, floor)
        print(report(f"\n{args.folds}-fold cross-validation (pages), {describe(decision)}", pooled(results[decision])))
        elsewhere = chosen_elsewhere(results, floor)
        print(report("\nthe same, each fold's decision chosen on the other folds", elsewhere))
        cv_summary["decision"] = describe(decision)
        cv_summary["recall_floor"] = args.recall_floor
        cv_summary["folds"] = {name: round(f1, 4) for name, _, _, _, f1 in by_dataset(pooled(results[decision]))}
        cv_summary["folds_decision_chosen_elsewhere"] = {
            name: round(f1, 4) for name, _, _, _, f1 in by_dataset(elsewhere)
        }
        if args.by_dataset:
            held = pooled(splits["dataset"][decision])
            print(report("\nleave-one-dataset-out", held))
            cv_summary["leave_one_dataset_out"] = {name: round(f1, 4) for name, _, _, _, f1 in by_dataset(held)}
    model = train(pages, args.folds)
    model = BoilerplateModel(model.line, model.context, *decision)
    print(report("\nfit on all dev pages (optimistic)", evaluate(pages, model, decision)))
    if not args.dry_run:
        payload = {
            "about": "Text-dump boilerplate model; rebuilt by tools/train_boilerplate.py from the corpus dev split.",
            "trained_on": f"{len(pages)} dev pages",
            "cross_validation_f1": cv_summary,
            "provenance": provenance(sys.argv[1:] if argv is None else argv, corpus, pages),
            **model.to_json(),
        }
        args.out.write_text(json.dumps(payload, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

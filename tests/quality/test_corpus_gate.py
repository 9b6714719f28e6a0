"""Quality gate: the shipped pipeline on the dev corpus must not fall below the measured
figures, and the seed page must come out exactly.

The corpus and the seed are third-party pages read from ``../shared`` (see conftest.py);
these tests skip with a message where that folder is absent, and fail in CI. Floors sit a
little below the figures ``make eval`` writes to docs/RESULTS.md, so noise passes and a real
regression fails. Each format runs once over the corpus; every test reads that run.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from corpus_cases import Case, bag_of_words, load_cases, run_pipeline
from eval import date_matches, gold_field, name_matches, title_matches
from normaliser.record import PageRecord
from normaliser.text.boilerplate import clean_text_dump

pytestmark = pytest.mark.corpus

# Mean bag-of-words F1 per dataset, about 0.01 under the dev figures of docs/RESULTS.md
# (fewer pages, a wider margin), so a change that costs a point on any dataset fails.
F1_FLOORS = {
    "text": {
        "ALL": 0.847,
        "cleaneval": 0.925,
        "cleanportaleval": 0.94,
        "news-2023": 0.855,
        "readability": 0.87,
        "scrapinghub": 0.895,
        "wcxb": 0.813,
    },
    "html": {
        "ALL": 0.866,
        "cleaneval": 0.922,
        "cleanportaleval": 0.943,
        "news-2023": 0.887,
        "readability": 0.912,
        "scrapinghub": 0.935,
        "wcxb": 0.837,
    },
}
# CleanEval's gold keeps most of each page: there the figure that matters is recall.
CLEANEVAL_RECALL_FLOORS = {"text": 0.935, "html": 0.949}
# Pages whose output has no gold word at all (rejected, or the wrong region kept).
EMPTIED_CEILINGS = {"text": 5, "html": 3}
# Share of the pages whose gold states the field that we get right.
TITLE_FLOORS = {"text": 0.45, "html": 0.77}
HTML_AUTHOR_FLOOR = 0.71
HTML_DATE_FLOOR = 0.80


@dataclass(frozen=True)
class Outcome:
    case: Case
    text: str
    record: PageRecord
    score: tuple[float, float, float]

    def gold(self, name: str) -> str | None:
        return gold_field(self.case.gold_metadata or {}, name)


def _run(corpus: Path, fmt: str) -> list[Outcome]:
    outcomes = []
    for case in load_cases(corpus, "dev"):
        page = run_pipeline(case.page_bytes(fmt), "raw.txt" if fmt == "text" else "raw.html", fmt)
        outcomes.append(Outcome(case, page.text or "", page.metadata, bag_of_words(page.text or "", case.gold)))
    return outcomes


@pytest.fixture(scope="module")
def text_run(corpus_dir: Path) -> list[Outcome]:
    return _run(corpus_dir, "text")


@pytest.fixture(scope="module")
def html_run(corpus_dir: Path) -> list[Outcome]:
    return _run(corpus_dir, "html")


@pytest.fixture(params=["text", "html"])
def run(request: pytest.FixtureRequest) -> tuple[str, list[Outcome]]:
    """Each format's run, for the tests that hold for both."""
    return request.param, request.getfixturevalue(f"{request.param}_run")


def test_f1_per_dataset_stays_above_its_floor(run: tuple[str, list[Outcome]]) -> None:
    fmt, outcomes = run
    by_dataset: dict[str, list[float]] = defaultdict(list)
    for outcome in outcomes:
        by_dataset[outcome.case.dataset].append(outcome.score[2])
        by_dataset["ALL"].append(outcome.score[2])
    below = {
        name: round(statistics.fmean(scores), 3)
        for name, scores in by_dataset.items()
        if statistics.fmean(scores) < F1_FLOORS[fmt].get(name, 0.0)
    }
    assert not below, f"{fmt}: F1 fell below the floor on {below} (floors {F1_FLOORS[fmt]})"


def test_cleaneval_content_is_kept(run: tuple[str, list[Outcome]]) -> None:
    fmt, outcomes = run
    recall = statistics.fmean(outcome.score[1] for outcome in outcomes if outcome.case.dataset == "cleaneval")
    assert recall >= CLEANEVAL_RECALL_FLOORS[fmt], f"{fmt}: CleanEval recall {recall:.3f} fell below the floor"


def test_few_dev_pages_lose_every_gold_word(run: tuple[str, list[Outcome]]) -> None:
    fmt, outcomes = run
    empty = [outcome.case.case_id for outcome in outcomes if outcome.score == (0.0, 0.0, 0.0)]
    assert len(empty) <= EMPTIED_CEILINGS[fmt], f"{fmt}: {len(empty)} pages lost every gold word: {empty[:10]}"


def test_titles_match_the_gold(run: tuple[str, list[Outcome]]) -> None:
    fmt, outcomes = run
    rights = [
        title_matches(outcome.record["title"], outcome.gold("title")) for outcome in outcomes if outcome.gold("title")
    ]
    assert sum(rights) / len(rights) >= TITLE_FLOORS[fmt], f"{fmt}: {sum(rights)}/{len(rights)} titles right"


def test_html_authors_match_the_gold(html_run: list[Outcome]) -> None:
    rights = [
        name_matches(outcome.record["author"], outcome.gold("author")) for outcome in html_run if outcome.gold("author")
    ]
    assert sum(rights) / len(rights) >= HTML_AUTHOR_FLOOR, f"{sum(rights)}/{len(rights)} authors right"


def test_html_dates_match_the_gold(html_run: list[Outcome]) -> None:
    rights = [
        date_matches(outcome.record["published"], outcome.gold("published"))
        for outcome in html_run
        if outcome.gold("published")
    ]
    assert sum(rights) / len(rights) >= HTML_DATE_FLOOR, f"{sum(rights)}/{len(rights)} dates right"


def test_cleaning_a_cleaned_text_dump_again_changes_nothing(text_run: list[Outcome]) -> None:
    unstable = [
        outcome.case.case_id
        for outcome in text_run
        if outcome.text and "\n".join(clean_text_dump(outcome.text.rstrip("\n")).paragraphs) + "\n" != outcome.text
    ]
    assert not unstable


def _seed_lines(seed_bytes: bytes) -> list[str]:
    page = run_pipeline(seed_bytes, "seed.txt", "text", keep_boilerplate=True)
    return [line for line in (page.text or "").split("\n") if line]


def test_seed_page_comes_out_exactly(seed_bytes: bytes) -> None:
    # The seed's layout, by position (its text stays in ../shared): breadcrumb, title with
    # the site's name, byline, comment count, then the six article paragraphs, then the
    # footer furniture.
    lines = _seed_lines(seed_bytes)
    page = run_pipeline(seed_bytes, "seed.txt", "text")
    assert page.status == "normalised"
    assert (page.text or "").split("\n")[:-1] == lines[4:10]
    assert page.metadata["title"] == lines[1].split(" — ")[0]
    assert page.metadata["author"] == lines[2].removeprefix("by ")
    removed = page.metadata["removed"]
    assert [item["text"] for item in removed] == lines[:4] + lines[10:]
    assert all(item["reason"] for item in removed)
    assert removed[1]["reason"] == "title"

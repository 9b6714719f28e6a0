"""Reading the evaluation corpus and scoring against its gold, for tools/eval.py and
tools/train_boilerplate.py.

The corpus is third-party material read from beside the checkout (``../shared/corpus``),
never copied into the repository. Scores follow ``../shared/corpus/score.py``: tokens are
casefolded ``\\w+`` runs, bag-of-words precision/recall/F1 per page from the multiset
intersection, both empty scores 1, one empty scores 0.
"""

from __future__ import annotations

import difflib
import gzip
import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from normaliser.config import Format, NormaliserConfig
from normaliser.pipeline import NormalisedPage, OutputLocation, SourceObject, normalise_page

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"

_TOKEN = re.compile(r"\w+")
# The file each format reads in a case folder. The page is stored gzipped (``raw.html.gz``);
# a folder in the corpus' older layout holds it as ``raw.html``.
PAGE_FILES = {"text": ("raw.txt",), "html": ("raw.html.gz", "raw.html")}


def corpus_path(argument: str | None = None) -> Path:
    """The corpus folder: the argument, else ``$NORMALISER_CORPUS``, else ``../shared/corpus``."""
    return Path(argument or os.environ.get("NORMALISER_CORPUS") or DEFAULT_CORPUS)


@dataclass(frozen=True)
class Case:
    case_id: str
    dataset: str
    directory: Path
    meta: dict[str, Any]

    @property
    def gold(self) -> str:
        return (self.directory / "gold.txt").read_text(encoding="utf-8", errors="replace")

    def page_path(self, fmt: str) -> Path | None:
        """The file holding the case's page in ``fmt`` (``text`` or ``html``), if it has one."""
        return page_path(self.directory, fmt)

    def page_bytes(self, fmt: str) -> bytes:
        """The page's bytes as published (the HTML gunzipped), for ``fmt``."""
        path = self.page_path(fmt)
        if path is None:
            raise FileNotFoundError(f"{self.directory} has no {' or '.join(PAGE_FILES[fmt])}")
        return read_page(path)

    @property
    def gold_metadata(self) -> dict[str, Any] | None:
        value = self.meta.get("gold_metadata")
        return value if isinstance(value, dict) else None


def page_path(directory: Path, fmt: str) -> Path | None:
    """The file in a case folder holding its page in ``fmt``, if any."""
    return next((directory / name for name in PAGE_FILES[fmt] if (directory / name).is_file()), None)


def read_page(path: Path) -> bytes:
    """A page file's bytes, gunzipped when it is stored as ``.gz``."""
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def load_cases(corpus: Path, split: str = "dev") -> list[Case]:
    """Every case of ``split`` (or of ``corpus`` itself when it is one split's folder)."""
    base = corpus / split if (corpus / split).is_dir() else corpus
    cases = []
    for directory in sorted(base.iterdir()):
        if (directory / "gold.txt").is_file() and (directory / "meta.json").is_file():
            meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
            cases.append(Case(directory.name, str(meta.get("dataset", "unknown")), directory, meta))
    return cases


def run_pipeline(
    data: bytes, key: str, fmt: str, *, keep_boilerplate: bool = False, peer_extractors: bool = True
) -> NormalisedPage:
    """The shipped pipeline on one file's bytes, as the CLI and the Lambda run it."""
    page_format = cast(Format, fmt)  # callers pass the corpus' "text" or "html"
    config = NormaliserConfig(format=page_format, keep_boilerplate=keep_boilerplate, peer_extractors=peer_extractors)
    return normalise_page(data, SourceObject(key=key), OutputLocation(None, key + ".txt", key + ".json"), config)


def dump_text(case: Case) -> str:
    """The text the boilerplate step receives for a case's text dump (decoded, repaired,
    whitespace-normalised, nothing removed)."""
    page = run_pipeline(case.page_bytes("text"), "raw.txt", "text", keep_boilerplate=True)
    return (page.text or "").rstrip("\n")


def tokens(text: str) -> list[str]:
    """Tokens as the corpus scorer counts them.

    >>> tokens("Don't stop!")
    ['don', 't', 'stop']
    """
    return [token.casefold() for token in _TOKEN.findall(text)]


def bag_of_words(predicted: str, gold: str) -> tuple[float, float, float]:
    """Precision, recall and F1 of the predicted text's words against the gold's.

    >>> bag_of_words("a b c", "a b d")
    (0.6666666666666666, 0.6666666666666666, 0.6666666666666666)
    """
    pred, want = tokens(predicted), tokens(gold)
    if not pred and not want:
        return 1.0, 1.0, 1.0
    if not pred or not want:
        return 0.0, 0.0, 0.0
    matches = sum((Counter(pred) & Counter(want)).values())
    precision, recall = matches / len(pred), matches / len(want)
    f1 = 2 * precision * recall / (precision + recall) if matches else 0.0
    return precision, recall, f1


def label_lines(lines: list[str], gold: str) -> list[float | None]:
    """For each line, the share of its tokens that the gold text has at that place (aligned
    in order, so a menu word that also occurs in the article does not count); ``None`` for
    lines without tokens.

    >>> label_lines(["Home", "The cat sat.", "Share"], "The cat sat.")
    [0.0, 1.0, 0.0]
    """
    line_tokens = [tokens(line) for line in lines]
    flat: list[str] = []
    owner: list[int] = []
    for index, found in enumerate(line_tokens):
        flat.extend(found)
        owner.extend([index] * len(found))
    matched = [0] * len(lines)
    matcher = difflib.SequenceMatcher(None, flat, tokens(gold), autojunk=False)
    for start, _, size in matcher.get_matching_blocks():
        for k in range(start, start + size):
            matched[owner[k]] += 1
    return [matched[i] / len(found) if found else None for i, found in enumerate(line_tokens)]


def by_dataset(rows: list[tuple[str, tuple[float, float, float]]]) -> Iterator[tuple[str, int, float, float, float]]:
    """Mean precision, recall and F1 per dataset, then over all cases, then the mean of the
    dataset means (``ALL (macro)``), as score.py prints them."""
    datasets = sorted({name for name, _ in rows})
    means = []
    for name in datasets:
        scores = [score for dataset, score in rows if dataset == name]
        mean = tuple(sum(s[k] for s in scores) / len(scores) for k in range(3))
        means.append(mean)
        yield name, len(scores), mean[0], mean[1], mean[2]
    if rows:
        yield ("ALL (cases)", len(rows), *(sum(s[k] for _, s in rows) / len(rows) for k in range(3)))  # type: ignore[misc]
        yield ("ALL (macro)", len(rows), *(sum(m[k] for m in means) / len(means) for k in range(3)))  # type: ignore[misc]

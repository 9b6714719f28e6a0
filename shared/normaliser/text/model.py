"""The boilerplate model: two linear stages read from the shipped JSON, and the page-level
decisions on their logits (:func:`expected_f1_keep`, :func:`fill_gaps`)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import compress
from pathlib import Path
from typing import Any

from .compiled import CompiledModel

MODEL_PATH = Path(__file__).parents[1] / "data" / "boilerplate_model.json"


# Cap on the steps of expected_f1_keep's search; it stops after two to five on real pages.
_MAX_CUT_STEPS = 30
# fill_gaps decides runs of at least this many dropped lines; shorter gaps inside the article
# (a caption, an advertising label, a share line) stay decided line by line. Three scored
# better than one or two on all three training seeds tried (docs/RESULTS.md).
_MIN_GAP_LINES = 3


Weights = dict[str, float]


def _lookup(weights: Weights) -> Callable[[str], float]:
    """A feature's weight by name; a feature the model never saw weighs nothing."""

    def weight(name: str) -> float:
        return weights.get(name, 0.0)

    return weight


@dataclass(frozen=True)
class BoilerplateModel:
    """Logistic regression over named sparse features, in two stages (line, then context)."""

    line: Weights
    context: Weights
    # A page has an article when some line's logit is above this; without a decoding, the
    # lines above it are the article.
    threshold: float = 0.0
    # (scale, offset): which lines below the threshold join the article, by expected F1 with
    # the probabilities sigmoid(scale * logit + offset) (see expected_f1_keep); both are
    # chosen by cross-validation in the training tool.
    decoding: tuple[float, float] | None = None
    # With a decoding: a run of dropped lines between two kept lines joins the article when
    # its mean logit, weighted by the lines' words, is above this (see fill_gaps); chosen by
    # cross-validation in the training tool. None leaves gaps alone.
    gap: float | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BoilerplateModel:
        """The model in ``data``; its other keys (``about``, ``provenance``, the
        cross-validation figures) describe how it was made and are not read."""
        decoding = data.get("decoding")
        gap = data.get("gap")
        return cls(
            dict(data["line"]),
            dict(data["context"]),
            float(data["threshold"]),
            None if decoding is None else (float(decoding["scale"]), float(decoding["offset"])),
            None if gap is None else float(gap),
        )

    @cached_property
    def compiled(self) -> CompiledModel[float]:
        """Both stages as flat tables, for scoring pages."""
        return CompiledModel(_lookup(self.line), _lookup(self.context))

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"threshold": self.threshold, "line": self.line, "context": self.context}
        if self.decoding is not None:
            data["decoding"] = {"scale": self.decoding[0], "offset": self.decoding[1]}
        if self.gap is not None:
            data["gap"] = self.gap
        return data


@lru_cache(maxsize=1)
def shipped_model() -> BoilerplateModel:
    """The model that ships in the package (loaded once per process)."""
    return BoilerplateModel.from_json(json.loads(MODEL_PATH.read_text(encoding="utf-8")))


def expected_f1_keep(
    logits: Sequence[float], weights: Sequence[float], scale: float, offset: float, threshold: float
) -> list[bool]:
    """Which lines to keep for the best expected F1 of the page's words, keeping at least
    the lines whose logit is above ``threshold``.

    A line is article with probability ``p = sigmoid(scale * logit + offset)`` and holds
    ``weight`` words. Keeping a set S of lines scores, in expectation, about
    ``F(S) = 2 * sum(p * w over S) / (sum(w over S) + sum(p * w over all lines))``; the best
    S adds to the lines above the threshold exactly the lines with ``p > F*/2``, F* being
    its own score. So a page the model is sure of keeps just the lines above the threshold,
    and an uncertain page (a listing, a comment thread) adds its likelier lines. F* is found
    by Dinkelbach's iteration: each step keeps the lines above half the last score, which
    scores no lower, and the search stops when the score stops rising (a few passes).

    >>> expected_f1_keep([4.0, 4.0, -1.0, -6.0], [10, 10, 10, 10], 1.0, 0.0, 0.0)
    [True, True, False, False]
    >>> expected_f1_keep([1.0, -0.5, -0.5, -6.0], [10, 10, 10, 10], 1.0, 0.0, 0.0)
    [True, True, True, False]
    """
    exp = math.exp
    probabilities = [
        1.0 / (1.0 + exp(-(x if -30.0 <= x <= 30.0 else (30.0 if x > 30.0 else -30.0))))
        for x in [scale * z + offset for z in logits]
    ]
    above = [z > threshold for z in logits]
    masses = [p * w for p, w in zip(probabilities, weights, strict=True)]
    expected = sum(masses)  # the article's expected size in words
    cut = best_cut = 0.5
    if expected > 0:
        best = -1.0
        for _ in range(_MAX_CUT_STEPS):
            on = [a or p > cut for a, p in zip(above, probabilities, strict=True)]
            score = 2.0 * sum(compress(masses, on)) / (sum(compress(weights, on)) + expected)
            if score <= best:
                break
            best, best_cut = score, cut
            cut = score / 2.0
    return [a or p > best_cut for a, p in zip(above, probabilities, strict=True)]


def fill_gaps(
    keep: Sequence[bool], logits: Sequence[float], weights: Sequence[float], gap: float, min_lines: int = _MIN_GAP_LINES
) -> list[bool]:
    """``keep`` with each run of at least ``min_lines`` dropped lines that lies between two
    kept lines kept whole when its mean logit, each line weighted by ``weights``, is above ``gap``.

    Lines are decided one by one; a listing, a table or a comment thread inside the article
    (short lines of alike shape, each doubtful alone) is decided as a whole: the run joins
    when it is, on the whole, nearly as likely article as the lines around it. Runs before
    the first kept line and after the last are left alone (there, the same rule costs more
    precision than it gains recall: docs/RESULTS.md).

    >>> fill_gaps([True, False, False, False, True, False], [3.0, -1.0, -1.0, -3.0, 2.0, -1.0],
    ...           [1, 4, 4, 2, 1, 1], -2.0)
    [True, True, True, True, True, False]
    >>> fill_gaps([True, False, False, False, True], [3.0, -1.0, -3.0, -3.0, 2.0], [1, 1, 4, 4, 1], -2.0)
    [True, False, False, False, True]
    """
    out = list(keep)
    n = len(out)
    i = 0
    while i < n and not out[i]:
        i += 1  # before the first kept line
    while i < n:
        if keep[i]:
            i += 1
            continue
        j = i
        while j < n and not keep[j]:
            j += 1
        if j == n:
            break  # after the last kept line
        total = sum(weights[i:j])
        if j - i >= min_lines and sum(z * w for z, w in zip(logits[i:j], weights[i:j], strict=True)) > gap * total:
            out[i:j] = [True] * (j - i)
        i = j
    return out

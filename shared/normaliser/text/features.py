"""The names of the boilerplate model's features, and :class:`FeatureVector`, a line's
features as training reads them.

The features are defined once, by the scoring code (:mod:`normaliser.text.compiled`): it
looks each weight up by a feature's name and adds the weights up. Run with a
:class:`FeatureVector` for each weight (the feature's name, worth 1), the same code adds up
the names instead of numbers: each line's named feature vector, what
tools/train_boilerplate.py learns the weights from.
"""

from __future__ import annotations

from collections.abc import Mapping

from normaliser.meta import phrases

from .measure import _COUNT_BINS, _POSITION_BINS, _SHARE_BINS, _WORD_BINS


class FeatureVector(dict[str, float]):
    """Named features and their values, summed as the scoring code sums weights: adding two
    adds their values name by name, multiplying scales every value. Never changed in place.

    >>> FeatureVector.of("bias") + FeatureVector.of("prose") * 0.5 + 0.0
    {'bias': 1.0, 'prose': 0.5}
    >>> (FeatureVector.of("bias") + FeatureVector.of("prose") * 0.5).logit({"bias": 0.25, "prose": 2.0})
    1.25
    """

    __slots__ = ()

    @classmethod
    def of(cls, name: str) -> FeatureVector:
        """The weight of feature ``name``, symbolically."""
        return cls({name: 1.0})

    def __add__(self, other: FeatureVector | float) -> FeatureVector:
        if not isinstance(other, FeatureVector):
            if other:
                raise TypeError("only a zero or another FeatureVector adds to a FeatureVector")
            return self
        out = FeatureVector(self)
        for name, value in other.items():
            out[name] = out.get(name, 0.0) + value
        return out

    def __radd__(self, other: FeatureVector | float) -> FeatureVector:
        return self + other

    def __mul__(self, factor: float) -> FeatureVector:
        return FeatureVector({name: value * factor for name, value in self.items()})

    def __rmul__(self, factor: float) -> FeatureVector:
        return self * factor

    def logit(self, weights: Mapping[str, float]) -> float:
        """The line's logit under ``weights`` (a feature without a weight weighs nothing)."""
        return sum(weights.get(name, 0.0) * value for name, value in self.items())


# Feature names are built once: formatting strings per line would dominate the run time.
WORD_NAMES = tuple(f"words:{i}" for i in range(len(_WORD_BINS) + 1))
STOP_NAMES = tuple(f"stop:{i}" for i in range(len(_SHARE_BINS) + 1))
TITLE_NAMES = tuple(f"title:{i}" for i in range(len(_SHARE_BINS) + 1))
SHORT_STOP_NAMES = tuple(tuple(f"words:{w}*stop:{s}" for s in range(len(_SHARE_BINS) + 1)) for w in range(5))
END_NAMES = tuple(tuple(f"words:{w}*end:{e}" for e in ("sentence", "none")) for w in range(len(_WORD_BINS) + 1))
POSITION_NAMES = tuple(f"position:{i}" for i in range(len(_POSITION_BINS) + 1))
REPEAT_NAMES = tuple(f"repeats:{i}" for i in range(4))
UNIT_WORD_NAMES = tuple(f"unit-words:{i}" for i in range(len(_WORD_BINS) + 1))
UNIT_STOP_NAMES = tuple(f"unit-stop:{i}" for i in range(len(_SHARE_BINS) + 1))
THREAD_NAMES = tuple(f"thread:{i}" for i in range(4))
KIND_NAMES = {
    (kind, strength): f"kind:{kind}:{strength}" for kind in phrases.KINDS for strength in ("whole", "start", "anywhere")
}
KIND_SHORT_NAMES = {kind: f"kind:{kind}*short" for kind in phrases.KINDS}
PROSE_DISTANCE_NAMES = tuple(f"prose-distance:{i}" for i in range(len(_COUNT_BINS) + 1))
SHORT_RUN_NAMES = tuple(f"short-run:{i}" for i in range(len(_COUNT_BINS) + 1))
NEIGHBOUR_NAMES = {side: tuple(f"{side}-words:{i}" for i in range(len(_WORD_BINS) + 1)) for side in ("prev", "next")}
# The line's own flags, in the order CompiledModel tests them.
FLAG_NAMES = (
    "ellipsis-end",
    "colon-end",
    "lower-start",
    "bullet-start",
    "all-caps",
    "url",
    "date-like",
    "says",
    "digits",
    "separators:1",
    "separators:2+",
)

# Stage 2 reads stage 1's scores around each line.
SCORE_BINS = (-4.0, -2.0, -1.0, 0.0, 1.0, 2.0, 4.0)
SCORE_NAMES = tuple(f"score:{i}" for i in range(len(SCORE_BINS) + 1))
# Share of the page's words in prose paragraphs: listings and link pages sit low, articles
# high; the bins let the model keep more of a page without a clear article.
PAGE_KIND_BINS = (0.2, 0.4, 0.6, 0.8)
PAGE_KIND_NAMES = tuple(
    tuple(f"page:{k}*score:{s}" for s in range(len(SCORE_BINS) + 1)) for k in range(len(PAGE_KIND_BINS) + 1)
)
REGION_DISTANCE_NAMES = tuple(f"region-distance:{i}" for i in range(len(_COUNT_BINS) + 1))
WINDOW_NAMES = {radius: tuple(f"window{radius}:{i}" for i in range(6)) for radius in (1, 3, 10)}

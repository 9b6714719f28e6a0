"""A second opinion on doubtful HTML pages: run trafilatura and readability-lxml as well and
keep the extraction that agrees most with the others (the medoid by bag-of-words F1).

Three extractors fail on different pages: where ours took a sidebar blurb, the two peers
usually agree on the post, and where a peer fails the other two outvote it. The peers are
slower than our extractor and heavy to import, so they run only on pages whose own
extraction looks doubtful (``is_doubtful``), are imported on first use (never at cold
start), and the whole step can be switched off (``NormaliserConfig.peer_extractors``).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Sequence

from selectolax.lexbor import LexborHTMLParser

from normaliser.page import Extraction, RemovedLine

from . import settings
from .blocks import INVISIBLE_TAGS, page_blocks
from .markup import close_runaway_title
from .settings import PeerRule

logger = logging.getLogger(__name__)

# Tokens as the corpus scorer counts them: ``\w+`` runs, casefolded, except that each CJK
# ideograph, kana and hangul syllable is a token of its own (Chinese has no spaces: a whole
# sentence would otherwise be one token, and two extractions of it could never agree).
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_TOKEN = re.compile(rf"[{_CJK}]|(?:(?![{_CJK}])\w)+")


# Why a line was removed, in the record, when our extractor kept it and the peers' did not.
CONSENSUS_REASON = "outside-consensus"


def tokens(text: str) -> list[str]:
    """Words as the corpus scorer counts them.

    >>> tokens("Don't stop: 北京 today")
    ['don', 't', 'stop', '北', '京', 'today']
    """
    return [token.casefold() for token in _TOKEN.findall(text)]


def agreement(a: Counter[str], b: Counter[str]) -> float:
    """Bag-of-words F1 between two extractions' token counts (both empty agree fully).

    >>> agreement(Counter("abc"), Counter("abd"))
    0.6666666666666666
    """
    if not a and not b:
        return 1.0
    matches = sum((a & b).values())
    return 2 * matches / (sum(a.values()) + sum(b.values())) if matches else 0.0


def medoid(candidates: Sequence[Sequence[str]]) -> int:
    """Index of the candidate (a list of lines) with the highest summed agreement with the
    others; the first one wins ties, so callers list their own extraction first.

    >>> medoid([["a cat sat"], ["a cat sat on a mat"], ["a cat sat on the mat"]])
    1
    """
    bags = [Counter(tokens("\n".join(lines))) for lines in candidates]
    scores = [sum(agreement(bag, other) for j, other in enumerate(bags) if j != i) for i, bag in enumerate(bags)]
    return max(range(len(candidates)), key=lambda i: (scores[i], -i))


def is_doubtful(extraction: Extraction, rule: PeerRule | None = None) -> bool:
    """Does our extraction look doubtful enough to ask the peers (``rule``, by default
    ``settings.PEER_RULE``)?

    >>> is_doubtful(Extraction(paragraphs=("Too short to trust.",)))
    True
    """
    rule = rule or settings.PEER_RULE
    kept = sum(len(tokens(line)) for line in extraction.paragraphs)
    seen = kept + sum(len(tokens(line.text)) for line in extraction.removed)
    return kept < rule.min_words or (seen > 0 and kept < rule.min_share * seen)


def load_peers() -> None:
    """Import the peers now. A process that forks a child per page calls this once it has
    seen an HTML page, so that the children inherit them instead of each importing them."""
    import readability  # noqa: F401
    import trafilatura  # noqa: F401


def _trafilatura(html: str) -> list[str]:
    import trafilatura  # heavy (lxml, dateparser's data): imported on the first doubtful page

    # Comments are never article text here, and the page's metadata is ours to read.
    text = trafilatura.extract(html, include_comments=False, with_metadata=False)
    return (text or "").split("\n")


def _readability(html: str) -> list[str]:
    from readability import Document  # imported on first use, like trafilatura

    summary = Document(html).summary(html_partial=True)
    if not summary.strip():
        return []
    tree = LexborHTMLParser(summary)
    tree.strip_tags(INVISIBLE_TAGS, recursive=True)
    if tree.root is None:
        return []
    return [line for block in page_blocks(tree.root).blocks for line in block.lines]


# The peers, in the order they are asked; each takes the decoded page and returns its lines.
PEERS: tuple[tuple[str, Callable[[str], list[str]]], ...] = (
    ("trafilatura", _trafilatura),
    ("readability-lxml", _readability),
)


def ask_peer(name: str, html: str) -> list[str] | None:
    """A peer's extraction of the page as lines, or None when it raised or found nothing
    (their parsers give up on some markup): that peer then has no say, so two peers that
    both fail cannot outvote a page we did read."""
    try:
        lines = [" ".join(line.split()) for line in dict(PEERS)[name](close_runaway_title(html))]
    except Exception:  # the peer's own failure on an odd page
        logger.debug("peer %s failed", name, exc_info=True)
        return None
    return [line for line in lines if line] or None


def _as_extraction(ours: Extraction, lines: Sequence[str]) -> Extraction:
    """Another extractor's lines as an extraction of ours: every line a reader sees that it
    left out goes to ``removed`` (with our reason where we had dropped it too)."""
    chosen = set(lines)
    removed = [RemovedLine(line, CONSENSUS_REASON) for line in ours.paragraphs if line not in chosen]
    removed.extend(line for line in ours.removed if line.text not in chosen)
    return Extraction(paragraphs=tuple(lines), removed=tuple(removed), metadata=ours.metadata)


def decide(
    ours: Sequence[str], ask: Callable[[str], list[str] | None], rule: PeerRule | None = None
) -> tuple[str, list[str]]:
    """Which extraction to keep on a doubtful page, asking the peers (``ask(name)`` gives a
    peer's lines, or None when it failed or found nothing) only as far as needed. Returns the winner's name
    and lines; "ours" means our own.

    >>> peers = {"trafilatura": ["A cat sat on the mat and purred all day long."]}
    >>> decide(["A cat"], peers.get)[0]
    'trafilatura'
    """
    rule = rule or settings.PEER_RULE
    traf = ask("trafilatura")
    if traf is None:
        return "ours", list(ours)
    mine, theirs = Counter(tokens("\n".join(ours))), Counter(tokens("\n".join(traf)))
    if agreement(mine, theirs) >= rule.settle:
        return "ours", list(ours)
    if sum(theirs.values()) + 1 >= rule.outweigh * (sum(mine.values()) + 1):
        return "trafilatura", traf
    other = ask("readability-lxml")
    if other is None:
        return "ours", list(ours)
    candidates = [list(ours), traf, other]
    winner = medoid(candidates)
    return ("ours", "trafilatura", "readability-lxml")[winner], candidates[winner]


def second_opinion(
    html: str, ours: Extraction, rule: PeerRule | None = None, before_each: Callable[[str], None] | None = None
) -> tuple[Extraction, str]:
    """Our extraction of a doubtful page checked against the peers' (see ``PeerRule``): the
    extraction kept, and the name of the extractor it came from. ``before_each(name)`` runs
    before each peer is asked (the pipeline's time budget: it raises when the page is over)."""

    def ask(name: str) -> list[str] | None:
        if before_each is not None:
            before_each(name)
        return ask_peer(name, html)

    winner, lines = decide(ours.paragraphs, ask, rule)
    return (ours, winner) if winner == "ours" else (_as_extraction(ours, lines), winner)

"""The HTML path's tuning settings: one frozen dataclass per concern, each with a module-level
default instance that the code reads at call time. A test swaps an instance
(``monkeypatch.setattr(settings, "EXTRACTION", replace(settings.EXTRACTION, ...))``); facts
about HTML (tag tables, class-word patterns) stay constants in the modules that use them.

Where a number was chosen on the dev corpus, docs/RESULTS.md has what was measured.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class HtmlMarkupLimits:
    """Bounds against markup built to stall the parser or the walk; real pages stay far below
    them, so a page past one is rejected (``markup-too-complex``) or read coarsely."""

    # The HTML parser's time grows with the square of a tag's attributes and of the depth of
    # open elements: a page past these is rejected before parsing (both checks are linear scans).
    max_tag_attributes: int = 3_000
    max_unclosed_elements: int = 3_000
    # Python frames per nesting level are cheap but finite: below this depth the block walk
    # takes a subtree's text whole, as one block (the cap only guards hostile input).
    max_block_depth: int = 300


@dataclass(frozen=True)
class HtmlExtractionConfig:
    """How the article's container is found and which of its blocks are kept (html/extract.py)."""

    # Prose: a block this long (characters) with sentence punctuation reads as running text:
    # about one sentence.
    prose_chars: int = 80
    # Prose links a few words, not most of them (a teaser is mostly its linked headline).
    prose_link_density: float = 0.3
    # A block whose text is more than this share links is a link list (menus, teasers, tags);
    # the middle of the range that scored alike.
    link_density_max: float = 0.5
    # Link text counts this many times against a container, on top of not counting for it.
    # (A fixed cost per block was tried and only lost: tiny blocks without links are mostly
    # captions, list items and subheadings of the article itself.)
    link_weight: float = 1.0
    # An element holding more than this share of the page's text (not counting links) is a
    # wrapper of the article, even when its class has a furniture word. A half: furniture is
    # by nature the smaller part of a page, and comments (the exception) are always trusted.
    wrapper_share: float = 0.5
    # Short lines that are page controls, ad labels or photo credits are looked for up to this
    # length (characters).
    prompt_max_chars: int = 40
    # A page whose best container holds no prose and scores below this (characters of text,
    # less links), and whose linked sentences add up to more, is a listing page: its linked
    # summaries are then text.
    listing_chars: int = 1000
    # A heading matches the page title when its letters (at least this many) are part of it.
    min_title_match: int = 8
    # A sibling of the article's container whose gain is at least this share of the
    # container's joins the article (Readability uses a fifth of the top score for the same step).
    sibling_share: float = 0.2
    # Furniture of these kinds is small: an element holding more text than this (characters,
    # not counting links) is content that merely has the word in its class ("entry author-jane").
    # Sizes: a byline or share bar is a line or two; a site header or menu a few dozen words.
    furniture_max_text: Mapping[str, int] = field(
        default_factory=lambda: MappingProxyType(
            {
                "byline": 300,
                "share-prompt": 300,
                "advertisement": 500,
                "header": 800,
                "navigation": 1000,
                "subscription-prompt": 1000,
            }
        )
    )


@dataclass(frozen=True)
class HtmlMetadataConfig:
    """How far the metadata readers look and what they take (html/metadata.py, html/title.py,
    html/byline.py)."""

    # What is left after cutting a site name must be at least this many words to be a title
    # (Readability's rule of thumb for the same decision; it fits our pages), and a part of at
    # most ``site_max_words`` words at the end is taken for the site or section name.
    min_title_words: int = 5
    site_max_words: int = 4
    # How many of the page's <h1> (or <h2>) elements are compared with its stated titles.
    max_title_headings: int = 3
    # A heading longer than this (characters) is no headline: an <h1> left unclosed holds the
    # page (the corpus's longest gold titles stay well below it).
    max_title_chars: int = 300
    # Lists inside lists deeper than this hold no author worth reading (and a page could nest
    # them a thousand deep to exhaust the stack).
    max_json_ld_depth: int = 8
    # Byline candidate elements examined at most (a page's comment thread can hold hundreds).
    max_byline_candidates: int = 40
    # A byline longer than this is an author box or biography, not a name (multi-author
    # bylines stay well below it).
    max_byline_chars: int = 80
    # A name of more words than this (not counting particles such as "de", "van", "and") is a
    # name run together with a role or a site: "Jane Doe Example News Staff Reporter".
    max_name_words: int = 5
    # How many elements beside the page's heading are read for its byline or date, and the
    # longest dated line (longer is a sentence that mentions a date, not a dateline; the
    # text-dump reader draws the same line for its date marks).
    max_near_heading_nodes: int = 30
    max_date_chars: int = 60


@dataclass(frozen=True)
class PeerRule:
    """When our extraction asks the peers, and how their answers are weighed (html/ensemble.py).

    Chosen by cross-validation and leave-one-dataset-out on the dev corpus
    (``tools/ensemble_cv.py``, which prints the figures; docs/RESULTS.md has them):

    - a page is doubtful when it keeps fewer than ``min_words`` words (short posts, where a
      sidebar blurb, a profile box or one comment can outweigh the article) or less than
      ``min_share`` of the words a reader sees (a small container chosen on a long page);
    - trafilatura is asked first: agreeing with us at ``settle`` (bag-of-words F1) or better
      settles the page as ours;
    - when it finds ``outweigh`` times our words or more and disagrees, ours was a fragment
      of the article (a teaser, a caption, one post of a thread): its extraction is taken;
    - otherwise readability-lxml is asked too and the medoid of the three is kept.
    """

    min_words: int = 100
    min_share: float = 0.4
    settle: float = 0.9
    outweigh: float = 1.5


MARKUP = HtmlMarkupLimits()
EXTRACTION = HtmlExtractionConfig()
METADATA = HtmlMetadataConfig()
PEER_RULE = PeerRule()

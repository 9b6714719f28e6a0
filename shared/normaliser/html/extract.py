"""Article extraction from HTML: the page's main text, what was dropped and why, its metadata.

1. Parse (lexbor), read metadata, strip invisible elements, walk the DOM into text blocks
   (:mod:`normaliser.html.blocks`).
2. Find the article's container: the element whose blocks add up to the most text, where
   link text and blocks under page furniture (nav, footer, comments...) count against it (a
   maximum-gain subtree, in the spirit of Readability's container scoring), narrowed to the
   ``<article>`` that carries the page title when it holds several, widened to siblings that
   carry a good share of the gain. On a listing page (no prose in that container, more text
   in linked summaries) linked sentences count as text and the container is found again.
3. Classify each block: inside the container keep it unless it is furniture, a link list or a
   page control ("Share this"); outside keep only prose in the container's siblings.

Furniture is read from tags, ARIA roles and class/id words; a furniture word on an element
that holds most of the page's text (or too much text for its kind) is ignored, since pages
put words like "author" or "sidebar" on their content wrappers too.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from normaliser.page import Extraction, PageMetadata, RemovedLine

from . import settings
from .blocks import HEADING_TAGS, INVISIBLE_TAGS, Block, BlockPage, page_blocks
from .markup import parse
from .metadata import read_metadata
from .title import letters_only

# Words in class/id/role values that mark page furniture, with the reason reported for blocks
# under such an element. Matched at the start of a word ("site-footer", "navbar", "commentList"),
# so "commentary" or "renavigate" do not match by accident where the words are listed whole.
FURNITURE_HINTS: tuple[tuple[str, str], ...] = (
    ("comments", r"comment(?!ary)|disqus|respond|replies|reactions"),
    ("share-prompt", r"share|sharing|social|sociable|addthis|follow-?us|printfriendly"),
    (
        "related-links",
        r"related|recommend|more-?stories|also-?read|read-?more|readmore|outbrain|taboola|"
        r"trending|most-?(?:read|popular|viewed)|popular|teaser|promo|pagination|pager\b",
    ),
    ("navigation", r"nav|menu|breadcrumb|skip-?link|topbar|jump-?to"),
    ("footer", r"footer|copyright|colophon"),
    ("header", r"masthead|site-?header|page-?header|global-?header|banner|branding"),
    ("sidebar", r"sidebar|side-?bar|widget|rail\b|right-?col|left-?col|column-?right|column-?left"),
    ("advertisement", r"ad\b|ads\b|advert|sponsor|dfp\b|adsense|gpt-?ad"),
    ("subscription-prompt", r"newsletter|subscri|signup|sign-up|paywall|gdpr|cookie|consent|popup|modal"),
    ("byline", r"byline|dateline|author|timestamp|post-?meta|entry-?meta|article-?meta|tags\b|tag-?list"),
)
_FURNITURE = [(reason, re.compile(r"(?<![a-z])(?:" + words + ")")) for reason, words in FURNITURE_HINTS]
_COMMENT = dict(_FURNITURE)["comments"]
# Elements that are furniture by their tag or ARIA role, whatever their class says.
FURNITURE_TAGS = {"nav": "navigation", "footer": "footer", "aside": "sidebar", "header": "header"}
FURNITURE_ROLES = {
    "navigation": "navigation",
    "menu": "navigation",
    "menubar": "navigation",
    "search": "navigation",
    "banner": "header",
    "contentinfo": "footer",
    "complementary": "sidebar",
    "dialog": "subscription-prompt",
    "alertdialog": "subscription-prompt",
}
# Class/id words of article containers; they outweigh a furniture word on the same element.
_ARTICLE_WORDS = re.compile(r"(?<![a-z])(?:article|entry-content|post-?body|story-?body|articlebody|main-?content)")
ARTICLE_TAGS = frozenset({"article", "main"})

# What ends a sentence, in the scripts the pages are written in: prose has it, menus do not.
_SENTENCE_END = re.compile(r"[.!?。！？।؟۔።]")
# Short lines that are page controls, ad labels or photo credits, not text: generic web UI
# phrases (English, the language most such labels are written in even on other pages).
_PROMPT = re.compile(
    r"^\W*(?:advertisements?|sponsored(?: content)?|view this ad|share(?: this)?(?: (?:on|via) \w+)?|tweet|"
    r"e-?mail(?: this)?(?: (?:article|story|page))?|print(?: this)?(?: (?:article|story|page))?|"
    r"read more|see more|show more|load more|view all|more\.\.\.|continue reading|click here|back to top|"
    r"top of page|opens in a new window.*|add to (?:my )?(?:wishlist|cart|basket)|(?:larger|enlarge) (?:picture|image)|"
    r"(?:photo|image|picture)s?(?: credit)?:.*|getty(?: images)?|ap(?: photo)?|reuters|afp|"
    r"comments?(?: \(\d+\))?|leave a (?:comment|reply)|related (?:links|articles|stories))\W*$",
    re.I,
)
# Furniture kinds trusted whatever the size or share of the text they hold (comments: unless
# they are the posts of a thread, see _ThreadShapes).
ALWAYS_FURNITURE = frozenset({"comments"})
# Block elements that hold text but are never the article's container themselves.
LEAF_TAGS = frozenset(
    [
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "dt",
        "dd",
        "pre",
        "figcaption",
        "caption",
        "summary",
        "legend",
        "address",
        "th",
        "option",
    ]
)


def _hint(tag: str, attrs: str) -> str | None:
    """The furniture reason an element's tag, role, class or id gives, or None."""
    reason = FURNITURE_TAGS.get(tag)
    if attrs:
        if tag not in ARTICLE_TAGS and _ARTICLE_WORDS.search(attrs):
            return None
        for word in attrs.split():
            if word in FURNITURE_ROLES:
                return FURNITURE_ROLES[word]
        if reason is None:
            for name, pattern in _FURNITURE:
                if pattern.search(attrs):
                    return name
    return reason


def _is_sentences(block: Block) -> bool:
    return block.chars >= settings.EXTRACTION.prose_chars and bool(_SENTENCE_END.search(block.text))


def _is_prose(block: Block) -> bool:
    return block.link_density <= settings.EXTRACTION.prose_link_density and _is_sentences(block)


def _linked_prose(page: BlockPage) -> int:
    """Characters in blocks of sentences that are mostly links (teasers, summaries)."""
    return sum(block.chars for block in page.blocks if not _is_prose(block) and _is_sentences(block))


def _block_value(block: Block, listing: bool) -> float:
    """What a block adds to its container's claim to be the article: its own text, less its
    link text counted twice (menus and teaser lists); on a listing page a linked block of
    sentences counts as text."""
    if listing and _is_sentences(block):
        return block.chars
    return block.chars - (1 + settings.EXTRACTION.link_weight) * block.link_chars


def _subtree_sums(page: BlockPage, own: list[float]) -> list[float]:
    """Per element, the sum of ``own`` over the element and its descendants. Elements are in
    document order, so every child comes after its parent: one backward pass adds them up."""
    total = own[:]
    elements = page.elements
    for i in range(len(elements) - 1, 0, -1):
        total[elements[i].parent] += total[i]
    return total


def _container_gains(page: BlockPage, hints: list[str | None], listing: bool) -> list[float]:
    """Each element's claim to be the article: the sum of its blocks' values, where everything
    under a furniture element counts against every element above it."""
    elements = page.elements
    own = [0.0] * len(elements)
    negative = [0.0] * len(elements)
    for block in page.blocks:
        own[block.element] += _block_value(block, listing)
        negative[block.element] -= block.chars
    negative = _subtree_sums(page, negative)
    gain = own[:]
    for i in range(len(elements) - 1, -1, -1):
        if hints[i] is not None:
            gain[i] = negative[i]
        if i > 0:
            gain[elements[i].parent] += gain[i]
    return gain


def _trusted_hints(page: BlockPage) -> list[str | None]:
    """Each element's furniture reason, except on wrappers: an element holding more than
    ``wrapper_share`` of the page's text is not furniture whatever its class says
    ("post has-comments", "entry author-jane"). Comments are trusted at any size (a long
    thread under a short post), unless they are posts of a thread (see _ThreadShapes)."""
    elements = page.elements
    own = [0.0] * len(elements)
    for block in page.blocks:
        own[block.element] += block.chars - block.link_chars
    text = _subtree_sums(page, own)
    config = settings.EXTRACTION
    limit = config.wrapper_share * text[0]
    hints: list[str | None] = []
    thread = _ThreadShapes(page)
    for i, el in enumerate(elements):
        hint = None if i == 0 or el.tag in ("body", "html") else _hint(el.tag, el.attrs)
        if hint in ALWAYS_FURNITURE:
            if thread.is_post(el.tag, el.attrs):
                hint = None
        elif hint is not None and text[i] > min(config.furniture_max_text.get(hint, limit), limit):
            hint = None
        hints.append(hint)
    return hints


# A class or id word that names one item (post_2, comment-58824406): not the item's kind.
_NUMBERED = re.compile(r"\d")


class _ThreadShapes:
    """Is a comment element shaped like an element that is no comment (same tag, every
    class/id word but the comment word and item numbers)? Then the page is a thread of posts
    (a forum, a Q&A page) whose replies are its content, not a comment widget under an article.

    The shapes of the page's other elements are collected on the first question (most pages
    have no comment element and never ask), and each answer is kept, so a page of thousands
    of comments costs one test per distinct shape."""

    def __init__(self, page: BlockPage) -> None:
        self._page = page
        self._answers: dict[tuple[str, frozenset[str]], bool] = {}

    @functools.cached_property
    def _shapes(self) -> dict[str, set[frozenset[str]]]:
        shapes: dict[str, set[frozenset[str]]] = {}
        for element in self._page.elements:
            if element.attrs and not _COMMENT.search(element.attrs):
                shapes.setdefault(element.tag, set()).add(frozenset(element.attrs.split()))
        return shapes

    def is_post(self, tag: str, attrs: str) -> bool:
        kind = frozenset(word for word in attrs.split() if not _COMMENT.search(word) and not _NUMBERED.search(word))
        if not kind:
            return False
        key = (tag, kind)
        if key not in self._answers:
            self._answers[key] = any(kind <= shape for shape in self._shapes.get(tag, ()))
        return self._answers[key]


def _titled_article(page: BlockPage, root: int, title: str | None) -> int:
    """When the container holds several ``<article>`` elements (the story followed by excerpts
    of others), the one whose heading is the page's title; else the container itself."""
    elements = page.elements
    articles = [i for i, el in enumerate(elements) if el.tag == "article" and i != root]
    tops = []
    for i in articles:
        chain = page.ancestors(elements[i].parent)
        if root in chain and not any(elements[a].tag == "article" and a != root for a in chain[: chain.index(root)]):
            tops.append(i)
    if len(tops) < 2 or not title:
        return root
    wanted = letters_only(title)
    for block in page.blocks:
        heading = letters_only(block.text) if block.tag in HEADING_TAGS else ""
        if len(heading) >= settings.EXTRACTION.min_title_match and (heading in wanted or wanted in heading):
            chain = page.ancestors(block.element)
            return next((i for i in tops if i in chain), root)
    return root


def _best_container(page: BlockPage, hints: list[str | None], listing: bool) -> tuple[int, list[float]]:
    """The element with the highest gain, and every element's gain. An element inside a
    comment thread is not a candidate: however much text one reader's comment holds, it is
    not the article."""
    inside = _inside_comments(page, hints)
    # A paragraph or list item is a block, not a container, whatever its gain.
    candidates = [i for i, el in enumerate(page.elements) if el.tag not in LEAF_TAGS and not inside[i]]
    gain = _container_gains(page, hints, listing)
    return max(candidates, key=gain.__getitem__, default=0), gain


def _inside_comments(page: BlockPage, hints: list[str | None]) -> list[bool]:
    """Per element: is it, or an element above it, a comment thread?"""
    inside = [hint in ALWAYS_FURNITURE for hint in hints]
    elements = page.elements
    for i in range(1, len(elements)):
        inside[i] = inside[i] or inside[elements[i].parent]
    return inside


def _is_listing(page: BlockPage, root: int, gain: list[float]) -> bool:
    """The best container holds no paragraph and less than a few paragraphs' worth of text
    that is not links, while linked sentences hold more: a listing page (an index of
    stories, each a linked headline and summary), whose summaries are its text."""
    return gain[root] < settings.EXTRACTION.listing_chars <= _linked_prose(page) and not any(
        _is_prose(block) and root in page.ancestors(block.element) for block in page.blocks
    )


@dataclass(frozen=True)
class _Placement:
    """Per element: inside the article, under a sibling of its container, and the nearest
    furniture reason that is not on the container's own chain."""

    inside: list[bool]
    sibling: list[bool]
    furniture: list[str | None]


def _place_elements(page: BlockPage, root: int, gain: list[float], hints: list[str | None]) -> _Placement:
    """Where each element sits relative to the article's container, top-down (parents come
    first). Siblings of the container that carry a good share of its gain continue the
    article (a story split over several divs or table cells; Readability joins siblings
    likewise). Sibling <article>s of an <article> are other stories, never its continuation."""
    elements = page.elements
    root_chain = set(page.ancestors(root))
    parent = elements[root].parent
    is_article = elements[root].tag == "article"
    joins = settings.EXTRACTION.sibling_share * gain[root]
    placement = _Placement([False] * len(elements), [False] * len(elements), [None] * len(elements))
    inside, sibling, furniture = placement.inside, placement.sibling, placement.furniture
    for i, el in enumerate(elements):
        up = el.parent
        if up >= 0:
            inside[i], sibling[i], furniture[i] = inside[up], sibling[up], furniture[up]
        if up == parent and parent >= 0 and not (is_article and el.tag == "article"):
            if gain[i] >= joins or i == root:
                inside[i] = True
            else:
                sibling[i] = True
        elif i == root:
            inside[i] = True
        if hints[i] is not None and i not in root_chain:
            furniture[i] = hints[i]
    return placement


def _block_reason(block: Block, placement: _Placement, listing: bool) -> str | None:
    """Why a block is not the article's, or None when it is."""
    element = block.element
    reason = placement.furniture[element]
    if reason is not None:
        return reason
    config = settings.EXTRACTION
    if block.link_density > config.link_density_max and not (listing and _is_sentences(block)):
        return "link-list"
    if block.chars <= config.prompt_max_chars and _PROMPT.match(block.text):
        return "interface-prompt"
    if not placement.inside[element] and not (placement.sibling[element] and _is_prose(block)):
        return "outside-article"
    return None


def _article_blocks(page: BlockPage, title: str | None = None) -> tuple[list[str], list[RemovedLine]]:
    hints = _trusted_hints(page)
    root, gain = _best_container(page, hints, listing=False)
    listing = _is_listing(page, root, gain)
    if listing:
        root, gain = _best_container(page, hints, listing=True)
    placement = _place_elements(page, _titled_article(page, root, title), gain, hints)
    kept: list[str] = []
    removed: list[RemovedLine] = []
    position = 0  # of the block's first line among all the page's lines (RemovedLine.index)
    for block in page.blocks:
        reason = _block_reason(block, placement, listing)
        if reason is None:
            kept.extend(block.lines)
        else:
            removed.extend(RemovedLine(line, reason, position + n) for n, line in enumerate(block.lines))
        position += len(block.lines)
    return kept, removed


# Without scripts a browser shows what <noscript> holds; some pages put the whole article there.
_NOSCRIPT_SHOWN = [tag for tag in INVISIBLE_TAGS if tag != "noscript"]


def _extract(html: str, invisible: list[str]) -> Extraction:
    tree = parse(html)
    metadata = read_metadata(tree) if tree.root is not None else PageMetadata()
    tree.strip_tags(invisible, recursive=True)
    if tree.root is None:
        return Extraction(paragraphs=(), metadata=metadata)
    page = page_blocks(tree.root)
    kept, removed = _article_blocks(page, metadata.title)
    return Extraction(paragraphs=tuple(kept), removed=tuple(removed), metadata=metadata)


def clean_html(html: str) -> Extraction:
    """The article on an HTML page, every dropped block with its reason, and the metadata.
    A page with no article outside ``<noscript>`` is read as a browser without scripts shows
    it (pages that render with scripts and keep their text in ``<noscript>`` for the rest)."""
    extraction = _extract(html, INVISIBLE_TAGS)
    if not extraction.paragraphs and "noscript" in html.lower():
        shown = _extract(html, _NOSCRIPT_SHOWN)
        if shown.paragraphs:
            return shown
    return extraction


def visible_text(html: str) -> list[str]:
    """Every line of text a reader would see on the page, boilerplate included."""
    tree = parse(html)
    tree.strip_tags(INVISIBLE_TAGS, recursive=True)
    if tree.root is None:
        return []
    return [line for block in page_blocks(tree.root).blocks for line in block.lines]

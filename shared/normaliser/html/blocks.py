"""HTML to text blocks: one walk over the parsed DOM, recording for each run of inline text the
block element that holds it and the features the article finder needs (link text, tag).

Invisible parts of the page (scripts, styles, hidden elements, form controls) never become
blocks, so ``visible_text`` and the article finder see the same lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborNode

from . import settings

# Elements whose content is never visible text. Removed before the walk; lexbor does it in C.
INVISIBLE_TAGS = [
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "iframe",
    "object",
    "embed",
    "canvas",
    "video",
    "audio",
    "select",
    "textarea",
    "button",
    "input",
    "head",
    "title",
    "map",
    "frame",
    "noembed",
    "noframes",
]

# Elements that start and end a block of text (HTML's block-level and table elements).
# Everything else (a, span, b, font, ...) is inline and joins the text around it.
BLOCK_TAGS = frozenset(
    [
        "html",
        "body",
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
        "blockquote",
        "pre",
        "section",
        "article",
        "aside",
        "header",
        "footer",
        "nav",
        "main",
        "figure",
        "figcaption",
        "address",
        "hr",
        "form",
        "fieldset",
        "legend",
        "center",
        "details",
        "summary",
        "menu",
        "dialog",
        "hgroup",
        "frameset",
        "option",
        "optgroup",
        "marquee",
    ]
)
HEADING_TAGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SPACE_RUN = re.compile(r"\s+")


@dataclass
class Element:
    """A block-level element: its tag, its parent element's index and its attributes' words."""

    tag: str
    parent: int
    attrs: str  # class, id, role, itemprop joined, lowercased: what the hints are read from


@dataclass
class Block:
    """A run of text between two block boundaries; ``lines`` split at ``<br>``."""

    lines: list[str]
    element: int  # index of the block element that holds the text
    tag: str
    chars: int
    link_chars: int
    index: int = 0

    @property
    def text(self) -> str:
        return " ".join(self.lines)

    @property
    def link_density(self) -> float:
        return self.link_chars / self.chars if self.chars else 0.0


@dataclass
class BlockPage:
    """The page as blocks in reading order plus the block elements that contain them."""

    blocks: list[Block] = field(default_factory=list)
    elements: list[Element] = field(default_factory=list)

    def ancestors(self, element: int) -> list[int]:
        """The element and its ancestors, nearest first (the root has parent -1)."""
        chain = []
        while element >= 0:
            chain.append(element)
            element = self.elements[element].parent
        return chain


def _is_hidden(attrs: dict[str, str | None]) -> bool:
    if not attrs:
        return False
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    style = attrs.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


class _Walker:
    def __init__(self) -> None:
        self.max_depth = settings.MARKUP.max_block_depth
        self.page = BlockPage()
        self.parts: list[str] = []
        self.link_chars = 0
        self.pre = 0

    def flush(self, element: int) -> None:
        if not self.parts:
            return
        raw = "".join(self.parts)
        self.parts = []
        link_chars, self.link_chars = self.link_chars, 0
        lines = [" ".join(line.split()) for line in raw.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            return
        el = self.page.elements[element]
        chars = sum(len(line) for line in lines)
        self.page.blocks.append(
            Block(lines, element, el.tag, chars, min(link_chars, chars), index=len(self.page.blocks))
        )

    def walk(self, node: LexborNode, element: int, in_link: bool, depth: int) -> None:
        # The recursion stays in this one method: one Python frame per level of nesting.
        child = node.first_child
        while child is not None:
            tag = child.tag
            if tag == "-text":
                self._add_text(child.text_content, in_link)
            elif tag == "br":
                self._line_break(element)
            elif tag is not None and tag[0] not in "-_#!" and not _is_hidden(child.attributes):
                if depth >= self.max_depth:
                    self.parts.append(" " + (child.text(separator=" ") or "") + " ")
                elif tag in BLOCK_TAGS:
                    index = self._open_block(child, tag, element)
                    self.walk(child, index, in_link, depth + 1)
                    self._close_block(tag, index)
                else:
                    self.walk(child, element, in_link or tag == "a", depth + 1)
            child = child.next

    def _add_text(self, text: str | None, in_link: bool) -> None:
        if not text:
            return
        self.parts.append(text if self.pre else text.replace("\n", " "))
        if in_link:
            self.link_chars += len(text.strip())

    def _line_break(self, element: int) -> None:
        """Two breaks in a row end a paragraph (pages laid out with <br><br>); one is a line."""
        parts = self.parts
        j = len(parts) - 1
        while j >= 0 and parts[j] != "\n" and parts[j].isspace():
            j -= 1
        if j >= 0 and parts[j] == "\n":
            self.flush(element)
        else:
            parts.append("\n")

    def _open_block(self, node: LexborNode, tag: str, parent: int) -> int:
        """End the text before a block element and record the element; its index."""
        self.flush(parent)
        attrs = node.attributes
        words = " ".join(v for k in ("class", "id", "role", "itemprop") if (v := attrs.get(k))).lower()
        self.page.elements.append(Element(tag, parent, words))
        if tag == "pre":
            self.pre += 1
        return len(self.page.elements) - 1

    def _close_block(self, tag: str, index: int) -> None:
        if tag == "pre":
            self.pre -= 1
        self.flush(index)


def page_blocks(root: LexborNode) -> BlockPage:
    """Blocks of a parsed page whose invisible elements were already stripped."""
    walker = _Walker()
    walker.page.elements.append(Element(root.tag or "html", -1, ""))
    walker.walk(root, 0, False, 0)
    walker.flush(0)
    return walker.page

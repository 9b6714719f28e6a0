"""Synthetic pages for the benchmarks and the load test: text dumps and HTML of any size,
built from paragraphs written for this project (no third-party text), plus the bad objects
a scraper really produces (empty, binary, truncated gzip, a megabyte on one line).

Pages are deterministic for a given seed, so two runs measure the same bytes.

>>> len(text_dump(4096, seed=1)) <= 4096
True
>>> text_dump(4096, seed=1) == text_dump(4096, seed=1)
True
"""

from __future__ import annotations

import contextlib
import gzip
import html
import random
from dataclasses import dataclass

# Our own prose: typographic quotes, dashes and accented names on purpose, since real pages
# have them and the repair step must look at every one of them.
SENTENCES = (
    "The harbour master opened the lock gates at dawn, an hour earlier than the tide tables suggested.",
    "Fishermen who had waited three days for the wind to drop were out past the breakwater by six.",
    "“We lost a week of work in March,” said Maren Østergaard, who runs the co-operative’s smokehouse.",
    "The council’s transport committee met on Tuesday to discuss the closure of the old ferry slip.",
    "Residents of the lower town have complained for years that the bus stops at the top of the hill.",
    "A survey carried out last autumn found that two thirds of households would use a shuttle service.",
    "The bakery on Quay Street now sells rye loaves made with grain from the farms along the estuary.",
    "Its owner, José Ibáñez, moved here from Valencia in 2009 and learned the recipe from a neighbour.",
    "Rain is expected to spread from the west during the afternoon, clearing by early evening.",
    "Temperatures will stay close to the seasonal average — around 14 °C on the coast, cooler inland.",
    "The footbridge over the Lahn was repainted in a shade of green chosen by a vote of schoolchildren.",
    "Engineers found that the bolts installed in the 1970s were in better condition than anyone expected.",
    "The orchard society counted forty-one varieties of apple in the walled garden behind the church.",
    "Some of the trees are older than the garden wall itself, according to records kept at the parish office.",
    "Volunteers will press the windfalls at the village hall on the last Saturday of the month.",
    "The library extended its opening hours after a campaign led by students from the sixth-form college.",
    "It will now stay open until eight on weekdays and from ten until four on Sundays.",
    "Attendance at the winter lecture series has doubled since the talks moved to the old corn exchange.",
    "The next lecture, on the history of the salt marshes, is already fully booked.",
    "Planning permission for the new boatyard was granted subject to conditions on noise and lighting.",
    "Objectors argued that the floodlights would disturb the wading birds that feed on the mudflats.",
    "The developer agreed to fit shielded lamps and to stop work at the yard before seven in the evening.",
    "Müller’s hardware shop, which has traded on the market square since 1921, will close in December.",
    "The family said that none of the grandchildren wanted to take on the business, “and that is fine.”",
    "A cyclist was treated for minor injuries after a collision with a delivery van on the coast road.",
    "Police have asked witnesses who were near the roundabout shortly after nine to come forward.",
    "The choir’s summer concert raised enough money to repair the organ’s bellows for the first time in decades.",
    "Tickets for the autumn programme go on sale at the tourist office from the first of September.",
    "The ferry timetable changes on Monday: the first crossing leaves at 6.40 and the last at 21.15.",
    "Passengers with bicycles are asked to arrive ten minutes early so that they can board first.",
    "Scientists at the marine station have tagged forty seals to learn where the colony feeds in winter.",
    "Early results suggest the animals travel much further offshore than had been assumed.",
    "The allotment waiting list has fallen to under a year, the shortest it has been since 2015.",
    "New plots were created on land that was once the goods yard of the railway station.",
    "Café owners on the promenade say the late Easter helped, with takings up on last spring.",
    "Several said they would take on extra staff for the summer if the good weather holds.",
)
HEADLINES = (
    "Ferry slip to close for repairs",
    "Harbour opens early as wind drops",
    "Library extends opening hours",
    "Orchard society counts 41 apple varieties",
    "Boatyard approved with conditions on lighting",
    "Seal colony tagged to map winter feeding",
    "Hardware shop to close after a century",
)
# Lines a text dump of a whole page has around the article: menus, share prompts, footers.
BOILERPLATE_TOP = (
    "Skip to content",
    "Home",
    "News",
    "Sport",
    "Weather",
    "What’s on",
    "Contact us",
    "You are here: Home › News › Local",
    "Share this article",
    "By Anna Lindqvist | 3 Comments",
)
BOILERPLATE_BOTTOM = (
    "Share on Facebook",
    "Share on X",
    "Leave a Comment",
    "You may also like",
    "Copyright © 2024 The Riverside Gazette. All rights reserved.",
    "Privacy policy | Terms | Cookies",
)


def paragraph(rng: random.Random) -> str:
    """Three to six sentences. One paragraph in 200 is turned into UTF-8-read-as-cp1252
    mojibake (so about one short page in seven has some), as scraped pages often do."""
    text = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(3, 6)))
    if rng.random() < 1 / 200:
        # A byte cp1252 leaves undefined (e.g. from ”) keeps the paragraph clean.
        with contextlib.suppress(UnicodeDecodeError):
            text = text.encode("utf-8").decode("cp1252")
    return text


def _fill(size: int, head: list[str], tail: list[str], rng: random.Random, wrap: str) -> bytes:
    """``head + paragraphs + tail``, each paragraph wrapped by ``wrap % text``, at most
    ``size`` bytes (UTF-8)."""
    head_bytes = "".join(head).encode("utf-8")
    tail_bytes = "".join(tail).encode("utf-8")
    budget = size - len(head_bytes) - len(tail_bytes)
    parts: list[bytes] = []
    while True:
        chunk = (wrap % paragraph(rng)).encode("utf-8")
        if len(chunk) > budget:
            break
        parts.append(chunk)
        budget -= len(chunk)
    return head_bytes + b"".join(parts) + tail_bytes


def text_dump(size: int, seed: int = 0) -> bytes:
    """A scraper's text dump of a whole page (menus, padding, article, footer), UTF-8, at
    most ``size`` bytes."""
    rng = random.Random(seed)
    head = [f"   {line}   \n" for line in BOILERPLATE_TOP] + [f"\n{rng.choice(HEADLINES)}\n\n"]
    tail = ["\n"] + [f"  {line}\n" for line in BOILERPLATE_BOTTOM]
    return _fill(size, head, tail, rng, "%s\n\n")


def html_page(size: int, seed: int = 0) -> bytes:
    """An HTML page with a head, navigation, an article and a footer, at most ``size`` bytes."""
    rng = random.Random(seed)
    title = rng.choice(HEADLINES)
    nav = "".join(f'<li><a href="/{i}">{html.escape(item)}</a></li>' for i, item in enumerate(BOILERPLATE_TOP[1:7]))
    head = [
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)} | The Riverside Gazette</title>",
        '<meta name="author" content="Anna Lindqvist">',
        '<meta property="article:published_time" content="2024-05-14T08:30:00Z">',
        "<style>body{font-family:serif}</style><script>var pageId=42;</script></head>\n<body>",
        f"<header><nav><ul>{nav}</ul></nav></header>\n<main><article><h1>{html.escape(title)}</h1>",
        '<p class="byline">By Anna Lindqvist</p>\n',
    ]
    tail = [
        '</article>\n<aside><h2>You may also like</h2><ul><li><a href="/a">Ferry timetable changes</a></li></ul>',
        "</aside></main>\n<footer><p>Copyright © 2024 The Riverside Gazette. All rights reserved.</p>",
        "</footer></body></html>\n",
    ]
    return _fill(size, head, tail, rng, "<p>%s</p>\n")


@dataclass(frozen=True)
class DropObject:
    """One object to drop into the raw bucket, and what kind of page it is."""

    key: str
    body: bytes
    kind: str
    content_type: str | None = None
    content_encoding: str | None = None


def bad_objects(seed: int = 0) -> list[DropObject]:
    """One of each bad object the pipeline must reject with a reason (not lose, not crash on).
    The long-line one is about 1.5 MiB; the others are small."""
    rng = random.Random(seed)
    page = text_dump(8192, seed)
    return [
        DropObject("bad/empty.txt", b"", "bad:empty"),
        DropObject("bad/whitespace.txt", b" \n\t\n  ", "bad:whitespace"),
        DropObject("bad/random.bin", rng.randbytes(20_000), "bad:random-bytes"),
        DropObject("bad/image.png", b"\x89PNG\r\n\x1a\n" + rng.randbytes(8_000), "bad:png"),
        DropObject("bad/truncated.txt.gz", gzip.compress(page)[:300], "bad:truncated-gzip"),
        DropObject("bad/nul-heavy.txt", page[:2000].replace(b" ", b"\x00"), "bad:nul-bytes"),
        DropObject("bad/menu-only.txt", "\n".join(BOILERPLATE_TOP + BOILERPLATE_BOTTOM).encode(), "bad:no-article"),
        DropObject("bad/one-long-line.txt", (" ".join(SENTENCES) + " ").encode() * 400, "bad:long-line"),
    ]


def good_objects(count: int, seed: int = 0) -> list[DropObject]:
    """``count`` pages: text dumps and HTML (about two to one), some gzipped, some in
    windows-1252, some under keys with spaces and plus signs (URL-encoded in notifications)."""
    rng = random.Random(seed)
    objects = []
    for i in range(count):
        if i % 3 == 2:
            body = html_page(rng.randint(4_096, 81_920), seed + i)
            objects.append(DropObject(f"html/{i:05d}.html", body, "html", "text/html; charset=utf-8"))
            continue
        body = text_dump(rng.randint(2_048, 40_960), seed + i)
        if i % 25 == 0:
            objects.append(DropObject(f"text/{i:05d}.txt.gz", gzip.compress(body), "text:gzip", "text/plain"))
        elif i % 25 == 1:
            legacy = body.decode("utf-8").encode("cp1252", errors="replace")
            objects.append(DropObject(f"text/{i:05d}.txt", legacy, "text:windows-1252", "text/plain"))
        elif i % 25 == 2:
            objects.append(DropObject(f"text/odd keys/{i:05d} a+b.txt", body, "text:odd-key"))
        else:
            objects.append(DropObject(f"text/{i:05d}.txt", body, "text", "text/plain; charset=utf-8"))
    return objects

"""Where the outputs for a raw object go.

The mapping is deterministic and injective: ``raw/key.html`` gives
``text/raw/key.html.txt`` and ``metadata/raw/key.html.json``. Each ``/``-separated segment
is kept as it is except that ``%`` becomes ``%25`` and the segments that a filesystem or a
URL would resolve (empty, ``.``, ``..``) are spelled ``%``, ``%2E`` and ``%2E%2E``; so no
key can climb out of its prefix and two raw keys never share an output.

S3 keys are at most 1,024 bytes of UTF-8. A raw key near that limit would give output keys
over it, which S3 refuses; such a key's outputs go under ``%long/`` and the SHA-256 of the
raw key instead (``metadata/%long/<hex>.json``; the record names the raw key). No key of
the ordinary mapping starts with that segment, since it spells ``%`` as ``%25``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

TEXT_PREFIX = "text/"
METADATA_PREFIX = "metadata/"

_SPECIAL_SEGMENTS = {"": "%", ".": "%2E", "..": "%2E%2E"}
MAX_KEY_BYTES = 1024
HASHED_SEGMENT = "%long"


def _safe_segment(segment: str) -> str:
    return _SPECIAL_SEGMENTS.get(segment) or segment.replace("%", "%25")


def safe_relative_key(raw_key: str) -> str:
    """The raw key as a relative path that stays inside any prefix it is put under.

    >>> safe_relative_key("news/2024/a b+c.html")
    'news/2024/a b+c.html'
    >>> safe_relative_key("/../etc/passwd")
    '%/%2E%2E/etc/passwd'
    >>> safe_relative_key("100%.txt")
    '100%25.txt'
    """
    return "/".join(_safe_segment(segment) for segment in raw_key.split("/"))


@dataclass(frozen=True)
class OutputKeys:
    text_key: str
    metadata_key: str


def output_keys(raw_key: str) -> OutputKeys:
    """The clean-bucket keys for a raw key.

    >>> output_keys("pages/é x.html")
    OutputKeys(text_key='text/pages/é x.html.txt', metadata_key='metadata/pages/é x.html.json')
    """
    relative = safe_relative_key(raw_key)
    keys = OutputKeys(f"{TEXT_PREFIX}{relative}.txt", f"{METADATA_PREFIX}{relative}.json")
    if max(len(key.encode("utf-8", "surrogatepass")) for key in (keys.text_key, keys.metadata_key)) <= MAX_KEY_BYTES:
        return keys
    digest = hashlib.sha256(raw_key.encode("utf-8", "surrogatepass")).hexdigest()
    return OutputKeys(f"{TEXT_PREFIX}{HASHED_SEGMENT}/{digest}.txt", f"{METADATA_PREFIX}{HASHED_SEGMENT}/{digest}.json")

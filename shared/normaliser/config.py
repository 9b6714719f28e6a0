"""Configuration as one immutable object. Callers build it once (the handler from its
environment, the CLI from its flags) and pass it down; nothing below reads the environment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Format = Literal["auto", "text", "html"]

MIB = 1024 * 1024


@dataclass(frozen=True)
class NormaliserConfig:
    # Pages we see average ~11 KB of text and ~100 KB of HTML (the largest dev page is 1 MB).
    # Peak memory is ~18 bytes per input byte for a text dump (make bench), so 10 MiB keeps
    # the largest accepted page near 190 MB, well inside a 512 MB Lambda.
    max_input_bytes: int = 10 * MIB
    # Decompressed size cap (gzip bombs): the same bound as an uncompressed upload.
    max_decompressed_bytes: int = 10 * MIB
    # A page whose single line is longer than this is not prose (minified data, base64).
    max_line_chars: int = 1 * MIB
    # Wall-clock budget for one page; past it the page is rejected, not the invocation.
    max_seconds_per_page: float = 20.0
    # Run each page in a forked child that is killed past the time budget and may map at most
    # this much memory beyond its parent's (see isolation.py). 320 MiB leaves a 512 MB
    # function room for the warm parent (about 150 MB with boto3 and the pipeline loaded).
    isolate: bool = True
    max_page_memory_bytes: int = 320 * MIB
    format: Format = "auto"
    keep_boilerplate: bool = False
    # On HTML pages whose extraction looks doubtful, also run trafilatura and readability-lxml
    # and keep the extraction the three agree on most (normaliser.html.ensemble). Off: our
    # extractor alone, and neither peer is ever imported.
    peer_extractors: bool = True

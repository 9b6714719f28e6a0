"""Decompression with a hard cap on output size.

The cap is enforced while streaming: no more than ``limit + 1`` bytes of output ever exist,
so a decompression bomb costs a rejection, not the Lambda's memory. Gzip is recognised by
its magic bytes, a ``.gz`` key or ``Content-Encoding: gzip``; zlib and raw deflate only when
Content-Encoding says ``deflate`` (their first bytes are too weak a signal to sniff).
"""

from __future__ import annotations

import re
import zlib

from normaliser.errors import RejectedInput

from . import settings

__all__ = ["decompress"]

_GZIP_MAGIC = b"\x1f\x8b"
_GZIP_WINDOW = 16 + zlib.MAX_WBITS  # wbits for a gzip header and trailer
_ZLIB_WINDOW = zlib.MAX_WBITS
_RAW_DEFLATE_WINDOW = -zlib.MAX_WBITS
_NOT_NUL = re.compile(rb"[^\x00]")


def decompress(data: bytes, *, content_encoding: str | None, key: str, limit: int) -> tuple[bytes, str | None]:
    """Return the payload and the compression found (``None`` if the bytes were plain).

    >>> import gzip
    >>> decompress(gzip.compress(b"hello"), content_encoding=None, key="a.txt", limit=100)
    (b'hello', 'gzip')
    >>> decompress(b"plain", content_encoding=None, key="a.txt", limit=100)
    (b'plain', None)
    """
    encoding = (content_encoding or "").strip().lower()
    if data.startswith(_GZIP_MAGIC) or encoding in ("gzip", "x-gzip") or key.lower().endswith(".gz"):
        if not data.startswith(_GZIP_MAGIC):
            if encoding in ("gzip", "x-gzip"):
                raise RejectedInput("corrupt-compression", f"Content-Encoding {encoding} but no gzip header")
            # A ".gz" key alone is a weak signal: plain bytes under such a name are taken as they are.
            return data, None
        return _inflate_gzip(data, limit), "gzip"
    if encoding == "deflate":
        # HTTP's "deflate" means zlib-wrapped, but many servers send raw deflate: try both.
        window = _ZLIB_WINDOW if _looks_like_zlib(data) else _RAW_DEFLATE_WINDOW
        return _inflate(memoryview(data), 0, window, limit, what="deflate")[0], "deflate"
    return data, None


def _looks_like_zlib(data: bytes) -> bool:
    """A zlib header: compression method 8 and a checksum making the 16 bits a multiple of 31."""
    return len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0


def _inflate_gzip(data: bytes, limit: int) -> bytes:
    """All members of a (possibly multi-member) gzip stream, within ``limit`` in total."""
    out = bytearray()
    view = memoryview(data)
    position = 0
    max_members = settings.COMPRESSION.max_gzip_members
    for _ in range(max_members):
        member, position = _inflate(view, position, _GZIP_WINDOW, limit - len(out), what="gzip")
        out += member
        # Concatenated gzip files form one stream (RFC 1952); trailing NUL padding is common.
        padding = _NOT_NUL.search(data, position)
        if padding is None:
            return bytes(out)
        position = padding.start()
        if not data.startswith(_GZIP_MAGIC, position):
            raise RejectedInput(
                "corrupt-compression", f"{len(data) - position} bytes of trailing garbage after the gzip data"
            )
    raise RejectedInput("corrupt-compression", f"more than {max_members} gzip members in one object")


def _inflate(view: memoryview, position: int, wbits: int, limit: int, *, what: str) -> tuple[bytes, int]:
    """One compressed stream starting at ``position``: (its output, where the next begins).

    ``max_length`` stops zlib at ``limit + 1`` bytes of output: one byte over the limit is
    enough to know the input is too large, and nothing more is ever produced. The input is
    fed a slice at a time, so what zlib copies as ``unused_data`` after a stream's end is at
    most one slice: a stream of many small members stays linear in its size.
    """
    feed_bytes = settings.COMPRESSION.feed_bytes
    inflater = zlib.decompressobj(wbits)
    out = bytearray()
    while not inflater.eof and position < len(view):
        piece = view[position : position + feed_bytes]
        try:
            out += inflater.decompress(piece, limit + 1 - len(out))
        except zlib.error as exc:
            raise RejectedInput("corrupt-compression", f"{what}: {exc}") from exc
        if len(out) > limit:
            raise RejectedInput("decompressed-too-large", f"more than {limit} bytes once decompressed")
        position += len(piece) - len(inflater.unconsumed_tail) - len(inflater.unused_data)
    if not inflater.eof:
        raise RejectedInput("corrupt-compression", f"{what} data is truncated")
    return bytes(out), position

"""Decompression with a hard cap on output size.

The cap is enforced while streaming: no more than ``limit + 1`` bytes of output ever exist,
so a decompression bomb costs a rejection, not the Lambda's memory. Gzip is recognised by
its magic bytes, a ``.gz`` key or ``Content-Encoding: gzip``; zlib and raw deflate only when
Content-Encoding says ``deflate`` (their first bytes are too weak a signal to sniff).
"""

from __future__ import annotations

import zlib

from normaliser.errors import RejectedInput

__all__ = ["decompress"]

_GZIP_MAGIC = b"\x1f\x8b"
_GZIP_WINDOW = 16 + zlib.MAX_WBITS  # wbits for a gzip header and trailer
_ZLIB_WINDOW = zlib.MAX_WBITS
_RAW_DEFLATE_WINDOW = -zlib.MAX_WBITS


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
        return _inflate(data, window, limit, what="deflate")[0], "deflate"
    return data, None


def _looks_like_zlib(data: bytes) -> bool:
    """A zlib header: compression method 8 and a checksum making the 16 bits a multiple of 31."""
    return len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0


def _inflate_gzip(data: bytes, limit: int) -> bytes:
    """All members of a (possibly multi-member) gzip stream, within ``limit`` in total."""
    out = bytearray()
    rest = data
    while True:
        member, rest = _inflate(rest, _GZIP_WINDOW, limit - len(out), what="gzip")
        out += member
        # Concatenated gzip files form one stream (RFC 1952); trailing NUL padding is common.
        rest = rest.lstrip(b"\x00")
        if not rest:
            return bytes(out)
        if not rest.startswith(_GZIP_MAGIC):
            raise RejectedInput("corrupt-compression", f"{len(rest)} bytes of trailing garbage after the gzip data")


def _inflate(data: bytes, wbits: int, limit: int, *, what: str) -> tuple[bytes, bytes]:
    """One compressed stream: (its output, the bytes after it).

    ``max_length`` stops zlib at ``limit + 1`` bytes of output: one byte over the limit is
    enough to know the input is too large, and nothing more is ever produced. Output
    shorter than ``max_length`` means zlib consumed all the input, so one call suffices.
    """
    inflater = zlib.decompressobj(wbits)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise RejectedInput("corrupt-compression", f"{what}: {exc}") from exc
    if len(out) > limit:
        raise RejectedInput("decompressed-too-large", f"more than {limit} bytes once decompressed")
    if not inflater.eof:
        raise RejectedInput("corrupt-compression", f"{what} data is truncated")
    return out, inflater.unused_data

"""Decompression with a hard cap on output size (PLACEHOLDER: to be replaced, keep the API)."""

from __future__ import annotations

import gzip

from .errors import RejectedInput


def decompress(data: bytes, *, content_encoding: str | None, key: str, limit: int) -> tuple[bytes, str | None]:
    """Return the payload and the compression found (``None`` if the bytes were plain)."""
    if data[:2] == b"\x1f\x8b" or key.endswith(".gz") or (content_encoding or "").lower() == "gzip":
        try:
            out = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise RejectedInput("corrupt-compression", str(exc)) from exc
        if len(out) > limit:
            raise RejectedInput("decompressed-too-large", f"more than {limit} bytes")
        return out, "gzip"
    return data, None

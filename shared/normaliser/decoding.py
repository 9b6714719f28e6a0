"""Bytes to text (PLACEHOLDER: to be replaced, keep the API)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    method: str
    declared: str | None = None
    evidence: tuple[str, ...] = ()
    undecodable: int = 0


def decode_bytes(data: bytes, *, content_type_charset: str | None = None, is_html: bool = False) -> DecodedText:
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return DecodedText(data[len(bom):].decode(codec, "replace"), codec, "bom")
    try:
        return DecodedText(data.decode("utf-8"), "utf-8", "utf-8-valid")
    except UnicodeDecodeError:
        return DecodedText(data.decode("windows-1252", "replace"), "windows-1252", "fallback")

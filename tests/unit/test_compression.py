"""Decompression: formats, multi-member gzip, corrupt input, and the hard size cap."""

from __future__ import annotations

import gzip
import zlib
from dataclasses import replace

import pytest
from scaling import GROWTH_LIMIT, growth

from normaliser.decode import settings
from normaliser.decode.compression import decompress
from normaliser.errors import RejectedInput


def _raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


@pytest.mark.parametrize(
    ("data", "content_encoding", "key", "expected"),
    [
        (gzip.compress(b"page"), None, "a.txt", (b"page", "gzip")),  # magic bytes
        (gzip.compress(b"page"), "gzip", "a", (b"page", "gzip")),
        (gzip.compress(b"page"), None, "a.html.gz", (b"page", "gzip")),
        (gzip.compress(b"one ") + gzip.compress(b"two"), None, "a", (b"one two", "gzip")),  # multi-member
        (gzip.compress(b"page") + b"\0\0\0", None, "a", (b"page", "gzip")),  # NUL padding
        (zlib.compress(b"page"), "deflate", "a", (b"page", "deflate")),
        (_raw_deflate(b"page"), "Deflate", "a", (b"page", "deflate")),
        (zlib.compress(b"page"), None, "a", (zlib.compress(b"page"), None)),  # zlib only when declared
        (b"plain text", None, "a.txt.gz", (b"plain text", None)),  # a .gz name alone does not make gzip
        (b"plain", "identity", "a", (b"plain", None)),
    ],
)
def test_decompress(data: bytes, content_encoding: str | None, key: str, expected: tuple[bytes, str | None]) -> None:
    assert decompress(data, content_encoding=content_encoding, key=key, limit=100) == expected


@pytest.mark.parametrize(
    ("data", "content_encoding"),
    [
        (gzip.compress(b"hello world" * 10)[:-6], None),  # truncated
        (gzip.compress(b"page")[:12] + b"garbage", None),
        (gzip.compress(b"page") + b"trailing garbage", None),
        (b"not gzip at all", "gzip"),
        (b"not deflate", "deflate"),
        (zlib.compress(b"page")[:-3], "deflate"),
    ],
)
def test_corrupt_input_is_rejected(data: bytes, content_encoding: str | None) -> None:
    with pytest.raises(RejectedInput) as error:
        decompress(data, content_encoding=content_encoding, key="a", limit=1000)
    assert error.value.reason == "corrupt-compression"


def test_exactly_the_limit_is_accepted() -> None:
    assert decompress(gzip.compress(b"x" * 100), content_encoding=None, key="a", limit=100)[0] == b"x" * 100


@pytest.mark.parametrize("make", [gzip.compress, zlib.compress])
def test_bomb_is_rejected_without_inflating_it(make: object, monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = make(b"\0" * 20_000_000)  # type: ignore[operator]
    produced: list[int] = []
    real = zlib.decompressobj

    def watched(*args: int) -> object:
        inflater = real(*args)  # type: ignore[arg-type]

        class Watch:
            def __getattr__(self, name: str) -> object:
                return getattr(inflater, name)

            def decompress(self, data: bytes, max_length: int = 0) -> bytes:
                out = inflater.decompress(data, max_length)
                produced.append(len(out))
                return out

        return Watch()

    monkeypatch.setattr(zlib, "decompressobj", watched)
    with pytest.raises(RejectedInput) as error:
        decompress(bomb, content_encoding="deflate" if make is zlib.compress else None, key="a", limit=1000)
    assert error.value.reason == "decompressed-too-large"
    assert max(produced) <= 1001


def test_multi_member_total_is_capped() -> None:
    data = gzip.compress(b"x" * 60) + gzip.compress(b"y" * 60)
    with pytest.raises(RejectedInput) as error:
        decompress(data, content_encoding=None, key="a", limit=100)
    assert error.value.reason == "decompressed-too-large"


def test_many_empty_gzip_members_are_rejected_in_linear_time() -> None:
    page = gzip.compress(b"x" * 1000)
    with pytest.raises(RejectedInput, match="gzip members"):
        decompress(page + gzip.compress(b"") * 10_000, content_encoding=None, key="a", limit=1 << 20)

    def run(members: int) -> object:
        return decompress(page + gzip.compress(b"") * members, content_encoding=None, key="a", limit=1 << 20)

    assert run(2_000) == (b"x" * 1000, "gzip")
    assert growth(run, 2_000) < GROWTH_LIMIT


def test_the_member_cap_is_read_from_the_compression_limits_when_decompressing(monkeypatch: pytest.MonkeyPatch) -> None:
    three_members = gzip.compress(b"a") + gzip.compress(b"b") + gzip.compress(b"c")
    assert decompress(three_members, content_encoding=None, key="a", limit=100) == (b"abc", "gzip")
    monkeypatch.setattr(settings, "COMPRESSION", replace(settings.COMPRESSION, max_gzip_members=2))
    with pytest.raises(RejectedInput, match="more than 2 gzip members"):
        decompress(three_members, content_encoding=None, key="a", limit=100)

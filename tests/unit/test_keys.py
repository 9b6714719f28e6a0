from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from normaliser.keys import HASHED_SEGMENT, METADATA_PREFIX, TEXT_PREFIX, output_keys, safe_relative_key


def test_output_keys_keep_the_raw_key_readable() -> None:
    keys = output_keys("news/2024/café menu + prices.html")
    assert keys.text_key == "text/news/2024/café menu + prices.html.txt"
    assert keys.metadata_key == "metadata/news/2024/café menu + prices.html.json"


def test_dot_segments_and_leading_slash_cannot_climb_out_of_the_prefix() -> None:
    for key in ["../secret", "a/../../b", "/abs/path", "./x", "a//b"]:
        segments = output_keys(key).text_key.split("/")
        assert ".." not in segments and "." not in segments and "" not in segments


@given(st.text(min_size=1, max_size=40), st.text(min_size=1, max_size=40))
def test_distinct_raw_keys_never_share_outputs(a: str, b: str) -> None:
    if a != b:
        assert output_keys(a).text_key != output_keys(b).text_key
        assert safe_relative_key(a) != safe_relative_key(b)


@given(st.text(min_size=1, max_size=60))
def test_outputs_always_stay_under_their_prefixes(key: str) -> None:
    keys = output_keys(key)
    assert keys.text_key.startswith(TEXT_PREFIX) and keys.metadata_key.startswith(METADATA_PREFIX)
    assert ".." not in keys.text_key.split("/")


def _s3_bytes(key: str) -> int:
    """A key's length as S3 counts it: bytes of UTF-8, at most 1,024."""
    return len(key.encode("utf-8"))


def test_a_raw_key_at_s3s_limit_gets_hashed_output_keys_within_it() -> None:
    # 1,024 bytes, with `%` (escaped to three characters) and multi-byte letters.
    raw_key = "pages/" + "%é" * 339
    assert _s3_bytes(raw_key) == 1023
    keys = output_keys(raw_key)
    assert _s3_bytes(keys.text_key) <= 1024 and _s3_bytes(keys.metadata_key) <= 1024
    assert keys.metadata_key.startswith(f"{METADATA_PREFIX}{HASHED_SEGMENT}/")
    assert keys != output_keys(raw_key[:-1])


def test_a_key_just_short_enough_keeps_its_readable_outputs() -> None:
    raw_key = "a" * (1024 - len("metadata/") - len(".json"))
    assert output_keys(raw_key).metadata_key == f"metadata/{raw_key}.json"
    assert output_keys(raw_key + "b").metadata_key.startswith(f"{METADATA_PREFIX}{HASHED_SEGMENT}/")


@given(st.text(min_size=1, max_size=1024).filter(lambda key: _s3_bytes(key) <= 1024))
def test_every_key_s3_accepts_gets_output_keys_s3_accepts(key: str) -> None:
    keys = output_keys(key)
    assert _s3_bytes(keys.text_key) <= 1024 and _s3_bytes(keys.metadata_key) <= 1024


def test_no_ordinary_key_maps_into_the_hashed_prefix() -> None:
    hashed_prefix = f"{METADATA_PREFIX}{HASHED_SEGMENT}/"
    assert not output_keys(f"{HASHED_SEGMENT}/{'0' * 64}").metadata_key.startswith(hashed_prefix)

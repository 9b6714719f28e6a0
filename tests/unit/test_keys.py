from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from normaliser.keys import METADATA_PREFIX, TEXT_PREFIX, output_keys, safe_relative_key


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

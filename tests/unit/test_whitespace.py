from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from normaliser.whitespace import normalise_whitespace


def test_padding_nbsp_runs_and_blank_runs_are_removed() -> None:
    text = "Title\u00a0 \r\n\r\n\r\n\r\n\u00a0\u00a0 \u00a0\nBody\u2003text.\u00a0 \n\n\n"
    assert normalise_whitespace(text) == "Title\n\nBody text."


def test_zero_width_and_bom_characters_inside_text_are_dropped() -> None:
    assert normalise_whitespace("\ufeffA\u200bB") == "AB"


def test_decomposed_accents_are_composed() -> None:
    assert normalise_whitespace("Cafe\u0301") == "Café"


@given(st.text())
def test_normalising_twice_changes_nothing(text: str) -> None:
    once = normalise_whitespace(text)
    assert normalise_whitespace(once) == once
    assert "\r" not in once and "\n\n\n" not in once and once == once.strip("\n")

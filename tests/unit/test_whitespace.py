from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from normaliser.repair.whitespace import normalise_line, normalise_whitespace


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


_WHITESPACE_HEAVY = st.text(
    alphabet=st.sampled_from(
        " \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u1680\u2000\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeffaé.\u0301"
    )
)


@given(st.one_of(st.text(), _WHITESPACE_HEAVY))
def test_every_line_ends_as_normalise_line_leaves_it(text: str) -> None:
    # The page is normalised in whole-text passes; each line must come out as the per-line
    # function (the definition) would leave it.
    lines = normalise_whitespace(text).split("\n")
    assert lines == [normalise_line(line) for line in lines]
    assert all(line.strip() == line for line in lines)

"""Repair: data-driven cases, ftfy's own published cases, and differential properties
against ftfy itself (the fast path must change nothing ftfy would not)."""

from __future__ import annotations

import json
import re
import re._constants as sre_constants  # private, but only the test reads ftfy's regex this way
import re._parser as sre_parser
import tarfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import ftfy
import ftfy.badness
import ftfy.chardata
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normaliser.repair import mojibake
from normaliser.repair.mojibake import _SUSPECT, _SUSPECT_OR_ENTITY, ftfy_config, repair_once, repair_text
from normaliser.repair.whitespace import normalise_newlines

CASES_DIR = Path(__file__).parent / "cases"
OUR_CASES = json.loads((CASES_DIR / "repair.json").read_text(encoding="utf-8"))
# ftfy's published cases come from its source distribution on PyPI, which `make venv`
# downloads into .venv/sdists (third-party data stays out of the repository).
FTFY_SDIST = Path(__file__).resolve().parents[2] / ".venv" / "sdists" / f"ftfy-{ftfy.__version__}.tar.gz"


def _ftfy_published_cases() -> list[dict[str, Any]]:
    if not FTFY_SDIST.is_file():
        return []
    with tarfile.open(FTFY_SDIST) as sdist:
        member = sdist.extractfile(f"ftfy-{ftfy.__version__}/tests/test_cases.json")
        return json.load(member) if member else []


FTFY_CASES = _ftfy_published_cases()


def _param(case: dict[str, Any]) -> Any:
    assert case["expect"] in ("pass", "fail", "known-failure")
    marks = [] if case["expect"] == "pass" else [pytest.mark.xfail(strict=True)]
    return pytest.param(case, id=case["label"], marks=marks)


@pytest.mark.parametrize("case", [_param(case) for case in OUR_CASES])
def test_repair_case(case: dict[str, Any]) -> None:
    repaired = repair_once(case["original"])
    assert (repaired.text, repaired.mojibake_repaired) == (case["fixed"], case["mojibake"])
    assert repaired.text == ftfy.fix_text(case["original"], ftfy_config())


def _typography_policy(text: str) -> str:
    """ftfy's defaults fold curly quotes and full-width forms; we keep them. Comparing
    modulo the policy applies the two folds to both sides."""
    return ftfy.fixes.uncurl_quotes(ftfy.fixes.fix_character_width(text))


def _ftfy_param(case: dict[str, Any]) -> Any:
    """ftfy's known failures are strict xfails, except the few that our typography policy
    happens to pass (they fail only on a quote ftfy's defaults would straighten)."""
    ours = _typography_policy(ftfy.fix_text(case["original"], ftfy_config()))
    expect = "fail" if case["expect"] == "fail" and ours != _typography_policy(case["fixed"]) else "pass"
    return _param(case | {"expect": expect})


@pytest.mark.skipif(not FTFY_CASES, reason=f"{FTFY_SDIST.name} not found under .venv/sdists: run `make venv`")
@pytest.mark.parametrize("case", [_ftfy_param(case) for case in FTFY_CASES] or [{}])
def test_ftfy_published_case(case: dict[str, Any]) -> None:
    repaired = repair_once(case["original"]).text
    assert repaired == ftfy.fix_text(case["original"], ftfy_config())
    assert _typography_policy(repaired) == _typography_policy(case["fixed"])


def test_correct_text_is_unchanged_and_needs_no_ftfy() -> None:
    text = "The Mustang’s “pony” — 1½ years… Ünïcödé façade ½ © 2024 ™\nПривет, мир. Καλημέρα κόσμε."
    repaired = repair_text(text)
    assert (repaired.text, repaired.fixes, repaired.mojibake_repaired) == (text, (), False)


def test_fixes_name_each_repair_with_its_line_count() -> None:
    repaired = repair_text("Ã©tÃ©\nplain\nsÃ³lo\nx &amp; y")
    assert repaired.fixes == ("encode latin-1 → decode utf-8 (2 lines)", "unescape_html (1 line)")


# --- the fast path's proof: every way ftfy's badness regex can match needs a suspect character


def _alternatives(pattern: re.Pattern[str]) -> list[list[set[str] | None]]:
    """Each top-level branch of ftfy's BADNESS_RE as the character sets it must match in a
    row (None for \\s, \\w, . and similar)."""
    tree = sre_parser.parse(pattern.pattern, pattern.flags)
    ((op, (_, branches)),) = tree.data
    assert op is sre_constants.BRANCH
    result = []
    for branch in branches:
        sets: list[set[str] | None] = []
        for op, argument in branch.data:
            if op is sre_constants.AT or (op is sre_constants.MAX_REPEAT and argument[0] == 0):
                continue  # anchors and optional parts do not need a character
            if op is sre_constants.LITERAL:
                sets.append({chr(argument)})
            elif op is sre_constants.IN and all(
                item[0] in (sre_constants.LITERAL, sre_constants.RANGE) for item in argument
            ):
                chars: set[str] = set()
                for item_op, value in argument:
                    chars |= (
                        {chr(value)}
                        if item_op is sre_constants.LITERAL
                        else set(map(chr, range(value[0], value[1] + 1)))
                    )
                sets.append(chars)
            else:
                sets.append(None)
        result.append(sets)
    return result


def test_every_mojibake_pattern_of_ftfy_needs_a_suspect_character() -> None:
    for number, sets in enumerate(_alternatives(ftfy.badness.BADNESS_RE)):
        assert any(chars and all(_SUSPECT.match(char) for char in chars) for chars in sets), number


def test_every_character_ftfy_fixers_act_on_is_suspect() -> None:
    acted_on = set(ftfy.chardata.CONTROL_CHARS) | set(ftfy.chardata.LIGATURES) | set(range(0x80, 0xA0))
    acted_on |= {ord(char) for char in "\r\u2028\u2029\x1b"} | set(range(0xD800, 0xE000))
    assert [hex(code) for code in sorted(acted_on) if not _SUSPECT.match(chr(code))] == []


# --- differential properties against ftfy ------------------------------------------------------

_SAMPLES = (
    "café",
    "naïve",
    "Straße",
    "Ελληνικά",
    "русский",
    "Україна",
    "中文字符",
    "日本語のテキスト",
    "한국어",
    "עברית",
    "العربية",
    "ไทย",
    "“quoted”",
    "it’s",
    "—",
    "…",
    "1½",
    "©®™",
    "€£¥",
    "\xa0",
    "Łódź",
    "İstanbul",
    "ﬁ",
    "ｆｕｌｌ",
    "&amp;",
    "&eacute;",
    "&#x2019;",
    "&AMP;",
    "&amp",
    "& ",
    "&#;",
    "&nbsp",
    ";",
    "<b>",
    "\u0085",
    "\u0093",
    "\r",
    "\u2028",
    "\x1b[1m",
    "\ufeff",
    "e\u0301",
)


@st.composite
def _page_text(draw: st.DrawFn) -> str:
    """Lines mixing correct text in many scripts with mojibake made by real round trips."""
    pieces = []
    for _ in range(draw(st.integers(1, 12))):
        piece = draw(st.one_of(st.sampled_from(_SAMPLES), st.text(max_size=8), st.text("ab .,\n", max_size=6)))
        wrong = draw(st.sampled_from([None, "cp1252", "latin-1", "mac_roman", "cp1251", "cp1250", "cp437"]))
        if wrong:
            garbled = piece.encode("utf-8", "surrogatepass").decode(wrong, "replace")
            twice = draw(st.booleans())
            piece = garbled.encode("utf-8", "surrogatepass").decode(wrong, "replace") if twice else garbled
        pieces.append(piece)
    return draw(st.sampled_from(["", " ", "\n"])).join(pieces)


@settings(max_examples=300, deadline=None)
@given(text=_page_text())
def test_fast_path_gives_exactly_what_ftfy_gives(text: str) -> None:
    assert repair_once(text).text == ftfy.fix_text(text, ftfy_config())


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=80))
def test_fast_path_matches_ftfy_on_arbitrary_text(text: str) -> None:
    assert repair_once(text).text == ftfy.fix_text(text, ftfy_config())


@settings(max_examples=150, deadline=None)
@given(text=_page_text())
def test_repair_is_idempotent(text: str) -> None:
    # The pipeline turns CR and CRLF into LF before repair. ftfy itself is not idempotent
    # across a bare CR: it repairs "café\r¬Ä" as one line, then, once the CR is a line
    # break, the "¬Ä" alone on its line (MacRoman for "€") on a second pass.
    once = repair_text(normalise_newlines(text)).text
    assert repair_text(once).text == once


@settings(max_examples=150, deadline=None)
@given(words=st.lists(st.sampled_from(_SAMPLES[:22]), min_size=1, max_size=20), separator=st.sampled_from([" ", "\n"]))
def test_correct_text_in_many_scripts_passes_unchanged(words: list[str], separator: str) -> None:
    text = separator.join(words)
    assert repair_text(text).text == text


def test_long_lines_are_cut_where_ftfy_cuts_them() -> None:
    text = "a" * 999_999 + "Ã©" + "b" * 10 + "\n&amp;<"
    assert repair_once(text).text == ftfy.fix_text(text, ftfy_config())


def test_a_repair_that_makes_a_line_break_is_followed_by_another_pass() -> None:
    # "â€¨" is mojibake of U+2028, which ftfy turns into a line break; only then is the
    # MacRoman mojibake "caf√©" alone on its line, where ftfy recognises it.
    text = "caf\u00e9\u00e2\u20ac\u00a8caf\u221a\u00a9"
    assert repair_once(text).text == "café\ncaf√©"
    assert repair_text(text).text == "café\ncafé"


def test_the_number_of_passes_is_read_from_the_repair_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "caf\u00e9\u00e2\u20ac\u00a8caf\u221a\u00a9"  # needs a second pass (see above)
    monkeypatch.setattr(mojibake, "LIMITS", replace(mojibake.LIMITS, max_passes=1))
    assert repair_text(text).text == "café\ncaf√©"


def test_a_bare_ampersand_is_not_sent_to_ftfy() -> None:
    assert not _SUSPECT_OR_ENTITY.search("Fish & chips; R&D at AT&T")
    assert _SUSPECT_OR_ENTITY.search("Fish &amp; chips")

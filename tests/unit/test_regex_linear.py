"""Every regular expression in the library runs in time linear in its input: each is tried on
hostile input (runs of the characters that patterns backtrack on: separators, spaces, `@`,
signs, letters) and must not take more than about four times as long on four times the input.
A pattern that backtracks is quadratic or worse, and a single line of a page can be a megabyte."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from types import ModuleType

import pytest
from scaling import GROWTH_LIMIT, best_seconds, growth

import normaliser
from normaliser.isolation import run_isolated

# Units repeated into hostile inputs: what patterns of this library match loosely (\s, \S,
# \w, [^...] classes) next to what they need to find (a sign, a separator, a dot).
UNITS = [
    "@",
    "a",
    "a.",
    "a@",
    "1",
    "1.",
    "1/",
    " ",
    "  a",
    "-",
    "a-",
    "_",
    "¡",
    "é",
    "<",
    ">",
    "=",
    "/",
    ":",
    "a:",
    "http://",
    "www.",
    "a ",
    "A ",
    "Aa ",
    "A. ",
    "by ",
    "©",
    "© ",
    "|",
    " |",
    "\t",
    "\n",
    "a\n",
    "'",
    '"',
    "(",
    ")",
    "[",
    "#",
    ".",
    ",",
    "a,",
    "&",
    "&amp;",
    ";",
    "\u200b",
    "%",
    "+",
    "*",
    "!",
    "?",
    "…",
    "—",
    "–",
    "a b.",
    "a.b",
    "@a.",
    "a@b.",
    "<a ",
    'a="b" ',
    "Ab Cd ",
    "By Ab Cd ",
    "12:30 ",
    "2024-01-01 ",
    "a/b/",
    "x.com/",
    "中",
    "Ж",
    "» ",
    " - ",
    "\u00a0",
]
SIZE = 600


def _modules() -> Iterator[ModuleType]:
    for info in pkgutil.walk_packages(normaliser.__path__, "normaliser."):
        if not info.name.endswith("__main__"):
            yield importlib.import_module(info.name)


def _flatten(value: object) -> Iterator[re.Pattern[str] | re.Pattern[bytes]]:
    """The patterns a module-level name holds: itself, or inside a table (tuples, lists, dicts)."""
    if isinstance(value, re.Pattern):
        yield value
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _flatten(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _flatten(item)


def _patterns() -> list[tuple[str, re.Pattern[str] | re.Pattern[bytes]]]:
    found: dict[int, tuple[str, re.Pattern[str] | re.Pattern[bytes]]] = {}
    for module in _modules():
        for name, value in vars(module).items():
            for index, item in enumerate(_flatten(value)):
                found.setdefault(id(item), (f"{module.__name__}.{name}" + (f"[{index}]" if index else ""), item))
    return sorted(found.values(), key=lambda item: item[0])


PATTERNS = _patterns()


def _hostile(pattern: re.Pattern[str] | re.Pattern[bytes], unit: str, size: int) -> str | bytes:
    text = (unit * (size // len(unit) + 1))[:size]
    return text.encode("utf-8") if isinstance(pattern.pattern, bytes) else text


def _scan(pattern: re.Pattern[str] | re.Pattern[bytes], text: str | bytes) -> None:
    pattern.search(text)  # type: ignore[arg-type]
    for _ in pattern.finditer(text):  # type: ignore[arg-type]
        pass


def test_the_library_has_patterns_to_check() -> None:
    assert len(PATTERNS) > 100


def _growth_on_worst_unit(pattern: re.Pattern[str] | re.Pattern[bytes]) -> tuple[float, str]:
    worst = max(UNITS, key=lambda unit: best_seconds(lambda: _scan(pattern, _hostile(pattern, unit, SIZE)), 1))
    return growth(lambda size: _scan(pattern, _hostile(pattern, worst, size)), SIZE), worst


@pytest.mark.parametrize(("name", "pattern"), PATTERNS, ids=[name for name, _ in PATTERNS])
def test_pattern_is_linear_on_hostile_input(name: str, pattern: re.Pattern[str] | re.Pattern[bytes]) -> None:
    # In a child that is killed after a while: a pattern that backtracks badly enough would
    # otherwise hold the test run for minutes.
    outcome = run_isolated(lambda: _growth_on_worst_unit(pattern), seconds=20, memory_bytes=256 << 20)
    assert outcome.value is not None, f"{name}: {outcome.limit or outcome.error} on hostile input of {SIZE} chars"
    ratio, worst = outcome.value
    assert ratio < GROWTH_LIMIT, f"{name} grows {ratio:.0f}x on 4x the input ({worst!r} repeated)"

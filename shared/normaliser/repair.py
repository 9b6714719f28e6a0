"""Mojibake repair with ftfy (PLACEHOLDER: to be replaced, keep the API)."""

from __future__ import annotations

from dataclasses import dataclass

import ftfy


@dataclass(frozen=True)
class Repair:
    text: str
    fixes: tuple[str, ...] = ()
    mojibake_repaired: bool = False


_CONFIG = ftfy.TextFixerConfig(uncurl_quotes=False, fix_latin_ligatures=False, fix_character_width=False,
                               normalization="NFC", explain=True)


def repair_text(text: str) -> Repair:
    fixed, explanation = ftfy.fix_and_explain(text, config=_CONFIG)
    fixes = tuple(step.transformation for step in explanation or ())
    return Repair(fixed, fixes, any(step.action in ("encode", "decode") for step in explanation or ()))

"""Boilerplate removal for text dumps (PLACEHOLDER: keeps every line; to be replaced)."""

from __future__ import annotations

from .page import Extraction


def clean_text_dump(text: str) -> Extraction:
    return Extraction(paragraphs=tuple(line for line in text.split("\n") if line))

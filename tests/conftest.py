"""Shared fixtures: where the material beside the checkout lives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI replays the same examples every run (a red build must mean a change broke something);
# local runs explore new examples each time, and .hypothesis/ remembers any failure found.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

REPO = Path(__file__).resolve().parents[1]
# Third-party pages are read from beside the checkout, never copied into the repository.
SHARED_MATERIAL = Path(os.environ.get("NORMALISER_SHARED", REPO.parent / "shared"))
SEED_DIR = SHARED_MATERIAL / "seed"
CORPUS_DIR = Path(os.environ.get("NORMALISER_CORPUS", SHARED_MATERIAL / "corpus"))


def _missing(message: str) -> None:
    """Skip where the material is absent on a developer's machine; in CI (``CI`` set) its
    absence is a failure, so the quality gate can never pass by not running."""
    if os.environ.get("CI"):
        pytest.fail(message + " (CI must run the quality gate)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def seed_bytes() -> bytes:
    pages = sorted(SEED_DIR.glob("*.txt")) if SEED_DIR.is_dir() else []
    if not pages:
        _missing(f"seed page not found under {SEED_DIR}; set NORMALISER_SHARED to the material folder")
    return pages[0].read_bytes()


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not (CORPUS_DIR / "dev").is_dir():
        _missing(f"corpus not found at {CORPUS_DIR}; set NORMALISER_CORPUS to run the quality gate")
    return CORPUS_DIR

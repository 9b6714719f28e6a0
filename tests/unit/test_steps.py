"""The pipeline as named steps: each step's run is noted (outside the record), the time
limit is checked between every two steps, and every reason a page or a line can carry is
registered in normaliser.reasons."""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import pytest

from normaliser import steps
from normaliser.config import NormaliserConfig
from normaliser.errors import RejectedInput
from normaliser.html import extract
from normaliser.meta import phrases
from normaliser.page import Extraction, RemovedLine
from normaliser.pipeline import OutputLocation, SourceObject, normalise_page
from normaliser.reasons import Reason, Removal, Status

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
OUTPUT = OutputLocation(None, "out.txt", "out.json")
SAMPLE_PAGES = sorted(path for path in SAMPLES.iterdir() if path.is_file())


@pytest.mark.parametrize("path", SAMPLE_PAGES, ids=lambda path: path.name)
def test_each_step_is_noted_in_order_and_the_result_pickles(path: Path) -> None:
    page = normalise_page(path.read_bytes(), SourceObject(key=path.name), OUTPUT, NormaliserConfig())
    assert page.status == Status.NORMALISED
    names = [run.name for run in page.steps]
    branch = steps.HTML_STEPS if page.metadata["format"] == "html" else steps.TEXT_STEPS
    assert names == [name for name, _ in steps.COMMON_STEPS + branch]
    assert all(run.seconds >= 0 for run in page.steps)
    # The last step hands on the article's lines; the first is given the object's bytes.
    assert (page.steps[0].unit, page.steps[0].size_in) == ("bytes", path.stat().st_size)
    assert (page.steps[-1].unit, page.steps[-1].size_out) == ("lines", page.metadata["stats"]["lines_out"])
    # The notes stay out of the record, and survive the trip back from the isolated child.
    assert "steps" not in json.loads(page.metadata_bytes())
    assert pickle.loads(pickle.dumps(page)).steps == page.steps


def test_the_time_limit_is_checked_between_the_first_two_steps() -> None:
    page = normalise_page(
        b"A page of text.\n", SourceObject(key="page.txt"), OUTPUT, NormaliserConfig(max_seconds_per_page=0)
    )
    assert (page.status, page.reason) == ("rejected", "time-limit")
    assert [run.name for run in page.steps] == [steps.COMMON_STEPS[0][0]]
    assert f"before {steps.COMMON_STEPS[1][0]}" in (page.metadata["detail"] or "")


def test_status_and_reasons_are_written_as_their_slugs() -> None:
    page = normalise_page(b"", SourceObject(key="empty.txt"), OUTPUT)
    assert b'"status":"rejected","reason":"empty"' in page.metadata_bytes()
    assert type(page.metadata["status"]) is str and type(page.metadata["reason"]) is str


def test_a_rejection_reason_must_be_registered() -> None:
    assert RejectedInput("too-large", "x").reason is Reason.TOO_LARGE
    with pytest.raises(ValueError, match="not-a-registered-reason"):
        RejectedInput("not-a-registered-reason", "x")


def test_every_removal_reason_either_path_names_is_registered() -> None:
    named = set(phrases.KINDS) | {reason for reason, _ in extract.FURNITURE_HINTS}
    named |= set(extract.FURNITURE_TAGS.values()) | set(extract.FURNITURE_ROLES.values())
    assert named <= set(Removal)


def test_an_unregistered_removal_reason_fails_the_page_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    def clean_with_a_new_reason(html: str) -> Extraction:
        return Extraction(("Some article text.",), (RemovedLine("Menu", "made-up-reason", 0),))

    monkeypatch.setattr(steps, "clean_html", clean_with_a_new_reason)
    page = normalise_page(b"<p>Some article text.</p>", SourceObject(key="page.html"), OUTPUT)
    assert (page.status, page.reason) == (Status.FAILED, Reason.INTERNAL_ERROR)
    assert "made-up-reason" in (page.metadata["detail"] or "")


def test_the_readme_output_contract_lists_every_rejection_reason() -> None:
    readme = (SAMPLES.parent / "README.md").read_text(encoding="utf-8")
    contract = next(line for line in readme.splitlines() if line.startswith("| `reason`"))
    assert set(Reason) <= set(re.findall(r"`([a-z-]+)`", contract))

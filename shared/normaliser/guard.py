"""Bounds on the work one page may take, so a pathological page costs a rejection, not the
invocation. Sizes are checked before the work; time is checked between steps."""

from __future__ import annotations

import time

from .errors import RejectedInput


class Deadline:
    """A wall-clock budget, checked cooperatively between pipeline steps."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._ends = time.monotonic() + seconds

    def check(self, step: str) -> None:
        if time.monotonic() > self._ends:
            raise RejectedInput(
                "time-limit", f"over {self.seconds:g}s, stopped before {step}; raise MAX_SECONDS_PER_PAGE to allow it"
            )


def too_large(size: int, limit: int, what: str = "the object") -> RejectedInput:
    return RejectedInput(
        "too-large", f"{what} is {size} bytes, over the {limit}-byte limit; raise MAX_INPUT_BYTES to accept it"
    )


def check_size(size: int, limit: int, what: str) -> None:
    if size > limit:
        raise too_large(size, limit, what)


def check_line_lengths(lines: list[str], limit: int) -> None:
    longest = max(map(len, lines), default=0)
    if longest > limit:
        raise RejectedInput("line-too-long", f"a line of {longest} characters (limit {limit}): not prose")

"""The one exception the library raises for input it will not normalise."""

from __future__ import annotations

from .reasons import Reason


class RejectedInput(Exception):
    """The input cannot be normalised; ``reason`` is a stable slug for metrics and metadata,
    one of :class:`~normaliser.reasons.Reason` (anything else raises ``ValueError``)."""

    def __init__(self, reason: Reason | str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = Reason(reason)
        self.detail = detail

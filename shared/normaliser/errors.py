"""The one exception the library raises for input it will not normalise."""


class RejectedInput(Exception):
    """The input cannot be normalised; ``reason`` is a stable slug for metrics and metadata."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail

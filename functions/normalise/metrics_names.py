"""The names of the metrics the handler emits (EMF, namespace TextNormaliser, dimension
``service``). template.yaml charts and alarms on them by name, and tests/template checks it
does for every name here: add a metric here, then to the dashboard."""

from __future__ import annotations

from typing import Final

PAGES_NORMALISED: Final = "PagesNormalised"
PAGES_REJECTED: Final = "PagesRejected"  # also once more with a ``Reason`` dimension
PAGES_FAILED: Final = "PagesFailed"
PAGES_SKIPPED_AS_DUPLICATE: Final = "PagesSkippedAsDuplicate"
RECORD_CONFLICTS: Final = "RecordConflicts"
EVENTS_MALFORMED: Final = "EventsMalformed"
BYTES_IN: Final = "BytesIn"
BYTES_OUT: Final = "BytesOut"
LINES_REMOVED: Final = "LinesRemoved"
ENCODINGS_REPAIRED: Final = "EncodingsRepaired"
PROCESSING_TIME: Final = "ProcessingTime"

HANDLER_METRICS: Final = (
    PAGES_NORMALISED,
    PAGES_REJECTED,
    PAGES_FAILED,
    PAGES_SKIPPED_AS_DUPLICATE,
    RECORD_CONFLICTS,
    EVENTS_MALFORMED,
    BYTES_IN,
    BYTES_OUT,
    LINES_REMOVED,
    ENCODINGS_REPAIRED,
    PROCESSING_TIME,
)
# The dimension of the second PagesRejected line.
REASON_DIMENSION: Final = "Reason"

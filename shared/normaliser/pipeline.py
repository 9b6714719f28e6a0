"""The pipeline: raw object bytes to a normalised article and its metadata record.

A page goes through the named steps of ``COMMON_STEPS``, then ``HTML_STEPS`` or
``TEXT_STEPS`` (:mod:`normaliser.steps`), which fill in a :class:`Trace`; this module
sequences them and turns the outcome into a :class:`NormalisedPage` whose record
(:class:`PageRecord`, :mod:`normaliser.record`) is written as the page's metadata.
"""

from __future__ import annotations

import logging

from .config import NormaliserConfig
from .errors import RejectedInput
from .guard import Deadline
from .html.ensemble import load_peers
from .isolation import can_isolate, run_isolated
from .page import Extraction
from .reasons import Reason, Status
from .record import NormalisedPage, OutputLocation, SourceObject, Trace, build_record
from .steps import COMMON_STEPS, HTML_STEPS, TEXT_STEPS, Work, run_steps

# The page's types are defined in normaliser.record; callers import them from here with the
# functions that make them.
__all__ = [
    "DEFAULT_CONFIG",
    "NormalisedPage",
    "OutputLocation",
    "SourceObject",
    "normalise_page",
    "normalise_page_bounded",
    "reject_page",
]

logger = logging.getLogger(__name__)

DEFAULT_CONFIG = NormaliserConfig()


def _extract(data: bytes, source: SourceObject, config: NormaliserConfig, trace: Trace) -> Extraction:
    work = Work(source, config, trace, data, Deadline(config.max_seconds_per_page))
    run_steps(work, COMMON_STEPS)
    run_steps(work, HTML_STEPS if trace.format == "html" else TEXT_STEPS)
    return work.current_extraction()


def normalise_page(
    data: bytes, source: SourceObject, output: OutputLocation, config: NormaliserConfig = DEFAULT_CONFIG
) -> NormalisedPage:
    """Normalise one raw object. Never raises: a page that cannot be normalised comes back
    with ``status="rejected"`` (bad input) or ``"failed"`` (a bug) and a ``reason``."""
    trace = Trace()
    try:
        extraction = _extract(data, source, config, trace)
        if not extraction.paragraphs:
            detail = "no line of the page looks like article text"
            return _ended(source, output, trace, len(data), Reason.NO_ARTICLE, detail, extraction)
        text = "\n".join(extraction.paragraphs) + "\n"
        record = build_record(
            source, output, trace, status=Status.NORMALISED, extraction=extraction, text=text, data_size=len(data)
        )
    except RejectedInput as exc:
        return _ended(source, output, trace, len(data), exc.reason, exc.detail)
    except Exception as exc:  # a bug of ours, not bad input: recorded, since retrying cannot help
        logger.exception("normaliser failed on %s", source.key)
        return _ended(source, output, trace, len(data), Reason.INTERNAL_ERROR, f"{type(exc).__name__}: {exc}")
    return NormalisedPage(Status.NORMALISED, record, text=text, steps=tuple(trace.steps))


def _ended(
    source: SourceObject,
    output: OutputLocation,
    trace: Trace,
    data_size: int,
    reason: Reason,
    detail: str | None,
    extraction: Extraction | None = None,
) -> NormalisedPage:
    """A page that ended without an article: rejected for ``reason``, or failed when the
    reason is an internal error (a bug of ours)."""
    status = Status.FAILED if reason == Reason.INTERNAL_ERROR else Status.REJECTED
    record = build_record(
        source, output, trace, status=status, reason=reason, detail=detail, data_size=data_size, extraction=extraction
    )
    return NormalisedPage(status, record, steps=tuple(trace.steps))


def normalise_page_bounded(
    data: bytes, source: SourceObject, output: OutputLocation, config: NormaliserConfig = DEFAULT_CONFIG
) -> NormalisedPage:
    """:func:`normalise_page` under hard bounds: in a forked child killed past
    ``max_seconds_per_page`` (plus a second, so the cooperative deadline answers first when it
    can) and capped at ``max_page_memory_bytes``; past either, the page is rejected with
    ``time-limit`` or ``memory-limit``. Runs in-process when ``config.isolate`` is off or the
    platform cannot fork."""
    if not (config.isolate and can_isolate()):
        return normalise_page(data, source, output, config)
    outcome = run_isolated(
        lambda: normalise_page(data, source, output, config),
        seconds=config.max_seconds_per_page + 1,
        memory_bytes=config.max_page_memory_bytes,
    )
    if outcome.value is not None:
        if config.peer_extractors and outcome.value.metadata["format"] == "html":
            # What a child imports is lost with it: the parent loads the HTML peers once, so
            # that later children inherit them (only processes that see HTML pay for them).
            load_peers()
        return outcome.value
    if outcome.limit == Reason.TIME_LIMIT:
        detail = f"{outcome.detail}; raise MAX_SECONDS_PER_PAGE to allow it"
        return reject_page(source, output, RejectedInput(Reason.TIME_LIMIT, detail), data_size=len(data))
    if outcome.limit == Reason.MEMORY_LIMIT:
        detail = f"{outcome.detail} ({config.max_page_memory_bytes} bytes); raise MAX_PAGE_MEMORY_BYTES to allow it"
        return reject_page(source, output, RejectedInput(Reason.MEMORY_LIMIT, detail), data_size=len(data))
    logger.error("normaliser process failed on %s: %s", source.key, outcome.error)
    return _ended(source, output, Trace(), len(data), Reason.INTERNAL_ERROR, outcome.error or "unknown")


def reject_page(
    source: SourceObject, output: OutputLocation, rejection: RejectedInput, data_size: int | None = None
) -> NormalisedPage:
    """The record for an object that was never read (gone, or over the size limit), or whose
    processing was stopped (``data_size``: the bytes it had)."""
    size = source.size or 0 if data_size is None else data_size
    return _ended(source, output, Trace(), size, rejection.reason, rejection.detail)

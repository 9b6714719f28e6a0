"""Text normaliser for scraped web pages: decode, repair, trim whitespace, strip boilerplate.

The package is pure (no AWS imports) and is shipped to Lambda as a layer. Its stages are
sub-packages, in the order a page goes through them: ``decode`` (bytes to text), ``repair``
(mojibake, whitespace), ``text`` (text dumps) or ``html`` (HTML pages), with ``meta`` (dates,
names, phrases) shared by both; :mod:`normaliser.pipeline` runs them as the named steps of
:mod:`normaliser.steps`, which produce the record of :mod:`normaliser.record`. The public API
is importable from here; it is loaded on first use, so importing ``normaliser.keys`` (as the
handler does at cold start) does not load the pipeline.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
PIPELINE_VERSION = f"normaliser/{__version__}"

_PUBLIC = {
    "normalise_page": "pipeline",
    "reject_page": "pipeline",
    "NormalisedPage": "record",
    "SourceObject": "record",
    "OutputLocation": "record",
    "NormaliserConfig": "config",
    "RejectedInput": "errors",
    "Status": "reasons",
    "Reason": "reasons",
    "Removal": "reasons",
    "output_keys": "keys",
    "decode_bytes": "decode.decoder",
    "repair_text": "repair.mojibake",
    "normalise_whitespace": "repair.whitespace",
    "clean_text_dump": "text.boilerplate",
    "clean_html": "html.extract",
}
__all__ = [  # noqa: RUF022 (the order of _PUBLIC: pipeline first, then the stages)
    "PIPELINE_VERSION",
    "__version__",
    "normalise_page",
    "reject_page",
    "NormalisedPage",
    "SourceObject",
    "OutputLocation",
    "NormaliserConfig",
    "RejectedInput",
    "Status",
    "Reason",
    "Removal",
    "output_keys",
    "decode_bytes",
    "repair_text",
    "normalise_whitespace",
    "clean_text_dump",
    "clean_html",
]

if TYPE_CHECKING:
    from .config import NormaliserConfig
    from .decode.decoder import decode_bytes
    from .errors import RejectedInput
    from .html.extract import clean_html
    from .keys import output_keys
    from .pipeline import normalise_page, reject_page
    from .reasons import Reason, Removal, Status
    from .record import NormalisedPage, OutputLocation, SourceObject
    from .repair.mojibake import repair_text
    from .repair.whitespace import normalise_whitespace
    from .text.boilerplate import clean_text_dump


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'normaliser' has no attribute {name!r}")
    return getattr(import_module(f".{module}", __name__), name)

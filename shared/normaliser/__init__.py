"""Text normaliser for scraped web pages: decode, repair, trim whitespace, strip boilerplate.

The package is pure (no AWS imports) and is shipped to Lambda as a layer. The entry point
for callers is :func:`normaliser.pipeline.normalise_page`.
"""

__version__ = "0.1.0"
PIPELINE_VERSION = f"normaliser/{__version__}"

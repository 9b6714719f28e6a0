"""Text dumps: measured lines, the boilerplate model, the cleaner, and the title, byline and
date read from the lines around the article."""

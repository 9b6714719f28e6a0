"""HTML pages: visible blocks, the article among them, and what the page says about itself."""

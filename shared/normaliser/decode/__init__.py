"""Raw bytes to text: compression, the page's format, charset labels, encoding detection."""

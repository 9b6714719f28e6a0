"""Text to text: mojibake repair (ftfy, keeping the publisher's typography) and whitespace."""

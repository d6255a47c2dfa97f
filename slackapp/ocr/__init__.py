"""Reading the text off a screenshot, on this server: Tesseract, offline, bounded."""

"""What the app answers a shared SSI page with: the preview of what it read, and the
refusal of what isn't a page."""

"""LinkedIn's SSI page as people share it: a paste of the page, the text read off a
screenshot, or the page's own JSON, read into what the page shows."""

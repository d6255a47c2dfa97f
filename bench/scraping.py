"""A Prometheus stand-in for the benchmarks: ``/metrics`` fetched every ``interval`` seconds
while a load runs (Prometheus scrapes every 15 to 60 s; once a second is the hard case)."""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def scraping(url: str, interval: float = 1.0) -> Iterator[list[int]]:
    """Scrape ``url`` until the block ends; the list holds each scrape's size in bytes."""
    sizes: list[int] = []
    done = threading.Event()

    def scrape() -> None:
        while not done.wait(interval):
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:
                    sizes.append(len(answer.read()))
            except OSError:
                pass  # not up yet, or going down: the next one counts

    thread = threading.Thread(target=scrape, name="scraper", daemon=True)
    thread.start()
    try:
        yield sizes
    finally:
        done.set()
        thread.join(timeout=10)

"""The text of a screenshot, read by Tesseract (Debian's ``tesseract-ocr`` with the data of
our five languages; no model is downloaded, no picture leaves the server, none is kept).

Bounded before and during the work: a file over ``MAX_BYTES`` is never fetched (the caller
checks Slack's size), a picture over ``MAX_PIXELS`` or of another format is refused from its
header before it is decoded, and Tesseract gets ``SECONDS`` to finish. At most ``AT_ONCE``
pictures are read at a time, each by one thread of a lowered priority, so a few dozen
screenshots never take the cores that answer ``/ssi``; past ``WAITING`` the next is turned
away at once."""

from __future__ import annotations

import contextvars
import io
import logging
import os
import subprocess
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from models.domain.languages import Language
from slackapp.metrics.instruments import SCREENSHOTS

log = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
SECONDS = 30.0
AT_ONCE = 1
WAITING = 20
FORMATS = ("PNG", "JPEG", "WEBP")
# Tesseract's data per language; English always (LinkedIn in English, whatever Slack says).
TESSERACT_LANGUAGES = {
    Language.EN: "eng",
    Language.DE: "eng+deu",
    Language.ES: "eng+spa",
    Language.IT: "eng+ita",
    Language.NL: "eng+nld",
}


class NotRead(Exception):
    """The picture wasn't read: ``reason`` is ``"too large"``, ``"not a picture"``,
    ``"too slow"``, ``"busy"`` or ``"failed"``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def check_picture(content: bytes) -> None:
    """Refuse what isn't a PNG, JPEG or WebP of at most ``MAX_PIXELS``, from its header
    alone (nothing is decoded). Raises ``NotRead``."""
    if len(content) > MAX_BYTES:
        raise NotRead("too large")
    # Imported here, on the first picture: the process answering /ssi never loads Pillow
    # for it (about 4 MB of its memory).
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content)) as image:  # reads the header only
            width, height, kind = image.width, image.height, image.format
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise NotRead("not a picture") from None
    if kind not in FORMATS:
        raise NotRead("not a picture")
    if width * height > MAX_PIXELS:
        raise NotRead("too large")


_READERS: weakref.WeakSet[PictureReader] = weakref.WeakSet()


def close_all() -> None:
    """Every reader in the process reads nothing more (it is stopping): a stop never waits
    for the pictures queued (Python would otherwise finish them all before exiting)."""
    for reader in list(_READERS):
        reader.close()


class PictureReader:
    """Reads pictures on a thread of its own, ``AT_ONCE`` at a time, so that Bolt's
    workers (which open forms and send answers) never wait on Tesseract; at most
    ``WAITING`` pictures queue, the next is turned away at once."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=AT_ONCE, thread_name_prefix="screenshots")
        self._lock = threading.Lock()
        self._waiting = 0
        _READERS.add(self)

    def read_later(
        self, content: bytes, language: Language, then: Callable[[str | NotRead], None]
    ) -> None:
        """Check ``content`` now (raises ``NotRead``), read it later and call ``then`` with
        the text or the reason it wasn't read, in the caller's context (its language)."""
        check_picture(content)
        with self._lock:
            if self._waiting >= WAITING:
                raise NotRead("busy")
            self._waiting += 1

        def read() -> None:
            result: str | NotRead
            started = time.monotonic()
            try:
                result = _tesseract(content, TESSERACT_LANGUAGES[language])
            except NotRead as why:
                result = why
            finally:
                with self._lock:
                    self._waiting -= 1
            outcome = result.reason if isinstance(result, NotRead) else "read"
            SCREENSHOTS.labels(outcome.replace(" ", "_")).observe(time.monotonic() - started)
            try:
                then(result)
            except Exception:  # nobody else would hear of it: the future is never read
                log.exception("answering a screenshot failed")

        self._pool.submit(contextvars.copy_context().run, read)

    def close(self) -> None:
        """Read nothing more: the pictures waiting are dropped (the process is stopping)."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    def idle(self, timeout: float = 60.0) -> bool:
        """Wait until no picture is waiting or being read (tests, benchmarks)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if not self._waiting:
                    return True
            time.sleep(0.02)
        return False


def _tesseract(content: bytes, languages: str) -> str:
    # --psm 4: one column of text of variable sizes, as the page's cards are; one thread
    # (OMP_THREAD_LIMIT), at a lower priority than the process answering Slack.
    command = ["nice", "-n", "10", "tesseract", "stdin", "stdout", "-l", languages, "--psm", "4"]
    try:
        done = subprocess.run(
            command,
            input=content,
            capture_output=True,
            timeout=SECONDS,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise NotRead("too slow") from None
    except OSError:  # Tesseract isn't installed
        raise NotRead("failed") from None
    if done.returncode != 0:
        raise NotRead("failed")
    return done.stdout.decode("utf-8", errors="replace")

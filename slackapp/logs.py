"""Logs as one JSON object per line: time, level, logger, message, the workspace it concerns,
and the error if any. Never a token: anything shaped like a Slack token is masked wherever it
appears, message or field, as a last line of defence behind code that doesn't log them.

The workspace comes from ``extra={"workspace": ...}`` or, inside a Slack request, from the
request itself (``slackapp.slack.pipeline.understand`` sets it for the listener's thread).
"""

from __future__ import annotations

import json
import logging
import re
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TextIO

TOKEN = re.compile(r"\bxox[a-z]-[A-Za-z0-9-]+")
current_workspace: ContextVar[str | None] = ContextVar("current_workspace", default=None)

# LogRecord's own attributes: everything else on a record came in through ``extra``.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def redact(text: str) -> str:
    return TOKEN.sub(lambda m: m.group(0)[:5] + "…(redacted)", text)


class JsonFormatter(logging.Formatter):
    """One line of JSON per record."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        workspace = getattr(record, "workspace", None) or current_workspace.get()
        if workspace:
            line["workspace"] = workspace
        for key, value in vars(record).items():
            if key not in _STANDARD and key != "workspace":
                line[key] = value
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return redact(json.dumps(line, default=str, ensure_ascii=False))


class TextFormatter(logging.Formatter):
    """For people at a terminal: the same fields as words, tokens masked too."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        workspace = getattr(record, "workspace", None) or current_workspace.get()
        return redact(f"{text} workspace={workspace}" if workspace else text)


class StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to ``sys.stderr`` as it is when a line is written, as ``logging.lastResort``
    does: a thread logging after ``sys.stderr`` was swapped (a test's capture, closed since)
    writes to the current one instead of failing with "--- Logging error ---"."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _: TextIO) -> None:
        pass


def configure_logging(level: str, log_format: str = "json") -> None:
    """Route every logger (uvicorn's too) through one handler on the root logger."""
    handler = StderrHandler()
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True

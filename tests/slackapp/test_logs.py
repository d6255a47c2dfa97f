"""Logs: one JSON object per line with the workspace it concerns, and never a token, even
when a token finds its way into a message, a field or a traceback."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from slackapp.devtools.fake_slack.calls import Fault
from slackapp.logs import JsonFormatter, TextFormatter, redact
from slackapp.slack.pipeline.person_language import PersonLanguage
from tests.conftest import RunningApp

TOKEN = "xoxb-1234-5678-abcdefABCDEF"


@pytest.fixture
def lines() -> Iterator[io.StringIO]:
    """What the root logger writes, in JSON, while the test runs."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.INFO)
    yield out
    root.removeHandler(handler)
    root.setLevel(level)


def record(message: str, *args: object, **extra: object) -> logging.LogRecord:
    made = logging.LogRecord("slackapp.test", logging.WARNING, __file__, 1, message, args, None)
    made.__dict__.update(extra)
    return made


def test_a_record_is_one_json_line_with_its_workspace() -> None:
    line = JsonFormatter().format(record("posting %s failed", "board", workspace="T0ACME"))
    data = json.loads(line)
    assert "\n" not in line
    assert (data["level"], data["logger"], data["message"], data["workspace"]) == (
        "WARNING",
        "slackapp.test",
        "posting board failed",
        "T0ACME",
    )


def test_tokens_are_masked_everywhere() -> None:
    try:
        raise RuntimeError(f"auth failed for {TOKEN}")
    except RuntimeError:
        import sys

        failing = record("token %s rejected", TOKEN, header=f"Bearer {TOKEN}")
        failing.exc_info = sys.exc_info()
    for formatter in (JsonFormatter(), TextFormatter()):
        text = formatter.format(failing)
        assert "xoxb-1234" not in text and "xoxb-…(redacted)" in text
    assert redact("xoxe-1-abc and xoxp-9") == "xoxe-…(redacted) and xoxp-…(redacted)"


def test_request_logs_name_the_workspace_and_hold_no_token(
    app: RunningApp, lines: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    from models.services import readings

    def broken(**_: object) -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(readings, "submit_reading", broken)
    app.slack.command(user_id="U1", text="68 21 17 14 16")
    logged = [json.loads(line) for line in lines.getvalue().splitlines()]
    failure = next(entry for entry in logged if entry["message"] == "listener failed")
    assert failure["workspace"] == "T0ACME" and "database on fire" in failure["error"]
    assert "xoxb-" not in lines.getvalue().replace("xoxb-…(redacted)", "")


def test_lines_logged_after_the_middleware_name_the_workspace(
    app: RunningApp, lines: io.StringIO
) -> None:
    """Bolt runs its later middleware and the listeners after the one that names the
    workspace has returned, and lazy listeners and the locale's ask on other threads: their
    lines name it too."""
    app.fake.script("users.info", Fault(error="ratelimited"))
    app.fake.script("views.open", Fault(error="expired_trigger_id"))
    app.slack.command(user_id="U1", text="")  # the form, opened by a lazy listener
    app.fake.wait_for("response_url")  # its apology, after the failure was logged
    assert PersonLanguage.all_idle()  # the locale, asked after the answer
    logged = [json.loads(line) for line in lines.getvalue().splitlines()]
    messages = {entry["message"]: entry for entry in logged}
    locale = messages["users.info for a locale failed: SlackApiError"]
    form = messages["views.open failed: expired_trigger_id"]
    assert locale.get("workspace") == form.get("workspace") == "T0ACME"


def test_a_line_logged_after_stderr_was_swapped_goes_to_the_current_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A background thread logging after a test's captured stderr was closed (or anything
    that swaps sys.stderr) writes to the stderr of now, never "--- Logging error ---"."""
    import io
    import logging
    import sys

    from slackapp.logs import StderrHandler

    handler = StderrHandler()
    old, new = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", old)
    handler.handle(logging.makeLogRecord({"msg": "first"}))
    old.close()
    monkeypatch.setattr(sys, "stderr", new)
    handler.handle(logging.makeLogRecord({"msg": "second"}))
    assert new.getvalue() == "second\n"

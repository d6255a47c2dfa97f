"""The newcomer's first command: the demo runs the real app end to end."""

from __future__ import annotations

import pytest

from slackapp.cli import main


def test_demo_shows_what_the_team_sees(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--no-color"]) == 0
    out = capsys.readouterr().out
    assert out.count("✅ Saved your SSI") >= 16
    assert "Your industry rank says top 120%" in out  # a bad input, answered
    assert "the form shows under engage" in out  # the modal's field error
    assert "SSI leaderboard for #sales" in out
    assert "1. @ana 75" in out
    assert "Trend:" in out and "Weakest pillar" in out
    assert "Removed your SSI" in out
    assert "Traceback" not in out

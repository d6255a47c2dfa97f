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
    assert "SSI LEADERBOARD SO FAR, WEEK 47" in out  # /ssi board in the team's channel
    assert "1. Ana Ortiz  75  ▲ +1.0" in out
    assert "Trend:" in out and "Weakest pillar" in out
    assert "Removed your SSI" in out
    assert "Traceback" not in out


def test_demo_shows_the_weekly_post_and_manager_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--no-color"]) == 0
    out = capsys.readouterr().out
    assert "#sales is an SSI team: its leaderboard goes out every Friday at 16:00" in out
    assert "@dev gets a reminder by DM" in out
    assert out.count("2 messages go out once") == 3
    assert "Friday 16:01, in #sales:" in out and "SSI LEADERBOARD, WEEK 47" in out
    assert "Friday 16:01, Grace's DM:" in out and "weakest pillar is" in out
    assert "7. Dev Patel  45.99  (no SSI last week)" in out

"""The newcomer's first command: the demo runs the real app end to end."""

from __future__ import annotations

import pytest

from slackapp.cli import main


def test_demo_shows_what_the_team_sees(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--no-color"]) == 0
    out = capsys.readouterr().out
    saved = ("✅ Saved your SSI", "✅ Dein SSI ist gespeichert", "✅ SSI guardado")
    assert sum(out.count(s) for s in saved) >= 15  # Finn is away in week 4
    assert out.count(saved[1]) >= 1 and out.count(saved[2]) >= 1  # Ben in German, Ana Spanish
    assert "Your industry rank says top 120%" in out  # a bad input, answered
    assert "the form shows under engage" in out  # the modal's field error
    assert "SSI LEADERBOARD SO FAR, NOV 16 TO NOV 23" in out  # /ssi board in the team's channel
    assert "1. Ana Ortiz  75  ▲ +1.0" in out
    assert "Trend:" in out and "Weakest pillar" in out
    assert "Removed your SSI" in out
    assert "Traceback" not in out


def test_demo_shows_the_weekly_post_and_manager_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--no-color"]) == 0
    out = capsys.readouterr().out
    # The set-up's default (Monday 09:00) gives a full board about the week that just ended.
    assert "#sales is an SSI team: its leaderboard goes out every Monday at 09:00" in out
    assert "Monday 06:01, @dev gets a reminder by DM" in out
    assert out.count("2 messages go out once") == 3
    assert "Monday Nov 23, 09:01, in #sales:" in out
    assert "SSI LEADERBOARD, NOV 16 TO NOV 23" in out
    assert "YOUR TEAM'S SSI, NOV 16 TO NOV 23" in out and "weakest pillar is" in out
    assert "1. Ana Ortiz  75  ▲ +1.0" in out.split("Monday Nov 23, 09:01, in #sales:")[1]
    assert "7. Dev Patel  45.99  (no SSI last week)" in out
    post = out.split("Monday Nov 23, 09:01, in #sales:")[1]
    # The only stale row is Finn's, away that week (his latest shown, his streak paused).
    assert post.count("stale") == 1 and "8. Finn Larsen  34  (stale, as of Nov 9)" in post


def test_demo_shows_the_app_home_streaks_away_goal_and_charts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["demo", "--no-color"]) == 0
    out = capsys.readouterr().out
    post = out.split("Monday Nov 23, 09:01, in #sales:")[1]
    assert "1. Ana Ortiz  75  ▲ +1.0  · vs own industry +53  · 4-week streak" in post
    assert "Away this week: Finn Larsen" in post
    assert "Goal 60 by Mar 31, 2027" in post and "At this pace:" in post
    assert "[chart F" in post and "Bar chart of 8 members' SSI" in post
    assert "Best for their field" in post and "[ Share my SSI ]" in post
    home = out.split("Grace opens the App Home tab")[1]
    assert "YOUR SOCIAL SELLING INDEX" in home and "Line chart of your SSI" in home
    assert "TEAMS YOU MANAGE" in home and "[ I'm away… ]" in home
    assert "as PNG files in" in home

"""The newcomer's first command: the demo runs the real app end to end."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
from pathlib import Path

import pytest

from slackapp.cli import main

# CI installs Tesseract (REQUIRE_TESSERACT=1 there); elsewhere the screenshot's read waits for
# it (the demo then says how to install it and the seller types their SSI instead).
needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None and not os.environ.get("REQUIRE_TESSERACT"),
    reason="Tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-deu ...)",
)


@pytest.fixture(scope="module")
def demo() -> str:
    """What the demo prints, run once for all of this module's tests: a run takes seconds
    and reads a screenshot, and every test only reads what it printed."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert main(["demo", "--no-color"]) == 0
    return printed.getvalue()


def _between(out: str, start: str, end: str) -> str:
    assert start in out, start
    return out.split(start, 1)[1].split(end, 1)[0]


def _week_4_post(out: str) -> str:
    return _between(out, "Monday Nov 23, 09:01, in #sales:", "\nLater\n")


def test_demo_shows_what_the_team_sees(demo: str) -> None:
    out = demo
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


def test_demo_shows_the_weekly_post_and_manager_summary(demo: str) -> None:
    out = demo
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


def test_demo_shows_the_app_home_streaks_away_goal_and_charts(demo: str) -> None:
    out = demo
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


def test_demo_shows_a_pasted_page_previewed_and_saved(demo: str) -> None:
    paste = _between(demo, "Ana Ortiz pastes their whole SSI page", "Ben Fischer types")
    # The paste, shortened to her own part; in Spanish, as her LinkedIn speaks.
    assert "  > Tu Social Selling Index\n" in paste and "  > 75 de 100\n" in paste
    assert "| Crea relaciones\n  > … 14 more lines" in paste
    preview, saved = paste.split("and press Save;", 1)
    assert "Esto es lo que he leído en tu página de SSI" in preview
    assert "Sector: Desarrollo de software" in preview and "Media de tu red: 37" in preview
    assert "[ Guardar ]  [ Editar ]" in preview
    assert "Guardar ]" not in saved  # the preview became the answer
    total = re.search(r"✅ SSI guardado: (\S+) / 100", saved)
    assert total is not None and total[1] == "75"
    assert f"1. Ana Ortiz  {total[1]}  ▲" in _week_4_post(demo)  # what she saved is on the board


def test_demo_writes_the_screenshot_it_sends(demo: str) -> None:
    sent = re.search(r"Emma Rossi sends a screenshot .*: (\S+\.png)\n", demo)
    assert sent is not None
    assert Path(sent[1]).read_bytes().startswith(b"\x89PNG\r\n")  # outlives the demo
    if shutil.which("tesseract") is None:
        assert "reading screenshots needs Tesseract, not installed here (README)" in demo


@needs_tesseract
def test_demo_shows_a_screenshot_read_previewed_and_saved(demo: str) -> None:
    screenshot = _between(demo, "Emma Rossi sends a screenshot", "Finn Larsen types")
    preview, saved = screenshot.split("and press Save;", 1)
    assert "Here's what I read from your SSI page" in preview
    assert "• Engage with insights: " in preview and "Network rank: top 25%" in preview
    assert "Industry: Software Development" in preview and "[ Save ]  [ Edit ]" in preview
    assert "Not found" not in preview  # Tesseract read the whole page
    total = re.search(r"✅ Saved your SSI: (\S+) / 100", saved)
    assert total is not None and "Emma Rossi types" not in screenshot
    assert f"Emma Rossi  {total[1]}  " in _week_4_post(demo)

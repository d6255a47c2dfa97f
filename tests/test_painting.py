"""The fenced speed module of the charts: painting a team chart on a kept figure gives the
very picture a new figure drawn whole gives (``plain_team_week``), whatever was painted
before it, from any thread."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image

from slackapp.render import painting
from slackapp.render.charts import TeamWeekSpec, TrendSpec
from slackapp.render.painting import LAYOUTS_KEPT, draw_chart, plain_team_week

LINES = (
    ("team average 61.2", 61.2, "#111827"),
    ("industry average 48.0", 48.0, "#dc2626"),
    ("network average 39.5", 39.5, "#6b7280"),
)


def team(rows: int, lines: int = 3, *, seed: int = 0) -> TeamWeekSpec:
    return TeamWeekSpec(
        tuple(
            (
                f"Member {seed}-{r} " + "x" * ((seed + r) % 9),
                float(90 - (r * 7 + seed) % 80),
                "" if r % 3 == 0 else f"+{(r + seed) % 6}.{r}",
            )
            for r in range(rows)
        ),
        tuple((f"{label} {seed}", value - seed, c) for label, value, c in LINES[:lines]),
    )


def pixels(png: bytes) -> tuple[tuple[int, int], bytes]:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    return image.size, image.convert("RGB").tobytes()


@pytest.fixture(autouse=True)
def fresh_layouts() -> None:
    painting._layouts.clear()


def test_painted_charts_are_the_plain_charts_pixel_for_pixel() -> None:
    # Layouts are reused and interleaved: what one chart painted must not show in the next.
    sequence = [
        team(15),
        team(15, seed=1),
        team(4, 1, seed=2),
        team(15, seed=3),
        team(1, 0, seed=4),
        team(4, 1, seed=5),
        TeamWeekSpec((("Ana \\$5", 70.0, "+1.0"), ("Bo", 0.0, "")), LINES[1:]),
        team(15, seed=1),
    ]
    for spec in sequence:
        assert pixels(draw_chart(spec)) == pixels(plain_team_week(spec)), spec


def test_the_same_chart_twice_is_the_same_png() -> None:
    first = draw_chart(team(8, seed=7))
    draw_chart(team(8, seed=8))
    assert draw_chart(team(8, seed=7)) == first


def test_a_process_keeps_a_few_layouts() -> None:
    for rows in range(1, LAYOUTS_KEPT + 5):
        draw_chart(team(rows))
    assert len(painting._layouts) == LAYOUTS_KEPT
    # The most recently used are the ones kept.
    assert (LAYOUTS_KEPT + 4, tuple(c for _, _, c in LINES)) in painting._layouts


def test_threads_painting_at_once_get_their_own_pictures() -> None:
    specs = [team(6 + i % 3, seed=i) for i in range(12)]
    expected = [pixels(plain_team_week(s)) for s in specs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        painted = list(pool.map(lambda s: pixels(draw_chart(s)), specs))
    assert painted == expected


def test_the_trend_chart_is_a_png() -> None:
    spec = TrendSpec(
        ("Nov 2", "Nov 9"),
        (("total", "total", (60.0, 61.5)), ("brand", "brand", (15.0, 15.5))),
        ("Total (of 100)", "Pillars (of 25)"),
    )
    size, _ = pixels(draw_chart(spec))
    assert size == (600, 320)

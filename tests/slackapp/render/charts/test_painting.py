"""The fenced speed module of the charts: painting a team chart on a kept figure gives the
very picture a new figure drawn whole gives (``plain_team_week``), whatever was painted
before it, from any thread."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image

from slackapp.render.charts import painting
from slackapp.render.charts.painting import LAYOUTS_KEPT, draw_chart, plain_team_week
from slackapp.render.charts.pictures import TeamWeekSpec, TrendSpec

LINES = (
    ("team average 61.2", 61.2, "#111827"),
    ("industry average 48.0", 48.0, "#dc2626"),
    ("network average 39.5", 39.5, "#6b7280"),
)


def team(rows: int, lines: int = 3, *, seed: int = 0, stale: bool = False) -> TeamWeekSpec:
    totals = [float(90 - (r * 7 + seed) % 85) for r in range(rows)]
    stale_rows = tuple(r for r in range(rows) if stale and (r + seed) % 4 == 1)
    return TeamWeekSpec(
        tuple(
            (
                f"Member {seed}-{r} " + "x" * ((seed + r) % 9),
                total,
                f"{total:.0f}",
                "as of Nov 2"
                if r in stale_rows
                else ""
                if r % 3 == 0
                else f"+{(r + seed) % 6}.{r}",
            )
            for r, total in enumerate(totals)
        ),
        tuple((f"{label} {seed}", value - seed, c) for label, value, c in LINES[:lines]),
        "as of an earlier week" if stale_rows else "",
        stale_rows,
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
        team(15, seed=1, stale=True),
        team(4, 1, seed=2),
        team(15, seed=3, stale=True),
        team(1, 0, seed=4),
        team(40, seed=6, stale=True),
        team(4, 1, seed=5),
        TeamWeekSpec((("Ana $5", 70.0, "70", "+1.0"), ("Bo", 0.0, "0", "")), LINES[1:]),
        TeamWeekSpec((("محمد علي", 70.0, "70", "+1.0"), ("👨‍👩‍👧 田中", 9.5, "9.5", "")), ()),
        team(15, seed=1),
        team(15, seed=1, stale=True),
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
    assert (LAYOUTS_KEPT + 4, tuple(c for _, _, c in LINES), False) in painting._layouts


def test_threads_painting_at_once_get_their_own_pictures() -> None:
    specs = [team(6 + i % 3, seed=i) for i in range(12)]
    expected = [pixels(plain_team_week(s)) for s in specs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        painted = list(pool.map(lambda s: pixels(draw_chart(s)), specs))
    assert painted == expected


def test_the_trend_charts_are_pngs_of_their_sizes() -> None:
    series = (("total", "total", (60.0, 61.5)), ("brand", "brand", (15.0, 15.5)))
    titles = ("Total (of 100)", "Pillars (of 25)")
    weeks = TrendSpec((0, 7), ((0, "Nov 2"), (7, "Nov 9")), series, titles, (45.0, 75.0))
    assert pixels(draw_chart(weeks))[0] == (600, 320)
    whole = TrendSpec((0, 7), ((0, "Nov 2"), (7, "Nov 9")), series, titles, (45.0, 75.0), True)
    assert pixels(draw_chart(whole))[0] == (600, 480)

"""Charts as PNG images: a person's trend (total and pillars) and a team's week (members'
totals with their change, against the team's industry and network averages).

A chart is described here (``Chart``: plain values to draw, its fingerprint, its alt text)
and drawn by ``painting`` only when needed: a chart whose fingerprint was uploaded before
is shown again by its file id.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from models.domain.history import StoredSubmission
from models.domain.ssi import Pillar
from models.domain.weekly import WeeklyBoard
from slackapp.language.speech import _, day, pillar_word, week_span
from slackapp.render.blocks import Block, channel_name, one_decimal

TREND_POINTS = 12  # a person's trend: their last 12 weeks
TEAM_BARS = 15  # a team chart's rows; the rest are in the board's text
SIZE = (6.0, 3.2)  # inches; at DPI, 600x320 pixels: sharp in Slack, small to upload
DPI = 100
COLOURS = {
    "total": "#1d4ed8",
    "brand": "#f59e0b",
    "find": "#10b981",
    "engage": "#ec4899",
    "relate": "#8b5cf6",
}


@dataclass(frozen=True)
class TrendSpec:
    """What a person's trend chart draws: plain values, so a worker process can draw it."""

    labels: tuple[str, ...]
    # (colour key, legend label, values): the total, then the pillars
    series: tuple[tuple[str, str, tuple[float, ...]], ...]
    titles: tuple[str, str]  # over the total's plot, over the pillars'


@dataclass(frozen=True)
class TeamWeekSpec:
    """What a team's week chart draws."""

    rows: tuple[tuple[str, float, str], ...]  # name, total, change ("" when none)
    lines: tuple[tuple[str, float, str], ...]  # label, value, colour


@dataclass(frozen=True)
class Chart:
    """A chart before it is drawn: ``painting.draw_chart(chart.spec)`` makes the PNG (in
    any process); equal fingerprints, equal pictures."""

    fingerprint: str
    title: str
    alt_text: str
    filename: str
    spec: TrendSpec | TeamWeekSpec

    def draw(self) -> bytes:
        from slackapp.render.painting import draw_chart  # it imports this module

        return draw_chart(self.spec)


def _fingerprint(kind: str, spec: TrendSpec | TeamWeekSpec) -> str:
    raw = json.dumps([kind, spec.__dict__], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()


def image_block(file_id: str, chart: Chart) -> Block:
    """The image block that shows an uploaded chart (``slack_file``: no public URL)."""
    return {
        "type": "image",
        "slack_file": {"id": file_id},
        "alt_text": chart.alt_text[:2000],
        "title": {"type": "plain_text", "text": chart.title[:2000]},
    }


def person_trend(history: Sequence[StoredSubmission], timezone: str = "UTC") -> Chart | None:
    """The person's total and pillars over their last ``TREND_POINTS`` weeks (their latest
    reading of each calendar week); None with fewer than two weeks."""
    zone = ZoneInfo(timezone)
    weekly: dict[tuple[int, int], StoredSubmission] = {}
    for s in sorted(history, key=lambda s: (s.submitted_at, s.id)):
        weekly[s.submitted_at.astimezone(zone).isocalendar()[:2]] = s
    points = list(weekly.values())[-TREND_POINTS:]
    if len(points) < 2:
        return None
    days = [p.submitted_at.astimezone(zone).date() for p in points]
    series = [("total", _("total"), tuple(float(p.reading.total) for p in points))]
    series += [
        (x.value, pillar_word(x), tuple(float(p.reading.pillar(x)) for p in points)) for x in Pillar
    ]
    titles = (_("Total (of 100)"), _("Pillars (of 25)"))
    spec = TrendSpec(tuple(day(d, year=False) for d in days), tuple(series), titles)
    latest = points[-1].reading
    alt = _(
        "Line chart of your SSI over {weeks} weeks, {first} to {last}: total from {start} to "
        "{end}; now {pillars}."
    ).format(
        weeks=len(points),
        first=day(days[0], year=False),
        last=day(days[-1], year=False),
        start=one_decimal(points[0].reading.total),
        end=one_decimal(latest.total),
        pillars=", ".join(f"{pillar_word(x)} {one_decimal(latest.pillar(x))}" for x in Pillar),
    )
    return Chart(
        _fingerprint("person-trend-v2", spec),
        _("Your SSI, week by week"),
        alt,
        "ssi-trend.png",
        spec,
    )


def team_week(board: WeeklyBoard) -> Chart | None:
    """The week's members' totals (with their change), against the team's average and its
    industry and network averages. Shown in the channel: the hidden are left off and the
    anonymous unnamed, as on the board. None when nobody has a score."""
    rows = []
    for entry in board.entries:
        label = channel_name(entry.member, channel=True)
        if label is not None:
            # Drawn as typed: "$" would start matplotlib's maths notation.
            label = label[:24].replace("$", r"\$")
            change = entry.total_delta
            shown = "" if change is None else ("+" if change > 0 else "") + one_decimal(change)
            rows.append((label, float(entry.total), shown))
    rows = rows[:TEAM_BARS]
    if not rows or board.team_average is None:
        return None
    known = [
        (name, value, colour)
        for name, value, colour in (
            (_("team average"), board.team_average, "#111827"),
            (_("industry average"), board.industry_average, "#dc2626"),
            (_("network average"), board.network_average, "#6b7280"),
        )
        if value is not None
    ]
    spec = TeamWeekSpec(
        tuple(rows),
        tuple((f"{name} {one_decimal(value)}", float(value), c) for name, value, c in known),
    )
    alt = _("Bar chart of {count} members' SSI this week, highest {highest}; {averages}.").format(
        count=len(rows),
        highest=one_decimal(Decimal(str(rows[0][1]))),
        averages=", ".join(f"{name} {one_decimal(value)}" for name, value, _c in known),
    )
    return Chart(
        _fingerprint("team-week-v1", spec),
        _("This week's SSI, {week}").format(week=week_span(board.week)),
        alt,
        "ssi-team-week.png",
        spec,
    )

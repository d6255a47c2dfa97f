"""Charts as PNG images: a person's trend (total and pillars, their last weeks or their
whole history) and a team's week (against the team's, industry and network averages).

A team's week is drawn for what its size needs: up to ``BAR_LIMIT`` members, a bar each,
named, best on top, its value written on it; beyond that, the spread of the totals in
``BIN``-point steps (bars of 150 names say nothing). A member whose score is from an earlier
week is drawn as such: a hatched, faded bar with its date, or the hatched part of a step.

A chart is described here (a spec: plain values to draw, its fingerprint, its alt text)
and drawn by ``painting`` only when needed: a chart whose fingerprint was uploaded before
is shown again by its file id. Names are put into the font's reach (``chart_text``) where
they are drawn.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from models.domain.history import StoredSubmission
from models.domain.ssi import Pillar
from models.domain.weekly.board import Entry, WeeklyBoard
from models.domain.weeks import TeamWeek
from slackapp.language.speech import _, day, n_, pillar_word, week_span
from slackapp.render.blocks import Block, channel_name, delta, one_decimal
from slackapp.render.charts.axes import date_ticks as _date_ticks
from slackapp.render.charts.axes import total_axis as total_axis

TREND_POINTS = 12  # a person's trend: their last 12 weeks (their whole history on request)
BAR_LIMIT = 40  # members drawn a bar each; a bigger team's week is drawn as its spread
BIN = 5  # points per step of a big team's spread
NAME_LIMIT = 24  # characters of a name on a bar
TICKS = 5  # dates under a trend at most
SIZE = (6.0, 3.2)  # inches; at DPI, 600x320 pixels: sharp in Slack, small to upload
DPI = 100
COLOURS = {
    "total": "#1d4ed8",
    "stale": "#bfdbfe",  # a score from an earlier week: faded, hatched in "total"
    "brand": "#f59e0b",
    "find": "#10b981",
    "engage": "#ec4899",
    "relate": "#8b5cf6",
}


# The average lines of a team chart: (legend label, value, colour).
Lines = tuple[tuple[str, float, str], ...]


@dataclass(frozen=True)
class TrendSpec:
    """What a person's trend chart draws: plain values, so a worker process can draw it."""

    days: tuple[int, ...]  # each point's day, counted from the first: gaps show as gaps
    ticks: tuple[tuple[int, str], ...]  # (day, date) under the plots
    # (colour key, legend label, values): the total, then the pillars
    series: tuple[tuple[str, str, tuple[float, ...]], ...]
    titles: tuple[str, str]  # over the total's plot, over the pillars'
    total_axis: tuple[float, float]  # the total's scale, at least ``TOTAL_SPAN`` wide
    stacked: bool = False  # the whole history: the plots one above the other, full width


@dataclass(frozen=True)
class TeamWeekSpec:
    """A team's week as bars, best on top (up to ``BAR_LIMIT`` members)."""

    # name, total, total as written, note (the change, or when a stale score is from)
    rows: tuple[tuple[str, float, str, str], ...]
    lines: Lines
    # The legend's entry for the hatched bars, and which rows they are ("" and () if none).
    stale_label: str = ""
    stale_rows: tuple[int, ...] = ()


@dataclass(frozen=True)
class TeamSpreadSpec:
    """A big team's week: how many members' totals fall in each ``BIN``-point step."""

    current: tuple[int, ...]  # per step, from 0: members with this week's score
    stale: tuple[int, ...]  # members with an earlier week's
    lines: Lines
    labels: tuple[str, str, str, str]  # x axis, y axis; legend: this week's, earlier


Spec = TrendSpec | TeamWeekSpec | TeamSpreadSpec


@dataclass(frozen=True)
class Chart:
    """A chart before it is drawn: ``painting.draw_chart(chart.spec)`` makes the PNG (in
    any process); equal fingerprints, equal pictures."""

    fingerprint: str
    title: str
    alt_text: str
    filename: str
    spec: Spec

    def draw(self) -> bytes:
        from slackapp.render.charts.painting import draw_chart  # it imports this module

        return draw_chart(self.spec)


def _fingerprint(kind: str, spec: Spec) -> str:
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


def _weekly(history: Sequence[StoredSubmission], zone: ZoneInfo) -> list[StoredSubmission]:
    """The latest reading of each calendar week, oldest first."""
    weekly: dict[tuple[int, int], StoredSubmission] = {}
    for s in sorted(history, key=lambda s: (s.submitted_at, s.id)):
        weekly[s.submitted_at.astimezone(zone).isocalendar()[:2]] = s
    return list(weekly.values())


def weeks_shared(history: Sequence[StoredSubmission], timezone: str = "UTC") -> int:
    """In how many calendar weeks the person shared: the points of their whole history."""
    return len(_weekly(history, ZoneInfo(timezone)))


def person_trend(
    history: Sequence[StoredSubmission], timezone: str = "UTC", *, whole: bool = False
) -> Chart | None:
    """The person's total and pillars, week by week (their latest reading of each calendar
    week): over their last ``TREND_POINTS`` weeks, or their ``whole`` history. None with
    fewer than two weeks."""
    zone = ZoneInfo(timezone)
    points = _weekly(history, zone)
    if not whole:
        points = points[-TREND_POINTS:]
    if len(points) < 2:
        return None
    days = [p.submitted_at.astimezone(zone).date() for p in points]
    series = [("total", _("total"), tuple(float(p.reading.total) for p in points))]
    series += [
        (x.value, pillar_word(x), tuple(float(p.reading.pillar(x)) for p in points)) for x in Pillar
    ]
    years = days[0].year != days[-1].year
    spec = TrendSpec(
        days=tuple((d - days[0]).days for d in days),
        # Side by side, each plot is half as wide: fewer dates fit under it.
        ticks=_date_ticks(days, TICKS if whole else 3 if years else 4),
        series=tuple(series),
        titles=(_("Total (of 100)"), _("Pillars (of 25)")),
        total_axis=total_axis(series[0][2]),
        stacked=whole,
    )
    latest = points[-1].reading
    alt = _(
        "Line chart of your SSI over {weeks} weeks, {first} to {last}: total from {start} to "
        "{end}; now {pillars}."
    ).format(
        weeks=len(points),
        first=day(days[0], year=whole or years),
        last=day(days[-1], year=whole or years),
        start=one_decimal(points[0].reading.total),
        end=one_decimal(latest.total),
        pillars=", ".join(f"{pillar_word(x)} {one_decimal(latest.pillar(x))}" for x in Pillar),
    )
    return Chart(
        _fingerprint("person-trend-v3", spec),
        _("Your whole SSI history") if whole else _("Your SSI, week by week"),
        alt,
        "ssi-history.png" if whole else "ssi-trend.png",
        spec,
    )


def _stale_note(entry: Entry, zone: ZoneInfo, week_end: date) -> str:
    """``as of Nov 2``: when a stale score was shared, in the team's time zone."""
    if entry.as_of is None:
        return _("as of an earlier week")
    shared = entry.as_of.astimezone(zone).date()
    return _("as of {date}").format(date=day(shared, year=shared.year != week_end.year))


def _bars(shown: list[tuple[str, Entry]], lines: Lines, week: TeamWeek) -> TeamWeekSpec:
    zone = ZoneInfo(week.timezone)
    week_end = week.end.astimezone(zone).date()
    rows = []
    for label, entry in shown:
        change = entry.total_delta
        if entry.stale:
            note = _stale_note(entry, zone, week_end)
        else:
            note = "" if change is None else delta(change)
        rows.append((label, float(entry.total), one_decimal(entry.total), note))
    stale = tuple(i for i, (_label, entry) in enumerate(shown) if entry.stale)
    return TeamWeekSpec(
        rows=tuple(rows),
        lines=lines,
        stale_label=_("as of an earlier week") if stale else "",
        stale_rows=stale,
    )


def _step(total: Decimal) -> int:
    """A total's ``BIN``-point step: 0 for 0 up to 4.99, ..., the last for 95 up to 100."""
    return min(int(total // BIN), 100 // BIN - 1)


def _spread(shown: list[tuple[str, Entry]], lines: Lines) -> TeamSpreadSpec:
    current, stale = [0] * (100 // BIN), [0] * (100 // BIN)
    for _label, entry in shown:
        (stale if entry.stale else current)[_step(entry.total)] += 1
    count = len(shown)
    return TeamSpreadSpec(
        current=tuple(current),
        stale=tuple(stale),
        lines=lines,
        labels=(
            n_(
                "SSI this week of {count} member, in steps of {step}",
                "SSI this week of {count} members, in steps of {step}",
                count,
            ).format(count=count, step=BIN),
            _("members"),
            _("this week"),
            _("as of an earlier week"),
        ),
    )


def team_week(board: WeeklyBoard) -> Chart | None:
    """The week's members' totals against the team's average and its industry and network
    averages: a bar each (with the change) up to ``BAR_LIMIT`` members, their spread
    beyond. Shown in the channel: the hidden are left off and the anonymous unnamed, as on
    the board. None when nobody has a score."""
    shown = [
        (label, entry)
        for entry in board.entries
        if (label := channel_name(entry.member, channel=True)) is not None
    ]
    if not shown or board.team_average is None:
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
    lines = tuple((f"{name} {one_decimal(value)}", float(value), c) for name, value, c in known)
    averages = ", ".join(f"{name} {one_decimal(value)}" for name, value, _c in known)
    totals = [entry.total for _label, entry in shown]
    spec: TeamWeekSpec | TeamSpreadSpec
    if len(shown) <= BAR_LIMIT:
        spec = _bars(shown, lines, board.week)
        alt = _("Bar chart of {count} members' SSI this week, highest {highest}; {averages}.")
        kind = "team-week-v2"
    else:
        spec = _spread(shown, lines)
        alt = _(
            "Histogram of {count} members' SSI this week in {step}-point steps, from {lowest} "
            "to {highest}; {averages}."
        )
        kind = "team-spread-v1"
    alt = alt.format(
        count=len(shown),
        step=BIN,
        lowest=one_decimal(min(totals)),
        highest=one_decimal(max(totals)),
        averages=averages,
    )
    stale = sum(1 for _label, entry in shown if entry.stale)
    if stale:
        alt += " " + n_(
            "{count} member's score is from an earlier week.",
            "{count} members' scores are from an earlier week.",
            stale,
        ).format(count=stale)
    return Chart(
        _fingerprint(kind, spec),
        _("This week's SSI, {week}").format(week=week_span(board.week)),
        alt,
        "ssi-team-week.png",
        spec,
    )

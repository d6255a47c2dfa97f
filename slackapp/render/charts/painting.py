"""Painting charts into PNGs, fast enough for a tick that posts one chart per due team.

This is the fenced speed module of the charts (checked on matplotlib 3.10.9). A team's week
chart has the same frame every week: size, axes, the 0-100 scale and tick marks depend
only on how many rows it has, which average lines it draws and whether its legend has the
"earlier week" entry. So each process keeps one figure per such layout (``_TeamLayout``),
paints its frame once, and then, for every chart, restores that frame and draws only the
parts that change: the bars (hatched where a score is from an earlier week), their values,
the row labels, the average lines and the legend. That is matplotlib's own blitting
(``copy_from_bbox``, ``restore_region``, ``draw_artist``), made for animation; here it saves
building and laying out a figure per chart. Most of what remains is FreeType laying out the
labels' text.

``plain_team_week`` draws the same chart the ordinary way, a new figure each time; the tests
compare the two pixel by pixel, and ``bench/charts.py`` measures both. A big team's spread
and a person's trend are drawn the ordinary way (``plotting``): they are fewer, and their
scales change. Names go through ``chart_text`` first, as every text on a chart does.

Figures never go through pyplot: no global state, no display. Layouts are shared by the
threads of a process under one lock (painting holds the GIL anyway); worker processes keep
their own, which is what makes a pool of them fast.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from slackapp.render.charts.pictures import (
    COLOURS,
    NAME_LIMIT,
    SIZE,
    Spec,
    TeamSpreadSpec,
    TeamWeekSpec,
    TrendSpec,
)
from slackapp.render.charts.plotting import (
    LABEL_SIZE,
    TOP,
    draw_spread,
    draw_trend,
    figure,
    legend_below,
    legend_height,
    png,
    stale_patch,
    style_bar,
)
from slackapp.render.charts.text import chart_text

if TYPE_CHECKING:
    from matplotlib.figure import Figure

LAYOUTS_KEPT = 8  # per process: a layout of 40 rows holds two 600x1100 RGBA buffers, 5 MB
# The team chart's rows (inches each) and the scale's numbers below them (inches).
ROW, SCALE = 0.22, 0.3
LEFT, RIGHT = 0.3, 0.97  # of the width: names on the left
INSIDE = 12.0  # a bar at least this long carries its value inside, at its end
_lock = threading.Lock()
_layouts: OrderedDict[tuple[int, tuple[str, ...], bool], _TeamLayout] = OrderedDict()


def draw_chart(spec: Spec) -> bytes:
    """The PNG of a chart (module level, so that a process pool can run it)."""
    if isinstance(spec, TrendSpec):
        return draw_trend(spec)
    if isinstance(spec, TeamSpreadSpec):
        return draw_spread(spec)
    key = _layout_key(spec)
    with _lock:
        layout = _layouts.pop(key, None) or _TeamLayout(*key)
        _layouts[key] = layout  # the most recently used last
        while len(_layouts) > LAYOUTS_KEPT:
            _layouts.popitem(last=False)
        return layout.paint(spec)


def _layout_key(spec: TeamWeekSpec) -> tuple[int, tuple[str, ...], bool]:
    return len(spec.rows), tuple(colour for _, _, colour in spec.lines), bool(spec.stale_label)


def warm_up(rows: int = 15, colours: tuple[str, ...] = ("#111827",)) -> None:
    """Import matplotlib and lay out the commonest team chart, before the first is asked
    for (a drawing worker does this while the tick computes its first boards)."""
    with _lock:
        _layouts.setdefault((rows, colours, False), _TeamLayout(rows, colours, False))


def _team_height(rows: int, entries: int) -> float:
    """Inches: the rows, the scale under them and the legend's lines under that."""
    return TOP + max(1.0, ROW * rows) + SCALE + legend_height(entries)


def _team_frame(drawn: Figure, rows: int, entries: int) -> Any:
    """The team chart's axes: the 0-100 scale, one tick per row (best on top), the
    legend's lines kept free below."""
    height = _team_height(rows, entries)
    bottom = (height - TOP - max(1.0, ROW * rows)) / height
    drawn.subplots_adjust(left=LEFT, right=RIGHT, top=1 - TOP / height, bottom=bottom)
    axis = drawn.add_subplot()
    axis.set_xlim(0, 100)
    axis.set_ylim(-0.6, rows - 0.4)
    axis.set_xticks([0, 25, 50, 75, 100])
    axis.tick_params(labelsize=LABEL_SIZE)
    return axis


def _style_value(text: Any, row: int, total: float, written: str, stale: bool) -> None:
    """A bar's value at its end: inside a long bar (white on the solid colour), beside a
    short one."""
    inside = total >= INSIDE
    text.set_position((total - 1 if inside else total + 1, row))
    text.set_horizontalalignment("right" if inside else "left")
    text.set_color("white" if inside and not stale else "#111827")
    text.set_text(chart_text(written))


def _rows(spec: TeamWeekSpec) -> list[tuple[int, float, str, str, bool]]:
    """Each row bottom up, as barh draws them (the best on top): position, total, value
    written, label, whether stale."""
    stale = set(spec.stale_rows)
    count = len(spec.rows)
    out = []
    for index, (name, total, written, note) in enumerate(spec.rows):
        label = f"{chart_text(name, NAME_LIMIT)}  {chart_text(note)}".rstrip()
        out.append((count - 1 - index, total, written, label, index in stale))
    return out[::-1]


def _legend(drawn: Figure, axis: Any, handles: list[Any], labels: list[str]) -> Any:
    return legend_below(drawn, axis, handles, labels, centre=(LEFT + RIGHT) / 2)


def _legend_labels(spec: TeamWeekSpec) -> list[str]:
    labels = [chart_text(label) for label, _, _ in spec.lines]
    return [*labels, chart_text(spec.stale_label)] if spec.stale_label else labels


class _TeamLayout:
    """One team chart layout (rows, average lines' colours, an "earlier week" entry): a
    figure whose frame is painted once, and the artists that each chart changes."""

    def __init__(self, rows: int, colours: tuple[str, ...], stale: bool) -> None:
        from matplotlib.transforms import ScaledTranslation

        entries = len(colours) + stale
        self.figure, self.canvas = figure(SIZE[0], _team_height(rows, entries))
        axis = _team_frame(self.figure, rows, entries)
        self.bars = list(axis.barh(range(rows), [0.0] * rows, color=COLOURS["total"]).patches)
        axis.set_yticks(range(rows), [""] * rows)  # the marks; the labels are drawn below
        # Where matplotlib puts a tick label: the tick's length and pad to the axis' left.
        tick = axis.yaxis.get_major_ticks()[0]
        gap = (tick.get_tick_padding() + tick.get_pad()) / 72
        beside = axis.get_yaxis_transform() + ScaledTranslation(
            -gap, 0, self.figure.dpi_scale_trans
        )
        self.labels = [
            axis.text(
                0, row, "", transform=beside, ha="right", va="center_baseline", size=LABEL_SIZE
            )
            for row in range(rows)
        ]
        self.values = [
            axis.text(0, row, "", va="center_baseline", size=LABEL_SIZE) for row in range(rows)
        ]
        self.lines = [
            axis.axvline(0, color=colour, linestyle="--", linewidth=1) for colour in colours
        ]
        handles = [*self.lines, stale_patch()] if stale else list(self.lines)
        self.legend = _legend(self.figure, axis, handles, ["-"] * entries) if entries else None
        # Painted in the order a whole-figure draw paints them (by zorder); the axes'
        # edges too, which a whole draw paints over the bars' and lines' ends.
        edges = list(axis.spines.values())
        self.changing: list[Any] = [*self.bars, *self.lines, *edges, *self.labels, *self.values]
        if self.legend is not None:
            self.changing.append(self.legend)
        for artist in self.changing:
            artist.set_animated(True)  # left out of the frame
        self.canvas.draw()
        self.frame = self.canvas.copy_from_bbox(self.figure.bbox)

    def paint(self, spec: TeamWeekSpec) -> bytes:
        rows = _rows(spec)
        for bar, name, value, (row, total, written, label, stale) in zip(
            self.bars, self.labels, self.values, rows, strict=True
        ):
            bar.set_width(total)
            style_bar(bar, stale)
            _style_value(value, row, total, written, stale)
            name.set_text(label)
        for line, (_, average, _) in zip(self.lines, spec.lines, strict=True):
            line.set_xdata([average, average])
        if self.legend is not None:
            for entry, label in zip(self.legend.get_texts(), _legend_labels(spec), strict=True):
                entry.set_text(label)
        self.canvas.restore_region(self.frame)
        for artist in self.changing:
            self.figure.draw_artist(artist)
        return png(self.canvas)


def plain_team_week(spec: TeamWeekSpec) -> bytes:
    """The team chart drawn the ordinary way: a new figure, drawn whole. The reference the
    tests hold ``draw_chart`` to."""
    rows = _rows(spec)
    entries = len(spec.lines) + bool(spec.stale_label)
    drawn, canvas = figure(SIZE[0], _team_height(len(rows), entries))
    axis = _team_frame(drawn, len(rows), entries)
    bars = axis.barh([r[0] for r in rows], [r[1] for r in rows], color=COLOURS["total"])
    axis.set_yticks([r[0] for r in rows], [r[3] for r in rows])
    for bar, (row, total, written, _label, stale) in zip(bars.patches, rows, strict=True):
        style_bar(bar, stale)
        _style_value(
            axis.text(0, row, "", va="center_baseline", size=LABEL_SIZE), row, total, written, stale
        )
    handles: list[Any] = [
        axis.axvline(value, color=colour, linestyle="--", linewidth=1)
        for _, value, colour in spec.lines
    ]
    if spec.stale_label:
        handles.append(stale_patch())
    if handles:
        _legend(drawn, axis, handles, _legend_labels(spec))
    canvas.draw()
    return png(canvas)

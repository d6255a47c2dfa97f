"""Painting charts into PNGs, fast enough for a tick that posts one chart per due team.

This is the fenced speed module of the charts (checked on matplotlib 3.10.9). A team's week
chart has the same frame every week: size, axes, the 0-100 scale, grid and tick marks depend
only on how many rows it has and which average lines it draws. So each process keeps one
figure per such layout (``_TeamLayout``), paints its frame once, and then, for every chart,
restores that frame and draws only the parts that change: the bars, the row labels, the
average lines and the legend. That is matplotlib's own blitting (``copy_from_bbox``,
``restore_region``, ``draw_artist``), made for animation; here it saves building and laying
out a figure per chart. Most of what remains is FreeType laying out the labels' text.

``plain_team_week`` draws the same chart the ordinary way, a new figure each time; the tests
compare the two pixel by pixel, and ``bench/charts.py`` measures both.

Figures never go through pyplot: no global state, no display. Layouts are shared by the
threads of a process under one lock (painting holds the GIL anyway); worker processes keep
their own, which is what makes a pool of them fast.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from slackapp.render.charts import COLOURS, DPI, SIZE, TeamWeekSpec, TrendSpec

if TYPE_CHECKING:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

LABEL_SIZE = 7  # points, for every text on a chart
LAYOUTS_KEPT = 8  # per process: a layout holds two 600x520 RGBA buffers, about 2.5 MB
_lock = threading.Lock()
_layouts: OrderedDict[tuple[int, tuple[str, ...]], _TeamLayout] = OrderedDict()


def draw_chart(spec: TrendSpec | TeamWeekSpec) -> bytes:
    """The PNG of a chart (module level, so that a process pool can run it)."""
    if isinstance(spec, TrendSpec):
        return _draw_trend(spec)
    key = (len(spec.rows), tuple(colour for _, _, colour in spec.lines))
    with _lock:
        layout = _layouts.pop(key, None) or _TeamLayout(*key)
        _layouts[key] = layout  # the most recently used last
        while len(_layouts) > LAYOUTS_KEPT:
            _layouts.popitem(last=False)
        return layout.paint(spec)


def warm_up(rows: int = 15, colours: tuple[str, ...] = ("#111827",)) -> None:
    """Import matplotlib and lay out the commonest team chart, before the first is asked
    for (a drawing worker does this while the tick computes its first boards)."""
    with _lock:
        _layouts.setdefault((rows, colours), _TeamLayout(rows, colours))


def _figure(width: float, height: float) -> tuple[Figure, FigureCanvasAgg]:
    """An Agg figure of its own. matplotlib is imported here, on the first drawing, not with
    this module: describing a chart and looking up its upload need no plotting library,
    and importing one costs every process (the web app, a tick) seconds and tens of MB."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=DPI)
    return figure, FigureCanvasAgg(figure)


def _team_height(rows: int) -> float:
    return max(2.2, 0.8 + 0.25 * rows)


def _team_frame(figure: Figure, rows: int) -> Any:
    """The team chart's axes: the 0-100 scale, one tick per row (best on top)."""
    figure.subplots_adjust(left=0.3, right=0.97, top=0.97, bottom=0.12)
    axis = figure.add_subplot()
    axis.set_xlim(0, 100)
    axis.set_xticks([0, 25, 50, 75, 100])
    axis.tick_params(labelsize=LABEL_SIZE)
    return axis


def _row_labels(spec: TeamWeekSpec) -> list[str]:
    """Bottom up, as barh draws: the best on top."""
    return [f"{name}  {change}".rstrip() for name, _, change in reversed(spec.rows)]


class _TeamLayout:
    """One team chart layout (rows, average lines' colours): a figure whose frame is
    painted once, and the artists that each chart changes."""

    def __init__(self, rows: int, colours: tuple[str, ...]) -> None:
        from matplotlib.transforms import ScaledTranslation

        self.figure, self.canvas = _figure(SIZE[0], _team_height(rows))
        axis = _team_frame(self.figure, rows)
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
        self.lines = [
            axis.axvline(0, color=colour, linestyle="--", linewidth=1, label="-")
            for colour in colours
        ]
        self.legend = axis.legend(fontsize=LABEL_SIZE, loc="lower right") if colours else None
        # Painted in the order a whole-figure draw paints them (by zorder); the axes'
        # edges too, which a whole draw paints over the bars' and lines' ends.
        edges = list(axis.spines.values())
        self.changing: list[Any] = [*self.bars, *self.lines, *edges, *self.labels]
        if self.legend is not None:
            self.changing.append(self.legend)
        for artist in self.changing:
            artist.set_animated(True)  # left out of the frame
        self.canvas.draw()
        self.frame = self.canvas.copy_from_bbox(self.figure.bbox)

    def paint(self, spec: TeamWeekSpec) -> bytes:
        for bar, (_, total, _) in zip(self.bars, reversed(spec.rows), strict=True):
            bar.set_width(total)
        for text, label in zip(self.labels, _row_labels(spec), strict=True):
            text.set_text(label)
        for line, (_, value, _) in zip(self.lines, spec.lines, strict=True):
            line.set_xdata([value, value])
        if self.legend is not None:
            for text, (label, _, _) in zip(self.legend.get_texts(), spec.lines, strict=True):
                text.set_text(label)
        self.canvas.restore_region(self.frame)
        for artist in self.changing:
            self.figure.draw_artist(artist)
        return _png(self.canvas)


def _png(canvas: FigureCanvasAgg) -> bytes:
    """The canvas as it is painted now, as a PNG: opaque (the charts have a white
    background) and with fast zlib (a slightly larger file, a quicker tick)."""
    from PIL import Image

    pixels = canvas.buffer_rgba()
    image = Image.frombuffer(
        "RGBA", (pixels.shape[1], pixels.shape[0]), pixels, "raw", "RGBA", 0, 1
    ).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def plain_team_week(spec: TeamWeekSpec) -> bytes:
    """The team chart drawn the ordinary way: a new figure, drawn whole. The reference the
    tests hold ``draw_chart`` to."""
    figure, canvas = _figure(SIZE[0], _team_height(len(spec.rows)))
    axis = _team_frame(figure, len(spec.rows))
    axis.barh(range(len(spec.rows)), [t for _, t, _ in reversed(spec.rows)], color=COLOURS["total"])
    axis.set_yticks(range(len(spec.rows)), _row_labels(spec))
    for label, value, colour in spec.lines:
        axis.axvline(value, color=colour, linestyle="--", linewidth=1, label=label)
    if spec.lines:
        axis.legend(fontsize=LABEL_SIZE, loc="lower right")
    canvas.draw()
    return _png(canvas)


def _draw_trend(spec: TrendSpec) -> bytes:
    """A person's trend: drawn on demand (App Home, ``/ssi me``), one at a time."""
    figure, canvas = _figure(*SIZE)
    figure.subplots_adjust(left=0.07, right=0.98, top=0.9, bottom=0.12, wspace=0.2)
    total_axis = figure.add_subplot(1, 2, 1)
    pillar_axis = figure.add_subplot(1, 2, 2)
    positions = list(range(len(spec.labels)))
    every = max(1, len(spec.labels) // 3)  # three or four dates under each plot
    for key, label, values in spec.series:
        axis = total_axis if key == "total" else pillar_axis
        axis.plot(positions, values, marker="o", markersize=3, color=COLOURS[key], label=label)
    total_axis.set_title(spec.titles[0], fontsize=9)
    pillar_axis.set_title(spec.titles[1], fontsize=9)
    pillar_axis.set_ylim(0, 25)
    pillar_axis.legend(fontsize=LABEL_SIZE, loc="lower left", ncols=2, frameon=False)
    for axis in (total_axis, pillar_axis):
        axis.set_xticks(positions[::every], list(spec.labels)[::every])
        axis.tick_params(labelsize=LABEL_SIZE)
        axis.grid(alpha=0.3)
    canvas.draw()
    return _png(canvas)

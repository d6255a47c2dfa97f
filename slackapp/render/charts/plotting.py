"""Charts drawn the ordinary way, a new figure each: a person's trend and a big team's
spread (fewer than the weekly bars, and their scales change with the data); and what every
chart's drawing shares: the figure, the PNG, the legend in a margin of its own below the
plot (never over the data), the look of a score from an earlier week.

Every text goes through ``chart_text`` first: shaped, in display order, and only with
characters the font has. Figures never go through pyplot: no global state, no display.
"""

from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING, Any

from slackapp.render.charts.pictures import BIN, COLOURS, DPI, SIZE, TeamSpreadSpec, TrendSpec
from slackapp.render.charts.text import chart_text

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

LABEL_SIZE = 7  # points, for every text on a chart
HATCH = "////"  # a score from an earlier week
TOP = 0.12  # inches above the plot
LEGEND_LINE = 0.17  # inches a line of the legend takes
MARKERS_UP_TO = 26  # trend points drawn with a marker; a longer history as a plain line


def figure(width: float, height: float) -> tuple[Figure, FigureCanvasAgg]:
    """An Agg figure of its own. matplotlib is imported here, on the first drawing, not with
    this module: describing a chart and looking up its upload need no plotting library,
    and importing one costs every process (the web app, a tick) seconds and tens of MB."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    drawn = Figure(figsize=(width, height), dpi=DPI)
    return drawn, FigureCanvasAgg(drawn)


def png(canvas: FigureCanvasAgg) -> bytes:
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


def legend_height(entries: int) -> float:
    """Inches the legend takes below the plot: two entries a line."""
    return math.ceil(entries / 2) * LEGEND_LINE + 0.06 if entries else 0.0


def legend_below(
    drawn: Figure, axis: Axes, handles: list[Any], labels: list[str], *, centre: float
) -> Any:
    """The legend in the margin at the bottom, two entries a line, centred at ``centre``
    (of the figure's width)."""
    return axis.legend(
        handles,
        labels,
        loc="upper center",
        bbox_to_anchor=(centre, legend_height(len(handles)) / drawn.get_figheight()),
        bbox_transform=drawn.transFigure,
        ncols=2,
        fontsize=LABEL_SIZE,
        frameon=False,
        borderaxespad=0,
        borderpad=0.2,
        handlelength=2.5,
        columnspacing=1.5,
    )


def stale_patch() -> Any:
    """The legend's sample of a score from an earlier week."""
    from matplotlib.patches import Patch

    return Patch(facecolor=COLOURS["stale"], edgecolor=COLOURS["total"], hatch=HATCH, linewidth=0.6)


def style_bar(bar: Rectangle, stale: bool) -> None:
    """A bar of this week's scores is solid; of an earlier week's, faded and hatched."""
    bar.set_facecolor(COLOURS["stale"] if stale else COLOURS["total"])
    bar.set_edgecolor(COLOURS["total"])  # the hatch's colour, and a stale bar's outline
    bar.set_linewidth(0.6 if stale else 0.0)
    bar.set_hatch(HATCH if stale else "")


def draw_spread(spec: TeamSpreadSpec) -> bytes:
    """A big team's week: members per ``BIN``-point step of the total (this week's solid,
    earlier weeks' hatched on top), each step's count over it, the average lines."""
    from matplotlib.ticker import MaxNLocator

    stale = any(spec.stale)
    legend = legend_height(len(spec.lines) + 2 * stale)
    height = SIZE[1] + legend
    drawn, canvas = figure(SIZE[0], height)
    drawn.subplots_adjust(
        left=0.1, right=0.97, top=1 - TOP / height, bottom=(0.45 + legend) / height
    )
    axis = drawn.add_subplot()
    centres = [BIN * step + BIN / 2 for step in range(len(spec.current))]
    solid = axis.bar(centres, spec.current, width=BIN * 0.9, color=COLOURS["total"])
    for bar in axis.bar(centres, spec.stale, width=BIN * 0.9, bottom=spec.current).patches:
        style_bar(bar, True)
    counts = [a + b for a, b in zip(spec.current, spec.stale, strict=True)]
    for centre, count in zip(centres, counts, strict=True):
        if count:  # on white: an average's line may run through it
            white = {"facecolor": "white", "edgecolor": "none", "pad": 0.5}
            axis.text(
                centre, count, str(count), ha="center", va="bottom", size=LABEL_SIZE, bbox=white
            )
    axis.set_xlim(0, 100)
    axis.set_ylim(0, max(counts) * 1.15 + 0.5)
    axis.set_xticks(range(0, 101, 10))
    axis.yaxis.set_major_locator(MaxNLocator(integer=True))
    axis.tick_params(labelsize=LABEL_SIZE)
    axis.set_xlabel(chart_text(spec.labels[0]), fontsize=LABEL_SIZE)
    axis.set_ylabel(chart_text(spec.labels[1]), fontsize=LABEL_SIZE)
    handles: list[Any] = [
        axis.axvline(value, color=colour, linestyle="--", linewidth=1)
        for _, value, colour in spec.lines
    ]
    labels = [chart_text(label) for label, _, _ in spec.lines]
    if stale:
        handles += [solid.patches[0], stale_patch()]
        labels += [chart_text(spec.labels[2]), chart_text(spec.labels[3])]
    if handles:
        legend_below(drawn, axis, handles, labels, centre=0.535)
    canvas.draw()
    return png(canvas)


def draw_trend(spec: TrendSpec) -> bytes:
    """A person's trend: drawn on demand (App Home, ``/ssi me``), one at a time. The last
    weeks side by side (the total, the pillars); a whole history one above the other, full
    width. The series' legend is a line of its own at the bottom."""
    if spec.stacked:
        drawn, canvas = figure(SIZE[0], 4.8)
        drawn.subplots_adjust(left=0.08, right=0.98, top=0.95, bottom=0.14, hspace=0.25)
        total_axis = drawn.add_subplot(2, 1, 1)
        pillar_axis = drawn.add_subplot(2, 1, 2, sharex=total_axis)
    else:
        drawn, canvas = figure(*SIZE)
        drawn.subplots_adjust(left=0.07, right=0.98, top=0.9, bottom=0.22, wspace=0.2)
        total_axis = drawn.add_subplot(1, 2, 1)
        pillar_axis = drawn.add_subplot(1, 2, 2)
    marker = 3 if len(spec.days) <= MARKERS_UP_TO else 0
    handles = []
    for key, label, values in spec.series:
        axis = total_axis if key == "total" else pillar_axis
        (line,) = axis.plot(
            spec.days,
            values,
            marker="o",
            markersize=marker,
            color=COLOURS[key],
            linewidth=1.5 if marker else 1.0,
            label=chart_text(label),
        )
        handles.append(line)
    total_axis.set_title(chart_text(spec.titles[0]), fontsize=9)
    pillar_axis.set_title(chart_text(spec.titles[1]), fontsize=9)
    total_axis.set_ylim(*spec.total_axis)
    pillar_axis.set_ylim(0, 25)
    positions = [position for position, _ in spec.ticks]
    dates = [chart_text(label) for _, label in spec.ticks]
    for axis in (total_axis, pillar_axis):
        axis.set_xticks(positions, dates)
        axis.tick_params(labelsize=LABEL_SIZE)
        axis.grid(alpha=0.3)
    if spec.stacked:  # the dates once, under both
        total_axis.tick_params(labelbottom=False)
    drawn.legend(
        handles=handles,
        loc="lower center",
        ncols=len(handles),
        fontsize=LABEL_SIZE,
        frameon=False,
        borderaxespad=0.3,
    )
    canvas.draw()
    return png(canvas)

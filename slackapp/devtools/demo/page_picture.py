"""A screenshot of a demo seller's SSI page, drawn with matplotlib (the app's charting
library; the test screenshots were rendered by Chromium, which the demo can't count on).

Plain and large on purpose, so Tesseract reads it as it reads a laptop's screenshot: DejaVu
Sans, near-black on white, text 22 to 40 pixels high, one column, each pillar row a number,
the page's blue bar, and its label."""

from __future__ import annotations

import io

from slackapp.devtools.demo.ssi_page import Line

WIDTH = 1280  # pixels: a laptop's window
DPI = 100
MARGIN = 48  # pixels around the text
INK, BAR = "#191919", "#0a66c2"  # LinkedIn's text and its bars' blue
# kind: (points, bold, pixels above the line: the page's cards set apart)
STYLES = {
    "title": (26, True, 0),
    "label": (17, False, 24),
    "big": (28, True, 4),
    "heading": (19, True, 28),
    "row": (18, False, 6),
    "text": (16, False, 10),
}
NUMBER_COLUMN = 130  # pixels: a row's bar and label start past its number


def draw_page(lines: list[Line]) -> bytes:
    """The lines as a PNG screenshot."""
    # Imported here: the demo's other scenes never pay for matplotlib's import themselves.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    pixels_per_point = DPI / 72
    steps = [STYLES[line.kind][2] + STYLES[line.kind][0] * pixels_per_point * 1.5 for line in lines]
    height = round(2 * MARGIN + sum(steps))
    figure = Figure(figsize=(WIDTH / DPI, height / DPI), dpi=DPI, facecolor="white")
    FigureCanvasAgg(figure)

    def write(x: float, y: float, text: str, kind: str, *, bold: bool | None = None) -> None:
        points, bold_kind, _above = STYLES[kind]
        figure.text(
            x / WIDTH,
            y / height,
            text,
            fontsize=points,
            fontweight="bold" if (bold_kind if bold is None else bold) else "normal",
            family="DejaVu Sans",
            color=INK,
            va="baseline",
        )

    y: float = height - MARGIN  # the baseline, in pixels from the bottom
    for line, step in zip(lines, steps, strict=True):
        y -= step
        if line.kind != "row":
            write(MARGIN, y, line.text, line.kind)
            continue
        number, label = line.text.split(" | ", 1)
        write(MARGIN, y, number, "row", bold=True)
        bar = ((MARGIN + NUMBER_COLUMN) / WIDTH, (y + 2) / height)
        figure.add_artist(
            Rectangle(bar, 36 / WIDTH, 10 / height, color=BAR, transform=figure.transFigure)
        )
        write(MARGIN + NUMBER_COLUMN + 56, y, label, "row")
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, facecolor="white")
    return out.getvalue()

"""Axes that tell the truth: a trend's total on a scale wide enough that a small move
looks small, and dates under it that don't run together."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from slackapp.language.speech import day

TOTAL_SPAN = 30  # the trend's total axis spans at least this: a 3-point dip looks small


def date_ticks(days: list[date], count: int) -> tuple[tuple[int, str], ...]:
    """Up to ``count`` points' dates, spread over the time shown, the latest always, none
    so close to the next that their labels would run together."""
    offsets = [(d - days[0]).days for d in days]
    span = offsets[-1]
    chosen: list[int] = []
    for step in range(count):  # from the latest back
        target = span * (count - 1 - step) / max(1, count - 1)
        nearest = min(range(len(offsets)), key=lambda i: abs(offsets[i] - target))
        if not chosen or offsets[chosen[-1]] - offsets[nearest] >= span / (count + 0.5):
            chosen.append(nearest)
    years = days[0].year != days[-1].year
    return tuple((offsets[i], day(days[i], year=years)) for i in reversed(chosen))


def total_axis(values: Sequence[float]) -> tuple[float, float]:
    """The trend's total scale: the values with a margin, at least ``TOTAL_SPAN`` points
    wide (so that 50 to 61 is not drawn as a cliff), within 0 to 100, on steps of 5."""
    low, high = min(values) - 2, max(values) + 2
    if high - low < TOTAL_SPAN:
        middle = (low + high) / 2
        low, high = middle - TOTAL_SPAN / 2, middle + TOTAL_SPAN / 2
    if low < 0:
        low, high = 0, high - low
    if high > 100:
        low, high = max(0.0, low - (high - 100)), 100
    return 5.0 * math.floor(low / 5), 5.0 * math.ceil(high / 5)

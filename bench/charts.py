"""Chart drawing benchmark: the painted way against the plain way, and the tick's workers.

    uv run python bench/charts.py [--charts 300]

Team week charts of 15 members with names as people have them (different in every team)
and all three average lines, as a tick draws one per due team:

1. In this process: ``plain_team_week`` (a new figure per chart, drawn whole) against
   ``draw_chart`` (one figure per layout, only what changes repainted), ms per chart and
   the ratio; the two pictures are compared pixel by pixel first.
2. Through ``ChartWorkers`` as a tick uses them: the time until the first chart is back
   (the workers start and import matplotlib), then charts a second, and the workers' peak
   memory.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIRST = ["Ana", "Bruno", "Chiara", "Dev", "Elif", "Finn", "Grace", "Hiro", "Ines", "Jonas"]
LAST = ["Okafor", "Lindqvist", "Moreau", "Patel", "Kowalski", "Nakamura", "Silva", "Berg"]


def specs(count: int) -> list:
    from slackapp.render.charts.pictures import TeamWeekSpec

    made = []
    for team in range(count):
        totals = [round(75.0 - m * 2.1 - team % 7, 1) for m in range(15)]
        rows = tuple(
            (
                f"{FIRST[(team + m) % len(FIRST)]} {LAST[(team * 3 + m) % len(LAST)]}{team % 97}",
                total,
                f"{total:.1f}",
                f"+{(team + m) % 5}.{m % 10}" if m % 4 else "",
            )
            for m, total in enumerate(totals)
        )
        average = round(sum(totals) / len(totals), 1)
        lines = (
            (f"team average {average}", average, "#111827"),
            (f"industry average {40 + team % 9}.2", 40.2 + team % 9, "#dc2626"),
            ("network average 37.5", 37.5, "#6b7280"),
        )
        made.append(TeamWeekSpec(rows, lines))
    return made


def pixels(png: bytes) -> bytes:
    from PIL import Image

    return Image.open(io.BytesIO(png)).convert("RGB").tobytes()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--charts", type=int, default=300)
    args = parser.parse_args()

    import matplotlib

    from slackapp.render.charts.painting import draw_chart, plain_team_week
    from slackapp.weekly.drawing import ChartWorkers

    charts = specs(args.charts)
    same = all(pixels(draw_chart(s)) == pixels(plain_team_week(s)) for s in charts[:5])
    timings = {}
    for name, draw in (("plain", plain_team_week), ("painted", draw_chart)):
        started = time.perf_counter()
        sizes = [len(draw(spec)) for spec in charts]
        timings[name] = (time.perf_counter() - started) / len(charts) * 1000
    print(f"matplotlib {matplotlib.__version__}; {len(charts)} team charts of 15 rows")
    print(f"same pixels painted and plain (first 5): {same}")
    for name, ms in timings.items():
        print(f"  {name:<8} {ms:6.1f} ms a chart")
    print(f"  plain / painted: {timings['plain'] / timings['painted']:.2f}x")
    print(f"  PNG: {sum(sizes) / len(sizes) / 1024:.0f} KB a chart")

    from slackapp.render.charts.pictures import Chart

    started = time.perf_counter()
    workers = ChartWorkers(len(charts), uploaders=1)
    futures = [workers.draw(Chart("", "", "", "", spec)) for spec in charts]
    first = None
    for future in futures:
        assert future is not None
        future.result()
        first = first or time.perf_counter() - started
    elapsed = time.perf_counter() - started
    workers.close()
    assert first is not None
    rate = (len(charts) - 1) / (elapsed - first)
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"workers: first chart after {first:.2f} s, then {rate:.1f} charts/s")
    print(f"  worker peak memory {children:.0f} MB")
    figures = {
        "matplotlib": matplotlib.__version__,
        "same_pixels": same,
        "plain_ms": timings["plain"],
        "painted_ms": timings["painted"],
        "first_s": first,
        "workers_per_s": rate,
        "worker_peak_mb": children,
    }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

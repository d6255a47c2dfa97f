"""Screenshots of LinkedIn's SSI page for the tests: an HTML reconstruction of the page (its
layout from ``shared/reference/ssi-page/README.md``, the words of ``tests/ssi_pages.py``)
rendered by headless Chromium, as a laptop's or a phone's, light or dark, PNG or JPEG.

The tests read the images kept in ``tests/data/ssi_screens/`` (CI needs no browser). To make
them again, with Debian's ``chromium`` installed:

    uv run python -m tests.ssi_screenshots
"""

from __future__ import annotations

import html
import io
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from tests.ssi_pages import LANGUAGES, WORDS, Page, number

SCREENS = Path(__file__).parent / "data" / "ssi_screens"


@dataclass(frozen=True)
class Shot:
    language: str
    width: int  # CSS pixels: 1280 a laptop, 412 a phone
    dark: bool
    format: str  # "png" or "jpeg"

    @property
    def name(self) -> str:
        device = "laptop" if self.width > 800 else "phone"
        return f"{self.language}-{device}-{'dark' if self.dark else 'light'}.{self.format}"


SHOTS = [
    shot
    for language in LANGUAGES
    for shot in (Shot(language, 1280, False, "png"), Shot(language, 412, True, "jpeg"))
]


def page_html(language: str, page: Page, *, dark: bool) -> str:
    """The page's visible parts, laid out as LinkedIn lays them out."""
    w = WORDS[language]
    e = html.escape

    def num(value: object) -> str:
        return e(number(value, language))  # type: ignore[arg-type]

    def rows(values: tuple[object, ...]) -> str:
        return "".join(
            f'<div class="row"><b>{num(v)}</b><span class="bar"></span>{e(label)}</div>'
            for label, v in zip(w.pillars, values, strict=True)
        )

    colours = ("#1b1f23", "#e8e8e8", "#2b2f33") if dark else ("#ffffff", "#191919", "#f3f2ef")
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><style>
body {{ background:{colours[2]}; color:{colours[1]}; font-family: 'DejaVu Sans', sans-serif;
  margin:0; padding:16px; font-size:16px; }}
.card {{ background:{colours[0]}; border-radius:8px; padding:16px; margin-bottom:12px; }}
.ranks {{ display:flex; flex-wrap:wrap; gap:12px; }} .ranks .card {{ flex:1; min-width:160px; }}
.big {{ font-size:28px; font-weight:bold; }} .row {{ margin:8px 0; }}
.row b {{ display:inline-block; min-width:64px; }}
.bar {{ display:inline-block; width:40px; height:8px; background:#0a66c2; margin:0 10px; }}
h1 {{ font-size:22px; }} h2 {{ font-size:18px; }}
</style></head><body>
<h1>{e(w.title)}</h1>
<div class="ranks"><div class="card">{e(w.industry_rank)}<div class="big">
{e(w.top.format(n=number(page.industry_top, language)))}</div></div>
<div class="card">{e(w.network_rank)}<div class="big">
{e(w.top.format(n=number(page.network_top, language)))}</div></div></div>
<div class="card"><h2>{e(w.current)}</h2>
<div class="big">{e(w.out_of.format(n=number(page.total, language)))}</div>
<h2>{e(w.components)}</h2>{rows(page.pillars)}</div>
<div class="card"><h2>{e(w.industry_people)}</h2>
<div class="big">{e(w.out_of.format(n=number(page.industry_average, language)))}</div>
{rows(page.industry_pillars)}
<p>{
        e(
            w.industry_sentence.format(
                name=page.industry_name, average=number(page.industry_average, language)
            )
        )
    }</p></div>
<div class="card"><h2>{e(w.network_people)}</h2>
<div class="big">{e(w.out_of.format(n=number(page.network_average, language)))}</div>
{rows(page.network_pillars)}
<p>{e(w.network_sentence.format(average=number(page.network_average, language)))}</p></div>
</body></html>"""


def render(shot: Shot, page: Page | None = None) -> bytes:
    """The screenshot's bytes, rendered by Debian's headless Chromium."""
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "page.html", Path(folder) / "shot.png"
        source.write_text(page_html(shot.language, page or Page(), dark=shot.dark))
        height = 2000 if shot.width < 800 else 1400
        subprocess.run(
            [
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={folder}/profile",
                "--hide-scrollbars",
                f"--window-size={shot.width},{height}",
                f"--screenshot={target}",
                source.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        image = Image.open(target).convert("RGB")
    out = io.BytesIO()
    if shot.format == "jpeg":
        image.save(out, "JPEG", quality=80)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


if __name__ == "__main__":
    SCREENS.mkdir(parents=True, exist_ok=True)
    for shot in SHOTS:
        (SCREENS / shot.name).write_bytes(render(shot))
        print(shot.name, (SCREENS / shot.name).stat().st_size, "bytes")

"""An SSI page as text: what a person copies off linkedin.com/sales/ssi (select all, copy),
or what Tesseract reads off a screenshot of it. Pure; for any text, either a checked
``PageReading`` or ``NotAnSsiPage`` saying what was found and what was missing.

The page holds three groups of four pillar rows (the person's, their industry's, their
network's): the person's is the first complete group, and it must add up to the person's
total. Each row is a number and a label, in either order, on one line or on two; rank
cards may stand side by side (two labels, then two values); the hidden accessibility
tables may repeat rows, or not come along at all."""

from __future__ import annotations

import re
from decimal import Decimal

from models.domain.ssi import Pillar
from models.domain.ssi_page.labels import (
    AVERAGE,
    AVERAGE_SSI,
    INDUSTRY,
    INDUSTRY_NAME,
    NETWORK,
    OUT_OF,
    PILLAR_WORDS,
    RANK,
    folded,
)
from models.domain.ssi_page.page_json import looks_like_page_json, read_page_json
from models.domain.ssi_page.page_reading import (
    NotAnSsiPage,
    PageReading,
    Source,
    checked,
    on_page,
    require_every_pillar,
)
from models.domain.words import N_

MAX_PAGE_TEXT = 60_000  # characters: a whole page's copy is a few thousand
NAME_LIMIT = 80  # characters of an industry's name

_BARS = re.compile(r"[|│┃¦]")
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[.,]\d{1,6})?)(?![\w%]|[.,]\d)")
_DIGIT = re.compile(r"\d")
_BARE_NUMBER = re.compile(r"\d{1,3}(?:[.,]\d{1,6})?")
# A change since last week on a rank card is no rank: "+2%", "▲ 3 %", "since last week".
_CHANGE = re.compile("[+\\-\u2212\u2191\u2193\u25b2\u25bc]\\s*$")
# "SSI", as OCR may read it too ("SSl", "SS1").
_SSI = re.compile(r"\bss[il1]\b|\bss[il1]-|-ss[il1]\b")
_CHANGE_WORDS = re.compile(r"\b(?:since|seit|desde|rispetto|sinds|last week|letzte woche)\b")


def _decimal(typed: str) -> Decimal:
    return Decimal(typed.replace(",", "."))


def _pillar_of(line: str) -> Pillar | None:
    """The one pillar whose label this (folded) line holds; None for none, or for two."""
    found = {p for p, words in PILLAR_WORDS.items() if any(w in line for w in words)}
    return found.pop() if len(found) == 1 else None


def _pillar_rows(lines: list[str]) -> list[tuple[int, Pillar, Decimal]]:
    """Every pillar row: (line, pillar, value), the value on the label's line or, for a
    label alone on its line, on the bare number line just before or after it."""
    rows: list[tuple[int, Pillar, Decimal]] = []
    used: set[int] = set()
    for index, line in enumerate(lines):
        pillar = _pillar_of(line)
        following = lines[index + 1] if index + 1 < len(lines) else ""
        wrapped = _NUMBER.match(line) and not _BARE_NUMBER.fullmatch(line)
        if pillar is None and wrapped and not _DIGIT.search(following):
            # A label wrapped onto the next line (a phone's narrow screen, read by OCR).
            pillar = _pillar_of(f"{line} {following}")
        if pillar is None:
            continue
        number = _NUMBER.search(line)
        if number is not None:
            rows.append((index, pillar, _decimal(number[1])))
            continue
        for near in (index - 1, index + 1):
            bare = 0 <= near < len(lines) and _BARE_NUMBER.fullmatch(lines[near])
            if bare and near not in used:
                used.add(near)
                rows.append((index, pillar, _decimal(lines[near])))
                break
    return rows


def _first_group(rows: list[tuple[int, Pillar, Decimal]]) -> tuple[int, dict[Pillar, Decimal]]:
    """The first four rows naming each pillar once (a pillar seen again starts a group
    afresh): the person's. Returns the line it starts on, and its pillars (fewer than four
    when no group was complete: the most found)."""
    best: tuple[int, dict[Pillar, Decimal]] = (0, {})
    start, group = 0, dict[Pillar, Decimal]()
    for index, pillar, value in rows:
        if pillar in group:
            start, group = index, {}
        if not group:
            start = index
        group[pillar] = value
        if len(group) == len(Pillar):
            return start, group
        if len(group) > len(best[1]):
            best = (start, dict(group))
    return best


def _ranks(lines: list[str]) -> dict[str, Decimal]:
    """The two rank cards, from the lines above the person's pillars: labels and values
    paired in the order they come, so that side-by-side cards (two labels, then two values)
    and values written before their labels pair up as on the page."""
    labels: list[str] = []
    values: list[Decimal] = []
    ranks: dict[str, Decimal] = {}
    for line in lines:
        if _CHANGE_WORDS.search(line):
            continue
        if _SSI.search(line) and not AVERAGE.search(line):
            marks = [(m.start(), "industry") for m in INDUSTRY.finditer(line)]
            marks += [(m.start(), "network") for m in NETWORK.finditer(line)]
            labels += [name for _at, name in sorted(marks)]
        for match in RANK.finditer(line):
            # Only the few characters before it: a sign there makes it a change.
            if not _CHANGE.search(line, max(0, match.start() - 4), match.start()):
                values.append(_decimal(match[1]))
        while labels and values:
            ranks.setdefault(labels.pop(0), values.pop(0))
        if len(ranks) == 2:
            break
    return ranks


def _averages(joined: str) -> dict[str, Decimal]:
    """The industry's and the network's averages from their sentences ("...have an average
    SSI of 31."): each belongs to the industry or network word nearest before it."""
    averages: dict[str, Decimal] = {}
    for match in AVERAGE_SSI.finditer(joined):
        before = joined[max(0, match.start() - 160) : match.start()]
        last_industry = max((m.end() for m in INDUSTRY.finditer(before)), default=-1)
        last_network = max((m.end() for m in NETWORK.finditer(before)), default=-1)
        name = "network" if last_network > last_industry else "industry"
        averages.setdefault(name, _decimal(match[1]))
    return averages


def _industry_name(text: str) -> str | None:
    """From the industry's sentence: on one line, or wrapped over several (OCR)."""
    match = INDUSTRY_NAME.search(text) or INDUSTRY_NAME.search(" ".join(text.split()))
    if match is None:
        return None
    name = next(group for group in match.groups() if group).strip(" .,:;")
    return name[:NAME_LIMIT] or None


def read_page_text(text: str, source: Source = Source.PASTE) -> PageReading:
    """Read a copied (or OCR-read) SSI page. Raises ``NotAnSsiPage``."""
    if len(text) > MAX_PAGE_TEXT:
        raise NotAnSsiPage(
            N_("That's {length} characters, far more than an SSI page holds."), length=len(text)
        )
    original = [" ".join(_BARS.sub(" ", line).split()) for line in text.splitlines()]
    kept = [(o, folded(o).strip()) for o in original if o]
    lines = [f for _o, f in kept]
    rows = _pillar_rows(lines)
    start, pillars = _first_group(rows)
    require_every_pillar(pillars)
    above = lines[:start]
    totals = [OUT_OF.search(line) for line in above]
    total = next((_decimal(m[1]) for m in reversed(totals) if m), None)
    ranks = _ranks(above)
    joined = " ".join(lines)
    averages = _averages(joined)
    below = [m for line in lines[start:] if (m := OUT_OF.search(line))]
    # Without their sentences, the industry's and the network's donuts (in that order).
    for name, donut in zip(("industry", "network"), below, strict=False):
        averages.setdefault(name, _decimal(donut[1]))
    reading = PageReading(
        pillars={
            p: on_page(v)
            for p, v in sorted(pillars.items(), key=lambda i: list(Pillar).index(i[0]))
        },
        source=source,
        total=on_page(total) if total is not None else None,
        industry_top=ranks.get("industry"),
        network_top=ranks.get("network"),
        industry_average=averages.get("industry"),
        network_average=averages.get("network"),
        industry_name=_industry_name("\n".join(o for o, _f in kept)),
    )
    return checked(reading)


def read_pasted(text: str) -> PageReading:
    """Whatever a person pasted: the page's JSON when it is that, else the page's text.
    Raises ``NotAnSsiPage``."""
    return read_page_json(text) if looks_like_page_json(text) else read_page_text(text)

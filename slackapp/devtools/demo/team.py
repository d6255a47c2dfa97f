"""The demo's sales team and calendar: eight sellers, how each types their SSI and how it
moves week to week, the mistakes they make, and the four weeks from Monday, October 26, 2026."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

CHANNEL = "C0SALES"
FIRST_MONDAY = datetime(2026, 10, 26, 8, 0, tzinfo=UTC)
WEEKS = 4
BERLIN = ZoneInfo("Europe/Berlin")
# The team keeps the set-up's default: its leaderboard goes out on Mondays at 09:00, Berlin
# time, and reports on the seven days before.


@dataclass
class Seller:
    """A demo team member and how they like to type their SSI."""

    user_id: str
    name: str
    pillars: list[float]  # brand, find, engage, relate
    style: str  # "total" first, just the "pillars", or "comma" decimals
    industry: tuple[int, int] | None = None  # average, top %
    network: tuple[int, int] | None = None
    skips_week: int | None = None
    away_week: int | None = None  # says /ssi away until the week's end instead of sharing
    locale: str = "en-US"  # their Slack's: the app answers them in its language

    @property
    def language(self) -> str:
        """Their Slack's language ("de"), as their LinkedIn speaks it too."""
        return self.locale.split("-")[0]

    def typed(self) -> str:
        """What they type after /ssi, as LinkedIn shows it (total rounded)."""
        total = round(sum(self.pillars))
        pillars = [f"{p:.2f}".rstrip("0").rstrip(".") for p in self.pillars]
        if self.style == "comma":
            pillars = [p.replace(".", ",") for p in pillars]
        text = " ".join(pillars if self.style == "pillars" else [str(total), *pillars])
        if self.industry:
            text += f" industry {self.industry[0]} top {self.industry[1]}%"
        if self.network:
            text += f" network {self.network[0]} top {self.network[1]}%"
        return text

    def next_week(self, rng: random.Random) -> None:
        """SSI moves a little each week: brand and relate slowly, find and engage faster."""
        steps = (0.3, 0.9, 1.1, 0.3)
        self.pillars = [
            min(25.0, max(0.0, round(p + rng.uniform(-step * 0.6, step), 2)))
            for p, step in zip(self.pillars, steps, strict=True)
        ]


def sales_team() -> list[Seller]:
    return [
        Seller(
            "U0ANA",
            "Ana Ortiz",
            [21.4, 17.66, 13.78, 19.4],
            "comma",
            (22, 3),
            (37, 14),
            locale="es-ES",
        ),
        Seller(
            "U0BEN", "Ben Fischer", [16.2, 14.1, 12.35, 15.8], "comma", (24, 18), locale="de-DE"
        ),
        Seller("U0CHLOE", "Chloé Martin", [19.1, 16.4, 14.2, 15.6], "total", None, (33, 20)),
        Seller("U0DEV", "Dev Patel", [12.5, 11.2, 8.9, 11.4], "pillars", skips_week=3),
        Seller("U0EMMA", "Emma Rossi", [17.8, 15.3, 12.6, 15.1], "total", (22, 9), (31, 25)),
        Seller("U0FINN", "Finn Larsen", [9.8, 8.1, 6.4, 9.2], "total", away_week=WEEKS),
        Seller("U0GRACE", "Grace Kim", [20.3, 17.2, 15.9, 16.8], "total", (25, 4), (40, 11)),
        Seller("U0HUGO", "Hugo Brandt", [15.1, 13.4, 10.9, 13.2], "pillars"),
    ]


# Mistakes people make, each followed by the corrected submission: (week, user, text).
MISTAKES = [
    (1, "U0FINN", "33 9,8 8,1 6,4 9,2 industry 22 top 120%"),
    (2, "U0DEV", "44 26 11 9 11"),
    (2, "U0HUGO", "fifty-three"),
    (3, "U0EMMA", "86 17,8 15,3 12,6 15,1"),
    (3, "U0BEN", "58 16 14 12"),
]

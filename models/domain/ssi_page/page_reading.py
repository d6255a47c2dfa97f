"""What was read off an SSI page: the person's total and pillars as the page shows them (up
to three decimals), their ranks and their industry's and network's averages, the industry's
name, and where it came from. Checked before anything is offered to save: a reading whose
pillars don't add up to its total is refused with the sums."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from models.domain.ssi import (
    PERCENT_MAX,
    PILLAR_MAX,
    THREE_PLACES,
    TOTAL_MAX,
    Benchmark,
    Pillar,
    Reading,
    build_benchmark,
    build_reading,
)
from models.domain.words import N_, Explained, Phrase

# LinkedIn shows pillars to three decimals and the total as their sum, rounded to a whole
# number: 12.275 + 6 + 3.1 + 1.948 = 23.323 shows as "23 out of 100".
PAGE_PLACES = Decimal("0.001")


class Source(StrEnum):
    """Where a shared reading came from (kept with the reading)."""

    TYPED = "typed"
    PASTE = "paste"
    SCREENSHOT = "screenshot"
    JSON = "json"


# What a refusal names as found or missing, in the person's language when shown.
PART_NAMES = {
    "total": Phrase(N_("the total")),
    "pillars": Phrase(N_("the four pillars")),
    "industry_top": Phrase(N_("your industry rank")),
    "network_top": Phrase(N_("your network rank")),
    "industry_average": Phrase(N_("the industry average")),
    "network_average": Phrase(N_("the network average")),
    "industry_name": Phrase(N_("the industry's name")),
}


class NotAnSsiPage(Explained):
    """Nothing here reads as an SSI page (or not enough of one): what was found and what
    was missing, so the answer can say both."""

    def __init__(self, template: str, *, found: tuple[str, ...] = (), **params: object) -> None:
        super().__init__(template, **params)
        self.found = found


class AlreadySaved(Exception):
    """A preview of a shared page was saved before: nothing more is stored."""


@dataclass(frozen=True, slots=True)
class PageReading:
    """The numbers of one SSI page. ``total`` is the page's own (its donut, or the JSON's
    overall); None when it wasn't read, and then the pillars' sum stands for it."""

    pillars: dict[Pillar, Decimal]
    source: Source
    total: Decimal | None = None
    industry_top: Decimal | None = None
    network_top: Decimal | None = None
    industry_average: Decimal | None = None
    network_average: Decimal | None = None
    industry_name: str | None = None

    @property
    def pillar_sum(self) -> Decimal:
        return sum(self.pillars.values(), Decimal(0))

    @property
    def shown_total(self) -> Decimal:
        """The total as the page shows it: its own, else the pillars' sum, whole."""
        if self.total is not None:
            return self.total
        return self.pillar_sum.quantize(Decimal(1), rounding=ROUND_HALF_UP)

    @property
    def missing(self) -> tuple[str, ...]:
        """The parts a whole page has that this one lacked (the pillars are never missing
        from a ``PageReading``)."""
        parts = {
            "total": self.total,
            "industry_top": self.industry_top,
            "network_top": self.network_top,
            "industry_average": self.industry_average,
            "network_average": self.network_average,
            "industry_name": self.industry_name,
        }
        return tuple(name for name, value in parts.items() if value is None)


def _kept(value: Decimal | None) -> Decimal | None:
    """As every score is stored: to thousandths, the page's own places (the JSON has more)."""
    if value is None:
        return None
    return value.quantize(THREE_PLACES, rounding=ROUND_HALF_UP).normalize() + 0


def as_reading(page: PageReading) -> Reading:
    """The reading a Save stores: the page's total (else the pillars' sum), its pillars,
    ranks and averages, checked by the same rules as a typed ``/ssi``."""
    pillars = {p: _kept(v) or Decimal(0) for p, v in page.pillars.items()}
    return build_reading(
        _kept(page.total),
        pillars,
        industry=_benchmark("industry", page.industry_average, page.industry_top),
        network=_benchmark("network", page.network_average, page.network_top),
    )


def _benchmark(name: str, average: Decimal | None, top: Decimal | None) -> Benchmark:
    return build_benchmark(name, _kept(average), _kept(top))


def require_every_pillar(pillars: dict[Pillar, Decimal]) -> None:
    """A page gives all four pillars; else ``NotAnSsiPage``, saying how many were found."""
    if len(pillars) < len(Pillar):
        raise NotAnSsiPage(
            N_(
                "That doesn't read as your SSI page: I found {count} of the four pillars "
                "(brand, find, engage, relate)."
            ),
            count=len(pillars),
            found=tuple(p.value for p in pillars),
        )


def checked(reading: PageReading) -> PageReading:
    """``reading`` if it is a possible SSI page, else ``NotAnSsiPage`` saying why: a pillar
    or total out of range, a rank out of 0..100, or pillars that don't add up to the total
    (LinkedIn rounds the total to a whole number: at most half a point off)."""
    for pillar, value in reading.pillars.items():
        if not Decimal(0) <= value <= PILLAR_MAX:
            raise NotAnSsiPage(
                N_("{pillar} reads {value}, but a pillar is 0 to 25."), pillar=pillar, value=value
            )
    averages = (reading.total, reading.industry_average, reading.network_average)
    for score in averages:
        if score is not None and not Decimal(0) <= score <= TOTAL_MAX:
            raise NotAnSsiPage(N_("A score reads {value}, but SSI is 0 to 100."), value=score)
    for rank in (reading.industry_top, reading.network_top):
        if rank is not None and not Decimal(0) < rank <= PERCENT_MAX:
            raise NotAnSsiPage(N_("A rank reads top {value}%, which can't be."), value=rank)
    if reading.total is not None and abs(reading.total - reading.pillar_sum) > Decimal("0.5"):
        raise NotAnSsiPage(
            N_(
                "The pillars read {brand} + {find} + {engage} + {relate} = {sum}, but the page's "
                "total reads {total}. Nothing was saved: share it again, or type "
                "`/ssi {total} {brand} {find} {engage} {relate}` with the page's numbers."
            ),
            sum=reading.pillar_sum,
            total=reading.total,
            brand=reading.pillars[Pillar.BRAND],
            find=reading.pillars[Pillar.FIND],
            engage=reading.pillars[Pillar.ENGAGE],
            relate=reading.pillars[Pillar.RELATE],
        )
    return reading


def on_page(value: Decimal) -> Decimal:
    """``value`` as the page shows it: at most three decimals, no trailing zeros."""
    shown = value.quantize(PAGE_PLACES, rounding=ROUND_HALF_UP).normalize()
    exponent = shown.as_tuple().exponent
    return shown.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 else shown


_FIELDS = ("total", "industry_top", "network_top", "industry_average", "network_average")


def to_value(page: PageReading) -> str:
    """``page`` as a button's value (Slack keeps up to 2,000 characters; this is ~200)."""
    data: dict[str, object] = {
        "p": [str(page.pillars[p]) for p in Pillar],
        "s": page.source.value,
        **{k: str(v) for k in _FIELDS if (v := getattr(page, k)) is not None},
    }
    if page.industry_name:
        data["n"] = page.industry_name
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def from_value(value: str) -> PageReading:
    """A button's value back into the page it showed, checked again (a forged request could
    carry anything). Raises ``NotAnSsiPage``."""
    try:
        data = json.loads(value)
        pillars = dict(zip(Pillar, (Decimal(v) for v in data["p"]), strict=True))
        extra = {k: Decimal(data[k]) for k in _FIELDS if data.get(k) is not None}
        name = data.get("n")
        page = PageReading(
            pillars=pillars,
            source=Source(data["s"]),
            industry_name=name[:80] if isinstance(name, str) and name else None,
            **extra,
        )
    except (ValueError, KeyError, TypeError, InvalidOperation):
        raise NotAnSsiPage(N_("That button no longer holds a reading.")) from None
    if not all(v.is_finite() for v in [*pillars.values(), *extra.values()]):
        raise NotAnSsiPage(N_("That button no longer holds a reading."))
    return checked(page)

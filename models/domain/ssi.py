"""LinkedIn's Social Selling Index as a value: four pillars, a total, optional benchmarks.

Pure domain code: no database, no Slack. Everything numeric is a ``Decimal`` with at most three
places, because LinkedIn shows pillars like 12.275 and week-to-week changes are small enough
that float noise or rounding to integers would hide them.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple

from models.domain.words import N_, NP_, Explained, Phrase

PILLAR_MAX = Decimal(25)
TOTAL_MAX = Decimal(100)
PERCENT_MAX = Decimal(100)
THREE_PLACES = Decimal("0.001")


class Pillar(StrEnum):
    """The four SSI pillars, in the order LinkedIn shows them."""

    BRAND = "brand"
    FIND = "find"
    ENGAGE = "engage"
    RELATE = "relate"

    @property
    def title(self) -> str:  # type: ignore[override]  # the pillar's name, not str.title()
        """LinkedIn's own English name for the pillar."""
        return PILLAR_TITLES[self]


# LinkedIn's own English names; each language's are in the catalogs (DESIGN.md section 8).
PILLAR_TITLES: dict[Pillar, str] = {
    Pillar.BRAND: NP_("pillar", "Establish your professional brand"),
    Pillar.FIND: NP_("pillar", "Find the right people"),
    Pillar.ENGAGE: NP_("pillar", "Engage with insights"),
    Pillar.RELATE: NP_("pillar", "Build relationships"),
}


class Benchmark(NamedTuple):
    """A member's standing in their industry or network, as LinkedIn's SSI page shows it.
    (Value types here are NamedTuples: the weekly run builds hundreds of thousands, and a
    frozen dataclass costs several times as much to construct.)"""

    average: Decimal | None = None
    top_percent: Decimal | None = None

    @property
    def known(self) -> bool:
        return self.average is not None or self.top_percent is not None


UNKNOWN = Benchmark()


class Reading(NamedTuple):
    """One SSI reading: total and pillars, plus the industry and network benchmarks if given."""

    total: Decimal
    brand: Decimal
    find: Decimal
    engage: Decimal
    relate: Decimal
    industry: Benchmark = UNKNOWN
    network: Benchmark = UNKNOWN

    def pillar(self, pillar: Pillar) -> Decimal:
        score: Decimal = getattr(self, pillar.value)
        return score

    @property
    def pillars(self) -> dict[Pillar, Decimal]:
        return {p: self.pillar(p) for p in Pillar}

    @property
    def weakest_pillar(self) -> Pillar:
        """The pillar furthest from its maximum; ties go to the earlier pillar in LinkedIn's
        order, so the answer never depends on dict ordering or chance."""
        return min(Pillar, key=lambda p: (self.pillar(p), list(Pillar).index(p)))


def pillar_deltas(current: Reading, previous: Reading) -> dict[str, Decimal]:
    """Change from ``previous`` to ``current`` for the total and each pillar."""
    # Spelled out: this runs for every member of every team each week.
    return {
        "total": current.total - previous.total,
        "brand": current.brand - previous.brand,
        "find": current.find - previous.find,
        "engage": current.engage - previous.engage,
        "relate": current.relate - previous.relate,
    }


class InvalidReading(Explained):
    """A reading that breaks an SSI rule. ``field`` names the input it belongs to, so a modal
    can show the message beside that input."""

    def __init__(self, template: str, field: str | None = None, **params: Any) -> None:
        super().__init__(template, **params)
        self.field = field


def half_unit(value: Decimal) -> Decimal:
    """Half of the last typed digit: 21 may stand for 20.5..21.49, 21.4 for 21.35..21.449."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(5).scaleb(exponent - 1)


# What a checked number is called in a refusal (the subject of its sentence).
TOTAL_LABEL = Phrase(N_("The total SSI"))
AVERAGE_LABELS = {
    "industry": Phrase(N_("The industry average")),
    "network": Phrase(N_("The network average")),
}
RANK_LABELS = {
    "industry": Phrase(N_("Your industry rank")),
    "network": Phrase(N_("Your network rank")),
}


def _check_places(value: Decimal, label: Phrase | Pillar, field: str) -> None:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent < -3:
        raise InvalidReading(
            N_(
                "{label} has more than three decimals ({value}); LinkedIn shows at most "
                "three, like 12.275."
            ),
            field,
            label=label,
            value=value,
        )


def _check_range(value: Decimal, maximum: Decimal, label: Phrase | Pillar, field: str) -> None:
    _check_places(value, label, field)
    if value < 0:
        raise InvalidReading(
            N_("{label} can't be negative (you typed {value})."), field, label=label, value=value
        )
    if value > maximum:
        raise InvalidReading(
            N_("{label} is {value}, but it can be at most {maximum}."),
            field,
            label=label,
            value=value,
            maximum=maximum,
        )


def check_pillar(pillar: Pillar, value: Decimal) -> None:
    _check_range(value, PILLAR_MAX, pillar, pillar.value)


def check_total(value: Decimal) -> None:
    _check_range(value, TOTAL_MAX, TOTAL_LABEL, "total")


def check_average(name: str, value: Decimal) -> None:
    """An industry or network average is an SSI: 0 to 100."""
    _check_range(value, TOTAL_MAX, AVERAGE_LABELS[name], f"{name}_average")


def check_top_percent(name: str, value: Decimal) -> None:
    """A "top N %" rank: above 0, at most 100."""
    field = f"{name}_top"
    _check_places(value, RANK_LABELS[name], field)
    if not Decimal(0) < value <= PERCENT_MAX:
        raise InvalidReading(
            N_("{label} says top {value}%, but a rank must be between top 0.01% and top 100%."),
            field,
            label=RANK_LABELS[name],
            value=value,
        )


def build_benchmark(name: str, average: Decimal | None, top_percent: Decimal | None) -> Benchmark:
    """Validate one benchmark (``name`` is industry or network)."""
    if average is not None:
        check_average(name, average)
    if top_percent is not None:
        check_top_percent(name, top_percent)
    return Benchmark(average=average, top_percent=top_percent)


def build_reading(
    total: Decimal | None,
    pillars: dict[Pillar, Decimal],
    industry: Benchmark = UNKNOWN,
    network: Benchmark = UNKNOWN,
) -> Reading:
    """Check a reading against the SSI rules and return it.

    Without a total, the total is the pillars' sum. With one, it must agree with the sum up to
    rounding: LinkedIn rounds the total to a whole number (up to 0.5 off) and each pillar typed
    with fewer decimals may itself be off by half its last digit.
    """
    for pillar in Pillar:
        check_pillar(pillar, pillars[pillar])
    pillar_sum = sum(pillars.values(), Decimal(0))
    if total is None:
        total = pillar_sum
    else:
        check_total(total)
        tolerance = Decimal("0.5") + sum((half_unit(v) for v in pillars.values()), Decimal(0))
        if abs(total - pillar_sum) > tolerance:
            raise InvalidReading(
                N_(
                    "The pillars add up to {sum} ({brand} + {find} + {engage} + {relate}), but "
                    "the total says {total}. Check the numbers on your SSI page, or leave the "
                    "total out and I'll add the pillars up."
                ),
                "total",
                sum=pillar_sum,
                total=total,
                **{p.value: pillars[p] for p in Pillar},
            )
    return Reading(
        total=total,
        brand=pillars[Pillar.BRAND],
        find=pillars[Pillar.FIND],
        engage=pillars[Pillar.ENGAGE],
        relate=pillars[Pillar.RELATE],
        industry=industry,
        network=network,
    )

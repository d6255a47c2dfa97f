"""A person's submissions as read back, and how scores are kept: whole thousandths (0 to
100,000; 12.275 is 12275), so sums and averages over a team stay exact integers until they
are shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple, overload

from models.domain.ssi import Benchmark, Reading


class StoredSubmission(NamedTuple):
    """A submission as read back: who, when, and the reading."""

    id: int
    user_id: str
    user_name: str
    channel_id: str | None
    submitted_at: datetime
    source: str
    reading: Reading


@dataclass(frozen=True, slots=True)
class KnownBenchmark:
    """The latest industry or network values a person gave, and when."""

    benchmark: Benchmark
    as_of: datetime


def to_thousandths(value: Decimal | None) -> int | None:
    return None if value is None else int(value * 1000)


# Share one immutable Decimal per value instead of building one per column per row (the
# weekly run reads hundreds of thousands of rows). Filled as values are met: a table of all
# 100,001 scores up front would cost every process 10 MB, most of it never read. Bounded:
# scores and their changes lie within -100 to 100.
_DECIMALS: dict[int, Decimal] = {}
_BOUND = 100_000


@overload
def from_thousandths(value: int) -> Decimal: ...
@overload
def from_thousandths(value: int | None) -> Decimal | None: ...
def from_thousandths(value: int | None) -> Decimal | None:
    if value is None:
        return None
    found = _DECIMALS.get(value)
    if found is None:
        found = Decimal(value).scaleb(-3)
        if -_BOUND <= value <= _BOUND:
            _DECIMALS[value] = found
    return found


@dataclass(frozen=True, slots=True)
class PersonHistory:
    """How much a person has shared in a workspace, and over what time."""

    count: int
    first: datetime | None
    last: datetime | None

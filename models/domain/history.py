"""A person's submissions as read back, and how scores are kept: whole hundredths (0 to
10,000), so sums and averages over a team stay exact integers until they are shown."""

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


def to_hundredths(value: Decimal | None) -> int | None:
    return None if value is None else int(value * 100)


# Every score is 0.00 to 100.00: share one immutable Decimal per value instead of building
# one per column per row (the weekly run reads hundreds of thousands of rows).
_DECIMALS = tuple(Decimal(i).scaleb(-2) for i in range(10_001))


@overload
def from_hundredths(value: int) -> Decimal: ...
@overload
def from_hundredths(value: int | None) -> Decimal | None: ...
def from_hundredths(value: int | None) -> Decimal | None:
    if value is None:
        return None
    return _DECIMALS[value] if 0 <= value <= 10_000 else Decimal(value).scaleb(-2)


@dataclass(frozen=True, slots=True)
class PersonHistory:
    """How much a person has shared in a workspace, and over what time."""

    count: int
    first: datetime | None
    last: datetime | None

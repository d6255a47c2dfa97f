"""SSI rules on their own: ranges, the total check, weakest pillar, deltas."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from models.domain.ssi import (
    Benchmark,
    InvalidReading,
    Pillar,
    Reading,
    build_benchmark,
    build_reading,
    half_unit,
    pillar_deltas,
)


def pillars(brand: str, find: str, engage: str, relate: str) -> dict[Pillar, D]:
    return dict(zip(Pillar, map(D, (brand, find, engage, relate)), strict=True))


def test_half_unit_is_half_the_last_typed_digit() -> None:
    assert half_unit(D("21")) == D("0.5")
    assert half_unit(D("21.4")) == D("0.05")
    assert half_unit(D("17.66")) == D("0.005")


def test_total_defaults_to_the_sum() -> None:
    assert build_reading(None, pillars("21.4", "17.66", "13.78", "19.4")).total == D("72.24")


def test_extremes_are_allowed() -> None:
    assert build_reading(D(100), pillars("25", "25", "25", "25")).total == 100
    assert build_reading(D(0), pillars("0", "0", "0", "0")).total == 0


def test_the_error_names_the_field() -> None:
    with pytest.raises(InvalidReading) as raised:
        build_reading(None, pillars("21", "17", "26", "16"))
    assert raised.value.field == "engage"
    with pytest.raises(InvalidReading) as raised:
        build_reading(D(90), pillars("21", "17", "14", "16"))
    assert raised.value.field == "total"
    with pytest.raises(InvalidReading) as raised:
        build_benchmark("network", D(37), D(0))
    assert raised.value.field == "network_top"


def test_weakest_pillar_and_ties_go_to_linkedins_order() -> None:
    assert build_reading(None, pillars("21", "17", "14", "16")).weakest_pillar is Pillar.ENGAGE
    assert build_reading(None, pillars("15", "15", "20", "15")).weakest_pillar is Pillar.BRAND


def test_deltas_are_exact() -> None:
    before = Reading(D("52.6"), D(13), D(13), D(13), D("13.6"))
    after = Reading(D(53), D("13.1"), D(13), D("13.3"), D("13.6"))
    assert pillar_deltas(after, before) == {
        "total": D("0.4"),
        "brand": D("0.1"),
        "find": D(0),
        "engage": D("0.3"),
        "relate": D(0),
    }


def test_benchmark_known() -> None:
    assert not Benchmark().known
    assert Benchmark(top_percent=D(5)).known

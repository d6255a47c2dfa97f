"""Reading the SSI page's own JSON: exact values keyed on ``pillar`` and ``groupType``,
whatever their order; every group optional; anything else refused, never raised."""

from __future__ import annotations

import json
import random
from decimal import Decimal as D
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.domain.ssi import Pillar
from models.domain.ssi_page.page_json import looks_like_page_json, read_page_json
from models.domain.ssi_page.page_reading import NotAnSsiPage, Source

REFERENCE: dict[str, Any] = {
    "memberScore": {
        "overall": 19.705751,
        "subScores": [
            {"pillar": "PROFESSIONAL_BRAND", "score": 13.118002},
            {"pillar": "FIND_RIGHT_PEOPLE", "score": 3.68},
            {"pillar": "INSIGHT_ENGAGEMENT", "score": 0.29999998},
            {"pillar": "STRONG_RELATIONSHIP", "score": 2.6077502},
        ],
    },
    "groupScore": [
        {"groupType": "INDUSTRY", "rank": 75, "score": {"overall": 30.99, "subScores": []}},
        {"groupType": "NETWORK", "rank": 81, "score": {"overall": 32.72, "subScores": []}},
    ],
}


def test_the_reference_reads_as_the_page_shows_it() -> None:
    reading = read_page_json(json.dumps(REFERENCE))
    assert reading.pillars == {
        Pillar.BRAND: D("13.118"),
        Pillar.FIND: D("3.68"),
        Pillar.ENGAGE: D("0.3"),
        Pillar.RELATE: D("2.608"),
    }
    assert reading.shown_total == D("19.706") and reading.source is Source.JSON
    assert (reading.industry_top, reading.network_top) == (75, 81)
    assert (reading.industry_average, reading.network_average) == (D("30.99"), D("32.72"))
    assert looks_like_page_json(json.dumps(REFERENCE))


def test_order_never_matters_and_extras_come_along() -> None:
    data = json.loads(json.dumps(REFERENCE))
    random.Random(3).shuffle(data["memberScore"]["subScores"])
    data["groupScore"].reverse()
    data["groupScore"][1]["industry"] = "Software  Development"
    data["groupScore"].append({"groupType": "TEAM", "rank": 2, "groupSize": 12})
    reading = read_page_json(json.dumps({"data": data}))
    assert reading.pillars[Pillar.BRAND] == D("13.118")
    assert reading.industry_top == 75 and reading.industry_name == "Software Development"


def test_groups_are_optional() -> None:
    data = {"memberScore": REFERENCE["memberScore"]}
    reading = read_page_json(json.dumps(data))
    assert reading.industry_top is None
    assert "industry_top" in reading.missing and "network_average" in reading.missing


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{}",
        "[1, 2]",
        '{"memberScore": {"subScores": []}}',
        '{"memberScore": {"overall": 90, "subScores": '
        + json.dumps(REFERENCE["memberScore"]["subScores"])
        + "}}",
        '{"memberScore": {"subScores": [{"pillar": "PROFESSIONAL_BRAND", "score": 40}, '
        '{"pillar": "FIND_RIGHT_PEOPLE", "score": 1}, {"pillar": "INSIGHT_ENGAGEMENT", '
        '"score": 1}, {"pillar": "STRONG_RELATIONSHIP", "score": 1}]}}',
        '{"memberScore": {"subScores": [{"pillar": "PROFESSIONAL_BRAND", "score": "NaN"}]}}',
        "[" * 100_000,
        # Numbers no SSI page holds, however written.
        '{"memberScore": {"overall": 1e40, "subScores": [{"pillar": "PROFESSIONAL_BRAND", '
        '"score": 1e30}, {"pillar": "FIND_RIGHT_PEOPLE", "score": "1e100"}, '
        '{"pillar": "INSIGHT_ENGAGEMENT", "score": 1}, {"pillar": "STRONG_RELATIONSHIP", '
        '"score": 1}]}}',
    ],
)
def test_what_isnt_the_pages_data_is_refused(text: str) -> None:
    with pytest.raises(NotAnSsiPage):
        read_page_json(text)


json_values = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(
            st.sampled_from(
                [
                    "memberScore",
                    "subScores",
                    "pillar",
                    "score",
                    "overall",
                    "groupScore",
                    "groupType",
                    "rank",
                    "industry",
                    "x",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_json_reads_or_is_refused(value: Any) -> None:
    try:
        reading = read_page_json(json.dumps(value))
    except NotAnSsiPage:
        return
    assert set(reading.pillars) == set(Pillar)

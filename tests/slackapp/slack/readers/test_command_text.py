"""The /ssi text parser: examples from DESIGN.md, and properties over generated input."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from models.domain.ssi import Benchmark, InvalidReading, Pillar
from slackapp.slack.readers.command_text import (
    OpenModal,
    PastedPage,
    Subcommand,
    Submit,
    meant_as_command,
    parse,
)

D = Decimal


def reading_of(text: str):
    request = parse(text)
    assert isinstance(request, Submit), request
    return request.reading


def test_five_numbers_are_total_then_pillars() -> None:
    r = reading_of("68 21 17 14 16")
    assert (r.total, r.brand, r.find, r.engage, r.relate) == (68, 21, 17, 14, 16)


def test_four_numbers_are_pillars_and_the_total_is_their_sum() -> None:
    assert reading_of("21 17 14 16").total == 68
    assert reading_of("21.4 17.66 13.78 19.4").total == D("72.24")


def test_comma_decimals_and_a_rounded_total() -> None:
    r = reading_of("72 21,4 17,66 13,78 19,4")
    assert (r.total, r.brand, r.find, r.engage, r.relate) == (
        72,
        D("21.4"),
        D("17.66"),
        D("13.78"),
        D("19.4"),
    )


def test_industry_and_network_averages_and_ranks() -> None:
    r = reading_of("68 21 17 14 16 industry 22 top 5% network 37 top 14%")
    assert r.industry == Benchmark(D(22), D(5))
    assert r.network == Benchmark(D(37), D(14))
    assert reading_of("68 21 17 14 16 network 37 industry 22").industry == Benchmark(D(22))
    assert reading_of("68 21 17 14 16 industry top 3 %").industry == Benchmark(None, D(3))
    assert reading_of("68 21 17 14 16 INDUSTRY 22 TOP 0.5%").industry.top_percent == D("0.5")


@pytest.mark.parametrize(
    "text",
    [
        "68, 21, 17, 14, 16",
        "68,21,17,14,16",
        "68;21;17;14;16",
        "68/21/17/14/16",
        "  68  21 17 14 16 ",
    ],
)
def test_common_separators(text: str) -> None:
    assert reading_of(text).pillars == {
        Pillar.BRAND: 21,
        Pillar.FIND: 17,
        Pillar.ENGAGE: 14,
        Pillar.RELATE: 16,
    }


def test_subcommands_and_the_bare_command() -> None:
    assert parse("") == OpenModal()
    assert parse("   ") == OpenModal()
    for name in ("help", "me", "board", "undo", "HELP", "Me"):
        assert parse(name) == Subcommand(name.lower())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "68 26 17 14 16",
            "Establish your professional brand (brand) is 26, but it can be at most 25",
        ),
        ("101 25 25 25 26", "is 26, but it can be at most 25"),
        ("101 25 25 25 25", "The total SSI is 101, but it can be at most 100"),
        ("68 21 -17 14 16", "Find the right people (find) can't be negative"),
        ("68 21 17 14 \u221216", "can't be negative"),  # a typographic minus
        ("sixty-eight", "I didn't understand “sixty-eight”"),
        ("68 21 17 14 16 please", "I didn't understand “please”. After the scores"),
        ("68 21", "I got 2 numbers"),
        ("68", "I got 1 number, but"),
        ("68 21 17 14 16 22 37", "label them: `industry 22 network 37`"),
        ("68 21 17 14 16 1 2 3 4", "I got 9 numbers"),
        ("86 21 17 14 16", "add up to 68 (21 + 17 + 14 + 16), but the total says 86"),
        ("68 21 17 14 16 industry 22 top 120%", "top 120%, but a rank must be between"),
        ("68 21 17 14 16 industry 22 top 0%", "top 0%"),
        ("68 21 17 14 16 industry 101", "The industry average is 101"),
        ("68 21 17 14 16 industry", "I need the industry average"),
        ("68 21 17 14 16 industry 22 top", "I need a percentage, like `top 5%`"),
        ("68 21 17 14 16 industry 22 industry 23", "You gave “industry” twice"),
        ("68 21 17 14 16 industry 22 23", "extra number after “industry”"),
        ("68 21.1234 17 14 16", "more than three decimals"),
        ("68% 21 17 14 16", "looks like a percentage"),
        ("58 16 14 12", "58 looks like your total, but then only three pillars follow"),
        ("industry 22", "I need your SSI numbers"),
        ("me too", "`/ssi me` takes nothing after it"),
        ("&lt;@U123&gt; 21 17 14 16", "I didn't understand “<@U123>”"),
    ],
)
def test_bad_input_is_explained(text: str, message: str) -> None:
    with pytest.raises(InvalidReading) as raised:
        parse(text)
    assert message in raised.value.message


def test_rounding_tolerance_follows_the_typed_precision() -> None:
    # Whole-number pillars may each be off by 0.5 and the total by 0.5: 2.5 in all.
    assert reading_of("70 21 17 14 16").total == 70
    assert reading_of("65.5 21 17 14 16").total == D("65.5")
    with pytest.raises(InvalidReading):
        parse("71 21 17 14 16")
    # Two-decimal pillars leave only LinkedIn's rounding of the total (0.5) plus 0.02.
    assert reading_of("72 21.4 17.66 13.78 19.4").total == 72  # sum 72.24
    with pytest.raises(InvalidReading):
        parse("73 21.45 17.66 13.78 19.45")  # sum 72.34, 0.66 off


# --- properties -----------------------------------------------------------------------------

thousandths = st.integers(min_value=0, max_value=25_000)


def typed(value: int, comma: bool) -> str:
    text = f"{Decimal(value).scaleb(-3).normalize():f}"
    return text.replace(".", ",") if comma else text


@settings(max_examples=300, deadline=None)
@given(
    pillars=st.lists(thousandths, min_size=4, max_size=4),
    with_total=st.booleans(),
    comma=st.booleans(),
    separator=st.sampled_from([" ", "  ", " , ", "; ", "\t"]),
    industry=st.none() | st.tuples(st.integers(0, 100), st.integers(1, 100)),
)
def test_any_valid_reading_round_trips(pillars, with_total, comma, separator, industry) -> None:
    total = round(sum(pillars) / 1000)
    parts = ([str(total)] if with_total else []) + [typed(p, comma) for p in pillars]
    text = separator.join(parts)
    if industry:
        text += f" industry {industry[0]} top {industry[1]}%"
    reading = reading_of(text)
    assert [reading.pillar(p) for p in Pillar] == [Decimal(p).scaleb(-3) for p in pillars]
    expected_total = total if with_total else Decimal(sum(pillars)).scaleb(-3)
    assert reading.total == expected_total
    if industry:
        assert reading.industry == Benchmark(Decimal(industry[0]), Decimal(industry[1]))


@settings(max_examples=1000, deadline=None)
@given(st.text(max_size=400))
@example("68 21 17 14 16 industry top top")
@example("\u0666\u0668 \u0662\u0661 \u0661\u0667 \u0661\u0664 \u0661\u0666")  # Arabic-Indic digits
@example("1e3 21 17 14 16")
@example("nan 21 17 14 16")
@example(",,,, ;;; %%%")
@example(",")
def test_any_text_is_parsed_or_explained(text: str) -> None:
    try:
        request = parse(text)
    except InvalidReading as error:
        assert error.message.strip()
        return
    if isinstance(request, Submit):
        r = request.reading
        assert all(Decimal(0) <= r.pillar(p) <= 25 for p in Pillar)
        assert Decimal(0) <= r.total <= 100


words = st.sampled_from(
    [
        "68",
        "21",
        "17,66",
        "14.5",
        "-3",
        "26",
        "101",
        "industry",
        "network",
        "top",
        "5%",
        "%",
        "me",
        "help",
        "x",
        "&lt;",
        "&amp;",
        ",",
        "120%",
        "0",
    ]
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(words, max_size=14))
def test_any_mix_of_ssi_words_is_parsed_or_explained(tokens: list[str]) -> None:
    test_any_text_is_parsed_or_explained.hypothesis.inner_test(" ".join(tokens))  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "text",
    ["x" * 301, "a\nb\nc\nd", '{"memberScore": {}}', "Your Social Selling Index\n1\n2\n3"],
)
def test_long_many_line_or_json_text_is_a_pasted_page(text: str) -> None:
    """Read by the SSI page's reader (which refuses what isn't a page), not as a command."""
    assert parse(text) == PastedPage(text)


def test_a_command_on_a_few_lines_is_still_a_command() -> None:
    assert isinstance(parse("68 21\n17 14 16"), Submit)
    assert isinstance(parse("68\n21\n17\n14\n16"), Submit)  # one number a line


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("68 21 17 14 99", True),
        ("68,21,17,14", True),
        ("ME", True),
        ("forget me", True),
        ("remind maybe", True),
        ("thanks, see you monday", False),
        ("", False),
        ("<@U1> hi", False),
    ],
)
def test_what_reads_as_an_attempt_at_a_command(text: str, meant: bool) -> None:
    assert meant_as_command(text) is meant


@given(st.text(max_size=200))
def test_telling_a_command_apart_never_raises(text: str) -> None:
    assert meant_as_command(text) in (True, False)

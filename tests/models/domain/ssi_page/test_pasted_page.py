"""Reading a copied SSI page: every language, every layout a copy takes, the three groups
of pillar rows never mixed up, and hostile text never read as a wrong reading."""

from __future__ import annotations

import contextlib
import random
from dataclasses import replace
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.domain.ssi import Pillar
from models.domain.ssi_page.page_reading import NotAnSsiPage, PageReading, Source
from models.domain.ssi_page.pasted_page import MAX_PAGE_TEXT, read_page_text
from tests.ssi_pages import LANGUAGES, Page, page_text, variants


def _assert_reads(reading: PageReading, page: Page) -> None:
    assert reading.pillars == page.values
    assert reading.total == page.total
    assert (reading.industry_top, reading.network_top) == (page.industry_top, page.network_top)
    assert reading.industry_average == page.industry_average
    assert reading.network_average == page.network_average
    assert reading.industry_name == page.industry_name
    assert reading.missing == ()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", variants(), ids=lambda p: repr(p)[5:60])
def test_every_language_and_layout_reads_the_persons_numbers(language: str, page: Page) -> None:
    _assert_reads(read_page_text(page_text(language, page)), page)


def test_the_reference_copy_reads_as_the_reference_says() -> None:
    reading = read_page_text(page_text("en"))
    assert reading.pillars == {
        Pillar.BRAND: D("12.275"),
        Pillar.FIND: D(6),
        Pillar.ENGAGE: D("3.1"),
        Pillar.RELATE: D("1.948"),
    }
    assert reading.total == 23 and reading.source is Source.PASTE


def test_numbers_before_their_rank_labels_pair_up() -> None:
    text = page_text("de").replace(
        "Branchen-SSI-Rang\nTop 65 %\nNetzwerk-SSI-Rang\nTop 58 %",
        "Top 65 %\nBranchen-SSI-Rang\nTop 58 %\nNetzwerk-SSI-Rang",
    )
    reading = read_page_text(text)
    assert (reading.industry_top, reading.network_top) == (65, 58)


def test_a_change_since_last_week_on_a_card_is_not_a_rank() -> None:
    text = page_text("en").replace("Top 65%\n", "Top 65%\n+2% since last week\n")
    assert read_page_text(text).network_top == 58


def test_the_persons_group_is_the_first_even_when_the_others_sum_to_their_totals() -> None:
    # The industry's and network's rows come after; the person's are read even though
    # theirs are larger.
    page = Page(industry_pillars=(D(20), D(20), D(20), D(20)))
    assert read_page_text(page_text("en", page)).pillars == page.values


def test_without_the_donut_the_total_is_the_pillars_sum() -> None:
    text = page_text("en").replace("23 out of 100\n", "", 1)
    reading = read_page_text(text)
    assert reading.total is None and reading.shown_total == 23
    # and the industry's donut (31) is not taken for the person's total
    assert "total" in reading.missing


def test_pillars_that_dont_add_up_are_refused_with_the_sums() -> None:
    text = page_text("en").replace("23 out of 100", "42 out of 100", 1)
    with pytest.raises(NotAnSsiPage) as refused:
        read_page_text(text)
    assert "12.275 + 6 + 3.1 + 1.948 = 23.323" in str(refused.value)
    assert "42" in str(refused.value)


def test_a_partial_page_says_what_it_found() -> None:
    text = "12.275 | Establish your professional brand\n6 | Find the right people"
    with pytest.raises(NotAnSsiPage) as refused:
        read_page_text(text)
    assert refused.value.found == ("brand", "find")
    assert "2 of the four pillars" in str(refused.value)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        "/ssi 68 21 17 14 16",
        "Votre Social Selling Index\n12,2 | Établissez votre marque professionnelle",
        "Il tuo indice\n99 | Crea il tuo marchio professionale\n99 | Trova le persone giuste\n"
        "99 | Interagisci con approfondimenti\n99 | Costruisci relazioni",
    ],
)
def test_what_isnt_a_page_is_refused(text: str) -> None:
    with pytest.raises(NotAnSsiPage):
        read_page_text(text)


def test_a_line_of_many_percentages_before_the_page_reads_its_ranks_first() -> None:
    """Hostile text: each percentage's sign is looked for in the few characters before it
    (not the whole line before it, which cost seconds on such a line)."""
    reading = read_page_text("1%" * 20_000 + "\n" + page_text("en"))
    assert reading.pillars[Pillar.BRAND] == D("12.275")


def test_a_huge_paste_is_refused_before_it_is_read() -> None:
    with pytest.raises(NotAnSsiPage, match="characters"):
        read_page_text(page_text("en") * (MAX_PAGE_TEXT // 500))


def _consistent(reading: PageReading) -> None:
    """What every accepted reading holds, whatever the input: pillars in range, and a
    total (if read) within LinkedIn's rounding of their sum."""
    assert set(reading.pillars) == set(Pillar)
    assert all(D(0) <= v <= 25 for v in reading.pillars.values())
    if reading.total is not None:
        assert abs(reading.total - reading.pillar_sum) <= D("0.5")


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.text(max_size=3000))
def test_any_text_reads_or_is_refused(text: str) -> None:
    with contextlib.suppress(NotAnSsiPage):
        _consistent(read_page_text(text))


@settings(max_examples=200, deadline=None)
@given(
    language=st.sampled_from(LANGUAGES),
    noise=st.lists(st.text(max_size=60), max_size=30),
    seed=st.integers(0, 2**32),
)
def test_a_page_among_hostile_lines_reads_or_is_refused(
    language: str, noise: list[str], seed: int
) -> None:
    lines = page_text(language).splitlines()
    for line in noise:
        lines.insert(random.Random(seed).randrange(len(lines) + 1), line)
    with contextlib.suppress(NotAnSsiPage):
        _consistent(read_page_text("\n".join(lines)))


@settings(max_examples=200, deadline=None)
@given(
    language=st.sampled_from(LANGUAGES),
    page=st.sampled_from(variants()),
    seed=st.integers(0, 2**32),
    pillars=st.tuples(*[st.decimals(0, 25, places=3)] * 4),
)
def test_shuffled_or_edited_pages_never_give_a_wrong_reading(
    language: str, page: Page, seed: int, pillars: tuple[D, D, D, D]
) -> None:
    total = sum(pillars, D(0)).quantize(D(1))
    page = replace(page, pillars=pillars, total=total)
    lines = page_text(language, page).splitlines()
    random.Random(seed).shuffle(lines)
    try:
        reading = read_page_text("\n".join(lines))
    except NotAnSsiPage:
        return
    _consistent(reading)


@settings(max_examples=100, deadline=None)
@given(
    language=st.sampled_from(LANGUAGES),
    pillars=st.tuples(*[st.decimals(0, 25, places=3)] * 4),
    off=st.integers(2, 40),
)
def test_a_total_that_the_pillars_dont_make_is_always_refused(
    language: str, pillars: tuple[D, D, D, D], off: int
) -> None:
    total = sum(pillars, D(0)).quantize(D(1)) + off
    page = Page(pillars=pillars, total=min(total, D(100)))
    if abs(page.total - sum(pillars, D(0))) <= D("0.5"):
        return
    with pytest.raises(NotAnSsiPage):
        read_page_text(page_text(language, page))

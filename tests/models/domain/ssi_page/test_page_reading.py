"""A page reading carried on a button and back: the same page, checked again; anything
else refused."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.domain.ssi_page.page_reading import NotAnSsiPage, as_reading, from_value, to_value
from models.domain.ssi_page.pasted_page import read_page_text
from tests.ssi_pages import LANGUAGES, page_text


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_page_survives_its_button(language: str) -> None:
    page = read_page_text(page_text(language))
    value = to_value(page)
    assert len(value) < 2000  # Slack's limit for a button's value
    assert from_value(value) == page
    assert as_reading(page).total == 23


@pytest.mark.parametrize(
    "value",
    [
        "",
        "{}",
        '{"p": ["1", "2", "3"], "s": "paste"}',
        '{"p": ["24", "24", "24", "24"], "s": "paste", "total": "23"}',
        '{"p": ["NaN", "1", "1", "1"], "s": "paste"}',
        '{"p": ["1", "1", "1", "1"], "s": "typed-by-a-forger"}',
    ],
)
def test_a_forged_or_broken_value_is_refused(value: str) -> None:
    with pytest.raises(NotAnSsiPage):
        from_value(value)


@given(st.text(max_size=300))
def test_any_value_is_read_or_refused(value: str) -> None:
    with contextlib.suppress(NotAnSsiPage):
        from_value(value)

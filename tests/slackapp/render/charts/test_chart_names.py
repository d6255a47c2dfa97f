"""Every name is drawn readably in a chart, in every language the app speaks: Arabic joined
and right to left, Hebrew right to left, scripts the font lacks transliterated, emoji left
out, and never a missing glyph (matplotlib's "Glyph ... missing" warning is an error here)."""

from __future__ import annotations

import unicodedata
from datetime import timedelta

import pytest

from models.domain.languages import Language
from models.domain.weekly.members import Member, MemberWeek, Sample
from models.domain.weekly.tally import weekly_board
from slackapp.language.speech import speaking
from slackapp.render.charts.pictures import NAME_LIMIT, person_trend, team_week
from slackapp.render.charts.text import _coverage, chart_text
from tests.factories import CALENDAR_WEEK, sub

HOSTILE = [
    "Ana 🚀",
    "👨‍👩‍👧‍👦",  # a family: four emoji joined by ZWJ
    "🇩🇪 Jonas",
    "👍🏽 Bo",
    "محمد علي",
    "فاطمة الزهراء",
    "عبد الله",
    "یوسف پگاه",  # Persian letters
    "שָׁלוֹם כהן",  # Hebrew with points
    "Ahmed أحمد 2",
    "田中太郎",
    "김민준",
    "สมชาย ใจดี",
    "राहुल शर्मा",
    "Zoe\u0308 A\u030a\u0301ngstro\u0308m",  # combining marks
    "Z\u0301\u0302\u0303\u0304\u0305\u0306algo",
    "Alexandria Ocasio-Wolfeschlegelsteinhausenbergerdorff",
    "\u202eevil\u202c Mallory",  # a right-to-left override, should one get through
    "$$ Bob $ rich \\$",
    "\U0001d4d0\U0001d4f7\U0001d4ea \u24b7\u24de",  # mathematical script, circled letters
    "Ελένη Παπαδοπούλου",
    "Ирина Иванова",
    "❤️",
]


def _board(names: list[str], *, stale_every: int = 4):
    """A week's board of ``names``, every ``stale_every``-th from an earlier week."""
    members = []
    for i, name in enumerate(names):
        now = Sample(4000 + 150 * i, 1000, 1000, 1000, 1000 + 150 * i, 4000, 3500)
        before = Sample(3900 + 150 * i, 1000, 1000, 1000, 900 + 150 * i, 4000, 3500)
        if i % stale_every == 1:
            members.append(
                MemberWeek(
                    Member(f"U{i}", name),
                    None,
                    None,
                    before,
                    before,
                    CALENDAR_WEEK.start - timedelta(days=10),
                )
            )
        else:
            members.append(MemberWeek(Member(f"U{i}", name), now, before, None, now, None))
    return weekly_board(members, CALENDAR_WEEK)


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("language", list(Language))
def test_hostile_names_are_drawn_without_a_missing_glyph(language: Language) -> None:
    with speaking(language):
        chart = team_week(_board(HOSTILE))
        assert chart is not None
        assert chart.draw().startswith(b"\x89PNG")
        spread = team_week(_board(HOSTILE * 3))  # 69 members: their spread
        assert spread is not None and spread.draw().startswith(b"\x89PNG")
        history = [sub(w, ("15", "14", "13", str(10 + w % 5))) for w in range(60)]
        for whole in (False, True):
            trend = person_trend(history, whole=whole)
            assert trend is not None and trend.draw().startswith(b"\x89PNG")


@pytest.mark.parametrize("name", HOSTILE)
def test_every_character_of_a_drawn_name_is_in_the_font(name: str) -> None:
    drawn = chart_text(name, NAME_LIMIT)
    assert drawn.strip() and all(ord(c) in _coverage() for c in drawn)
    assert len(drawn) <= NAME_LIMIT + drawn.count("\\")  # "$" is escaped: "\\$"
    assert "$" not in drawn.replace("\\$", "")


def test_right_to_left_names_are_shaped_and_in_display_order() -> None:
    # Joined forms (the Arabic Presentation Forms), the first letter rightmost.
    arabic = chart_text("محمد")
    assert [unicodedata.name(c) for c in arabic] == [
        "ARABIC LETTER DAL FINAL FORM",
        "ARABIC LETTER MEEM MEDIAL FORM",
        "ARABIC LETTER HAH MEDIAL FORM",
        "ARABIC LETTER MEEM INITIAL FORM",
    ]
    assert chart_text("שלום כהן") == "ןהכ םולש"
    assert chart_text("Ahmed أحمد").startswith("Ahmed ")  # left to right where it starts so


def test_what_the_font_lacks_is_made_readable() -> None:
    assert chart_text("田中太郎") == "TianZhongTaiLang"
    assert chart_text("राहुल") == "rahul"
    assert chart_text("Ana 🚀") == "Ana"  # a name keeps its letters, not its emoji
    assert chart_text("👨‍👩‍👧") == ":man::woman::girl:"  # emoji alone: their names
    assert chart_text("Zoe\u0308") == "Zoë"
    assert chart_text("A" * 60, NAME_LIMIT) == "A" * (NAME_LIMIT - 1) + "…"
    assert chart_text("$5 Ana") == "\\$5 Ana"  # typed, not maths

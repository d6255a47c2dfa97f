"""A real sales organisation's size: 150- and 500-person teams, a manager of 40 teams, a
person on 15 teams, names chosen to cause trouble, in all five languages. Every surface
stays inside Slack's limits, cuts nothing silently, never turns a name into markup, and
speaks the reader's language."""

from __future__ import annotations

import ast
import json
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D
from typing import Any

import pytest
from sqlalchemy import Engine

from models.domain.history import StoredSubmission
from models.domain.languages import Language
from models.domain.names import clean_name
from models.domain.privacy import Preferences, Privacy
from models.domain.streaks import Streak
from models.domain.teams import Goal, GoalProgress, NotAllowed, TeamRecord
from models.domain.weekly.members import Member
from models.services.home import Home, ManagedTeam, TeamPlace
from models.services.momentum import Momentum
from models.services.readings import ChannelRank, PersonalSummary
from slackapp.clock import ManualClock
from slackapp.devtools.fake_slack.server import FakeSlack
from slackapp.language.catalogs import read_catalog
from slackapp.language.speech import speaking
from slackapp.render import exports, notices, replies
from slackapp.render.home import away_modal, home_view
from slackapp.render.notices import Guarded
from slackapp.render.weekly import board as weekly
from slackapp.render.weekly import coaching
from slackapp.slack.calls.home_publisher import HomePublisher
from tests.blockkit import assert_valid_message, assert_valid_view
from tests.conftest import PROJECT_ROOT, RunningApp
from tests.factories import (
    ACME,
    CALENDAR_WEEK,
    SLOT,
    channel_posts,
    compute,
    make_team,
    runner,
    submit,
)
from tests.factories import sub as reading_of
from tests.slackapp.language.test_languages import _gallery
from tests.slackapp.render.test_messages import NOW, stored

ROOT = PROJECT_ROOT

# Display names as people really choose them, and as an attacker would.
HOSTILE = [
    "<http://evil.example|Verify your SSI>",
    "<@UEVIL0001>",
    "<!everyone>",
    "~x~ *bold* _it_ `code`",
    "Tom & Jerry &amp; co",
    ":skull: Mallory",
    "Zoë 👨\u200d👩\u200d👧 محمد",
    "שרה כהן",
    "x" * 128,
]
# What must never reach a mrkdwn text from those names.
MARKUP = [
    "<http://evil.example",
    "<@UEVIL0001>",
    "<!everyone>",
    "*bold*",
    "~x~",
    "_it_",
    "`code`",
    ":skull:",
    "Tom & Jerry",
]
# Our own mrkdwn tokens: channel links, mentions of ids we hold, Slack's dates.
OURS = re.compile(r"<#C[0-9A-Z]+>|<@U[0-9]+>|<@UBOSS>|<!date\^\d+\^\{date_short_pretty\}\|[^<>]*>")


def _member(i: int, privacy: Privacy = Privacy.PUBLIC) -> Member:
    return Member(f"U{i:04d}", clean_name(f"{HOSTILE[i % len(HOSTILE)]} {i}"), privacy)


def big_board(people: int):
    """A team of ``people``: most shared this week, some dropped, fell twice or jumped,
    some are stale (one from four weeks ago, at the top of the totals), some never shared."""
    members = [_member(i) for i in range(people)]
    history: dict[str, list[StoredSubmission]] = {}
    for i, m in enumerate(members):
        q = 10 + (i % 15)
        if i % 10 == 9:
            continue  # never shared
        if i % 10 == 8:
            history[m.user_id] = [reading_of(4, ("24", "24", "24", "24"))]  # stale, 96
            continue
        this = (str(q), str(q), str(q), str(q - (i % 3)))
        last = (str(q), str(q), str(q), str(q + (i % 4)))
        before = (str(q), str(q), str(q), str(q + 5))
        history[m.user_id] = [reading_of(0, this), reading_of(1, last), reading_of(2, before)]
    return compute(members, history), members


def team_momentum(members: list[Member]) -> Momentum:
    goal = GoalProgress(Goal(D(70), date(2027, 3, 31)), D("64.5"), D("5.5"), D(66), 4)
    return Momentum(goal=goal, away=frozenset(m.user_id for m in members[::17]))


def _team(i: int, language: Language = Language.EN) -> TeamRecord:
    return TeamRecord(
        i, ACME, f"C{i:04d}", 0, 540, "Europe/Berlin", True, NOW, ("UBOSS",), language=language
    )


def manager_home(teams: int, people: int) -> Home:
    """A manager of ``teams`` teams of ``people`` each, on 15 of them."""
    board, members = big_board(people)
    managed = [ManagedTeam(_team(i), board, team_momentum(members)) for i in range(teams)]
    places = [
        TeamPlace(_team(i), ChannelRank(f"C{i:04d}", 3, 150, False, team=True), Streak(4))
        for i in range(15)
    ]
    history = [stored("U1", 60 + i, days_ago=7 * i) for i in range(8)]
    return Home(history, {}, places, managed, Preferences(), None)


def _surfaces() -> dict[str, list[dict[str, Any]]]:
    """Every message, view and modal the app sends, at a big org's size, in the active
    language: name -> payloads (messages as ``ephemeral()`` dicts, views as views)."""
    board150, members150 = big_board(150)
    board500, members500 = big_board(500)
    summary = PersonalSummary(
        history=[stored("U1", 60 + i, days_ago=7 * i) for i in range(8)],
        ranks=[ChannelRank(f"C{i:04d}", 7, of=150, tied=i % 2 == 0, team=True) for i in range(15)],
        streaks=[(f"C{i:04d}", Streak(i, at_stake=i % 2 == 0)) for i in range(15)],
    )
    many = [stored(f"U{i:04d}", i % 101, i % 30, name=HOSTILE[i % 9]) for i in range(500)]
    from models.domain.ranking import rank_by_total

    surfaces: dict[str, list[dict[str, Any]]] = {
        "gallery": _gallery(),
        "board 150": [
            weekly.channel_board(
                board150, team_id=1, standings=[], momentum=team_momentum(members150)
            ).ephemeral(),
            weekly.channel_board(board150, team_id=1, standings=[], so_far=True).ephemeral(),
        ],
        "board 500": [
            weekly.channel_board(
                board500, team_id=1, standings=[], momentum=team_momentum(members500)
            ).ephemeral()
        ],
        "manager dm 150": [
            m.ephemeral()
            for m in coaching.manager_summary(
                board150,
                team_id=1,
                channel_id="C1",
                standings=[],
                momentum=team_momentum(members150),
            )
        ],
        "manager dm 500": [
            m.ephemeral()
            for m in coaching.manager_summary(
                board500,
                team_id=1,
                channel_id="C1",
                standings=[],
                momentum=team_momentum(members500),
            )
        ],
        "me on 15 teams": [replies.personal_reply(summary, NOW).ephemeral()],
        "channel board 500": [replies.board_reply("C1", rank_by_total(many), NOW).ephemeral()],
        "export": [
            exports.preparing(True).ephemeral(),
            exports.not_a_team().ephemeral(),
            notices.not_allowed(NotAllowed(_team(1), "U1"), Guarded.EXPORT).ephemeral(),
            exports.send_failed().ephemeral(),
        ],
    }
    surfaces["views"] = [
        home_view(manager_home(40, 150)),
        home_view(manager_home(60, 150)),
        away_modal("ssi_away", date(2026, 12, 1)),
    ]
    return surfaces


def _texts(payload: Any, kind: str) -> list[str]:
    """Every text object of ``kind`` (mrkdwn or plain_text) in a payload."""
    found: list[str] = []
    if isinstance(payload, dict):
        if payload.get("type") == kind and isinstance(payload.get("text"), str):
            found.append(payload["text"])
        for value in payload.values():
            found += _texts(value, kind)
    elif isinstance(payload, list):
        for value in payload:
            found += _texts(value, kind)
    return found


def assert_names_inert(payload: dict[str, Any]) -> None:
    """No name-born markup in any mrkdwn text (nor the fallback, which Slack formats)."""
    texts = _texts(payload.get("blocks") or [], "mrkdwn")
    if isinstance(payload.get("text"), str) and payload.get("type") is None:
        texts.append(payload["text"])
    for text in texts:
        for markup in MARKUP:
            assert markup not in text, f"{markup!r} from a name in mrkdwn: {text[:300]!r}"
        rest = OURS.sub("", text)
        assert "<" not in rest and ">" not in rest, f"unescaped < or >: {rest[:300]!r}"
        assert not re.search(r"&(?!amp;|lt;|gt;)", rest), f"unescaped &: {rest[:300]!r}"


def _check(name: str, payload: dict[str, Any]) -> None:
    if payload.get("type") in ("home", "modal"):
        assert_valid_view(payload)
    else:
        assert_valid_message(payload)
    assert_names_inert(payload)


@pytest.mark.parametrize("language", list(Language))
def test_every_surface_at_a_big_orgs_size_is_valid_and_keeps_names_inert(
    language: Language,
) -> None:
    with speaking(language):
        surfaces = _surfaces()
    for name, payloads in surfaces.items():
        for payload in payloads:
            _check(name, payload)
    # The manager of 150 gets one message naming everyone; of 500, several in order.
    (dm150,) = surfaces["manager dm 150"]
    listed = json.dumps(dm150, ensure_ascii=False)
    for i in range(150):
        if i % 9 != 8:  # (a name of 128 x's has no room left for its number)
            assert re.search(rf" {i}\b", listed), i
    parts = surfaces["manager dm 500"]
    assert len(parts) > 1
    everything = json.dumps(parts, ensure_ascii=False)
    for i in range(500):
        if i % 9 != 8:
            assert re.search(rf" {i}\b", everything), i
    # A manager of 40 teams sees all 40; of 60, what fits and a count of the rest.
    forty, sixty = surfaces["views"][:2]
    assert len(set(re.findall(r"<#(C\d{4})>", json.dumps(forty)))) == 40
    assert re.search(r"\b(1[0-9]|[1-9])\b", _texts(sixty["blocks"][-1], "mrkdwn")[0])
    # /ssi me on 15 teams lists all 15.
    (me,) = surfaces["me on 15 teams"]
    assert len(set(re.findall(r"<#(C\d{4})>", json.dumps(me)))) == 15


def test_the_manager_dm_puts_who_needs_attention_before_the_ranking() -> None:
    board, members = big_board(150)
    (dm,) = coaching.manager_summary(
        board, team_id=1, channel_id="C1", standings=[], momentum=team_momentum(members)
    )
    text = json.dumps(dm.blocks, ensure_ascii=False)
    attention, ranked = text.index("Needs your attention"), text.index("Everyone, ranked")
    for lead in ("No reading this week", "Dropped", "Fell two weeks running", "Away ("):
        assert attention < text.index(lead) < ranked, lead
    assert "(never shared)" in text and "as of" in text
    assert "…and" not in text  # nobody left out


def test_a_stale_reading_is_ranked_after_this_weeks_and_marked() -> None:
    board, _members = big_board(20)
    stale = [e for e in board.entries if e.stale]
    current = [e for e in board.entries if not e.stale]
    assert stale and min(e.total for e in stale) > max(e.total for e in current)  # 96 each
    assert max(e.rank for e in current) < min(e.rank for e in stale)
    post = json.dumps(weekly.channel_board(board, team_id=1, standings=[]).blocks)
    assert "(stale, as of" in post
    first = re.search(r"1\. (.*?)  (\d+)", post)
    assert first is not None and first.group(2) != "96"


# --- Every surface in the reader's language --------------------------------------------


def _english_fragments(language: Language) -> set[str]:
    """Catalog English that a translated rendering should never show: each message's words
    between placeholders (two words or more), unless the translation itself keeps them."""
    catalog = read_catalog(language)
    translated = " ".join(
        (m.string if isinstance(m.string, str) else " ".join(m.string)) for m in catalog if m.id
    )
    fragments = set()
    for message in catalog:
        if not message.id:
            continue
        english = message.id if isinstance(message.id, str) else message.id[-1]
        for piece in re.split(r"\{[a-z_]*\}|[*_`:()\n…]|\s[-·]\s", english):
            piece = piece.strip(" .,;!?'\"")
            if len(piece.split()) >= 2 and piece not in translated:
                fragments.add(piece)
    return fragments


@pytest.mark.parametrize("language", [lang for lang in Language if lang is not Language.EN])
def test_no_english_is_left_in_a_translated_rendering(language: Language) -> None:
    with speaking(language):
        rendered = json.dumps(_surfaces(), ensure_ascii=False)
    rendered = re.sub(r"U\d{4}[^\"]*?\d+", "", rendered)  # names are the people's own
    left = sorted(f for f in _english_fragments(language) if f in rendered)
    assert not left, f"{language}: English left in the rendering: {left}"


def test_no_translated_word_is_looked_up_inside_an_f_string() -> None:
    """Babel's extractor doesn't see ``_()`` inside an f-string: such words stay English."""
    found = []
    for path in [*ROOT.joinpath("slackapp").rglob("*.py"), *ROOT.joinpath("models").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.JoinedStr):
                for inner in ast.walk(node):
                    if (
                        isinstance(inner, ast.Call)
                        and isinstance(inner.func, ast.Name)
                        and inner.func.id in {"_", "n_", "p_", "N_", "NP_"}
                    ):
                        found.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    assert not found, found


# --- End to end: signed requests, the fake Slack, SQLite and PostgreSQL ------------------


def _team_of(engine: Engine, channel: str, members: list[Member], **kwargs: Any) -> int:
    return make_team(
        engine, channel=channel, members=members, at=datetime(2026, 10, 1, tzinfo=UTC), **kwargs
    )


def test_a_managers_home_shows_all_40_teams_with_names_escaped(app: RunningApp) -> None:
    members = [_member(i) for i in range(1, 30)]
    for t in range(40):
        _team_of(app.engine, f"C9{t:03d}", members)
    app.clock.now = SLOT + timedelta(hours=1)
    event = {"type": "app_home_opened", "user": "UBOSS", "channel": "DUBOSS", "tab": "home"}
    assert app.slack.event(event).status == 200
    assert HomePublisher.all_idle()
    view = app.fake.calls("views.publish")[-1].view
    assert_valid_view(view)
    assert_names_inert(view)
    assert len(set(re.findall(r"<#(C9\d{3})>", json.dumps(view)))) == 40
    assert "Verify your SSI&gt;" in json.dumps(view)  # shown, as text


def test_ssi_me_on_15_teams_lists_every_one(app: RunningApp) -> None:
    for t in range(15):
        _team_of(app.engine, f"C8{t:03d}", [Member("U1", "Ana"), Member("U2", "Ben")])
    app.clock.now = SLOT + timedelta(days=1)
    app.slack.command(user_id="U1", text="68 21 17 14 16", channel_id="C8000")
    reply = app.slack.command(user_id="U1", text="me", channel_id="C8000")
    assert len(set(re.findall(r"<#(C8\d{3})>", reply.body))) == 15


def test_the_app_home_speaks_the_persons_language(app: RunningApp) -> None:
    app.fake.add_user("U1", name="jonas", locale="de-DE")
    make_team(app.engine)
    app.clock.now = SLOT + timedelta(hours=1)
    app.slack.command(user_id="U1", text="68 21 17 14 16", channel_id="C1")
    event = {"type": "app_home_opened", "user": "U1", "channel": "DU1", "tab": "home"}
    assert app.slack.event(event).status == 200
    assert HomePublisher.all_idle()
    text = json.dumps(app.fake.calls("views.publish")[-1].view, ensure_ascii=False)
    assert "Your latest SSI" not in text and "Your teams" not in text and "*Total*" not in text
    assert "Dein aktueller SSI" in text and "Gesamt" in text and "Deine Teams" in text


def _dm_team(engine: Engine, people: int) -> list[Member]:
    members = [_member(i) for i in range(1, people + 1)]
    make_team(engine, members=members)
    for i, m in enumerate(members):
        if i % 10 == 9:
            continue  # never shared
        week = 4 if i % 10 == 8 else 0  # stale, or this week
        submit(engine, m.user_id, 40 + i % 50, SLOT - timedelta(days=2 + 7 * week))
        if week == 0:
            submit(engine, m.user_id, 45 + i % 40, SLOT - timedelta(days=9))
    return members


def test_a_150_person_teams_manager_gets_everyone_in_one_dm(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    members = _dm_team(engine, 150)
    runner(engine, fake_slack, ManualClock(SLOT + timedelta(minutes=1))).tick()
    (dm,) = channel_posts(fake_slack, "UBOSS")
    assert_valid_message({"text": dm.params["text"], "blocks": dm.blocks})
    assert_names_inert({"text": dm.params["text"], "blocks": dm.blocks})
    text = json.dumps(dm.blocks, ensure_ascii=False)
    assert all(m.name in text for m in members)
    assert text.index("Needs your attention") < text.index("Everyone, ranked")


def test_a_500_person_teams_manager_dm_arrives_in_parts_in_order_once(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    members = _dm_team(engine, 500)
    run = runner(engine, fake_slack, ManualClock(SLOT + timedelta(minutes=1)))
    run.tick()
    parts = channel_posts(fake_slack, "UBOSS")
    assert len(parts) > 1
    for number, part in enumerate(parts[1:], start=2):
        assert f"{number} of {len(parts)})" in part.blocks[0]["text"]["text"]  # "(part 2 of 3)"
        assert_valid_message({"text": part.params["text"], "blocks": part.blocks})
    text = json.dumps([p.blocks for p in parts], ensure_ascii=False)
    assert all(m.name in text for m in members)
    run.tick()
    assert len(channel_posts(fake_slack, "UBOSS")) == len(parts)  # each part once
    assert CALENDAR_WEEK  # the week the factories' history is laid in


def test_see_everyone_opens_the_whole_team_a_page_at_a_time(app: RunningApp) -> None:
    members = [Member(f"U{i:04d}", f"{'Maximiliane-Sophie ' * 5}{i}") for i in range(1, 401)]
    make_team(app.engine, members=members)
    app.clock.now = SLOT + timedelta(hours=1)
    event = {"type": "app_home_opened", "user": "UBOSS", "channel": "DUBOSS", "tab": "home"}
    assert app.slack.event(event).status == 200
    assert HomePublisher.all_idle()
    home = app.fake.calls("views.publish")[-1].view
    assert_valid_view(home)
    assert "See everyone" in json.dumps(home)  # 400 long names don't fit in the Home
    app.slack.click(user_id="U0001", message=home, action_id="ssi_team_week")
    app.slack.click(user_id="UBOSS", message=home, action_id="ssi_team_week")
    (opened,) = app.fake.wait_for("views.open")  # the member's click opened nothing
    first = app.fake.calls("views.open")[0].view
    assert_valid_view(first)
    assert "Page 1 of" in json.dumps(first) and members[0].name in json.dumps(first)
    shown = {**first, "id": "V0TEAM"}
    app.slack.click_in_view(user_id="UBOSS", view=shown, action_id="ssi_team_week_page")
    (update,) = app.fake.wait_for("views.update")
    assert update.params["view_id"] == "V0TEAM"
    second = update.view
    assert_valid_view(second)
    assert "Page 2 of" in json.dumps(second)
    everything = json.dumps([first, second] + [c.view for c in app.fake.calls("views.update")])
    assert opened and all(m.name in everything for m in members[:200])

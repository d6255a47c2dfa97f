"""Five languages: complete catalogs, local number and date formats, the command words of
every language, valid Block Kit in each, and a person, a team and an override end to end."""

from __future__ import annotations

import json
import re
import time
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from babel.messages.extract import extract_from_dir
from slack_sdk import WebClient
from sqlalchemy import Engine

from models.domain.history import KnownBenchmark, StoredSubmission
from models.domain.languages import Language, language_of
from models.domain.ranking import rank_by_total
from models.domain.ssi import Pillar
from models.domain.ssi_page.page_json import read_page_json
from models.domain.ssi_page.page_reading import NotAnSsiPage
from models.domain.ssi_page.pasted_page import read_page_text
from models.domain.streaks import Streak
from models.domain.teams import Goal, GoalProgress
from models.services.momentum import Momentum
from models.services.readings import ChannelRank, PersonalSummary, SubmissionResult
from models.store.migrate import upgrade
from models.store.people import languages
from slackapp.clock import ManualClock
from slackapp.devtools.fake_slack.calls import Fault
from slackapp.devtools.fake_slack.server import FakeSlack
from slackapp.language.catalogs import LOCALES, read_catalog
from slackapp.language.speech import (
    day,
    delta,
    explain,
    one_decimal,
    pillar_title,
    score,
    speaking,
)
from slackapp.language.vocabulary import WORDS
from slackapp.render import momentum, notices, privacy, replies
from slackapp.render.form import paste_page_modal, submission_modal
from slackapp.render.sharing.page_preview import (
    already_saved,
    file_not_fetched,
    file_not_read,
    not_a_page,
    page_preview,
    picture_not_read,
)
from slackapp.render.weekly import board as weekly
from slackapp.render.weekly import coaching, notes
from slackapp.slack.calls.rate_limits import SlackPace
from slackapp.slack.pipeline.person_language import ASK_SECONDS, RETRY_AFTER, PersonLanguage
from slackapp.slack.readers.command_choices import CHOICES
from slackapp.slack.readers.command_text import OpenModal, Subcommand, Submit, parse
from tests.blockkit import assert_valid_message, assert_valid_view
from tests.conftest import PROJECT_ROOT, RunningApp
from tests.factories import ACME, SLOT, channel_posts, make_team, runner, submit
from tests.models.domain.ssi_page.test_page_json import REFERENCE
from tests.models.domain.weekly.test_weekly import board
from tests.slackapp.render.test_messages import FULL, NOW, stored
from tests.ssi_pages import page_text

ROOT = PROJECT_ROOT
KEYWORDS = {"_": None, "n_": (1, 2), "p_": ((1, "c"), 2), "N_": None, "NP_": ((1, "c"), 2)}
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
TRANSLATED = [language for language in Language if language is not Language.EN]


def _source_messages() -> set[tuple[str | tuple[str, str], str | None]]:
    found = set()
    for package in ("slackapp", "models"):
        for _file, _line, message, _comments, context in extract_from_dir(
            ROOT / package, keywords=KEYWORDS, comment_tags=()
        ):
            found.add((message if isinstance(message, str) else tuple(message[:2]), context))
    return found


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_catalog_translates_every_message_with_the_same_placeholders(
    language: Language,
) -> None:
    catalog = read_catalog(language)
    entries = {(m.id, m.context): m for m in catalog if m.id}
    wanted = _source_messages()
    missing = sorted(str(k) for k in wanted - set(entries))
    assert not missing, f"{language}: untranslated (run the README's catalog update): {missing}"
    stale = sorted(str(k) for k in set(entries) - wanted)
    assert not stale, f"{language}: no longer in the code: {stale}"
    for (message_id, _context), entry in entries.items():
        assert not entry.fuzzy, f"{language}: fuzzy {message_id!r}"
        english = [message_id] if isinstance(message_id, str) else list(message_id)
        strings = [entry.string] if isinstance(entry.string, str) else list(entry.string)
        assert all(strings), f"{language}: empty translation of {message_id!r}"
        assert len(strings) == catalog.num_plurals if len(english) > 1 else True
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(english[-1])), (
                f"{language}: {text!r} has other placeholders than {english[-1]!r}"
            )


def test_no_compiled_catalog_is_kept() -> None:
    assert not list(LOCALES.rglob("*.mo"))  # compiled at start-up from the .po files


@pytest.mark.parametrize(
    ("language", "number", "change", "when", "title"),
    [
        (Language.EN, "72.4", "+1.4", "Nov 23, 2026", "Find the right people"),
        (Language.DE, "72,4", "+1,4", "23. Nov. 2026", "Gezielt die richtigen Personen finden"),
        (Language.ES, "72,4", "+1,4", "23 nov 2026", "Encuentra a las personas adecuadas"),
        (Language.IT, "72,4", "+1,4", "23 nov 2026", "Trovare le persone giuste"),
        (Language.NL, "72,4", "+1,4", "23 nov 2026", "De juiste personen vinden"),
    ],
)
def test_numbers_dates_and_pillar_names_are_the_languages_own(
    language: Language, number: str, change: str, when: str, title: str
) -> None:
    with speaking(language):
        assert score(D("72.40")) == number and one_decimal(D("72.44")) == number
        assert delta(D("1.44")) == change
        assert day(date(2026, 11, 23)) == when
        assert pillar_title(Pillar.FIND) == title


@pytest.mark.parametrize(
    ("locale", "language"),
    [("de-DE", Language.DE), ("es-LA", Language.ES), ("en-GB", Language.EN), ("ja-JP", None)],
)
def test_a_slack_locale_maps_to_a_language(locale: str, language: Language | None) -> None:
    assert language_of(locale) == language


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_command_words_of_each_language(language: Language) -> None:
    def word(english: str) -> str:
        return WORDS[english][language][0]

    assert parse(word("help")) == Subcommand("help")
    assert parse(word("me")) == Subcommand("me")
    assert parse(word("board").upper()) == Subcommand("board")
    assert parse(word("undo")) == Subcommand("undo")
    assert parse(f"{word('remind')} {word('off')}") == Subcommand("remind", "off")
    assert parse(f"{word('privacy')} {word('hidden')}") == Subcommand("privacy", "hidden")
    assert parse(f"{word('export')} {word('team')}") == Subcommand("export", "team")
    assert parse(f"{word('away')} {word('until')} 2026-12-24") == Subcommand("away", "2026-12-24")
    assert parse(word("back")) == Subcommand("back")
    assert parse(word("forget-me")) == Subcommand("forget-me")
    assert parse(f"{word('language')} {language.value}") == Subcommand("language", language.value)
    reading = parse(f"68 21 17 14 16 {word('industry')} 22 top 5% {word('network')} 37")
    assert isinstance(reading, Submit)
    assert reading.reading.industry.average == 22 and reading.reading.network.average == 37


@pytest.mark.parametrize("language", list(Language))
def test_every_command_the_help_shows_works(language: Language) -> None:
    """The help, the refusals and the notes quote commands in their language: each must
    parse (a word translated in a message but missing from the vocabulary would not)."""
    with speaking(language):
        texts = [notices.help_text(), notices.help_more(), *(explain_choice(c) for c in CHOICES)]
        for coming in (
            [notes.ComingPost("C1", 540, "UTC")],
            [notes.ComingPost("C1", 540, "UTC")] * 2,
        ):
            texts.append(notes.reminder(coming).text)
            texts.append(json.dumps(notes.reminder(coming).blocks, ensure_ascii=False))
    quoted = {m for text in texts for m in re.findall(r"`/ssi([^`]*)`", text)}
    assert len(quoted) > 10
    for command in quoted:
        request = parse(command.strip())
        assert isinstance(request, Subcommand | Submit | OpenModal), command


def explain_choice(name: str) -> str:
    from models.domain.ssi import InvalidReading

    return explain(InvalidReading(CHOICES[name][1]))


def _gallery() -> list[dict[str, object]]:
    """One of nearly every message and view, with long names and every part shown."""
    standings = rank_by_total([stored("U1", 72), stored("U2", 72), stored("U3", 60)])
    result = SubmissionResult(
        saved=StoredSubmission(9, "U1", "u1", "C1", NOW, "command", FULL),
        previous=stored("U1", 70, days_ago=7),
        rank=ChannelRank("C1", standings[0].rank, of=3, tied=True),
        benchmarks={"industry": KnownBenchmark(FULL.industry, NOW - timedelta(days=3))},
    )
    history = [stored("U1", 60 + i, days_ago=7 * i) for i in range(8)]
    summary = PersonalSummary(
        history=history,
        ranks=[ChannelRank(f"C{i}", 7, of=300, tied=i % 2 == 0) for i in range(10)],
        benchmarks={"network": KnownBenchmark(FULL.network, NOW)},
        streaks=[("C1", Streak(52, capped=True, at_stake=True)), ("C2", Streak(3, away=True))],
    )
    week_board = board()
    goal = GoalProgress(Goal(D(70), date(2027, 3, 31)), D("64.5"), D("5.5"), D(66), 4)
    moving = Momentum(goal=goal, away=frozenset({"Ueve"}))
    bad = [
        "68 21 17 14 160",
        "68% 21 17 14 16",
        "1 2",
        "86 21 17 14 16",
        "remind maybe",
        "away until soon",
        "68 21 17 14 16 industry 22 top",
    ]
    messages = [
        replies.submission_reply(result, NOW),
        replies.personal_reply(summary, NOW),
        replies.personal_reply(PersonalSummary(history=[]), NOW),
        replies.board_reply("C1", standings, NOW),
        notices.help_reply(),
        replies.undo_reply(stored("U1", 60), stored("U1", 58, days_ago=7)),
        notices.reminders_reply(True),
        notices.language_reply("de", "Deutsch"),
        notices.language_reply("auto", "English"),
        notices.busy_reply(),
        privacy.privacy_reply(privacy.Privacy.ANONYMOUS),
        momentum.away_reply(date(2026, 12, 24)),
        momentum.back_reply(True),
        weekly.channel_board(week_board, team_id=1, standings=[], momentum=moving),
        *coaching.manager_summary(
            week_board, team_id=1, channel_id="C1", standings=[], momentum=moving
        ),
        notes.reminder([notes.ComingPost("C1", 540, "Europe/Berlin", Streak(5, at_stake=True))]),
        notes.reminder(
            [
                notes.ComingPost("C1", 540, "Europe/Berlin", Streak(5, at_stake=True)),
                *(notes.ComingPost(f"C{n}", 1020, "America/New_York") for n in range(2, 46)),
            ]
        ),
        notes.channel_unreachable(channel_id="C1", error="not_in_channel"),
        page_preview(read_page_text(page_text("en"))),
        page_preview(read_page_json(json.dumps({"memberScore": REFERENCE["memberScore"]}))),
        already_saved(),
        *(picture_not_read(reason) for reason in ("too large", "busy", "too slow")),
        file_not_read("notes <@U1>.pdf"),
        file_not_fetched(),
    ]
    for pasted in ("hello", page_text("en").replace("23 out of 100", "42 out of 100", 1)):
        try:
            read_page_text(pasted)
        except NotAnSsiPage as refused:
            messages.append(not_a_page(refused))
    for text in bad:
        try:
            parse(text)
        except Exception as refused:  # an InvalidReading
            messages.append(replies.error_reply(explain(refused)))  # type: ignore[arg-type]
    return [m.ephemeral() for m in messages]


@pytest.mark.parametrize("language", list(Language))
def test_every_message_in_every_language_is_valid_block_kit(language: Language) -> None:
    with speaking(language):
        gallery = _gallery()
        view = submission_modal(FULL, {"channel_id": "C1"})
        from_page = submission_modal(FULL, {"channel_id": "C1"}, from_page=True)
        paste = paste_page_modal({"channel_id": "C1"})
    for message in gallery:
        assert_valid_message(message)
    for each in (view, from_page, paste):
        assert_valid_view(each)
    if language is not Language.EN:  # really translated, not English left over
        english_help = json.dumps(_english_help())
        assert json.dumps(gallery[4]) != english_help


def _english_help() -> dict[str, object]:
    with speaking(Language.EN):
        return notices.help_reply().ephemeral()


# --- End to end: the app, a fake Slack, the database ------------------------------------


def _locale_kept(app: RunningApp, user_id: str, timeout: float = 5.0) -> languages.Spoken:
    """Wait until the app has kept what Slack said of the person's locale (asked on a
    thread of its own, after the answer)."""
    deadline = time.monotonic() + timeout
    while True:
        with app.engine.connect() as db:
            spoken = languages.spoken_by(db=db, scope=ACME, user_id=user_id)
        if spoken.seen_at is not None or time.monotonic() > deadline:
            return spoken
        time.sleep(0.02)


def test_a_person_is_answered_in_the_language_slack_reports(app: RunningApp) -> None:
    """Someone the app has never seen is answered at once, in English outside a team's
    channel; Slack's locale is asked after the answer, and every later answer is in it."""
    app.fake.add_user("U1", name="jonas", locale="de-DE")
    first = app.slack.command(user_id="U1", text="hilfe")
    assert first.text.startswith("How to use /ssi")  # German words work for anyone
    assert _locale_kept(app, "U1").slack_locale == "de-DE"
    saved = app.slack.command(user_id="U1", text="72 21,4 17,66 13,78 19,4")
    assert "Dein SSI ist gespeichert: *72* / 100" in json.dumps(saved.json, ensure_ascii=False)
    assert "Gezielt die richtigen Personen finden" in json.dumps(saved.json, ensure_ascii=False)
    assert "17,66" in json.dumps(saved.json, ensure_ascii=False)
    assert "Zeigt" not in saved.text
    helped = app.slack.command(user_id="U1", text="hilfe")
    assert helped.text.startswith("So nutzt du /ssi")
    refused = app.slack.command(user_id="U1", text="68 21 17 14 160")
    assert "darf aber höchstens 25 sein" in refused.text and "nichts gespeichert" in refused.text
    # Slack was asked once; the locale is kept like the name.
    asked = [c for c in app.fake.calls("users.info") if c.params.get("user") == "U1"]
    assert len(asked) == 1 and asked[0].params.get("include_locale") in (True, "true", "1")


def test_a_first_answer_in_a_teams_channel_is_in_the_teams_language(app: RunningApp) -> None:
    make_team(app.engine, channel="C1", language=Language.ES)
    app.fake.add_user("U7", name="jonas", locale="de-DE")
    first = app.slack.command(user_id="U7", text="help", channel_id="C1")
    assert first.text.startswith("Cómo usar /ssi")
    assert _locale_kept(app, "U7").slack_locale == "de-DE"
    assert app.slack.command(user_id="U7", text="help", channel_id="C1").text.startswith(
        "So nutzt du /ssi"
    )


def test_a_slow_or_rate_limited_slack_does_not_hold_the_answer(app: RunningApp) -> None:
    """Slack is asked for the locale off the request's path: a Slack that answers late, or
    with a 429 and a long Retry-After, costs the answer nothing; the person is answered in
    English, and Slack is asked again after ``RETRY_AFTER``."""
    app.fake.add_user("U1", name="jonas", locale="de-DE")

    def timed(text: str) -> tuple[float, str]:
        started = time.monotonic()
        answer = app.slack.command(user_id="U1", text=text)
        return time.monotonic() - started, json.dumps(answer.json, ensure_ascii=False)

    app.fake.script("users.info", Fault(delay=5.0))
    took, slow = timed("hilfe")
    assert took < 1.0 and "How to use /ssi" in slow
    assert "How to use /ssi" in timed("hilfe")[1]  # still asking: not asked twice
    assert _locale_kept(app, "U1", timeout=ASK_SECONDS + 5).seen_at is not None
    assert len(app.fake.calls("users.info")) == 1
    app.clock.advance(seconds=RETRY_AFTER.total_seconds() + 60)
    app.fake.script("users.info", Fault(status=429, retry_after=30))
    took, limited = timed("hilfe")
    assert took < 1.0 and "How to use /ssi" in limited
    app.fake.wait_for("users.info", count=2)
    time.sleep(0.2)  # kept as not known, asked again after RETRY_AFTER
    app.clock.advance(seconds=RETRY_AFTER.total_seconds() + 60)
    assert "How to use /ssi" in timed("help")[1]  # known only after this ask
    app.fake.wait_for("users.info", count=3)
    time.sleep(0.2)
    assert "So nutzt du /ssi" in timed("help")[1]
    assert "So nutzt du /ssi" in timed("help")[1]  # kept: no fourth ask
    assert len(app.fake.calls("users.info")) == 3


def test_a_person_can_choose_a_language_and_go_back_to_slacks(app: RunningApp) -> None:
    app.fake.add_user("U2", name="lucia", locale="en-US")
    chosen = app.slack.command(user_id="U2", text="language es")
    assert "A partir de ahora te respondo en Español" in chosen.text
    assert app.slack.command(user_id="U2", text="undo").text.startswith("No hay nada que deshacer")
    # Spanish words work for anyone, and bad input is answered in their language.
    wrong = app.slack.command(user_id="U2", text="idioma klingon")
    assert wrong.text.startswith("Escribe `/ssi idioma es`")
    back = app.slack.command(user_id="U2", text="idioma auto")
    assert "follow your Slack language again: English" in back.text
    assert app.slack.command(user_id="U2", text="undo").text.startswith("There's nothing")


def test_a_team_posts_in_its_language_and_reminds_each_in_theirs(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    make_team(engine, at=SLOT - timedelta(weeks=2), language=Language.DE)
    with engine.begin() as db:
        languages.remember_locale(
            db=db, scope=ACME, user_id="U2", locale="it-IT", seen_at=SLOT - timedelta(days=1)
        )
    submit(engine, "U1", 60, SLOT - timedelta(hours=30))
    clock = ManualClock(SLOT - timedelta(hours=2))
    run = runner(engine, fake_slack, clock)
    run.tick()  # reminders: U2 in Italian, U3 (no locale known) in the team's German
    reminders = {
        c.params["channel"]: c.params["text"] for c in fake_slack.calls("chat.postMessage")
    }
    assert reminders["U2"].startswith("Promemoria")
    assert reminders["U3"].startswith("Erinnerung")
    clock.now = SLOT + timedelta(minutes=1)
    run.tick()
    post = channel_posts(fake_slack, "C1")[-1]
    assert post.params["text"].startswith("SSI-Rangliste, ")
    dm = [c for c in fake_slack.calls("chat.postMessage") if c.params["channel"] == "UBOSS"]
    assert dm and dm[0].params["text"].startswith("Der SSI deines Teams")


def test_set_up_offers_the_setters_language_and_keeps_the_choice() -> None:
    from slackapp.render.team_setup import setup_modal

    with speaking(Language.IT):
        view = setup_modal(
            team=None,
            timezone="Europe/Rome",
            user_id="U1",
            metadata={"channel_id": "C1"},
            language=Language.IT,
        )
    assert_valid_view(view)
    (picker,) = [b for b in view["blocks"] if b.get("block_id") == "language"]
    assert picker["element"]["initial_option"]["value"] == "it"
    assert view["title"]["text"] == "Configura team SSI"


def test_remembered_numbers_are_written_as_babel_writes_them() -> None:
    """Scores, averages and changes are remembered once written (speech._formatted): the
    same as asking Babel each time, in every language, equal decimals of other exponents
    (21, 21.0, 21.00) included, whichever came first."""
    from babel import Locale
    from babel.numbers import format_decimal

    from slackapp.language import speech

    speech._formatted.cache_clear()
    values = [D(n) / 100 for n in range(-1000, 10001, 7)] + [D("21"), D("21.0"), D("21.00")]
    for language in Language:
        locale = Locale.parse(language.value)
        with speaking(language):
            for value in values + list(reversed(values)):
                for name, pattern in speech._PATTERNS.items():
                    plain = format_decimal(value, format=pattern, locale=locale)
                    assert speech._formatted(value, name, language) == plain
                assert speech.score(value) == format_decimal(value, "0.##", locale=locale)


def _asker_of_new_people(
    engine: Engine, fake_slack: FakeSlack, *, people: int, limit: int, minute: float
) -> tuple[PersonLanguage, WebClient]:
    """An asker whose pace allows ``limit`` ``users.info`` a ``minute``, the plain client
    Bolt hands a listener, and ``people`` Slack knows as German (U0, U1...)."""
    upgrade(engine)
    for n in range(people):
        fake_slack.add_user(f"U{n}", name=f"p{n}", locale="de-DE")
    pace = SlackPace({"users.info": limit}, minute=minute)
    asker = PersonLanguage(engine=engine, clock=ManualClock(NOW), pace=pace)
    return asker, WebClient(token="xoxb-test", base_url=fake_slack.api_url)


def test_locale_asks_keep_slacks_pace_with_the_client_bolt_hands_listeners(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    """Bolt gives each request a plain WebClient of its own (no pace): the asks made with it
    still take their turns in the process's pace, so a burst of people never seen stays
    within ``users.info``'s limit (here 3 in a 1-second minute) and Slack refuses none."""
    fake_slack.limits.minute = 1.0
    fake_slack.limits.per_minute["users.info"] = 3
    asker, client = _asker_of_new_people(engine, fake_slack, people=7, limit=3, minute=1.0)
    started = time.monotonic()
    for n in range(7):
        assert asker.of(client, ACME, f"U{n}") == Language.EN  # answered now, asked later
    assert asker.idle(timeout=15)
    assert len(fake_slack.calls("users.info")) == 7
    assert fake_slack.limits.limited.get("users.info", 0) == 0
    assert time.monotonic() - started >= 2.0  # 3, then 3 a minute later, then 1


def test_people_past_slacks_limit_are_asked_on_a_later_request(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    """A burst of people never seen, past ``users.info``'s limit for the minute: the asks
    that would wait longer than ``ASK_SECONDS`` for a turn are dropped at once (nothing kept,
    so the person is asked on a later request), and a closed asker asks nothing more."""
    asker, client = _asker_of_new_people(engine, fake_slack, people=5, limit=2, minute=60.0)
    started = time.monotonic()
    for n in range(5):
        asker.of(client, ACME, f"U{n}")
    assert asker.idle(timeout=5) and time.monotonic() - started < ASK_SECONDS
    assert [c.params["user"] for c in fake_slack.calls("users.info")] == ["U0", "U1"]
    with engine.connect() as db:
        kept = [languages.spoken_by(db=db, scope=ACME, user_id=f"U{n}").seen_at for n in range(5)]
    assert [at is not None for at in kept] == [True, True, False, False, False]
    asker.close()
    asker.of(client, ACME, "U4")
    time.sleep(0.1)
    assert len(fake_slack.calls("users.info")) == 2 and asker.idle(timeout=1)

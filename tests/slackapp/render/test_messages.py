"""Every message and view the app builds is valid Block Kit and inside Slack's limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest

from models.domain.history import KnownBenchmark, StoredSubmission
from models.domain.ranking import rank_by_total
from models.domain.ssi import Benchmark, Reading
from models.services.readings import ChannelRank, PersonalSummary, SubmissionResult
from slackapp.render.blocks import delta, score
from slackapp.render.form import submission_modal
from slackapp.render.notices import help_reply, internal_error_reply
from slackapp.render.replies import (
    board_reply,
    error_reply,
    personal_reply,
    submission_reply,
    undo_reply,
)
from tests.blockkit import assert_valid_message, assert_valid_view

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
FULL = Reading(
    D("72"),
    D("21.4"),
    D("17.66"),
    D("13.78"),
    D("19.4"),
    Benchmark(D(22), D(3)),
    Benchmark(D(37), D(14)),
)


def stored(
    user: str, total: int | D, days_ago: int = 0, name: str | None = None
) -> StoredSubmission:
    quarter = D(total) / 4
    reading = Reading(D(total), quarter, quarter, quarter, quarter)
    return StoredSubmission(
        1, user, name or user.lower(), "C1", NOW - timedelta(days=days_ago), "command", reading
    )


def test_submission_reply_with_everything_known() -> None:
    standings = rank_by_total([stored("U1", 72), stored("U2", 72), stored("U3", 60)])
    result = SubmissionResult(
        saved=StoredSubmission(9, "U1", "u1", "C1", NOW, "command", FULL),
        previous=stored("U1", 70, days_ago=7),
        rank=ChannelRank("C1", standings[0].rank, of=3, tied=True),
        benchmarks={
            "industry": KnownBenchmark(FULL.industry, NOW),
            "network": KnownBenchmark(FULL.network, NOW - timedelta(days=14)),
        },
    )
    message = submission_reply(result, NOW).ephemeral()
    assert_valid_message(message)
    text = str(message["blocks"])
    assert "#1 (shared) of 3" in text
    assert "you're 50 above" in text and "top 14%" in text and "as of" in text


@pytest.mark.parametrize("people", [0, 1, 8, 300, 2000])
def test_boards_of_any_size_stay_inside_limits(people: int) -> None:
    entries = [
        stored(f"U{i:05d}", D(i % 101), days_ago=i % 20, name="x" * 80 + str(i))
        for i in range(people)
    ]
    message = board_reply("C1", rank_by_total(entries), NOW).ephemeral()
    assert_valid_message(message)
    text = str(message["blocks"])
    listed = text.count("<@U")
    if listed < people:  # the rest are counted, never left out silently
        assert f"and {people - listed} more, below the {listed} shown" in text


def test_personal_summary_with_long_history_and_many_channels() -> None:
    history = [stored("U1", 60 + i, days_ago=7 * i) for i in range(8)]
    ranks = [ChannelRank(f"C{i}", 7, of=300, tied=False) for i in range(10)]
    summary = PersonalSummary(
        history=history, ranks=ranks, benchmarks={"industry": KnownBenchmark(FULL.industry, NOW)}
    )
    assert_valid_message(personal_reply(summary, NOW).ephemeral())
    assert_valid_message(personal_reply(PersonalSummary(history=[]), NOW).ephemeral())


def test_small_replies() -> None:
    for message in (
        help_reply(),
        error_reply("I didn't understand “<!channel> *bold* " + "x" * 400 + "”."),
        undo_reply(None, None),
        undo_reply(stored("U1", 60), stored("U1", 58, days_ago=7)),
        undo_reply(stored("U1", 60), None),
        internal_error_reply(),
    ):
        assert_valid_message(message.ephemeral())


def test_user_text_in_errors_is_inert() -> None:
    message = error_reply("I didn't understand “<!channel>” or “<@U1>” or “a&b”.")
    rendered = str(message.blocks) + message.text
    assert "<!channel>" not in rendered and "<@U1>" not in rendered
    assert "&lt;!channel&gt;" in rendered and "a&amp;b" in rendered


def test_modal_is_valid_empty_and_prefilled() -> None:
    metadata = {"channel_id": "C1", "response_url": "https://hooks.slack.com/commands/" + "x" * 200}
    assert_valid_view(submission_modal(None, metadata))
    view = submission_modal(FULL, metadata)
    assert_valid_view(view)
    inputs = [b for b in view["blocks"] if b["type"] == "input"]
    prefilled = {b["block_id"]: b["element"].get("initial_value") for b in inputs}
    assert prefilled["find"] == "17.66" and prefilled["network_top"] == "14"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (D("0.04"), "0.0"),
        (D("-0.04"), "0.0"),
        (D("0.05"), "+0.1"),
        (D("-0.35"), "-0.4"),
        (D("12"), "+12.0"),
        (D("-1.25"), "-1.3"),
    ],
)
def test_deltas_show_one_decimal(value: D, shown: str) -> None:
    assert delta(value) == shown


def test_scores_show_as_typed() -> None:
    assert [score(D(v)) for v in ("68", "21.40", "17.66", "100", "0.00")] == [
        "68",
        "21.4",
        "17.66",
        "100",
        "0",
    ]

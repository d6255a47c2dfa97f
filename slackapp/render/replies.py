"""Replies to what people ask with ``/ssi``: a submission's answer, ``me``, ``board``, ``undo``,
help, errors. Results in, Block Kit out; nothing here talks to Slack or the database. How a
person's SSI reads in them (pillars, changes, benchmarks, rank, tip) is in ``scorecard``."""

from __future__ import annotations

from datetime import datetime

from models.domain.history import StoredSubmission
from models.domain.ranking import Standing
from models.domain.ssi import Pillar
from models.services.readings import PersonalSummary, SubmissionResult
from slackapp.language.speech import _, day, n_, pillar_word
from slackapp.render.blocks import (
    ANONYMOUS_NAME,
    EXAMPLE,
    MAX_BLOCKS,
    STALE_AFTER_DAYS,
    Block,
    Message,
    context_block,
    escape,
    score,
    section,
    slack_date,
)
from slackapp.render.budget import packed_sections
from slackapp.render.momentum import streak_sentence, trend_chart_offer
from slackapp.render.privacy import privacy_word
from slackapp.render.scorecard import (
    benchmark_lines,
    changes_since,
    pillar_fields,
    rank_text,
    weakest_pillar_tip,
)


def submission_reply(result: SubmissionResult, now: datetime) -> Message:
    """The ephemeral answer to a stored submission."""
    saved, reading = result.saved, result.saved.reading
    blocks: list[Block] = [
        section(
            ":white_check_mark: "
            + _("Saved your SSI: *{total}* / 100").format(total=score(reading.total))
        ),
        pillar_fields(reading),
    ]
    lines = []
    if result.previous is not None:
        lines.append(changes_since(saved, result.previous))
    else:
        lines.append(_("Your first submission here. Next week you'll see how it moved."))
    if result.rank is not None:
        if result.rank.team:
            lines.append(_("Rank: {rank}").format(rank=rank_text(result.rank)))
        else:
            lines.append(
                _("Rank: {rank} (among those who shared here)").format(rank=rank_text(result.rank))
            )
    benchmark_line = benchmark_lines(reading.total, result.benchmarks, now)
    if benchmark_line:
        lines.append(benchmark_line)
    blocks.append(section("\n".join(lines)))
    blocks.append(weakest_pillar_tip(reading))
    text = _(
        "Saved your SSI {total} ({brand_word} {brand}, {find_word} {find}, {engage_word} "
        "{engage}, {relate_word} {relate})."
    ).format(
        total=score(reading.total),
        **{p.value: score(reading.pillar(p)) for p in Pillar},
        **{f"{p.value}_word": pillar_word(p) for p in Pillar},
    )
    return Message(text=text, blocks=blocks)


def _example_note() -> str:
    return _(
        "Example: `{example}` (total, then brand, find, engage, relate). `/ssi help` shows "
        "every form. Nothing was saved."
    ).format(example=EXAMPLE)


def error_reply(problem: str) -> Message:
    """Bad input: what is wrong, and a correct example. ``problem`` may quote the user."""
    problem = escape(problem)
    blocks = [section(f":warning: {problem}"), context_block(_example_note())]
    fallback = _("{problem} Example: {example}. Nothing was saved.")
    return Message(text=fallback.format(problem=problem, example=EXAMPLE), blocks=blocks)


def _trend(history: list[StoredSubmission]) -> str:
    oldest_first = list(reversed(history))
    return " → ".join(score(s.reading.total) for s in oldest_first)


def personal_reply(summary: PersonalSummary, now: datetime) -> Message:
    """``/ssi me``."""
    if not summary.history:
        return Message(
            text=_("You haven't shared your SSI yet. Try /ssi 68 21 17 14 16."),
            blocks=[
                section(
                    _(
                        "You haven't shared your SSI yet. Try `{example}`, or just `/ssi` for a "
                        "form."
                    ).format(example=EXAMPLE)
                )
            ],
        )
    latest = summary.history[0]
    reading = latest.reading
    age_days = (now - latest.submitted_at).days
    stale = ""
    if age_days >= STALE_AFTER_DAYS:
        stale = " :hourglass: " + _("{days} days old; share a fresh one with `/ssi`.").format(
            days=age_days
        )
    blocks: list[Block] = [
        section(
            _("*Your SSI: {total}* / 100, as of {date}.").format(
                total=score(reading.total), date=slack_date(latest.submitted_at)
            )
            + stale
        ),
        pillar_fields(reading),
    ]
    lines = []
    if len(summary.history) > 1:
        lines.append(changes_since(latest, summary.history[1]))
        lines.append(_("Trend: {trend}").format(trend=_trend(summary.history)))
    benchmark_line = benchmark_lines(reading.total, summary.benchmarks, now)
    if benchmark_line:
        lines.append(benchmark_line)
    if lines:
        blocks.append(section("\n".join(lines)))
    # A person on many teams: every rank and streak, over as many sections as they need.
    places = [_("Rank: {rank}").format(rank=rank_text(r)) for r in summary.ranks]
    places += [streak_sentence(streak, channel) for channel, streak in summary.streaks]
    blocks += packed_sections(places, plain=False, max_blocks=PLACE_BLOCKS, more=_more_places)
    blocks.append(weakest_pillar_tip(reading))
    if len(summary.history) > 1:
        blocks.append(trend_chart_offer())
    if summary.left_out:
        blocks.append(context_block(_more_places(summary.left_out)))
    blocks.append(
        context_block(
            _(
                "On channel leaderboards you're *{choice}* · `/ssi privacy public`, `anonymous` "
                "or `hidden` to change it"
            ).format(choice=privacy_word(summary.privacy))
        )
    )
    return Message(
        text=_("Your SSI: {total} as of {date}.").format(
            total=score(reading.total), date=day(latest.submitted_at, year=False)
        ),
        blocks=blocks,
    )


PLACE_BLOCKS = 6  # sections for ranks and streaks: 20 teams take two or three


def _more_places(count: int) -> str:
    return n_(
        "…and {count} more team or channel: `/ssi board` there shows where you stand.",
        "…and {count} more teams or channels: `/ssi board` in each shows where you stand.",
        count,
    ).format(count=count)


def board_reply(channel_id: str, standings: list[Standing], now: datetime) -> Message:
    """``/ssi board``: this channel's ranking, chunked to stay inside section limits."""
    if not standings:
        return Message(
            text=_("Nobody has shared their SSI in this channel yet."),
            blocks=[
                section(
                    _(
                        "Nobody has shared their SSI in <#{channel}> yet. Be the first: "
                        "`{example}`."
                    ).format(channel=channel_id, example=EXAMPLE)
                )
            ],
        )
    rows = []
    for standing in standings:
        entry = standing.submission
        stale = ""
        if (now - entry.submitted_at).days >= STALE_AFTER_DAYS:
            as_of = _("(as of {date})").format(date=slack_date(entry.submitted_at))
            stale = f" _{as_of}_"
        name = _(ANONYMOUS_NAME) if standing.anonymous else f"<@{entry.user_id}>"
        rows.append(f"{standing.rank}. {name} *{score(entry.reading.total)}*{stale}")
    title = _("SSI leaderboard for <#{channel}>").format(channel=channel_id)
    blocks: list[Block] = [section(f"*{title}*")]

    def more(count: int) -> str:
        return n_(
            "…and {count} more, below the {shown} shown.",
            "…and {count} more, below the {shown} shown.",
            count,
        ).format(count=count, shown=len(rows) - count)

    blocks += packed_sections(rows, plain=False, max_blocks=MAX_BLOCKS - 2, more=more)
    count = len(standings)
    note = n_(
        "{count} person has shared their SSI here.",
        "{count} people have shared their SSI here.",
        count,
    ).format(count=count)
    blocks.append(context_block(note))
    top = standings[0].submission
    return Message(
        text=_("SSI leaderboard for this channel ({count} shared); top score {top}.").format(
            count=count, top=score(top.reading.total)
        ),
        blocks=blocks,
    )


def undo_reply(removed: StoredSubmission | None, now_latest: StoredSubmission | None) -> Message:
    if removed is None:
        nothing = _("There's nothing to undo: you haven't shared an SSI yet.")
        return Message(text=nothing, blocks=[section(nothing)])
    what = _("Removed your SSI {total} from {date}.").format(
        total=score(removed.reading.total), date=slack_date(removed.submitted_at)
    )
    if now_latest is not None:
        after = _("Your latest is now {total} from {date}.").format(
            total=score(now_latest.reading.total), date=slack_date(now_latest.submitted_at)
        )
    else:
        after = _("You have no SSI on record now.")
    return Message(
        text=_("Removed your SSI {total}.").format(total=score(removed.reading.total)),
        blocks=[section(f":wastebasket: {what} {after}")],
    )

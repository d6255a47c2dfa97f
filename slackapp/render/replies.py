"""Replies to what people ask with ``/ssi``: a submission's answer, ``me``, ``board``, ``undo``,
help, errors. Results in, Block Kit out; nothing here talks to Slack or the database."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from models.domain.history import KnownBenchmark, StoredSubmission
from models.domain.ranking import Standing
from models.domain.ssi import PILLAR_TIPS, Pillar, Reading, pillar_deltas
from models.service import ChannelRank, PersonalSummary, SubmissionResult
from slackapp.render.blocks import (
    ANONYMOUS_NAME,
    BOARD_ROWS_SHOWN,
    EXAMPLE,
    MAX_BLOCKS,
    STALE_AFTER_DAYS,
    Block,
    Message,
    arrow,
    context_block,
    delta,
    escape,
    line_chunks,
    notice,
    one_decimal,
    score,
    section,
    slack_date,
)
from slackapp.render.momentum import streak_sentence, trend_chart_offer


def _pillar_fields(reading: Reading) -> Block:
    return {
        "type": "section",
        "fields": [
            {"type": "mrkdwn", "text": f"*{p.title}*\n{score(reading.pillar(p))} / 25"}
            for p in Pillar
        ],
    }


def _tip(reading: Reading) -> Block:
    weakest = reading.weakest_pillar
    return section(
        f":bulb: Weakest pillar: *{weakest.title}* ({score(reading.pillar(weakest))} / 25). "
        f"{PILLAR_TIPS[weakest]}"
    )


def _changes(current: StoredSubmission, previous: StoredSubmission) -> str:
    deltas = pillar_deltas(current.reading, previous.reading)
    parts = [f"total *{delta(deltas['total'])}* {arrow(deltas['total'])}"]
    parts += [f"{p.value} {delta(deltas[p.value])}" for p in Pillar]
    return f"Since {slack_date(previous.submitted_at)}: " + " · ".join(parts)


def _benchmark_line(total: Decimal, benchmarks: dict[str, KnownBenchmark], now: datetime) -> str:
    parts = []
    for name in ("industry", "network"):
        known = benchmarks.get(name)
        if known is None:
            continue
        bits = []
        if known.benchmark.average is not None:
            gap = total - known.benchmark.average
            side = "above" if gap >= 0 else "below"
            bits.append(
                f"average {score(known.benchmark.average)}, you're {one_decimal(abs(gap))} {side}"
            )
        if known.benchmark.top_percent is not None:
            bits.append(f"you're in the top {score(known.benchmark.top_percent)}%")
        as_of = "" if known.as_of.date() == now.date() else f" (as of {slack_date(known.as_of)})"
        parts.append(f"{name.capitalize()}: {'; '.join(bits)}{as_of}")
    return "\n".join(parts)


def _rank_text(rank: ChannelRank) -> str:
    shared = " (shared)" if rank.tied else ""
    where = "on the team in" if rank.team else "in"
    return f"#{rank.rank}{shared} of {rank.of} {where} <#{rank.channel_id}>"


def submission_reply(result: SubmissionResult, now: datetime) -> Message:
    """The ephemeral answer to a stored submission."""
    saved, reading = result.saved, result.saved.reading
    blocks: list[Block] = [
        section(f":white_check_mark: Saved your SSI: *{score(reading.total)}* / 100"),
        _pillar_fields(reading),
    ]
    lines = []
    if result.previous is not None:
        lines.append(_changes(saved, result.previous))
    else:
        lines.append("Your first submission here. Next week you'll see how it moved.")
    if result.rank is not None:
        among = "" if result.rank.team else " (among those who shared here)"
        lines.append(f"Rank: {_rank_text(result.rank)}{among}")
    benchmark_line = _benchmark_line(reading.total, result.benchmarks, now)
    if benchmark_line:
        lines.append(benchmark_line)
    blocks.append(section("\n".join(lines)))
    blocks.append(_tip(reading))
    text = (
        f"Saved your SSI {score(reading.total)} (brand {score(reading.brand)}, find "
        f"{score(reading.find)}, engage {score(reading.engage)}, relate {score(reading.relate)})."
    )
    return Message(text=text, blocks=blocks)


def error_reply(problem: str) -> Message:
    """Bad input: what is wrong, and a correct example. ``problem`` may quote the user."""
    problem = escape(problem)
    blocks = [
        section(f":warning: {problem}"),
        context_block(
            f"Example: `{EXAMPLE}` (total, then brand, find, engage, relate). "
            "`/ssi help` shows every form. Nothing was saved."
        ),
    ]
    return Message(text=f"{problem} Example: {EXAMPLE}. Nothing was saved.", blocks=blocks)


HELP_TEXT = (
    "*Share your LinkedIn Social Selling Index* (from linkedin.com/sales/ssi):\n"
    "• `/ssi 68 21 17 14 16`: your total, then the four pillars (brand, find, engage, relate)\n"
    "• `/ssi 21 17 14 16`: just the pillars; I add them up\n"
    "• `/ssi 72 21,4 17,66 13,78 19,4`: decimals with a comma or a point are both fine\n"
    "• `/ssi 68 21 17 14 16 industry 22 network 37`: add your industry and network averages\n"
    "• `/ssi 68 21 17 14 16 industry 22 top 5% network 37 top 14%`: and your ranks there\n"
    "• `/ssi`: a form, filled in with your last numbers"
)

HELP_MORE = (
    "*More:* `/ssi me` your trend and where you rank · `/ssi board` this channel's "
    "leaderboard · `/ssi undo` remove your latest submission · `/ssi remind off` (or `on`) "
    "weekly reminders · `/ssi setup` make this channel a team with a weekly leaderboard · "
    "`/ssi privacy public`, `anonymous` or `hidden` how channel leaderboards show you · "
    "`/ssi export` your history as a CSV (`/ssi export team`: a team's, for its managers) · "
    "`/ssi away until 2026-12-24` and `/ssi back` pause reminders and streaks · "
    "`/ssi forget-me` delete your data · `/ssi help` this message"
)


def help_reply() -> Message:
    blocks = [section(HELP_TEXT), section(HELP_MORE)]
    return Message(
        text="How to use /ssi: /ssi 68 21 17 14 16 (total, then the pillars).", blocks=blocks
    )


def _trend(history: list[StoredSubmission]) -> str:
    oldest_first = list(reversed(history))
    return " → ".join(score(s.reading.total) for s in oldest_first)


def personal_reply(summary: PersonalSummary, now: datetime) -> Message:
    """``/ssi me``."""
    if not summary.history:
        return Message(
            text="You haven't shared your SSI yet. Try /ssi 68 21 17 14 16.",
            blocks=[
                section(
                    f"You haven't shared your SSI yet. Try `{EXAMPLE}`, or just `/ssi` for a form."
                )
            ],
        )
    latest = summary.history[0]
    reading = latest.reading
    age_days = (now - latest.submitted_at).days
    stale = (
        f" :hourglass: {age_days} days old; share a fresh one with `/ssi`."
        if age_days >= STALE_AFTER_DAYS
        else ""
    )
    blocks: list[Block] = [
        section(
            f"*Your SSI: {score(reading.total)}* / 100, as of "
            f"{slack_date(latest.submitted_at)}.{stale}"
        ),
        _pillar_fields(reading),
    ]
    lines = []
    if len(summary.history) > 1:
        lines.append(_changes(latest, summary.history[1]))
        lines.append(f"Trend: {_trend(summary.history)}")
    if summary.ranks:
        lines.append("Rank: " + " · ".join(_rank_text(r) for r in summary.ranks))
    benchmark_line = _benchmark_line(reading.total, summary.benchmarks, now)
    if benchmark_line:
        lines.append(benchmark_line)
    lines += [streak_sentence(streak, channel) for channel, streak in summary.streaks]
    if lines:
        blocks.append(section("\n".join(lines)))
    blocks.append(_tip(reading))
    if len(summary.history) > 1:
        blocks.append(trend_chart_offer())
    blocks.append(
        context_block(
            f"On channel leaderboards you're *{summary.privacy.value}* · "
            "`/ssi privacy public`, `anonymous` or `hidden` to change it"
        )
    )
    return Message(
        text=f"Your SSI: {score(reading.total)} as of {latest.submitted_at:%b %-d}.", blocks=blocks
    )


def board_reply(channel_id: str, standings: list[Standing], now: datetime) -> Message:
    """``/ssi board``: this channel's ranking, chunked to stay inside section limits."""
    if not standings:
        return Message(
            text="Nobody has shared their SSI in this channel yet.",
            blocks=[
                section(
                    f"Nobody has shared their SSI in <#{channel_id}> yet. Be the "
                    f"first: `{EXAMPLE}`."
                )
            ],
        )
    rows = []
    for standing in standings[:BOARD_ROWS_SHOWN]:
        entry = standing.submission
        stale = (
            f" _(as of {slack_date(entry.submitted_at)})_"
            if (now - entry.submitted_at).days >= STALE_AFTER_DAYS
            else ""
        )
        name = ANONYMOUS_NAME if standing.anonymous else f"<@{entry.user_id}>"
        rows.append(f"{standing.rank}. {name} *{score(entry.reading.total)}*{stale}")
    blocks: list[Block] = [section(f"*SSI leaderboard for <#{channel_id}>*")]
    blocks += [section(text) for text in line_chunks(rows)]
    hidden = len(standings) - BOARD_ROWS_SHOWN
    people = "person has" if len(standings) == 1 else "people have"
    note = f"{len(standings)} {people} shared their SSI here."
    if hidden > 0:
        note += f" Showing the top {BOARD_ROWS_SHOWN}."
    blocks.append(context_block(note))
    top = standings[0].submission
    return Message(
        text=(
            f"SSI leaderboard for this channel ({len(standings)} shared); "
            f"top score {score(top.reading.total)}."
        ),
        blocks=blocks[:MAX_BLOCKS],
    )


def undo_reply(removed: StoredSubmission | None, now_latest: StoredSubmission | None) -> Message:
    if removed is None:
        return Message(
            text="There's nothing to undo: you haven't shared an SSI yet.",
            blocks=[section("There's nothing to undo: you haven't shared an SSI yet.")],
        )
    what = (
        f"Removed your SSI {score(removed.reading.total)} from {slack_date(removed.submitted_at)}."
    )
    after = (
        f" Your latest is now {score(now_latest.reading.total)} from "
        f"{slack_date(now_latest.submitted_at)}."
        if now_latest is not None
        else " You have no SSI on record now."
    )
    return Message(
        text=f"Removed your SSI {score(removed.reading.total)}.",
        blocks=[section(f":wastebasket: {what}{after}")],
    )


def reminders_reply(on: bool) -> Message:
    text = (
        "Reminders are on: if you haven't shared your SSI by a few hours before a team's "
        "weekly leaderboard, I'll send you a note. `/ssi remind off` stops them."
        if on
        else "Reminders are off. `/ssi remind on` turns them back on."
    )
    return notice(text)


def unknown_command_reply(command: str) -> Message:
    return notice(
        f"I only answer `/ssi`, not `{escape(command[:40])}`. Try `/ssi help`.", ":thinking_face:"
    )


def internal_error_reply() -> Message:
    text = (
        "Sorry, something went wrong on our side and nothing was saved. "
        "Please try again in a minute."
    )
    return notice(text, ":warning:")


def busy_reply() -> Message:
    text = "SSI Leaderboard is busy right now, so nothing was saved. Please try again in a moment."
    return notice(text, ":hourglass:")


def form_unavailable_reply() -> Message:
    text = (
        "Sorry, I couldn't open the form just now. Try `/ssi` again, or type your numbers: "
        f"`{EXAMPLE}`."
    )
    return notice(text, ":warning:")


# --- The submission modal -------------------------------------------------------------------

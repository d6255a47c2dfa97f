"""A person's SSI as their replies show it (``replies``: the answer to a submission, and
``/ssi me``): the pillars out of 25, what changed since the one before, the benchmarks,
their rank in a channel, and a tip for the weakest pillar."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from models.domain.history import KnownBenchmark, StoredSubmission
from models.domain.ssi import Pillar, Reading, pillar_deltas
from models.services.readings import ChannelRank
from slackapp.language.speech import _, pillar_tip, pillar_title, pillar_word
from slackapp.render.blocks import Block, arrow, delta, one_decimal, score, section, slack_date


def pillar_fields(reading: Reading) -> Block:
    out_of = _("{score} / {most}")
    return {
        "type": "section",
        "fields": [
            {
                "type": "mrkdwn",
                "text": f"*{pillar_title(p)}*\n"
                + out_of.format(score=score(reading.pillar(p)), most=25),
            }
            for p in Pillar
        ],
    }


def weakest_pillar_tip(reading: Reading) -> Block:
    weakest = reading.weakest_pillar
    return section(
        ":bulb: "
        + _("Weakest pillar: *{pillar}* ({score} / 25). {tip}").format(
            pillar=pillar_title(weakest),
            score=score(reading.pillar(weakest)),
            tip=pillar_tip(weakest),
        )
    )


def changes_since(current: StoredSubmission, previous: StoredSubmission) -> str:
    deltas = pillar_deltas(current.reading, previous.reading)
    parts = [
        _("total *{change}* {arrow}").format(
            change=delta(deltas["total"]), arrow=arrow(deltas["total"])
        )
    ]
    parts += [f"{pillar_word(p)} {delta(deltas[p.value])}" for p in Pillar]
    return _("Since {date}: {changes}").format(
        date=slack_date(previous.submitted_at), changes=" · ".join(parts)
    )


def benchmark_lines(total: Decimal, benchmarks: dict[str, KnownBenchmark], now: datetime) -> str:
    parts = []
    for name, title in (("industry", _("Industry")), ("network", _("Network"))):
        known = benchmarks.get(name)
        if known is None:
            continue
        bits = []
        if known.benchmark.average is not None:
            gap = total - known.benchmark.average
            if gap >= 0:
                side = _("average {average}, you're {gap} above")
            else:
                side = _("average {average}, you're {gap} below")
            bits.append(
                side.format(average=score(known.benchmark.average), gap=one_decimal(abs(gap)))
            )
        if known.benchmark.top_percent is not None:
            top = score(known.benchmark.top_percent)
            bits.append(_("you're in the top {percent}%").format(percent=top))
        as_of = ""
        if known.as_of.date() != now.date():
            as_of = " " + _("(as of {date})").format(date=slack_date(known.as_of))
        parts.append(f"{title}: {'; '.join(bits)}{as_of}")
    return "\n".join(parts)


def rank_text(rank: ChannelRank) -> str:
    place = (_("#{rank} (shared)") if rank.tied else "#{rank}").format(rank=rank.rank)
    if rank.stale:
        place += " " + _("(with a reading from an earlier week)")
    if rank.team:
        text = _("{place} of {count} on the team in <#{channel}>")
    else:
        text = _("{place} of {count} in <#{channel}>")
    return text.format(place=place, count=rank.of, channel=rank.channel_id)

"""Team standings: a workspace's teams ranked by their average SSI for the week."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from models.domain.ranking import competition_ranks


class TeamStanding(NamedTuple):
    """A team among the workspace's teams, by average SSI."""

    rank: int
    team_id: int
    channel_id: str
    average: Decimal


def rank_teams(averages: Sequence[tuple[int, str, Decimal | None]]) -> list[TeamStanding]:
    """Every team with an average, highest first; ties share a rank, shown by channel id."""
    known = sorted(
        ((t, c, a) for t, c, a in averages if a is not None), key=lambda x: (-x[2], x[1])
    )
    ranks = competition_ranks([a for _, _, a in known])
    return [TeamStanding(r, t, c, a) for r, (t, c, a) in zip(ranks, known, strict=True)]

"""A team member's week: who they are and their numbers in the weeks a board looks at.

A board takes one ``MemberWeek`` per member of the team: their latest submission in the
team's week, in the week before and in the one before that, and their latest up to the
week's end. The database builds these in one query (``store.weekly.member_weeks``);
``member_week`` builds one from a plain history, for tests and anything that has the history
in hand. Scores stay integer thousandths, as stored (``weekly.board`` says why).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from models.domain.history import StoredSubmission, to_thousandths
from models.domain.privacy import Privacy
from models.domain.ssi import Pillar
from models.domain.weeks import TeamWeek

FIELDS = ("total", *(p.value for p in Pillar))
# A pillar's position in a ``Sample`` (and in a board entry's ``changes``).
PILLAR_INDEX = {pillar: FIELDS.index(pillar.value) for pillar in Pillar}


class Member(NamedTuple):
    """A human member of the team's channel."""

    user_id: str
    name: str
    privacy: Privacy = Privacy.PUBLIC  # how channel boards show them (managers see all)


class Sample(NamedTuple):
    """One submission's numbers in thousandths, with the person's industry and network
    averages as of that submission (carried forward from earlier ones when not given)."""

    total: int
    brand: int
    find: int
    engage: int
    relate: int
    industry: int | None
    network: int | None
    # Their "top N %" in their industry, from this submission only (a rank isn't carried).
    industry_top: int | None = None


class MemberWeek(NamedTuple):
    """What a board needs to know about one member for one week."""

    member: Member
    this_week: Sample | None  # their latest submission in the week
    last_week: Sample | None  # their latest in the week before
    week_before: Sample | None  # their latest in the week before that
    latest: Sample | None  # their latest up to the week's end: this week's, or older (stale)
    as_of: datetime | None  # when ``latest`` was submitted, if before this week (stale)


def name_order(member: Member) -> tuple[str, str]:
    """How boards list members: by name (case aside), then user id."""
    return (member.name.casefold(), member.user_id)


def member_week(member: Member, history: Sequence[StoredSubmission], week: TeamWeek) -> MemberWeek:
    """A member's ``MemberWeek`` from their submissions (any order), as the query builds it."""
    edges = (week.previous(2).start, week.previous().start, week.start, week.end)
    buckets: list[Sample | None] = [None, None, None]  # week before, last week, this week
    latest: Sample | None = None
    latest_at: datetime | None = None
    industry = network = None
    for s in sorted(history, key=lambda s: (s.submitted_at, s.id)):
        if s.submitted_at >= edges[3]:
            break
        r = s.reading
        industry = (
            to_thousandths(r.industry.average) if r.industry.average is not None else industry
        )
        network = to_thousandths(r.network.average) if r.network.average is not None else network
        scores = [to_thousandths(v) for v in (r.total, r.brand, r.find, r.engage, r.relate)]
        top = to_thousandths(r.industry.top_percent)
        latest = Sample._make((*scores, industry, network, top))
        latest_at = s.submitted_at
        for bucket in range(3):
            if edges[bucket] <= s.submitted_at < edges[bucket + 1]:
                buckets[bucket] = latest
    stale_at = latest_at if buckets[2] is None else None
    return MemberWeek(member, buckets[2], buckets[1], buckets[0], latest, stale_at)

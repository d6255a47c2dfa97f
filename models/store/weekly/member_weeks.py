"""The query behind the weekly boards: each team member's ``MemberWeek``.

One query reads every member of a group of teams (one workspace, one week) with their
submissions from the three weeks a board looks at, in order, each labelled by the week it
falls in; one pass over the rows keeps the latest per week. Members with nothing in those
weeks get their latest earlier submission (shown stale) from a second query, for just them.
Industry and network averages need no search through history: every submission carries the
person's latest known ones (migration 0003).

The statements run as ``Prepared`` ones on the DBAPI cursor: a tick reads hundreds of
thousands of rows, and SQLAlchemy's per-row conversion cost more than the query. Submission
times come back raw and only the few shown (stale scores' dates) are converted.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache
from itertools import chain
from typing import Any

from sqlalchemy import Connection, and_, bindparam, case, select, type_coerce
from sqlalchemy.types import NullType

from models.domain.privacy import Privacy
from models.domain.scope import Scope
from models.domain.weekly.members import Member, MemberWeek, Sample
from models.domain.weeks import TeamWeek
from models.store.people.preferences import not_public
from models.store.prepared import Prepared
from models.store.scoped import in_scope
from models.store.tables import Submission, Team, TeamMember, UTCDateTime, table_of

TEAMS = table_of(Team)
MEMBERS = table_of(TeamMember)
SUBMISSIONS = table_of(Submission)

CHUNK = 1024  # ids per statement; lists are padded to a power of two up to this
_new = tuple.__new__
PUBLIC = Privacy.PUBLIC


def _at(name: str) -> Any:
    return bindparam(name, type_=UTCDateTime())


# Each ``Sample`` field's column, in the field's order (a test checks they match).
SAMPLE_COLUMNS = {
    "total": SUBMISSIONS.c.total_thousandths,
    "brand": SUBMISSIONS.c.brand_thousandths,
    "find": SUBMISSIONS.c.find_thousandths,
    "engage": SUBMISSIONS.c.engage_thousandths,
    "relate": SUBMISSIONS.c.relate_thousandths,
    "industry": SUBMISSIONS.c.carried_industry_average_thousandths,
    "network": SUBMISSIONS.c.carried_network_average_thousandths,
    "industry_top": SUBMISSIONS.c.industry_top_thousandths,
}
_SAMPLE = tuple(SAMPLE_COLUMNS.values())
# A window row: these, then the sample. Positions derived here, used in the hot loop.
WINDOW_LEADING = ("team_id", "user_id", "display_name", "week", "shown_at")
_WEEK = WINDOW_LEADING.index("week")
_IN_ROW = slice(len(WINDOW_LEADING), len(WINDOW_LEADING) + len(_SAMPLE))
_FIRST_SCORE = _IN_ROW.start
_END = (None,) * _IN_ROW.stop  # a row of no team, no member and no submission
# Raw, as the driver returns it (text on SQLite): converted only where it is shown.
_RAW_AT = type_coerce(SUBMISSIONS.c.submitted_at, NullType())


def _ids(prefix: str, count: int) -> list[Any]:
    return [bindparam(f"{prefix}{i}") for i in range(count)]


@cache
def _window_rows(teams: int) -> Prepared:
    """Members of ``teams`` teams with their submissions in [week_before, week_end), oldest
    first per member, each with its week: 0 the week before last, 1 last week, 2 this week.
    A member without any has one row of NULLs (the outer join)."""
    week = case(
        (SUBMISSIONS.c.submitted_at >= _at("this_start"), 2),
        (SUBMISSIONS.c.submitted_at >= _at("last_start"), 1),
        else_=0,
    )
    # Only a stale score shows its date, and only rows before this week can be stale ones.
    shown_at = type_coerce(
        case((SUBMISSIONS.c.submitted_at < _at("this_start"), SUBMISSIONS.c.submitted_at)),
        NullType(),
    )
    theirs = and_(
        in_scope(SUBMISSIONS),
        SUBMISSIONS.c.user_id == MEMBERS.c.user_id,
        SUBMISSIONS.c.submitted_at >= _at("since"),
        SUBMISSIONS.c.submitted_at < _at("until"),
    )
    return Prepared(
        select(
            MEMBERS.c.team_id, MEMBERS.c.user_id, MEMBERS.c.display_name, week, shown_at, *_SAMPLE
        )
        .select_from(
            TEAMS.join(MEMBERS, MEMBERS.c.team_id == TEAMS.c.id).outerjoin(SUBMISSIONS, theirs)
        )
        .where(
            # The scope lets the planner seek the person index per member (PostgreSQL
            # otherwise scans every submission).
            in_scope(TEAMS),
            TEAMS.c.id.in_(_ids("team_", teams)),
        )
        .order_by(
            MEMBERS.c.team_id, MEMBERS.c.user_id, SUBMISSIONS.c.submitted_at, SUBMISSIONS.c.id
        )
    )


@cache
def _earlier_rows(people: int) -> Prepared:
    """The latest submission before ``since`` of each of ``people`` people."""
    earlier = SUBMISSIONS.alias("earlier")
    wanted = _ids("user_", people)
    latest_ids = [
        select(earlier.c.id)
        .where(
            in_scope(earlier),
            earlier.c.user_id == user,
            earlier.c.submitted_at < _at("since"),
        )
        .order_by(earlier.c.submitted_at.desc(), earlier.c.id.desc())
        .limit(1)
        .scalar_subquery()
        for user in wanted
    ]
    return Prepared(
        select(SUBMISSIONS.c.user_id, _RAW_AT, *_SAMPLE).where(SUBMISSIONS.c.id.in_(latest_ids))
    )


def _padded(values: Sequence[Any]) -> Iterator[list[Any]]:
    """``values`` in chunks padded to a power of two (repeating the last value, which ``IN``
    ignores), so that a handful of compiled statements serve every length."""
    for start in range(0, len(values), CHUNK):
        chunk = list(values[start : start + CHUNK])
        size = 1 << (len(chunk) - 1).bit_length()
        yield chunk + chunk[-1:] * (size - len(chunk))


def member_weeks(
    *, db: Connection, scope: Scope, team_ids: Sequence[int], week: TeamWeek
) -> dict[int, list[MemberWeek]]:
    """Each team's members (in user id order) with their ``MemberWeek`` for ``week``. The
    teams all belong to ``scope``; a team without members maps to an empty list."""
    found: dict[int, list[MemberWeek]] = {t: [] for t in team_ids}
    if not team_ids:
        return found
    bounds = {
        "since": week.previous(2).start,
        "last_start": week.previous().start,
        "this_start": week.start,
        "until": week.end,
    }
    params = {**scope.params(), **bounds}
    # The rows' times stay raw in the query; converted here only where they are shown.
    convert_at = SUBMISSIONS.c.submitted_at.type.dialect_impl(db.dialect).result_processor(
        db.dialect, None
    ) or (lambda value: value)
    private = not_public(db=db, scope=scope)
    without: dict[str, list[tuple[int, int]]] = {}  # user -> (team, position): no rows
    for chunk in _padded(sorted(set(team_ids))):
        rows = _window_rows(len(chunk)).rows(
            db, {**params, **{f"team_{i}": t for i, t in enumerate(chunk)}}
        )
        for user_id, team_id, position in _reduce(rows, found, private, convert_at):
            without.setdefault(user_id, []).append((team_id, position))
    for chunk in _padded(sorted(without)):
        rows = _earlier_rows(len(chunk)).rows(
            db, {**scope.params(), "since": bounds["since"], **_user_params(chunk)}
        )
        for user_id, at, *scores in rows:
            for team_id, position in without[user_id]:
                stale = found[team_id][position]
                sample = Sample(*scores)
                found[team_id][position] = stale._replace(latest=sample, as_of=convert_at(at))
    return found


def _user_params(users: list[str]) -> dict[str, str]:
    return {f"user_{i}": u for i, u in enumerate(users)}


def _reduce(
    rows: list[tuple[Any, ...]],
    found: dict[int, list[MemberWeek]],
    private: dict[str, Privacy],
    convert_at: Any,
) -> list[tuple[str, int, int]]:
    """Append one ``MemberWeek`` per (team, member) to ``found`` from rows ordered by team,
    member and time; return (user, team, position) of those without a row."""
    without: list[tuple[str, int, int]] = []
    team_id: Any = None  # the row's, as the driver gives them
    user_id: Any = None
    name: Any = None
    weeks: list[Any] = [None, None, None]
    for row in chain(rows, [_END]):  # the end marker flushes the last member
        if row[1] != user_id or row[0] != team_id:
            if user_id is not None:
                mine = found[team_id]
                if weeks == [None, None, None]:
                    without.append((user_id, team_id, len(mine)))
                member = _new(Member, (user_id, name or user_id, private.get(user_id, PUBLIC)))
                mine.append(_member_week(member, weeks[0], weeks[1], weeks[2], convert_at))
            if row[0] is None:
                break
            team_id, user_id, name = row[0], row[1], row[2]
            weeks = [None, None, None]
        if row[_FIRST_SCORE] is not None:  # not the outer join's empty row
            weeks[row[_WEEK]] = row  # oldest first: the last one in each week stays
    return without


def _member_week(
    member: Member,
    before: tuple[Any, ...] | None,
    last: tuple[Any, ...] | None,
    this: tuple[Any, ...] | None,
    convert_at: Any,
) -> MemberWeek:
    # tuple.__new__ builds the NamedTuples without their Python-level constructors: this runs
    # once per member of every team in a tick.
    if this is not None:
        now = _new(Sample, this[_IN_ROW])
        earlier = None if last is None else _new(Sample, last[_IN_ROW])
        oldest = None if before is None else _new(Sample, before[_IN_ROW])
        return _new(MemberWeek, (member, now, earlier, oldest, now, None))
    stale = last or before  # shown with the date it was submitted
    if stale is None:
        return _new(MemberWeek, (member, None, None, None, None, None))
    earlier = None if last is None else _new(Sample, last[_IN_ROW])
    oldest = None if before is None else _new(Sample, before[_IN_ROW])
    latest = earlier or oldest
    return _new(MemberWeek, (member, None, earlier, oldest, latest, convert_at(stale[4])))

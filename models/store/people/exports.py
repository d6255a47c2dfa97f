"""Histories as CSV: a person's own, or a team's (its current members'). Read-only queries
plus one pure function that writes the rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import UTC
from typing import Any

from sqlalchemy import Connection, select
from sqlmodel import col

from models.domain.history import from_thousandths
from models.domain.scope import Scope
from models.store.scoped import in_scope
from models.store.tables import Submission, TeamMember

HEADER = (
    "submitted_at_utc",
    "user_id",
    "name",
    "total",
    "brand",
    "find",
    "engage",
    "relate",
    "industry_average",
    "industry_top_percent",
    "network_average",
    "network_top_percent",
    "source",
    "channel_id",
)
_COLUMNS = (
    col(Submission.submitted_at),
    col(Submission.user_id),
    col(Submission.user_name),
    col(Submission.total_thousandths),
    col(Submission.brand_thousandths),
    col(Submission.find_thousandths),
    col(Submission.engage_thousandths),
    col(Submission.relate_thousandths),
    col(Submission.industry_average_thousandths),
    col(Submission.industry_top_thousandths),
    col(Submission.network_average_thousandths),
    col(Submission.network_top_thousandths),
    col(Submission.source),
    col(Submission.channel_id),
)
# What spreadsheets read as the start of a formula (OWASP's list for CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def _text(value: Any) -> str:
    """A text cell. Text that a spreadsheet would run as a formula (a name like
    ``=HYPERLINK``) is prefixed with a quote so it stays text."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(rows: Iterable[Sequence[Any]]) -> str:
    """Rows in ``_COLUMNS`` order (scores in thousandths) as CSV text with ``HEADER``.

    RFC 4180's shape: CRLF between records, and every text cell in double quotes, so a CR or
    LF inside a name stays inside its cell (with a bare LF between records, Python's writer
    left a lone CR unquoted, and a spreadsheet split the row there). Scores are bare
    numbers."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow(HEADER)
    for at, user_id, name, *scores, source, channel in rows:
        writer.writerow(
            [
                at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                _text(user_id),
                _text(name),
                *("" if v is None else from_thousandths(v) for v in scores),
                _text(source),
                _text(channel),
            ]
        )
    return out.getvalue()


def person_csv(*, db: Connection, scope: Scope, user_id: str) -> tuple[str, int]:
    """A person's whole history in the workspace, oldest first, and how many rows."""
    rows = db.execute(
        select(*_COLUMNS)
        .where(in_scope(Submission, scope), col(Submission.user_id) == user_id)
        .order_by(col(Submission.submitted_at), col(Submission.id))
    ).all()
    return to_csv(rows), len(rows)


def team_csv(*, db: Connection, scope: Scope, team_id: int) -> tuple[str, int]:
    """The history of every current member of a team, by member then time, with the name
    the team knows them by."""
    rows = db.execute(
        select(*_COLUMNS[:2], col(TeamMember.display_name), *_COLUMNS[3:])
        .join(
            TeamMember,
            (col(TeamMember.user_id) == col(Submission.user_id))
            & (col(TeamMember.team_id) == team_id),
        )
        .where(in_scope(Submission, scope))
        .order_by(col(Submission.user_id), col(Submission.submitted_at), col(Submission.id))
    ).all()
    return to_csv(rows), len(rows)

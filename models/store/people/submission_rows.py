"""A submission's row, as every submission query reads it: the table, the filters they share
(the workspace, one person, newest first) and the columns read back into a
``StoredSubmission``. Keyword-only queries on it live in ``submissions`` (storing one, and
what its reply reads), ``channel_standings`` and ``submission_history``; every one is scoped
to a workspace, because user and channel ids repeat across workspaces.

Statements are built once, at import, with bind parameters, against the table (not the ORM
class).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, bindparam

from models.domain.history import StoredSubmission, from_thousandths
from models.domain.ssi import Benchmark, Reading
from models.store.scoped import in_scope
from models.store.tables import Submission, table_of

SUBMISSIONS = table_of(Submission)

IN_SCOPE = in_scope(SUBMISSIONS)
PERSON = and_(IN_SCOPE, SUBMISSIONS.c.user_id == bindparam("user_id"))
NEWEST_FIRST = (SUBMISSIONS.c.submitted_at.desc(), SUBMISSIONS.c.id.desc())
COLUMN_NAMES = (
    "id", "user_id", "user_name", "channel_id", "submitted_at", "source",
    "total_thousandths", "brand_thousandths", "find_thousandths", "engage_thousandths",
    "relate_thousandths", "industry_average_thousandths", "industry_top_thousandths",
    "network_average_thousandths", "network_top_thousandths",
)  # fmt: skip
COLUMNS = tuple(SUBMISSIONS.c[name] for name in COLUMN_NAMES)


def from_row(row: Sequence[Any]) -> StoredSubmission:
    """A row of ``COLUMNS``. Unpacked by name in ``COLUMN_NAMES``' order: a column added
    there and not here fails at once (too many values), never shifts a score."""
    (
        id_, user_id, user_name, channel_id, submitted_at, source,
        total, brand, find, engage, relate,
        industry_average, industry_top, network_average, network_top,
    ) = row  # fmt: skip
    h = from_thousandths
    reading = Reading(
        total=h(total),
        brand=h(brand),
        find=h(find),
        engage=h(engage),
        relate=h(relate),
        industry=Benchmark(h(industry_average), h(industry_top)),
        network=Benchmark(h(network_average), h(network_top)),
    )
    return StoredSubmission(id_, user_id, user_name, channel_id, submitted_at, source, reading)

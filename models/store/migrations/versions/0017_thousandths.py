"""Scores to thousandths (issue 25): LinkedIn's page shows pillars to three decimals
(12.275), and whole hundredths lost the third. Every score column is renamed from
``*_hundredths`` to ``*_thousandths`` and its value multiplied by ten, so every existing
reading, goal and posted average keeps its value exactly.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCORES = (
    "total",
    "brand",
    "find",
    "engage",
    "relate",
    "industry_average",
    "industry_top",
    "network_average",
    "network_top",
    "carried_industry_average",
    "carried_network_average",
)
PILLARS = ("brand", "find", "engage", "relate")


def _checks(unit: str, hundred: int) -> dict[str, str]:
    """The score checks by name, with columns in ``unit`` (a score of 100 is ``hundred``)."""
    pillar_max = hundred // 4
    return {
        "ck_submission_total": f"total_{unit} BETWEEN 0 AND {hundred}",
        "ck_submission_pillars": " AND ".join(
            f"{p}_{unit} BETWEEN 0 AND {pillar_max}" for p in PILLARS
        ),
    }


def _rename(old: str, new: str, hundred: int) -> None:
    """Rename every score column from unit ``old`` to ``new``, with checks for ``hundred``."""
    # SQLite changes a CHECK only by copying the table (batch mode): one copy holds the
    # renames and the new checks.
    with op.batch_alter_table("submission") as batch:
        for name in _checks(old, hundred):
            batch.drop_constraint(name, type_="check")
        for score in SCORES:
            batch.alter_column(f"{score}_{old}", new_column_name=f"{score}_{new}")
        for name, check in _checks(new, hundred).items():
            batch.create_check_constraint(name, check)
    # Renamed in place on both databases (SQLite has RENAME COLUMN since 3.25): copying
    # ``team`` as batch mode does would drop it, and SQLite's foreign keys would then
    # delete every row that refers to a team (managers, members, posted weeks).
    op.alter_column("team", f"goal_{old}", new_column_name=f"goal_{new}")
    op.alter_column("team_week_average", f"average_{old}", new_column_name=f"average_{new}")


def _convert(unit: str, formula: str) -> None:
    """Every score column in ``unit`` set to ``formula`` of itself (``{}`` stands for it)."""
    sets = ", ".join(f"{s}_{unit} = {formula.format(f'{s}_{unit}')}" for s in SCORES)
    op.execute(f"UPDATE submission SET {sets}")
    op.execute(f"UPDATE team SET goal_{unit} = {formula.format(f'goal_{unit}')}")
    average = f"average_{unit}"
    op.execute(f"UPDATE team_week_average SET {average} = {formula.format(average)}")


def upgrade() -> None:
    # Renamed first, with checks that hold for both units (up to 100,000), then converted.
    _rename("hundredths", "thousandths", 100_000)
    _convert("thousandths", "{} * 10")


def downgrade() -> None:
    # A third decimal is rounded half up (12.275 becomes 12.28) before the old checks return.
    _convert("thousandths", "({} + 5) / 10")
    _rename("thousandths", "hundredths", 10_000)

"""Charts already uploaded, by fingerprint: a chart that shows the same as one uploaded
before is shown again by its file id, neither drawn nor uploaded again. Keyword-only
functions that take the connection (``db``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select
from sqlalchemy.exc import IntegrityError

from models.domain.scope import Scope
from models.store.scoped import in_scope
from models.store.tables import ChartFile, table_of

_CHARTS = table_of(ChartFile)


def known_files(*, db: Connection, scope: Scope, fingerprints: Sequence[str]) -> dict[str, str]:
    """The file id of each fingerprint uploaded to the workspace before."""
    if not fingerprints:
        return {}
    rows = db.execute(
        select(_CHARTS.c.fingerprint, _CHARTS.c.file_id).where(
            in_scope(_CHARTS, scope), _CHARTS.c.fingerprint.in_(list(set(fingerprints)))
        )
    )
    return {fingerprint: file_id for fingerprint, file_id in rows}


def remember(
    *, db: Connection, scope: Scope, fingerprint: str, file_id: str, user_id: str, at: datetime
) -> None:
    """Keep an uploaded chart's file id (another process uploading the same chart at the
    same moment keeps its own file; the first one recorded is the one reused)."""
    try:
        with db.begin_nested():
            db.execute(
                insert(_CHARTS).values(
                    **scope.params(),
                    fingerprint=fingerprint,
                    file_id=file_id,
                    user_id=user_id,
                    created_at=at,
                )
            )
    except IntegrityError:
        pass


def forget_file(*, db: Connection, scope: Scope, file_id: str) -> None:
    """A file Slack no longer shows (deleted in Slack): draw and upload it again next time."""
    db.execute(delete(_CHARTS).where(in_scope(_CHARTS, scope), _CHARTS.c.file_id == file_id))


def forget_person(*, db: Connection, scope: Scope, user_id: str) -> list[str]:
    """Delete the records of a person's own charts; return their file ids (to delete from
    Slack too)."""
    where = (in_scope(_CHARTS, scope), _CHARTS.c.user_id == user_id)
    files = list(db.scalars(select(_CHARTS.c.file_id).where(*where)))
    db.execute(delete(_CHARTS).where(*where))
    return files

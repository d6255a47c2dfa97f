"""Readings shared from LinkedIn's SSI page: a preview's Save stores one reading exactly as
a typed ``/ssi`` would (the same rules, the same answer), recorded with where it came from
and the industry's name; a second Save of the same preview stores nothing more."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from models.domain.scope import Person
from models.domain.ssi_page.page_reading import PageReading, as_reading
from models.services.readings import SubmissionResult, submit_reading


def save_shared_page(
    *,
    db: Connection,
    person: Person,
    page: PageReading,
    channel_id: str | None,
    preview: str,
    at: datetime,
) -> SubmissionResult:
    """Store ``page`` as the person's reading, counted for ``channel_id`` as a typed
    ``/ssi`` there would be (None: for no channel, as in a DM); ``preview`` names the
    preview it was saved from. Raises ``AlreadySaved`` when that preview was saved before
    (roll the transaction back), ``InvalidReading`` for a page that breaks the SSI rules."""
    return submit_reading(
        db=db,
        person=person,
        channel_id=channel_id,
        reading=as_reading(page),
        source=page.source.value,
        at=at,
        industry_name=page.industry_name,
        shared_key=preview,
    )

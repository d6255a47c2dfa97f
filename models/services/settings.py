"""A person's own settings: weekly reminders, privacy on channel boards, their language, and
being away. One act each, the same whether typed (``/ssi privacy hidden``) or clicked on
the App Home."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection

from models.domain.history import PersonHistory
from models.domain.languages import Language
from models.domain.privacy import Privacy
from models.domain.scope import Person, Scope
from models.domain.streaks import Away
from models.store.people import away, languages, preferences, submission_history


def set_reminders(*, db: Connection, person: Person, on: bool) -> None:
    preferences.set_reminders(db=db, scope=person.scope, user_id=person.user_id, on=on)


def set_privacy(*, db: Connection, person: Person, privacy: Privacy) -> None:
    preferences.set_privacy(db=db, scope=person.scope, user_id=person.user_id, privacy=privacy)


def choose_language(*, db: Connection, person: Person, language: Language | None) -> None:
    """``/ssi language de`` (None: ``auto``, follow Slack's locale again)."""
    languages.choose_language(db=db, scope=person.scope, user_id=person.user_id, language=language)


def go_away(*, db: Connection, person: Person, period: Away) -> None:
    """Away until the period's end (a period running already is changed to end then)."""
    away.go_away(db=db, scope=person.scope, user_id=person.user_id, away=period)


def come_back(*, db: Connection, person: Person, now: datetime) -> bool:
    """Back at ``now``; False if the person wasn't away."""
    return away.come_back(db=db, scope=person.scope, user_id=person.user_id, now=now)


def shared_so_far(*, db: Connection, person: Person) -> PersonHistory:
    """What forgetting the person would delete: how many readings, first and last."""
    return submission_history.history_of(db=db, scope=person.scope, user_id=person.user_id)


def reminder_settings(
    *, db: Connection, scope: Scope, user_ids: Sequence[str], at: datetime
) -> tuple[set[str], dict[str, Language]]:
    """For a day's reminders: who among ``user_ids`` gets none (reminders off, or away at
    ``at``), and the language each reads (chosen, or Slack's locale; unknown: absent)."""
    left_out = preferences.reminders_off(db=db, scope=scope, user_ids=user_ids)
    left_out |= away.away_at(db=db, scope=scope, user_ids=user_ids, at=at)
    return left_out, languages.spoken_by_each(db=db, scope=scope, user_ids=user_ids)

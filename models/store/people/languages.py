"""Who reads which language: a person's choice (``/ssi language``, on their settings row)
and the locale Slack reports for them (``person_locale``, a cache like their name); a team's
language is kept on the team. Keyword-only functions that take the connection (``db``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    bindparam,
    delete,
    insert,
    literal,
    null,
    union_all,
    update,
)
from sqlmodel import col, select

from models.domain.languages import Language, language_of
from models.domain.scope import Scope
from models.store.people.preferences import update_settings
from models.store.prepared import Prepared
from models.store.scoped import in_scope
from models.store.tables import MemberPreference, PersonLocale


@dataclass(frozen=True, slots=True)
class Spoken:
    """What is known about a person's language."""

    chosen: Language | None = None  # /ssi language de; None: follow Slack
    slack_locale: str = ""  # as Slack reported it: "de-DE", "ja-JP"; "": not known
    seen_at: datetime | None = None  # when Slack was last asked

    @property
    def language(self) -> Language | None:
        """The language to write to them in, if known."""
        return self.chosen or language_of(self.slack_locale)


def _locale_key(scope: Scope, user_id: str) -> ColumnElement[bool]:
    return and_(in_scope(PersonLocale, scope), col(PersonLocale.user_id) == user_id)


# Asked before every answer to a person (/ssi on its hot path): one statement, prepared.
# The locale's row comes first so the union's columns carry its types (seen_at's UTC).
_SPOKEN = Prepared(
    union_all(
        select(literal("slack"), col(PersonLocale.locale), col(PersonLocale.seen_at)).where(
            in_scope(PersonLocale), col(PersonLocale.user_id) == bindparam("user_id")
        ),
        select(literal("chosen"), col(MemberPreference.language), null()).where(
            in_scope(MemberPreference), col(MemberPreference.user_id) == bindparam("user_id")
        ),
    )
)


def spoken_by(*, db: Connection, scope: Scope, user_id: str) -> Spoken:
    found = {row[0]: row for row in _SPOKEN.rows(db, {**scope.params(), "user_id": user_id})}
    slack, chosen = found.get("slack"), found.get("chosen")
    return Spoken(
        language_of(chosen[1]) if chosen is not None else None,
        str(slack[1] or "") if slack is not None else "",
        slack[2] if slack is not None else None,
    )


def spoken_by_each(*, db: Connection, scope: Scope, user_ids: Sequence[str]) -> dict[str, Language]:
    """Of ``user_ids``, those whose language is known: chosen, or from Slack's locale."""
    if not user_ids:
        return {}
    wanted = list(user_ids)
    found: dict[str, Language] = {}
    for user_id, locale in db.execute(
        select(col(PersonLocale.user_id), col(PersonLocale.locale)).where(
            in_scope(PersonLocale, scope), col(PersonLocale.user_id).in_(wanted)
        )
    ):
        if (language := language_of(locale)) is not None:
            found[user_id] = language
    for user_id, chosen in db.execute(
        select(col(MemberPreference.user_id), col(MemberPreference.language)).where(
            in_scope(MemberPreference, scope),
            col(MemberPreference.user_id).in_(wanted),
            col(MemberPreference.language).is_not(None),
        )
    ):
        if (language := language_of(chosen)) is not None:
            found[user_id] = language  # a choice wins over Slack's locale
    return found


def choose_language(
    *, db: Connection, scope: Scope, user_id: str, language: Language | None
) -> None:
    """``/ssi language de`` (None: ``auto``, follow Slack's locale again)."""
    update_settings(db, scope, user_id, language=language.value if language else None)


def remember_locale(
    *, db: Connection, scope: Scope, user_id: str, locale: str | None, seen_at: datetime
) -> None:
    """What Slack reported (None: it couldn't say; a locale known before is kept)."""
    values: dict[str, object] = {"seen_at": seen_at}
    if locale:
        values["locale"] = locale[:16]
    changed = db.execute(update(PersonLocale).where(_locale_key(scope, user_id)).values(values))
    if changed.rowcount == 0:
        db.execute(
            insert(PersonLocale).values(
                **scope.params(), user_id=user_id, **{"locale": "", **values}
            )
        )


def remember_locales(
    *, db: Connection, scope: Scope, locales: Mapping[str, str], seen_at: datetime
) -> None:
    """Many people's locales at once (a team's members, as their names are cached)."""
    for user_id, locale in locales.items():
        remember_locale(db=db, scope=scope, user_id=user_id, locale=locale, seen_at=seen_at)


def forget_locale(*, db: Connection, scope: Scope, user_id: str) -> None:
    db.execute(delete(PersonLocale).where(_locale_key(scope, user_id)))

"""Where installations live in multi-workspace mode: slack-sdk's SQLAlchemy stores, in the
app's own database, with every token encrypted at rest.

The tables are slack-sdk's own definitions (``slack_installations``, ``slack_bots``,
``slack_oauth_states``), created by the app's migrations like every other table (0005),
with the token columns wide enough for their encrypted form. Tokens are encrypted with
Fernet (``cryptography``); several keys may be configured, the first encrypting and any
decrypting, so a key can be rotated: add the new key first, run ``rotate_tokens``, then drop
the old one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.sqlalchemy_utils import normalize_datetime_for_db
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine, MetaData, String, Table, func, select, update
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from models.store.db import delete_some

TOKEN_COLUMNS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")
TOKEN_WIDTH = 1000  # a 200-character token is about 360 once encrypted


class TokenKeyError(ValueError):
    """A configured key is not a Fernet key."""


class TokenCipher:
    """Encrypts with the first key; decrypts with any of them."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise TokenKeyError("no token encryption key given")
        try:
            self._fernet = MultiFernet([Fernet(key.strip()) for key in keys])
        except (ValueError, TypeError) as error:
            raise TokenKeyError(
                "a token encryption key must be 32 url-safe base64-encoded bytes "
                "(make one with: python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())')"
            ) from error

    def encrypt(self, token: str) -> str:
        return self._fernet.encrypt(token.encode()).decode()

    def decrypt(self, stored: str) -> str:
        try:
            return self._fernet.decrypt(stored.encode()).decode()
        except InvalidToken as error:
            # Never the value itself: it may be a token stored before encryption.
            raise ValueError("a stored token can't be decrypted with any configured key") from error

    def rotate(self, stored: str) -> str:
        """The same token, encrypted with the first key."""
        try:
            return self._fernet.rotate(stored.encode()).decode()
        except InvalidToken as error:
            raise ValueError("a stored token can't be decrypted with any configured key") from error


class EncryptedToken(TypeDecorator[str]):
    """A token column: encrypted on the way in, decrypted on the way out."""

    impl = String(TOKEN_WIDTH)
    cache_ok = True

    def __init__(self, cipher: TokenCipher) -> None:
        super().__init__()
        self.cipher = cipher

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else self.cipher.encrypt(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else self.cipher.decrypt(value)


def installation_tables(metadata: MetaData) -> list[Table]:
    """slack-sdk's three tables, as the migrations create them (token columns widened)."""
    store, state = SQLAlchemyInstallationStore, SQLAlchemyOAuthStateStore
    tables = [
        store.build_installations_table(metadata, store.default_installations_table_name),
        store.build_bots_table(metadata, store.default_bots_table_name),
        state.build_oauth_states_table(metadata, state.default_table_name),
    ]
    for table in tables:
        for name in TOKEN_COLUMNS:
            if name in table.c:
                table.c[name].type = String(TOKEN_WIDTH)
    return tables


BOT_CACHE_SECONDS = 10.0
BOT_CACHE_SIZE = 10_000


class EncryptedInstallationStore(SQLAlchemyInstallationStore):
    """slack-sdk's store, its token columns encrypting and decrypting through ``cipher``."""

    def __init__(self, *, client_id: str, engine: Engine, cipher: TokenCipher) -> None:
        super().__init__(client_id=client_id, engine=engine)
        self.cipher = cipher
        # The store builds its statements from these Column objects when it runs them, so
        # giving them the encrypting type covers every read and write it does.
        for table in (self.bots, self.installations):
            for name in TOKEN_COLUMNS:
                if name in table.c:
                    table.c[name].type = EncryptedToken(cipher)
        self._bots: dict[tuple[str | None, str | None, bool], tuple[float, Bot | None]] = {}
        self._bots_lock = threading.Lock()

    # Bolt asks for the bot on every request; the answer is kept for ``BOT_CACHE_SECONDS``
    # (a query and a decryption saved per request). Any write through this store clears it;
    # a write on another replica shows here within that time, and a token Slack has revoked
    # is refused by Slack meanwhile.
    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        key = (enterprise_id, team_id, bool(is_enterprise_install))
        now = time.monotonic()
        with self._bots_lock:
            cached = self._bots.get(key)
        if cached is not None and now - cached[0] < BOT_CACHE_SECONDS:
            return cached[1]
        bot = super().find_bot(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )
        with self._bots_lock:
            if len(self._bots) >= BOT_CACHE_SIZE:
                self._bots.clear()
            self._bots[key] = (now, bot)
        return bot

    def _forget_bots(self) -> None:
        with self._bots_lock:
            self._bots.clear()

    def save(self, installation: Installation) -> None:
        self._forget_bots()
        super().save(installation)

    def save_bot(self, bot: Bot) -> None:
        self._forget_bots()
        super().save_bot(bot)

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self._forget_bots()
        super().delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    def delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        self._forget_bots()
        super().delete_installation(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id)

    def delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self._forget_bots()
        super().delete_all(enterprise_id=enterprise_id, team_id=team_id)


# At most this many install attempts may be in progress (issued, not yet used or expired).
# People install the app a few times a day; a flood of GET /slack/install is refused past
# this instead of growing the table.
MAX_LIVE_STATES = 10_000
STATE_PURGE_BATCH = 5000


class TooManyInstallAttempts(RuntimeError):
    """``MAX_LIVE_STATES`` install attempts are already in progress."""


class BoundedOAuthStateStore(SQLAlchemyOAuthStateStore):
    """slack-sdk's OAuth state store (one use, ten minutes) whose expired rows are deleted
    and whose live rows are bounded."""

    def __init__(self, *, engine: Engine, expiration_seconds: int, max_live: int) -> None:
        super().__init__(expiration_seconds=expiration_seconds, engine=engine)
        self.max_live = max_live

    def forget_expired(self) -> int:
        """Delete a bounded batch of expired states; returns how many went."""
        expired = self.oauth_states.c.expire_at <= normalize_datetime_for_db(datetime.now(UTC))
        with self.engine.begin() as db:
            return delete_some(db, self.oauth_states, expired, limit=STATE_PURGE_BATCH)

    def issue(self, *args: Any, **kwargs: Any) -> str:
        self.forget_expired()
        with self.engine.connect() as db:
            live = db.scalar(select(func.count()).select_from(self.oauth_states)) or 0
        if live >= self.max_live:
            raise TooManyInstallAttempts(f"{live} install attempts in progress")
        return super().issue(*args, **kwargs)


def state_store(engine: Engine, expiration_seconds: int = 600) -> BoundedOAuthStateStore:
    """OAuth state (one use, ten minutes), in the app's database."""
    return BoundedOAuthStateStore(
        engine=engine, expiration_seconds=expiration_seconds, max_live=MAX_LIVE_STATES
    )


def rotate_tokens(*, engine: Engine, cipher: TokenCipher) -> int:
    """Re-encrypt every stored token with the first key; return how many were rewritten."""
    metadata = MetaData()
    rewritten = 0
    with engine.begin() as db:
        for table in installation_tables(metadata)[:2]:
            columns = [table.c[name] for name in TOKEN_COLUMNS if name in table.c]
            for row in db.execute(select(table.c.id, *columns)).all():
                values: dict[str, Any] = {
                    column.name: cipher.rotate(value)
                    for column, value in zip(columns, row[1:], strict=True)
                    if value is not None
                }
                if values:
                    db.execute(update(table).where(table.c.id == row[0]).values(**values))
                    rewritten += len(values)
    return rewritten

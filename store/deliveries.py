"""Platform deliveries already handled: whether a Slack event or a Telegram update is new.

A channel asks before it handles a delivery; the first to ask for a key, on any worker, gets
True, and every later copy (a Slack retry, a replayed envelope, an update Telegram sends again
after a restart) False. One statement decides it, `INSERT ... ON CONFLICT DO NOTHING RETURNING`,
in one short transaction of its own: on a SQLite file on the event loop's own thread
(`Database.write_short`), not the half-dozen trips of an ORM session nor one to a thread, since
every chat message pays for it. Retention forgets keys after a while.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import cast

from sqlalchemy import Connection, Table, bindparam
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from store.db import Database
from store.models import SeenKey

__all__ = ["DeliveryLog"]

KEY_LENGTH = 200  # seen_keys.key


class DeliveryLog:
    def __init__(self, db: Database, *, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock
        insert = postgres_insert if db.is_postgres else sqlite_insert
        seen = cast(Table, SeenKey.__table__)
        # Built once, with parameters: SQLAlchemy then reuses its compiled form every time.
        self._remember = (
            insert(seen)
            .values(scope=bindparam("scope"), key=bindparam("key"), created_at=bindparam("at"))
            .on_conflict_do_nothing()
            .returning(seen.c.key)
        )

    async def first_delivery(self, scope: str, key: str) -> bool:
        """Remember a delivery (scope "slack" or "telegram", its event or update id). False when
        it was remembered before, by this or any other worker."""
        values = {"scope": scope, "key": key[:KEY_LENGTH], "at": self.clock()}

        def run(connection: Connection) -> bool:
            return connection.execute(self._remember, values).first() is not None

        return await self.db.write_short(run)

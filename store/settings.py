"""Values every worker must share that nobody configured: created once, then read by all.

The first process to ask for a key writes the value it brings; a process racing it loses the
insert and reads the winner's, so every worker ends up with the same value.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from store.db import Database
from store.models import SharedSetting

__all__ = ["shared_value"]


async def shared_value(db: Database, key: str, proposal: str) -> str:
    """The value stored under `key`; `proposal` becomes it when there is none yet."""
    insert = pg_insert if db.is_postgres else sqlite_insert
    async with db.write() as session:
        await session.execute(
            insert(SharedSetting)
            .values(key=key, value=proposal)
            .on_conflict_do_nothing(index_elements=["key"])
        )
    async with db.read() as session:
        value = await session.scalar(select(SharedSetting.value).where(SharedSetting.key == key))
    assert value is not None  # inserted above, or by whoever won the race
    return value

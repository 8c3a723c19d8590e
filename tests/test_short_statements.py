"""The one short statement a chat message reads or writes runs on the event loop's own thread on
a SQLite file (`Database.read_short`, `Database.write_short`): what it reads and writes is what
the thread path would, and a database another process has locked never stalls the loop; the
write waits for that lock on a thread and is then stored, once."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime

from sqlalchemy import Connection, func, select

from store.db import Database
from store.deliveries import DeliveryLog
from store.models import SeenKey


def _now() -> datetime:
    return datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _keys(connection: Connection) -> list[tuple[str, str]]:
    return [(r.scope, r.key) for r in connection.execute(select(SeenKey.scope, SeenKey.key))]


async def test_a_delivery_is_recorded_once_and_read_back(db: Database) -> None:
    deliveries = DeliveryLog(db, clock=_now)
    assert await deliveries.first_delivery("slack", "Ev1")
    assert not await deliveries.first_delivery("slack", "Ev1")
    assert await deliveries.first_delivery("telegram", "Ev1")  # another platform's key
    stored = await db.read_short(_keys)
    assert sorted(stored) == [("slack", "Ev1"), ("telegram", "Ev1")]
    assert stored == await db.read_columns(_keys)


def _file_of(db: Database) -> str:
    database = db.write_engine.url.database
    assert database
    return database


async def test_a_write_waits_on_a_thread_while_another_process_holds_the_lock(
    sqlite_db: Database,
) -> None:
    deliveries = DeliveryLog(sqlite_db, clock=_now)
    assert await deliveries.first_delivery("slack", "warm")  # the engines are connected
    other = sqlite3.connect(_file_of(sqlite_db), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process's write transaction
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    recording = asyncio.create_task(deliveries.first_delivery("slack", "Ev2"))
    await asyncio.sleep(0.3)
    assert not recording.done()  # it waits for the lock...
    assert ticks >= 10  # ...and the event loop runs meanwhile
    other.execute("COMMIT")
    other.close()
    assert await asyncio.wait_for(recording, 10)
    ticker.cancel()
    # reads are not held up by a writer at all (WAL)
    other = sqlite3.connect(_file_of(sqlite_db), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        count = await sqlite_db.read_short(
            lambda connection: connection.scalar(select(func.count()).select_from(SeenKey))
        )
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert count == 2
    assert not await deliveries.first_delivery("slack", "Ev2")

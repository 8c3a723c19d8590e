"""Engines and sessions: SQLite (the embedded default) and PostgreSQL (for scaled-out workers).

Writes and reads use separate session factories. On SQLite, a write transaction starts with
`BEGIN IMMEDIATE` so two writers queue for the lock instead of both reading, then one failing
to upgrade; reads run in WAL mode beside a writer. In one process, writes also queue on an asyncio
lock, which is cheaper than spinning on SQLITE_BUSY. On PostgreSQL both factories share one engine
and the Tracker locks the task row (`SELECT ... FOR UPDATE`) instead. On a SQLite file a group
commit of engine events runs its whole transaction on a writer thread (`write_on_thread`), and
the one short statement a chat message reads or writes runs on the event loop's own thread
(`read_short`, `write_short`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.util.concurrency import await_

from store.migrate import upgrade

__all__ = ["Database", "redact_url"]

T = TypeVar("T")

logger = logging.getLogger(__name__)


def redact_url(url: str) -> str:
    """The URL with its password hidden, for log lines."""
    return make_url(url).render_as_string(hide_password=True)


class Database:
    """One database: its engines, session factories and the migrations that shape it."""

    def __init__(self, url: str, *, echo: bool = False, schema: str | None = None) -> None:
        self.url = url
        self.schema = schema
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.is_postgres = parsed.get_backend_name() == "postgresql"
        self._write_lock = asyncio.Lock() if self.is_sqlite else None
        if self.is_sqlite:
            database = parsed.database or ""
            if database and database != ":memory:" and not database.startswith("file:"):
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            self.write_engine = self._sqlite_engine(url, echo=echo, immediate=True)
            self.read_engine = self._sqlite_engine(url, echo=echo, immediate=False)
        else:
            # A schema keeps several deployments (or test runs) apart in one PostgreSQL database.
            connect_args = {"server_settings": {"search_path": schema}} if schema else {}
            self.write_engine = create_async_engine(
                url,
                echo=echo,
                pool_size=10,
                max_overflow=10,
                pool_pre_ping=True,
                connect_args=connect_args,
            )
            self.read_engine = self.write_engine
        self._writer = async_sessionmaker(self.write_engine, expire_on_commit=False)
        self._reader = async_sessionmaker(self.read_engine, expire_on_commit=False)
        # Short reads of plain columns asked on every chat message (`read_columns`): on a SQLite
        # file each runs whole on a thread of its own, one trip there and back, where aiosqlite
        # makes six (begin, cursor, execute, fetch, close, rollback), each a thread switch.
        self._column_engine: Engine | None = None
        self._column_threads: ThreadPoolExecutor | None = None  # started at first use
        file_db = self.is_sqlite and parsed.database not in (None, "", ":memory:")
        # Group commits of engine events (`write_on_thread`): on a SQLite file, the whole
        # transaction on one thread of its own, in one trip.
        self._thread_write_engine: Engine | None = None
        self._write_thread: ThreadPoolExecutor | None = None  # started at first use
        # One short statement on the event loop's thread (`read_short`, `write_short`): they never
        # wait for a lock there (`busy_timeout` 0); a busy database sends them to a thread.
        self._inline_engine: Engine | None = None
        self._inline_write_engine: Engine | None = None
        if file_db and not str(parsed.database).startswith("file:"):
            self._column_engine = self._sqlite_sync_engine(url, echo=echo)
            self._thread_write_engine = self._sqlite_sync_engine(url, echo=echo, immediate=True)
            self._inline_engine = self._sqlite_sync_engine(url, echo=echo, wait=False)
            self._inline_write_engine = self._sqlite_sync_engine(
                url, echo=echo, immediate=True, wait=False
            )

    @staticmethod
    def _sqlite_sync_engine(
        url: str, *, echo: bool, immediate: bool = False, wait: bool = True
    ) -> Engine:
        """The same SQLite file through the standard library's driver, for `read_columns` and
        (`immediate`) `write_on_thread`; without `wait`, a locked database fails at once
        (SQLITE_BUSY) instead of waiting up to 30 s for the lock."""
        busy_ms = 30000 if wait else 0
        engine = create_engine(
            make_url(url).set(drivername="sqlite"),
            echo=echo,
            connect_args={"timeout": busy_ms / 1000, "check_same_thread": False},
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            # As on the async engines: SQLAlchemy's "begin" event, not the driver, starts a
            # transaction, so SAVEPOINTs nest inside it.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
            cursor.close()

        begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Any) -> None:
            connection.exec_driver_sql(begin)

        return engine

    @staticmethod
    def _sqlite_engine(url: str, *, echo: bool, immediate: bool) -> AsyncEngine:
        engine = create_async_engine(url, echo=echo, connect_args={"timeout": 30})

        @event.listens_for(engine.sync_engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            # Let SQLAlchemy's "begin" event, not the driver, decide how a transaction starts.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"

        @event.listens_for(engine.sync_engine, "begin")
        def _on_begin(connection: Any) -> None:
            # Straight to aiosqlite's connection: one trip to its thread, where a statement
            # through SQLAlchemy's cursor takes three (open a cursor, execute, close it). Every
            # read and write begins here, and on a busy machine each trip costs a thread switch.
            await_(connection.connection.driver_connection.execute(begin))

        return engine

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """A session in one write transaction: committed on success, rolled back on any error."""
        if self._write_lock is not None:
            async with self._write_lock, self._writer() as session, session.begin():
                yield session
        else:
            async with self._writer() as session, session.begin():
                yield session

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session for reading; nothing it does is committed. Objects read stay usable
        after the block (closing detaches them without expiring what was loaded)."""
        async with self._reader() as session:
            yield session

    async def read_columns(self, read: Callable[[Connection], T]) -> T:
        """`read(connection)` in one read transaction, for short reads of plain columns (not ORM
        objects): on a SQLite file on a thread in one trip, on PostgreSQL over the async
        engine. `read` must only read, and return plain values."""
        if self._column_engine is None:
            async with self.read_engine.connect() as connection:
                return await connection.run_sync(read)
        engine = self._column_engine

        def run() -> T:
            with engine.connect() as connection:
                return read(connection)

        return await self._on_column_thread(run)

    async def write_columns(self, write: Callable[[Connection], T]) -> T:
        """`write(connection)` in one short write transaction of core statements, committed
        when it returns: on a SQLite file on a thread in one trip, as `read_columns` reads, on
        PostgreSQL over the async engine. For a statement or two that need no ORM objects. On
        SQLite it queues on this process's write lock like every other write (SQLite's own
        busy wait sleeps in steps of milliseconds)."""
        lock = self._write_lock or contextlib.nullcontext()
        # The writer's engine, which begins with BEGIN IMMEDIATE like every other write here.
        engine = self._thread_write_engine
        if engine is None:
            async with lock, self.write_engine.begin() as connection:
                return await connection.run_sync(write)

        def run() -> T:
            with engine.begin() as connection:
                return write(connection)

        async with lock:
            return await self._on_column_thread(run)

    async def read_short(self, read: Callable[[Connection], T]) -> T:
        """`read_columns` for one short, bounded read (an indexed statement returning at most a
        few hundred rows) that every chat message asks: on a SQLite file on the event loop's own
        thread, where the trip to a thread and back costs more CPU than the read itself (about
        60 µs against 20). WAL lets it read beside any writer; should the file still be busy
        (SQLITE_BUSY, rare: another process recovering the log), it reads on a thread."""
        engine = self._inline_engine
        if engine is not None:
            try:
                with engine.connect() as connection:
                    return read(connection)
            except OperationalError as exc:
                if not _busy(exc):
                    raise
        return await self.read_columns(read)

    async def write_short(self, write: Callable[[Connection], T]) -> T:
        """`write_columns` for one short write (a statement or two on indexed rows) that every
        platform delivery makes: on a SQLite file on the event loop's own thread, after this
        process's other writers (the write lock), and without waiting for another process's lock
        (`busy_timeout` 0): a busy file rolls it back and it is written on a thread, waiting
        there. Committed when it returns, as `write_columns`."""
        engine = self._inline_write_engine
        if engine is not None:
            assert self._write_lock is not None  # a SQLite database
            async with self._write_lock:
                try:
                    with engine.begin() as connection:
                        return write(connection)
                except OperationalError as exc:
                    if not _busy(exc):
                        raise
        return await self.write_columns(write)

    async def _on_column_thread(self, run: Callable[[], T]) -> T:
        if self._column_threads is None:  # first use, or first since `dispose`
            self._column_threads = ThreadPoolExecutor(4, thread_name_prefix="sqlite-read")
        return await asyncio.get_running_loop().run_in_executor(self._column_threads, run)

    async def write_on_thread(
        self, work: Callable[[AsyncSession], Awaitable[T]], *, short: bool = False
    ) -> T:
        """`await work(session)` in one write transaction, committed when it returns and rolled
        back when it raises, as `write` does. On a SQLite file the whole transaction runs on a
        thread of its own, in one trip: its session's statements go straight to the standard
        library's driver, where through aiosqlite each makes about three trips to that driver's
        thread and back, and on a busy machine every trip waits for a turn on a core. `work` may
        only use the session (it runs on another event loop); what it returns must be plain
        values, not ORM objects. Elsewhere it runs in `write` on this loop.

        `short`: a transaction of a few rows, which on a SQLite file runs on the event loop's own
        thread, as `write_short` does: the trip to the writer thread and back, and the two
        threads' turns at the interpreter, cost more than it (one engine event per request over
        HTTP, 8 engines: 1.30 against 1.17 ms of CPU per event in paired runs). Should another
        process hold the file's lock, it goes to the thread and waits there."""
        engine = self._thread_write_engine
        if engine is None:
            async with self.write() as session:
                return await work(session)
        if self._write_thread is None:  # first use, or first since `dispose`
            self._write_thread = ThreadPoolExecutor(1, thread_name_prefix="sqlite-write")
        thread = self._write_thread

        def run() -> T:
            loop = getattr(_thread_state, "loop", None)
            if loop is None:
                loop = _thread_state.loop = asyncio.new_event_loop()
            return loop.run_until_complete(_write_with(engine, work))

        assert self._write_lock is not None  # a SQLite database
        async with self._write_lock:
            inline = self._inline_write_engine
            if short and inline is not None:
                try:
                    return await _write_with(inline, work, begin_first=True)
                except _Busy:
                    pass  # another process is writing: wait for it on the thread
            return await asyncio.get_running_loop().run_in_executor(thread, run)

    async def upgrade(self) -> None:
        """Bring the schema to the newest migration (what `progressbot db upgrade` runs)."""
        await upgrade(self.write_engine, postgres=self.is_postgres)

    async def dispose(self) -> None:
        await self.write_engine.dispose()
        if self.read_engine is not self.write_engine:
            await self.read_engine.dispose()
        # Like the engines, usable again afterwards: the threads start anew at the next read.
        threads, self._column_threads = self._column_threads, None
        if threads is not None:
            threads.shutdown(wait=True)
        writer, self._write_thread = self._write_thread, None
        if writer is not None:
            writer.submit(_close_thread_loop)
            writer.shutdown(wait=True)
        for engine in (
            self._column_engine,
            self._thread_write_engine,
            self._inline_engine,
            self._inline_write_engine,
        ):
            if engine is not None:
                engine.dispose()


def _busy(exc: OperationalError) -> bool:
    """Did SQLite refuse for a lock someone else holds (SQLITE_BUSY or SQLITE_LOCKED)?"""
    code = getattr(exc.orig, "sqlite_errorcode", None)
    return code in (5, 6) or "locked" in str(exc.orig)


# The writer thread's own event loop, kept from one transaction to the next.
_thread_state = threading.local()


def _close_thread_loop() -> None:
    loop = getattr(_thread_state, "loop", None)
    if loop is not None:
        _thread_state.loop = None
        loop.close()


async def _write_with(
    engine: Engine, work: Callable[[AsyncSession], Awaitable[T]], *, begin_first: bool = False
) -> T:
    """`work` in one transaction of an async session over a synchronous engine: every statement
    runs on this thread at once (SQLAlchemy's greenlet bridge never has to wait for a driver).
    The asyncio extension accepts only async engines as binds, so the bind is set on the
    session's synchronous side. `begin_first`: begin before `work` runs, raising `_Busy` when
    the file is locked (over an engine that does not wait for the lock)."""
    session = AsyncSession(expire_on_commit=False)
    session.sync_session.bind = engine
    async with session, session.begin():
        if begin_first:
            try:
                await session.run_sync(lambda sync: sync.connection())
            except OperationalError as exc:
                if _busy(exc):
                    raise _Busy from exc
                raise
        return await work(session)


class _Busy(Exception):
    """The SQLite file was locked by another process when the transaction began: nothing of it
    ran."""

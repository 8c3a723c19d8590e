"""Fresh, migrated stores for tests, without running the migrations for every test.

Hundreds of tests each want a store of their own, and migrating one from scratch costs about
0.05 s into a SQLite file and 0.1 s into a PostgreSQL schema (several times that on a busy
machine): alembic reads its scripts, and PostgreSQL commits some fifty CREATE statements. So
the suite runs the real migrations once per kind and hands every test a copy of what they built:

- SQLite: the migrated file, copied.
- PostgreSQL: the statements the migrations sent, recorded while they ran, replayed into a new
  schema in one round trip. Before the first copy is handed out, the replay is checked against
  the schema the migrations built.

A copy holds exactly what `Database.upgrade()` leaves, `alembic_version` at head included, so
code that checks the schema version behaves as on a migrated store. tests/test_migrations.py and
tests/test_progress_totals.py still run the migrations themselves.
"""

from __future__ import annotations

import atexit
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import event
from sqlalchemy.engine import make_url

from store.db import Database

__all__ = ["copy_sqlite_template", "create_postgres_schema", "drop_postgres_schema"]


class _Built:
    """What the migrations built, once per test session (plain values, usable on any loop)."""

    sqlite_file: Path | None = None
    postgres_script: str | None = None


async def copy_sqlite_template(target: Path) -> None:
    """A migrated SQLite store at `target`."""
    if _Built.sqlite_file is None:
        _Built.sqlite_file = await _migrate_sqlite_file()
    shutil.copyfile(_Built.sqlite_file, target)


async def _migrate_sqlite_file() -> Path:
    home = Path(tempfile.mkdtemp(prefix="progressbot-template-"))
    atexit.register(shutil.rmtree, home, ignore_errors=True)
    path = home / "progress.db"
    db = Database(f"sqlite+aiosqlite:///{path}")
    try:
        await db.upgrade()
    finally:
        await db.dispose()
    # The last connection to close folds the write-ahead log into the file: the file is whole.
    assert not path.with_name(path.name + "-wal").exists()
    return path


async def create_postgres_schema(url: str) -> str:
    """A new schema in the PostgreSQL database at `url`, migrated to head; its name."""
    if _Built.postgres_script is None:
        _Built.postgres_script = await _record_postgres_migrations(url)
    schema = f"t_{secrets.token_hex(6)}"
    await _replay(url, schema, _Built.postgres_script)
    return schema


async def drop_postgres_schema(url: str, schema: str) -> None:
    conn = await asyncpg.connect(_dsn(url))
    try:
        await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        await conn.close()


async def _record_postgres_migrations(url: str) -> str:
    """The migrations' statements as one script: run them into a scratch schema, keep every
    statement but reads (alembic looking at the catalog, backfills finding empty tables), and
    check that replaying them builds the same schema."""
    migrated = f"t_migrated_{secrets.token_hex(4)}"
    conn = await asyncpg.connect(_dsn(url))
    try:
        await conn.execute(f'CREATE SCHEMA "{migrated}"')
        db = Database(url, schema=migrated)
        sent: list[tuple[str, Any]] = []

        @event.listens_for(db.write_engine.sync_engine, "before_cursor_execute")
        def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
            sent.append((statement, parameters))

        try:
            await db.upgrade()
        finally:
            await db.dispose()
        kept = []
        for statement, parameters in sent:
            if statement.lstrip().upper().startswith("SELECT"):
                continue
            assert not parameters, f"cannot replay a statement with parameters: {statement}"
            kept.append(statement)
        script = ";\n".join(kept)
        replayed = f"t_replayed_{secrets.token_hex(4)}"
        await _replay(url, replayed, script)
        try:
            assert await _shape(conn, replayed) == await _shape(conn, migrated), (
                "replaying the recorded migrations built another schema than running them"
            )
        finally:
            await conn.execute(f'DROP SCHEMA "{replayed}" CASCADE')
    finally:
        await conn.execute(f'DROP SCHEMA IF EXISTS "{migrated}" CASCADE')
        await conn.close()
    return script


async def _replay(url: str, schema: str, script: str) -> None:
    conn = await asyncpg.connect(_dsn(url))
    try:
        async with conn.transaction():
            # Without arguments asyncpg sends the text as one simple query: one round trip.
            await conn.execute(
                f'CREATE SCHEMA "{schema}"; SET LOCAL search_path TO "{schema}";\n{script}'
            )
    finally:
        await conn.close()


async def _shape(conn: asyncpg.Connection, schema: str) -> list[Any]:
    """Tables, columns, constraints, indexes and the migration version of `schema`."""
    columns = await conn.fetch(
        "SELECT table_name, column_name, data_type, is_nullable, column_default"
        " FROM information_schema.columns WHERE table_schema = $1 ORDER BY 1, 2",
        schema,
    )
    constraints = await conn.fetch(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
        " FROM pg_constraint WHERE connamespace = $1::regnamespace ORDER BY 1, 2",
        schema,
    )
    indexes = await conn.fetch(
        "SELECT tablename, indexname, replace(indexdef, $1, '')"
        " FROM pg_indexes WHERE schemaname = $2 ORDER BY 1, 2",
        f"{schema}.",
        schema,
    )
    version = await conn.fetchval(f'SELECT version_num FROM "{schema}".alembic_version')
    rows = [*columns, *constraints, *indexes]
    return [tuple(str(v).replace(schema, "<schema>") for v in row) for row in rows] + [version]


def _dsn(url: str) -> str:
    """asyncpg's own form of the SQLAlchemy URL `url`."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)

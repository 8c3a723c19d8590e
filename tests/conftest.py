"""Shared fixtures: a real database (an SQLite file always, PostgreSQL when configured)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from store.db import Database
from store.queries import Queries
from store.tracker import Tracker
from tests.helpers.postgres import find_postgres
from tests.helpers.store_templates import (
    copy_sqlite_template,
    create_postgres_schema,
    drop_postgres_schema,
)

PG_URL = find_postgres()
PG_SKIP = (
    "no PostgreSQL: none on localhost:5432, no server binaries to start one, and "
    "PROGRESSBOT_TEST_DATABASE_URL unset"
)


class Teams:
    """The membership the tests use: alice and bob in crm-team, carol alone."""

    teams = {"alice": frozenset({"crm-team"}), "bob": frozenset({"crm-team"})}

    def teams_of(self, person: str) -> frozenset[str]:
        return self.teams.get(person, frozenset())


async def make_database(kind: str, tmp_path: Path) -> tuple[Database, str | None]:
    """A store of its own for one test, migrated to head (a copy of the suite's template)."""
    if kind == "sqlite":
        path = tmp_path / "progress.db"
        await copy_sqlite_template(path)
        return Database(f"sqlite+aiosqlite:///{path}"), None
    if not PG_URL:
        pytest.skip(PG_SKIP)
    schema = await create_postgres_schema(PG_URL)
    return Database(PG_URL, schema=schema), schema


async def drop_schema(schema: str) -> None:
    assert PG_URL
    await drop_postgres_schema(PG_URL, schema)


@pytest.fixture(params=["sqlite", "postgresql"])
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    database, schema = await make_database(request.param, tmp_path)
    try:
        yield database
    finally:
        await database.dispose()
        if schema:
            await drop_schema(schema)


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> AsyncIterator[Database]:
    database, _ = await make_database("sqlite", tmp_path)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
async def pg_db(tmp_path: Path) -> AsyncIterator[Database]:
    database, schema = await make_database("postgresql", tmp_path)
    try:
        yield database
    finally:
        await database.dispose()
        if schema:
            await drop_schema(schema)


@pytest.fixture
def tracker(db: Database) -> Tracker:
    return Tracker(db, membership=Teams())


@pytest.fixture
def queries(db: Database) -> Queries:
    return Queries(db)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Skips in a few lines, one per reason with its count, instead of one line per test."""
    reasons: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        reason = reason.removeprefix("Skipped: ")
        reasons[reason] = reasons.get(reason, 0) + 1
    if reasons:
        terminalreporter.section("skipped")
        for reason, count in sorted(reasons.items(), key=lambda item: -item[1]):
            terminalreporter.line(f"{count:5d}  {reason}")

"""Alembic migrations, run from code: `progressbot db upgrade` and start-up need no alembic.ini."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from alembic import command
from alembic.config import Config
from sqlalchemy import text

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

__all__ = ["alembic_config", "upgrade"]

MIGRATIONS = Path(__file__).parent / "migrations"
# Any fixed number: it names the PostgreSQL advisory lock that keeps two workers from migrating
# at the same time.
_MIGRATION_LOCK = 7_314_002


def alembic_config(connection: Any = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


async def upgrade(engine: AsyncEngine, *, postgres: bool, revision: str = "head") -> None:
    """Run the migrations over `engine` (the store's writer); on PostgreSQL one worker at a time."""
    async with engine.begin() as conn:
        if postgres:
            await conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
        await conn.run_sync(lambda sync_conn: command.upgrade(alembic_config(sync_conn), revision))

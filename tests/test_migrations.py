"""`progressbot db upgrade` shapes the database; the service routes answer."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine

from bot.api.routes import add_api_routes
from store.db import Database
from store.models import Base
from tests.helpers.seed import SEED_CREATE, SEED_EVENTS
from tests.helpers.server import Api, running_server

ROOT = Path(__file__).resolve().parent.parent


def run_upgrade(config: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROGRESSBOT_")}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "--config", str(config), "db", "upgrade"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def table_names(url: str) -> set[str]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
    finally:
        await engine.dispose()


async def test_db_upgrade_creates_every_table_and_is_harmless_twice(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'data' / 'progress.db'}"
    config = tmp_path / "config.yaml"
    config.write_text(f"store:\n  url: {url}\nconsole:\n  enabled: false\n")

    first = run_upgrade(config)
    assert first.returncode == 0, first.stderr
    assert "database is up to date" in first.stdout
    tables = await table_names(url)
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables

    second = run_upgrade(config)
    assert second.returncode == 0, second.stderr
    assert await table_names(url) == tables


async def test_db_upgrade_with_a_broken_config_names_the_key(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("store:\n  uri: sqlite+aiosqlite:///x.db\n")
    result = run_upgrade(config)
    assert result.returncode == 2
    assert "uri" in result.stderr


@pytest.fixture
async def served(db: Database) -> AsyncIterator[tuple[Api, list[tuple[str, str]]]]:
    async with running_server(db) as server, aiohttp.ClientSession() as session:
        routes = [
            (r.method, r.resource.canonical)
            for r in server.runner.app.router.routes()
            if r.resource is not None and r.method != "HEAD"
        ]
        yield Api(session, server.url), routes


async def test_healthz_and_metrics(served: tuple[Api, list[tuple[str, str]]]) -> None:
    api, _ = served
    status, health = await api.get("/healthz", token=None)
    assert status == 200 and health == {"status": "ok", "store": "ok"}
    await api.post("/api/tasks", SEED_CREATE)
    await api.post("/api/tasks/abc123/events", SEED_EVENTS)
    status, text = await api.get("/metrics", token=None)
    assert status == 200
    assert 'progressbot_events_total{outcome="accepted"} 8.0' in text
    assert "progressbot_http_requests_total" in text


async def test_openapi_lists_every_api_route_the_app_serves(
    served: tuple[Api, list[tuple[str, str]]],
) -> None:
    api, routes = served
    status, document = await api.get("/api/openapi.json", token=None)
    assert status == 200 and document["openapi"].startswith("3.")
    listed = {(method.upper(), path) for path, ops in document["paths"].items() for method in ops}
    public = ("/api", "/ws", "/healthz", "/metrics")
    served_api = {(method, _plain(path)) for method, path in routes if path.startswith(public)}
    assert served_api == listed
    # Every route add_api_routes declares is served and documented.
    from aiohttp import web

    bare = web.Application()
    add_api_routes(bare)
    declared = {
        (r.method, _plain(r.resource.canonical))
        for r in bare.router.routes()
        if r.resource is not None and r.method != "HEAD"
    }
    assert declared <= listed
    create = document["paths"]["/api/tasks"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "CreateTask"
    )


def _plain(path: str) -> str:
    import re

    return re.sub(r"\{(\w+):[^}]*\}", r"{\1}", path)


async def test_db_upgrade_adds_every_column_the_models_have(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'progress.db'}"
    config = tmp_path / "config.yaml"
    config.write_text(f"store:\n  url: {url}\nconsole:\n  enabled: false\n")
    done = run_upgrade(config)
    assert done.returncode == 0, done.stderr
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            columns = await conn.run_sync(
                lambda c: {
                    name: {col["name"] for col in inspect(c).get_columns(name)}
                    for name in Base.metadata.tables
                }
            )
    finally:
        await engine.dispose()
    assert "estimate_seconds" in columns["steps"]
    for name, table in Base.metadata.tables.items():
        assert {col.name for col in table.columns} <= columns[name], name

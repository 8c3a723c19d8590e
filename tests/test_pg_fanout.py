"""WebSocket fan-out across workers: two servers on one PostgreSQL schema, a browser on one of
them hears what an engine posts to the other, also after the LISTEN connection was cut."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest

from bot.cli.server import RunningServer
from bot.notify.fanout import MAX_PAYLOAD_BYTES, PgFanout, decode, encode
from store.db import Database
from store.tracker import TaskChange
from tests.conftest import drop_schema, make_database
from tests.helpers.seed import SEED_CREATE
from tests.helpers.server import TOKEN, Api, running_server


@pytest.fixture
async def two_databases(tmp_path: Path) -> AsyncIterator[tuple[Database, Database]]:
    """Two Database objects (two pools, as two workers have) on one PostgreSQL schema."""
    first, schema = await make_database("postgresql", tmp_path)
    assert schema is not None and first.url
    second = Database(first.url, schema=schema)
    try:
        yield first, second
    finally:
        await first.dispose()
        await second.dispose()
        await drop_schema(schema)


def fanout_of(server: RunningServer) -> PgFanout:
    (fanout,) = [e for e in server.services.extras if isinstance(e, PgFanout)]
    return fanout


async def next_of_type(ws: aiohttp.ClientWebSocketResponse, kind: str) -> dict[str, Any]:
    async with asyncio.timeout(10):
        while True:
            message = await ws.receive_json()
            if message.get("type") == kind:
                return dict(message)


async def test_a_browser_on_worker_b_hears_an_event_posted_to_worker_a(
    two_databases: tuple[Database, Database],
) -> None:
    db_a, db_b = two_databases
    async with (
        running_server(db_a) as server_a,
        running_server(db_b) as server_b,
        aiohttp.ClientSession() as http,
    ):
        api_a = Api(http, server_a.url)
        status, _ = await api_a.post("/api/tasks", {**SEED_CREATE, "notify": []})
        assert status == 201
        async with http.ws_connect(
            f"{server_b.url}/ws/tasks/abc123", headers={"Authorization": f"Bearer {TOKEN}"}
        ) as ws:
            first = await next_of_type(ws, "snapshot")
            assert first["task"]["status"] == "pending"

            status, _ = await api_a.post(
                "/api/tasks/abc123/events",
                [{"type": "task_started"}, {"type": "step_started", "step": 1}],
            )
            assert status == 200
            started = await next_of_type(ws, "task_started")
            assert started["task_id"] == "abc123"
            snapshot = await next_of_type(ws, "snapshot")
            assert snapshot["task"]["status"] == "running"

            # Cut B's LISTEN connection, as a database restart or a network blip would.
            fanout = fanout_of(server_b)
            assert fanout.connection is not None
            pid = fanout.connection.get_server_pid()
            await db_a_terminate(db_a, pid)
            await asyncio.sleep(0.2)
            await fanout.wait_listening(timeout=15)

            await api_a.post("/api/tasks/abc123/events", {"type": "step_completed", "step": 1})
            done = await next_of_type(ws, "step_complete")
            assert done["step"] == 1
        # A worker does not hear its own changes twice through the database.
        assert fanout_of(server_a).received == 0


async def db_a_terminate(db: Database, pid: int) -> None:
    from sqlalchemy.engine import make_url

    dsn = make_url(db.url).set(drivername="postgresql").render_as_string(hide_password=False)
    admin = await asyncpg.connect(dsn)
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()


def test_a_change_too_large_to_notify_goes_without_its_messages() -> None:
    small = TaskChange("abc123", 7, ({"type": "progress", "percent": 65},), 2)
    payload = encode(small, worker="w1", namespace="public")
    assert decode(payload) == ("w1", "public", small)

    huge = TaskChange("abc123", 8, ({"type": "log", "message": "é" * 6000},), 0)
    payload = encode(huge, worker="w1", namespace="public")
    assert len(payload.encode()) <= MAX_PAYLOAD_BYTES
    assert json.loads(payload)["resync"] is True
    decoded = decode(payload)
    assert decoded is not None and decoded[2] == TaskChange("abc123", 8, (), 0)
    assert decode("not json") is None

"""Snapshots served from the cache of their task version: the ETA still follows the clock, and a
change (on any worker) is seen at once. Through the real server and store."""

from __future__ import annotations

import aiohttp

from bot.progress.snapshots import ProgressService
from store.db import Database
from store.shapes import SnapshotShape
from tests.helpers.seed import SEED_CREATE, SEED_EVENTS
from tests.helpers.server import Api, FakeClock, running_server


async def test_a_cached_snapshot_keeps_its_eta_moving_with_the_clock(db: Database) -> None:
    clock = FakeClock()
    async with running_server(db, clock=clock) as server, aiohttp.ClientSession() as session:
        api = Api(session, server.url)
        status, _ = await api.post("/api/tasks", json=SEED_CREATE)
        assert status == 201
        for event in SEED_EVENTS:
            status, _ = await api.post("/api/tasks/abc123/events", json=event)
            assert status == 200
            clock.advance(5)
        progress = server.services.progress

        async def uncached() -> SnapshotShape:
            return await ProgressService(server.services.queries, clock=clock.time).snapshot(
                "abc123"
            )

        first = await progress.snapshot("abc123")
        again = await progress.snapshot("abc123")
        assert again["eta_seconds"] == first["eta_seconds"] == (await uncached())["eta_seconds"]
        assert first["eta_seconds"]
        again["title"] = "changed by a caller"  # each caller gets a copy of its own

        clock.advance(20)  # no progress meanwhile: the estimate grows
        later = await progress.snapshot("abc123")
        assert later["title"] == "Cellphone Store CRM"
        assert later["eta_seconds"] == (await uncached())["eta_seconds"] != first["eta_seconds"]

        status, _ = await api.post(
            "/api/tasks/abc123/events", json={"type": "step_completed", "step": 2}
        )
        assert status == 200
        changed = await progress.snapshot("abc123")
        assert changed["current_step"] == 3 and changed["eta_seconds"] != later["eta_seconds"]

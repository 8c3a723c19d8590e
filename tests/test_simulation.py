"""The simulated CRM engine against the real server: runs to the end, obeys a cancel."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from bot.cli.server import RunningServer
from bot.cli.simulation import APPROVAL_PROMPT, simulate_crm_task
from bot.client import AsyncProgressClient
from store.db import Database
from tests.helpers.server import TOKEN, Api, FakeClock, running_server


@pytest.fixture
async def server(db: Database) -> AsyncIterator[RunningServer]:
    async with running_server(db, clock=FakeClock()) as running:
        yield running


@pytest.fixture
async def api(server: RunningServer) -> AsyncIterator[Api]:
    async with aiohttp.ClientSession() as session:
        yield Api(session, server.url)


async def progress(api: Api, task_id: str) -> dict[str, Any]:
    status, body = await api.get(f"/api/tasks/{task_id}/progress")
    assert status == 200, body
    return dict(body)


async def approve_when_asked(api: Api, task_id: str) -> dict[str, Any]:
    """Alice approves step 3 as soon as the approval appears."""
    while True:
        status, snap = await api.get(f"/api/tasks/{task_id}/progress")
        approval = snap.get("approval") if status == 200 else None
        if approval and approval["status"] == "pending":
            status, answer = await api.post(
                f"/api/approvals/{approval['id']}/approve", {"by": "alice"}
            )
            assert status == 200, answer
            return dict(approval)
        await asyncio.sleep(0.02)


async def test_the_simulated_task_runs_to_the_end(server: RunningServer, api: Api) -> None:
    lines: list[str] = []
    approver = asyncio.create_task(approve_when_asked(api, "crm-sim"))
    async with AsyncProgressClient(server.url, TOKEN) as client:
        task_id = await asyncio.wait_for(
            simulate_crm_task(client, speed=200, task_id="crm-sim", log=lines.append), 60
        )
    approval = await approver
    assert task_id == "crm-sim"
    assert (approval["step"], approval["prompt"]) == (3, APPROVAL_PROMPT)
    snap = await progress(api, task_id)
    assert (snap["status"], snap["progress"]) == ("completed", 100)
    assert [s["status"] for s in snap["steps"]] == ["completed"] * 4
    assert snap["steps"][0]["done_label"] == "Database created"
    labels = [s.get("label", s["name"]) for s in snap["steps"][1]["substeps"]]
    assert labels == ["Customer list view", "Product list view", "Sales form", "Repair board"]
    assert (snap["short_name"], snap["kind"], snap["owner"]) == ("CRM", "app-generation", "alice")
    status, logs = await api.get(f"/api/tasks/{task_id}/logs")
    assert status == 200, logs
    assert {entry["step"] for entry in logs["logs"]} == {1, 2, 3, 4}
    assert lines[-1] == "[crm-sim] Cellphone Store CRM is ready."


async def wait_for_step_2(api: Api, task_id: str, running: asyncio.Task[str]) -> None:
    while True:
        status, snap = await api.get(f"/api/tasks/{task_id}/progress")
        if status == 200 and snap["current_step"] == 2 and snap["status"] == "running":
            return
        assert not running.done(), running
        await asyncio.sleep(0.02)


async def test_a_cancelled_simulation_returns_quietly(server: RunningServer, api: Api) -> None:
    async with AsyncProgressClient(server.url, TOKEN) as client:
        running = asyncio.create_task(simulate_crm_task(client, speed=20, task_id="crm-cancel"))
        await wait_for_step_2(api, "crm-cancel", running)  # 15 real seconds long at this speed
        status, answer = await api.post("/api/tasks/crm-cancel/cancel", {"by": "alice"})
        assert status == 200, answer
        assert await asyncio.wait_for(running, 30) == "crm-cancel"
    snap = await progress(api, "crm-cancel")
    assert snap["status"] == "cancelled"
    assert snap["steps"][1]["status"] != "completed"


async def test_a_restarted_simulation_carries_on_with_the_new_task(
    server: RunningServer, api: Api
) -> None:
    async with AsyncProgressClient(server.url, TOKEN) as client:
        running = asyncio.create_task(simulate_crm_task(client, speed=100, task_id="crm-old"))
        await wait_for_step_2(api, "crm-old", running)
        status, fresh = await api.post("/api/tasks/crm-old/restart", {"by": "alice"})
        assert status == 200, fresh
        await approve_when_asked(api, fresh["task_id"])
        assert await asyncio.wait_for(running, 60) == fresh["task_id"]
    assert (await progress(api, "crm-old"))["status"] == "cancelled"
    snap = await progress(api, fresh["task_id"])
    assert (snap["status"], snap["progress"], snap["attempt"]) == ("completed", 100, 2)

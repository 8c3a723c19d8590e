"""The engine client against the real server: reports, resends, pause, cancel, approval, track."""

from __future__ import annotations

import asyncio
import copy
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.client import (
    ApprovalRejected,
    AsyncProgressClient,
    AsyncTaskHandle,
    ProgressClient,
    ProgressError,
    Step,
    TaskCancelled,
)
from store.db import Database
from tests.helpers.seed import SEED_CREATE, SEED_EVENTS
from tests.helpers.server import TOKEN, Api, FakeClock, running_server

STEPS: list[str | dict[str, Any]] = ["Create database tables", "Generate application UI"]


@dataclass
class Env:
    url: str
    api: Api
    client: AsyncProgressClient

    async def progress(self, task_id: str) -> dict[str, Any]:
        status, body = await self.api.get(f"/api/tasks/{task_id}/progress")
        assert status == 200, body
        return dict(body)

    async def log_lines(self, task_id: str) -> list[str]:
        status, body = await self.api.get(f"/api/tasks/{task_id}/logs")
        assert status == 200, body
        return [entry["message"] for entry in body["logs"]]

    async def steer(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        status, answer = await self.api.post(path, body)
        assert status == 200, answer
        return dict(answer)


@pytest.fixture
async def env(db: Database) -> AsyncIterator[Env]:
    async with (
        running_server(db, clock=FakeClock()) as server,
        aiohttp.ClientSession() as session,
        AsyncProgressClient(server.url, TOKEN, check_interval=0) as client,
    ):
        yield Env(server.url, Api(session, server.url), client)


async def until(condition: Callable[[], Awaitable[bool]], what: str) -> None:
    """Wait (bounded) for something the server or the handle will show."""
    for _ in range(500):
        if await condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"never happened: {what}")


async def new_task(env: Env, **fields: Any) -> AsyncTaskHandle:
    task = await env.client.create_task(
        "Cellphone Store CRM", STEPS, owner="alice", team="crm-team", **fields
    )
    await task.start()
    return task


async def test_reports_the_seed_events_and_reads_the_progress_back(env: Env) -> None:
    create = copy.deepcopy(SEED_CREATE)
    title, steps = create.pop("title"), create.pop("steps")
    task = await env.client.create_task(title, steps, **create)
    answer = await task.send(SEED_EVENTS)
    assert answer["accepted"] == len(SEED_EVENTS)
    assert answer["control"]["state"] == "run"
    snap = await env.progress("abc123")
    assert (snap["progress"], snap["current_step"], snap["status"]) == (65, 2, "running")
    assert snap["steps"][0]["status"] == "completed"
    assert snap["steps"][1]["status"] == "running"
    assert [s["done"] for s in snap["steps"][1]["substeps"]] == [True, True, False, False]


async def test_declared_step_estimates_reach_the_server(env: Env) -> None:
    steps: list[Any] = [
        Step("Create database tables", estimate_seconds=15),
        {"name": "Generate application UI", "estimate_seconds": 300},
        "Configure workflows",
    ]
    task = await env.client.create_task("Cellphone Store CRM", steps, owner="alice")
    snap = await env.progress(task.task_id)
    assert [s.get("estimate_seconds") for s in snap["steps"]] == [15, 300, None]
    # Before anything has run, the estimate is what the engine declared (no third guess).
    assert snap["eta_seconds"] is not None and snap["eta_seconds"] >= 315


async def test_a_resend_with_the_same_event_ids_changes_nothing(env: Env) -> None:
    task = await new_task(env)
    events = [
        {"type": "step_started", "step": 1, "event_id": "e-1"},
        {"type": "log", "step": 1, "message": "Creating 4 tables", "event_id": "e-2"},
        {"type": "step_progress", "step": 1, "percent": 40, "event_id": "e-3"},
    ]
    first = await task.send(events)
    before = await env.progress(task.task_id)
    again = await task.send(events)
    assert (first["accepted"], first["duplicates"]) == (3, 0)
    assert (again["accepted"], again["duplicates"]) == (0, 3)
    after = await env.progress(task.task_id)
    assert after["steps"] == before["steps"] and after["progress"] == before["progress"]
    assert (await env.log_lines(task.task_id)).count("Creating 4 tables") == 1


async def test_a_lost_answer_is_retried_with_the_same_event_ids(env: Env) -> None:
    """A proxy passes the first post through but loses the answer: the retry is a duplicate."""
    forwarded: list[int] = []

    async def flaky(request: web.Request) -> web.Response:
        body = await request.read()
        async with env.api.session.request(
            request.method, env.url + request.path_qs, data=body, headers=request.headers
        ) as upstream:
            text = await upstream.text()
            forwarded.append(upstream.status)
        if len(forwarded) == 1 and request.path.endswith("/events"):
            return web.Response(status=502, text="bad gateway")
        return web.Response(status=upstream.status, text=text, content_type="application/json")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", flaky)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    task = await new_task(env)
    try:
        async with AsyncProgressClient(
            f"http://127.0.0.1:{port}", TOKEN, retries=2, backoff=0.01
        ) as flaky_client:
            answer = await flaky_client.task(task.task_id).log("Creating 4 tables")
    finally:
        await runner.cleanup()
    assert forwarded == [200, 200]
    assert (answer["accepted"], answer["duplicates"]) == (0, 1)
    assert await env.log_lines(task.task_id) == ["Creating 4 tables"]


async def test_a_refused_event_raises_with_the_servers_message(env: Env) -> None:
    task = await new_task(env)
    with pytest.raises(ProgressError) as caught:
        await task.send({"type": "step_done", "step": 1})
    assert caught.value.status == 422
    assert "unknown event type 'step_done'" in str(caught.value)


async def test_checkpoint_waits_while_paused_and_returns_on_resume(env: Env) -> None:
    task = await new_task(env)
    assert (await task.checkpoint())["state"] == "run"
    await env.steer(f"/api/tasks/{task.task_id}/pause", {"by": "bob"})
    waiter = asyncio.create_task(task.checkpoint())

    async def handle_saw_pause() -> bool:
        return task.control.get("state") == "pause"

    await until(handle_saw_pause, "the handle learns of the pause")
    await asyncio.sleep(0.2)
    assert not waiter.done()
    await env.steer(f"/api/tasks/{task.task_id}/resume", {"by": "bob"})
    control = await asyncio.wait_for(waiter, 10)
    assert control["state"] == "run" and control["status"] == "running"


async def test_cancel_and_restart_raise_task_cancelled(env: Env) -> None:
    cancelled = await new_task(env)
    await env.steer(f"/api/tasks/{cancelled.task_id}/cancel", {"by": "alice"})
    with pytest.raises(TaskCancelled) as caught:
        await cancelled.checkpoint()
    assert caught.value.restarted_as is None
    with pytest.raises(TaskCancelled):
        await cancelled.step_started(1)

    restarted = await new_task(env)
    fresh = await env.steer(f"/api/tasks/{restarted.task_id}/restart", {"by": "alice"})
    with pytest.raises(TaskCancelled) as caught:
        await restarted.checkpoint()
    assert caught.value.restarted_as == fresh["task_id"] != restarted.task_id


async def approval_id(env: Env, task_id: str) -> str:
    async def pending() -> bool:
        approval = (await env.progress(task_id)).get("approval") or {}
        return approval.get("status") == "pending"

    await until(pending, "the approval is pending")
    return str((await env.progress(task_id))["approval"]["id"])


async def test_request_approval_returns_when_approved(env: Env) -> None:
    task = await new_task(env, approval={"approvers": ["alice"]})
    asking = asyncio.create_task(task.request_approval(2, "Apply the new UI?"))
    approval = await approval_id(env, task.task_id)
    assert not asking.done()
    await env.steer(f"/api/approvals/{approval}/approve", {"by": "alice"})
    decided = await asyncio.wait_for(asking, 10)
    assert decided["status"] == "approved" and decided["decided_by"] == "alice"
    snap = await env.progress(task.task_id)
    assert snap["status"] == "running" and snap["steps"][1]["status"] == "running"


async def test_request_approval_raises_when_rejected(env: Env) -> None:
    task = await new_task(env, approval={"approvers": ["alice"]})
    asking = asyncio.create_task(task.request_approval(2, "Apply the new UI?"))
    approval = await approval_id(env, task.task_id)
    await env.steer(f"/api/approvals/{approval}/reject", {"by": "alice", "reason": "not today"})
    with pytest.raises(ApprovalRejected) as caught:
        await asyncio.wait_for(asking, 10)
    assert (caught.value.reason, caught.value.decided_by) == ("not today", "alice")


async def test_track_completes_the_step(env: Env) -> None:
    task = await new_task(env)
    seen = [table async for table in task.track(["customers", "products", "sales"], step=1)]
    assert seen == ["customers", "products", "sales"]
    step = (await env.progress(task.task_id))["steps"][0]
    assert (step["status"], step["progress"]) == ("completed", 100)


async def test_an_error_in_the_track_loop_marks_the_step_failed(env: Env) -> None:
    task = await new_task(env)
    with pytest.raises(RuntimeError, match="disk full"):
        async with task.track(["customers", "products"], step=1) as tables:
            async for table in tables:
                if table == "products":
                    raise RuntimeError("disk full")
    snap = await env.progress(task.task_id)
    assert snap["steps"][0]["status"] == "failed"
    assert snap["steps"][0]["error"] == "disk full"


async def test_the_sync_client_reports_from_a_thread(env: Env) -> None:
    def engine() -> str:
        with ProgressClient(env.url, TOKEN, check_interval=0) as client:
            task = client.create_task("Cellphone Store CRM", STEPS, owner="alice")
            task.start()
            assert [t for t in task.track(["customers", "products"], step=1)] == [
                "customers",
                "products",
            ]
            with pytest.raises(ValueError), task.track(["home", "list"], step=2) as pages:
                for _ in pages:
                    raise ValueError("template missing")
            return task.task_id

    task_id = await asyncio.to_thread(engine)
    steps = (await env.progress(task_id))["steps"]
    assert [s["status"] for s in steps] == ["completed", "failed"]
    assert steps[1]["error"] == "template missing"


async def test_a_server_that_is_down_raises_after_the_retries() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with AsyncProgressClient(
        f"http://127.0.0.1:{port}", TOKEN, retries=2, backoff=0.01
    ) as client:
        with pytest.raises(ProgressError) as caught:
            await client.create_task("Cellphone Store CRM", STEPS)
    assert caught.value.status is None
    assert "3 attempts" in str(caught.value)

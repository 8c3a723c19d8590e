"""Real-time updates over WebSocket: a snapshot first, then the seed's message types."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest

from store.db import Database
from tests.helpers.seed import SEED_CREATE
from tests.helpers.server import TOKEN, Api, FakeClock, running_server

AUTH = {"Authorization": f"Bearer {TOKEN}"}
# Only a guard against a hung test; no assertion is about time.
RECEIVE_TIMEOUT = 10.0


@pytest.fixture
async def api(db: Database) -> AsyncIterator[Api]:
    async with (
        running_server(db, clock=FakeClock()) as server,
        aiohttp.ClientSession() as session,
    ):
        yield Api(session, server.url)


def ws_url(api: Api, path: str) -> str:
    return api.base.replace("http://", "ws://") + path


async def ok(api: Api, path: str, body: Any) -> Any:
    status, answer = await api.post(path, body)
    assert status in (200, 201), answer
    return answer


async def receive_until(
    ws: aiohttp.ClientWebSocketResponse, done: Callable[[dict[str, Any]], bool]
) -> list[dict[str, Any]]:
    """Messages up to and including the first one `done` accepts."""
    seen: list[dict[str, Any]] = []
    while True:
        message = await ws.receive_json(timeout=RECEIVE_TIMEOUT)
        seen.append(message)
        if done(message):
            return seen


def is_snapshot(message: dict[str, Any]) -> bool:
    return message["type"] == "snapshot"


async def test_a_task_socket_starts_with_a_snapshot_then_sends_the_seeds_messages(
    api: Api,
) -> None:
    await ok(api, "/api/tasks", SEED_CREATE)
    async with api.session.ws_connect(ws_url(api, "/ws/tasks/abc123"), headers=AUTH) as ws:
        first = await ws.receive_json(timeout=RECEIVE_TIMEOUT)
        assert first["type"] == "snapshot"
        assert first["task"]["task_id"] == "abc123" and first["task"]["status"] == "pending"

        await ok(api, "/api/tasks/abc123/events", [{"type": "task_started"}])
        seen = await receive_until(ws, is_snapshot)
        assert [m["type"] for m in seen] == ["task_started", "progress", "snapshot"]
        assert seen[-1]["task"]["status"] == "running"

        await ok(
            api, "/api/tasks/abc123/events", {"type": "step_progress", "step": 1, "percent": 40}
        )
        seen = await receive_until(ws, is_snapshot)
        progress = next(m for m in seen if m["type"] == "progress")
        assert progress["percent"] == 10 and progress["task_id"] == "abc123"

        await ok(api, "/api/tasks/abc123/events", {"type": "step_completed", "step": 1})
        seen = await receive_until(ws, is_snapshot)
        assert {"type": "step_complete", "step": 1} in [
            {"type": m["type"], "step": m.get("step")} for m in seen
        ]

        await ok(api, "/api/tasks/abc123/events", {"type": "approval_requested", "step": 2})
        seen = await receive_until(ws, is_snapshot)
        needed = next(m for m in seen if m["type"] == "approval_needed")
        assert needed["approval"]["step"] == 2 and needed["approval"]["status"] == "pending"

        approval = needed["approval"]["id"]
        await ok(api, f"/api/approvals/{approval}/approve", {"by": "bob"})
        seen = await receive_until(ws, is_snapshot)
        decided = next(m for m in seen if m["type"] == "approval_decided")
        assert decided["approval"]["decided_by"] == "bob"

        await ok(api, "/api/tasks/abc123/pause", {"by": "alice"})
        seen = await receive_until(ws, is_snapshot)
        assert "paused" in [m["type"] for m in seen]
        await ok(api, "/api/tasks/abc123/resume", {"by": "alice"})
        await receive_until(ws, is_snapshot)

        await ok(api, "/api/tasks/abc123/events", {"type": "task_completed", "result": {"ok": 1}})
        seen = await receive_until(ws, is_snapshot)
        complete = next(m for m in seen if m["type"] == "task_complete")
        assert complete["result"] == {"ok": 1}
        assert seen[-1]["task"]["status"] == "completed"
        versions = [m["version"] for m in seen if "version" in m]
        assert len(set(versions)) == 1


async def test_task_failed_reaches_the_socket(api: Api) -> None:
    await ok(api, "/api/tasks", SEED_CREATE)
    async with api.session.ws_connect(ws_url(api, "/ws/tasks/abc123"), headers=AUTH) as ws:
        await ws.receive_json(timeout=RECEIVE_TIMEOUT)
        await ok(api, "/api/tasks/abc123/events", {"type": "task_failed", "error": "out of disk"})
        seen = await receive_until(ws, is_snapshot)
        failed = next(m for m in seen if m["type"] == "task_failed")
        assert failed["error"] == "out of disk"


async def test_a_reconnect_gets_a_snapshot_with_what_changed_meanwhile(api: Api) -> None:
    await ok(api, "/api/tasks", SEED_CREATE)
    async with api.session.ws_connect(ws_url(api, "/ws/tasks/abc123"), headers=AUTH) as ws:
        first = await ws.receive_json(timeout=RECEIVE_TIMEOUT)
        assert first["task"]["progress"] == 0

    await ok(
        api,
        "/api/tasks/abc123/events",
        [{"type": "step_completed", "step": 1}, {"type": "progress", "percent": 65}],
    )

    async with api.session.ws_connect(ws_url(api, "/ws/tasks/abc123"), headers=AUTH) as ws:
        again = await ws.receive_json(timeout=RECEIVE_TIMEOUT)
        assert again["type"] == "snapshot"
        assert again["task"]["progress"] == 65
        assert again["task"]["steps"][0]["status"] == "completed"
        _, current = await api.get("/api/tasks/abc123/progress")
        assert again["task"] == current


async def test_the_all_tasks_socket_hears_every_task(api: Api) -> None:
    await ok(api, "/api/tasks", SEED_CREATE)
    async with api.session.ws_connect(ws_url(api, "/ws/tasks"), headers=AUTH) as ws:
        first = await ws.receive_json(timeout=RECEIVE_TIMEOUT)
        assert first["type"] == "snapshot"
        assert [t["task_id"] for t in first["tasks"]] == ["abc123"]

        await ok(api, "/api/tasks", {**SEED_CREATE, "task_id": "second"})
        await ok(api, "/api/tasks/second/events", {"type": "task_started"})
        await ok(api, "/api/tasks/abc123/events", {"type": "step_started", "step": 1})

        seen = await receive_until(ws, lambda m: is_snapshot(m) and m.get("task_id") == "abc123")
        started = [m["task_id"] for m in seen if m["type"] in ("task_started", "step_started")]
        assert started == ["second", "abc123", "abc123"]


async def test_a_socket_without_a_token_is_401(api: Api) -> None:
    await ok(api, "/api/tasks", SEED_CREATE)
    for path in ("/ws/tasks/abc123", "/ws/tasks"):
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            async with api.session.ws_connect(ws_url(api, path)):
                pass
        assert refused.value.status == 401
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        async with api.session.ws_connect(
            ws_url(api, "/ws/tasks"), headers={"Authorization": "Bearer wrong"}
        ):
            pass
    assert refused.value.status == 401


async def test_a_socket_for_an_unknown_task_is_404(api: Api) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        async with api.session.ws_connect(ws_url(api, "/ws/tasks/nope"), headers=AUTH):
            pass
    assert refused.value.status == 404


async def test_a_burst_of_changes_reaches_every_socket_whole_and_in_order(api: Api) -> None:
    """Changes that arrive while the server is still writing earlier ones may share a round:
    every message still arrives, in version order, and each snapshot is at least as new as the
    messages before it, ending with the newest."""
    await ok(api, "/api/tasks", SEED_CREATE)
    await ok(api, "/api/tasks", {**SEED_CREATE, "task_id": "other"})
    await ok(api, "/api/tasks/abc123/events", {"type": "step_started", "step": 1})
    async with (
        api.session.ws_connect(ws_url(api, "/ws/tasks/abc123"), headers=AUTH) as one,
        api.session.ws_connect(ws_url(api, "/ws/tasks"), headers=AUTH) as every,
    ):
        assert (await one.receive_json(timeout=RECEIVE_TIMEOUT))["type"] == "snapshot"
        assert (await every.receive_json(timeout=RECEIVE_TIMEOUT))["type"] == "snapshot"
        for percent in range(1, 31):
            # Sent without waiting for the sockets: they fall behind and catch up in rounds.
            body = {"type": "step_progress", "step": 1, "percent": percent}
            await ok(api, "/api/tasks/abc123/events", body)
        await ok(api, "/api/tasks/other/events", {"type": "task_started"})
        _, final = await api.get("/api/tasks/abc123/progress")
        newest = final["control"]["version"]

        for ws, hears_other in ((one, False), (every, True)):
            # A snapshot may be loaded after a later change committed, so it can be newer than
            # the messages sent before it: read on until the newest message and a snapshot
            # after it have both arrived.
            newest_heard = False

            def after_the_newest(message: dict[str, Any]) -> bool:
                nonlocal newest_heard
                if message.get("task_id") != "abc123":
                    return False
                if not is_snapshot(message):
                    newest_heard = newest_heard or message.get("version") == newest
                    return False
                return newest_heard and message["task"]["control"]["version"] == newest

            seen = await receive_until(ws, after_the_newest)
            steps = [
                m["percent"] for m in seen if m["type"] == "progress" and m["task_id"] == "abc123"
            ]
            assert len(steps) == 30
            versions = [
                m["version"] for m in seen if m.get("task_id") == "abc123" and "version" in m
            ]
            assert versions == sorted(versions) and len(set(versions)) == 30
            heard = 0
            for message in seen:
                if message.get("task_id") != "abc123":
                    continue
                if is_snapshot(message):
                    assert message["task"]["control"]["version"] >= heard
                else:
                    heard = message["version"]
            assert seen[-1]["task"]["steps"][0]["progress"] == 30
            if hears_other:
                # The other task's change came last; its frames are after this snapshot or in it.
                rest = await receive_until(
                    ws, lambda m: is_snapshot(m) and m.get("task_id") == "other"
                )
                others = [m for m in (*seen, *rest) if m.get("task_id") == "other"]
                assert "task_started" in [m["type"] for m in others]
            else:
                assert all(m.get("task_id") == "abc123" for m in seen)

"""Who may do what over the API: engine, reader, chat and admin tokens, through the real server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select

from store.db import Database
from store.models import ApprovalDecision, AuditEntry, Task
from tests.helpers.server import (
    CHAT_TOKEN,
    ENGINE_TOKEN,
    OTHER_ENGINE_TOKEN,
    READER_TOKEN,
    TOKEN,
    Api,
    running_server,
)


def new_task(task_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "task_id": task_id,
        "title": f"Task {task_id}",
        "owner": "alice",
        "steps": [{"name": "One"}, {"name": "Two"}],
        **extra,
    }


@pytest.fixture
async def server_url(db: Database) -> AsyncIterator[str]:
    async with running_server(db) as server:
        yield server.url


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def test_an_engine_reaches_a_task_it_creates_after_a_404_and_never_anothers(
    server_url: str, http: Any
) -> None:
    mine = Api(http, server_url, ENGINE_TOKEN)
    other = Api(http, server_url, OTHER_ENGINE_TOKEN)
    started = {"type": "task_started"}
    assert (await mine.post("/api/tasks/later1/events", started))[0] == 404
    assert (await mine.post("/api/tasks", new_task("later1")))[0] == 201
    assert (await mine.post("/api/tasks/later1/events", started))[0] == 200
    # However often it asks, another engine finds the task absent.
    for _ in range(3):
        status, answer = await other.post("/api/tasks/later1/events", {"type": "progress"})
        assert status == 404 and answer["error"]["code"] == "not_found", answer
    status, snap = await mine.get("/api/tasks/later1/progress")
    assert status == 200 and snap["status"] == "running"


async def test_an_engine_reaches_only_its_own_tasks(server_url: str, http: Any, db: Any) -> None:
    mine = Api(http, server_url, ENGINE_TOKEN)
    other = Api(http, server_url, OTHER_ENGINE_TOKEN)
    assert (await mine.post("/api/tasks", new_task("mine1")))[0] == 201
    assert (await other.post("/api/tasks", new_task("theirs1")))[0] == 201
    async with db.read() as session:
        assert await session.scalar(select(Task.created_by_token).where(Task.id == "mine1")) == (
            "engine-a"
        )

    for method, path, body in [
        ("GET", "/api/tasks/theirs1/progress", None),
        ("GET", "/api/tasks/theirs1/logs", None),
        ("GET", "/api/tasks/theirs1/history", None),
        ("GET", "/api/tasks/theirs1/control", None),
        ("POST", "/api/tasks/theirs1/events", {"type": "task_started"}),
        ("POST", "/api/tasks/theirs1/pause", {}),
        ("POST", "/api/tasks/theirs1/steps/1/skip", {}),
    ]:
        status, answer = await mine.call(method, path, json=body)
        assert status == 404, (path, status, answer)
    status, _ = await other.get("/api/tasks/theirs1/progress")
    assert status == 200
    # The other engine's task did not start.
    status, snap = await other.get("/api/tasks/theirs1/progress")
    assert snap["status"] == "pending"

    status, listed = await mine.get("/api/tasks")
    assert status == 200 and [t["task_id"] for t in listed["tasks"]] == ["mine1"]
    status, _ = await mine.post("/api/tasks/mine1/events", {"type": "task_started"})
    assert status == 200
    status, _ = await mine.post("/api/tasks/mine1/pause", {})
    assert status == 200

    # Over a WebSocket, too: another's task is absent, the list holds only its own.
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await http.ws_connect(f"{server_url}/ws/tasks/theirs1?token={ENGINE_TOKEN}")
    assert refused.value.status == 404
    async with http.ws_connect(f"{server_url}/ws/tasks?token={ENGINE_TOKEN}") as ws:
        first = await ws.receive_json(timeout=5)
        assert [t["task_id"] for t in first["tasks"]] == ["mine1"]
        await other.post("/api/tasks/theirs1/events", {"type": "task_started"})
        await mine.post("/api/tasks/mine1/resume", {})
        heard = await ws.receive_json(timeout=5)
        while heard.get("type") != "snapshot":
            heard = await ws.receive_json(timeout=5)
        assert heard["task_id"] == "mine1"


async def test_a_reader_reads_everything_and_changes_nothing(server_url: str, http: Any) -> None:
    engine = Api(http, server_url, ENGINE_TOKEN)
    reader = Api(http, server_url, READER_TOKEN)
    await engine.post("/api/tasks", new_task("r1"))
    assert (await reader.get("/api/tasks/r1/progress"))[0] == 200
    status, listed = await reader.get("/api/tasks")
    assert status == 200 and [t["task_id"] for t in listed["tasks"]] == ["r1"]
    for path, body in [
        ("/api/tasks", new_task("r2")),
        ("/api/tasks/r1/events", {"type": "task_started"}),
        ("/api/tasks/r1/cancel", {}),
        ("/api/chat", {"person": "alice", "text": "status"}),
    ]:
        status, _ = await reader.post(path, body)
        assert status == 403, path
    _, snap = await reader.get("/api/tasks/r1/progress")
    assert snap["status"] == "pending"


async def test_chat_tokens_speak_only_for_their_people(server_url: str, http: Any) -> None:
    chat = Api(http, server_url, CHAT_TOKEN)
    engine = Api(http, server_url, ENGINE_TOKEN)
    await engine.post("/api/tasks", new_task("c1"))
    status, answer = await chat.post("/api/chat", {"person": "alice", "text": "help"})
    assert status == 200, answer
    status, answer = await chat.post("/api/chat", {"person": "bob", "text": "cancel c1"})
    assert status == 403 and answer["error"]["code"] == "forbidden"
    status, _ = await chat.post(
        "/api/chat/actions", {"person": "bob", "action": "cancel", "task_id": "c1"}
    )
    assert status == 403
    # An engine token may not chat at all, nor a chat token touch a task directly.
    status, _ = await engine.post("/api/chat", {"person": "alice", "text": "help"})
    assert status == 403
    assert (await chat.get("/api/tasks/c1/progress"))[0] == 403
    assert (await chat.post("/api/tasks", new_task("c2")))[0] == 403


async def test_what_a_chat_token_does_is_audited_as_that_token(
    server_url: str, http: Any, db: Database
) -> None:
    chat = Api(http, server_url, CHAT_TOKEN)
    engine = Api(http, server_url, ENGINE_TOKEN)
    await engine.post("/api/tasks", new_task("v1"))
    await engine.post("/api/tasks/v1/events", {"type": "task_started"})
    status, answer = await chat.post(
        "/api/chat/actions", {"person": "alice", "action": "pause", "task_id": "v1"}
    )
    assert status == 200, answer
    async with db.read() as session:
        rows = (
            await session.execute(select(AuditEntry.action, AuditEntry.by, AuditEntry.via))
        ).all()
    assert ("pause", "alice", "api:chat-alice") in [tuple(r) for r in rows], rows


async def test_approvals_over_the_api_need_an_admin_naming_an_approver(
    server_url: str, http: Any, db: Database
) -> None:
    admin = Api(http, server_url, TOKEN)
    engine = Api(http, server_url, ENGINE_TOKEN)
    # Two approvals needed, so one vote leaves it open (a quorum above the approvers is refused).
    policy = {"approvers": ["bob", "crm-team"], "quorum": 2}
    status, _ = await engine.post("/api/tasks", new_task("a1", approval=policy))
    assert status == 201
    await engine.post("/api/tasks/a1/events", {"type": "task_started"})
    await engine.post(
        "/api/tasks/a1/events", {"type": "approval_requested", "step": 1, "message": "ok?"}
    )
    _, snap = await engine.get("/api/tasks/a1/progress")
    approval = snap["approval"]["id"]

    # The engine that owns the task may not decide; nor an admin without naming a person.
    status, _ = await engine.post(f"/api/approvals/{approval}/approve", {"by": "bob"})
    assert status == 403
    status, answer = await admin.post(f"/api/approvals/{approval}/approve", {})
    assert status == 422 and "by" in answer["error"]["message"]
    # A person who is not an approver is refused too.
    status, _ = await admin.post(f"/api/approvals/{approval}/approve", {"by": "carol"})
    assert status == 403
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(ApprovalDecision)) == 0

    # The server names the surface itself; a `via` in the body is ignored.
    status, answer = await admin.post(
        f"/api/approvals/{approval}/approve", {"by": "bob", "via": "slack"}
    )
    assert status == 200, answer
    async with db.read() as session:
        row = (await session.execute(select(ApprovalDecision))).scalar_one()
    assert (row.person, row.via) == ("bob", "api:operator")

    status, _ = await engine.post("/api/tasks/a1/cancel", {"via": "web"})
    assert status == 200
    _, history = await admin.get("/api/tasks/a1/history")
    assert any(entry.get("via") == "api:engine-a" for entry in history["audit"]), history["audit"]

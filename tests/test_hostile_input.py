"""Hostile input through the real server: bounded, strict, refused with a 4xx that names the limit
before anything is written, and never a 500."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.cli.server import RunningServer
from store.db import Database
from store.models import Task
from tests.helpers.seed import SEED_CREATE
from tests.helpers.server import TOKEN, Api, make_config, running_server


@pytest.fixture
async def server(db: Database) -> AsyncIterator[RunningServer]:
    async with running_server(db, config=make_config()) as running:
        yield running


@pytest.fixture
async def api(server: RunningServer) -> AsyncIterator[Api]:
    async with aiohttp.ClientSession() as session:
        yield Api(session, server.url)


async def raw(api: Api, method: str, path: str, body: bytes, **headers: str) -> tuple[int, Any]:
    sent = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json", **headers}
    async with api.session.request(method, api.base + path, data=body, headers=sent) as resp:
        text = await resp.text()
        return resp.status, json.loads(text) if text else None


async def raw_headers(server: RunningServer, request: bytes) -> int:
    """Send a request byte for byte (headers aiohttp's client would refuse to write)."""
    host, port = server.url.removeprefix("http://").rsplit(":", 1)
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(request)
    await writer.drain()
    status_line = await reader.readline()
    writer.close()
    return int(status_line.split()[1])


async def count_tasks(db: Database) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(func.count(Task.id))) or 0)


def nested(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = {"a": value}
    return value


async def test_a_deeply_nested_result_is_refused_and_the_task_still_answers(
    api: Api, db: Database
) -> None:
    assert (await api.post("/api/tasks", SEED_CREATE))[0] == 201
    status, body = await api.post(
        "/api/tasks/abc123/events", {"type": "task_completed", "result": nested(500)}
    )
    assert status in (400, 422) and "limits.max_json_depth" in body["error"]["message"]
    status, snap = await api.get("/api/tasks/abc123/progress")
    assert status == 200 and snap["status"] == "pending"
    # Within the limit is fine, and the result is shown back.
    status, _ = await api.post(
        "/api/tasks/abc123/events", {"type": "task_completed", "result": nested(20)}
    )
    assert status == 200
    assert (await api.get("/api/tasks/abc123/progress"))[0] == 200


async def test_deep_complexity_is_refused_before_the_task_is_written(
    api: Api, db: Database
) -> None:
    status, body = await api.post("/api/tasks", {**SEED_CREATE, "complexity": nested(200)})
    assert status in (400, 422) and "limits.max_json_depth" in body["error"]["message"]
    assert await count_tasks(db) == 0
    status, body = await api.post("/api/tasks", {**SEED_CREATE, "complexity": nested(33)})
    assert status == 422 and "complexity" in body["error"]["message"]
    assert await count_tasks(db) == 0


async def test_a_huge_task_is_refused_naming_the_limit(api: Api, db: Database) -> None:
    steps = [{"name": f"s{i}", "substeps": [f"x{j}" for j in range(300)]} for i in range(20)]
    status, body = await api.post("/api/tasks", {**SEED_CREATE, "steps": steps})
    assert status == 422 and "limits.max_substeps_total" in body["error"]["message"]
    assert await count_tasks(db) == 0


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b'{"type": "progress", "percent": NaN}', "NaN"),
        (b'{"type": "progress", "percent": Infinity}', "Infinity"),
        (b'{"type": "progress", "percent": 1e999}', "too large"),
        (b'{"type": "log", "message": "\\ud800 lone"}', "surrogate"),
    ],
)
async def test_numbers_and_text_json_cannot_carry_are_400(api: Api, body: bytes, says: str) -> None:
    assert (await api.post("/api/tasks", SEED_CREATE))[0] == 201
    status, answer = await raw(api, "POST", "/api/tasks/abc123/events", body)
    assert status == 400 and says in answer["error"]["message"]
    status, logs = await api.get("/api/tasks/abc123/logs")
    assert status == 200 and logs["logs"] == []


async def test_an_approval_id_beyond_64_bits_is_404(api: Api) -> None:
    status, body = await api.post(f"/api/approvals/{2**64 + 5}/approve", {})
    assert status == 404 and body["error"]["code"] == "not_found"


async def test_absurd_approval_expiry_and_impossible_quorum_are_422(api: Api, db: Database) -> None:
    status, body = await api.post(
        "/api/tasks",
        {**SEED_CREATE, "approval": {"approvers": ["alice"], "expires_seconds": 10**15}},
    )
    assert status == 422 and "limits.max_approval_expiry_seconds" in body["error"]["message"]
    status, body = await api.post(
        "/api/tasks", {**SEED_CREATE, "approval": {"approvers": ["alice", "carol"], "quorum": 3}}
    )
    assert status == 422 and "approval.quorum" in body["error"]["message"]
    assert await count_tasks(db) == 0
    # A team stands for its members: crm-team is alice and bob, so a quorum of 2 can be met.
    status, _ = await api.post(
        "/api/tasks", {**SEED_CREATE, "approval": {"approvers": ["crm-team"], "quorum": 2}}
    )
    assert status == 201


@pytest.mark.parametrize(
    "header",
    [
        b"Authorization: Bearer \xff\xfe",
        b"Cookie: pb_session=\xc3\x28",
        b"X-Telegram-Bot-Api-Secret-Token: \xff",
    ],
)
async def test_credential_headers_that_are_not_utf8_are_401(
    server: RunningServer, header: bytes
) -> None:
    for path in (b"/api/tasks", b"/tasks/abc123", b"/telegram/webhook"):
        request = (
            b"GET " + path + b" HTTP/1.1\r\nHost: x\r\n" + header + b"\r\nConnection: close\r\n\r\n"
        )
        status = await raw_headers(server, request)
        assert status in (401, 403, 404, 405), (path, status)


async def test_ten_concurrent_restarts_make_one_successor(api: Api, db: Database) -> None:
    assert (await api.post("/api/tasks", SEED_CREATE))[0] == 201
    answers = await asyncio.gather(
        *(api.post("/api/tasks/abc123/restart", {"by": "alice"}) for _ in range(10))
    )
    assert {status for status, _ in answers} == {200}
    successors = {body["task_id"] for _, body in answers}
    assert len(successors) == 1
    assert await count_tasks(db) == 2
    # Sent again later: the same successor, nothing new.
    status, body = await api.post("/api/tasks/abc123/restart", {"by": "alice"})
    assert status == 200 and body["task_id"] in successors
    assert await count_tasks(db) == 2


async def test_cancel_ends_every_running_or_paused_step(api: Api) -> None:
    assert (await api.post("/api/tasks", SEED_CREATE))[0] == 201
    events = [
        {"type": "task_started"},
        {"type": "step_started", "step": 1},
        {"type": "step_progress", "step": 2, "percent": 10},
    ]
    assert (await api.post("/api/tasks/abc123/events", events))[0] == 200
    assert (await api.post("/api/tasks/abc123/pause", {"by": "alice"}))[0] == 200
    status, snap = await api.post("/api/tasks/abc123/cancel", {"by": "alice"})
    assert status == 200 and snap["status"] == "cancelled"
    states = [step["status"] for step in snap["steps"]]
    assert "running" not in states and "paused" not in states
    assert states[:2] == ["failed", "failed"]


async def test_bidi_controls_never_reach_the_web_page_or_chat_answers(api: Api) -> None:
    title = "Invoice \u202egnp.exe\u202c review\u2066\u200b"
    status, _ = await api.post("/api/tasks", {**SEED_CREATE, "title": title})
    assert status == 201
    status, answer = await api.post("/api/chat", {"person": "alice", "text": "status of abc123"})
    assert status == 200
    text = json.dumps(answer["reply"], ensure_ascii=False)
    for char in ("\u202e", "\u202c", "\u2066", "\u200b"):
        assert char not in text
    assert "Invoice gnp.exe review" in text

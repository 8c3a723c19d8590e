"""Every refusal of the API is a JSON answer that names the problem, and nothing is ever a 500."""

from __future__ import annotations

import json
import random
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from store.db import Database
from tests.helpers.seed import SEED_CREATE
from tests.helpers.server import TOKEN, Api, make_config, running_server

MAX_BODY = 4096


@pytest.fixture
async def api(db: Database) -> AsyncIterator[Api]:
    config = make_config()
    config.api.max_body_bytes = MAX_BODY
    async with running_server(db, config=config) as server, aiohttp.ClientSession() as session:
        client = Api(session, server.url)
        status, _ = await client.post("/api/tasks", SEED_CREATE)
        assert status == 201
        yield client


async def raw_post(api: Api, path: str, raw: bytes) -> tuple[int, Any]:
    """POST bytes as they are, with the right token and a JSON content type."""
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    async with api.session.post(api.base + path, data=raw, headers=headers) as resp:
        text = await resp.text()
        return resp.status, json.loads(text) if text else None


def error_of(body: Any) -> dict[str, Any]:
    assert isinstance(body, dict) and isinstance(body.get("error"), dict), body
    assert body["error"]["code"] and body["error"]["message"]
    return dict(body["error"])


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (b'{"type": "task_started"', "not valid JSON"),
        (b"{'type': 'task_started'}", "not valid JSON"),
        (b"\xff\xfe", "not valid JSON"),
        (b"", "needs a JSON body"),
    ],
)
async def test_malformed_json_is_400_naming_the_problem(api: Api, raw: bytes, says: str) -> None:
    status, body = await raw_post(api, "/api/tasks/abc123/events", raw)
    assert status == 400
    assert says in error_of(body)["message"]


async def test_a_body_over_the_limit_is_413_json(api: Api) -> None:
    events = [{"type": "log", "message": "x" * 100} for _ in range(100)]
    status, body = await api.post("/api/tasks/abc123/events", events)
    assert status == 413
    error = error_of(body)
    assert error["code"] == "too_large" and str(MAX_BODY) in error["message"]
    _, logs = await api.get("/api/tasks/abc123/logs")
    assert logs["logs"] == []


@pytest.mark.parametrize("token", [None, "wrong-token", ""])
async def test_a_missing_or_wrong_token_is_401(api: Api, token: str | None) -> None:
    for method, path, body in [
        ("POST", "/api/tasks/abc123/events", {"type": "task_started"}),
        ("GET", "/api/tasks/abc123/progress", None),
        ("POST", "/api/tasks", SEED_CREATE),
        ("POST", "/api/tasks/abc123/pause", {}),
    ]:
        status, answer = await api.call(method, path, json=body, token=token)
        assert status == 401, (method, path)
        assert "token" in error_of(answer)["message"].lower() or "Bearer" in str(answer)
    _, snap = await api.get("/api/tasks/abc123/progress")
    assert snap["status"] == "pending"


async def test_a_token_with_another_scheme_is_401(api: Api) -> None:
    headers = {"Authorization": f"Basic {TOKEN}"}
    async with api.session.get(api.base + "/api/tasks/abc123/progress", headers=headers) as resp:
        assert resp.status == 401
        assert "Bearer" in error_of(await resp.json())["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/tasks/nope/progress",
        "/api/tasks/nope/history",
        "/api/tasks/nope/logs",
        "/api/tasks/nope/control",
    ],
)
async def test_an_unknown_task_is_404(api: Api, path: str) -> None:
    status, body = await api.get(path)
    assert status == 404
    assert "nope" in error_of(body)["message"]


async def test_an_unknown_approval_is_404(api: Api) -> None:
    status, body = await api.post("/api/approvals/999/approve", {"by": "alice"})
    assert status == 404 and "999" in error_of(body)["message"]
    status, body = await api.post("/api/approvals/xyz/approve", {})
    assert status == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"steps": None}, "steps"),
        ({"steps": []}, "steps"),
        ({"title": ""}, "title"),
        ({"title": None}, "title"),
        ({"notify": [{"platform": "telegram"}]}, "notify.0.chat"),
        ({"notify": [{"platform": "Tele gram", "chat": "1"}]}, "notify.0.platform"),
        ({"notify": "456"}, "notify"),
        ({"steps": [{"name": ""}]}, "steps.0.name"),
        ({"steps": [{"name": "a", "substeps": ["x", "x"]}]}, "steps.0.substeps"),
        ({"approval": {"quorum": 0}}, "approval.quorum"),
        ({"steps": [{"name": "a", "estimate_seconds": 0}]}, "steps.0.estimate_seconds"),
        ({"steps": [{"name": "a", "estimate_seconds": -5}]}, "steps.0.estimate_seconds"),
        ({"steps": [{"name": "a", "estimate_seconds": "soon"}]}, "steps.0.estimate_seconds"),
        ({"steps": [{"name": "a", "estimate_seconds": 1e12}]}, "steps.0.estimate_seconds"),
        ({"task_id": "no spaces please"}, "task_id"),
        ({"colour": "blue"}, "colour"),
    ],
)
async def test_an_invalid_task_is_422_naming_the_field(
    api: Api, change: dict[str, Any], field: str
) -> None:
    body = {**SEED_CREATE, "task_id": "other", **change}
    body = {k: v for k, v in body.items() if v is not None or k not in ("steps", "title")}
    status, answer = await api.post("/api/tasks", body)
    assert status == 422, answer
    error = error_of(answer)
    fields = [p["field"] for p in error["problems"]]
    assert field in fields, fields
    assert error["message"].startswith(fields[0])
    status, _ = await api.get("/api/tasks/other/progress")
    assert status == 404


async def test_a_body_that_is_not_an_object_is_422(api: Api) -> None:
    status, answer = await api.post("/api/tasks", [SEED_CREATE])
    assert status == 422 and "JSON object" in error_of(answer)["message"]
    status, answer = await api.post("/api/tasks/abc123/events", [])
    assert status == 422 and "empty list" in error_of(answer)["message"]


async def test_a_bad_query_parameter_is_400(api: Api) -> None:
    status, answer = await api.get("/api/tasks/abc123/control?wait=soon")
    assert status == 400 and "wait" in error_of(answer)["message"]
    status, answer = await api.get("/api/tasks?limit=0")
    assert status == 400 and "limit" in error_of(answer)["message"]


async def test_an_unknown_person_is_422(api: Api) -> None:
    status, answer = await api.post("/api/tasks/abc123/pause", {"by": "mallory"})
    assert status == 422 and "mallory" in error_of(answer)["message"]


def random_bodies(count: int) -> list[Any]:
    """Plausible and implausible bodies, the same ones every run."""
    rng = random.Random(20240115)
    scalars: list[Any] = [None, True, 0, -1, 1.5, 10**30, "", "x" * 300, "abc", [], {}]
    keys = ["type", "step", "percent", "substep", "event_id", "message", "level", "error", "result"]
    types: list[Any] = ["task_started", "step_started", "step_progress", "progress", "substep_done"]
    types += ["step_completed", "step_failed", "step_skipped", "approval_requested", "log"]
    types += ["task_completed", "task_failed", "bogus", None, 7]
    bodies: list[Any] = []
    for _ in range(count):
        event: dict[str, Any] = {"type": rng.choice(types)}
        for key in rng.sample(keys[1:], rng.randint(0, 4)):
            event[key] = rng.choice([*scalars, rng.randint(-5, 120), "Sales form"])
        shape = rng.random()
        if shape < 0.6:
            bodies.append(event)
        elif shape < 0.85:
            bodies.append([event, {"type": "log", "message": "ok"}])
        else:
            bodies.append(rng.choice(scalars))
    return bodies


async def test_no_body_is_ever_a_500(api: Api) -> None:
    routes = [
        "/api/tasks/abc123/events",
        "/api/tasks",
        "/api/tasks/abc123/pause",
        "/api/tasks/abc123/steps/2/skip",
        "/api/approvals/1/approve",
        "/api/chat",
    ]
    for index, body in enumerate(random_bodies(60)):
        path = routes[index % len(routes)] if index % 2 else routes[0]
        status, answer = await raw_post(api, path, json.dumps(body).encode())
        assert status < 500, (path, body, answer)
        if status >= 400:
            error_of(answer)

"""Fuzzing the real server: task, event, chat, action, control, approval and web routes, with JSON
that bends the rules and with raw bytes.

Properties, for every request: never a 500; whatever comes back as JSON is strict JSON (no NaN or
Infinity); and afterwards every task still answers GET /progress. The server runs in a thread of
its own (Hypothesis drives plain functions), on a real SQLite file.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.cli.server import start_server
from store.db import Database
from tests.helpers.seed import SEED_CREATE
from tests.helpers.server import TOKEN, make_config

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
EVENT_TYPES = [
    "task_started",
    "progress",
    "step_started",
    "step_progress",
    "substep_done",
    "step_completed",
    "step_failed",
    "step_skipped",
    "log",
    "approval_requested",
    "task_completed",
    "task_failed",
]


class Live:
    """The server's address, and the tasks created so far (each must keep answering)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.tasks: set[str] = {"abc123"}

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, Any] | None = None,
    ) -> tuple[int, bytes, str]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            sent = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
            sent.update(headers or {})
            conn.putrequest(method, path, skip_accept_encoding=True)
            for name, value in sent.items():
                conn.putheader(name, value)
            conn.putheader("Content-Length", str(len(body or b"")))
            conn.endheaders(body or b"")
            resp = conn.getresponse()
            return resp.status, resp.read(), resp.getheader("Content-Type") or ""
        finally:
            conn.close()

    def check(self, method: str, path: str, body: bytes | None = None, **headers: Any) -> int:
        status, raw, kind = self.request(method, path, body, headers)
        assert status < 500, (method, path, body, status, raw[:500])
        if "json" in kind and raw:
            parsed = json.loads(raw, parse_constant=_refuse)
            if method == "POST" and path == "/api/tasks" and status == 201:
                self.tasks.add(parsed["task_id"])
            if path.endswith("/restart") and status == 200:
                self.tasks.add(parsed["task_id"])
        return status

    def every_task_answers(self) -> None:
        for task_id in sorted(self.tasks):
            status, raw, _ = self.request("GET", f"/api/tasks/{quote(task_id, safe='')}/progress")
            assert status == 200, (task_id, raw[:500])
            json.loads(raw, parse_constant=_refuse)


def _refuse(name: str) -> Any:
    raise AssertionError(f"the server answered with {name}, which is not JSON")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()

    def run(coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, loop).result(120)

    path: Path = tmp_path_factory.mktemp("fuzz")

    async def start() -> Any:
        db = Database(f"sqlite+aiosqlite:///{path / 'fuzz.db'}")
        await db.upgrade()
        return db, await start_server(make_config(), database=db)

    db, server = run(start())
    host, port = server.url.removeprefix("http://").rsplit(":", 1)
    target = Live(host, int(port))
    assert target.check("POST", "/api/tasks", json.dumps(SEED_CREATE).encode()) == 201
    try:
        yield target
    finally:
        run(server.stop())
        run(db.dispose())
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


# ---------------------------------------------------------------------- strategies

texts = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["\ud800", "a\udfffb", "\u202eevil\u202c", "\x00\x1b[31m", "💥" * 5, ""]),
)
numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 1, 100, -1, 101, 2**63, 2**64 + 1, 1e308]),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, texts)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12,
)


def deep(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


events = st.fixed_dictionaries(
    {"type": st.one_of(st.sampled_from(EVENT_TYPES), texts)},
    optional={
        "step": st.one_of(
            st.integers(min_value=-2, max_value=6),
            st.sampled_from([2**31, 2**63, 10**30, -(2**70)]),
            numbers,
            texts,
        ),
        "substep": st.one_of(texts, st.integers(min_value=-1, max_value=5)),
        "percent": numbers,
        "eta_seconds": numbers,
        "message": texts,
        "level": texts,
        "error": texts,
        "prompt": texts,
        "event_id": texts,
        "result": st.one_of(json_values, st.integers(1, 400).map(deep)),
    },
)
step_specs = st.one_of(
    st.fixed_dictionaries(
        {"name": texts},
        optional={
            "weight": numbers,
            "substeps": st.lists(
                st.one_of(texts, st.fixed_dictionaries({"name": texts})), max_size=4
            ),
            "done_label": texts,
        },
    ),
    json_values,
)
new_tasks = st.fixed_dictionaries(
    {"title": texts, "steps": st.lists(step_specs, max_size=4)},
    optional={
        "task_id": texts,
        "owner": st.sampled_from(["alice", "bob", "nobody"]) | texts,
        "team": texts,
        "complexity": st.one_of(json_values, st.integers(1, 200).map(lambda d: {"d": deep(d)})),
        "notify": st.lists(
            st.fixed_dictionaries({"platform": texts, "chat": st.one_of(texts, numbers)}),
            max_size=3,
        ),
        "approval": st.fixed_dictionaries(
            {},
            optional={
                "approvers": st.lists(texts, max_size=3),
                "quorum": numbers,
                "expires_seconds": numbers,
            },
        ),
    },
)


def dumps(value: Any) -> bytes:
    return json.dumps(value, allow_nan=True).encode("utf-8", "surrogatepass")


# ---------------------------------------------------------------------- properties


@FUZZ
@given(body=new_tasks)
def test_creating_tasks(live: Live, body: dict[str, Any]) -> None:
    live.check("POST", "/api/tasks", dumps(body))
    live.every_task_answers()


@FUZZ
@given(batch=st.one_of(events, st.lists(events, min_size=1, max_size=4)))
def test_engine_events(live: Live, batch: Any) -> None:
    for task_id in sorted(live.tasks)[:3]:
        live.check("POST", f"/api/tasks/{quote(task_id, safe='')}/events", dumps(batch))
    live.every_task_answers()


@FUZZ
@given(
    text=texts,
    person=st.sampled_from(["alice", "bob", "carol", "nobody"]) | texts,
    action=st.sampled_from(["pause", "resume", "cancel", "restart", "approve", "reject", "status"])
    | texts,
    arg=st.none() | texts,
)
def test_chat_and_actions(live: Live, text: str, person: str, action: str, arg: str | None) -> None:
    live.check("POST", "/api/chat", dumps({"person": person, "text": text}))
    live.check(
        "POST",
        "/api/chat/actions",
        dumps({"person": person, "action": action, "task_id": "abc123", "arg": arg}),
    )
    live.every_task_answers()


@FUZZ
@given(
    action=st.sampled_from(["pause", "resume", "cancel", "restart"]),
    step=st.one_of(st.integers(-1, 6), st.integers(2**62, 2**80)),
    step_action=st.sampled_from(["retry", "skip"]),
    approval=st.one_of(st.integers(-5, 5), st.integers(2**62, 2**90)),
    body=st.one_of(
        st.none(), json_values, st.fixed_dictionaries({}, optional={"by": texts, "reason": texts})
    ),
)
def test_controls_and_approvals(
    live: Live, action: str, step: int, step_action: str, approval: int, body: Any
) -> None:
    raw = b"" if body is None else dumps(body)
    live.check("POST", f"/api/tasks/abc123/{action}", raw)
    live.check("POST", f"/api/tasks/abc123/steps/{step}/{step_action}", raw)
    live.check("POST", f"/api/approvals/{approval}/approve", raw)
    live.every_task_answers()


@FUZZ
@given(
    raw=st.binary(max_size=300),
    route=st.sampled_from(
        [
            "/api/tasks",
            "/api/tasks/abc123/events",
            "/api/chat",
            "/api/chat/actions",
            "/api/tasks/abc123/pause",
            "/api/approvals/1/approve",
            "/web/tasks/abc123/pause",
        ]
    ),
    header=st.binary(max_size=20),
)
def test_raw_bytes_and_headers(live: Live, raw: bytes, route: str, header: bytes) -> None:
    live.check("POST", route, raw)
    safe = header.replace(b"\r", b"").replace(b"\n", b"")
    for name in ("Authorization", "Cookie", "X-Telegram-Bot-Api-Secret-Token"):
        live.check("GET", "/api/tasks/abc123/progress", None, **{name: b"Bearer " + safe})
        live.check("GET", "/tasks/abc123", None, **{name: safe})
        live.check("POST", "/telegram/webhook", raw, **{name: safe})
    live.every_task_answers()


@FUZZ
@given(task_id=texts, query=texts)
def test_reads_with_odd_ids_and_queries(live: Live, task_id: str, query: str) -> None:
    tid = quote(task_id.encode("utf-8", "surrogatepass"), safe="")
    q = quote(query.encode("utf-8", "surrogatepass"), safe="")
    for path in (
        f"/api/tasks/{tid}/progress",
        f"/api/tasks/{tid}/logs?limit={q}",
        f"/api/tasks/{tid}/history",
        f"/api/tasks/{tid}/control?wait=0&version={q}",
        f"/api/tasks?person={q}&status={q}",
        f"/tasks/{tid}?t={q}",
    ):
        live.check("GET", path)

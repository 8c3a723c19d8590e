"""The Progress API through the real server: the seed's golden JSON, history, lists, outbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select

from store.db import Database
from store.models import OutboxRow, Target
from tests.helpers.seed import SEED_CREATE, SEED_EVENTS, SEED_PROGRESS
from tests.helpers.server import Api, FakeClock, running_server

TWO_TARGETS = [{"platform": "telegram", "chat": "456"}, {"platform": "slack", "chat": "C123"}]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def api(db: Database, clock: FakeClock) -> AsyncIterator[Api]:
    async with running_server(db, clock=clock) as server, aiohttp.ClientSession() as session:
        yield Api(session, server.url)


async def post_ok(api: Api, path: str, body: Any = None) -> Any:
    status, answer = await api.post(path, body)
    assert status in (200, 201), (path, status, answer)
    return answer


async def bring_to_seed_state(api: Api, clock: FakeClock, create: dict[str, Any]) -> None:
    """The seed's timeline: started 10:00:00, step 1 done 10:00:15, step 2 at 65 % by 10:02:30."""
    await post_ok(api, "/api/tasks", create)
    task = create["task_id"]
    # Seconds after the previous event: step 1 completes at 10:00:15, step 2 is at 65 % at 10:02:30.
    gaps = [0, 0, 15, 15, 30, 30, 60, 0]
    for gap, event in zip(gaps, SEED_EVENTS, strict=True):
        clock.advance(gap)
        await post_ok(api, f"/api/tasks/{task}/events", event)


def assert_matches_seed(expected: Any, actual: Any, where: str = "") -> None:
    """Every key the seed has, with the seed's value (extra keys are allowed)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), where
        for key, value in expected.items():
            assert key in actual, f"{where}.{key} missing"
            assert_matches_seed(value, actual[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), where
        for index, (e, a) in enumerate(zip(expected, actual, strict=True)):
            assert_matches_seed(e, a, f"{where}[{index}]")
    else:
        assert actual == expected and type(actual) is type(expected), (where, actual, expected)


async def outbox_rows(db: Database, task_id: str) -> list[OutboxRow]:
    async with db.read() as session:
        return list(
            await session.scalars(
                select(OutboxRow).where(OutboxRow.task_id == task_id).order_by(OutboxRow.id)
            )
        )


# ---------------------------------------------------------------------- the seed's golden answers


async def test_progress_of_the_seed_task_is_the_seeds_json(api: Api, clock: FakeClock) -> None:
    await bring_to_seed_state(api, clock, SEED_CREATE)

    status, progress = await api.get("/api/tasks/abc123/progress")

    assert status == 200
    seed = {k: v for k, v in SEED_PROGRESS.items() if k != "eta_seconds"}
    assert_matches_seed(seed, progress)
    assert progress["started_at"] == "2024-01-15T10:00:00Z"
    assert isinstance(progress["eta_seconds"], int) and progress["eta_seconds"] > 0
    # Substeps carry the display label beside the seed's name, nothing else is renamed.
    labels = [s.get("label") for s in progress["steps"][1]["substeps"]]
    assert labels == ["Customer list view", "Product list view", None, None]


async def test_history_has_the_seeds_task_progress_rows(api: Api, clock: FakeClock) -> None:
    await bring_to_seed_state(api, clock, SEED_CREATE)

    status, answer = await api.get("/api/tasks/abc123/history")

    assert status == 200
    rows = answer["history"]
    for row in rows:
        assert {"task_id", "step", "percent", "status", "updated_at"} <= row.keys()
        assert row["task_id"] == "abc123"
    shape = [(r["step"], r["percent"], r["status"], r["updated_at"]) for r in rows]
    assert (1, 100, "completed", "2024-01-15T10:00:15Z") in shape
    assert (2, 65, "running", "2024-01-15T10:02:30Z") in shape
    assert (3, 0, "pending", None) in shape
    assert (4, 0, "pending", None) in shape
    # The newest row of each step is the seed's table.
    latest = {r["step"]: (r["percent"], r["status"]) for r in rows if r["step"] is not None}
    assert latest == {
        1: (100, "completed"),
        2: (65, "running"),
        3: (0, "pending"),
        4: (0, "pending"),
    }


async def test_create_answers_201_with_the_progress_shape(api: Api) -> None:
    status, task = await api.post("/api/tasks", {**SEED_CREATE, "task_id": None})

    assert status == 201
    assert task["task_id"] and task["task_id"] != "abc123"
    assert task["status"] == "pending" and task["progress"] == 0 and task["total_steps"] == 4
    assert task["started_at"] is None
    assert [s["status"] for s in task["steps"]] == ["pending"] * 4
    status, again = await api.get(f"/api/tasks/{task['task_id']}/progress")
    assert status == 200 and again["title"] == "Cellphone Store CRM"


async def test_a_second_task_with_the_same_id_is_a_conflict(api: Api) -> None:
    await post_ok(api, "/api/tasks", SEED_CREATE)
    status, answer = await api.post("/api/tasks", SEED_CREATE)
    assert status == 409
    assert "abc123" in answer["error"]["message"]


async def test_list_and_logs(api: Api) -> None:
    await post_ok(api, "/api/tasks", SEED_CREATE)
    await post_ok(
        api, "/api/tasks", {**SEED_CREATE, "task_id": "carols", "owner": "carol", "team": None}
    )
    await post_ok(
        api,
        "/api/tasks/abc123/events",
        [{"type": "log", "step": 1, "level": "warning", "message": "slow disk"}],
    )

    _, everything = await api.get("/api/tasks")
    assert {t["task_id"] for t in everything["tasks"]} == {"abc123", "carols"}
    _, bobs = await api.get("/api/tasks?person=bob")
    assert [t["task_id"] for t in bobs["tasks"]] == ["abc123"]
    _, running = await api.get("/api/tasks?status=running")
    assert running["tasks"] == []
    status, logs = await api.get("/api/tasks/abc123/logs")
    assert status == 200
    assert [(entry["level"], entry["step"], entry["message"]) for entry in logs["logs"]] == [
        ("warning", 1, "slow disk")
    ]


# ---------------------------------------------------------------------- the outbox


async def test_each_accepted_change_writes_outbox_rows_for_every_target(
    api: Api, db: Database
) -> None:
    await post_ok(api, "/api/tasks", {**SEED_CREATE, "notify": TWO_TARGETS})
    assert await outbox_rows(db, "abc123") == []

    await post_ok(api, "/api/tasks/abc123/events", {"type": "task_started"})

    rows = await outbox_rows(db, "abc123")
    async with db.read() as session:
        targets = {t.id: (t.platform, t.chat) for t in await session.scalars(select(Target))}
    notices = sorted(targets[r.target_id] for r in rows if r.kind == "notice")
    cards = sorted(targets[r.target_id] for r in rows if r.kind == "card")
    assert notices == [("slack", "C123"), ("telegram", "456")]
    assert cards == [("slack", "C123"), ("telegram", "456")]
    assert {r.event for r in rows if r.kind == "notice"} == {"task_started"}
    assert all(r.status == "pending" for r in rows)


async def test_a_thousand_progress_events_leave_one_pending_card_per_target(
    api: Api, db: Database
) -> None:
    await post_ok(api, "/api/tasks", {**SEED_CREATE, "notify": TWO_TARGETS})
    await post_ok(
        api,
        "/api/tasks/abc123/events",
        [{"type": "task_started"}, {"type": "step_started", "step": 1}],
    )
    for start in range(0, 1000, 100):
        batch = [
            {"type": "step_progress", "step": 1, "percent": (start + i) % 100} for i in range(100)
        ]
        await post_ok(api, "/api/tasks/abc123/events", batch)
    for i in range(20):  # and single events, each its own transaction
        await post_ok(api, "/api/tasks/abc123/events", {"type": "progress", "percent": i})

    rows = await outbox_rows(db, "abc123")
    pending_cards: dict[int, int] = {}
    for row in rows:
        if row.kind == "card" and row.status == "pending":
            pending_cards[row.target_id] = pending_cards.get(row.target_id, 0) + 1
    assert len(pending_cards) == 2
    assert set(pending_cards.values()) == {1}
    # Progress is not news: only the start was a notice.
    assert [r.event for r in rows if r.kind == "notice"] == ["task_started", "task_started"]


async def test_the_seeds_notifications_are_queued_as_notices(api: Api, db: Database) -> None:
    await post_ok(api, "/api/tasks", {**SEED_CREATE, "notify": TWO_TARGETS[:1]})
    await post_ok(
        api, "/api/tasks", {**SEED_CREATE, "task_id": "doomed", "notify": TWO_TARGETS[:1]}
    )
    task = "/api/tasks/abc123/events"
    await post_ok(api, task, [{"type": "task_started"}, {"type": "step_started", "step": 1}])
    await post_ok(api, task, {"type": "step_completed", "step": 1})
    await post_ok(api, task, {"type": "approval_requested", "step": 3, "prompt": "Add search?"})
    _, progress = await api.get("/api/tasks/abc123/progress")
    await post_ok(api, f"/api/approvals/{progress['approval']['id']}/approve", {"by": "alice"})
    await post_ok(api, task, {"type": "task_completed", "result": {"url": "http://crm"}})
    await post_ok(
        api, "/api/tasks/doomed/events", {"type": "task_failed", "step": 2, "error": "boom"}
    )

    notices = [(r.event, r.payload) for r in await outbox_rows(db, "abc123") if r.kind == "notice"]
    assert [event for event, _ in notices] == [
        "task_started",
        "step_completed",
        "approval_requested",
        "approval_decided",
        "task_completed",
    ]
    assert notices[1][1] == {"step": 1}
    assert notices[2][1]["step"] == 3 and notices[2][1]["approval"]["prompt"] == "Add search?"
    failed = [(r.event, r.payload) for r in await outbox_rows(db, "doomed") if r.kind == "notice"]
    assert failed[-1] == ("task_failed", {"step": 2})


async def test_no_targets_means_no_outbox_rows(api: Api, db: Database) -> None:
    await post_ok(api, "/api/tasks", SEED_CREATE)
    await post_ok(api, "/api/tasks/abc123/events", SEED_EVENTS)
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(OutboxRow)) == 0

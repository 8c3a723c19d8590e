"""The task lifecycle through the real API: step and task states, refusals that write nothing,
idempotent events, percent rules, controls with their audit trail, and approvals."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select

from store.db import Database
from store.models import (
    Approval,
    ApprovalDecision,
    AuditEntry,
    LogEntry,
    OutboxRow,
    ProcessedEvent,
    TaskProgress,
)
from tests.helpers.seed import SEED_CREATE
from tests.helpers.server import Api, FakeClock, running_server

NOTIFY = [{"platform": "telegram", "chat": "456"}]
TASK = "/api/tasks/abc123"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def api(db: Database, clock: FakeClock) -> AsyncIterator[Api]:
    async with running_server(db, clock=clock) as server, aiohttp.ClientSession() as session:
        yield Api(session, server.url)


async def ok(api: Api, path: str, body: Any = None) -> Any:
    status, answer = await api.post(path, body)
    assert status in (200, 201), (path, status, answer)
    return answer


async def create(api: Api, **changes: Any) -> str:
    body = {**SEED_CREATE, "notify": NOTIFY, **changes}
    task = await ok(api, "/api/tasks", body)
    return str(task["task_id"])


async def events(api: Api, *batch: dict[str, Any], task: str = "abc123") -> Any:
    return await ok(api, f"/api/tasks/{task}/events", list(batch))


async def progress(api: Api, task: str = "abc123") -> Any:
    status, snap = await api.get(f"/api/tasks/{task}/progress")
    assert status == 200
    return snap


def step_states(snap: dict[str, Any]) -> list[str]:
    return [s["status"] for s in snap["steps"]]


async def row_counts(db: Database, task_id: str = "abc123") -> dict[str, int]:
    """How many rows of each kind the task has: a refused change must leave all of them alone."""
    counts = {}
    async with db.read() as session:
        for model in (TaskProgress, OutboxRow, LogEntry, AuditEntry, ProcessedEvent, Approval):
            counts[model.__tablename__] = int(
                await session.scalar(
                    select(func.count()).select_from(model).where(model.task_id == task_id)
                )
                or 0
            )
        counts["decisions"] = int(
            await session.scalar(select(func.count()).select_from(ApprovalDecision)) or 0
        )
    return counts


async def assert_refused_and_unchanged(
    api: Api,
    db: Database,
    path: str,
    body: Any,
    *,
    status: int,
    says: tuple[str, ...],
    task: str = "abc123",
) -> dict[str, Any]:
    before_rows, before = await row_counts(db, task), await progress(api, task)
    got, answer = await api.post(path, body)
    assert got == status, answer
    message = answer["error"]["message"]
    for words in says:
        assert words in message, message
    assert await row_counts(db, task) == before_rows
    after = await progress(api, task)
    assert after == before
    return dict(answer)


# ---------------------------------------------------------------------- the seed's states


async def test_a_step_goes_pending_running_completed(api: Api) -> None:
    await create(api)
    assert step_states(await progress(api)) == ["pending"] * 4
    await events(api, {"type": "task_started"}, {"type": "step_started", "step": 1})
    snap = await progress(api)
    assert snap["status"] == "running" and step_states(snap)[0] == "running"
    assert snap["current_step"] == 1
    await events(api, {"type": "step_completed", "step": 1})
    snap = await progress(api)
    assert snap["steps"][0]["status"] == "completed" and snap["steps"][0]["progress"] == 100
    assert snap["current_step"] == 2


async def test_a_running_step_can_fail_or_be_skipped(api: Api) -> None:
    await create(api)
    await events(
        api,
        {"type": "step_started", "step": 1},
        {"type": "step_skipped", "step": 1},
        {"type": "step_started", "step": 2},
        {"type": "step_failed", "step": 2, "error": "the UI generator crashed"},
    )
    snap = await progress(api)
    assert step_states(snap) == ["skipped", "failed", "pending", "pending"]
    assert snap["status"] == "failed"
    assert snap["steps"][1]["error"] == "the UI generator crashed"
    assert snap["error"] == "the UI generator crashed"
    assert snap["current_step"] == 2


async def test_pause_pauses_the_running_step_and_resume_continues_it(api: Api) -> None:
    await create(api)
    await events(api, {"type": "step_started", "step": 1})
    snap = await ok(api, f"{TASK}/pause", {"by": "alice"})
    assert snap["status"] == "paused" and step_states(snap)[0] == "paused"
    assert snap["control"]["state"] == "pause"
    # The engine keeps reporting while it winds down; the step stays paused.
    answer = await events(api, {"type": "step_progress", "step": 1, "percent": 40})
    assert answer["control"]["state"] == "pause"
    first = (await progress(api))["steps"][0]
    assert (first["status"], first["progress"]) == ("paused", 40)
    snap = await ok(api, f"{TASK}/resume", {"by": "bob"})
    assert snap["status"] == "running" and step_states(snap)[0] == "running"
    assert snap["control"]["state"] == "run"


async def test_an_approval_request_puts_step_and_task_in_approval(api: Api) -> None:
    await create(api)
    await events(api, {"type": "approval_requested", "step": 3, "prompt": "Add search?"})
    snap = await progress(api)
    assert snap["status"] == "approval" and step_states(snap)[2] == "approval"
    assert snap["approval"]["prompt"] == "Add search?" and snap["approval"]["status"] == "pending"
    assert snap["current_step"] == 3


async def test_task_completed_completes_the_task(api: Api) -> None:
    await create(api)
    await events(api, {"type": "step_started", "step": 1})
    await events(api, {"type": "task_completed", "result": {"url": "http://localhost/crm"}})
    snap = await progress(api)
    assert snap["status"] == "completed" and snap["progress"] == 100
    assert snap["result"] == {"url": "http://localhost/crm"}
    assert snap["steps"][0]["status"] == "completed" and snap["eta_seconds"] == 0


async def test_cancel_makes_the_task_cancelled(api: Api) -> None:
    await create(api)
    await events(api, {"type": "step_started", "step": 1})
    snap = await ok(api, f"{TASK}/cancel", {"by": "alice", "reason": "wrong spec"})
    assert snap["status"] == "cancelled" and snap["control"]["state"] == "cancel"
    status, answer = await api.post(f"{TASK}/events", {"type": "step_completed", "step": 1})
    assert status == 409 and "cancelled" in answer["error"]["message"]


# ---------------------------------------------------------------------- refusals write nothing


async def test_resuming_a_running_task_is_refused(api: Api, db: Database) -> None:
    await create(api)
    await events(api, {"type": "task_started"})
    await assert_refused_and_unchanged(
        api, db, f"{TASK}/resume", {"by": "alice"}, status=409, says=("running", "not paused")
    )


@pytest.mark.parametrize(
    ("event", "status", "says"),
    [
        ({"type": "step_completed", "step": 1}, 409, ("step 1", "already completed")),
        ({"type": "step_started", "step": 9}, 422, ("no step 9", "1-4")),
        ({"type": "step_progress", "step": 2, "percent": 150}, 422, ("percent", "150")),
        ({"type": "step_progress", "step": 2, "percent": -1}, 422, ("percent", "-1")),
        ({"type": "step_progress", "step": 2, "percent": "abc"}, 422, ("percent", "'abc'")),
        ({"type": "progress", "percent": None}, 422, ("percent",)),
        ({"type": "step_done", "step": 2}, 422, ("unknown event type", "step_done")),
        ({"type": "task_started"}, 409, ("already started",)),
        ({"type": "substep_done", "step": 2, "substep": "Login page"}, 422, ("Login page",)),
        ({"type": "log", "message": ""}, 422, ("message",)),
        ({"type": "step_started", "step": "two"}, 422, ("step",)),
    ],
)
async def test_invalid_events_are_refused_and_write_nothing(
    api: Api, db: Database, event: dict[str, Any], status: int, says: tuple[str, ...]
) -> None:
    await create(api)
    await events(
        api,
        {"type": "task_started"},
        {"type": "step_started", "step": 1},
        {"type": "step_completed", "step": 1},
        {"type": "step_started", "step": 2},
    )
    await assert_refused_and_unchanged(api, db, f"{TASK}/events", event, status=status, says=says)


async def test_a_batch_with_one_bad_event_writes_nothing(api: Api, db: Database) -> None:
    await create(api)
    batch: list[dict[str, Any]] = [
        {"type": "task_started", "event_id": "e1"},
        {"type": "log", "message": "starting", "event_id": "e2"},
        {"type": "step_progress", "step": 1, "percent": 150, "event_id": "e3"},
        {"type": "step_completed", "step": 1, "event_id": "e4"},
    ]
    answer = await assert_refused_and_unchanged(
        api, db, f"{TASK}/events", batch, status=422, says=("event 2", "percent")
    )
    assert answer["control"]["state"] == "run"
    # The good events of the refused batch were not remembered: sent again alone, they apply.
    fixed = await events(api, *batch[:2], batch[3])
    assert fixed["accepted"] == 3 and fixed["duplicates"] == 0


async def test_unknown_task_is_404(api: Api) -> None:
    status, answer = await api.post("/api/tasks/nope/events", {"type": "task_started"})
    assert status == 404 and "nope" in answer["error"]["message"]
    status, answer = await api.post("/api/tasks/nope/pause", {})
    assert status == 404


# ---------------------------------------------------------------------- idempotency and percent


async def test_the_same_event_id_twice_changes_nothing(api: Api, db: Database) -> None:
    await create(api)
    first = await events(
        api, {"type": "step_progress", "step": 1, "percent": 30, "event_id": "p-1"}
    )
    assert (first["accepted"], first["duplicates"]) == (1, 0)
    before_rows, before = await row_counts(db), await progress(api)

    again = await events(
        api, {"type": "step_progress", "step": 1, "percent": 30, "event_id": "p-1"}
    )

    assert (again["accepted"], again["duplicates"]) == (0, 1)
    assert await row_counts(db) == before_rows
    assert await progress(api) == before
    mixed = await events(
        api,
        {"type": "step_progress", "step": 1, "percent": 30, "event_id": "p-1"},
        {"type": "step_progress", "step": 1, "percent": 50, "event_id": "p-2"},
    )
    assert (mixed["accepted"], mixed["duplicates"]) == (1, 1)
    assert (await progress(api))["steps"][0]["progress"] == 50


async def test_engine_progress_overrides_the_steps(api: Api) -> None:
    await create(api)
    await events(api, {"type": "step_started", "step": 1}, {"type": "step_completed", "step": 1})
    assert (await progress(api))["progress"] == 25
    await events(api, {"type": "progress", "percent": 65})
    assert (await progress(api))["progress"] == 65


async def test_task_percent_is_the_weighted_mean_of_its_steps(api: Api) -> None:
    steps = [{"name": "Schema", "weight": 3}, {"name": "UI", "weight": 1}]
    task = await create(api, task_id="weighted", steps=steps)
    await events(api, {"type": "step_completed", "step": 1}, task=task)
    assert (await progress(api, task))["progress"] == 75
    await events(api, {"type": "step_progress", "step": 2, "percent": 50}, task=task)
    assert (await progress(api, task))["progress"] == 88  # (3*100 + 1*50) / 4 = 87.5


async def test_substeps_drive_a_step_when_it_reports_no_percent(api: Api) -> None:
    await create(api)
    await events(api, {"type": "step_completed", "step": 1}, {"type": "step_started", "step": 2})
    await events(api, {"type": "substep_done", "step": 2, "substep": "Customer list"})
    snap = await progress(api)
    assert snap["steps"][1]["progress"] == 25
    assert [s["done"] for s in snap["steps"][1]["substeps"]] == [True, False, False, False]
    await events(api, {"type": "substep_done", "step": 2, "substep": 2})
    snap = await progress(api)
    assert snap["steps"][1]["progress"] == 50
    assert snap["progress"] == 38  # (100 + 50 + 0 + 0) / 4 = 37.5


# ---------------------------------------------------------------------- controls


async def test_controls_are_recorded_in_the_audit_trail(api: Api) -> None:
    await create(api)
    await events(api, {"type": "step_started", "step": 1})
    await ok(api, f"{TASK}/pause", {"by": "alice", "reason": "lunch", "via": "slack"})
    await ok(api, f"{TASK}/resume", {"by": "bob"})
    await events(api, {"type": "step_failed", "step": 1, "error": "disk full"})
    snap = await ok(api, f"{TASK}/steps/1/retry", {"by": "alice", "reason": "freed space"})
    assert snap["status"] == "running" and snap["steps"][0]["status"] == "pending"
    assert snap["control"]["retry_step"] == 1
    await events(api, {"type": "step_started", "step": 1})
    await events(api, {"type": "step_failed", "step": 1, "error": "disk full again"})
    snap = await ok(api, f"{TASK}/steps/1/skip", {"by": "bob", "reason": "do it by hand"})
    assert snap["status"] == "running" and snap["steps"][0]["status"] == "skipped"
    assert snap["control"]["skipped_steps"] == [1]

    _, history = await api.get(f"{TASK}/history")
    trail = [(a["action"], a["step"], a["by"], a["via"], a["reason"]) for a in history["audit"]]
    assert trail[1:] == [
        # The server names the surface (the token's name); a body's "via" is not believed.
        ("pause", None, "alice", "api:operator", "lunch"),
        ("resume", None, "bob", "api:operator", None),
        ("retry", 1, "alice", "api:operator", "freed space"),
        ("skip", 1, "bob", "api:operator", "do it by hand"),
    ]
    assert trail[0][0] == "create"


async def test_restart_creates_the_next_attempt(api: Api) -> None:
    await create(api)
    await events(api, {"type": "step_started", "step": 1})
    fresh = await ok(api, f"{TASK}/restart", {"by": "alice", "reason": "start over"})

    assert fresh["task_id"] != "abc123" and fresh["restarted_from"] == "abc123"
    assert fresh["attempt"] == 2 and fresh["previous_task_id"] == "abc123"
    assert fresh["title"] == "Cellphone Store CRM" and fresh["status"] == "pending"
    assert [s["name"] for s in fresh["steps"]] == [s["name"] for s in SEED_CREATE["steps"]]
    assert [s["done"] for s in fresh["steps"][1]["substeps"]] == [False] * 4
    old = await progress(api)
    assert old["status"] == "cancelled"
    _, control = await api.get(f"{TASK}/control")
    assert control["state"] == "cancel" and control["restarted_as"] == fresh["task_id"]
    _, history = await api.get(f"{TASK}/history")
    assert ("restart", "alice", "start over") in [
        (a["action"], a["by"], a["reason"]) for a in history["audit"]
    ]


@pytest.mark.parametrize(
    ("setup", "path", "says"),
    [
        ([{"type": "task_completed"}], "pause", ("completed", "only a running task")),
        ([{"type": "task_completed"}], "cancel", ("already completed",)),
        ([{"type": "task_completed"}], "restart", ("completed", "nothing to start over")),
        ([{"type": "step_started", "step": 1}], "steps/1/retry", ("running", "only a failed")),
        ([{"type": "step_started", "step": 1}], "steps/1/skip", ("running",)),
        ([], "resume", ("pending", "not paused")),
    ],
)
async def test_controls_the_state_does_not_allow_are_409(
    api: Api, db: Database, setup: list[dict[str, Any]], path: str, says: tuple[str, ...]
) -> None:
    await create(api)
    if setup:
        await events(api, *setup)
    await assert_refused_and_unchanged(
        api, db, f"{TASK}/{path}", {"by": "alice"}, status=409, says=says
    )


@pytest.mark.parametrize("path", ["pause", "cancel", "restart", "steps/1/skip"])
async def test_a_person_outside_owner_and_team_may_not_steer(
    api: Api, db: Database, path: str
) -> None:
    await create(api)
    await events(api, {"type": "task_started"})
    await assert_refused_and_unchanged(
        api, db, f"{TASK}/{path}", {"by": "carol"}, status=403, says=("carol",)
    )


async def test_long_poll_answers_when_someone_pauses(api: Api) -> None:
    await create(api)
    answer = await events(api, {"type": "step_started", "step": 1})
    version = answer["control"]["version"]

    async def pause_soon() -> None:
        await asyncio.sleep(0.2)
        await ok(api, f"{TASK}/pause", {"by": "bob"})

    (status, control), _ = await asyncio.gather(
        api.get(f"{TASK}/control?wait=5&version={version}"), pause_soon()
    )
    assert status == 200
    assert control["state"] == "pause" and control["version"] > version


async def test_control_without_wait_answers_at_once(api: Api) -> None:
    await create(api)
    status, control = await api.get(f"{TASK}/control?wait=0&version=0")
    assert status == 200 and control["state"] == "run" and control["status"] == "pending"


# ---------------------------------------------------------------------- approvals


async def request_approval(api: Api, **policy: Any) -> str:
    approval = {**SEED_CREATE["approval"], **policy}
    await create(api, approval=approval)
    await events(api, {"type": "step_completed", "step": 1}, {"type": "step_completed", "step": 2})
    await events(api, {"type": "approval_requested", "step": 3, "prompt": "Add search?"})
    snap = await progress(api)
    assert snap["status"] == "approval"
    return str(snap["approval"]["id"])


async def test_approve_lets_the_task_run_on(api: Api) -> None:
    approval = await request_approval(api)
    snap = await ok(api, f"/api/approvals/{approval}/approve", {"by": "alice"})
    assert snap["status"] == "running" and snap["steps"][2]["status"] == "running"
    assert snap["decision"] == {"status": "approved", "decided_by": "alice"}
    assert snap["approval"]["status"] == "approved"
    _, control = await api.get(f"{TASK}/control")
    assert control["approval"]["status"] == "approved" and control["state"] == "run"


async def test_a_quorum_of_two_needs_two_approvers(api: Api) -> None:
    approval = await request_approval(api, quorum=2)
    first = await ok(api, f"/api/approvals/{approval}/approve", {"by": "alice"})
    assert first["status"] == "approval" and first["decision"]["status"] == "pending"
    status, again = await api.post(f"/api/approvals/{approval}/approve", {"by": "alice"})
    assert status == 409 and "alice has already decided" in again["error"]["message"]
    second = await ok(api, f"/api/approvals/{approval}/approve", {"by": "bob"})
    assert second["status"] == "running" and second["decision"]["status"] == "approved"
    assert [d["by"] for d in second["approval"]["decisions"]] == ["alice", "bob"]


async def test_the_owner_may_not_approve_when_self_approval_is_off(api: Api, db: Database) -> None:
    approval = await request_approval(api, allow_self_approval=False)
    await assert_refused_and_unchanged(
        api,
        db,
        f"/api/approvals/{approval}/approve",
        {"by": "alice"},
        status=403,
        says=("alice owns this task",),
    )
    snap = await ok(api, f"/api/approvals/{approval}/approve", {"by": "bob"})
    assert snap["status"] == "running"


async def test_someone_who_is_not_an_approver_is_403(api: Api, db: Database) -> None:
    approval = await request_approval(api)
    await assert_refused_and_unchanged(
        api,
        db,
        f"/api/approvals/{approval}/approve",
        {"by": "carol"},
        status=403,
        says=("carol is not an approver",),
    )


async def test_reject_fails_the_step_with_the_reason(api: Api) -> None:
    approval = await request_approval(api)
    snap = await ok(api, f"/api/approvals/{approval}/reject", {"by": "bob", "reason": "not now"})
    assert snap["status"] == "failed"
    assert snap["steps"][2]["status"] == "failed"
    assert snap["steps"][2]["error"] == "Rejected by bob: not now"
    decisions = snap["approval"]["decisions"]
    assert [(d["by"], d["decision"], d["reason"], d["via"]) for d in decisions] == [
        ("bob", "reject", "not now", "api:operator")
    ]
    status, answer = await api.post(f"/api/approvals/{approval}/approve", {"by": "alice"})
    assert status == 409 and "rejected by bob" in answer["error"]["message"]


async def test_two_approvers_at_once_one_decision_wins(api: Api) -> None:
    approval = await request_approval(api)
    (s1, a1), (s2, a2) = await asyncio.gather(
        api.post(f"/api/approvals/{approval}/approve", {"by": "alice"}),
        api.post(f"/api/approvals/{approval}/reject", {"by": "bob", "reason": "no"}),
    )
    assert sorted([s1, s2]) == [200, 409]
    winner, loser = (a1, a2) if s1 == 200 else (a2, a1)
    decided_by = winner["decision"]["decided_by"]
    assert decided_by in ("alice", "bob")
    assert f"by {decided_by}" in loser["error"]["message"]
    snap = await progress(api)
    assert len(snap["approval"]["decisions"]) == 1
    assert snap["status"] == ("running" if decided_by == "alice" else "failed")


async def test_an_expired_approval_is_409_and_fails_the_task(api: Api, clock: FakeClock) -> None:
    approval = await request_approval(api, expires_seconds=600)
    clock.advance(601)
    status, answer = await api.post(f"/api/approvals/{approval}/approve", {"by": "alice"})
    assert status == 409 and "expired" in answer["error"]["message"]
    snap = await progress(api)
    assert snap["status"] == "failed" and snap["approval"]["status"] == "expired"
    assert snap["steps"][2]["status"] == "failed"
    assert snap["steps"][2]["error"] == "the approval expired"

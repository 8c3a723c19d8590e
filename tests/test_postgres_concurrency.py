"""Two workers on one PostgreSQL: concurrent writers lose nothing, one approval decision wins."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import ColumnElement, func, select, text

from store.db import Database
from store.errors import Conflict
from store.models import LogEntry, ProcessedEvent, TaskProgress
from store.queries import Queries
from store.tracker import Decision, NewStep, NewTask, Tracker
from tests.conftest import PG_URL, Teams

WRITERS = 20
BATCHES = 25  # per writer, each a log line plus one progress event


@pytest.fixture
async def workers(pg_db: Database) -> AsyncIterator[tuple[Tracker, Tracker]]:
    """Two Trackers on two separate Databases (engines, pools) sharing one schema."""
    async with pg_db.read() as session:
        schema = await session.scalar(text("SELECT current_schema()"))
    assert PG_URL and schema
    other = Database(PG_URL, schema=schema)
    try:
        yield Tracker(pg_db, membership=Teams()), Tracker(other, membership=Teams())
    finally:
        await other.dispose()


def crm_task(task_id: str) -> NewTask:
    return NewTask(
        task_id=task_id,
        title="Cellphone Store CRM",
        owner="alice",
        team="crm-team",
        steps=(
            NewStep("Create database tables"),
            NewStep(
                "Generate application UI",
                substeps=tuple((f"View {w}", None) for w in range(WRITERS)),
            ),
        ),
        notify=(("telegram", "456", None),),
        approvers=("alice", "bob"),
    )


async def count(db: Database, model: type[Any], *where: ColumnElement[bool]) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def test_concurrent_writers_on_two_workers_lose_no_update(
    pg_db: Database, workers: tuple[Tracker, Tracker]
) -> None:
    first, second = workers
    await first.create_task(crm_task("busy"))
    await first.apply("busy", [{"type": "task_started", "event_id": "start"}])

    async def writer(number: int) -> int:
        tracker = workers[number % 2]
        accepted_batches = 0
        for i in range(BATCHES):
            change: dict[str, Any]
            if i == BATCHES - 1:
                change = {"type": "substep_done", "step": 2, "substep": f"View {number}"}
            else:
                change = {"type": "step_progress", "step": 1, "percent": (number + i) % 100}
            batch: list[dict[str, Any]] = [
                {
                    "type": "log",
                    "message": f"writer {number} batch {i}",
                    "event_id": f"l-{number}-{i}",
                },
                {**change, "event_id": f"p-{number}-{i}"},
            ]
            applied = await tracker.apply("busy", batch)
            assert (applied.accepted, applied.duplicates) == (2, 0)
            accepted_batches += 1
        return accepted_batches

    batches = sum(await asyncio.gather(*(writer(n) for n in range(WRITERS))))

    assert batches == WRITERS * BATCHES
    snap = await Queries(pg_db).snapshot("busy")
    assert snap["control"]["version"] == batches + 1  # and the start
    assert all(sub["done"] for sub in snap["steps"][1]["substeps"])
    assert snap["steps"][1]["progress"] == 100
    assert await count(pg_db, LogEntry, LogEntry.task_id == "busy") == WRITERS * BATCHES
    assert await count(pg_db, ProcessedEvent, ProcessedEvent.task_id == "busy") == (
        2 * WRITERS * BATCHES + 1
    )
    progress_rows = TaskProgress.task_id == "busy", TaskProgress.event == "step_progress"
    assert await count(pg_db, TaskProgress, *progress_rows) == WRITERS * (BATCHES - 1)
    substep_rows = TaskProgress.task_id == "busy", TaskProgress.event == "substep_done"
    assert await count(pg_db, TaskProgress, *substep_rows) == WRITERS
    # A resend through the other worker is still recognised.
    again = await second.apply("busy", [{"type": "log", "message": "x", "event_id": "l-0-0"}])
    assert (again.accepted, again.duplicates) == (0, 1)


async def test_approve_and_reject_at_once_on_two_workers_one_wins(
    pg_db: Database, workers: tuple[Tracker, Tracker]
) -> None:
    first, second = workers
    for round_no in range(5):
        task_id = f"decide{round_no}"
        await first.create_task(crm_task(task_id))
        await first.apply(task_id, [{"type": "approval_requested", "step": 2}])
        snap = await Queries(pg_db).snapshot(task_id)
        assert snap["approval"] is not None
        approval_id = int(snap["approval"]["id"])

        outcomes = await asyncio.gather(
            first.decide(approval_id, "approve", by="alice"),
            second.decide(approval_id, "reject", by="bob", reason="no"),
            return_exceptions=True,
        )

        decisions = [o for o in outcomes if isinstance(o, Decision)]
        conflicts = [o for o in outcomes if isinstance(o, Conflict)]
        assert len(decisions) == 1 and len(conflicts) == 1, outcomes
        winner = decisions[0]
        assert f"by {winner.decided_by}" in str(conflicts[0])
        snap = await Queries(pg_db).snapshot(task_id)
        assert snap["approval"] is not None
        assert len(snap["approval"]["decisions"]) == 1
        assert snap["status"] == ("running" if winner.status == "approved" else "failed")

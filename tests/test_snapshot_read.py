"""A snapshot read as rows, in one trip, is exactly the one the models give: every field, its
value and its place, through steps, substeps, a failed step, an approval with decisions and a
restart."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from store.db import Database
from store.models import Approval, Step, Task
from store.queries import Queries, snapshot_of
from store.shapes import SnapshotShape
from store.tracker import NewStep, NewTask, Tracker


async def loaded_as_models(db: Database, task_id: str) -> SnapshotShape:
    """The snapshot of the task loaded as ORM objects, its steps, substeps and latest approval."""
    async with db.read() as session:
        task = (
            (
                await session.execute(
                    select(Task)
                    .where(Task.id == task_id)
                    .options(joinedload(Task.steps).joinedload(Step.substeps))
                )
            )
            .unique()
            .scalar_one()
        )
        approval = (
            (
                await session.execute(
                    select(Approval)
                    .where(Approval.task_id == task_id)
                    .options(joinedload(Approval.decisions))
                    .order_by(Approval.id.desc())
                    .limit(1)
                )
            )
            .unique()
            .scalar_one_or_none()
        )
        restarted_as = await session.scalar(
            select(Task.id).where(Task.previous_task_id == task_id).limit(1)
        )
    return snapshot_of(task, approval, restarted_as if task.status == "cancelled" else None)


async def assert_same(db: Database, queries: Queries, task_id: str) -> SnapshotShape:
    snap = await queries.snapshot(task_id)
    assert json.dumps(snap) == json.dumps(await loaded_as_models(db, task_id))
    return snap


async def test_a_snapshot_read_as_rows_is_the_one_the_models_give(
    db: Database, tracker: Tracker, queries: Queries
) -> None:
    steps = (
        NewStep("Create database tables", estimate_seconds=60),
        NewStep(
            "Generate application UI",
            substeps=(("Customer list", "Customer list view"), ("Sales form", None)),
        ),
        NewStep("Add search and filters", done_label="Search added", weight=2),
        NewStep("Configure workflows"),
    )
    task_id = await tracker.create_task(
        NewTask(
            title="Cellphone Store CRM",
            steps=steps,
            task_id="crm",
            kind="app-generation",
            owner="carol",
            complexity={"tables": 3},
            approvers=("alice", "bob"),
            quorum=2,
        )
    )
    await assert_same(db, queries, task_id)
    await tracker.apply(
        task_id,
        [
            {"type": "step_started", "step": 1},
            {"type": "step_completed", "step": 1},
            {"type": "step_started", "step": 2},
            {"type": "substep_done", "step": 2, "substep": "Customer list"},
        ],
    )
    await assert_same(db, queries, task_id)
    await tracker.apply(
        task_id,
        [
            {"type": "step_completed", "step": 2},
            {
                "type": "approval_requested",
                "step": 3,
                "prompt": "Add search?",
            },
        ],
    )
    snap = await assert_same(db, queries, task_id)
    assert snap["approval"] is not None
    await tracker.decide(int(snap["approval"]["id"]), "approve", by="alice", reason="fine")
    snap = await assert_same(db, queries, task_id)
    assert [d["by"] for d in snap["approval"]["decisions"]] == ["alice"]
    await tracker.decide(int(snap["approval"]["id"]), "approve", by="bob")
    await tracker.apply(
        task_id,
        [{"type": "step_started", "step": 3}, {"type": "step_failed", "step": 3, "error": "boom"}],
    )
    snap = await assert_same(db, queries, task_id)
    assert snap["status"] == "failed" and snap["steps"][2]["error"] == "boom"
    fresh = await tracker.restart(task_id, by="alice", reason="start over")
    snap = await assert_same(db, queries, task_id)
    assert snap["control"]["restarted_as"] == fresh
    await assert_same(db, queries, fresh)

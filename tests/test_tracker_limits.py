"""The Tracker itself keeps the input limits, whoever calls it (the API, the engine client
in-process, the CLI, the chat): input beyond a limit is refused with the limit's name, before
anything is written or anyone is told."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from store.db import Database
from store.errors import InvalidEvent, LimitExceeded
from store.models import AuditEntry, LogEntry, ProcessedEvent, Step, Substep, Task, TaskProgress
from store.tracker import Limits, NewStep, NewTask, TaskChange, Tracker

SMALL = Limits(
    max_steps=3,
    max_substeps_per_step=2,
    max_substeps_total=3,
    max_name_length=10,
    max_json_depth=3,
    max_approval_expiry_seconds=60,
)


def nested(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = {"a": value}
    return value


def task(*steps: NewStep, **fields: Any) -> NewTask:
    return NewTask(**{"title": "Small", "steps": steps or (NewStep("One"),), **fields})


async def row_counts(db: Database) -> dict[str, int]:
    async with db.read() as session:
        return {
            model.__name__: int(await session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (Task, Step, Substep, TaskProgress, AuditEntry, LogEntry, ProcessedEvent)
        }


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        (
            task(NewStep("a"), NewStep("b"), NewStep("c"), NewStep("d")),
            "steps: 4 steps; limits.max_steps is 3",
        ),
        (
            task(NewStep("a", substeps=(("x", None), ("y", None), ("z", None)))),
            "steps.0.substeps: 3 substeps; limits.max_substeps_per_step is 2",
        ),
        (
            task(
                NewStep("a", substeps=(("x", None), ("y", None))),
                NewStep("b", substeps=(("x", None), ("y", None))),
            ),
            "steps: 4 substeps in all; limits.max_substeps_total is 3",
        ),
        (task(NewStep("A step name")), "steps.0: a name of 11 characters"),
        (task(NewStep("a", done_label="Done at last")), "limits.max_name_length is 10"),
        (task(NewStep("a", substeps=(("x", "A long label"),))), "limits.max_name_length is 10"),
        (task(title="A long title"), "title: limits.max_name_length is 10"),
        (task(complexity=nested(4)), "complexity: nests 4 levels; limits.max_json_depth is 3"),
        (
            task(approvers=("alice",), approval_expires_seconds=61),
            "approval.expires_seconds: 61; limits.max_approval_expiry_seconds is 60",
        ),
    ],
)
async def test_a_task_beyond_a_limit_is_refused_and_nothing_is_written(
    db: Database, spec: NewTask, says: str
) -> None:
    tracker = Tracker(db, limits=SMALL)
    heard: list[TaskChange] = []
    tracker.add_listener(heard.append)
    with pytest.raises(LimitExceeded) as refused:
        await tracker.create_task(spec)
    assert says in str(refused.value)
    assert isinstance(refused.value, InvalidEvent)  # the API's 422 "invalid"
    assert set((await row_counts(db)).values()) == {0}
    assert heard == []


async def test_the_default_limits_are_the_configs(db: Database) -> None:
    tracker = Tracker(db)
    steps = tuple(NewStep(f"Step {n}") for n in range(1001))
    with pytest.raises(LimitExceeded, match=r"limits\.max_steps is 1000"):
        await tracker.create_task(task(*steps))
    assert (await row_counts(db))["Task"] == 0
    assert await tracker.create_task(task(*steps[:1000], task_id="big")) == "big"


async def test_an_event_beyond_a_limit_refuses_its_whole_batch_before_anything_is_written(
    db: Database,
) -> None:
    tracker = Tracker(db, limits=SMALL)
    task_id = await tracker.create_task(task(NewStep("One"), NewStep("Two")))
    heard: list[TaskChange] = []
    tracker.add_listener(heard.append)
    before = await row_counts(db)
    batch = [
        {"type": "step_started", "step": 1, "event_id": "e1"},
        {"type": "log", "message": "almost there"},
        {"type": "task_completed", "result": nested(4), "event_id": "e2"},
    ]
    with pytest.raises(LimitExceeded) as refused:
        await tracker.apply(task_id, batch)
    assert str(refused.value) == "event 2: result nests 4 levels; limits.max_json_depth is 3"
    assert await row_counts(db) == before
    async with db.read() as session:
        row = await session.get(Task, task_id)
        assert row is not None and (row.status, row.version, row.result) == ("pending", 0, None)
    assert heard == []
    # Within the limit the same batch is taken whole.
    batch[2]["result"] = nested(3)
    applied = await tracker.apply(task_id, batch)
    assert applied.accepted == 3
    async with db.read() as session:
        row = await session.get(Task, task_id)
        assert row is not None and row.status == "completed" and row.result == nested(3)


async def test_limits_changed_on_the_tracker_apply_to_the_next_change(db: Database) -> None:
    tracker = Tracker(db)
    tracker.limits = SMALL
    with pytest.raises(LimitExceeded, match=r"limits\.max_name_length is 10"):
        await tracker.create_task(task(title="Far too long a title"))
    assert (await row_counts(db))["Task"] == 0


@pytest.mark.parametrize("weight", [float("nan"), float("inf"), -1.0])
async def test_a_weight_that_is_not_a_finite_number_is_refused(db: Database, weight: float) -> None:
    tracker = Tracker(db)
    with pytest.raises(InvalidEvent, match="step 2: weight must be a finite number"):
        await tracker.create_task(task(NewStep("One"), NewStep("Two", weight=weight)))
    assert set((await row_counts(db)).values()) == {0}

"""A change to one step of a big task loads only that step; what it writes must be exactly what a
full load would have written (percent, control answer, history)."""

from __future__ import annotations

from sqlalchemy import select

from store.db import Database
from store.models import Task
from store.queries import Queries
from store.tracker import NewStep, NewTask, Tracker


async def test_events_on_a_big_task_keep_percent_and_control_exact(db: Database) -> None:
    tracker = Tracker(db)
    steps = tuple(
        NewStep(f"Step {i}", weight=float(i % 3 + 1), substeps=(("a", None), ("b", None)))
        if i % 50 == 0
        else NewStep(f"Step {i}", weight=float(i % 3 + 1))
        for i in range(1, 301)
    )
    task_id = await tracker.create_task(NewTask(title="Big", steps=steps, task_id="big"))
    batches = [
        [{"type": "step_started", "step": 1}, {"type": "step_completed", "step": 1}],
        [{"type": "substep_done", "step": 50, "substep": "a"}],
        [{"type": "step_progress", "step": 7, "percent": 40}],
        [{"type": "step_failed", "step": 9, "error": "boom"}],
        [{"type": "step_skipped", "step": 9}],
        [{"type": "step_skipped", "step": 10}],
        [{"type": "progress", "percent": 12}],
    ]
    queries = Queries(db)
    for batch in batches:
        applied = await tracker.apply(task_id, batch)
        snap = await queries.snapshot(task_id)  # a full load, computed independently
        async with db.read() as session:
            stored = await session.scalar(select(Task.percent).where(Task.id == task_id))
        assert stored == snap["progress"], batch
        assert applied.control["skipped_steps"] == snap["control"]["skipped_steps"]
        assert applied.control["retry_step"] == snap["control"]["retry_step"]
    snap = await queries.snapshot(task_id)
    statuses = {s["order"]: s["status"] for s in snap["steps"]}
    assert statuses[1] == "completed" and statuses[9] == "skipped" and statuses[7] == "running"
    assert len(snap["steps"]) == 300  # nothing was lost by loading only some steps
    substeps = next(s for s in snap["steps"] if s["order"] == 50)["substeps"]
    assert [s["done"] for s in substeps] == [True, False]
    # A step that does not exist is still refused with the task's real size.
    try:
        await tracker.apply(task_id, [{"type": "step_started", "step": 301}])
    except Exception as exc:  # NotFound
        assert "1-300" in str(exc)
    else:
        raise AssertionError("step 301 was accepted")

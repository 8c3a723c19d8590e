"""A task's snapshot in the seed's progress shape, and its ETA's inputs, read in one trip.

`GET /progress` on a big store reads a task nobody asked for lately, so the read itself is what a
request costs. Loading the task, its steps, substeps and latest approval as ORM objects through
aiosqlite took about ten times what the statements do (2.4 ms of CPU against 0.2 ms on 100,000
tasks), so the reads here are prepared Core statements run on one connection
(`Database.read_columns`: on a SQLite file, one trip to a thread). Their rows become `Loaded`
objects, which carry every column under the model's attribute name, so `snapshot_of` and the
Tracker's pure readings (`store.tracker.views`) read them exactly as they read the models: one
shape, whoever reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Connection, RowMapping, bindparam, select

from store.errors import NotFound
from store.models import Approval, ApprovalDecision, Step, Substep, Task, TaskProgress
from store.shapes import SnapshotShape, StepShape
from store.tracker import approval_dict, control_dict, iso, step_percent

__all__ = [
    "EtaInputs",
    "read_eta_inputs",
    "read_history",
    "read_snapshot",
    "read_snapshot_and_creator",
    "snapshot_of",
]


@dataclass(frozen=True, slots=True)
class EtaInputs:
    """What the estimator needs for one task, gathered in one read."""

    kind: str | None
    tables: int | None
    steps: tuple[
        dict[str, Any], ...
    ]  # order, name, status, progress, started_at, finished_at, weight, estimate_seconds
    samples: tuple[tuple[float, int], ...]  # (epoch seconds, percent) of the running step
    history: dict[str, list[float]]  # step name -> durations (s) in earlier tasks of this kind


class Loaded:
    """A row read as its model would be loaded: each column as an attribute, and the related
    rows the readings use (a task's `steps`, a step's `substeps`, an approval's `decisions`)."""

    def __init__(self, row: RowMapping, **related: Any) -> None:
        # Column names are the models' attribute names (store/models.py names none otherwise).
        self.__dict__.update(row)
        self.__dict__.update(related)


# Prepared once: building a statement costs more than running it on an indexed key.
_TASK = select(Task.__table__).where(Task.id == bindparam("task_id"))
_STEPS = select(Step.__table__).where(Step.task_id == bindparam("task_id")).order_by(Step.order)
_SUBSTEPS = (
    select(Substep.__table__)
    .join(Step, Substep.step_id == Step.id)
    .where(Step.task_id == bindparam("task_id"))
    .order_by(Substep.step_id, Substep.order)
)
_APPROVAL = (
    select(Approval.__table__)
    .where(Approval.task_id == bindparam("task_id"))
    .order_by(Approval.id.desc())
    .limit(1)
)
_DECISIONS = (
    select(ApprovalDecision.__table__)
    .where(ApprovalDecision.approval_id == bindparam("approval_id"))
    .order_by(ApprovalDecision.id)
)
_RESTARTED_AS = select(Task.id).where(Task.previous_task_id == bindparam("task_id")).limit(1)
_SAMPLES = (
    select(TaskProgress.updated_at, TaskProgress.percent)
    .where(TaskProgress.task_id == bindparam("task_id"), TaskProgress.step == bindparam("step"))
    .order_by(TaskProgress.id.desc())
    .limit(20)
)


def read_snapshot(connection: Connection, task_id: str) -> SnapshotShape:
    """The task's snapshot (without its ETA); NotFound when there is no such task."""
    return read_snapshot_and_creator(connection, task_id)[0]


def read_snapshot_and_creator(
    connection: Connection, task_id: str
) -> tuple[SnapshotShape, str | None]:
    """The task's snapshot and the name of the API token that created it (None: created in
    process), which the snapshot does not show but an engine's access depends on."""
    key = {"task_id": task_id}
    task_row = connection.execute(_TASK, key).mappings().first()
    if task_row is None:
        raise NotFound(f"there is no task {task_id!r}")
    substeps: dict[int, list[Loaded]] = {}
    for row in connection.execute(_SUBSTEPS, key).mappings():
        substeps.setdefault(row["step_id"], []).append(Loaded(row))
    steps = [
        Loaded(row, substeps=substeps.get(row["id"], []))
        for row in connection.execute(_STEPS, key).mappings()
    ]
    task = Loaded(task_row, steps=steps)
    approval = None
    approval_row = connection.execute(_APPROVAL, key).mappings().first()
    if approval_row is not None:
        decisions = connection.execute(_DECISIONS, {"approval_id": approval_row["id"]})
        approval = Loaded(approval_row, decisions=[Loaded(d) for d in decisions.mappings()])
    restarted_as = None
    if task_row["status"] == "cancelled":
        restarted_as = connection.execute(_RESTARTED_AS, key).scalar()
    # Read as the models are: `Loaded` has every attribute the readings ask of them.
    snap = snapshot_of(cast(Task, task), cast(Approval | None, approval), restarted_as)
    return snap, task_row["created_by_token"]


def snapshot_of(
    task: Task, approval: Approval | None = None, restarted_as: str | None = None
) -> SnapshotShape:
    """The seed's progress JSON for a loaded task (steps and substeps loaded)."""
    steps: list[StepShape] = []
    for step in task.steps:
        shape: StepShape = {
            "order": step.order,
            "name": step.name,
            "status": step.status,
            "progress": step_percent(step),
        }
        if step.finished_at is not None and step.started_at is not None:
            elapsed = (step.finished_at - step.started_at).total_seconds()
            shape["duration_ms"] = max(0, int(elapsed * 1000))
        if step.substeps:
            subs: list[Any] = []
            for sub in step.substeps:
                item: dict[str, Any] = {"name": sub.name, "done": sub.done}
                if sub.label:
                    item["label"] = sub.label
                subs.append(item)
            shape["substeps"] = subs
        if step.done_label:
            shape["done_label"] = step.done_label
        if step.error:
            shape["error"] = step.error
        if step.started_at is not None:
            shape["started_at"] = iso(step.started_at) or ""
        if step.estimate_seconds is not None:
            shape["estimate_seconds"] = step.estimate_seconds
        steps.append(shape)
    current = _current_order(task)
    snap: SnapshotShape = {
        "task_id": task.id,
        "title": task.title,
        "status": task.status,
        "progress": task.percent,
        "current_step": current,
        "total_steps": len(task.steps),
        "started_at": iso(task.started_at),
        "eta_seconds": None,
        "steps": steps,
        "short_name": task.short_name,
        "kind": task.kind,
        "owner": task.owner,
        "team": task.team,
        "created_at": iso(task.created_at) or "",
        "updated_at": iso(task.updated_at) or "",
        "finished_at": iso(task.finished_at),
        "eta_low_seconds": None,
        "eta_high_seconds": None,
        "attempt": task.attempt,
        "previous_task_id": task.previous_task_id,
        "control": control_dict(task, approval, restarted_as),
        "approval": approval_dict(approval) if approval is not None else None,  # type: ignore[typeddict-item]
        "result": task.result,
        "error": task.error,
        "complexity": task.complexity,
        "workspace": task.workspace,
    }
    return snap


def _current_order(task: Task) -> int | None:
    for status in ("running", "approval", "paused", "failed"):
        for step in task.steps:
            if step.status == status:
                return step.order
    if task.status == "completed" and task.steps:
        return task.steps[-1].order
    for step in task.steps:
        if step.status == "pending":
            return step.order
    return task.steps[-1].order if task.steps else None


def read_eta_inputs(
    connection: Connection, snap: SnapshotShape, history: dict[str, list[float]]
) -> EtaInputs:
    """The ETA's inputs for a task whose snapshot was just read: the running step's recent
    progress, read here, and `history`, the durations of the steps of its kind."""
    running = next((s for s in snap["steps"] if s["status"] == "running"), None)
    samples: list[tuple[float, int]] = []
    if running is not None:
        rows = connection.execute(_SAMPLES, {"task_id": snap["task_id"], "step": running["order"]})
        samples = [(at.timestamp(), pct) for at, pct in rows if at is not None]
        samples.reverse()
    complexity = snap.get("complexity") or {}
    tables = complexity.get("tables") if isinstance(complexity, dict) else None
    steps = []
    for s in snap["steps"]:
        steps.append(
            {
                "order": s["order"],
                "name": s["name"],
                "status": s["status"],
                "progress": s["progress"],
                "started_at": _parse(s.get("started_at")),
                "finished_at": _finished(s),
                "weight": 1.0,
                "estimate_seconds": s.get("estimate_seconds"),
            }
        )
    return EtaInputs(
        kind=snap.get("kind"),
        tables=tables if isinstance(tables, int) else None,
        steps=tuple(steps),
        samples=tuple(samples),
        history=history,
    )


def read_history(connection: Connection, kind: str) -> dict[str, list[float]]:
    """Durations of each step name in the 200 most recently completed tasks of this kind."""
    recent = (
        select(Task.id)
        .where(Task.kind == kind, Task.status == "completed")
        .order_by(Task.finished_at.desc())
        .limit(200)
        .subquery()
    )
    rows = connection.execute(
        select(Step.name, Step.started_at, Step.finished_at)
        .where(Step.task_id.in_(select(recent.c.id)), Step.status == "completed")
        .order_by(Step.finished_at)
    )
    history: dict[str, list[float]] = {}
    for name, started, finished in rows:
        if started is not None and finished is not None:
            history.setdefault(name, []).append((finished - started).total_seconds())
    return history


def _parse(value: str | None) -> float | None:
    if not value:
        return None
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp()


def _finished(step: StepShape) -> float | None:
    started = _parse(step.get("started_at"))
    duration = step.get("duration_ms")
    if started is None or duration is None:
        return None
    return started + duration / 1000

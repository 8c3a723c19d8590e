"""The shared unit of work every collaborator writes through.

`Context` holds what the Tracker was built with (the database, the clock, the membership, the
notify settings, the input limits) and its listeners; each collaborator holds the same one, so a
setting changed on the Tracker reaches all of them. `Pending` collects what one transaction
changed (history rows, listener messages, notices) so they are written once at the end.
`set_step` and `set_task` are the only way a step's or task's status changes, so every move is
checked against `store.states` and lands in the history; `Context.lock_task` begins every change
to an existing task.
"""

from __future__ import annotations

import enum
import functools
import json
import logging
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    ScalarSelect,
    Select,
    Text,
    and_,
    cast,
    func,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from store.db import Database
from store.errors import NotFound
from store.models import Approval, Step, Task, TaskProgress
from store.states import check_step, check_task
from store.tracker.contract import Limits, Listener, Membership, TaskChange
from store.tracker.id_lists import ids_in, ids_value, pairs_in, pairs_values
from store.tracker.views import PartSteps, StepState, step_percent, task_percent

__all__ = [
    "UNKNOWN",
    "Context",
    "Pending",
    "Unknown",
    "ensure_started",
    "seed_history",
    "set_step",
    "set_task",
    "start_task",
]

logger = logging.getLogger(__name__)


class Unknown(enum.Enum):
    """A value not read yet (distinct from None, "there is none")."""

    UNKNOWN = "unknown"


UNKNOWN = Unknown.UNKNOWN


@dataclass(eq=False)
class Context:
    """The Tracker's settings and listeners, shared by reference with every collaborator."""

    db: Database
    membership: Membership | None
    clock: Callable[[], datetime]
    notify_events: frozenset[str]
    # Preferences from the config, by scope; what people set in chat overrides them.
    default_preferences: dict[str, Mapping[str, Any]]
    limits: Limits = field(default_factory=Limits)
    listeners: list[Listener] = field(default_factory=list)

    async def lock_task(self, session: AsyncSession, task_id: str) -> Task:
        """The task, locked for this transaction, with all its steps (an engine batch that names
        only some loads only those: `lock_for_events`)."""
        stmt = (
            select(Task)
            .where(Task.id == task_id)
            # One round trip for the task, its steps and their substeps.
            .options(joinedload(Task.steps).joinedload(Step.substeps))
            .execution_options(populate_existing=True)
        )
        if self.db.is_postgres:
            # Lock the task row only, not the outer-joined steps.
            stmt = stmt.with_for_update(of=Task)
        task = (await session.execute(stmt)).unique().scalar_one_or_none()
        if task is None:
            raise NotFound(f"there is no task {task_id!r}")
        task.__dict__.pop("_part_steps", None)  # every step is loaded
        return task

    async def lock_for_events(
        self, session: AsyncSession, task_id: str, only_steps: Collection[int] | None
    ) -> tuple[Task, int | Unknown | None]:
        """`lock_task` for an engine batch, with the id of the task's newest approval when it
        comes with the lock at no cost (`UNKNOWN` when not: the caller reads it). With
        `only_steps`, only those steps are loaded and the rest counted (`views.PartSteps`): the
        task's percent then moves by its stored totals, and a change to one step of a big task
        costs what it costs on a small one."""
        if only_steps is None:
            return await self.lock_task(session, task_id), UNKNOWN
        locked = await self.lock_many_for_events(session, {task_id: only_steps})
        if task_id not in locked:
            raise NotFound(f"there is no task {task_id!r}")
        return locked[task_id]

    async def lock_many_for_events(
        self, session: AsyncSession, wanted: Mapping[str, Collection[int]]
    ) -> dict[str, tuple[Task, int | None]]:
        """`lock_for_events` for the batches of a group commit, each task with the steps it
        names, in two statements for them all (three on PostgreSQL); a task that does not exist
        is left out.

        On SQLite writers take turns, so reading first is locking, and the newest approval and
        the steps in the control answer come with each task. PostgreSQL
        locks the task rows in id order (as every group takes them, so two groups never wait on
        each other in a circle) and reads those after the lock."""
        postgres = self.db.is_postgres
        ids = {"task_ids": ids_value(sorted(wanted), postgres=postgres)}
        # Rows the session already holds (a second batch for a task in one transaction, a
        # group that goes again after a rollback) are read afresh over what it has. A fresh
        # session holds none, and reading afresh would cost each object loaded a reset of
        # every relationship it has, about a sixth of a small group's CPU.
        fresh = _READ_AFRESH if session.sync_session.identity_map else {}
        rows = (
            await session.execute(_tasks_with_counts(postgres), ids, execution_options=fresh)
        ).all()
        named = [(task_id, order) for task_id, orders in wanted.items() for order in orders]
        steps: dict[str, list[Step]] = {}
        if named:
            pairs = pairs_values("pairs", named, postgres=postgres)
            loaded = await session.scalars(_steps_of_many(postgres), pairs, execution_options=fresh)
            for step in loaded.unique():
                steps.setdefault(step.task_id, []).append(step)
        if postgres:
            after = {row[0]: row[1:] for row in await session.execute(_state_of_many(), ids)}
            rows = [(row[0], row[1], *after[row[0].id]) for row in rows]
        locked: dict[str, tuple[Task, int | None]] = {}
        for task, count, newest_id, in_control in rows:
            locked[task.id] = (task, newest_id)
            _keep_part(task, count, in_control, steps.get(task.id, []))
        return locked

    async def tell(self, change: TaskChange) -> None:
        """Tell the listeners of a committed change; call only after the transaction ends."""
        for listener in self.listeners:
            try:
                result = listener(change)
                if result is not None:
                    await result
            except Exception:  # a listener's failure must never undo or block a committed change
                logger.exception("task change listener failed for task %s", change.task_id)


def _keep_part(task: Task, count: Any, in_control: str | None, loaded: list[Step]) -> None:
    """Make `task` one loaded with only `loaded` of its steps (`views.PartSteps`)."""
    # Committed, not changed: the steps left out are not removed from the task.
    set_committed_value(task, "steps", sorted(loaded, key=lambda step: step.order))
    task.__dict__["_part_steps"] = PartSteps(
        int(count or 0),
        {
            order: StepState(order, status, attempts)
            for order, status, attempts in json.loads(in_control or "[]")
        },
        {step.order: step_percent(step) for step in loaded},
    )


# The statements of an engine batch's lock, built once with parameters: building a statement
# (and its cache key) costs more than SQLite takes to run it. The tasks' ids and the steps'
# (task, order) pairs are each one parameter (`id_lists`).
# The steps the control answer names: skipped ones, and pending ones already tried.
_IN_CONTROL_COLUMNS = (Step.order, Step.status, Step.attempts)
_IN_CONTROL = or_(Step.status == "skipped", and_(Step.status == "pending", Step.attempts > 0))
_STEP_COUNT = select(func.count(Step.id)).where(Step.task_id == Task.id).scalar_subquery()


def _newest_and_in_control(postgres: bool) -> tuple[ScalarSelect[Any], ScalarSelect[Any]]:
    """For the task of each row: the id of its newest approval, and its steps in the control
    answer as JSON text (`[[order, status, attempts], ...]`; NULL on PostgreSQL when there are
    none)."""
    newest = select(func.max(Approval.id)).where(Approval.task_id == Task.id)
    listed: ColumnElement[Any]
    if postgres:  # as text: the driver would decode JSON, into lists a result cannot hash
        listed = cast(func.json_agg(func.json_build_array(*_IN_CONTROL_COLUMNS)), Text)
    else:
        listed = func.json_group_array(func.json_array(*_IN_CONTROL_COLUMNS))
    in_control = select(listed).where(Step.task_id == Task.id, _IN_CONTROL)
    return newest.scalar_subquery(), in_control.scalar_subquery()


@functools.cache
def _tasks_with_counts(postgres: bool) -> Select[Any]:
    """The tasks with, in the same statement, how many steps each has. On SQLite also the newest
    approval and the steps in the control answer (`_newest_and_in_control`): writers take turns
    there, so nothing commits a change to them between this read and the end of the
    transaction. A PostgreSQL statement reads as of its start, possibly before the lock it
    waited for, so there they are read after the lock (`_state_of_many`)."""
    stmt = select(Task, _STEP_COUNT).where(ids_in(Task.id, "task_ids", postgres=postgres))
    if postgres:
        stmt = stmt.order_by(Task.id).with_for_update(of=Task)
    else:
        stmt = stmt.add_columns(*_newest_and_in_control(False))
    return stmt


_READ_AFRESH = {"populate_existing": True}


@functools.cache
def _state_of_many() -> Select[Any]:
    """PostgreSQL, after the lock: what the SQLite read takes with the tasks."""
    return select(Task.id, *_newest_and_in_control(True)).where(
        ids_in(Task.id, "task_ids", postgres=True)
    )


@functools.cache
def _steps_of_many(postgres: bool) -> Select[Any]:
    """The steps named by (task id, order) pairs, with their substeps."""
    return (
        select(Step)
        .where(pairs_in(Step.task_id, Step.order, "pairs", postgres=postgres))
        # One round trip for the steps and their substeps.
        .options(joinedload(Step.substeps))
    )


@dataclass
class Pending:
    """What one transaction has changed so far, to write history and outbox rows once at the end."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    notices: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    history: list[tuple[int | None, int, str, str]] = field(default_factory=list)
    # `logs` rows (column values), written in one INSERT at the end.
    logs: list[dict[str, Any]] = field(default_factory=list)
    card: bool = False
    # The chat (platform, chat id) a person acted from: they saw the bot's answer there, so that
    # chat gets no notice of their own action (its card still moves).
    origin: tuple[str, str] | None = None


def set_step(step: Step, status: str, p: Pending) -> None:
    if step.status == status:
        return
    check_step(step.order, step.status, status)
    step.status = status
    p.history.append((step.order, step_percent(step), status, status))


def set_task(task: Task, status: str, p: Pending, *, why: str = "") -> None:
    if task.status == status:
        return
    check_task(task.id, task.status, status, why=why)
    task.status = status
    p.history.append((None, task_percent(task), status, status))


def start_task(task: Task, now: datetime, p: Pending) -> None:
    set_task(task, "running", p)
    task.started_at = task.started_at or now
    p.messages.append({"type": "task_started"})
    p.notices.append(("task_started", {}))


def ensure_started(task: Task, now: datetime, p: Pending) -> None:
    """Any sign of life from the engine starts a pending task."""
    if task.status == "pending":
        start_task(task, now, p)


def seed_history(session: AsyncSession, task_id: str, steps: Iterable[Step]) -> None:
    """A new task's first history rows: every step, pending, with no time yet (as the seed)."""
    for step in steps:
        session.add(
            TaskProgress(
                task_id=task_id,
                step=step.order,
                percent=0,
                status="pending",
                event="created",
                updated_at=None,
            )
        )

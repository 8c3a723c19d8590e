"""A task's life as its engine reports it: creating the task, then applying engine events
(started, progress, substeps, steps completed, failed or skipped, logs, approval requests, the
task's end) through the per-event state machine, all or nothing per batch.

Event ids make a batch safe to send again: an id already applied is counted as a duplicate and
changes nothing.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningInsert

from store.errors import Conflict, InvalidEvent, InvalidTransition, NotFound
from store.models import Approval, AuditEntry, ProcessedEvent, Step, Substep, Task
from store.tracker.approvals import Approvals
from store.tracker.contract import EVENT_TYPES, Applied, NewTask, TaskChange
from store.tracker.finish import Finisher
from store.tracker.group_commit import Batch, GroupCommitter, Refused
from store.tracker.subscriptions import Subscriptions
from store.tracker.unit import (
    UNKNOWN,
    Context,
    Pending,
    Unknown,
    ensure_started,
    seed_history,
    set_step,
    set_task,
    start_task,
)
from store.tracker.validation import (
    LOG_LEVELS,
    check_event_sizes,
    current_step,
    nonneg_int,
    percent_of,
    step_of,
    substep_of,
    text,
    validate_new_task,
)
from store.tracker.views import control_dict, step_percent, store_totals

__all__ = ["Lifecycle"]

MAX_STEP_ORDER = 2**31 - 1
# Through the table: one multi-row INSERT, none of the ORM's unit of work.
PROCESSED = cast(Table, ProcessedEvent.__table__)


class Lifecycle:
    def __init__(
        self,
        context: Context,
        subscriptions: Subscriptions,
        approvals: Approvals,
        finisher: Finisher,
    ) -> None:
        self.context = context
        self.subscriptions = subscriptions
        self.approvals = approvals
        self.finisher = finisher
        self.committer = GroupCommitter(context, self.apply_group)

    # ------------------------------------------------------------------ create

    async def create_task(self, spec: NewTask, *, by: str | None = None) -> str:
        context = self.context
        validate_new_task(spec, context.limits)
        now = context.clock()
        for _ in range(5):
            task_id = spec.task_id or secrets.token_hex(6)
            try:
                async with context.db.write() as session:
                    if await session.get(Task, task_id) is not None:
                        if spec.task_id:
                            raise Conflict(f"a task with id {task_id!r} already exists")
                        continue
                    task = _new_task_row(task_id, spec, now)
                    session.add(task)
                    await session.flush()
                    for platform, chat, thread in spec.notify:
                        await self.subscriptions.add(
                            session, task_id, platform, chat, thread, spec.owner
                        )
                    seed_history(session, task_id, task.steps)
                    session.add(AuditEntry(task_id=task_id, action="create", by=by, created_at=now))
                break
            except IntegrityError:
                if spec.task_id:
                    raise Conflict(f"a task with id {task_id!r} already exists") from None
                continue
        else:  # pragma: no cover - five random 48-bit collisions in a row
            raise Conflict("could not allocate a task id")
        await context.tell(TaskChange(task_id, 0, ({"type": "task_created", "task_id": task_id},)))
        return task_id

    # ------------------------------------------------------------------ engine events

    async def apply(self, task_id: str, events: Sequence[Mapping[str, Any]]) -> Applied:
        """Apply one engine event or a batch, all or nothing: durable when this returns, and
        heard by the listeners before. Batches that arrive together share one transaction and
        its statements (`group_commit`, `apply_group`), on both stores.

        On PostgreSQL each request once had its own transaction on its own connection, as one
        writer for them all was slower there while each batch still ran its own statements.
        Sharing them turned that round (`bench/ingest.py`, eight engines, the same minutes on a
        loaded machine: one event per request 4.7 and 3.9 ms of CPU per event over HTTP on
        transactions of their own, 2.9 and 2.3 grouped; batches of 50 0.13-0.16 and 0.09-0.11)."""
        if not events:
            raise InvalidEvent("no events given")
        check_event_sizes(events, self.context.limits)
        return await self.committer.submit(task_id, events)

    async def apply_in(
        self, session: AsyncSession, task_id: str, events: Sequence[Mapping[str, Any]]
    ) -> tuple[Applied, TaskChange | None]:
        """Apply a batch inside the session's transaction (or savepoint); raises to refuse it.
        Returns the answer and the change the listeners must hear once it commits."""
        context = self.context
        task, newest_approval = await context.lock_for_events(
            session, task_id, _steps_touched(events)
        )
        fresh = await _record_event_ids(session, [(task_id, events)], context.db.is_postgres)
        pending = Pending()
        accepted, duplicates = self._apply_events(session, task, events, fresh, pending)
        change = await self.finisher.finish(session, task, pending) if accepted else None
        applied = await self._answer(session, task, events, newest_approval, accepted, duplicates)
        return applied, change

    async def apply_group(
        self, session: AsyncSession, batches: Sequence[Batch]
    ) -> list[tuple[Applied, TaskChange | None]]:
        """Apply the batches of a group commit (`group_commit`) in the session's transaction, as
        `apply_in` one after another would, with each kind of statement run once for them all:
        the lock, the steps, the event ids, the row writes. Raises `Refused` naming the batch
        that is refused. Batches it cannot share statements for (two for one task, or one that
        needs every step) go one by one."""
        touched = [_steps_touched(events) for _, events in batches]
        wanted: dict[str, set[int]] = {}
        for (task_id, _), steps in zip(batches, touched, strict=True):
            if steps is None or task_id in wanted:
                return await self._one_by_one(session, batches)
            wanted[task_id] = steps
        locked = await self.context.lock_many_for_events(session, wanted)
        for index, (task_id, _) in enumerate(batches):
            if task_id not in locked:
                raise Refused(index, NotFound(f"there is no task {task_id!r}"))
        fresh = await _record_event_ids(session, batches, self.context.db.is_postgres)
        pendings: list[Pending] = []
        counts: list[tuple[int, int]] = []
        for index, (task_id, events) in enumerate(batches):
            pending = Pending()
            try:
                counts.append(
                    self._apply_events(session, locked[task_id][0], events, fresh, pending)
                )
            except Exception as exc:
                raise Refused(index, exc) from exc
            pendings.append(pending)
        changed = [
            (locked[task_id][0], pending)
            for (task_id, _), pending, (accepted, _) in zip(batches, pendings, counts, strict=True)
            if accepted
        ]
        changes = iter(await self.finisher.finish_many(session, changed))
        results: list[tuple[Applied, TaskChange | None]] = []
        for (task_id, events), (accepted, duplicates) in zip(batches, counts, strict=True):
            task, newest = locked[task_id]
            applied = await self._answer(session, task, events, newest, accepted, duplicates)
            results.append((applied, next(changes) if accepted else None))
        return results

    async def _one_by_one(
        self, session: AsyncSession, batches: Sequence[Batch]
    ) -> list[tuple[Applied, TaskChange | None]]:
        results = []
        for index, (task_id, events) in enumerate(batches):
            try:
                results.append(await self.apply_in(session, task_id, events))
            except Exception as exc:
                raise Refused(index, exc) from exc
        return results

    def _apply_events(
        self,
        session: AsyncSession,
        task: Task,
        events: Sequence[Mapping[str, Any]],
        fresh: set[tuple[str, str]],
        pending: Pending,
    ) -> tuple[int, int]:
        """Run a batch's events through the state machine; returns how many were accepted and
        how many were duplicates. `fresh`: the (task, event id) pairs not applied before, of
        which this takes those it applies."""
        accepted = duplicates = 0
        for index, event in enumerate(events):
            where = f"event {index}: " if len(events) > 1 else ""
            if not isinstance(event, Mapping):
                raise InvalidEvent(f"{where}an event must be a JSON object")
            event_id = event.get("event_id")
            if event_id is not None:
                if not isinstance(event_id, str) or not 0 < len(event_id) <= 200:
                    raise InvalidEvent(f"{where}event_id must be a string of 1-200 characters")
                if (task.id, event_id) not in fresh:  # applied before, or earlier in this batch
                    duplicates += 1
                    continue
                fresh.discard((task.id, event_id))
            try:
                self._apply_one(session, task, event, pending)
            except (InvalidEvent, InvalidTransition, NotFound) as exc:
                raise type(exc)(f"{where}{exc}") from None
            accepted += 1
        return accepted, duplicates

    async def _answer(
        self,
        session: AsyncSession,
        task: Task,
        events: Sequence[Mapping[str, Any]],
        newest_approval: int | Unknown | None,
        accepted: int,
        duplicates: int,
    ) -> Applied:
        """The engine's answer: the counts and the control state, with the newest approval."""
        approval: Approval | None
        if newest_approval is UNKNOWN or _opens_approvals(events):
            approval = await session.scalar(_NEWEST_APPROVAL, {"task_id": task.id})
        elif newest_approval is None:
            approval = None
        else:
            approval = await session.get(Approval, newest_approval)
        control = control_dict(task, approval)
        return Applied(accepted=accepted, duplicates=duplicates, control=control)

    def _apply_one(
        self, session: AsyncSession, task: Task, event: Mapping[str, Any], p: Pending
    ) -> None:
        kind = event.get("type")
        if kind not in EVENT_TYPES:
            raise InvalidEvent(
                f"unknown event type {kind!r}; expected one of: {', '.join(EVENT_TYPES)}"
            )
        now = self.context.clock()
        if kind == "log":
            _log(session, task, event, now, p)
            return
        if task.status in ("completed", "cancelled"):
            raise InvalidTransition(f"task {task.id} is {task.status}; it accepts no more events")
        if kind == "task_started":
            if task.status != "pending":
                raise InvalidTransition(f"task {task.id} has already started ({task.status})")
            start_task(task, now, p)
        elif kind == "progress":
            task.reported_percent = percent_of(event)
            eta_hint = event.get("eta_seconds")
            if eta_hint is not None:
                p.messages.append({"type": "eta", "eta_seconds": nonneg_int(eta_hint, "eta")})
            ensure_started(task, now, p)
            p.card = True
        elif kind == "step_started":
            step = step_of(task, event)
            ensure_started(task, now, p)
            set_step(step, "paused" if task.status == "paused" else "running", p)
            step.started_at = now
            step.finished_at = None
            step.error = None
            step.attempts += 1
            p.messages.append({"type": "step_started", "step": step.order})
        elif kind == "step_progress":
            step = step_of(task, event)
            _ensure_step_running(task, step, now, p)
            step.reported_percent = percent_of(event)
            p.history.append((step.order, step_percent(step), step.status, "step_progress"))
        elif kind == "substep_done":
            step = step_of(task, event)
            substep = substep_of(step, event)
            _ensure_step_running(task, step, now, p)
            if not substep.done:
                substep.done = True
                substep.done_at = now
                p.history.append((step.order, step_percent(step), step.status, "substep_done"))
                p.messages.append(
                    {"type": "substep_done", "step": step.order, "substep": substep.name}
                )
        elif kind == "step_completed":
            step = step_of(task, event)
            if step.status == "approval":
                raise InvalidTransition(f"step {step.order} is waiting for approval")
            if step.status == "completed":
                # Completing again would move its finish time and tell everyone a second time.
                raise InvalidTransition(f"step {step.order} is already completed")
            ensure_started(task, now, p)
            set_step(step, "completed", p)
            step.started_at = step.started_at or now
            step.finished_at = now
            for sub in step.substeps:
                if not sub.done:
                    sub.done, sub.done_at = True, now
            p.messages.append({"type": "step_complete", "step": step.order})
            p.notices.append(("step_completed", {"step": step.order}))
        elif kind == "step_failed":
            step = step_of(task, event)
            error = text(event.get("error"), "error") or "unknown error"
            _fail(task, step, error, now, p)
        elif kind == "step_skipped":
            step = step_of(task, event)
            set_step(step, "skipped", p)
            step.finished_at = now
            p.messages.append({"type": "step_skipped", "step": step.order})
            if task.status == "failed":
                set_task(task, "running", p, why="the failed step was skipped")
        elif kind == "approval_requested":
            self.approvals.request(session, task, event, now, p)
        elif kind == "task_completed":
            ensure_started(task, now, p)
            if task.status == "failed":
                raise InvalidTransition(f"task {task.id} has failed; retry or skip the step first")
            for step in task.steps:
                if step.status in ("running", "paused"):
                    set_step(step, "completed", p)
                    step.finished_at = now
            set_task(task, "completed", p)
            task.finished_at = now
            task.result = event.get("result")
            task.reported_percent = 100
            p.messages.append({"type": "task_complete", "result": task.result})
            p.notices.append(("task_completed", {}))
        elif kind == "task_failed":
            error = text(event.get("error"), "error") or "unknown error"
            failed = step_of(task, event) if event.get("step") is not None else current_step(task)
            _fail(task, failed, error, now, p)


# Built once: a batch that opens an approval reads it back, as does one that needs every step,
# and building the statement (and its cache key) costs more than running it.
_NEWEST_APPROVAL = (
    select(Approval)
    .where(Approval.task_id == bindparam("task_id"))
    .order_by(Approval.id.desc())
    .limit(1)
)


def _opens_approvals(events: Sequence[Any]) -> bool:
    """Does the batch ask for an approval (a new newest one, read after it is written)?"""
    return any(isinstance(e, Mapping) and e.get("type") == "approval_requested" for e in events)


def _steps_touched(events: Sequence[Any]) -> set[int] | None:
    """The steps a batch names, to load only those; None when it needs every step (the task's
    end moves every running step; a failure without a step looks for the current one)."""
    touched: set[int] = set()
    for event in events:
        if not isinstance(event, Mapping):
            return None
        kind, step = event.get("type"), event.get("step")
        if kind == "task_completed" or (kind == "task_failed" and step is None):
            return None
        if step is None:
            continue
        if isinstance(step, bool) or not isinstance(step, int):
            return None  # refused anyway, with the full picture in the message
        if 0 < step <= MAX_STEP_ORDER:
            touched.add(step)  # beyond that no step exists, and no database integer holds it
    return touched


def _new_task_row(task_id: str, spec: NewTask, now: datetime) -> Task:
    policy = {
        "approvers": list(spec.approvers),
        "quorum": spec.quorum,
        "allow_self_approval": spec.allow_self_approval,
        "expires_seconds": spec.approval_expires_seconds,
    }
    task = Task(
        id=task_id,
        title=spec.title,
        short_name=spec.short_name,
        kind=spec.kind,
        owner=spec.owner,
        team=spec.team,
        status="pending",
        percent=0,
        complexity=dict(spec.complexity) if spec.complexity else None,
        approval_policy=policy,
        workspace=spec.workspace,
        created_by_token=spec.created_by_token,
        created_at=now,
        updated_at=now,
        version=0,
        attempt=1,
    )
    for order, new_step in enumerate(spec.steps, start=1):
        step = Step(
            order=order,
            name=new_step.name,
            done_label=new_step.done_label,
            weight=new_step.weight,
            estimate_seconds=new_step.estimate_seconds,
            status="pending",
            attempts=0,
        )
        step.substeps = [
            Substep(order=i, name=name, label=label, done=False)
            for i, (name, label) in enumerate(new_step.substeps, start=1)
        ]
        task.steps.append(step)
    store_totals(task)
    return task


async def _record_event_ids(
    session: AsyncSession,
    batches: Sequence[Batch],
    postgres: bool,
) -> set[tuple[str, str]]:
    """Record the batches' well-formed event ids and return those not applied before, as (task
    id, event id), in one statement where a look-up and then an insert took two. Recording them
    before the events are applied is safe: a batch that is refused takes its rows back with it
    (its transaction or savepoint is rolled back), and the task's lock keeps anyone else from
    recording them."""
    rows = [
        {"task_id": task_id, "event_id": event_id}
        for task_id, events in batches
        for event_id in dict.fromkeys(e.get("event_id") for e in events if isinstance(e, Mapping))
        if isinstance(event_id, str) and 0 < len(event_id) <= 200
    ]
    if not rows:
        return set()
    statement = _record_ids_statement(postgres)
    # On the sync side: a RETURNING of many rows leaves the driver's cursor open until it is
    # read, and the async wrapper would then try to close a standard library cursor (a group
    # commit on a SQLite file runs over that driver) as if it were an async one. On the
    # session's connection: the session would first check for objects to flush, and there are
    # none right after the lock.
    return await session.run_sync(
        lambda sync: {(task, event) for task, event in sync.connection().execute(statement, rows)}
    )


@functools.cache
def _record_ids_statement(postgres: bool) -> ReturningInsert[str, str]:
    """INSERT of event ids that skips those already there and returns the ones it wrote. Built
    once: building a statement (and its cache key) costs more than SQLite takes to run it."""
    insert = postgresql.insert if postgres else sqlite.insert
    return (
        insert(PROCESSED)
        .on_conflict_do_nothing()
        .returning(PROCESSED.c.task_id, PROCESSED.c.event_id)
    )


def _log(
    session: AsyncSession,
    task: Task,
    event: Mapping[str, Any],
    now: datetime,
    p: Pending,
) -> None:
    message = text(event.get("message"), "message")
    if not message:
        raise InvalidEvent("a log event needs a non-empty message")
    level = str(event.get("level") or "info").lower()
    if level not in LOG_LEVELS:
        raise InvalidEvent(f"log level {level!r} is not one of {', '.join(sorted(LOG_LEVELS))}")
    step_no = step_of(task, event).order if event.get("step") is not None else None
    p.logs.append(
        {"task_id": task.id, "step": step_no, "level": level, "message": message, "created_at": now}
    )
    p.messages.append({"type": "log", "step": step_no, "level": level, "message": message})


def _ensure_step_running(task: Task, step: Step, now: datetime, p: Pending) -> None:
    """Progress on a step that has not started starts it; on a finished one it is refused."""
    ensure_started(task, now, p)
    if step.status == "pending":
        set_step(step, "paused" if task.status == "paused" else "running", p)
        step.started_at = now
        step.attempts += 1
    elif step.status not in ("running", "paused"):
        raise InvalidTransition(f"step {step.order} is {step.status}, not running")


def _fail(task: Task, step: Step | None, error: str, now: datetime, p: Pending) -> None:
    ensure_started(task, now, p)
    if step is not None:
        set_step(step, "failed", p)
        step.error = error
        step.finished_at = now
        p.messages.append({"type": "step_failed", "step": step.order, "error": error})
    if task.status != "failed":
        set_task(task, "failed", p)
        task.error = error
        p.messages.append(
            {"type": "task_failed", "step": step.order if step else None, "error": error}
        )
        p.notices.append(("task_failed", {"step": step.order if step else None}))

"""The controls people and the API use on a task: pause, resume, cancel, restart (a new attempt
as a new task), retry or skip a failed step; and the control answer an engine polls.

Each control is one transaction under the task's lock with an audit entry saying who did it,
from where and why.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from store.errors import InvalidTransition, NotFound
from store.models import Approval, AuditEntry, Step, Substep, Task
from store.tracker.contract import TaskChange
from store.tracker.finish import Finisher
from store.tracker.subscriptions import Subscriptions
from store.tracker.unit import Context, Pending, seed_history, set_step, set_task
from store.tracker.validation import step_of, text
from store.tracker.views import control_dict, store_totals

__all__ = ["Controls"]

Change = Callable[[Task, Pending, datetime], Awaitable[None]]


class Controls:
    def __init__(self, context: Context, subscriptions: Subscriptions, finisher: Finisher) -> None:
        self.context = context
        self.subscriptions = subscriptions
        self.finisher = finisher

    async def pause(
        self,
        task_id: str,
        *,
        by: str | None = None,
        via: str | None = None,
        reason: str | None = None,
        origin: tuple[str, str] | None = None,
    ) -> None:
        async def change(task: Task, p: Pending, now: datetime) -> None:
            if task.status not in ("pending", "running"):
                raise InvalidTransition(
                    f"task {task_id} is {task.status}; only a running task can be paused"
                )
            set_task(task, "paused", p)
            for step in task.steps:
                if step.status == "running":
                    set_step(step, "paused", p)
            p.messages.append({"type": "paused", "by": by})
            p.notices.append(("paused", {"by": by}))

        await self._change(task_id, "pause", change, by=by, via=via, reason=reason, origin=origin)

    async def resume(
        self,
        task_id: str,
        *,
        by: str | None = None,
        via: str | None = None,
        reason: str | None = None,
        origin: tuple[str, str] | None = None,
    ) -> None:
        async def change(task: Task, p: Pending, now: datetime) -> None:
            if task.status != "paused":
                raise InvalidTransition(
                    f"task {task_id} is {task.status}, not paused; nothing to resume"
                )
            set_task(task, "running" if task.started_at else "pending", p)
            for step in task.steps:
                if step.status == "paused":
                    set_step(step, "running", p)
            p.messages.append({"type": "resumed", "by": by})
            p.notices.append(("resumed", {"by": by}))

        await self._change(task_id, "resume", change, by=by, via=via, reason=reason, origin=origin)

    async def cancel(
        self,
        task_id: str,
        *,
        by: str | None = None,
        via: str | None = None,
        reason: str | None = None,
        origin: tuple[str, str] | None = None,
    ) -> None:
        async def change(task: Task, p: Pending, now: datetime) -> None:
            self._cancel(task, now, p, by=by)

        await self._change(task_id, "cancel", change, by=by, via=via, reason=reason, origin=origin)

    @staticmethod
    def _cancel(task: Task, now: datetime, p: Pending, *, by: str | None) -> None:
        if task.status in ("completed", "cancelled"):
            raise InvalidTransition(f"task {task.id} is already {task.status}")
        set_task(task, "cancelled", p)
        task.finished_at = now
        for step in task.steps:
            # Every step still under way ends with the task: none is left showing as running.
            if step.status in ("approval", "running", "paused"):
                waiting = "waiting for approval" if step.status == "approval" else step.status
                set_step(step, "failed", p)
                step.error = f"cancelled while {waiting}"
                step.finished_at = step.finished_at or now
        p.messages.append({"type": "cancelled", "by": by})
        p.notices.append(("cancelled", {"by": by}))

    async def restart(
        self,
        task_id: str,
        *,
        by: str | None = None,
        via: str | None = None,
        reason: str | None = None,
        origin: tuple[str, str] | None = None,
    ) -> str:
        """Cancel the task (when still active) and start over: a new attempt, same steps."""
        context = self.context
        now = context.clock()
        new_id = secrets.token_hex(6)
        async with context.db.write() as session:
            task = await context.lock_task(session, task_id)
            # Under the task's lock: a restart sent twice (or ten times at once) finds the
            # successor the first one made and answers with it, changing nothing.
            successor = await session.scalar(
                select(Task.id).where(Task.previous_task_id == task_id).limit(1)
            )
            if successor is not None:
                return str(successor)
            p = Pending(origin=origin)
            if task.status == "completed":
                raise InvalidTransition(
                    f"task {task_id} is completed; there is nothing to start over"
                )
            if task.status != "cancelled":
                self._cancel(task, now, p, by=by)
            fresh = _next_attempt(task, new_id, now)
            session.add(fresh)
            await session.flush()
            await self.subscriptions.copy(session, task.id, new_id)
            seed_history(session, new_id, fresh.steps)
            session.add(
                AuditEntry(
                    task_id=task.id, action="restart", by=by, via=via, reason=reason, created_at=now
                )
            )
            session.add(
                AuditEntry(
                    task_id=new_id,
                    action="create",
                    by=by,
                    via=via,
                    reason=f"restart of {task.id}",
                    created_at=now,
                )
            )
            p.messages.append({"type": "restarted", "new_task_id": new_id, "by": by})
            p.notices.append(("restarted", {"new_task_id": new_id, "by": by}))
            change = await self.finisher.finish(session, task, p)
        await context.tell(change)
        await context.tell(TaskChange(new_id, 0, ({"type": "task_created", "task_id": new_id},)))
        return new_id

    async def retry_step(
        self,
        task_id: str,
        step: int,
        *,
        by: str | None = None,
        via: str | None = None,
        reason: str | None = None,
    ) -> None:
        async def change(task: Task, p: Pending, now: datetime) -> None:
            target = step_of(task, {"step": step})
            if target.status != "failed":
                raise InvalidTransition(
                    f"step {step} is {target.status}; only a failed step can be retried"
                )
            set_step(target, "pending", p)
            target.reported_percent = None
            target.finished_at = None
            if task.status == "failed":
                set_task(task, "running", p, why="retry")
                task.error = None
            p.messages.append({"type": "step_retry", "step": step, "by": by})

        await self._change(task_id, "retry", change, by=by, via=via, reason=reason, step=step)

    async def skip_step(
        self,
        task_id: str,
        step: int,
        *,
        by: str | None = None,
        via: str | None = None,
        reason: str | None = None,
    ) -> None:
        async def change(task: Task, p: Pending, now: datetime) -> None:
            target = step_of(task, {"step": step})
            if target.status not in ("failed", "pending"):
                raise InvalidTransition(
                    f"step {step} is {target.status}; only a failed or pending step can be skipped"
                )
            set_step(target, "skipped", p)
            target.finished_at = now
            if task.status == "failed":
                set_task(task, "running", p, why="skip")
                task.error = None
            p.messages.append({"type": "step_skipped", "step": step, "by": by})

        await self._change(task_id, "skip", change, by=by, via=via, reason=reason, step=step)

    async def _change(
        self,
        task_id: str,
        action: str,
        change: Change,
        *,
        by: str | None,
        via: str | None,
        reason: str | None,
        step: int | None = None,
        origin: tuple[str, str] | None = None,
    ) -> None:
        """Run one control under the task's lock, audited, and tell the listeners after."""
        context = self.context
        now = context.clock()
        async with context.db.write() as session:
            task = await context.lock_task(session, task_id)
            p = Pending(origin=origin)
            await change(task, p, now)
            session.add(
                AuditEntry(
                    task_id=task_id,
                    action=action,
                    step=step,
                    by=by,
                    via=via,
                    reason=text(reason, "reason"),
                    created_at=now,
                )
            )
            result = await self.finisher.finish(session, task, p)
        await context.tell(result)

    async def control(self, task_id: str) -> dict[str, Any]:
        """What the engine must do now, with the latest approval and any restart's new id."""
        async with self.context.db.read() as session:
            task = await session.scalar(
                select(Task).where(Task.id == task_id).options(selectinload(Task.steps))
            )
            if task is None:
                raise NotFound(f"there is no task {task_id!r}")
            approval = await session.scalar(
                select(Approval)
                .where(Approval.task_id == task_id)
                .order_by(Approval.id.desc())
                .limit(1)
            )
            restarted_as = None
            if task.status == "cancelled":
                restarted_as = await session.scalar(
                    select(Task.id).where(Task.previous_task_id == task_id).limit(1)
                )
            return control_dict(task, approval, restarted_as)


def _next_attempt(task: Task, new_id: str, now: datetime) -> Task:
    """A fresh copy of `task` as its next attempt: same steps, nothing done yet."""
    fresh = Task(
        id=new_id,
        title=task.title,
        short_name=task.short_name,
        kind=task.kind,
        owner=task.owner,
        team=task.team,
        status="pending",
        percent=0,
        complexity=task.complexity,
        approval_policy=task.approval_policy,
        workspace=task.workspace,
        created_by_token=task.created_by_token,
        attempt=task.attempt + 1,
        previous_task_id=task.id,
        created_at=now,
        updated_at=now,
        version=0,
    )
    for old in task.steps:
        step = Step(
            order=old.order,
            name=old.name,
            done_label=old.done_label,
            weight=old.weight,
            estimate_seconds=old.estimate_seconds,
            status="pending",
            attempts=0,
        )
        step.substeps = [
            Substep(order=s.order, name=s.name, label=s.label, done=False) for s in old.substeps
        ]
        fresh.steps.append(step)
    store_totals(fresh)
    return fresh

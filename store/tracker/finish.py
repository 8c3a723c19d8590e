"""Closing a change inside its transaction: the history rows, the new version and percent, the
outbox rows, and the `TaskChange` the listeners hear once the transaction has committed.

Every writer of task state (events, controls, decisions, expiry) ends its change here, so all of
them record history and fan out the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Approval, ApprovalApprover, LogEntry, Task, TaskProgress
from store.tracker.contract import TaskChange
from store.tracker.fanout import Fanout
from store.tracker.row_writes import write_rows
from store.tracker.unit import Context, Pending
from store.tracker.views import approval_dict, store_totals

__all__ = ["Finisher", "stop_waiting"]

# Rows nothing reads back go in through the tables, not the ORM (`row_writes`): one multi-row
# INSERT each, with no unit of work and no RETURNING (an ORM bulk insert would also split the
# rows whose `step` is None into a statement of their own).
HISTORY = cast(Table, TaskProgress.__table__)
LOGS = cast(Table, LogEntry.__table__)

# A task in one of these waits on nobody, whatever its approvals still say.
ENDED = ("completed", "failed", "cancelled")


class Finisher:
    def __init__(self, context: Context, fanout: Fanout) -> None:
        self.context = context
        self.fanout = fanout

    async def finish(self, session: AsyncSession, task: Task, p: Pending) -> TaskChange:
        """Write history and outbox rows for what changed, bump the version, flush."""
        (change,) = await self.finish_many(session, [(task, p)])
        return change

    async def finish_many(
        self, session: AsyncSession, changes: Sequence[tuple[Task, Pending]]
    ) -> list[TaskChange]:
        """`finish` for the changes to several tasks in one transaction (a group commit's, each
        task once), their rows written together: one statement per table and set of columns."""
        now = self.context.clock()
        history: list[dict[str, Any]] = []
        logs: list[dict[str, Any]] = []
        changed: list[Task] = []
        for task, p in changes:
            task.version += 1
            task.updated_at = now
            store_totals(task)
            history.extend(_history_rows(task, p, now))
            logs.extend(p.logs)
            if _changed_state(p):
                changed.append(task)
        # The tasks' and steps' changes with them, before any statement that would autoflush
        # them through the unit of work; on PostgreSQL in one round trip, with the read of the
        # targets the outbox rows go to.
        # (The history rows in one INSERT of many rows: through the ORM each would be an INSERT
        # of its own with RETURNING, and nothing reads their ids here.)
        targets = await write_rows(
            session,
            [task for task, _ in changes],
            [(HISTORY, history), (LOGS, logs)],
            # (A group's read of its tasks' targets takes their ids as one array parameter,
            # which the one statement's text, rendered once per shape, holds as well.)
            one_statement=self.context.db.is_postgres,
            then=self.fanout.targets_read(changed) if changed else None,
        )
        by_task: dict[str, list[Any]] = {}
        for row in targets:
            by_task.setdefault(row[-1], []).append(row)
        outboxes = []
        for task, p in changes:
            if task.status in ENDED:
                await _stop_waiting(session, task)
            outboxes.append(
                await self.fanout.write_outbox(session, task, p, now, by_task.get(task.id, []))
                if _changed_state(p)
                else 0
            )
        await session.flush()
        return [
            _task_change(task, p, outbox)
            for (task, p), outbox in zip(changes, outboxes, strict=True)
        ]


def _changed_state(p: Pending) -> bool:
    """Did the change move anything a chat shows (not only log lines)?"""
    return bool(p.history) or p.card or bool(p.notices)


def _history_rows(task: Task, p: Pending, now: datetime) -> list[dict[str, Any]]:
    rows = [
        {
            "task_id": task.id,
            "step": step_no,
            "percent": percent,
            "status": status,
            "event": event,
            "updated_at": now,
        }
        for step_no, percent, status, event in p.history
    ]
    if _changed_state(p) and not any(h[0] is None for h in p.history):
        # No task-level row yet: add one so the history shows the task's new percent.
        rows.append(
            {
                "task_id": task.id,
                "step": None,
                "percent": task.percent,
                "status": task.status,
                "event": "progress",
                "updated_at": now,
            }
        )
    return rows


def _task_change(task: Task, p: Pending, outbox: int) -> TaskChange:
    """What the listeners hear of a change, once it has committed (after the flush: an approval's
    id is known only then)."""
    messages = []
    for message in p.messages:
        message = dict(message)
        approval = message.get("approval")
        if isinstance(approval, Approval):
            # Listeners get plain JSON.
            message["approval"] = approval_dict(approval)
        messages.append(message)
    if _changed_state(p):
        messages.append({"type": "progress", "percent": task.percent, "status": task.status})
    for message in messages:
        message.setdefault("task_id", task.id)
        message["version"] = task.version
    return TaskChange(task.id, task.version, tuple(messages), outbox)


async def _stop_waiting(session: AsyncSession, task: Task) -> None:
    """A task that ended (cancelled, failed, finished) while a step waited for approval no longer
    waits on its approvers: "is anything waiting on me?" must not list it, nor may they name
    it for that reason alone."""
    pending = select(Approval.id).where(Approval.task_id == task.id, Approval.status == "pending")
    await stop_waiting(session, pending)


async def stop_waiting(session: AsyncSession, approval_ids: Any) -> None:
    """The approver rows of these approvals (a list of ids, or a select of them) wait on
    nobody any more, in the same transaction as what ended them."""
    await session.execute(
        update(ApprovalApprover)
        .where(ApprovalApprover.approval_id.in_(approval_ids), ApprovalApprover.pending.is_(True))
        .values(pending=False)
    )

"""Approvals: opening one when the engine asks, recording each approver's decision against the
task's policy (approvers, quorum, self-approval), and expiring those past their deadline.

A decision or an expiry moves the waiting step and the task on (running, or failed) in the same
transaction as the approval row itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from store.errors import Conflict, Forbidden, InvalidEvent, InvalidTransition, NotFound
from store.models import Approval, ApprovalApprover, ApprovalDecision, Task
from store.tracker.contract import Decision, TaskChange
from store.tracker.finish import Finisher, stop_waiting
from store.tracker.unit import Context, Pending, ensure_started, set_step, set_task
from store.tracker.validation import step_of, text

__all__ = ["Approvals"]


class Approvals:
    def __init__(self, context: Context, finisher: Finisher) -> None:
        self.context = context
        self.finisher = finisher

    def request(
        self,
        session: AsyncSession,
        task: Task,
        event: Mapping[str, Any],
        now: datetime,
        p: Pending,
    ) -> None:
        """The engine's `approval_requested` event: open an approval under the task's policy."""
        step = step_of(task, event)
        if task.status == "approval":
            raise InvalidTransition(f"task {task.id} is already waiting for an approval")
        ensure_started(task, now, p)
        policy = task.approval_policy or {}
        approvers = list(policy.get("approvers") or ([task.owner] if task.owner else []))
        expires = policy.get("expires_seconds")
        approval = Approval(
            task_id=task.id,
            step=step.order,
            prompt=text(event.get("prompt"), "prompt"),
            status="pending",
            approvers=approvers,
            quorum=int(policy.get("quorum") or 1),
            allow_self_approval=bool(policy.get("allow_self_approval", True)),
            requested_at=now,
            expires_at=now + timedelta(seconds=int(expires)) if expires else None,
        )
        approval.approver_rows = [
            ApprovalApprover(approver=name, task_id=task.id, pending=True)
            for name in dict.fromkeys(str(n)[:100] for n in approvers if n)
        ]
        session.add(approval)
        if step.status == "pending":
            step.started_at = now
            step.attempts += 1
        set_step(step, "approval", p)
        set_task(task, "approval", p)
        p.messages.append({"type": "approval_needed", "step": step.order, "approval": approval})
        p.notices.append(("approval_requested", {"step": step.order, "approval": approval}))

    async def decide(
        self,
        approval_id: int,
        decision: str,
        *,
        by: str | None,
        via: str | None = None,
        reason: str | None = None,
        origin: tuple[str, str] | None = None,
    ) -> Decision:
        """Record one approver's decision. Raises Conflict when the approval was already decided."""
        if decision not in ("approve", "reject"):
            raise InvalidEvent(f"decision must be 'approve' or 'reject', not {decision!r}")
        context = self.context
        now = context.clock()
        expired: TaskChange | None = None
        async with context.db.write() as session:
            found = await session.get(Approval, approval_id)
            if found is None:
                raise NotFound(f"there is no approval {approval_id}")
            task = await context.lock_task(session, found.task_id)
            # Re-read under the task lock: a concurrent decision may have landed meanwhile.
            approval = await session.scalar(
                select(Approval)
                .where(Approval.id == approval_id)
                .options(selectinload(Approval.decisions))
                .execution_options(populate_existing=True)
            )
            assert approval is not None
            if approval.status != "pending":
                who = f" by {approval.decided_by}" if approval.decided_by else ""
                raise Conflict(f"this approval was already {approval.status}{who}")
            p = Pending(origin=origin)
            if approval.expires_at is not None and now >= approval.expires_at:
                # The expiry is a change of its own: it is committed, the late decision refused.
                self._expire(task, approval, now, p)
                expired = await self.finisher.finish(session, task, p)
            else:
                result = self._record(task, approval, decision, by, via, reason, now, p)
                change = await self.finisher.finish(session, task, p)
            await _settle(session, approval)
        if expired is not None:
            await context.tell(expired)
            raise Conflict("this approval has expired")
        await context.tell(change)
        return result

    def _record(
        self,
        task: Task,
        approval: Approval,
        decision: str,
        by: str | None,
        via: str | None,
        reason: str | None,
        now: datetime,
        p: Pending,
    ) -> Decision:
        if by is not None:
            self._check_approver(task, approval, by)
            if any(d.person == by for d in approval.decisions):
                raise Conflict(f"{by} has already decided on this approval")
        who = by or "api"
        reason = text(reason, "reason")
        approval.decisions.append(
            ApprovalDecision(person=who, decision=decision, reason=reason, via=via, created_at=now)
        )
        approvals = sum(1 for d in approval.decisions if d.decision == "approve")
        step = step_of(task, {"step": approval.step})
        if decision == "reject":
            approval.status = "rejected"
            error = f"Rejected by {who}" + (f": {reason}" if reason else "")
            set_step(step, "failed", p)
            step.error = error
            step.finished_at = now
            set_task(task, "failed", p)
            task.error = error
        elif approvals >= approval.quorum:
            approval.status = "approved"
            set_step(step, "running", p)
            set_task(task, "running", p)
        if approval.status != "pending":
            approval.decided_at, approval.decided_by, approval.reason = now, who, reason
            p.messages.append({"type": "approval_decided", "approval": approval})
            p.notices.append(("approval_decided", {"approval": approval}))
        else:
            p.messages.append({"type": "approval_vote", "approval": approval, "by": who})
        return Decision(
            approval.id, task.id, approval.status, approval.decided_by, approval.reason, approvals
        )

    def _check_approver(self, task: Task, approval: Approval, person: str) -> None:
        membership = self.context.membership
        teams = membership.teams_of(person) if membership else frozenset()
        allowed = set(approval.approvers or [])
        if person not in allowed and not (teams & allowed):
            raise Forbidden(f"{person} is not an approver of this task")
        if not approval.allow_self_approval and person == task.owner:
            raise Forbidden(f"{person} owns this task and may not approve it")

    def _expire(self, task: Task, approval: Approval, now: datetime, p: Pending) -> None:
        approval.status = "expired"
        approval.decided_at = now
        step = step_of(task, {"step": approval.step})
        set_step(step, "failed", p)
        step.error = "the approval expired"
        set_task(task, "failed", p)
        task.error = "the approval expired"
        p.messages.append({"type": "approval_decided", "approval": approval})
        p.notices.append(("approval_decided", {"approval": approval}))

    async def expire_approvals(self) -> int:
        """Expire every pending approval past its deadline; returns how many."""
        context = self.context
        now = context.clock()
        async with context.db.read() as session:
            due = list(
                await session.scalars(
                    select(Approval.id).where(
                        Approval.status == "pending", Approval.expires_at <= now
                    )
                )
            )
        expired = 0
        for approval_id in due:
            # Each in its own transaction under its task's lock, checked again there: a decision
            # may have landed since the read above.
            async with context.db.write() as session:
                approval = await session.get(Approval, approval_id)
                if approval is None or approval.status != "pending":
                    continue
                task = await context.lock_task(session, approval.task_id)
                await session.refresh(approval)
                if approval.status != "pending":
                    continue
                p = Pending()
                self._expire(task, approval, now, p)
                change = await self.finisher.finish(session, task, p)
                await _settle(session, approval)
            await context.tell(change)
            expired += 1
        return expired


async def _settle(session: AsyncSession, approval: Approval) -> None:
    """An approval decided or expired no longer waits on anyone: its approver rows say so, in
    the same transaction as its status."""
    if approval.status != "pending":
        await stop_waiting(session, [approval.id])

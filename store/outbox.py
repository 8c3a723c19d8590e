"""The notification outbox: leasing targets, reading their due rows in order, recording results.

One sender per target at a time: a worker leases a target (a row lock with SKIP LOCKED on
PostgreSQL, so two workers never wait on each other), sends that target's rows in id order, and
records each result before the next. A worker that dies leaves its lease to expire; only the row
it was sending at that moment can be sent twice.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update

from store.db import Database
from store.models import LiveMessage, OutboxRow, Subscription, Target

__all__ = ["HeldRow", "Outbox", "OutboxItem", "TargetLease", "waiting_reason"]


@dataclass(frozen=True, slots=True)
class TargetLease:
    target_id: int
    platform: str
    chat: str
    thread: str | None


@dataclass(frozen=True, slots=True)
class HeldRow:
    row_id: int
    target_id: int
    platform: str
    chat: str
    thread: str | None
    person: str | None


@dataclass(frozen=True, slots=True)
class OutboxItem:
    id: int
    task_id: str
    target_id: int
    kind: str  # notice | card
    event: str
    payload: dict[str, Any]
    attempts: int
    next_attempt_at: datetime
    person: str | None  # the subscriber, for links that act as someone
    held: bool = False


# Built once: an idle notifier asks only this on each tick, and building a statement costs more
# than running it (the index on (status, next_attempt_at) answers it).
_ANY_PENDING = select(OutboxRow.id).where(OutboxRow.status == "pending").limit(1)


class Outbox:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def any_pending(self) -> bool:
        """Whether any notice waits to go: due, held for quiet hours, or backing off."""
        async with self.db.read() as session:
            return (await session.execute(_ANY_PENDING)).first() is not None

    async def lease_targets(
        self,
        worker: str,
        *,
        now: datetime,
        lease_seconds: float,
        limit: int = 50,
        platforms: Collection[str] | None = None,
        exclude: Collection[int] = (),
    ) -> list[TargetLease]:
        """Lease up to `limit` enabled targets that have rows due and no live lease.

        The oldest due work goes first, whatever the target ids, so a backlog on old targets
        never starves newer ones. A target whose `next_send_at` (set on release) is still ahead
        is left to the worker that sent there last; `exclude` names targets the caller leaves
        alone for now. With `platforms`, targets of other platforms are parked: they
        take no lease slot until a worker running their channel asks.
        """
        due = (
            select(
                OutboxRow.target_id.label("target_id"),
                func.min(OutboxRow.next_attempt_at).label("oldest"),
            )
            .where(OutboxRow.status == "pending", OutboxRow.next_attempt_at <= now)
            .group_by(OutboxRow.target_id)
            .subquery()
        )
        stmt = (
            select(Target)
            .join(due, due.c.target_id == Target.id)
            .where(
                Target.disabled.is_(False),
                or_(Target.lease_until.is_(None), Target.lease_until < now),
                # A chat the platform will not take a message in yet waits for that, unless this
                # worker sent there last: its own limiter knows the chat and paces it.
                or_(
                    Target.next_send_at.is_(None),
                    Target.next_send_at <= now,
                    Target.lease_owner == worker,
                ),
            )
            .order_by(due.c.oldest, Target.id)
            .limit(limit)
        )
        if platforms is not None:
            stmt = stmt.where(Target.platform.in_(list(platforms)))
        if exclude:
            stmt = stmt.where(Target.id.not_in(list(exclude)))
        if self.db.is_postgres:
            stmt = stmt.with_for_update(of=Target, skip_locked=True)
        until = now + timedelta(seconds=lease_seconds)
        async with self.db.write() as session:
            targets = list(await session.scalars(stmt))
            for target in targets:
                target.lease_owner, target.lease_until = worker, until
            return [TargetLease(t.id, t.platform, t.chat, t.thread or None) for t in targets]

    async def parked_targets(
        self, platforms: Collection[str], *, now: datetime
    ) -> list[tuple[int, str, str, int]]:
        """Enabled targets with due rows whose platform is not among `platforms` (channels this
        worker does not run): (target id, platform, chat, rows waiting)."""
        stmt = (
            select(Target.id, Target.platform, Target.chat, func.count(OutboxRow.id))
            .join(OutboxRow, OutboxRow.target_id == Target.id)
            .where(
                OutboxRow.status == "pending",
                OutboxRow.next_attempt_at <= now,
                Target.disabled.is_(False),
                Target.platform.not_in(list(platforms)),
            )
            .group_by(Target.id, Target.platform, Target.chat)
        )
        async with self.db.read() as session:
            rows = await session.execute(stmt)
            return [(r[0], r[1], r[2], int(r[3])) for r in rows]

    async def extend_lease(self, target_id: int, worker: str, until: datetime) -> bool:
        async with self.db.write() as session:
            result = await session.execute(
                update(Target)
                .where(Target.id == target_id, Target.lease_owner == worker)
                .values(lease_until=until)
            )
            return bool(getattr(result, "rowcount", 0))

    async def release(
        self, target_id: int, worker: str, *, next_send_at: datetime | None = None
    ) -> None:
        """Give the lease back. `next_send_at`: when the platform takes the chat's next message;
        until then only this worker (whose limiter knows the chat) may lease it again. The
        worker stays named as the last sender, though the lease is over."""
        async with self.db.write() as session:
            await session.execute(
                update(Target)
                .where(Target.id == target_id, Target.lease_owner == worker)
                .values(lease_until=None, next_send_at=next_send_at)
            )

    async def pending_rows(
        self, target_id: int, *, limit: int = 100, now: datetime | None = None
    ) -> list[OutboxItem]:
        """The target's pending rows, oldest first (due or not: order is decided by the caller).

        With `now`, notices held for quiet hours that are not due yet are left out: they wait
        apart and hold nothing up, however many there are."""
        held_back = (
            and_(OutboxRow.held.is_(True), OutboxRow.next_attempt_at > now)
            if now is not None
            else None
        )
        async with self.db.read() as session:
            rows = await session.execute(
                select(OutboxRow, Subscription.person)
                .outerjoin(
                    Subscription,
                    and_(
                        Subscription.task_id == OutboxRow.task_id,
                        Subscription.target_id == OutboxRow.target_id,
                    ),
                )
                .where(
                    OutboxRow.target_id == target_id,
                    OutboxRow.status == "pending",
                    *(() if held_back is None else (~held_back,)),
                )
                .order_by(OutboxRow.id)
                .limit(limit)
            )
            return [
                OutboxItem(
                    r.id,
                    r.task_id,
                    r.target_id,
                    r.kind,
                    r.event,
                    dict(r.payload or {}),
                    r.attempts,
                    r.next_attempt_at,
                    person,
                    r.held,
                )
                for r, person in rows
            ]

    async def mark_sent(self, row_id: int, *, now: datetime, message_ref: str | None) -> None:
        async with self.db.write() as session:
            await session.execute(
                update(OutboxRow)
                .where(OutboxRow.id == row_id)
                .values(status="sent", sent_at=now, message_ref=message_ref, last_error=None)
            )

    async def mark_failed(
        self, row_id: int, *, error: str, retry_at: datetime | None, attempts: int
    ) -> None:
        """Record a failed attempt; `retry_at` None means the row is dead (dead-lettered)."""
        values: dict[str, Any] = {"attempts": attempts, "last_error": error[:2000]}
        if retry_at is None:
            values["status"] = "dead"
        else:
            values["next_attempt_at"] = retry_at
        async with self.db.write() as session:
            await session.execute(update(OutboxRow).where(OutboxRow.id == row_id).values(**values))

    async def hold(self, row_id: int, until: datetime) -> None:
        """Hold a notice back until quiet hours end."""
        async with self.db.write() as session:
            await session.execute(
                update(OutboxRow)
                .where(OutboxRow.id == row_id)
                .values(held=True, next_attempt_at=until)
            )

    async def held_rows(self, now: datetime, *, limit: int = 1000) -> list[HeldRow]:
        """Notices held for quiet hours that are not due yet, with their target and subscriber,
        so the notifier can release them at once when quiet hours are turned off."""
        async with self.db.read() as session:
            rows = await session.execute(
                select(OutboxRow.id, Target, Subscription.person)
                .join(Target, Target.id == OutboxRow.target_id)
                .outerjoin(
                    Subscription,
                    and_(
                        Subscription.task_id == OutboxRow.task_id,
                        Subscription.target_id == OutboxRow.target_id,
                    ),
                )
                .where(
                    OutboxRow.status == "pending",
                    OutboxRow.held.is_(True),
                    OutboxRow.next_attempt_at > now,
                    OutboxRow.attempts == 0,  # a failed summary backs off, not released
                    Target.disabled.is_(False),
                )
                .order_by(OutboxRow.id)
                .limit(limit)
            )
            return [
                HeldRow(row_id, t.id, t.platform, t.chat, t.thread or None, person)
                for row_id, t, person in rows
            ]

    async def release_held(self, row_ids: Sequence[int], *, now: datetime) -> None:
        """Quiet hours no longer cover these rows: make them due now (still held, so they go out
        as one summary)."""
        if not row_ids:
            return
        async with self.db.write() as session:
            await session.execute(
                update(OutboxRow)
                .where(OutboxRow.id.in_(list(row_ids)), OutboxRow.status == "pending")
                .values(next_attempt_at=now)
            )

    async def mark_many_sent(
        self, row_ids: Sequence[int], *, now: datetime, message_ref: str | None
    ) -> None:
        async with self.db.write() as session:
            await session.execute(
                update(OutboxRow)
                .where(OutboxRow.id.in_(list(row_ids)))
                .values(status="sent", sent_at=now, message_ref=message_ref, last_error=None)
            )

    async def defer(self, row_id: int, until: datetime) -> None:
        async with self.db.write() as session:
            await session.execute(
                update(OutboxRow).where(OutboxRow.id == row_id).values(next_attempt_at=until)
            )

    async def disable_target(self, target_id: int, reason: str) -> None:
        """The platform said the target is gone: stop sending there and drop what waits for it."""
        async with self.db.write() as session:
            await session.execute(
                update(Target)
                .where(Target.id == target_id)
                .values(
                    disabled=True, disabled_reason=reason[:2000], lease_owner=None, lease_until=None
                )
            )
            await session.execute(
                update(OutboxRow)
                .where(OutboxRow.target_id == target_id, OutboxRow.status == "pending")
                .values(status="dead", last_error=f"target disabled: {reason}"[:2000])
            )

    async def live_message(
        self, task_id: str, target_id: int, purpose: str = "card"
    ) -> tuple[str, str | None, datetime] | None:
        async with self.db.read() as session:
            row = await session.scalar(
                select(LiveMessage).where(
                    LiveMessage.task_id == task_id,
                    LiveMessage.target_id == target_id,
                    LiveMessage.purpose == purpose,
                )
            )
            return (row.message_ref, row.thread_ref, row.updated_at) if row else None

    async def save_live_ref(
        self,
        task_id: str,
        target_id: int,
        ref: str,
        *,
        now: datetime,
        thread_ref: str | None = None,
        purpose: str = "card",
    ) -> None:
        async with self.db.write() as session:
            row = await session.scalar(
                select(LiveMessage).where(
                    LiveMessage.task_id == task_id,
                    LiveMessage.target_id == target_id,
                    LiveMessage.purpose == purpose,
                )
            )
            if row is None:
                session.add(
                    LiveMessage(
                        task_id=task_id,
                        target_id=target_id,
                        purpose=purpose,
                        message_ref=ref,
                        thread_ref=thread_ref,
                        updated_at=now,
                    )
                )
            else:
                row.message_ref, row.updated_at = ref, now
                if thread_ref is not None:
                    row.thread_ref = thread_ref

    async def approval_messages(
        self, task_id: str, target_id: int
    ) -> list[tuple[int, str, str | None]]:
        """The messages in this target that offered buttons for one of the task's approvals:
        (approval id, message ref, thread ref)."""
        async with self.db.read() as session:
            rows = await session.scalars(
                select(LiveMessage).where(
                    LiveMessage.task_id == task_id,
                    LiveMessage.target_id == target_id,
                    LiveMessage.purpose.like("approval:%"),
                )
            )
            found = []
            for row in rows:
                approval = row.purpose.partition(":")[2]
                if approval.isdigit():
                    found.append((int(approval), row.message_ref, row.thread_ref))
            return found

    async def forget_live(self, task_id: str, target_id: int, purpose: str) -> None:
        async with self.db.write() as session:
            await session.execute(
                delete(LiveMessage).where(
                    LiveMessage.task_id == task_id,
                    LiveMessage.target_id == target_id,
                    LiveMessage.purpose == purpose,
                )
            )

    # --------------------------------------------------- for operators: `progressbot outbox`

    async def list_rows(
        self,
        statuses: Sequence[str],
        *,
        limit: int = 200,
        now: datetime | None = None,
        running: Collection[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Rows for operators, each with why it waits (`reason`). `running` names the platforms
        whose channels run; None when unknown."""
        async with self.db.read() as session:
            rows = await session.execute(
                select(OutboxRow, Target)
                .join(Target, Target.id == OutboxRow.target_id)
                .where(OutboxRow.status.in_(list(statuses)))
                .order_by(OutboxRow.id)
                .limit(limit)
            )
            return [
                {
                    "id": r.id,
                    "task_id": r.task_id,
                    "target": f"{t.platform}:{t.chat}",
                    "kind": r.kind,
                    "event": r.event,
                    "status": r.status,
                    "attempts": r.attempts,
                    "last_error": r.last_error,
                    "reason": waiting_reason(r, t, now=now, running=running),
                }
                for r, t in rows
            ]

    async def statuses(self, row_ids: Sequence[int]) -> dict[int, str]:
        """The status of each row that exists, by id."""
        async with self.db.read() as session:
            rows = await session.execute(
                select(OutboxRow.id, OutboxRow.status).where(OutboxRow.id.in_(list(row_ids)))
            )
            return {int(row_id): status for row_id, status in rows}

    async def retry(self, row_ids: Sequence[int], *, now: datetime) -> int:
        async with self.db.write() as session:
            result = await session.execute(
                update(OutboxRow)
                .where(OutboxRow.id.in_(list(row_ids)), OutboxRow.status == "dead")
                .values(status="pending", attempts=0, next_attempt_at=now)
            )
            return int(getattr(result, "rowcount", 0) or 0)

    async def drop(self, row_ids: Sequence[int]) -> int:
        async with self.db.write() as session:
            result = await session.execute(
                delete(OutboxRow).where(
                    OutboxRow.id.in_(list(row_ids)), OutboxRow.status.in_(["dead", "pending"])
                )
            )
            return int(getattr(result, "rowcount", 0) or 0)

    async def counts(self) -> dict[str, int]:
        async with self.db.read() as session:
            rows = await session.execute(
                select(OutboxRow.status, func.count()).group_by(OutboxRow.status)
            )
            return {status: int(n) for status, n in rows}


def _when(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%SZ")


def waiting_reason(
    row: OutboxRow,
    target: Target,
    *,
    now: datetime | None,
    running: Collection[str] | None,
) -> str:
    """Why a row is where it is, in words for `progressbot outbox list`."""
    if row.status == "dead":
        return f"dead: {row.last_error or 'gave up'}"
    if row.status == "sent":
        return "sent"
    if target.disabled:
        return f"target disabled: {target.disabled_reason or 'gone'}"
    due = row.next_attempt_at
    if due.tzinfo is None and now is not None and now.tzinfo is not None:
        due = due.replace(tzinfo=now.tzinfo)
    waiting = now is not None and due > now
    if waiting and row.held:
        return f"held for quiet hours until {_when(due)}"
    if running is not None and target.platform not in running:
        return f"channel not running ({target.platform})"
    paced = target.next_send_at
    if paced is not None and paced.tzinfo is None and now is not None and now.tzinfo is not None:
        paced = paced.replace(tzinfo=now.tzinfo)
    if not waiting and paced is not None and now is not None and paced > now:
        return f"the chat takes its next message at {_when(paced)}"
    if not waiting:
        return "due now"
    if row.kind == "card":
        return f"card waits for its edit interval until {_when(due)}"
    if row.attempts:
        return f"backing off until {_when(due)} (attempt {row.attempts}: {row.last_error or ''})"
    return f"scheduled for {_when(due)}"

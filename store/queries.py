"""Reading the store: task snapshots in the seed's progress shape, lists, logs, history.

Nothing here writes. The ETA is filled in by the bot (`bot.progress.snapshots`), which owns the
estimator; this module hands it the inputs (`eta_inputs`). A snapshot and those inputs are read by
`store.snapshots`, in one trip.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, bindparam, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from store.db import Database
from store.errors import NotFound
from store.models import (
    Approval,
    ApprovalApprover,
    ApprovalDecision,
    AuditEntry,
    LogEntry,
    Preference,
    Step,
    Subscription,
    Target,
    Task,
    TaskProgress,
)
from store.shapes import ACTIVE_TASK_STATES, SnapshotShape
from store.snapshots import (
    EtaInputs,
    read_eta_inputs,
    read_history,
    read_snapshot,
    read_snapshot_and_creator,
    snapshot_of,
)
from store.tracker import approval_dict, iso

__all__ = ["EtaInputs", "Queries", "SnapshotRead", "snapshot_of"]


def _epoch(value: datetime | None) -> float | None:
    return value.timestamp() if value is not None else None


class SnapshotRead(NamedTuple):
    snap: SnapshotShape
    inputs: EtaInputs | None  # None: the task's ETA is not estimated (finished or failed)
    creator: str | None  # the API token that created the task (None: created in process)


# Asked on every read of a task's progress; prepared once, as building a statement costs more
# than running it on the primary key.
_VERSION = select(Task.version).where(Task.id == bindparam("task_id"))
_CREATOR = select(Task.created_by_token).where(Task.id == bindparam("task_id"))
# Creators kept in memory (`Queries.creator`): enough for every engine that reports at once.
_CREATORS_KEPT = 10_000


class Queries:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._history_cache: dict[str | None, tuple[float, dict[str, list[float]]]] = {}
        self.history_ttl = 60.0
        # Task id -> the token that created it, asked on every engine request. Kept without
        # expiry: a task's creator is written once, when it is created, and tasks are never
        # deleted (retention forgets their history, not them). An unknown id is not kept.
        self._creators: dict[str, str | None] = {}

    async def snapshot(self, task_id: str) -> SnapshotShape:
        return await self.db.read_columns(lambda connection: read_snapshot(connection, task_id))

    async def version(self, task_id: str) -> int:
        """The task's change counter (0 when it does not exist)."""
        key = {"task_id": task_id}
        found = await self.db.read_columns(lambda connection: connection.scalar(_VERSION, key))
        return int(found or 0)

    async def access(self, task_id: str) -> dict[str, Any] | None:
        """Who may see a task (owner, team, the latest approval's approvers), read without
        loading the task: the shape `can_see` reads. None when there is no such task."""
        async with self.db.read() as session:
            row = (
                await session.execute(select(Task.owner, Task.team).where(Task.id == task_id))
            ).first()
            if row is None:
                return None
            approvers = await session.scalar(
                select(Approval.approvers)
                .where(Approval.task_id == task_id)
                .order_by(Approval.id.desc())
                .limit(1)
            )
            return {
                "owner": row.owner,
                "team": row.team,
                "approval": {"approvers": list(approvers or [])},
            }

    async def exists(self, task_id: str) -> bool:
        async with self.db.read() as session:
            return await session.scalar(select(Task.id).where(Task.id == task_id)) is not None

    async def creator(self, task_id: str) -> str | None:
        """The name of the API token that created the task (None: created in-process)."""
        if task_id in self._creators:
            return self._creators[task_id]
        key = {"task_id": task_id}
        row = await self.db.read_columns(
            lambda connection: connection.execute(_CREATOR, key).first()
        )
        if row is None:
            raise NotFound(f"there is no task {task_id!r}")
        if len(self._creators) >= _CREATORS_KEPT:
            del self._creators[next(iter(self._creators))]  # the oldest read
        self._creators[task_id] = row[0]
        return row[0]

    async def tasks_notifying(self, platform: str, chat: str) -> list[dict[str, Any]]:
        """Owner and team of every task subscribed to (platform, chat), any thread."""
        stmt = (
            select(Task.id, Task.owner, Task.team)
            .join(Subscription, Subscription.task_id == Task.id)
            .join(Target, Target.id == Subscription.target_id)
            .where(Target.platform == platform, Target.chat == chat)
        )
        async with self.db.read() as session:
            rows = await session.execute(stmt)
            return [{"task_id": r.id, "owner": r.owner, "team": r.team} for r in rows]

    async def list_tasks(
        self,
        *,
        person: str | None = None,
        created_by: str | None = None,
        teams: Iterable[str] = (),
        chat: tuple[str, str] | None = None,
        status: Sequence[str] | None = None,
        active_only: bool = False,
        limit: int = 100,
        offset: int = 0,
        approvers: Iterable[str] = (),
        also: Iterable[str] = (),
    ) -> list[dict[str, Any]]:
        """Task summaries, newest first. With `person`, only the tasks that person may see:
        their own, their teams', (with `chat`) those that notify the chat they ask in, (with
        `approvers`, the person and their teams) those with a pending approval naming them, and
        the tasks `also` names."""
        stmt = select(
            Task.id,
            Task.title,
            Task.short_name,
            Task.status,
            Task.percent,
            Task.owner,
            Task.team,
            Task.kind,
            Task.updated_at,
            Task.created_at,
        ).order_by(Task.updated_at.desc(), Task.id)
        if person is not None:
            stmt = stmt.where(_visible_to(person, teams, chat, approvers, also))
        if created_by is not None:
            stmt = stmt.where(Task.created_by_token == created_by)
        if active_only:
            stmt = stmt.where(Task.status.in_(sorted(ACTIVE_TASK_STATES)))
        if status:
            stmt = stmt.where(Task.status.in_(list(status)))
        stmt = stmt.limit(max(1, min(limit, 1000))).offset(max(0, offset))
        async with self.db.read() as session:
            rows = await session.execute(stmt)
            return [
                {
                    "task_id": r.id,
                    "title": r.title,
                    "short_name": r.short_name,
                    "status": r.status,
                    "progress": r.percent,
                    "owner": r.owner,
                    "team": r.team,
                    "kind": r.kind,
                    "updated_at": iso(r.updated_at),
                    "created_at": iso(r.created_at),
                }
                for r in rows
            ]

    async def nameable_tasks(
        self,
        person: str,
        *,
        teams: Iterable[str] = (),
        chat: tuple[str, str] | None = None,
        limit: int = 100,
    ) -> list[dict[str, Any]]:
        """The tasks a person may name in a chat (what `list_tasks` shows them there, waiting
        approvals included), newest first, in one indexed query and only what the chat reads:
        task_id, title, short_name, status, progress, owner, team, kind, version, and `updated`
        (epoch seconds). Asked on every chat message, so it converts no dates to text."""
        teams = list(teams)
        params = {
            "person": person,
            "teams": teams,
            "names": [person, *teams],
            "platform": chat[0] if chat is not None else None,
            "chat": chat[1] if chat is not None else None,
            "limit": max(1, min(limit, 1000)),
        }
        # Bounded (`limit`, an index), and on every chat message: on the event loop's thread.
        rows = await self.db.read_short(
            lambda connection: connection.execute(_NAMEABLE, params).all()
        )
        return [
            {
                "task_id": r[0],
                "title": r[1],
                "short_name": r[2],
                "status": r[3],
                "progress": r[4],
                "owner": r[5],
                "team": r[6],
                "kind": r[7],
                "version": r[8],
                "updated": r[9].timestamp() if r[9] is not None else 0.0,
            }
            for r in rows
        ]

    async def logs(
        self, task_id: str, *, limit: int = 200, step: int | None = None
    ) -> list[dict[str, Any]]:
        """The newest `limit` log lines, oldest first (NotFound if there is no such task)."""
        stmt = select(LogEntry.created_at, LogEntry.level, LogEntry.step, LogEntry.message).where(
            LogEntry.task_id == task_id
        )
        if step is not None:
            stmt = stmt.where(LogEntry.step == step)
        stmt = stmt.order_by(LogEntry.id.desc()).limit(max(1, min(limit, 10_000)))
        exists = select(Task.id).where(Task.id == task_id)

        def read(connection: Connection) -> list[Any] | None:
            if connection.scalar(exists) is None:
                return None
            return list(connection.execute(stmt).all())

        rows = await self.db.read_columns(read)
        if rows is None:
            raise NotFound(f"there is no task {task_id!r}")
        rows.reverse()
        return [
            {"at": iso(at), "level": level, "step": order, "message": message}
            for at, level, order, message in rows
        ]

    async def history(self, task_id: str, *, limit: int = 1000) -> list[dict[str, Any]]:
        """The seed's task_progress rows, oldest first."""
        stmt = (
            select(TaskProgress)
            .where(TaskProgress.task_id == task_id)
            .order_by(TaskProgress.id)
            .limit(max(1, min(limit, 100_000)))
        )
        async with self.db.read() as session:
            await _require(session, task_id)
            rows = await session.scalars(stmt)
            return [
                {
                    "task_id": r.task_id,
                    "step": r.step,
                    "percent": r.percent,
                    "status": r.status,
                    "event": r.event,
                    "updated_at": iso(r.updated_at),
                }
                for r in rows
            ]

    async def audit(self, task_id: str) -> list[dict[str, Any]]:
        async with self.db.read() as session:
            await _require(session, task_id)
            rows = await session.scalars(
                select(AuditEntry).where(AuditEntry.task_id == task_id).order_by(AuditEntry.id)
            )
            return [
                {
                    "action": r.action,
                    "step": r.step,
                    "by": r.by,
                    "via": r.via,
                    "reason": r.reason,
                    "at": iso(r.created_at),
                }
                for r in rows
            ]

    async def approval(self, approval_id: int) -> dict[str, Any]:
        async with self.db.read() as session:
            approval = await session.scalar(
                select(Approval)
                .where(Approval.id == approval_id)
                .options(selectinload(Approval.decisions))
            )
            if approval is None:
                raise NotFound(f"there is no approval {approval_id}")
            return {**approval_dict(approval), "task_id": approval.task_id}

    async def subscribers(self, task_id: str) -> list[dict[str, Any]]:
        async with self.db.read() as session:
            rows = await session.execute(
                select(Subscription, Target)
                .join(Target, Target.id == Subscription.target_id)
                .where(Subscription.task_id == task_id)
            )
            return [
                {
                    "platform": t.platform,
                    "chat": t.chat,
                    "thread": t.thread or None,
                    "person": s.person,
                    "events": s.events,
                    "muted_until": iso(s.muted_until),
                    "disabled": t.disabled,
                }
                for s, t in rows
            ]

    async def eta_inputs(self, snap: SnapshotShape) -> EtaInputs:
        """Inputs for the ETA of a task whose snapshot was just read."""
        return await self.db.read_columns(
            lambda connection: read_eta_inputs(connection, snap, self._history(connection, snap))
        )

    async def snapshot_with_eta_inputs(
        self, task_id: str, *, eta: Callable[[SnapshotShape], bool]
    ) -> SnapshotRead:
        """A snapshot, who created the task and, when `eta(snapshot)` says the task needs one,
        its ETA's inputs, in one read: what a change someone watches costs."""

        def read(connection: Connection) -> SnapshotRead:
            snap, creator = read_snapshot_and_creator(connection, task_id)
            if not eta(snap):
                return SnapshotRead(snap, None, creator)
            inputs = read_eta_inputs(connection, snap, self._history(connection, snap))
            return SnapshotRead(snap, inputs, creator)

        return await self.db.read_columns(read)

    def _history(self, connection: Connection, snap: SnapshotShape) -> dict[str, list[float]]:
        return self._step_history(connection, snap.get("kind"))

    def _step_history(self, connection: Connection, kind: str | None) -> dict[str, list[float]]:
        """Durations of each step name in recently completed tasks of this kind, kept for
        `history_ttl` seconds."""
        if kind is None:
            return {}
        now = time.monotonic()
        cached = self._history_cache.get(kind)
        if cached is not None and now - cached[0] < self.history_ttl:
            return cached[1]
        history = read_history(connection, kind)
        self._history_cache[kind] = (now, history)
        return history

    def forget_history(self, kind: str | None = None) -> None:
        if kind is None:
            self._history_cache.clear()
        else:
            self._history_cache.pop(kind, None)

    async def running_steps(self) -> list[dict[str, Any]]:
        """Steps running now in running tasks that someone follows (for stall detection: a
        task nobody follows has nobody to tell). Read on the column thread: a big store's rows
        would otherwise hold the event loop while they are turned into dicts."""
        stmt = (
            select(Task.id, Task.kind, Step.order, Step.name, Step.started_at, Step.attempts)
            .join(Step, Step.task_id == Task.id)
            .where(Task.status == "running", Step.status == "running", _FOLLOWED)
        )
        rows = await self.db.read_columns(lambda connection: connection.execute(stmt).all())
        return [
            {
                "task_id": r[0],
                "kind": r[1],
                "step": r[2],
                "name": r[3],
                "started_at": r[4],
                "attempts": r[5],
            }
            for r in rows
        ]

    async def step_history(self, kind: str | None) -> dict[str, list[float]]:
        """Durations of each step name in recent completed tasks of this kind (cached)."""
        return await self.db.read_columns(lambda connection: self._step_history(connection, kind))

    async def followed_pending_approvals(self) -> list[dict[str, Any]]:
        """Pending approvals of tasks someone follows (for reminders: nobody else to tell)."""
        stmt = select(Approval.id, Approval.task_id, Approval.step, Approval.requested_at).where(
            Approval.status == "pending", _followed(Approval.task_id)
        )
        rows = await self.db.read_columns(lambda connection: connection.execute(stmt).all())
        return [{"id": r[0], "task_id": r[1], "step": r[2], "requested_at": r[3]} for r in rows]

    async def tasks_waiting_on(self, names: Iterable[str]) -> list[str]:
        """Ids of tasks with a pending approval whose approvers name any of `names`."""
        stmt = select(ApprovalApprover.task_id).where(*_waiting_on(list(names))).distinct()
        return sorted(await self.db.read_columns(lambda connection: connection.scalars(stmt).all()))

    async def approvals_waiting_on(
        self, names: Iterable[str], *, person: str | None = None, limit: int = 500
    ) -> list[dict[str, Any]]:
        """Pending approvals whose approvers name any of `names` (a person and their teams),
        oldest first, read in one query through the approver index: id, task_id, step,
        approvers, prompt, and the task's title, short_name, status and the waiting step's
        name. With `person`, those that person has already voted on are left out."""
        names = list(names)
        ids = select(ApprovalApprover.approval_id).where(*_waiting_on(names))
        stmt = (
            select(
                Approval.id,
                Approval.task_id,
                Approval.step,
                Approval.approvers,
                Approval.prompt,
                Task.title,
                Task.short_name,
                Task.status,
                Step.name,
            )
            .join(Task, Task.id == Approval.task_id)
            .outerjoin(Step, (Step.task_id == Approval.task_id) & (Step.order == Approval.step))
            .where(Approval.id.in_(ids), Approval.status == "pending")
            .order_by(Approval.id)
            .limit(max(1, min(limit, 1000)))
        )
        if person is not None:
            voted = select(ApprovalDecision.id).where(
                ApprovalDecision.approval_id == Approval.id, ApprovalDecision.person == person
            )
            stmt = stmt.where(~voted.exists())
        rows = await self.db.read_columns(lambda connection: connection.execute(stmt).all())
        return [
            {
                "id": r[0],
                "task_id": r[1],
                "step": r[2],
                "approvers": list(r[3] or []),
                "prompt": r[4],
                "title": r[5],
                "short_name": r[6],
                "task_status": r[7],
                "step_name": r[8],
            }
            for r in rows
        ]

    async def active_tasks_started_before(
        self, cutoff: datetime, *, followed_only: bool = False
    ) -> list[dict[str, Any]]:
        """Active tasks started before `cutoff`; with `followed_only`, only those someone
        follows (a check-in has nobody to tell otherwise). Read on the column thread."""
        stmt = select(Task.id, Task.owner, Task.started_at).where(
            Task.status.in_(["running", "paused", "approval"]),
            Task.started_at.is_not(None),
            Task.started_at < cutoff,
            *([_FOLLOWED] if followed_only else []),
        )
        rows = await self.db.read_columns(lambda connection: connection.execute(stmt).all())
        return [{"task_id": r[0], "owner": r[1], "started_at": r[2]} for r in rows]

    async def preferences(self, scope: str) -> dict[str, Any]:
        """What a person ("person:alice") or chat set for their notifications."""
        async with self.db.read() as session:
            row = await session.get(Preference, scope)
            return dict(row.settings) if row is not None and row.settings else {}

    async def ping(self) -> None:
        """Raises unless the store answers a read of the tasks table. One row, not a count:
        a health check polled every few seconds must not scan a big store."""
        stmt = select(Task.id).limit(1)
        await self.db.read_columns(lambda connection: connection.execute(stmt).all())


def _followed(task_id: Any) -> Any:
    """The task has at least one subscription: someone to tell."""
    return exists().where(Subscription.task_id == task_id)


_FOLLOWED = _followed(Task.id)


async def _require(session: AsyncSession, task_id: str) -> None:
    """NotFound unless the task exists, asked in the session that reads what belongs to it."""
    if await session.scalar(select(Task.id).where(Task.id == task_id)) is None:
        raise NotFound(f"there is no task {task_id!r}")


def _waiting_on(names: Any) -> tuple[Any, ...]:
    """Approver rows of pending approvals that name any of `names` (a list, or a bound
    parameter): the approver index answers it without reading any approval's JSON."""
    return (ApprovalApprover.approver.in_(names), ApprovalApprover.pending.is_(True))


def _nameable() -> Any:
    """`Queries.nameable_tasks` as one statement built once: it runs on every chat message, and
    building it costs more than running it. The same branches as `_visible_to`, bound by name."""
    in_chat = (
        select(Subscription.task_id)
        .join(Target, Target.id == Subscription.target_id)
        .where(Target.platform == bindparam("platform"), Target.chat == bindparam("chat"))
    )
    waiting = select(ApprovalApprover.task_id).where(
        *_waiting_on(bindparam("names", expanding=True))
    )
    return (
        select(
            Task.id,
            Task.title,
            Task.short_name,
            Task.status,
            Task.percent,
            Task.owner,
            Task.team,
            Task.kind,
            Task.version,
            Task.updated_at,
        )
        .where(
            or_(
                Task.owner == bindparam("person"),
                Task.team.in_(bindparam("teams", expanding=True)),
                Task.id.in_(in_chat),
                Task.id.in_(waiting),
            )
        )
        .order_by(Task.updated_at.desc(), Task.id)
        .limit(bindparam("limit"))
    )


def _visible_to(
    person: str,
    teams: Iterable[str],
    chat: tuple[str, str] | None,
    approvers: Iterable[str],
    also: Iterable[str] = (),
) -> Any:
    """Tasks `person` may see: their own, their teams', those notifying `chat`, those with a
    pending approval naming any of `approvers`, and the ids in `also`. Each branch is an indexed
    lookup (owner, team, subscriptions by target, approver rows, ids), so SQLite and PostgreSQL
    combine them without reading every task."""
    clauses: list[Any] = [Task.owner == person]
    teams = list(teams)
    if teams:
        clauses.append(Task.team.in_(teams))
    if chat is not None:
        clauses.append(
            Task.id.in_(
                select(Subscription.task_id)
                .join(Target, Target.id == Subscription.target_id)
                .where(Target.platform == chat[0], Target.chat == chat[1])
            )
        )
    names = sorted(set(approvers))
    if names:
        clauses.append(Task.id.in_(select(ApprovalApprover.task_id).where(*_waiting_on(names))))
    extra = sorted(set(also))
    if extra:
        clauses.append(Task.id.in_(extra))
    return or_(*clauses)


_NAMEABLE = _nameable()

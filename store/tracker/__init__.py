"""The Tracker: the only code that changes task state.

Every accepted change writes, in one transaction, the new state, `task_progress` history rows,
and one outbox row per subscribed target that must hear of it. A change that is refused writes
nothing: the transaction is rolled back and the error says what and why. After the commit the
Tracker tells its listeners (WebSocket fan-out, the notifier's wake-up); nothing is sent to a chat
platform from here.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from store.db import Database
from store.errors import Conflict, Forbidden, InvalidEvent, InvalidTransition, NotFound
from store.models import (
    Approval,
    ApprovalDecision,
    AuditEntry,
    LogEntry,
    OutboxRow,
    Preference,
    ProcessedEvent,
    SeenKey,
    Step,
    Subscription,
    Substep,
    Target,
    Task,
    TaskProgress,
    utcnow,
)
from store.states import check_step, check_task, control_state

__all__ = [
    "DEFAULT_NOTIFY_EVENTS",
    "EVENT_TYPES",
    "Applied",
    "Decision",
    "Membership",
    "NewStep",
    "NewTask",
    "TaskChange",
    "Tracker",
    "chat_scope",
    "person_scope",
    "step_percent",
    "task_percent",
]

logger = logging.getLogger(__name__)

EVENT_TYPES = (
    "task_started",
    "step_started",
    "step_progress",
    "progress",
    "substep_done",
    "step_completed",
    "step_failed",
    "step_skipped",
    "approval_requested",
    "log",
    "task_completed",
    "task_failed",
)
DEFAULT_NOTIFY_EVENTS = (
    "task_started",
    "step_completed",
    "approval_requested",
    "approval_decided",
    "task_completed",
    "task_failed",
    "task_stalled",
    "paused",
    "resumed",
    "cancelled",
    "restarted",
)
LOG_LEVELS = frozenset({"debug", "info", "warning", "error", "critical"})
TASK_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
MAX_TEXT = 100_000  # longest log message or error we keep; longer ones are cut, not refused


class Membership(Protocol):
    """Who is in which team; the bot's Directory (from `users:` and `teams:`) is one."""

    def teams_of(self, person: str) -> frozenset[str]: ...


@dataclass(frozen=True, slots=True)
class NewStep:
    name: str
    done_label: str | None = None
    weight: float = 1.0
    substeps: tuple[tuple[str, str | None], ...] = ()  # (name, display label)


@dataclass(frozen=True, slots=True)
class NewTask:
    title: str
    steps: tuple[NewStep, ...]
    task_id: str | None = None
    short_name: str | None = None
    kind: str | None = None
    owner: str | None = None
    team: str | None = None
    complexity: Mapping[str, Any] | None = None
    notify: tuple[tuple[str, str, str | None], ...] = ()  # (platform, chat, thread)
    approvers: tuple[str, ...] = ()
    quorum: int = 1
    allow_self_approval: bool = True
    approval_expires_seconds: int | None = None
    workspace: str | None = None


@dataclass(frozen=True, slots=True)
class TaskChange:
    """What listeners hear after a commit: the task, its new version, and typed messages."""

    task_id: str
    version: int
    messages: tuple[dict[str, Any], ...]
    outbox_rows: int = 0


@dataclass(slots=True)
class Applied:
    accepted: int
    duplicates: int
    control: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Decision:
    approval_id: int
    task_id: str
    status: str  # pending (quorum not reached yet) | approved | rejected
    decided_by: str | None
    reason: str | None
    votes: int


Listener = Callable[[TaskChange], Awaitable[None] | None]


def step_percent(step: Step) -> int:
    if step.status in ("completed", "skipped"):
        return 100
    if step.reported_percent is not None:
        return step.reported_percent
    if step.substeps:
        done = sum(1 for s in step.substeps if s.done)
        return _round(100 * done / len(step.substeps))
    return 0


def task_percent(task: Task) -> int:
    if task.status == "completed":
        return 100
    if task.reported_percent is not None:
        return task.reported_percent
    total = sum(max(s.weight, 0.0) for s in task.steps)
    if not task.steps or total <= 0:
        return 0
    return _round(sum(max(s.weight, 0.0) * step_percent(s) for s in task.steps) / total)


def _round(value: float) -> int:
    return max(0, min(100, int(value + 0.5)))


@dataclass
class _Pending:
    """What one transaction has changed so far, to write history and outbox rows once at the end."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    notices: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    history: list[tuple[int | None, int, str, str]] = field(default_factory=list)
    card: bool = False
    # The chat (platform, chat id) a person acted from: they saw the bot's answer there, so that
    # chat gets no notice of their own action (its card still moves).
    origin: tuple[str, str] | None = None


class Tracker:
    def __init__(
        self,
        db: Database,
        *,
        membership: Membership | None = None,
        clock: Callable[[], datetime] = utcnow,
        notify_events: Iterable[str] = DEFAULT_NOTIFY_EVENTS,
        default_preferences: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self.db = db
        # Preferences from the config, by scope; what people set in chat overrides them.
        self.default_preferences = dict(default_preferences or {})
        self.membership = membership
        self.clock = clock
        self.notify_events = frozenset(notify_events)
        self._listeners: list[Listener] = []

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    # ------------------------------------------------------------------ create

    async def create_task(self, spec: NewTask, *, by: str | None = None) -> str:
        _validate_new_task(spec)
        now = self.clock()
        for _ in range(5):
            task_id = spec.task_id or secrets.token_hex(6)
            try:
                async with self.db.write() as session:
                    if await session.get(Task, task_id) is not None:
                        if spec.task_id:
                            raise Conflict(f"a task with id {task_id!r} already exists")
                        continue
                    task = self._new_task_row(task_id, spec, now)
                    session.add(task)
                    await session.flush()
                    for platform, chat, thread in spec.notify:
                        await self._subscribe(session, task_id, platform, chat, thread, spec.owner)
                    for step in task.steps:
                        # The seed's history shows every step, pending ones with no time yet.
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
                    session.add(AuditEntry(task_id=task_id, action="create", by=by, created_at=now))
                break
            except IntegrityError:
                if spec.task_id:
                    raise Conflict(f"a task with id {task_id!r} already exists") from None
                continue
        else:  # pragma: no cover - five random 48-bit collisions in a row
            raise Conflict("could not allocate a task id")
        await self._tell(TaskChange(task_id, 0, ({"type": "task_created", "task_id": task_id},)))
        return task_id

    def _new_task_row(self, task_id: str, spec: NewTask, now: datetime) -> Task:
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
                status="pending",
                attempts=0,
            )
            step.substeps = [
                Substep(order=i, name=name, label=label, done=False)
                for i, (name, label) in enumerate(new_step.substeps, start=1)
            ]
            task.steps.append(step)
        return task

    # ------------------------------------------------------------------ engine events

    async def apply(self, task_id: str, events: Sequence[Mapping[str, Any]]) -> Applied:
        """Apply one engine event or a batch, all or nothing."""
        if not events:
            raise InvalidEvent("no events given")
        accepted = duplicates = 0
        async with self.db.write() as session:
            task = await self._lock_task(session, task_id)
            seen = await self._seen_event_ids(session, task_id, events)
            pending = _Pending()
            for index, event in enumerate(events):
                where = f"event {index}: " if len(events) > 1 else ""
                if not isinstance(event, Mapping):
                    raise InvalidEvent(f"{where}an event must be a JSON object")
                event_id = event.get("event_id")
                if event_id is not None:
                    if not isinstance(event_id, str) or not 0 < len(event_id) <= 200:
                        raise InvalidEvent(f"{where}event_id must be a string of 1-200 characters")
                    if event_id in seen:
                        duplicates += 1
                        continue
                    seen.add(event_id)
                    session.add(ProcessedEvent(task_id=task_id, event_id=event_id))
                try:
                    self._apply_one(session, task, event, pending)
                except (InvalidEvent, InvalidTransition, NotFound) as exc:
                    raise type(exc)(f"{where}{exc}") from None
                accepted += 1
            change = await self._finish(session, task, pending) if accepted else None
            approval = await session.scalar(
                select(Approval)
                .where(Approval.task_id == task_id)
                .order_by(Approval.id.desc())
                .limit(1)
            )
            control = control_dict(task, approval)
        if change is not None:
            await self._tell(change)
        return Applied(accepted=accepted, duplicates=duplicates, control=control)

    @staticmethod
    async def _seen_event_ids(
        session: AsyncSession, task_id: str, events: Sequence[Mapping[str, Any]]
    ) -> set[str]:
        """The batch's event ids already applied, in one query: a lookup per event would also
        flush the pending rows before each one."""
        ids = {
            e["event_id"]
            for e in events
            if isinstance(e, Mapping) and isinstance(e.get("event_id"), str)
        }
        if not ids:
            return set()
        found = await session.scalars(
            select(ProcessedEvent.event_id).where(
                ProcessedEvent.task_id == task_id, ProcessedEvent.event_id.in_(ids)
            )
        )
        return set(found)

    def _apply_one(
        self, session: AsyncSession, task: Task, event: Mapping[str, Any], p: _Pending
    ) -> None:
        kind = event.get("type")
        if kind not in EVENT_TYPES:
            raise InvalidEvent(
                f"unknown event type {kind!r}; expected one of: {', '.join(EVENT_TYPES)}"
            )
        now = self.clock()
        if kind == "log":
            self._log(session, task, event, now, p)
            return
        if task.status in ("completed", "cancelled"):
            raise InvalidTransition(f"task {task.id} is {task.status}; it accepts no more events")
        if kind == "task_started":
            if task.status != "pending":
                raise InvalidTransition(f"task {task.id} has already started ({task.status})")
            self._start_task(task, now, p)
        elif kind == "progress":
            task.reported_percent = _percent(event)
            eta_hint = event.get("eta_seconds")
            if eta_hint is not None:
                p.messages.append({"type": "eta", "eta_seconds": _nonneg_int(eta_hint, "eta")})
            self._ensure_started(task, now, p)
            p.card = True
        elif kind == "step_started":
            step = _step(task, event)
            self._ensure_started(task, now, p)
            self._set_step(step, "paused" if task.status == "paused" else "running", p)
            step.started_at = now
            step.finished_at = None
            step.error = None
            step.attempts += 1
            p.messages.append({"type": "step_started", "step": step.order})
        elif kind == "step_progress":
            step = _step(task, event)
            self._ensure_step_running(task, step, now, p)
            step.reported_percent = _percent(event)
            p.history.append((step.order, step_percent(step), step.status, "step_progress"))
        elif kind == "substep_done":
            step = _step(task, event)
            substep = _substep(step, event)
            self._ensure_step_running(task, step, now, p)
            if not substep.done:
                substep.done = True
                substep.done_at = now
                p.history.append((step.order, step_percent(step), step.status, "substep_done"))
                p.messages.append(
                    {"type": "substep_done", "step": step.order, "substep": substep.name}
                )
        elif kind == "step_completed":
            step = _step(task, event)
            if step.status == "approval":
                raise InvalidTransition(f"step {step.order} is waiting for approval")
            if step.status == "completed":
                # Completing again would move its finish time and tell everyone a second time.
                raise InvalidTransition(f"step {step.order} is already completed")
            self._ensure_started(task, now, p)
            self._set_step(step, "completed", p)
            step.started_at = step.started_at or now
            step.finished_at = now
            for sub in step.substeps:
                if not sub.done:
                    sub.done, sub.done_at = True, now
            p.messages.append({"type": "step_complete", "step": step.order})
            p.notices.append(("step_completed", {"step": step.order}))
        elif kind == "step_failed":
            step = _step(task, event)
            error = _text(event.get("error"), "error") or "unknown error"
            self._fail(task, step, error, now, p)
        elif kind == "step_skipped":
            step = _step(task, event)
            self._set_step(step, "skipped", p)
            step.finished_at = now
            p.messages.append({"type": "step_skipped", "step": step.order})
            if task.status == "failed":
                self._set_task(task, "running", p, why="the failed step was skipped")
        elif kind == "approval_requested":
            self._request_approval(session, task, event, now, p)
        elif kind == "task_completed":
            self._ensure_started(task, now, p)
            if task.status == "failed":
                raise InvalidTransition(f"task {task.id} has failed; retry or skip the step first")
            for step in task.steps:
                if step.status in ("running", "paused"):
                    self._set_step(step, "completed", p)
                    step.finished_at = now
            self._set_task(task, "completed", p)
            task.finished_at = now
            task.result = event.get("result")
            task.reported_percent = 100
            p.messages.append({"type": "task_complete", "result": task.result})
            p.notices.append(("task_completed", {}))
        elif kind == "task_failed":
            error = _text(event.get("error"), "error") or "unknown error"
            failed = _step(task, event) if event.get("step") is not None else _current_step(task)
            self._fail(task, failed, error, now, p)

    def _log(
        self,
        session: AsyncSession,
        task: Task,
        event: Mapping[str, Any],
        now: datetime,
        p: _Pending,
    ) -> None:
        message = _text(event.get("message"), "message")
        if not message:
            raise InvalidEvent("a log event needs a non-empty message")
        level = str(event.get("level") or "info").lower()
        if level not in LOG_LEVELS:
            raise InvalidEvent(f"log level {level!r} is not one of {', '.join(sorted(LOG_LEVELS))}")
        step_no = _step(task, event).order if event.get("step") is not None else None
        session.add(
            LogEntry(task_id=task.id, step=step_no, level=level, message=message, created_at=now)
        )
        p.messages.append({"type": "log", "step": step_no, "level": level, "message": message})

    def _start_task(self, task: Task, now: datetime, p: _Pending) -> None:
        self._set_task(task, "running", p)
        task.started_at = task.started_at or now
        p.messages.append({"type": "task_started"})
        p.notices.append(("task_started", {}))

    def _ensure_started(self, task: Task, now: datetime, p: _Pending) -> None:
        if task.status == "pending":
            self._start_task(task, now, p)

    def _ensure_step_running(self, task: Task, step: Step, now: datetime, p: _Pending) -> None:
        self._ensure_started(task, now, p)
        if step.status == "pending":
            self._set_step(step, "paused" if task.status == "paused" else "running", p)
            step.started_at = now
            step.attempts += 1
        elif step.status not in ("running", "paused"):
            raise InvalidTransition(f"step {step.order} is {step.status}, not running")

    def _fail(self, task: Task, step: Step | None, error: str, now: datetime, p: _Pending) -> None:
        self._ensure_started(task, now, p)
        if step is not None:
            self._set_step(step, "failed", p)
            step.error = error
            step.finished_at = now
            p.messages.append({"type": "step_failed", "step": step.order, "error": error})
        if task.status != "failed":
            self._set_task(task, "failed", p)
            task.error = error
            p.messages.append(
                {"type": "task_failed", "step": step.order if step else None, "error": error}
            )
            p.notices.append(("task_failed", {"step": step.order if step else None}))

    def _request_approval(
        self,
        session: AsyncSession,
        task: Task,
        event: Mapping[str, Any],
        now: datetime,
        p: _Pending,
    ) -> None:
        step = _step(task, event)
        if task.status == "approval":
            raise InvalidTransition(f"task {task.id} is already waiting for an approval")
        self._ensure_started(task, now, p)
        policy = task.approval_policy or {}
        approvers = list(policy.get("approvers") or ([task.owner] if task.owner else []))
        expires = policy.get("expires_seconds")
        approval = Approval(
            task_id=task.id,
            step=step.order,
            prompt=_text(event.get("prompt"), "prompt"),
            status="pending",
            approvers=approvers,
            quorum=int(policy.get("quorum") or 1),
            allow_self_approval=bool(policy.get("allow_self_approval", True)),
            requested_at=now,
            expires_at=now + timedelta(seconds=int(expires)) if expires else None,
        )
        session.add(approval)
        if step.status == "pending":
            step.started_at = now
            step.attempts += 1
        self._set_step(step, "approval", p)
        self._set_task(task, "approval", p)
        p.messages.append({"type": "approval_needed", "step": step.order, "approval": approval})
        p.notices.append(("approval_requested", {"step": step.order, "approval": approval}))

    # ------------------------------------------------------------------ controls

    async def pause(
        self,
        task_id: str,
        *,
        by: str | None = None,
        via: str | None = None,
        reason: str | None = None,
        origin: tuple[str, str] | None = None,
    ) -> None:
        async def change(task: Task, p: _Pending, now: datetime) -> None:
            if task.status not in ("pending", "running"):
                raise InvalidTransition(
                    f"task {task_id} is {task.status}; only a running task can be paused"
                )
            self._set_task(task, "paused", p)
            for step in task.steps:
                if step.status == "running":
                    self._set_step(step, "paused", p)
            p.messages.append({"type": "paused", "by": by})
            p.notices.append(("paused", {"by": by}))

        await self._control_change(
            task_id, "pause", change, by=by, via=via, reason=reason, origin=origin
        )

    async def resume(
        self,
        task_id: str,
        *,
        by: str | None = None,
        via: str | None = None,
        reason: str | None = None,
        origin: tuple[str, str] | None = None,
    ) -> None:
        async def change(task: Task, p: _Pending, now: datetime) -> None:
            if task.status != "paused":
                raise InvalidTransition(
                    f"task {task_id} is {task.status}, not paused; nothing to resume"
                )
            self._set_task(task, "running" if task.started_at else "pending", p)
            for step in task.steps:
                if step.status == "paused":
                    self._set_step(step, "running", p)
            p.messages.append({"type": "resumed", "by": by})
            p.notices.append(("resumed", {"by": by}))

        await self._control_change(
            task_id, "resume", change, by=by, via=via, reason=reason, origin=origin
        )

    async def cancel(
        self,
        task_id: str,
        *,
        by: str | None = None,
        via: str | None = None,
        reason: str | None = None,
        origin: tuple[str, str] | None = None,
    ) -> None:
        async def change(task: Task, p: _Pending, now: datetime) -> None:
            self._cancel(task, now, p, by=by)

        await self._control_change(
            task_id, "cancel", change, by=by, via=via, reason=reason, origin=origin
        )

    def _cancel(self, task: Task, now: datetime, p: _Pending, *, by: str | None) -> None:
        if task.status in ("completed", "cancelled"):
            raise InvalidTransition(f"task {task.id} is already {task.status}")
        self._set_task(task, "cancelled", p)
        task.finished_at = now
        for approval_step in task.steps:
            if approval_step.status == "approval":
                self._set_step(approval_step, "failed", p)
                approval_step.error = "cancelled while waiting for approval"
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
        now = self.clock()
        new_id = secrets.token_hex(6)
        async with self.db.write() as session:
            task = await self._lock_task(session, task_id)
            p = _Pending(origin=origin)
            if task.status == "completed":
                raise InvalidTransition(
                    f"task {task_id} is completed; there is nothing to start over"
                )
            if task.status != "cancelled":
                self._cancel(task, now, p, by=by)
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
                    status="pending",
                    attempts=0,
                )
                step.substeps = [
                    Substep(order=s.order, name=s.name, label=s.label, done=False)
                    for s in old.substeps
                ]
                fresh.steps.append(step)
            session.add(fresh)
            await session.flush()
            subs = await session.scalars(
                select(Subscription).where(Subscription.task_id == task.id)
            )
            for sub in subs:
                session.add(
                    Subscription(
                        task_id=new_id,
                        target_id=sub.target_id,
                        person=sub.person,
                        events=sub.events,
                    )
                )
            for step in fresh.steps:
                session.add(
                    TaskProgress(
                        task_id=new_id,
                        step=step.order,
                        percent=0,
                        status="pending",
                        event="created",
                        updated_at=None,
                    )
                )
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
            change = await self._finish(session, task, p)
        await self._tell(change)
        await self._tell(TaskChange(new_id, 0, ({"type": "task_created", "task_id": new_id},)))
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
        async def change(task: Task, p: _Pending, now: datetime) -> None:
            target = _step(task, {"step": step})
            if target.status != "failed":
                raise InvalidTransition(
                    f"step {step} is {target.status}; only a failed step can be retried"
                )
            self._set_step(target, "pending", p)
            target.reported_percent = None
            target.finished_at = None
            if task.status == "failed":
                self._set_task(task, "running", p, why="retry")
                task.error = None
            p.messages.append({"type": "step_retry", "step": step, "by": by})

        await self._control_change(
            task_id, "retry", change, by=by, via=via, reason=reason, step=step
        )

    async def skip_step(
        self,
        task_id: str,
        step: int,
        *,
        by: str | None = None,
        via: str | None = None,
        reason: str | None = None,
    ) -> None:
        async def change(task: Task, p: _Pending, now: datetime) -> None:
            target = _step(task, {"step": step})
            if target.status not in ("failed", "pending"):
                raise InvalidTransition(
                    f"step {step} is {target.status}; only a failed or pending step can be skipped"
                )
            self._set_step(target, "skipped", p)
            target.finished_at = now
            if task.status == "failed":
                self._set_task(task, "running", p, why="skip")
                task.error = None
            p.messages.append({"type": "step_skipped", "step": step, "by": by})

        await self._control_change(
            task_id, "skip", change, by=by, via=via, reason=reason, step=step
        )

    async def _control_change(
        self,
        task_id: str,
        action: str,
        change: Callable[[Task, _Pending, datetime], Awaitable[None]],
        *,
        by: str | None,
        via: str | None,
        reason: str | None,
        step: int | None = None,
        origin: tuple[str, str] | None = None,
    ) -> None:
        now = self.clock()
        async with self.db.write() as session:
            task = await self._lock_task(session, task_id)
            p = _Pending(origin=origin)
            await change(task, p, now)
            session.add(
                AuditEntry(
                    task_id=task_id,
                    action=action,
                    step=step,
                    by=by,
                    via=via,
                    reason=_text(reason, "reason"),
                    created_at=now,
                )
            )
            result = await self._finish(session, task, p)
        await self._tell(result)

    # ------------------------------------------------------------------ approvals

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
        now = self.clock()
        expired: TaskChange | None = None
        async with self.db.write() as session:
            found = await session.get(Approval, approval_id)
            if found is None:
                raise NotFound(f"there is no approval {approval_id}")
            task = await self._lock_task(session, found.task_id)
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
            p = _Pending(origin=origin)
            if approval.expires_at is not None and now >= approval.expires_at:
                # The expiry is a change of its own: it is committed, the late decision refused.
                self._expire(task, approval, now, p)
                expired = await self._finish(session, task, p)
            else:
                result = self._record_decision(task, approval, decision, by, via, reason, now, p)
                change = await self._finish(session, task, p)
        if expired is not None:
            await self._tell(expired)
            raise Conflict("this approval has expired")
        await self._tell(change)
        return result

    def _record_decision(
        self,
        task: Task,
        approval: Approval,
        decision: str,
        by: str | None,
        via: str | None,
        reason: str | None,
        now: datetime,
        p: _Pending,
    ) -> Decision:
        if by is not None:
            self._check_approver(task, approval, by)
            if any(d.person == by for d in approval.decisions):
                raise Conflict(f"{by} has already decided on this approval")
        who = by or "api"
        reason = _text(reason, "reason")
        approval.decisions.append(
            ApprovalDecision(person=who, decision=decision, reason=reason, via=via, created_at=now)
        )
        approvals = sum(1 for d in approval.decisions if d.decision == "approve")
        step = _step(task, {"step": approval.step})
        if decision == "reject":
            approval.status = "rejected"
            error = f"Rejected by {who}" + (f": {reason}" if reason else "")
            self._set_step(step, "failed", p)
            step.error = error
            step.finished_at = now
            self._set_task(task, "failed", p)
            task.error = error
        elif approvals >= approval.quorum:
            approval.status = "approved"
            self._set_step(step, "running", p)
            self._set_task(task, "running", p)
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
        teams = self.membership.teams_of(person) if self.membership else frozenset()
        allowed = set(approval.approvers or [])
        if person not in allowed and not (teams & allowed):
            raise Forbidden(f"{person} is not an approver of this task")
        if not approval.allow_self_approval and person == task.owner:
            raise Forbidden(f"{person} owns this task and may not approve it")

    def _expire(self, task: Task, approval: Approval, now: datetime, p: _Pending) -> None:
        approval.status = "expired"
        approval.decided_at = now
        step = _step(task, {"step": approval.step})
        self._set_step(step, "failed", p)
        step.error = "the approval expired"
        self._set_task(task, "failed", p)
        task.error = "the approval expired"
        p.messages.append({"type": "approval_decided", "approval": approval})
        p.notices.append(("approval_decided", {"approval": approval}))

    async def expire_approvals(self) -> int:
        """Expire every pending approval past its deadline; returns how many."""
        now = self.clock()
        async with self.db.read() as session:
            due = list(
                await session.scalars(
                    select(Approval.id).where(
                        Approval.status == "pending", Approval.expires_at <= now
                    )
                )
            )
        expired = 0
        for approval_id in due:
            async with self.db.write() as session:
                approval = await session.get(Approval, approval_id)
                if approval is None or approval.status != "pending":
                    continue
                task = await self._lock_task(session, approval.task_id)
                await session.refresh(approval)
                if approval.status != "pending":
                    continue
                p = _Pending()
                self._expire(task, approval, now, p)
                change = await self._finish(session, task, p)
            await self._tell(change)
            expired += 1
        return expired

    # ------------------------------------------------------------------ subscriptions

    async def subscribe(
        self,
        task_id: str,
        platform: str,
        chat: str,
        thread: str | None = None,
        *,
        person: str | None = None,
        events: Sequence[str] | None = None,
    ) -> bool:
        """Let a target hear of a task. Returns False when it already did (nothing changes)."""
        async with self.db.write() as session:
            if await session.get(Task, task_id) is None:
                raise NotFound(f"there is no task {task_id}")
            return await self._subscribe(session, task_id, platform, chat, thread, person, events)

    async def _subscribe(
        self,
        session: AsyncSession,
        task_id: str,
        platform: str,
        chat: str,
        thread: str | None,
        person: str | None,
        events: Sequence[str] | None = None,
    ) -> bool:
        target = await target_row(session, platform, chat, thread)
        existing = await session.scalar(
            select(Subscription).where(
                Subscription.task_id == task_id, Subscription.target_id == target.id
            )
        )
        if existing is not None:
            if events is not None:
                existing.events = sorted(
                    set(existing.events or DEFAULT_NOTIFY_EVENTS) | set(events)
                )
            return False
        session.add(
            Subscription(
                task_id=task_id,
                target_id=target.id,
                person=person,
                events=list(events) if events is not None else None,
            )
        )
        return True

    async def mute(
        self,
        task_id: str,
        platform: str,
        chat: str,
        thread: str | None = None,
        *,
        until: datetime | None,
    ) -> bool:
        """Mute (until a time, or None to unmute) a task in a chat. False when not subscribed."""
        async with self.db.write() as session:
            target = await target_row(session, platform, chat, thread)
            result = await session.execute(
                update(Subscription)
                .where(Subscription.task_id == task_id, Subscription.target_id == target.id)
                .values(muted_until=until)
            )
            return bool(getattr(result, "rowcount", 0))

    # ------------------------------------------------------------------ internals

    async def _lock_task(self, session: AsyncSession, task_id: str) -> Task:
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
        return task

    def _set_step(self, step: Step, status: str, p: _Pending) -> None:
        if step.status == status:
            return
        check_step(step.order, step.status, status)
        step.status = status
        p.history.append((step.order, step_percent(step), status, status))

    def _set_task(self, task: Task, status: str, p: _Pending, *, why: str = "") -> None:
        if task.status == status:
            return
        check_task(task.id, task.status, status, why=why)
        task.status = status
        p.history.append((None, task_percent(task), status, status))

    async def _finish(self, session: AsyncSession, task: Task, p: _Pending) -> TaskChange:
        """Write history and outbox rows for what changed, bump the version, flush."""
        now = self.clock()
        task.version += 1
        task.updated_at = now
        task.percent = task_percent(task)
        for step_no, percent, status, event in p.history:
            session.add(
                TaskProgress(
                    task_id=task.id,
                    step=step_no,
                    percent=percent,
                    status=status,
                    event=event,
                    updated_at=now,
                )
            )
        changed_state = bool(p.history) or p.card or bool(p.notices)
        if changed_state and not any(h[0] is None for h in p.history):
            session.add(
                TaskProgress(
                    task_id=task.id,
                    step=None,
                    percent=task.percent,
                    status=task.status,
                    event="progress",
                    updated_at=now,
                )
            )
        outbox = await self._write_outbox(session, task, p, now) if changed_state else 0
        await session.flush()
        messages = []
        for message in p.messages:
            message = dict(message)
            approval = message.get("approval")
            if isinstance(approval, Approval):
                message["approval"] = approval_dict(approval)
            messages.append(message)
        if changed_state:
            messages.append({"type": "progress", "percent": task.percent, "status": task.status})
        for message in messages:
            message.setdefault("task_id", task.id)
            message["version"] = task.version
        return TaskChange(task.id, task.version, tuple(messages), outbox)

    async def _write_outbox(
        self, session: AsyncSession, task: Task, p: _Pending, now: datetime
    ) -> int:
        # One query: the task's live targets, each with whether a card row already waits for it
        # (that row draws the newest state when sent, so progress adds nothing).
        card_waiting = (
            select(OutboxRow.id)
            .where(
                OutboxRow.task_id == task.id,
                OutboxRow.target_id == Target.id,
                OutboxRow.kind == "card",
                OutboxRow.status == "pending",
            )
            .exists()
        )
        rows = list(
            await session.execute(
                select(Subscription, Target, card_waiting)
                .join(Target, Target.id == Subscription.target_id)
                .where(Subscription.task_id == task.id, Target.disabled.is_(False))
            )
        )
        if not rows:
            return 0
        subs = [(sub, target) for sub, target, _ in rows]
        pending_cards = {target.id for _, target, waiting in rows if waiting}
        written = 0
        if p.notices:
            await session.flush()  # approval ids are needed in payloads
            prefs = await self._preferences(session, subs)
        else:
            prefs = {}
        for index, (event, payload) in enumerate(p.notices):
            data = {
                k: (approval_dict(v) if isinstance(v, Approval) else v) for k, v in payload.items()
            }
            written += self._add_notices(
                session, task, subs, prefs, event, data, f"{task.version}:{index}", now, p.origin
            )
        for sub, target in subs:
            muted = sub.muted_until is not None and sub.muted_until > now
            if muted or target.id in pending_cards:
                continue  # the pending card row renders the newest state when it is sent
            session.add(
                OutboxRow(
                    task_id=task.id,
                    target_id=target.id,
                    kind="card",
                    event="card",
                    payload={},
                    task_version=task.version,
                    next_attempt_at=now,
                    created_at=now,
                    dedupe_key=f"card:{task.id}:{task.version}:{target.id}",
                )
            )
            written += 1
        return written

    def _add_notices(
        self,
        session: AsyncSession,
        task: Task,
        subs: Sequence[Any],
        prefs: Mapping[str, Mapping[str, Any]],
        event: str,
        data: dict[str, Any],
        key: str,
        now: datetime,
        origin: tuple[str, str] | None = None,
    ) -> int:
        """One notice row per subscribed target that wants `event`; `key` makes it unique."""
        written = 0
        for sub, target in subs:
            if origin is not None and (target.platform, target.chat) == origin:
                continue
            if not self._wants(sub, target, prefs, event, now):
                continue
            session.add(
                OutboxRow(
                    task_id=task.id,
                    target_id=target.id,
                    kind="notice",
                    event=event,
                    payload=data,
                    task_version=task.version,
                    next_attempt_at=now,
                    created_at=now,
                    dedupe_key=f"notice:{task.id}:{key}:{target.id}",
                )
            )
            written += 1
        return written

    def _wants(
        self,
        sub: Subscription,
        target: Target,
        prefs: Mapping[str, Mapping[str, Any]],
        event: str,
        now: datetime,
    ) -> bool:
        """Does this subscription want this event, by its own filter and the preferences of its
        chat and person? Muting holds back everything but what needs a person's action."""
        chat_prefs = prefs.get(chat_scope(target.platform, target.chat, target.thread or None), {})
        person_prefs = prefs.get(person_scope(sub.person), {}) if sub.person else {}
        wanted: Collection[str] | None = sub.events
        if wanted is None:
            wanted = chat_prefs.get("events") or person_prefs.get("events") or self.notify_events
        if event not in wanted:
            return False
        channels = person_prefs.get("channels")
        if channels and target.platform not in channels:
            return False
        muted = sub.muted_until is not None and sub.muted_until > now
        return not muted or event in ("approval_requested", "approval_reminder", "task_failed")

    async def notify(
        self, task_id: str, event: str, payload: Mapping[str, Any], *, once_key: str
    ) -> int:
        """Tell a task's subscribers of something that is not a state change (a stall, a
        reminder, a check-in). `once_key` makes it happen once, however many workers try."""
        now = self.clock()
        try:
            async with self.db.write() as session:
                task = await self._lock_task(session, task_id)
                subs = list(
                    await session.execute(
                        select(Subscription, Target)
                        .join(Target, Target.id == Subscription.target_id)
                        .where(Subscription.task_id == task.id, Target.disabled.is_(False))
                    )
                )
                prefs = await self._preferences(session, subs)
                written = self._add_notices(
                    session, task, subs, prefs, event, dict(payload), once_key, now
                )
                await session.flush()
        except IntegrityError:
            return 0  # another worker (or an earlier run) already did it
        if written:
            await self._tell(TaskChange(task_id, task.version, (), written))
        return written

    async def _preferences(
        self, session: AsyncSession, subs: Sequence[Any]
    ) -> dict[str, Mapping[str, Any]]:
        """Preferences of the chats and persons of these subscriptions, by scope."""
        scopes = set()
        for sub, target in subs:
            scopes.add(chat_scope(target.platform, target.chat, target.thread or None))
            if sub.person:
                scopes.add(person_scope(sub.person))
        if not scopes:
            return {}
        merged: dict[str, Mapping[str, Any]] = {
            scope: self.default_preferences[scope]
            for scope in scopes
            if scope in self.default_preferences
        }
        rows = await session.scalars(select(Preference).where(Preference.scope.in_(sorted(scopes))))
        for row in rows:
            merged[row.scope] = {**merged.get(row.scope, {}), **(row.settings or {})}
        return merged

    async def first_delivery(self, scope: str, key: str) -> bool:
        """Remember a platform delivery (a Slack event_id, a Telegram update_id). False when it
        was seen before: a redelivery or a replay, to be acknowledged and not handled again.
        Holds across restarts and workers; retention forgets keys after a while."""
        try:
            async with self.db.write() as session:
                if await session.get(SeenKey, (scope, key[:200])) is not None:
                    return False
                session.add(SeenKey(scope=scope, key=key[:200], created_at=self.clock()))
        except IntegrityError:  # another worker took it at the same moment
            return False
        return True

    async def set_preferences(self, scope: str, **settings: Any) -> dict[str, Any]:
        """Merge settings into a person's or chat's preferences (None removes a key)."""
        async with self.db.write() as session:
            row = await session.get(Preference, scope)
            current = dict(row.settings) if row else {}
            for key, value in settings.items():
                if value is None:
                    current.pop(key, None)
                else:
                    current[key] = value
            if row is None:
                session.add(Preference(scope=scope, settings=current, updated_at=self.clock()))
            else:
                row.settings, row.updated_at = current, self.clock()
            return current

    async def control(self, task_id: str) -> dict[str, Any]:
        async with self.db.read() as session:
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

    async def _tell(self, change: TaskChange) -> None:
        for listener in self._listeners:
            try:
                result = listener(change)
                if result is not None:
                    await result
            except Exception:  # a listener's failure must never undo or block a committed change
                logger.exception("task change listener failed for task %s", change.task_id)


# ---------------------------------------------------------------------- helpers shared with queries


async def target_row(session: AsyncSession, platform: str, chat: str, thread: str | None) -> Target:
    """The target row for (platform, chat, thread), created when new."""
    if not platform or not chat:
        raise InvalidEvent("a notify target needs a platform and a chat")
    thread_key = thread or ""
    stmt = select(Target).where(
        Target.platform == platform, Target.chat == chat, Target.thread == thread_key
    )
    target = await session.scalar(stmt)
    if target is None:
        try:
            async with session.begin_nested():
                target = Target(platform=platform, chat=chat, thread=thread_key)
                session.add(target)
        except IntegrityError:  # created by a concurrent writer in the meantime
            target = await session.scalar(stmt)
            assert target is not None
    return target


def person_scope(person: str | None) -> str:
    return f"person:{person}"


def chat_scope(platform: str, chat: str, thread: str | None = None) -> str:
    return f"chat:{platform}:{chat}:{thread or ''}"


def approval_dict(approval: Approval) -> dict[str, Any]:
    return {
        "id": str(approval.id),
        "step": approval.step,
        "prompt": approval.prompt,
        "status": approval.status,
        "approvers": list(approval.approvers or []),
        "quorum": approval.quorum,
        "decisions": [
            {
                "by": d.person,
                "decision": d.decision,
                "reason": d.reason,
                "via": d.via,
                "at": iso(d.created_at),
            }
            for d in (approval.decisions if "decisions" in approval.__dict__ else [])
        ],
        "decided_by": approval.decided_by,
        "reason": approval.reason,
        "expires_at": iso(approval.expires_at),
    }


def control_dict(
    task: Task, approval: Approval | None = None, restarted_as: str | None = None
) -> dict[str, Any]:
    retry = next((s.order for s in task.steps if s.status == "pending" and s.attempts > 0), None)
    control: dict[str, Any] = {
        "state": control_state(task.status),
        "status": task.status,
        "version": task.version,
        "retry_step": retry,
        "skipped_steps": [s.order for s in task.steps if s.status == "skipped"],
    }
    if approval is not None:
        control["approval"] = {
            "id": str(approval.id),
            "step": approval.step,
            "status": approval.status,
            "decided_by": approval.decided_by,
            "reason": approval.reason,
        }
    if restarted_as:
        control["restarted_as"] = restarted_as
    return control


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _step(task: Task, event: Mapping[str, Any]) -> Step:
    raw = event.get("step")
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise InvalidEvent(f"'step' must be a step number (1-{len(task.steps)}), got {raw!r}")
    for step in task.steps:
        if step.order == raw:
            return step
    raise NotFound(f"task {task.id} has no step {raw}; its steps are 1-{len(task.steps)}")


def _current_step(task: Task) -> Step | None:
    for status in ("running", "approval", "paused"):
        for step in task.steps:
            if step.status == status:
                return step
    return None


def _substep(step: Step, event: Mapping[str, Any]) -> Substep:
    raw = event.get("substep")
    for sub in step.substeps:
        if raw == sub.name or (
            isinstance(raw, int) and not isinstance(raw, bool) and raw == sub.order
        ):
            return sub
    names = ", ".join(repr(s.name) for s in step.substeps) or "none"
    raise NotFound(f"step {step.order} has no substep {raw!r}; its substeps are: {names}")


def _percent(event: Mapping[str, Any]) -> int:
    raw = event.get("percent")
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise InvalidEvent(f"'percent' must be a number from 0 to 100, got {raw!r}")
    if not 0 <= raw <= 100:
        raise InvalidEvent(f"'percent' must be from 0 to 100, got {raw}")
    return int(raw + 0.5)


def _nonneg_int(raw: Any, name: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or raw < 0:
        raise InvalidEvent(f"'{name}' must be a number of seconds ≥ 0, got {raw!r}")
    return int(raw)


def _text(raw: Any, name: str) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise InvalidEvent(f"'{name}' must be text, got {type(raw).__name__}")
    return raw[:MAX_TEXT]


def _validate_new_task(spec: NewTask) -> None:
    if not spec.title or not spec.title.strip():
        raise InvalidEvent("a task needs a title")
    if len(spec.title) > 500:
        raise InvalidEvent("a task title may have at most 500 characters")
    if spec.task_id is not None and not TASK_ID_RE.match(spec.task_id):
        raise InvalidEvent(
            "task_id may use letters, digits, '.', '_' and '-' (at most 64, starting with a "
            f"letter or digit), got {spec.task_id!r}"
        )
    if not spec.steps:
        raise InvalidEvent("a task needs at least one step")
    if len(spec.steps) > 1000:
        raise InvalidEvent("a task may have at most 1000 steps")
    for order, step in enumerate(spec.steps, start=1):
        if not step.name or not step.name.strip():
            raise InvalidEvent(f"step {order} needs a name")
        if step.weight < 0:
            raise InvalidEvent(f"step {order}: weight must be ≥ 0")
        names = [name for name, _ in step.substeps]
        if len(set(names)) != len(names):
            raise InvalidEvent(f"step {order}: substep names must be unique")
    if spec.quorum < 1:
        raise InvalidEvent("approval quorum must be at least 1")

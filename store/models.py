"""The tables. Every change to task state goes through `store.tracker.Tracker`; read these freely.

Times are stored as timezone-aware UTC datetimes. Ids of tasks are short strings an engine may
choose ("abc123", as in the seed); everything else uses integer keys.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

__all__ = [
    "Approval",
    "ApprovalApprover",
    "ApprovalDecision",
    "AuditEntry",
    "Base",
    "LiveMessage",
    "LogEntry",
    "OutboxRow",
    "Preference",
    "ProcessedEvent",
    "SeenKey",
    "SendBudget",
    "Step",
    "Subscription",
    "Substep",
    "Target",
    "Task",
    "TaskProgress",
    "utcnow",
]

# SQLite has no BIGINT autoincrement; this keeps 64-bit keys on PostgreSQL and rowids on SQLite.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A datetime that always comes back timezone-aware in UTC (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class Task(Base):
    __tablename__ = "tasks"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    short_name: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[str | None] = mapped_column(String(100), index=True)
    owner: Mapped[str | None] = mapped_column(String(100), index=True)
    team: Mapped[str | None] = mapped_column(String(100), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    # The engine's own overall percent ({"type": "progress"}); None means "derive from steps".
    reported_percent: Mapped[int | None] = mapped_column(Integer)
    percent: Mapped[int] = mapped_column(Integer, default=0)
    # Running totals behind `percent`, kept by every change so an event reads no other step: the
    # sum of the step weights and of weight x step percent, as exact fractions ("7/2"), so they
    # never drift from a recount.
    progress_total: Mapped[str] = mapped_column(Text, default="0")
    progress_done: Mapped[str] = mapped_column(Text, default="0")
    complexity: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    approval_policy: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    result: Mapped[Any] = mapped_column(JSON, nullable=True)
    error: Mapped[str | None] = mapped_column(Text)
    workspace: Mapped[str | None] = mapped_column(String(100))
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    previous_task_id: Mapped[str | None] = mapped_column(String(64))
    # The name of the API token that created the task: an engine token reaches only its own.
    created_by_token: Mapped[str | None] = mapped_column(String(64))
    # Bumped on every accepted change; outbox rows and WebSocket messages carry it for ordering.
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    steps: Mapped[list[Step]] = relationship(
        back_populates="task", order_by="Step.order", cascade="all, delete-orphan"
    )

    # An ETA reads the newest completed tasks of a kind (`store.snapshots.read_history`): by
    # this index it reads their 200 rows, where the kind's index alone sorts every one of them.
    __table_args__ = (Index("ix_tasks_kind_status_finished", "kind", "status", "finished_at"),)


class Step(Base):
    __tablename__ = "steps"
    __table_args__ = (UniqueConstraint("task_id", "order"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    order: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(500))
    done_label: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    # The engine's step percent, when it reports one; otherwise substeps decide.
    reported_percent: Mapped[int | None] = mapped_column(Integer)
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    # The engine's rough guess of the step's duration, a prior for the ETA before any history.
    estimate_seconds: Mapped[float | None] = mapped_column(Float)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    task: Mapped[Task] = relationship(back_populates="steps")
    substeps: Mapped[list[Substep]] = relationship(
        back_populates="step", order_by="Substep.order", cascade="all, delete-orphan"
    )


class Substep(Base):
    __tablename__ = "substeps"
    __table_args__ = (UniqueConstraint("step_id", "order"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"))
    order: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(500))
    label: Mapped[str | None] = mapped_column(String(500))
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_at: Mapped[datetime | None]

    step: Mapped[Step] = relationship(back_populates="substeps")


class TaskProgress(Base):
    """The seed's `task_progress` history: one row per accepted change of a step or the task.

    `step` is NULL for task-level changes (started, paused, completed ...).
    """

    __tablename__ = "task_progress"
    __table_args__ = (Index("ix_task_progress_task_id_id", "task_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    step: Mapped[int | None] = mapped_column(Integer)
    percent: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    event: Mapped[str | None] = mapped_column(String(32))
    # No default: the seed's history shows steps not yet begun with updated_at NULL, and the ORM
    # would replace an explicit None with a column default.
    updated_at: Mapped[datetime | None]


class LogEntry(Base):
    __tablename__ = "logs"
    __table_args__ = (Index("ix_logs_task_id_id", "task_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    step: Mapped[int | None] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(16), default="info")
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Approval(Base):
    __tablename__ = "approvals"
    __table_args__ = (Index("ix_approvals_task_id_status", "task_id", "status"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    step: Mapped[int] = mapped_column(Integer)
    prompt: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # approved|rejected|expired
    approvers: Mapped[list[Any]] = mapped_column(JSON, default=list)
    quorum: Mapped[int] = mapped_column(Integer, default=1)
    allow_self_approval: Mapped[bool] = mapped_column(Boolean, default=True)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(Text)
    reminded_at: Mapped[datetime | None]

    decisions: Mapped[list[ApprovalDecision]] = relationship(
        order_by="ApprovalDecision.id", cascade="all, delete-orphan"
    )
    # `approvers` as rows, so "what waits on alice?" is an index lookup, not a scan of JSON.
    approver_rows: Mapped[list[ApprovalApprover]] = relationship(cascade="all, delete-orphan")


class ApprovalApprover(Base):
    """One name (a person or a team) an approval asks, while it is pending and after.

    A copy of `Approval.approvers`, one row per name, written when the approval opens; `pending`
    turns false when the approval is decided or expires (`store.tracker.approvals`). The index
    answers "the tasks waiting on these names" without reading any approval's JSON.
    """

    __tablename__ = "approval_approvers"
    __table_args__ = (
        Index("ix_approval_approvers_approver_pending", "approver", "pending", "task_id"),
    )

    approval_id: Mapped[int] = mapped_column(
        ForeignKey("approvals.id", ondelete="CASCADE"), primary_key=True
    )
    approver: Mapped[str] = mapped_column(String(100), primary_key=True)
    # The approval's task, copied so the lookup needs no join; rows go with their approval.
    task_id: Mapped[str] = mapped_column(String(64))
    pending: Mapped[bool] = mapped_column(Boolean, default=True)


class ApprovalDecision(Base):
    """One person's vote on an approval: the audit trail of every decision, with its reason."""

    __tablename__ = "approval_decisions"
    __table_args__ = (UniqueConstraint("approval_id", "person"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    approval_id: Mapped[int] = mapped_column(ForeignKey("approvals.id", ondelete="CASCADE"))
    person: Mapped[str] = mapped_column(String(100))
    decision: Mapped[str] = mapped_column(String(16))  # approve | reject
    reason: Mapped[str | None] = mapped_column(Text)
    via: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    """Who asked for a control (pause, resume, cancel, restart, retry, skip), from where, when."""

    __tablename__ = "audit"
    __table_args__ = (Index("ix_audit_task_id_id", "task_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(32))
    step: Mapped[int | None] = mapped_column(Integer)
    by: Mapped[str | None] = mapped_column(String(100))
    via: Mapped[str | None] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProcessedEvent(Base):
    """Engine event ids already applied, so a resend changes nothing."""

    __tablename__ = "processed_events"

    task_id: Mapped[str] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True
    )
    event_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SharedSetting(Base):
    """A value every worker must agree on and nobody configured (a generated link secret)."""

    __tablename__ = "shared_settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SeenKey(Base):
    """Platform deliveries already handled (a Slack event_id, a Telegram update_id)."""

    __tablename__ = "seen_keys"

    scope: Mapped[str] = mapped_column(String(50), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Target(Base):
    """A place messages go: (platform, chat, thread). Disabled when the platform says it is gone."""

    __tablename__ = "targets"
    __table_args__ = (UniqueConstraint("platform", "chat", "thread"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(32))
    chat: Mapped[str] = mapped_column(String(200))
    # "" rather than NULL for "no thread", so the unique constraint holds on every database.
    thread: Mapped[str] = mapped_column(String(200), default="")
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled_reason: Mapped[str | None] = mapped_column(Text)
    # One sender per target at a time, so a chat's order and rate limit hold across workers.
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[datetime | None]
    # When the platform takes the chat's next message: workers other than `lease_owner` (the
    # last sender, whose limiter knows the chat) lease it only from then on.
    next_send_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SendBudget(Base):
    """A platform's overall rate limit shared by every worker: the start of the next free slot
    (`store/budget.py` takes slots from it a few at a time)."""

    __tablename__ = "send_budgets"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    next_free: Mapped[datetime]


class Subscription(Base):
    """A target hears of a task. `events` None means the configured defaults."""

    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("task_id", "target_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    # Indexed: "the tasks that notify this chat" is part of who may name what in a chat.
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"), index=True)
    person: Mapped[str | None] = mapped_column(String(100))
    events: Mapped[list[Any] | None] = mapped_column(JSON)
    muted_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    target: Mapped[Target] = relationship()


class OutboxRow(Base):
    """A message that must reach a target. Written in the same transaction as the change.

    kind "notice" is a notification (never merged or dropped); kind "card" asks the notifier to
    post or edit the task's live card, rendered from the task's state at send time, so one pending
    card row stands for any number of progress changes.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_target_status", "target_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # notice | card
    event: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    dedupe_key: Mapped[str] = mapped_column(String(300), unique=True)
    task_version: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # sent | dead
    # Held back by quiet hours: sent later, together with the others held, as one summary.
    held: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    message_ref: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class LiveMessage(Base):
    """Which chat message shows which task's live card, so it is edited in place after a restart."""

    __tablename__ = "live_messages"
    __table_args__ = (UniqueConstraint("task_id", "target_id", "purpose"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(32), default="card")  # card | approval:<id>
    message_ref: Mapped[str] = mapped_column(String(200))
    thread_ref: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Preference(Base):
    """Notification preferences of a person or a chat (scope "person:alice", "chat:slack:C1:")."""

    __tablename__ = "preferences"

    scope: Mapped[str] = mapped_column(String(300), primary_key=True)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

"""What callers hand the Tracker and what they get back: the specs of a new task, the results
of a change, the event names, and the membership a decision is checked against.

Every other module of the package may import this one; it imports none of them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

__all__ = [
    "DEFAULT_NOTIFY_EVENTS",
    "EVENT_TYPES",
    "MAX_STEP_ESTIMATE_SECONDS",
    "RETIRE_EVENT",
    "Applied",
    "Decision",
    "Limits",
    "Listener",
    "Membership",
    "NewStep",
    "NewTask",
    "TaskChange",
]

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
# The event of a card row that only retires the approval buttons a chat still shows (edits them
# to say who decided what), without drawing the card: written for a muted chat when a change ends
# one of the task's approvals.
RETIRE_EVENT = "retire"

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
# An engine's declared step duration is a guess, but not one of more than 30 days.
MAX_STEP_ESTIMATE_SECONDS = 30 * 24 * 3600


class Membership(Protocol):
    """Who is in which team; the bot's Directory (from `users:` and `teams:`) is one."""

    def teams_of(self, person: str) -> frozenset[str]: ...


@dataclass(frozen=True, slots=True)
class Limits:
    """How big input may be, whoever sends it (the API, the engine client in-process, the CLI,
    the chat): the Tracker refuses more before anything is written. The bot hands in the
    config's `limits:`; these defaults are the config's."""

    max_steps: int = 1000
    max_substeps_per_step: int = 500
    max_substeps_total: int = 5000
    max_name_length: int = 500
    max_json_depth: int = 32
    max_approval_expiry_seconds: int = 30 * 86400


@dataclass(frozen=True, slots=True)
class NewStep:
    name: str
    done_label: str | None = None
    weight: float = 1.0
    substeps: tuple[tuple[str, str | None], ...] = ()  # (name, display label)
    estimate_seconds: float | None = None  # the engine's rough guess, a prior for the ETA


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
    created_by_token: str | None = None


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

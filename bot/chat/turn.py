"""What one chat turn knows: who asks where, the tasks they may name, and open questions.

Shared by the brain and its handler modules, so none of them imports another for these.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.types import Reply, Target
from intents import Intent
from store.shapes import SnapshotShape

__all__ = ["CONTROL_INTENTS", "PENDING_TTL_SECONDS", "Asked", "TaskHandler", "Turn"]

# Intents that steer a task: only its owner or their team may (bot.steering.permissions).
CONTROL_INTENTS = frozenset({"pause", "resume", "cancel", "restart", "retry_step", "skip_step"})

# How long a question the bot asked (a reject reason, a confirmation, the argument of a "which
# task?" choice) stays open: long enough to look something up, short enough not to surprise
# anyone later.
PENDING_TTL_SECONDS = 600.0


@dataclass(frozen=True)
class Asked:
    """A question the bot asked a person in a chat, waiting for their next message or button."""

    intent: str
    task_id: str | None
    argument: str | None
    approval_id: int | None
    expires_at: float
    step: int | None = None


@dataclass(frozen=True)
class Turn:
    """Who asks where, and what they may name."""

    person: str
    target: Target
    tasks: list[dict[str, Any]]
    surface: str | None = None  # what the audit trail records, when not the platform
    user: str | None = None  # the asker's id on the platform, to ask the platform about them

    @property
    def via(self) -> str:
        return self.surface or self.target.platform

    @property
    def chat_key(self) -> str:
        return self.target.key()

    @property
    def origin(self) -> tuple[str, str]:
        """The chat this turn happens in, which needs no notice of what it just did."""
        return (self.target.platform, self.target.chat)

    def visible(self, task_id: str) -> bool:
        return any(t["task_id"] == task_id for t in self.tasks)

    def summary(self, task_id: str | None) -> dict[str, Any] | None:
        return next((t for t in self.tasks if t["task_id"] == task_id), None)

    def version(self, task_id: str) -> int | None:
        """The task's version as this turn read it (None: not among its tasks)."""
        found = self.summary(task_id)
        return found.get("version") if found is not None else None


TaskHandler = Callable[[Turn, Intent, SnapshotShape], Awaitable[Reply]]

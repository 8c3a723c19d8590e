"""The values the intents package hands out: what a person asked for, and the tasks it may name."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ACTIVE_STATUSES",
    "INTENT_NAMES",
    "Intent",
    "IntentError",
    "TaskRef",
    "UnknownIntentError",
]

INTENT_NAMES: tuple[str, ...] = (
    "status",
    "list_tasks",
    "logs",
    "why_failed",
    "eta",
    "pause",
    "resume",
    "cancel",
    "restart",
    "retry_step",
    "skip_step",
    "approve",
    "reject",
    "subscribe",
    "mute",
    "unmute",
    "notify_settings",
    "help",
    "greeting",
    "thanks",
    "unknown",
)

# Task states in which a task is still "going": the ones "it" most likely means.
ACTIVE_STATUSES: frozenset[str] = frozenset({"pending", "running", "paused", "approval"})


class IntentError(Exception):
    """Root of every error the intents package raises."""


class UnknownIntentError(IntentError, KeyError):
    """An intent name that is not in `INTENT_NAMES`."""


@dataclass(frozen=True, slots=True)
class TaskRef:
    """A task the person may see, as the caller knows it."""

    task_id: str
    title: str
    short_name: str | None = None
    status: str = "running"
    updated_at: float = 0.0


@dataclass(frozen=True, slots=True)
class Intent:
    """What a person asked for, with the task and step it is about when they said (or implied) one.

    `resolution` tells how `task_id` was found: "named" (the text named it), "context" (it/that one:
    the task last discussed in this chat), "only_active" (nothing named, one task fits), "ambiguous"
    (see `candidates`, best first), "not_found" (`task_query` named nothing we know) or "none".
    """

    name: str
    task_id: str | None = None
    task_query: str | None = None
    candidates: tuple[str, ...] = ()
    resolution: str = "none"
    step: int | None = None
    argument: str | None = None
    confidence: float = 1.0

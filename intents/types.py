"""The values the intents package hands out: what a person asked for, and the tasks it may name."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ACTIVE_STATUSES",
    "FINISHED_STATUSES",
    "INTENT_NAMES",
    "STATE_CHANGING",
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
    "who_approves",
    "waiting_on_me",
    "capabilities",
    "notify_channel",
    "history",
    "open_link",
    "unknown",
)

# Intents that change a task or a person's settings: never done from a question, a hypothetical,
# a negation, a correction or a report about the past.
STATE_CHANGING: frozenset[str] = frozenset(
    {
        "pause",
        "resume",
        "cancel",
        "restart",
        "retry_step",
        "skip_step",
        "approve",
        "reject",
        "mute",
        "unmute",
        "notify_settings",
        "notify_channel",
        "subscribe",
    }
)

# Task states after which nothing runs any more.
FINISHED_STATUSES: frozenset[str] = frozenset({"completed", "cancelled", "canceled", "done"})

# Task states in which a task is still "going": the ones "it" most likely means.
ACTIVE_STATUSES: frozenset[str] = frozenset({"pending", "running", "paused", "approval"})


class IntentError(Exception):
    """Root of every error the intents package raises."""


class UnknownIntentError(IntentError, KeyError):
    """An intent name that is not in `INTENT_NAMES`."""


@dataclass(frozen=True, slots=True)
class TaskRef:
    """A task the person may see, as the caller knows it.

    `owner` ("bob's job"), `kind` ("the training job") and `steps` (step and substep names: "the
    one that builds the invoices") are optional extra ways a message may name the task.
    """

    task_id: str
    title: str
    short_name: str | None = None
    status: str = "running"
    updated_at: float = 0.0
    owner: str | None = None
    kind: str | None = None
    steps: tuple[str, ...] = ()  # step and substep names
    team: str | None = None


@dataclass(frozen=True, slots=True)
class Intent:
    """What a person asked for, with the task and step it is about when they said (or implied) one.

    `resolution` tells how `task_id` was found: "named" (the text named it), "context" (it/that one:
    the task last discussed in this chat), "only_active" (nothing named, one task fits),
    "one_of_several" (the message named another task too; this one is what the request is about),
    "waiting_step" (only the object of the sign-off step it waits at: "approve the cutover"),
    "ambiguous" (see `candidates`, best first), "not_found" (`task_query` named nothing we know)
    or "none".
    """

    name: str
    task_id: str | None = None
    task_query: str | None = None
    candidates: tuple[str, ...] = ()
    resolution: str = "none"
    step: int | None = None
    argument: str | None = None
    confidence: float = 1.0

"""The seed's step states and the task states, and which changes between them are allowed.

pending → running → completed
                  ↘ failed
                  ↘ skipped
plus paused (waiting for resume) and approval (waiting for a person's decision)
"""

from __future__ import annotations

from store.errors import InvalidTransition

__all__ = [
    "STEP_TRANSITIONS",
    "TASK_TRANSITIONS",
    "check_step",
    "check_task",
    "control_state",
]

# step state -> states it may move to
STEP_TRANSITIONS: dict[str, frozenset[str]] = {
    "pending": frozenset({"running", "paused", "skipped", "approval", "failed", "completed"}),
    "running": frozenset({"completed", "failed", "skipped", "paused", "approval"}),
    "paused": frozenset({"running", "completed", "failed", "skipped", "approval"}),
    "approval": frozenset({"running", "failed"}),
    "failed": frozenset({"pending", "skipped"}),  # retry | skip
    "completed": frozenset(),
    "skipped": frozenset(),
}

TASK_TRANSITIONS: dict[str, frozenset[str]] = {
    "pending": frozenset({"running", "paused", "approval", "completed", "failed", "cancelled"}),
    "running": frozenset({"paused", "approval", "completed", "failed", "cancelled"}),
    "paused": frozenset({"running", "approval", "completed", "failed", "cancelled"}),
    "approval": frozenset({"running", "paused", "failed", "cancelled", "completed"}),
    "failed": frozenset({"running", "cancelled"}),  # retry or skip of the failed step; cancel
    "completed": frozenset(),
    "cancelled": frozenset(),
}


def check_step(order: int, current: str, new: str) -> None:
    if new == current or new in STEP_TRANSITIONS.get(current, frozenset()):
        return
    raise InvalidTransition(f"step {order} is {current}; it cannot become {new}")


def check_task(task_id: str, current: str, new: str, *, why: str = "") -> None:
    if new in TASK_TRANSITIONS.get(current, frozenset()):
        return
    detail = f" ({why})" if why else ""
    raise InvalidTransition(f"task {task_id} is {current}; it cannot become {new}{detail}")


def control_state(status: str) -> str:
    """What an engine must do now: "run", "pause" or "cancel"."""
    if status == "cancelled":
        return "cancel"
    if status == "paused":
        return "pause"
    return "run"

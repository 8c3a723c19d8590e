"""Steering a task: one entry for every channel (the API, the web page, chat buttons and words).

Who may steer is each caller's check (it knows who is asking and how to say no); what the state
allows is the Tracker's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.services import Services

__all__ = ["STEP_ACTIONS", "TASK_ACTIONS", "steer", "steered_snapshot"]

TASK_ACTIONS = ("pause", "resume", "cancel", "restart")
STEP_ACTIONS = ("retry", "skip")


async def steer(
    services: Services,
    task_id: str,
    action: str,
    *,
    step: int | None = None,
    by: str | None,
    via: str | None,
    reason: str | None = None,
    origin: tuple[str, str] | None = None,
) -> str:
    """Apply `action` and count it; returns the task to show now (a restart's new attempt).

    `origin` is the chat (platform, chat id) the person acted from: it already has the bot's
    answer, so it gets no notice of the same thing."""
    tracker = services.tracker
    if action == "pause":
        await tracker.pause(task_id, by=by, via=via, reason=reason, origin=origin)
    elif action == "resume":
        await tracker.resume(task_id, by=by, via=via, reason=reason, origin=origin)
    elif action == "cancel":
        await tracker.cancel(task_id, by=by, via=via, reason=reason, origin=origin)
    elif action == "restart":
        task_id = await tracker.restart(task_id, by=by, via=via, reason=reason, origin=origin)
    elif action in STEP_ACTIONS and step is not None:
        control = tracker.retry_step if action == "retry" else tracker.skip_step
        await control(task_id, step, by=by, via=via, reason=reason)
    else:
        raise ValueError(f"unknown control {action!r}")
    services.metrics.controls.labels(action).inc()
    return task_id


async def steered_snapshot(services: Services, task_id: str, shown: str) -> dict[str, Any]:
    """What a steering call answers: the task to show afterwards (`steer`'s result: a restart's
    new attempt), saying which task it restarted from when that is another one."""
    snap: dict[str, Any] = dict(await services.progress.snapshot(shown))
    if shown != task_id:
        snap["restarted_from"] = task_id
    return snap

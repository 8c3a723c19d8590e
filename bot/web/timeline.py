"""The task's history as a person reads it: what happened, when, and who did it.

The `task_progress` table keeps a row per accepted change, so a demo task has a hundred rows of
percents. The page shows the moments that matter instead: the task started, a step began and
finished (and how long it took), an approval was asked for and decided, someone paused, resumed,
retried, skipped, cancelled or restarted it, and how it ended. Percent-only rows are dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from bot.replies import clean_text
from bot.services import Services

__all__ = ["format_duration", "read_timeline", "timeline"]

# An audit action -> what the page says, with "by NAME" after it.
_CONTROLS: dict[str, str] = {
    "pause": "Paused",
    "resume": "Resumed",
    "cancel": "Cancelled",
    "restart": "Restarted",
    "retry": "Retry of step {step}",
    "skip": "Step {step} skipped",
}
_STEP_WORDS: dict[str, str] = {
    "running": "started",
    "completed": "completed",
    "failed": "failed",
    "skipped": "skipped",
    "approval": "is waiting for approval",
}
_TASK_WORDS: dict[str, str] = {
    "completed": "Task completed",
    "failed": "Task failed",
}


def _epoch(iso: object) -> float | None:
    if not isinstance(iso, str) or not iso:
        return None
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def format_duration(seconds: float) -> str:
    """15 -> "15 s", 310 -> "5 min 10 s", 3720 -> "1 h 2 min"."""
    whole = max(round(seconds), 0)
    if whole < 60:
        return f"{whole} s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def _by(who: object) -> str:
    return f" by {clean_text(who)}" if who else ""


def timeline(
    history: Iterable[Mapping[str, Any]],
    audit: Iterable[Mapping[str, Any]],
    snap: Mapping[str, Any],
) -> list[dict[str, Any]]:
    """Events {"at": ISO time, "kind": ..., "text": ...}, oldest first, from the task's
    progress rows, its audit trail and its snapshot (step names, the latest approval)."""
    names = {s.get("order"): clean_text(s.get("name")) for s in snap.get("steps") or []}
    events: list[tuple[float, int, int, dict[str, Any]]] = []

    def add(at: object, kind: str, text: str) -> None:
        when = _epoch(at)
        if when is not None:
            # At the same instant, the task's creation comes before anything done to it.
            rank = 0 if kind == "created" else 1
            events.append((when, rank, len(events), {"at": at, "kind": kind, "text": text}))

    step_status: dict[int, str] = {}
    step_began: dict[int, float] = {}
    task_status = "pending"
    for row in history:
        at, status, step = row.get("updated_at"), str(row.get("status") or ""), row.get("step")
        if step is None:
            if status == task_status:
                continue
            if status == "running" and task_status == "pending":
                add(at, "started", "Task started")
            elif status == "approval":
                add(at, "approval", "Approval requested")
            elif status in _TASK_WORDS:
                add(at, status, _TASK_WORDS[status])
            task_status = status
            continue
        if not isinstance(step, int) or step_status.get(step) == status:
            continue
        before = step_status.get(step)
        step_status[step] = status
        when = _epoch(at)
        if status == "running" and before != "paused" and when is not None:
            step_began[step] = when
        if status not in _STEP_WORDS or (status == "running" and before in ("paused", "approval")):
            continue
        text = f"Step {step} {names.get(step, '')} {_STEP_WORDS[status]}".replace("  ", " ")
        began = step_began.get(step)
        if status == "completed" and began is not None and when is not None and when >= began:
            text += f" (took {format_duration(when - began)})"
        add(at, f"step-{status}", text)

    for entry in audit:
        action = str(entry.get("action") or "")
        if action == "create":
            add(entry.get("at"), "created", "Task created" + _by(entry.get("by")))
        elif action in _CONTROLS:
            words = _CONTROLS[action].format(step=entry.get("step"))
            add(entry.get("at"), action, words + _by(entry.get("by")))

    approval = snap.get("approval") or {}
    for decision in approval.get("decisions") or []:
        verb = "approved" if decision.get("decision") == "approve" else "rejected"
        add(
            decision.get("at"),
            f"approval-{verb}",
            f"Step {approval.get('step')} {verb}{_by(decision.get('by'))}",
        )
    return [event for *_, event in sorted(events, key=lambda e: e[:3])]


async def read_timeline(
    services: Services, task_id: str, snap: Mapping[str, Any]
) -> Sequence[dict[str, Any]]:
    """The task's timeline, read from the store."""
    history = await services.queries.history(task_id, limit=100_000)
    audit = await services.queries.audit(task_id)
    return timeline(history, audit, snap)

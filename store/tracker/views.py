"""Pure readings of task rows, shared by the writer and by `store.queries`: percentages, the
JSON shapes of an approval and of the engine's control answer, timestamps, preference scopes.

Nothing here touches a session: the same reading serves the writer's messages and the
snapshots `store.queries` builds, so the two never disagree.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from store.models import Approval, Step, Task
from store.states import control_state

__all__ = [
    "approval_dict",
    "chat_scope",
    "control_dict",
    "iso",
    "person_scope",
    "step_percent",
    "task_percent",
]


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

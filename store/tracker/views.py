"""Pure readings of task rows, shared by the writer and by `store.queries`: percentages, the
JSON shapes of an approval and of the engine's control answer, timestamps, preference scopes.

Nothing here touches a session: the same reading serves the writer's messages and the
snapshots `store.queries` builds, so the two never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from store.models import Approval, Step, Task
from store.states import control_state

__all__ = [
    "StepSummary",
    "approval_dict",
    "chat_scope",
    "control_dict",
    "iso",
    "person_scope",
    "step_percent",
    "steps_of",
    "task_percent",
]


@dataclass(frozen=True, slots=True)
class StepSummary:
    """What percentages and the control answer need of a step the writer did not load: a
    change to one step of a 1,000-step task loads that step and these few columns of the rest."""

    order: int
    weight: float
    status: str
    reported_percent: int | None
    attempts: int
    substep_count: int
    substeps_done: int


def steps_of(task: Task) -> Sequence[Step | StepSummary]:
    """Every step of `task` in order: the loaded ones as rows, the others as summaries (when the
    writer loaded only the steps a change touches; see `Context.lock_task`)."""
    summary: dict[int, StepSummary] | None = getattr(task, "_step_summary", None)
    if summary is None:
        return task.steps
    loaded = {step.order: step for step in task.steps}
    return [loaded.get(order, row) for order, row in sorted(summary.items())]


def step_percent(step: Step | StepSummary) -> int:
    if step.status in ("completed", "skipped"):
        return 100
    if step.reported_percent is not None:
        return step.reported_percent
    if isinstance(step, StepSummary):
        if step.substep_count:
            return _round(100 * step.substeps_done / step.substep_count)
        return 0
    if step.substeps:
        done = sum(1 for s in step.substeps if s.done)
        return _round(100 * done / len(step.substeps))
    return 0


def task_percent(task: Task) -> int:
    if task.status == "completed":
        return 100
    if task.reported_percent is not None:
        return task.reported_percent
    steps = steps_of(task)
    total = sum(max(s.weight, 0.0) for s in steps)
    if not steps or total <= 0:
        return 0
    return _round(sum(max(s.weight, 0.0) * step_percent(s) for s in steps) / total)


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
    steps = steps_of(task)
    retry = next((s.order for s in steps if s.status == "pending" and s.attempts > 0), None)
    control: dict[str, Any] = {
        "state": control_state(task.status),
        "status": task.status,
        "version": task.version,
        "retry_step": retry,
        "skipped_steps": [s.order for s in steps if s.status == "skipped"],
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

"""The task snapshot: the seed's Progress API JSON, plus fields the bot needs.

`GET /api/tasks/{id}/progress` returns exactly this; WebSocket clients get it as their first
message; chat replies and cards are built from it. Keys marked NotRequired appear only where the
seed shows them (a step's `duration_ms` once it has finished, `substeps` when it has some) so our
answer for the seed's state matches the seed's example key for key.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

__all__ = [
    "ACTIVE_TASK_STATES",
    "FINAL_TASK_STATES",
    "STEP_STATES",
    "TASK_STATES",
    "ApprovalShape",
    "DecisionShape",
    "SnapshotShape",
    "StepShape",
    "SubstepShape",
]

TASK_STATES = ("pending", "running", "paused", "approval", "completed", "failed", "cancelled")
STEP_STATES = ("pending", "running", "completed", "failed", "skipped", "paused", "approval")
ACTIVE_TASK_STATES = frozenset({"pending", "running", "paused", "approval"})
FINAL_TASK_STATES = frozenset({"completed", "failed", "cancelled"})


class SubstepShape(TypedDict):
    name: str
    done: bool


class StepShape(TypedDict):
    order: int
    name: str
    status: str
    progress: int
    duration_ms: NotRequired[int]
    substeps: NotRequired[list[SubstepShape]]
    # ours, beyond the seed
    done_label: NotRequired[str]
    error: NotRequired[str]
    started_at: NotRequired[str]
    estimate_seconds: NotRequired[float]  # the engine's declared duration, when it gave one


class DecisionShape(TypedDict):
    by: str
    decision: str  # approve | reject
    reason: str | None
    via: str | None
    at: str


class ApprovalShape(TypedDict):
    id: str
    step: int
    prompt: str | None
    status: str  # pending | approved | rejected | expired
    approvers: list[str]
    quorum: int
    decisions: list[DecisionShape]
    decided_by: str | None
    reason: str | None
    expires_at: str | None


class SnapshotShape(TypedDict):
    task_id: str
    title: str
    status: str
    progress: int
    current_step: int | None
    total_steps: int
    started_at: str | None
    eta_seconds: int | None
    steps: list[StepShape]
    # ours, beyond the seed
    short_name: NotRequired[str | None]
    kind: NotRequired[str | None]
    owner: NotRequired[str | None]
    team: NotRequired[str | None]
    created_at: NotRequired[str]
    updated_at: NotRequired[str]
    finished_at: NotRequired[str | None]
    eta_low_seconds: NotRequired[int | None]
    eta_high_seconds: NotRequired[int | None]
    attempt: NotRequired[int]
    previous_task_id: NotRequired[str | None]
    control: NotRequired[dict[str, Any]]
    approval: NotRequired[ApprovalShape | None]
    result: NotRequired[Any]
    error: NotRequired[str | None]
    complexity: NotRequired[dict[str, Any] | None]
    workspace: NotRequired[str | None]  # the Slack workspace (team id) the task belongs to

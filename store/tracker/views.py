"""Pure readings of task rows, shared by the writer and by `store.queries`: percentages, the
JSON shapes of an approval and of the engine's control answer, timestamps, preference scopes.

Nothing here touches a session: the same reading serves the writer's messages and the
snapshots `store.queries` builds, so the two never disagree.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

from store.models import Approval, Step, Task
from store.states import control_state

__all__ = [
    "PartSteps",
    "StepState",
    "approval_dict",
    "chat_scope",
    "control_dict",
    "iso",
    "part_of",
    "percent_of_totals",
    "person_scope",
    "step_count",
    "step_percent",
    "store_totals",
    "task_percent",
    "weight_done",
    "weight_of",
    "weight_total",
]


@dataclass(frozen=True, slots=True)
class StepState:
    """What the control answer needs of a step the writer did not load: only skipped steps and
    pending steps already tried are read (`Context.lock_for_events`)."""

    order: int
    status: str
    attempts: int


@dataclass(slots=True)
class PartSteps:
    """A task loaded with only the steps a change touches: how many it has, the other steps the
    control answer names, and each loaded step's percent when it was loaded, so the task's running
    total moves by what the change did to them."""

    count: int
    others: dict[int, StepState]
    percent_at_load: dict[int, int]


def part_of(task: Task) -> PartSteps | None:
    """How `task` was loaded: None when all its steps are (`task.steps`)."""
    return task.__dict__.get("_part_steps")


def step_count(task: Task) -> int:
    part = part_of(task)
    return part.count if part is not None else len(task.steps)


def step_percent(step: Step) -> int:
    if step.status in ("completed", "skipped"):
        return 100
    if step.reported_percent is not None:
        return step.reported_percent
    if step.substeps:
        done = sum(1 for s in step.substeps if s.done)
        return _round(100 * done / len(step.substeps))
    return 0


def weight_of(step: Step) -> Fraction:
    """A step's share of its task, exactly (a float is a fraction): a running total of them
    never drifts from a recount, however many changes it has seen."""
    return _exactly(max(step.weight, 0.0))


# A task's stored totals and its steps' weights take few values, and making a fraction of text
# or of a float costs more than the rest of closing a change's arithmetic.
@functools.lru_cache(maxsize=4096)
def _exactly(value: str | float) -> Fraction:
    return Fraction(value)


def weight_total(task: Task) -> Fraction:
    """The sum of the task's step weights: stored on the task, recounted when all steps are
    loaded."""
    if part_of(task) is not None:
        return _exactly(task.progress_total)
    return sum((weight_of(s) for s in task.steps), Fraction(0))


def weight_done(task: Task) -> Fraction:
    """The sum of each step's weight times its percent. With only some steps loaded, the stored
    total moved by what happened to those steps since they were loaded; with all of them, a
    recount."""
    part = part_of(task)
    if part is None:
        return sum((weight_of(s) * step_percent(s) for s in task.steps), Fraction(0))
    done = _exactly(task.progress_done)
    for step in task.steps:
        done += weight_of(step) * (step_percent(step) - part.percent_at_load[step.order])
    return done


def percent_of_totals(done: Fraction, total: Fraction) -> int:
    """The weighted mean of the steps' percentages, rounded half up (0 for no weight at all)."""
    if total <= 0:
        return 0
    # floor(done / total + 1/2) in integers: a division of fractions and an addition each
    # reduce by a greatest common divisor.
    over, under = done.numerator * total.denominator, done.denominator * total.numerator
    return max(0, min(100, (2 * over + under) // (2 * under)))


def task_percent(task: Task, totals: tuple[Fraction, Fraction] | None = None) -> int:
    """The task's percent; `totals` is (`weight_done`, `weight_total`) when already summed."""
    if task.status == "completed":
        return 100
    if task.reported_percent is not None:
        return task.reported_percent
    done, total = totals if totals is not None else (weight_done(task), weight_total(task))
    return percent_of_totals(done, total)


def store_totals(task: Task) -> None:
    """Write the task's percent and running totals, as one change closes."""
    # Summed once for both: exact fractions cost more than the rest of an event's arithmetic.
    done, total = weight_done(task), weight_total(task)
    task.percent = task_percent(task, (done, total))
    task.progress_total, task.progress_done = str(total), str(done)
    part = part_of(task)
    if part is not None:
        # What is stored now includes these steps as they are.
        part.percent_at_load = {s.order: step_percent(s) for s in task.steps}


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


def _control_steps(task: Task) -> list[Step | StepState]:
    part = part_of(task)
    if part is None:
        return list(task.steps)
    loaded = {step.order: step for step in task.steps}
    others = [state for order, state in part.others.items() if order not in loaded]
    return sorted([*loaded.values(), *others], key=lambda s: s.order)


def control_dict(
    task: Task, approval: Approval | None = None, restarted_as: str | None = None
) -> dict[str, Any]:
    steps = _control_steps(task)
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

"""Checking what callers send before anything changes: a new task's spec and its size against
`Limits`, the size of a batch of engine events, and the fields of an event (step and substep
references, percentages, seconds, free text).

Every check raises `InvalidEvent` (`LimitExceeded`, naming the limit, for input that is too big;
`NotFound` for a step or substep that does not exist) with a message that says what was wrong, so
a refused change writes nothing. The limits are checked here, in the store, so no entry point
(the API, the engine client in-process, the CLI, the chat) can go around them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from store.errors import InvalidEvent, LimitExceeded, NotFound
from store.models import Step, Substep, Task
from store.tracker.contract import MAX_STEP_ESTIMATE_SECONDS, Limits, NewTask
from store.tracker.views import step_count

__all__ = [
    "LOG_LEVELS",
    "MAX_TEXT",
    "TASK_ID_RE",
    "check_event_sizes",
    "check_task_size",
    "current_step",
    "depth_of",
    "nonneg_int",
    "percent_of",
    "step_of",
    "substep_of",
    "text",
    "validate_new_task",
]

LOG_LEVELS = frozenset({"debug", "info", "warning", "error", "critical"})
TASK_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
MAX_TEXT = 100_000  # longest log message or error we keep; longer ones are cut, not refused


def step_of(task: Task, event: Mapping[str, Any]) -> Step:
    """The step an event (or a control, as `{"step": n}`) names."""
    raw = event.get("step")
    count = step_count(task)
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise InvalidEvent(f"'step' must be a step number (1-{count}), got {raw!r}")
    for step in task.steps:
        if step.order == raw:
            return step
    raise NotFound(f"task {task.id} has no step {raw}; its steps are 1-{count}")


def current_step(task: Task) -> Step | None:
    for status in ("running", "approval", "paused"):
        for step in task.steps:
            if step.status == status:
                return step
    return None


def substep_of(step: Step, event: Mapping[str, Any]) -> Substep:
    raw = event.get("substep")
    for sub in step.substeps:
        if raw == sub.name or (
            isinstance(raw, int) and not isinstance(raw, bool) and raw == sub.order
        ):
            return sub
    names = ", ".join(repr(s.name) for s in step.substeps) or "none"
    raise NotFound(f"step {step.order} has no substep {raw!r}; its substeps are: {names}")


def percent_of(event: Mapping[str, Any]) -> int:
    raw = event.get("percent")
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise InvalidEvent(f"'percent' must be a number from 0 to 100, got {raw!r}")
    if not 0 <= raw <= 100:
        raise InvalidEvent(f"'percent' must be from 0 to 100, got {raw}")
    return int(raw + 0.5)


def nonneg_int(raw: Any, name: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or raw < 0:
        raise InvalidEvent(f"'{name}' must be a number of seconds ≥ 0, got {raw!r}")
    return int(raw)


def text(raw: Any, name: str) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise InvalidEvent(f"'{name}' must be text, got {type(raw).__name__}")
    return raw[:MAX_TEXT]


def depth_of(value: Any) -> int:
    """How deeply a JSON value nests (a scalar is 0, [] or {} is 1), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping):
            depth += 1
            stack.extend((v, depth) for v in item.values())
        elif isinstance(item, list | tuple):
            depth += 1
            stack.extend((v, depth) for v in item)
        deepest = max(deepest, depth)
    return deepest


def check_task_size(spec: NewTask, limits: Limits) -> None:
    """A new task's size against `limits`: steps, substeps per step and in all, name lengths,
    the nesting of `complexity`, the approval's expiry."""
    if len(spec.steps) > limits.max_steps:
        raise LimitExceeded(
            f"steps: {len(spec.steps)} steps; limits.max_steps is {limits.max_steps}"
        )
    total = 0
    for order, step in enumerate(spec.steps, start=1):
        if len(step.substeps) > limits.max_substeps_per_step:
            raise LimitExceeded(
                f"steps.{order - 1}.substeps: {len(step.substeps)} substeps; "
                f"limits.max_substeps_per_step is {limits.max_substeps_per_step}"
            )
        total += len(step.substeps)
        names = [step.name, step.done_label or ""]
        names += [name for name, _ in step.substeps]
        names += [label or "" for _, label in step.substeps]
        longest = max(len(n) for n in names)
        if longest > limits.max_name_length:
            raise LimitExceeded(
                f"steps.{order - 1}: a name of {longest} characters; "
                f"limits.max_name_length is {limits.max_name_length}"
            )
    if total > limits.max_substeps_total:
        raise LimitExceeded(
            f"steps: {total} substeps in all; limits.max_substeps_total is "
            f"{limits.max_substeps_total}"
        )
    if len(spec.title) > limits.max_name_length:
        raise LimitExceeded(f"title: limits.max_name_length is {limits.max_name_length}")
    if spec.complexity is not None:
        depth = depth_of(spec.complexity)
        if depth > limits.max_json_depth:
            raise LimitExceeded(
                f"complexity: nests {depth} levels; limits.max_json_depth is "
                f"{limits.max_json_depth}"
            )
    expires = spec.approval_expires_seconds
    if expires is not None and expires > limits.max_approval_expiry_seconds:
        raise LimitExceeded(
            f"approval.expires_seconds: {expires}; limits.max_approval_expiry_seconds is "
            f"{limits.max_approval_expiry_seconds}"
        )


def check_event_sizes(events: Iterable[Any], limits: Limits) -> None:
    """An event's free-form JSON (`result`) must not nest deeper than `limits.max_json_depth`."""
    for index, event in enumerate(events):
        if not isinstance(event, Mapping):
            continue
        for key in ("result",):
            value = event.get(key)
            if isinstance(value, Mapping | list) and depth_of(value) > limits.max_json_depth:
                raise LimitExceeded(
                    f"event {index}: {key} nests {depth_of(value)} levels; "
                    f"limits.max_json_depth is {limits.max_json_depth}"
                )


def validate_new_task(spec: NewTask, limits: Limits) -> None:
    check_task_size(spec, limits)
    if not spec.title or not spec.title.strip():
        raise InvalidEvent("a task needs a title")
    if len(spec.title) > 500:
        raise InvalidEvent("a task title may have at most 500 characters")
    if spec.task_id is not None and not TASK_ID_RE.match(spec.task_id):
        raise InvalidEvent(
            "task_id may use letters, digits, '.', '_' and '-' (at most 64, starting with a "
            f"letter or digit), got {spec.task_id!r}"
        )
    if not spec.steps:
        raise InvalidEvent("a task needs at least one step")
    if len(spec.steps) > 1000:
        raise InvalidEvent("a task may have at most 1000 steps")
    for order, step in enumerate(spec.steps, start=1):
        if not step.name or not step.name.strip():
            raise InvalidEvent(f"step {order} needs a name")
        if not math.isfinite(step.weight) or step.weight < 0:
            raise InvalidEvent(f"step {order}: weight must be a finite number ≥ 0")
        estimate = step.estimate_seconds
        if estimate is not None and not 0 < estimate <= MAX_STEP_ESTIMATE_SECONDS:
            raise InvalidEvent(
                f"step {order}: estimate_seconds must be a positive number of seconds "
                f"(at most {MAX_STEP_ESTIMATE_SECONDS})"
            )
        names = [name for name, _ in step.substeps]
        if len(set(names)) != len(names):
            raise InvalidEvent(f"step {order}: substep names must be unique")
    if spec.quorum < 1:
        raise InvalidEvent("approval quorum must be at least 1")

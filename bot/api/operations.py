"""What the engine routes do once a request is read: one function per operation, no HTTP.

`routes.py` calls these with the token it authenticated and the body it parsed; the MCP server
(`bot.mcp`) calls the same ones with its session's token and a tool's arguments. So a tool and a
route check the same roles, scopes, shapes and limits, and refuse with the same `ApiError`
(mapped to an answer by `bot.api.http.error_answer`).
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any

from bot.api.admission import check_new_task
from bot.api.http import (
    MAX_EVENTS_PER_REQUEST,
    MAX_WAIT_SECONDS,
    ApiError,
    check_role,
    check_task_access,
    parse_model,
)
from bot.api.wire import CreateTask
from bot.config import ApiToken
from bot.links import view_link
from bot.services import Services
from store.errors import InvalidEvent, InvalidTransition, NotFound

__all__ = ["control", "create_task", "list_tasks", "post_events", "progress"]


async def create_task(services: Services, caller: ApiToken, data: Any) -> dict[str, Any]:
    """Create a task from a `CreateTask` body: its snapshot, a `view_url`, and `warnings` for
    idle channels."""
    check_role(caller, "engine", "admin")
    body = parse_model(CreateTask, data)
    warnings = check_new_task(services, body)
    new_task = dataclasses.replace(body.to_new_task(), created_by_token=caller.name)
    task_id = await services.tracker.create_task(new_task)
    snap: dict[str, Any] = dict(await services.progress.snapshot(task_id))
    # A read-only link to the task's Progress View, for the engine to show its user.
    snap["view_url"] = view_link(services.config, task_id)
    if warnings:
        snap["warnings"] = warnings
    return snap


async def post_events(
    services: Services, caller: ApiToken, task_id: str, data: Any
) -> tuple[int, dict[str, Any]]:
    """Apply one event or a list. The status and answer: 200 with what was accepted and the
    control state, or a refusal (422, 409) that also carries the control state."""
    await check_task_access(services, caller, task_id, write=True)
    events = data if isinstance(data, list) else [data]
    if not events:
        raise ApiError(422, "invalid", "the body is an empty list; send at least one event")
    if len(events) > MAX_EVENTS_PER_REQUEST:
        raise ApiError(413, "too_many", f"send at most {MAX_EVENTS_PER_REQUEST} events at once")
    try:
        applied = await services.tracker.apply(task_id, events)
    except (InvalidEvent, InvalidTransition, NotFound) as exc:
        if isinstance(exc, NotFound) and not await services.queries.exists(task_id):
            raise  # 404: no such task
        services.metrics.count_events("refused", len(events))
        control_now = await services.tracker.control(task_id)
        # A step or substep that does not exist makes the event invalid, not the task missing.
        status, code = (
            (409, "invalid_state") if isinstance(exc, InvalidTransition) else (422, "invalid")
        )
        return status, {"error": {"code": code, "message": str(exc)}, "control": control_now}
    services.metrics.count_events("accepted", applied.accepted)
    services.metrics.count_events("duplicate", applied.duplicates)
    if any(e.get("type") == "task_completed" for e in events if isinstance(e, dict)):
        services.queries.forget_history()
    answer = {"accepted": applied.accepted, "duplicates": applied.duplicates}
    return 200, {**answer, "control": applied.control}


async def progress(services: Services, caller: ApiToken, task_id: str) -> dict[str, Any]:
    """The task's progress in the seed's shape."""
    if caller.role == "engine":
        # The rule of `check_task_access` (an engine sees only the tasks it created, others
        # answer 404), checked on the creator read with the snapshot: one read, not two.
        return dict(await services.progress.snapshot(task_id, created_by=caller.name))
    await check_task_access(services, caller, task_id)
    return dict(await services.progress.snapshot(task_id))


async def control(
    services: Services, caller: ApiToken, task_id: str, *, wait: float = 0, version: int = -1
) -> dict[str, Any]:
    """What the engine must do now. With `wait`, held until the task changes after `version`
    (or for `wait` seconds, at most MAX_WAIT_SECONDS), so an engine can wait for a resume or a
    decision."""
    await check_task_access(services, caller, task_id)
    deadline = time.monotonic() + min(max(wait, 0.0), MAX_WAIT_SECONDS)
    while True:
        answer = await services.tracker.control(task_id)
        remaining = deadline - time.monotonic()
        if version < 0 or answer["version"] != version or remaining <= 0:
            return answer
        await services.bus.wait_for_change(task_id, min(remaining, 5.0))


async def list_tasks(
    services: Services,
    caller: ApiToken,
    *,
    person: str | None = None,
    status: list[str] | None = None,
    active_only: bool = False,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """The tasks this token may see: an engine its own, a reader or an admin all."""
    check_role(caller, "engine", "reader", "admin")
    tasks: list[dict[str, Any]] = await services.queries.list_tasks(
        person=person,
        created_by=caller.name if caller.role == "engine" else None,
        teams=services.directory.teams_of(person) if person else (),
        status=status or None,
        active_only=active_only,
        limit=limit,
        offset=offset,
    )
    return tasks

"""The HTTP API's routes: engines report, people and front-ends steer, everyone reads.

Nothing half-written: each write route is one Tracker call, and the Tracker writes in one
transaction. Plumbing (errors, tokens, bodies) is in `bot.api.http`; WebSockets in
`bot.api.websockets`.
"""

from __future__ import annotations

import logging
import weakref
from collections import Counter
from typing import TypeVar

from aiohttp import web

from bot.api import operations
from bot.api.admission import MAX_DB_INT
from bot.api.http import (
    MAX_WAIT_SECONDS,
    ApiError,
    _check_person,
    _int_param,
    _services,
    _task_id,
    api_via,
    check_task_access,
    read_json,
    read_model,
    require_task_access,
    require_token,
)
from bot.api.openapi import openapi_document
from bot.api.websockets import (
    OPEN_BY,
    OPEN_WEBSOCKETS,
    SHARED_FRAMES,
    SharedFrames,
    close_websockets,
    websocket_all,
    websocket_task,
)
from bot.api.wire import ActionBody, ChatBody, ControlBody
from bot.config import ApiToken
from bot.ports import ChatCore
from bot.services import Services
from bot.steering.controls import STEP_ACTIONS, TASK_ACTIONS, steer, steered_snapshot
from bot.steering.permissions import can_control
from bot.types import Action, Answer, Message, Target

__all__ = ["add_api_routes"]

logger = logging.getLogger(__name__)


async def create_task(request: web.Request) -> web.Response:
    caller = require_token(request, "engine", "admin")
    data = await read_json(request)
    snap = await operations.create_task(_services(request), caller, data)
    task_id = snap["task_id"]
    return web.json_response(snap, status=201, headers={"Location": f"/api/tasks/{task_id}"})


async def post_events(request: web.Request) -> web.Response:
    caller = require_token(request)
    services = _services(request)
    task_id = _task_id(request)
    # Checked before the body is read, so a task that is not the caller's answers 404 whatever
    # the body; `operations.post_events` checks again for the MCP tools (from the creator cache).
    await check_task_access(services, caller, task_id, write=True)
    data = await read_json(request)
    status, answer = await operations.post_events(services, caller, task_id, data)
    return web.json_response(answer, status=status)


async def get_progress(request: web.Request) -> web.Response:
    snap = await operations.progress(_services(request), require_token(request), _task_id(request))
    return web.json_response(snap)


async def list_tasks(request: web.Request) -> web.Response:
    caller = require_token(request, "engine", "reader", "admin")
    statuses = [s for s in request.query.get("status", "").split(",") if s]
    tasks = await operations.list_tasks(
        _services(request),
        caller,
        person=request.query.get("person"),
        status=statuses or None,
        active_only=request.query.get("active") in ("1", "true", "yes"),
        limit=_int_param(request, "limit", 100, 1, 1000),
        offset=_int_param(request, "offset", 0, 0, 10**9),
    )
    return web.json_response({"tasks": tasks})


async def get_logs(request: web.Request) -> web.Response:
    await require_task_access(request, require_token(request), _task_id(request))
    logs = await _services(request).queries.logs(
        _task_id(request), limit=_int_param(request, "limit", 200, 1, 10_000)
    )
    return web.json_response({"task_id": _task_id(request), "logs": logs})


async def get_history(request: web.Request) -> web.Response:
    await require_task_access(request, require_token(request), _task_id(request))
    services = _services(request)
    history = await services.queries.history(
        _task_id(request), limit=_int_param(request, "limit", 1000, 1, 100_000)
    )
    audit = await services.queries.audit(_task_id(request))
    return web.json_response({"task_id": _task_id(request), "history": history, "audit": audit})


async def control_task(request: web.Request) -> web.Response:
    caller = require_token(request)
    services = _services(request)
    action = request.match_info["action"]
    task_id = _task_id(request)
    await require_task_access(request, caller, task_id, write=True)
    body = await read_model(request, ControlBody, optional=True)
    await _authorize_control(services, task_id, body.by)
    shown = await steer(
        services, task_id, action, by=body.by, via=api_via(caller), reason=body.reason
    )
    return web.json_response(await steered_snapshot(services, task_id, shown))


async def control_step(request: web.Request) -> web.Response:
    caller = require_token(request)
    services = _services(request)
    action = request.match_info["action"]
    try:
        step = int(request.match_info["step"])
    except ValueError:
        raise ApiError(404, "not_found", "a step is addressed by its number, from 1") from None
    task_id = _task_id(request)
    await require_task_access(request, caller, task_id, write=True)
    body = await read_model(request, ControlBody, optional=True)
    await _authorize_control(services, task_id, body.by)
    await steer(
        services,
        task_id,
        action,
        step=step,
        by=body.by,
        via=api_via(caller),
        reason=body.reason,
    )
    return web.json_response(await services.progress.snapshot(task_id))


async def _authorize_control(services: Services, task_id: str, by: str | None) -> None:
    """A named person must be allowed to steer the task; the engine's token alone may."""
    if by is None:
        return
    _check_person(services, by)
    snap = await services.progress.snapshot(task_id)
    if not can_control(services.directory, by, snap):
        raise ApiError(403, "forbidden", f"{by} may not steer this task (owner or team only)")


async def decide_approval(request: web.Request) -> web.Response:
    """Only a person who may approve decides; an admin token may relay their decision, naming
    them in `by`. A token alone is nobody, so it decides nothing."""
    caller = require_token(request, "admin")
    services = _services(request)
    decision = request.match_info["decision"]
    try:
        approval_id = int(request.match_info["approval_id"])
    except ValueError:
        raise ApiError(404, "not_found", "there is no such approval") from None
    if not 0 < approval_id <= MAX_DB_INT:
        raise ApiError(404, "not_found", f"there is no approval {approval_id}")
    body = await read_model(request, ControlBody, optional=True)
    if body.by is None:
        raise ApiError(422, "invalid", "by: name the person who decides (an approver)")
    _check_person(services, body.by)
    result = await services.tracker.decide(
        approval_id, decision, by=body.by, via=api_via(caller), reason=body.reason
    )
    snap = await services.progress.snapshot(result.task_id)
    decision_info = {"status": result.status, "decided_by": result.decided_by}
    return web.json_response({**snap, "decision": decision_info})


async def get_control(request: web.Request) -> web.Response:
    """What the engine must do now. `?wait=N` holds the answer until the task changes after
    `?version=V` (or for N seconds), so an engine can wait for a resume or a decision."""
    caller = require_token(request)
    task_id = _task_id(request)
    await require_task_access(request, caller, task_id)
    wait = float(_int_param(request, "wait", 0, 0, int(MAX_WAIT_SECONDS)))
    version = _int_param(request, "version", -1, -1, 10**12)
    answer = await operations.control(
        _services(request), caller, task_id, wait=wait, version=version
    )
    return web.json_response(answer)


# ---------------------------------------------------------------------- chat routes


def _speaks_for(caller: ApiToken, person: str) -> None:
    """A chat token speaks only for the people it lists; an admin for anyone."""
    if caller.role == "chat" and person not in caller.persons:
        raise ApiError(403, "forbidden", f"this token may not speak for {person!r}")


B = TypeVar("B", ChatBody, ActionBody)


async def _chat_request(request: web.Request, model: type[B]) -> tuple[ChatCore, B, str]:
    """What both chat routes check first: a chat or admin token that may speak for the body's
    person, a person we know, a running chat brain. Returns the brain, the body and the `via`."""
    caller = require_token(request, "chat", "admin")
    services = _services(request)
    body = await read_model(request, model)
    if services.chat is None:
        raise ApiError(503, "unavailable", "the chat brain is not running")
    _speaks_for(caller, body.person)
    if not services.directory.exists(body.person):
        raise ApiError(422, "invalid", f"person: {body.person!r} is not a person in users:")
    return services.chat, body, api_via(caller)


def _answer_json(answer: Answer) -> web.Response:
    return web.json_response(
        {"intent": answer.intent, "task_id": answer.task_id, "reply": answer.reply.to_dict()}
    )


async def chat_message(request: web.Request) -> web.Response:
    chat, body, via = await _chat_request(request, ChatBody)
    message = Message(
        text=body.text,
        target=Target("api", body.chat),
        platform_user=body.person,
        person=body.person,
        via=via,
    )
    answer = await chat.handle_message(message)
    _services(request).metrics.chat_messages.labels("api", answer.intent).inc()
    return _answer_json(answer)


async def chat_action(request: web.Request) -> web.Response:
    chat, body, via = await _chat_request(request, ActionBody)
    action = Action(
        action=body.action,
        target=Target("api", body.chat),
        platform_user=body.person,
        person=body.person,
        task_id=body.task_id,
        arg=body.arg,
        text=body.text,
        via=via,
    )
    return _answer_json(await chat.handle_action(action))


# ---------------------------------------------------------------------- WebSockets


async def healthz(request: web.Request) -> web.Response:
    services = _services(request)
    try:
        await services.queries.ping()
    except Exception as exc:
        logger.warning("health check: the store does not answer: %s", type(exc).__name__)
        return web.json_response({"status": "unhealthy", "store": "unreachable"}, status=503)
    return web.json_response({"status": "ok", "store": "ok"})


async def metrics(request: web.Request) -> web.Response:
    body = _services(request).metrics.render()
    return web.Response(body=body, headers={"Content-Type": "text/plain; version=0.0.4"})


async def openapi(request: web.Request) -> web.Response:
    return web.json_response(openapi_document(request.app))


def add_api_routes(app: web.Application) -> None:
    app[OPEN_WEBSOCKETS] = weakref.WeakSet()
    app[OPEN_BY] = Counter()
    app[SHARED_FRAMES] = SharedFrames()
    app.on_shutdown.append(close_websockets)
    actions = "|".join(TASK_ACTIONS)
    app.router.add_post("/api/tasks", create_task)
    app.router.add_get("/api/tasks", list_tasks)
    app.router.add_post("/api/tasks/{task_id}/events", post_events)
    app.router.add_get("/api/tasks/{task_id}/progress", get_progress)
    app.router.add_get("/api/tasks/{task_id}/logs", get_logs)
    app.router.add_get("/api/tasks/{task_id}/history", get_history)
    app.router.add_get("/api/tasks/{task_id}/control", get_control)
    app.router.add_post("/api/tasks/{task_id}/{action:(" + actions + ")}", control_task)
    app.router.add_post(
        "/api/tasks/{task_id}/steps/{step}/{action:(" + "|".join(STEP_ACTIONS) + ")}",
        control_step,
    )
    app.router.add_post("/api/approvals/{approval_id}/{decision:(approve|reject)}", decide_approval)
    app.router.add_post("/api/chat", chat_message)
    app.router.add_post("/api/chat/actions", chat_action)
    app.router.add_get("/ws/tasks", websocket_all)
    app.router.add_get("/ws/tasks/{task_id}", websocket_task)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
    app.router.add_get("/api/openapi.json", openapi)

"""The HTTP API (aiohttp): engines report, people and front-ends steer, everyone reads.

Every error is JSON that names the problem: `{"error": {"code": ..., "message": ...}}`. Nothing
half-written: each write route is one Tracker call, and the Tracker writes in one transaction.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import time
import weakref
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiohttp import WSCloseCode, WSMsgType, web
from pydantic import BaseModel, ValidationError

from bot.app import SERVICES, Services
from bot.controls import STEP_ACTIONS, TASK_ACTIONS, steer
from bot.openapi import openapi_document
from bot.permissions import can_control, can_see
from bot.types import Action, Message, Target
from bot.wire import ActionBody, ChatBody, ControlBody, CreateTask, describe_validation_error
from store.errors import Conflict, Forbidden, InvalidEvent, InvalidTransition, NotFound, StoreError
from store.tracker import TaskChange

__all__ = ["ApiError", "add_api_routes", "error_middleware"]

logger = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)
OPEN_WEBSOCKETS: web.AppKey[weakref.WeakSet[web.WebSocketResponse]] = web.AppKey(
    "open_websockets", weakref.WeakSet
)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
MAX_EVENTS_PER_REQUEST = 1000
MAX_WAIT_SECONDS = 60.0


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


_STORE_ERRORS: tuple[tuple[type[StoreError], int, str], ...] = (
    (NotFound, 404, "not_found"),
    (InvalidEvent, 422, "invalid"),
    (InvalidTransition, 409, "invalid_state"),
    (Conflict, 409, "conflict"),
    (Forbidden, 403, "forbidden"),
)


def _error_body(status: int, code: str, message: str, **extra: Any) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message, **extra}}, status=status)


def _route_name(request: web.Request) -> str:
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else "unmatched"


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Turn every failure into a JSON answer that names the problem, and count requests."""
    services = request.app[SERVICES]
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        return response
    except ApiError as exc:
        status = exc.status
        return _error_body(exc.status, exc.code, exc.message, **exc.extra)
    except StoreError as exc:
        for kind, code_status, code in _STORE_ERRORS:
            if isinstance(exc, kind):
                status = code_status
                return _error_body(code_status, code, str(exc))
        raise
    except web.HTTPRequestEntityTooLarge:
        status = 413
        limit = services.config.api.max_body_bytes
        return _error_body(413, "too_large", f"the request body is larger than {limit} bytes")
    except web.HTTPException as exc:
        status = exc.status
        if exc.status < 400 or not request.path.startswith("/api/"):
            raise
        return _error_body(exc.status, exc.reason.lower().replace(" ", "_"), exc.reason)
    except (asyncio.CancelledError, ConnectionResetError):
        raise
    except Exception:
        logger.exception("unhandled error on %s %s", request.method, request.path)
        return _error_body(500, "internal", "something went wrong on our side; it was logged")
    finally:
        route = _route_name(request)
        services.metrics.http.labels(route, str(status)).inc()
        services.metrics.http_latency.labels(route).observe(time.perf_counter() - started)


# ---------------------------------------------------------------------- helpers


def _services(request: web.Request) -> Services:
    return request.app[SERVICES]


def require_token(request: web.Request) -> None:
    """Engines and front-ends authenticate with a bearer token from `api.tokens`."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise ApiError(401, "unauthorized", "send 'Authorization: Bearer <token>' (api.tokens)")
    if not token_is_valid(_services(request), token.strip()):
        raise ApiError(401, "unauthorized", "the bearer token is not one of api.tokens")


def token_is_valid(services: Services, token: str) -> bool:
    matched = False
    for known in services.config.api.tokens:
        # Compare against every token, so the time taken says nothing about which one is close.
        matched |= hmac.compare_digest(token.encode(), known.get_secret_value().encode())
    return matched


async def read_json(request: web.Request, *, optional: bool = False) -> Any:
    """The JSON body; with `optional`, an empty body reads as {}."""
    raw = await request.read()
    if not raw.strip():
        if optional:
            return {}
        raise ApiError(400, "bad_json", "the request needs a JSON body")
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError(400, "bad_json", f"the body is not valid JSON: {exc}") from None


async def read_model(request: web.Request, model: type[M], *, optional: bool = False) -> M:
    data = await read_json(request, optional=optional)
    if not isinstance(data, dict):
        raise ApiError(422, "invalid", "the body must be a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = describe_validation_error(exc)
        first = problems[0]
        raise ApiError(
            422, "invalid", f"{first['field']}: {first['problem']}", problems=problems
        ) from None


def _task_id(request: web.Request) -> str:
    return request.match_info["task_id"]


def _int_param(request: web.Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, "bad_query", f"?{name} must be a whole number") from None
    if not low <= value <= high:
        raise ApiError(400, "bad_query", f"?{name} must be from {low} to {high}")
    return value


def _check_person(services: Services, by: str | None) -> None:
    if by is not None and not services.directory.exists(by):
        raise ApiError(422, "invalid", f"by: {by!r} is not a person in users:")


# ---------------------------------------------------------------------- task routes


async def create_task(request: web.Request) -> web.Response:
    require_token(request)
    services = _services(request)
    body = await read_model(request, CreateTask)
    task_id = await services.tracker.create_task(body.to_new_task())
    snap = await services.progress.snapshot(task_id)
    return web.json_response(snap, status=201, headers={"Location": f"/api/tasks/{task_id}"})


async def post_events(request: web.Request) -> web.Response:
    require_token(request)
    services = _services(request)
    data = await read_json(request)
    events = data if isinstance(data, list) else [data]
    if not events:
        raise ApiError(422, "invalid", "the body is an empty list; send at least one event")
    if len(events) > MAX_EVENTS_PER_REQUEST:
        raise ApiError(413, "too_many", f"send at most {MAX_EVENTS_PER_REQUEST} events at once")
    task_id = _task_id(request)
    try:
        applied = await services.tracker.apply(task_id, events)
    except (InvalidEvent, InvalidTransition, NotFound) as exc:
        if isinstance(exc, NotFound) and not await services.queries.exists(task_id):
            raise  # 404: no such task
        services.metrics.events.labels("refused").inc(len(events))
        control = await services.tracker.control(task_id)
        # A step or substep that does not exist makes the event invalid, not the task missing.
        status, code = (
            (409, "invalid_state") if isinstance(exc, InvalidTransition) else (422, "invalid")
        )
        return web.json_response(
            {"error": {"code": code, "message": str(exc)}, "control": control}, status=status
        )
    services.metrics.events.labels("accepted").inc(applied.accepted)
    services.metrics.events.labels("duplicate").inc(applied.duplicates)
    if any(e.get("type") == "task_completed" for e in events if isinstance(e, dict)):
        services.queries.forget_history()
    return web.json_response(
        {"accepted": applied.accepted, "duplicates": applied.duplicates, "control": applied.control}
    )


async def get_progress(request: web.Request) -> web.Response:
    require_token(request)
    return web.json_response(await _services(request).progress.snapshot(_task_id(request)))


async def list_tasks(request: web.Request) -> web.Response:
    require_token(request)
    services = _services(request)
    person = request.query.get("person")
    statuses = [s for s in request.query.get("status", "").split(",") if s]
    tasks = await services.queries.list_tasks(
        person=person,
        teams=services.directory.teams_of(person) if person else (),
        status=statuses or None,
        active_only=request.query.get("active") in ("1", "true", "yes"),
        limit=_int_param(request, "limit", 100, 1, 1000),
        offset=_int_param(request, "offset", 0, 0, 10**9),
    )
    return web.json_response({"tasks": tasks})


async def get_logs(request: web.Request) -> web.Response:
    require_token(request)
    logs = await _services(request).queries.logs(
        _task_id(request), limit=_int_param(request, "limit", 200, 1, 10_000)
    )
    return web.json_response({"task_id": _task_id(request), "logs": logs})


async def get_history(request: web.Request) -> web.Response:
    require_token(request)
    services = _services(request)
    history = await services.queries.history(
        _task_id(request), limit=_int_param(request, "limit", 1000, 1, 100_000)
    )
    audit = await services.queries.audit(_task_id(request))
    return web.json_response({"task_id": _task_id(request), "history": history, "audit": audit})


async def control_task(request: web.Request) -> web.Response:
    require_token(request)
    services = _services(request)
    action = request.match_info["action"]
    body = await read_model(request, ControlBody, optional=True)
    task_id = _task_id(request)
    await _authorize_control(services, task_id, body.by)
    shown = await steer(
        services, task_id, action, by=body.by, via=body.via or "api", reason=body.reason
    )
    snap = await services.progress.snapshot(shown)
    if shown != task_id:
        return web.json_response({**snap, "restarted_from": task_id})
    return web.json_response(snap)


async def control_step(request: web.Request) -> web.Response:
    require_token(request)
    services = _services(request)
    action = request.match_info["action"]
    try:
        step = int(request.match_info["step"])
    except ValueError:
        raise ApiError(404, "not_found", "a step is addressed by its number, from 1") from None
    body = await read_model(request, ControlBody, optional=True)
    task_id = _task_id(request)
    await _authorize_control(services, task_id, body.by)
    await steer(
        services,
        task_id,
        action,
        step=step,
        by=body.by,
        via=body.via or "api",
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
    require_token(request)
    services = _services(request)
    decision = request.match_info["decision"]
    try:
        approval_id = int(request.match_info["approval_id"])
    except ValueError:
        raise ApiError(404, "not_found", "there is no such approval") from None
    body = await read_model(request, ControlBody, optional=True)
    _check_person(services, body.by)
    result = await services.tracker.decide(
        approval_id, decision, by=body.by, via=body.via or "api", reason=body.reason
    )
    snap = await services.progress.snapshot(result.task_id)
    decision_info = {"status": result.status, "decided_by": result.decided_by}
    return web.json_response({**snap, "decision": decision_info})


async def get_control(request: web.Request) -> web.Response:
    """What the engine must do now. `?wait=N` holds the answer until the task changes after
    `?version=V` (or for N seconds), so an engine can wait for a resume or a decision."""
    require_token(request)
    services = _services(request)
    task_id = _task_id(request)
    wait = float(_int_param(request, "wait", 0, 0, int(MAX_WAIT_SECONDS)))
    version = _int_param(request, "version", -1, -1, 10**12)
    deadline = time.monotonic() + wait
    while True:
        control = await services.tracker.control(task_id)
        remaining = deadline - time.monotonic()
        if version < 0 or control["version"] != version or remaining <= 0:
            return web.json_response(control)
        await services.bus.wait_for_change(task_id, min(remaining, 5.0))


# ---------------------------------------------------------------------- chat routes


async def chat_message(request: web.Request) -> web.Response:
    require_token(request)
    services = _services(request)
    body = await read_model(request, ChatBody)
    if services.chat is None:
        raise ApiError(503, "unavailable", "the chat brain is not running")
    if not services.directory.exists(body.person):
        raise ApiError(422, "invalid", f"person: {body.person!r} is not a person in users:")
    message = Message(
        text=body.text,
        target=Target("api", body.chat),
        platform_user=body.person,
        person=body.person,
    )
    answer = await services.chat.handle_message(message)
    services.metrics.chat_messages.labels("api", answer.intent).inc()
    return web.json_response(
        {"intent": answer.intent, "task_id": answer.task_id, "reply": answer.reply.to_dict()}
    )


async def chat_action(request: web.Request) -> web.Response:
    require_token(request)
    services = _services(request)
    body = await read_model(request, ActionBody)
    if services.chat is None:
        raise ApiError(503, "unavailable", "the chat brain is not running")
    if not services.directory.exists(body.person):
        raise ApiError(422, "invalid", f"person: {body.person!r} is not a person in users:")
    action = Action(
        action=body.action,
        target=Target("api", body.chat),
        platform_user=body.person,
        person=body.person,
        task_id=body.task_id,
        arg=body.arg,
        text=body.text,
    )
    answer = await services.chat.handle_action(action)
    return web.json_response(
        {"intent": answer.intent, "task_id": answer.task_id, "reply": answer.reply.to_dict()}
    )


# ---------------------------------------------------------------------- WebSockets


async def websocket_all(request: web.Request) -> web.WebSocketResponse:
    return await _websocket(request, None)


async def websocket_task(request: web.Request) -> web.WebSocketResponse:
    return await _websocket(request, _task_id(request))


def authorize_websocket(request: web.Request) -> str | None:
    """Engines use their token (header or ?token=); the web page its signed session.

    Returns the person the connection acts for (None for a token: it sees everything)."""
    services = _services(request)
    token = request.query.get("token")
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        token = header[7:].strip()
    if token and token_is_valid(services, token):
        return None
    try:
        from bot.web.session import session_person
    except ImportError:  # a build without the web page: tokens only
        person = None
    else:
        person = session_person(request)
    if person is None:
        raise ApiError(401, "unauthorized", "a token or a signed link is needed")
    return person


async def _websocket(request: web.Request, task_id: str | None) -> web.WebSocketResponse:
    services = _services(request)
    person = authorize_websocket(request)
    if task_id is not None:
        snap = await services.progress.snapshot(task_id)  # 404 before the upgrade
        if person is not None and not can_see(services.directory, person, snap):
            raise ApiError(403, "forbidden", "this task is not yours to see")
    ws = web.WebSocketResponse(heartbeat=30)
    await ws.prepare(request)
    request.app[OPEN_WEBSOCKETS].add(ws)
    services.metrics.ws_clients.inc()
    try:
        async with services.bus.subscribe(task_id) as sub:
            # Resume after interruption: whoever (re)connects first gets the whole picture.
            await _send_snapshot(services, ws, task_id, person)
            reader = asyncio.create_task(_drain_client(ws))
            try:
                while not ws.closed:
                    getter = asyncio.create_task(sub.queue.get())
                    done, _ = await asyncio.wait(
                        {getter, reader}, return_when=asyncio.FIRST_COMPLETED
                    )
                    if reader in done:
                        getter.cancel()
                        break
                    change: TaskChange = getter.result()
                    if sub.needs_resync:
                        sub.needs_resync = False
                        while not sub.queue.empty():
                            sub.queue.get_nowait()
                        await _send_snapshot(services, ws, task_id, person)
                        continue
                    await _send_change(services, ws, change, task_id, person)
            finally:
                reader.cancel()
    except (ConnectionResetError, asyncio.CancelledError):
        pass
    finally:
        services.metrics.ws_clients.dec()
        request.app[OPEN_WEBSOCKETS].discard(ws)
        await ws.close()
    return ws


async def close_websockets(app: web.Application) -> None:
    """On shutdown, tell every browser and engine we are going away (they reconnect), instead
    of letting aiohttp wait for them to hang up."""
    open_sockets: weakref.WeakSet[web.WebSocketResponse] = app[OPEN_WEBSOCKETS]
    for ws in list(open_sockets):
        await ws.close(code=WSCloseCode.GOING_AWAY, message=b"server shutting down")


async def _drain_client(ws: web.WebSocketResponse) -> None:
    async for msg in ws:
        if msg.type in (WSMsgType.CLOSE, WSMsgType.ERROR):
            break
        if msg.type == WSMsgType.TEXT and msg.data == "ping":
            await ws.send_str("pong")


async def _send_snapshot(
    services: Services, ws: web.WebSocketResponse, task_id: str | None, person: str | None
) -> None:
    if task_id is not None:
        snap = await services.progress.snapshot(task_id)
        await ws.send_json({"type": "snapshot", "task_id": task_id, "task": snap})
        return
    tasks = await services.queries.list_tasks(
        person=person, teams=services.directory.teams_of(person) if person else ()
    )
    await ws.send_json({"type": "snapshot", "tasks": tasks})


async def _send_change(
    services: Services,
    ws: web.WebSocketResponse,
    change: TaskChange,
    task_id: str | None,
    person: str | None,
) -> None:
    try:
        snap = await services.progress.snapshot(change.task_id)
    except NotFound:
        return
    if person is not None and not can_see(services.directory, person, snap):
        return
    for message in change.messages:
        await ws.send_json(message)
    await ws.send_json({"type": "snapshot", "task_id": change.task_id, "task": snap})


# ---------------------------------------------------------------------- service routes


async def healthz(request: web.Request) -> web.Response:
    services = _services(request)
    try:
        await services.queries.count()
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

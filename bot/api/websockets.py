"""WebSockets: `/ws/tasks` and `/ws/tasks/{id}` send a snapshot, then every change from the bus.

Engines connect with their token; the web page with its signed session, read through the hook the
web package registers (`BROWSER_SESSION`).
"""

from __future__ import annotations

import asyncio
import logging
import weakref

from aiohttp import WSCloseCode, WSMsgType, web

from bot.api.http import (
    BROWSER_SESSION,
    ApiError,
    _services,
    _task_id,
    find_token,
    require_task_access,
)
from bot.config import ApiToken
from bot.services import Services
from bot.steering.permissions import can_see
from store.errors import NotFound
from store.tracker import TaskChange

__all__ = ["OPEN_WEBSOCKETS", "close_websockets", "websocket_all", "websocket_task"]

logger = logging.getLogger(__name__)

OPEN_WEBSOCKETS: web.AppKey[weakref.WeakSet[web.WebSocketResponse]] = web.AppKey(
    "open_websockets", weakref.WeakSet
)


async def websocket_all(request: web.Request) -> web.WebSocketResponse:
    return await _websocket(request, None)


async def websocket_task(request: web.Request) -> web.WebSocketResponse:
    return await _websocket(request, _task_id(request))


def authorize_websocket(request: web.Request) -> tuple[str | None, ApiToken | None]:
    """Engines use their token (header or ?token=); the web page its signed session.

    Returns (the person the connection acts for, the token): a token acts for nobody and sees
    what its role reads; a session sees what its person may see."""
    services = _services(request)
    token = request.query.get("token")
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        token = header[7:].strip()
    caller = find_token(services, token) if token else None
    if caller is not None:
        if caller.role == "chat":
            raise ApiError(403, "forbidden", "a chat token may not do this")
        return None, caller
    read_session = request.app.get(BROWSER_SESSION)
    viewer = read_session(request) if read_session is not None else None
    if viewer is None:
        raise ApiError(401, "unauthorized", "a token or a signed link is needed")
    person, only_task = viewer
    # A view link, or a session a task link opened, reaches its one task and nothing else.
    if only_task is not None and only_task != request.match_info.get("task_id"):
        raise ApiError(403, "forbidden", "this link is for another task")
    if person is None and only_task is None:
        raise ApiError(401, "unauthorized", "a token or a signed link is needed")
    return person, None


async def _websocket(request: web.Request, task_id: str | None) -> web.WebSocketResponse:
    services = _services(request)
    person, caller = authorize_websocket(request)
    if person is None and caller is None and task_id is None:
        raise ApiError(401, "unauthorized", "a token or a signed link is needed")
    if caller is not None and task_id is not None:
        await require_task_access(request, caller, task_id)
    # An engine token hears only the tasks it created.
    engine = caller.name if caller is not None and caller.role == "engine" else None
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
            await _send_snapshot(services, ws, task_id, person, engine)
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
                        await _send_snapshot(services, ws, task_id, person, engine)
                        continue
                    await _send_change(services, ws, change, task_id, person, engine)
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
    services: Services,
    ws: web.WebSocketResponse,
    task_id: str | None,
    person: str | None,
    engine: str | None = None,
) -> None:
    if task_id is not None:
        snap = await services.progress.snapshot(task_id)
        await ws.send_json({"type": "snapshot", "task_id": task_id, "task": snap})
        return
    tasks = await services.queries.list_tasks(
        person=person,
        teams=services.directory.teams_of(person) if person else (),
        created_by=engine,
    )
    await ws.send_json({"type": "snapshot", "tasks": tasks})


async def _send_change(
    services: Services,
    ws: web.WebSocketResponse,
    change: TaskChange,
    task_id: str | None,
    person: str | None,
    engine: str | None = None,
) -> None:
    try:
        snap = await services.progress.snapshot(change.task_id)
    except NotFound:
        return
    if person is not None and not can_see(services.directory, person, snap):
        return
    if engine is not None:
        try:
            if await services.queries.creator(change.task_id) != engine:
                return
        except NotFound:
            return
    for message in change.messages:
        await ws.send_json(message)
    await ws.send_json({"type": "snapshot", "task_id": change.task_id, "task": snap})


# ---------------------------------------------------------------------- service routes

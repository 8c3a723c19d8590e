"""WebSockets: `/ws/tasks` and `/ws/tasks/{id}` send a snapshot, then every change from the bus.

Engines connect with their token; the web page with its signed session, read through the hook the
web package registers (`BROWSER_SESSION`). Whether a person may see a task is checked before the
task is loaded. A change is turned into its frames (the messages and the snapshot, serialised)
once, and every subscriber sends those same frames, so a thousand watchers cost one snapshot.
Open connections are capped per person, per token and per address (`limits:`).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import weakref
from collections import Counter, OrderedDict
from dataclasses import dataclass
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web

from bot.api.http import (
    BROWSER_SESSION,
    ApiError,
    _services,
    _task_id,
    token_is_valid,
)
from bot.services import Services
from bot.steering.permissions import can_see
from store.errors import NotFound
from store.tracker import TaskChange

__all__ = [
    "OPEN_BY",
    "OPEN_WEBSOCKETS",
    "SHARED_FRAMES",
    "SharedFrames",
    "close_websockets",
    "websocket_all",
    "websocket_task",
]

logger = logging.getLogger(__name__)

OPEN_WEBSOCKETS: web.AppKey[weakref.WeakSet[web.WebSocketResponse]] = web.AppKey(
    "open_websockets", weakref.WeakSet
)


@dataclass(frozen=True, slots=True)
class Frames:
    """One change, ready to send: its messages and the task's snapshot, as JSON text."""

    messages: tuple[bytes, ...]
    snapshot: bytes
    task: dict[str, Any]  # the snapshot itself, for visibility checks (read only)


class SharedFrames:
    """The frames of recent changes, built once per change however many sockets send them."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._by_change: OrderedDict[int, tuple[TaskChange, asyncio.Future[Frames | None]]] = (
            OrderedDict()
        )

    async def frames(self, services: Services, change: TaskChange) -> Frames | None:
        """The change's frames; None when its task is gone. The bus hands every subscriber the
        same change object, so its identity is the key (kept alive while it is cached)."""
        key = id(change)
        cached = self._by_change.get(key)
        if cached is not None and cached[0] is change:
            return await asyncio.shield(cached[1])
        future: asyncio.Future[Frames | None] = asyncio.get_running_loop().create_future()
        self._by_change[key] = (change, future)
        while len(self._by_change) > self.size:
            _old, (_change, old) = self._by_change.popitem(last=False)
            if not old.done():
                old.cancel()
        try:
            snap = await services.progress.snapshot(change.task_id)
            frames: Frames | None = Frames(
                tuple(json.dumps(message).encode() for message in change.messages),
                json.dumps({"type": "snapshot", "task_id": change.task_id, "task": snap}).encode(),
                dict(snap),
            )
        except NotFound:
            frames = None
        except BaseException as exc:
            self._by_change.pop(key, None)
            if not future.done():
                future.set_exception(exc)
                future.exception()  # retrieved: the other waiters get it too
            raise
        if not future.done():
            future.set_result(frames)
        return frames


SHARED_FRAMES: web.AppKey[SharedFrames] = web.AppKey("shared_frames", SharedFrames)
_HANG_UP = TaskChange("", 0, ())  # put on a socket's queue when its client has gone
OPEN_BY: web.AppKey[Counter[str]] = web.AppKey("websockets_open_by", Counter)


async def websocket_all(request: web.Request) -> web.WebSocketResponse:
    return await _websocket(request, None)


async def websocket_task(request: web.Request) -> web.WebSocketResponse:
    return await _websocket(request, _task_id(request))


def authorize_websocket(request: web.Request) -> tuple[str | None, str]:
    """Engines use their token (header or ?token=); the web page its signed session.

    Returns the person the connection acts for (None for a token: it sees everything) and the
    key its connections are counted under for `limits.websockets_per_*`."""
    services = _services(request)
    token = request.query.get("token")
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        token = header[7:].strip()
    if token and token_is_valid(services, token):
        digest = hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()[:16]
        return None, f"token:{digest}"
    read_session = request.app.get(BROWSER_SESSION)
    person = read_session(request) if read_session is not None else None
    if person is None:
        raise ApiError(401, "unauthorized", "a token or a signed link is needed")
    return person, f"person:{person}"


def _over_limit(request: web.Request, who: str) -> str | None:
    """Why one more connection would be too many, or None."""
    limits = _services(request).config.limits
    open_by = request.app[OPEN_BY]
    address = f"address:{request.remote or '?'}"
    checks = (
        ("person", who, limits.websockets_per_person),
        ("token", who, limits.websockets_per_token),
        ("address", address, limits.websockets_per_address),
    )
    for kind, key, limit in checks:
        if key.startswith(f"{kind}:") and open_by[key] >= limit:
            return f"too many WebSockets per {kind} (limits.websockets_per_{kind} = {limit})"
    return None


async def _websocket(request: web.Request, task_id: str | None) -> web.WebSocketResponse:
    services = _services(request)
    person, who = authorize_websocket(request)
    if task_id is not None:
        # Who may see it, before anything of the task is loaded.
        access = await services.queries.access(task_id)
        if access is None:
            raise NotFound(f"there is no task {task_id!r}")  # 404 before the upgrade
        if person is not None and not can_see(services.directory, person, access):
            raise ApiError(403, "forbidden", "this task is not yours to see")
    # No per-message deflate: compressing the same frames once per socket would cost more CPU
    # than everything else a change costs; a reverse proxy may compress instead.
    ws = web.WebSocketResponse(heartbeat=30, compress=False)
    await ws.prepare(request)
    refused = _over_limit(request, who)
    if refused is not None:
        await ws.close(code=WSCloseCode.POLICY_VIOLATION, message=refused.encode()[:120])
        return ws
    address = f"address:{request.remote or '?'}"
    open_by = request.app[OPEN_BY]
    open_by[who] += 1
    open_by[address] += 1
    request.app[OPEN_WEBSOCKETS].add(ws)
    services.metrics.ws_clients.inc()
    shared = request.app[SHARED_FRAMES]
    try:
        async with services.bus.subscribe(task_id) as sub:
            # Resume after interruption: whoever (re)connects first gets the whole picture.
            await _send_snapshot(services, ws, task_id, person)
            reader = asyncio.create_task(_drain_client(ws))
            # When the client goes, wake the loop below (no task per message to watch for it).
            reader.add_done_callback(lambda _done: sub.offer(_HANG_UP))
            try:
                while not ws.closed and not reader.done():
                    change = await sub.queue.get()
                    if change is _HANG_UP or ws.closed:
                        break
                    if sub.needs_resync:
                        sub.needs_resync = False
                        while not sub.queue.empty():
                            sub.queue.get_nowait()
                        await _send_snapshot(services, ws, task_id, person)
                        continue
                    await _send_change(services, shared, ws, change, person)
            finally:
                reader.cancel()
    except (ConnectionResetError, asyncio.CancelledError):
        pass
    finally:
        services.metrics.ws_clients.dec()
        request.app[OPEN_WEBSOCKETS].discard(ws)
        for key in (who, address):
            open_by[key] -= 1
            if open_by[key] <= 0:
                del open_by[key]
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
    shared: SharedFrames,
    ws: web.WebSocketResponse,
    change: TaskChange,
    person: str | None,
) -> None:
    frames = await shared.frames(services, change)
    if frames is None:
        return
    if person is not None and not can_see(services.directory, person, frames.task):
        return
    # The same bytes for every socket, sent as text frames.
    for message in frames.messages:
        await ws.send_frame(message, WSMsgType.TEXT)
    await ws.send_frame(frames.snapshot, WSMsgType.TEXT)


# ---------------------------------------------------------------------- service routes

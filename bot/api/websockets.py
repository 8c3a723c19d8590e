"""WebSockets: `/ws/tasks` and `/ws/tasks/{id}` send a snapshot, then every change from the bus.

Engines connect with their token; the web page with its signed session, read through the hook the
web package registers (`BROWSER_SESSION`). Whether a person may see a task is checked before the
task is loaded. A change is turned into its frames (the messages and the snapshot, serialised)
once, and every subscriber sends those same frames, so a thousand watchers cost one snapshot.
Open connections are capped per person, per token and per address (`limits:`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import struct
import weakref
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any

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
    creator: str | None  # the name of the API token that created the task

    @property
    def wire(self) -> bytes:
        """Every frame of the change as a server sends them (text, unmasked): the same bytes
        for every socket, written with one call."""
        return b"".join(_text_frame(payload) for payload in (*self.messages, self.snapshot))


def _text_frame(payload: bytes) -> bytes:
    size = len(payload)
    if size < 126:
        return struct.pack("!BB", 0x81, size) + payload
    if size < 65536:
        return struct.pack("!BBH", 0x81, 126, size) + payload
    return struct.pack("!BBQ", 0x81, 127, size) + payload


@dataclass(eq=False)
class Watcher:
    """One open socket: what it watches, for whom, and the connection to write to."""

    ws: web.WebSocketResponse
    transport: asyncio.Transport
    task_id: str | None
    person: str | None
    engine: str | None = None  # an engine token's name: it hears only the tasks it created


class SharedFrames:
    """The frames of recent changes, built once per change however many sockets send them, and
    the sockets that watch: one pump reads the bus and writes each change's bytes to every
    watcher that may see it, without waking a coroutine per socket."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._by_change: OrderedDict[int, tuple[TaskChange, asyncio.Future[Frames | None]]] = (
            OrderedDict()
        )
        self._watchers: dict[str | None, set[Watcher]] = defaultdict(set)
        self._pump: asyncio.Task[None] | None = None

    def add(self, services: Services, watcher: Watcher) -> None:
        self._watchers[watcher.task_id].add(watcher)
        if self._pump is None or self._pump.done():
            self._pump = asyncio.create_task(self._run(services), name="websocket-pump")

    def discard(self, watcher: Watcher) -> None:
        watchers = self._watchers.get(watcher.task_id)
        if watchers is not None:
            watchers.discard(watcher)
            if not watchers:
                del self._watchers[watcher.task_id]

    async def stop(self) -> None:
        if self._pump is not None:
            self._pump.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pump
            self._pump = None

    async def _run(self, services: Services) -> None:
        async with services.bus.subscribe(None) as sub:
            while True:
                change = await sub.queue.get()
                if sub.needs_resync:
                    # The pump fell behind: everyone gets a fresh snapshot instead.
                    sub.needs_resync = False
                    while not sub.queue.empty():
                        sub.queue.get_nowait()
                    for group in list(self._watchers.values()):
                        for watcher in list(group):
                            _background(_resync(services, watcher))
                    continue
                watchers = [
                    *self._watchers.get(change.task_id, ()),
                    *self._watchers.get(None, ()),
                ]
                if not watchers:
                    continue
                try:
                    frames = await self.frames(services, change)
                except Exception:
                    logger.exception("could not build the frames of a change to %s", change.task_id)
                    continue
                if frames is None:
                    continue
                wire = frames.wire
                for watcher in watchers:
                    _write(services, watcher, frames, wire)

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
                await services.queries.creator(change.task_id),
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


def _write(services: Services, watcher: Watcher, frames: Frames, wire: bytes) -> None:
    if watcher.person is not None and not can_see(services.directory, watcher.person, frames.task):
        return
    if watcher.engine is not None and frames.creator != watcher.engine:
        return
    transport = watcher.transport
    if transport.is_closing() or watcher.ws.closed:
        return
    if transport.get_write_buffer_size() > MAX_UNSENT_BYTES:
        # A client that does not read holds no memory hostage: it is let go (it may reconnect).
        _background(watcher.ws.close(code=WSCloseCode.POLICY_VIOLATION, message=b"too slow"))
        return
    transport.write(wire)


_BACKGROUND: set[asyncio.Task[Any]] = set()


def _background(coro: Coroutine[Any, Any, Any]) -> None:
    """Run `coro` on its own, keeping a reference until it is done."""
    task = asyncio.create_task(coro)
    _BACKGROUND.add(task)
    task.add_done_callback(_BACKGROUND.discard)


async def _resync(services: Services, watcher: Watcher) -> None:
    with contextlib.suppress(Exception):
        await _send_snapshot(services, watcher.ws, watcher.task_id, watcher.person, watcher.engine)


MAX_UNSENT_BYTES = 4 * 1024 * 1024
SHARED_FRAMES: web.AppKey[SharedFrames] = web.AppKey("shared_frames", SharedFrames)
OPEN_BY: web.AppKey[Counter[str]] = web.AppKey("websockets_open_by", Counter)


async def websocket_all(request: web.Request) -> web.WebSocketResponse:
    return await _websocket(request, None)


async def websocket_task(request: web.Request) -> web.WebSocketResponse:
    return await _websocket(request, _task_id(request))


def authorize_websocket(request: web.Request) -> tuple[str | None, ApiToken | None, str]:
    """Engines use their token (header or ?token=); the web page its signed session.

    Returns the person the connection acts for (None for a token, which sees what its role
    reads, or for a view link), the token, and the key its connections are counted under for
    `limits.websockets_per_*`."""
    services = _services(request)
    token = request.query.get("token")
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        token = header[7:].strip()
    caller = find_token(services, token) if token else None
    if caller is not None:
        if caller.role == "chat":
            raise ApiError(403, "forbidden", "a chat token may not do this")
        return None, caller, f"token:{caller.name}"
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
    return person, None, f"person:{person}" if person else f"view:{only_task}"


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
    person, caller, who = authorize_websocket(request)
    if caller is not None and task_id is not None:
        await require_task_access(request, caller, task_id)
    # An engine token hears only the tasks it created.
    engine = caller.name if caller is not None and caller.role == "engine" else None
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
    transport = request.transport
    assert transport is not None
    watcher = Watcher(ws, transport, task_id, person, engine)
    try:
        # Watch first, then the snapshot: a change in between arrives before the (newer) snapshot.
        shared.add(services, watcher)
        # Resume after interruption: whoever (re)connects first gets the whole picture.
        await _send_snapshot(services, ws, task_id, person, engine)
        await _drain_client(ws)
    except (ConnectionResetError, asyncio.CancelledError):
        pass
    finally:
        shared.discard(watcher)
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
    await app[SHARED_FRAMES].stop()
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


# ---------------------------------------------------------------------- service routes

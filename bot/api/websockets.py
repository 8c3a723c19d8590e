"""WebSockets: `/ws/tasks` and `/ws/tasks/{id}` send a snapshot, then every change from the bus.

Engines connect with their token; the web page with its signed session, read through the hook the
web package registers (`BROWSER_SESSION`). Whether a person may see a task is checked before the
task is loaded, on connecting and again for every change. One pump per app turns changes into
frames: each change's messages are serialised once, each changed task's snapshot is loaded and
serialised once, and the same bytes go to every socket with the same view (its task, or all, and
for whom), so a thousand watchers cost one snapshot and one write each. Changes that arrive while
the pump is still loading or writing are sent together in its next round: every message, and only
the newest snapshot of each task. Open connections are capped per person, per token and per
address (`limits:`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import struct
import time
import weakref
from collections import Counter, defaultdict
from collections.abc import Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
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
# Sockets written between two yields to the event loop: a round to thousands of sockets must
# not hold up the requests (and the changes) that arrive meanwhile.
WRITES_PER_SLICE = 200
MAX_REST_SECONDS = 0.5


def _text_frame(payload: bytes) -> bytes:
    """One WebSocket text frame as a server sends it (unmasked)."""
    size = len(payload)
    if size < 126:
        return struct.pack("!BB", 0x81, size) + payload
    if size < 65536:
        return struct.pack("!BBH", 0x81, 126, size) + payload
    return struct.pack("!BBQ", 0x81, 127, size) + payload


# Who a socket speaks for: (person, engine token). (None, None) is a token that reads all.
Audience = tuple[str | None, str | None]


@dataclass(eq=False)
class Watcher:
    """One open socket: what it watches, for whom, and the connection to write to."""

    ws: web.WebSocketResponse
    transport: asyncio.Transport
    task_id: str | None
    person: str | None
    engine: str | None = None  # an engine token's name: it hears only the tasks it created

    @property
    def audience(self) -> Audience:
        return (self.person, self.engine)


@dataclass(frozen=True, slots=True)
class _Gate:
    """What visibility needs of a task, read without loading it."""

    creator: str | None
    access: Mapping[str, Any] | None  # owner, team, approvers; read only when a person watches

    def lets(self, services: Services, audience: Audience) -> bool:
        person, engine = audience
        if engine is not None and self.creator != engine:
            return False
        if person is not None:
            return self.access is not None and can_see(services.directory, person, self.access)
        return True


@dataclass(slots=True)
class _Round:
    """One round of the pump: the changes taken from the bus, serialised once each."""

    changes: Sequence[TaskChange]
    messages: list[bytes] = field(default_factory=list)  # per change, its messages' frames
    snapshots: dict[str, bytes] = field(default_factory=dict)  # per task, its newest snapshot
    visible: dict[str, frozenset[Audience]] = field(default_factory=dict)
    last: dict[str, int] = field(default_factory=dict)  # per task, the index of its last change

    def wire(self, task_id: str | None, audience: Audience) -> bytes:
        """What a socket watching `task_id` (None: every task) for `audience` is sent: every
        message it may see in order, and each task's snapshot after that task's last message."""
        parts: list[bytes] = []
        for index, change in enumerate(self.changes):
            if task_id is not None and change.task_id != task_id:
                continue
            if audience not in self.visible.get(change.task_id, ()):
                continue
            parts.append(self.messages[index])
            if self.last[change.task_id] == index and change.task_id in self.snapshots:
                parts.append(self.snapshots[change.task_id])
        return b"".join(parts)


class SharedFrames:
    """The sockets that watch, and the one pump that reads the bus and writes each round of
    changes to every watcher that may see it, without waking a coroutine per socket."""

    def __init__(self) -> None:
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
                changes = [await sub.queue.get()]
                # Whatever arrived while the last round was loading or writing goes in this one.
                while not sub.queue.empty():
                    changes.append(sub.queue.get_nowait())
                if sub.needs_resync:
                    # The pump fell behind: everyone gets a fresh snapshot instead.
                    sub.needs_resync = False
                    while not sub.queue.empty():
                        sub.queue.get_nowait()
                    for group in list(self._watchers.values()):
                        for watcher in list(group):
                            _background(_resync(services, watcher))
                    continue
                started = time.monotonic()
                try:
                    await self._round(services, changes)
                except Exception:
                    logger.exception("could not send a round of %d changes", len(changes))
                # Rest as long as the round took: under a storm of changes to a task many watch,
                # the pump then spends at most about half the time writing, and what arrives
                # meanwhile shares the next round. A lone change is still sent at once.
                await asyncio.sleep(min(time.monotonic() - started, MAX_REST_SECONDS))

    async def _round(self, services: Services, changes: list[TaskChange]) -> None:
        for change in changes:
            if any(m.get("type") == "task_created" for m in change.messages):
                # A task created again under an old id (after retention) starts afresh.
                services.progress.forget(change.task_id)
        everyone = self._watchers.get(None, set())
        changes = [c for c in changes if everyone or c.task_id in self._watchers]
        if not changes:
            return
        batch = _Round(changes)
        for index, change in enumerate(changes):
            batch.messages.append(
                b"".join(_text_frame(json.dumps(m).encode()) for m in change.messages)
            )
            batch.last[change.task_id] = index
        for task_id in batch.last:
            audiences = {w.audience for w in (*self._watchers.get(task_id, ()), *everyone)}
            if not audiences:
                continue
            # Who may see it, before anything of the task is loaded.
            gate = await self._gate(services, task_id, audiences)
            if gate is None:
                continue  # gone meanwhile
            visible = frozenset(a for a in audiences if gate.lets(services, a))
            if not visible:
                continue
            try:
                version = changes[batch.last[task_id]].version
                snap = await services.progress.snapshot(task_id, version=version)
            except NotFound:
                continue
            batch.visible[task_id] = visible
            batch.snapshots[task_id] = _text_frame(
                json.dumps({"type": "snapshot", "task_id": task_id, "task": snap}).encode()
            )
        wires: dict[tuple[str | None, Audience], bytes] = {}
        watchers = [w for task_id in batch.last for w in self._watchers.get(task_id, ())]
        watchers += everyone
        for count, watcher in enumerate(watchers, start=1):
            key = (watcher.task_id, watcher.audience)
            wire = wires.get(key)
            if wire is None:
                wire = wires[key] = batch.wire(*key)
            if wire:
                _write(watcher, wire)
            if count % WRITES_PER_SLICE == 0:
                await asyncio.sleep(0)

    async def _gate(
        self, services: Services, task_id: str, audiences: set[Audience]
    ) -> _Gate | None:
        """The task's creator (which `Queries.creator` keeps once read) and, when a person
        watches, who may see it."""
        try:
            creator = await services.queries.creator(task_id)
        except NotFound:
            return None
        access = None
        if any(person is not None for person, _ in audiences):
            access = await services.queries.access(task_id)
            if access is None:
                return None
        return _Gate(creator, access)


def _write(watcher: Watcher, wire: bytes) -> None:
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

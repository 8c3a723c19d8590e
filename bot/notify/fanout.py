"""Fan-out across workers: task changes ride PostgreSQL LISTEN/NOTIFY to every worker's bus.

With several `progressbot serve` workers behind a load balancer, a browser's WebSocket lands on
one worker while the engine's events may land on another. After each committed change this
worker sends `NOTIFY progressbot_tasks, '<json>'`; every worker LISTENs on a dedicated
connection and publishes changes from the others into its own `TaskBus`, which feeds its
WebSocket clients and long-polling engines exactly as local changes do.

A payload carries the sender's id (a worker skips its own), the schema (deployments sharing a
database stay apart), the task id, its version and the change's messages. PostgreSQL refuses
payloads over 8000 bytes; a change that does not fit goes without its messages, and receivers
send the task's fresh snapshot, which every WebSocket client gets after each change anyway.
A lost LISTEN connection is reopened with backoff; changes missed meanwhile are made good by
the next change's snapshot.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import secrets
import socket
from typing import TYPE_CHECKING, Any

import asyncpg
from sqlalchemy import text
from sqlalchemy.engine import make_url

from store.tracker import TaskChange

if TYPE_CHECKING:
    from bot.services import Services

__all__ = ["CHANNEL", "MAX_PAYLOAD_BYTES", "PgFanout", "decode", "encode"]

logger = logging.getLogger(__name__)

CHANNEL = "progressbot_tasks"
# PostgreSQL's limit is 8000 bytes; keep a margin for the quoting of the literal.
MAX_PAYLOAD_BYTES = 7900
HEALTH_CHECK_SECONDS = 5.0
MAX_RECONNECT_SECONDS = 10.0
QUEUE_SIZE = 10_000


def encode(change: TaskChange, *, worker: str, namespace: str) -> str:
    """The NOTIFY payload for a change; without its messages when they would not fit."""
    data: dict[str, Any] = {
        "w": worker,
        "ns": namespace,
        "task_id": change.task_id,
        "version": change.version,
        "outbox": change.outbox_rows,
        "messages": list(change.messages),
    }
    payload = json.dumps(data, separators=(",", ":"), ensure_ascii=False, default=str)
    if len(payload.encode()) <= MAX_PAYLOAD_BYTES:
        return payload
    del data["messages"]
    data["resync"] = True
    payload = json.dumps(data, separators=(",", ":"), ensure_ascii=False, default=str)
    if len(payload.encode()) > MAX_PAYLOAD_BYTES:  # only a pathological task id gets here
        raise ValueError("task change too large to announce")
    return payload


def decode(payload: str) -> tuple[str, str, TaskChange] | None:
    """(sender, namespace, change) from a payload; None when it is not ours to read."""
    try:
        data = json.loads(payload)
        messages = data.get("messages") or []
        change = TaskChange(
            str(data["task_id"]),
            int(data["version"]),
            tuple(m for m in messages if isinstance(m, dict)),
            int(data.get("outbox") or 0),
        )
        return str(data["w"]), str(data["ns"]), change
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


class PgFanout:
    """Announces this worker's task changes and publishes the other workers' into the bus."""

    def __init__(
        self, services: Services, *, worker_id: str | None = None, channel: str = CHANNEL
    ) -> None:
        self.services = services
        self.channel = channel
        self.worker_id = worker_id or f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"
        self.namespace = ""
        self._dsn = make_url(services.db.url).set(drivername="postgresql")
        self._outgoing: asyncio.Queue[TaskChange] = asyncio.Queue(maxsize=QUEUE_SIZE)
        self._stopping = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._listening = asyncio.Event()
        self.connection: asyncpg.Connection | None = None  # the LISTEN connection, when open
        self.received = 0  # changes from other workers published here, for /metrics and tests

    async def start(self) -> None:
        async with self.services.db.read() as session:
            self.namespace = str(await session.scalar(text("SELECT current_schema()")) or "")
        self._stopping.clear()
        self.services.tracker.add_listener(self._on_local_change)
        self._tasks = [
            asyncio.create_task(self._listen_forever(), name="pg-fanout-listen"),
            asyncio.create_task(self._send_forever(), name="pg-fanout-send"),
        ]
        # Start-up waits briefly for LISTEN, so a worker that says it is ready hears others.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._listening.wait(), timeout=5)

    async def stop(self) -> None:
        self._stopping.set()
        # Let what this worker changed last still reach the others.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._outgoing.join(), timeout=2)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    async def wait_listening(self, timeout: float = 10.0) -> None:
        await asyncio.wait_for(self._listening.wait(), timeout)

    # ------------------------------------------------------------------ sending

    def _on_local_change(self, change: TaskChange) -> None:
        try:
            self._outgoing.put_nowait(change)
        except asyncio.QueueFull:
            logger.warning("fan-out queue full; other workers miss a change of %s", change.task_id)

    async def _send_forever(self) -> None:
        while True:
            batch = [await self._outgoing.get()]
            while not self._outgoing.empty() and len(batch) < 100:
                batch.append(self._outgoing.get_nowait())
            try:
                await self._announce(batch)
            except Exception as exc:  # the database is away: the next change's snapshot heals
                logger.warning("could not announce %s task changes: %s", len(batch), exc)
            finally:
                for _ in batch:
                    self._outgoing.task_done()

    async def _announce(self, batch: list[TaskChange]) -> None:
        payloads = []
        for change in batch:
            try:
                payloads.append(encode(change, worker=self.worker_id, namespace=self.namespace))
            except ValueError:
                logger.warning("task change of %s too large to announce", change.task_id)
        if not payloads:
            return
        # One transaction: PostgreSQL delivers the notifications at commit, in this order.
        async with self.services.db.write_engine.begin() as conn:
            for payload in payloads:
                await conn.execute(
                    text("SELECT pg_notify(:channel, :payload)"),
                    {"channel": self.channel, "payload": payload},
                )

    # ------------------------------------------------------------------ listening

    async def _listen_forever(self) -> None:
        delay = 0.5
        while not self._stopping.is_set():
            try:
                await self._listen_once()
                delay = 0.5
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                logger.warning(
                    "LISTEN connection lost (%s); reconnecting in %.1fs", type(exc).__name__, delay
                )
            self._listening.clear()
            if self._stopping.is_set():
                break
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_RECONNECT_SECONDS)

    async def _listen_once(self) -> None:
        dsn = self._dsn.render_as_string(hide_password=False)
        conn: asyncpg.Connection = await asyncpg.connect(dsn, timeout=10)
        lost = asyncio.Event()
        conn.add_termination_listener(lambda _conn: lost.set())
        try:
            await conn.add_listener(self.channel, self._on_notification)
            self.connection = conn
            self._listening.set()
            logger.info("listening for task changes of other workers on %s", self.channel)
            while not self._stopping.is_set() and not lost.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(lost.wait(), HEALTH_CHECK_SECONDS)
                if not lost.is_set():
                    # A half-open TCP connection never says it is gone; ask it something.
                    await conn.fetchval("SELECT 1", timeout=HEALTH_CHECK_SECONDS)
            if lost.is_set() and not self._stopping.is_set():
                raise ConnectionError("LISTEN connection closed")
        finally:
            self.connection = None
            if not conn.is_closed():
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(conn.close(), timeout=2)

    def _on_notification(
        self, _conn: asyncpg.Connection, _pid: int, _channel: str, payload: str
    ) -> None:
        decoded = decode(payload)
        if decoded is None:
            logger.warning("ignoring a malformed notification on %s", self.channel)
            return
        sender, namespace, change = decoded
        if sender == self.worker_id or namespace != self.namespace:
            return
        self.received += 1
        self.services.bus.publish(change)

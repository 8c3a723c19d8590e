"""In-process fan-out of task changes to WebSocket clients and long-polling engines.

The Tracker tells the bus after every commit. Each subscriber gets its own bounded queue, so one
slow browser never holds up the others: when its queue is full it is marked for a resync and gets
a fresh snapshot instead of the messages it missed.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from store.tracker import TaskChange

__all__ = ["Subscriber", "TaskBus"]

logger = logging.getLogger(__name__)


@dataclass(eq=False)
class Subscriber:
    """One listener: all tasks (task_id None) or one task."""

    task_id: str | None
    queue: asyncio.Queue[TaskChange] = field(default_factory=lambda: asyncio.Queue(maxsize=1000))
    needs_resync: bool = False

    def offer(self, change: TaskChange) -> None:
        try:
            self.queue.put_nowait(change)
        except asyncio.QueueFull:
            self.needs_resync = True


class TaskBus:
    def __init__(self) -> None:
        self._by_task: dict[str | None, set[Subscriber]] = defaultdict(set)
        self._versions: dict[str, int] = {}
        self._changed: dict[str, asyncio.Event] = {}

    def publish(self, change: TaskChange) -> None:
        """Hand a committed change to every interested subscriber (never blocks)."""
        if change.version:
            self._versions[change.task_id] = max(
                self._versions.get(change.task_id, 0), change.version
            )
        for sub in (*self._by_task.get(change.task_id, ()), *self._by_task.get(None, ())):
            sub.offer(change)
        event = self._changed.pop(change.task_id, None)
        if event is not None:
            event.set()

    @asynccontextmanager
    async def subscribe(self, task_id: str | None) -> AsyncIterator[Subscriber]:
        sub = Subscriber(task_id)
        self._by_task[task_id].add(sub)
        try:
            yield sub
        finally:
            subs = self._by_task.get(task_id)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self._by_task[task_id]

    async def wait_for_change(self, task_id: str, timeout: float) -> bool:
        """Wait until the task changes or the timeout passes; True when it changed."""
        event = self._changed.get(task_id)
        if event is None:
            event = self._changed[task_id] = asyncio.Event()
        try:
            await asyncio.wait_for(event.wait(), timeout)
            return True
        except TimeoutError:
            return False

"""The core's shared services: one object per running app, passed explicitly, never global.

`Services` holds what the surfaces (API, web page, chat, notifier) share: the config, the store,
the Tracker, reads with ETA, the bus of live changes, metrics and the clock. It names the chat
core and the channels only through the ports in `bot.ports`; `bot.wiring` fills them in.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from aiohttp import web

from bot.config import Config, Directory
from bot.links import ensure_link_secret
from bot.metrics import Metrics
from bot.ports import Adapter, ChatCore
from bot.progress.bus import TaskBus
from bot.progress.snapshots import ProgressService
from store.db import Database
from store.deliveries import DeliveryLog
from store.queries import Queries
from store.tracker import Tracker

__all__ = ["SERVICES", "Clock", "Lifecycle", "Services"]

logger = logging.getLogger(__name__)


class Clock:
    """Wall-clock time; tests pass a clock they can move."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def time(self) -> float:
        return time.time()


class Lifecycle(Protocol):
    """A part that starts and stops with the app (an adapter, the notifier, the fan-out)."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


@dataclass
class Services:
    config: Config
    db: Database
    tracker: Tracker
    queries: Queries
    progress: ProgressService
    bus: TaskBus
    directory: Directory
    metrics: Metrics
    clock: Clock
    # Which platform deliveries were handled already, for every worker on this store.
    deliveries: DeliveryLog
    chat: ChatCore | None = None
    # The running channels by platform name ("console", "slack", ...); the notifier sends here.
    adapters: dict[str, Adapter] = field(default_factory=dict)
    # Start/stop hooks of optional parts (adapters, the notifier), run by the app's cleanup ctx.
    extras: list[Any] = field(default_factory=list)

    async def start(self) -> None:
        await self.db.upgrade()
        await ensure_link_secret(self.config, self.db)
        for extra in self.extras:
            await extra.start()

    async def stop(self) -> None:
        for extra in reversed(self.extras):
            try:
                await extra.stop()
            except Exception:
                logger.exception("stopping %s failed", type(extra).__name__)
        await self.db.dispose()


SERVICES: web.AppKey[Services] = web.AppKey("services", Services)

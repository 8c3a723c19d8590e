"""Wiring: build every service once from the config, and the aiohttp application around them.

Nothing here is global. `build_services` returns a `Services` object that the HTTP app, the
CLI, the adapters and the tests all receive explicitly.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web

from adapters.base import HasRoutes
from bot.bus import TaskBus
from bot.config import Config, Directory
from bot.metrics import Metrics
from bot.preferences import config_preferences
from bot.progress import ProgressService
from store.db import Database, redact_url
from store.queries import Queries
from store.tracker import Tracker

if TYPE_CHECKING:
    from adapters.base import Adapter
    from bot.chat import ChatBot

__all__ = ["SERVICES", "Clock", "Services", "build_services", "create_app"]

logger = logging.getLogger(__name__)


class Clock:
    """Wall-clock time; tests pass a clock they can move."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def time(self) -> float:
        return time.time()


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
    chat: ChatBot | None = None
    # The running channels by platform name ("console", "slack", ...); the notifier sends here.
    adapters: dict[str, Adapter] = field(default_factory=dict)
    # Start/stop hooks of optional parts (adapters, the notifier), run by the app's cleanup ctx.
    extras: list[Any] = field(default_factory=list)

    async def start(self) -> None:
        await self.db.upgrade()
        for extra in self.extras:
            await extra.start()

    async def stop(self) -> None:
        for extra in reversed(self.extras):
            try:
                await extra.stop()
            except Exception:
                logger.exception("stopping %s failed", type(extra).__name__)
        await self.db.dispose()


def build_services(
    config: Config,
    *,
    clock: Clock | None = None,
    database: Database | None = None,
    with_chat: bool = True,
    with_notifier: bool = False,
) -> Services:
    clock = clock or Clock()
    db = database or Database(config.store.url)
    logger.info("store: %s", redact_url(db.url))
    directory = config.directory()
    tracker = Tracker(
        db,
        membership=directory,
        clock=clock.now,
        # What people do to a task (decide, pause, cancel ...) is always told to its chats.
        notify_events={*config.notifications.events, *PEOPLE_EVENTS},
        default_preferences=config_preferences(config),
    )
    queries = Queries(db)
    bus = TaskBus()
    tracker.add_listener(bus.publish)
    services = Services(
        config=config,
        db=db,
        tracker=tracker,
        queries=queries,
        progress=ProgressService(queries, clock=clock.time),
        bus=bus,
        directory=directory,
        metrics=Metrics(),
        clock=clock,
    )
    if db.is_postgres:
        # Several workers may share this database: their WebSocket clients hear every change.
        from bot.pgnotify import PgFanout

        services.extras.append(PgFanout(services))
    if with_chat:
        from bot.chat import ChatBot

        services.chat = ChatBot(services)
    _enable_adapters(services)
    if with_notifier:
        from bot.notifier import Notifier

        services.extras.append(Notifier(services))
    return services


def _enable_adapters(services: Services) -> None:
    """Register the chat platforms the config turns on; each starts and stops with the app."""
    config = services.config
    enabled: list[Adapter] = []
    if config.slack.enabled:
        from adapters.slack import SlackAdapter

        enabled.append(SlackAdapter(services))
    if config.telegram.enabled:
        from adapters.telegram import TelegramAdapter

        enabled.append(TelegramAdapter(services))
    if config.email.enabled:
        from adapters.email import EmailAdapter

        enabled.append(EmailAdapter(services))
    for adapter in enabled:
        services.adapters[adapter.platform] = adapter
        services.extras.append(adapter)


PEOPLE_EVENTS = ("approval_decided", "paused", "resumed", "cancelled", "restarted")

SERVICES: web.AppKey[Services] = web.AppKey("services", Services)


def create_app(services: Services, *, manage_lifecycle: bool = True) -> web.Application:
    """The aiohttp app: the API, WebSockets, the web page, health and metrics."""
    from bot.api import add_api_routes, error_middleware

    app = web.Application(
        client_max_size=services.config.api.max_body_bytes,
        middlewares=[error_middleware],
    )
    app[SERVICES] = services
    add_api_routes(app)
    for adapter in services.adapters.values():
        # Channels that receive webhooks (Slack HTTP mode, Telegram webhook) add their routes.
        if isinstance(adapter, HasRoutes):
            adapter.add_routes(app)
    try:
        from bot.web.routes import add_web_routes
    except ImportError:  # the web page is optional in trimmed builds
        pass
    else:
        add_web_routes(app)

    if manage_lifecycle:

        async def lifecycle(_app: web.Application) -> AsyncIterator[None]:
            await services.start()
            yield
            await services.stop()

        app.cleanup_ctx.append(lifecycle)
    return app

"""Wiring, the composition root: build every service once from the config, and the apps around them.

This is the one module that names concrete adapters. Nothing here is global: `build_services`
returns a `Services` object that the HTTP app, the CLI and the tests receive explicitly, and each
adapter gets its config section and a `ChatCore` (what it may ask of the core), never the whole
`Services`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import sys
from collections.abc import AsyncIterator, Callable
from typing import TextIO

from aiohttp import web

from adapters import rasa
from adapters.base import Adapter, HasRoutes
from adapters.console import ConsoleAdapter, chat_loop
from adapters.email import EmailAdapter
from adapters.slack import SlackAdapter
from adapters.telegram import TelegramAdapter
from bot.api.admission import header_middleware
from bot.api.http import error_middleware
from bot.api.routes import add_api_routes
from bot.chat.brain import ChatBot
from bot.chat.gateway import ChannelGateway
from bot.config import Config, is_loopback
from bot.links import ensure_link_secret
from bot.logs import log_task_change
from bot.mcp.http import add_mcp_routes
from bot.metrics import Metrics
from bot.notify.fanout import PgFanout
from bot.notify.notifier import Notifier
from bot.notify.preferences import config_preferences
from bot.progress.bus import TaskBus
from bot.progress.snapshots import ProgressService
from bot.runtime import stop_on_signals
from bot.services import SERVICES, Clock, Services
from bot.web.routes import add_web_routes
from store.budget import DatabaseSlotBudget
from store.db import Database, redact_url
from store.deliveries import DeliveryLog
from store.queries import Queries
from store.tracker import Limits, Tracker

__all__ = [
    "PEOPLE_EVENTS",
    "build_services",
    "console_adapter",
    "create_action_app",
    "create_app",
    "run_console_chat",
]

logger = logging.getLogger(__name__)

# What people do to a task (decide, pause, cancel ...) is always told to its chats.
PEOPLE_EVENTS = ("approval_decided", "paused", "resumed", "cancelled", "restarted")


def tracker_limits(config: Config) -> Limits:
    """The config's `limits:` that the Tracker keeps (the rest are the HTTP server's)."""
    names = {field.name for field in dataclasses.fields(Limits)}
    return Limits(**config.limits.model_dump(include=names))


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
        notify_events={*config.notifications.events, *PEOPLE_EVENTS},
        default_preferences=config_preferences(config),
        limits=tracker_limits(config),
    )
    queries = Queries(db)
    bus = TaskBus()
    tracker.add_listener(bus.publish)
    tracker.add_listener(log_task_change)
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
        deliveries=DeliveryLog(db, clock=clock.now),
    )
    if db.is_postgres:
        # Several workers may share this database: their WebSocket clients hear every change.
        services.extras.append(PgFanout(services))
    core = ChannelGateway(services, ChatBot(services) if with_chat else None)
    if with_chat:
        services.chat = core
    _enable_adapters(services, core)
    if with_notifier:
        services.extras.append(Notifier(services))
    return services


def _enable_adapters(services: Services, core: ChannelGateway) -> None:
    """Register the chat platforms the config turns on; each starts and stops with the app."""
    config = services.config
    enabled: list[Adapter] = []
    if config.slack.enabled:
        enabled.append(SlackAdapter(config.slack, core))
    if config.telegram.enabled:
        # Several workers share one PostgreSQL, and Telegram's overall limit with it.
        budget = DatabaseSlotBudget(services.db) if services.db.is_postgres else None
        enabled.append(TelegramAdapter(config.telegram, core, budget=budget))
    if config.email.enabled:
        enabled.append(EmailAdapter(config.email))
    for adapter in enabled:
        services.adapters[adapter.platform] = adapter
        services.extras.append(adapter)


def create_app(services: Services, *, manage_lifecycle: bool = True) -> web.Application:
    """The aiohttp app: the API, WebSockets, the web page, MCP, health and metrics."""
    app = web.Application(
        client_max_size=services.config.api.max_body_bytes,
        middlewares=[error_middleware, header_middleware],
    )
    app[SERVICES] = services
    add_api_routes(app)
    for adapter in services.adapters.values():
        # Channels that receive webhooks (Slack HTTP mode, Telegram webhook) add their routes.
        if isinstance(adapter, HasRoutes):
            adapter.add_routes(app)
    add_web_routes(app)
    add_mcp_routes(app)
    if manage_lifecycle:
        app.cleanup_ctx.append(_lifecycle(services))
    return app


def _lifecycle(services: Services) -> Callable[[web.Application], AsyncIterator[None]]:
    async def lifecycle(_app: web.Application) -> AsyncIterator[None]:
        await services.start()
        yield
        await services.stop()

    return lifecycle


def create_action_app(services: Services, *, manage_lifecycle: bool = True) -> web.Application:
    """The Rasa action server over these services' chat core.

    With `manage_lifecycle` the app upgrades the database on start and closes it on stop. Chat
    adapters and the notifier are not started here: `progressbot serve` runs those.
    """
    token = services.config.rasa.token
    app = rasa.create_action_app(
        ChannelGateway(services, ChatBot(services)),
        token=token.get_secret_value() if token is not None else None,
    )
    if manage_lifecycle:

        async def lifecycle(_app: web.Application) -> AsyncIterator[None]:
            await services.db.upgrade()
            await ensure_link_secret(services.config, services.db)
            yield
            await services.db.dispose()

        app.cleanup_ctx.append(lifecycle)
    return app


def serve_actions(config: Config, *, host: str, port: int) -> int:
    """Serve the Rasa actions until interrupted (`progressbot rasa-actions`); the exit code.

    Without `rasa.token` anyone who reaches the port could speak as any user, so only a loopback
    address is allowed then."""
    if config.rasa.token is None and not is_loopback(host):
        logger.error("rasa.token is not set: the Rasa action server binds only to loopback")
        print(
            f"progressbot: rasa.token is required to serve Rasa actions on {host}",
            file=sys.stderr,
        )
        return 2
    services = build_services(config)
    logger.info("Rasa action server on http://%s:%s/webhook", host, port)
    web.run_app(create_action_app(services), host=host, port=port, print=None)
    return 0


def console_adapter(output: TextIO) -> ConsoleAdapter:
    """The terminal channel, printing to `output` (the demo's screen)."""
    return ConsoleAdapter(output)


async def run_console_chat(
    config: Config,
    *,
    person: str | None = None,
    url: str | None = None,
    services: Services | None = None,
    input_stream: TextIO | None = None,
    output: TextIO | None = None,
    adapter: ConsoleAdapter | None = None,
    stop: asyncio.Event | None = None,
) -> int:
    """Chat in the terminal until quit, exit, EOF or Ctrl-C. Returns the exit status.

    In process (the default) the bot reads the store named in the config; with `url` it talks
    to a running server's `/api/chat`. The demo passes its own `services`, `adapter` and `stop`.
    """
    out = output if output is not None else sys.stdout
    who = person or config.console.person
    if who not in config.users:
        out.write(f"progressbot: {who!r} is not a person in users: of {config.source}\n")
        return 2
    token: str | None = None
    if url is not None:
        usable = [
            t
            for t in config.api.tokens
            if t.role == "admin" or (t.role == "chat" and who in t.persons)
        ]
        if not usable:
            out.write(
                f"progressbot: --url needs a chat token for {who} (or an admin token) in "
                "api.tokens to call /api/chat\n"
            )
            return 2
        token = usable[0].get_secret_value()
    owned: Services | None = None
    if url is None and services is None:
        owned = services = build_services(config)
        await owned.start()
    stopping = stop or asyncio.Event()
    restore = stop_on_signals(stopping) if input_stream is None and stop is None else []
    try:
        await chat_loop(
            adapter or ConsoleAdapter(out),
            person=who,
            core=services.chat if services is not None else None,
            url=url,
            token=token,
            input_stream=input_stream,
            output=out,
            stop=stopping,
        )
    finally:
        for undo in restore:
            undo()
        if owned is not None:
            await owned.stop()
    return 0

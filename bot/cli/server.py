"""Running the app: `progressbot serve` and the in-process servers that tests and the demo start."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import threading
from dataclasses import dataclass

from aiohttp import web

from bot import logsafe
from bot.config import Config
from bot.runtime import PortUnavailable, stop_on_signals
from bot.services import Clock, Services
from bot.wiring import build_services, create_app
from intents import default_classifier
from store.db import Database

__all__ = ["RunningServer", "serve", "start_server"]

logger = logging.getLogger(__name__)


@dataclass
class RunningServer:
    services: Services
    runner: web.AppRunner
    url: str  # http://127.0.0.1:PORT, the real port when api.port was 0

    async def stop(self) -> None:
        await self.runner.cleanup()


async def start_server(
    config: Config,
    *,
    clock: Clock | None = None,
    database: Database | None = None,
    services: Services | None = None,
    with_notifier: bool = False,
) -> RunningServer:
    """Start the app on api.host/api.port (0 = a free port) and return once it listens."""
    logsafe.install(config.secret_values())
    services = services or build_services(
        config, clock=clock, database=database, with_notifier=with_notifier
    )
    app = create_app(services)
    runner = web.AppRunner(
        app,
        access_log=None,
        handle_signals=False,
        # A client must finish a request's headers this long after connecting (or after its
        # previous answer): a slow trickle of header bytes cannot hold a connection open.
        keepalive_timeout=config.limits.header_timeout_seconds,
    )
    await runner.setup()
    site = web.TCPSite(runner, config.api.host, config.api.port)
    try:
        await site.start()
    except OSError as exc:
        await runner.cleanup()
        raise PortUnavailable(config.api.host, config.api.port, exc) from exc
    port = config.api.port
    server = getattr(site, "_server", None)
    if server is not None and server.sockets:
        port = server.sockets[0].getsockname()[1]
    # Links on cards and printed links must point at the port we really got.
    config.api.listening_on(config.api.host, port)
    host = config.api.host if config.api.host not in ("0.0.0.0", "::", "") else "127.0.0.1"
    return RunningServer(services, runner, f"http://{host}:{port}")


async def serve(config: Config) -> None:
    """Run until SIGINT or SIGTERM."""
    server = await start_server(config, with_notifier=True)
    logger.info("Progress Bot is listening on %s", server.url)
    freezing = asyncio.create_task(_freeze_startup_objects())
    stop = asyncio.Event()
    restore = stop_on_signals(stop)
    try:
        await stop.wait()
    finally:
        freezing.cancel()
        for undo in restore:
            undo()
        await server.stop()


async def _freeze_startup_objects() -> None:
    """Keep what the server built as it started out of the collector's full passes.

    The modules, the app and the intent classifier are some 300,000 objects that live as long
    as the process; a full collection walks them all, 100-250 ms on a busy core, every several
    seconds under load, and every request waiting meanwhile waits that long. Frozen (once the
    classifier, loaded or trained in the background as the server starts, is ready), they are
    skipped.
    Young collections then run every 7,000 allocations rather than 700: what a request leaves
    behind is freed by reference counting, and fewer young passes also mean fewer full ones
    (p99 at 500 requests/s on 100,000 tasks: 86 ms as it was, 19 ms frozen, 10 ms both)."""
    await _classifier_trained()
    gc.collect()
    gc.freeze()
    gc.set_threshold(7000, 10, 10)
    logger.debug("startup objects frozen: %d", gc.get_freeze_count())


async def _classifier_trained() -> None:
    """Return once the intent classifier is trained, waiting on a daemon thread: a server told
    to stop while it trains exits at once, where `asyncio.to_thread` would keep `asyncio.run`
    waiting for the training (seconds) before the process could end."""
    loop = asyncio.get_running_loop()
    trained = asyncio.Event()

    def train() -> None:
        default_classifier()
        with contextlib.suppress(RuntimeError):  # the loop is closed: the server stopped
            loop.call_soon_threadsafe(trained.set)

    threading.Thread(target=train, name="classifier-wait", daemon=True).start()
    await trained.wait()

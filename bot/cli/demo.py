"""`progressbot demo` (what `make run` starts): the whole product on one machine.

SQLite from the config, the API and web page, the notifier pushing to the console, a simulated
Cellphone Store CRM task that stops for approval at Step 3, and the console chat to ask about it.
When the simulated task finishes the demo keeps running; quit, Ctrl-D or Ctrl-C end it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import sys
from pathlib import Path
from typing import Any, TextIO

from pydantic import SecretStr
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.cli.server import RunningServer, start_server
from bot.cli.simulation import simulate_crm_task
from bot.config import ApiToken, Config
from bot.engine import AsyncProgressClient
from bot.links import task_link
from bot.notify.notifier import Notifier
from bot.runtime import stop_on_signals
from bot.services import Services
from bot.wiring import build_services, console_adapter, run_console_chat

__all__ = ["run_demo"]

logger = logging.getLogger(__name__)


def ensure_store_dir(url: str) -> None:
    """Create the directory of a file-based SQLite store (`var/` by default)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return
    database = parsed.database
    if parsed.get_backend_name() == "sqlite" and database and database != ":memory:":
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _welcome(config: Config, server: RunningServer, task_id: str, person: str) -> str:
    page = task_link(config, task_id, person)
    lines = [
        "",
        "Progress Bot demo",
        "=================",
        "A simulated “Cellphone Store CRM” task is starting; it stops for your approval at Step 3.",
        "",
    ]
    if page:
        lines.append(f"Web page:  {page}")
    lines += [
        f"API:       {server.url}/api/tasks/{task_id}/progress",
        "",
        "Try: How's my CRM task going?",
        "Then: “show logs”, “pause it”, “approve”, “help”. Type quit (or Ctrl-D) to leave.",
        "",
    ]
    return "\n".join(lines)


async def _simulate(
    services: Services,
    server: RunningServer,
    task_id: str,
    person: str,
    created: asyncio.Event,
) -> None:
    """Run the simulated CRM task through the HTTP API, as a real engine would; `created` is set
    once the task exists."""
    config = services.config
    engines = [t for t in config.api.tokens if t.role in ("engine", "admin")]
    token = engines[0].get_secret_value()
    try:
        async with AsyncProgressClient(server.url, token=token) as client:
            await simulate_crm_task(
                client,
                speed=config.demo.speed,
                task_id=task_id,
                owner=person,
                notify=[{"platform": "console", "chat": person}],
                created=created,
            )
    except asyncio.CancelledError:
        raise
    except Exception:
        logger.exception("the simulated task stopped")
        return
    logger.info("the simulated task %s finished", task_id)


async def run_demo(
    config: Config,
    *,
    chat: bool = True,
    ready: asyncio.Event | None = None,
    output: TextIO | None = None,
    input_stream: TextIO | None = None,
) -> int:
    """Run the demo until quit, EOF, Ctrl-C or SIGTERM. Returns 0 on a clean exit."""
    out = output if output is not None else sys.stdout
    # The console is the demo's screen: start-up chatter from libraries would bury the chat.
    for noisy in ("alembic", "apscheduler", "bot.wiring", "bot.config"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))
    ensure_store_dir(config.store.url)
    if not any(t.role in ("engine", "admin") for t in config.api.tokens):
        # The simulated engine talks to the API like a real one; it needs a token to do so.
        config.api.tokens = [
            *config.api.tokens,
            ApiToken(name="demo-engine", token=SecretStr(secrets.token_urlsafe(24))),
        ]
    person = config.console.person
    services = build_services(config)
    console = console_adapter(out)
    services.adapters["console"] = console
    services.extras.append(Notifier(services))
    server = await start_server(config, services=services)

    stop = asyncio.Event()
    restore = stop_on_signals(stop)
    task_id = f"crm-{secrets.token_hex(3)}"
    out.write(_welcome(config, server, task_id, person) + "\n")
    out.flush()
    created = asyncio.Event()
    simulation: asyncio.Task[Any] = asyncio.create_task(
        _simulate(services, server, task_id, person, created), name="demo-simulation"
    )
    # The welcome suggests asking about the task: the chat listens once it exists, so a question
    # typed (or pasted) at once finds it. Should the simulation fail first, the chat starts anyway.
    waiting = asyncio.create_task(created.wait())
    await asyncio.wait({waiting, simulation}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
    waiting.cancel()
    try:
        if ready is not None:
            ready.set()
        if chat:
            await run_console_chat(
                config,
                person=person,
                services=services,
                adapter=console,
                stop=stop,
                output=out,
                input_stream=input_stream,
            )
        else:
            await stop.wait()
    finally:
        simulation.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await simulation
        for undo in restore:
            undo()
        await server.stop()
        out.write("Bye!\n")
        out.flush()
    return 0

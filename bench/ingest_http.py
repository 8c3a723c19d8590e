"""What the HTTP route of engine events costs the server, apart from `Tracker.apply`.

The load of `bench/ingest.py`'s "HTTP API" mode, batch 1 (8 engines in a process of their own,
each posting one event per request to `POST /api/tasks/{id}/events` on its own task), against:

- our server with `Tracker.apply` answering at once (the tasks are real, created through the
  API; only the apply of the measured events is replaced): the token, the caller's rights, the
  middlewares, metrics, the body's strict JSON, the answer's encoding and aiohttp around them;
- a bare aiohttp app with one POST handler that decodes the JSON and answers JSON: the floor.

Prints the server process's CPU per request (median of 3 runs after a warm-up).

Run: python bench/ingest_http.py  (about a minute on 2 cores)
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

# Import from the repository root, not from bench/ (see bench/ingest.py).
sys.path.pop(0)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import ingest
from bench.common import CONFIG, TOKEN
from bot.cli.server import start_server
from bot.config import parse_config
from store.db import Database
from store.tracker.contract import Applied

REQUESTS_PER_ENGINE = 1000
RUNS = 3
# At import, so that the engines' process (spawned: it imports this module too) sends as many.
ingest.EVENTS[1] = REQUESTS_PER_ENGINE


async def measure(url: str, prepare: Callable[[str], Awaitable[None]]) -> list[float]:
    """The server's CPU milliseconds per request in each run (the first, a warm-up, dropped)."""
    cpus = []
    for run in range(RUNS + 1):
        await prepare(f"r{run}")
        _, cpu = await ingest.run_engines_apart(url, f"r{run}", 1)
        if run:
            cpus.append(cpu)
    return cpus


async def bare() -> list[float]:
    async def handler(request: web.Request) -> web.Response:
        data = json.loads(await request.read())
        events = data if isinstance(data, list) else [data]
        control = {"state": "running", "version": 1}
        return web.json_response({"accepted": len(events), "duplicates": 0, "control": control})

    app = web.Application()
    app.router.add_post("/api/tasks/{task_id}/events", handler)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def nothing(_run: str) -> None:
        return None

    try:
        return await measure(f"http://127.0.0.1:{port}", nothing)
    finally:
        await runner.cleanup()


async def ours() -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite+aiosqlite:///{Path(tmp) / 'route.db'}")
        config = parse_config(CONFIG.format(url=db.url, token=TOKEN), environ={}, source="bench")
        server = await start_server(config, database=db)
        tracker = server.services.tracker
        real_apply = tracker.apply
        controls: dict[str, dict[str, Any]] = {}

        async def apply(task_id: str, events: Sequence[Mapping[str, Any]]) -> Applied:
            if task_id in controls:
                return Applied(len(events), 0, controls[task_id])
            return await real_apply(task_id, events)

        tracker.apply = apply  # type: ignore[method-assign]
        try:
            async with aiohttp.ClientSession() as session:

                async def create(run: str) -> None:
                    await ingest.create_tasks(server, session, run)
                    for engine in range(ingest.ENGINES):
                        task_id = f"{run}-{engine}"
                        controls[task_id] = await tracker.control(task_id)

                return await measure(server.url, create)
        finally:
            await server.stop()
            await db.dispose()


async def main() -> None:
    print(f"{ingest.ENGINES} engines in a process of their own, one event per request")
    for label, run in (("bare aiohttp", bare), ("our route", ours)):
        cpus = await run()
        shown = ", ".join(f"{cpu:.3f}" for cpu in cpus)
        print(
            f"  {label:<13} {statistics.median(cpus):.3f} ms CPU/request   (runs: {shown})",
            flush=True,
        )


if __name__ == "__main__":
    asyncio.run(main())

"""How many engine events per second does one Progress Bot process ingest through its HTTP API?

Several engines report at once, each on its own task (the seed's CRM task, with a Telegram
notify target so every accepted change also writes outbox rows, and history rows are written
too). Each engine sends a fixed stream of events, half `log` lines and half `step_progress`,
each with its own event_id, in batches of 1 and of 50. The server runs in this process on a
loopback port. The engines are aiohttp clients, sent two ways: from a process of their own (as
real engines are other programs: "HTTP API"), whose CPU is then not the server's, and from the
server's own event loop ("HTTP, same loop"), the way this bench measured before, where the
client's share of the CPU is counted with the server's. The baseline in the same run applies the
same streams straight through `Tracker.apply`, no HTTP, so the difference is the cost of the API.
The CPU per event printed is this process's (the server's, and the engines' only when they share
its loop).

SQLite (a temporary file) always; PostgreSQL too when PROGRESSBOT_TEST_DATABASE_URL is set (in a
fresh schema, dropped afterwards).

Each backend also gets a raw-driver floor in the same run: the same event count, one event per
transaction, written by hand with no ORM, no HTTP and no history of our own design: `BEGIN`, read
the task, insert the event id, insert the log or progress row, bump the task's version, `COMMIT`
(the standard library's sqlite3 in WAL mode, one writer; asyncpg with one connection per engine).
Our one-event-per-request rates are printed as a share of it, beside the aims of issue 14. Each
run also prints the process's CPU per event, which a shared machine's load moves less than the
rate.

Run: python bench/ingest.py  (deterministic event streams; about a minute on 2 cores)
"""

from __future__ import annotations

import asyncio
import multiprocessing
import sqlite3
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

# Import from the repository root, not from bench/ (first on sys.path when run as a script),
# where bench/mcp.py would hide the `mcp` package the server imports.
sys.path.pop(0)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import CONFIG, PG_URL, TOKEN, pg_schema
from bot.cli.server import RunningServer, start_server
from bot.config import parse_config
from bot.runtime import run_server_loop
from intents import default_classifier
from store.db import Database
from store.models import OutboxRow, TaskProgress
from tests.helpers.seed import SEED_CREATE

ENGINES = 8
# Issue 14's aims for one event per request, with 8 engines, history and outbox rows included.
AIMS = {"SQLite": 2000, "PostgreSQL": 3000}
FLOOR_TABLES = (
    "CREATE TABLE floor_tasks (id TEXT PRIMARY KEY, version INTEGER NOT NULL, updated_at TEXT)",
    "CREATE TABLE floor_events (task_id TEXT, event_id TEXT, PRIMARY KEY (task_id, event_id))",
    "CREATE TABLE floor_rows (id {serial} PRIMARY KEY, task_id TEXT, kind TEXT, body TEXT)",
)
EVENTS = {1: 1000, 50: 2000}  # events per engine, by batch size
HEADERS = {"Authorization": f"Bearer {TOKEN}"}

Send = Callable[[str, list[dict[str, Any]]], Awaitable[None]]


def event_stream(run: str, engine: int, count: int) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    for i in range(count):
        if i % 2 == 0:
            events.append({"type": "log", "level": "info", "message": f"engine {engine} line {i}"})
        else:
            events.append({"type": "step_progress", "step": 1, "percent": (i // 2) % 101})
        events[-1]["event_id"] = f"{run}-{engine}-{i}"
    return events


async def create_tasks(server: RunningServer, session: aiohttp.ClientSession, run: str) -> None:
    for engine in range(ENGINES):
        body = {
            **SEED_CREATE,
            "task_id": f"{run}-{engine}",
            "notify": [{"platform": "telegram", "chat": f"{engine}"}],
        }
        async with session.post(f"{server.url}/api/tasks", json=body, headers=HEADERS) as resp:
            assert resp.status == 201, await resp.text()
        url = f"{server.url}/api/tasks/{run}-{engine}/events"
        async with session.post(url, json={"type": "task_started"}, headers=HEADERS) as resp:
            assert resp.status == 200, await resp.text()


async def run_engines(run: str, batch: int, send: Send) -> tuple[float, float]:
    """Events per second with every engine sending its stream at once, and the process's CPU
    milliseconds per event (every thread, the engines' client included): on a shared machine
    the CPU moves less with the load than the rate does."""
    streams = [event_stream(run, e, EVENTS[batch]) for e in range(ENGINES)]

    async def engine(number: int) -> None:
        stream = streams[number]
        for start in range(0, len(stream), batch):
            await send(f"{run}-{number}", stream[start : start + batch])

    started, cpu_started = time.perf_counter(), time.process_time()
    await asyncio.gather(*(engine(n) for n in range(ENGINES)))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    events = ENGINES * EVENTS[batch]
    return events / elapsed, cpu * 1000 / events


def engines_apart(url: str, run: str, batch: int, ready: Any, go: Any, done: Any) -> None:
    """In a process of its own: every engine sends its stream at once; puts the seconds taken
    from `go` to the last answer on `done`."""
    asyncio.run(_engines_apart(url, run, batch, ready, go, done))


async def _engines_apart(url: str, run: str, batch: int, ready: Any, go: Any, done: Any) -> None:
    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=ENGINES), headers=HEADERS
    ) as session:
        streams = [event_stream(run, e, EVENTS[batch]) for e in range(ENGINES)]

        async def engine(number: int) -> None:
            stream, target = streams[number], f"{url}/api/tasks/{run}-{number}/events"
            for start in range(0, len(stream), batch):
                async with session.post(target, json=stream[start : start + batch]) as resp:
                    answer = await resp.json()
                    assert resp.status == 200 and answer["accepted"] == min(
                        batch, len(stream) - start
                    ), answer

        ready.set()
        await asyncio.to_thread(go.wait)
        started = time.perf_counter()
        await asyncio.gather(*(engine(n) for n in range(ENGINES)))
        done.put(time.perf_counter() - started)


async def run_engines_apart(url: str, run: str, batch: int) -> tuple[float, float]:
    """As `run_engines`, with the engines in a process of their own; the CPU per event is this
    process's alone (the server's)."""
    spawn = multiprocessing.get_context("spawn")
    ready, go, done = spawn.Event(), spawn.Event(), spawn.Queue()
    process = spawn.Process(target=engines_apart, args=(url, run, batch, ready, go, done))
    process.start()
    try:
        if not await asyncio.to_thread(ready.wait, 120):
            raise RuntimeError("the engines' process did not start")
        cpu_started = time.process_time()
        go.set()
        elapsed = await asyncio.to_thread(done.get, True, 600)
        cpu = time.process_time() - cpu_started
    finally:
        await asyncio.to_thread(process.join, 30)
        if process.is_alive():
            process.kill()
    events = ENGINES * EVENTS[batch]
    return events / elapsed, cpu * 1000 / events


async def rows_written(db: Database, run: str) -> tuple[int, int]:
    async with db.read() as session:
        history = await session.scalar(
            select(func.count())
            .select_from(TaskProgress)
            .where(TaskProgress.task_id.like(f"{run}-%"))
        )
        outbox = await session.scalar(
            select(func.count()).select_from(OutboxRow).where(OutboxRow.task_id.like(f"{run}-%"))
        )
    return int(history or 0), int(outbox or 0)


def sqlite_floor(path: Path) -> float:
    """Events per second through the standard library's sqlite3, one transaction per event."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    for ddl in FLOOR_TABLES:
        connection.execute(ddl.format(serial="INTEGER"))
    for engine in range(ENGINES):
        connection.execute("INSERT INTO floor_tasks VALUES (?, 0, NULL)", (f"floor-{engine}",))
    # The engines take turns, as the writers of one SQLite file must.
    streams = [event_stream("floor", e, EVENTS[1]) for e in range(ENGINES)]
    started = time.perf_counter()
    for i in range(EVENTS[1]):
        for engine, stream in enumerate(streams):
            event, task_id = stream[i], f"floor-{engine}"
            connection.execute("BEGIN IMMEDIATE")
            connection.execute(
                "SELECT version FROM floor_tasks WHERE id = ?", (task_id,)
            ).fetchone()
            connection.execute(
                "INSERT INTO floor_events VALUES (?, ?)", (task_id, event["event_id"])
            )
            connection.execute(
                "INSERT INTO floor_rows (task_id, kind, body) VALUES (?, ?, ?)",
                (task_id, event["type"], str(event.get("message") or event.get("percent"))),
            )
            connection.execute(
                "UPDATE floor_tasks SET version = version + 1, updated_at = ? WHERE id = ?",
                (str(time.time()), task_id),
            )
            connection.execute("COMMIT")
    elapsed = time.perf_counter() - started
    connection.close()
    return ENGINES * EVENTS[1] / elapsed


async def postgres_floor(url: str, schema: str) -> float:
    """Events per second through asyncpg, one transaction per event, one connection per engine."""
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    settings = {"search_path": schema}
    setup = await asyncpg.connect(dsn, server_settings=settings)
    for ddl in FLOOR_TABLES:
        await setup.execute(ddl.format(serial="BIGSERIAL"))
    await setup.executemany(
        "INSERT INTO floor_tasks VALUES ($1, 0, NULL)", [(f"floor-{e}",) for e in range(ENGINES)]
    )
    await setup.close()
    connections = [await asyncpg.connect(dsn, server_settings=settings) for _ in range(ENGINES)]

    async def engine(number: int) -> None:
        connection, task_id = connections[number], f"floor-{number}"
        for event in event_stream("floor", number, EVENTS[1]):
            async with connection.transaction():
                await connection.fetchrow(
                    "SELECT version FROM floor_tasks WHERE id = $1 FOR UPDATE", task_id
                )
                await connection.execute(
                    "INSERT INTO floor_events VALUES ($1, $2)", task_id, event["event_id"]
                )
                await connection.execute(
                    "INSERT INTO floor_rows (task_id, kind, body) VALUES ($1, $2, $3)",
                    task_id,
                    event["type"],
                    str(event.get("message") or event.get("percent")),
                )
                await connection.execute(
                    "UPDATE floor_tasks SET version = version + 1, updated_at = $1 WHERE id = $2",
                    str(time.time()),
                    task_id,
                )

    try:
        started = time.perf_counter()
        await asyncio.gather(*(engine(n) for n in range(ENGINES)))
        elapsed = time.perf_counter() - started
    finally:
        for connection in connections:
            await connection.close()
    return ENGINES * EVENTS[1] / elapsed


def print_floor(label: str, floor: float, results: list[tuple[str, int, float, int, int]]) -> None:
    print(
        f"  {label:<10} raw driver      batch  1: {floor:>8,.0f} events/s"
        "   (the floor: one hand-written transaction of 4 statements per event)",
        flush=True,
    )
    aim = AIMS[label]
    for mode, batch, rate, _, _ in results:
        if batch == 1:
            print(
                f"  {label:<10} {mode:<15} batch  1: {rate / floor:>8.0%} of the floor;"
                f" aim {aim:,} events/s, {rate / aim:.0%} of it",
                flush=True,
            )


async def bench_backend(label: str, db: Database) -> list[tuple[str, int, float, int, int]]:
    config = parse_config(CONFIG.format(url=db.url, token=TOKEN), environ={}, source="bench")
    results = []
    server = await start_server(config, database=db)
    # The intent classifier trains on a thread as the server starts: wait for it, so that the
    # first run neither shares the cores with it nor counts its CPU.
    await asyncio.to_thread(default_classifier)
    try:
        async with aiohttp.ClientSession() as session:

            async def via_http(task_id: str, events: list[dict[str, Any]]) -> None:
                url = f"{server.url}/api/tasks/{task_id}/events"
                async with session.post(url, json=events, headers=HEADERS) as resp:
                    answer = await resp.json()
                    assert resp.status == 200 and answer["accepted"] == len(events), answer

            async def direct(task_id: str, events: list[dict[str, Any]]) -> None:
                applied = await server.services.tracker.apply(task_id, events)
                assert applied.accepted == len(events)

            for batch in (1, 50):
                for name, mode, send in (
                    ("apart", "HTTP API", None),
                    ("loop", "HTTP, same loop", via_http),
                    ("direct", "Tracker.apply", direct),
                ):
                    run = f"{name}{batch}"
                    await create_tasks(server, session, run)
                    if send is None:
                        rate, cpu = await run_engines_apart(server.url, run, batch)
                    else:
                        rate, cpu = await run_engines(run, batch, send)
                    history, outbox = await rows_written(db, run)
                    results.append((mode, batch, rate, history, outbox))
                    print(
                        f"  {label:<10} {mode:<15} batch {batch:>2}: {rate:>8,.0f} events/s"
                        f"   ({ENGINES * EVENTS[batch]:,} events; {history:,} history rows,"
                        f" {outbox:,} outbox rows; {cpu:.2f} ms CPU/event)",
                        flush=True,
                    )
    finally:
        await server.stop()
    return results


async def main() -> None:
    loop = type(asyncio.get_running_loop()).__module__.split(".")[0]
    print(f"{ENGINES} engines at once, each on its own task with one notify target ({loop} loop)")
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite+aiosqlite:///{Path(tmp) / 'ingest.db'}")
        results = await bench_backend("SQLite", db)
        await db.dispose()
        print_floor("SQLite", sqlite_floor(Path(tmp) / "floor.db"), results)
    if PG_URL:
        async with pg_schema() as schema:
            db = Database(PG_URL, schema=schema)
            results = await bench_backend("PostgreSQL", db)
            await db.dispose()
            print_floor("PostgreSQL", await postgres_floor(PG_URL, schema), results)
    else:
        print("  PostgreSQL: skipped (set PROGRESSBOT_TEST_DATABASE_URL to include it)")


if __name__ == "__main__":
    # The server's own loop (uvloop where installed, as `progressbot serve` runs it), so the
    # figures are the product's; PROGRESSBOT_EVENT_LOOP=asyncio measures the standard loop.
    run_server_loop(main())

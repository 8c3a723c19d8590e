"""How fast does `GET /api/tasks/{id}/progress` answer on a big store, and how much memory?

Fills a store with 100,000 tasks (4 steps each, the seed's CRM shape; a mix of pending, running,
approval and completed tasks) and 1,000,000 `task_progress` history rows, with bulk inserts
(SQLAlchemy core executemany, not the Tracker). Then starts the real server in a subprocess
(`python -m bot.cli --config ... serve`), sends 5,000 progress requests for random task ids from
4 concurrent clients (then 2,000 from one client: latency without queueing), and prints p50/p99
latency and the server's peak RSS (VmHWM). Baselines in the same run: `GET /healthz` on the
same server, and the same progress requests on a store of 1,000 tasks.

Run: python bench/progress_latency.py [--postgres]  (deterministic ids; about 1-2 min on 2 cores)
`--postgres` uses a fresh database on PROGRESSBOT_TEST_DATABASE_URL's server, dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import create_async_engine

# Import from the repository root, not from bench/ (first on sys.path when run as a script),
# where bench/mcp.py would hide the `mcp` package the server imports.
sys.path.pop(0)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PG_URL, TOKEN, percentile, pg_database, server_process, write_config
from store.db import Database
from store.models import Step, Substep, Task, TaskProgress

SEED = 20240115
REQUESTS = 5_000
CLIENTS = 4
HISTORY_PER_TASK = 10
STEPS = (
    "Create database tables",
    "Generate application UI",
    "Add search and filters",
    "Configure workflows",
)
SUBSTEPS = ("Customer list", "Product list", "Sales form", "Repair board")
T0 = datetime(2024, 1, 15, 10, 0, 0, tzinfo=UTC)
CHUNK = 20_000


def task_rows(count: int, rng: random.Random) -> dict[str, list[dict[str, Any]]]:
    """Rows for `count` tasks: tasks, steps, substeps of step 2, and history."""
    tasks: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    substeps: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    for n in range(count):
        task_id = f"t{n:06d}"
        status = rng.choice(("pending", "running", "running", "running", "approval", "completed"))
        done_steps = (
            4 if status == "completed" else (0 if status == "pending" else rng.randint(0, 3))
        )
        started = T0 + timedelta(seconds=n)
        tasks.append(
            {
                "id": task_id,
                "title": f"Cellphone Store CRM {n}",
                "short_name": "CRM",
                "kind": "app-generation",
                "owner": rng.choice(("alice", "bob")),
                "team": "crm-team",
                "status": status,
                "percent": done_steps * 25,
                "complexity": {"tables": rng.randint(1, 8)},
                "attempt": 1,
                "version": HISTORY_PER_TASK,
                "created_at": started,
                "updated_at": started + timedelta(minutes=5),
                "started_at": None if status == "pending" else started,
                "finished_at": started + timedelta(minutes=4) if status == "completed" else None,
            }
        )
        for order, name in enumerate(STEPS, start=1):
            if order <= done_steps:
                step_status = "completed"
            elif order == done_steps + 1 and status in ("running", "approval"):
                step_status = status
            else:
                step_status = "pending"
            began = started + timedelta(minutes=order - 1) if step_status != "pending" else None
            steps.append(
                {
                    "id": n * 4 + order,
                    "task_id": task_id,
                    "order": order,
                    "name": name,
                    "status": step_status,
                    "weight": 1.0,
                    "attempts": 0 if began is None else 1,
                    "started_at": began,
                    "finished_at": began + timedelta(seconds=45)
                    if step_status == "completed" and began
                    else None,
                }
            )
            if order == 2:
                substeps.extend(
                    {
                        "step_id": n * 4 + order,
                        "order": i,
                        "name": sub,
                        "done": step_status == "completed" or (step_status == "running" and i <= 2),
                    }
                    for i, sub in enumerate(SUBSTEPS, start=1)
                )
        for i in range(HISTORY_PER_TASK):
            history.append(
                {
                    "task_id": task_id,
                    "step": 1 + i % 4,
                    "percent": min(100, i * 10),
                    "status": "running",
                    "event": "step_progress",
                    "updated_at": started + timedelta(seconds=10 * i),
                }
            )
    return {"tasks": tasks, "steps": steps, "substeps": substeps, "history": history}


async def fill(url: str, count: int) -> float:
    """Create the schema, bulk-insert `count` tasks; returns the seconds it took."""
    started = time.perf_counter()
    db = Database(url)
    await db.upgrade()
    await db.dispose()
    rows = task_rows(count, random.Random(SEED))
    engine = create_async_engine(url)
    try:
        for model, key in (
            (Task, "tasks"),
            (Step, "steps"),
            (Substep, "substeps"),
            (TaskProgress, "history"),
        ):
            data = rows[key]
            async with engine.begin() as conn:
                for start in range(0, len(data), CHUNK):
                    await conn.execute(insert(model), data[start : start + CHUNK])
        if engine.dialect.name == "sqlite":
            # A store that has been running is checkpointed; a 200 MB write-ahead log is not
            # what readers normally see.
            async with engine.connect() as conn:
                await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            async with engine.connect() as conn:
                await conn.execution_options(isolation_level="AUTOCOMMIT")
                await conn.exec_driver_sql("VACUUM ANALYZE")
    finally:
        await engine.dispose()
    return time.perf_counter() - started


async def hammer(base: str, paths: list[str], clients: int = CLIENTS) -> list[float]:
    """Send every path from CLIENTS concurrent clients; the latency of each request in ms."""
    latencies: list[float] = []
    queue = list(reversed(paths))
    headers = {"Authorization": f"Bearer {TOKEN}"}

    async def client(session: aiohttp.ClientSession) -> None:
        while queue:
            path = queue.pop()
            started = time.perf_counter()
            async with session.get(base + path, headers=headers) as resp:
                await resp.read()
                assert resp.status == 200, (path, resp.status)
            latencies.append((time.perf_counter() - started) * 1000)

    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector) as session:
        # Warm up: connections, the server's statement caches, the ETA history cache.
        for path in paths[:50]:
            async with session.get(base + path, headers=headers) as resp:
                await resp.read()
        await asyncio.gather(*(client(session) for _ in range(clients)))
    return latencies


def report(label: str, latencies: list[float]) -> None:
    print(
        f"  {label:<40} p50 {percentile(latencies, 0.5):6.2f} ms   "
        f"p99 {percentile(latencies, 0.99):6.2f} ms   ({len(latencies):,} requests)",
        flush=True,
    )


def progress_paths(count: int) -> list[str]:
    rng = random.Random(SEED + count)
    return [f"/api/tasks/t{rng.randrange(count):06d}/progress" for _ in range(REQUESTS)]


async def measure(url: str, count: int, workdir: Path, *, healthz: bool) -> None:
    seconds = await fill(url, count)
    print(
        f"store with {count:,} tasks, {count * HISTORY_PER_TASK:,} history rows: "
        f"filled in {seconds:.1f} s",
        flush=True,
    )
    config = write_config(workdir / f"config-{count}.yaml", url)
    async with server_process(config) as server:
        paths = progress_paths(count)
        report(f"GET /progress ({count:,} tasks)", await hammer(server.url, paths))
        if healthz:
            one = await hammer(server.url, paths[:2000], clients=1)
            report(f"GET /progress ({count:,} tasks), 1 client", one)
        if healthz:
            report("GET /healthz (baseline)", await hammer(server.url, ["/healthz"] * REQUESTS))
        print(f"  server peak RSS (VmHWM): {server.peak_rss_mib():.0f} MiB", flush=True)


@asynccontextmanager
async def store_url(postgres: bool, workdir: Path, name: str) -> AsyncIterator[str]:
    if postgres:
        async with pg_database() as url:
            yield url
    else:
        yield f"sqlite+aiosqlite:///{workdir / name}"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="use PostgreSQL, not SQLite")
    args = parser.parse_args()
    if args.postgres and not PG_URL:
        parser.error("--postgres needs PROGRESSBOT_TEST_DATABASE_URL")
    print(f"backend: {'PostgreSQL' if args.postgres else 'SQLite'}; {CLIENTS} concurrent clients")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        async with store_url(args.postgres, workdir, "big.db") as url:
            await measure(url, 100_000, workdir, healthz=True)
        async with store_url(args.postgres, workdir, "small.db") as url:
            await measure(url, 1_000, workdir, healthz=False)


if __name__ == "__main__":
    asyncio.run(main())

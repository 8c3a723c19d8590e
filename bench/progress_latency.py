"""How fast does `GET /api/tasks/{id}/progress` answer at a fixed request rate on a big store?

Fills a store with 100,000 tasks (4 steps each, the seed's CRM shape; a mix of pending, running,
approval and completed tasks) and 1,000,000 `task_progress` history rows, with bulk inserts
(SQLAlchemy core executemany, not the Tracker). Then starts the real server in a subprocess
(`python -m bot.cli --config ... serve`) and drives it at a fixed rate (500 requests/s) over
random task ids, from a load generator that does not share the server's core: the server is
pinned to one core and `wrk` (installed with apt-get when missing; its Lua script
bench/progress_rate.lua paces the requests) to the other. Without wrk, a separate open-loop
Python process, pinned the same way, sends the requests.

Printed per run: the rate held, wrk's latency p50/p99/p99.9 (send to last byte, so it includes
the time a request waits for the server's event loop), the server's own p50/p99 from its
`progressbot_http_request_seconds` histogram (interpolated within buckets), and the server's
peak RSS (VmHWM). Floors from the same run: `GET /healthz` at the same rate on the same server,
and the same progress requests on a store of 1,000 tasks. The last lines give each ratio to its
floor and the aim (p99 <= 5 ms).

Run: python bench/progress_latency.py [--postgres] [--seconds 30] [--driver wrk|python]
(deterministic ids; about 3 min on 2 cores). `--postgres` uses a fresh database on
PROGRESSBOT_TEST_DATABASE_URL's server, dropped afterwards; PostgreSQL itself is not pinned.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
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

from bench.common import PG_URL, TOKEN, pg_database, server_process, write_config
from store.db import Database
from store.models import Step, Substep, Task, TaskProgress

SEED = 20240115
RATE = 500
SECONDS = 30
WARM_UP_SECONDS = 3
# Enough connections that one is free at every send time even when a few requests are slow:
# at 500/s and ~2 ms each, about one request is in flight at a time.
CONNECTIONS = 16
AIM_P99_MS = 5.0
LUA = Path(__file__).resolve().parent / "progress_rate.lua"
PROGRESS_ROUTE = "/api/tasks/{task_id}/progress"
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
                # The engine token of the bench config (token-1) made them, so it may read them.
                "created_by_token": "token-1",
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


# ---------------------------------------------------------------------- load generators


@dataclass(frozen=True)
class Run:
    """One fixed-rate run as the load generator saw it; times in ms."""

    requests: int
    seconds: float
    p50: float
    p99: float
    p999: float
    worst: float
    errors: int
    late: int
    late_worst: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        """The PB_RESULT line both load generators print (wrk's from bench/progress_rate.lua)."""
        return (
            f"PB_RESULT requests={self.requests} seconds={self.seconds:.3f} "
            f"p50_us={self.p50 * 1000:.0f} p99_us={self.p99 * 1000:.0f} "
            f"p999_us={self.p999 * 1000:.0f} max_us={self.worst * 1000:.0f} "
            f"errors={self.errors} late={self.late} late_max_us={self.late_worst * 1000:.0f}"
        )

    @classmethod
    def parse(cls, output: str) -> Run:
        found = re.search(r"^PB_RESULT (.*)$", output, re.MULTILINE)
        if found is None:
            raise RuntimeError(f"the load generator printed no result:\n{output}")
        fields = dict(pair.split("=") for pair in found.group(1).split())
        ms = {key: float(fields[key]) / 1000 for key in fields if key.endswith("_us")}
        return cls(
            requests=int(fields["requests"]),
            seconds=float(fields["seconds"]),
            p50=ms["p50_us"],
            p99=ms["p99_us"],
            p999=ms["p999_us"],
            worst=ms["max_us"],
            errors=int(fields["errors"]),
            late=int(fields["late"]),
            late_worst=ms["late_max_us"],
        )


def ensure_wrk() -> str | None:
    """wrk's path, installed from Debian's packages when missing; else None, saying why."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        print("wrk is missing and installing it needs root: using the Python load generator")
        return None
    print("wrk is missing: apt-get install -y -qq wrk", flush=True)
    install = ["apt-get", "install", "-y", "-qq", "wrk"]
    for attempt in ([install], [["apt-get", "update", "-qq"], install]):
        try:
            for command in attempt:
                subprocess.run(command, check=True, capture_output=True, timeout=300)
        except (OSError, subprocess.SubprocessError) as exc:
            print(f"  {' '.join(attempt[-1])} failed: {exc}")
            continue
        if found := shutil.which("wrk"):
            return found
    print("COULD NOT INSTALL wrk: using the Python load generator (a separate pinned process)")
    return None


async def drive_wrk(wrk: str, url: str, mode: str, count: int, seconds: float) -> Run:
    """wrk at RATE requests/s on one thread (it runs on the load generator's core)."""
    process = await asyncio.create_subprocess_exec(
        *(wrk, "-t1", f"-c{CONNECTIONS}", f"-d{seconds:.0f}s", "--timeout", "5s"),
        *("-s", str(LUA), url, "--", str(RATE), "1", TOKEN, mode, str(count), str(SEED)),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    return Run.parse(output.decode())


async def drive_python(url: str, mode: str, count: int, seconds: float) -> Run:
    """The same run from a separate Python process (this script with --drive)."""
    process = await asyncio.create_subprocess_exec(
        *(sys.executable, __file__, "--drive", url, "--mode", mode, "--count", str(count)),
        *("--seconds", str(seconds)),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    return Run.parse(output.decode())


def path_for(mode: str, count: int, rng: random.Random) -> str:
    return "/healthz" if mode == "healthz" else f"/api/tasks/t{rng.randrange(count):06d}/progress"


async def open_loop(url: str, mode: str, count: int, seconds: float) -> Run:
    """Requests sent at their scheduled times whether or not earlier ones have answered."""
    rng = random.Random(SEED)
    latencies: list[float] = []
    errors = late = 0
    late_worst = 0.0
    in_flight: set[asyncio.Task[None]] = set()
    connector = aiohttp.TCPConnector(limit=CONNECTIONS * 4)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:

        async def one(path: str) -> None:
            nonlocal errors
            started = time.perf_counter()
            try:
                async with session.get(url + path) as resp:
                    await resp.read()
                    errors += resp.status != 200
            except (aiohttp.ClientError, OSError):
                errors += 1
                return
            latencies.append((time.perf_counter() - started) * 1000)

        loop = asyncio.get_running_loop()
        began = loop.time()
        for n in range(int(RATE * seconds)):
            wait = began + n / RATE - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            elif wait < -0.001:
                late += 1
                late_worst = max(late_worst, -wait * 1000)
            task = asyncio.create_task(one(path_for(mode, count, rng)))
            in_flight.add(task)
            task.add_done_callback(in_flight.discard)
        await asyncio.gather(*in_flight)
    ordered = sorted(latencies) or [float("nan")]

    def pick(fraction: float) -> float:
        return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))]

    return Run(
        requests=len(latencies) + errors,
        seconds=loop.time() - began,
        p50=pick(0.5),
        p99=pick(0.99),
        p999=pick(0.999),
        worst=ordered[-1],
        errors=errors,
        late=late,
        late_worst=late_worst,
    )


# ---------------------------------------------------------------------- the server's own view


async def server_buckets(url: str, route: str) -> list[tuple[float, float]]:
    """The server's request-duration histogram for one route: (upper bound s, cumulative count)."""
    async with aiohttp.ClientSession() as session, session.get(url + "/metrics") as resp:
        text = await resp.text()
    buckets = []
    for line in text.splitlines():
        if not line.startswith("progressbot_http_request_seconds_bucket{"):
            continue
        labels, value = line.rsplit(" ", 1)
        if f'route="{route}"' in labels:
            le = re.search(r'le="([^"]+)"', labels)
            assert le is not None, line
            buckets.append((float(le.group(1)), float(value)))
    return sorted(buckets)


def histogram_quantile(
    before: list[tuple[float, float]], after: list[tuple[float, float]], fraction: float
) -> str:
    """A quantile of the requests between two readings, linear within its bucket (as
    Prometheus's histogram_quantile); '> X' when it falls in the last, unbounded bucket."""
    earlier = dict(before)
    counts = [(bound, total - earlier.get(bound, 0.0)) for bound, total in after]
    if not counts or counts[-1][1] <= 0:
        return "n/a"
    target = fraction * counts[-1][1]
    lower, below = 0.0, 0.0
    for bound, cumulative in counts:
        if cumulative >= target:
            if bound == float("inf"):
                return f"> {lower * 1000:.0f} ms"
            share = (target - below) / (cumulative - below) if cumulative > below else 1.0
            return f"{(lower + (bound - lower) * share) * 1000:5.2f} ms"
        lower, below = bound, cumulative
    return "n/a"


# ---------------------------------------------------------------------- the runs


@dataclass(frozen=True)
class Setup:
    driver: str  # "wrk" or "python"
    wrk: str | None
    seconds: float
    server_cpus: set[int]
    load_cpus: set[int]


async def drive(setup: Setup, url: str, mode: str, count: int, seconds: float) -> Run:
    if setup.wrk is not None:
        return await drive_wrk(setup.wrk, url, mode, count, seconds)
    return await drive_python(url, mode, count, seconds)


def report(label: str, run: Run, before: Any, after: Any) -> None:
    print(
        f"  {label:<34} {run.rate:5.0f} req/s  p50 {run.p50:5.2f} ms  p99 {run.p99:5.2f} ms  "
        f"p99.9 {run.p999:6.2f} ms  max {run.worst:6.1f} ms  ({run.requests:,} requests, "
        f"{run.errors} errors, {run.late} sent late, worst {run.late_worst:.1f} ms)",
        flush=True,
    )
    print(
        f"  {'  server own time (histogram)':<34}              "
        f"p50 {histogram_quantile(before, after, 0.5)}  "
        f"p99 {histogram_quantile(before, after, 0.99)}",
        flush=True,
    )


async def measure(
    url: str, count: int, workdir: Path, setup: Setup, scenarios: list[tuple[str, str, str]]
) -> dict[str, Run]:
    """Fill a store of `count` tasks, start a pinned server on it, and run each scenario
    (label, mode, histogram route) at RATE; the runs by label."""
    seconds = await fill(url, count)
    print(
        f"store with {count:,} tasks, {count * HISTORY_PER_TASK:,} history rows: "
        f"filled in {seconds:.1f} s",
        flush=True,
    )
    config = write_config(workdir / f"config-{count}.yaml", url)
    everywhere = os.sched_getaffinity(0)
    runs: dict[str, Run] = {}
    # The server inherits this process's CPU set when it starts; then this process (and the
    # load generator it starts) moves to the other core.
    os.sched_setaffinity(0, setup.server_cpus)
    try:
        async with server_process(config) as server:
            os.sched_setaffinity(0, setup.load_cpus)
            print(f"  server pid {server.pid} on CPU {_cpus(os.sched_getaffinity(server.pid))}")
            # The server trains the intent classifier in the background as it starts: measure
            # after that, not beside it.
            await settle(server.pid)
            # Warm up: connections, statement caches, the ETA history cache.
            await drive(setup, server.url, scenarios[0][1], count, WARM_UP_SECONDS)
            for label, mode, route in scenarios:
                before = await server_buckets(server.url, route)
                run = await drive(setup, server.url, mode, count, setup.seconds)
                after = await server_buckets(server.url, route)
                report(label, run, before, after)
                runs[label] = run
            print(f"  server peak RSS (VmHWM): {server.peak_rss_mib():.0f} MiB", flush=True)
    finally:
        os.sched_setaffinity(0, everywhere)
    return runs


def cpu_seconds(pid: int) -> float:
    """The CPU time the process has used (user + system), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def settle(pid: int, *, limit: float = 120) -> None:
    """Wait until the process uses under a tenth of a core for a second (at most `limit` s)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = cpu_seconds(pid)
        await asyncio.sleep(1)
        if cpu_seconds(pid) - before < 0.1:
            return
    print(f"  (the server was still busy after {limit:.0f} s; measuring anyway)")


def _cpus(cpus: set[int]) -> str:
    return ",".join(str(cpu) for cpu in sorted(cpus))


@asynccontextmanager
async def store_url(postgres: bool, workdir: Path, name: str) -> AsyncIterator[str]:
    if postgres:
        async with pg_database() as url:
            yield url
    else:
        yield f"sqlite+aiosqlite:///{workdir / name}"


def summary(runs: dict[str, Run]) -> None:
    big, health, small = runs[BIG], runs[HEALTHZ], runs[SMALL]
    print("ratios to the floors (same run):")
    for name, run in ((HEALTHZ, health), (SMALL, small)):
        print(
            f"  {BIG} / {name}: p50 {big.p50 / run.p50:.2f}x "
            f"({big.p50:.2f} / {run.p50:.2f} ms), p99 {big.p99 / run.p99:.2f}x "
            f"({big.p99:.2f} / {run.p99:.2f} ms)"
        )
    verdict = "met" if big.p99 <= AIM_P99_MS else "MISSED"
    print(f"aim: p99 <= {AIM_P99_MS:.0f} ms at {RATE} requests/s: {big.p99:.2f} ms, {verdict}")


BIG = "GET /progress (100,000 tasks)"
HEALTHZ = "GET /healthz (floor)"
SMALL = "GET /progress (1,000 tasks, floor)"


async def main(args: argparse.Namespace) -> None:
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        raise SystemExit("needs two cores: one for the server, one for the load generator")
    wrk = ensure_wrk() if args.driver == "wrk" else None
    setup = Setup(
        driver="wrk" if wrk else "python",
        wrk=wrk,
        seconds=args.seconds,
        server_cpus={cpus[-1]},
        load_cpus=set(cpus[:-1]),
    )
    load = "wrk (Lua-paced, 1 thread)" if wrk else "a separate open-loop Python process"
    print(
        f"backend: {'PostgreSQL' if args.postgres else 'SQLite'}; load: {load}, {RATE} requests/s "
        f"for {args.seconds:.0f} s per run, {CONNECTIONS} connections; server on CPU "
        f"{_cpus(setup.server_cpus)}, load generator on CPU {_cpus(setup.load_cpus)}"
    )
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
    runs: dict[str, Run] = {}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        big = [(BIG, "progress", PROGRESS_ROUTE), (HEALTHZ, "healthz", "/healthz")]
        async with store_url(args.postgres, workdir, "big.db") as url:
            runs |= await measure(url, 100_000, workdir, setup, big)
        small = [(SMALL, "progress", PROGRESS_ROUTE)]
        async with store_url(args.postgres, workdir, "small.db") as url:
            runs |= await measure(url, 1_000, workdir, setup, small)
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    summary(runs)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="use PostgreSQL, not SQLite")
    parser.add_argument("--seconds", type=float, default=SECONDS, help="length of each run")
    parser.add_argument("--driver", choices=("wrk", "python"), default="wrk")
    # The Python load generator's own process: python bench/progress_latency.py --drive URL ...
    parser.add_argument("--drive", help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="progress", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=100_000, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.postgres and not PG_URL:
        parser.error("--postgres needs PROGRESSBOT_TEST_DATABASE_URL")
    return args


if __name__ == "__main__":
    arguments = parse_args()
    if arguments.drive:
        run = asyncio.run(
            open_loop(arguments.drive, arguments.mode, arguments.count, arguments.seconds)
        )
        print(run.line(), flush=True)
    else:
        asyncio.run(main(arguments))

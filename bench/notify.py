"""How fast and how well do notifications go out, next to a baseline measured in the same run?

1. Event-to-delivery latency through the running notifier (started as `serve` starts it, woken by
   each change) to an in-memory channel, against the commit time of the change itself.
2. Delivery rate to a fake Telegram Bot API that enforces Telegram's flood limits (30 calls/s
   overall, 1/s per chat) through the real Telegram adapter, for a burst of notices and live
   card edits to 60 chats, against that 30/s limit; and how many 429s we provoked.
3. Card edits per card per minute under a storm of progress events (20 per second), against the
   number of events.
4. Peak memory (VmHWM) of a `progressbot serve` process holding 10,000 active tasks with its
   notifier and scheduled jobs running, against the same server with an empty store.

Run: python bench/notify.py  (about a minute and a half; SQLite; loopback only)
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from collections import defaultdict, deque
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import Table, insert

# Import from the repository root, not from bench/ (first on sys.path when run as a script),
# where bench/mcp.py would hide the `mcp` package the server imports.
sys.path.pop(0)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.base import Adapter, SentMessage
from bench.common import TOKEN, percentile, server_process, write_config
from bot.config import parse_config
from bot.services import Services
from bot.types import Reply, Target
from bot.wiring import build_services
from store.db import Database
from store.models import Step, Task
from store.outbox import Outbox
from store.tracker import NewStep, NewTask
from tests.fakes.telegram import FakeTelegram

BASE = f"""
api: {{host: 127.0.0.1, port: 0, tokens: ["{TOKEN}"], link_secret: bench-secret}}
console: {{enabled: false}}
users: {{alice: {{name: Alice}}}}
"""
LATENCY_EVENTS, LATENCY_RATE, LATENCY_TASKS = 300, 30.0, 10
RATE_CHATS, RATE_STEPS, RATE_CHECKINS = 60, 4, 3
STORM_SECONDS, STORM_RATE = 20.0, 20.0
MEMORY_TASKS = 10_000


class StopwatchAdapter(Adapter):
    """An in-memory channel that notes when each notice arrived, per task, in order."""

    platform = "memory"

    def __init__(self) -> None:
        self.arrivals: dict[str, deque[float]] = defaultdict(deque)
        self.arrived = asyncio.Event()

    async def send(self, target: Target, reply: Reply) -> SentMessage:
        if reply.kind == "notification" and reply.task_id:
            self.arrivals[reply.task_id].append(time.perf_counter())
            self.arrived.set()
        return SentMessage(f"m{time.perf_counter_ns()}")


def services_for(tmp: Path, extra: str = "") -> Services:
    config = parse_config(
        BASE + f"store: {{url: 'sqlite+aiosqlite:///{tmp / 'bench.db'}'}}\n" + extra,
        environ={},
        source="bench",
    )
    return build_services(config, with_chat=False, with_notifier=True)


def checkin_tracker(services: Services) -> None:
    # Check-ins are plain notices (no live card), which isolates the notice path.
    services.tracker.notify_events = frozenset({"task_checkin", "task_started"})


# ---------------------------------------------------------------------- 1. latency


async def bench_latency() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        services = services_for(Path(tmp))
        adapter = StopwatchAdapter()
        services.adapters["memory"] = adapter
        await services.start()
        checkin_tracker(services)
        try:
            tasks = [
                await services.tracker.create_task(
                    NewTask(
                        title=f"Job {n}",
                        steps=(NewStep("Work"),),
                        notify=(("memory", f"room-{n}", None),),
                    )
                )
                for n in range(LATENCY_TASKS)
            ]
            written: dict[str, list[float]] = defaultdict(list)
            commit_ms: list[float] = []
            interval = 1 / LATENCY_RATE
            started = time.perf_counter()
            for i in range(LATENCY_EVENTS):
                task_id = tasks[i % len(tasks)]
                t0 = time.perf_counter()
                await services.tracker.notify(task_id, "task_checkin", {}, once_key=f"c{i}")
                commit_ms.append((time.perf_counter() - t0) * 1000)
                written[task_id].append(t0)
                await asyncio.sleep(max(0.0, started + (i + 1) * interval - time.perf_counter()))
            deadline = time.perf_counter() + 15
            while time.perf_counter() < deadline and sum(map(len, adapter.arrivals.values())) < (
                LATENCY_EVENTS
            ):
                await asyncio.sleep(0.05)
        finally:
            await services.stop()
    latencies = [
        (arrived - sent) * 1000
        for task_id, sends in written.items()
        for sent, arrived in zip(sends, adapter.arrivals[task_id], strict=False)
    ]
    lost = LATENCY_EVENTS - len(latencies)
    print(f"1. event → delivery, {LATENCY_EVENTS} notices at {LATENCY_RATE:.0f}/s, memory channel")
    print(
        f"   notifier latency  p50 {percentile(latencies, 0.5):7.1f} ms   "
        f"p99 {percentile(latencies, 0.99):7.1f} ms   max {max(latencies):7.1f} ms   "
        f"(not delivered in time: {lost})"
    )
    print(
        f"   baseline: commit  p50 {percentile(commit_ms, 0.5):7.1f} ms   "
        f"p99 {percentile(commit_ms, 0.99):7.1f} ms   (the change's own transaction)"
    )
    verdict = "ok" if percentile(latencies, 0.99) <= 1000 else "ABOVE the 1 s aim"
    print(f"   p99 ≤ 1 s: {verdict}")


# ---------------------------------------------------------------------- 2. rate, 3. card storm


def telegram_yaml(fake: FakeTelegram, card_interval: float = 3.0) -> str:
    return (
        f"telegram: {{enabled: true, mode: polling, token: '{fake.token}', "
        f"api_url: '{fake.api_url}'}}\n"
        f"notifications: {{card_interval_seconds: {card_interval}, max_attempts: 8}}\n"
    )


async def bench_rate() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with FakeTelegram(enforce_flood=True) as fake:
            services = services_for(Path(tmp), telegram_yaml(fake))
            await services.start()
            # The usual notices, plus check-ins: the burst mixes notices with live cards.
            services.tracker.notify_events = services.tracker.notify_events | {"task_checkin"}
            try:
                chats = [str(3_000_000 + n) for n in range(RATE_CHATS)]
                task_id = await services.tracker.create_task(
                    NewTask(
                        title="Fan-out",
                        steps=tuple(NewStep(f"Part {n}") for n in range(1, RATE_STEPS + 1)),
                        notify=tuple(("telegram", chat, None) for chat in chats),
                    )
                )
                await services.tracker.apply(task_id, [{"type": "task_started"}])
                for step in range(1, RATE_STEPS + 1):
                    await services.tracker.apply(task_id, [{"type": "step_started", "step": step}])
                    await services.tracker.apply(
                        task_id, [{"type": "step_completed", "step": step}]
                    )
                for i in range(RATE_CHECKINS):
                    await services.tracker.notify(task_id, "task_checkin", {}, once_key=f"r{i}")
                notices = RATE_CHATS * (1 + RATE_STEPS + RATE_CHECKINS)
                outbox = Outbox(services.db)
                deadline = time.perf_counter() + 90
                while time.perf_counter() < deadline and (await outbox.counts()).get("pending"):
                    await asyncio.sleep(0.2)
                await asyncio.sleep(1)
            finally:
                await services.stop()
            sends = sorted(
                c.at for c in fake.calls if c.method == "sendMessage" and c.status == 200
            )
            edits = sorted(
                c.at for c in fake.calls if c.method == "editMessageText" and c.status == 200
            )
            refused = [c for c in fake.calls if c.status == 429]
    calls = sorted(sends + edits)
    span = calls[-1] - calls[0] if len(calls) > 1 else float("nan")
    rate = (len(calls) - 1) / span if span else float("nan")
    # The first half, while every chat still has a backlog: the overall budget is the only limit.
    half = len(calls) // 2
    first = half / (calls[half] - calls[0]) if half and calls[half] > calls[0] else float("nan")
    print(
        f"2. delivery rate to a flood-limited fake Telegram (30/s overall, 1/s per chat), "
        f"a burst to {RATE_CHATS} chats: {notices} notices and their live cards"
    )
    print(
        f"   {len(sends)} sends + {len(edits)} edits in {span:.1f} s: {rate:.1f} calls/s = "
        f"{rate / 30 * 100:.0f} % of the 30/s limit (baseline); 429s provoked: {len(refused)}"
    )
    print(
        f"   first half of the calls: {first:.1f} calls/s = {first / 30 * 100:.0f} % of the limit"
    )
    verdict = "ok" if rate >= 0.95 * 30 and not refused else "BELOW the aim"
    print(f"   ≥ 95 % of 30/s and no 429: {verdict}")


async def bench_card_storm() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with FakeTelegram(enforce_flood=True) as fake:
            services = services_for(Path(tmp), telegram_yaml(fake, card_interval=3.0))
            await services.start()
            try:
                chat = "4000001"
                task_id = await services.tracker.create_task(
                    NewTask(
                        title="Storm",
                        steps=(NewStep("Work"),),
                        notify=(("telegram", chat, None),),
                    )
                )
                await services.tracker.apply(
                    task_id, [{"type": "task_started"}, {"type": "step_started", "step": 1}]
                )
                events = int(STORM_SECONDS * STORM_RATE)
                started = time.perf_counter()
                for i in range(events):
                    percent = min(99, i * 100 // events)
                    await services.tracker.apply(
                        task_id, [{"type": "step_progress", "step": 1, "percent": percent}]
                    )
                    wait = started + (i + 1) / STORM_RATE - time.perf_counter()
                    await asyncio.sleep(max(0.0, wait))
                storm = time.perf_counter() - started
                await asyncio.sleep(4)  # the last edit lands after one more interval
            finally:
                await services.stop()
            edits = fake.of("editMessageText", chat)
            refused = [c for c in fake.calls if c.status == 429]
            last = edits[-1].params.get("text", "") if edits else ""
    per_minute = len(edits) / storm * 60
    print(f"3. card edits under a storm of {events} progress events in {storm:.0f} s (one card)")
    print(
        f"   {len(edits)} edits = {per_minute:.1f} edits/card/min "
        f"(baseline: {events / storm * 60:.0f} events/min; interval 3 s allows 20/min); "
        f"429s: {len(refused)}; last edit shows 99 %: {'99%' in str(last)}"
    )


# ---------------------------------------------------------------------- 4. memory


async def fill_active(url: str, count: int) -> None:
    db = Database(url)
    await db.upgrade()
    await db.dispose()
    t0 = datetime(2024, 1, 15, 10, 0, tzinfo=UTC)
    tasks: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    for n in range(count):
        task_id = f"t{n:06d}"
        started = t0 + timedelta(seconds=n)
        tasks.append(
            {
                "id": task_id,
                "title": f"Cellphone Store CRM {n}",
                "owner": "alice",
                "status": "running",
                "percent": 25,
                "attempt": 1,
                "version": 3,
                "created_at": started,
                "updated_at": started,
                "started_at": started,
            }
        )
        for order in range(1, 5):
            status = "completed" if order == 1 else ("running" if order == 2 else "pending")
            steps.append(
                {
                    "id": n * 4 + order,
                    "task_id": task_id,
                    "order": order,
                    "name": f"Step {order}",
                    "status": status,
                    "weight": 1.0,
                    "attempts": 1 if status != "pending" else 0,
                    "started_at": started if status != "pending" else None,
                }
            )
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            for table, rows in ((Task.__table__, tasks), (Step.__table__, steps)):
                assert isinstance(table, Table)
                for start in range(0, len(rows), 5000):
                    await conn.execute(insert(table), rows[start : start + 5000])
        async with engine.connect() as conn:
            await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        await engine.dispose()


async def serve_and_measure(tmp: Path, name: str, tasks: int) -> float:
    url = f"sqlite+aiosqlite:///{tmp / name}"
    if tasks:
        await fill_active(url, tasks)
    config = write_config(tmp / f"{name}.yaml", url)
    async with server_process(config) as server, aiohttp.ClientSession() as http:
        headers = {"Authorization": f"Bearer {TOKEN}"}
        async with http.get(f"{server.url}/api/tasks", headers=headers) as resp:
            await resp.read()
        for n in range(0, tasks, max(1, tasks // 500)):  # 500 engines report progress
            event = {"type": "step_progress", "step": 2, "percent": 50}
            async with http.post(
                f"{server.url}/api/tasks/t{n:06d}/events", json=event, headers=headers
            ) as resp:
                await resp.read()
        await asyncio.sleep(5)  # notifier ticks and scheduled jobs run over the active tasks
        return server.peak_rss_mib()


async def bench_memory() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        empty = await serve_and_measure(Path(tmp), "empty.db", 0)
        full = await serve_and_measure(Path(tmp), "full.db", MEMORY_TASKS)
    print("4. peak RSS of `progressbot serve` with the notifier running (VmHWM)")
    print(
        f"   {MEMORY_TASKS:,} active tasks: {full:.0f} MiB; baseline, empty store: {empty:.0f} MiB "
        f"(aim ≤ 200 MiB: {'ok' if full <= 200 else 'ABOVE'})"
    )


async def main() -> None:
    for part in (bench_latency, bench_rate, bench_card_storm, bench_memory):
        started = time.perf_counter()
        try:
            await asyncio.wait_for(part(), timeout=120)
        except TimeoutError:
            print(f"{part.__name__}: did not finish within 120 s")
        print(f"   ({time.perf_counter() - started:.0f} s)\n")


if __name__ == "__main__":
    asyncio.run(main())

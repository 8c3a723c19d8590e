"""Heavy tasks and many watchers: what one engine event costs the server.

    python -m bench.heavy [--events 40] [--subscribers 0,100,1000]

Runs `progressbot serve` in a subprocess on a fresh SQLite file and reads the server's own CPU
time (utime + stime from /proc) around a run of events, so the client's work is not counted.

1. The cost of one event (`step_progress` on a running step) on a task with 4 steps and on a
   task with 1,000 steps: server CPU per event and the request's wall time (median).
2. The server CPU per event on a 4-step task with 0, 100 and 1,000 WebSocket subscribers on
   `/ws/tasks/{id}`, each reading every message: events sent back to back (changes that arrive
   while a round of writes is under way share the next round), then events spaced 0.25 s apart
   (each one a round of its own: the cost of one lone change).

Aims: the 1,000-step event within 2x the 4-step one; 1,000 subscribers add under 20 ms of CPU
per event.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

from bench.common import CONFIG, TOKEN, server_process

LIMITS = """limits:
  websockets_per_token: 5000
  websockets_per_address: 5000
"""
HEADERS = {"Authorization": f"Bearer {TOKEN}"}


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime


async def create_task(session: aiohttp.ClientSession, base: str, task_id: str, steps: int) -> None:
    body = {
        "task_id": task_id,
        "title": f"Heavy task with {steps} steps",
        "owner": "alice",
        "steps": [{"name": f"Step {i}"} for i in range(1, steps + 1)],
    }
    async with session.post(f"{base}/api/tasks", json=body, headers=HEADERS) as resp:
        assert resp.status == 201, await resp.text()
    await post(session, base, task_id, [{"type": "step_started", "step": 1}])


async def post(
    session: aiohttp.ClientSession, base: str, task_id: str, events: list[dict[str, Any]]
) -> float:
    started = time.perf_counter()
    async with session.post(
        f"{base}/api/tasks/{task_id}/events", json=events, headers=HEADERS
    ) as resp:
        assert resp.status == 200, await resp.text()
        await resp.read()
    return time.perf_counter() - started


async def settle(pid: int) -> None:
    """Wait until the server is idle (it trains its intent classifier when it starts), at most
    a minute, so no background work is counted."""
    for _ in range(120):
        before = cpu_seconds(pid)
        await asyncio.sleep(0.5)
        if cpu_seconds(pid) - before <= 0.02:
            return


async def event_cost(
    session: aiohttp.ClientSession,
    base: str,
    pid: int,
    task_id: str,
    events: int,
    spacing: float = 0.0,
) -> tuple[float, float]:
    """(server CPU ms per event, median wall ms per request); `spacing` seconds between events,
    not counted in the wall time."""
    for warm in range(3):
        await post(session, base, task_id, [{"type": "step_progress", "step": 1, "percent": warm}])
    await asyncio.sleep(0.3)
    walls = []
    before = cpu_seconds(pid)
    for i in range(events):
        percent = 5 + (i * 90) // max(events, 1)
        walls.append(
            await post(
                session, base, task_id, [{"type": "step_progress", "step": 1, "percent": percent}]
            )
        )
        if spacing:
            await asyncio.sleep(spacing)
    await asyncio.sleep(0.3)  # let the server finish fanning out the last change
    spent = cpu_seconds(pid) - before
    return spent / events * 1000, statistics.median(walls) * 1000


async def watchers(
    session: aiohttp.ClientSession, base: str, task_id: str, count: int
) -> tuple[list[aiohttp.ClientWebSocketResponse], list[asyncio.Task[int]]]:
    sockets = []
    for _ in range(count):
        ws = await session.ws_connect(f"{base}/ws/tasks/{task_id}?token={TOKEN}")
        await ws.receive()  # the first snapshot
        sockets.append(ws)

    async def read(ws: aiohttp.ClientWebSocketResponse) -> int:
        seen = 0
        async for _msg in ws:
            seen += 1
        return seen

    return sockets, [asyncio.create_task(read(ws)) for ws in sockets]


async def run(events: int, subscriber_counts: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'heavy.db'}"
        config = Path(tmp) / "config.yaml"
        config.write_text(CONFIG.format(url=url, token=TOKEN) + LIMITS)
        async with server_process(config) as server:
            connector = aiohttp.TCPConnector(limit=0)
            async with aiohttp.ClientSession(connector=connector) as session:
                await settle(server.pid)
                print("event cost by task size (step_progress on step 1, sequential requests)")
                results = {}
                for steps in (4, 1000):
                    task_id = f"size{steps}"
                    await create_task(session, server.url, task_id, steps)
                    cpu, wall = await event_cost(session, server.url, server.pid, task_id, events)
                    results[steps] = cpu
                    print(
                        f"  {steps:>5} steps: {cpu:7.2f} ms CPU/event, {wall:7.2f} ms wall (median)"
                    )
                print(f"  ratio 1000/4 steps: {results[1000] / results[4]:.2f}x (aim: under 2x)")

                print("server CPU per event by WebSocket subscribers (4-step task)")
                print("  back to back / spaced 0.25 s apart")
                base: tuple[float, float] | None = None
                for count in subscriber_counts:
                    task_id = f"subs{count}"
                    await create_task(session, server.url, task_id, 4)
                    sockets, readers = await watchers(session, server.url, task_id, count)
                    await settle(server.pid)
                    cpu, wall = await event_cost(session, server.url, server.pid, task_id, events)
                    lone, _ = await event_cost(
                        session, server.url, server.pid, task_id, max(events // 2, 1), 0.25
                    )
                    base = base or (cpu, lone)
                    print(
                        f"  {count:>5} subscribers: {cpu:7.2f} ms CPU/event "
                        f"(+{cpu - base[0]:.2f} ms), {wall:7.2f} ms wall (median) / "
                        f"{lone:7.2f} ms CPU/event (+{lone - base[1]:.2f} ms)"
                    )
                    for ws in sockets:
                        await ws.close()
                    await asyncio.gather(*readers, return_exceptions=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=40)
    parser.add_argument("--subscribers", default="0,100,1000")
    args = parser.parse_args()
    asyncio.run(run(args.events, [int(n) for n in args.subscribers.split(",")]))


if __name__ == "__main__":
    main()

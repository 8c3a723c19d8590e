"""How long does an agent's `report_progress` take over MCP, next to the same event over HTTP?

Starts the real server in a subprocess (`progressbot serve`, SQLite), then reports the same
event, `step_progress` of step 1 with a new percent, three ways, each on a task of its own:
  - the HTTP API: `POST /api/tasks/{id}/events` on a keep-alive connection (the baseline);
  - MCP over streamable HTTP: the official client's `call_tool("report_progress")` on `/mcp`;
  - MCP over stdio: the same call to `progressbot mcp`, a subprocess reporting to the server.
The three take turns in rounds, so a busy moment of the shared machine falls on all of them.
Prints p50 and p99 of each call as the caller sees it, and each against the HTTP API.

Run: python bench/mcp.py [--calls N]  (N per way, default 600; about a minute on 2 cores)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp

# Run as a script, this file's folder is first on sys.path, and this file's name would hide the
# MCP SDK: put the project's root there instead.
sys.path.pop(0)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from bench.common import ROOT, TOKEN, ServerProcess, percentile, write_config

ROUNDS = 6
WARM_UP = 20


async def main(calls: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config = write_config(Path(tmp) / "config.yaml", f"sqlite+aiosqlite:///{tmp}/bench.db")
        server = ServerProcess(config)
        await server.start()
        try:
            await measure(server.url, calls)
        finally:
            await server.stop()


async def measure(url: str, calls: int) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    stdio = StdioServerParameters(
        command=sys.executable,
        args=["-m", "bot.cli", "mcp", "--url", url],
        env={"PROGRESSBOT_TOKEN": TOKEN, "PYTHONPATH": str(ROOT)},
        cwd=str(ROOT),
    )
    http_client = create_mcp_http_client(headers=headers)
    async with (
        aiohttp.ClientSession(headers=headers) as api,
        http_client,
        streamable_http_client(url + "/mcp", http_client=http_client) as (h_read, h_write),
        ClientSession(h_read, h_write) as over_http,
        stdio_client(stdio, errlog=open(os.devnull, "w")) as (s_read, s_write),
        ClientSession(s_read, s_write) as over_stdio,
    ):
        await over_http.initialize()
        await over_stdio.initialize()

        async def new_task(name: str) -> str:
            body = {"title": f"Bench {name}", "steps": [{"name": "One"}, {"name": "Two"}]}
            async with api.post(url + "/api/tasks", json=body) as resp:
                task_id = str((await resp.json())["task_id"])
            async with api.post(
                url + f"/api/tasks/{task_id}/events",
                json=[{"type": "task_started"}, {"type": "step_started", "step": 1}],
            ) as resp:
                assert resp.status == 200, await resp.text()
            return task_id

        tasks = {name: await new_task(name) for name in ("http", "mcp-http", "mcp-stdio")}

        async def via_api(n: int) -> None:
            event = {"type": "step_progress", "step": 1, "percent": n % 100}
            async with api.post(url + f"/api/tasks/{tasks['http']}/events", json=event) as resp:
                await resp.read()
                assert resp.status == 200

        def via_mcp(session: ClientSession, task: str) -> Callable[[int], Awaitable[None]]:
            async def call(n: int) -> None:
                result = await session.call_tool(
                    "report_progress", {"task_id": task, "step": 1, "percent": n % 100}
                )
                assert not result.is_error, result

            return call

        ways: dict[str, Callable[[int], Awaitable[None]]] = {
            "HTTP API, POST /events": via_api,
            "MCP over HTTP (/mcp)": via_mcp(over_http, tasks["mcp-http"]),
            "MCP over stdio": via_mcp(over_stdio, tasks["mcp-stdio"]),
        }
        timings: dict[str, list[float]] = {name: [] for name in ways}
        for call in ways.values():
            for n in range(WARM_UP):
                await call(n)
        per_round = max(1, calls // ROUNDS)
        for _ in range(ROUNDS):
            for name, call in ways.items():
                for n in range(per_round):
                    started = time.perf_counter()
                    await call(n)
                    timings[name].append(time.perf_counter() - started)

    base = timings["HTTP API, POST /events"]
    base_p50, base_p99 = percentile(base, 0.5), percentile(base, 0.99)
    print(f"report_progress: one step_progress event, {len(base)} calls each way, SQLite")
    for name, values in timings.items():
        p50, p99 = percentile(values, 0.5), percentile(values, 0.99)
        print(
            f"  {name:<24} p50 {p50 * 1000:6.2f} ms  p99 {p99 * 1000:6.2f} ms"
            f"   ({p50 / base_p50:.2f}x / {p99 / base_p99:.2f}x the HTTP API)"
        )
    worst = max(percentile(v, 0.5) / base_p50 for v in timings.values())
    print(f"aim: MCP within 2x of the HTTP API (p50): {'met' if worst <= 2 else 'missed'}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=600)
    asyncio.run(main(parser.parse_args().calls))

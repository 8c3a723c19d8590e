"""Slow clients and many watchers: header and body timeouts, WebSocket caps with a close reason,
and one snapshot shared by every watcher of a change."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import WSMsgType

from bot.cli.server import RunningServer
from store.db import Database
from tests.helpers.seed import SEED_CREATE
from tests.helpers.server import TOKEN, Api, make_config, running_server

LIMITS = """limits:
  header_timeout_seconds: 0.5
  body_timeout_seconds: 0.5
  websockets_per_token: 3
  websockets_per_address: 50
"""


@pytest.fixture
async def server(sqlite_db: Database) -> AsyncIterator[RunningServer]:
    async with running_server(sqlite_db, config=make_config(LIMITS)) as running:
        yield running


async def connect(server: RunningServer) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    host, port = server.url.removeprefix("http://").rsplit(":", 1)
    return await asyncio.open_connection(host, int(port))


async def test_a_client_that_never_finishes_its_headers_is_cut_off(server: RunningServer) -> None:
    reader, writer = await connect(server)
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # and then nothing more
    await writer.drain()
    closed = await asyncio.wait_for(reader.read(), timeout=20)
    assert closed == b""  # the server hung up
    writer.close()


async def test_a_body_that_never_arrives_is_408(server: RunningServer) -> None:
    reader, writer = await connect(server)
    writer.write(
        b"POST /api/tasks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
        + TOKEN.encode()
        + b'\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"title"'
    )
    await writer.drain()
    status_line = await asyncio.wait_for(reader.readline(), timeout=20)
    assert status_line.split()[1] == b"408"
    writer.close()


async def test_websockets_beyond_the_cap_are_closed_with_a_reason(server: RunningServer) -> None:
    async with aiohttp.ClientSession() as session:
        api = Api(session, server.url)
        assert (await api.post("/api/tasks", SEED_CREATE))[0] == 201
        url = f"{server.url}/ws/tasks/abc123?token={TOKEN}"
        sockets = [await session.ws_connect(url) for _ in range(3)]
        for ws in sockets:
            first = await ws.receive_json()
            assert first["type"] == "snapshot"
        extra = await session.ws_connect(url)
        msg = await extra.receive()
        assert msg.type == WSMsgType.CLOSE
        assert extra.close_code == 1008
        assert "limits.websockets_per_token" in (msg.extra or "")
        # The others still hear every change, all the same frames.
        status, _ = await api.post("/api/tasks/abc123/events", {"type": "task_started"})
        assert status == 200
        seen = []
        for ws in sockets:
            frames = []
            while True:
                message = await ws.receive_json(timeout=10)
                frames.append(message)
                if message["type"] == "snapshot":
                    break
            seen.append(json.dumps(frames, sort_keys=True))
        assert len(set(seen)) == 1
        assert json.loads(seen[0])[-1]["task"]["status"] == "running"
        # One closes; a new one fits again.
        await sockets[0].close()
        await asyncio.sleep(0.2)
        again = await session.ws_connect(url)
        assert (await again.receive_json())["type"] == "snapshot"
        for ws in (*sockets[1:], again):
            await ws.close()

"""The official MCP client, connected to a real Progress Bot server over either transport."""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

TRANSPORTS = ["stdio", "http"]
ROOT = Path(__file__).resolve().parents[2]


@asynccontextmanager
async def mcp_session(
    transport: str, server_url: str, token: str, *, token_flag: bool = False
) -> AsyncIterator[ClientSession]:
    """An initialized MCP client session acting with `token`.

    stdio: `progressbot mcp` launched as a host would, reporting to `server_url`, the token in
    PROGRESSBOT_TOKEN (with `token_flag`, in --token); http: `server_url`/mcp with the bearer
    token."""
    if transport == "stdio":
        flag = ["--token", token] if token_flag else []
        params = StdioServerParameters(
            command=sys.executable,
            args=["-m", "bot.cli", "mcp", "--url", server_url, *flag],
            env={
                **({} if token_flag else {"PROGRESSBOT_TOKEN": token}),
                "PYTHONPATH": str(ROOT),
                **_coverage_env(),
            },
            cwd=str(ROOT),
        )
        async with (
            stdio_client(params) as (read, write),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            yield session
    else:
        http = create_mcp_http_client(headers={"Authorization": f"Bearer {token}"})
        async with (
            http,
            streamable_http_client(server_url + "/mcp", http_client=http) as (read, write),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            yield session


def _coverage_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k.startswith("COVERAGE")}

"""`progressbot mcp`: the MCP server on stdio, for a host that launches it (Claude Code, Cursor…).

It is a thin client of a running `progressbot serve`: every tool call goes to that server's HTTP
API with the given engine token (`RemoteBackend`), so people's Pause, Cancel and Approve, pressed
in the chats that server runs, reach the agent. Stdout carries MCP's messages alone; logs go to
stderr.
"""

from __future__ import annotations

import logging
from typing import Any

from mcp.server import ServerRequestContext
from mcp.server.stdio import stdio_server

from bot.engine.client import AsyncProgressClient
from bot.mcp.backends import Backend, RemoteBackend
from bot.mcp.tools import build_server

__all__ = ["serve_stdio"]

logger = logging.getLogger(__name__)


async def serve_stdio(url: str, token: str) -> None:
    """Serve MCP on stdin/stdout until the host closes stdin."""
    # Few retries: an agent waits on each call, and a refusal it can read beats a long silence.
    async with AsyncProgressClient(url, token, retries=2, backoff=0.2) as client:
        backend = RemoteBackend(client)

        def backend_for(ctx: ServerRequestContext[Any, Any]) -> Backend:
            return backend

        server = build_server(backend_for)
        logger.info("MCP on stdio, reporting to %s", url)
        async with stdio_server() as (read_stream, write_stream):
            await server.run(read_stream, write_stream, server.create_initialization_options())

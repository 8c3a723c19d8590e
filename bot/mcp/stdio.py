"""`progressbot mcp`: the MCP server on stdio, for a host that launches it (Claude Code, Cursor…).

It is a thin client of a running `progressbot serve`: every tool call goes to that server's HTTP
API with the given engine token (`RemoteBackend`), so people's Pause, Cancel and Approve, pressed
in the chats that server runs, reach the agent. Stdout carries MCP's messages alone; logs go to
stderr.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import AsyncIterator
from io import TextIOWrapper
from typing import Any, cast

import anyio
import mcp_types
from mcp.server import ServerRequestContext
from mcp.server.stdio import stdio_server
from mcp.shared.message import SessionMessage
from pydantic import ValidationError

from bot.engine.client import AsyncProgressClient
from bot.mcp.backends import Backend, RemoteBackend
from bot.mcp.tools import build_server

__all__ = ["serve_stdio"]

logger = logging.getLogger(__name__)

# The request id of a line that does not parse, looked for before its params.
_ID = re.compile(r'"id"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+)')


class _Lines:
    """Stdin for the SDK's stdio server. A request the SDK cannot parse (JSON nested deeper than
    its parser goes, say) would get no answer at all, and the host's call would wait forever:
    here it gets JSON-RPC's parse error with its id, as `/mcp` answers such a body."""

    def __init__(self) -> None:
        self.stdin = anyio.wrap_file(
            TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
        )
        self.answers: Any = None  # the server's write stream, once it exists

    def __aiter__(self) -> AsyncIterator[str]:
        return self._lines()

    async def _lines(self) -> AsyncIterator[str]:
        async for line in self.stdin:
            try:
                mcp_types.jsonrpc_message_adapter.validate_json(line, by_name=False)
            except Exception as exc:
                request_id = _request_id(line)
                if request_id is not None and self.answers is not None:
                    problem = _problem(exc)
                    error = mcp_types.JSONRPCError(
                        jsonrpc="2.0",
                        id=request_id,
                        error=mcp_types.ErrorData(
                            code=mcp_types.PARSE_ERROR, message=f"Parse error: {problem}"
                        ),
                    )
                    await self.answers.send(SessionMessage(error))
                    continue
            yield line


def _problem(exc: Exception) -> str:
    if isinstance(exc, ValidationError) and exc.errors():
        return str(exc.errors()[0]["msg"])  # "Invalid JSON: recursion limit exceeded at ..."
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _request_id(line: str) -> int | str | None:
    try:
        message = json.loads(line)
    except (ValueError, RecursionError):
        head = line.split('"params"', 1)[0]
        found = _ID.search(head)
        if found is None:
            return None
        try:
            value = json.loads(found.group(1))
        except ValueError:
            return None
        return value if isinstance(value, int | str) else None
    found_id = message.get("id") if isinstance(message, dict) else None
    return found_id if isinstance(found_id, int | str) and not isinstance(found_id, bool) else None


async def serve_stdio(url: str, token: str) -> None:
    """Serve MCP on stdin/stdout until the host closes stdin."""
    # Few retries: an agent waits on each call, and a refusal it can read beats a long silence.
    async with AsyncProgressClient(url, token, retries=2, backoff=0.2) as client:
        backend = RemoteBackend(client)

        def backend_for(ctx: ServerRequestContext[Any, Any]) -> Backend:
            return backend

        server = build_server(backend_for)
        logger.info("MCP on stdio, reporting to %s", url)
        lines = _Lines()
        async with stdio_server(stdin=cast(Any, lines)) as (read_stream, write_stream):
            lines.answers = write_stream
            await server.run(read_stream, write_stream, server.create_initialization_options())

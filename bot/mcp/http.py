"""`/mcp` on `progressbot serve`: the MCP server over streamable HTTP, inside the aiohttp app.

The SDK's session manager is an ASGI app; `McpEndpoint.handle` runs it for one aiohttp request
(scope, receive, send), after the same bearer check as every API route (`require_token`). The
token's entry rides in the ASGI scope, so each tool call acts with the role and scope of the token
that sent it, through the API's own operations (`LocalBackend`). The manager is stateless:
nothing of a session lives in one worker's memory, so every worker answers every request.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import MutableMapping
from typing import Any

from aiohttp import web
from mcp.server import ServerRequestContext
from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
from mcp.server.auth.provider import AccessToken
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager

from bot.api.http import ApiError, read_body, require_token
from bot.config import ApiToken
from bot.mcp.backends import Backend, Draining, LocalBackend
from bot.mcp.tools import build_server
from bot.services import SERVICES, Services

__all__ = ["MCP_ENDPOINT", "MCP_PATH", "McpEndpoint", "add_mcp_routes"]

logger = logging.getLogger(__name__)

MCP_PATH = "/mcp"
CALLER = "progressbot.caller"  # the ASGI scope key of the request's token entry
MCP_ENDPOINT: web.AppKey[McpEndpoint] = web.AppKey("mcp_endpoint")
# How often a waiting ASGI `receive` looks whether the client has gone.
_DISCONNECT_POLL_SECONDS = 1.0


def _caller(ctx: ServerRequestContext[Any, Any]) -> ApiToken:
    request = ctx.request
    scope = getattr(request, "scope", None)
    caller = scope.get(CALLER) if isinstance(scope, MutableMapping) else None
    if not isinstance(caller, ApiToken):
        raise RuntimeError("an MCP request without the token that sent it")
    return caller


class McpEndpoint:
    """The session manager, run for the app's life, and the handler of `/mcp`."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.draining = Draining()

        def backend_for(ctx: ServerRequestContext[Any, Any]) -> Backend:
            return LocalBackend(services, _caller(ctx), self.draining)

        self.server = build_server(backend_for)
        # Stateless: every request stands alone, so any worker behind the load balancer answers
        # any request of a session (docs/deploy.md: no sticky sessions). A tool call's progress
        # notifications still stream on its own answer.
        self.manager = StreamableHTTPSessionManager(
            self.server, stateless=True, max_request_body_size=services.config.api.max_body_bytes
        )
        self._task: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()
        # Requests in `handle` now; `_answered` is set when there are none.
        self._answering = 0
        self._answered = asyncio.Event()
        self._answered.set()

    async def start(self) -> None:
        ready = asyncio.Event()

        async def run() -> None:
            # anyio's task group must be entered and left in one task: this one.
            async with self.manager.run():
                ready.set()
                await self._stop.wait()

        self._task = asyncio.create_task(run(), name="mcp-sessions")
        waiter = asyncio.create_task(ready.wait())
        await asyncio.wait({self._task, waiter}, return_when=asyncio.FIRST_COMPLETED)
        waiter.cancel()
        if self._task.done():
            self._task.result()  # raises what stopped it

    async def stop(self) -> None:
        """End every session (a waiting tool call ends with it), before the server waits for
        its requests to finish."""
        if self._task is None:  # stopped already (the app stops it at shutdown and cleanup)
            return
        # Calls waiting for a resume or a decision answer "unavailable" first, so their agents
        # hear why, rather than seeing the stream end.
        self.draining.event.set()
        for _ in range(100):
            if not self.draining.waiting:
                break
            await asyncio.sleep(0.02)
        # Their answers reach the wire: up to 50 ms for the requests still being answered,
        # no wait when none is.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._answered.wait(), 0.05)
        self._stop.set()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def handle(self, request: web.Request) -> web.StreamResponse:
        caller = require_token(request)
        body = await read_body(request)
        if self._task is None:
            raise ApiError(503, "unavailable", "the MCP server is not running")
        bridge = _Bridge(request, body)
        scope = bridge.scope()
        scope[CALLER] = caller
        # Who the request is, for the SDK too (it binds a stateful session to it).
        scope["user"] = AuthenticatedUser(
            AccessToken(token=caller.name, client_id=caller.name, scopes=[caller.role])
        )
        self._answering += 1
        self._answered.clear()
        try:
            await self.manager.handle_request(scope, bridge.receive, bridge.send)
            return await bridge.finish()
        finally:
            self._answering -= 1
            if not self._answering:
                self._answered.set()


class _Bridge:
    """One aiohttp request as an ASGI request: its body once, then a disconnect when the client
    goes; the ASGI answer written to an aiohttp StreamResponse as it comes (SSE included)."""

    def __init__(self, request: web.Request, body: bytes) -> None:
        self.request, self.body = request, body
        self.response: web.StreamResponse | None = None
        self.done = asyncio.Event()
        self._body_sent = False

    def scope(self) -> dict[str, Any]:
        request = self.request
        peer = request.transport.get_extra_info("peername") if request.transport else None
        host, _, port = (request.host or "").rpartition(":")
        return {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": f"{request.version.major}.{request.version.minor}",
            "method": request.method,
            "scheme": request.scheme,
            "path": request.path,
            "raw_path": request.raw_path.encode("latin-1", "replace"),
            "root_path": "",
            "query_string": request.query_string.encode("latin-1", "replace"),
            "headers": [(k.lower(), v) for k, v in request.raw_headers],
            "client": tuple(peer[:2]) if isinstance(peer, tuple) else None,
            "server": (host or request.host, int(port) if port.isdigit() else None),
            "state": {},
        }

    async def receive(self) -> dict[str, Any]:
        if not self._body_sent:
            self._body_sent = True
            return {"type": "http.request", "body": self.body, "more_body": False}
        while not self.done.is_set():
            transport = self.request.transport
            if transport is None or transport.is_closing():
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.done.wait(), _DISCONNECT_POLL_SECONDS)
        return {"type": "http.disconnect"}

    async def send(self, message: MutableMapping[str, Any]) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            response = web.StreamResponse(status=message["status"])
            for name, value in message.get("headers", []):
                response.headers.add(name.decode("latin-1"), value.decode("latin-1"))
            self.response = response
        elif kind == "http.response.body" and self.response is not None:
            if self.done.is_set():
                return
            try:
                if not self.response.prepared:
                    await self.response.prepare(self.request)
                chunk = message.get("body", b"")
                if chunk:
                    await self.response.write(chunk)
                if not message.get("more_body", False):
                    await self.response.write_eof()
                    self.done.set()
            except (ConnectionError, RuntimeError):
                # The client went away mid-answer: the next receive() says so.
                self.done.set()

    async def finish(self) -> web.StreamResponse:
        self.done.set()
        response = self.response
        if response is None:
            logger.warning("the MCP session manager sent no answer")
            raise ApiError(500, "internal", "the MCP server sent no answer; it was logged")
        # Not yet sent (the client left first): aiohttp sends it, and bears a closed connection.
        return response


def add_mcp_routes(app: web.Application) -> None:
    """Mount `/mcp` and run its sessions with the app."""
    endpoint = McpEndpoint(app[SERVICES])
    app[MCP_ENDPOINT] = endpoint

    async def start(_app: web.Application) -> None:
        await endpoint.start()

    async def stop(_app: web.Application) -> None:
        await endpoint.stop()

    app.on_startup.append(start)
    app.on_shutdown.append(stop)
    app.on_cleanup.append(stop)
    app.router.add_route("*", MCP_PATH, endpoint.handle)

"""Where the MCP tools send their calls: the API's operations in this process, or a running
server's HTTP API. Both answer alike: the API's JSON, or `Refused` carrying the API's status and
error body, so a tool says what the HTTP API would have said.
"""

from __future__ import annotations

import asyncio
import secrets
from typing import Any, Protocol
from urllib.parse import quote

from bot.api import operations
from bot.api.admission import check_value
from bot.api.http import error_answer
from bot.config import ApiToken
from bot.engine.client import AsyncProgressClient, ProgressError
from bot.services import Services

__all__ = ["Backend", "Draining", "LocalBackend", "Refused", "RemoteBackend"]


class Refused(Exception):
    """The API refused the call: its HTTP status and its JSON answer (`{"error": {...}}`)."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        found = body.get("error")
        error: dict[str, Any] = found if isinstance(found, dict) else {}
        self.status, self.body = status, body
        self.code = str(error.get("code") or "error")
        self.message = str(error.get("message") or f"HTTP {status}")
        super().__init__(f"{self.code}: {self.message}")


def refused(status: int, code: str, message: str) -> Refused:
    return Refused(status, {"error": {"code": code, "message": message}})


class Backend(Protocol):
    """What the tools need of Progress Bot, acting with one token's role and scope."""

    max_json_depth: int | None  # the server's limits.max_json_depth, when known here

    async def create_task(self, body: dict[str, Any]) -> dict[str, Any]: ...

    async def post_events(self, task_id: str, events: list[Any]) -> dict[str, Any]: ...

    async def progress(self, task_id: str) -> dict[str, Any]: ...

    async def control(
        self, task_id: str, *, wait: float = 0, version: int = -1
    ) -> dict[str, Any]: ...

    async def list_tasks(self) -> list[dict[str, Any]]: ...


class Draining:
    """The server is stopping: calls that wait (checkpoint, request_approval) answer at once."""

    def __init__(self) -> None:
        self.event = asyncio.Event()
        self.waiting = 0  # calls in a wait now

    def refusal(self) -> Refused:
        return refused(
            503,
            "unavailable",
            "Progress Bot is stopping: call again in a moment; the task waits as it is",
        )


class LocalBackend:
    """In the server's process (`/mcp`): the same operations the HTTP routes call."""

    def __init__(
        self, services: Services, caller: ApiToken, draining: Draining | None = None
    ) -> None:
        self.services, self.caller = services, caller
        self.draining = draining or Draining()
        self.max_json_depth: int | None = services.config.limits.max_json_depth

    async def _run(self, call: Any) -> Any:
        try:
            return await call
        except Exception as exc:
            answer = error_answer(exc)
            if answer is None:
                raise
            raise Refused(*answer) from None

    def _checked(self, value: Any) -> Any:
        # What strict_json checks of a body, for arguments the MCP SDK parsed.
        try:
            check_value(value, max_depth=self.services.config.limits.max_json_depth)
        except Exception as exc:
            answer = error_answer(exc)
            if answer is None:
                raise
            raise Refused(*answer) from None
        return value

    async def create_task(self, body: dict[str, Any]) -> dict[str, Any]:
        snap: dict[str, Any] = await self._run(
            operations.create_task(self.services, self.caller, self._checked(body))
        )
        return snap

    async def post_events(self, task_id: str, events: list[Any]) -> dict[str, Any]:
        status, answer = await self._run(
            operations.post_events(self.services, self.caller, task_id, self._checked(events))
        )
        if status != 200:
            raise Refused(status, answer)
        return answer

    async def progress(self, task_id: str) -> dict[str, Any]:
        snap: dict[str, Any] = await self._run(
            operations.progress(self.services, self.caller, task_id)
        )
        return snap

    async def control(self, task_id: str, *, wait: float = 0, version: int = -1) -> dict[str, Any]:
        call = self._run(
            operations.control(self.services, self.caller, task_id, wait=wait, version=version)
        )
        if wait <= 0:
            answer: dict[str, Any] = await call
            return answer
        draining = self.draining
        if draining.event.is_set():
            call.close()
            raise draining.refusal()
        waited = asyncio.ensure_future(call)
        stopping = asyncio.ensure_future(draining.event.wait())
        draining.waiting += 1
        try:
            await asyncio.wait({waited, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if not waited.done():
                raise draining.refusal()
            answer = waited.result()
        finally:
            draining.waiting -= 1
            stopping.cancel()
            if not waited.done():
                waited.cancel()
        return answer

    async def list_tasks(self) -> list[dict[str, Any]]:
        tasks: list[dict[str, Any]] = await self._run(
            operations.list_tasks(self.services, self.caller, active_only=True)
        )
        return tasks


class RemoteBackend:
    """A running server's HTTP API, through the engine client (`progressbot mcp` on stdio): the
    server checks everything, and its answers come back as they are."""

    max_json_depth: int | None = None  # the server checks depth; no limits are known here

    def __init__(self, client: AsyncProgressClient) -> None:
        self.client = client

    async def _send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, str] | None = None,
        wait: float = 0,
    ) -> Any:
        """The client's answer (status, body, retried), whatever its status."""
        try:
            return await self.client.request(method, path, json=json, params=params, wait=wait)
        except ProgressError as exc:
            raise refused(503, "unavailable", f"Progress Bot does not answer: {exc}") from None
        except ValueError as exc:  # a value json.dumps cannot send (NaN, a lone surrogate)
            raise refused(400, "bad_json", f"the body is not valid JSON: {exc}") from None

    async def _call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, str] | None = None,
        wait: float = 0,
    ) -> Any:
        """The body of a 2xx answer; any other is `Refused` with the server's own answer."""
        answer = await self._send(method, path, json=json, params=params, wait=wait)
        body = answer.body
        if answer.status >= 400:
            raise Refused(answer.status, body if isinstance(body, dict) else {})
        return body

    async def create_task(self, body: dict[str, Any]) -> dict[str, Any]:
        # Our own id makes a retried create recognisable, as in the engine client: a 409 on a
        # retry then means the first attempt landed.
        if body.get("task_id") is None:
            body = {**body, "task_id": secrets.token_hex(6)}
        answer = await self._send("POST", "/api/tasks", json=body)
        if answer.status == 409 and answer.retried:
            return await self.progress(str(body["task_id"]))
        if answer.status >= 400:
            raise Refused(answer.status, answer.body if isinstance(answer.body, dict) else {})
        snap: dict[str, Any] = answer.body
        return snap

    async def post_events(self, task_id: str, events: list[Any]) -> dict[str, Any]:
        answer: dict[str, Any] = await self._call(
            "POST", f"/api/tasks/{_quote(task_id)}/events", json=events
        )
        return answer

    async def progress(self, task_id: str) -> dict[str, Any]:
        snap: dict[str, Any] = await self._call("GET", f"/api/tasks/{_quote(task_id)}/progress")
        return snap

    async def control(self, task_id: str, *, wait: float = 0, version: int = -1) -> dict[str, Any]:
        params = {"wait": str(int(wait)), "version": str(version)} if wait > 0 else None
        answer: dict[str, Any] = await self._call(
            "GET", f"/api/tasks/{_quote(task_id)}/control", params=params, wait=wait
        )
        return answer

    async def list_tasks(self) -> list[dict[str, Any]]:
        body = await self._call("GET", "/api/tasks", params={"active": "1"})
        tasks: list[dict[str, Any]] = body.get("tasks", []) if isinstance(body, dict) else []
        return tasks


def _quote(task_id: str) -> str:
    # A lone surrogate goes as its bytes, as any HTTP client would send it; the server refuses.
    return quote(task_id.encode("utf-8", "surrogatepass"), safe="")

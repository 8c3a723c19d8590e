"""Fuzzing the MCP tools through the official client, over stdio and HTTP, against the real
server: arguments that bend every rule, as tests/test_fuzz.py sends the HTTP API.

Properties, for every call: never a crash (no protocol error, no 5xx); a refusal is a tool error
that names its problem (`code: message`, the API's error body as structured content); every
answer is strict JSON; and afterwards every task still answers get_progress.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mcp import ClientSession
from mcp.shared.exceptions import MCPError
from mcp.types import CallToolResult
from mcp_types import PARSE_ERROR

from bot.cli.server import start_server
from bot.mcp.tools import TOOL_NAMES
from store.db import Database
from tests.helpers.mcp_client import TRANSPORTS, mcp_session
from tests.helpers.server import ENGINE_TOKEN, make_config
from tests.test_fuzz import FUZZ, deep, json_values, new_tasks, numbers, texts


def sendable(value: Any) -> Any:
    """`value` with lone surrogates made U+FFFD: the official client writes UTF-8 and cannot send
    them (it closes its connection). The server's answer to them, as JSON escapes in the raw
    bytes of a request, is tested by test_raw_json_rpc_bodies_get_clear_answers."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    if isinstance(value, list):
        return [sendable(v) for v in value]
    if isinstance(value, dict):
        return {sendable(k): sendable(v) for k, v in value.items()}
    return value


class Agents:
    """One MCP session per transport, held open on a loop of their own, and the tasks so far."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.sessions: dict[str, ClientSession] = {}
        self.stop = asyncio.Event()
        self.ready: Future[None] = Future()
        self.holder = asyncio.run_coroutine_threadsafe(self._hold(url), self.loop)
        self.ready.result(120)
        self.tasks: set[str] = set()

    async def _hold(self, url: str) -> None:
        try:
            async with (
                mcp_session("stdio", url, ENGINE_TOKEN) as stdio,
                mcp_session("http", url, ENGINE_TOKEN) as http,
            ):
                self.sessions.update(stdio=stdio, http=http)
                self.ready.set_result(None)
                await self.stop.wait()
        except BaseException as exc:
            if not self.ready.done():
                self.ready.set_exception(exc)
            raise

    def call(self, transport: str, name: str, arguments: dict[str, Any]) -> CallToolResult:
        session = self.sessions[transport]
        call = asyncio.wait_for(session.call_tool(sendable(name), sendable(arguments)), 60)
        return asyncio.run_coroutine_threadsafe(call, self.loop).result(90)

    def check(self, transport: str, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
        try:
            result = self.call(transport, name, arguments)
        except MCPError as exc:
            # JSON nested past what the SDK's parser reads never reaches a tool: both transports
            # answer JSON-RPC's parse error, saying why, and the session goes on.
            assert exc.error.code == PARSE_ERROR, exc
            assert exc.error.message.startswith("Parse error: "), exc
            assert "recursion limit" in exc.error.message, exc
            return {"error": {"code": "parse_error", "message": exc.error.message}}
        body = result.structured_content
        assert isinstance(body, dict), result
        json.dumps(body, allow_nan=False)  # strict JSON: no NaN or Infinity
        if result.is_error:
            error = body["error"]
            assert isinstance(error["code"], str) and error["code"]
            assert isinstance(error["message"], str) and error["message"]
            assert body["status"] < 500, (name, arguments, body)
            assert result.content[0].text == f"{error['code']}: {error['message']}"  # type: ignore[union-attr]
        elif name == "start_task":
            self.tasks.add(body["task_id"])
        return body

    def every_task_answers(self, transport: str) -> None:
        for task_id in sorted(self.tasks):
            result = self.call(transport, "get_progress", {"task_id": task_id})
            assert not result.is_error, (task_id, result)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.stop.set)
        self.holder.result(60)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture(scope="module")
def agents(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agents]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()

    def run(coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, loop).result(120)

    path: Path = tmp_path_factory.mktemp("mcp-fuzz")

    async def start() -> Any:
        db = Database(f"sqlite+aiosqlite:///{path / 'fuzz.db'}")
        await db.upgrade()
        return db, await start_server(make_config(), database=db)

    db, server = run(start())
    target = Agents(server.url)
    try:
        for transport in TRANSPORTS:
            seeded = target.check(
                transport,
                "start_task",
                {
                    "title": "Seed",
                    "owner": "alice",
                    "steps": ["One", {"name": "Two", "substeps": ["a", "b"]}],
                },
            )
            assert "task_id" in seeded
        yield target
    finally:
        target.close()
        run(server.stop())
        run(db.dispose())
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


transports = st.sampled_from(TRANSPORTS)
live_ids = st.sampled_from(["live-0", "live-1"])  # mapped to the seeded tasks below
any_value = st.one_of(json_values, numbers, texts, st.integers(1, 200).map(deep))
progress_args = st.fixed_dictionaries(
    {"task_id": st.one_of(live_ids, texts, numbers)},
    optional={
        "step": st.one_of(st.integers(-2, 6), numbers, texts),
        "step_status": st.one_of(
            st.sampled_from(["started", "completed", "failed", "skipped"]), texts, numbers
        ),
        "percent": st.one_of(numbers, texts),
        "substep_done": st.one_of(st.sampled_from(["a", "b"]), texts, numbers),
        "log": st.one_of(texts, json_values),
        "level": st.one_of(st.sampled_from(["info", "error"]), texts),
        "error": st.one_of(texts, numbers),
        "event_id": st.one_of(texts, numbers),
    },
)


def with_live_ids(agents: Agents, arguments: dict[str, Any]) -> dict[str, Any]:
    seeded = sorted(agents.tasks)
    task_id = arguments.get("task_id")
    if task_id in ("live-0", "live-1") and seeded:
        arguments = {**arguments, "task_id": seeded[int(str(task_id)[-1]) % len(seeded)]}
    return arguments


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_json_deeper_than_the_sdk_parses_gets_a_parse_error_not_silence(
    agents: Agents, transport: str
) -> None:
    body = agents.check(transport, "start_task", {"title": "T", "steps": ["One"], "x": deep(200)})
    assert body["error"]["code"] == "parse_error"
    # The session goes on.
    assert "error" not in agents.check(transport, "start_task", {"title": "T", "steps": ["One"]})


@FUZZ
@given(transport=transports, body=new_tasks)
def test_start_task(agents: Agents, transport: str, body: dict[str, Any]) -> None:
    agents.check(transport, "start_task", body)
    agents.every_task_answers(transport)


@FUZZ
@given(transport=transports, arguments=progress_args)
def test_report_progress(agents: Agents, transport: str, arguments: dict[str, Any]) -> None:
    agents.check(transport, "report_progress", with_live_ids(agents, arguments))
    agents.every_task_answers(transport)


@FUZZ
@given(
    transport=transports,
    name=st.sampled_from(["checkpoint", "get_progress", "finish_task", "fail_task"]),
    arguments=st.fixed_dictionaries(
        {"task_id": st.one_of(live_ids, texts, numbers)},
        optional={"result": any_value, "error": st.one_of(texts, numbers), "step": numbers},
    ),
)
def test_the_other_tools(agents: Agents, transport: str, name: str, arguments: Any) -> None:
    allowed = {
        "checkpoint": (),
        "get_progress": (),
        "finish_task": ("result",),
        "fail_task": ("error", "step"),
    }[name]
    # An unknown argument must be refused too: keep some of them.
    keep = {k: v for k, v in arguments.items() if k == "task_id" or k in allowed or len(k) == 4}
    agents.check(transport, name, with_live_ids(agents, keep))
    agents.every_task_answers(transport)


@FUZZ
@given(
    transport=transports,
    task_id=st.one_of(texts, numbers),
    step=st.one_of(st.integers(-2, 6), numbers, texts),
    prompt=st.one_of(texts, numbers),
)
def test_request_approval_of_what_is_not_there(
    agents: Agents, transport: str, task_id: Any, step: Any, prompt: Any
) -> None:
    # A task of another name: an approval asked of a live task would rightly wait for people.
    arguments = {"task_id": task_id, "step": step, "prompt": prompt}
    body = agents.check(transport, "request_approval", arguments)
    assert "error" in body
    agents.every_task_answers(transport)


@FUZZ
@given(
    transport=transports,
    name=st.one_of(st.sampled_from(TOOL_NAMES), texts),
    arguments=st.dictionaries(texts, any_value, max_size=4),
)
def test_any_tool_with_any_arguments(
    agents: Agents, transport: str, name: str, arguments: dict[str, Any]
) -> None:
    if name == "request_approval" and "task_id" in arguments:
        arguments.pop("task_id")  # see above: a real approval waits for people
    agents.check(transport, name, arguments)
    agents.every_task_answers(transport)


# ---------------------------------------------------------------------- raw bytes over HTTP


class RawMcp:
    """JSON-RPC over `/mcp` as bytes, in a session opened by hand: what no SDK client sends."""

    def __init__(self, url: str) -> None:
        self.host, port = url.removeprefix("http://").rsplit(":", 1)
        self.port = int(port)
        self.session = ""
        answer = self.post(
            json.dumps(
                {
                    "jsonrpc": "2.0",
                    "id": 1,
                    "method": "initialize",
                    "params": {
                        "protocolVersion": "2025-06-18",
                        "capabilities": {},
                        "clientInfo": {"name": "raw", "version": "0"},
                    },
                }
            ).encode()
        )
        assert answer[0] == 200, answer
        self.session = answer[2]
        assert self.post(b'{"jsonrpc": "2.0", "method": "notifications/initialized"}')[0] == 202

    def post(self, body: bytes) -> tuple[int, list[Any], str]:
        """The status, the JSON-RPC messages answered (strict JSON), the session id."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            conn.putrequest("POST", "/mcp", skip_accept_encoding=True)
            headers = {
                "Authorization": f"Bearer {ENGINE_TOKEN}",
                "Content-Type": "application/json",
                "Accept": "application/json, text/event-stream",
                "Content-Length": str(len(body)),
            }
            if self.session:
                headers["Mcp-Session-Id"] = self.session
                headers["Mcp-Protocol-Version"] = "2025-06-18"
            for name, value in headers.items():
                conn.putheader(name, value)
            conn.endheaders(body)
            resp = conn.getresponse()
            raw = resp.read().decode("utf-8")
            session = resp.getheader("mcp-session-id") or self.session
            kind = resp.getheader("Content-Type") or ""
        finally:
            conn.close()
        if "text/event-stream" in kind:
            lines = [line[5:].strip() for line in raw.splitlines() if line.startswith("data:")]
            messages = [json.loads(line, parse_constant=_refuse) for line in lines if line]
        elif raw:
            messages = [json.loads(raw, parse_constant=_refuse)]
        else:
            messages = []
        return resp.status, messages, session


def _refuse(name: str) -> Any:
    raise AssertionError(f"the server answered with {name}, which is not JSON")


def tool_call(arguments_json: str, name: str = "start_task") -> bytes:
    head = f'{{"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": {{"name": "{name}", '
    return (head + f'"arguments": {arguments_json}}}}}').encode()


@pytest.fixture(scope="module")
def raw(agents: Agents) -> RawMcp:
    return RawMcp(agents.url)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        # The SDK's JSON-RPC layer cannot parse a lone surrogate: a 400 that says where.
        ('{"title": "\\ud800", "steps": ["One"]}', None),
        (
            '{"title": "T", "steps": [{"name": "One", "estimate_seconds": NaN}]}',
            "bad_json: the body is not valid JSON: NaN is not a JSON number",
        ),
        (
            '{"title": "T", "steps": ["One"], "complexity": ' + "[" * 60 + "]" * 60 + "}",
            "bad_json: the body nests 61 levels, deeper than limits.max_json_depth (32)",
        ),
    ],
)
def test_raw_json_rpc_bodies_get_clear_answers(
    raw: RawMcp, arguments: str, message: str | None
) -> None:
    status, answers, _ = raw.post(tool_call(arguments))
    [answer] = answers
    if message is None:
        assert status == 400 and answer["error"]["code"] == -32700
        assert answer["error"]["message"].startswith("Parse error: ")
    else:
        # The tool refuses as the HTTP API refuses the same body, in its words.
        assert status == 200 and answer["result"]["isError"] is True
        assert answer["result"]["content"][0]["text"] == message


@FUZZ
@given(raw_body=st.binary(max_size=300), arguments=st.binary(max_size=100))
def test_raw_bytes(agents: Agents, raw: RawMcp, raw_body: bytes, arguments: bytes) -> None:
    for body in (raw_body, tool_call(arguments.decode("utf-8", "replace"))):
        status, _answers, _ = raw.post(body)
        assert status < 500, (body, status)
    agents.every_task_answers("http")

"""The MCP server through the official `mcp` client, over stdio (`progressbot mcp`) and streamable
HTTP (`/mcp`), against the real server with the fake Slack and Telegram.

An agent starts a task and reports it (its live card appears in Slack), asks for approval (alice
presses Approve in Telegram and the tool returns "approved"), obeys Pause and Cancel pressed in
Slack through `checkpoint`, and sees nothing of another engine's tasks.
"""

from __future__ import annotations

import asyncio
import copy
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from mcp.shared.exceptions import MCPError
from mcp.types import CallToolResult
from sqlalchemy import select

from bot.cli.server import RunningServer, start_server
from store.db import Database
from store.models import Task
from tests.fakes.slack import FakeSlack, visible_text
from tests.fakes.slack import buttons as slack_buttons
from tests.helpers.mcp_client import ROOT, TRANSPORTS, mcp_session
from tests.helpers.server import (
    ENGINE_TOKEN,
    OTHER_ENGINE_TOKEN,
    READER_TOKEN,
    Api,
    FakeClock,
    make_config,
    running_server,
)
from tests.test_slack import CHANNEL
from tests.test_slack import drain as slack_drain
from tests.test_slack import press as slack_press
from tests.test_telegram import ALICE as ALICE_TG
from tests.test_telegram import approval_message, bot_world, button_data
from tests.test_telegram import drain as telegram_drain
from tests.test_telegram import press as telegram_press

each_transport = pytest.mark.parametrize("transport", TRANSPORTS)

ALICE_SLACK = "U0ALICE01"
STEPS = [
    {"name": "Write the migration", "estimate_seconds": 60},
    {"name": "Apply the migration", "substeps": ["Staging", "Production"]},
    "Verify",
]


def ok(result: CallToolResult) -> dict[str, Any]:
    text = result.content[0].text if result.content else ""  # type: ignore[union-attr]
    assert not result.is_error, text
    assert result.structured_content is not None
    return dict(result.structured_content)


def refused(result: CallToolResult) -> dict[str, Any]:
    assert result.is_error, result
    assert result.structured_content is not None
    body = dict(result.structured_content)
    error = body["error"]
    # The text the model reads names the problem, as the API's message does.
    assert result.content[0].text == f"{error['code']}: {error['message']}"  # type: ignore[union-attr]
    return body


@asynccontextmanager
async def slack_world(db: Database) -> AsyncIterator[tuple[FakeSlack, RunningServer, FakeClock]]:
    clock = FakeClock()
    async with FakeSlack() as slack:
        config = make_config(slack.config_yaml(mode="http"))
        async with running_server(db, config=config, clock=clock) as server:
            yield slack, server, clock


def card(slack: FakeSlack) -> dict[str, Any]:
    """The task's live card in the channel, as it is now (edits included)."""
    cards = [m for m in slack.posted(CHANNEL) if m["thread_ts"] is None]
    assert len(cards) == 1, [m["text"] for m in cards]
    return copy.deepcopy(slack.messages[(CHANNEL, cards[0]["ts"])])


@each_transport
async def test_the_tools_resource_and_prompt_are_listed(
    sqlite_db: Database, transport: str
) -> None:
    async with (
        running_server(sqlite_db) as server,
        mcp_session(transport, server.url, ENGINE_TOKEN, token_flag=True) as agent,
    ):
        tools = {tool.name: tool for tool in (await agent.list_tools()).tools}
        assert set(tools) == {
            "start_task",
            "report_progress",
            "checkpoint",
            "request_approval",
            "finish_task",
            "fail_task",
            "get_progress",
        }
        for tool in tools.values():
            assert tool.description and len(tool.description) > 80
            assert tool.input_schema["type"] == "object"
            assert "task_id" in tool.input_schema["properties"] or tool.name == "start_task"
        start = tools["start_task"].input_schema
        assert start["required"] == ["title", "steps"]
        assert {"notify", "approval", "owner"} <= set(start["properties"])
        step = start["$defs"]["StepSpec"]["properties"]
        assert {"substeps", "estimate_seconds"} <= set(step)
        assert tools["report_progress"].input_schema["properties"]["step_status"]["enum"] == [
            "started",
            "completed",
            "failed",
            "skipped",
        ]
        [template] = (await agent.list_resource_templates()).resource_templates
        assert template.uri_template == "progress://tasks/{task_id}"
        [prompt] = (await agent.list_prompts()).prompts
        got = await agent.get_prompt(prompt.name, {"goal": "Upgrade the database"})
        text = got.messages[0].content.text  # type: ignore[union-attr]
        assert "start_task" in text and "request_approval" in text
        assert text.endswith("The work: Upgrade the database\n")


@each_transport
async def test_a_task_reported_through_mcp_is_a_live_card_in_slack(
    sqlite_db: Database, transport: str
) -> None:
    async with (
        slack_world(sqlite_db) as (slack, server, clock),
        mcp_session(transport, server.url, ENGINE_TOKEN) as agent,
    ):
        started = ok(
            await agent.call_tool(
                "start_task",
                {
                    "title": "Database upgrade",
                    "owner": "alice",
                    "steps": STEPS,
                    "notify": [{"platform": "slack", "chat": CHANNEL}],
                },
            )
        )
        task_id = started["task_id"]
        assert started["control"]["state"] == "run"
        assert f"/tasks/{task_id}?t=" in started["view_url"]
        for report in (
            {"step": 1, "step_status": "started"},
            {"step": 1, "step_status": "completed", "log": "wrote 0042_add_index.sql"},
            {"step": 2, "step_status": "started", "substep_done": "Staging", "percent": 50},
        ):
            answer = ok(await agent.call_tool("report_progress", {"task_id": task_id, **report}))
            assert answer["accepted"] >= 1 and answer["control"]["state"] == "run"
        await slack_drain(server, clock)
        shown = visible_text(card(slack))
        assert "Database upgrade" in shown
        assert "Step 2 of 3: Apply the migration" in shown
        assert "1. Write the migration" in shown and "3. Verify" in shown
        assert [b["text"]["text"] for b in slack_buttons(card(slack))][:2] == ["Pause", "Cancel"]

        progress = ok(await agent.call_tool("get_progress", {"task_id": task_id}))
        assert progress["status"] == "running" and progress["current_step"] == 2
        assert progress["steps"][1]["substeps"] == [
            {"name": "Staging", "done": True},
            {"name": "Production", "done": False},
        ]
        resource = await agent.read_resource(f"progress://tasks/{task_id}")
        assert f'"task_id": "{task_id}"' in resource.contents[0].text  # type: ignore[union-attr]
        listed = (await agent.list_resources()).resources
        assert [str(r.uri) for r in listed] == [f"progress://tasks/{task_id}"]

        ok(
            await agent.call_tool(
                "report_progress", {"task_id": task_id, "step": 2, "step_status": "completed"}
            )
        )
        ok(
            await agent.call_tool(
                "report_progress", {"task_id": task_id, "step": 3, "step_status": "skipped"}
            )
        )
        done = ok(await agent.call_tool("finish_task", {"task_id": task_id, "result": {"rows": 7}}))
        assert done["control"]["status"] == "completed"
        await slack_drain(server, clock)
        assert "100%" in visible_text(card(slack))
    async with sqlite_db.read() as session:
        creator = await session.scalar(select(Task.created_by_token).where(Task.id == task_id))
    assert creator == "engine-a"


@each_transport
async def test_an_approval_pressed_in_telegram_returns_approved(
    sqlite_db: Database, transport: str
) -> None:
    async with bot_world(sqlite_db) as (fake, server, api, clock):
        async with mcp_session(transport, server.url, ENGINE_TOKEN) as agent:
            started = ok(
                await agent.call_tool(
                    "start_task",
                    {
                        "title": "Database upgrade",
                        "owner": "alice",
                        "steps": STEPS,
                        "notify": [{"platform": "telegram", "chat": str(ALICE_TG)}],
                        "approval": {"approvers": ["alice"]},
                    },
                )
            )
            task_id = started["task_id"]
            ok(
                await agent.call_tool(
                    "report_progress", {"task_id": task_id, "step": 1, "step_status": "completed"}
                )
            )
            heard: list[tuple[float, str | None]] = []

            async def progress(done: float, total: float | None, message: str | None) -> None:
                heard.append((done, message))

            waiting = asyncio.create_task(
                agent.call_tool(
                    "request_approval",
                    {"task_id": task_id, "step": 2, "prompt": "Apply the migration to production?"},
                    progress_callback=progress,
                )
            )
            snap = await until(api, task_id, lambda s: (s.get("approval") or {}).get("status"))
            assert snap["approval"]["status"] == "pending" and not waiting.done()
            await telegram_drain(server, clock)
            message = approval_message(fake, ALICE_TG)
            assert "Apply the migration to production?" in message["text"]
            await telegram_press(fake, ALICE_TG, message, button_data(fake, message, "Approve"))
            decided = ok(await asyncio.wait_for(waiting, 30))
        assert decided["decision"] == "approved"
        assert decided["decided_by"] == "alice"
        assert decided["step"] == 2
        assert heard and heard[0][1] == "waiting for an approver to decide step 2"


async def until(api: Api, task_id: str, ready: Any) -> dict[str, Any]:
    for _ in range(400):
        status, snap = await api.get(f"/api/tasks/{task_id}/progress")
        assert status == 200
        if ready(snap):
            return dict(snap)
        await asyncio.sleep(0.025)
    raise AssertionError(f"task {task_id} never got there: {snap}")


@each_transport
async def test_pause_in_slack_holds_checkpoint_and_cancel_ends_it(
    sqlite_db: Database, transport: str
) -> None:
    async with (
        slack_world(sqlite_db) as (slack, server, clock),
        aiohttp.ClientSession() as http,
        mcp_session(transport, server.url, ENGINE_TOKEN) as agent,
    ):
        api = Api(http, server.url)
        task_id = ok(
            await agent.call_tool(
                "start_task",
                {
                    "title": "Database upgrade",
                    "owner": "alice",
                    "steps": STEPS,
                    "notify": [{"platform": "slack", "chat": CHANNEL}],
                },
            )
        )["task_id"]
        assert ok(await agent.call_tool("checkpoint", {"task_id": task_id}))["state"] == "run"
        await slack_drain(server, clock)

        assert await slack_press(server, ALICE_SLACK, card(slack), "Pause") == 200
        await until(api, task_id, lambda s: s["status"] == "paused")
        heard: list[str | None] = []

        async def progress(done: float, total: float | None, message: str | None) -> None:
            heard.append(message)

        waiting = asyncio.create_task(
            agent.call_tool("checkpoint", {"task_id": task_id}, progress_callback=progress)
        )
        await wait_until(lambda: heard)
        assert heard[0] == f"task {task_id} is paused; waiting for a resume"
        assert not waiting.done()

        await slack_drain(server, clock)
        assert await slack_press(server, ALICE_SLACK, card(slack), "Resume") == 200
        resumed = ok(await asyncio.wait_for(waiting, 30))
        assert resumed["state"] == "run" and resumed["control"]["status"] == "running"

        await slack_drain(server, clock)
        assert await slack_press(server, ALICE_SLACK, card(slack), "Pause") == 200
        await until(api, task_id, lambda s: s["status"] == "paused")
        waiting = asyncio.create_task(agent.call_tool("checkpoint", {"task_id": task_id}))
        await slack_drain(server, clock)
        await cancel_in_slack(server, slack)
        cancelled = refused(await asyncio.wait_for(waiting, 30))
        assert cancelled["error"]["code"] == "cancelled"
        assert cancelled["error"]["message"] == f"task {task_id} was cancelled: stop working on it"
        assert cancelled["control"]["state"] == "cancel"
        again = refused(await agent.call_tool("checkpoint", {"task_id": task_id}))
        assert again["error"]["code"] == "cancelled"
        # A log line is still taken, and its answer says to stop; new work is refused, as over
        # the HTTP API.
        late = ok(
            await agent.call_tool("report_progress", {"task_id": task_id, "log": "still here"})
        )
        assert late["control"]["state"] == "cancel"
        refusal = refused(
            await agent.call_tool(
                "report_progress", {"task_id": task_id, "step": 1, "step_status": "started"}
            )
        )
        assert refusal["status"] == 409 and refusal["control"]["state"] == "cancel"


async def cancel_in_slack(server: RunningServer, slack: FakeSlack) -> None:
    """Alice presses Cancel on the card, then Yes on the question only she sees."""
    before = len(slack.ephemerals)
    assert await slack_press(server, ALICE_SLACK, card(slack), "Cancel") == 200
    asked = next(
        m
        for m in slack.ephemerals[before:]
        if any(b["text"]["text"] == "Yes" for b in slack_buttons(m))
    )
    # Slack names an ephemeral message by a timestamp of its own.
    assert (
        await slack_press(server, ALICE_SLACK, {**asked, "ts": "1700000099.000001"}, "Yes") == 200
    )


async def wait_until(ready: Any) -> None:
    for _ in range(400):
        if ready():
            return
        await asyncio.sleep(0.025)
    raise AssertionError("never happened")


@each_transport
async def test_a_second_engine_sees_nothing_of_the_first_engines_task(
    sqlite_db: Database, transport: str
) -> None:
    async with (
        running_server(sqlite_db) as server,
        aiohttp.ClientSession() as http,
        mcp_session(transport, server.url, ENGINE_TOKEN) as first,
        mcp_session(transport, server.url, OTHER_ENGINE_TOKEN) as second,
    ):
        task_id = ok(
            await first.call_tool("start_task", {"title": "Mine", "steps": ["One", "Two"]})
        )["task_id"]
        over_http = Api(http, server.url, OTHER_ENGINE_TOKEN)
        status, http_answer = await over_http.get(f"/api/tasks/{task_id}/progress")
        assert status == 404
        for name, args in (
            ("get_progress", {}),
            ("checkpoint", {}),
            ("report_progress", {"step": 1, "step_status": "started"}),
            ("finish_task", {}),
            ("fail_task", {"error": "sabotage"}),
            ("request_approval", {"step": 1}),
        ):
            body = refused(await second.call_tool(name, {"task_id": task_id, **args}))
            assert body == {**http_answer, "status": 404}, name
        with pytest.raises(MCPError) as seen:
            await second.read_resource(f"progress://tasks/{task_id}")
        assert f"there is no task {task_id!r}" in str(seen.value)
        assert (await second.list_resources()).resources == []
        # Nothing changed: the first engine's task did not move.
        progress = ok(await first.call_tool("get_progress", {"task_id": task_id}))
        assert progress["status"] == "running" and progress["steps"][0]["status"] == "pending"


@each_transport
async def test_a_reader_token_reads_but_cannot_start_or_report(
    sqlite_db: Database, transport: str
) -> None:
    async with (
        running_server(sqlite_db) as server,
        mcp_session(transport, server.url, ENGINE_TOKEN) as engine,
        mcp_session(transport, server.url, READER_TOKEN) as reader,
    ):
        task_id = ok(await engine.call_tool("start_task", {"title": "T", "steps": ["One"]}))[
            "task_id"
        ]
        assert ok(await reader.call_tool("get_progress", {"task_id": task_id}))["title"] == "T"
        body = refused(await reader.call_tool("start_task", {"title": "T", "steps": ["One"]}))
        assert body["error"] == {"code": "forbidden", "message": "a reader token may not do this"}
        body = refused(await reader.call_tool("report_progress", {"task_id": task_id, "log": "x"}))
        assert body["status"] == 403


BAD_TASKS: list[dict[str, Any]] = [
    {"title": "", "steps": ["One"]},
    {"title": "T", "steps": []},
    {"title": "T", "steps": [{"name": "One", "estimate_seconds": -5}]},
    {"title": "T", "steps": [{"name": "One", "substeps": ["a", "a"]}]},
    {"title": "T", "steps": ["One"], "owner": "nobody"},
    {"title": "T", "steps": ["One"], "notify": [{"platform": "fax", "chat": "1"}]},
    {"title": "T", "steps": ["One"], "approval": {"approvers": ["alice"], "quorum": 2}},
    {"title": "T", "steps": ["One"], "colour": "blue"},
    {"title": "T" * 501, "steps": ["One"]},
    {"title": "T", "steps": [f"s{n}" for n in range(1001)]},
]


@each_transport
async def test_tool_errors_are_the_http_apis_errors(sqlite_db: Database, transport: str) -> None:
    async with (
        running_server(sqlite_db) as server,
        aiohttp.ClientSession() as http,
        mcp_session(transport, server.url, ENGINE_TOKEN) as agent,
    ):
        api = Api(http, server.url, ENGINE_TOKEN)
        for body in BAD_TASKS:
            status, over_http = await api.post("/api/tasks", body)
            assert 400 <= status < 500, (body, over_http)
            over_mcp = refused(await agent.call_tool("start_task", body))
            assert over_mcp == {**over_http, "status": status}, body
        task_id = ok(await agent.call_tool("start_task", {"title": "T", "steps": ["One"]}))[
            "task_id"
        ]
        for args, event in (
            ({"step": 7, "step_status": "started"}, {"type": "step_started", "step": 7}),
            ({"step": 1, "percent": 150}, {"type": "step_progress", "step": 1, "percent": 150}),
            (
                {"step": 1, "substep_done": "nope"},
                {"type": "substep_done", "step": 1, "substep": "nope"},
            ),
            ({"log": "x", "level": "loud"}, {"type": "log", "message": "x", "level": "loud"}),
        ):
            status, over_http = await api.post(f"/api/tasks/{task_id}/events", [event])
            over_mcp = refused(
                await agent.call_tool("report_progress", {"task_id": task_id, **args})
            )
            assert over_mcp == {**over_http, "status": status}, args
        body = refused(await agent.call_tool("report_progress", {"task_id": task_id}))
        assert body["error"]["message"] == (
            "report at least one of step_status, percent, substep_done or log"
        )
        body = refused(await agent.call_tool("get_progress", {"task_id": task_id, "x": 1}))
        assert body["error"] == {"code": "invalid", "message": "x: Extra inputs are not permitted"}
        body = refused(await agent.call_tool("no_such_tool", {}))
        assert body["error"]["code"] == "not_found"


async def test_mcp_over_http_needs_an_api_token(sqlite_db: Database) -> None:
    async with running_server(sqlite_db) as server, aiohttp.ClientSession() as http:
        api = Api(http, server.url, token=None)
        hello = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
        status, body = await api.post("/mcp", hello)
        assert status == 401
        assert body == {
            "error": {
                "code": "unauthorized",
                "message": "send 'Authorization: Bearer <token>' (api.tokens)",
            }
        }
        status, body = await api.post("/mcp", hello, token="not-a-token")
        assert status == 401
        assert body["error"]["message"] == "the bearer token is not one of api.tokens"


@each_transport
async def test_a_stopping_server_answers_a_waiting_call_and_the_agent_asks_again(
    sqlite_db: Database, transport: str
) -> None:
    """A stopping server does not hang on an agent waiting for approval: the call ends with a
    clear tool error. After the restart, asking again waits for the same approval."""
    server = await start_server(make_config(), database=sqlite_db)
    try:
        async with mcp_session(transport, server.url, ENGINE_TOKEN) as agent:
            task_id = ok(
                await agent.call_tool(
                    "start_task",
                    {
                        "title": "T",
                        "owner": "alice",
                        "steps": ["One"],
                        "approval": {"approvers": ["alice"]},
                    },
                )
            )["task_id"]
            ask = {"task_id": task_id, "step": 1, "prompt": "Go?"}
            waiting = asyncio.create_task(agent.call_tool("request_approval", ask))
            await wait_for_pending(server, task_id)
            await asyncio.wait_for(server.stop(), 30)
            body = refused(await asyncio.wait_for(waiting, 60))
        assert body["status"] == 503 and body["error"]["code"] == "unavailable"
        if transport == "http":  # the server answers the waiting call before it stops
            assert body["error"]["message"] == (
                "Progress Bot is stopping: call again in a moment; the task waits as it is"
            )
        else:  # `progressbot mcp` finds the server gone
            assert body["error"]["message"].startswith("Progress Bot does not answer")
    finally:
        await server.stop()

    config = make_config()
    config.api.port = 0
    server = await start_server(config, database=sqlite_db)
    try:
        async with (
            aiohttp.ClientSession() as http,
            mcp_session(transport, server.url, ENGINE_TOKEN) as agent,
        ):
            waiting = asyncio.create_task(agent.call_tool("request_approval", ask))
            snap = await wait_for_pending(server, task_id)
            operator = Api(http, server.url)
            status, _ = await operator.post(
                f"/api/approvals/{snap['approval']['id']}/approve", {"by": "alice"}
            )
            assert status == 200
            decided = ok(await asyncio.wait_for(waiting, 30))
        assert decided["decision"] == "approved" and decided["decided_by"] == "alice"
        assert decided["approval_id"] == snap["approval"]["id"]  # the same approval, asked once
    finally:
        await server.stop()


async def wait_for_pending(server: RunningServer, task_id: str) -> dict[str, Any]:
    for _ in range(400):
        snap = dict(await server.services.queries.snapshot(task_id))
        if (snap.get("approval") or {}).get("status") == "pending":
            return snap
        await asyncio.sleep(0.025)
    raise AssertionError("the approval was never asked")


def test_progressbot_mcp_without_a_token_says_what_to_give() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROGRESSBOT_")}
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "mcp", "--url", "http://127.0.0.1:9"],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert result.stdout == ""  # stdout is MCP's alone
    assert "no token; give --token or set PROGRESSBOT_TOKEN" in result.stderr

"""The Rasa action server over loopback HTTP: Rasa's webhook calls in, rasa-sdk's answers out."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import zlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from rasa_sdk import __version__ as SDK_VERSION

from adapters.rasa import (
    BUTTON_ENTITIES,
    button_payload,
    parse_button_payload,
    render_buttons,
)
from bot.api.wire import CreateTask
from bot.chat.brain import REASON_QUESTION
from bot.services import Services
from bot.types import Button
from bot.wiring import build_services, create_action_app
from store.db import Database
from tests.helpers.seed import SEED_CHAT_ANSWER, SEED_CREATE, SEED_EVENTS
from tests.helpers.server import RASA_TOKEN, FakeClock, make_config

# What Rasa sends along with a call when the action server has not seen its domain yet.
DOMAIN: dict[str, Any] = {
    "intents": ["task_status", "cancel_task", "progressbot_button"],
    "entities": ["task", "reason", *BUTTON_ENTITIES],
    "slots": {"task": {"type": "text"}, "reason": {"type": "text"}},
    "actions": ["action_task_status", "action_cancel_task", "action_progressbot_button"],
}


class ActionServer:
    """A running action server and a client that speaks to it as Rasa does."""

    def __init__(self, services: Services, session: aiohttp.ClientSession, base: str) -> None:
        self.services, self.session, self.base = services, session, base

    async def call(
        self,
        action: str,
        *,
        sender: str = "alice",
        text: str = "",
        intent: str = "",
        entities: dict[str, str] | None = None,
        slots: dict[str, Any] | None = None,
        input_channel: str | None = None,
    ) -> tuple[int, Any]:
        tracker = {
            "sender_id": sender,
            "slots": {"task": None, "reason": None, **(slots or {})},
            "latest_message": {
                "text": text,
                "intent": {"name": intent, "confidence": 1.0},
                "entities": [
                    {"entity": name, "value": value} for name, value in (entities or {}).items()
                ],
            },
            "events": [{"event": "user", "text": text, "input_channel": input_channel}],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
        body = {
            "next_action": action,
            "sender_id": sender,
            "tracker": tracker,
            "domain": DOMAIN,
            "version": SDK_VERSION,
        }
        return await self.post(body)

    async def post(self, body: Any, **kw: Any) -> tuple[int, Any]:
        data = kw.pop("data", None)
        kw.setdefault("params", {"token": RASA_TOKEN})
        async with self.session.post(
            self.base + "/webhook", json=None if data is not None else body, data=data, **kw
        ) as resp:
            return resp.status, await resp.json()

    async def press(self, button: dict[str, Any], *, sender: str = "alice") -> tuple[int, Any]:
        """Click a Rasa button: its payload comes back as the next user message."""
        payload = button["payload"]
        entities = parse_button_payload(payload)
        return await self.call(
            "action_progressbot_button",
            sender=sender,
            text=payload,
            intent="progressbot_button",
            entities=entities,
        )


@pytest.fixture
async def server(db: Database) -> AsyncIterator[ActionServer]:
    services = build_services(make_config(), database=db, clock=FakeClock())
    runner = web.AppRunner(create_action_app(services, manage_lifecycle=False))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        async with aiohttp.ClientSession() as session:
            yield ActionServer(services, session, f"http://{host}:{port}")
    finally:
        await runner.cleanup()


async def seed_task(services: Services, **changes: Any) -> str:
    """The seed's Cellphone Store CRM task at 65 % of Step 2, as an engine reports it."""
    body = CreateTask.model_validate(copy.deepcopy({**SEED_CREATE, **changes}))
    task_id = await services.tracker.create_task(body.to_new_task())
    clock = services.clock
    assert isinstance(clock, FakeClock)
    for event in SEED_EVENTS:
        await services.tracker.apply(task_id, [event])
        clock.advance(5)
    return task_id


async def waiting_for_approval(services: Services) -> str:
    # The task also reports to carol's conversation, so she can see it but not decide on it.
    task_id = await seed_task(services, notify=[{"platform": "rasa", "chat": "carol"}])
    await services.tracker.apply(
        task_id,
        [
            {"type": "step_completed", "step": 2},
            {"type": "approval_requested", "step": 3, "prompt": "Add search to 4 tables?"},
        ],
    )
    return task_id


async def status_of(services: Services, task_id: str) -> str:
    return str((await services.queries.snapshot(task_id))["status"])


def only_response(body: Any) -> dict[str, Any]:
    responses = body["responses"]
    assert len(responses) == 1
    return dict(responses[0])


def slot_events(body: Any) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in body["events"] if e["event"] == "slot"}


async def test_seed_question_gets_the_seed_answer_and_sets_the_task_slot(
    server: ActionServer,
) -> None:
    task_id = await seed_task(server.services)
    status, body = await server.call(
        "action_task_status",
        text="How's my CRM task going?",
        intent="task_status",
        entities={"task": "CRM"},
    )
    assert status == 200
    assert body["events"] == [
        {"event": "slot", "timestamp": None, "name": "task", "value": task_id}
    ]
    said = only_response(body)
    *lines, eta = said["text"].split("\n")
    assert lines == SEED_CHAT_ANSWER.split("\n")[:-1]
    assert eta.startswith("ETA: ") and eta.endswith("remaining.")
    titles = [b["title"] for b in said["buttons"]]
    assert titles == ["Pause", "Cancel", "Open progress view"]
    pause, _, view = said["buttons"]
    assert parse_button_payload(pause["payload"]) == {
        "progressbot_action": "pause",
        "progressbot_task_id": task_id,
    }
    assert task_id in view["url"]


async def test_the_task_slot_is_used_when_no_entity_names_one(server: ActionServer) -> None:
    task_id = await seed_task(server.services)
    await server.services.tracker.apply(
        task_id,
        [{"type": "log", "step": 2, "level": "info", "message": "Rendering the sales form"}],
    )
    status, body = await server.call(
        "action_task_logs", text="and the logs?", intent="task_logs", slots={"task": task_id}
    )
    assert status == 200
    text = only_response(body)["text"]
    assert text.splitlines()[0] == "📜 Logs for Cellphone Store CRM:"
    assert "INFO [step 2] Rendering the sales form" in text
    assert slot_events(body) == {"task": task_id}


async def test_list_tasks(server: ActionServer) -> None:
    await seed_task(server.services)
    status, body = await server.call("action_list_tasks", text="my tasks", intent="list_tasks")
    assert status == 200
    assert "Cellphone Store CRM" in only_response(body)["text"]
    assert body["events"] == []


async def test_a_stranger_cannot_pause_and_nothing_changes(server: ActionServer) -> None:
    # Carol can follow the task (it reports to her conversation) but it is not hers to steer.
    task_id = await seed_task(server.services, notify=[{"platform": "rasa", "chat": "carol"}])
    status, body = await server.call(
        "action_pause_task", sender="carol", text="pause CRM", entities={"task": task_id}
    )
    assert status == 200
    assert "You can't pause Cellphone Store CRM" in only_response(body)["text"]
    assert await status_of(server.services, task_id) == "running"


async def test_owner_pauses_and_the_resume_button_resumes(server: ActionServer) -> None:
    task_id = await seed_task(server.services)
    _, paused = await server.call("action_pause_task", entities={"task": "CRM"})
    said = only_response(paused)
    assert said["text"] == "⏸ Paused Cellphone Store CRM."
    assert await status_of(server.services, task_id) == "paused"

    resume = next(b for b in said["buttons"] if b["title"] == "Resume")
    _, resumed = await server.press(resume)
    assert only_response(resumed)["text"] == "▶️ Resumed Cellphone Store CRM."
    assert await status_of(server.services, task_id) == "running"

    _, again = await server.call("action_resume_task", slots={"task": task_id})
    assert only_response(again)["text"] == (
        "Cellphone Store CRM is running, not paused, so there is nothing to resume."
    )


async def test_cancel_asks_and_the_yes_button_cancels(server: ActionServer) -> None:
    task_id = await seed_task(server.services)
    status, asked = await server.call(
        "action_cancel_task", text="cancel the CRM task", entities={"task": "CRM"}
    )
    assert status == 200
    question = only_response(asked)
    assert question["text"].startswith("Cancel Cellphone Store CRM?")
    assert [b["title"] for b in question["buttons"]] == ["Yes", "No"]
    assert await status_of(server.services, task_id) == "running"  # nothing before Yes

    # A stranger pressing a forwarded Yes changes nothing.
    _, forged = await server.press(question["buttons"][0], sender="carol")
    assert "You can't cancel Cellphone Store CRM" in only_response(forged)["text"]
    assert await status_of(server.services, task_id) == "running"

    _, done = await server.press(question["buttons"][0])
    assert only_response(done)["text"].startswith("🛑 Cancelled Cellphone Store CRM.")
    assert await status_of(server.services, task_id) == "cancelled"
    assert slot_events(done) == {"task": task_id}


async def test_restart_moves_the_task_slot_to_the_new_attempt(server: ActionServer) -> None:
    task_id = await seed_task(server.services)
    _, asked = await server.call("action_restart_task", entities={"task": "CRM"})
    yes = only_response(asked)["buttons"][0]
    _, done = await server.press(yes)
    new_id = slot_events(done)["task"]
    assert new_id != task_id
    assert (await server.services.queries.snapshot(new_id))["attempt"] == 2
    assert await status_of(server.services, task_id) == "cancelled"


async def test_no_button_changes_nothing(server: ActionServer) -> None:
    task_id = await seed_task(server.services)
    _, asked = await server.call("action_cancel_task", entities={"task": "CRM"})
    no = only_response(asked)["buttons"][1]
    _, dismissed = await server.press(no)
    assert only_response(dismissed)["text"] == "OK, nothing changed."
    assert await status_of(server.services, task_id) == "running"


async def test_approve(server: ActionServer) -> None:
    task_id = await waiting_for_approval(server.services)
    _, refused = await server.call(
        "action_approve_step", sender="carol", entities={"task": task_id}
    )
    assert "not an approver" in only_response(refused)["text"]
    assert await status_of(server.services, task_id) == "approval"

    _, approved = await server.call("action_approve_step", sender="bob", entities={"task": "CRM"})
    assert only_response(approved)["text"] == (
        "✅ Approved Step 3 of Cellphone Store CRM. The task continues."
    )
    assert await status_of(server.services, task_id) == "running"


async def test_reject_with_a_reason_entity_and_the_slot_is_cleared(server: ActionServer) -> None:
    task_id = await waiting_for_approval(server.services)
    _, body = await server.call(
        "action_reject_step",
        sender="bob",
        text="reject the CRM task, the schema is wrong",
        entities={"task": "CRM", "reason": "the schema is wrong"},
    )
    assert only_response(body)["text"] == (
        "❌ Rejected Step 3 of Cellphone Store CRM: the schema is wrong"
    )
    assert slot_events(body) == {"task": task_id, "reason": None}
    snap = await server.services.queries.snapshot(task_id)
    assert snap["status"] == "failed"
    assert snap["approval"] is not None and snap["approval"]["reason"] == "the schema is wrong"


async def test_reject_without_a_reason_asks_and_the_next_message_answers(
    server: ActionServer,
) -> None:
    task_id = await waiting_for_approval(server.services)
    _, asked = await server.call("action_reject_step", sender="bob", slots={"task": task_id})
    assert only_response(asked)["text"] == REASON_QUESTION.format(
        what="Step 3 of Cellphone Store CRM"
    )
    assert await status_of(server.services, task_id) == "approval"

    _, body = await server.call(
        "action_progressbot_chat", sender="bob", text="Too many tables for now"
    )
    assert only_response(body)["text"].endswith(": Too many tables for now")
    assert await status_of(server.services, task_id) == "failed"


async def test_an_explicit_action_is_never_taken_as_the_reject_reason(
    server: ActionServer,
) -> None:
    task_id = await waiting_for_approval(server.services)
    await server.call("action_reject_step", sender="bob", slots={"task": task_id})
    _, body = await server.call("action_task_status", sender="bob", entities={"task": "CRM"})
    assert only_response(body)["text"].startswith(
        "⚠️ Your Cellphone Store CRM task is waiting for approval at Step 3"
    )
    assert await status_of(server.services, task_id) == "approval"

    # The question was dropped, so a later free-text message is not read as a reason either.
    await server.call("action_progressbot_chat", sender="bob", text="Too many tables")
    assert await status_of(server.services, task_id) == "approval"


async def test_reject_button_with_the_reason_slot(server: ActionServer) -> None:
    task_id = await waiting_for_approval(server.services)
    snap = await server.services.queries.snapshot(task_id)
    assert snap["approval"] is not None
    payload = button_payload(Button("Reject", "reject", task_id, str(snap["approval"]["id"])))
    _, body = await server.call(
        "action_progressbot_button",
        sender="bob",
        text=payload,
        entities=parse_button_payload(payload),
        slots={"reason": "Not now"},
    )
    assert only_response(body)["text"] == "❌ Rejected Step 3 of Cellphone Store CRM: Not now"
    assert slot_events(body)["reason"] is None


async def test_a_sender_who_is_not_set_up_is_told_so(server: ActionServer) -> None:
    task_id = await seed_task(server.services)
    status, body = await server.call(
        "action_cancel_task", sender="mallory", entities={"task": "CRM"}
    )
    assert status == 200
    assert "mallory is not set up" in only_response(body)["text"]
    assert body["events"] == []
    assert await status_of(server.services, task_id) == "running"


async def test_a_slack_user_through_rasas_slack_channel_is_their_person(
    server: ActionServer,
) -> None:
    task_id = await seed_task(server.services)
    _, body = await server.call(
        "action_pause_task", sender="U0BOB0001", input_channel="slack", entities={"task": "CRM"}
    )
    assert only_response(body)["text"] == "⏸ Paused Cellphone Store CRM."
    assert await status_of(server.services, task_id) == "paused"
    audit = await server.services.queries.audit(task_id)
    assert [(row["action"], row["by"], row["via"]) for row in audit][-1:] == [
        ("pause", "bob", "rasa")
    ]


async def test_unknown_action_is_rasa_sdks_404(server: ActionServer) -> None:
    status, body = await server.call("action_make_coffee")
    assert status == 404
    assert body == {
        "error": "No registered action found for name 'action_make_coffee'.",
        "action_name": "action_make_coffee",
    }


async def test_missing_domain_is_rasa_sdks_449(server: ActionServer) -> None:
    body = {
        "next_action": "action_task_status",
        "tracker": {"sender_id": "alice"},
        "version": SDK_VERSION,
    }
    status, answer = await server.post(body)
    assert status == 449
    assert answer["action_name"] == "action_task_status"


async def test_a_deflated_call_is_understood(server: ActionServer) -> None:
    await seed_task(server.services)
    call = {
        "next_action": "action_list_tasks",
        "sender_id": "alice",
        "tracker": {"sender_id": "alice", "slots": {}, "latest_message": {}, "events": []},
        "domain": DOMAIN,
        "version": SDK_VERSION,
    }
    status, body = await server.post(
        None,
        data=zlib.compress(json.dumps(call).encode()),
        headers={"Content-Encoding": "deflate", "Content-Type": "application/json"},
    )
    assert status == 200
    assert "Cellphone Store CRM" in only_response(body)["text"]


async def test_an_empty_body_is_rasa_sdks_400(server: ActionServer) -> None:
    status, body = await server.post(None, data=b"")
    assert status == 400
    assert body == {"error": "Invalid body request"}


async def test_health_and_action_list(server: ActionServer) -> None:
    async with server.session.get(server.base + "/health") as resp:
        assert resp.status == 200
        assert await resp.json() == {"status": "ok"}
    async with server.session.get(server.base + "/actions", params={"token": RASA_TOKEN}) as resp:
        names = {item["name"] for item in await resp.json()}
    assert names >= {
        "action_task_status",
        "action_task_logs",
        "action_list_tasks",
        "action_pause_task",
        "action_resume_task",
        "action_cancel_task",
        "action_restart_task",
        "action_approve_step",
        "action_reject_step",
        "action_progressbot_button",
    }


def test_buttons_render_as_rasa_buttons() -> None:
    rendered = render_buttons(
        [
            Button("Yes", "confirm", "abc123", "cancel", "danger"),
            Button("Open progress view", "open", "abc123", url="https://pb.example/tasks/abc123"),
        ]
    )
    assert rendered == [
        {
            "title": "Yes",
            "payload": '/progressbot_button{"progressbot_action":"confirm",'
            '"progressbot_task_id":"abc123","progressbot_arg":"cancel"}',
        },
        {
            "title": "Open progress view",
            "url": "https://pb.example/tasks/abc123",
            "payload": "https://pb.example/tasks/abc123",
        },
    ]
    assert parse_button_payload("/progressbot_button{not json") == {}
    assert parse_button_payload("/greet") == {}


async def test_a_call_without_the_token_is_refused_and_changes_nothing(
    server: ActionServer,
) -> None:
    task_id = await seed_task(server.services)
    before = await status_of(server.services, task_id)
    for params in ({}, {"token": "wrong"}):
        status, body = await server.post(
            {
                "next_action": "action_cancel_task",
                "sender_id": "alice",
                "tracker": {"sender_id": "alice", "slots": {}, "latest_message": {}, "events": []},
                "domain": DOMAIN,
                "version": SDK_VERSION,
            },
            params=params,
        )
        assert status == 401 and "token" in body["error"]
    async with server.session.get(server.base + "/actions") as resp:
        assert resp.status == 401
    async with server.session.get(server.base + "/health") as resp:
        assert resp.status == 200
    assert await status_of(server.services, task_id) == before


PROGRESSBOT = [sys.executable, "-m", "bot.cli"]


def test_without_a_token_the_action_server_will_not_bind_a_public_address(
    tmp_path: Path,
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("console: {enabled: false}\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROGRESSBOT_")}
    done = subprocess.run(
        [*PROGRESSBOT, "--config", str(config), "rasa-actions", "--host", "0.0.0.0"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "rasa.token" in done.stderr

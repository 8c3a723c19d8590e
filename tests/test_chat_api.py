"""The generic chat channel over real HTTP: POST /api/chat and /api/chat/actions."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from bot.cli.server import RunningServer
from intents import INTENT_NAMES
from store.db import Database
from tests.helpers.seed import SEED_CHAT_ANSWER, SEED_CREATE, SEED_EVENTS
from tests.helpers.server import Api, FakeClock, running_server

EXPECTED_INTENTS = {
    "status",
    "list_tasks",
    "logs",
    "why_failed",
    "eta",
    "pause",
    "resume",
    "cancel",
    "restart",
    "retry_step",
    "skip_step",
    "approve",
    "reject",
    "subscribe",
    "mute",
    "unmute",
    "notify_settings",
    "help",
    "greeting",
    "thanks",
    # understood, and handed to the bot as the intent it handles them as (intents.bot_name)
    "who_approves",
    "waiting_on_me",
    "capabilities",
    "notify_channel",
    "history",
    "open_link",
    "unknown",
}


@pytest.fixture
async def server(db: Database) -> AsyncIterator[RunningServer]:
    async with running_server(db, clock=FakeClock()) as srv:
        yield srv


@pytest.fixture
async def api(server: RunningServer) -> AsyncIterator[Api]:
    async with aiohttp.ClientSession() as session:
        yield Api(session, server.url)


async def _seed(api: Api) -> str:
    status, body = await api.post("/api/tasks", json=SEED_CREATE)
    assert status == 201, body
    task_id = str(body["task_id"])
    status, body = await api.post(f"/api/tasks/{task_id}/events", json=SEED_EVENTS)
    assert status == 200, body
    return task_id


async def chat(api: Api, text: str, person: str = "alice") -> dict[str, Any]:
    status, body = await api.post("/api/chat", json={"person": person, "chat": "t1", "text": text})
    assert status == 200, body
    return dict(body)


def test_intent_names_are_the_published_ones() -> None:
    assert set(INTENT_NAMES) == EXPECTED_INTENTS


async def test_seed_question_over_http(api: Api) -> None:
    task_id = await _seed(api)
    body = await chat(api, "How's my CRM task going?")
    assert body["intent"] == "status"
    assert body["task_id"] == task_id
    text = body["reply"]["text"]
    assert text.split("\n")[:-1] == SEED_CHAT_ANSWER.split("\n")[:-1]
    assert text.split("\n")[-1].startswith("ETA: ")
    actions = [b["action"] for b in body["reply"]["buttons"]]
    assert actions == ["pause", "cancel", "open"]
    assert body["reply"]["buttons"][0]["task_id"] == task_id


async def test_pressing_pause_over_http(api: Api) -> None:
    task_id = await _seed(api)
    status, body = await api.post(
        "/api/chat/actions",
        json={"person": "bob", "chat": "t1", "action": "pause", "task_id": task_id},
    )
    assert status == 200, body
    assert body["intent"] == "pause"
    assert body["reply"]["text"] == "⏸ Paused Cellphone Store CRM."
    status, progress = await api.get(f"/api/tasks/{task_id}/progress")
    assert progress["status"] == "paused"


async def test_confirmation_flow_over_http(api: Api) -> None:
    task_id = await _seed(api)
    asked = await chat(api, "cancel the crm task")
    assert asked["intent"] == "cancel"
    yes = next(b for b in asked["reply"]["buttons"] if b["action"] == "confirm")
    status, body = await api.post(
        "/api/chat/actions",
        json={
            "person": "alice",
            "chat": "t1",
            "action": "confirm",
            "task_id": yes["task_id"],
            "arg": yes["arg"],
        },
    )
    assert status == 200, body
    assert body["reply"]["text"] == "🛑 Cancelled Cellphone Store CRM."
    _, progress = await api.get(f"/api/tasks/{task_id}/progress")
    assert progress["status"] == "cancelled"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Status of my CRM task", "status"),
        ("what are my tasks", "list_tasks"),
        ("Show logs for my CRM task", "logs"),
        ("when will the CRM be done?", "eta"),
        ("help", "help"),
        ("hello", "greeting"),
        ("thanks", "thanks"),
        ("flibbertigibbet", "unknown"),
    ],
)
async def test_intents_over_http(api: Api, text: str, intent: str) -> None:
    await _seed(api)
    body = await chat(api, text)
    assert body["intent"] == intent
    assert body["reply"]["text"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"person": "alice"},
        {"text": "hi"},
        {"person": "mallory", "text": "hi"},
        {"person": "alice", "text": "hi", "extra": 1},
        {"person": 5, "text": "hi"},
    ],
)
async def test_bad_chat_bodies_are_4xx(api: Api, body: dict[str, Any]) -> None:
    status, answer = await api.post("/api/chat", json=body)
    assert 400 <= status < 500
    assert "error" in answer


async def test_bad_action_bodies_and_no_token_are_4xx(api: Api) -> None:
    status, _ = await api.post("/api/chat/actions", json={"person": "alice"})
    assert 400 <= status < 500
    status, _ = await api.post("/api/chat", data=b"not json")
    assert 400 <= status < 500
    status, _ = await api.post("/api/chat", json={"person": "alice", "text": "hi"}, token=None)
    assert status == 401


async def test_stranger_pressing_pause_is_refused(api: Api) -> None:
    task_id = await _seed(api)
    status, body = await api.post(
        "/api/chat/actions",
        json={"person": "carol", "chat": "t1", "action": "pause", "task_id": task_id},
    )
    assert status == 200
    assert body["reply"]["kind"] == "error"
    _, progress = await api.get(f"/api/tasks/{task_id}/progress")
    assert progress["status"] == "running"

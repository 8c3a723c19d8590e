"""Whoever pauses, cancels or decides in a chat gets the bot's answer there, not a second
notice of the same thing; every other chat that follows the task is told."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.api.wire import CreateTask
from bot.notify.notifier import Notifier
from bot.services import Services
from bot.types import Action, Message, Target
from bot.wiring import build_services
from store.db import Database
from tests.helpers.memory_adapter import MemoryAdapter
from tests.helpers.seed import SEED_CREATE
from tests.helpers.server import FakeClock, make_config


@pytest.fixture
async def services(db: Database) -> AsyncIterator[Services]:
    built = build_services(make_config(), clock=FakeClock(), database=db)
    built.adapters["memory"] = MemoryAdapter()
    yield built


def memory(services: Services) -> MemoryAdapter:
    adapter = services.adapters["memory"]
    assert isinstance(adapter, MemoryAdapter)
    return adapter


async def seed(services: Services) -> str:
    body = {
        **SEED_CREATE,
        "notify": [
            {"platform": "memory", "chat": "team-room"},
            {"platform": "memory", "chat": "ops"},
        ],
    }
    task_id = await services.tracker.create_task(CreateTask.model_validate(body).to_new_task())
    await services.tracker.apply(task_id, [{"type": "step_started", "step": 1}])
    return task_id


async def test_pausing_in_a_chat_tells_the_other_chats_only(services: Services) -> None:
    await seed(services)
    await Notifier(services).drain()
    assert services.chat is not None
    answer = await services.chat.handle_message(
        Message("pause the crm", Target("memory", "team-room"), "bob", person="bob")
    )
    assert answer.reply.text.startswith("⏸ Paused Cellphone Store CRM")
    await Notifier(services).drain()
    assert isinstance(services.clock, FakeClock)
    services.clock.advance(5)  # past the card's edit interval
    await Notifier(services).drain()
    assert memory(services).notices("ops")[-1] == "⏸ Your CRM task is paused"
    assert "⏸ Your CRM task is paused" not in memory(services).notices("team-room")
    # The room's live card still shows the pause.
    cards = [d for d in memory(services).delivered if d.reply.kind == "card"]
    room_cards = [d.reply for d in cards if d.target.chat == "team-room"]
    assert room_cards[-1].status == "paused"


async def test_an_approval_button_is_answered_where_it_was_pressed(services: Services) -> None:
    task_id = await seed(services)
    await services.tracker.apply(task_id, [{"type": "approval_requested", "step": 1}])
    snap = await services.queries.snapshot(task_id)
    assert snap["approval"] is not None
    assert services.chat is not None
    answer = await services.chat.handle_action(
        Action(
            "approve",
            Target("memory", "ops"),
            "alice",
            person="alice",
            task_id=task_id,
            arg=snap["approval"]["id"],
        )
    )
    assert answer.reply.text.startswith("✅ Approved")
    await Notifier(services).drain()
    assert "✅ Approved by alice" in memory(services).notices("team-room")
    assert "✅ Approved by alice" not in memory(services).notices("ops")

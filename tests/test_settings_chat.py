"""People set their notification preferences in their own words, and the notifier obeys."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.api.wire import CreateTask
from bot.notify.notifier import Notifier
from bot.notify.preferences import parse_settings
from bot.services import Services
from bot.types import Message, Target
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


async def say(services: Services, text: str, *, person: str = "alice", chat: str = "dm") -> str:
    assert services.chat is not None
    answer = await services.chat.handle_message(
        Message(text=text, target=Target("memory", chat), platform_user=person, person=person)
    )
    assert answer.intent == "notify_settings", answer
    return answer.reply.text


@pytest.mark.parametrize(
    ("text", "scope", "changes"),
    [
        ("quiet hours 22:00-07:00", "person", {"quiet_hours": {"start": "22:00", "end": "07:00"}}),
        (
            "quiet hours from 10pm to 7am",
            "person",
            {"quiet_hours": {"start": "22:00", "end": "07:00"}},
        ),
        ("no quiet hours", "person", {"quiet_hours": "off"}),
        (
            "quiet hours here 23:00 to 6:30",
            "chat",
            {"quiet_hours": {"start": "23:00", "end": "06:30"}},
        ),
        (
            "only notify me about failures and completions",
            "person",
            {"events": ["task_failed", "task_completed"]},
        ),
        ("send my notifications by email", "person", {"channels": ["email"]}),
        ("notification settings", "person", {}),
    ],
)
def test_settings_are_read_from_plain_words(
    text: str, scope: str, changes: dict[str, object]
) -> None:
    parsed = parse_settings(text)
    assert (parsed.scope, parsed.changes) == (scope, changes)


async def test_only_failures_and_completions_reach_the_person(services: Services) -> None:
    answer = await say(services, "only notify me about failures and completions")
    assert "• Updates: failures, completions" in answer
    body = {**SEED_CREATE, "notify": [{"platform": "memory", "chat": "dm"}]}
    task_id = await services.tracker.create_task(CreateTask.model_validate(body).to_new_task())
    await services.tracker.apply(task_id, [{"type": "task_started"}])
    await services.tracker.apply(task_id, [{"type": "step_completed", "step": 1}])
    await services.tracker.apply(task_id, [{"type": "task_completed"}])
    await Notifier(services).drain()
    adapter = services.adapters["memory"]
    assert isinstance(adapter, MemoryAdapter)
    assert adapter.notices("dm") == ["✅ Your CRM is ready!"]


async def test_quiet_hours_set_in_chat_hold_notifications(services: Services) -> None:
    clock = services.clock
    assert isinstance(clock, FakeClock)
    answer = await say(services, "quiet hours 22:00-07:00")
    assert "• Quiet hours: 22:00–07:00 (UTC)" in answer
    body = {**SEED_CREATE, "notify": [{"platform": "memory", "chat": "dm"}]}
    task_id = await services.tracker.create_task(CreateTask.model_validate(body).to_new_task())
    clock.set(datetime(2024, 1, 15, 23, 0, tzinfo=UTC))
    await services.tracker.apply(task_id, [{"type": "task_started"}])
    notifier = Notifier(services)
    await notifier.drain()
    adapter = services.adapters["memory"]
    assert isinstance(adapter, MemoryAdapter)
    assert adapter.notices() == []
    clock.set(datetime(2024, 1, 16, 7, 30, tzinfo=UTC))
    await notifier.drain()
    assert adapter.notices() == [
        "🌙 While notifications were quiet you missed 1 update:"
    ]  # the summary

    assert "• Quiet hours: none" in await say(services, "no quiet hours")


async def test_show_settings_changes_nothing(services: Services) -> None:
    answer = await say(services, "notification settings", person="bob")
    assert answer.splitlines()[:4] == [
        "🔔 Notification settings for you:",
        "• Updates: all of them",
        "• Channels: every chat you follow",
        "• Quiet hours: none",
    ]


async def test_a_shared_chats_settings_are_changed_only_by_those_who_steer_its_tasks(
    services: Services,
) -> None:
    channel = Target("slack", "C0CRM")
    body = {**SEED_CREATE, "notify": [{"platform": "slack", "chat": "C0CRM"}]}
    await services.tracker.create_task(CreateTask.model_validate(body).to_new_task())
    assert services.chat is not None

    async def in_channel(text: str, person: str) -> str:
        assert services.chat is not None
        answer = await services.chat.handle_message(
            Message(text=text, target=channel, platform_user=person, person=person)
        )
        return answer.reply.text

    scope = "chat:slack:C0CRM:"
    refused = await in_channel("only notify me about completions here", "carol")
    assert "can't change this chat's settings" in refused
    assert await services.queries.preferences(scope) == {}

    # The owner may; approvals and failures still reach the channel.
    await in_channel("only notify me about completions here", "alice")
    stored = await services.queries.preferences(scope)
    assert {"task_completed", "approval_requested", "task_failed"} <= set(stored["events"])

"""The notifier drains the outbox: seed texts, per-target order, retries, dead letters, cards."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from adapters.base import DeliveryError, MessageGone, SentMessage, TargetGone
from bot.api.wire import CreateTask
from bot.notify.notifier import Notifier
from bot.services import Services
from bot.types import Reply
from bot.types import Target as ChatTarget
from bot.wiring import build_services
from store.db import Database
from store.models import OutboxRow, Target
from tests.helpers.memory_adapter import MemoryAdapter
from tests.helpers.seed import SEED_CREATE
from tests.helpers.server import FakeClock, make_config


@pytest.fixture
async def services(db: Database) -> AsyncIterator[Services]:
    config = make_config("notifications: {card_interval_seconds: 3, max_attempts: 4}\n")
    built = build_services(config, clock=FakeClock(), database=db, with_chat=False)
    built.adapters["memory"] = MemoryAdapter()
    yield built


def adapter_of(services: Services) -> MemoryAdapter:
    adapter = services.adapters["memory"]
    assert isinstance(adapter, MemoryAdapter)
    return adapter


async def create_seed_task(services: Services, *chats: str) -> str:
    body = {**SEED_CREATE, "notify": [{"platform": "memory", "chat": c} for c in chats]}
    return await services.tracker.create_task(CreateTask.model_validate(body).to_new_task())


async def drain_all(notifier: Notifier, clock: FakeClock, rounds: int = 20) -> None:
    """Drain, letting the clock run past backoffs and card intervals, until nothing is due."""
    for _ in range(rounds):
        await notifier.drain()
        clock.advance(400)
    await notifier.drain()


SEED_RUN = [
    [{"type": "task_started"}, {"type": "step_started", "step": 1}],
    [{"type": "step_completed", "step": 1}],
    [{"type": "step_started", "step": 2}, {"type": "step_progress", "step": 2, "percent": 65}],
    [{"type": "step_completed", "step": 2}, {"type": "step_started", "step": 3}],
    [{"type": "approval_requested", "step": 3, "prompt": "Apply indexes?"}],
]


async def test_every_seed_event_reaches_every_target_with_the_seed_text(services: Services) -> None:
    clock = services.clock
    assert isinstance(clock, FakeClock)
    task_id = await create_seed_task(services, "room-1", "room-2")
    notifier = Notifier(services)
    for batch in SEED_RUN:
        await services.tracker.apply(task_id, batch)
        clock.advance(1)
    snap = await services.queries.snapshot(task_id)
    assert snap["approval"] is not None
    await services.tracker.decide(int(snap["approval"]["id"]), "approve", by="alice")
    await services.tracker.apply(
        task_id, [{"type": "step_completed", "step": 3}, {"type": "task_completed"}]
    )
    await drain_all(notifier, clock)

    adapter = adapter_of(services)
    for room in ("room-1", "room-2"):
        notices = adapter.notices(room)
        assert notices == [
            "Your CRM task has started",
            "Step 1 complete: Database created",
            "Step 2 complete: Generate application UI",
            "⚠️ Approval required for Step 3",
            "✅ Approved by alice",
            "Step 3 complete: Add search and filters",
            "✅ Your CRM is ready!",
        ]
    # The live card was posted once per room and edited after that; it ends on the final state.
    cards = [d for d in adapter.delivered if d.reply.kind == "card"]
    for room in ("room-1", "room-2"):
        ops = [d.op for d in cards if d.target.chat == room]
        assert ops[0] == "send" and set(ops[1:]) <= {"edit"}
        last = [d for d in cards if d.target.chat == room][-1]
        assert last.reply.percent == 100 and last.reply.status == "completed"


async def test_failure_is_reported_loudly_with_the_seed_text(services: Services) -> None:
    task_id = await create_seed_task(services, "room-1")
    await services.tracker.apply(
        task_id,
        [{"type": "step_started", "step": 2}, {"type": "step_failed", "step": 2, "error": "boom"}],
    )
    clock = services.clock
    assert isinstance(clock, FakeClock)
    await drain_all(Notifier(services), clock)
    sent = [d.reply for d in adapter_of(services).delivered if d.reply.kind == "notification"]
    failed = [r for r in sent if r.event == "task_failed"]
    assert len(failed) == 1
    assert failed[0].text.splitlines()[0] == "❌ Task failed at Step 2"
    assert failed[0].loud


async def test_five_server_errors_then_success_delivers_once(services: Services) -> None:
    adapter = adapter_of(services)
    adapter.failures["room-1"] = [DeliveryError(f"HTTP 500 #{i}") for i in range(5)]
    services.config.notifications.max_attempts = 8
    task_id = await create_seed_task(services, "room-1")
    await services.tracker.apply(task_id, [{"type": "task_started"}])
    clock = services.clock
    assert isinstance(clock, FakeClock)
    await drain_all(Notifier(services), clock)
    assert adapter.notices("room-1") == ["Your CRM task has started"]
    async with services.db.read() as session:
        rows = list(await session.scalars(select(OutboxRow).where(OutboxRow.kind == "notice")))
    assert [(r.status, r.attempts) for r in rows] == [("sent", 5)]


async def test_rate_limit_is_waited_out_for_its_retry_after(services: Services) -> None:
    adapter = adapter_of(services)
    adapter.failures["room-1"] = [DeliveryError("429 Too Many Requests", retry_after=2)]
    task_id = await create_seed_task(services, "room-1")
    await services.tracker.apply(task_id, [{"type": "task_started"}])
    notifier = Notifier(services)
    clock = services.clock
    assert isinstance(clock, FakeClock)
    await notifier.drain()
    assert adapter.notices() == []
    clock.advance(1)  # still inside Retry-After: nothing is sent, nothing is lost
    await notifier.drain()
    assert adapter.notices() == []
    clock.advance(2)
    await notifier.drain()
    assert adapter.notices() == ["Your CRM task has started"]


async def test_order_per_target_holds_behind_a_failing_notice(services: Services) -> None:
    adapter = adapter_of(services)
    adapter.failures["room-1"] = [DeliveryError("timeout")]
    task_id = await create_seed_task(services, "room-1")
    await services.tracker.apply(task_id, [{"type": "task_started"}])
    await services.tracker.apply(task_id, [{"type": "step_completed", "step": 1}])
    clock = services.clock
    assert isinstance(clock, FakeClock)
    await drain_all(Notifier(services), clock)
    assert adapter.notices("room-1") == [
        "Your CRM task has started",
        "Step 1 complete: Database created",
    ]


async def test_dead_letter_after_max_attempts(services: Services) -> None:
    adapter = adapter_of(services)
    adapter.failures["room-1"] = [DeliveryError("HTTP 502") for _ in range(10)]
    task_id = await create_seed_task(services, "room-1")
    await services.tracker.apply(task_id, [{"type": "task_started"}])
    clock = services.clock
    assert isinstance(clock, FakeClock)
    await drain_all(Notifier(services), clock)
    async with services.db.read() as session:
        notice = await session.scalar(select(OutboxRow).where(OutboxRow.kind == "notice"))
    assert notice is not None
    assert notice.status == "dead" and notice.attempts == 4 and notice.last_error == "HTTP 502"
    assert "progressbot_dead_letters_total" in services.metrics.render().decode()


async def test_a_gone_target_is_disabled_not_retried(services: Services) -> None:
    adapter = adapter_of(services)
    adapter.failures["room-1"] = [TargetGone("channel_not_found")]
    task_id = await create_seed_task(services, "room-1", "room-2")
    await services.tracker.apply(task_id, [{"type": "task_started"}])
    clock = services.clock
    assert isinstance(clock, FakeClock)
    await drain_all(Notifier(services), clock)
    async with services.db.read() as session:
        target = await session.scalar(select(Target).where(Target.chat == "room-1"))
    assert target is not None and target.disabled
    assert target.disabled_reason == "channel_not_found"
    assert adapter.notices("room-2") == ["Your CRM task has started"]
    assert adapter.notices("room-1") == []


async def test_a_storm_of_progress_costs_a_handful_of_card_edits(services: Services) -> None:
    task_id = await create_seed_task(services, "room-1")
    await services.tracker.apply(task_id, [{"type": "step_started", "step": 2}])
    notifier = Notifier(services)
    clock = services.clock
    assert isinstance(clock, FakeClock)
    await notifier.drain()
    for i in range(1000):
        await services.tracker.apply(
            task_id, [{"type": "step_progress", "step": 2, "percent": i // 10}]
        )
        if i % 100 == 99:
            clock.advance(1)  # ten seconds of storm in all
            await notifier.drain()
    clock.advance(5)
    await notifier.drain()
    cards = [d for d in adapter_of(services).delivered if d.reply.kind == "card"]
    assert len(cards) <= 6  # one post, then about one edit per 3 s
    assert cards[-1].reply.percent == (await services.queries.snapshot(task_id))["progress"]


async def test_a_deleted_card_is_posted_again(services: Services) -> None:
    adapter = adapter_of(services)
    task_id = await create_seed_task(services, "room-1")
    notifier = Notifier(services)
    clock = services.clock
    assert isinstance(clock, FakeClock)
    await services.tracker.apply(task_id, [{"type": "task_started"}])
    await notifier.drain()
    adapter.failures["room-1"] = [MessageGone("message_not_found")]
    clock.advance(10)
    await services.tracker.apply(task_id, [{"type": "step_started", "step": 1}])
    await notifier.drain()
    cards = [d.op for d in adapter.delivered if d.reply.kind == "card"]
    assert cards == ["send", "send"]


async def test_a_change_while_the_card_is_being_drawn_is_not_lost(services: Services) -> None:
    """The Tracker writes no new card row while one is pending; the notifier must notice that
    the task moved on while it was sending, and draw the card again."""
    adapter = adapter_of(services)
    task_id = await create_seed_task(services, "room-1")
    await services.tracker.apply(task_id, [{"type": "step_started", "step": 2}])
    tracker = services.tracker
    original_send = adapter.send

    async def send_and_race(target: ChatTarget, reply: Reply) -> SentMessage:
        sent = await original_send(target, reply)
        if reply.kind == "card" and reply.percent != 40:
            await tracker.apply(task_id, [{"type": "progress", "percent": 40}])
        return sent

    adapter.send = send_and_race  # type: ignore[method-assign]
    notifier = Notifier(services)
    clock = services.clock
    assert isinstance(clock, FakeClock)
    await drain_all(notifier, clock)
    cards = [d.reply for d in adapter.delivered if d.reply.kind == "card"]
    assert cards[-1].percent == 40

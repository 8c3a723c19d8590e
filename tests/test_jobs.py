"""Scheduled jobs and preferences: stalls, reminders, check-ins, quiet hours, retention."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, time

import pytest
from sqlalchemy import func, select

from bot.api.wire import CreateTask
from bot.notify.jobs import ScheduledJobs
from bot.notify.notifier import Notifier
from bot.notify.preferences import quiet_until
from bot.services import Services
from bot.wiring import build_services
from store.db import Database
from store.models import OutboxRow, Subscription, Target, TaskProgress
from store.tracker import chat_scope, person_scope
from tests.helpers.memory_adapter import MemoryAdapter
from tests.helpers.seed import SEED_CREATE
from tests.helpers.server import FakeClock, make_config


@pytest.fixture
async def services(db: Database) -> AsyncIterator[Services]:
    config = make_config(
        "notifications: {stall_after_minutes: 10, approval_reminder_minutes: 30,"
        " approval_reminders: 2, checkin_minutes: 10, retention_days: 7}\n"
    )
    built = build_services(config, clock=FakeClock(), database=db, with_chat=False)
    built.adapters["memory"] = MemoryAdapter()
    yield built


def clock_of(services: Services) -> FakeClock:
    assert isinstance(services.clock, FakeClock)
    return services.clock


def memory(services: Services) -> MemoryAdapter:
    adapter = services.adapters["memory"]
    assert isinstance(adapter, MemoryAdapter)
    return adapter


async def seed_task(services: Services, *chats: str, person: str | None = None) -> str:
    """The seed's task notifying `chats` (for the owner, or for `person` when given)."""
    notify = [] if person else [{"platform": "memory", "chat": c} for c in chats]
    body = {**SEED_CREATE, "notify": notify}
    task_id = await services.tracker.create_task(CreateTask.model_validate(body).to_new_task())
    if person:
        for chat in chats:
            await services.tracker.subscribe(task_id, "memory", chat, person=person)
    return task_id


async def notices_written(services: Services, event: str) -> int:
    async with services.db.read() as session:
        count = await session.scalar(
            select(func.count()).select_from(OutboxRow).where(OutboxRow.event == event)
        )
    return int(count or 0)


async def test_a_stalled_step_is_reported_once_per_attempt_even_with_two_workers(
    services: Services,
) -> None:
    task_id = await seed_task(services, "room")
    await services.tracker.apply(task_id, [{"type": "step_started", "step": 2}])
    worker_a, worker_b = ScheduledJobs(services), ScheduledJobs(services)
    clock_of(services).advance(5 * 60)
    assert await worker_a.detect_stalls() == 0  # inside the expected time
    clock_of(services).advance(6 * 60)
    assert await worker_a.detect_stalls() == 1
    assert await worker_b.detect_stalls() == 0  # the other worker finds it done
    assert await worker_a.detect_stalls() == 0
    await Notifier(services).drain()
    assert memory(services).notices() == [
        "Your CRM task has started",
        "⚠ Your CRM task is taking longer than expected",
    ]
    stalled = [d.reply for d in memory(services).delivered if d.reply.event == "task_stalled"]
    assert [b.label for b in stalled[0].buttons][:3] == ["Status", "Logs", "Cancel"]


async def test_the_jobs_look_only_at_tasks_someone_follows(services: Services) -> None:
    # A store full of tasks nobody follows costs the jobs nothing: there is nobody to tell.
    followed = await seed_task(services, "room")
    body = {**SEED_CREATE, "task_id": "alone", "notify": []}
    alone = await services.tracker.create_task(CreateTask.model_validate(body).to_new_task())
    for task_id in (followed, alone):
        await services.tracker.apply(task_id, [{"type": "step_started", "step": 2}])
    clock_of(services).advance(60 * 60)
    queries = services.queries
    assert [s["task_id"] for s in await queries.running_steps()] == [followed]
    cutoff = clock_of(services).now()
    checked = await queries.active_tasks_started_before(cutoff, followed_only=True)
    assert [t["task_id"] for t in checked] == [followed]
    # the long-task e-mail subscribes owners whoever follows the task: it still sees both
    everyone = await queries.active_tasks_started_before(cutoff)
    assert sorted(t["task_id"] for t in everyone) == sorted([followed, alone])
    jobs = ScheduledJobs(services)
    assert await jobs.detect_stalls() == 1 and await jobs.check_in() == 1


async def test_stall_uses_the_steps_history_when_there_is_one(services: Services) -> None:
    clock = clock_of(services)
    earlier = await seed_task(services)
    await services.tracker.apply(earlier, [{"type": "step_started", "step": 1}])
    clock.advance(60)
    await services.tracker.apply(
        earlier, [{"type": "step_completed", "step": 1}, {"type": "task_completed"}]
    )
    body = {**SEED_CREATE, "task_id": "second", "notify": [{"platform": "memory", "chat": "r"}]}
    task_id = await services.tracker.create_task(CreateTask.model_validate(body).to_new_task())
    await services.tracker.apply(task_id, [{"type": "step_started", "step": 1}])
    jobs = ScheduledJobs(services)
    clock.advance(100)  # 1.7 × the usual 60 s: not yet
    assert await jobs.detect_stalls() == 0
    clock.advance(30)  # 2.2 ×
    assert await jobs.detect_stalls() == 1


async def test_approvers_are_reminded_a_bounded_number_of_times(services: Services) -> None:
    task_id = await seed_task(services, "room")
    await services.tracker.apply(task_id, [{"type": "approval_requested", "step": 3}])
    jobs = ScheduledJobs(services)
    clock = clock_of(services)
    for _ in range(6):  # three hours of waiting
        clock.advance(30 * 60)
        await jobs.remind_approvers()
    assert await notices_written(services, "approval_reminder") == 2
    await Notifier(services).drain()
    assert "⏰ Reminder: approval required for Step 3" in memory(services).notices()


async def test_long_tasks_get_periodic_check_ins(services: Services) -> None:
    task_id = await seed_task(services, "room")
    await services.tracker.apply(task_id, [{"type": "task_started"}])
    jobs = ScheduledJobs(services)
    clock = clock_of(services)
    clock.advance(9 * 60)
    assert await jobs.check_in() == 0
    clock.advance(2 * 60)
    assert await jobs.check_in() == 1
    assert await jobs.check_in() == 0
    clock.advance(10 * 60)
    assert await jobs.check_in() == 1
    await Notifier(services).drain()
    checkins = [n for n in memory(services).notices() if n.startswith("📊 Check-in")]
    assert checkins == ["📊 Check-in: your CRM task is 0% complete"] * 2


async def test_chat_preferences_filter_events_and_channels(services: Services) -> None:
    task_id = await seed_task(services, "quiet-room", "busy-room")
    await services.tracker.set_preferences(
        chat_scope("memory", "quiet-room"), events=["task_completed", "task_failed"]
    )
    await services.tracker.apply(task_id, [{"type": "task_started"}])
    await services.tracker.apply(task_id, [{"type": "task_completed"}])
    await Notifier(services).drain()
    assert memory(services).notices("quiet-room") == ["✅ Your CRM is ready!"]
    assert memory(services).notices("busy-room") == [
        "Your CRM task has started",
        "✅ Your CRM is ready!",
    ]


async def test_a_person_who_only_wants_email_gets_no_chat_pushes(services: Services) -> None:
    task_id = await seed_task(services, "dm-bob", person="bob")
    await services.tracker.set_preferences(person_scope("bob"), channels=["email"])
    await services.tracker.apply(task_id, [{"type": "task_started"}])
    await Notifier(services).drain()
    assert memory(services).notices("dm-bob") == []


async def test_quiet_hours_hold_messages_and_deliver_one_summary(services: Services) -> None:
    clock = clock_of(services)
    clock.set(datetime(2024, 1, 15, 21, 0, tzinfo=UTC))
    await services.tracker.set_preferences(
        chat_scope("memory", "night-owl"), quiet_hours={"start": "22:00", "end": "07:00"}
    )
    task_id = await seed_task(services, "night-owl")
    notifier = Notifier(services)
    await services.tracker.apply(task_id, [{"type": "task_started"}])
    await notifier.drain()
    assert memory(services).notices() == ["Your CRM task has started"]

    clock.set(datetime(2024, 1, 15, 23, 30, tzinfo=UTC))
    notifier.quiet.forget()
    await services.tracker.apply(task_id, [{"type": "step_completed", "step": 1}])
    await services.tracker.apply(task_id, [{"type": "approval_requested", "step": 2}])
    await notifier.drain()
    clock.advance(3600)
    await notifier.drain()
    assert memory(services).notices() == ["Your CRM task has started"]  # nothing at night

    clock.set(datetime(2024, 1, 16, 7, 1, tzinfo=UTC))
    await notifier.drain()
    summary = [d.reply for d in memory(services).delivered if d.reply.event == "quiet_summary"]
    assert len(summary) == 1
    assert summary[0].text.splitlines() == [
        "🌙 While notifications were quiet you missed 2 updates:",
        "• Step 1 complete: Database created",
        "• ⚠️ Approval required for Step 2",
    ]
    await notifier.drain()
    assert len([d for d in memory(services).delivered if d.reply.event == "quiet_summary"]) == 1


def test_quiet_until_spans_midnight_in_the_persons_time_zone() -> None:
    from zoneinfo import ZoneInfo

    hours = (time(22, 0), time(7, 0))
    berlin = ZoneInfo("Europe/Berlin")
    # 21:30 UTC is 22:30 in Berlin in January: quiet until 07:00 Berlin, 06:00 UTC.
    now = datetime(2024, 1, 15, 21, 30, tzinfo=UTC)
    assert quiet_until(now, hours, berlin) == datetime(2024, 1, 16, 6, 0, tzinfo=UTC)
    assert quiet_until(datetime(2024, 1, 15, 12, 0, tzinfo=UTC), hours, berlin) is None
    lunch = (time(12, 0), time(13, 0))
    assert quiet_until(datetime(2024, 1, 15, 12, 30, tzinfo=UTC), lunch, ZoneInfo("UTC")) == (
        datetime(2024, 1, 15, 13, 0, tzinfo=UTC)
    )


async def test_long_tasks_subscribe_the_owners_email(db: Database) -> None:
    config = make_config(
        "email: {enabled: true, host: 127.0.0.1, port: 2525, from_address: bot@example.com,"
        " starttls: false}\n"
    )
    services = build_services(config, clock=FakeClock(), database=db, with_chat=False)
    task_id = await seed_task(services)
    await services.tracker.apply(task_id, [{"type": "task_started"}])
    jobs = ScheduledJobs(services)
    clock_of(services).advance(5 * 60)
    assert await jobs.email_long_tasks() == 0
    clock_of(services).advance(6 * 60)
    assert await jobs.email_long_tasks() == 1
    assert await jobs.email_long_tasks() == 0
    async with services.db.read() as session:
        rows = list(
            await session.execute(
                select(Target.platform, Target.chat, Subscription.events).join(
                    Subscription, Subscription.target_id == Target.id
                )
            )
        )
    assert rows == [
        ("email", "alice@example.com", ["approval_requested", "task_completed", "task_failed"])
    ]


async def test_retention_forgets_old_history_but_keeps_the_task(services: Services) -> None:
    task_id = await seed_task(services, "room")
    await services.tracker.apply(task_id, [{"type": "task_started"}, {"type": "task_completed"}])
    await Notifier(services).drain()
    clock_of(services).advance(8 * 86400)
    counts = await ScheduledJobs(services).retention()
    assert counts["outbox"] >= 2 and counts["history"] > 0
    async with services.db.read() as session:
        left = await session.scalar(select(func.count()).select_from(TaskProgress))
    assert left == 0
    snap = await services.queries.snapshot(task_id)
    assert snap["status"] == "completed" and snap["progress"] == 100

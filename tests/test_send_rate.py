"""Sending at the platform's rate: the running notifier drains chats side by side, so a chat
that is ready is never held behind another chat's paced backlog (Telegram takes one message a
second in a chat, and the fake refuses anything faster)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from adapters.slack.ratelimit import Pacer
from adapters.telegram import FloodControl, TelegramAdapter
from bot.cli.server import RunningServer
from bot.notify.notifier import Notifier
from store.db import Database
from store.outbox import Outbox
from store.tracker import NewStep, NewTask, Tracker
from tests.fakes.telegram import FakeTelegram
from tests.helpers.server import FakeClock, make_config, running_server

BACKLOG = 6


@asynccontextmanager
async def flood_limited(db: Database) -> AsyncIterator[tuple[FakeTelegram, RunningServer]]:
    async with FakeTelegram(enforce_flood=True) as fake:
        config = make_config(
            f"telegram: {{enabled: true, mode: polling, token: '{fake.token}', "
            f"api_url: '{fake.api_url}'}}\n"
            "notifications: {card_interval_seconds: 0, max_attempts: 5}\n"
        )
        async with running_server(db, config=config, clock=FakeClock()) as server:
            assert isinstance(server.services.adapters["telegram"], TelegramAdapter)
            yield fake, server


async def test_a_ready_chats_first_notice_is_not_held_behind_a_paced_backlog(
    db: Database,
) -> None:
    busy, ready = "300000001", "300000002"
    async with flood_limited(db) as (fake, server):
        tracker = server.services.tracker
        tracker.notify_events = tracker.notify_events | {"task_checkin"}
        for task_id, chat in (("busy", busy), ("ready", ready)):
            await tracker.create_task(
                NewTask(
                    title=f"Job {task_id}",
                    steps=(NewStep("Work"),),
                    task_id=task_id,
                    notify=(("telegram", chat, None),),
                )
            )
        # A backlog of check-ins for the busy chat, there before sending starts: Telegram takes
        # one a second in a chat.
        for i in range(BACKLOG):
            await tracker.notify("busy", "task_checkin", {}, once_key=f"c{i}")
        notifier = Notifier(server.services)
        await notifier.start()
        try:
            await fake.wait_for(lambda: len(fake.of("sendMessage", busy)) >= 2)
            # Work for the other chat arrives while the busy one is still being paced.
            await tracker.notify("ready", "task_checkin", {}, once_key="c0")
            await fake.wait_for(lambda: fake.of("sendMessage", ready), timeout=30)
            await fake.wait_for(lambda: len(fake.of("sendMessage", busy)) >= BACKLOG)
        finally:
            await notifier.stop()

    ready_calls = fake.of("sendMessage", ready)
    busy_calls = fake.of("sendMessage", busy)
    assert [c for c in fake.calls if c.status == 429] == []
    assert len(busy_calls) == BACKLOG  # every check-in, each once
    (ready_call,) = ready_calls
    assert "Job ready" in str(ready_call.params.get("text"))
    # The ready chat's notice went out while the busy chat still had check-ins waiting: it
    # was not held until the busy chat's backlog was through.
    later = [c for c in busy_calls if c.at > ready_call.at]
    assert len(later) >= 2


async def test_a_paced_chat_is_left_to_its_last_sender_until_it_may_take_more(
    db: Database,
) -> None:
    """The release records when the chat takes its next message: another worker leases it only
    from then on, while the worker that sent there last (its limiter knows the chat) may."""
    clock = FakeClock()
    tracker = Tracker(db, notify_events={"task_checkin"}, clock=clock.now)
    await tracker.create_task(
        NewTask(
            title="Paced",
            steps=(NewStep("Work"),),
            task_id="paced",
            notify=(("telegram", "300000009", None),),
        )
    )
    await tracker.notify("paced", "task_checkin", {}, once_key="c0")
    outbox = Outbox(db)
    now = clock.now()
    (lease,) = await outbox.lease_targets("worker-a", now=now, lease_seconds=30)
    # Worker A sent one message; the platform takes the next one in 20 s (a flood-wait).
    await outbox.release(lease.target_id, "worker-a", next_send_at=now + timedelta(seconds=20))

    assert await outbox.lease_targets("worker-b", now=now, lease_seconds=30) == []
    (row,) = await outbox.list_rows(["pending"], now=now)
    assert row["reason"] == "the chat takes its next message at 2024-01-15 10:00:20Z"
    later = now + timedelta(seconds=21)
    (by_b,) = await outbox.lease_targets("worker-b", now=later, lease_seconds=30)
    assert by_b.target_id == lease.target_id
    await outbox.release(lease.target_id, "worker-b", next_send_at=later + timedelta(seconds=20))
    # The last sender may lease it again at once: its own limiter paces the chat.
    (again,) = await outbox.lease_targets("worker-b", now=later, lease_seconds=30)
    assert again.target_id == lease.target_id


async def test_a_slack_channel_is_handed_over_only_once_its_post_burst_has_refilled() -> None:
    """Another worker starts with full buckets: it may take a channel over once ours for that
    channel is full again, or when a Retry-After ends, whichever is later."""
    now = [100.0]
    pacer = Pacer(time=lambda: now[0])
    assert pacer.settled_in("C1") == 0.0  # never sent there
    for _ in range(3):  # the post burst, at once
        await pacer.wait("post", "C1")
    assert pacer.settled_in("C1") == 3.0  # one a second refills three
    assert pacer.settled_in("C2") == 0.0  # other channels are not held
    now[0] += 1.0
    assert pacer.settled_in("C1") == 2.0
    pacer.pause("update", "C1", 30.0)  # Slack said Retry-After 30 for chat.update
    assert pacer.settled_in("C1") == 30.0


async def test_live_cards_wait_while_notices_queue_for_the_overall_budget(db: Database) -> None:
    """A card is redrawn from the newest state whenever it goes, a notice is news: while
    notices queue for the overall budget, the cards wait and the notices take the slots."""
    chats = [str(310000000 + n) for n in range(8)]
    checkins = 2
    async with FakeTelegram() as fake:
        config = make_config(
            f"telegram: {{enabled: true, mode: polling, token: '{fake.token}', "
            f"api_url: '{fake.api_url}'}}\n"
            "notifications: {card_interval_seconds: 0, max_attempts: 5}\n"
        )
        async with running_server(db, config=config) as server:
            adapter = server.services.adapters["telegram"]
            assert isinstance(adapter, TelegramAdapter)
            # An overall budget of 3 a second, so eight chats' notices queue for it.
            adapter.flood = FloodControl(chat_interval=0.0, overall_per_second=3)
            tracker = server.services.tracker
            tracker.notify_events = tracker.notify_events | {"task_checkin"}
            await tracker.create_task(
                NewTask(
                    title="Queued",
                    steps=(NewStep("Work"),),
                    task_id="queued",
                    notify=tuple(("telegram", chat, None) for chat in chats),
                )
            )
            # Each chat: the "started" notice, its live card, then check-ins, in that order.
            await tracker.apply("queued", [{"type": "task_started"}])
            for i in range(checkins):
                await tracker.notify("queued", "task_checkin", {}, once_key=f"c{i}")
            notifier = Notifier(server.services)
            await notifier.start()
            try:
                total = len(chats) * (2 + checkins)
                await fake.wait_for(lambda: len(fake.of("sendMessage")) >= total, timeout=60)
            finally:
                await notifier.stop()

    texts = [str(c.params.get("text")) for c in fake.of("sendMessage")]
    is_card = [t.startswith("<b>Queued</b>") for t in texts]
    assert sum(is_card) == len(chats)  # every chat got its card, once
    notices = len(chats) * (1 + checkins)
    # Sent in row order per chat, the first card would go out second in its chat, among the
    # first few calls; held back, it goes once the notices' queue is (nearly) through.
    assert is_card.index(True) >= notices - 3

"""Nothing in the outbox blocks anything else: a notice held for quiet hours holds only itself,
turning quiet hours off (or their end) releases what was held as one summary, targets whose
channel is not running are parked without taking lease slots, and the oldest due work goes first.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update

from adapters.base import SentMessage
from bot.cli.server import RunningServer
from bot.notify.notifier import LEASE_SECONDS, Notifier
from bot.types import Reply, Target
from store.db import Database
from store.models import OutboxRow
from store.models import Target as TargetRow
from store.outbox import Outbox
from store.tracker import person_scope
from tests.helpers.memory_adapter import MemoryAdapter
from tests.helpers.seed import SEED_CREATE
from tests.helpers.server import Api, FakeClock, make_config, running_server

LATE_EVENING = datetime(2024, 1, 15, 22, 5, 0, tzinfo=UTC)  # alice's zone is UTC here


@asynccontextmanager
async def server_with_memory(
    db: Database, clock: FakeClock
) -> AsyncIterator[tuple[RunningServer, Api, MemoryAdapter]]:
    import aiohttp

    config = make_config("notifications: {card_interval_seconds: 0, max_attempts: 4}\n")
    async with running_server(db, config=config, clock=clock) as server:
        adapter = MemoryAdapter()
        server.services.adapters["memory"] = adapter
        async with aiohttp.ClientSession() as session:
            yield server, Api(session, server.url), adapter


async def create(api: Api, task_id: str, notify: list[dict[str, Any]]) -> None:
    status, body = await api.post(
        "/api/tasks", {**SEED_CREATE, "task_id": task_id, "notify": notify}
    )
    assert status == 201, body


async def send(api: Api, task_id: str, *events: dict[str, Any]) -> None:
    status, body = await api.post(f"/api/tasks/{task_id}/events", list(events))
    assert status == 200, body


def cards(adapter: MemoryAdapter, chat: str) -> list[str]:
    return [
        d.reply.text
        for d in adapter.delivered
        if d.reply.kind != "notification" and d.target.chat == chat
    ]


async def test_quiet_hours_hold_notices_only_and_turning_them_off_releases_them(
    db: Database,
) -> None:
    clock = FakeClock(LATE_EVENING)
    async with server_with_memory(db, clock) as (server, api, adapter):
        await server.services.tracker.set_preferences(
            person_scope("alice"), quiet_hours={"start": "22:00", "end": "07:00"}
        )
        await create(api, "quiet1", [{"platform": "memory", "chat": "room"}])
        notifier = Notifier(server.services)
        await send(api, "quiet1", {"type": "task_started"}, {"type": "step_started", "step": 1})
        await notifier.drain()
        await send(api, "quiet1", {"type": "step_completed", "step": 1})
        clock.advance(5)
        await notifier.drain()
        clock.advance(5)
        await notifier.drain()

        # Notices are held, but the live card keeps moving: it shows step 1 done.
        assert adapter.notices("room") == []
        assert cards(adapter, "room"), "the card must not freeze behind a held notice"
        assert "25%" in cards(adapter, "room")[-1]

        # Quiet hours off: what was held goes out at once as one summary, then the rest in order.
        await server.services.tracker.set_preferences(person_scope("alice"), quiet_hours="off")
        await notifier.drain()
        notices = adapter.notices("room")
        assert notices == ["🌙 While notifications were quiet you missed 2 updates:"]
        await send(api, "quiet1", {"type": "step_started", "step": 2})
        await send(api, "quiet1", {"type": "step_completed", "step": 2})
        await notifier.drain()
        assert adapter.notices("room")[-1].startswith("Step 2 complete")
        async with db.read() as session:
            waiting = list(
                await session.scalars(select(OutboxRow.id).where(OutboxRow.status == "pending"))
            )
        assert waiting == []


async def test_the_end_of_quiet_hours_sends_one_summary_and_later_notices_flow(
    db: Database,
) -> None:
    clock = FakeClock(LATE_EVENING)
    async with server_with_memory(db, clock) as (server, api, adapter):
        await server.services.tracker.set_preferences(
            person_scope("alice"), quiet_hours={"start": "22:00", "end": "07:00"}
        )
        await create(api, "quiet2", [{"platform": "memory", "chat": "room"}])
        notifier = Notifier(server.services)
        await send(api, "quiet2", {"type": "task_started"}, {"type": "step_completed", "step": 1})
        await notifier.drain()
        assert adapter.notices("room") == []

        clock.set(datetime(2024, 1, 16, 7, 0, 1, tzinfo=UTC))
        await notifier.drain()
        assert len(adapter.notices("room")) == 1  # one summary of both notices
        summary = next(d for d in adapter.delivered if d.reply.kind == "notification").reply.text
        assert "started" in summary and "Step 1" in summary
        await send(api, "quiet2", {"type": "step_completed", "step": 2})
        await notifier.drain()
        assert adapter.notices("room")[-1].startswith("Step 2 complete")


async def test_unservable_targets_are_parked_and_take_no_lease_slots(db: Database) -> None:
    clock = FakeClock()
    async with server_with_memory(db, clock) as (server, api, adapter):
        # A misspelled platform is refused at the door, naming the target; nothing is written.
        status, refused = await api.post(
            "/api/tasks",
            {
                "task_id": "typo",
                "title": "T",
                "steps": ["a"],
                "notify": [{"platform": "slakc", "chat": "C1"}],
            },
        )
        assert status == 422 and refused["error"]["message"].startswith("notify.0.platform")
        # Sixty targets nobody can serve here: e-mail, Telegram and Slack are switched off.
        for n in range(20):
            await create(
                api,
                f"dead{n}",
                [
                    {"platform": "email", "chat": f"x{n}@example.com"},
                    {"platform": "telegram", "chat": str(1000 + n)},
                    {"platform": "slack", "chat": f"C{n}"},
                ],
            )
            await send(api, f"dead{n}", {"type": "task_started"})
        clock.advance(1)
        await create(api, "live", [{"platform": "memory", "chat": "room"}])
        await send(api, "live", {"type": "task_started"})

        outbox = Outbox(db)
        leases = await outbox.lease_targets(
            "probe", now=clock.now(), lease_seconds=1, limit=50, platforms={"memory"}
        )
        assert [lease.platform for lease in leases] == ["memory"]
        await outbox.release(leases[0].target_id, "probe")

        await Notifier(server.services).drain()
        assert adapter.notices("room") == ["Your CRM task has started"]

        # Nothing was lost: the parked rows wait, and say why.
        rows = await outbox.list_rows(["pending"], now=clock.now(), running={"memory"})
        parked = [r for r in rows if r["target"].startswith(("email", "telegram", "slack"))]
        assert len(parked) == 120  # a card and a notice each
        assert all(r["reason"].startswith("channel not running") for r in parked)


async def test_leasing_serves_the_oldest_due_work_first_whatever_the_target_ids(
    db: Database,
) -> None:
    clock = FakeClock()
    async with server_with_memory(db, clock) as (_server, api, _adapter):
        # Targets created later (higher ids) with older work must not wait behind younger work.
        for n in range(3):
            await create(api, f"t{n}", [{"platform": "memory", "chat": f"room{n}"}])
        for n in (2, 1, 0):
            await send(api, f"t{n}", {"type": "task_started"})
            clock.advance(1)
        outbox = Outbox(db)
        async with db.read() as session:
            oldest_target = await session.scalar(
                select(OutboxRow.target_id).order_by(OutboxRow.next_attempt_at).limit(1)
            )
        # Make the first-created targets' rows the youngest.
        leases = await outbox.lease_targets(
            "probe", now=clock.now(), lease_seconds=1, limit=1, platforms={"memory"}
        )
        assert leases[0].target_id == oldest_target
        assert leases[0].chat == "room2"


def progressbot(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def tonight() -> datetime:
    """22:05 UTC today: its quiet hours end tomorrow at 07:00, after the real now."""
    return datetime.now(UTC).replace(hour=22, minute=5, second=0, microsecond=0)


async def _seed_rows(url: str) -> tuple[int, int]:
    db = Database(url)
    await db.upgrade()
    clock = FakeClock(tonight())
    async with server_with_memory(db, clock) as (server, api, _adapter):
        await server.services.tracker.set_preferences(
            person_scope("alice"), quiet_hours={"start": "22:00", "end": "07:00"}
        )
        await create(
            api,
            "cli1",
            [{"platform": "memory", "chat": "room"}, {"platform": "telegram", "chat": "42"}],
        )
        await send(api, "cli1", {"type": "task_started"})
        await Notifier(server.services).drain()
        async with db.read() as session:
            held = await session.scalar(select(OutboxRow.id).where(OutboxRow.held.is_(True)))
            other = await session.scalar(select(func_max_id()).where(OutboxRow.status == "pending"))
    await db.dispose()
    assert held is not None and other is not None
    return held, other


def func_max_id() -> Any:
    from sqlalchemy import func

    return func.max(OutboxRow.id)


def test_outbox_list_says_why_rows_wait_and_retry_drop_refuse_with_reasons(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'store.db'}"
    config = tmp_path / "config.yaml"
    config.write_text(f"store: {{url: '{url}'}}\nconsole: {{enabled: false}}\n")
    held, _other = asyncio.run(_seed_rows(url))

    listed = progressbot(config, "outbox", "list", "--status", "pending")
    assert listed.returncode == 0, listed.stderr
    assert "why" in listed.stdout.splitlines()[0]
    ends = (tonight() + timedelta(days=1)).strftime("%Y-%m-%d 07:00")
    assert f"held for quiet hours until {ends}" in listed.stdout
    assert "channel not running (telegram)" in listed.stdout

    retried = progressbot(config, "outbox", "retry", str(held))
    assert retried.returncode != 0
    assert f"row {held}: is pending, not dead" in retried.stderr

    dropped = progressbot(config, "outbox", "drop", "999999")
    assert dropped.returncode != 0
    assert "row 999999: no such notification" in dropped.stderr


async def test_any_pending_sees_a_waiting_notice_and_not_a_sent_one(db: Database) -> None:
    clock = FakeClock(LATE_EVENING)
    outbox = Outbox(db)
    async with server_with_memory(db, clock) as (server, api, adapter):
        assert await outbox.any_pending() is False
        await create(api, "idle1", [{"platform": "memory", "chat": "c-idle"}])
        await send(api, "idle1", {"type": "task_started"})
        assert await outbox.any_pending() is True  # the notice waits to go
        await Notifier(server.services).drain()
        assert adapter.notices("c-idle"), "the notice went out"
        async with db.read() as session:
            statuses = set(await session.scalars(select(OutboxRow.status)))
        assert statuses and "pending" not in statuses
        assert await outbox.any_pending() is False  # sent rows wait for nothing


class _StallingAdapter(MemoryAdapter):
    """Each send takes the clock past a lease renewal; the second lets another worker take the
    chat, as if the lease had run out while that send stalled."""

    def __init__(self, clock: FakeClock, db: Database) -> None:
        super().__init__()
        self.clock, self.db = clock, db

    async def send(self, target: Target, reply: Reply) -> SentMessage:
        sent = await super().send(target, reply)
        self.clock.advance(LEASE_SECONDS / 2)
        if len(self.delivered) == 2:
            async with self.db.write() as session:
                await session.execute(
                    update(TargetRow).values(
                        lease_owner="worker-b",
                        lease_until=self.clock.now() + timedelta(seconds=LEASE_SECONDS),
                    )
                )
        return sent


async def test_a_worker_that_lost_its_lease_mid_drain_stops_sending_to_that_chat(
    db: Database,
) -> None:
    clock = FakeClock()
    async with server_with_memory(db, clock) as (server, api, _):
        adapter = _StallingAdapter(clock, db)
        server.services.adapters["memory"] = adapter
        await create(api, "lease1", [{"platform": "memory", "chat": "room"}])
        await send(
            api,
            "lease1",
            {"type": "task_started"},
            {"type": "step_completed", "step": 1},
            {"type": "step_completed", "step": 2},
            {"type": "task_failed", "error": "disk full"},
        )
        await Notifier(server.services, worker_id="worker-a").drain()

        # Worker A sent what it had begun, then saw at its renewal that the chat is B's now.
        assert len(adapter.delivered) == 2
        async with db.read() as session:
            pending = await session.scalar(
                select(func.count()).select_from(OutboxRow).where(OutboxRow.status == "pending")
            )
            owner = await session.scalar(select(TargetRow.lease_owner))
        assert pending and pending > 0, "the rest waits for the worker that holds the chat"
        assert owner == "worker-b", "A gave back no lease that is not its own"

"""Two `progressbot serve` workers on one PostgreSQL share the outbox: 10,000 notifications to
100 inboxes arrive once each, none lost, and every inbox gets its mail in the order written. On
Telegram, with its flood limits enforced, the two together stay within them: no 429 at all."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import subprocess
import sys
import threading
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from store.db import Database
from store.models import OutboxRow, Target
from store.tracker import NewStep, NewTask, Tracker
from tests.conftest import PG_SKIP, PG_URL
from tests.fakes.telegram import FakeTelegram
from tests.helpers.server import BASE_CONFIG
from tests.helpers.smtp_sink import SmtpSink, smtp_sink

ROOT = Path(__file__).resolve().parents[1]
INBOXES = [f"user{n:03d}@example.com" for n in range(100)]
TASKS, CHECKINS_PER_TASK = 10, 10  # each task mails all 100 inboxes: 10 × 10 × 100 = 10,000

STALL_SECONDS = 30
pytestmark = [pytest.mark.skipif(not PG_URL, reason=PG_SKIP), pytest.mark.timeout(600)]


def _dsn(url: str) -> str:
    """An asyncpg DSN for a SQLAlchemy URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
async def fresh_database() -> AsyncIterator[str]:
    """A database of its own: worker processes get it from their config, where no schema fits."""
    assert PG_URL
    name = f"pb_test_{secrets.token_hex(5)}"
    admin = await asyncpg.connect(_dsn(PG_URL))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        # DROP DATABASE has PostgreSQL checkpoint the whole cluster before it answers (seconds,
        # tens of them on a busy machine), and no test needs the answer: the next ones run
        # meanwhile. The interpreter waits for the thread before it exits.
        threading.Thread(target=asyncio.run, args=(drop_database(name),), name=name).start()


async def drop_database(name: str) -> None:
    assert PG_URL
    admin = await asyncpg.connect(_dsn(PG_URL))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with smtp_sink() as running:
        yield running


def loop_time() -> float:
    return asyncio.get_running_loop().time()


def start_worker(config: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "--config", str(config), "serve"],
            cwd=ROOT,
            stdout=out,
            stderr=out,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )


async def test_two_workers_deliver_each_notification_once_in_order(
    tmp_path: Path, fresh_database: str, sink: SmtpSink
) -> None:
    db = Database(fresh_database)
    await db.upgrade()  # once, before the workers start: migrations are not a race to win
    tracker = Tracker(db, notify_events={"task_checkin"})
    workers: list[subprocess.Popen[bytes]] = []
    logs = [tmp_path / "worker-a.log", tmp_path / "worker-b.log"]
    try:
        for n, log in enumerate(logs):
            config = tmp_path / f"worker-{n}.yaml"
            config.write_text(
                BASE_CONFIG + f"store:\n  url: {fresh_database}\n" + sink.config_yaml()
            )
            workers.append(start_worker(config, log))

        started = loop_time()
        # The work arrives while both workers run, so they compete for it.
        for n in range(TASKS):
            task_id = await tracker.create_task(
                NewTask(
                    title=f"Batch job {n}",
                    steps=(NewStep("Crunch"),),
                    task_id=f"job{n}",
                    notify=tuple(("email", inbox, None) for inbox in INBOXES),
                )
            )
            for i in range(CHECKINS_PER_TASK):
                await tracker.notify(task_id, "task_checkin", {}, once_key=f"checkin-{i}")
        async with db.read() as session:
            written = set(await session.scalars(select(OutboxRow.id)))
        assert len(written) == TASKS * CHECKINS_PER_TASK * len(INBOXES)
        print(f"work written in {loop_time() - started:.1f}s; {sink.count()} delivered so far")

        # Wait while mail keeps arriving: the test fails once STALL_SECONDS pass without one,
        # however slow a busy machine makes the whole run.
        loop = asyncio.get_running_loop()
        delivered, last_arrival = sink.count(), loop.time()
        while sink.count() < len(written) and loop.time() - last_arrival < STALL_SECONDS:
            assert all(w.poll() is None for w in workers), [log.read_text()[-2000:] for log in logs]
            await asyncio.sleep(0.2)
            if sink.count() > delivered:
                delivered, last_arrival = sink.count(), loop.time()
        print(f"all delivered after {loop_time() - started:.1f}s")
        await sink.wait_quiet(1.0)
        async with db.read() as session:
            # A released target keeps the name of the worker that sent there last.
            senders = Counter(await session.scalars(select(Target.lease_owner)))
        print(f"inboxes last sent to, by worker: {dict(senders)}")
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
        await db.dispose()

    mails = sink.messages
    ids = [int(m.header("X-Progressbot-Delivery-Id") or 0) for m in mails]
    counts = Counter(ids)
    print(f"{len(counts)} of {len(written)} notifications delivered by two workers")
    assert set(counts) == set(written)  # none lost, none made up
    assert [i for i, n in counts.items() if n > 1] == []  # none doubled
    by_inbox: dict[str, list[int]] = defaultdict(list)
    for mail, row_id in zip(mails, ids, strict=True):
        (inbox,) = mail.rcpt_tos
        by_inbox[inbox].append(row_id)
    assert sorted(by_inbox) == INBOXES
    for inbox, sequence in by_inbox.items():
        assert len(sequence) == TASKS * CHECKINS_PER_TASK
        assert sequence == sorted(sequence), f"{inbox} got its mail out of order"


FLOOD_CHATS, FLOOD_CHECKINS = 60, 4


async def test_two_workers_keep_to_telegrams_flood_limits_together(
    tmp_path: Path, fresh_database: str
) -> None:
    """Each worker alone keeps to 30 messages a second; two must share that budget (and each
    chat's one a second) through the database, or Telegram answers 429."""
    db = Database(fresh_database)
    await db.upgrade()
    tracker = Tracker(db, notify_events={"task_checkin"})
    chats = [str(5_000_000 + n) for n in range(FLOOD_CHATS)]
    workers: list[subprocess.Popen[bytes]] = []
    logs = [tmp_path / "worker-a.log", tmp_path / "worker-b.log"]
    async with FakeTelegram(enforce_flood=True) as fake:
        try:
            await tracker.create_task(
                NewTask(
                    title="Render",
                    steps=(NewStep("Frames"),),
                    task_id="render",
                    notify=tuple(("telegram", chat, None) for chat in chats),
                )
            )
            for n, log in enumerate(logs):
                config = tmp_path / f"worker-{n}.yaml"
                config.write_text(
                    BASE_CONFIG
                    + f"store:\n  url: {fresh_database}\n"
                    + f"telegram: {{enabled: true, mode: polling, token: '{fake.token}', "
                    f"api_url: '{fake.api_url}'}}\n"
                    + "notifications: {card_interval_seconds: 2, max_attempts: 8}\n"
                )
                workers.append(start_worker(config, log))
            # Both workers run before the burst comes, so both take part in sending it: more
            # than one worker alone may send in a second.
            loop = asyncio.get_running_loop()
            up_by = loop.time() + 60
            while not all("is listening" in log.read_text() for log in logs):
                assert loop.time() < up_by, [log.read_text()[-2000:] for log in logs]
                assert all(w.poll() is None for w in workers)
                await asyncio.sleep(0.2)
            for i in range(FLOOD_CHECKINS):
                await tracker.notify("render", "task_checkin", {}, once_key=f"c{i}")

            deadline = loop.time() + 120
            while loop.time() < deadline:
                assert all(w.poll() is None for w in workers), [
                    log.read_text()[-2000:] for log in logs
                ]
                async with db.read() as session:
                    pending = await session.scalar(
                        select(func.count()).where(OutboxRow.status != "sent")
                    )
                if not pending:
                    break
                await asyncio.sleep(0.2)
            await asyncio.sleep(1.0)  # anything sent twice would arrive by now
        finally:
            for worker in workers:
                worker.send_signal(signal.SIGTERM)
            for worker in workers:
                try:
                    worker.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    worker.kill()
            async with db.read() as session:
                statuses = Counter(await session.scalars(select(OutboxRow.status)))
                # A released target keeps the name of the worker that sent there last.
                senders = Counter(await session.scalars(select(Target.lease_owner)))
            await db.dispose()

    assert set(statuses) == {"sent"}, statuses  # every row went out, none dead
    refused = [(c.method, c.chat, c.description) for c in fake.calls if c.status == 429]
    assert refused == []
    # Exactly once: each chat got each of its check-ins, nothing twice.
    per_chat = Counter(c.chat for c in fake.of("sendMessage"))
    assert per_chat == {chat: FLOOD_CHECKINS for chat in chats}
    print(f"chats last sent to, by worker: {dict(senders)}")

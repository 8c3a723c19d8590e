"""Notifications survive crashes: a worker process is killed with SIGKILL twenty times while it
mails 1,000 notifications; after it is let finish, every one has arrived, and only a row that was
in flight at a kill (at most one per inbox per kill) arrived again."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from store.db import Database
from store.models import OutboxRow
from store.tracker import NewStep, NewTask, Tracker
from tests.helpers.server import BASE_CONFIG
from tests.helpers.smtp_sink import Received, SmtpSink, smtp_sink

ROOT = Path(__file__).resolve().parents[1]
TASKS, NOTICES_PER_TASK, KILLS = 10, 100, 20
INBOXES = ("ops@example.com", "oncall@example.com")

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with smtp_sink() as running:
        # Slow enough that twenty kills land while work is left, fast enough to finish soon.
        running.handler.delay = 0.01
        yield running


async def write_work(url: str) -> int:
    """10 tasks × 100 notices, through the Tracker, each task mailing one of the inboxes."""
    db = Database(url)
    await db.upgrade()
    tracker = Tracker(db, notify_events={"task_checkin"})
    try:
        for n in range(TASKS):
            task_id = await tracker.create_task(
                NewTask(
                    title=f"Batch job {n}",
                    steps=(NewStep("Crunch"),),
                    task_id=f"job{n}",
                    notify=(("email", INBOXES[n % len(INBOXES)], None),),
                )
            )
            for i in range(NOTICES_PER_TASK):
                await tracker.notify(task_id, "task_checkin", {}, once_key=f"checkin-{i}")
        async with db.read() as session:
            return int(await session.scalar(select(func.count(OutboxRow.id))) or 0)
    finally:
        await db.dispose()


class Workers:
    """Notifier workers, each an OS process of its own, forked by one `drain_worker` process
    that imported the code once (see there why)."""

    def __init__(self, config: Path, log: Path) -> None:
        self.forker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.helpers.drain_worker",
                str(config),
                str(log),
                "--lease-seconds",
                "1",
            ],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.running: set[int] = set()

    def start(self) -> int:
        assert self.forker.stdin is not None and self.forker.stdout is not None
        self.forker.stdin.write(b"start\n")
        self.forker.stdin.flush()
        pid = int(self.forker.stdout.readline())
        self.running.add(pid)
        return pid

    def stop(self, pid: int, sig: signal.Signals, timeout: float = 10) -> None:
        """Send `sig` to the worker and return once its process is gone."""
        os.kill(pid, sig)
        deadline = time.monotonic() + timeout
        while alive(pid):
            assert time.monotonic() < deadline, f"worker {pid} outlived {sig.name}"
            time.sleep(0.005)
        self.running.discard(pid)

    def close(self) -> None:
        for pid in list(self.running):
            self.stop(pid, signal.SIGKILL)
        assert self.forker.stdin is not None
        self.forker.stdin.close()
        self.forker.wait(timeout=10)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def wait_for_more(sink: SmtpSink, than: int, timeout: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while sink.count() <= than and loop.time() < deadline:
        await asyncio.sleep(0.01)


async def test_sigkill_twenty_times_loses_nothing(tmp_path: Path, sink: SmtpSink) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'progress.db'}"
    total = await write_work(url)
    assert total == TASKS * NOTICES_PER_TASK
    config = tmp_path / "config.yaml"
    config.write_text(BASE_CONFIG + f"store:\n  url: {url}\n" + sink.config_yaml())
    log = tmp_path / "worker.log"
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    print(f"random seed {seed}")

    workers = Workers(config, log)
    try:
        kills = 0
        for _ in range(KILLS):
            worker = workers.start()
            # Kill at a random point while it is sending (it needs a moment to start up).
            await wait_for_more(sink, sink.count(), timeout=10)
            await asyncio.sleep(rng.uniform(0, 0.3))
            workers.stop(worker, signal.SIGKILL)
            kills += 1
        delivered_before_finish = len({delivery_id(m) for m in sink.messages})
        assert delivered_before_finish < total, "the kills came too late to interrupt anything"

        worker = workers.start()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 60
        while len({delivery_id(m) for m in sink.messages}) < total and loop.time() < deadline:
            await asyncio.sleep(0.1)
        await sink.wait_quiet(0.5)
        workers.stop(worker, signal.SIGTERM)
    finally:
        workers.close()

    mails = sink.messages
    counts = Counter(delivery_id(m) for m in mails)
    duplicates = sum(n - 1 for n in counts.values())
    print(
        f"{len(counts)} of {total} notifications delivered, {duplicates} twice, "
        f"after {kills} kills ({delivered_before_finish} delivered before the last run)"
    )
    assert len(counts) == total, log.read_text()[-3000:]  # none lost
    # A kill can catch one row in flight per inbox (the two inboxes are sent to side by side);
    # a row caught by two kills in a row is sent three times, and counts against both.
    by_inbox = per_inbox(mails)
    for inbox, ids in by_inbox.items():
        # Only the row in flight at a kill is sent again, right after its first copy.
        repeats = [i for i in range(1, len(ids)) if ids[i] == ids[i - 1]]
        assert len(repeats) == len(ids) - len(set(ids)), inbox
        assert len(repeats) <= kills, inbox
        # Each inbox got its notifications in the order they were written.
        firsts = list(dict.fromkeys(ids))
        assert firsts == sorted(firsts), inbox
    db = Database(url)
    try:
        async with db.read() as session:
            unsent = await session.scalar(
                select(func.count(OutboxRow.id)).where(OutboxRow.status != "sent")
            )
    finally:
        await db.dispose()
    assert unsent == 0


def delivery_id(mail: Received) -> int:
    value = mail.header("X-Progressbot-Delivery-Id")
    assert value is not None
    return int(value)


def per_inbox(mails: list[Received]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = defaultdict(list)
    for mail in mails:
        for rcpt in mail.rcpt_tos:
            out[rcpt].append(delivery_id(mail))
    return out

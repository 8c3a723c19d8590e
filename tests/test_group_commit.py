"""Group commit through the real API and store: engine events that arrive together are applied
in one transaction, yet each request is answered for its own events alone, on both stores.

To be sure some requests share one group, a test holds the store's write path (an open write
transaction that locks the first task: on SQLite the one writer's turn, on PostgreSQL that task's
row), sends one request that the writer then waits behind, queues the others while it waits,
and lets go: everything queued becomes the next group.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.cli.server import RunningServer
from store.db import Database
from store.models import LogEntry, OutboxRow, ProcessedEvent, Task, TaskProgress
from store.tracker import TaskChange, group_commit
from tests.helpers.seed import SEED_CREATE
from tests.helpers.server import Api, running_server

ENGINES = 6
EVENTS_PER_ENGINE = 12


@dataclass
class Setup:
    api: Api
    server: RunningServer
    db: Database
    heard: list[TaskChange]


@asynccontextmanager
async def setup(db: Database) -> AsyncIterator[Setup]:
    async with running_server(db) as server, aiohttp.ClientSession() as session:
        heard: list[TaskChange] = []
        server.services.tracker.add_listener(heard.append)
        yield Setup(Api(session, server.url), server, db, heard)


@pytest.fixture
async def s(db: Database) -> AsyncIterator[Setup]:
    """Either store."""
    async with setup(db) as ready:
        yield ready


async def new_task(s: Setup, task_id: str, *, start: bool = True) -> None:
    body = {**SEED_CREATE, "task_id": task_id, "notify": [{"platform": "telegram", "chat": "7"}]}
    status, answer = await s.api.post("/api/tasks", body)
    assert status == 201, answer
    if start:
        status, answer = await s.api.post(f"/api/tasks/{task_id}/events", {"type": "task_started"})
        assert status == 200, answer


async def count(db: Database, model: Any, *where: Any) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def log_lines(db: Database, task_id: str) -> list[str]:
    async with db.read() as session:
        rows = await session.scalars(
            select(LogEntry.message).where(LogEntry.task_id == task_id).order_by(LogEntry.id)
        )
        return list(rows)


async def wait_until(condition: Callable[[], bool]) -> None:
    for _ in range(2000):
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("the requests never queued")


@asynccontextmanager
async def writes_held(s: Setup, task_id: str) -> AsyncIterator[None]:
    """An open write transaction that has locked `task_id`: a batch for that task waits until
    the block ends, and so does every batch queued behind it."""
    async with s.db.write() as session:
        lock = select(Task.id).where(Task.id == task_id)
        if s.db.is_postgres:
            lock = lock.with_for_update()
        await session.execute(lock)
        yield


async def one_group(
    s: Setup, first_task: str, requests: list[tuple[str, Any]]
) -> list[tuple[int, Any]]:
    """Post `requests` (task id, body) so that they form one group, in this order; the answers
    in the same order. A request for `first_task` goes first and waits on the held lock."""
    tracker = s.server.services.tracker
    posts: list[asyncio.Task[tuple[int, Any]]] = []

    def post(task_id: str, body: Any) -> asyncio.Task[tuple[int, Any]]:
        return asyncio.create_task(s.api.post(f"/api/tasks/{task_id}/events", body))

    async with writes_held(s, first_task):
        blocked = post(first_task, {"type": "log", "message": "first in line"})
        # The writer took it and waits on the lock: nothing is queued behind it yet.
        await wait_until(lambda: tracker.events_in_flight == 1 and tracker.events_queued == 0)
        for task_id, body in requests:
            # One at a time, so that the group holds them in this order.
            queued = tracker.events_queued
            posts.append(post(task_id, body))
            await wait_until(lambda queued=queued: tracker.events_queued == queued + 1)  # type: ignore[misc]
    status, answer = await blocked
    assert status == 200, answer
    return list(await asyncio.gather(*posts))


async def alone(s: Setup, task_id: str, body: Any) -> tuple[int, Any]:
    return await s.api.post(f"/api/tasks/{task_id}/events", body)


# ---------------------------------------------------------------------- many engines at once


async def test_many_engines_one_event_per_request_all_answered_and_stored(s: Setup) -> None:
    tasks = [f"engine-{n}" for n in range(ENGINES)]
    for task_id in tasks:
        await new_task(s, task_id)

    async def engine(task_id: str) -> list[tuple[int, Any]]:
        async def send(i: int) -> tuple[int, Any]:
            event: dict[str, Any]
            if i % 2:
                event = {"type": "step_progress", "step": 1, "percent": i}
            else:
                event = {"type": "log", "message": f"{task_id} line {i}"}
            return await alone(s, task_id, {**event, "event_id": f"{task_id}-{i}"})

        # All of an engine's requests at once, as many engines' workers would send them.
        return list(await asyncio.gather(*(send(i) for i in range(EVENTS_PER_ENGINE))))

    results = await asyncio.gather(*(engine(t) for t in tasks))

    for task_id, answers in zip(tasks, results, strict=True):
        assert all(status == 200 for status, _ in answers), answers
        assert all((a["accepted"], a["duplicates"]) == (1, 0) for _, a in answers), answers
        # Each answer carries the version its own change made: one each, none shared.
        versions = sorted(answer["control"]["version"] for _, answer in answers)
        assert versions == list(range(2, EVENTS_PER_ENGINE + 2))
        assert len(await log_lines(s.db, task_id)) == EVENTS_PER_ENGINE // 2
        assert await count(s.db, ProcessedEvent, ProcessedEvent.task_id == task_id) == (
            EVENTS_PER_ENGINE
        )
        progress_rows = TaskProgress.task_id == task_id, TaskProgress.event == "step_progress"
        assert await count(s.db, TaskProgress, *progress_rows) == EVENTS_PER_ENGINE // 2
        assert await count(s.db, OutboxRow, OutboxRow.task_id == task_id) >= 1
        # The listeners heard every change of the task, in the order of its versions.
        heard = [c.version for c in s.heard if c.task_id == task_id and c.version > 1]
        assert heard == list(range(2, EVENTS_PER_ENGINE + 2))


async def test_engines_that_send_again_when_answered_share_the_next_group(
    s: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each engine sends its next event once it has its answer, some a few turns of the event
    # loop later than others (as clients in other processes do, a moment apart): the writer
    # gathers them into one group again rather than starting one for the first to come back.
    # (The waits are wide here, so that a busy machine's pauses between turns of the loop do
    # not end them: what is tested is whom the writer waits for, not how long.)
    monkeypatch.setattr(group_commit, "GATHER_SECONDS", 1.0)
    monkeypatch.setattr(group_commit, "GATHER_AFTER_SECONDS", 5.0)
    tracker = s.server.services.tracker
    tasks = [f"again-{n}" for n in range(4)]
    for task_id in tasks:
        await new_task(s, task_id)
    rounds = 12

    async def engine(number: int, task_id: str) -> None:
        for i in range(rounds):
            applied = await tracker.apply(task_id, [{"type": "log", "message": f"line {i}"}])
            assert applied.accepted == 1
            for _ in range(1 + 3 * number):
                await asyncio.sleep(0)

    before = tracker.event_groups_written
    await asyncio.gather(*(engine(n, t) for n, t in enumerate(tasks)))
    groups = tracker.event_groups_written - before
    # One group a round when they gather; the first back alone and the rest behind it would
    # make two a round.
    assert groups < rounds * 3 // 2, groups
    for task_id in tasks:
        assert await log_lines(s.db, task_id) == [f"line {i}" for i in range(rounds)]


async def test_a_gathering_timer_that_fires_early_waits_out_the_rest(s: Setup) -> None:
    # uvloop, the server's loop, keeps its timers in whole milliseconds: the writer's wait of a
    # millisecond for the last group's callers could end at once. A timer that fires before the
    # wait's end by the system's clock leaves it waiting for the rest.
    committer = s.server.services.tracker._lifecycle.committer
    loop = asyncio.get_running_loop()
    committer._want, committer._enough = 2, loop.create_future()
    deadline = time.monotonic() + 0.02
    committer._gathered(deadline)  # as a timer that fired early would
    assert not committer._enough.done()
    await committer._enough
    assert time.monotonic() >= deadline
    committer._enough = committer._timer = None


# ---------------------------------------------------------------------- refusals in a group


async def test_a_refused_request_in_a_group_refuses_only_itself(s: Setup) -> None:
    for task_id in ("alpha", "beta", "done"):
        await new_task(s, task_id)
    status, _ = await alone(s, "done", {"type": "task_completed"})
    assert status == 200
    bad_step = {"type": "step_progress", "step": 99, "percent": 5}
    ended = {"type": "step_started", "step": 1}
    half_bad = [{"type": "log", "message": "beta: never stored"}, {"type": "wobble"}]

    answers = await one_group(
        s,
        "alpha",
        [
            ("alpha", {"type": "log", "message": "alpha: kept 1"}),
            ("beta", bad_step),
            ("beta", {"type": "log", "message": "beta: kept"}),
            ("done", ended),
            ("nowhere", {"type": "log", "message": "no such task"}),
            ("beta", half_bad),
            ("alpha", {"type": "log", "message": "alpha: kept 2"}),
        ],
    )

    statuses = [status for status, _ in answers]
    assert statuses == [200, 422, 200, 409, 404, 422, 200], answers
    # Each refusal is the one the same request gets alone.
    for index, (task_id, body) in ((1, ("beta", bad_step)), (3, ("done", ended))):
        assert await alone(s, task_id, body) == answers[index]
    _, alone_half_bad = await alone(s, "beta", half_bad)
    assert alone_half_bad["error"] == answers[5][1]["error"]
    assert (await alone(s, "nowhere", {"type": "log", "message": "x"}))[0] == 404
    # The store holds exactly the good ones.
    assert await log_lines(s.db, "alpha") == ["first in line", "alpha: kept 1", "alpha: kept 2"]
    assert await log_lines(s.db, "beta") == ["beta: kept"]
    assert await log_lines(s.db, "done") == []
    progress_rows = TaskProgress.task_id == "beta", TaskProgress.event == "step_progress"
    assert await count(s.db, TaskProgress, *progress_rows) == 0


# ---------------------------------------------------------------------- once only, in order


async def test_the_same_event_id_twice_in_one_group_is_applied_once(s: Setup) -> None:
    await new_task(s, "twice")
    event = {"type": "log", "message": "only once", "event_id": "e-1"}

    answers = await one_group(s, "twice", [("twice", event), ("twice", event)])

    assert [status for status, _ in answers] == [200, 200]
    assert [(a["accepted"], a["duplicates"]) for _, a in answers] == [(1, 0), (0, 1)]
    assert await log_lines(s.db, "twice") == ["first in line", "only once"]
    assert await count(s.db, ProcessedEvent, ProcessedEvent.task_id == "twice") == 1


async def test_two_requests_for_one_task_in_a_group_apply_in_order(s: Setup) -> None:
    await new_task(s, "ordered")
    await new_task(s, "other")

    answers = await one_group(
        s,
        "ordered",
        [
            ("ordered", {"type": "step_progress", "step": 1, "percent": 30}),
            ("other", {"type": "step_progress", "step": 1, "percent": 10}),
            ("ordered", {"type": "step_progress", "step": 1, "percent": 60}),
            ("ordered", {"type": "step_completed", "step": 1}),
        ],
    )

    assert [status for status, _ in answers] == [200, 200, 200, 200], answers
    versions = [answers[i][1]["control"]["version"] for i in (0, 2, 3)]
    assert versions == sorted(versions) and len(set(versions)) == 3
    async with s.db.read() as session:
        history = list(
            await session.execute(
                select(TaskProgress.percent, TaskProgress.event)
                .where(TaskProgress.task_id == "ordered", TaskProgress.step == 1)
                .where(TaskProgress.event.in_(["step_progress", "completed"]))
                .order_by(TaskProgress.id)
            )
        )
    assert [tuple(row) for row in history] == [
        (30, "step_progress"),
        (60, "step_progress"),
        (100, "completed"),
    ]
    status, progress = await s.api.get("/api/tasks/ordered/progress")
    assert status == 200 and progress["steps"][0]["status"] == "completed"
    heard = [c.version for c in s.heard if c.task_id == "ordered"]
    assert heard == sorted(heard)


async def test_one_refusal_between_two_batches_of_a_task_leaves_them_applied_once(
    s: Setup,
) -> None:
    await new_task(s, "solo")

    answers = await one_group(
        s,
        "solo",
        [
            ("solo", {"type": "log", "message": "before", "event_id": "b"}),
            ("solo", {"type": "step_progress", "step": 99, "percent": 1}),
            ("solo", {"type": "log", "message": "after", "event_id": "a"}),
        ],
    )

    assert [status for status, _ in answers] == [200, 422, 200], answers
    assert [answers[i][1]["accepted"] for i in (0, 2)] == [1, 1]
    first, last = (answers[i][1]["control"]["version"] for i in (0, 2))
    assert last == first + 1  # the refused batch took no version
    assert await log_lines(s.db, "solo") == ["first in line", "before", "after"]
    assert await count(s.db, ProcessedEvent, ProcessedEvent.task_id == "solo") == 2
    heard = [c.version for c in s.heard if c.task_id == "solo"]
    assert heard == sorted(set(heard))  # each change heard once, in order


# ---------------------------------------------------------------------- one statement per kind


async def group_and_alone(s: Setup, prefix: str, bodies: list[Any]) -> list[tuple[int, Any]]:
    """Each body sent to a task of its own (`<prefix>-<n>`), all in one group."""
    for number in range(len(bodies)):
        await new_task(s, f"{prefix}-{number}")
    return await one_group(
        s, f"{prefix}-0", [(f"{prefix}-{n}", body) for n, body in enumerate(bodies)]
    )


async def stored(s: Setup, task_id: str) -> tuple[Any, ...]:
    """What the store holds of a task, without its id and times."""
    async with s.db.read() as session:
        history = list(
            await session.execute(
                select(TaskProgress.step, TaskProgress.percent, TaskProgress.status)
                .where(TaskProgress.task_id == task_id)
                .order_by(TaskProgress.id)
            )
        )
        outbox = list(
            await session.execute(
                select(OutboxRow.kind, OutboxRow.event, OutboxRow.task_version)
                .where(OutboxRow.task_id == task_id)
                .order_by(OutboxRow.id)
            )
        )
    status, progress = await s.api.get(f"/api/tasks/{task_id}/progress")
    assert status == 200, progress
    steps = [(step["status"], step["progress"]) for step in progress["steps"]]
    return (
        [tuple(row) for row in history],
        [tuple(row) for row in outbox],
        progress["progress"],
        steps,
        await log_lines(s.db, task_id),
    )


async def test_a_group_of_tasks_ends_as_each_batch_alone_would(s: Setup) -> None:
    """Batches for different tasks share the group's statements (one read of all the tasks, one
    insert of all their event ids, rows and outbox rows), yet each task, answer and change
    heard is what the same batch alone gives."""
    twice = {"type": "log", "message": "twice", "event_id": "x-2"}
    bodies: list[Any] = [
        {"type": "log", "message": "a line", "event_id": "x-1"},
        {"type": "step_progress", "step": 1, "percent": 40},
        {"type": "step_completed", "step": 1},
        [
            {"type": "substep_done", "step": 2, "substep": "Sales form"},
            {"type": "progress", "percent": 9},
        ],
        {"type": "step_failed", "step": 1, "error": "the disk is full"},
        [twice, twice],
    ]
    grouped_answers = await group_and_alone(s, "grp", bodies)
    alone_answers = []
    for number, body in enumerate(bodies):
        await new_task(s, f"one-{number}")
        if number == 0:  # as the group's first task, which its first request went to
            await alone(s, "one-0", {"type": "log", "message": "first in line"})
        alone_answers.append(await alone(s, f"one-{number}", body))

    assert [status for status, _ in grouped_answers] == [200] * len(bodies), grouped_answers
    assert grouped_answers == alone_answers
    for number in range(len(bodies)):
        assert await stored(s, f"grp-{number}") == await stored(s, f"one-{number}")

    def heard(prefix: str) -> list[Any]:
        return [
            (change.task_id.split("-")[1], change.version, change.outbox_rows,
             [{k: v for k, v in m.items() if k != "task_id"} for m in change.messages])
            for change in s.heard if change.task_id.startswith(prefix)
        ]  # fmt: skip

    assert sorted(heard("grp-")) == sorted(heard("one-"))


async def test_a_refusal_among_tasks_sharing_a_group_refuses_only_itself(s: Setup) -> None:
    for task_id in ("g-ok1", "g-bad", "g-done", "g-ok2"):
        await new_task(s, task_id)
    assert (await alone(s, "g-done", {"type": "task_completed"}))[0] == 200
    never_stored = {"type": "log", "message": "never stored", "event_id": "n1"}

    answers = await one_group(
        s,
        "g-ok1",
        [
            ("g-ok1", {"type": "log", "message": "kept 1", "event_id": "k1"}),
            ("g-bad", [never_stored, {"type": "step_progress", "step": 99, "percent": 5}]),
            ("g-done", {"type": "step_started", "step": 1}),
            ("g-none", {"type": "log", "message": "no such task"}),
            ("g-ok2", {"type": "step_progress", "step": 2, "percent": 50, "event_id": "k2"}),
        ],
    )  # fmt: skip

    assert [status for status, _ in answers] == [200, 422, 409, 404, 200], answers
    assert answers[1][1]["error"]["message"].startswith("event 1: task g-bad has no step 99")
    assert await log_lines(s.db, "g-ok1") == ["first in line", "kept 1"]
    assert await log_lines(s.db, "g-bad") == []
    assert await count(s.db, ProcessedEvent, ProcessedEvent.task_id == "g-bad") == 0
    assert await count(s.db, ProcessedEvent, ProcessedEvent.task_id.in_(["g-ok1", "g-ok2"])) == 2
    status, progress = await s.api.get("/api/tasks/g-ok2/progress")
    assert status == 200 and progress["steps"][1]["progress"] == 50
    # The refused batch's event id was not kept: sent again, it is applied.
    again = {"type": "log", "message": "now stored", "event_id": "n1"}
    status, answer = await alone(s, "g-bad", again)
    assert status == 200 and answer["accepted"] == 1


# ---------------------------------------------------------------------- another process's lock


@pytest.fixture
async def on_sqlite(sqlite_db: Database) -> AsyncIterator[Setup]:
    async with setup(sqlite_db) as ready:
        yield ready


async def test_a_small_group_waits_for_another_process_holding_the_file(
    on_sqlite: Setup, tmp_path: Path
) -> None:
    """A small group is written on the event loop's thread, which never waits for SQLite's
    lock there; while another program holds the file's write lock the request waits for it
    (on the writer thread), and the loop stays free to answer others."""
    s = on_sqlite
    await new_task(s, "held")
    other = sqlite3.connect(tmp_path / "progress.db", isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        post = asyncio.create_task(alone(s, "held", {"type": "log", "message": "after the lock"}))
        await asyncio.sleep(0.3)
        assert not post.done()
        status, health = await s.api.get("/healthz")  # the loop is not blocked
        assert status == 200, health
        assert await log_lines(s.db, "held") == []
        other.execute("ROLLBACK")
        status, answer = await post
    finally:
        other.close()
    assert status == 200 and answer["accepted"] == 1, answer
    assert await log_lines(s.db, "held") == ["after the lock"]

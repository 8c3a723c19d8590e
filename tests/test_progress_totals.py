"""The running totals a task keeps for its percent: after any sequence of engine events and
controls (retry, skip, pause, cancel, restart), what is stored equals a recount of every step, and
so does the percent; a database from before the totals gets them counted when it is upgraded."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import selectinload

from store.db import Database
from store.errors import StoreError
from store.migrate import alembic_config
from store.models import Step, Task
from store.tracker import NewStep, NewTask, Tracker

WEIGHTS = st.one_of(
    st.sampled_from([0.0, 1.0, 0.1, 0.2, 0.3, 1 / 3, 2.5, 7.0, 1e-9, 1e6]),
    st.floats(min_value=0, max_value=100, allow_nan=False, allow_infinity=False),
)
STEP = st.tuples(WEIGHTS, st.integers(min_value=0, max_value=3))
STEP_NO = st.integers(min_value=1, max_value=5)
PERCENT = st.integers(min_value=0, max_value=100)
EVENT = st.one_of(
    st.builds(lambda: {"type": "task_started"}),
    st.builds(lambda n: {"type": "step_started", "step": n}, STEP_NO),
    st.builds(lambda n, p: {"type": "step_progress", "step": n, "percent": p}, STEP_NO, PERCENT),
    st.builds(
        lambda n, k: {"type": "substep_done", "step": n, "substep": k},
        STEP_NO,
        st.integers(min_value=1, max_value=3),
    ),
    st.builds(lambda n: {"type": "step_completed", "step": n}, STEP_NO),
    st.builds(lambda n: {"type": "step_failed", "step": n, "error": "x"}, STEP_NO),
    st.builds(lambda n: {"type": "step_skipped", "step": n}, STEP_NO),
    st.builds(lambda p: {"type": "progress", "percent": p}, PERCENT),
    st.builds(lambda: {"type": "task_failed", "error": "x"}),
    st.builds(lambda: {"type": "task_completed"}),
)
CONTROL = st.one_of(
    st.tuples(st.sampled_from(["retry", "skip"]), STEP_NO),
    st.tuples(st.sampled_from(["pause", "resume", "cancel", "restart"]), st.none()),
)
# A batch of events in one call (loads only the steps it names), or one control (loads all).
ACTION = st.one_of(st.lists(EVENT, min_size=1, max_size=3), CONTROL)

PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def recount(task: Task) -> tuple[Fraction, Fraction, int]:
    """Totals and percent from every step, written out here independently of the Tracker."""
    total = done = Fraction(0)
    for step in task.steps:
        if step.status in ("completed", "skipped"):
            percent = 100
        elif step.reported_percent is not None:
            percent = step.reported_percent
        elif step.substeps:
            percent = int(100 * sum(s.done for s in step.substeps) / len(step.substeps) + 0.5)
        else:
            percent = 0
        share = Fraction(max(step.weight, 0.0))
        total += share
        done += share * percent
    if task.status == "completed":
        expected = 100
    elif task.reported_percent is not None:
        expected = task.reported_percent
    elif total <= 0:
        expected = 0
    else:
        expected = min(100, int(done / total + Fraction(1, 2)))
    return total, done, expected


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    running = asyncio.new_event_loop()
    yield running
    running.close()


@pytest.fixture
def store(tmp_path: Path, loop: asyncio.AbstractEventLoop) -> Iterator[Database]:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'totals.db'}")
    loop.run_until_complete(db.upgrade())
    yield db
    loop.run_until_complete(db.dispose())


NAMES = itertools.count()


async def check(db: Database, task_id: str) -> None:
    async with db.read() as session:
        task = await session.scalar(
            select(Task)
            .where(Task.id == task_id)
            .options(selectinload(Task.steps).selectinload(Step.substeps))
        )
        assert task is not None
        total, done, percent = recount(task)
        assert (Fraction(task.progress_total), Fraction(task.progress_done)) == (total, done)
        assert task.percent == percent


async def play(db: Database, steps: list[tuple[float, int]], actions: list[Any]) -> None:
    tracker = Tracker(db)
    task_id = await tracker.create_task(
        NewTask(
            title="Totals",
            task_id=f"t{next(NAMES)}",
            steps=tuple(
                NewStep(f"Step {n}", weight=w, substeps=tuple((f"s{k}", None) for k in range(subs)))
                for n, (w, subs) in enumerate(steps, start=1)
            ),
        )
    )
    await check(db, task_id)
    for action in actions:
        try:
            if isinstance(action, list):
                await tracker.apply(task_id, action)
            else:
                name, step = action
                if name == "retry":
                    await tracker.retry_step(task_id, step)
                elif name == "skip":
                    await tracker.skip_step(task_id, step)
                elif name == "restart":
                    old, task_id = task_id, await tracker.restart(task_id)
                    await check(db, old)
                else:
                    await getattr(tracker, name)(task_id)
        except StoreError:
            pass  # refused: nothing was written, and the totals must still hold
        await check(db, task_id)


@PROPERTY
@given(
    steps=st.lists(STEP, min_size=1, max_size=5),
    actions=st.lists(ACTION, max_size=14),
)
def test_the_stored_totals_always_equal_a_recount(
    store: Database, loop: asyncio.AbstractEventLoop, steps: Any, actions: Any
) -> None:
    loop.run_until_complete(play(store, steps, actions))


def test_an_upgrade_counts_the_totals_of_tasks_written_before_them(tmp_path: Path) -> None:
    from alembic import command

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0004_task_created_by_token")
        conn.execute(
            text(
                "INSERT INTO tasks (id, title, status, percent, version, attempt, created_at, "
                "updated_at) VALUES ('old', 'Old', 'running', 59, 3, 1, '2026-01-01', "
                "'2026-01-01')"
            )
        )
        # Done (weight 2), half its substeps (weight 1), reported 30 % (weight 0.5), pending.
        for order, weight, status, reported in (
            (1, 2.0, "completed", None),
            (2, 1.0, "running", None),
            (3, 0.5, "running", 30),
            (4, 1.0, "pending", None),
        ):
            conn.execute(
                text(
                    'INSERT INTO steps (id, task_id, "order", name, status, reported_percent, '
                    "weight, attempts) VALUES (:o, 'old', :o, 'S', :s, :r, :w, 0)"
                ),
                {"o": order, "s": status, "r": reported, "w": weight},
            )
        for order, done in ((1, True), (2, False)):
            conn.execute(
                text(
                    "INSERT INTO substeps (step_id, \"order\", name, done) VALUES (2, :o, 'x', :d)"
                ),
                {"o": order, "d": done},
            )
        command.upgrade(alembic_config(conn), "head")
        total, done = conn.execute(
            text("SELECT progress_total, progress_done FROM tasks WHERE id = 'old'")
        ).one()
    engine.dispose()
    assert Fraction(total) == Fraction(9, 2)
    assert Fraction(done) == 2 * 100 + 1 * 50 + Fraction(1, 2) * 30 + 0
    # The percent those totals give is the one the task showed: 265 / 4.5 = 58.9, so 59.
    assert int(Fraction(done) / Fraction(total) + Fraction(1, 2)) == 59

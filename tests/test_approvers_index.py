"""The approver rows behind "what is waiting on me?": written when an approval opens, settled
when it is decided or expires, copied from the JSON lists of approvals older than the table, and
read by the chat's list of tasks a person may name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import create_async_engine

from store.db import Database
from store.migrate import upgrade
from store.models import Approval, ApprovalApprover
from store.queries import Queries
from store.tracker import Tracker
from store.tracker.contract import NewStep, NewTask
from tests.conftest import Teams

T0 = datetime(2024, 1, 15, 10, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


async def waiting_task(
    tracker: Tracker,
    task_id: str,
    *,
    approvers: tuple[str, ...] = ("bob", "crm-team"),
    quorum: int = 1,
    expires: int | None = None,
) -> int:
    """A task of carol's whose second step waits for approval; the approval's id."""
    spec = NewTask(
        title=f"Release {task_id}",
        steps=(NewStep("Build"), NewStep("Ship")),
        task_id=task_id,
        owner="carol",
        approvers=approvers,
        quorum=quorum,
        approval_expires_seconds=expires,
    )
    await tracker.create_task(spec)
    await tracker.apply(task_id, [{"type": "step_completed", "step": 1}])
    await tracker.apply(task_id, [{"type": "approval_requested", "step": 2, "prompt": "Ship?"}])
    control = await tracker.control(task_id)
    return int(control["approval"]["id"])


async def rows(db: Database) -> list[tuple[int, str, str, bool]]:
    async with db.read() as session:
        found = await session.execute(
            select(
                ApprovalApprover.approval_id,
                ApprovalApprover.approver,
                ApprovalApprover.task_id,
                ApprovalApprover.pending,
            ).order_by(ApprovalApprover.approval_id, ApprovalApprover.approver)
        )
        return [tuple(r) for r in found]  # type: ignore[misc]


async def test_an_approval_writes_one_pending_row_per_approver(db: Database) -> None:
    tracker, queries = Tracker(db, membership=Teams()), Queries(db)
    approval = await waiting_task(tracker, "rel1", approvers=("bob", "crm-team", "bob"))
    assert await rows(db) == [
        (approval, "bob", "rel1", True),
        (approval, "crm-team", "rel1", True),
    ]
    assert await queries.tasks_waiting_on(["bob"]) == ["rel1"]
    assert await queries.tasks_waiting_on(["alice", "crm-team"]) == ["rel1"]
    assert await queries.tasks_waiting_on(["carol"]) == []


async def test_a_vote_short_of_the_quorum_leaves_it_waiting_on_the_others(db: Database) -> None:
    tracker, queries = Tracker(db, membership=Teams()), Queries(db)
    approval = await waiting_task(tracker, "rel1", approvers=("bob", "dave"), quorum=2)
    await tracker.decide(approval, "approve", by="bob")
    assert await queries.tasks_waiting_on(["dave"]) == ["rel1"]
    assert await queries.approvals_waiting_on(["bob"], person="bob") == []
    [left] = await queries.approvals_waiting_on(["dave"], person="dave")
    assert (left["task_id"], left["title"], left["step"], left["step_name"]) == (
        "rel1",
        "Release rel1",
        2,
        "Ship",
    )
    await tracker.decide(approval, "approve", by="dave")
    assert await queries.tasks_waiting_on(["bob", "dave"]) == []
    assert all(not pending for *_, pending in await rows(db))


async def test_rejected_and_expired_approvals_wait_on_nobody(db: Database) -> None:
    clock = Clock()
    tracker, queries = Tracker(db, membership=Teams(), clock=clock), Queries(db)
    rejected = await waiting_task(tracker, "rel1")
    await waiting_task(tracker, "rel2", expires=600)
    await waiting_task(tracker, "rel3")
    await tracker.decide(rejected, "reject", by="bob", reason="not today")
    clock.now = T0 + timedelta(days=1)
    assert await tracker.expire_approvals() == 1
    assert await queries.tasks_waiting_on(["bob"]) == ["rel3"]
    pending = {task for _, _, task, waiting in await rows(db) if waiting}
    assert pending == {"rel3"}


async def test_a_task_waiting_on_someone_is_one_they_may_name_until_decided(db: Database) -> None:
    tracker, queries = Tracker(db, membership=Teams()), Queries(db)
    approval = await waiting_task(tracker, "rel1", approvers=("dave",))
    other = NewTask(title="Carol's other", steps=(NewStep("Go"),), task_id="other", owner="carol")
    await tracker.create_task(other)
    named = await queries.nameable_tasks("dave")
    assert [t["task_id"] for t in named] == ["rel1"]
    assert named[0]["title"] == "Release rel1" and named[0]["version"] > 0
    assert await queries.nameable_tasks("erin") == []
    await tracker.decide(approval, "approve", by="dave")
    assert await queries.nameable_tasks("dave") == []


async def test_a_task_that_ends_while_waiting_waits_on_nobody(db: Database) -> None:
    tracker, queries = Tracker(db, membership=Teams()), Queries(db)
    await waiting_task(tracker, "rel1", approvers=("dave",))
    await waiting_task(tracker, "rel2", approvers=("dave",))
    assert {t["task_id"] for t in await queries.nameable_tasks("dave")} == {"rel1", "rel2"}
    await tracker.cancel("rel1", by="carol")
    assert [t["task_id"] for t in await queries.nameable_tasks("dave")] == ["rel2"]
    assert [(task, waiting) for _, _, task, waiting in await rows(db)] == [
        ("rel1", False),
        ("rel2", True),
    ]


async def test_upgrading_copies_the_approvers_of_existing_approvals(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    engine = create_async_engine(url)
    try:
        await upgrade(engine, postgres=False, revision="0004_task_created_by_token")
        async with engine.begin() as conn:
            # Raw rows, as revision 0004's tables have them: the models have later columns.
            for task_id in ("a", "b"):
                await conn.execute(
                    text(
                        "INSERT INTO tasks (id, title, status, owner, percent, version, attempt,"
                        " created_at, updated_at) VALUES (:id, :id, 'approval', 'x', 0, 1, 1,"
                        " '2026-01-01', '2026-01-01')"
                    ),
                    {"id": task_id},
                )
            await conn.execute(
                insert(Approval),
                [
                    {"id": 1, "task_id": "a", "step": 1, "status": "approved", "approvers": ["x"]},
                    {
                        "id": 2,
                        "task_id": "b",
                        "step": 1,
                        "status": "pending",
                        "approvers": ["bob", "ops", "bob", 7, ""],
                    },
                    {"id": 3, "task_id": "b", "step": 2, "status": "pending", "approvers": []},
                ],
            )
        await upgrade(engine, postgres=False)
    finally:
        await engine.dispose()
    db = Database(url)
    try:
        assert await rows(db) == [
            (1, "x", "a", False),
            (2, "bob", "b", True),
            (2, "ops", "b", True),
        ]
        assert await Queries(db).tasks_waiting_on(["ops"]) == ["b"]
    finally:
        await db.dispose()


async def test_the_store_reads_again_after_being_disposed(db: Database) -> None:
    # A service restarted in the same process disposes its Database and then uses it again.
    tracker, queries = Tracker(db, membership=Teams()), Queries(db)
    await waiting_task(tracker, "rel1")
    assert await queries.tasks_waiting_on(["bob"]) == ["rel1"]
    await db.dispose()
    assert await queries.tasks_waiting_on(["bob"]) == ["rel1"]
    assert [t["task_id"] for t in await queries.nameable_tasks("bob")] == ["rel1"]

"""How long from a chat message to the bot's reply, through understanding, the dialogue policy,
the handlers and the store?

Fills a SQLite store with 100,000 tasks (the same bulk fill as bench/progress_latency.py), owned
by 1,000 people; alice owns 100 of them under varied names, one being the seed's "Cellphone Store
CRM". Every task notifies its owner's direct chat; the room alice asks in follows 5 tasks of other
people; every task waiting for approval (about 16,700) has a pending approval, 30 of which name
alice, and every completed task an approval she once decided. Then asks the in-process ChatBot, as
alice, a mix of questions ("How's my CRM task going?", "show logs for the crm", "when will the
pipeline be done?", "list my tasks", "help", "can I pause the crm?", "please don't pause the
crm", "is anything waiting on me?", "what can you do") and prints p50/p99 of the whole
message-to-reply time, and the CPU time per message (steadier than wall time on a shared
machine). The questions repeat, as chat does, so the chat answers most of them from the readings
it keeps of a message said again (`intents.said_again`). Baselines in the same run: understanding
plus `policy.decide` alone over alice's tasks, every question read anew, one progress snapshot
read, and the two reads that made up most of a reply before the
approver index: the tasks waiting on alice found by scanning the pending approvals' JSON, and the
list of tasks she may name read with `list_tasks` (against `nameable_tasks` now).

Run: python bench/chat.py   (deterministic; about 1 minute on 2 cores)
"""

from __future__ import annotations

import asyncio
import random
import resource
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import String, cast, insert, or_, select, update

# Import from the repository root, not from bench/ (first on sys.path when run as a script),
# where bench/mcp.py would hide the `mcp` package the server imports.
sys.path.pop(0)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import percentile
from bench.progress_latency import fill
from bot.chat.policy import decide
from bot.config import parse_config
from bot.types import Message, Target
from bot.wiring import build_services
from intents import TaskRef, Understander
from store.db import Database
from store.models import Approval, ApprovalApprover, Subscription, Task
from store.models import Target as ChatTarget

TASKS = 100_000
OWNERS = 1_000
MESSAGES = 2_000
WAITING_ON_ALICE = 30
ROOM_TASKS = 5
NAMES = (
    "Nightly Sales Pipeline",
    "Churn Model Training",
    "Inventory Dashboard",
    "Store Locator API",
    "Customer Import",
    "Invoice Generator",
    "Fraud Detector",
    "Payroll Export",
    "Search Reindex",
    "Marketing Site",
    "Warehouse Sync",
    "Price Scraper",
    "Support Bot",
    "Billing Migration",
)
QUESTIONS = (
    "How's my CRM task going?",
    "status of the sales pipeline",
    "show logs for the crm",
    "when will the churn model be done?",
    "list my tasks",
    "how is the inventory dashboard doing",
    "help",
    "and the logs?",
    "can I pause the crm?",
    "please don't pause the crm",
    "is anything waiting on me?",
    "who may approve the crm?",
    "what can you do",
    "florp the zibble",
)


async def prepare(url: str) -> None:
    await fill(url, TASKS)
    db = Database(url)
    async with db.write() as session:
        # Spread ownership: 1,000 people, no teams, so alice sees her 100 tasks only.
        for n in range(0, TASKS, 1000):
            await session.execute(
                update(Task)
                .where(Task.id.in_([f"t{i:06d}" for i in range(n, n + 1000)]))
                .values(owner=f"user{n // 1000}", team=None)
            )
        alice = [f"t{i:06d}" for i in range(0, TASKS, TASKS // 100)]
        recently = datetime(2024, 1, 20, tzinfo=UTC)  # her tasks moved last: they lead her list
        for k, task_id in enumerate(alice):
            title = "Cellphone Store CRM" if k == 0 else f"{NAMES[k % len(NAMES)]} {k}"
            short = "CRM" if k == 0 else None
            await session.execute(
                update(Task)
                .where(Task.id == task_id)
                .values(
                    owner="alice",
                    title=title,
                    short_name=short,
                    status="running",
                    updated_at=recently + timedelta(seconds=k),
                )
            )
        tasks = (await session.execute(select(Task.id, Task.owner, Task.status))).all()
        await session.execute(insert(ChatTarget), _targets())
        await session.execute(insert(Subscription), _subscriptions(tasks))
        approvals, approvers = _approvals(tasks)
        await session.execute(insert(Approval), approvals)
        await session.execute(insert(ApprovalApprover), approvers)
    await db.dispose()


def _targets() -> list[dict[str, Any]]:
    """Each owner's direct chat (ids 1..1001) and the shared room alice asks in (id 1002)."""
    owners = [f"user{n}" for n in range(OWNERS)] + ["alice"]
    rows = [{"id": i + 1, "platform": "bench", "chat": f"dm-{o}"} for i, o in enumerate(owners)]
    return [*rows, {"id": len(owners) + 1, "platform": "bench", "chat": "room"}]


def _subscriptions(tasks: Sequence[Any]) -> list[dict[str, Any]]:
    """Every task notifies its owner's direct chat; the room follows a few tasks of others."""
    dm = {f"user{n}": n + 1 for n in range(OWNERS)} | {"alice": OWNERS + 1}
    rows = [{"task_id": t.id, "target_id": dm[t.owner]} for t in tasks]
    room = [t.id for t in tasks if t.owner != "alice"][: ROOM_TASKS * 997 : 997]
    return rows + [{"task_id": task_id, "target_id": OWNERS + 2} for task_id in room]


def _approvals(tasks: Sequence[Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A pending approval for every task waiting for one (asking its owner and the release
    managers; 30 ask alice too), and a decided one naming alice for every completed task."""
    approvals: list[dict[str, Any]] = []
    approvers: list[dict[str, Any]] = []
    waiting = [t for t in tasks if t.status == "approval"]
    on_alice = {t.id for t in waiting[:: len(waiting) // WAITING_ON_ALICE][:WAITING_ON_ALICE]}
    for t in tasks:
        if t.status not in ("approval", "completed"):
            continue
        pending = t.status == "approval"
        names = [t.owner, "release-managers"] if pending else [t.owner, "alice"]
        if t.id in on_alice:
            names.append("alice")
        approval_id = len(approvals) + 1
        approvals.append(
            {
                "id": approval_id,
                "task_id": t.id,
                "step": 2,
                "prompt": "Ship it?",
                "status": "pending" if pending else "approved",
                "approvers": names,
                "quorum": 1,
            }
        )
        approvers.extend(
            {"approval_id": approval_id, "approver": n, "task_id": t.id, "pending": pending}
            for n in names
        )
    return approvals, approvers


async def json_scan_waiting_on(db: Database, names: list[str]) -> list[str]:
    """The tasks waiting on `names` as they were found before the approver index: a LIKE over
    every pending approval's JSON list, then a check of each list found (the baseline)."""
    like = [cast(Approval.approvers, String).like(f'%"{n}"%') for n in names]
    async with db.read() as session:
        rows = await session.execute(
            select(Approval.task_id, Approval.approvers)
            .where(Approval.status == "pending", or_(*like))
            .order_by(Approval.id)
            .limit(500)
        )
        return sorted({r[0] for r in rows if set(r[1] or []) & set(names)})


async def timed(
    calls: int, make: Callable[[int], Awaitable[object]], cpu: list[float] | None = None
) -> list[float]:
    latencies = []
    for i in range(calls):
        started, cpu_started = time.perf_counter(), time.process_time()
        await make(i)
        latencies.append((time.perf_counter() - started) * 1000)
        if cpu is not None:  # this process's CPU, its SQLite threads included
            cpu.append((time.process_time() - cpu_started) * 1000)
    return latencies


def report(label: str, values: list[float]) -> None:
    p50, p99 = percentile(values, 0.5), percentile(values, 0.99)
    print(f"  {label:<44} p50 {p50:7.2f} ms   p99 {p99:7.2f} ms")


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'chat.db'}"
        started = time.perf_counter()
        await prepare(url)
        print(
            f"filled {TASKS:,} tasks ({OWNERS:,} owners) in {time.perf_counter() - started:.0f} s"
        )
        config = parse_config(
            f"store: {{url: '{url}'}}\nconsole: {{enabled: false}}\n"
            "api: {link_secret: bench-link-secret}\n"
            "users: {alice: {name: Alice}}\n",
            environ={},
        )
        services = build_services(config)
        assert services.chat is not None
        chat = services.chat
        rng = random.Random(7)
        questions = [rng.choice(QUESTIONS) for _ in range(MESSAGES)]

        async def ask(i: int) -> object:
            message = Message(questions[i], Target("bench", "room"), "alice", person="alice")
            return await chat.handle_message(message)

        await timed(50, ask)  # warm caches and connections
        cpu: list[float] = []
        whole = await timed(MESSAGES, ask, cpu)

        visible = await services.queries.nameable_tasks("alice", chat=("bench", "room"))
        refs = [TaskRef(t["task_id"], t["title"], t["short_name"], t["status"]) for t in visible]
        # every question read anew (the chat above keeps the readings of questions said again)
        understander = Understander(readings_kept=0)

        async def match(i: int) -> object:
            return decide(understander.understand(questions[i], refs, chat_key="room"))

        matched = await timed(MESSAGES, match)

        async def snapshot(i: int) -> object:
            return await services.progress.snapshot("t000000")

        snapshots = await timed(500, snapshot)

        queries, names = services.queries, ["alice"]
        scanned = await json_scan_waiting_on(services.db, names)
        indexed = await queries.tasks_waiting_on(names)
        assert scanned == indexed and len(indexed) == WAITING_ON_ALICE, (scanned, indexed)
        old_scan = await timed(200, lambda i: json_scan_waiting_on(services.db, names))
        new_scan = await timed(200, lambda i: queries.tasks_waiting_on(names))

        async def old_list(i: int) -> object:
            also = await json_scan_waiting_on(services.db, names)
            chat = ("bench", "room")
            return await queries.list_tasks(person="alice", chat=chat, also=also)

        old_lists = await timed(200, old_list)
        new_lists = await timed(
            200, lambda i: queries.nameable_tasks("alice", chat=("bench", "room"))
        )
        await services.db.dispose()

        print(
            f"chat as alice: {len(visible)} tasks she may name out of {TASKS:,} "
            f"({WAITING_ON_ALICE} wait on her approval); {MESSAGES:,} messages"
        )
        report("message → reply (dialogue+store)", whole)
        report("  CPU time per message (process)", cpu)
        report("baseline: understand + decide alone", matched)
        report("baseline: one progress snapshot", snapshots)
        report("waiting on alice: JSON scan (before)", old_scan)
        report("waiting on alice: approver index (now)", new_scan)
        report("tasks alice may name: JSON scan + list_tasks", old_lists)
        report("tasks alice may name: nameable_tasks (now)", new_lists)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  peak memory (this process)                   {peak:7.0f} MiB")
        p99 = percentile(whole, 0.99)
        print(f"message → reply p99 = {p99:.2f} ms (aim ≤ 10 ms on SQLite with 100,000 tasks)")


if __name__ == "__main__":
    asyncio.run(main())

"""How long from a chat message to the bot's reply, through understanding, the dialogue policy,
the handlers and the store?

Fills a SQLite store with 100,000 tasks (the same bulk fill as bench/progress_latency.py), owned
by 1,000 people; alice owns 100 of them under varied names, one being the seed's "Cellphone Store
CRM". Then asks the in-process ChatBot, as alice, a mix of questions ("How's my CRM task going?",
"show logs for the crm", "when will the pipeline be done?", "list my tasks", "help", "can I pause
the crm?", "please don't pause the crm", "is anything waiting on me?", "what can you do") and
prints p50/p99 of the whole message-to-reply time. Baselines in the same run: understanding plus
`policy.decide` alone over alice's 100 tasks, and one progress snapshot read.

Run: python bench/chat.py   (deterministic; about 1 minute on 2 cores)
"""

from __future__ import annotations

import asyncio
import random
import resource
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy import update

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import percentile
from bench.progress_latency import fill
from bot.chat.policy import decide
from bot.config import parse_config
from bot.types import Message, Target
from bot.wiring import build_services
from intents import TaskRef, Understander
from store.db import Database
from store.models import Task

TASKS = 100_000
OWNERS = 1_000
MESSAGES = 2_000
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
        for k, task_id in enumerate(alice):
            title = "Cellphone Store CRM" if k == 0 else f"{NAMES[k % len(NAMES)]} {k}"
            short = "CRM" if k == 0 else None
            await session.execute(
                update(Task)
                .where(Task.id == task_id)
                .values(owner="alice", title=title, short_name=short, status="running")
            )
    await db.dispose()


async def timed(calls: int, make: Callable[[int], Awaitable[object]]) -> list[float]:
    latencies = []
    for i in range(calls):
        started = time.perf_counter()
        await make(i)
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def report(label: str, values: list[float]) -> None:
    p50, p99 = percentile(values, 0.5), percentile(values, 0.99)
    print(f"  {label:<34} p50 {p50:7.2f} ms   p99 {p99:7.2f} ms")


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
        whole = await timed(MESSAGES, ask)

        visible = await services.queries.list_tasks(person="alice")
        refs = [TaskRef(t["task_id"], t["title"], t["short_name"], t["status"]) for t in visible]
        understander = Understander()

        async def match(i: int) -> object:
            return decide(understander.understand(questions[i], refs, chat_key="room"))

        matched = await timed(MESSAGES, match)

        async def snapshot(i: int) -> object:
            return await services.progress.snapshot("t000000")

        snapshots = await timed(500, snapshot)
        await services.db.dispose()

        print(
            f"chat as alice: {len(visible)} visible tasks out of {TASKS:,}; {MESSAGES:,} messages"
        )
        report("message → reply (dialogue+store)", whole)
        report("baseline: understand + decide alone", matched)
        report("baseline: one progress snapshot", snapshots)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  peak memory (this process)          {peak:7.0f} MiB")
        p99 = percentile(whole, 0.99)
        print(f"message → reply p99 = {p99:.2f} ms (aim ≤ 10 ms on SQLite with 100,000 tasks)")


if __name__ == "__main__":
    asyncio.run(main())

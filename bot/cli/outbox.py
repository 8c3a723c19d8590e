"""`progressbot outbox list|retry|drop`: what waits, what failed, and second chances."""

from __future__ import annotations

import argparse

from bot.config import Config
from store.db import Database
from store.models import utcnow
from store.outbox import Outbox

__all__ = ["run_outbox_command"]


async def run_outbox_command(config: Config, args: argparse.Namespace) -> int:
    db = Database(config.store.url)
    try:
        await db.upgrade()
        outbox = Outbox(db)
        if args.outbox_command == "list":
            statuses = [s for s in (args.status or "dead,pending").split(",") if s]
            rows = await outbox.list_rows(statuses)
            if not rows:
                print(f"no {' or '.join(statuses)} notifications")
                return 0
            print(
                f"{'id':>6}  {'status':<8} {'tries':>5}  {'task':<14} {'event':<20} target / error"
            )
            for r in rows:
                print(
                    f"{r['id']:>6}  {r['status']:<8} {r['attempts']:>5}  {r['task_id']:<14} "
                    f"{r['event']:<20} {r['target']}"
                    + (f"\n{'':>8}{r['last_error']}" if r["last_error"] else "")
                )
            counts = await outbox.counts()
            print("totals: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
            return 0
        if args.outbox_command == "retry":
            n = await outbox.retry(args.ids, now=utcnow())
            print(f"{n} dead notification(s) queued again")
            return 0 if n == len(args.ids) else 1
        n = await outbox.drop(args.ids)
        print(f"{n} notification(s) dropped")
        return 0 if n == len(args.ids) else 1
    finally:
        await db.dispose()

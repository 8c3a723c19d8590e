"""`progressbot outbox list|retry|drop`: what waits, what failed, and second chances."""

from __future__ import annotations

import argparse
import sys

from bot.config import Config
from store.db import Database
from store.models import utcnow
from store.outbox import Outbox

__all__ = ["configured_platforms", "run_outbox_command"]


def configured_platforms(config: Config) -> set[str]:
    """The platforms whose channels this config runs (what a worker started with it sends to)."""
    enabled = {
        "slack": config.slack.enabled,
        "telegram": config.telegram.enabled,
        "email": config.email.enabled,
        "console": config.console.enabled,
    }
    return {name for name, on in enabled.items() if on}


async def run_outbox_command(config: Config, args: argparse.Namespace) -> int:
    db = Database(config.store.url)
    try:
        await db.upgrade()
        outbox = Outbox(db)
        if args.outbox_command == "list":
            statuses = [s for s in (args.status or "dead,pending").split(",") if s]
            rows = await outbox.list_rows(
                statuses, now=utcnow(), running=configured_platforms(config)
            )
            if not rows:
                print(f"no {' or '.join(statuses)} notifications")
                return 0
            print(
                f"{'id':>6}  {'status':<8} {'tries':>5}  {'task':<14} {'event':<20} "
                f"{'target':<24} why"
            )
            for r in rows:
                print(
                    f"{r['id']:>6}  {r['status']:<8} {r['attempts']:>5}  {r['task_id']:<14} "
                    f"{r['event']:<20} {r['target']:<24} {r['reason']}"
                )
            counts = await outbox.counts()
            print("totals: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
            return 0
        known = await outbox.statuses(args.ids)
        missing = [i for i in args.ids if i not in known]
        if args.outbox_command == "retry":
            not_dead = [i for i in args.ids if i in known and known[i] != "dead"]
            n = await outbox.retry([i for i in args.ids if known.get(i) == "dead"], now=utcnow())
            print(f"{n} dead notification(s) queued again")
            for i in missing:
                print(f"row {i}: no such notification", file=sys.stderr)
            for i in not_dead:
                print(
                    f"row {i}: is {known[i]}, not dead; only dead rows are retried", file=sys.stderr
                )
            return 0 if n == len(args.ids) else 1
        not_droppable = [i for i in args.ids if i in known and known[i] not in ("dead", "pending")]
        n = await outbox.drop(args.ids)
        print(f"{n} notification(s) dropped")
        for i in missing:
            print(f"row {i}: no such notification", file=sys.stderr)
        for i in not_droppable:
            print(f"row {i}: is {known[i]}; only dead or pending rows are dropped", file=sys.stderr)
        return 0 if n == len(args.ids) else 1
    finally:
        await db.dispose()

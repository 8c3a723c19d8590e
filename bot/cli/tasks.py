"""`progressbot tasks`: the tasks in the store with their ids, for `open`, the API and the chat."""

from __future__ import annotations

import argparse
import json

from bot.config import Config
from store.db import Database
from store.queries import Queries

__all__ = ["run_tasks_command"]

TITLE_WIDTH = 40


async def run_tasks_command(config: Config, args: argparse.Namespace) -> int:
    statuses = [s.strip() for s in (args.status or "").split(",") if s.strip()]
    directory = config.directory()
    if args.owner and not directory.exists(args.owner):
        print(f"progressbot: {args.owner!r} is not a person in users:")
        return 2
    db = Database(config.store.url)
    try:
        await db.upgrade()
        tasks = await Queries(db).list_tasks(
            person=args.owner or None,
            teams=directory.teams_of(args.owner) if args.owner else (),
            status=statuses or None,
            active_only=args.active,
            limit=args.limit,
        )
    finally:
        await db.dispose()
    if args.json:
        for task in tasks:
            print(json.dumps(task, default=str))
        return 0
    if not tasks:
        print("no tasks" + (" match" if statuses or args.active or args.owner else " yet"))
        return 0
    width = max(len("id"), *(len(str(t["task_id"])) for t in tasks))
    print(f"{'id':<{width}}  {'status':<9}  {'done':>4}  {'owner':<10}  title")
    for task in tasks:
        title = " ".join(str(task.get("title") or "").split())
        if len(title) > TITLE_WIDTH:
            title = title[: TITLE_WIDTH - 1] + "…"
        print(
            f"{task['task_id']:<{width}}  {task['status']:<9}  {task['progress']:>3}%  "
            f"{(task.get('owner') or '-'):<10}  {title}"
        )
    return 0

"""Forgetting what is no longer needed: sent notifications and the history of old tasks.

Safe to run on every worker at once: each statement deletes what is past the cut-off, and a
second run finds nothing left to delete.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select

from store.db import Database
from store.models import OutboxRow, ProcessedEvent, SeenKey, Task, TaskProgress

__all__ = ["purge"]


async def purge(db: Database, *, before: datetime) -> dict[str, int]:
    """Delete sent/dead outbox rows, seen delivery keys, and the progress history and event ids
    of tasks that finished before `before`. Tasks themselves (and their final state) stay."""
    finished = select(Task.id).where(Task.finished_at.is_not(None), Task.finished_at < before)
    counts: dict[str, int] = {}
    async with db.write() as session:
        for name, stmt in (
            (
                "outbox",
                delete(OutboxRow).where(
                    OutboxRow.status.in_(["sent", "dead"]), OutboxRow.created_at < before
                ),
            ),
            ("seen_keys", delete(SeenKey).where(SeenKey.created_at < before)),
            ("history", delete(TaskProgress).where(TaskProgress.task_id.in_(finished))),
            ("event_ids", delete(ProcessedEvent).where(ProcessedEvent.task_id.in_(finished))),
        ):
            result = await session.execute(stmt.execution_options(synchronize_session=False))
            counts[name] = int(getattr(result, "rowcount", 0) or 0)
    return counts

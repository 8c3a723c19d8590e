"""The tasks a chat message may name, as the understander reads them (`intents.TaskRef`).

A `TaskRef` is kept per task version, so a list of unchanged tasks comes out as the very same
objects: the understander then finds its index of them by identity, without comparing every
field or rebuilding it. A task that changed gets a fresh `TaskRef` (its version moved on).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.chat.words import epoch
from intents import TaskRef

__all__ = ["TaskRefs", "task_ref"]


def task_ref(task: Mapping[str, Any]) -> TaskRef:
    """A task summary (`Queries.nameable_tasks` or `list_tasks`) as the understander reads it."""
    return TaskRef(
        task_id=task["task_id"],
        title=str(task.get("title") or ""),
        short_name=task.get("short_name"),
        status=str(task.get("status") or "pending"),
        updated_at=task["updated"] if "updated" in task else epoch(task.get("updated_at")),
        owner=task.get("owner"),
        kind=task.get("kind"),
        team=task.get("team"),
    )


class TaskRefs:
    """`TaskRef`s by task id and version (summaries without a version are not kept)."""

    def __init__(self, limit: int = 50_000) -> None:
        self.limit = limit
        self._by_id: dict[str, tuple[int, TaskRef]] = {}

    def of(self, tasks: Sequence[Mapping[str, Any]]) -> list[TaskRef]:
        out: list[TaskRef] = []
        for task in tasks:
            version = task.get("version")
            if version is None:
                out.append(task_ref(task))
                continue
            kept = self._by_id.get(task["task_id"])
            if kept is None or kept[0] != version:
                if len(self._by_id) >= self.limit:
                    self._by_id.clear()
                kept = (version, task_ref(task))
                self._by_id[task["task_id"]] = kept
            out.append(kept[1])
        return out

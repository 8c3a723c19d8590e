"""Task snapshots with their ETA: the store's view plus the estimator, in one call."""

from __future__ import annotations

import time
from collections.abc import Callable

from bot.eta import StepTiming, estimate_remaining
from store.queries import Queries
from store.shapes import SnapshotShape

__all__ = ["ProgressService"]


class ProgressService:
    """What every channel shows of a task: `GET /progress`, chat answers, cards, the web page."""

    def __init__(self, queries: Queries, *, clock: Callable[[], float] = time.time) -> None:
        self.queries = queries
        self.clock = clock

    async def snapshot(self, task_id: str) -> SnapshotShape:
        snap = await self.queries.snapshot(task_id)
        await self.add_eta(snap)
        return snap

    async def add_eta(self, snap: SnapshotShape) -> None:
        if snap["status"] in ("completed", "cancelled"):
            snap["eta_seconds"] = 0 if snap["status"] == "completed" else None
            snap["eta_low_seconds"] = snap["eta_high_seconds"] = snap["eta_seconds"]
            return
        if snap["status"] == "failed":
            return  # nothing moves until someone retries or skips
        inputs = await self.queries.eta_inputs(snap)
        steps = [
            StepTiming(
                order=s["order"],
                name=s["name"],
                status=s["status"],
                progress=s["progress"],
                started_at=s["started_at"],
                finished_at=s["finished_at"],
                weight=s["weight"],
                progress_samples=inputs.samples if s["status"] == "running" else (),
            )
            for s in inputs.steps
        ]
        estimate = estimate_remaining(
            steps, now=self.clock(), history=inputs.history, tables=inputs.tables
        )
        snap["eta_seconds"] = estimate.seconds
        snap["eta_low_seconds"] = estimate.low
        snap["eta_high_seconds"] = estimate.high

"""Task snapshots with their ETA: the store's view plus the estimator, in one call.

Reading a snapshot takes several queries (the task with its steps and substeps, its approval,
the running step's recent progress); a task changes far less often than it is read. So the
snapshot and the estimator's inputs are kept per task and reused while the task's version (bumped
by the Tracker on every change, on any worker) is unchanged: a read then costs one small query,
and the ETA is computed afresh from the current time, at most once a second per task version
(the estimate counts whole seconds).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from bot.progress.eta import Estimate, StepTiming, estimate_remaining
from store.errors import NotFound
from store.queries import EtaInputs, Queries
from store.shapes import SnapshotShape

__all__ = ["ProgressService"]


@dataclass(frozen=True, slots=True)
class _Cached:
    version: int
    snap: SnapshotShape
    inputs: EtaInputs | None
    creator: str | None  # the API token that created the task, which never changes


class ProgressService:
    """What every channel shows of a task: `GET /progress`, chat answers, cards, the web page."""

    def __init__(
        self,
        queries: Queries,
        *,
        clock: Callable[[], float] = time.time,
        cache_size: int = 5000,
    ) -> None:
        self.queries = queries
        self.clock = clock
        self.cache_size = cache_size
        self._cache: OrderedDict[str, _Cached] = OrderedDict()
        # The last estimate of each cached task: (its version, the whole second it was made in).
        self._estimates: dict[str, tuple[int, int, Estimate]] = {}

    async def snapshot(
        self, task_id: str, *, version: int | None = None, created_by: str | None = None
    ) -> SnapshotShape:
        """The task's progress with its ETA; a fresh copy the caller may change.

        `version`: one the caller knows the task has reached (a change it heard of, or the
        version it read with the list of tasks a chat message may name). A cached snapshot at
        least that new is served without asking the store, and an older one is rebuilt at once.

        `created_by`: an engine token's name, for a caller that may only see the tasks that token
        created: any other task is NotFound, as if absent. The creator comes with the snapshot,
        so the check costs no read of its own."""
        cached = self._cache.get(task_id)
        if cached is not None and version:
            fresh = cached.version >= version
        else:
            fresh = cached is not None and await self.queries.version(task_id) == cached.version
        if cached is not None and fresh:
            self._cache.move_to_end(task_id)
        else:
            read = await self.queries.snapshot_with_eta_inputs(task_id, eta=_moving)
            cached = _Cached(
                int(read.snap["control"]["version"]), read.snap, read.inputs, read.creator
            )
            self._cache[task_id] = cached
            while len(self._cache) > self.cache_size:
                self._estimates.pop(self._cache.popitem(last=False)[0], None)
        if created_by is not None and cached.creator != created_by:
            raise NotFound(f"there is no task {task_id!r}")
        snap = cast(SnapshotShape, _copy(cached.snap))
        self._fill_eta(snap, cached.inputs, known=(task_id, cached.version))
        return snap

    async def add_eta(self, snap: SnapshotShape) -> None:
        """Fill in the ETA of a snapshot read elsewhere."""
        self._fill_eta(snap, await self.queries.eta_inputs(snap) if _moving(snap) else None)

    def forget(self, task_id: str | None = None) -> None:
        if task_id is None:
            self._cache.clear()
            self._estimates.clear()
        else:
            self._cache.pop(task_id, None)
            self._estimates.pop(task_id, None)

    def _fill_eta(
        self,
        snap: SnapshotShape,
        inputs: EtaInputs | None,
        *,
        known: tuple[str, int] | None = None,
    ) -> None:
        """Fill in the ETA; `known`: (task id, version) of a cached snapshot, whose estimate is
        reused within the second it was made in."""
        if snap["status"] in ("completed", "cancelled"):
            snap["eta_seconds"] = 0 if snap["status"] == "completed" else None
            snap["eta_low_seconds"] = snap["eta_high_seconds"] = snap["eta_seconds"]
            return
        if inputs is None:
            return  # failed: nothing moves until someone retries or skips
        now = self.clock()
        memo = self._estimates.get(known[0]) if known is not None else None
        if memo is not None and known is not None and memo[:2] == (known[1], int(now)):
            estimate = memo[2]
        else:
            estimate = self._estimate(inputs, now)
            if known is not None:
                self._estimates[known[0]] = (known[1], int(now), estimate)
        snap["eta_seconds"] = estimate.seconds
        snap["eta_low_seconds"] = estimate.low
        snap["eta_high_seconds"] = estimate.high

    def _estimate(self, inputs: EtaInputs, now: float) -> Estimate:
        steps = [
            StepTiming(
                order=s["order"],
                name=s["name"],
                status=s["status"],
                progress=s["progress"],
                started_at=s["started_at"],
                finished_at=s["finished_at"],
                weight=s["weight"],
                declared_seconds=s.get("estimate_seconds"),
                progress_samples=inputs.samples if s["status"] == "running" else (),
            )
            for s in inputs.steps
        ]
        return estimate_remaining(steps, now=now, history=inputs.history, tables=inputs.tables)


def _moving(snap: SnapshotShape) -> bool:
    """Tasks whose ETA can be estimated: not finished, not failed."""
    return snap["status"] not in ("completed", "cancelled", "failed")


def _copy(value: Any) -> Any:
    """A copy of a snapshot, which holds only JSON values: dicts and lists are copied, the rest
    (strings, numbers, None) cannot change. A third of what `copy.deepcopy` costs, which also
    keeps a memo for shared and cyclic objects a snapshot never has."""
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value

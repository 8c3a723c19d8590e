"""The one owner of APScheduler in a process: named jobs, started and stopped with the app.

Jobs keep their state in the database, never in APScheduler's job store, so several workers can
each run the same schedule: every job claims its work through the database before doing it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler

__all__ = ["JobQueue"]

logger = logging.getLogger(__name__)

Job = Callable[[], Awaitable[object]]


class JobQueue:
    def __init__(self) -> None:
        self._scheduler = AsyncIOScheduler(job_defaults={"coalesce": True, "max_instances": 1})
        self._jobs: dict[str, tuple[Job, float]] = {}

    def every(self, seconds: float, name: str, job: Job) -> None:
        """Run `job` every `seconds`; a run still going when the next is due is not doubled."""
        self._jobs[name] = (job, seconds)

    async def start(self) -> None:
        for name, (job, seconds) in self._jobs.items():
            self._scheduler.add_job(
                self._guarded(name, job), "interval", seconds=seconds, id=name, name=name
            )
        self._scheduler.start()

    async def stop(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    @staticmethod
    def _guarded(name: str, job: Job) -> Job:
        async def run() -> object:
            try:
                return await job()
            except Exception:  # one failed run is logged; the schedule goes on
                logger.exception("scheduled job %s failed", name)
                return None

        return run

"""Scheduled jobs: stalls, approval reminders, check-ins for long tasks, e-mail for long tasks,
retention.

Every worker runs every job. None of them does its work twice: each notice is written through
`Tracker.notify` with a key that names it ("stall:2:1" is step 2's first attempt), and the outbox
holds each key once, so a second worker (or a second run) writes nothing.
"""

from __future__ import annotations

import logging
import statistics
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError

from store.errors import NotFound
from store.retention import purge

if TYPE_CHECKING:
    from bot.notify.scheduler import JobQueue
    from bot.services import Services

__all__ = ["ScheduledJobs"]

logger = logging.getLogger(__name__)

LONG_TASK_EMAIL_EVENTS = ["approval_requested", "task_completed", "task_failed"]


class ScheduledJobs:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.settings = services.config.notifications

    def register(self, jobs: JobQueue) -> None:
        jobs.every(30.0, "expire_approvals", self.services.tracker.expire_approvals)
        jobs.every(30.0, "detect_stalls", self.detect_stalls)
        jobs.every(60.0, "remind_approvers", self.remind_approvers)
        jobs.every(60.0, "check_in", self.check_in)
        jobs.every(60.0, "email_long_tasks", self.email_long_tasks)
        jobs.every(3600.0, "retention", self.retention)

    async def detect_stalls(self) -> int:
        """A step running well past its usual duration: "⚠ ... taking longer than expected",
        once per step attempt."""
        now = self.services.clock.now()
        written = 0
        for step in await self.services.queries.running_steps():
            started = step["started_at"]
            if started is None:
                continue
            history = (await self.services.queries.step_history(step["kind"])).get(step["name"])
            if history:
                limit = self.settings.stall_factor * statistics.median(history)
            else:
                limit = self.settings.stall_after_minutes * 60
            if (now - started).total_seconds() <= limit:
                continue
            written += await self._notify(
                step["task_id"],
                "task_stalled",
                {"step": step["step"]},
                f"stall:{step['step']}:{step['attempts']}",
            )
        return written

    async def remind_approvers(self) -> int:
        """Remind approvers of a pending approval every `approval_reminder_minutes`, at most
        `approval_reminders` times."""
        if self.settings.approval_reminders <= 0:
            return 0
        now = self.services.clock.now()
        interval = self.settings.approval_reminder_minutes * 60
        written = 0
        for approval in await self.services.queries.followed_pending_approvals():
            waited = (now - approval["requested_at"]).total_seconds()
            nth = min(int(waited // interval), self.settings.approval_reminders)
            if nth < 1:
                continue
            written += await self._notify(
                approval["task_id"],
                "approval_reminder",
                {"step": approval["step"], "approval_id": approval["id"]},
                f"remind:{approval['id']}:{nth}",
            )
        return written

    async def check_in(self) -> int:
        """The seed's advice for tasks over 10 minutes, "check in periodically": a short
        progress digest every `checkin_minutes` while the task runs."""
        now = self.services.clock.now()
        interval = self.settings.checkin_minutes * 60
        cutoff = now - timedelta(seconds=interval)
        written = 0
        for task in await self.services.queries.active_tasks_started_before(
            cutoff, followed_only=True
        ):
            nth = int((now - task["started_at"]).total_seconds() // interval)
            written += await self._notify(task["task_id"], "task_checkin", {}, f"checkin:{nth}")
        return written

    async def email_long_tasks(self) -> int:
        """The seed's "Email - for long-running tasks": once a task has run longer than
        `email_for_tasks_longer_than_minutes`, its owner hears of its outcome by e-mail too."""
        if "email" not in self.services.adapters:
            return 0
        now = self.services.clock.now()
        cutoff = now - timedelta(minutes=self.settings.email_for_tasks_longer_than_minutes)
        added = 0
        for task in await self.services.queries.active_tasks_started_before(cutoff):
            owner = task["owner"]
            user = self.services.config.users.get(owner) if owner else None
            if user is None or not user.email:
                continue
            try:
                added += await self.services.tracker.subscribe(
                    task["task_id"],
                    "email",
                    user.email,
                    person=owner,
                    events=LONG_TASK_EMAIL_EVENTS,
                )
            except IntegrityError:
                continue  # another worker subscribed it at the same moment
        return added

    async def retention(self) -> dict[str, int]:
        before = self.services.clock.now() - timedelta(days=self.settings.retention_days)
        counts = await purge(self.services.db, before=before)
        if any(counts.values()):
            logger.info("retention removed %s", counts)
        return counts

    async def _notify(self, task_id: str, event: str, payload: dict[str, object], key: str) -> int:
        try:
            return await self.services.tracker.notify(task_id, event, payload, once_key=key)
        except NotFound:
            return 0

"""A simulated engine for the seed's Cellphone Store CRM task, paced like the real thing.

`progressbot demo` runs it: about 15 s for the tables, 5 minutes for the UI with its four
substeps, an approval before the search indexes, a minute for the workflows (at speed 1). It
declares those durations per step, so the first run's ETA starts from them; it
reports through the real HTTP API with the engine client, honours pause, returns quietly when
the task is cancelled and follows a restart to the new task.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from bot.client import ApprovalRejected, AsyncProgressClient, AsyncTaskHandle, TaskCancelled

__all__ = ["APPROVAL_PROMPT", "CRM_STEPS", "UI_SUBSTEPS", "simulate_crm_task"]

logger = logging.getLogger(__name__)

APPROVAL_PROMPT = "Apply search indexes to the production schema?"
# (name, display label): the seed's chat says "Customer list view", its API "Customer list".
UI_SUBSTEPS = (
    ("Customer list", "Customer list view"),
    ("Product list", "Product list view"),
    ("Sales form", None),
    ("Repair board", None),
)
TABLES = ("customers", "products", "sales", "repairs")
SEARCH_WORK = ("customer name index", "IMEI lookup", "sales date filter", "repair status filter")
WORKFLOWS = ("low-stock alert", "repair ready SMS", "daily sales report")
# How long each step works at speed 1 (the approval's wait is a person's, not the step's).
STEP1_SECONDS = 15.0
STEP2_SECONDS = 300.0
STEP3_SECONDS = 45.0
STEP4_SECONDS = 60.0
CRM_STEPS: list[str | dict[str, Any]] = [
    {
        "name": "Create database tables",
        "done_label": "Database created",
        "estimate_seconds": STEP1_SECONDS,
    },
    {
        "name": "Generate application UI",
        "substeps": [{"name": n, "label": label} if label else n for n, label in UI_SUBSTEPS],
        "estimate_seconds": STEP2_SECONDS,
    },
    {"name": "Add search and filters", "estimate_seconds": STEP3_SECONDS},
    {"name": "Configure workflows", "estimate_seconds": STEP4_SECONDS},
]
REPORT_EVERY = 15.0  # simulated seconds between step 2's progress reports


class _Run:
    """One attempt at the task; a restart makes a new one."""

    def __init__(
        self, task: AsyncTaskHandle, speed: float, say: Callable[[str], None] | None
    ) -> None:
        self.task, self.speed, self.say = task, speed, say

    async def work(self, seconds: float) -> None:
        """Simulated work; checks for pause and cancel at least once a (real) second."""
        remaining = seconds / self.speed
        while remaining > 0:
            await self.task.checkpoint()
            chunk = min(remaining, 1.0)
            await asyncio.sleep(chunk)
            remaining -= chunk
        await self.task.checkpoint()

    async def note(self, step: int, message: str) -> None:
        await self.task.log(message, step=step)
        logger.debug("task %s step %d: %s", self.task.task_id, step, message)
        if self.say is not None:
            self.say(f"[{self.task.task_id}] Step {step}: {message}")

    async def run(self) -> None:
        await self.task.start()
        await self.create_tables()
        await self.generate_ui()
        await self.add_search()
        await self.configure_workflows()
        await self.task.complete({"tables": len(TABLES), "views": 4, "workflows": len(WORKFLOWS)})
        if self.say is not None:
            self.say(f"[{self.task.task_id}] Cellphone Store CRM is ready.")

    async def create_tables(self) -> None:
        await self.task.checkpoint()
        await self.task.step_started(1)
        await self.note(1, f"Creating {len(TABLES)} tables: {', '.join(TABLES)}")
        for done, table in enumerate(TABLES, start=1):
            await self.work(STEP1_SECONDS / len(TABLES))
            await self.task.step_progress(1, 100 * done // len(TABLES))
            logger.debug("table %s created", table)
        await self.note(1, "Foreign keys and constraints added")
        await self.task.step_completed(1)

    async def generate_ui(self) -> None:
        await self.task.checkpoint()
        await self.task.step_started(2)
        await self.note(2, "Generating list views and forms from the schema")
        count = len(UI_SUBSTEPS)
        reports = int(STEP2_SECONDS / count / REPORT_EVERY)
        for index, (name, label) in enumerate(UI_SUBSTEPS):
            for tick in range(1, reports + 1):
                await self.work(REPORT_EVERY)
                if tick < reports:
                    await self.task.step_progress(2, int(100 * (index + tick / reports) / count))
            await self.task.substep_done(2, name)
            await self.task.step_progress(2, 100 * (index + 1) // count)
            await self.note(2, f"{label or name} generated")
        await self.task.step_completed(2)

    async def add_search(self) -> None:
        await self.task.checkpoint()
        await self.note(3, "Search plan ready: 2 indexes, 2 filters; waiting for approval")
        while True:
            try:
                await self.task.request_approval(3, APPROVAL_PROMPT)
                break
            except ApprovalRejected as exc:
                await self.note(3, f"Not applied: {exc}")
                if not await self.await_retry_or_skip(3):
                    return
        await self.note(3, "Approved; applying indexes")
        for done, item in enumerate(SEARCH_WORK, start=1):
            await self.work(STEP3_SECONDS / len(SEARCH_WORK))
            await self.task.step_progress(3, 100 * done // len(SEARCH_WORK))
            logger.debug("%s added", item)
        await self.task.step_completed(3)

    async def await_retry_or_skip(self, step: int) -> bool:
        """After a rejection: True to ask again (step retried), False when the step was skipped."""
        while True:
            control = await self.task.refresh(wait=25)
            if control.get("state") == "cancel":
                raise TaskCancelled(self.task.task_id, control)
            if step in control.get("skipped_steps", ()):
                return False
            if control.get("retry_step") == step:
                return True

    async def configure_workflows(self) -> None:
        await self.task.checkpoint()
        await self.task.step_started(4)
        for done, workflow in enumerate(WORKFLOWS, start=1):
            await self.work(STEP4_SECONDS / len(WORKFLOWS))
            await self.task.step_progress(4, 100 * done // len(WORKFLOWS))
            await self.note(4, f"Workflow “{workflow}” configured")
        await self.task.step_completed(4)


async def simulate_crm_task(
    client: AsyncProgressClient,
    *,
    speed: float = 1.0,
    task_id: str | None = None,
    owner: str = "alice",
    notify: list[dict[str, Any]] | None = None,
    log: Callable[[str], None] | None = None,
    created: asyncio.Event | None = None,
) -> str:
    """Create the seed's CRM task and run it to the end; returns the (last) task id.

    `speed` divides every pause (200 runs the whole task in about two seconds). A cancel ends
    it quietly; a restart carries on with the new task from step 1. `created` is set once the
    task exists."""
    if speed <= 0:
        raise ValueError("speed must be positive")
    task = await client.create_task(
        "Cellphone Store CRM",
        CRM_STEPS,
        task_id=task_id,
        short_name="CRM",
        kind="app-generation",
        owner=owner,
        team="crm-team",
        complexity={"tables": len(TABLES)},
        notify=notify or [],
        approval={"approvers": [owner, "crm-team"], "quorum": 1},
    )
    if created is not None:
        created.set()
    while True:
        try:
            await _Run(task, speed, log).run()
            return task.task_id
        except TaskCancelled as exc:
            if exc.restarted_as is None:
                logger.info("the simulated task %s was cancelled", task.task_id)
                if log is not None:
                    log(f"[{task.task_id}] Cancelled.")
                return task.task_id
            logger.info("task %s was restarted as %s", task.task_id, exc.restarted_as)
            if log is not None:
                log(f"[{task.task_id}] Restarted as {exc.restarted_as}.")
            task = client.task(exc.restarted_as)

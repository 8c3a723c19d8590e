"""`progressbot outbox`: operators see dead notifications and can retry or drop them."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from bot.api.wire import CreateTask
from bot.wiring import build_services
from store.db import Database
from store.models import OutboxRow
from store.outbox import Outbox
from tests.helpers.seed import SEED_CREATE
from tests.helpers.server import make_config


def progressbot(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def make_dead_row(url: str) -> int:
    db = Database(url)
    await db.upgrade()
    services = build_services(make_config(), database=db, with_chat=False)
    body = {**SEED_CREATE, "notify": [{"platform": "telegram", "chat": "456"}]}
    task_id = await services.tracker.create_task(CreateTask.model_validate(body).to_new_task())
    await services.tracker.apply(task_id, [{"type": "task_started"}])
    async with db.read() as session:
        row_id = await session.scalar(select(OutboxRow.id).where(OutboxRow.kind == "notice"))
    assert row_id is not None
    await Outbox(db).mark_failed(
        row_id, error="Forbidden: bot was blocked", retry_at=None, attempts=8
    )
    await db.dispose()
    return row_id


async def status_of(url: str, row_id: int) -> str | None:
    db = Database(url)
    async with db.read() as session:
        status = await session.scalar(select(OutboxRow.status).where(OutboxRow.id == row_id))
    await db.dispose()
    return status


def test_list_retry_and_drop_dead_notifications(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'store.db'}"
    config = tmp_path / "config.yaml"
    config.write_text(f"store: {{url: '{url}'}}\n")
    row_id = asyncio.run(make_dead_row(url))

    listed = progressbot(config, "outbox", "list")
    assert listed.returncode == 0, listed.stderr
    assert "dead" in listed.stdout and "task_started" in listed.stdout
    assert "Forbidden: bot was blocked" in listed.stdout

    retried = progressbot(config, "outbox", "retry", str(row_id))
    assert retried.returncode == 0 and "1 dead notification(s) queued again" in retried.stdout
    assert asyncio.run(status_of(url, row_id)) == "pending"

    dropped = progressbot(config, "outbox", "drop", str(row_id))
    assert dropped.returncode == 0 and "1 notification(s) dropped" in dropped.stdout
    assert asyncio.run(status_of(url, row_id)) is None

    missing = progressbot(config, "outbox", "retry", "999999")
    assert missing.returncode == 1 and "0 dead notification(s)" in missing.stdout

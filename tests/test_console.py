"""The terminal: `progressbot chat` and `progressbot demo` as real processes in a pty."""

from __future__ import annotations

import asyncio
import copy
import io
import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pexpect

from adapters.console import ConsoleAdapter, card_line, render
from bot.api.wire import CreateTask
from bot.config import parse_config
from bot.types import Button, Reply, Target
from bot.wiring import run_console_chat
from store.db import Database
from store.tracker import Tracker
from tests.conftest import Teams
from tests.helpers.seed import SEED_CREATE, SEED_EVENTS

PROGRESSBOT = str(Path(sys.executable).with_name("progressbot"))
TOKEN = "console-test-token"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_config(tmp_path: Path, port: int = 0, speed: float = 1.0) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(
        f"""
store:
  url: sqlite+aiosqlite:///{tmp_path / "var" / "progress.db"}
api:
  host: 127.0.0.1
  port: {port}
  tokens: ["{TOKEN}"]
  link_secret: console-test-secret
console:
  person: alice
users:
  alice: {{name: Alice}}
  bob: {{name: Bob}}
teams:
  crm-team: [alice, bob]
demo:
  speed: {speed}
"""
    )
    return path


async def seed_store(tmp_path: Path) -> str:
    (tmp_path / "var").mkdir(exist_ok=True)
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'var' / 'progress.db'}")
    try:
        await db.upgrade()
        tracker = Tracker(db, membership=Teams())
        task_id = await tracker.create_task(
            CreateTask.model_validate(copy.deepcopy(SEED_CREATE)).to_new_task()
        )
        await tracker.apply(task_id, SEED_EVENTS)
        return task_id
    finally:
        await db.dispose()


def spawn(tmp_path: Path, *args: str) -> pexpect.spawn:
    child = pexpect.spawn(
        PROGRESSBOT,
        ["--config", str(write_config(tmp_path)), "--log-level", "WARNING", *args],
        cwd=str(tmp_path),
        encoding="utf-8",
        timeout=30,
        dimensions=(50, 200),
    )
    return child


async def test_progressbot_chat_answers_the_seed_question(tmp_path: Path) -> None:
    await seed_store(tmp_path)
    child = spawn(tmp_path, "chat")
    try:
        child.expect_exact("you> ")
        child.sendline("How's my CRM task going?")
        child.expect_exact("bot> 📊 Your Cellphone Store CRM task is 65% complete.")
        child.expect_exact("bot> Currently: Generating application UI")
        child.expect_exact("bot> - ✓ Customer list view")
        child.expect_exact("bot> - ✓ Product list view")
        child.expect_exact("bot> - ⏳ Sales form (in progress)")
        child.expect_exact("bot> - ⏳ Repair board")
        child.expect_exact("bot> ETA: ")
        child.expect_exact("[1] Pause  [2] Cancel  [3] Open progress view (http://")
        child.expect_exact("you> ")
        child.sendline("1")  # presses Pause
        child.expect_exact("bot> ⏸ Paused Cellphone Store CRM.")
        child.expect_exact("you> ")
        child.sendline("quit")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0


async def test_progressbot_chat_ends_on_eof(tmp_path: Path) -> None:
    child = spawn(tmp_path, "chat")
    try:
        child.expect_exact("you> ")
        child.sendeof()
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0


def _get_json(url: str) -> Any:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request, timeout=5) as resp:
        return json.loads(resp.read())


def test_progressbot_demo_serves_the_demo_task(tmp_path: Path) -> None:
    port = free_port()
    config_path = write_config(tmp_path, port=port, speed=50.0)
    child = pexpect.spawn(
        PROGRESSBOT,
        ["--config", str(config_path), "--log-level", "WARNING", "demo", "--no-chat"],
        cwd=str(tmp_path),
        encoding="utf-8",
        timeout=30,
    )
    try:
        child.expect_exact("Try: How's my CRM task going?")
        base = f"http://127.0.0.1:{port}"
        tasks: list[Any] = []
        for _ in range(100):  # the simulated engine creates its task right after start-up
            tasks = _get_json(f"{base}/api/tasks")["tasks"]
            if tasks:
                break
            time.sleep(0.1)
        assert tasks, "the demo created no task"
        progress = _get_json(f"{base}/api/tasks/{tasks[0]['task_id']}/progress")
        assert progress["title"] == "Cellphone Store CRM"
        assert progress["total_steps"] == 4
        assert {"task_id", "status", "progress", "current_step", "steps"} <= set(progress)
        child.kill(2)  # Ctrl-C
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    assert (tmp_path / "var" / "progress.db").exists()


def test_the_demo_answers_a_question_pasted_before_its_prompt(tmp_path: Path) -> None:
    """The welcome suggests a question; pasted (or piped) at once, it finds the demo's task."""
    config_path = write_config(tmp_path, port=free_port(), speed=1.0)
    done = subprocess.run(
        [PROGRESSBOT, "--config", str(config_path), "--log-level", "WARNING", "demo"],
        input="How's my CRM task going?\nquit\n",
        capture_output=True,
        text=True,
        cwd=str(tmp_path),
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    # (just created: it may not have started yet, which the answer then says)
    assert "Your Cellphone Store CRM task" in done.stdout, done.stdout
    assert "couldn't find a task" not in done.stdout
    assert "no active tasks" not in done.stdout


# ---------------------------------------------------------------------- the adapter, in process


def test_render_numbers_buttons_and_shows_links() -> None:
    reply = Reply(
        text="⏸ Paused Cellphone Store CRM.",
        buttons=[
            Button("Resume", "resume", "abc123"),
            Button("Cancel", "cancel", "abc123"),
            Button("Open progress view", "open", url="http://127.0.0.1:8080/tasks/abc123?t=x"),
        ],
    )
    assert render(reply) == (
        "⏸ Paused Cellphone Store CRM.\n"
        "[1] Resume  [2] Cancel  [3] Open progress view (http://127.0.0.1:8080/tasks/abc123?t=x)"
    )


def test_card_edits_are_one_compact_line() -> None:
    reply = Reply(
        text="(the whole card)",
        kind="card",
        title="Cellphone Store CRM",
        status="running",
        percent=65,
        step_heading="Step 2 of 4: Generate application UI",
    )
    assert card_line(reply) == (
        "◐ Cellphone Store CRM — 65% — Step 2 of 4: Generate application UI"
    )


async def test_adapter_prints_notifications_and_card_lines() -> None:
    out = io.StringIO()
    adapter = ConsoleAdapter(out)
    target = Target("console", "alice")
    card = Reply(
        text="card",
        kind="card",
        title="Cellphone Store CRM",
        status="running",
        percent=65,
        step_heading="Step 2 of 4: Generate application UI",
    )
    sent = await adapter.send(target, card)
    await adapter.edit(target, sent.ref, card)
    await adapter.send(
        target,
        Reply(
            text="⚠️ Approval required for Step 3",
            kind="notification",
            buttons=[Button("Approve", "approve", "abc123", "1")],
        ),
    )
    lines = out.getvalue().splitlines()
    assert lines == [
        "bot> ◐ Cellphone Store CRM — 65% — Step 2 of 4: Generate application UI",
        "bot> ◐ Cellphone Store CRM — 65% — Step 2 of 4: Generate application UI",
        "bot> ⚠️ Approval required for Step 3",
        "bot> [1] Approve",
    ]
    assert [b.action for b in adapter.buttons] == ["approve"]


async def test_console_chat_loop_in_process(tmp_path: Path) -> None:
    await seed_store(tmp_path)
    config = parse_config(write_config(tmp_path).read_text(), environ={}, source="t.yaml")
    out = io.StringIO()
    lines = io.StringIO("Show logs for my CRM task\n\x1b[31mhi\x1b[0m\n9\nexit\n")
    status = await asyncio.wait_for(
        run_console_chat(config, input_stream=lines, output=out), timeout=30
    )
    assert status == 0
    text = out.getvalue()
    assert "bot> 📜 No log lines for Cellphone Store CRM yet." in text
    assert "bot> Hi! Ask me" in text
    assert "\x1b" not in text


async def test_console_chat_refuses_an_unknown_person(tmp_path: Path) -> None:
    config = parse_config(write_config(tmp_path).read_text(), environ={}, source="t.yaml")
    out = io.StringIO()
    status = await run_console_chat(
        config, person="mallory", input_stream=io.StringIO(""), output=out
    )
    assert status == 2
    assert "'mallory' is not a person" in out.getvalue()


async def task_status(tmp_path: Path, task_id: str) -> str:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'var' / 'progress.db'}")
    try:
        async with db.read() as session:
            from store.models import Task

            task = await session.get(Task, task_id)
            assert task is not None
            return task.status
    finally:
        await db.dispose()


async def test_console_chat_asks_before_a_hedged_command(tmp_path: Path) -> None:
    task_id = await seed_store(tmp_path)
    config = parse_config(write_config(tmp_path).read_text(), environ={}, source="t.yaml")
    out = io.StringIO()
    said = (
        "maybe pause the crm\n"  # hedged: asks, with buttons, and changes nothing
        "2\n"  # presses No
        "perhaps cancel the crm\n"
        "no\n"
        "should we skip the add search and filters step\n"
        "no\n"
        "I think we should pause the crm?\n"
        "exit\n"
    )
    status = await asyncio.wait_for(
        run_console_chat(config, input_stream=io.StringIO(said), output=out), timeout=30
    )
    assert status == 0
    text = out.getvalue()
    assert text.count("bot> Pause Cellphone Store CRM?") == 2, text
    assert "[1] Pause  [2] No" in text
    assert "bot> Cancel Cellphone Store CRM?" in text
    assert "bot> Skip Step 3" in text, text
    assert "Paused Cellphone Store CRM" not in text and "Cancelled" not in text
    assert await task_status(tmp_path, task_id) == "running"

    out = io.StringIO()
    status = await asyncio.wait_for(
        run_console_chat(
            config, input_stream=io.StringIO("pause the crm, i guess\nyes\nexit\n"), output=out
        ),
        timeout=30,
    )
    assert status == 0
    assert "bot> Pause Cellphone Store CRM?" in out.getvalue()
    assert "bot> ⏸ Paused Cellphone Store CRM." in out.getvalue()
    assert await task_status(tmp_path, task_id) == "paused"
